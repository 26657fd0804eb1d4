-- mod_devplat schema for MariaDB (>= 10.5, for INSERT ... RETURNING) and MySQL.
-- Applied in lexical order with: mysql devplat < 001_schema.sql ...
-- Same tables and columns as sql/sqlite/; times shown by the API are text
-- 'YYYY-MM-DD HH:MM:SS' computed in C, times only compared are Unix seconds.
SET NAMES utf8mb4;

-- status: 0 normal, 1 frozen, 2 not yet reviewed, 3 rejected, 4 under review, 5 deleted
CREATE TABLE users (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username    VARCHAR(64)  NOT NULL,
    mobile      VARCHAR(20),
    email       VARCHAR(254),
    password    VARCHAR(100) NOT NULL,
    avatar      VARCHAR(255) NOT NULL DEFAULT '',
    level       INTEGER      NOT NULL DEFAULT 1,
    status      INTEGER      NOT NULL DEFAULT 0,
    is_admin    INTEGER      NOT NULL DEFAULT 0,
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL,
    UNIQUE KEY users_username (username),
    UNIQUE KEY users_mobile (mobile),
    UNIQUE KEY users_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE sessions (
    jti         VARCHAR(32)  NOT NULL PRIMARY KEY,
    user_id     BIGINT       NOT NULL,
    issued_at   BIGINT       NOT NULL,
    expires_at  BIGINT       NOT NULL,
    login_at    BIGINT       NOT NULL,
    revoked_at  BIGINT,
    replaced_by VARCHAR(32),
    client_ip   VARCHAR(45)  NOT NULL DEFAULT '',
    user_agent  VARCHAR(255) NOT NULL DEFAULT '',
    KEY sessions_user (user_id),
    CONSTRAINT sessions_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE credit_records (
    id                 BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id            BIGINT       NOT NULL,
    amount             INTEGER      NOT NULL,
    is_positive_growth INTEGER      NOT NULL DEFAULT 1,
    message            VARCHAR(255) NOT NULL,
    created_at         VARCHAR(19)  NOT NULL,
    updated_at         VARCHAR(19)  NOT NULL,
    KEY credit_records_user (user_id),
    CONSTRAINT credit_records_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE verification_codes (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    destination VARCHAR(254) NOT NULL,
    purpose     VARCHAR(32)  NOT NULL,
    channel     VARCHAR(8)   NOT NULL,
    digest      VARCHAR(64)  NOT NULL,
    created_at  BIGINT       NOT NULL,
    expires_at  BIGINT       NOT NULL,
    tries       INTEGER      NOT NULL DEFAULT 0,
    used_at     BIGINT,
    client_ip   VARCHAR(45)  NOT NULL DEFAULT '',
    KEY verification_codes_dest (destination, purpose, created_at),
    KEY verification_codes_ip (client_ip, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per destination + purpose: claiming it with a conditional UPDATE
-- is what makes the cooldown hold across concurrent requests and nodes.
CREATE TABLE code_cooldowns (
    destination VARCHAR(254) NOT NULL,
    purpose     VARCHAR(32)  NOT NULL,
    sent_at     BIGINT       NOT NULL,
    PRIMARY KEY (destination, purpose)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE login_throttle (
    account      VARCHAR(64) NOT NULL,
    client_ip    VARCHAR(45) NOT NULL,
    failures     INTEGER     NOT NULL DEFAULT 0,
    window_start BIGINT      NOT NULL DEFAULT 0,
    locked_until BIGINT      NOT NULL DEFAULT 0,
    locks        INTEGER     NOT NULL DEFAULT 0,
    PRIMARY KEY (account, client_ip)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE audit_log (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id     BIGINT,
    action      VARCHAR(32)  NOT NULL,
    detail      VARCHAR(255) NOT NULL DEFAULT '',
    client_ip   VARCHAR(45)  NOT NULL DEFAULT '',
    user_agent  VARCHAR(255) NOT NULL DEFAULT '',
    created_at  VARCHAR(19)  NOT NULL,
    KEY audit_log_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only';
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only';
