-- Rows of the release before migration 058 (the credit totals), loaded with
-- 040_premigration.sql: credit records without totals beside them.
-- t/engine/migration_058.t checks the totals 058 gave each user. Names
-- precred_*, mobiles 1990000005x; precred_mixed's password is credit058.
INSERT INTO users (username, mobile, password, status, created_at, updated_at) VALUES
    ('precred_mixed', '19900000051', '$2y$04$SjzXTdyhxWA3y4OFPcPGEOGA8M.X3o2K1aOxrxkJ5BBy44UqfEceC', 0, '2025-04-01 00:00:01', '2025-04-01 00:00:01'),
    ('precred_none', '19900000052', '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 0, '2025-04-01 00:00:02', '2025-04-01 00:00:02'),
    ('precred_negative', '19900000053', '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 0, '2025-04-01 00:00:03', '2025-04-01 00:00:03'),
    ('precred_deleted', '19900000054', '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 5, '2025-04-01 00:00:04', '2025-04-01 00:00:04');

-- mixed: general 100 + 250 - 80 = 270, dedicated 500 - 120 - 30 = 350
INSERT INTO credit_records (user_id, amount, is_positive_growth, dedicated, message, created_at, updated_at)
SELECT id, 100, 1, 0, '完成注册获取积分', '2025-04-02 00:00:01', '2025-04-02 00:00:01' FROM users WHERE username = 'precred_mixed';
INSERT INTO credit_records (user_id, amount, is_positive_growth, dedicated, message, created_at, updated_at)
SELECT id, 250, 1, 0, '活动奖励', '2025-04-02 00:00:02', '2025-04-02 00:00:02' FROM users WHERE username = 'precred_mixed';
INSERT INTO credit_records (user_id, amount, is_positive_growth, dedicated, message, created_at, updated_at)
SELECT id, 80, 0, 0, '购买GPU时长', '2025-04-02 00:00:03', '2025-04-02 00:00:03' FROM users WHERE username = 'precred_mixed';
INSERT INTO credit_records (user_id, amount, is_positive_growth, dedicated, message, created_at, updated_at)
SELECT id, 500, 1, 1, '项目专用积分', '2025-04-02 00:00:04', '2025-04-02 00:00:04' FROM users WHERE username = 'precred_mixed';
INSERT INTO credit_records (user_id, amount, is_positive_growth, dedicated, message, created_at, updated_at)
SELECT id, 120, 0, 1, '实例消耗积分', '2025-04-02 00:00:05', '2025-04-02 00:00:05' FROM users WHERE username = 'precred_mixed';
INSERT INTO credit_records (user_id, amount, is_positive_growth, dedicated, message, created_at, updated_at)
SELECT id, 30, 0, 1, '实例消耗积分', '2025-04-02 00:00:06', '2025-04-02 00:00:06' FROM users WHERE username = 'precred_mixed';
-- below 0, as another service may have written it: general 20 - 50 = -30,
-- dedicated -10
INSERT INTO credit_records (user_id, amount, is_positive_growth, dedicated, message, created_at, updated_at)
SELECT id, 20, 1, 0, '完成注册获取积分', '2025-04-03 00:00:01', '2025-04-03 00:00:01' FROM users WHERE username = 'precred_negative';
INSERT INTO credit_records (user_id, amount, is_positive_growth, dedicated, message, created_at, updated_at)
SELECT id, 50, 0, 0, '购买GPU时长', '2025-04-03 00:00:02', '2025-04-03 00:00:02' FROM users WHERE username = 'precred_negative';
INSERT INTO credit_records (user_id, amount, is_positive_growth, dedicated, message, created_at, updated_at)
SELECT id, 10, 0, 1, '实例消耗积分', '2025-04-03 00:00:03', '2025-04-03 00:00:03' FROM users WHERE username = 'precred_negative';
-- a deleted user keeps the sum of its records
INSERT INTO credit_records (user_id, amount, is_positive_growth, dedicated, message, created_at, updated_at)
SELECT id, 40, 1, 0, '完成注册获取积分', '2025-04-04 00:00:01', '2025-04-04 00:00:01' FROM users WHERE username = 'precred_deleted';
