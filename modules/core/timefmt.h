/* Times as the API documents show them: "YYYY-MM-DD HH:MM:SS", local time. */
#ifndef DEVPLAT_TIMEFMT_H
#define DEVPLAT_TIMEFMT_H

#include <apr_pools.h>
#include <apr_time.h>

#define DEVPLAT_TIMEFMT_LEN 19

/* Formats t (Unix seconds) into buf of at least DEVPLAT_TIMEFMT_LEN + 1. */
void devplat_time_format(char *buf, apr_int64_t t);
char *devplat_time_pformat(apr_pool_t *p, apr_int64_t t);

/* 1 when s has the shape "dddd-dd-dd dd:dd:dd", whatever the numbers. */
int devplat_time_text_shaped(const char *s);

/* 1 when s is "YYYY-MM-DD HH:MM:SS" naming a real date and time (proleptic
 * Gregorian, years 0001-9999), 0 otherwise. */
int devplat_time_text_valid(const char *s);

/* Seconds since the epoch. */
apr_int64_t devplat_now(void);

#endif
