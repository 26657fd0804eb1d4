-- The project catalogue of the back office (issue 12): administrators
-- create, edit and delete projects. A delete is soft: deleted_at is set
-- (YYYY-MM-DD HH:MM:SS; NULL while the project lives) and the row stays,
-- so participations keep pointing at it and user/participate-project still
-- shows it, while project/paginate and project/base no longer do. MariaDB
-- has no partial index: the developer listing (deleted_at IS NULL, newest
-- first) reads the NULL prefix of (deleted_at, created_at, id) backwards.
-- Applied by tools/devplat-migrate (mariadb ... < file); it only adds, and
-- MariaDB commits at every DDL statement, so every statement may run
-- again: when a run fails, fix the cause and run it again.
SET NAMES utf8mb4;

ALTER TABLE projects ADD COLUMN IF NOT EXISTS deleted_at VARCHAR(19) NULL;
CREATE INDEX IF NOT EXISTS projects_live_listing ON projects (deleted_at, created_at, id);
