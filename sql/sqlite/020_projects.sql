-- Projects of the developer platform (项目). Every signed-in user sees every
-- project; level is the lowest user level that may take part in it.
-- status: registration (报名中), ing (进行中), end (已结束), iteration (迭代中)
CREATE TABLE projects (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    name               VARCHAR(100)  NOT NULL,
    status             VARCHAR(16)   NOT NULL DEFAULT 'registration'
                       CHECK (status IN ('registration', 'ing', 'end', 'iteration')),
    purchase_budget    INTEGER       NOT NULL DEFAULT 0,
    introduction       VARCHAR(2000) NOT NULL DEFAULT '',
    domain             VARCHAR(64)   NOT NULL DEFAULT '',
    research_direction VARCHAR(64)   NOT NULL DEFAULT '',
    level              INTEGER       NOT NULL DEFAULT 1,
    delivery_at        VARCHAR(19)   NOT NULL,
    created_at         VARCHAR(19)   NOT NULL,
    updated_at         VARCHAR(19)   NOT NULL
);
-- the listing order: newest first, id breaks ties
CREATE INDEX projects_listing ON projects (created_at, id);
