-- User levels (等级) and what it takes to reach each one. A level row holds
-- the conditions to reach that level from the one below, and what the level
-- grants: GPU minutes and free image ("mirror") space in GB.
CREATE TABLE levels (
    level              INTEGER      PRIMARY KEY,
    name               VARCHAR(32)  NOT NULL,
    experience         INTEGER      NOT NULL DEFAULT 0,
    business_algorithm INTEGER      NOT NULL DEFAULT 0,
    algorithm_type     INTEGER      NOT NULL DEFAULT 0,
    project            INTEGER      NOT NULL DEFAULT 0,
    gpu_minutes        INTEGER      NOT NULL DEFAULT 0,
    mirror_space_gb    INTEGER      NOT NULL DEFAULT 0
);

-- A user's growth counters, kept by the platform's other services (a user
-- without a row has zeros). Projects taken part in are counted from
-- project_participations instead.
CREATE TABLE user_growth (
    user_id            BIGINT       PRIMARY KEY REFERENCES users (id),
    experience         INTEGER      NOT NULL DEFAULT 0,
    business_algorithm INTEGER      NOT NULL DEFAULT 0,
    algorithm_type     INTEGER      NOT NULL DEFAULT 0,
    updated_at         VARCHAR(19)  NOT NULL
);

-- Credits are general (通用积分, 0) or dedicated (专用积分, 1: usable only for
-- what they were granted for); integral is the signed sum of both kinds.
ALTER TABLE credit_records ADD COLUMN dedicated INTEGER NOT NULL DEFAULT 0;
