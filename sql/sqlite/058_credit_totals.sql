-- A user's credit totals, kept beside the records (the hot reads: GET
-- /api/me, login's user_info, user/level-credit and the mobile details
-- read two columns of the user's row instead of summing every record).
-- general_integral is the signed sum of the user's records of kind 0
-- (通用积分), dedicated_integral of kind 1 (专用积分); integral is their sum.
-- The account core writes a record and its kind's total in one
-- transaction, the total by a conditional UPDATE that never takes it below
-- 0. Existing users get the sums of their records (users without a record
-- keep 0). Applied by tools/devplat-migrate (sqlite3 -bail) in one
-- transaction.
BEGIN;

ALTER TABLE users ADD COLUMN general_integral BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN dedicated_integral BIGINT NOT NULL DEFAULT 0;

UPDATE users SET general_integral = t.g, dedicated_integral = t.d
FROM (SELECT user_id,
             SUM(CASE WHEN dedicated = 0 THEN
                 CASE WHEN is_positive_growth = 1 THEN amount ELSE -amount END
                 ELSE 0 END) AS g,
             SUM(CASE WHEN dedicated <> 0 THEN
                 CASE WHEN is_positive_growth = 1 THEN amount ELSE -amount END
                 ELSE 0 END) AS d
      FROM credit_records GROUP BY user_id) AS t
WHERE users.id = t.user_id;

COMMIT;
