/* Verification codes. Only HMAC(code, destination, purpose) is stored; the
 * newest code of a destination + purpose + account is the only one that
 * counts, so no other account can spend, burn or supersede it. The
 * cooldown is a claimed slot (see claim_cooldown); the daily cap per
 * destination is therefore exact, the hourly cap per client address may be
 * exceeded by the number of requests racing it. */
#include "codes.h"
#include "config.h"
#include "db.h"
#include "metrics.h"
#include "notify.h"
#include "reply.h"
#include "statements.h"
#include "otp.h"
#include "random.h"

#define DAY  86400
#define HOUR 3600
#define MSG_TOO_OFTEN "验证码发送过于频繁，请稍后再试"

/* Columns of DP_CODE_COUNT_DEST and DP_CODE_COUNT_IP. */
enum { COUNT_N, COUNT_OLDEST };
/* Columns of DP_CODE_LATEST. */
enum { LATEST_ID, LATEST_DIGEST, LATEST_CREATED, LATEST_EXPIRES, LATEST_TRIES,
       LATEST_USED };

static const char *digest(devplat_req *req, const char *purpose,
                          const char *destination, const char *code)
{
    return devplat_otp_digest(req->r->pool, req->sconf->code_key,
                              sizeof(req->sconf->code_key), purpose, destination, code);
}

/* Answers 429 when count rows since the window's start reach cap. */
static int over_cap(devplat_req *req, const char *label, const char *key,
                    apr_int64_t window, int cap, int *rc)
{
    devplat_rows *rows;
    apr_int64_t oldest;

    if (devplat_db_select(req, label, &rows, 2, key,
                          devplat_i64(req, req->now - window)) != APR_SUCCESS
        || rows->nrows != 1) {
        *rc = devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
        return 1;
    }
    if (devplat_atoi64(rows->rows[0][COUNT_N]) < cap) {
        return 0;
    }
    oldest = devplat_atoi64(rows->rows[0][COUNT_OLDEST]);
    *rc = devplat_reply_throttled(req, oldest + window - req->now,
                                  "验证码发送次数已达上限，请稍后再试");
    return 1;
}

/* Claims the cooldown slot of destination + purpose: a conditional UPDATE
 * (or the INSERT of a first row) that only one of several concurrent
 * requests, on any node, can win. *previous is the slot's time before the
 * claim (0 for a new slot), to give it back when delivery fails. Answers
 * 429/503 itself and returns 0 when the slot is not won. */
static int claim_cooldown(devplat_req *req, const char *destination,
                          const char *purpose, const char *account,
                          apr_int64_t *previous, int *rc)
{
    devplat_rows *rows;
    const char *now = devplat_i64(req, req->now);
    int won = 0;

    if (devplat_db_select(req, DP_COOLDOWN_GET, &rows, 3, destination, purpose, account)
        != APR_SUCCESS) {
        *rc = devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
        return 0;
    }
    if (rows->nrows == 1) {
        apr_int64_t ready;

        *previous = devplat_atoi64(rows->rows[0][0]);
        ready = *previous + req->sconf->code_cooldown;
        if (ready > req->now) {
            *rc = devplat_reply_throttled(req, ready - req->now, MSG_TOO_OFTEN);
            return 0;
        }
        devplat_db_exec(req, DP_COOLDOWN_CLAIM, &won, 5, now, destination, purpose,
                        account, rows->rows[0][0]);
    }
    else {
        *previous = 0;
        /* a concurrent first request may win the primary key instead */
        won = devplat_db_exec(req, DP_COOLDOWN_INSERT, NULL, 4, destination, purpose,
                              account, now) == APR_SUCCESS;
    }
    if (!won) {
        *rc = devplat_reply_throttled(req, req->sconf->code_cooldown, MSG_TOO_OFTEN);
    }
    return won;
}

static void release_cooldown(devplat_req *req, const char *destination,
                             const char *purpose, const char *account,
                             apr_int64_t previous)
{
    devplat_db_exec(req, DP_COOLDOWN_RESTORE, NULL, 5, devplat_i64(req, previous),
                    destination, purpose, account, devplat_i64(req, req->now));
}

int devplat_code_send(devplat_req *req, const char *channel, const char *destination,
                      const char *purpose, apr_int64_t account_id, const char **code_out)
{
    const char *account = devplat_i64(req, account_id);
    request_rec *r = req->r;
    const char *ip = r->useragent_ip ? r->useragent_ip : "";
    devplat_rows *rows;
    const char *code;
    apr_int64_t id, previous = 0;
    int rc;

    if (!claim_cooldown(req, destination, purpose, account, &previous, &rc)) {
        return rc;
    }
    if (over_cap(req, DP_CODE_COUNT_DEST, destination, DAY,
                 DEVPLAT_CODE_PER_DEST_DAY, &rc)
        || over_cap(req, DP_CODE_COUNT_IP, ip, HOUR, DEVPLAT_CODE_PER_IP_HOUR, &rc)) {
        release_cooldown(req, destination, purpose, account, previous);
        return rc;
    }

    code = devplat_random_digits(r->pool, 6);
    if (!code) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "random generator failed");
        release_cooldown(req, destination, purpose, account, previous);
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
    }
    if (devplat_db_select(req, DP_CODE_INSERT, &rows, 8, destination, purpose, account,
                          channel,
                          digest(req, purpose, destination, code),
                          devplat_i64(req, req->now),
                          devplat_i64(req, req->now + req->sconf->code_ttl), ip)
        != APR_SUCCESS || rows->nrows != 1) {
        release_cooldown(req, destination, purpose, account, previous);
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    id = devplat_atoi64(rows->rows[0][0]);
    /* a failed delivery leaves neither the code nor a cooldown behind */
    if (devplat_notify_code(req, channel, destination, code, purpose) != APR_SUCCESS) {
        devplat_metrics_code(channel, 0);
        devplat_db_exec(req, DP_CODE_DELETE, NULL, 1, devplat_i64(req, id));
        release_cooldown(req, destination, purpose, account, previous);
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, "验证码发送失败");
    }
    devplat_metrics_code(channel, 1);
    *code_out = code;
    return DEVPLAT_CONTINUE;
}

devplat_code_result devplat_code_check(devplat_req *req, const char *destination,
                                       const char *purpose, apr_int64_t account_id,
                                       const char *code, apr_int64_t *code_id)
{
    devplat_rows *rows;
    const char **row;

    if (devplat_db_select(req, DP_CODE_LATEST, &rows, 3, destination, purpose,
                          devplat_i64(req, account_id))
        != APR_SUCCESS) {
        return DEVPLAT_CODE_ERROR;
    }
    if (rows->nrows != 1) {
        return DEVPLAT_CODE_WRONG;
    }
    row = rows->rows[0];
    if (row[LATEST_USED]
        || devplat_atoi64(row[LATEST_EXPIRES]) <= req->now
        || devplat_atoi64(row[LATEST_TRIES]) >= DEVPLAT_CODE_MAX_TRIES) {
        return DEVPLAT_CODE_WRONG;
    }
    if (!row[LATEST_DIGEST]
        || !devplat_str_equal_ct(row[LATEST_DIGEST],
                                 digest(req, purpose, destination, code))) {
        devplat_db_exec(req, DP_CODE_TRY, NULL, 1, row[LATEST_ID]);
        return DEVPLAT_CODE_WRONG;
    }
    *code_id = devplat_atoi64(row[LATEST_ID]);
    return DEVPLAT_CODE_VALID;
}

int devplat_code_spend(devplat_req *req, apr_int64_t code_id)
{
    int n = 0;

    if (devplat_db_exec(req, DP_CODE_USE, &n, 4, devplat_i64(req, req->now),
                        devplat_i64(req, code_id),
                        apr_itoa(req->r->pool, DEVPLAT_CODE_MAX_TRIES),
                        devplat_i64(req, req->now)) != APR_SUCCESS) {
        return 0;
    }
    return n == 1;
}
