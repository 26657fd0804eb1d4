/* Fixed-window counters in the table rate_limits, one row per limit,
 * subject and window. An attempt is admitted by the conditional UPDATE
 * "hits = hits + 1 WHERE hits < count", which the database applies to one
 * row at a time on every engine (a row lock on PostgreSQL and MariaDB, the
 * single writer on SQLite): of N concurrent attempts exactly the first
 * count succeed, on any number of nodes. The first attempt of a window
 * inserts the row; of concurrent first attempts the primary key lets one
 * insert and the others go round once more. */
#include "rate_limit.h"
#include "config.h"
#include "db.h"
#include "reply.h"
#include "statements.h"

#include "apr_atomic.h"

#define SUBJECT_MAX 64          /* rate_limits.subject */
#define HIT_ROUNDS  3           /* of update, read, insert: a lost insert race takes one more */
#define CODE_KEEP   86400       /* codes.c counts a destination's codes of a day */

#define MSG_IDENTITY  "实名认证提交过于频繁，请稍后再试"
#define MSG_EXISTENCE "请求过于频繁，请稍后再试"
#define MSG_CAPTCHA   "验证码获取过于频繁，请稍后再试"
#define MSG_REVIEW    "提交审核过于频繁，请稍后再试"

/* Columns of DP_RATE_GET. */
enum { RATE_HITS };

/* The names of DevplatRateLimit with their defaults (README, Directives).
 * A person verifies an ID number once; a well-formed number that reaches
 * the uniqueness check is rarely mistyped (the check character catches
 * most typos first), so 5 an hour is plenty, while ~1,000 candidates for
 * one person take an account 200 hours; an address serves a few people
 * behind one NAT. The existence answers come with code requests, which
 * codes.c caps at 20 per address an hour: the limit leaves room for those
 * and the odd "already registered". A console shows a captcha per login
 * attempt: 30 a minute is far beyond a person, and bounds the captchas
 * one address keeps alive (300 s each) to 150. A person corrects a record
 * a few times: 20 submissions an hour keep one account from filling the
 * reviewers' queue (and the table) with superseded ones. */
static const struct {
    const char *name;
    devplat_rate rate;
    const char *message;
} limits[DEVPLAT_LIMITS] = {
    [DEVPLAT_LIMIT_IDENTITY_ACCOUNT]  = {"identity-account",  {5, 3600},  MSG_IDENTITY},
    [DEVPLAT_LIMIT_IDENTITY_ADDRESS]  = {"identity-address",  {20, 3600}, MSG_IDENTITY},
    [DEVPLAT_LIMIT_EXISTENCE_ACCOUNT] = {"existence-account", {20, 3600}, MSG_EXISTENCE},
    [DEVPLAT_LIMIT_EXISTENCE_ADDRESS] = {"existence-address", {60, 3600}, MSG_EXISTENCE},
    [DEVPLAT_LIMIT_CAPTCHA_ADDRESS]   = {"captcha-address",   {30, 60},   MSG_CAPTCHA},
    [DEVPLAT_LIMIT_REVIEW_ACCOUNT]    = {"review-account",    {20, 3600}, MSG_REVIEW},
};

devplat_limit devplat_rate_limit_find(const char *name)
{
    int i;

    for (i = 0; i < DEVPLAT_LIMITS; i++) {
        if (!strcasecmp(name, limits[i].name)) {
            return (devplat_limit)i;
        }
    }
    return DEVPLAT_LIMIT_NONE;
}

const char *devplat_rate_limit_names(apr_pool_t *p)
{
    const char *s = limits[0].name;
    int i;

    for (i = 1; i < DEVPLAT_LIMITS; i++) {
        s = apr_pstrcat(p, s, ", ", limits[i].name, NULL);
    }
    return s;
}

void devplat_rate_limit_defaults(devplat_rate *rates)
{
    int i;

    for (i = 0; i < DEVPLAT_LIMITS; i++) {
        if (rates[i].count == DEVPLAT_UNSET) {
            rates[i] = limits[i].rate;
        }
    }
}

/* Counts one attempt of subject: 1 admitted, 0 over the limit (*retry the
 * seconds to the window's end), -1 the database failed. */
static int hit(devplat_req *req, devplat_limit which, const char *subject,
               apr_int64_t *retry)
{
    const devplat_rate *rate = &req->sconf->rate_limits[which];
    apr_int64_t start = req->now - req->now % rate->window;
    const char *bucket = limits[which].name;
    const char *from = devplat_i64(req, start);
    const char *count = apr_itoa(req->r->pool, rate->count);
    devplat_rows *rows;
    int i, n;

    subject = apr_pstrndup(req->r->pool, subject, SUBJECT_MAX);
    for (i = 0; i < HIT_ROUNDS; i++) {
        n = 0;
        if (devplat_db_exec(req, DP_RATE_HIT, &n, 4, bucket, subject, from, count)
            != APR_SUCCESS) {
            return -1;
        }
        if (n == 1) {
            return 1;
        }
        if (devplat_db_select(req, DP_RATE_GET, &rows, 3, bucket, subject, from)
            != APR_SUCCESS) {
            return -1;
        }
        if (rows->nrows == 1) {
            if (devplat_atoi64(rows->rows[0][RATE_HITS]) >= rate->count) {
                *retry = start + rate->window - req->now;
                return 0;
            }
            continue;   /* a concurrent first attempt made the row meanwhile */
        }
        /* a failure here is most often a concurrent first attempt's row */
        if (devplat_db_exec(req, DP_RATE_INSERT, NULL, 4, bucket, subject, from,
                            devplat_i64(req, start + rate->window)) == APR_SUCCESS) {
            return 1;
        }
    }
    return -1;
}

/* DEVPLAT_CONTINUE when admitted, else the answer given. */
static int limit(devplat_req *req, devplat_limit which, const char *subject)
{
    apr_int64_t retry = 0;

    if (which == DEVPLAT_LIMIT_NONE || req->sconf->rate_limits[which].count == 0) {
        return DEVPLAT_CONTINUE;
    }
    switch (hit(req, which, subject, &retry)) {
    case 1:
        return DEVPLAT_CONTINUE;
    case 0:
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, req->r,
                      "rate limit %s reached by %s", limits[which].name, subject);
        return devplat_reply_throttled(req, retry, limits[which].message);
    default:
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
}

/* When this child purges next (Unix seconds; 0: at its first chance). A
 * 32-bit value for apr_atomic: it lasts until 2106. */
static apr_uint32_t next_purge;

/* Claims this child's purge: of its threads only one wins each interval. */
static int purge_due(devplat_req *req)
{
    apr_uint32_t next = apr_atomic_read32(&next_purge);
    apr_uint32_t now = (apr_uint32_t)req->now;

    return now >= next
        && apr_atomic_cas32(&next_purge, now + (apr_uint32_t)req->sconf->purge_interval,
                            next) == next;
}

static void purge_expired(devplat_req *req)
{
    const char *now = devplat_i64(req, req->now);
    apr_int64_t cooldown = req->sconf->code_cooldown;

    if (!purge_due(req)) {
        return;
    }
    /* each on its own: one that fails (logged by db.c) waits for the next
     * interval, the others still run */
    devplat_db_exec(req, DP_PURGE_RATE_LIMITS, NULL, 1, now);
    devplat_db_exec(req, DP_PURGE_CAPTCHAS, NULL, 1, now);
    devplat_db_exec(req, DP_PURGE_CODES, NULL, 2, devplat_i64(req, req->now - CODE_KEEP),
                    now);
    devplat_db_exec(req, DP_PURGE_COOLDOWNS, NULL, 1,
                    devplat_i64(req, req->now - (cooldown > CODE_KEEP ? cooldown
                                                                      : CODE_KEEP)));
}

int devplat_rate_limit(devplat_req *req, devplat_limit account_limit,
                       devplat_limit address_limit)
{
    const char *ip = req->r->useragent_ip ? req->r->useragent_ip : "";
    int rc;

    purge_expired(req);
    if (req->user
        && DEVPLAT_DONE(rc = limit(req, account_limit, devplat_i64(req, req->user->id)))) {
        return rc;
    }
    return limit(req, address_limit, ip);
}
