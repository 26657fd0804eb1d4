-- Container images ("mirrors", 镜像) a user keeps on the platform. size_bytes
-- is shown in GB; the space left is the level's mirror_space_gb minus the
-- sum of the user's images.
CREATE TABLE mirrors (
    id          BIGSERIAL    PRIMARY KEY,
    user_id     BIGINT       NOT NULL REFERENCES users (id),
    name        VARCHAR(100) NOT NULL,
    tag         VARCHAR(64)  NOT NULL DEFAULT 'latest',
    size_bytes  BIGINT       NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),
    remark      VARCHAR(255) NOT NULL DEFAULT '',
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL
);
CREATE INDEX mirrors_user ON mirrors (user_id);
