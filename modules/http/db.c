/* mod_dbd glue in the manner of mod_authn_dbd: optional functions looked up
 * once, statements found by label, results drained to the end. */
#include "db.h"
#include "db_outage.h"
#include "metrics.h"
#include "sqlite_writer.h"
#include "statements.h"
#include "apr_atomic.h"
#include "apr_dbd.h"
#include "mod_dbd.h"

#include <stdarg.h>

struct devplat_db {
    ap_dbd_t *dbd;
    server_rec *server;     /* whose pool the connection goes back to */
    apr_dbd_transaction_t *txn;
    int failed;             /* a statement of the open transaction failed */
    int sqlite;             /* writes take the SQLite writer lock */
    int locked;             /* this request holds it */
    int cleanup;            /* the unlock cleanup is registered */
};

/* Connections are taken from mod_dbd's pool with ap_dbd_open and given
 * back with ap_dbd_close, not tied to the request with ap_dbd_acquire: a
 * request can give its connection back while it does something slow
 * (bcrypt), so a login flood cannot hold every connection of a child
 * (DBDMax) while the rest of the child waits for one. */
static APR_OPTIONAL_FN_TYPE(ap_dbd_open) *dbd_open_fn;
static APR_OPTIONAL_FN_TYPE(ap_dbd_close) *dbd_close_fn;

static apr_status_t unlock_at_end(void *data);

static apr_status_t give_back(void *data)
{
    devplat_db *db = data;

    if (db->dbd) {
        dbd_close_fn(db->server, db->dbd);
        db->dbd = NULL;
    }
    return APR_SUCCESS;
}

static ap_dbd_t *acquire(request_rec *r)
{
    if (!dbd_open_fn) {
        dbd_open_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open);
        dbd_close_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_close);
        if (!dbd_open_fn || !dbd_close_fn) {
            dbd_open_fn = NULL;
            return NULL;
        }
    }
    return dbd_open_fn(r->pool, r->server);
}

devplat_db *devplat_db_get(devplat_req *req)
{
    if (!req->db) {
        ap_dbd_t *dbd;

        /* while the database is down only one request of the child tries,
         * once per back-off step; the others answer 503 at once */
        if (!devplat_outage_may_try(req->r)) {
            return NULL;
        }
        if (!(dbd = acquire(req->r))) {
            devplat_metrics_db_error(DEVPLAT_DB_ERR_CONNECTION);
            devplat_outage_failed(req->r, "mod_dbd has no connection");
            return NULL;
        }
        req->db = apr_pcalloc(req->r->pool, sizeof(*req->db));
        req->db->dbd = dbd;
        req->db->server = req->r->server;
        req->db->sqlite = strcmp(apr_dbd_name(dbd->driver), "sqlite3") == 0;
        apr_pool_cleanup_register(req->r->pool, req->db, give_back, apr_pool_cleanup_null);
    }
    return req->db;
}

const char *devplat_db_driver(devplat_req *req)
{
    return devplat_db_get(req) ? apr_dbd_name(req->db->dbd->driver) : NULL;
}

void devplat_db_release(devplat_req *req)
{
    devplat_db *db = req->db;

    if (!db || db->txn || db->locked) {
        return;         /* a transaction keeps its connection */
    }
    apr_pool_cleanup_kill(req->r->pool, db, give_back);
    if (db->cleanup) {
        apr_pool_cleanup_kill(req->r->pool, db, unlock_at_end);
    }
    give_back(db);
    req->db = NULL;
}

/* ---------------------------------------------------------------- SQLite writers */

static apr_status_t unlock_at_end(void *data)
{
    devplat_db *db = data;

    if (db->locked) {
        db->locked = 0;
        devplat_sqlite_writer_unlock();
    }
    return APR_SUCCESS;
}

/* Under a storm every waiting request would log the same line: one per
 * child and DEVPLAT_WRITER_LOG_EVERY seconds, with the count. */
#define DEVPLAT_WRITER_LOG_EVERY 10
static apr_uint32_t writer_timeouts;
static volatile apr_time_t writer_logged;

static void log_writer_timeout(devplat_req *req, apr_status_t rv)
{
    apr_uint32_t n = apr_atomic_inc32(&writer_timeouts) + 1;
    apr_time_t now = apr_time_now();

    if (now - writer_logged >= apr_time_from_sec(DEVPLAT_WRITER_LOG_EVERY)) {
        writer_logged = now;
        apr_atomic_set32(&writer_timeouts, 0);
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, req->r, "SQLite writer lock (Mutex %s) "
                      "not taken within %d s: %u writes answered 503 in this child "
                      "since the last line of this kind", DEVPLAT_SQLITE_WRITER_MUTEX,
                      (int)apr_time_sec(DEVPLAT_SQLITE_WRITER_WAIT), n);
    }
}

/* Takes the writer lock for a write on SQLite (a no-op elsewhere, or when
 * the request holds it already). The request pool's end releases it at
 * the latest. */
static apr_status_t write_lock(devplat_req *req)
{
    devplat_db *db = req->db;
    apr_status_t rv;

    if (!db->sqlite || db->locked) {
        return APR_SUCCESS;
    }
    if ((rv = devplat_sqlite_writer_lock()) != APR_SUCCESS) {
        log_writer_timeout(req, rv);
        return rv;
    }
    db->locked = 1;
    if (!db->cleanup) {
        db->cleanup = 1;
        apr_pool_cleanup_register(req->r->pool, db, unlock_at_end, apr_pool_cleanup_null);
    }
    return APR_SUCCESS;
}

static void write_unlock(devplat_req *req)
{
    unlock_at_end(req->db);
}

/* A statement outside a transaction takes the lock for itself. */
static int write_lock_statement(devplat_req *req, const char *label)
{
    if (req->db->txn || !req->db->sqlite || !devplat_statement_writes(label)) {
        return 0;
    }
    return write_lock(req) == APR_SUCCESS ? 1 : -1;
}

static int recover(devplat_req *req, int rv, const char *label);
static apr_status_t statement_failed(devplat_req *req, const char *what,
                                     const char *label, int rv);

/* The SQL of label on this connection: a statement of the module, or an
 * engine statement in its driver's variant; NULL for an unknown label. */
static const char *statement_sql(devplat_req *req, const char *label)
{
    const devplat_statement *def = devplat_statement_find(label);

    return def ? def->sql
           : devplat_engine_statement_sql(label, apr_dbd_name(req->db->dbd->driver));
}

/* Prepares a statement on the request's connection. */
static int prepare(devplat_req *req, const char *sql, const char *label,
                   apr_dbd_prepared_t **st)
{
    ap_dbd_t *dbd = req->db->dbd;

    *st = NULL;
    return apr_dbd_prepare(dbd->driver, dbd->pool, dbd->handle, sql, label, st);
}

/* The statement of label on the request's connection, prepared there on
 * its first use (statements.c): a new connection costs one round trip, not
 * one per statement of the module. The connection's prepared hash keeps it
 * while the connection lives; only the request holding the connection
 * touches the hash. A connection lost meanwhile is made again first. */
static apr_dbd_prepared_t *statement(devplat_req *req, const char *label)
{
    ap_dbd_t *dbd = req->db->dbd;
    apr_dbd_prepared_t *st = apr_hash_get(dbd->prepared, label, APR_HASH_KEY_STRING);
    const char *sql;
    int rv;

    if (st) {
        return st;
    }
    if (!(sql = statement_sql(req, label))) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, "statement %s is unknown", label);
        return NULL;
    }
    label = apr_pstrdup(dbd->pool, label);
    if ((rv = prepare(req, sql, label, &st)) != 0 && recover(req, rv, label)) {
        rv = prepare(req, sql, label, &st);
    }
    if (rv != 0 || !st) {
        /* an outage is reported as one; an open transaction rolls back */
        statement_failed(req, "preparing statement", label, rv ? rv : APR_EGENERAL);
        return NULL;
    }
    apr_hash_set(dbd->prepared, label, APR_HASH_KEY_STRING, st);
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
 * was lost: let the driver reconnect and forget the statements the
 * connection had prepared (each is prepared again on its next use), so the
 * caller can retry once. 1 when the retry is worth making. */
static int recover(devplat_req *req, int rv, const char *label)
{
    ap_dbd_t *dbd = req->db->dbd;

    if (req->db->txn || !connection_lost(apr_dbd_error(dbd->driver, dbd->handle, rv))) {
        return 0;
    }
    if (apr_dbd_check_conn(dbd->driver, dbd->pool, dbd->handle) != APR_SUCCESS) {
        return 0;
    }
    /* PostgreSQL keeps prepared statements per session, under their names.
     * The session may still hold some (the error only looked like a lost
     * connection, or the session outlived a reset the hash did not): drop
     * them all, or each would answer "already exists" from now on and the
     * pooled connection would fail every request it serves. */
    if (!strcmp(devplat_db_driver(req), "pgsql")) {
        int n;

        apr_dbd_query(dbd->driver, dbd->handle, &n, "DEALLOCATE ALL");
    }
    devplat_statements_forget(dbd->prepared);
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, req->r, "database connection was lost "
                  "during %s; reconnected, the statements are prepared again on use",
                  label);
    devplat_metrics_db_reconnect();
    return 1;
}

/* 1 when msg says the connection went away and the driver cannot make it
 * again: an outage. The driver's own check decides, not the text alone: an
 * error message can quote a client's value. */
static int connection_gone(devplat_req *req, const char *msg)
{
    return connection_lost(msg)
           && apr_dbd_check_conn(req->db->dbd->driver, req->r->pool,
                                 req->db->dbd->handle) != APR_SUCCESS;
}

/* Logs a failed statement and marks the transaction failed. An outage is
 * reported once by db_outage.c, not once per request. */
static apr_status_t statement_failed(devplat_req *req, const char *what,
                                     const char *label, int rv)
{
    const char *msg = apr_dbd_error(req->db->dbd->driver, req->db->dbd->handle, rv);

    req->db->failed = 1;
    devplat_metrics_db_error(DEVPLAT_DB_ERR_STATEMENT);
    if (connection_gone(req, msg)) {
        devplat_outage_failed(req->r, apr_psprintf(req->r->pool, "%s %s: %s", what,
                                                   label, msg));
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, req->r, "%s %s failed: %s", what,
                      label, msg);
    }
    else {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, "%s %s failed: %s", what,
                      label, msg);
    }
    return APR_EGENERAL;
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
    int rv, i, ntuples, locked;

    if (!devplat_db_get(req) || !(st = statement(req, label))) {
        return APR_EGENERAL;
    }
    va_start(ap, nargs);
    args = collect_args(req, nargs, ap);
    va_end(ap);

    /* random access makes every driver fetch the whole (small) result at
     * once: pgsql's sequential mode knows no columns before the first row */
    if ((locked = write_lock_statement(req, label)) < 0) {
        req->db->failed = 1;
        return APR_EGENERAL;
    }
    rv = apr_dbd_pselect(req->db->dbd->driver, r->pool, req->db->dbd->handle,
                         &res, st, 1, nargs, args);
    if (rv != 0 && recover(req, rv, label) && (st = statement(req, label))) {
        res = NULL;
        rv = apr_dbd_pselect(req->db->dbd->driver, r->pool, req->db->dbd->handle,
                             &res, st, 1, nargs, args);
    }
    if (rv != 0) {
        if (locked) {
            write_unlock(req);
        }
        return statement_failed(req, "query", label, rv);
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
            if (locked) {
                write_unlock(req);
            }
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
    if (locked) {
        write_unlock(req);
    }
    devplat_outage_ok(r);
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
    int rv, n = 0, locked;

    if (!devplat_db_get(req) || !(st = statement(req, label))) {
        return APR_EGENERAL;
    }
    va_start(ap, nargs);
    args = collect_args(req, nargs, ap);
    va_end(ap);

    if ((locked = write_lock_statement(req, label)) < 0) {
        req->db->failed = 1;
        return APR_EGENERAL;
    }
    rv = apr_dbd_pquery(req->db->dbd->driver, req->r->pool, req->db->dbd->handle,
                        &n, st, nargs, args);
    if (rv != 0 && recover(req, rv, label) && (st = statement(req, label))) {
        rv = apr_dbd_pquery(req->db->dbd->driver, req->r->pool, req->db->dbd->handle,
                            &n, st, nargs, args);
    }
    if (locked) {
        write_unlock(req);
    }
    if (rv != 0) {
        return statement_failed(req, "statement", label, rv);
    }
    devplat_outage_ok(req->r);
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
    /* every transaction here writes: on SQLite it queues for the writer
     * lock first, so BEGIN IMMEDIATE finds SQLite's own lock free */
    if (write_lock(req) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    rv = apr_dbd_transaction_start(req->db->dbd->driver, req->r->pool,
                                   req->db->dbd->handle, &req->db->txn);
    if (rv != 0) {
        const char *msg = apr_dbd_error(req->db->dbd->driver, req->db->dbd->handle, rv);

        write_unlock(req);
        devplat_metrics_db_error(DEVPLAT_DB_ERR_STATEMENT);
        if (connection_gone(req, msg)) {
            devplat_outage_failed(req->r, apr_pstrcat(req->r->pool, "BEGIN: ", msg, NULL));
        }
        else {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, "BEGIN failed: %s", msg);
        }
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
    write_unlock(req);
    if (req->db->failed) {
        return APR_EGENERAL;    /* rolled back */
    }
    if (rv != 0) {
        devplat_metrics_db_error(DEVPLAT_DB_ERR_STATEMENT);
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
