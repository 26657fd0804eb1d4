-- Container images ("mirrors", 镜像) a user keeps on the platform. size_bytes
-- is shown in GB; the space left is the level's mirror_space_gb minus the
-- sum of the user's images.
SET NAMES utf8mb4;

CREATE TABLE mirrors (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id     BIGINT       NOT NULL,
    name        VARCHAR(100) NOT NULL,
    tag         VARCHAR(64)  NOT NULL DEFAULT 'latest',
    size_bytes  BIGINT       NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),
    remark      VARCHAR(255) NOT NULL DEFAULT '',
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL,
    KEY mirrors_user (user_id),
    CONSTRAINT mirrors_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
