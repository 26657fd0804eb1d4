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

-- The count of live projects (057) by statement, not by row. Each row's
-- trigger updated the one counter row, and in a single transaction every
-- update of a row adds a version that the next has to walk past: a COPY
-- of a million projects did not finish in ten minutes. Three statement
-- triggers read the statement's transition tables and update the counter
-- once.
DROP TRIGGER projects_count_live ON projects;
DROP FUNCTION projects_count_live();

CREATE FUNCTION projects_count_live() RETURNS trigger AS $$
DECLARE
    delta BIGINT := 0;
    n     BIGINT;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT count(*) INTO n FROM new_rows WHERE deleted_at IS NULL;
        delta := delta + n;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        SELECT count(*) INTO n FROM old_rows WHERE deleted_at IS NULL;
        delta := delta - n;
    END IF;
    IF delta <> 0 THEN
        UPDATE catalogue_counts SET value = value + delta WHERE name = 'live_projects';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER projects_count_live_insert AFTER INSERT ON projects
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION projects_count_live();
CREATE TRIGGER projects_count_live_update AFTER UPDATE ON projects
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION projects_count_live();
CREATE TRIGGER projects_count_live_delete AFTER DELETE ON projects
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION projects_count_live();
