/* The operators' handlers, each installed with SetHandler in a <Location>:
 *
 *   devplat-health    liveness: {"status":"UP"}, 200; touches nothing
 *   devplat-ready     readiness: the database (one trivial query through
 *                     mod_dbd), the JWT key file (readable) and
 *                     DevplatStorageDir (writable); 200 when all are UP,
 *                     503 otherwise, with one entry per check
 *   devplat-metrics   the counters of metrics.h and the pending reviews,
 *                     in the Prometheus text format
 *   devplat-jwks      the public token keys as a JWK Set (RFC 7517),
 *                     cacheable for five minutes
 *
 * GET and HEAD only (otherwise 405 with Allow and {"error":"method not
 * allowed"}); answers other than the JWKS are never cached.
 * Nothing they answer names a file, a key or a database parameter. */
#ifndef DEVPLAT_OPS_H
#define DEVPLAT_OPS_H

#include "devplat_private.h"

/* Registers the handler, the metrics segment (post_config) and the
 * counting of API requests (log_transaction). From the module's
 * register_hooks. */
void devplat_ops_register_hooks(apr_pool_t *p);

#endif
