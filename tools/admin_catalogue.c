/* devplat-admin: the project catalogue's search index
 * (057_catalogue_search.sql, 060_search_listing_order.sql,
 * modules/core/search_terms.h).
 *
 *   project reindex
 *
 * writes the terms of every live project again, and counts them
 * again, in one transaction: for projects written by plain SQL (which no
 * trigger indexes) or after a restore. Readers keep the old index until
 * it commits. catalogue_index() is the write of one project's terms that
 * project import runs in its transaction. */
#include "devplat_admin.h"
#include "catalogue_sql.h"
#include "search_terms.h"

#define BATCH 2000              /* projects read at a time */
#define REINDEX_CACHE_KIB "262144" /* SQLite's page cache for reindex: 256 MiB */

static int is_sqlite(admin_ctx *c)
{
    return !strcmp(apr_dbd_name(c->driver), "sqlite3");
}

int catalogue_schema_ready(admin_ctx *c)
{
    apr_array_header_t *rows = NULL;

    if (select_rows(c, DEVPLAT_SQL_SEARCH_SCHEMA, &rows, 0, NULL)) {
        return 0;
    }
    if (rows->nelts != 1) {
        fail("%s", "the database lacks migration 060_search_listing_order: run "
             "devplat-migrate first (the search index would be written in a form it cannot read)");
        return 0;
    }
    return 1;
}

int catalogue_index(admin_ctx *c, const char *id, const char *const *texts)
{
    const char *terms = devplat_terms_index(c->pool, texts, DEVPLAT_SCOL_NTEXTS);
    const char *key[] = {id};
    apr_array_header_t *rows = NULL;
    const char **place;

    if (select_rows(c, is_sqlite(c) ? DEVPLAT_SQL_SEARCH_PLACE_SQLITE : DEVPLAT_SQL_SEARCH_PLACE,
                    &rows, 1, key)) {
        return EXIT_REFUSED;
    }
    if (rows->nelts != 1) {
        return 0;               /* an id SQLite's key cannot hold */
    }
    place = APR_ARRAY_IDX(rows, 0, const char **);
    /* a new project: no terms of it to forget */
    if (is_sqlite(c)) {
        const char *ins[] = {place[0], terms};

        return exec_sql(c, DEVPLAT_SQL_SEARCH_INSERT_SQLITE, NULL, 2, ins);
    }
    else {
        const char *ins[] = {id, place[0], terms};

        return exec_sql(c, DEVPLAT_SQL_SEARCH_INSERT, NULL, 3, ins);
    }
}

/* Every live project in the listing's order, oldest first, BATCH at a
 * time, with statements prepared once and each batch's memory freed after
 * it: a million projects take no more memory than BATCH of them. *done
 * counts them. */
static int index_all(admin_ctx *c, long long *done)
{
    apr_dbd_prepared_t *source = NULL, *insert = NULL;
    apr_pool_t *batch;
    char last_id[32] = "0", last_created[64] = "";
    int rv, got;

    if ((rv = apr_dbd_prepare(c->driver, c->pool, c->handle,
                              is_sqlite(c) ? DEVPLAT_SQL_SEARCH_SOURCE_SQLITE
                                           : DEVPLAT_SQL_SEARCH_SOURCE, NULL, &source))
        || (rv = apr_dbd_prepare(c->driver, c->pool, c->handle,
                                 is_sqlite(c) ? DEVPLAT_SQL_SEARCH_INSERT_SQLITE
                                              : DEVPLAT_SQL_SEARCH_INSERT, NULL, &insert))) {
        return db_error(c, rv, "prepare");
    }
    apr_pool_create(&batch, c->pool);
    do {
        apr_dbd_results_t *res = NULL;
        apr_dbd_row_t *row = NULL;
        const char *args[4];
        int n;

        apr_pool_clear(batch);
        args[0] = args[1] = apr_pstrdup(batch, last_created);
        args[2] = apr_pstrdup(batch, last_id);
        args[3] = apr_itoa(batch, BATCH);
        if ((rv = apr_dbd_pselect(c->driver, batch, c->handle, &res, source, 1, 4, args))) {
            return db_error(c, rv, "reading the projects");
        }
        /* the whole batch first: some drivers cannot run a statement
         * while a result of the same connection is open */
        {
            apr_array_header_t *rows = apr_array_make(batch, BATCH, sizeof(const char **));
            int i, col;

            for (n = 1; (rv = apr_dbd_get_row(c->driver, batch, res, &row, n)) != -1; n++) {
                const char **cells = apr_pcalloc(batch, sizeof(char *) * DEVPLAT_SCOL_N);

                if (rv) {
                    return db_error(c, rv, "reading a project");
                }
                for (col = 0; col < DEVPLAT_SCOL_N; col++) {
                    const char *v = NULL;

                    if (apr_dbd_datum_get(c->driver, row, col, APR_DBD_TYPE_STRING, &v)
                        == APR_SUCCESS && v) {
                        cells[col] = apr_pstrdup(batch, v);
                    }
                }
                *(const char ***)apr_array_push(rows) = cells;
            }
            got = rows->nelts;
            for (i = 0; i < got; i++) {
                const char **cells = APR_ARRAY_IDX(rows, i, const char **);
                const char *terms = devplat_terms_index(batch, cells + DEVPLAT_SCOL_TEXTS,
                                                        DEVPLAT_SCOL_NTEXTS);
                /* SQLite: the place (key), the terms; the others: the id,
                 * the place (created_at), the terms */
                const char *ins[3] = {cells[DEVPLAT_SCOL_ID], cells[DEVPLAT_SCOL_PLACE], terms};
                int sqlite = is_sqlite(c), affected = 0;

                if ((rv = apr_dbd_pquery(c->driver, batch, c->handle, &affected, insert,
                                         sqlite ? 2 : 3, sqlite ? ins + 1 : ins))) {
                    return db_error(c, rv, "writing a project's terms");
                }
                apr_cpystrn(last_id, cells[DEVPLAT_SCOL_ID], sizeof(last_id));
                apr_cpystrn(last_created, cells[DEVPLAT_SCOL_CREATED] ? cells[DEVPLAT_SCOL_CREATED]
                                                                      : "", sizeof(last_created));
                (*done)++;
            }
        }
    } while (got == BATCH);
    apr_pool_destroy(batch);
    return 0;
}

int catalogue_reindex(admin_ctx *c)
{
    apr_dbd_transaction_t *t;
    long long done = 0;
    int failed;

    /* SQLite: the index's segments are merged as it grows; with the
     * default 2 MiB page cache a million projects read the same pages
     * again and again (most of the time went to pread) */
    if (is_sqlite(c)) {
        int n;

        apr_dbd_query(c->driver, c->handle, &n, "PRAGMA cache_size = -" REINDEX_CACHE_KIB);
    }
    if (!catalogue_schema_ready(c) || !(t = begin(c))) {
        return EXIT_REFUSED;
    }
    failed = exec_sql(c, is_sqlite(c) ? DEVPLAT_SQL_SEARCH_CLEAR_SQLITE
                                      : DEVPLAT_SQL_SEARCH_CLEAR, NULL, 0, NULL)
             || index_all(c, &done)
             || exec_sql(c, DEVPLAT_SQL_COUNT_RESET, NULL, 0, NULL);
    if (end(c, t, failed)) {
        return fail("%s", "project reindex failed; the index is as it was");
    }
    printf("reindexed %lld project%s\n", done, done == 1 ? "" : "s");
    return 0;
}
