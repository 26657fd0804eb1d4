/* bcrypt through apr-util. apr writes "$2y$" (PHP's and Laravel's prefix),
 * so hashes move between the two unchanged. Only bcrypt hashes are
 * accepted: apr_password_validate would otherwise also take MD5, SHA-1 and
 * whatever crypt() understands, none of which this module ever writes. */

#include <string.h>

#include <apr_strings.h>
#include <apr_general.h>
#include <apr_md5.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "password.h"
#include <apr_lib.h>

#define BCRYPT_SALT_LEN 16
#define BCRYPT_HASH_LEN 60          /* "$2y$NN$" + 22 salt + 31 hash */

static int clamp_cost(int cost)
{
    if (cost < DEVPLAT_BCRYPT_COST_MIN) {
        return DEVPLAT_BCRYPT_COST_MIN;
    }
    if (cost > DEVPLAT_BCRYPT_COST_MAX) {
        return DEVPLAT_BCRYPT_COST_MAX;
    }
    return cost;
}

char *devplat_password_hash(apr_pool_t *p, const char *pw, int cost)
{
    unsigned char salt[BCRYPT_SALT_LEN];
    char *out;
    apr_status_t rv;

    if (pw == NULL || RAND_bytes(salt, sizeof(salt)) != 1) {
        return NULL;
    }
    out = apr_palloc(p, BCRYPT_HASH_LEN + 1);
    rv = apr_bcrypt_encode(pw, (unsigned int)clamp_cost(cost), salt,
                           sizeof(salt), out, BCRYPT_HASH_LEN + 1);
    OPENSSL_cleanse(salt, sizeof(salt));
    return rv == APR_SUCCESS ? out : NULL;
}

static int is_bcrypt_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (c >= '0' && c <= '9') || c == '.' || c == '/';
}

/* "$2a$", "$2b$" or "$2y$", two-digit cost, '$', 53 characters. */
static int is_bcrypt_hash(const char *h)
{
    int i;

    if (strlen(h) != BCRYPT_HASH_LEN || h[0] != '$' || h[1] != '2'
        || (h[2] != 'a' && h[2] != 'b' && h[2] != 'y') || h[3] != '$'
        || h[4] < '0' || h[4] > '3' || h[5] < '0' || h[5] > '9'
        || h[6] != '$') {
        return 0;
    }
    for (i = 7; i < BCRYPT_HASH_LEN; i++) {
        if (!is_bcrypt_char(h[i])) {
            return 0;
        }
    }
    return 1;
}

/* Spends one bcrypt computation at cost, like a real verification. A fixed
 * salt is enough: the result is thrown away. */
static void dummy_verify(const char *pw, int cost)
{
    static const unsigned char salt[BCRYPT_SALT_LEN] = "devplat-no-user";
    char out[BCRYPT_HASH_LEN + 1];

    apr_bcrypt_encode(pw ? pw : "", (unsigned int)clamp_cost(cost), salt,
                      sizeof(salt), out, sizeof(out));
    OPENSSL_cleanse(out, sizeof(out));
}

int devplat_password_verify(apr_pool_t *p, const char *pw, const char *hash,
                            int cost)
{
    char *h;

    if (pw == NULL || hash == NULL || !is_bcrypt_hash(hash)) {
        dummy_verify(pw, cost);
        return 0;
    }
    /* apr's crypt_blowfish knows "$2a$" and "$2y$" but would hand "$2b$"
     * to the system crypt(). "$2b$" is OpenBSD's name for the same fixed
     * algorithm as "$2y$" (they differ only for keys over 255 bytes, and
     * bcrypt reads 72), so check it as "$2y$". */
    h = apr_pstrdup(p, hash);
    if (h[2] == 'b') {
        h[2] = 'y';
    }
    return apr_password_validate(pw, h) == APR_SUCCESS;
}

int devplat_password_cost(const char *hash)
{
    if (!hash || hash[0] != '$' || hash[1] != '2' || !hash[2] || hash[3] != '$'
        || !apr_isdigit(hash[4]) || !apr_isdigit(hash[5]) || hash[6] != '$') {
        return 0;
    }
    return (hash[4] - '0') * 10 + (hash[5] - '0');
}
