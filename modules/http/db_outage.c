/* Outage bookkeeping of one child (see db_outage.h). The state is
 * process-wide and small; the flag is read without the lock on the hot
 * path, everything else changes under it. */
#include "db_outage.h"
#include "metrics.h"
#include "apr_atomic.h"
#include "apr_thread_mutex.h"

static apr_thread_mutex_t *lock;
static volatile apr_uint32_t down;     /* read unlocked: 0 or 1 */
static apr_time_t since;               /* when the outage began */
static apr_time_t next_attempt;        /* no attempt before this */
static apr_time_t backoff;             /* the current step */
static apr_time_t reminded;            /* the last reminder line */
static int probing;                    /* one request tries at a time */
static apr_time_t probe_started;       /* a probe that never reported ends */
static apr_uint64_t refused;           /* answered 503 without trying */

void devplat_outage_child_init(apr_pool_t *pchild)
{
#if APR_HAS_THREADS
    apr_thread_mutex_create(&lock, APR_THREAD_MUTEX_DEFAULT, pchild);
#endif
}

static void enter(void)
{
    if (lock) {
        apr_thread_mutex_lock(lock);
    }
}

static void leave(void)
{
    if (lock) {
        apr_thread_mutex_unlock(lock);
    }
}

int devplat_outage_down(void)
{
    return apr_atomic_read32(&down) != 0;
}

int devplat_outage_may_try(request_rec *r)
{
    apr_time_t now;
    int may;

    if (!devplat_outage_down()) {
        return 1;
    }
    enter();
    now = apr_time_now();
    /* a probe that ran no statement says nothing: give it a few seconds */
    if (probing && now - probe_started > DEVPLAT_OUTAGE_BACKOFF_LAST) {
        probing = 0;
    }
    may = !down || (!probing && now >= next_attempt);
    if (down && may) {
        probing = 1;
        probe_started = now;
    }
    else if (!may) {
        refused++;
    }
    leave();
    return may;
}

void devplat_outage_failed(request_rec *r, const char *what)
{
    apr_time_t now = apr_time_now();

    enter();
    if (!down) {
        since = reminded = now;
        backoff = DEVPLAT_OUTAGE_BACKOFF_FIRST;
        refused = 0;
        apr_atomic_set32(&down, 1);
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "database unreachable (%s): "
                      "answering 503 with Retry-After and retrying with back-off; "
                      "one line follows when it is back", what);
    }
    else {
        if (probing && backoff < DEVPLAT_OUTAGE_BACKOFF_LAST) {
            backoff = backoff * 2 > DEVPLAT_OUTAGE_BACKOFF_LAST
                      ? DEVPLAT_OUTAGE_BACKOFF_LAST : backoff * 2;
        }
        if (now - reminded >= apr_time_from_sec(DEVPLAT_OUTAGE_REMINDER)) {
            reminded = now;
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "database still unreachable "
                          "after %" APR_TIME_T_FMT " s (%s); %" APR_UINT64_T_FMT
                          " requests answered 503 so far", apr_time_sec(now - since),
                          what, refused);
        }
    }
    probing = 0;
    next_attempt = now + backoff;
    leave();
}

void devplat_outage_ok(request_rec *r)
{
    if (!devplat_outage_down()) {
        return;
    }
    enter();
    if (down) {
        apr_atomic_set32(&down, 0);
        probing = 0;
        devplat_metrics_db_reconnect();
        ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r, "database reachable again after "
                      "%" APR_TIME_T_FMT " s; %" APR_UINT64_T_FMT " requests were "
                      "answered 503 meanwhile", apr_time_sec(apr_time_now() - since),
                      refused);
    }
    leave();
}

apr_int64_t devplat_outage_retry_after(void)
{
    apr_int64_t s = 1;

    if (devplat_outage_down()) {
        enter();
        s = apr_time_sec(next_attempt - apr_time_now() + apr_time_from_sec(1) - 1);
        leave();
    }
    return s < 1 ? 1 : s;
}
