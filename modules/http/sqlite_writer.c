/* The cross-process SQLite writer lock and the startup check of the SQLite
 * connection settings (see sqlite_writer.h). */
#include "sqlite_writer.h"
#include "config.h"
#include "apr_dbd.h"
#include "apr_global_mutex.h"
#include "mod_dbd.h"
#include "util_mutex.h"

static apr_global_mutex_t *writer;

void devplat_sqlite_writer_register(apr_pool_t *pconf)
{
    ap_mutex_register(pconf, DEVPLAT_SQLITE_WRITER_MUTEX, NULL, APR_LOCK_DEFAULT, 0);
}

apr_status_t devplat_sqlite_writer_create(apr_pool_t *pconf, server_rec *s)
{
    apr_status_t rv = ap_global_mutex_create(&writer, NULL, DEVPLAT_SQLITE_WRITER_MUTEX,
                                             NULL, s, pconf, 0);

    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, "cannot create the mutex %s "
                     "(see the Mutex directive)", DEVPLAT_SQLITE_WRITER_MUTEX);
    }
    return rv;
}

/* The first cell of a one-row PRAGMA, or NULL. */
static const char *pragma(apr_pool_t *p, ap_dbd_t *dbd, const char *sql)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    const char *v = NULL;

    /* random access: the driver reads the whole result and finalises the
     * statement at once, leaving nothing behind on the pooled connection */
    if (apr_dbd_select(dbd->driver, p, dbd->handle, &res, sql, 1) != 0) {
        return NULL;
    }
    if (apr_dbd_get_row(dbd->driver, p, res, &row, 1) == 0) {
        v = apr_pstrdup(p, apr_dbd_get_entry(dbd->driver, row, 0));
        apr_dbd_get_row(dbd->driver, p, res, &row, 2);     /* past the end */
    }
    return v;
}

/* The settings that bring the write-storm stall back, named at startup. */
static void check_settings(apr_pool_t *p, server_rec *s)
{
    APR_OPTIONAL_FN_TYPE(ap_dbd_open) *open_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open);
    APR_OPTIONAL_FN_TYPE(ap_dbd_close) *close_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_close);
    const char *busy, *journal;
    ap_dbd_t *dbd;

    if (!open_fn || !close_fn || !devplat_srv(s)->statements_prepared
        || !(dbd = open_fn(p, s))) {
        return;
    }
    if (strcmp(apr_dbd_name(dbd->driver), "sqlite3") == 0) {
        busy = pragma(p, dbd, "PRAGMA busy_timeout");
        journal = pragma(p, dbd, "PRAGMA journal_mode");
        if (busy && apr_atoi64(busy) > 0) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, "SQLite busy_timeout is %s ms "
                         "(DBDInitSQL \"PRAGMA busy_timeout = ...\"): a writer waiting in "
                         "SQLite stalls every thread of its child while another process "
                         "writes; use DBDInitSQL \"PRAGMA busy_timeout = 0\" (httpd's "
                         "writers queue on the %s mutex; the driver retries on its own)",
                         busy, DEVPLAT_SQLITE_WRITER_MUTEX);
        }
        if (journal && strcasecmp(journal, "wal") != 0) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, "SQLite journal_mode is %s, "
                         "not wal: every write then blocks every read; run "
                         "sqlite3 <database> 'PRAGMA journal_mode = WAL' once", journal);
        }
    }
    close_fn(s, dbd);
}

void devplat_sqlite_writer_child_init(apr_pool_t *pchild, server_rec *s)
{
    if (writer) {
        apr_status_t rv = apr_global_mutex_child_init(&writer,
                                                      apr_global_mutex_lockfile(writer),
                                                      pchild);
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, "cannot attach to the mutex %s; "
                         "SQLite writes of this child answer 503",
                         DEVPLAT_SQLITE_WRITER_MUTEX);
            writer = NULL;
        }
    }
    check_settings(pchild, s);
}

apr_status_t devplat_sqlite_writer_lock(void)
{
    apr_status_t rv;

    if (!writer) {
        return APR_EINIT;
    }
    rv = apr_global_mutex_timedlock(writer, DEVPLAT_SQLITE_WRITER_WAIT);
    if (rv == APR_ENOTIMPL) {
        /* a Mutex mechanism without timed waits (flock, fcntl) */
        rv = apr_global_mutex_lock(writer);
    }
    return rv;
}

void devplat_sqlite_writer_unlock(void)
{
    if (writer) {
        apr_global_mutex_unlock(writer);
    }
}
