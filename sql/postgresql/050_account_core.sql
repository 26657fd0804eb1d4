-- The account core (issue 10): proven and unproven contacts, usernames that
-- are never mobile numbers, codes bound to the account that asked for them,
-- and one identity-verification store for the developer and mobile faces.
-- Applied by tools/devplat-migrate in ONE transaction
-- (psql -X -v ON_ERROR_STOP=1 --single-transaction): a failing statement
-- leaves the database as it was. By hand: psql -1 -v ON_ERROR_STOP=1 -f ...
-- It works on an empty database (a fresh install) as on one made by the
-- release before.

-- ---------------------------------------------------------------- users
-- mobile / email stay the PROVEN contacts (unique, login identifiers);
-- a contact recorded without proof goes to unverified_* (not unique).
ALTER TABLE users ADD COLUMN unverified_mobile VARCHAR(20);
ALTER TABLE users ADD COLUMN unverified_email VARCHAR(254);
CREATE INDEX users_unverified_mobile ON users (unverified_mobile);
CREATE INDEX users_unverified_email ON users (unverified_email);

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
UPDATE users SET unverified_email = lower(email), email = NULL
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
-- the others keep theirs as unverified.
UPDATE users SET unverified_email = lower(email), email = NULL
WHERE id IN (SELECT id FROM (
    SELECT id, row_number() OVER (PARTITION BY lower(email) ORDER BY id) AS rn
    FROM users WHERE email IS NOT NULL) ranked WHERE rn > 1);
UPDATE users SET email = lower(email) WHERE email IS NOT NULL AND email <> lower(email);

-- A username can never have the form of a mainland mobile number: the ones
-- that do are renamed m<number>_<id>, with an audit row naming the old one.
INSERT INTO audit_log (user_id, action, detail, created_at)
SELECT id, 'username_migrated', username, to_char(localtimestamp(0), 'YYYY-MM-DD HH24:MI:SS')
FROM users WHERE username ~ '^1[3-9][0-9]{9}$'
ORDER BY id;
UPDATE users SET username = 'm' || username || '_' || id
WHERE username ~ '^1[3-9][0-9]{9}$';
ALTER TABLE users ADD CONSTRAINT users_username_not_mobile
    CHECK (username !~ '^1[3-9][0-9]{9}$');

-- ---------------------------------------------------------------- codes
-- The account that asked for a code (0: none, for register / retrieve).
ALTER TABLE verification_codes ADD COLUMN account_id BIGINT NOT NULL DEFAULT 0;
DROP INDEX verification_codes_dest;
CREATE INDEX verification_codes_dest_account
    ON verification_codes (destination, purpose, account_id, created_at);

-- One cooldown per destination + purpose + account; existing rows: 0.
ALTER TABLE code_cooldowns ADD COLUMN account_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE code_cooldowns DROP CONSTRAINT code_cooldowns_pkey;
ALTER TABLE code_cooldowns ADD CONSTRAINT code_cooldowns_pkey
    PRIMARY KEY (destination, purpose, account_id);

-- ---------------------------------------------------------------- identity
-- The one identity-verification store (实名认证 of the developer face and
-- the mobile face's verification). status: 0 待审核 pending, 1 已通过
-- passed, 2 未通过 rejected; source: developer | mobile. A number verifies
-- at most one account: active_number is the number of a record that is not
-- rejected, unique.
CREATE TABLE identity_verifications (
    user_id              BIGINT       PRIMARY KEY REFERENCES users (id),
    actual_name          VARCHAR(64)  NOT NULL,
    certificate_type_id  BIGINT       NOT NULL REFERENCES certificate_types (id),
    id_number            VARCHAR(32)  NOT NULL,
    authenticate_picture VARCHAR(255) NOT NULL DEFAULT '',
    status               INTEGER      NOT NULL DEFAULT 0,
    message              VARCHAR(255) NOT NULL DEFAULT '',
    source               VARCHAR(16)  NOT NULL DEFAULT 'developer',
    created_at           VARCHAR(19)  NOT NULL,
    updated_at           VARCHAR(19)  NOT NULL,
    active_number        VARCHAR(32)  GENERATED ALWAYS AS
                             (CASE WHEN status <> 2 THEN id_number END) STORED
);

-- One record per user: the developer record when it passed, else the
-- mobile one when it is verified (state 1), else the developer record.
INSERT INTO identity_verifications (user_id, actual_name, certificate_type_id, id_number,
                                    authenticate_picture, status, message, source,
                                    created_at, updated_at)
SELECT r.user_id, r.actual_name, r.certificate_type_id, upper(r.id_number),
       r.authenticate_picture, r.status, r.message, 'developer', r.created_at, r.updated_at
FROM real_name_auths r
WHERE r.status = 1
   OR NOT EXISTS (SELECT 1 FROM id_verifications v WHERE v.user_id = r.user_id AND v.state = 1);
INSERT INTO identity_verifications (user_id, actual_name, certificate_type_id, id_number,
                                    authenticate_picture, status, message, source,
                                    created_at, updated_at)
SELECT v.user_id, v.name,
       (SELECT id FROM certificate_types WHERE number_rule = 'cn_id_card' ORDER BY sort, id LIMIT 1),
       upper(v.card_no), '',
       CASE WHEN v.state = 1 THEN 1 ELSE 2 END,
       CASE WHEN v.state = 0 THEN '已撤销' ELSE '' END,
       'mobile', v.created_at, v.updated_at
FROM id_verifications v
WHERE NOT EXISTS (SELECT 1 FROM real_name_auths r
                  WHERE r.user_id = v.user_id AND (r.status = 1 OR v.state <> 1));

-- A number several accounts hold (pending or passed): the passed one keeps
-- it, then the earliest, then the lowest user id; the others are rejected.
UPDATE identity_verifications SET status = 2, message = '证件号码已被其他账号认证'
WHERE user_id IN (SELECT user_id FROM (
    SELECT user_id, row_number() OVER (
               PARTITION BY id_number
               ORDER BY CASE WHEN status = 1 THEN 0 ELSE 1 END, created_at, user_id) AS rn
    FROM identity_verifications WHERE status <> 2) ranked WHERE rn > 1);

CREATE UNIQUE INDEX identity_verifications_active_number
    ON identity_verifications (active_number);

DROP TABLE real_name_auths;
DROP TABLE id_verifications;
