/* E-mail address rule: what real mail relays deliver and people type, kept
 * narrow on purpose (no quoted strings, comments or IP literals). */

#include <string.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include "email.h"

#define EMAIL_MAX     254
#define LOCAL_MAX     64
#define LABEL_MAX     63

static int is_atext(int c)
{
    return apr_isalnum(c) || (c && strchr("!#$%&'*+/=?^_`{|}~-", c));
}

static int local_valid(const char *s, apr_size_t n)
{
    apr_size_t i;

    if (n == 0 || n > LOCAL_MAX || s[0] == '.' || s[n - 1] == '.') {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (s[i + 1] == '.') {
                return 0;
            }
        }
        else if (!is_atext((unsigned char)s[i])) {
            return 0;
        }
    }
    return 1;
}

static int domain_valid(const char *s)
{
    const char *label = s;
    int labels = 0, alpha_only = 1;
    apr_size_t n = 0;

    for (;; s++) {
        if (*s == '.' || *s == '\0') {
            if (n == 0 || n > LABEL_MAX || label[0] == '-' || label[n - 1] == '-') {
                return 0;
            }
            labels++;
            if (*s == '\0') {
                break;
            }
            label = s + 1;
            n = 0;
            alpha_only = 1;
            continue;
        }
        if (!apr_isalnum((unsigned char)*s) && *s != '-') {
            return 0;
        }
        if (!apr_isalpha((unsigned char)*s)) {
            alpha_only = 0;
        }
        n++;
    }
    /* the top-level label: letters only, at least two of them */
    return labels >= 2 && alpha_only && n >= 2;
}

int devplat_email_valid(const char *s)
{
    const char *at;
    apr_size_t len;

    if (!s) {
        return 0;
    }
    len = strlen(s);
    at = strchr(s, '@');
    if (len > EMAIL_MAX || !at || strchr(at + 1, '@')) {
        return 0;
    }
    return local_valid(s, (apr_size_t)(at - s)) && domain_valid(at + 1);
}

char *devplat_email_normalize(apr_pool_t *p, const char *s)
{
    char *out = apr_pstrdup(p, s);
    char *c;

    for (c = out; *c; c++) {
        *c = (char)apr_tolower((unsigned char)*c);
    }
    return out;
}
