/* State load/store around the pure arithmetic of core/throttle.c. Account
 * names are compared as typed, as valid UTF-8 cut on a character to the
 * column's width. */
#include "login_throttle.h"
#include "config.h"
#include "db.h"
#include "statements.h"
#include "throttle.h"
#include "utf8.h"

#define ACCOUNT_MAX 64

/* Columns of DP_THROTTLE_GET. */
enum { THROTTLE_FAILURES, THROTTLE_WINDOW, THROTTLE_LOCKED, THROTTLE_LOCKS };

static const char *ip_of(devplat_req *req)
{
    return req->r->useragent_ip ? req->r->useragent_ip : "";
}

static const char *account_key(devplat_req *req, const char *account)
{
    return devplat_utf8_sanitize(req->r->pool, account, ACCOUNT_MAX, 0);
}

/* 1 when a row exists (state filled), 0 when none, -1 on failure. */
static int load(devplat_req *req, const char *account, devplat_throttle_state *st)
{
    devplat_rows *rows;

    memset(st, 0, sizeof(*st));
    if (devplat_db_select(req, DP_THROTTLE_GET, &rows, 2, account, ip_of(req))
        != APR_SUCCESS) {
        return -1;
    }
    if (rows->nrows != 1) {
        return 0;
    }
    st->failures = (int)devplat_atoi64(rows->rows[0][THROTTLE_FAILURES]);
    st->window_start = devplat_atoi64(rows->rows[0][THROTTLE_WINDOW]);
    st->locked_until = devplat_atoi64(rows->rows[0][THROTTLE_LOCKED]);
    st->locks = (int)devplat_atoi64(rows->rows[0][THROTTLE_LOCKS]);
    return 1;
}

apr_int64_t devplat_login_throttle_wait(devplat_req *req, const char *account)
{
    devplat_throttle_state st;
    int found = load(req, account_key(req, account), &st);

    if (found < 0) {
        return -1;
    }
    return found ? devplat_throttle_wait(&st, req->now) : 0;
}

/* Tries to record one failure more; 1 done (*lock set), 0 a concurrent
 * request changed the row first (load again), -1 the database failed. */
static int record(devplat_req *req, const char *key, int attempts, apr_int64_t *lock)
{
    devplat_throttle_policy pol;
    devplat_throttle_state st;
    int found = load(req, key, &st), n = 0;

    if (found < 0) {
        return -1;
    }
    pol.attempts = attempts;
    pol.window = req->sconf->throttle_window;
    pol.lock = req->sconf->throttle_lock;
    pol.max_lock = DEVPLAT_THROTTLE_MAX_LOCK;
    *lock = devplat_throttle_fail(&pol, &st, req->now);

    if (found) {
        /* 0 rows: a concurrent request changed or deleted the row */
        if (devplat_db_exec(req, DP_THROTTLE_UPDATE, &n, 6,
                            apr_itoa(req->r->pool, st.failures),
                            devplat_i64(req, st.window_start),
                            devplat_i64(req, st.locked_until),
                            apr_itoa(req->r->pool, st.locks), key, ip_of(req))
            != APR_SUCCESS) {
            return -1;
        }
        return n == 1;
    }
    if (devplat_db_exec(req, DP_THROTTLE_INSERT, NULL, 6, key, ip_of(req),
                        apr_itoa(req->r->pool, st.failures),
                        devplat_i64(req, st.window_start),
                        devplat_i64(req, st.locked_until),
                        apr_itoa(req->r->pool, st.locks)) == APR_SUCCESS) {
        return 1;
    }
    /* a concurrent first attempt won the primary key (and another may have
     * deleted the row since): another round; a write that keeps failing
     * runs out of rounds and fails closed */
    return load(req, key, &st) < 0 ? -1 : 0;
}

/* Concurrent attempts of one account from one address race for its row
 * (one inserts, another deletes it on a right password): a few rounds
 * settle it; a database that keeps refusing fails closed. */
#define RECORD_ROUNDS 8

static apr_int64_t fail_with(devplat_req *req, const char *key, int attempts)
{
    apr_int64_t lock = 0;
    int i, done = 0;

    for (i = 0; i < RECORD_ROUNDS && done == 0; i++) {
        done = record(req, key, attempts, &lock);
    }
    return done == 1 ? lock : -1;
}

apr_int64_t devplat_login_throttle_fail(devplat_req *req, const char *account)
{
    return fail_with(req, account_key(req, account), req->sconf->throttle_attempts);
}

apr_int64_t devplat_login_throttle_fail_unknown(devplat_req *req)
{
    return fail_with(req, DEVPLAT_THROTTLE_UNKNOWN, req->sconf->unknown_login_attempts);
}

void devplat_login_throttle_clear(devplat_req *req, const char *account)
{
    devplat_db_exec(req, DP_THROTTLE_DELETE, NULL, 2, account_key(req, account),
                    ip_of(req));
}
