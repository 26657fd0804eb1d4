/* '!' rather than '\' as the LIKE escape: MySQL reads backslashes in
 * string literals, so '\' would need different SQL per engine. */

#include <string.h>

#include <apr_strings.h>

#include "like.h"

char *devplat_like_contains(apr_pool_t *p, const char *s)
{
    char *out = apr_palloc(p, 2 * strlen(s) + 3);
    char *o = out;

    *o++ = '%';
    for (; *s; s++) {
        if (*s == '%' || *s == '_' || *s == DEVPLAT_LIKE_ESCAPE) {
            *o++ = DEVPLAT_LIKE_ESCAPE;
        }
        *o++ = *s;
    }
    *o++ = '%';
    *o = '\0';
    return out;
}
