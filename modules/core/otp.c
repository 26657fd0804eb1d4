/* Verification codes are stored only as an HMAC bound to purpose and
 * destination: a leaked table reveals no code, and a code sent for one
 * purpose or address does not verify for another. */

#include <string.h>
#include <limits.h>

#include <apr_strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "otp.h"

char *devplat_otp_digest(apr_pool_t *p, const unsigned char *key,
                         apr_size_t keylen, const char *purpose,
                         const char *destination, const char *code)
{
    static const char hex[] = "0123456789abcdef";
    static const unsigned char empty = 0;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0, i;
    char *msg, *out;

    if (purpose == NULL || destination == NULL || code == NULL
        || keylen > INT_MAX) {
        return NULL;
    }
    /* "\n" separates the fields; callers validate destinations and codes
     * (no newlines), so the concatenation is unambiguous. */
    msg = apr_pstrcat(p, purpose, "\n", destination, "\n", code, NULL);
    if (HMAC(EVP_sha256(), key ? key : &empty, (int)keylen,
             (const unsigned char *)msg, strlen(msg), mac, &maclen) == NULL
        || maclen != 32) {
        OPENSSL_cleanse(msg, strlen(msg));
        return NULL;
    }
    OPENSSL_cleanse(msg, strlen(msg));
    out = apr_palloc(p, 2 * maclen + 1);
    for (i = 0; i < maclen; i++) {
        out[2 * i] = hex[mac[i] >> 4];
        out[2 * i + 1] = hex[mac[i] & 0x0f];
    }
    out[2 * maclen] = '\0';
    return out;
}

int devplat_str_equal_ct(const char *a, const char *b)
{
    apr_size_t la, lb, n, i;
    unsigned int diff;

    if (a == NULL || b == NULL) {
        return 0;
    }
    la = strlen(a);
    lb = strlen(b);
    n = la > lb ? la : lb;
    diff = (la != lb);
    /* Every position up to the longer length is visited whatever the
     * content, so the time depends only on the lengths. Past its end a
     * string is read as its terminating NUL (index clamped, no branch). */
    for (i = 0; i < n; i++) {
        unsigned char ca = (unsigned char)a[i < la ? i : la];
        unsigned char cb = (unsigned char)b[i < lb ? i : lb];
        diff |= (unsigned int)(ca ^ cb);
    }
    return diff == 0;
}
