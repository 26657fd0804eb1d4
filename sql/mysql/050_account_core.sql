-- The account core (issue 10): proven and unproven contacts, usernames that
-- are never mobile numbers, codes bound to the account that asked for them,
-- and one identity-verification store for the developer and mobile faces.
-- Applied by tools/devplat-migrate (mariadb ... < file); it works on an
-- empty database (a fresh install) as on one made by the release before.
-- MariaDB commits at every DDL statement, so this file cannot be one
-- transaction: instead every step may run again. When a run fails, fix the
-- cause and run it again (the old tables are dropped only by the last
-- statement, once everything else is done).
SET NAMES utf8mb4;

-- Already applied (the old tables are gone)? Then stop here, changing nothing.
DO (SELECT COUNT(*) FROM real_name_auths);

-- ---------------------------------------------------------------- users
-- mobile / email stay the PROVEN contacts (unique, login identifiers);
-- a contact recorded without proof goes to unverified_* (not unique).
ALTER TABLE users
    ADD COLUMN IF NOT EXISTS unverified_mobile VARCHAR(20),
    ADD COLUMN IF NOT EXISTS unverified_email VARCHAR(254),
    ADD INDEX IF NOT EXISTS users_unverified_mobile (unverified_mobile),
    ADD INDEX IF NOT EXISTS users_unverified_email (unverified_email);

-- A phone / e-mail set on the admin face (sign-up: audit 'register' detail
-- 'admin'; an administrator's edit: 'user_update' naming the field) was
-- never proved, unless the user proved that contact later (an SMS code for
-- a new mobile: 'change_mobile', a password reset by SMS: 'password_reset';
-- an e-mail code: 'bind_email').
UPDATE users SET unverified_mobile = mobile, mobile = NULL
WHERE mobile IS NOT NULL AND EXISTS (
    SELECT 1 FROM audit_log a
    WHERE a.user_id = users.id
      AND ((a.action = 'register' AND a.detail = 'admin')
           OR (a.action = 'user_update' AND a.detail LIKE '%phone%'))
      AND NOT EXISTS (SELECT 1 FROM audit_log p
                      WHERE p.user_id = a.user_id AND p.id > a.id
                        AND p.action IN ('change_mobile', 'password_reset')));
UPDATE users SET unverified_email = LOWER(email), email = NULL
WHERE email IS NOT NULL AND EXISTS (
    SELECT 1 FROM audit_log a
    WHERE a.user_id = users.id
      AND ((a.action = 'register' AND a.detail = 'admin')
           OR (a.action = 'user_update' AND a.detail LIKE '%email%'))
      AND NOT EXISTS (SELECT 1 FROM audit_log p
                      WHERE p.user_id = a.user_id AND p.id > a.id
                        AND p.action = 'bind_email'));

-- Proven e-mails are stored lower-case (the unique index is then unique
-- ignoring case): of addresses equal ignoring case the lowest id keeps it,
-- the others keep theirs as unverified. (MariaDB reads users in a derived
-- table, not in a subquery of the UPDATE.)
UPDATE users u
JOIN (SELECT id, ROW_NUMBER() OVER (PARTITION BY LOWER(email) ORDER BY id) AS rn
      FROM users WHERE email IS NOT NULL) ranked ON ranked.id = u.id
SET u.unverified_email = LOWER(u.email), u.email = NULL
WHERE ranked.rn > 1;
UPDATE users SET email = LOWER(email) WHERE email IS NOT NULL AND email <> LOWER(email);

-- A username can never have the form of a mainland mobile number: the ones
-- that do are renamed m<number>_<id>, with an audit row naming the old one.
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT id, 'username_migrated', username, DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s')
FROM users WHERE username REGEXP '^1[3-9][0-9]{9}$'
ORDER BY id;
UPDATE users SET username = CONCAT('m', username, '_', id)
WHERE username REGEXP '^1[3-9][0-9]{9}$';
ALTER TABLE users ADD CONSTRAINT IF NOT EXISTS users_username_not_mobile
    CHECK (username NOT REGEXP '^1[3-9][0-9]{9}$');

-- ---------------------------------------------------------------- codes
-- The account that asked for a code (0: none, for register / retrieve).
ALTER TABLE verification_codes
    ADD COLUMN IF NOT EXISTS account_id BIGINT NOT NULL DEFAULT 0,
    DROP INDEX IF EXISTS verification_codes_dest,
    ADD INDEX IF NOT EXISTS verification_codes_dest_account
        (destination, purpose, account_id, created_at);

-- One cooldown per destination + purpose + account; existing rows: 0.
ALTER TABLE code_cooldowns
    ADD COLUMN IF NOT EXISTS account_id BIGINT NOT NULL DEFAULT 0 AFTER purpose,
    DROP PRIMARY KEY,
    ADD PRIMARY KEY (destination, purpose, account_id);

-- ---------------------------------------------------------------- identity
-- The one identity-verification store (实名认证 of the developer face and
-- the mobile face's verification). status: 0 待审核 pending, 1 已通过
-- passed, 2 未通过 rejected; source: developer | mobile. A number verifies
-- at most one account: active_number is the number of a record that is not
-- rejected, unique.
CREATE TABLE IF NOT EXISTS identity_verifications (
    user_id              BIGINT       NOT NULL PRIMARY KEY,
    actual_name          VARCHAR(64)  NOT NULL,
    certificate_type_id  BIGINT       NOT NULL,
    id_number            VARCHAR(32)  NOT NULL,
    authenticate_picture VARCHAR(255) NOT NULL DEFAULT '',
    status               INTEGER      NOT NULL DEFAULT 0,
    message              VARCHAR(255) NOT NULL DEFAULT '',
    source               VARCHAR(16)  NOT NULL DEFAULT 'developer',
    created_at           VARCHAR(19)  NOT NULL,
    updated_at           VARCHAR(19)  NOT NULL,
    active_number        VARCHAR(32)  AS (CASE WHEN status <> 2 THEN id_number END) PERSISTENT,
    CONSTRAINT identity_verifications_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT identity_verifications_type_fk FOREIGN KEY (certificate_type_id)
        REFERENCES certificate_types (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- (a run again after a failure starts this step over)
ALTER TABLE identity_verifications DROP INDEX IF EXISTS identity_verifications_active_number;
DELETE FROM identity_verifications;

-- One record per user: the developer record when it passed, else the
-- mobile one when it is verified (state 1), else the developer record.
INSERT INTO identity_verifications (user_id, actual_name, certificate_type_id, id_number,
                                    authenticate_picture, status, message, source,
                                    created_at, updated_at)
SELECT r.user_id, r.actual_name, r.certificate_type_id, UPPER(r.id_number),
       r.authenticate_picture, r.status, r.message, 'developer', r.created_at, r.updated_at
FROM real_name_auths r
WHERE r.status = 1
   OR NOT EXISTS (SELECT 1 FROM id_verifications v WHERE v.user_id = r.user_id AND v.state = 1);
INSERT INTO identity_verifications (user_id, actual_name, certificate_type_id, id_number,
                                    authenticate_picture, status, message, source,
                                    created_at, updated_at)
SELECT v.user_id, v.name,
       (SELECT id FROM certificate_types WHERE number_rule = 'cn_id_card' ORDER BY sort, id LIMIT 1),
       UPPER(v.card_no), '',
       CASE WHEN v.state = 1 THEN 1 ELSE 2 END,
       CASE WHEN v.state = 0 THEN '已撤销' ELSE '' END,
       'mobile', v.created_at, v.updated_at
FROM id_verifications v
WHERE NOT EXISTS (SELECT 1 FROM real_name_auths r
                  WHERE r.user_id = v.user_id AND (r.status = 1 OR v.state <> 1));

-- A number several accounts hold (pending or passed): the passed one keeps
-- it, then the earliest, then the lowest user id; the others are rejected.
UPDATE identity_verifications i
JOIN (SELECT user_id, ROW_NUMBER() OVER (
                 PARTITION BY id_number
                 ORDER BY CASE WHEN status = 1 THEN 0 ELSE 1 END, created_at, user_id) AS rn
      FROM identity_verifications WHERE status <> 2) ranked ON ranked.user_id = i.user_id
SET i.status = 2, i.message = '证件号码已被其他账号认证'
WHERE ranked.rn > 1;

ALTER TABLE identity_verifications
    ADD UNIQUE KEY identity_verifications_active_number (active_number);

DROP TABLE real_name_auths, id_verifications;
