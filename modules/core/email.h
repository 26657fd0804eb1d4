/* E-mail addresses as the developer API accepts them. */
#ifndef DEVPLAT_EMAIL_H
#define DEVPLAT_EMAIL_H

#include <apr_pools.h>

/* devplat_is_email() (validate.h) with a top-level label of letters only:
 * 1 for an ASCII address local@domain of at most 254 characters: a local
 * part of 1..64 atext characters (RFC 5322 dot-atom: letters, digits and
 * !#$%&'*+/=?^_`{|}~- with single dots between them), a domain of at least
 * two dot-separated labels of 1..63 letters, digits and inner hyphens, the
 * last one letters only (2..63). Quoted local parts, address literals and
 * internationalised addresses are refused. */
int devplat_email_valid(const char *s);

/* The address in lower case, as it is stored and compared. */
char *devplat_email_normalize(apr_pool_t *p, const char *s);

#endif
