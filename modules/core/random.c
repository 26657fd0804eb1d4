/* Cryptographic randomness for session ids, codes and captchas.
 * Every value comes from OpenSSL's CSPRNG; a failing generator yields NULL
 * rather than a weaker fallback. */

#include <string.h>
#include <limits.h>

#include <apr_strings.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "random.h"

/* Bytes drawn per RAND_bytes call while rejection sampling. */
#define RANDOM_BATCH 64

char *devplat_random_hex(apr_pool_t *p, apr_size_t nbytes)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char *buf;
    char *out;
    apr_size_t i;

    if (nbytes > INT_MAX / 2) {
        return NULL;
    }
    buf = apr_palloc(p, nbytes ? nbytes : 1);
    if (nbytes > 0 && RAND_bytes(buf, (int)nbytes) != 1) {
        return NULL;
    }
    out = apr_palloc(p, 2 * nbytes + 1);
    for (i = 0; i < nbytes; i++) {
        out[2 * i] = hex[buf[i] >> 4];
        out[2 * i + 1] = hex[buf[i] & 0x0f];
    }
    out[2 * nbytes] = '\0';
    OPENSSL_cleanse(buf, nbytes);
    return out;
}

char *devplat_random_from(apr_pool_t *p, const char *alphabet, int n)
{
    unsigned char buf[RANDOM_BATCH];
    apr_size_t m;
    unsigned int limit;
    char *out;
    int got = 0, i;

    if (alphabet == NULL || n < 0) {
        return NULL;
    }
    m = strlen(alphabet);
    if (m == 0 || m > 256) {
        return NULL;
    }
    /* Bytes at or above the largest multiple of m would favour the first
     * characters; they are thrown away instead of folded in. */
    limit = 256 - (256 % (unsigned int)m);
    out = apr_palloc(p, (apr_size_t)n + 1);
    while (got < n) {
        if (RAND_bytes(buf, sizeof(buf)) != 1) {
            OPENSSL_cleanse(buf, sizeof(buf));
            return NULL;
        }
        for (i = 0; i < (int)sizeof(buf) && got < n; i++) {
            if (buf[i] < limit) {
                out[got++] = alphabet[buf[i] % m];
            }
        }
    }
    out[n] = '\0';
    OPENSSL_cleanse(buf, sizeof(buf));
    return out;
}

char *devplat_random_digits(apr_pool_t *p, int n)
{
    return devplat_random_from(p, "0123456789", n);
}
