/* Rate limits of the answers that reveal what they should not reveal at
 * speed (DevplatRateLimit): attempts per subject (a client address or an
 * account) in fixed windows, counted in the database so every node and
 * child counts the same attempts. Also the periodic purge of expired rows
 * (DevplatPurgeInterval). */
#ifndef DEVPLAT_RATE_LIMIT_H
#define DEVPLAT_RATE_LIMIT_H

#include "devplat_private.h"

/* The limits, each one name of DevplatRateLimit (rate_limit.c has the
 * names, defaults and messages). */
typedef enum {
    DEVPLAT_LIMIT_NONE = -1,
    DEVPLAT_LIMIT_IDENTITY_ACCOUNT,     /* ID number submissions, per account */
    DEVPLAT_LIMIT_IDENTITY_ADDRESS,     /* ... per client address */
    DEVPLAT_LIMIT_EXISTENCE_ACCOUNT,    /* "already registered" answers, per account */
    DEVPLAT_LIMIT_EXISTENCE_ADDRESS,    /* ... per client address */
    DEVPLAT_LIMIT_CAPTCHA_ADDRESS,      /* captchas drawn, per client address */
    DEVPLAT_LIMIT_REVIEW_ACCOUNT,       /* submissions to the review queues, per account */
    DEVPLAT_LIMITS
} devplat_limit;

/* count attempts per window seconds; count 0 turns the limit off. */
typedef struct {
    int count;
    apr_int64_t window;
} devplat_rate;

/* The limit of a DevplatRateLimit name, or DEVPLAT_LIMIT_NONE. */
devplat_limit devplat_rate_limit_find(const char *name);

/* Every name, comma-separated (for the directive's error message). */
const char *devplat_rate_limit_names(apr_pool_t *p);

/* Gives every limit the directives left unset (count DEVPLAT_UNSET) its
 * default. */
void devplat_rate_limit_defaults(devplat_rate *rates);

/* Counts one attempt against account_limit for the signed-in user (skipped
 * when DEVPLAT_LIMIT_NONE or nobody is signed in), then against
 * address_limit for the client address. DEVPLAT_CONTINUE when both admit
 * it; else the request is answered in its face's envelope: 429 with
 * Retry-After (the end of the window), or 503 when the attempt cannot be
 * counted (the limit fails closed). Every call also runs the purge of
 * expired rate-limit rows, captchas, verification codes and cooldowns when
 * it is due: at most once per DevplatPurgeInterval in each child. */
int devplat_rate_limit(devplat_req *req, devplat_limit account_limit,
                       devplat_limit address_limit);

#endif
