/* Cryptographic randomness (OpenSSL RAND) in the shapes mod_devplat needs. */
#ifndef DEVPLAT_RANDOM_H
#define DEVPLAT_RANDOM_H

#include <apr_pools.h>

/* nbytes random bytes as 2*nbytes lower-case hex characters. NULL if the
 * generator fails (the caller answers 500; never falls back to rand()). */
char *devplat_random_hex(apr_pool_t *p, apr_size_t nbytes);

/* n random decimal digits, each uniform (rejection sampling). */
char *devplat_random_digits(apr_pool_t *p, int n);

/* n random characters from alphabet, each uniform. */
char *devplat_random_from(apr_pool_t *p, const char *alphabet, int n);

#endif
