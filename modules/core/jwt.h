/* JWT (RFC 7519 / RFC 7515) for mod_devplat: sign and verify with HS256,
 * ES256 or EdDSA. Pure APR + OpenSSL + json-c; no httpd headers. */
#ifndef DEVPLAT_JWT_H
#define DEVPLAT_JWT_H

#include <apr_pools.h>
#include <apr_time.h>

#include "jwk.h"

/* The claims mod_devplat issues and checks. Times are Unix seconds. */
typedef struct {
    const char *sub;     /* user id, decimal */
    const char *jti;     /* session id, 32 hex characters */
    apr_int64_t iat;
    apr_int64_t nbf;
    apr_int64_t exp;
} devplat_jwt_claims;

typedef enum {
    DEVPLAT_JWT_OK = 0,
    DEVPLAT_JWT_MALFORMED,   /* not three base64url parts, bad JSON, ... */
    DEVPLAT_JWT_BAD_ALG,     /* header alg is not exactly the configured one */
    DEVPLAT_JWT_BAD_SIG,     /* signature does not match, or no key has its kid */
    DEVPLAT_JWT_NOT_YET,     /* now < nbf */
    DEVPLAT_JWT_EXPIRED      /* now >= exp (claims are still filled in) */
} devplat_jwt_status;

/* base64url without padding; out is NUL-terminated, from pool. */
char *devplat_b64url_encode(apr_pool_t *p, const unsigned char *in, apr_size_t len);
/* Returns NULL on any character outside the base64url alphabet or padding,
 * and on non-canonical input (length % 4 == 1, or unused trailing bits not
 * zero), so every byte string has exactly one accepted spelling. */
unsigned char *devplat_b64url_decode(apr_pool_t *p, const char *in, apr_size_t inlen,
                                     apr_size_t *outlen);

/* The keys of one server: the algorithm, and the HS256 secret or the
 * asymmetric keys (keys[0] signs; every one verifies, by kid). */
typedef struct {
    devplat_jwt_alg alg;
    const unsigned char *secret;        /* HS256 */
    apr_size_t secret_len;
    const devplat_jwk *const *keys;     /* ES256, EdDSA */
    int nkeys;
} devplat_jwt_keyset;

/* Signs the claims with the keyset: header {"typ":"JWT","alg":"HS256"} for
 * HS256 (exactly as devplat_jwt_sign), {"typ":"JWT","alg":...,"kid":...}
 * with keys[0] otherwise. NULL when keys[0] cannot sign. */
char *devplat_jwt_sign_with(apr_pool_t *p, const devplat_jwt_keyset *ks,
                            const devplat_jwt_claims *c);

/* devplat_jwt_verify for a keyset: the header's alg must be exactly the
 * keyset's; for ES256 and EdDSA its kid must name one of the keys. */
devplat_jwt_status devplat_jwt_verify_with(apr_pool_t *p, const devplat_jwt_keyset *ks,
                                           const char *token, apr_int64_t now,
                                           devplat_jwt_claims *out);

/* Signs header {"typ":"JWT","alg":"HS256"} + the claims. The output is a
 * deterministic function of key and claims, so re-signing a stored session
 * reproduces the same token. */
char *devplat_jwt_sign(apr_pool_t *p, const unsigned char *key, apr_size_t keylen,
                       const devplat_jwt_claims *c);

/* Signs an arbitrary header and payload (both already serialised JSON);
 * used by the unit tests for RFC 7515 A.1 and to forge test tokens. */
char *devplat_jwt_sign_raw(apr_pool_t *p, const unsigned char *key, apr_size_t keylen,
                           const char *header_json, const char *payload_json);

/* Verifies signature (constant time), alg, nbf and exp against now.
 * On OK and EXPIRED the claims are filled in (strings from pool); on any
 * other status out is zeroed. Order: shape and header (MALFORMED, BAD_ALG;
 * a header with "crit" is MALFORMED), then the signature (BAD_SIG), and
 * only then the payload (MALFORMED: sub string or integer, jti string,
 * iat and exp integers required; nbf optional, defaults to iat). Tokens
 * over 8192 bytes are MALFORMED. */
devplat_jwt_status devplat_jwt_verify(apr_pool_t *p, const unsigned char *key,
                                      apr_size_t keylen, const char *token,
                                      apr_int64_t now, devplat_jwt_claims *out);

#endif
