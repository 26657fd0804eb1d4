/* mod_dbd glue in the manner of mod_authn_dbd: optional functions looked up
 * once, statements found by label, results drained to the end. */
#include "db.h"
#include "statements.h"
#include "apr_dbd.h"
#include "mod_dbd.h"

#include <stdarg.h>

struct devplat_db {
    ap_dbd_t *dbd;
    apr_dbd_transaction_t *txn;
    int failed;             /* a statement of the open transaction failed */
};

static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *dbd_acquire_fn;

static ap_dbd_t *acquire(request_rec *r)
{
    if (!dbd_acquire_fn) {
        dbd_acquire_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
        if (!dbd_acquire_fn) {
            return NULL;
        }
    }
    return dbd_acquire_fn(r);
}

devplat_db *devplat_db_get(devplat_req *req)
{
    if (!req->db) {
        ap_dbd_t *dbd = acquire(req->r);

        if (!dbd) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r,
                          "cannot acquire a database connection from mod_dbd");
            return NULL;
        }
        req->db = apr_pcalloc(req->r->pool, sizeof(*req->db));
        req->db->dbd = dbd;
    }
    return req->db;
}

static apr_dbd_prepared_t *statement(devplat_req *req, const char *label)
{
    apr_dbd_prepared_t *st = apr_hash_get(req->db->dbd->prepared, label,
                                          APR_HASH_KEY_STRING);

    if (!st) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r,
                      "prepared statement %s is missing (is the schema applied "
                      "and was mod_dbd able to prepare it?)", label);
    }
    return st;
}

/* A cell's text, NULL for SQL NULL: apr_dbd_get_entry() answers "" for a
 * pgsql NULL, so NULL is told apart with apr_dbd_datum_get(). */
static const char *cell(devplat_req *req, apr_dbd_row_t *row, int col)
{
    const char *v = NULL;

    if (apr_dbd_datum_get(req->db->dbd->driver, row, col, APR_DBD_TYPE_STRING,
                          &v) != APR_SUCCESS || !v) {
        return NULL;
    }
    return apr_pstrdup(req->r->pool, v);
}

/* Error texts that mean the connection went away (the database restarted or
 * failed over) or came back without its prepared statements. */
static int connection_lost(const char *msg)
{
    static const char *const signs[] = {
        "prepared statement",               /* pgsql: ... does not exist */
        "server closed the connection",     /* libpq */
        "terminating connection",           /* pgsql shutdown/restart */
        "no connection to the server",      /* libpq */
        "connection to server",             /* libpq */
        "gone away",                        /* mysql 2006 */
        "Lost connection",                  /* mysql 2013 */
        "Unknown prepared statement",       /* mysql 1243 */
        NULL
    };
    const char *const *sign;

    for (sign = signs; msg && *sign; sign++) {
        if (ap_strcasestr(msg, *sign)) {
            return 1;
        }
    }
    return 0;
}

/* After a statement failed outside a transaction because the connection
 * was lost: let the driver reconnect and prepare every statement again, so
 * the caller can retry once. 1 when the retry is worth making. */
static int recover(devplat_req *req, int rv, const char *label)
{
    ap_dbd_t *dbd = req->db->dbd;
    const char *failed;

    if (req->db->txn || !connection_lost(apr_dbd_error(dbd->driver, dbd->handle, rv))) {
        return 0;
    }
    if (apr_dbd_check_conn(dbd->driver, dbd->pool, dbd->handle) != APR_SUCCESS) {
        return 0;
    }
    failed = devplat_statements_reprepare(dbd->pool, dbd->driver, dbd->handle,
                                          dbd->prepared);
    ap_log_rerror(APLOG_MARK, failed ? APLOG_ERR : APLOG_WARNING, 0, req->r,
                  "database connection was lost during %s; reconnected and "
                  "prepared the statements again%s%s", label,
                  failed ? ": failed at " : "", failed ? failed : "");
    return failed == NULL;
}

static const char **collect_args(devplat_req *req, int nargs, va_list ap)
{
    const char **args = apr_palloc(req->r->pool, sizeof(char *) * (nargs + 1));
    int i;

    for (i = 0; i < nargs; i++) {
        args[i] = va_arg(ap, const char *);
    }
    args[nargs] = NULL;
    return args;
}

apr_status_t devplat_db_select(devplat_req *req, const char *label,
                               devplat_rows **out, int nargs, ...)
{
    request_rec *r = req->r;
    apr_dbd_prepared_t *st;
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    apr_array_header_t *rows;
    devplat_rows *rs;
    const char **args;
    va_list ap;
    int rv, i, ntuples;

    if (!devplat_db_get(req) || !(st = statement(req, label))) {
        return APR_EGENERAL;
    }
    va_start(ap, nargs);
    args = collect_args(req, nargs, ap);
    va_end(ap);

    /* random access makes every driver fetch the whole (small) result at
     * once: pgsql's sequential mode knows no columns before the first row */
    rv = apr_dbd_pselect(req->db->dbd->driver, r->pool, req->db->dbd->handle,
                         &res, st, 1, nargs, args);
    if (rv != 0 && recover(req, rv, label) && (st = statement(req, label))) {
        res = NULL;
        rv = apr_dbd_pselect(req->db->dbd->driver, r->pool, req->db->dbd->handle,
                             &res, st, 1, nargs, args);
    }
    if (rv != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "query %s failed: %s", label,
                      apr_dbd_error(req->db->dbd->driver, req->db->dbd->handle, rv));
        req->db->failed = 1;
        return APR_EGENERAL;
    }
    rs = apr_pcalloc(r->pool, sizeof(*rs));
    rs->ncols = apr_dbd_num_cols(req->db->dbd->driver, res);
    ntuples = apr_dbd_num_tuples(req->db->dbd->driver, res);
    rows = apr_array_make(r->pool, ntuples > 0 ? ntuples : 1, sizeof(const char **));
    /* random access counts rows from 1 on every driver (mysql refuses -1);
     * one step past the last row ends the result, which frees it */
    for (i = 1; ; i++) {
        const char **cells;
        int c;

        rv = apr_dbd_get_row(req->db->dbd->driver, r->pool, res, &row, i);
        if (rv == -1) {
            break;
        }
        if (rv != 0) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                          "reading row %d of %s failed", i, label);
            req->db->failed = 1;
            return APR_EGENERAL;
        }
        cells = apr_palloc(r->pool, sizeof(char *) * (rs->ncols + 1));
        for (c = 0; c < rs->ncols; c++) {
            cells[c] = cell(req, row, c);
        }
        cells[rs->ncols] = NULL;
        APR_ARRAY_PUSH(rows, const char **) = cells;
    }
    rs->nrows = rows->nelts;
    rs->rows = (const char ***)rows->elts;
    *out = rs;
    return APR_SUCCESS;
}

apr_status_t devplat_db_exec(devplat_req *req, const char *label,
                             int *affected, int nargs, ...)
{
    apr_dbd_prepared_t *st;
    const char **args;
    va_list ap;
    int rv, n = 0;

    if (!devplat_db_get(req) || !(st = statement(req, label))) {
        return APR_EGENERAL;
    }
    va_start(ap, nargs);
    args = collect_args(req, nargs, ap);
    va_end(ap);

    rv = apr_dbd_pquery(req->db->dbd->driver, req->r->pool, req->db->dbd->handle,
                        &n, st, nargs, args);
    if (rv != 0 && recover(req, rv, label) && (st = statement(req, label))) {
        rv = apr_dbd_pquery(req->db->dbd->driver, req->r->pool, req->db->dbd->handle,
                            &n, st, nargs, args);
    }
    if (rv != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, "statement %s failed: %s",
                      label, apr_dbd_error(req->db->dbd->driver,
                                           req->db->dbd->handle, rv));
        req->db->failed = 1;
        return APR_EGENERAL;
    }
    if (affected) {
        *affected = n;
    }
    return APR_SUCCESS;
}

apr_status_t devplat_db_begin(devplat_req *req)
{
    int rv;

    if (!devplat_db_get(req)) {
        return APR_EGENERAL;
    }
    req->db->txn = NULL;
    req->db->failed = 0;
    rv = apr_dbd_transaction_start(req->db->dbd->driver, req->r->pool,
                                   req->db->dbd->handle, &req->db->txn);
    if (rv != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, "BEGIN failed: %s",
                      apr_dbd_error(req->db->dbd->driver, req->db->dbd->handle, rv));
        /* some drivers leave a half-made transaction behind: end it */
        if (req->db->txn) {
            apr_dbd_transaction_mode_set(req->db->dbd->driver, req->db->txn,
                                         APR_DBD_TRANSACTION_ROLLBACK);
            apr_dbd_transaction_end(req->db->dbd->driver, req->r->pool, req->db->txn);
            req->db->txn = NULL;
        }
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

void devplat_db_rollback(devplat_req *req)
{
    if (req->db && req->db->txn) {
        req->db->failed = 1;
        apr_dbd_transaction_mode_set(req->db->dbd->driver, req->db->txn,
                                     APR_DBD_TRANSACTION_ROLLBACK);
    }
}

apr_status_t devplat_db_end(devplat_req *req)
{
    int rv;

    if (!req->db || !req->db->txn) {
        return APR_EGENERAL;
    }
    if (req->db->failed) {
        apr_dbd_transaction_mode_set(req->db->dbd->driver, req->db->txn,
                                     APR_DBD_TRANSACTION_ROLLBACK);
    }
    rv = apr_dbd_transaction_end(req->db->dbd->driver, req->r->pool, req->db->txn);
    req->db->txn = NULL;
    if (req->db->failed) {
        return APR_EGENERAL;    /* rolled back */
    }
    if (rv != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, "COMMIT failed: %s",
                      apr_dbd_error(req->db->dbd->driver, req->db->dbd->handle, rv));
        return APR_EGENERAL;
    }
    return APR_SUCCESS;
}

const char *devplat_i64(devplat_req *req, apr_int64_t v)
{
    return apr_psprintf(req->r->pool, "%" APR_INT64_T_FMT, v);
}

apr_int64_t devplat_atoi64(const char *s)
{
    return s ? apr_atoi64(s) : 0;
}
