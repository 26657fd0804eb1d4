/* Unit tests for the asymmetric token keys (modules/core/jwk.c) and the
 * keyset side of modules/core/jwt.c (TAP on stdout). Known answers come
 * from outside this code: RFC 8037 appendix A (Ed25519 key, thumbprint and
 * signature) and RFC 7515 appendix A.3 (an ES256 signature). */

#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include "jwk.h"
#include "jwt.h"

#include "unit.h"

/* ---------------------------------------------------------------- keys */

/* PEM text of a key: its private half when it has one and want_private. */
static char *pem_of(apr_pool_t *p, EVP_PKEY *pkey, int want_private,
                    const EVP_CIPHER *cipher, apr_size_t *len)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *data, *out = NULL;
    long n;

    if (want_private
        ? PEM_write_bio_PrivateKey(bio, pkey, cipher, (unsigned char *)"pass", 4, NULL, NULL)
        : PEM_write_bio_PUBKEY(bio, pkey)) {
        n = BIO_get_mem_data(bio, &data);
        out = apr_pstrmemdup(p, data, (apr_size_t)n);
        *len = (apr_size_t)n;
    }
    BIO_free(bio);
    return out;
}

static devplat_jwk *load(apr_pool_t *p, EVP_PKEY *pkey, int want_private,
                         const char **err)
{
    apr_size_t len = 0;
    char *pem = pem_of(p, pkey, want_private, NULL, &len);

    *err = "no PEM";
    return pem ? devplat_jwk_from_pem(p, pem, len, err) : NULL;
}

static unsigned char *b64(apr_pool_t *p, const char *s, apr_size_t *n)
{
    return devplat_b64url_decode(p, s, strlen(s), n);
}

/* RFC 8037 A.1 to A.4. */
static void test_rfc8037_ed25519(apr_pool_t *p)
{
    static const char d[] = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
    static const char x[] = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    static const char input[] = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
    static const char want_sig[] = "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbh"
                                   "ijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
    unsigned char sig[DEVPLAT_JWK_SIG_LEN];
    apr_size_t n;
    unsigned char *raw = b64(p, d, &n);
    EVP_PKEY *pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, raw, n);
    const char *err = NULL;
    devplat_jwk *k = load(p, pkey, 1, &err);

    UNIT_OK(k != NULL, "RFC 8037 key loads from PKCS#8 PEM (%s)", k ? "ok" : err);
    if (!k) {
        EVP_PKEY_free(pkey);
        return;
    }
    UNIT_IS_INT(k->alg, DEVPLAT_JWT_EDDSA, "an Ed25519 key is EdDSA");
    UNIT_OK(k->has_private, "the private half is there");
    UNIT_IS_STR(k->kid, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k",
                "kid is the RFC 8037 A.3 thumbprint");
    UNIT_IS_STR(k->public_jwk,
                apr_psprintf(p, "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"%s\","
                             "\"kid\":\"kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k\","
                             "\"use\":\"sig\",\"alg\":\"EdDSA\"}", x),
                "the public JWK: x of RFC 8037 A.2, no d");
    UNIT_OK(devplat_jwk_sign(k, (const unsigned char *)input, strlen(input), sig),
            "signs");
    UNIT_IS_STR(devplat_b64url_encode(p, sig, sizeof(sig)), want_sig,
                "the signature of RFC 8037 A.4");
    UNIT_OK(devplat_jwk_verify(k, (const unsigned char *)input, strlen(input), sig,
                               sizeof(sig)), "verifies it");
    sig[10] ^= 1;
    UNIT_OK(!devplat_jwk_verify(k, (const unsigned char *)input, strlen(input), sig,
                                sizeof(sig)), "one flipped bit: refused");
    sig[10] ^= 1;
    UNIT_OK(!devplat_jwk_verify(k, (const unsigned char *)input, strlen(input) - 1, sig,
                                sizeof(sig)), "other data: refused");
    UNIT_OK(!devplat_jwk_verify(k, (const unsigned char *)input, strlen(input), sig,
                                sizeof(sig) - 1), "a short signature: refused");

    k = load(p, pkey, 0, &err);
    UNIT_OK(k && !k->has_private, "the SPKI public key loads, without a private half");
    UNIT_IS_STR(k ? k->kid : NULL, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k",
                "the public key has the same kid");
    UNIT_OK(k && !devplat_jwk_sign(k, (const unsigned char *)input, strlen(input), sig),
            "a public key does not sign");
    EVP_PKEY_free(pkey);
}

/* A P-256 public key from its JWK coordinates. */
static EVP_PKEY *p256_public(apr_pool_t *p, const char *x, const char *y)
{
    unsigned char pub[65];
    apr_size_t nx, ny;
    unsigned char *bx = b64(p, x, &nx), *by = b64(p, y, &ny);
    OSSL_PARAM params[3];
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    EVP_PKEY *pkey = NULL;

    pub[0] = 0x04;
    memcpy(pub + 1, bx, 32);
    memcpy(pub + 33, by, 32);
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub));
    params[2] = OSSL_PARAM_construct_end();
    if (nx != 32 || ny != 32 || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0
        || EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
        pkey = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

/* RFC 7515 A.3: ECDSA signatures are random, so only verification has a
 * known answer. */
static void test_rfc7515_es256(apr_pool_t *p)
{
    static const char input[] =
        "eyJhbGciOiJFUzI1NiJ9"
        ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
    static const char sig64[] = "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5"
                                "djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
    EVP_PKEY *pkey = p256_public(p, "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                                 "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");
    const char *err = NULL;
    devplat_jwk *k = pkey ? load(p, pkey, 0, &err) : NULL;
    apr_size_t n;
    unsigned char *sig = b64(p, sig64, &n);

    UNIT_OK(k != NULL, "RFC 7515 A.3 public key loads (%s)", k ? "ok" : err ? err : "");
    if (!k) {
        EVP_PKEY_free(pkey);
        return;
    }
    UNIT_IS_INT(k->alg, DEVPLAT_JWT_ES256, "a P-256 key is ES256");
    UNIT_OK(strstr(k->public_jwk, "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\"")
            && strstr(k->public_jwk, "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"")
            && strstr(k->public_jwk, "\"crv\":\"P-256\""),
            "the public JWK carries the key's x and y");
    UNIT_OK(devplat_jwk_verify(k, (const unsigned char *)input, strlen(input), sig, n),
            "verifies the RFC 7515 A.3 signature (R || S)");
    sig[40] ^= 0x80;
    UNIT_OK(!devplat_jwk_verify(k, (const unsigned char *)input, strlen(input), sig, n),
            "a flipped bit in S: refused");
    EVP_PKEY_free(pkey);
}

/* Keys of other kinds and files that are not keys are refused, and an
 * encrypted key fails instead of prompting for a pass phrase. */
static void test_refused_keys(apr_pool_t *p)
{
    static const struct {
        const char *type, *param;
        const char *why;
    } other[] = {
        {"EC", "P-384", "an EC key on another curve"},
        {"RSA", NULL, "RSA"},
        {"X25519", NULL, "X25519"},
    };
    const char *err;
    apr_size_t i, len = 0;
    EVP_PKEY *pkey;
    char *pem;

    for (i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
        pkey = other[i].param ? EVP_PKEY_Q_keygen(NULL, NULL, other[i].type, other[i].param)
               : !strcmp(other[i].type, "RSA") ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048)
               : EVP_PKEY_Q_keygen(NULL, NULL, other[i].type);
        err = NULL;
        UNIT_OK(pkey && !load(p, pkey, 1, &err), "%s key: refused", other[i].type);
        UNIT_OK(err && strstr(err, other[i].why) && strstr(err, "P-256")
                && strstr(err, "Ed25519"), "%s key: the message says what is taken (%s)",
                other[i].type, err ? err : "");
        EVP_PKEY_free(pkey);
    }

    pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    pem = pem_of(p, pkey, 1, EVP_aes_128_cbc(), &len);
    err = NULL;
    UNIT_OK(pem && !devplat_jwk_from_pem(p, pem, len, &err) && err
            && strstr(err, "unencrypted"), "an encrypted key: refused, no prompt");
    EVP_PKEY_free(pkey);

    err = NULL;
    UNIT_OK(!devplat_jwk_from_pem(p, "hello", 5, &err) && err, "text that is no PEM");
    err = NULL;
    UNIT_OK(!devplat_jwk_from_pem(p, "", 0, &err) && err, "an empty file");
    pem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    err = NULL;
    UNIT_OK(!devplat_jwk_from_pem(p, pem, strlen(pem), &err) && err, "a broken PEM body");
}

/* ---------------------------------------------------------------- tokens */

static devplat_jwt_claims claims(void)
{
    devplat_jwt_claims c;

    c.sub = "42";
    c.jti = "0123456789abcdef0123456789abcdef";
    c.iat = 1700000000;
    c.nbf = 1700000000;
    c.exp = 1700007200;
    return c;
}

static devplat_jwt_keyset keyset(devplat_jwt_alg alg, const devplat_jwk **keys, int n)
{
    devplat_jwt_keyset ks;

    memset(&ks, 0, sizeof(ks));
    ks.alg = alg;
    ks.keys = keys;
    ks.nkeys = n;
    ks.secret = (const unsigned char *)"0123456789abcdef0123456789abcdef";
    ks.secret_len = 32;
    return ks;
}

/* The header of a token, decoded. */
static char *header_of(apr_pool_t *p, const char *tok)
{
    const char *dot = tok ? strchr(tok, '.') : NULL;

    return dot ? (char *)devplat_b64url_decode(p, tok, (apr_size_t)(dot - tok), NULL) : NULL;
}

/* A token with this header, the payload of good and good's signature. */
static char *with_header(apr_pool_t *p, const char *good, const char *header)
{
    const char *dot = strchr(good, '.');

    return apr_pstrcat(p, devplat_b64url_encode(p, (const unsigned char *)header,
                                                strlen(header)), dot, NULL);
}

static void test_tokens(apr_pool_t *p, devplat_jwt_alg alg, const char *type,
                        const char *param)
{
    const char *name = devplat_jwt_alg_name(alg);
    const char *other_name = alg == DEVPLAT_JWT_ES256 ? "EdDSA" : "ES256";
    EVP_PKEY *pa = param ? EVP_PKEY_Q_keygen(NULL, NULL, type, param)
                   : EVP_PKEY_Q_keygen(NULL, NULL, type);
    EVP_PKEY *pb = param ? EVP_PKEY_Q_keygen(NULL, NULL, type, param)
                   : EVP_PKEY_Q_keygen(NULL, NULL, type);
    const char *err;
    const devplat_jwk *a = load(p, pa, 1, &err), *b = load(p, pb, 1, &err);
    const devplat_jwk *only_a[1], *only_b[1], *a_then_b[2], *b_pub[1];
    devplat_jwt_keyset ks_a, ks_b, ks_ab, ks_hs, ks_bpub;
    devplat_jwt_claims c = claims(), out;
    char *tok, *tok_b, *h, *forged;

    if (!a || !b) {
        UNIT_OK(0, "%s: generated keys load", name);
        return;
    }
    only_a[0] = a;
    only_b[0] = b;
    a_then_b[0] = a;
    a_then_b[1] = b;
    b_pub[0] = load(p, pb, 0, &err);
    ks_a = keyset(alg, only_a, 1);
    ks_b = keyset(alg, only_b, 1);
    ks_ab = keyset(alg, a_then_b, 2);
    ks_hs = keyset(DEVPLAT_JWT_HS256, NULL, 0);
    ks_bpub = keyset(alg, b_pub, 1);

    tok = devplat_jwt_sign_with(p, &ks_a, &c);
    UNIT_OK(tok != NULL, "%s: signs", name);
    h = header_of(p, tok);
    UNIT_IS_STR(h, apr_psprintf(p, "{\"typ\":\"JWT\",\"alg\":\"%s\",\"kid\":\"%s\"}",
                                name, a->kid), "%s: the header names alg and kid", name);
    UNIT_IS_INT(devplat_jwt_verify_with(p, &ks_a, tok, c.iat, &out), DEVPLAT_JWT_OK,
                "%s: verifies", name);
    UNIT_IS_STR(out.sub, "42", "%s: sub", name);
    UNIT_IS_STR(out.jti, c.jti, "%s: jti", name);
    UNIT_IS_INT(devplat_jwt_verify_with(p, &ks_a, tok, c.exp, NULL), DEVPLAT_JWT_EXPIRED,
                "%s: expired at exp", name);
    UNIT_IS_INT(devplat_jwt_verify_with(p, &ks_ab, tok, c.iat, NULL), DEVPLAT_JWT_OK,
                "%s: a keyset of two keys verifies the first's token", name);
    tok_b = devplat_jwt_sign_with(p, &ks_b, &c);
    UNIT_IS_INT(devplat_jwt_verify_with(p, &ks_ab, tok_b, c.iat, NULL), DEVPLAT_JWT_OK,
                "%s: ... and the second's (rotation)", name);
    UNIT_IS_INT(devplat_jwt_verify_with(p, &ks_bpub, tok_b, c.iat, NULL), DEVPLAT_JWT_OK,
                "%s: a public key alone verifies", name);
    UNIT_IS_INT(devplat_jwt_verify_with(p, &ks_b, tok, c.iat, NULL), DEVPLAT_JWT_BAD_SIG,
                "%s: a kid no key has: refused", name);
    UNIT_OK(devplat_jwt_sign_with(p, &ks_bpub, &c) == NULL,
            "%s: a keyset whose first key is public does not sign", name);

    /* b's kid on a's signature: the key the kid names decides, and fails */
    forged = with_header(p, tok, apr_psprintf(p, "{\"typ\":\"JWT\",\"alg\":\"%s\","
                                              "\"kid\":\"%s\"}", name, b->kid));
    UNIT_IS_INT(devplat_jwt_verify_with(p, &ks_ab, forged, c.iat, NULL), DEVPLAT_JWT_BAD_SIG,
                "%s: another key's kid on the signature: refused", name);
    forged = with_header(p, tok, apr_psprintf(p, "{\"typ\":\"JWT\",\"alg\":\"%s\"}", name));
    UNIT_IS_INT(devplat_jwt_verify_with(p, &ks_a, forged, c.iat, NULL), DEVPLAT_JWT_MALFORMED,
                "%s: no kid: refused", name);
    forged = with_header(p, tok, apr_psprintf(p, "{\"alg\":\"%s\",\"kid\":42}", name));
    UNIT_IS_INT(devplat_jwt_verify_with(p, &ks_a, forged, c.iat, NULL), DEVPLAT_JWT_MALFORMED,
                "%s: a kid that is no string: refused", name);
    forged = with_header(p, tok, apr_psprintf(p, "{\"alg\":\"%s\",\"kid\":\"%s\"}",
                                              other_name, a->kid));
    UNIT_IS_INT(devplat_jwt_verify_with(p, &ks_a, forged, c.iat, NULL), DEVPLAT_JWT_BAD_ALG,
                "%s: the other asymmetric alg in the header: refused", name);
    forged = with_header(p, tok, apr_psprintf(p, "{\"alg\":\"none\",\"kid\":\"%s\"}", a->kid));
    UNIT_IS_INT(devplat_jwt_verify_with(p, &ks_a, forged, c.iat, NULL), DEVPLAT_JWT_BAD_ALG,
                "%s: alg none: refused", name);
    forged = with_header(p, tok, apr_psprintf(p, "{\"alg\":\"%s\",\"kid\":\"%s\","
                                              "\"crit\":[\"x\"]}", name, a->kid));
    UNIT_IS_INT(devplat_jwt_verify_with(p, &ks_a, forged, c.iat, NULL), DEVPLAT_JWT_MALFORMED,
                "%s: crit: refused", name);

    /* algorithm confusion: an HS256 token, MACed with the public JWK's text
     * as the secret, is refused by the asymmetric keyset on its alg */
    forged = devplat_jwt_sign_raw(p, (const unsigned char *)a->public_jwk,
                                  strlen(a->public_jwk),
                                  apr_psprintf(p, "{\"alg\":\"HS256\",\"kid\":\"%s\"}", a->kid),
                                  "{\"sub\":\"42\",\"jti\":\"x\",\"iat\":1700000000,"
                                  "\"exp\":1800000000}");
    UNIT_IS_INT(devplat_jwt_verify_with(p, &ks_a, forged, c.iat, NULL), DEVPLAT_JWT_BAD_ALG,
                "%s: an HS256 token keyed with the public key: refused", name);
    UNIT_IS_INT(devplat_jwt_verify_with(p, &ks_hs, tok, c.iat, NULL), DEVPLAT_JWT_BAD_ALG,
                "%s: the token under an HS256 keyset: refused", name);
    tok = devplat_jwt_sign_with(p, &ks_hs, &c);
    UNIT_IS_INT(devplat_jwt_verify_with(p, &ks_a, tok, c.iat, NULL), DEVPLAT_JWT_BAD_ALG,
                "%s: an HS256 token under the %s keyset: refused", name, name);
    UNIT_IS_STR(header_of(p, tok), "{\"typ\":\"JWT\",\"alg\":\"HS256\"}",
                "HS256 tokens keep their header");
    UNIT_IS_STR(tok, devplat_jwt_sign(p, ks_hs.secret, ks_hs.secret_len, &c),
                "HS256 through a keyset is the same token as devplat_jwt_sign");

    h = devplat_jwks_json(p, a_then_b, 2);
    UNIT_IS_STR(h, apr_pstrcat(p, "{\"keys\":[", a->public_jwk, ",", b->public_jwk, "]}",
                               NULL), "%s: the JWK Set lists both keys in order", name);
    UNIT_OK(!strstr(h, "\"d\""), "%s: no private member in the JWK Set", name);
    EVP_PKEY_free(pa);
    EVP_PKEY_free(pb);
}

static void test_alg_names(apr_pool_t *p)
{
    devplat_jwt_alg a = DEVPLAT_JWT_HS256;

    UNIT_OK(devplat_jwt_alg_parse("ES256", &a) && a == DEVPLAT_JWT_ES256, "ES256 parses");
    UNIT_OK(devplat_jwt_alg_parse("eddsa", &a) && a == DEVPLAT_JWT_EDDSA,
            "eddsa parses (directive values are case-insensitive)");
    UNIT_OK(devplat_jwt_alg_parse("HS256", &a) && a == DEVPLAT_JWT_HS256, "HS256 parses");
    UNIT_OK(!devplat_jwt_alg_parse("none", &a), "none is no algorithm");
    UNIT_OK(!devplat_jwt_alg_parse("RS256", &a), "RS256 is not taken");
    UNIT_OK(!devplat_jwt_alg_parse("", &a), "empty is not taken");
    UNIT_IS_STR(devplat_jwt_alg_name(DEVPLAT_JWT_EDDSA), "EdDSA", "EdDSA's JOSE name");
    UNIT_IS_STR(devplat_jwks_json(p, NULL, 0),
                "{\"keys\":[]}", "no keys: an empty set");
}

int main(void)
{
    apr_pool_t *p;

    apr_initialize();
    apr_pool_create(&p, NULL);
    test_alg_names(p);
    test_rfc8037_ed25519(p);
    test_rfc7515_es256(p);
    test_refused_keys(p);
    test_tokens(p, DEVPLAT_JWT_ES256, "EC", "P-256");
    test_tokens(p, DEVPLAT_JWT_EDDSA, "ED25519", NULL);
    apr_pool_destroy(p);
    apr_terminate();
    return UNIT_DONE();
}
