-- Audit rows as the releases before migration 056 wrote them (no actor_id),
-- loaded with the other premigration files (t/sql/README);
-- t/engine/migration_056.t checks the actor 056 gave each. About
-- premig_lower_x; "administrator" ids are premig_reclaimed's. created_at
-- 2024-06-01 00:00:NN tells them apart (no other row has that day).

-- the detail of an admin-face change ends with "by <administrator id>"
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT u.id, 'user_audit', 'approved by ' || a.id, '2024-06-01 00:00:01'
FROM users u, users a WHERE u.username = 'premig_lower_x' AND a.username = 'premig_reclaimed';
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT u.id, 'user_delete', 'by ' || a.id, '2024-06-01 00:00:02'
FROM users u, users a WHERE u.username = 'premig_lower_x' AND a.username = 'premig_reclaimed';
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT u.id, 'contact_change_by_admin', 'phone unverified, by ' || a.id, '2024-06-01 00:00:03'
FROM users u, users a WHERE u.username = 'premig_lower_x' AND a.username = 'premig_reclaimed';
-- a quoted login name that reads "by 77": not a trailing "by <id>"
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT id, 'login_failed', '"premig by 77"', '2024-06-01 00:00:04' FROM users WHERE username = 'premig_lower_x';
-- a failed sign-in with a name of no account: about nobody, by nobody (0)
INSERT INTO audit_log (user_id, action, detail, created_at)
VALUES (NULL, 'login_failed', '"premig_nobody"', '2024-06-01 00:00:05');
-- devplat-admin's: stays NULL
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT id, 'admin_freeze', 'devplat-admin', '2024-06-01 00:00:06' FROM users WHERE username = 'premig_lower_x';
-- the user's own sign-in
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT id, 'login', 'developer', '2024-06-01 00:00:07' FROM users WHERE username = 'premig_lower_x';
-- 19 digits are no id; "nearby" is not "by"; a trailing space ends no id
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT id, 'user_update', 'name by 1234567890123456789', '2024-06-01 00:00:08' FROM users WHERE username = 'premig_lower_x';
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT id, 'user_update', 'nearby 5', '2024-06-01 00:00:09' FROM users WHERE username = 'premig_lower_x';
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT id, 'user_update', 'name by 42 ', '2024-06-01 00:00:10' FROM users WHERE username = 'premig_lower_x';
-- the last "by <id>" counts
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT id, 'user_update', 'by 12 by 34', '2024-06-01 00:00:11' FROM users WHERE username = 'premig_lower_x';
