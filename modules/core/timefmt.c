/* "YYYY-MM-DD HH:MM:SS" in the server's local time, as the API documents
 * show timestamps. */

#include <string.h>

#include <apr_strings.h>

#include "timefmt.h"

/* 0001-01-01 and 9999-12-31 23:59:59 UTC: keeps apr_time_from_sec() from
 * overflowing and the year at four digits (a local offset may still push
 * one edge over; the output is then cut short, never overrun). */
#define TIMEFMT_MIN (-APR_INT64_C(62135596800))
#define TIMEFMT_MAX APR_INT64_C(253402300799)

void devplat_time_format(char *buf, apr_int64_t t)
{
    apr_time_exp_t tm;

    if (t < TIMEFMT_MIN) {
        t = TIMEFMT_MIN;
    }
    else if (t > TIMEFMT_MAX) {
        t = TIMEFMT_MAX;
    }
    if (apr_time_exp_lt(&tm, apr_time_from_sec(t)) != APR_SUCCESS) {
        apr_cpystrn(buf, "0000-00-00 00:00:00", DEVPLAT_TIMEFMT_LEN + 1);
        return;
    }
    /* Fields formatted directly: strftime's %Y is not zero-padded to four
     * digits everywhere. apr_snprintf truncates, never overruns. */
    apr_snprintf(buf, DEVPLAT_TIMEFMT_LEN + 1,
                 "%04d-%02d-%02d %02d:%02d:%02d",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                 tm.tm_hour, tm.tm_min, tm.tm_sec);
}

char *devplat_time_pformat(apr_pool_t *p, apr_int64_t t)
{
    char *buf = apr_palloc(p, DEVPLAT_TIMEFMT_LEN + 1);

    devplat_time_format(buf, t);
    return buf;
}

apr_int64_t devplat_now(void)
{
    return (apr_int64_t)apr_time_sec(apr_time_now());
}

static int two(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

int devplat_time_text_shaped(const char *s)
{
    static const char shape[] = "dddd-dd-dd dd:dd:dd";
    int i;

    if (!s || strlen(s) != sizeof(shape) - 1) {
        return 0;
    }
    for (i = 0; shape[i]; i++) {
        if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i]) {
            return 0;
        }
    }
    return 1;
}

int devplat_time_text_valid(const char *s)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int year, month, day, leap;

    if (!devplat_time_text_shaped(s)) {
        return 0;
    }
    year = two(s) * 100 + two(s + 2);
    month = two(s + 5);
    day = two(s + 8);
    leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return year >= 1 && month >= 1 && month <= 12 && day >= 1
           && day <= days[month - 1] + (month == 2 && leap)
           && two(s + 11) <= 23 && two(s + 14) <= 59 && two(s + 17) <= 59;
}
