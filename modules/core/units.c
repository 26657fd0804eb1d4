/* Durations and sizes as text. Integer arithmetic only: the same bytes
 * always give the same text, whatever the platform's floating point. */

#include <apr_strings.h>

#include "units.h"

#define BYTES_PER_HUNDREDTH_GB APR_INT64_C(10000000)

char *devplat_minutes_text(apr_pool_t *p, apr_int64_t minutes)
{
    if (minutes < 60) {
        return apr_psprintf(p, "%" APR_INT64_T_FMT "min", minutes > 0 ? minutes : 0);
    }
    return apr_psprintf(p, "%" APR_INT64_T_FMT "h%" APR_INT64_T_FMT "min",
                        minutes / 60, minutes % 60);
}

char *devplat_gb_text(apr_pool_t *p, apr_int64_t bytes)
{
    apr_uint64_t h, whole, frac;

    if (bytes <= 0) {
        return apr_pstrdup(p, "0");
    }
    /* unsigned, so rounding the largest sizes cannot overflow */
    h = ((apr_uint64_t)bytes + BYTES_PER_HUNDREDTH_GB / 2) / BYTES_PER_HUNDREDTH_GB;
    whole = h / 100;
    frac = h % 100;
    if (frac == 0) {
        return apr_psprintf(p, "%" APR_UINT64_T_FMT, whole);
    }
    if (frac % 10 == 0) {
        return apr_psprintf(p, "%" APR_UINT64_T_FMT ".%" APR_UINT64_T_FMT,
                            whole, frac / 10);
    }
    return apr_psprintf(p, "%" APR_UINT64_T_FMT ".%02" APR_UINT64_T_FMT, whole, frac);
}
