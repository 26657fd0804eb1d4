-- mod_devplat schema for PostgreSQL (several httpd nodes on one database).
-- Applied in lexical order with: psql -v ON_ERROR_STOP=1 -f 001_schema.sql ...
-- Same tables and columns as sql/sqlite/; times shown by the API are text
-- 'YYYY-MM-DD HH:MM:SS' computed in C, times only compared are Unix seconds.

-- status: 0 normal, 1 frozen, 2 not yet reviewed, 3 rejected, 4 under review, 5 deleted
CREATE TABLE users (
    id          BIGSERIAL    PRIMARY KEY,
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

CREATE TABLE sessions (
    jti         VARCHAR(32)  PRIMARY KEY,
    user_id     BIGINT       NOT NULL REFERENCES users (id),
    issued_at   BIGINT       NOT NULL,
    expires_at  BIGINT       NOT NULL,
    login_at    BIGINT       NOT NULL,
    revoked_at  BIGINT,
    replaced_by VARCHAR(32),
    client_ip   VARCHAR(45)  NOT NULL DEFAULT '',
    user_agent  VARCHAR(255) NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE credit_records (
    id                 BIGSERIAL    PRIMARY KEY,
    user_id            BIGINT       NOT NULL REFERENCES users (id),
    amount             INTEGER      NOT NULL,
    is_positive_growth INTEGER      NOT NULL DEFAULT 1,
    message            VARCHAR(255) NOT NULL,
    created_at         VARCHAR(19)  NOT NULL,
    updated_at         VARCHAR(19)  NOT NULL
);
CREATE INDEX credit_records_user ON credit_records (user_id);

CREATE TABLE verification_codes (
    id          BIGSERIAL    PRIMARY KEY,
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

CREATE TABLE login_throttle (
    account      VARCHAR(64) NOT NULL,
    client_ip    VARCHAR(45) NOT NULL,
    failures     INTEGER     NOT NULL DEFAULT 0,
    window_start BIGINT      NOT NULL DEFAULT 0,
    locked_until BIGINT      NOT NULL DEFAULT 0,
    locks        INTEGER     NOT NULL DEFAULT 0,
    PRIMARY KEY (account, client_ip)
);

CREATE TABLE audit_log (
    id          BIGSERIAL    PRIMARY KEY,
    user_id     BIGINT,
    action      VARCHAR(32)  NOT NULL,
    detail      VARCHAR(255) NOT NULL DEFAULT '',
    client_ip   VARCHAR(45)  NOT NULL DEFAULT '',
    user_agent  VARCHAR(255) NOT NULL DEFAULT '',
    created_at  VARCHAR(19)  NOT NULL
);
CREATE INDEX audit_log_user ON audit_log (user_id);
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
