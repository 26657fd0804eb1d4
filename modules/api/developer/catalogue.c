/* The project catalogue's search index (057_catalogue_search.sql): the
 * statements that differ by engine and the write of a project's terms,
 * which the back office runs in the transaction of every project write.
 * The index only finds candidates; DEVPLAT_PROJECT_MATCHES decides. */
#include "developer.h"
#include "project.h"
#include "db.h"
#include "statements.h"
#include "catalogue_sql.h"
#include "search_terms.h"

#define LIVE DEVPLAT_SQL_PROJECT_LIVE("p")
#define CAPPED(from_where) \
    "SELECT COUNT(*) FROM (SELECT 1 FROM " from_where " AND " LIVE " AND " \
    DEVPLAT_PROJECT_MATCHES " LIMIT %d) m"
#define PAGE(candidates) \
    "SELECT " DEVPLAT_PROJECT_COLUMNS " FROM projects p WHERE p.id IN (" candidates ") AND " \
    LIVE " AND " DEVPLAT_PROJECT_MATCHES DEVPLAT_PROJECT_ORDER " LIMIT %d OFFSET %d"
/* the index alone decides: only the live check is left */
#define EXACT_CAPPED(from_where) \
    "SELECT COUNT(*) FROM (SELECT 1 FROM " from_where " AND " LIVE " LIMIT %d) m"
#define EXACT_PAGE(candidates) \
    "SELECT " DEVPLAT_PROJECT_COLUMNS " FROM projects p WHERE p.id IN (" candidates ") AND " \
    LIVE DEVPLAT_PROJECT_ORDER " LIMIT %d OFFSET %d"

/* FTS5 MATCH "t1 t2": rows holding every term */
#define SQLITE_FROM \
    "project_search JOIN projects p ON p.id = project_search.rowid " \
    "WHERE project_search MATCH %s"
#define SQLITE_IDS "SELECT rowid FROM project_search WHERE project_search MATCH %s"
/* the GIN index of string_to_array(terms, ' '): arrays that contain the
 * query's */
#define PGSQL_HAS "string_to_array(s.terms, ' ') @> string_to_array(%s, ' ')"
#define PGSQL_FROM \
    "project_search s JOIN projects p ON p.id = s.project_id WHERE " PGSQL_HAS
#define PGSQL_IDS "SELECT s.project_id FROM project_search s WHERE " PGSQL_HAS
/* FULLTEXT IN BOOLEAN MODE "+t1 +t2" */
#define MYSQL_HAS "MATCH (s.terms) AGAINST (%s IN BOOLEAN MODE)"
#define MYSQL_FROM \
    "project_search s JOIN projects p ON p.id = s.project_id WHERE " MYSQL_HAS
#define MYSQL_IDS "SELECT s.project_id FROM project_search s WHERE " MYSQL_HAS

const devplat_engine_statement devplat_sql_catalogue[] = {
    {DP_CAT_SEARCH_COUNT, CAPPED(SQLITE_FROM), CAPPED(PGSQL_FROM), CAPPED(MYSQL_FROM)},
    {DP_CAT_SEARCH_PAGE, PAGE(SQLITE_IDS), PAGE(PGSQL_IDS), PAGE(MYSQL_IDS)},
    {DP_CAT_EXACT_COUNT, EXACT_CAPPED(SQLITE_FROM), EXACT_CAPPED(PGSQL_FROM),
     EXACT_CAPPED(MYSQL_FROM)},
    {DP_CAT_EXACT_PAGE, EXACT_PAGE(SQLITE_IDS), EXACT_PAGE(PGSQL_IDS), EXACT_PAGE(MYSQL_IDS)},
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

apr_status_t devplat_project_index(devplat_req *req, const char *id,
                                   const char *const *old_texts, const char *const *texts)
{
    apr_pool_t *p = req->r->pool;
    const char *driver = devplat_db_driver(req);
    apr_status_t rv = APR_SUCCESS;

    if (!driver) {
        return APR_EGENERAL;
    }
    if (old_texts) {
        if (!strcmp(driver, "sqlite3")) {
            rv = devplat_db_exec(req, DP_CAT_INDEX_DELETE, NULL, 2, id,
                                 devplat_terms_index(p, old_texts, DEVPLAT_SCOL_NTEXTS));
        }
        else {
            rv = devplat_db_exec(req, DP_CAT_INDEX_DELETE, NULL, 1, id);
        }
    }
    if (rv != APR_SUCCESS) {
        return rv;
    }
    return devplat_db_exec(req, DP_CAT_INDEX_INSERT, NULL, 2, id,
                           devplat_terms_index(p, texts, DEVPLAT_SCOL_NTEXTS));
}
