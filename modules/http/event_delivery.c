/* The deliverer of account events (see event_delivery.h). It is not a
 * request: it takes connections from mod_dbd's pool with ap_dbd_open and
 * gives them back with ap_dbd_close, runs the statements prepared under
 * the devplat_event_* labels, and on SQLite takes the writer lock around
 * each write as requests do. A connection is never held during a POST. */
#include "event_delivery.h"
#include "config.h"
#include "events.h"
#include "sqlite_writer.h"
#include "random.h"
#include "timefmt.h"

#include "apr_dbd.h"
#include "apr_thread_proc.h"
#include "apr_thread_mutex.h"
#include "apr_thread_cond.h"
#include "mod_dbd.h"

#include <curl/curl.h>

/* Log lines about an unreachable receiver or database: at most one a
 * minute per child. */
#define LOG_EVERY apr_time_from_sec(60)

typedef struct {
    server_rec *s;
    const devplat_srv_cfg *c;
    apr_thread_t *thread;
    apr_thread_mutex_t *lock;
    apr_thread_cond_t *cond;
    int woken;                  /* under lock */
    volatile int stop;
    apr_time_t logged;          /* the thread's own */
    APR_OPTIONAL_FN_TYPE(ap_dbd_open) *open;
    APR_OPTIONAL_FN_TYPE(ap_dbd_close) *close;
} deliverer;

static deliverer *dl;           /* this child's, NULL when none runs */

/* ---------------------------------------------------------------- database */

typedef struct {
    deliverer *d;
    apr_pool_t *p;
    ap_dbd_t *dbd;
    int sqlite;
} conn;

static void log_limited(deliverer *d, apr_status_t rv, const char *what)
{
    apr_time_t now = apr_time_now();

    if (now - d->logged >= LOG_EVERY) {
        d->logged = now;
        ap_log_error(APLOG_MARK, APLOG_WARNING, rv, d->s, "account events: %s", what);
    }
}

static int conn_open(conn *k, deliverer *d, apr_pool_t *p)
{
    k->d = d;
    k->p = p;
    if (!(k->dbd = d->open(p, d->s))) {
        log_limited(d, 0, "no database connection from mod_dbd; trying again");
        return 0;
    }
    k->sqlite = strcmp(apr_dbd_name(k->dbd->driver), "sqlite3") == 0;
    return 1;
}

static void conn_close(conn *k)
{
    if (k->dbd) {
        k->d->close(k->d->s, k->dbd);
        k->dbd = NULL;
    }
}

/* The statement of label on the thread's connection, prepared there on its
 * first use, as db.c does for requests (the thread holds the connection
 * alone, so it alone touches its prepared hash). */
static apr_dbd_prepared_t *prepared(conn *k, const char *label)
{
    apr_dbd_prepared_t *st = apr_hash_get(k->dbd->prepared, label, APR_HASH_KEY_STRING);
    const devplat_statement *def;
    int rv;

    if (st) {
        return st;
    }
    if (!(def = devplat_statement_find(label))) {
        log_limited(k->d, 0, apr_psprintf(k->p, "statement %s is unknown", label));
        return NULL;
    }
    rv = apr_dbd_prepare(k->dbd->driver, k->dbd->pool, k->dbd->handle, def->sql,
                         def->label, &st);
    if (rv != 0 || !st) {
        log_limited(k->d, 0, apr_psprintf(k->p, "preparing statement %s failed: %s (is "
                                          "059_event_outbox.sql applied?)", label,
                                          apr_dbd_error(k->dbd->driver, k->dbd->handle, rv)));
        return NULL;
    }
    apr_hash_set(k->dbd->prepared, def->label, APR_HASH_KEY_STRING, st);
    return st;
}

static int failed(conn *k, int rv, const char *label)
{
    log_limited(k->d, 0, apr_psprintf(k->p, "%s failed: %s", label,
                                      apr_dbd_error(k->dbd->driver, k->dbd->handle, rv)));
    return -1;
}

/* A write: the number of rows it changed, -1 on failure (logged). */
static int db_write(conn *k, const char *label, int nargs, const char **args)
{
    apr_dbd_prepared_t *st = prepared(k, label);
    apr_status_t lrv;
    int rv, n = 0;

    if (!st) {
        return -1;
    }
    if (k->sqlite && (lrv = devplat_sqlite_writer_lock()) != APR_SUCCESS) {
        log_limited(k->d, lrv, "the SQLite writer lock was not free; trying again");
        return -1;
    }
    rv = apr_dbd_pquery(k->dbd->driver, k->p, k->dbd->handle, &n, st, nargs, args);
    if (k->sqlite) {
        devplat_sqlite_writer_unlock();
    }
    return rv ? failed(k, rv, label) : n;
}

/* A read of every row into an array of const char ** (NULL: SQL NULL);
 * NULL on failure (logged). */
static apr_array_header_t *db_read(conn *k, const char *label, int nargs, const char **args)
{
    apr_dbd_prepared_t *st = prepared(k, label);
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    apr_array_header_t *out;
    int rv, ncols, i, c;

    if (!st) {
        return NULL;
    }
    if ((rv = apr_dbd_pselect(k->dbd->driver, k->p, k->dbd->handle, &res, st, 1, nargs,
                              args))) {
        failed(k, rv, label);
        return NULL;
    }
    ncols = apr_dbd_num_cols(k->dbd->driver, res);
    out = apr_array_make(k->p, 4, sizeof(const char **));
    /* random access counts from 1; one step past the end frees the result */
    for (i = 1; (rv = apr_dbd_get_row(k->dbd->driver, k->p, res, &row, i)) != -1; i++) {
        const char **cells = apr_pcalloc(k->p, sizeof(char *) * (ncols + 1));

        if (rv) {
            failed(k, rv, label);
            return NULL;
        }
        for (c = 0; c < ncols; c++) {
            const char *v = NULL;

            if (apr_dbd_datum_get(k->dbd->driver, row, c, APR_DBD_TYPE_STRING, &v)
                == APR_SUCCESS && v) {
                cells[c] = apr_pstrdup(k->p, v);
            }
        }
        APR_ARRAY_PUSH(out, const char **) = cells;
    }
    return out;
}

static const char *i64(apr_pool_t *p, apr_int64_t v)
{
    return apr_psprintf(p, "%" APR_INT64_T_FMT, v);
}

/* ---------------------------------------------------------------- HTTP */

static size_t discard(char *ptr, size_t size, size_t nmemb, void *unused)
{
    return size * nmemb;
}

/* a transfer in progress ends when the child stops */
static int progress(void *data, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    return ((deliverer *)data)->stop;
}

/* POSTs one event: the HTTP status (0: no answer), *error when it failed. */
static long post(deliverer *d, apr_pool_t *p, const char *event_id, const char *body,
                 const char **error)
{
    struct curl_slist *h = NULL;
    const char *sig = devplat_event_signature(p, d->c->event_key, d->c->event_key_len,
                                              devplat_now(), body, strlen(body));
    long status = 0;
    CURLcode cc;
    CURL *curl;

    *error = NULL;
    if (!sig || !(curl = curl_easy_init())) {
        *error = "out of memory";
        return 0;
    }
    h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, apr_pstrcat(p, "X-Devplat-Event-Id: ", event_id, NULL));
    h = curl_slist_append(h, apr_pstrcat(p, "X-Devplat-Signature: ", sig, NULL));
    curl_easy_setopt(curl, CURLOPT_URL, d->c->event_webhook);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)DEVPLAT_EVENT_TIMEOUT);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)DEVPLAT_EVENT_CONNECT);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, d);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "mod_devplat");

    cc = curl_easy_perform(curl);
    if (cc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        if (status < 200 || status > 299) {
            *error = apr_psprintf(p, "HTTP %ld", status);
        }
    }
    else {
        *error = apr_pstrdup(p, curl_easy_strerror(cc));
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(curl);
    return status;
}

/* ---------------------------------------------------------------- the loop */

/* Records the outcome of one attempt; a fresh connection each time, so
 * none is held during the next POST. */
static void settle(deliverer *d, apr_pool_t *p, const char **ev, const char *owner,
                   long status, const char *error)
{
    apr_int64_t now = devplat_now();
    conn k;

    if (!conn_open(&k, d, p)) {
        return;     /* the lease runs out; the event is tried again */
    }
    if (!error) {
        const char *a[] = {i64(p, now), apr_ltoa(p, status), ev[DEVPLAT_EVCOL_ID]};
        db_write(&k, DP_EVENT_DONE, 3, a);
    }
    else {
        int attempts = (int)apr_atoi64(ev[DEVPLAT_EVCOL_ATTEMPTS]);
        const char *a[] = {i64(p, now + devplat_event_backoff(attempts)),
                           apr_ltoa(p, status), apr_pstrndup(p, error, 255),
                           ev[DEVPLAT_EVCOL_ID], owner};
        db_write(&k, DP_EVENT_RETRY, 5, a);
    }
    conn_close(&k);
}

static void release(deliverer *d, apr_pool_t *p, const char **ev, const char *owner)
{
    const char *a[] = {ev[DEVPLAT_EVCOL_ID], owner};
    conn k;

    if (conn_open(&k, d, p)) {
        db_write(&k, DP_EVENT_RELEASE, 2, a);
        conn_close(&k);
    }
}

/* One look at the outbox: claims what is due and delivers it. The seconds
 * until the next look (0: at once, more may be due). */
static apr_int64_t deliver_due(deliverer *d, apr_pool_t *p)
{
    apr_int64_t now = devplat_now(), next;
    apr_array_header_t *rows;
    const char *owner, *nowt = i64(p, now), *error = NULL;
    int i, n, fails = 0;
    long status;
    conn k;

    if (!conn_open(&k, d, p)) {
        return DEVPLAT_EVENT_POLL;
    }
    {
        const char *a[] = {nowt};
        rows = db_read(&k, DP_EVENT_NEXT, 1, a);
    }
    if (!rows || rows->nelts != 1 || !APR_ARRAY_IDX(rows, 0, const char **)[0]) {
        conn_close(&k);
        return DEVPLAT_EVENT_POLL;      /* nothing waits (or the read failed) */
    }
    next = apr_atoi64(APR_ARRAY_IDX(rows, 0, const char **)[0]);
    if (next > now) {
        conn_close(&k);
        return next - now < DEVPLAT_EVENT_POLL ? next - now : DEVPLAT_EVENT_POLL;
    }
    if (!(owner = devplat_random_hex(p, 16))) {
        conn_close(&k);
        return DEVPLAT_EVENT_POLL;
    }
    {
        /* long enough for the whole batch to time out one by one */
        const char *a[] = {owner, i64(p, now + DEVPLAT_EVENT_BATCH
                                          * (DEVPLAT_EVENT_TIMEOUT + 1) + 30),
                           nowt, nowt, apr_itoa(p, DEVPLAT_EVENT_BATCH), nowt};
        n = db_write(&k, DP_EVENT_CLAIM, 6, a);
    }
    rows = NULL;
    if (n > 0) {
        const char *a[] = {owner};
        rows = db_read(&k, DP_EVENT_CLAIMED, 1, a);
    }
    conn_close(&k);
    if (!rows) {
        return 1;       /* another deliverer was first, or the database failed */
    }
    for (i = 0; i < rows->nelts; i++) {
        const char **ev = APR_ARRAY_IDX(rows, i, const char **);

        if (d->stop) {
            release(d, p, ev, owner);
            continue;
        }
        status = post(d, p, ev[DEVPLAT_EVCOL_EVENT_ID], ev[DEVPLAT_EVCOL_PAYLOAD], &error);
        if (d->stop && error && !status) {
            release(d, p, ev, owner);   /* aborted by the stop: not an attempt */
            continue;
        }
        if (error && !fails++) {
            log_limited(d, 0, apr_psprintf(p, "delivery of %s to %s failed: %s; it is "
                                           "tried again later", ev[DEVPLAT_EVCOL_EVENT_ID],
                                           d->c->event_webhook, error));
        }
        settle(d, p, ev, owner, status, error);
    }
    return fails ? 1 : 0;
}

/* Waits up to secs for a wake-up or the stop. */
static void pause_for(deliverer *d, apr_int64_t secs)
{
    apr_thread_mutex_lock(d->lock);
    if (!d->woken && !d->stop && secs > 0) {
        apr_thread_cond_timedwait(d->cond, d->lock, apr_time_from_sec(secs));
    }
    d->woken = 0;
    apr_thread_mutex_unlock(d->lock);
}

/* devplat-admin writes its events once a delivering server has started. */
static int mark_seen(deliverer *d, apr_pool_t *p)
{
    const char *a[] = {i64(p, devplat_now())};
    conn k;
    int n;

    if (!conn_open(&k, d, p)) {
        return 0;
    }
    n = db_write(&k, DP_EVENT_SEEN, 1, a);
    conn_close(&k);
    return n >= 0;
}

static void purge(deliverer *d, apr_pool_t *p)
{
    const char *a[] = {i64(p, devplat_now() - DEVPLAT_EVENT_KEEP)};
    conn k;

    if (conn_open(&k, d, p)) {
        db_write(&k, DP_EVENT_PURGE, 1, a);
        conn_close(&k);
    }
}

static void *APR_THREAD_FUNC run(apr_thread_t *thread, void *data)
{
    deliverer *d = data;
    apr_pool_t *p;
    apr_int64_t wait;
    apr_time_t purge_at = 0;
    int seen = 0;

    apr_pool_create(&p, apr_thread_pool_get(thread));
    while (!d->stop) {
        apr_pool_clear(p);
        if (!seen) {
            seen = mark_seen(d, p);
        }
        if (apr_time_now() >= purge_at) {
            purge(d, p);
            purge_at = apr_time_now() + apr_time_from_sec(3600);
        }
        wait = deliver_due(d, p);
        pause_for(d, wait);
    }
    apr_pool_destroy(p);
    apr_thread_exit(thread, APR_SUCCESS);
    return NULL;
}

/* A pre-cleanup of the child's pool: it runs before the pools the thread
 * and mod_dbd's connections live in are destroyed. */
static apr_status_t stop_thread(void *data)
{
    deliverer *d = data;
    apr_status_t rv;

    apr_thread_mutex_lock(d->lock);
    d->stop = 1;
    apr_thread_cond_signal(d->cond);
    apr_thread_mutex_unlock(d->lock);
    apr_thread_join(&rv, d->thread);
    dl = NULL;
    return APR_SUCCESS;
}

void devplat_event_delivery_wake(void)
{
    deliverer *d = dl;

    if (d) {
        apr_thread_mutex_lock(d->lock);
        d->woken = 1;
        apr_thread_cond_signal(d->cond);
        apr_thread_mutex_unlock(d->lock);
    }
}

void devplat_event_delivery_child_init(apr_pool_t *pchild, server_rec *s)
{
    deliverer *d;
    server_rec *sp;
    apr_status_t rv;

    /* the first server that serves an API and sends events: its mod_dbd
     * connections have the statements */
    for (sp = s; sp; sp = sp->next) {
        if (devplat_srv(sp)->event_webhook && devplat_srv(sp)->statements_prepared) {
            break;
        }
    }
    if (!sp) {
        return;
    }
    d = apr_pcalloc(pchild, sizeof(*d));
    d->s = sp;
    d->c = devplat_srv(sp);
    d->open = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open);
    d->close = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_close);
    if (!d->open || !d->close) {
        return;
    }
    if ((rv = apr_thread_mutex_create(&d->lock, APR_THREAD_MUTEX_DEFAULT, pchild))
        || (rv = apr_thread_cond_create(&d->cond, pchild))
        || (rv = apr_thread_create(&d->thread, NULL, run, d, pchild))) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, "account events: cannot start the "
                     "delivery thread of this child; its events wait for another");
        return;
    }
    dl = d;
    apr_pool_pre_cleanup_register(pchild, d, stop_thread);
}
