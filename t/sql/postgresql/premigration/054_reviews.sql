-- Rows of the release before migration 054 (the review queues), loaded
-- with 040_premigration.sql; t/engine/migration_054.t checks the
-- submissions 054 made of them. Names prerev_*, mobiles 1990000003x.
INSERT INTO users (username, mobile, password, status, created_at, updated_at) VALUES
    ('prerev_a', '19900000031', '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 4, '2025-03-01 00:00:01', '2025-03-01 00:00:01'),
    ('prerev_b', '19900000032', '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 0, '2025-03-01 00:00:02', '2025-03-01 00:00:02');

-- pending, with a double quote and a line break (JSON must escape both)
INSERT INTO educational_infos (user_id, institution, education_id, project_experience, status, message, created_at, updated_at)
SELECT id, '"迁移"大学', 2, '第一行
第二行', 0, '', '2025-03-02 00:00:00', '2025-03-02 00:00:01' FROM users WHERE username = 'prerev_a';
-- rejected, with its domains in order
INSERT INTO job_infos (user_id, organization, position_id, project_experience, status, message, created_at, updated_at)
SELECT id, '迁移公司', 1, '视觉', 2, '材料不符', '2025-03-03 00:00:00', '2025-03-03 00:00:01' FROM users WHERE username = 'prerev_a';
INSERT INTO job_info_domains (user_id, domain_id, position)
SELECT id, 3, 0 FROM users WHERE username = 'prerev_a';
INSERT INTO job_info_domains (user_id, domain_id, position)
SELECT id, 1, 1 FROM users WHERE username = 'prerev_a';
-- two awards: one pending with two pictures, one passed without any
INSERT INTO award_infos (user_id, competition, award_level_id, status, message, created_at, updated_at)
SELECT id, '迁移杯', 1, 0, '', '2025-03-04 00:00:00', '2025-03-04 00:00:01' FROM users WHERE username = 'prerev_a';
INSERT INTO award_info_pictures (award_info_id, position, picture)
SELECT a.id, 1, '/storage/premig/award_2.png' FROM award_infos a JOIN users u ON u.id = a.user_id
WHERE u.username = 'prerev_a' AND a.competition = '迁移杯';
INSERT INTO award_info_pictures (award_info_id, position, picture)
SELECT a.id, 0, '/storage/premig/award_1.png' FROM award_infos a JOIN users u ON u.id = a.user_id
WHERE u.username = 'prerev_a' AND a.competition = '迁移杯';
INSERT INTO award_infos (user_id, competition, award_level_id, status, message, created_at, updated_at)
SELECT id, '迁移赛', 2, 1, '', '2025-03-05 00:00:00', '2025-03-05 00:00:01' FROM users WHERE username = 'prerev_a';
-- qualifications: the account under review waits on the newer picture;
-- the normal one waits on nothing
INSERT INTO qualifications (user_id, picture, created_at)
SELECT id, '/storage/premig/qual_old.png', '2025-03-06 00:00:00' FROM users WHERE username = 'prerev_a';
INSERT INTO qualifications (user_id, picture, created_at)
SELECT id, '/storage/premig/qual_new.png', '2025-03-07 00:00:00' FROM users WHERE username = 'prerev_a';
INSERT INTO qualifications (user_id, picture, created_at)
SELECT id, '/storage/premig/qual_b.png', '2025-03-08 00:00:00' FROM users WHERE username = 'prerev_b';
