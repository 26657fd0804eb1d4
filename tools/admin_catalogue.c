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
    apr_array_header_t *rows = NULL;

    /* a new project: no terms of it to forget. SQLite: it takes the place
     * after the last (a read, then one row of VALUES: see catalogue_sql.h) */
    if (is_sqlite(c)) {
        const char *args[2];

        if (select_rows(c, DEVPLAT_SQL_SEARCH_NEXT_PLACE_SQLITE, &rows, 0, NULL)
            || rows->nelts != 1) {
            return EXIT_REFUSED;
        }
        args[0] = APR_ARRAY_IDX(rows, 0, const char **)[0];
        args[1] = id;
        if (exec_sql(c, DEVPLAT_SQL_SEARCH_PLACE_INSERT_SQLITE, NULL, 2, args)) {
            return EXIT_REFUSED;
        }
        args[1] = terms;
        return exec_sql(c, DEVPLAT_SQL_SEARCH_INSERT_SQLITE, NULL, 2, args);
    }
    else {
        const char *key[] = {id}, *ins[3];

        if (select_rows(c, DEVPLAT_SQL_SEARCH_PLACE, &rows, 1, key) || rows->nelts != 1) {
            return EXIT_REFUSED;
        }
        ins[0] = id;
        ins[1] = APR_ARRAY_IDX(rows, 0, const char **)[0];
        ins[2] = terms;
        return exec_sql(c, DEVPLAT_SQL_SEARCH_INSERT, NULL, 3, ins);
    }
}

/* qsort: rows of the reindex's source by place (SQLite's rank) */
static int by_key(const void *a, const void *b)
{
    apr_int64_t x = apr_atoi64((*(const char *const *const *)a)[DEVPLAT_SCOL_PLACE]);
    apr_int64_t y = apr_atoi64((*(const char *const *const *)b)[DEVPLAT_SCOL_PLACE]);

    return x < y ? -1 : x > y;
}

/* Every live project by id, BATCH at a time, with statements prepared
 * once and each batch's memory freed after it: a million projects take no
 * more memory than BATCH of them. *done counts them. Rows are read in id
 * order, which is the table's own (a read in the listing's order would
 * jump about the table), and on SQLite each batch is written in the order
 * of its places: FTS5 writes its in-memory terms out whenever a rowid is
 * not above the last one, which is then once a batch, not once a row. */
static int index_all(admin_ctx *c, long long *done)
{
    apr_dbd_prepared_t *source = NULL, *insert = NULL;
    apr_pool_t *batch;
    char last_id[32] = "0";
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
        const char *args[2];
        int n;

        apr_pool_clear(batch);
        args[0] = apr_pstrdup(batch, last_id);
        args[1] = apr_itoa(batch, BATCH);
        if ((rv = apr_dbd_pselect(c->driver, batch, c->handle, &res, source, 1, 2, args))) {
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
            if (got) {
                const char **lastrow = APR_ARRAY_IDX(rows, got - 1, const char **);

                apr_cpystrn(last_id, lastrow[DEVPLAT_SCOL_ID], sizeof(last_id));
            }
            if (is_sqlite(c)) {
                qsort(rows->elts, got, sizeof(const char **), by_key);
            }
            for (i = 0; i < got; i++) {
                const char **cells = APR_ARRAY_IDX(rows, i, const char **);
                const char *terms = devplat_terms_index(batch, cells + DEVPLAT_SCOL_TEXTS,
                                                        DEVPLAT_SCOL_NTEXTS);
                /* SQLite: the place (its rank), the terms; the others: the
                 * id, the place (created_at), the terms */
                const char *ins[3] = {cells[DEVPLAT_SCOL_ID], cells[DEVPLAT_SCOL_PLACE], terms};
                int sqlite = is_sqlite(c), affected = 0;

                if ((rv = apr_dbd_pquery(c->driver, batch, c->handle, &affected, insert,
                                         sqlite ? 2 : 3, sqlite ? ins + 1 : ins))) {
                    return db_error(c, rv, "writing a project's terms");
                }
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
             || (is_sqlite(c)
                 && (exec_sql(c, DEVPLAT_SQL_SEARCH_PLACES_CLEAR_SQLITE, NULL, 0, NULL)
                     || exec_sql(c, DEVPLAT_SQL_SEARCH_PLACES_RANK_SQLITE, NULL, 0, NULL)))
             || index_all(c, &done)
             || exec_sql(c, DEVPLAT_SQL_COUNT_RESET, NULL, 0, NULL);
    if (end(c, t, failed)) {
        return fail("%s", "project reindex failed; the index is as it was");
    }
    printf("reindexed %lld project%s\n", done, done == 1 ? "" : "s");
    return 0;
}
