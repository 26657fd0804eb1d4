-- Who acted (issue 12). audit_log.user_id is whom a row concerns; actor_id
-- is who did it: the signed-in user of the request (an administrator on
-- the admin face, a user changing their own account), else the user the
-- row concerns (a sign-in, a sign-up, a password reset by code), 0 when
-- neither is known (a failed sign-in with a name of no account). NULL only
-- in the rows of the operator's devplat-admin (detail 'devplat-admin').
-- Rows written before: the id of a trailing "by <id>" of the detail (the
-- administrator of an admin-face change), else user_id (0 when none);
-- devplat-admin's rows stay NULL.
-- The append-only trigger is dropped for the backfill and created again in
-- the same transaction (ALTER TABLE holds the table's exclusive lock until
-- the end). The indexes serve GET audit/list (newest first: created_at,
-- then id) unfiltered or by time, by user and by action; (user_id,
-- created_at, id) takes the place of audit_log_user.
-- Applied by tools/devplat-migrate in one transaction
-- (psql -X -v ON_ERROR_STOP=1 --single-transaction).

ALTER TABLE audit_log ADD COLUMN actor_id BIGINT;

DROP TRIGGER audit_log_no_change ON audit_log;
-- "... by 12" or "by 12": at most 18 digits (a BIGINT)
UPDATE audit_log SET actor_id = COALESCE(
    CAST(substring(detail from '(?:^| )by ([0-9]{1,18})$') AS BIGINT), user_id, 0)
WHERE detail <> 'devplat-admin';
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE INDEX audit_log_time ON audit_log (created_at, id);
CREATE INDEX audit_log_user_time ON audit_log (user_id, created_at, id);
CREATE INDEX audit_log_action_time ON audit_log (action, created_at, id);
DROP INDEX audit_log_user;
