-- Uploaded files (issue 3). The file itself lives in DevplatStorageDir under
-- stored_path ("<kind>/<32 hex>.<ext>"); it is served at DevplatStorageURL.
SET NAMES utf8mb4;

CREATE TABLE files (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id       BIGINT,                               -- owner; NULL for none
    kind          VARCHAR(32)  NOT NULL,
    original_name VARCHAR(255) NOT NULL DEFAULT '',
    stored_path   VARCHAR(255) NOT NULL,
    mime_type     VARCHAR(32)  NOT NULL,
    size          BIGINT       NOT NULL,
    client_ip     VARCHAR(45)  NOT NULL DEFAULT '',
    created_at    VARCHAR(19)  NOT NULL,
    updated_at    VARCHAR(19)  NOT NULL,
    UNIQUE KEY files_stored_path (stored_path),
    KEY files_user (user_id, kind),
    CONSTRAINT files_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
