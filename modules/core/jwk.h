/* Asymmetric token keys (ES256 on P-256, EdDSA on Ed25519): loaded from
 * PEM, named by their RFC 7638 thumbprint, published as JWKs (RFC 7517,
 * RFC 8037). Pure APR + OpenSSL; no httpd headers. */
#ifndef DEVPLAT_JWK_H
#define DEVPLAT_JWK_H

#include <apr_pools.h>

/* The token algorithms DevplatJwtAlgorithm names. */
typedef enum {
    DEVPLAT_JWT_HS256 = 0,
    DEVPLAT_JWT_ES256,
    DEVPLAT_JWT_EDDSA
} devplat_jwt_alg;

/* "HS256", "ES256", "EdDSA": the JOSE names (RFC 7518, RFC 8037). */
const char *devplat_jwt_alg_name(devplat_jwt_alg alg);

/* The algorithm of a JOSE name, case-insensitively (a directive's value);
 * 0 for a name that is none of ours ("none" included). */
int devplat_jwt_alg_parse(const char *name, devplat_jwt_alg *out);

/* Bytes of an ES256 or EdDSA signature as JWS carries it (R || S). */
#define DEVPLAT_JWK_SIG_LEN 64

typedef struct {
    devplat_jwt_alg alg;        /* ES256 for P-256, EdDSA for Ed25519 */
    int has_private;            /* 0: a public key, verifies only */
    const char *kid;            /* RFC 7638 thumbprint, base64url */
    const char *public_jwk;     /* {"kty",...,"kid","use":"sig","alg"} */
    void *pkey;                 /* EVP_PKEY, freed with the pool */
} devplat_jwk;

/* A private key (PKCS#8 or SEC1 PEM, unencrypted) or a public key (SPKI
 * PEM). NULL with *err set (a sentence without the path) when the text is
 * not such a key or the key is of another kind (RSA, P-384, ...). */
devplat_jwk *devplat_jwk_from_pem(apr_pool_t *p, const char *pem,
                                  apr_size_t len, const char **err);

/* Signs data with a private key: 64 bytes out. Returns 1 on success. */
int devplat_jwk_sign(const devplat_jwk *k, const unsigned char *data,
                     apr_size_t len, unsigned char sig[DEVPLAT_JWK_SIG_LEN]);

/* 1 when sig (exactly 64 bytes) is k's signature of data. */
int devplat_jwk_verify(const devplat_jwk *k, const unsigned char *data,
                       apr_size_t len, const unsigned char *sig,
                       apr_size_t siglen);

/* The JWK Set {"keys":[...]} of keys' public halves. */
char *devplat_jwks_json(apr_pool_t *p, const devplat_jwk *const *keys,
                        int nkeys);

#endif
