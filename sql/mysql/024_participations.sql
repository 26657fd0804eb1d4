-- Projects a user takes part in (参与项目), each with at most one instance:
-- the compute the user runs for it. minutes is the time consumed so far
-- (shown as "2h30min"); GPU minutes used are gpu * minutes.
SET NAMES utf8mb4;

CREATE TABLE project_participations (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id     BIGINT       NOT NULL,
    project_id  BIGINT       NOT NULL,
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL,
    UNIQUE KEY project_participations_user_project (user_id, project_id),
    KEY project_participations_project (project_id),
    CONSTRAINT project_participations_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT project_participations_project_fk FOREIGN KEY (project_id) REFERENCES projects (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- status: creating, coding, training, training_completed, testing,
-- finished_test, project_deadline, stop
CREATE TABLE project_instances (
    id                 BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    participation_id   BIGINT       NOT NULL,
    name               VARCHAR(100) NOT NULL,
    gpu                INTEGER      NOT NULL DEFAULT 0,
    cpu                INTEGER      NOT NULL DEFAULT 0,
    ram                INTEGER      NOT NULL DEFAULT 0,
    minutes            INTEGER      NOT NULL DEFAULT 0,
    consumption_points INTEGER      NOT NULL DEFAULT 0,
    status             VARCHAR(24)  NOT NULL DEFAULT 'creating'
                       CHECK (status IN ('creating', 'coding', 'training', 'training_completed',
                                         'testing', 'finished_test', 'project_deadline', 'stop')),
    created_at         VARCHAR(19)  NOT NULL,
    updated_at         VARCHAR(19)  NOT NULL,
    UNIQUE KEY project_instances_participation (participation_id),
    CONSTRAINT project_instances_participation_fk FOREIGN KEY (participation_id)
        REFERENCES project_participations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
