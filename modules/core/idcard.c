/* GB 11643 checks: MOD 11-2 check character and a real birth date; the
 * holder's name as the card prints it. */
#include "idcard.h"
#include "validate.h"

#include <string.h>
#include <time.h>

#include <apr_strings.h>

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int real_birth_date(const char *d)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
    int m = (d[4] - '0') * 10 + (d[5] - '0');
    int day = (d[6] - '0') * 10 + (d[7] - '0');
    time_t now = time(NULL);
    struct tm tm;
    long today, birth;

    if (y < 1900 || m < 1 || m > 12 || day < 1) {
        return 0;
    }
    if (day > days[m - 1] + (m == 2 && leap(y))) {
        return 0;
    }
    localtime_r(&now, &tm);
    today = (tm.tm_year + 1900) * 10000L + (tm.tm_mon + 1) * 100 + tm.tm_mday;
    birth = y * 10000L + m * 100 + day;
    return birth <= today;
}

int devplat_is_cn_id_card(const char *s)
{
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    int i, sum = 0;
    char last;

    if (!s || strlen(s) != 18) {
        return 0;
    }
    for (i = 0; i < 17; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        sum += (s[i] - '0') * weight[i];
    }
    last = s[17] == 'x' ? 'X' : s[17];
    if (last != check[sum % 11]) {
        return 0;
    }
    return real_birth_date(s + 6);
}

void devplat_mask_id_card(const char *s, char *out)
{
    size_t n = s ? strlen(s) : 0, i;

    if (n > 18) {
        n = 18;
    }
    for (i = 0; i < n; i++) {
        out[i] = (i < 3 || i + 4 >= n) ? s[i] : '*';
    }
    out[n] = '\0';
}

/* The code point at s (already checked as well-formed UTF-8) and its length. */
static apr_size_t next_code_point(const unsigned char *s, unsigned long *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] < 0xE0) {
        *cp = ((unsigned long)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (s[0] < 0xF0) {
        *cp = ((unsigned long)(s[0] & 0x0F) << 12) | ((unsigned long)(s[1] & 0x3F) << 6)
              | (s[2] & 0x3F);
        return 3;
    }
    *cp = ((unsigned long)(s[0] & 0x07) << 18) | ((unsigned long)(s[1] & 0x3F) << 12)
          | ((unsigned long)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    return 4;
}

static int is_ideograph(unsigned long cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
           || (cp >= 0x20000 && cp <= 0x2A6DF);
}

#define MIDDLE_DOT 0xB7

int devplat_is_cn_name(const char *s, apr_size_t min, apr_size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t count = 0;
    unsigned long cp, prev = MIDDLE_DOT;    /* no dot first */

    if (!s || !devplat_utf8_valid(s, strlen(s))) {
        return 0;
    }
    while (*u) {
        u += next_code_point(u, &cp);
        if (cp == MIDDLE_DOT ? prev == MIDDLE_DOT : !is_ideograph(cp)) {
            return 0;
        }
        prev = cp;
        if (++count > max) {
            return 0;
        }
    }
    return prev != MIDDLE_DOT && count >= min;
}

char *devplat_mask_name(apr_pool_t *p, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t first;
    unsigned long cp;
    char *out, *o;

    if (!s || !*s || !devplat_utf8_valid(s, strlen(s))) {
        return apr_pstrdup(p, "");
    }
    first = next_code_point(u, &cp);
    out = o = apr_palloc(p, strlen(s) + 1);
    memcpy(o, s, first);
    o += first;
    for (u += first; *u; u += next_code_point(u, &cp)) {
        *o++ = '*';
    }
    *o = '\0';
    return out;
}
