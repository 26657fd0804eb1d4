/* E-mail addresses as every face accepts them. */
#ifndef DEVPLAT_EMAIL_H
#define DEVPLAT_EMAIL_H

#include <apr_pools.h>

/* devplat_is_email() (validate.h): the one rule of every face, UTF-8 local
 * parts (RFC 6531) included. */
int devplat_email_valid(const char *s);

/* The address as it is stored and compared: ASCII letters in lower case,
 * every other byte as typed (no Unicode case folding or normalisation, no
 * locale), so the unique index means "unique ignoring ASCII case". */
char *devplat_email_normalize(apr_pool_t *p, const char *s);

#endif
