-- The personal centre (issue 3): lookup tables, the user's profile columns,
-- and the authentication records (real name, education, job, awards).
-- Lookup rows are in 012_profile_lookups.sql. authenticate status of every
-- record: 0 待审核 (pending), 1 已通过 (passed), 2 未通过 (rejected); an update
-- by the user puts a record back to 0.

-- 证件类型; number_rule says how id_number is checked (modules/core/certificate.h)
CREATE TABLE certificate_types (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        VARCHAR(64)  NOT NULL,
    number_rule VARCHAR(32)  NOT NULL DEFAULT '',
    sort        INTEGER      NOT NULL DEFAULT 0,
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL
);
CREATE UNIQUE INDEX certificate_types_name ON certificate_types (name);

-- 领域
CREATE TABLE domains (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        VARCHAR(64)  NOT NULL,
    sort        INTEGER      NOT NULL DEFAULT 0,
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL
);
CREATE UNIQUE INDEX domains_name ON domains (name);

-- 学历
CREATE TABLE education_levels (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        VARCHAR(64)  NOT NULL,
    sort        INTEGER      NOT NULL DEFAULT 0,
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL
);
CREATE UNIQUE INDEX education_levels_name ON education_levels (name);

-- 职位
CREATE TABLE positions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        VARCHAR(64)  NOT NULL,
    sort        INTEGER      NOT NULL DEFAULT 0,
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL
);
CREATE UNIQUE INDEX positions_name ON positions (name);

-- 奖项等级
CREATE TABLE award_levels (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        VARCHAR(64)  NOT NULL,
    sort        INTEGER      NOT NULL DEFAULT 0,
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL
);
CREATE UNIQUE INDEX award_levels_name ON award_levels (name);

-- 研究方向 (base profile)
CREATE TABLE research_directions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        VARCHAR(64)  NOT NULL,
    sort        INTEGER      NOT NULL DEFAULT 0,
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL
);
CREATE UNIQUE INDEX research_directions_name ON research_directions (name);

-- Base profile: where the user is.
ALTER TABLE users ADD COLUMN province VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN city VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN county VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN is_overseas INTEGER NOT NULL DEFAULT 0;

-- The user's research directions, in the order given.
CREATE TABLE user_research_directions (
    user_id               INTEGER      NOT NULL REFERENCES users (id),
    research_direction_id INTEGER      NOT NULL REFERENCES research_directions (id),
    position              INTEGER     NOT NULL,
    PRIMARY KEY (user_id, research_direction_id)
);

-- 实名认证: one per user. authenticate_picture is the URL of a licensed-photo
-- upload of the same user (files).
CREATE TABLE real_name_auths (
    user_id              INTEGER       NOT NULL PRIMARY KEY REFERENCES users (id),
    actual_name          VARCHAR(64)  NOT NULL,
    certificate_type_id  INTEGER       NOT NULL REFERENCES certificate_types (id),
    id_number            VARCHAR(32)  NOT NULL,
    authenticate_picture VARCHAR(255) NOT NULL,
    status               INTEGER      NOT NULL DEFAULT 0,
    message              VARCHAR(255) NOT NULL DEFAULT '',
    created_at           VARCHAR(19)  NOT NULL,
    updated_at           VARCHAR(19)  NOT NULL
);
CREATE INDEX real_name_auths_number ON real_name_auths (certificate_type_id, id_number);

-- 教育信息: one per user.
CREATE TABLE educational_infos (
    user_id              INTEGER       NOT NULL PRIMARY KEY REFERENCES users (id),
    institution          VARCHAR(255) NOT NULL,
    education_id         INTEGER       NOT NULL REFERENCES education_levels (id),
    project_experience   TEXT         NOT NULL,
    status               INTEGER      NOT NULL DEFAULT 0,
    message              VARCHAR(255) NOT NULL DEFAULT '',
    created_at           VARCHAR(19)  NOT NULL,
    updated_at           VARCHAR(19)  NOT NULL
);

-- 职业信息: one per user; its domains in job_info_domains.
CREATE TABLE job_infos (
    user_id              INTEGER       NOT NULL PRIMARY KEY REFERENCES users (id),
    organization         VARCHAR(255) NOT NULL,
    position_id          INTEGER       NOT NULL REFERENCES positions (id),
    project_experience   TEXT         NOT NULL,
    status               INTEGER      NOT NULL DEFAULT 0,
    message              VARCHAR(255) NOT NULL DEFAULT '',
    created_at           VARCHAR(19)  NOT NULL,
    updated_at           VARCHAR(19)  NOT NULL
);

CREATE TABLE job_info_domains (
    user_id    INTEGER  NOT NULL REFERENCES users (id),
    domain_id  INTEGER  NOT NULL REFERENCES domains (id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (user_id, domain_id)
);

-- 奖项信息: a list per user; pictures (URLs of award-picture uploads of the
-- same user) in award_info_pictures.
CREATE TABLE award_infos (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id              INTEGER       NOT NULL REFERENCES users (id),
    competition          VARCHAR(255) NOT NULL,
    award_level_id       INTEGER       NOT NULL REFERENCES award_levels (id),
    status               INTEGER      NOT NULL DEFAULT 0,
    message              VARCHAR(255) NOT NULL DEFAULT '',
    created_at           VARCHAR(19)  NOT NULL,
    updated_at           VARCHAR(19)  NOT NULL
);
CREATE INDEX award_infos_user ON award_infos (user_id);

CREATE TABLE award_info_pictures (
    award_info_id  INTEGER       NOT NULL REFERENCES award_infos (id),
    position       INTEGER      NOT NULL,
    picture        VARCHAR(255) NOT NULL,
    PRIMARY KEY (award_info_id, position)
);
