-- mod_devplat schema for SQLite (the embedded default).
-- Applied in lexical order with: sqlite3 devplat.db < 001_schema.sql ...
-- Times shown by the API are text 'YYYY-MM-DD HH:MM:SS' computed in C; times
-- the module only compares (expiry, cooldown, locks) are Unix seconds.

-- WAL lets several httpd children read while one writes; it persists in the file.
PRAGMA journal_mode = WAL;

-- One identity store for the three faces.
-- status: 0 normal, 1 frozen, 2 not yet reviewed, 3 rejected, 4 under review, 5 deleted
CREATE TABLE users (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    username    VARCHAR(64)  NOT NULL,
    mobile      VARCHAR(20),
    email       VARCHAR(254),
    password    VARCHAR(100) NOT NULL,
    avatar      VARCHAR(255) NOT NULL DEFAULT '',
    level       INTEGER      NOT NULL DEFAULT 1,
    status      INTEGER      NOT NULL DEFAULT 0,
    is_admin    INTEGER      NOT NULL DEFAULT 0,
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (username);
CREATE UNIQUE INDEX users_mobile ON users (mobile);
CREATE UNIQUE INDEX users_email ON users (email);

-- Every issued token is a session row keyed by its jti: logout, refresh,
-- password change and freezing take effect at once on every node.
CREATE TABLE sessions (
    jti         VARCHAR(32)  PRIMARY KEY,
    user_id     INTEGER      NOT NULL REFERENCES users (id),
    issued_at   BIGINT       NOT NULL,
    expires_at  BIGINT       NOT NULL,
    login_at    BIGINT       NOT NULL,   -- the original login; refresh ceiling
    revoked_at  BIGINT,                  -- refused from this time on
    replaced_by VARCHAR(32),             -- the jti a refresh rotated to
    client_ip   VARCHAR(45)  NOT NULL DEFAULT '',
    user_agent  VARCHAR(255) NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Credit ("integral") records; a user's integral is their signed sum.
CREATE TABLE credit_records (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id            INTEGER      NOT NULL REFERENCES users (id),
    amount             INTEGER      NOT NULL,
    is_positive_growth INTEGER      NOT NULL DEFAULT 1,
    message            VARCHAR(255) NOT NULL,
    created_at         VARCHAR(19)  NOT NULL,
    updated_at         VARCHAR(19)  NOT NULL
);
CREATE INDEX credit_records_user ON credit_records (user_id);

-- Verification codes: only an HMAC of the code, bound to destination+purpose.
CREATE TABLE verification_codes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    destination VARCHAR(254) NOT NULL,
    purpose     VARCHAR(32)  NOT NULL,
    channel     VARCHAR(8)   NOT NULL,
    digest      VARCHAR(64)  NOT NULL,
    created_at  BIGINT       NOT NULL,
    expires_at  BIGINT       NOT NULL,
    tries       INTEGER      NOT NULL DEFAULT 0,
    used_at     BIGINT,
    client_ip   VARCHAR(45)  NOT NULL DEFAULT ''
);
CREATE INDEX verification_codes_dest ON verification_codes (destination, purpose, created_at);
CREATE INDEX verification_codes_ip ON verification_codes (client_ip, created_at);

-- One row per destination + purpose: claiming it with a conditional UPDATE
-- is what makes the cooldown hold across concurrent requests and nodes.
CREATE TABLE code_cooldowns (
    destination VARCHAR(254) NOT NULL,
    purpose     VARCHAR(32)  NOT NULL,
    sent_at     BIGINT       NOT NULL,
    PRIMARY KEY (destination, purpose)
);

-- Login throttling per account + client address.
CREATE TABLE login_throttle (
    account      VARCHAR(64) NOT NULL,
    client_ip    VARCHAR(45) NOT NULL,
    failures     INTEGER     NOT NULL DEFAULT 0,
    window_start BIGINT      NOT NULL DEFAULT 0,
    locked_until BIGINT      NOT NULL DEFAULT 0,
    locks        INTEGER     NOT NULL DEFAULT 0,
    PRIMARY KEY (account, client_ip)
);

-- Append-only audit trail.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER,
    action      VARCHAR(32)  NOT NULL,
    detail      VARCHAR(255) NOT NULL DEFAULT '',
    client_ip   VARCHAR(45)  NOT NULL DEFAULT '',
    user_agent  VARCHAR(255) NOT NULL DEFAULT '',
    created_at  VARCHAR(19)  NOT NULL
);
CREATE INDEX audit_log_user ON audit_log (user_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
