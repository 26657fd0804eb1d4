-- Uploaded files (issue 3). The file itself lives in DevplatStorageDir under
-- stored_path ("<kind>/<32 hex>.<ext>"); it is served at DevplatStorageURL.
CREATE TABLE files (
    id            BIGSERIAL    PRIMARY KEY,
    user_id       BIGINT       REFERENCES users (id),   -- owner; NULL for none
    kind          VARCHAR(32)  NOT NULL,
    original_name VARCHAR(255) NOT NULL DEFAULT '',
    stored_path   VARCHAR(255) NOT NULL,
    mime_type     VARCHAR(32)  NOT NULL,
    size          BIGINT       NOT NULL,
    client_ip     VARCHAR(45)  NOT NULL DEFAULT '',
    created_at    VARCHAR(19)  NOT NULL,
    updated_at    VARCHAR(19)  NOT NULL
);
CREATE UNIQUE INDEX files_stored_path ON files (stored_path);
CREATE INDEX files_user ON files (user_id, kind);
