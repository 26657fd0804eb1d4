/* Asymmetric token keys for mod_devplat.
 *
 * Two kinds only: P-256 for ES256 and Ed25519 for EdDSA. A key's kid is its
 * RFC 7638 thumbprint, so every node that holds the same key names it the
 * same way without any configuration, and a verifier that fetched the JWKS
 * can pick the key of a token's header at once.
 */

#include <string.h>

#include <apr_strings.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>

#include "jwk.h"
#include "jwt.h"

#define P256_COORD 32           /* bytes of an x or y coordinate */
#define ED25519_LEN 32          /* bytes of a public key */
#define PEM_MAX 65536           /* a key file is a few hundred bytes */

const char *devplat_jwt_alg_name(devplat_jwt_alg alg)
{
    switch (alg) {
    case DEVPLAT_JWT_ES256:
        return "ES256";
    case DEVPLAT_JWT_EDDSA:
        return "EdDSA";
    default:
        return "HS256";
    }
}

int devplat_jwt_alg_parse(const char *name, devplat_jwt_alg *out)
{
    static const devplat_jwt_alg all[] = {
        DEVPLAT_JWT_HS256, DEVPLAT_JWT_ES256, DEVPLAT_JWT_EDDSA
    };
    apr_size_t i;

    for (i = 0; name && i < sizeof(all) / sizeof(all[0]); i++) {
        if (!strcasecmp(name, devplat_jwt_alg_name(all[i]))) {
            *out = all[i];
            return 1;
        }
    }
    return 0;
}

static apr_status_t free_pkey(void *pkey)
{
    EVP_PKEY_free(pkey);
    return APR_SUCCESS;
}

/* Never prompt for a pass phrase: an encrypted key file fails to load. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    return -1;
}

static EVP_PKEY *read_pem(const char *pem, apr_size_t len, int *has_private)
{
    BIO *bio;
    EVP_PKEY *pkey;

    if (len == 0 || len > PEM_MAX) {
        return NULL;
    }
    bio = BIO_new_mem_buf(pem, (int)len);
    if (!bio) {
        return NULL;
    }
    pkey = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
    *has_private = pkey != NULL;
    if (!pkey) {
        (void)BIO_reset(bio);
        pkey = PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL);
    }
    BIO_free(bio);
    return pkey;
}

/* x and y of a P-256 key, base64url of 32 bytes each. */
static int p256_coordinates(apr_pool_t *p, EVP_PKEY *pkey, char **x, char **y)
{
    BIGNUM *bx = NULL, *by = NULL;
    unsigned char buf[2 * P256_COORD];
    int ok;

    ok = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, &bx)
         && EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &by)
         && BN_bn2binpad(bx, buf, P256_COORD) == P256_COORD
         && BN_bn2binpad(by, buf + P256_COORD, P256_COORD) == P256_COORD;
    BN_free(bx);
    BN_free(by);
    if (!ok) {
        return 0;
    }
    *x = devplat_b64url_encode(p, buf, P256_COORD);
    *y = devplat_b64url_encode(p, buf + P256_COORD, P256_COORD);
    return 1;
}

static int is_p256(EVP_PKEY *pkey)
{
    char group[64];
    size_t n = 0;

    return EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC
           && EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
                                             group, sizeof(group), &n)
           && OBJ_txt2nid(group) == NID_X9_62_prime256v1;
}

/* SHA-256 of the thumbprint input, base64url (RFC 7638 section 3). */
static char *thumbprint(apr_pool_t *p, const char *members)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;

    if (!EVP_Digest(members, strlen(members), md, &n, EVP_sha256(), NULL)) {
        return NULL;
    }
    return devplat_b64url_encode(p, md, n);
}

/* Fills kid and public_jwk from the public half. The thumbprint input is
 * the required members only, in lexical order, without white space. */
static const char *describe(apr_pool_t *p, devplat_jwk *k, EVP_PKEY *pkey)
{
    char *x, *y, *members;

    if (k->alg == DEVPLAT_JWT_ES256) {
        if (!p256_coordinates(p, pkey, &x, &y)) {
            return "the P-256 public key cannot be read";
        }
        members = apr_psprintf(p, "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\","
                               "\"y\":\"%s\"}", x, y);
        k->kid = thumbprint(p, members);
        k->public_jwk = apr_psprintf(p, "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"%s\","
                                     "\"y\":\"%s\",\"kid\":\"%s\",\"use\":\"sig\","
                                     "\"alg\":\"ES256\"}", x, y, k->kid);
    }
    else {
        unsigned char raw[ED25519_LEN];
        size_t n = sizeof(raw);

        if (!EVP_PKEY_get_raw_public_key(pkey, raw, &n) || n != ED25519_LEN) {
            return "the Ed25519 public key cannot be read";
        }
        x = devplat_b64url_encode(p, raw, n);
        members = apr_psprintf(p, "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"%s\"}", x);
        k->kid = thumbprint(p, members);
        k->public_jwk = apr_psprintf(p, "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"%s\","
                                     "\"kid\":\"%s\",\"use\":\"sig\",\"alg\":\"EdDSA\"}",
                                     x, k->kid);
    }
    return k->kid ? NULL : "the key's thumbprint cannot be computed";
}

devplat_jwk *devplat_jwk_from_pem(apr_pool_t *p, const char *pem,
                                  apr_size_t len, const char **err)
{
    devplat_jwk *k;
    EVP_PKEY *pkey;
    int has_private = 0;

    pkey = read_pem(pem, len, &has_private);
    if (!pkey) {
        *err = "no unencrypted PEM private key (PKCS#8 or SEC1) or public key "
               "(SPKI) could be read";
        return NULL;
    }
    apr_pool_cleanup_register(p, pkey, free_pkey, apr_pool_cleanup_null);
    k = apr_pcalloc(p, sizeof(*k));
    k->pkey = pkey;
    k->has_private = has_private;
    if (is_p256(pkey)) {
        k->alg = DEVPLAT_JWT_ES256;
    }
    else if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519) {
        k->alg = DEVPLAT_JWT_EDDSA;
    }
    else {
        *err = apr_psprintf(p, "the key is %s; ES256 takes a P-256 EC key and EdDSA "
                            "an Ed25519 key",
                            EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC
                            ? "an EC key on another curve" : EVP_PKEY_get0_type_name(pkey)
                            ? apr_pstrcat(p, "of type ", EVP_PKEY_get0_type_name(pkey), NULL)
                            : "of another type");
        return NULL;
    }
    if ((*err = describe(p, k, pkey)) != NULL) {
        return NULL;
    }
    return k;
}

/* ES256's DER signature to JWS's fixed-width R || S (RFC 7518 3.4). */
static int der_to_raw(const unsigned char *der, size_t len,
                      unsigned char out[DEVPLAT_JWK_SIG_LEN])
{
    ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &der, (long)len);
    const BIGNUM *r, *ss;
    int ok;

    if (!s) {
        return 0;
    }
    ECDSA_SIG_get0(s, &r, &ss);
    ok = BN_bn2binpad(r, out, P256_COORD) == P256_COORD
         && BN_bn2binpad(ss, out + P256_COORD, P256_COORD) == P256_COORD;
    ECDSA_SIG_free(s);
    return ok;
}

/* R || S back to DER for OpenSSL; NULL when it cannot be encoded. */
static unsigned char *raw_to_der(const unsigned char *sig, int *len)
{
    ECDSA_SIG *s = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, P256_COORD, NULL);
    BIGNUM *ss = BN_bin2bn(sig + P256_COORD, P256_COORD, NULL);
    unsigned char *der = NULL;

    if (s && r && ss && ECDSA_SIG_set0(s, r, ss)) {
        r = ss = NULL;          /* owned by s now */
        *len = i2d_ECDSA_SIG(s, &der);
        if (*len <= 0) {
            der = NULL;
        }
    }
    BN_free(r);
    BN_free(ss);
    ECDSA_SIG_free(s);
    return der;
}

/* SHA-256 for ES256; none for Ed25519, which hashes by itself. */
static const EVP_MD *digest_of(const devplat_jwk *k)
{
    return k->alg == DEVPLAT_JWT_ES256 ? EVP_sha256() : NULL;
}

int devplat_jwk_sign(const devplat_jwk *k, const unsigned char *data,
                     apr_size_t len, unsigned char sig[DEVPLAT_JWK_SIG_LEN])
{
    EVP_MD_CTX *ctx;
    unsigned char der[80];
    size_t n = sizeof(der);
    int ok;

    if (!k || !k->has_private || !(ctx = EVP_MD_CTX_new())) {
        return 0;
    }
    ok = EVP_DigestSignInit(ctx, NULL, digest_of(k), NULL, k->pkey) == 1
         && EVP_DigestSign(ctx, der, &n, data, len) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        return 0;
    }
    if (k->alg == DEVPLAT_JWT_ES256) {
        return der_to_raw(der, n, sig);
    }
    if (n != DEVPLAT_JWK_SIG_LEN) {
        return 0;
    }
    memcpy(sig, der, n);
    return 1;
}

int devplat_jwk_verify(const devplat_jwk *k, const unsigned char *data,
                       apr_size_t len, const unsigned char *sig,
                       apr_size_t siglen)
{
    EVP_MD_CTX *ctx;
    unsigned char *der = NULL;
    const unsigned char *check = sig;
    int n = DEVPLAT_JWK_SIG_LEN, ok;

    if (!k || siglen != DEVPLAT_JWK_SIG_LEN) {
        return 0;
    }
    if (k->alg == DEVPLAT_JWT_ES256) {
        if (!(der = raw_to_der(sig, &n))) {
            return 0;
        }
        check = der;
    }
    ctx = EVP_MD_CTX_new();
    ok = ctx
         && EVP_DigestVerifyInit(ctx, NULL, digest_of(k), NULL, k->pkey) == 1
         && EVP_DigestVerify(ctx, check, (size_t)n, data, len) == 1;
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    return ok;
}

char *devplat_jwks_json(apr_pool_t *p, const devplat_jwk *const *keys,
                        int nkeys)
{
    char *out = "{\"keys\":[";
    int i;

    for (i = 0; i < nkeys; i++) {
        out = apr_pstrcat(p, out, i ? "," : "", keys[i]->public_jwk, NULL);
    }
    return apr_pstrcat(p, out, "]}", NULL);
}
