/* devplat-admin: the connection's helpers every command uses. */
#include <stdarg.h>

#include <apr_time.h>

#include "devplat_admin.h"
#include "account_sql.h"
#include "event.h"
#include "timefmt.h"

int fail(const char *fmt, ...)
{
    va_list ap;

    fputs("devplat-admin: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EXIT_REFUSED;
}

int usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("devplat-admin: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'devplat-admin --help'.\n", stderr);
    return EXIT_USAGE;
}

int db_error(admin_ctx *c, int rv, const char *what)
{
    const char *msg = apr_dbd_error(c->driver, c->handle, rv);

    fprintf(stderr, "devplat-admin: %s failed: %s\n", what, msg ? msg : "unknown error");
    /* the commonest cause by far */
    if (msg && (strstr(msg, "no such table") || strstr(msg, "does not exist")
                || strstr(msg, "doesn't exist"))) {
        fprintf(stderr, "devplat-admin: is the schema applied? (sql/<engine>/0*.sql "
                        "in order, see the README)\n");
    }
    return EXIT_REFUSED;
}

/* Runs sql (apr_dbd placeholders) with string args; reads every row. */
int select_rows(admin_ctx *c, const char *sql, apr_array_header_t **out,
                       int nargs, const char **args)
{
    apr_dbd_prepared_t *st = NULL;
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    int rv, ncols, i, n;

    if ((rv = apr_dbd_prepare(c->driver, c->pool, c->handle, sql, NULL, &st))) {
        return db_error(c, rv, "prepare");
    }
    if ((rv = apr_dbd_pselect(c->driver, c->pool, c->handle, &res, st, 1, nargs, args))) {
        return db_error(c, rv, "query");
    }
    ncols = apr_dbd_num_cols(c->driver, res);
    *out = apr_array_make(c->pool, 8, sizeof(const char **));
    /* random access counts rows from 1 on every driver; one step past the
     * last row ends the result */
    for (n = 1; (rv = apr_dbd_get_row(c->driver, c->pool, res, &row, n)) != -1; n++) {
        const char **cells = apr_pcalloc(c->pool, sizeof(char *) * (ncols + 1));

        if (rv != 0) {
            return db_error(c, rv, "reading a row");
        }
        for (i = 0; i < ncols; i++) {
            const char *v = NULL;
            /* datum_get tells SQL NULL apart; get_entry answers "" on pgsql */
            if (apr_dbd_datum_get(c->driver, row, i, APR_DBD_TYPE_STRING, &v)
                == APR_SUCCESS && v) {
                cells[i] = apr_pstrdup(c->pool, v);
            }
        }
        APR_ARRAY_PUSH(*out, const char **) = cells;
    }
    return 0;
}

int exec_sql(admin_ctx *c, const char *sql, int *affected, int nargs,
                    const char **args)
{
    apr_dbd_prepared_t *st = NULL;
    int rv, n = 0;

    if ((rv = apr_dbd_prepare(c->driver, c->pool, c->handle, sql, NULL, &st))) {
        return db_error(c, rv, "prepare");
    }
    if ((rv = apr_dbd_pquery(c->driver, c->pool, c->handle, &n, st, nargs, args))) {
        return db_error(c, rv, "statement");
    }
    if (affected) {
        *affected = n;
    }
    return 0;
}

apr_dbd_transaction_t *begin(admin_ctx *c)
{
    apr_dbd_transaction_t *t = NULL;
    int rv = apr_dbd_transaction_start(c->driver, c->pool, c->handle, &t);

    if (rv) {
        db_error(c, rv, "BEGIN");
        return NULL;
    }
    return t;
}

int end(admin_ctx *c, apr_dbd_transaction_t *t, int failed)
{
    int rv;

    if (failed) {
        apr_dbd_transaction_mode_set(c->driver, t, APR_DBD_TRANSACTION_ROLLBACK);
    }
    rv = apr_dbd_transaction_end(c->driver, c->pool, t);
    if (rv && !failed) {
        return db_error(c, rv, "COMMIT");
    }
    return failed ? EXIT_REFUSED : 0;
}

const char *now_text(admin_ctx *c)
{
    return devplat_time_pformat(c->pool, devplat_now());
}

int audit(admin_ctx *c, const char *user_id, const char *action, const char *detail)
{
    /* no address, no user agent, and no actor: NULL is the operator's tool
     * (the module always names one) */
    const char *args[] = {user_id, action, detail ? detail : "devplat-admin", "", "", NULL,
                          now_text(c)};

    return exec_sql(c, DEVPLAT_SQL_AUDIT_INSERT, NULL, 7, args);
}

int event(admin_ctx *c, const char *type, const char *user_id, json_object *data)
{
    /* whether events are written: asked once per run */
    static int enabled = -1;
    apr_array_header_t *rows;
    const char *id, *now;

    if (!data) {
        data = json_object_new_object();
    }
    if (enabled < 0) {
        if (select_rows(c, DEVPLAT_SQL_EVENT_ENABLED, &rows, 0, NULL)) {
            json_object_put(data);
            return EXIT_REFUSED;
        }
        enabled = rows->nelts == 1 && APR_ARRAY_IDX(rows, 0, const char **)[0] != NULL;
    }
    if (!enabled) {
        json_object_put(data);
        return 0;
    }
    if (!(id = devplat_event_id(c->pool))) {
        json_object_put(data);
        return fail("%s", "no random event id (OpenSSL's generator failed)");
    }
    json_object_object_add(data, "source", json_object_new_string(DEVPLAT_EVENT_SOURCE_TOOL));
    json_object_object_add(data, "actor_id", json_object_new_int64(0));
    now = apr_psprintf(c->pool, "%" APR_INT64_T_FMT, devplat_now());
    {
        const char *args[] = {id, type, user_id,
                              devplat_event_payload(c->pool, id, type, devplat_now(),
                                                    apr_atoi64(user_id), data),
                              now, now};

        return exec_sql(c, DEVPLAT_SQL_EVENT_INSERT, NULL, 6, args);
    }
}

/* A whole decimal number in [min, max]. */
int parse_int(const char *s, int min, int max, int *out)
{
    char *end;
    long v;

    if (!s || !*s || !apr_isdigit(*s)) {
        return 0;
    }
    v = strtol(s, &end, 10);
    if (*end || v < min || v > max) {
        return 0;
    }
    *out = (int)v;
    return 1;
}
