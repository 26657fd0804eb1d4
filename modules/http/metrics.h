/* Counters for SetHandler devplat-metrics (Prometheus text format).
 *
 * One anonymous shared memory segment, made by the parent in post_config
 * and inherited by every child: each counter is a 64-bit slot incremented
 * with an atomic add (no lock), so a scrape from any child sees the sum of
 * all of them. The segment is retained by the parent (ap_retained_data),
 * so the counters survive a graceful restart; it is made anew only when
 * the module's layout changed (another route table after an upgrade).
 *
 * The counting calls below are what the rest of the module uses; each is
 * one or two atomic adds, and does nothing when there is no segment. */
#ifndef DEVPLAT_METRICS_H
#define DEVPLAT_METRICS_H

#include "devplat_private.h"
#include "router.h"

/* How a login ended (devplat_logins_total{outcome}). */
typedef enum {
    DEVPLAT_LOGIN_OK = 0,       /* signed in */
    DEVPLAT_LOGIN_FAILED,       /* wrong name or password, frozen account */
    DEVPLAT_LOGIN_THROTTLED,    /* refused by the login throttle (429) */
    DEVPLAT_LOGIN_ERROR,        /* the server could not decide (503, 500) */
    DEVPLAT_LOGIN_OUTCOMES
} devplat_login_outcome;

/* What a bcrypt computation was (devplat_bcrypt_duration_seconds{op}). */
typedef enum {
    DEVPLAT_BCRYPT_HASH = 0,
    DEVPLAT_BCRYPT_VERIFY,
    DEVPLAT_BCRYPT_OPS
} devplat_bcrypt_op;

/* A failed database operation (devplat_db_errors_total{kind}). */
typedef enum {
    DEVPLAT_DB_ERR_STATEMENT = 0,   /* a statement, BEGIN or COMMIT failed */
    DEVPLAT_DB_ERR_CONNECTION,      /* no connection could be had */
    DEVPLAT_DB_ERR_KINDS
} devplat_db_error_kind;

/* The request is an API request of req's face that matched rt (NULL: no
 * route, the 404 or 405 of the router). Counted with its final status
 * and duration when the request is logged. */
void devplat_metrics_route(devplat_req *req, const devplat_route *rt);

/* A login through the account core ended so. */
void devplat_metrics_login(devplat_req *req, devplat_login_outcome outcome);

/* A verification code for channel ("sms" or "email") was delivered
 * (delivered 1) or its delivery failed (0). */
void devplat_metrics_code(const char *channel, int delivered);

/* A bcrypt computation that began at started has ended. */
void devplat_metrics_bcrypt(devplat_bcrypt_op op, apr_time_t started);

/* The database failed, or a lost connection was made again (a reconnect:
 * the driver's, with the statements prepared again, or the end of an
 * outage of a child). */
void devplat_metrics_db_error(devplat_db_error_kind kind);
void devplat_metrics_db_reconnect(void);

/* A file of bytes bytes was stored through req's face. */
void devplat_metrics_upload(devplat_req *req, apr_off_t bytes);

/* ---------------------------------------------------------------- plumbing */

/* Finds the retained segment or makes one (post_config, the parent).
 * Returns OK, or an error already logged. */
int devplat_metrics_post_config(apr_pool_t *pconf, server_rec *s);

/* Counts a request marked by devplat_metrics_route() (log_transaction). */
int devplat_metrics_log_transaction(request_rec *r);

/* Writes every counter in the Prometheus text format (0.0.4) to r. */
void devplat_metrics_write(request_rec *r);

/* When the counters began (the segment was made), Unix seconds; 0 when
 * there is none. */
apr_int64_t devplat_metrics_started(void);

#endif
