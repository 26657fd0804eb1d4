/* A child's view of database outages: one log line when the database
 * becomes unreachable, a reminder while it stays so, one line when it is
 * back; connection attempts backed off meanwhile, so a dead database costs
 * neither a connect per request nor a log line per request. */
#ifndef DEVPLAT_DB_OUTAGE_H
#define DEVPLAT_DB_OUTAGE_H

#include "devplat_private.h"

/* Back-off between two connection attempts of a child while the database
 * is down: doubling from the first to the last; a reminder line every
 * DEVPLAT_OUTAGE_REMINDER seconds. */
#define DEVPLAT_OUTAGE_BACKOFF_FIRST   apr_time_from_msec(50)
#define DEVPLAT_OUTAGE_BACKOFF_LAST    apr_time_from_msec(500)
#define DEVPLAT_OUTAGE_REMINDER        60

/* Creates the child's state lock (child_init). */
void devplat_outage_child_init(apr_pool_t *pchild);

/* 1 when the request may touch the database: it is up, or this request is
 * the one attempt of the current back-off step. 0 otherwise (the caller
 * answers 503 without trying). */
int devplat_outage_may_try(request_rec *r);

/* The database could not be reached (what says how). Logs the outage when
 * it starts and a reminder while it lasts; schedules the next attempt. */
void devplat_outage_failed(request_rec *r, const char *what);

/* A statement went through: ends an outage (one log line). Cheap when
 * there is none. */
void devplat_outage_ok(request_rec *r);

/* 1 while this child considers the database unreachable. */
int devplat_outage_down(void);

/* Seconds to put in Retry-After for a 503 (at least 1). */
apr_int64_t devplat_outage_retry_after(void);

#endif
