/* Quantities as the developer API writes them: durations such as
 * "2h30min" and sizes in GB such as "20.5". */
#ifndef DEVPLAT_UNITS_H
#define DEVPLAT_UNITS_H

#include <apr_pools.h>

/* "2h30min", "2h0min" from one hour on, "45min" below it; a negative
 * duration is "0min". */
char *devplat_minutes_text(apr_pool_t *p, apr_int64_t minutes);

/* bytes in GB (10^9 bytes) rounded half up to two decimals, without
 * trailing zeros: "20.5", "0.25", "3"; a negative size is "0". */
char *devplat_gb_text(apr_pool_t *p, apr_int64_t bytes);

#endif
