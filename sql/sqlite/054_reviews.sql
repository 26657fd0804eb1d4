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
-- Applied by tools/devplat-migrate (sqlite3 -bail), as one transaction.
BEGIN;

CREATE TABLE reviews (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    kind           VARCHAR(24)  NOT NULL
                   CHECK (kind IN ('real-name', 'educational-info', 'job-info',
                                   'award-info', 'qualification')),
    user_id        INTEGER      NOT NULL REFERENCES users (id),
    record_id      BIGINT       NOT NULL,
    status         INTEGER      NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2, 3)),
    message        VARCHAR(255) NOT NULL DEFAULT '',
    fields         TEXT         NOT NULL,
    pictures       TEXT         NOT NULL,
    submitted_at   VARCHAR(19)  NOT NULL,
    reviewed_at    VARCHAR(19)  NOT NULL DEFAULT '',
    reviewer_id    INTEGER      REFERENCES users (id),   -- NULL: nobody (yet)
    pending_record BIGINT       GENERATED ALWAYS AS
                       (CASE WHEN status = 0 THEN record_id END) STORED
);
CREATE UNIQUE INDEX reviews_one_pending ON reviews (kind, pending_record);
CREATE INDEX reviews_queue ON reviews (status, kind, id);
CREATE INDEX reviews_user ON reviews (user_id, id);
CREATE INDEX reviews_record ON reviews (kind, record_id, id);

-- The records of the release before: one submission each, pending or
-- decided as the record is (by nobody known, at its last change).
INSERT INTO reviews (kind, user_id, record_id, status, message, fields, pictures,
                     submitted_at, reviewed_at)
SELECT 'real-name', v.user_id, v.user_id, v.status, v.message,
       json_object('actual_name', v.actual_name, 'certificate_type_id', v.certificate_type_id,
                   'id_number', v.id_number, 'authenticate_picture', v.authenticate_picture),
       CASE WHEN v.authenticate_picture = '' THEN '[]' ELSE json_array(v.authenticate_picture) END,
       v.updated_at, CASE WHEN v.status = 0 THEN '' ELSE v.updated_at END
FROM identity_verifications v ORDER BY v.user_id;

INSERT INTO reviews (kind, user_id, record_id, status, message, fields, pictures,
                     submitted_at, reviewed_at)
SELECT 'educational-info', e.user_id, e.user_id, e.status, e.message,
       json_object('institution', e.institution, 'education_id', e.education_id,
                   'project_experience', e.project_experience),
       '[]', e.updated_at, CASE WHEN e.status = 0 THEN '' ELSE e.updated_at END
FROM educational_infos e ORDER BY e.user_id;

INSERT INTO reviews (kind, user_id, record_id, status, message, fields, pictures,
                     submitted_at, reviewed_at)
SELECT 'job-info', j.user_id, j.user_id, j.status, j.message,
       json_object('organization', j.organization, 'position_id', j.position_id,
                   'domain_id', json((SELECT json_group_array(domain_id) FROM
                                      (SELECT d.domain_id FROM job_info_domains d
                                       WHERE d.user_id = j.user_id ORDER BY d.position))),
                   'project_experience', j.project_experience),
       '[]', j.updated_at, CASE WHEN j.status = 0 THEN '' ELSE j.updated_at END
FROM job_infos j ORDER BY j.user_id;

INSERT INTO reviews (kind, user_id, record_id, status, message, fields, pictures,
                     submitted_at, reviewed_at)
SELECT 'award-info', a.user_id, a.id, a.status, a.message,
       json_object('competition', a.competition, 'award_level_id', a.award_level_id),
       (SELECT json_group_array(picture) FROM
        (SELECT p.picture FROM award_info_pictures p
         WHERE p.award_info_id = a.id ORDER BY p.position)),
       a.updated_at, CASE WHEN a.status = 0 THEN '' ELSE a.updated_at END
FROM award_infos a ORDER BY a.id;

-- An account under review waits on its latest qualification picture.
INSERT INTO reviews (kind, user_id, record_id, status, fields, pictures, submitted_at)
SELECT 'qualification', q.user_id, q.user_id, 0,
       json_object('picture', q.picture), json_array(q.picture), q.created_at
FROM qualifications q JOIN users u ON u.id = q.user_id
WHERE u.status = 4
  AND q.id = (SELECT MAX(q2.id) FROM qualifications q2 WHERE q2.user_id = q.user_id)
ORDER BY q.id;

COMMIT;
