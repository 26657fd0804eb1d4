-- Who acted (issue 12). audit_log.user_id is whom a row concerns; actor_id
-- is who did it: the signed-in user of the request (an administrator on
-- the admin face, a user changing their own account), else the user the
-- row concerns (a sign-in, a sign-up, a password reset by code), 0 when
-- neither is known (a failed sign-in with a name of no account). NULL only
-- in the rows of the operator's devplat-admin (detail 'devplat-admin').
-- Rows written before: the id of a trailing "by <id>" of the detail (the
-- administrator of an admin-face change), else user_id (0 when none);
-- devplat-admin's rows stay NULL.
-- The append-only trigger on UPDATE is dropped for the backfill and created
-- again in the same transaction. The indexes serve GET audit/list (newest
-- first: created_at, then id) unfiltered or by time, by user and by action;
-- (user_id, created_at, id) takes the place of audit_log_user.
-- Applied by tools/devplat-migrate (sqlite3 -bail), as one transaction.
BEGIN;

ALTER TABLE audit_log ADD COLUMN actor_id INTEGER;

DROP TRIGGER audit_log_no_update;
-- "... by 12": the digits after the last " by " (or a detail "by 12"),
-- at most 18 of them (a BIGINT)
UPDATE audit_log SET actor_id = CASE
    WHEN length(detail) - length(rtrim(detail, '0123456789')) BETWEEN 1 AND 18
         AND (rtrim(detail, '0123456789') GLOB '* by '
              OR rtrim(detail, '0123456789') = 'by ')
    THEN CAST(substr(detail, length(rtrim(detail, '0123456789')) + 1) AS INTEGER)
    ELSE COALESCE(user_id, 0) END
WHERE detail <> 'devplat-admin';
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE INDEX audit_log_time ON audit_log (created_at, id);
CREATE INDEX audit_log_user_time ON audit_log (user_id, created_at, id);
CREATE INDEX audit_log_action_time ON audit_log (action, created_at, id);
DROP INDEX audit_log_user;

COMMIT;
