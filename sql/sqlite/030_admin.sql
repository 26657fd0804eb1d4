-- The admin console face (001): what its users carry beyond the shared
-- store, and its image captchas.

-- 姓名 and 职务 of the admin face (its nickname is users.username, its
-- phone users.mobile).
ALTER TABLE users ADD COLUMN name VARCHAR(64);
ALTER TABLE users ADD COLUMN position VARCHAR(64);

-- Image captchas: only an HMAC of the text, bound to the captcha's id; a
-- row is deleted by its first use, right or wrong, and is worth nothing
-- after expires_at (Unix seconds).
CREATE TABLE captchas (
    id          VARCHAR(32)  PRIMARY KEY,
    digest      VARCHAR(64)  NOT NULL,
    created_at  BIGINT       NOT NULL,
    expires_at  BIGINT       NOT NULL,
    client_ip   VARCHAR(45)  NOT NULL DEFAULT ''
);
CREATE INDEX captchas_expires ON captchas (expires_at);
