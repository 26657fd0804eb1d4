-- The search index in the listing's order, of live projects only (issue 14).
--
-- 057's index kept deleted projects' terms, and a search read the row of
-- every match to drop the deleted ones and to sort the matches into the
-- listing's order (created_at, id, newest first). Now each row of
-- project_search carries a copy of its project's created_at, written with
-- the terms (modules/core/catalogue_sql.h), and a delete takes the
-- project's row out: a search counts its matches and orders its page from
-- the index's table alone, and reads the rows of that page only.
--
-- Applied by tools/devplat-migrate in ONE transaction (psql -X -v
-- ON_ERROR_STOP=1 --single-transaction).

ALTER TABLE project_search ADD COLUMN created_at VARCHAR(19);

DELETE FROM project_search s
WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = s.project_id AND p.deleted_at IS NULL);

UPDATE project_search s SET created_at = p.created_at FROM projects p WHERE p.id = s.project_id;

ALTER TABLE project_search ALTER COLUMN created_at SET NOT NULL;
