-- The personal centre (issue 3): lookup tables, the user's profile columns,
-- and the authentication records (real name, education, job, awards).
-- Lookup rows are in 012_profile_lookups.sql. authenticate status of every
-- record: 0 待审核 (pending), 1 已通过 (passed), 2 未通过 (rejected); an update
-- by the user puts a record back to 0.
SET NAMES utf8mb4;

-- 证件类型; number_rule says how id_number is checked (modules/core/certificate.h)
CREATE TABLE certificate_types (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(64)  NOT NULL,
    number_rule VARCHAR(32)  NOT NULL DEFAULT '',
    sort        INTEGER      NOT NULL DEFAULT 0,
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL,
    UNIQUE KEY certificate_types_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- 领域
CREATE TABLE domains (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(64)  NOT NULL,
    sort        INTEGER      NOT NULL DEFAULT 0,
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL,
    UNIQUE KEY domains_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- 学历
CREATE TABLE education_levels (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(64)  NOT NULL,
    sort        INTEGER      NOT NULL DEFAULT 0,
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL,
    UNIQUE KEY education_levels_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- 职位
CREATE TABLE positions (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(64)  NOT NULL,
    sort        INTEGER      NOT NULL DEFAULT 0,
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL,
    UNIQUE KEY positions_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- 奖项等级
CREATE TABLE award_levels (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(64)  NOT NULL,
    sort        INTEGER      NOT NULL DEFAULT 0,
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL,
    UNIQUE KEY award_levels_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- 研究方向 (base profile)
CREATE TABLE research_directions (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(64)  NOT NULL,
    sort        INTEGER      NOT NULL DEFAULT 0,
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL,
    UNIQUE KEY research_directions_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Base profile: where the user is.
ALTER TABLE users ADD COLUMN province VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN city VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN county VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN is_overseas INTEGER NOT NULL DEFAULT 0;

-- The user's research directions, in the order given.
CREATE TABLE user_research_directions (
    user_id               BIGINT      NOT NULL,
    research_direction_id BIGINT      NOT NULL,
    position              INTEGER     NOT NULL,
    PRIMARY KEY (user_id, research_direction_id),
    CONSTRAINT user_research_directions_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT user_research_directions_rd_fk FOREIGN KEY (research_direction_id) REFERENCES research_directions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- 实名认证: one per user. authenticate_picture is the URL of a licensed-photo
-- upload of the same user (files).
CREATE TABLE real_name_auths (
    user_id              BIGINT       NOT NULL PRIMARY KEY,
    actual_name          VARCHAR(64)  NOT NULL,
    certificate_type_id  BIGINT       NOT NULL,
    id_number            VARCHAR(32)  NOT NULL,
    authenticate_picture VARCHAR(255) NOT NULL,
    status               INTEGER      NOT NULL DEFAULT 0,
    message              VARCHAR(255) NOT NULL DEFAULT '',
    created_at           VARCHAR(19)  NOT NULL,
    updated_at           VARCHAR(19)  NOT NULL,
    KEY real_name_auths_number (certificate_type_id, id_number),
    CONSTRAINT real_name_auths_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT real_name_auths_type_fk FOREIGN KEY (certificate_type_id) REFERENCES certificate_types (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- 教育信息: one per user.
CREATE TABLE educational_infos (
    user_id              BIGINT       NOT NULL PRIMARY KEY,
    institution          VARCHAR(255) NOT NULL,
    education_id         BIGINT       NOT NULL,
    project_experience   TEXT         NOT NULL,
    status               INTEGER      NOT NULL DEFAULT 0,
    message              VARCHAR(255) NOT NULL DEFAULT '',
    created_at           VARCHAR(19)  NOT NULL,
    updated_at           VARCHAR(19)  NOT NULL,
    CONSTRAINT educational_infos_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT educational_infos_level_fk FOREIGN KEY (education_id) REFERENCES education_levels (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- 职业信息: one per user; its domains in job_info_domains.
CREATE TABLE job_infos (
    user_id              BIGINT       NOT NULL PRIMARY KEY,
    organization         VARCHAR(255) NOT NULL,
    position_id          BIGINT       NOT NULL,
    project_experience   TEXT         NOT NULL,
    status               INTEGER      NOT NULL DEFAULT 0,
    message              VARCHAR(255) NOT NULL DEFAULT '',
    created_at           VARCHAR(19)  NOT NULL,
    updated_at           VARCHAR(19)  NOT NULL,
    CONSTRAINT job_infos_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT job_infos_position_fk FOREIGN KEY (position_id) REFERENCES positions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE job_info_domains (
    user_id    BIGINT  NOT NULL,
    domain_id  BIGINT  NOT NULL,
    position   INTEGER NOT NULL,
    PRIMARY KEY (user_id, domain_id),
    CONSTRAINT job_info_domains_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT job_info_domains_domain_fk FOREIGN KEY (domain_id) REFERENCES domains (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- 奖项信息: a list per user; pictures (URLs of award-picture uploads of the
-- same user) in award_info_pictures.
CREATE TABLE award_infos (
    id                   BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id              BIGINT       NOT NULL,
    competition          VARCHAR(255) NOT NULL,
    award_level_id       BIGINT       NOT NULL,
    status               INTEGER      NOT NULL DEFAULT 0,
    message              VARCHAR(255) NOT NULL DEFAULT '',
    created_at           VARCHAR(19)  NOT NULL,
    updated_at           VARCHAR(19)  NOT NULL,
    KEY award_infos_user (user_id),
    CONSTRAINT award_infos_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT award_infos_level_fk FOREIGN KEY (award_level_id) REFERENCES award_levels (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE award_info_pictures (
    award_info_id  BIGINT       NOT NULL,
    position       INTEGER      NOT NULL,
    picture        VARCHAR(255) NOT NULL,
    PRIMARY KEY (award_info_id, position),
    CONSTRAINT award_info_pictures_award_fk FOREIGN KEY (award_info_id) REFERENCES award_infos (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
