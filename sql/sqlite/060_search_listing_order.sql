-- The search index in the listing's order, of live projects only (issue 14).
--
-- 057's index had the project's id as its rowid and kept deleted
-- projects' terms, so a search read the row of every match to drop the
-- deleted ones and to sort the matches into the listing's order (newest
-- first). Now the rowid is the project's place in the listing, and a
-- delete takes the project's terms out: a search counts its matches and
-- reads its page from the index alone, then reads the rows of that page
-- only.
--
-- project_search_places maps a place (the FTS5 rowid) to its project. The
-- places are the live projects' ranks in the listing's order (created_at,
-- id), 1 for the oldest; devplat-admin project reindex gives them again,
-- and a project the module writes takes the place after the last
-- (modules/core/catalogue_sql.h). Dense places keep FTS5's doclists small:
-- it stores rowids as varint deltas.
--
-- This file moves every live project's terms to its place: they are read
-- back from the old index through an fts5vocab table (a contentless index
-- keeps no text, but its terms can be listed), so nothing is computed
-- again. It reads every (term, project) pair of the index once.
--
-- Applied by tools/devplat-migrate (sqlite3 -bail), as one transaction.
BEGIN;

CREATE TABLE project_search_places (
    place      INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL UNIQUE
);
INSERT INTO project_search_places (place, project_id)
SELECT row_number() OVER (ORDER BY created_at, id), id FROM projects WHERE deleted_at IS NULL;

CREATE VIRTUAL TABLE project_search_ordered USING fts5(terms, tokenize = 'unicode61',
                                                       content = '', detail = none,
                                                       columnsize = 0);
CREATE VIRTUAL TABLE temp.project_search_pairs USING fts5vocab(main, project_search, instance);

INSERT INTO project_search_ordered (rowid, terms)
SELECT pl.place, t.terms
FROM (SELECT doc, group_concat(term, ' ') AS terms FROM temp.project_search_pairs GROUP BY doc) t
JOIN project_search_places pl ON pl.project_id = t.doc
-- in place order: FTS5 writes its in-memory terms out whenever a rowid is
-- not above the last one
ORDER BY pl.place;

DROP TABLE temp.project_search_pairs;
DROP TABLE project_search;
ALTER TABLE project_search_ordered RENAME TO project_search;

COMMIT;
