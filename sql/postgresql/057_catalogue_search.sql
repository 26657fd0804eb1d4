-- The project catalogue at a million projects (issue 14).
--
-- catalogue_counts: the number of live projects (deleted_at IS NULL), kept
-- by a trigger in the transaction of every insert, delete and soft delete,
-- so that the unfiltered listing never counts the table.
--
-- project_search: the search index, one row per project with its terms
-- (modules/core/search_terms.h: every folded character u<hex> and every
-- pair of adjacent folded characters <hex>x<hex> of name, introduction,
-- domain and research_direction joined with a line feed), space
-- separated, and a GIN index of them as an array. mod_dbd and
-- devplat-admin write a project's terms in the transaction that writes
-- the project; devplat-admin project reindex writes them all again (for
-- rows written by plain SQL). Deleted projects keep theirs. This file
-- builds the terms of every existing project with the same rules in SQL.
--
-- Applied by tools/devplat-migrate in ONE transaction (psql -X -v
-- ON_ERROR_STOP=1 --single-transaction).

CREATE TABLE catalogue_counts (
    name  VARCHAR(32) PRIMARY KEY,
    value BIGINT      NOT NULL
);
INSERT INTO catalogue_counts (name, value)
    SELECT 'live_projects', COUNT(*) FROM projects WHERE deleted_at IS NULL;

CREATE FUNCTION projects_count_live() RETURNS trigger AS $$
DECLARE
    delta BIGINT := 0;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL THEN
        delta := delta + 1;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.deleted_at IS NULL THEN
        delta := delta - 1;
    END IF;
    IF delta <> 0 THEN
        UPDATE catalogue_counts SET value = value + delta WHERE name = 'live_projects';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER projects_count_live AFTER INSERT OR DELETE OR UPDATE OF deleted_at
    ON projects FOR EACH ROW EXECUTE FUNCTION projects_count_live();

CREATE TABLE project_search (
    project_id BIGINT NOT NULL PRIMARY KEY,
    terms      TEXT   NOT NULL
);
CREATE INDEX project_search_terms ON project_search USING gin (string_to_array(terms, ' '));

INSERT INTO project_search (project_id, terms)
SELECT id, string_agg(term, ' ' ORDER BY term)
FROM (
    SELECT DISTINCT id, term
    FROM (
        SELECT id, g, lead(g) OVER (PARTITION BY id ORDER BY i) AS h
        FROM (
            SELECT id, i, CASE
                WHEN u BETWEEN 65 AND 90 THEN u + 32
                WHEN u < 128 THEN u
                WHEN u = 304 THEN 105
                WHEN u = 8490 THEN 107
                WHEN u BETWEEN 65313 AND 65338 THEN u + 32
                WHEN u BETWEEN 11904 AND 40959 OR u BETWEEN 44032 AND 55215
                     OR u BETWEEN 63744 AND 64255 OR u BETWEEN 65280 AND 65519
                     OR u BETWEEN 131072 AND 262143 THEN u
                ELSE 128 END AS g
            FROM (
                SELECT p.id, c.i, ascii(substr(p.s, c.i, 1)) AS u
                FROM (SELECT id, name || E'\n' || introduction || E'\n' || domain || E'\n'
                                 || research_direction AS s FROM projects) p,
                     LATERAL generate_series(1, length(p.s)) AS c(i)
            ) cps
        ) folded
    ) pairs,
    LATERAL (VALUES
        ('u' || CASE WHEN g < 256 THEN lpad(to_hex(g), 3, '0') ELSE to_hex(g) END),
        (CASE WHEN h IS NOT NULL THEN
             CASE WHEN g < 16 THEN '0' ELSE '' END || to_hex(g) || 'x'
             || CASE WHEN h < 16 THEN '0' ELSE '' END || to_hex(h) END)
    ) AS t(term)
    WHERE term IS NOT NULL
) terms
GROUP BY id;
