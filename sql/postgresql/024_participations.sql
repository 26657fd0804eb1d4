-- Projects a user takes part in (参与项目), each with at most one instance:
-- the compute the user runs for it. minutes is the time consumed so far
-- (shown as "2h30min"); GPU minutes used are gpu * minutes.
CREATE TABLE project_participations (
    id          BIGSERIAL    PRIMARY KEY,
    user_id     BIGINT       NOT NULL REFERENCES users (id),
    project_id  BIGINT       NOT NULL REFERENCES projects (id),
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL
);
CREATE UNIQUE INDEX project_participations_user_project
    ON project_participations (user_id, project_id);

-- status: creating, coding, training, training_completed, testing,
-- finished_test, project_deadline, stop
CREATE TABLE project_instances (
    id                 BIGSERIAL    PRIMARY KEY,
    participation_id   BIGINT       NOT NULL REFERENCES project_participations (id),
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
    updated_at         VARCHAR(19)  NOT NULL
);
CREATE UNIQUE INDEX project_instances_participation ON project_instances (participation_id);
