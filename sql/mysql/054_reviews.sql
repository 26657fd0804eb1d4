-- Review queues (issue 12). Every submission somebody must decide on is a
-- row of reviews: a developer-face record (real-name, educational-info,
-- job-info, award-info) each time the user submits it, and each mobile
-- qualification picture. record_id is the record's key: the user's id for
-- the one-per-user records and the qualification (the account's review
-- state), award_infos.id for an award. fields and pictures are what the
-- user submitted, as JSON text in the developer face's names: a decision is
-- about what the reviewer saw, not what the record holds later.
-- status: 0 待审核 pending, 1 已通过 passed, 2 未通过 rejected, 3 superseded
-- (the user changed the record first). At most one submission of a record
-- is pending: pending_record is record_id while pending, unique.
-- Applied by tools/devplat-migrate (mariadb ... < file); MariaDB commits at
-- every DDL statement, so every statement may run again: when a run fails,
-- fix the cause and run it again. The JSON text is built with JSON_QUOTE
-- (MariaDB would quote a nested array taken from a subquery).
SET NAMES utf8mb4;

CREATE TABLE IF NOT EXISTS reviews (
    id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind           VARCHAR(24)  NOT NULL,
    user_id        BIGINT       NOT NULL,
    record_id      BIGINT       NOT NULL,
    status         INTEGER      NOT NULL DEFAULT 0,
    message        VARCHAR(255) NOT NULL DEFAULT '',
    fields         TEXT         NOT NULL,
    pictures       TEXT         NOT NULL,
    submitted_at   VARCHAR(19)  NOT NULL,
    reviewed_at    VARCHAR(19)  NOT NULL DEFAULT '',
    reviewer_id    BIGINT,                                -- NULL: nobody (yet)
    pending_record BIGINT       AS (CASE WHEN status = 0 THEN record_id END) PERSISTENT,
    CONSTRAINT reviews_kind CHECK (kind IN ('real-name', 'educational-info', 'job-info',
                                            'award-info', 'qualification')),
    CONSTRAINT reviews_status CHECK (status IN (0, 1, 2, 3)),
    CONSTRAINT reviews_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT reviews_reviewer_fk FOREIGN KEY (reviewer_id) REFERENCES users (id),
    UNIQUE KEY reviews_one_pending (kind, pending_record),
    KEY reviews_queue (status, kind, id),
    KEY reviews_user (user_id, id),
    KEY reviews_record (kind, record_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The records of the release before: one submission each, pending or
-- decided as the record is (by nobody known, at its last change).
INSERT INTO reviews (kind, user_id, record_id, status, message, fields, pictures,
                     submitted_at, reviewed_at)
SELECT 'real-name', v.user_id, v.user_id, v.status, v.message,
       CONCAT('{"actual_name":', JSON_QUOTE(v.actual_name),
              ',"certificate_type_id":', v.certificate_type_id,
              ',"id_number":', JSON_QUOTE(v.id_number),
              ',"authenticate_picture":', JSON_QUOTE(v.authenticate_picture), '}'),
       CASE WHEN v.authenticate_picture = '' THEN '[]'
            ELSE CONCAT('[', JSON_QUOTE(v.authenticate_picture), ']') END,
       v.updated_at, CASE WHEN v.status = 0 THEN '' ELSE v.updated_at END
FROM identity_verifications v
WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.kind = 'real-name' AND r.record_id = v.user_id)
ORDER BY v.user_id;

INSERT INTO reviews (kind, user_id, record_id, status, message, fields, pictures,
                     submitted_at, reviewed_at)
SELECT 'educational-info', e.user_id, e.user_id, e.status, e.message,
       CONCAT('{"institution":', JSON_QUOTE(e.institution),
              ',"education_id":', e.education_id,
              ',"project_experience":', JSON_QUOTE(e.project_experience), '}'),
       '[]', e.updated_at, CASE WHEN e.status = 0 THEN '' ELSE e.updated_at END
FROM educational_infos e
WHERE NOT EXISTS (SELECT 1 FROM reviews r
                  WHERE r.kind = 'educational-info' AND r.record_id = e.user_id)
ORDER BY e.user_id;

INSERT INTO reviews (kind, user_id, record_id, status, message, fields, pictures,
                     submitted_at, reviewed_at)
SELECT 'job-info', j.user_id, j.user_id, j.status, j.message,
       CONCAT('{"organization":', JSON_QUOTE(j.organization),
              ',"position_id":', j.position_id,
              ',"domain_id":[', COALESCE((SELECT GROUP_CONCAT(d.domain_id ORDER BY d.position)
                                          FROM job_info_domains d
                                          WHERE d.user_id = j.user_id), ''), ']',
              ',"project_experience":', JSON_QUOTE(j.project_experience), '}'),
       '[]', j.updated_at, CASE WHEN j.status = 0 THEN '' ELSE j.updated_at END
FROM job_infos j
WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.kind = 'job-info' AND r.record_id = j.user_id)
ORDER BY j.user_id;

INSERT INTO reviews (kind, user_id, record_id, status, message, fields, pictures,
                     submitted_at, reviewed_at)
SELECT 'award-info', a.user_id, a.id, a.status, a.message,
       CONCAT('{"competition":', JSON_QUOTE(a.competition),
              ',"award_level_id":', a.award_level_id, '}'),
       CONCAT('[', COALESCE((SELECT GROUP_CONCAT(JSON_QUOTE(p.picture) ORDER BY p.position)
                             FROM award_info_pictures p WHERE p.award_info_id = a.id), ''), ']'),
       a.updated_at, CASE WHEN a.status = 0 THEN '' ELSE a.updated_at END
FROM award_infos a
WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.kind = 'award-info' AND r.record_id = a.id)
ORDER BY a.id;

-- An account under review waits on its latest qualification picture.
INSERT INTO reviews (kind, user_id, record_id, status, fields, pictures, submitted_at)
SELECT 'qualification', q.user_id, q.user_id, 0,
       CONCAT('{"picture":', JSON_QUOTE(q.picture), '}'),
       CONCAT('[', JSON_QUOTE(q.picture), ']'), q.created_at
FROM qualifications q JOIN users u ON u.id = q.user_id
WHERE u.status = 4
  AND q.id = (SELECT MAX(q2.id) FROM qualifications q2 WHERE q2.user_id = q.user_id)
  AND NOT EXISTS (SELECT 1 FROM reviews r
                  WHERE r.kind = 'qualification' AND r.record_id = q.user_id)
ORDER BY q.id;
