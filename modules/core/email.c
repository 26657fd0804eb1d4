/* E-mail addresses: one rule (devplat_is_email, validate.c) and one
 * normal form on every face, so that an address accepted by one face is
 * accepted by all and names the same account everywhere. */

#include <apr_strings.h>

#include "email.h"
#include "validate.h"

int devplat_email_valid(const char *s)
{
    return devplat_is_email(s);
}

char *devplat_email_normalize(apr_pool_t *p, const char *s)
{
    char *out = apr_pstrdup(p, s);
    char *c;

    /* ASCII letters only, whatever the locale: a byte of a UTF-8
     * character is never touched */
    for (c = out; c && *c; c++) {
        if (*c >= 'A' && *c <= 'Z') {
            *c = (char)(*c - 'A' + 'a');
        }
    }
    return out;
}
