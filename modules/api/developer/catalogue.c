/* The project catalogue's search index (057_catalogue_search.sql,
 * 060_search_listing_order.sql): the statements that differ by engine and
 * the writes of a project's terms, which the back office runs in the
 * transaction of every project write. The index holds live projects only,
 * each with its place in the listing: a query it answers alone
 * (devplat_terms_exact()) is counted from the index and its page read
 * from the index in order, then only that page's rows; any other query's
 * candidates are checked by DEVPLAT_PROJECT_MATCHES, read in the same
 * order until the page is full. */
#include "developer.h"
#include "project.h"
#include "db.h"
#include "statements.h"
#include "catalogue_sql.h"
#include "search_terms.h"

#define LIVE DEVPLAT_SQL_PROJECT_LIVE("p")
/* index_matches: a FROM ... WHERE of the index alone; joined: the same
 * joined with projects p, whose page is in the listing's order */
#define COUNT(index_matches) \
    "SELECT COUNT(*) FROM (SELECT 1 FROM " index_matches " LIMIT %d) m"
#define CAPPED(joined) \
    "SELECT COUNT(*) FROM (SELECT 1 FROM " joined " AND " LIVE " AND " \
    DEVPLAT_PROJECT_MATCHES " LIMIT %d) m"
#define PAGE(joined, order) \
    "SELECT " DEVPLAT_PROJECT_COLUMNS " FROM " joined " AND " LIVE " AND " \
    DEVPLAT_PROJECT_MATCHES order " LIMIT %d OFFSET %d"
/* the index's page in order (c), then its rows (p) */
#define EXACT_PAGE(ids, join) \
    "SELECT " DEVPLAT_PROJECT_COLUMNS " FROM (" ids " LIMIT %d OFFSET %d) c " join \
    " WHERE " LIVE DEVPLAT_PROJECT_ORDER

/* FTS5 MATCH "t1 t2": rows holding every term; rowid order is the
 * listing's, project_search_places maps a rowid to its project */
#define SQLITE_MATCHES "project_search WHERE project_search MATCH %s"
#define SQLITE_JOINED \
    "project_search JOIN project_search_places pl ON pl.place = project_search.rowid " \
    "JOIN projects p ON p.id = pl.project_id WHERE project_search MATCH %s"
#define SQLITE_ORDER " ORDER BY project_search.rowid DESC"
#define SQLITE_IDS "SELECT rowid AS k FROM " SQLITE_MATCHES " ORDER BY rowid DESC"
#define SQLITE_ID_JOIN \
    "JOIN project_search_places pl ON pl.place = c.k JOIN projects p ON p.id = pl.project_id"
/* the GIN index of string_to_array(terms, ' '): arrays that contain the
 * query's */
#define PGSQL_HAS "string_to_array(s.terms, ' ') @> string_to_array(%s, ' ')"
/* FULLTEXT IN BOOLEAN MODE "+t1 +t2" */
#define MYSQL_HAS "MATCH (s.terms) AGAINST (%s IN BOOLEAN MODE)"
/* PostgreSQL and MariaDB: the copy of created_at orders the index's rows */
#define TABLE_MATCHES(has) "project_search s WHERE " has
#define TABLE_JOINED(has) "project_search s JOIN projects p ON p.id = s.project_id WHERE " has
#define TABLE_IDS(has) \
    "SELECT s.project_id, s.created_at FROM project_search s WHERE " has \
    " ORDER BY s.created_at DESC, s.project_id DESC"
#define TABLE_ID_JOIN "JOIN projects p ON p.id = c.project_id AND p.created_at = c.created_at"

const devplat_engine_statement devplat_sql_catalogue[] = {
    {DP_CAT_SEARCH_COUNT, CAPPED(SQLITE_JOINED), CAPPED(TABLE_JOINED(PGSQL_HAS)),
     CAPPED(TABLE_JOINED(MYSQL_HAS))},
    {DP_CAT_SEARCH_PAGE, PAGE(SQLITE_JOINED, SQLITE_ORDER),
     PAGE(TABLE_JOINED(PGSQL_HAS), DEVPLAT_PROJECT_ORDER),
     PAGE(TABLE_JOINED(MYSQL_HAS), DEVPLAT_PROJECT_ORDER)},
    {DP_CAT_EXACT_COUNT, COUNT(SQLITE_MATCHES), COUNT(TABLE_MATCHES(PGSQL_HAS)),
     COUNT(TABLE_MATCHES(MYSQL_HAS))},
    {DP_CAT_EXACT_PAGE, EXACT_PAGE(SQLITE_IDS, SQLITE_ID_JOIN),
     EXACT_PAGE(TABLE_IDS(PGSQL_HAS), TABLE_ID_JOIN),
     EXACT_PAGE(TABLE_IDS(MYSQL_HAS), TABLE_ID_JOIN)},
    {DP_CAT_INDEX_PLACE, DEVPLAT_SQL_SEARCH_PLACE_SQLITE, DEVPLAT_SQL_SEARCH_PLACE,
     DEVPLAT_SQL_SEARCH_PLACE},
    /* SQLite's places; the other engines have none */
    {DP_CAT_NEXT_PLACE, DEVPLAT_SQL_SEARCH_NEXT_PLACE_SQLITE, NULL, NULL},
    {DP_CAT_PLACE_INSERT, DEVPLAT_SQL_SEARCH_PLACE_INSERT_SQLITE, NULL, NULL},
    {DP_CAT_PLACE_DELETE, DEVPLAT_SQL_SEARCH_PLACE_DELETE_SQLITE, NULL, NULL},
    {DP_CAT_INDEX_DELETE, DEVPLAT_SQL_SEARCH_DELETE_SQLITE, DEVPLAT_SQL_SEARCH_DELETE,
     DEVPLAT_SQL_SEARCH_DELETE},
    {DP_CAT_INDEX_INSERT, DEVPLAT_SQL_SEARCH_INSERT_SQLITE, DEVPLAT_SQL_SEARCH_INSERT,
     DEVPLAT_SQL_SEARCH_INSERT},
    {NULL, NULL, NULL, NULL}
};

int devplat_project_terms_syntax(devplat_req *req)
{
    const char *driver = devplat_db_driver(req);

    return driver && !strcmp(driver, "mysql") ? DEVPLAT_TERMS_BOOLEAN : DEVPLAT_TERMS_ALL;
}

/* SQLite: the place of project id, a new one (*created set) when it has
 * none and new is set (NULL with APR_SUCCESS: none) */
static apr_status_t sqlite_place(devplat_req *req, const char *id, int new, const char **place,
                                 int *created)
{
    devplat_rows *rows;
    apr_status_t rv;

    *place = NULL;
    *created = 0;
    if ((rv = devplat_db_select(req, DP_CAT_INDEX_PLACE, &rows, 1, id)) != APR_SUCCESS) {
        return rv;
    }
    if (rows->nrows == 1) {
        *place = rows->rows[0][0];
        return APR_SUCCESS;
    }
    if (!new) {
        return APR_SUCCESS;
    }
    if ((rv = devplat_db_select(req, DP_CAT_NEXT_PLACE, &rows, 0)) != APR_SUCCESS
        || rows->nrows != 1
        || (rv = devplat_db_exec(req, DP_CAT_PLACE_INSERT, NULL, 2, rows->rows[0][0], id))
           != APR_SUCCESS) {
        return rv == APR_SUCCESS ? APR_EGENERAL : rv;
    }
    *place = rows->rows[0][0];
    *created = 1;
    return APR_SUCCESS;
}

apr_status_t devplat_project_index(devplat_req *req, const char *id,
                                   const char *const *old_texts, const char *const *texts)
{
    apr_pool_t *p = req->r->pool;
    const char *driver = devplat_db_driver(req), *place = NULL;
    apr_status_t rv = APR_SUCCESS;
    int created;

    if (!driver) {
        return APR_EGENERAL;
    }
    if (strcmp(driver, "sqlite3")) {
        devplat_rows *rows;

        if (old_texts) {
            rv = devplat_db_exec(req, DP_CAT_INDEX_DELETE, NULL, 1, id);
        }
        if (rv != APR_SUCCESS || !texts) {
            return rv;
        }
        if ((rv = devplat_db_select(req, DP_CAT_INDEX_PLACE, &rows, 1, id)) != APR_SUCCESS
            || rows->nrows != 1) {
            return rv == APR_SUCCESS ? APR_EGENERAL : rv;
        }
        return devplat_db_exec(req, DP_CAT_INDEX_INSERT, NULL, 3, id, rows->rows[0][0],
                               devplat_terms_index(p, texts, DEVPLAT_SCOL_NTEXTS));
    }
    /* SQLite: the row of the place is forgotten by its terms; a project
     * that had no place (written by plain SQL, not reindexed) has none */
    if ((rv = sqlite_place(req, id, texts != NULL, &place, &created)) != APR_SUCCESS || !place) {
        return rv;
    }
    if (old_texts && !created
        && (rv = devplat_db_exec(req, DP_CAT_INDEX_DELETE, NULL, 2, place,
                                 devplat_terms_index(p, old_texts, DEVPLAT_SCOL_NTEXTS)))
           != APR_SUCCESS) {
        return rv;
    }
    if (!texts) {
        return devplat_db_exec(req, DP_CAT_PLACE_DELETE, NULL, 1, place);
    }
    return devplat_db_exec(req, DP_CAT_INDEX_INSERT, NULL, 2, place,
                           devplat_terms_index(p, texts, DEVPLAT_SCOL_NTEXTS));
}
