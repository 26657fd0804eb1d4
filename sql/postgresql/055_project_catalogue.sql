-- The project catalogue of the back office (issue 12): administrators
-- create, edit and delete projects. A delete is soft: deleted_at is set
-- (YYYY-MM-DD HH:MM:SS; NULL while the project lives) and the row stays,
-- so participations keep pointing at it and user/participate-project still
-- shows it, while project/paginate and project/base no longer do. The
-- developer listing reads live projects newest first: a partial index
-- holds exactly those, in that order. Applied by tools/devplat-migrate in
-- ONE transaction (psql -X -v ON_ERROR_STOP=1 --single-transaction); it
-- only adds, so it works on an empty database as on one with projects
-- (they all stay live).

ALTER TABLE projects ADD COLUMN deleted_at VARCHAR(19);
CREATE INDEX projects_live_listing ON projects (created_at, id) WHERE deleted_at IS NULL;
