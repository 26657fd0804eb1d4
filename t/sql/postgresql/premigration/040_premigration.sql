-- Rows of the release before migration 050 (040_mobile), loaded by
-- scripts/test-engines.sh between "devplat-migrate --to 040_mobile" and the
-- rest of the migrations; t/engine/migration.t checks what 050 made of them.
-- Names premig_*, mobiles 199000000xx, e-mails @premig.example, ID numbers
-- 650102199001011xxx: no other test uses them.

-- Users: ids in this order (none is an administrator; status 0).
INSERT INTO users (username, mobile, email, password, name, position, created_at, updated_at) VALUES
    ('premig_admin_signup', '19900000001', 'Premig.Signup@premig.example', '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '预迁移', '测试', '2025-01-01 00:00:01', '2025-01-01 00:00:01'),
    ('premig_phone_edited', '19900000002', 'premig.phone@premig.example', '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', NULL, NULL, '2025-01-01 00:00:02', '2025-01-01 00:00:02'),
    ('premig_email_edited', '19900000003', 'premig.mail@premig.example', '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', NULL, NULL, '2025-01-01 00:00:03', '2025-01-01 00:00:03'),
    ('premig_proved_later', '19900000004', 'premig.later@premig.example', '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', NULL, NULL, '2025-01-01 00:00:04', '2025-01-01 00:00:04'),
    ('premig_case_a', NULL, 'Premig.Case@Premig.Example', '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', NULL, NULL, '2025-01-01 00:00:05', '2025-01-01 00:00:05'),
    ('premig_case_b', NULL, 'premig.case@premig.example', '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', NULL, NULL, '2025-01-01 00:00:06', '2025-01-01 00:00:06'),
    ('premig_upper', NULL, 'PREMIG.UPPER@PREMIG.EXAMPLE', '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', NULL, NULL, '2025-01-01 00:00:07', '2025-01-01 00:00:07'),
    ('19900000008', '19900000008', NULL, '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', NULL, NULL, '2025-01-01 00:00:08', '2025-01-01 00:00:08'),
    ('premig_dev_wins', '19900000009', NULL, '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', NULL, NULL, '2025-01-01 00:00:09', '2025-01-01 00:00:09'),
    ('premig_mob_wins', '19900000010', NULL, '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', NULL, NULL, '2025-01-01 00:00:10', '2025-01-01 00:00:10'),
    ('premig_dev_fallback', '19900000011', NULL, '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', NULL, NULL, '2025-01-01 00:00:11', '2025-01-01 00:00:11'),
    ('premig_dup_early', '19900000012', NULL, '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', NULL, NULL, '2025-01-01 00:00:12', '2025-01-01 00:00:12'),
    ('premig_dup_passed', '19900000013', NULL, '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', NULL, NULL, '2025-01-01 00:00:13', '2025-01-01 00:00:13'),
    ('premig_dup_mobile', '19900000014', NULL, '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', NULL, NULL, '2025-01-01 00:00:14', '2025-01-01 00:00:14'),
    ('premig_tie_a', '19900000015', NULL, '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', NULL, NULL, '2025-01-01 00:00:15', '2025-01-01 00:00:15'),
    ('premig_tie_b', '19900000016', NULL, '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', NULL, NULL, '2025-01-01 00:00:16', '2025-01-01 00:00:16'),
    ('premig_withdrawn', '19900000017', NULL, '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', NULL, NULL, '2025-01-01 00:00:17', '2025-01-01 00:00:17'),
    ('premig_reclaimed', '19900000018', NULL, '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', NULL, NULL, '2025-01-01 00:00:18', '2025-01-01 00:00:18'),
    ('premig_lower_x', '19900000019', NULL, '$2y$04$premigrationfixturexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', NULL, NULL, '2025-01-01 00:00:19', '2025-01-01 00:00:19');

-- Audit rows, oldest first (the migration compares their order by id).
-- signed up on the admin face: phone and e-mail never proved
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT id, 'register', 'admin', '2025-01-02 00:00:00' FROM users WHERE username = 'premig_admin_signup';
-- an administrator changed the phone (only the phone)
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT id, 'register', 'developer', '2025-01-02 00:00:01' FROM users WHERE username = 'premig_phone_edited';
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT id, 'user_update', 'nickname,phone by 1', '2025-01-02 00:00:02' FROM users WHERE username = 'premig_phone_edited';
-- an administrator changed the e-mail (only the e-mail)
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT id, 'register', 'mobile', '2025-01-02 00:00:03' FROM users WHERE username = 'premig_email_edited';
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT id, 'user_update', 'name,email by 1', '2025-01-02 00:00:04' FROM users WHERE username = 'premig_email_edited';
-- signed up on the admin face, then proved both contacts with codes
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT id, 'register', 'admin', '2025-01-02 00:00:05' FROM users WHERE username = 'premig_proved_later';
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT id, 'change_mobile', '19900000004 (verified by mobile)', '2025-01-02 00:00:06' FROM users WHERE username = 'premig_proved_later';
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT id, 'bind_email', 'premig.later@premig.example', '2025-01-02 00:00:07' FROM users WHERE username = 'premig_proved_later';

-- Identity records. 实名认证 (developer) and the mobile verification.
-- both, the developer record passed: it wins
INSERT INTO real_name_auths (user_id, actual_name, certificate_type_id, id_number, authenticate_picture, status, message, created_at, updated_at)
SELECT id, '迁开发', 1, '650102199001011028', '/storage/premig/dev_wins.png', 1, '', '2025-02-01 00:00:00', '2025-02-01 00:00:01' FROM users WHERE username = 'premig_dev_wins';
INSERT INTO id_verifications (user_id, name, card_no, state, created_at, updated_at)
SELECT id, '迁开发', '650102199001011036', 1, '2025-02-02 00:00:00', '2025-02-02 00:00:00' FROM users WHERE username = 'premig_dev_wins';
-- both, the developer record pending, the mobile one verified: mobile wins
INSERT INTO real_name_auths (user_id, actual_name, certificate_type_id, id_number, authenticate_picture, status, message, created_at, updated_at)
SELECT id, '迁移动', 2, 'EP6501029', '/storage/premig/mob_wins.png', 0, '', '2025-02-01 00:00:00', '2025-02-01 00:00:00' FROM users WHERE username = 'premig_mob_wins';
INSERT INTO id_verifications (user_id, name, card_no, state, created_at, updated_at)
SELECT id, '迁移动', '650102199001011052', 1, '2025-02-03 00:00:00', '2025-02-03 00:00:02' FROM users WHERE username = 'premig_mob_wins';
-- both, the developer record rejected, the mobile one withdrawn: developer
INSERT INTO real_name_auths (user_id, actual_name, certificate_type_id, id_number, authenticate_picture, status, message, created_at, updated_at)
SELECT id, '迁驳回', 1, '650102199001011060', '/storage/premig/fallback.png', 2, '照片不清晰', '2025-02-01 00:00:00', '2025-02-04 00:00:00' FROM users WHERE username = 'premig_dev_fallback';
INSERT INTO id_verifications (user_id, name, card_no, state, created_at, updated_at)
SELECT id, '迁驳回', '650102199001011079', 0, '2025-02-02 00:00:00', '2025-02-02 00:00:00' FROM users WHERE username = 'premig_dev_fallback';
-- one number, three accounts: pending (earliest), passed (latest), mobile
-- verified (between): the mobile one keeps it (passed, then earliest)
INSERT INTO real_name_auths (user_id, actual_name, certificate_type_id, id_number, authenticate_picture, status, message, created_at, updated_at)
SELECT id, '迁重一', 1, '650102199001011087', '/storage/premig/dup1.png', 0, '', '2025-01-01 00:00:00', '2025-01-01 00:00:00' FROM users WHERE username = 'premig_dup_early';
INSERT INTO real_name_auths (user_id, actual_name, certificate_type_id, id_number, authenticate_picture, status, message, created_at, updated_at)
SELECT id, '迁重二', 1, '650102199001011087', '/storage/premig/dup2.png', 1, '', '2025-06-01 00:00:00', '2025-06-01 00:00:00' FROM users WHERE username = 'premig_dup_passed';
INSERT INTO id_verifications (user_id, name, card_no, state, created_at, updated_at)
SELECT id, '迁重三', '650102199001011087', 1, '2025-03-01 00:00:00', '2025-03-01 00:00:00' FROM users WHERE username = 'premig_dup_mobile';
-- one number, two pending records of the same moment: the lower user id
INSERT INTO real_name_auths (user_id, actual_name, certificate_type_id, id_number, authenticate_picture, status, message, created_at, updated_at)
SELECT id, '迁同甲', 1, '650102199001011095', '/storage/premig/tie_a.png', 0, '', '2025-04-01 00:00:00', '2025-04-01 00:00:00' FROM users WHERE username = 'premig_tie_a';
INSERT INTO real_name_auths (user_id, actual_name, certificate_type_id, id_number, authenticate_picture, status, message, created_at, updated_at)
SELECT id, '迁同乙', 1, '650102199001011095', '/storage/premig/tie_b.png', 0, '', '2025-04-01 00:00:00', '2025-04-01 00:00:00' FROM users WHERE username = 'premig_tie_b';
-- a withdrawn verification (state 0), its number since passed for another
INSERT INTO id_verifications (user_id, name, card_no, state, created_at, updated_at)
SELECT id, '迁撤销', '650102199001011108', 0, '2025-01-05 00:00:00', '2025-01-06 00:00:00' FROM users WHERE username = 'premig_withdrawn';
INSERT INTO real_name_auths (user_id, actual_name, certificate_type_id, id_number, authenticate_picture, status, message, created_at, updated_at)
SELECT id, '迁再认', 1, '650102199001011108', '/storage/premig/reclaimed.png', 1, '', '2025-05-01 00:00:00', '2025-05-01 00:00:00' FROM users WHERE username = 'premig_reclaimed';
-- a card number stored with a lower-case check character
INSERT INTO id_verifications (user_id, name, card_no, state, created_at, updated_at)
SELECT id, '迁小写', '65010219900101101x', 1, '2025-01-07 00:00:00', '2025-01-07 00:00:00' FROM users WHERE username = 'premig_lower_x';

-- Codes and cooldowns of the release before (no account_id yet). Their
-- times lie in 2100, so the purge of expired rows (migration 052) leaves
-- them for t/engine/migration.t to find.
INSERT INTO verification_codes (destination, purpose, channel, digest, created_at, expires_at, tries, client_ip)
VALUES ('19900000099', 'register', 'sms', 'premigration-fixture', 4102444800, 4102445100, 0, '10.0.250.1');
INSERT INTO code_cooldowns (destination, purpose, sent_at) VALUES ('19900000099', 'register', 4102444800);
