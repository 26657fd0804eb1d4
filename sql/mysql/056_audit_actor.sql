-- Who acted (issue 12). audit_log.user_id is whom a row concerns; actor_id
-- is who did it: the signed-in user of the request (an administrator on
-- the admin face, a user changing their own account), else the user the
-- row concerns (a sign-in, a sign-up, a password reset by code), 0 when
-- neither is known (a failed sign-in with a name of no account). NULL only
-- in the rows of the operator's devplat-admin (detail 'devplat-admin').
-- Rows written before: the id of a trailing "by <id>" of the detail (the
-- administrator of an admin-face change), else user_id (0 when none);
-- devplat-admin's rows stay NULL.
-- MariaDB commits every ALTER, DROP and CREATE at once, so there is no
-- transaction around them: the table's write lock is held from before the
-- append-only trigger on UPDATE is dropped until it exists again, so no
-- other session reads or writes audit_log meanwhile. The indexes serve
-- GET audit/list (newest first: created_at, then id) unfiltered or by
-- time, by user and by action; (user_id, created_at, id) takes the place
-- of audit_log_user.
-- Applied by tools/devplat-migrate (mariadb ... < file); every statement
-- may run again (a run that stopped half-way is completed by the next).
SET NAMES utf8mb4;

LOCK TABLES audit_log WRITE;
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS actor_id BIGINT NULL;
DROP TRIGGER IF EXISTS audit_log_no_update;
-- "... by 12" or "by 12": at most 18 digits (a BIGINT)
UPDATE audit_log SET actor_id = CASE
    WHEN detail REGEXP '(^| )by [0-9]{1,18}$'
    THEN CAST(REGEXP_SUBSTR(detail, '[0-9]+$') AS SIGNED)
    ELSE COALESCE(user_id, 0) END
WHERE actor_id IS NULL AND detail <> 'devplat-admin';
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only';
UNLOCK TABLES;

ALTER TABLE audit_log
    ADD INDEX IF NOT EXISTS audit_log_time (created_at, id),
    ADD INDEX IF NOT EXISTS audit_log_user_time (user_id, created_at, id),
    ADD INDEX IF NOT EXISTS audit_log_action_time (action, created_at, id),
    DROP INDEX IF EXISTS audit_log_user;
