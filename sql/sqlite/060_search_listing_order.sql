-- The search index in the listing's order, of live projects only (issue 14).
--
-- 057's index had the project's id as its rowid and kept deleted
-- projects' terms, so a search read the row of every match to drop the
-- deleted ones and to sort the matches into the listing's order (newest
-- first). Now the rowid is the project's place in the listing,
-- (created_at, id) as one integer: created_at's Unix time (clamped to 0 ..
-- 2^32 - 1) times 2^31, plus the id (modules/core/catalogue_sql.h,
-- DEVPLAT_SQL_LISTING_KEY; a project with an id of 2^31 or more is not
-- indexed, rather than given a key another's may equal), and a delete
-- takes the project's terms out. A search then counts its matches and
-- reads its page from the index alone, and reads the rows of that page
-- only.
--
-- This file moves every live project's terms to the new key: they are read
-- back from the old index through an fts5vocab table (a contentless index
-- keeps no text, but its terms can be listed), so nothing is computed
-- again. It reads every (term, project) pair of the index once; a million
-- projects take a few minutes.
--
-- Applied by tools/devplat-migrate (sqlite3 -bail), as one transaction.
BEGIN;

CREATE VIRTUAL TABLE project_search_ordered USING fts5(terms, tokenize = 'unicode61',
                                                       content = '', detail = none,
                                                       columnsize = 0);
CREATE VIRTUAL TABLE temp.project_search_pairs USING fts5vocab(main, project_search, instance);

INSERT INTO project_search_ordered (rowid, terms)
SELECT ((min(max(coalesce(unixepoch(p.created_at), 0), 0), 4294967295) << 31) + p.id), t.terms
FROM (SELECT doc, group_concat(term, ' ') AS terms FROM temp.project_search_pairs GROUP BY doc) t
JOIN projects p ON p.id = t.doc
WHERE p.deleted_at IS NULL AND p.id < 2147483648
-- in key order: FTS5 writes its in-memory terms out whenever a rowid is
-- not above the last one
ORDER BY 1;

DROP TABLE temp.project_search_pairs;
DROP TABLE project_search;
ALTER TABLE project_search_ordered RENAME TO project_search;

COMMIT;
