-- The project catalogue at a million projects (issue 14).
--
-- catalogue_counts: the number of live projects (deleted_at IS NULL), kept
-- by triggers in the transaction of every insert, delete and soft delete,
-- so that the unfiltered listing never counts the table.
--
-- project_search: the search index, a contentless FTS5 table (unicode61,
-- no positions: it stores the index alone) whose rowid is the project's id
-- and whose one column indexes the project's terms (modules/core/search_terms.h: every folded character
-- u<hex> and every pair of adjacent folded characters <hex>x<hex> of name,
-- introduction, domain and research_direction joined with a line feed).
-- mod_devplat and devplat-admin write a project's terms in the transaction
-- that writes the project; devplat-admin project reindex writes them all
-- again (for rows written by plain SQL). Deleted projects keep theirs. A
-- contentless table forgets a row's terms by being told them again (the
-- 'delete' command): a change of a project's text tells it the terms of
-- the row before the change, read in the same transaction.
-- This file builds the terms of every existing project with the same
-- rules in SQL.
--
-- Applied by tools/devplat-migrate (sqlite3 -bail), as one transaction.
BEGIN;

CREATE TABLE catalogue_counts (
    name  VARCHAR(32) PRIMARY KEY,
    value BIGINT      NOT NULL
);
INSERT INTO catalogue_counts (name, value)
    SELECT 'live_projects', COUNT(*) FROM projects WHERE deleted_at IS NULL;

CREATE TRIGGER projects_count_insert AFTER INSERT ON projects
WHEN NEW.deleted_at IS NULL
BEGIN UPDATE catalogue_counts SET value = value + 1 WHERE name = 'live_projects'; END;
CREATE TRIGGER projects_count_delete AFTER DELETE ON projects
WHEN OLD.deleted_at IS NULL
BEGIN UPDATE catalogue_counts SET value = value - 1 WHERE name = 'live_projects'; END;
CREATE TRIGGER projects_count_update AFTER UPDATE OF deleted_at ON projects
WHEN (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
BEGIN
    UPDATE catalogue_counts
    SET value = value + CASE WHEN NEW.deleted_at IS NULL THEN 1 ELSE -1 END
    WHERE name = 'live_projects';
END;

CREATE VIRTUAL TABLE project_search USING fts5(terms, tokenize = 'unicode61', content = '',
                                               detail = none, columnsize = 0);

INSERT INTO project_search (rowid, terms)
WITH RECURSIVE
    texts(id, s) AS (
        SELECT id, name || char(10) || introduction || char(10) || domain || char(10)
                   || research_direction FROM projects),
    pos(id, s, i) AS (
        SELECT id, s, 1 FROM texts WHERE length(s) > 0
        UNION ALL
        SELECT id, s, i + 1 FROM pos WHERE i < length(s)),
    cps(id, i, u) AS (SELECT id, i, unicode(substr(s, i, 1)) FROM pos),
    folded(id, i, g) AS (
        SELECT id, i, CASE
            WHEN u BETWEEN 65 AND 90 THEN u + 32
            WHEN u < 128 THEN u
            WHEN u = 304 THEN 105
            WHEN u = 8490 THEN 107
            WHEN u BETWEEN 65313 AND 65338 THEN u + 32
            WHEN u BETWEEN 11904 AND 40959 OR u BETWEEN 44032 AND 55215
                 OR u BETWEEN 63744 AND 64255 OR u BETWEEN 65280 AND 65519
                 OR u BETWEEN 131072 AND 262143 THEN u
            ELSE 128 END
        FROM cps),
    pairs(id, g, h) AS (
        SELECT id, g, lead(g) OVER (PARTITION BY id ORDER BY i) FROM folded),
    terms(id, term) AS (
        SELECT id, printf('u%03x', g) FROM pairs
        UNION
        SELECT id, printf('%02xx%02x', g, h) FROM pairs WHERE h IS NOT NULL)
SELECT id, group_concat(term, ' ') FROM (SELECT id, term FROM terms ORDER BY id, term)
GROUP BY id;

COMMIT;
