/* E-mail addresses of the developer API: the shared rule of validate.c
 * (devplat_is_email, which the admin face uses as it is) with a top-level
 * label of letters only, as the developer face has always required. */

#include <string.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include "email.h"
#include "validate.h"

int devplat_email_valid(const char *s)
{
    const char *tld;

    if (!devplat_is_email(s)) {
        return 0;
    }
    for (tld = strrchr(s, '.') + 1; *tld; tld++) {
        if (!apr_isalpha((unsigned char)*tld)) {
            return 0;
        }
    }
    return 1;
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
