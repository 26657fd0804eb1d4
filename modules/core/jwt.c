/* JWT for mod_devplat.
 *
 * Only what the module issues is accepted: a compact JWS with three strict
 * base64url parts, alg exactly the configured one ("HS256", "ES256" or
 * "EdDSA", never "none" and never switched by the token), for ES256 and
 * EdDSA a kid naming one of the configured keys, and the claims sub, jti,
 * iat, nbf, exp. The signature is checked before the payload is parsed, so
 * nothing an attacker writes into a payload reaches the JSON parser unless
 * it was signed with our key.
 */

#include <string.h>
#include <limits.h>

#include <apr_strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <json-c/json.h>

#include "jwt.h"

/* Longer tokens are not ours (ours are well under 512 bytes); the cap keeps
 * the work done on hostile input small. */
#define JWT_MAX_LEN 8192
#define JWT_SIG_LEN 32

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *devplat_b64url_encode(apr_pool_t *p, const unsigned char *in,
                            apr_size_t len)
{
    apr_size_t i, o = 0;
    char *out;

    if (len > (APR_SIZE_MAX - 4) / 4 * 3) {
        return NULL;
    }
    out = apr_palloc(p, (len + 2) / 3 * 4 + 1);
    for (i = 0; i + 2 < len; i += 3) {
        unsigned long v = ((unsigned long)in[i] << 16)
                          | ((unsigned long)in[i + 1] << 8) | in[i + 2];
        out[o++] = b64url_alphabet[(v >> 18) & 0x3f];
        out[o++] = b64url_alphabet[(v >> 12) & 0x3f];
        out[o++] = b64url_alphabet[(v >> 6) & 0x3f];
        out[o++] = b64url_alphabet[v & 0x3f];
    }
    if (len - i == 1) {
        unsigned long v = (unsigned long)in[i] << 16;
        out[o++] = b64url_alphabet[(v >> 18) & 0x3f];
        out[o++] = b64url_alphabet[(v >> 12) & 0x3f];
    }
    else if (len - i == 2) {
        unsigned long v = ((unsigned long)in[i] << 16)
                          | ((unsigned long)in[i + 1] << 8);
        out[o++] = b64url_alphabet[(v >> 18) & 0x3f];
        out[o++] = b64url_alphabet[(v >> 12) & 0x3f];
        out[o++] = b64url_alphabet[(v >> 6) & 0x3f];
    }
    out[o] = '\0';
    return out;
}

/* Value of one base64url character, or -1. */
static int b64url_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '-') {
        return 62;
    }
    if (c == '_') {
        return 63;
    }
    return -1;
}

unsigned char *devplat_b64url_decode(apr_pool_t *p, const char *in,
                                     apr_size_t inlen, apr_size_t *outlen)
{
    unsigned char *out;
    apr_size_t i, o = 0;
    unsigned long acc = 0;
    int bits = 0;

    if (in == NULL || inlen % 4 == 1) {
        return NULL;
    }
    out = apr_palloc(p, inlen / 4 * 3 + 3);
    for (i = 0; i < inlen; i++) {
        int v = b64url_value((unsigned char)in[i]);
        if (v < 0) {
            return NULL;
        }
        acc = ((acc << 6) | (unsigned long)v) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)((acc >> bits) & 0xff);
        }
    }
    /* Leftover bits must be zero: otherwise several strings decode to the
     * same bytes and a token would have more than one valid spelling. */
    if (bits > 0 && (acc & ((1UL << bits) - 1)) != 0) {
        return NULL;
    }
    out[o] = '\0';
    if (outlen) {
        *outlen = o;
    }
    return out;
}

/* JSON string literal for s: quotes, backslashes and control characters
 * escaped, everything else copied, so the output is one fixed function of
 * the input. */
static char *json_quote(apr_pool_t *p, const char *s)
{
    apr_size_t n = strlen(s), i, o = 0;
    char *out = apr_palloc(p, n * 6 + 3);

    out[o++] = '"';
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        }
        else if (c < 0x20) {
            apr_snprintf(out + o, 7, "\\u%04x", c);
            o += 6;
        }
        else {
            out[o++] = (char)c;
        }
    }
    out[o++] = '"';
    out[o] = '\0';
    return out;
}

static int hs256(const unsigned char *key, apr_size_t keylen,
                 const char *data, apr_size_t len,
                 unsigned char mac[JWT_SIG_LEN])
{
    static const unsigned char empty = 0;
    unsigned int maclen = 0;

    if (keylen > INT_MAX) {
        return 0;
    }
    if (HMAC(EVP_sha256(), key ? key : &empty, (int)keylen,
             (const unsigned char *)data, len, mac, &maclen) == NULL
        || maclen != JWT_SIG_LEN) {
        return 0;
    }
    return 1;
}

/* An HS256 keyset around one secret. */
static devplat_jwt_keyset hs256_keyset(const unsigned char *key, apr_size_t keylen)
{
    devplat_jwt_keyset ks;

    memset(&ks, 0, sizeof(ks));
    ks.alg = DEVPLAT_JWT_HS256;
    ks.secret = key;
    ks.secret_len = keylen;
    return ks;
}

/* The signature of input with the keyset's signing key; *n its length. */
static int sign_bytes(const devplat_jwt_keyset *ks, const char *input, apr_size_t len,
                      unsigned char sig[DEVPLAT_JWK_SIG_LEN], apr_size_t *n)
{
    if (ks->alg == DEVPLAT_JWT_HS256) {
        *n = JWT_SIG_LEN;
        return hs256(ks->secret, ks->secret_len, input, len, sig);
    }
    *n = DEVPLAT_JWK_SIG_LEN;
    return ks->nkeys > 0
           && devplat_jwk_sign(ks->keys[0], (const unsigned char *)input, len, sig);
}

static char *sign_parts(apr_pool_t *p, const devplat_jwt_keyset *ks,
                        const char *header_json, const char *payload_json)
{
    unsigned char sig[DEVPLAT_JWK_SIG_LEN];
    apr_size_t n = 0;
    char *h64, *p64, *input, *s64;

    if (header_json == NULL || payload_json == NULL) {
        return NULL;
    }
    h64 = devplat_b64url_encode(p, (const unsigned char *)header_json,
                                strlen(header_json));
    p64 = devplat_b64url_encode(p, (const unsigned char *)payload_json,
                                strlen(payload_json));
    input = apr_pstrcat(p, h64, ".", p64, NULL);
    if (!sign_bytes(ks, input, strlen(input), sig, &n)) {
        return NULL;
    }
    s64 = devplat_b64url_encode(p, sig, n);
    return apr_pstrcat(p, input, ".", s64, NULL);
}

char *devplat_jwt_sign_raw(apr_pool_t *p, const unsigned char *key,
                           apr_size_t keylen, const char *header_json,
                           const char *payload_json)
{
    devplat_jwt_keyset ks = hs256_keyset(key, keylen);

    return sign_parts(p, &ks, header_json, payload_json);
}

char *devplat_jwt_sign_with(apr_pool_t *p, const devplat_jwt_keyset *ks,
                            const devplat_jwt_claims *c)
{
    const char *header = "{\"typ\":\"JWT\",\"alg\":\"HS256\"}";
    char *payload;

    if (c == NULL || c->sub == NULL || c->jti == NULL) {
        return NULL;
    }
    if (ks->alg != DEVPLAT_JWT_HS256) {
        if (ks->nkeys < 1) {
            return NULL;
        }
        header = apr_psprintf(p, "{\"typ\":\"JWT\",\"alg\":\"%s\",\"kid\":\"%s\"}",
                              devplat_jwt_alg_name(ks->alg), ks->keys[0]->kid);
    }
    /* Built by hand so the key order and number format never depend on
     * the JSON library's version. */
    payload = apr_psprintf(p,
                           "{\"sub\":%s,\"iat\":%" APR_INT64_T_FMT
                           ",\"nbf\":%" APR_INT64_T_FMT
                           ",\"exp\":%" APR_INT64_T_FMT ",\"jti\":%s}",
                           json_quote(p, c->sub), c->iat, c->nbf, c->exp,
                           json_quote(p, c->jti));
    return sign_parts(p, ks, header, payload);
}

char *devplat_jwt_sign(apr_pool_t *p, const unsigned char *key,
                       apr_size_t keylen, const devplat_jwt_claims *c)
{
    devplat_jwt_keyset ks = hs256_keyset(key, keylen);

    return devplat_jwt_sign_with(p, &ks, c);
}

/* Parses exactly one JSON object from buf (trailing whitespace allowed);
 * NULL otherwise. The caller owns the reference. */
static json_object *parse_object(const unsigned char *buf, apr_size_t len)
{
    json_tokener *tok;
    json_object *obj;
    apr_size_t end;

    /* json-c stops at a NUL; a hidden tail after one is not valid JSON. */
    if (len == 0 || len > INT_MAX || memchr(buf, '\0', len) != NULL) {
        return NULL;
    }
    tok = json_tokener_new();
    if (tok == NULL) {
        return NULL;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    obj = json_tokener_parse_ex(tok, (const char *)buf, (int)len);
    if (obj == NULL || json_tokener_get_error(tok) != json_tokener_success) {
        json_object_put(obj);
        json_tokener_free(tok);
        return NULL;
    }
    end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    while (end < len && (buf[end] == ' ' || buf[end] == '\t'
                         || buf[end] == '\r' || buf[end] == '\n')) {
        end++;
    }
    if (end != len || !json_object_is_type(obj, json_type_object)) {
        json_object_put(obj);
        return NULL;
    }
    return obj;
}

/* A string member without embedded NULs, copied to the pool. */
static const char *get_string(apr_pool_t *p, json_object *obj, const char *name)
{
    json_object *v;
    const char *s;

    if (!json_object_object_get_ex(obj, name, &v)
        || !json_object_is_type(v, json_type_string)) {
        return NULL;
    }
    s = json_object_get_string(v);
    if ((apr_size_t)json_object_get_string_len(v) != strlen(s)) {
        return NULL;
    }
    return apr_pstrdup(p, s);
}

/* An integer member (json-c clamps out-of-range values, so no UB). */
static int get_int(json_object *obj, const char *name, apr_int64_t *out)
{
    json_object *v;

    if (!json_object_object_get_ex(obj, name, &v)
        || !json_object_is_type(v, json_type_int)) {
        return 0;
    }
    *out = (apr_int64_t)json_object_get_int64(v);
    return 1;
}

/* A string member equal to want, byte for byte. */
static int member_is(json_object *obj, const char *name, const char *want)
{
    json_object *v;
    apr_size_t n = strlen(want);

    return json_object_object_get_ex(obj, name, &v)
           && json_object_is_type(v, json_type_string)
           && (apr_size_t)json_object_get_string_len(v) == n
           && memcmp(json_object_get_string(v), want, n) == 0;
}

/* The header: alg exactly the keyset's ("none" and every other algorithm
 * are refused before any key is used), no "crit", and for ES256 and EdDSA
 * the key its kid names (*key). */
static devplat_jwt_status check_header(const devplat_jwt_keyset *ks, json_object *obj,
                                       const devplat_jwk **key)
{
    json_object *v;
    int i;

    *key = NULL;
    if (!member_is(obj, "alg", devplat_jwt_alg_name(ks->alg))) {
        return DEVPLAT_JWT_BAD_ALG;
    }
    /* RFC 7515 4.1.11: extensions we do not understand must be refused. */
    if (json_object_object_get_ex(obj, "crit", NULL)) {
        return DEVPLAT_JWT_MALFORMED;
    }
    if (ks->alg == DEVPLAT_JWT_HS256) {
        return DEVPLAT_JWT_OK;
    }
    if (!json_object_object_get_ex(obj, "kid", &v)
        || !json_object_is_type(v, json_type_string)) {
        return DEVPLAT_JWT_MALFORMED;
    }
    for (i = 0; i < ks->nkeys; i++) {
        if (member_is(obj, "kid", ks->keys[i]->kid)) {
            *key = ks->keys[i];
            return DEVPLAT_JWT_OK;
        }
    }
    return DEVPLAT_JWT_BAD_SIG;     /* signed by no key of ours */
}

/* sig (n bytes) is the signature of the first len bytes of token. */
static int signature_ok(const devplat_jwt_keyset *ks, const devplat_jwk *key,
                        const char *token, apr_size_t len,
                        const unsigned char *sig, apr_size_t n)
{
    unsigned char mac[JWT_SIG_LEN];
    int ok;

    if (ks->alg != DEVPLAT_JWT_HS256) {
        return devplat_jwk_verify(key, (const unsigned char *)token, len, sig, n);
    }
    if (n != JWT_SIG_LEN || !hs256(ks->secret, ks->secret_len, token, len, mac)) {
        return 0;
    }
    ok = CRYPTO_memcmp(mac, sig, JWT_SIG_LEN) == 0;
    OPENSSL_cleanse(mac, sizeof(mac));
    return ok;
}

devplat_jwt_status devplat_jwt_verify(apr_pool_t *p, const unsigned char *key,
                                      apr_size_t keylen, const char *token,
                                      apr_int64_t now, devplat_jwt_claims *out)
{
    devplat_jwt_keyset ks = hs256_keyset(key, keylen);

    return devplat_jwt_verify_with(p, &ks, token, now, out);
}

devplat_jwt_status devplat_jwt_verify_with(apr_pool_t *p, const devplat_jwt_keyset *ks,
                                           const char *token, apr_int64_t now,
                                           devplat_jwt_claims *out)
{
    const char *dot1, *dot2;
    apr_size_t len, hlen, plen, slen, n;
    unsigned char *hdr, *pay, *sig;
    const devplat_jwk *signer;
    json_object *obj, *v;
    devplat_jwt_claims c;
    devplat_jwt_status st;
    int ok;

    if (out) {
        memset(out, 0, sizeof(*out));
    }
    if (token == NULL) {
        return DEVPLAT_JWT_MALFORMED;
    }
    for (len = 0; token[len] != '\0'; len++) {
        if (len >= JWT_MAX_LEN) {
            return DEVPLAT_JWT_MALFORMED;
        }
    }
    dot1 = memchr(token, '.', len);
    if (dot1 == NULL) {
        return DEVPLAT_JWT_MALFORMED;
    }
    dot2 = memchr(dot1 + 1, '.', len - (apr_size_t)(dot1 + 1 - token));
    if (dot2 == NULL
        || memchr(dot2 + 1, '.',
                  len - (apr_size_t)(dot2 + 1 - token)) != NULL) {
        return DEVPLAT_JWT_MALFORMED;
    }
    hlen = (apr_size_t)(dot1 - token);
    plen = (apr_size_t)(dot2 - dot1 - 1);
    slen = len - (apr_size_t)(dot2 + 1 - token);

    hdr = devplat_b64url_decode(p, token, hlen, &n);
    if (hdr == NULL || (obj = parse_object(hdr, n)) == NULL) {
        return DEVPLAT_JWT_MALFORMED;
    }
    st = check_header(ks, obj, &signer);
    json_object_put(obj);
    if (st != DEVPLAT_JWT_OK) {
        return st;
    }

    /* Signature over the parts exactly as received. */
    sig = devplat_b64url_decode(p, dot2 + 1, slen, &n);
    if (sig == NULL) {
        return DEVPLAT_JWT_MALFORMED;
    }
    if (!signature_ok(ks, signer, token, (apr_size_t)(dot2 - token), sig, n)) {
        return DEVPLAT_JWT_BAD_SIG;
    }

    /* Payload: only now, signed by us. */
    pay = devplat_b64url_decode(p, dot1 + 1, plen, &n);
    if (pay == NULL || (obj = parse_object(pay, n)) == NULL) {
        return DEVPLAT_JWT_MALFORMED;
    }
    memset(&c, 0, sizeof(c));
    if (json_object_object_get_ex(obj, "sub", &v)
        && json_object_is_type(v, json_type_int)) {
        c.sub = apr_psprintf(p, "%" APR_INT64_T_FMT,
                             (apr_int64_t)json_object_get_int64(v));
    }
    else {
        c.sub = get_string(p, obj, "sub");
    }
    c.jti = get_string(p, obj, "jti");
    ok = c.sub != NULL && c.jti != NULL
         && get_int(obj, "iat", &c.iat)
         && get_int(obj, "exp", &c.exp);
    if (ok && json_object_object_get_ex(obj, "nbf", NULL)) {
        ok = get_int(obj, "nbf", &c.nbf);
    }
    else {
        c.nbf = c.iat;
    }
    json_object_put(obj);
    if (!ok) {
        return DEVPLAT_JWT_MALFORMED;
    }

    if (now < c.nbf) {
        return DEVPLAT_JWT_NOT_YET;
    }
    if (out) {
        *out = c;
    }
    return now >= c.exp ? DEVPLAT_JWT_EXPIRED : DEVPLAT_JWT_OK;
}
