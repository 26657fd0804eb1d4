/* Unit tests for modules/core (TAP on stdout). Known answers come from
 * outside this code: RFC 7515 A.1, `openssl dgst -hmac`, bcrypt hashes
 * written by htpasswd, libxcrypt (perl's crypt) and Laravel. */

/* setenv and tzset under -std=c99 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "jwt.h"
#include "otp.h"
#include "password.h"
#include "random.h"
#include "throttle.h"
#include "idcard.h"
#include "timefmt.h"
#include "validate.h"

#include "unit.h"

static const unsigned char test_key[] = "0123456789abcdef0123456789abcdef";
#define TEST_KEYLEN (sizeof(test_key) - 1)
#define HS256_HEADER "{\"typ\":\"JWT\",\"alg\":\"HS256\"}"

/* ---------------------------------------------------------------- base64 */

static void test_b64url(apr_pool_t *p)
{
    static const struct {
        const char *in, *out;
    } vec[] = {         /* RFC 4648 section 10, without padding */
        {"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"},
        {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}
    };
    static const char *bad[] = {
        "Zg==", "Zm8=", "Zg=", "Zm9v+w", "Zm9v/w", "Zm 9v", "Zm9v\n",
        "Z", "Zm9vY", "Zh", "Zm9=", "Zm-"
    };
    static const unsigned char odd[] = {0xfb, 0xff, 0xbf, 0x00, 0x3e};
    unsigned char bytes[256];
    apr_size_t i, n;
    unsigned char *d;
    char *e;
    int all = 1;

    for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
        e = devplat_b64url_encode(p, (const unsigned char *)vec[i].in,
                                  strlen(vec[i].in));
        UNIT_IS_STR(e, vec[i].out, "b64url encode \"%s\"", vec[i].in);
        d = devplat_b64url_decode(p, vec[i].out, strlen(vec[i].out), &n);
        UNIT_OK(d && n == strlen(vec[i].in) && memcmp(d, vec[i].in, n) == 0,
                "b64url decode \"%s\"", vec[i].out);
    }
    e = devplat_b64url_encode(p, odd, sizeof(odd));
    UNIT_IS_STR(e, "-_-_AD4", "b64url uses - and _");

    for (i = 0; i < sizeof(bytes); i++) {
        bytes[i] = (unsigned char)(255 - i);
    }
    for (i = 0; i <= sizeof(bytes); i++) {
        e = devplat_b64url_encode(p, bytes, i);
        d = devplat_b64url_decode(p, e, strlen(e), &n);
        if (!d || n != i || memcmp(d, bytes, i) != 0 || strchr(e, '=')) {
            all = 0;
        }
    }
    UNIT_OK(all, "b64url round trips lengths 0..256");

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        UNIT_OK(devplat_b64url_decode(p, bad[i], strlen(bad[i]), &n) == NULL,
                "b64url rejects \"%s\"",
                strchr(bad[i], '\n') ? "Zm9v\\n" : bad[i]);
    }
    UNIT_OK(devplat_b64url_decode(p, "Zm\0v", 4, &n) == NULL,
            "b64url rejects embedded NUL");
    UNIT_OK(devplat_b64url_decode(p, NULL, 0, &n) == NULL,
            "b64url rejects NULL");
}

/* ------------------------------------------------------------------- JWT */

/* RFC 7515 appendix A.1: HS256 example, exact bytes including CR LF. */
static void test_jwt_rfc7515(apr_pool_t *p)
{
    static const char k[] = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
    static const char header[] = "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}";
    static const char payload[] = "{\"iss\":\"joe\",\r\n"
                                  " \"exp\":1300819380,\r\n"
                                  " \"http://example.com/is_root\":true}";
    static const char want[] =
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
        ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt"
        "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
        ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    unsigned char *key;
    apr_size_t keylen;
    char *tok;

    key = devplat_b64url_decode(p, k, strlen(k), &keylen);
    UNIT_OK(key != NULL && keylen == 64, "RFC 7515 A.1 key is 64 bytes");
    tok = devplat_jwt_sign_raw(p, key, keylen, header, payload);
    UNIT_IS_STR(tok, want, "RFC 7515 A.1 token and signature");
    /* Signature good, but the payload lacks sub and jti: only the claim
     * check can refuse it, which shows the signature passed. */
    UNIT_IS_INT(devplat_jwt_verify(p, key, keylen, want, 1300819379, NULL),
                DEVPLAT_JWT_MALFORMED, "RFC 7515 A.1 verifies, lacks claims");
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, want,
                                   1300819379, NULL),
                DEVPLAT_JWT_BAD_SIG, "RFC 7515 A.1 with another key: BAD_SIG");
}

static devplat_jwt_claims sample_claims(void)
{
    devplat_jwt_claims c;

    c.sub = "42";
    c.jti = "0123456789abcdef0123456789abcdef";
    c.iat = APR_INT64_C(1700000000);
    c.nbf = APR_INT64_C(1700000000);
    c.exp = APR_INT64_C(1700003600);
    return c;
}

static void test_jwt_roundtrip(apr_pool_t *p)
{
    devplat_jwt_claims c = sample_claims(), out;
    const char *dot;
    char *tok, *tok2;
    unsigned char *pay;
    apr_size_t n;

    tok = devplat_jwt_sign(p, test_key, TEST_KEYLEN, &c);
    UNIT_OK(tok != NULL && strncmp(tok, "eyJ", 3) == 0, "sign gives eyJ...");
    if (tok == NULL) {
        return;
    }
    UNIT_OK(strncmp(tok, "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.", 37) == 0,
            "header is exactly " HS256_HEADER);
    dot = strchr(tok, '.') + 1;
    pay = devplat_b64url_decode(p, dot, (apr_size_t)(strchr(dot, '.') - dot),
                                &n);
    UNIT_IS_STR((char *)pay,
                "{\"sub\":\"42\",\"iat\":1700000000,\"nbf\":1700000000,"
                "\"exp\":1700003600,"
                "\"jti\":\"0123456789abcdef0123456789abcdef\"}",
                "payload keys in order sub, iat, nbf, exp, jti");

    tok2 = devplat_jwt_sign(p, test_key, TEST_KEYLEN, &c);
    UNIT_IS_STR(tok2, tok, "signing is deterministic");
    c.jti = "0123456789abcdef0123456789abcdee";
    tok2 = devplat_jwt_sign(p, test_key, TEST_KEYLEN, &c);
    UNIT_OK(tok2 && strcmp(tok2, tok) != 0, "another jti, another token");
    c = sample_claims();

    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok,
                                   c.iat, &out), DEVPLAT_JWT_OK,
                "verify at iat: OK");
    UNIT_IS_STR(out.sub, "42", "sub comes back");
    UNIT_IS_STR(out.jti, c.jti, "jti comes back");
    UNIT_OK(out.iat == c.iat && out.nbf == c.nbf && out.exp == c.exp,
            "iat, nbf, exp come back");
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok,
                                   c.exp - 1, NULL), DEVPLAT_JWT_OK,
                "verify one second before exp: OK");
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok,
                                   c.exp, &out), DEVPLAT_JWT_EXPIRED,
                "verify at exp: EXPIRED");
    UNIT_OK(out.sub && strcmp(out.sub, "42") == 0 && out.exp == c.exp
            && out.jti && strcmp(out.jti, c.jti) == 0,
            "EXPIRED still fills in the claims");
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok,
                                   c.nbf - 1, &out), DEVPLAT_JWT_NOT_YET,
                "verify before nbf: NOT_YET");

    c.sub = "a\"b\\c\n";
    tok = devplat_jwt_sign(p, test_key, TEST_KEYLEN, &c);
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, c.iat, &out),
                DEVPLAT_JWT_OK, "sub with quote, backslash, newline verifies");
    UNIT_IS_STR(out.sub, "a\"b\\c\n", "escaped sub comes back unchanged");
    c.sub = NULL;
    UNIT_OK(devplat_jwt_sign(p, test_key, TEST_KEYLEN, &c) == NULL,
            "sign refuses NULL sub");
}

/* A JSON object holding the given members. */
static char *payload_with(apr_pool_t *p, const char *fields)
{
    return apr_psprintf(p, "{%s}", fields);
}

#define GOOD_FIELDS "\"sub\":\"7\",\"iat\":100,\"nbf\":100,\"exp\":200," \
                    "\"jti\":\"abc\""

/* Signs header and payload with the test key, then verifies. */
static devplat_jwt_status verify_raw(apr_pool_t *p, const char *header,
                                     const char *payload, apr_int64_t now,
                                     devplat_jwt_claims *out)
{
    char *tok = devplat_jwt_sign_raw(p, test_key, TEST_KEYLEN, header, payload);

    return devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, now, out);
}

/* Signs our header and {fields} with the test key, then verifies. */
static devplat_jwt_status verify_fields(apr_pool_t *p, const char *fields,
                                        apr_int64_t now,
                                        devplat_jwt_claims *out)
{
    return verify_raw(p, HS256_HEADER, payload_with(p, fields), now, out);
}

static void test_jwt_rejects(apr_pool_t *p)
{
    static const struct {
        const char *header, *name;
    } algs[] = {
        {"{\"typ\":\"JWT\",\"alg\":\"none\"}", "alg none"},
        {"{\"typ\":\"JWT\",\"alg\":\"HS512\"}", "alg HS512"},
        {"{\"typ\":\"JWT\",\"alg\":\"RS256\"}", "alg RS256"},
        {"{\"typ\":\"JWT\",\"alg\":\"hs256\"}", "alg hs256"},
        {"{\"typ\":\"JWT\",\"alg\":\"HS256 \"}", "alg \"HS256 \""},
        {"{\"typ\":\"JWT\",\"alg\":\"HS256\\u0000\"}", "alg HS256 + NUL"},
        {"{\"typ\":\"JWT\",\"alg\":[\"HS256\"]}", "alg as array"},
        {"{\"typ\":\"JWT\",\"alg\":null}", "alg null"},
        {"{\"typ\":\"JWT\"}", "missing alg"},
        {"{}", "empty header"}
    };
    static const struct {
        const char *fields;
        devplat_jwt_status want;
        const char *name;
    } claims[] = {
        {"\"iat\":100,\"nbf\":100,\"exp\":200,\"jti\":\"abc\"",
         DEVPLAT_JWT_MALFORMED, "missing sub: MALFORMED"},
        {"\"sub\":\"7\",\"iat\":100,\"nbf\":100,\"exp\":200",
         DEVPLAT_JWT_MALFORMED, "missing jti: MALFORMED"},
        {"\"sub\":\"7\",\"iat\":100,\"nbf\":100,\"jti\":\"abc\"",
         DEVPLAT_JWT_MALFORMED, "missing exp: MALFORMED"},
        {"\"sub\":\"7\",\"nbf\":100,\"exp\":200,\"jti\":\"abc\"",
         DEVPLAT_JWT_MALFORMED, "missing iat: MALFORMED"},
        {"\"sub\":true,\"iat\":100,\"exp\":200,\"jti\":\"abc\"",
         DEVPLAT_JWT_MALFORMED, "boolean sub: MALFORMED"},
        {"\"sub\":\"7\",\"iat\":100,\"exp\":200,\"jti\":5",
         DEVPLAT_JWT_MALFORMED, "integer jti: MALFORMED"},
        {"\"sub\":\"7\",\"iat\":100,\"exp\":200.5,\"jti\":\"a\"",
         DEVPLAT_JWT_MALFORMED, "fractional exp: MALFORMED"},
        {"\"sub\":\"7\",\"iat\":100,\"exp\":\"200\",\"jti\":\"a\"",
         DEVPLAT_JWT_MALFORMED, "string exp: MALFORMED"},
        {"\"sub\":\"7\",\"iat\":100,\"nbf\":null,\"exp\":200,\"jti\":\"a\"",
         DEVPLAT_JWT_MALFORMED, "null nbf: MALFORMED"},
        {"\"sub\":\"7\\u0000x\",\"iat\":100,\"exp\":200,\"jti\":\"a\"",
         DEVPLAT_JWT_MALFORMED, "NUL inside sub: MALFORMED"},
        {"\"sub\":\"7\",\"iat\":100,\"exp\":99999999999999999999999,"
         "\"jti\":\"a\"",
         DEVPLAT_JWT_OK, "exp beyond int64 is clamped: OK"},
        {"\"sub\":\"7\",\"iat\":100,\"exp\":-99999999999999999999999,"
         "\"jti\":\"a\"",
         DEVPLAT_JWT_EXPIRED, "exp below int64 is clamped: EXPIRED"},
        {"\"sub\":\"7\",\"iat\":100,\"exp\":200,\"jti\":\"a\",\"x\":[{}]",
         DEVPLAT_JWT_OK, "unknown claims are ignored: OK"},
        {"\"sub\":\"7\",\"iat\":100,\"exp\":200,\"jti\":\"a\",}",
         DEVPLAT_JWT_MALFORMED, "trailing comma: MALFORMED"}
    };
    const char *payload = payload_with(p, GOOD_FIELDS);
    devplat_jwt_claims c = sample_claims(), out;
    char *good, *tok, *big;
    apr_size_t i, len;
    int never_ok = 1, hit8192 = 0, hit8193 = 0;

    UNIT_IS_INT(verify_raw(p, HS256_HEADER, payload, 150, &out),
                DEVPLAT_JWT_OK, "hand-made payload verifies");
    for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
        UNIT_IS_INT(verify_raw(p, algs[i].header, payload, 150, NULL),
                    DEVPLAT_JWT_BAD_ALG, "%s: BAD_ALG", algs[i].name);
    }
    tok = apr_pstrcat(p, devplat_b64url_encode(p, (const unsigned char *)
                                               "{\"alg\":\"none\"}", 14),
                      ".", devplat_b64url_encode(p, (const unsigned char *)
                                                 payload, strlen(payload)),
                      ".", NULL);
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, 150, NULL),
                DEVPLAT_JWT_BAD_ALG, "unsigned alg none token: BAD_ALG");
    UNIT_IS_INT(verify_raw(p, "{\"alg\":\"HS256\",\"crit\":[\"exp\"]}",
                           payload, 150, NULL),
                DEVPLAT_JWT_MALFORMED, "crit header: MALFORMED");
    UNIT_IS_INT(verify_raw(p, "[\"HS256\"]", payload, 150, NULL),
                DEVPLAT_JWT_MALFORMED, "header not an object: MALFORMED");
    UNIT_IS_INT(verify_raw(p, "{\"alg\":\"HS256\"", payload, 150, NULL),
                DEVPLAT_JWT_MALFORMED, "header not JSON: MALFORMED");
    UNIT_IS_INT(verify_raw(p, "{\"alg\":\"HS256\"} x", payload, 150, NULL),
                DEVPLAT_JWT_MALFORMED, "header, trailing garbage: MALFORMED");
    UNIT_IS_INT(verify_raw(p, "{\"alg\":\"HS256\"}\r\n", payload, 150, NULL),
                DEVPLAT_JWT_OK, "header with trailing whitespace: OK");

    /* Signature */
    good = devplat_jwt_sign(p, test_key, TEST_KEYLEN, &c);
    tok = devplat_jwt_sign(p, (const unsigned char *)"another key", 11, &c);
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, c.iat, NULL),
                DEVPLAT_JWT_BAD_SIG, "signed with another key: BAD_SIG");
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN - 1, good, c.iat,
                                   NULL),
                DEVPLAT_JWT_BAD_SIG, "verified with a shorter key: BAD_SIG");
    len = strlen(good);
    for (i = 0; i < len; i++) {
        tok = apr_pstrdup(p, good);
        if (tok[i] == '.') {
            continue;
        }
        /* Another base64url character, so only the content changes. */
        tok[i] = tok[i] == 'A' ? 'B' : 'A';
        if (devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, c.iat, NULL)
            == DEVPLAT_JWT_OK) {
            never_ok = 0;
            UNIT_OK(0, "changed byte %lu accepted", (unsigned long)i);
        }
    }
    UNIT_OK(never_ok, "changing any one character is never OK (%lu tried)",
            (unsigned long)len);
    tok = apr_pstrdup(p, good);
    tok[len - 1] = tok[len - 1] == 'k' ? 'l' : 'k';
    UNIT_OK(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, c.iat, NULL)
            != DEVPLAT_JWT_OK, "last signature character changed: refused");
    tok = apr_pstrndup(p, good, len - 4);
    UNIT_OK(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, c.iat, NULL)
            != DEVPLAT_JWT_OK, "signature cut short: refused");
    tok = apr_pstrcat(p, apr_pstrndup(p, good,
                                      (apr_size_t)(strrchr(good, '.') - good)),
                      ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL);
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, c.iat, NULL),
                DEVPLAT_JWT_BAD_SIG, "30-byte signature: BAD_SIG");
    tok = apr_pstrcat(p, good, "AAAA", NULL);
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, c.iat, NULL),
                DEVPLAT_JWT_BAD_SIG, "long signature: BAD_SIG");
    tok = apr_pstrndup(p, good, (apr_size_t)(strrchr(good, '.') - good) + 1);
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, c.iat, NULL),
                DEVPLAT_JWT_BAD_SIG, "empty signature: BAD_SIG");

    /* Shape */
    tok = apr_pstrndup(p, good, (apr_size_t)(strrchr(good, '.') - good));
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, c.iat, NULL),
                DEVPLAT_JWT_MALFORMED, "two parts: MALFORMED");
    tok = apr_pstrcat(p, good, ".", NULL);
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, c.iat, NULL),
                DEVPLAT_JWT_MALFORMED, "trailing dot: MALFORMED");
    tok = apr_pstrcat(p, good, ".eyJ9", NULL);
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, c.iat, NULL),
                DEVPLAT_JWT_MALFORMED, "four parts: MALFORMED");
    tok = apr_pstrcat(p, good, "=", NULL);
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, c.iat, NULL),
                DEVPLAT_JWT_MALFORMED, "padding on the signature: MALFORMED");
    tok = apr_pstrcat(p, "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9=",
                      strchr(good, '.'), NULL);
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, c.iat, NULL),
                DEVPLAT_JWT_MALFORMED, "padding on the header: MALFORMED");
    tok = apr_pstrdup(p, good);
    tok[len - 2] = '+';
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, c.iat, NULL),
                DEVPLAT_JWT_MALFORMED, "'+' (not base64url): MALFORMED");
    tok = apr_pstrdup(p, good);
    tok[5] = '/';
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, c.iat, NULL),
                DEVPLAT_JWT_MALFORMED, "'/' in the header: MALFORMED");
    tok = apr_pstrdup(p, good);
    tok[strchr(good, '.') - good + 3] = '~';
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, c.iat, NULL),
                DEVPLAT_JWT_BAD_SIG, "'~' in a signed payload: BAD_SIG first");
    tok = apr_pstrcat(p, " ", good, NULL);
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok, c.iat, NULL),
                DEVPLAT_JWT_MALFORMED, "leading space: MALFORMED");
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, "", c.iat, NULL),
                DEVPLAT_JWT_MALFORMED, "empty token: MALFORMED");
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, "..", c.iat, NULL),
                DEVPLAT_JWT_MALFORMED, "\"..\": MALFORMED");
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, NULL, c.iat,
                                   &out),
                DEVPLAT_JWT_MALFORMED, "NULL token: MALFORMED");
    UNIT_OK(out.sub == NULL && out.jti == NULL && out.exp == 0,
            "claims cleared on failure");

    /* Size */
    big = apr_palloc(p, 20001);
    memset(big, 'A', 20000);
    big[20000] = '\0';
    memcpy(big, good, len);
    UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, big, c.iat, NULL),
                DEVPLAT_JWT_MALFORMED, "huge token: MALFORMED");
    for (i = 5900; i < 6100 && !(hit8192 && hit8193); i++) {
        devplat_jwt_claims bc = c;
        char *sub = apr_palloc(p, i + 1);
        memset(sub, '9', i);
        sub[i] = '\0';
        bc.sub = sub;
        tok = devplat_jwt_sign(p, test_key, TEST_KEYLEN, &bc);
        if (strlen(tok) == 8192 && !hit8192) {
            hit8192 = 1;
            UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok,
                                           c.iat, NULL),
                        DEVPLAT_JWT_OK, "8192-byte token: OK");
        }
        if (strlen(tok) == 8193 && !hit8193) {
            hit8193 = 1;
            UNIT_IS_INT(devplat_jwt_verify(p, test_key, TEST_KEYLEN, tok,
                                           c.iat, NULL),
                        DEVPLAT_JWT_MALFORMED, "8193-byte token: MALFORMED");
        }
    }
    UNIT_OK(hit8192 && hit8193, "length boundary tokens were built");

    /* Payload */
    UNIT_IS_INT(verify_raw(p, HS256_HEADER, "[1,2]", 150, NULL),
                DEVPLAT_JWT_MALFORMED, "array payload: MALFORMED");
    UNIT_IS_INT(verify_raw(p, HS256_HEADER, "\"sub\"", 150, NULL),
                DEVPLAT_JWT_MALFORMED, "string payload: MALFORMED");
    UNIT_IS_INT(verify_raw(p, HS256_HEADER, "42", 150, NULL),
                DEVPLAT_JWT_MALFORMED, "number payload: MALFORMED");
    UNIT_IS_INT(verify_raw(p, HS256_HEADER, "", 150, NULL),
                DEVPLAT_JWT_MALFORMED, "empty payload: MALFORMED");
    UNIT_IS_INT(verify_raw(p, HS256_HEADER, "{\"sub\":", 150, NULL),
                DEVPLAT_JWT_MALFORMED, "truncated JSON payload: MALFORMED");
    UNIT_IS_INT(verify_raw(p, HS256_HEADER,
                           apr_pstrcat(p, payload, "{}", NULL), 150, NULL),
                DEVPLAT_JWT_MALFORMED, "two JSON values: MALFORMED");
    for (i = 0; i < sizeof(claims) / sizeof(claims[0]); i++) {
        UNIT_IS_INT(verify_fields(p, claims[i].fields, 150, &out),
                    claims[i].want, "%s", claims[i].name);
    }
    UNIT_IS_INT(verify_fields(p, "\"sub\":\"7\",\"iat\":100,\"exp\":200,"
                              "\"jti\":\"abc\"", 150, &out),
                DEVPLAT_JWT_OK, "missing nbf: OK");
    UNIT_IS_INT(out.nbf, 100, "missing nbf taken as iat");
    UNIT_IS_INT(verify_fields(p, "\"sub\":\"7\",\"iat\":100,\"exp\":200,"
                              "\"jti\":\"abc\"", 99, NULL),
                DEVPLAT_JWT_NOT_YET, "missing nbf, before iat: NOT_YET");
    UNIT_IS_INT(verify_fields(p, "\"sub\":7,\"iat\":100,\"exp\":200,"
                              "\"jti\":\"abc\"", 150, &out),
                DEVPLAT_JWT_OK, "integer sub: OK");
    UNIT_IS_STR(out.sub, "7", "integer sub becomes \"7\"");
}

/* ------------------------------------------------------------------- OTP */

static void test_otp(apr_pool_t *p)
{
    const unsigned char *key = (const unsigned char *)"otp-test-key";
    char *d;

    d = devplat_otp_digest(p, key, 12, "register", "13548554126", "123456");
    /* printf 'register\n13548554126\n123456' \
     *   | openssl dgst -sha256 -hmac otp-test-key */
    UNIT_IS_STR(d, "17431578b0833e43d06526c808b81902"
                   "0ca4ea94d2ab9701778ec001214ddd7c",
                "OTP digest matches openssl dgst -hmac");
    UNIT_OK(!devplat_str_equal_ct(d, devplat_otp_digest(p, key, 12, "login",
                                  "13548554126", "123456")),
            "other purpose, other digest");
    UNIT_OK(!devplat_str_equal_ct(d, devplat_otp_digest(p, key, 12, "register",
                                  "13548554127", "123456")),
            "other destination, other digest");
    UNIT_OK(!devplat_str_equal_ct(d, devplat_otp_digest(p, key, 12, "register",
                                  "13548554126", "123457")),
            "other code, other digest");
    UNIT_OK(!devplat_str_equal_ct(d, devplat_otp_digest(p, key, 11, "register",
                                  "13548554126", "123456")),
            "other key, other digest");
    UNIT_OK(devplat_str_equal_ct(d, devplat_otp_digest(p, key, 12, "register",
                                 "13548554126", "123456")),
            "same inputs, same digest");
    UNIT_OK(devplat_otp_digest(p, key, 12, NULL, "x", "1") == NULL,
            "NULL purpose: NULL");

    UNIT_OK(devplat_str_equal_ct("abc", "abc"), "equal strings");
    UNIT_OK(devplat_str_equal_ct("", ""), "empty strings are equal");
    UNIT_OK(!devplat_str_equal_ct("abc", "abd"), "last byte differs");
    UNIT_OK(!devplat_str_equal_ct("abc", "ab"), "prefix is not equal");
    UNIT_OK(!devplat_str_equal_ct("ab", "abc"), "longer is not equal");
    UNIT_OK(!devplat_str_equal_ct("", "a"), "empty vs one byte");
    UNIT_OK(!devplat_str_equal_ct(NULL, "a") && !devplat_str_equal_ct("a", NULL)
            && !devplat_str_equal_ct(NULL, NULL), "NULL is never equal");
}

/* ---------------------------------------------------------------- random */

static int only_chars(const char *s, const char *set)
{
    return s && strspn(s, set) == strlen(s);
}

static void test_random(apr_pool_t *p)
{
    char *a, *b;
    int counts[10] = {0}, i, spread = 1;

    a = devplat_random_hex(p, 16);
    b = devplat_random_hex(p, 16);
    UNIT_OK(a && strlen(a) == 32 && only_chars(a, "0123456789abcdef"),
            "random_hex(16): 32 lower-case hex characters");
    UNIT_OK(a && b && strcmp(a, b) != 0, "two random_hex values differ");
    UNIT_IS_STR(devplat_random_hex(p, 0), "", "random_hex(0) is empty");

    a = devplat_random_digits(p, DEVPLAT_OTP_DIGITS);
    UNIT_OK(a && strlen(a) == 6 && only_chars(a, "0123456789"),
            "random_digits(6): six digits");
    UNIT_IS_STR(devplat_random_digits(p, 0), "", "random_digits(0) is empty");
    UNIT_OK(devplat_random_digits(p, -1) == NULL, "random_digits(-1): NULL");

    a = devplat_random_digits(p, 100000);
    for (i = 0; a && a[i]; i++) {
        counts[a[i] - '0']++;
    }
    /* Expected 10000 each, sd ~95: 9500..10500 is over 5 sd. */
    for (i = 0; i < 10; i++) {
        if (counts[i] < 9500 || counts[i] > 10500) {
            spread = 0;
        }
    }
    UNIT_OK(a && strlen(a) == 100000 && spread,
            "100000 digits spread evenly over 0..9");

    a = devplat_random_from(p, "ABCDEFGHJKMNPQRSTUVWXYZ23456789", 5);
    UNIT_OK(a && strlen(a) == 5
            && only_chars(a, "ABCDEFGHJKMNPQRSTUVWXYZ23456789"),
            "random_from: five characters from the alphabet");
    UNIT_IS_STR(devplat_random_from(p, "x", 3), "xxx", "one-letter alphabet");
    UNIT_OK(devplat_random_from(p, "", 5) == NULL, "empty alphabet: NULL");
    UNIT_OK(devplat_random_from(p, NULL, 5) == NULL, "NULL alphabet: NULL");
}

/* -------------------------------------------------------------- password */

static void test_password(apr_pool_t *p)
{
    static const struct {
        const char *pw, *hash, *from;
    } foreign[] = {
        /* Laravel's UserFactory default */
        {"password", "$2y$10$92IXUNpkjO0rOQ5byMi.Ye4oKoEa3Ro9llC/.og/at2.uheWG/igi",
         "Laravel $2y$10$"},
        /* htpasswd -nbB -C 10 u 'Laravel-p@ss' */
        {"Laravel-p@ss", "$2y$10$erToSClCMGXH17RiaKrY4uSZcRZcSqeAM3.X2RhN1uGaK4PARjKvS",
         "htpasswd $2y$10$"},
        /* perl -e 'print crypt(...)' (libxcrypt) */
        {"secret", "$2y$10$abcdefghijklmnopqrstuuqflPDzB6gcMhKa1rZqKiun2YGL5sa2u",
         "libxcrypt $2y$10$"},
        {"secret", "$2a$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a",
         "libxcrypt $2a$05$"},
        {"Laravel-p@ss", "$2b$10$0123456789abcdefABCDEu5XWaaoTKLPxuiWn7O1otUZGzTzxOT.G",
         "libxcrypt $2b$10$"}
    };
    char *h, *h2;
    apr_size_t i;

    h = devplat_password_hash(p, "secret", 4);
    UNIT_OK(h && strlen(h) == 60 && strncmp(h, "$2y$04$", 7) == 0,
            "hash at cost 4 is $2y$04$ and 60 characters");
    UNIT_OK(devplat_password_verify(p, "secret", h, 4), "right password");
    UNIT_OK(!devplat_password_verify(p, "Secret", h, 4), "wrong password");
    UNIT_OK(!devplat_password_verify(p, "", h, 4), "empty password");
    h2 = devplat_password_hash(p, "secret", 4);
    UNIT_OK(h2 && strcmp(h, h2) != 0, "two hashes of one password differ");
    UNIT_OK(devplat_password_cost(h) == 4, "the cost of a new hash");
    UNIT_OK(devplat_password_cost("$2y$10$92IXUNpkjO0rOQ5byMi.Ye4oKoEa3Ro9llC/.og/at2.uheWG/igi")
            == 10, "the cost of a Laravel hash");
    UNIT_OK(devplat_password_cost(NULL) == 0 && devplat_password_cost("") == 0
            && devplat_password_cost("$2y$1") == 0 && devplat_password_cost("$1$ab$cd") == 0,
            "no cost for no hash or another scheme");
    h2 = devplat_password_hash(p, "secret", 1);
    UNIT_OK(h2 && strncmp(h2, "$2y$04$", 7) == 0, "cost 1 is raised to 4");
    UNIT_OK(devplat_password_hash(p, NULL, 4) == NULL, "NULL password: NULL");

    UNIT_IS_INT(devplat_password_verify(p, "secret", NULL, 4), 0,
                "NULL hash (unknown user): 0");
    UNIT_IS_INT(devplat_password_verify(p, "secret", "", 4), 0,
                "empty hash: 0");
    UNIT_IS_INT(devplat_password_verify(p, "secret",
                                        "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=", 4),
                0, "matching {SHA} hash is not accepted (bcrypt only)");
    UNIT_IS_INT(devplat_password_verify(p, "secret",
                                        apr_pstrndup(p, h, 59), 4), 0,
                "truncated bcrypt hash: 0");
    UNIT_IS_INT(devplat_password_verify(p, NULL, h, 4), 0, "NULL password: 0");

    for (i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
        UNIT_OK(devplat_password_verify(p, foreign[i].pw, foreign[i].hash, 4),
                "%s hash verifies", foreign[i].from);
    }
    UNIT_OK(!devplat_password_verify(p, "passwore", foreign[0].hash, 4),
            "Laravel hash, wrong password");
    UNIT_OK(!devplat_password_verify(p, "secreT", foreign[4].hash, 4),
            "$2b$ hash, wrong password");
}

/* -------------------------------------------------------------- validate */

static char *repeat(apr_pool_t *p, const char *unit, int n)
{
    char *s = "";
    int i;

    for (i = 0; i < n; i++) {
        s = apr_pstrcat(p, s, unit, NULL);
    }
    return s;
}

static void test_validate(apr_pool_t *p)
{
    static const struct {
        const char *s;
        int ok;
        const char *name;
    } utf8[] = {
        {"", 1, "empty"},
        {"plain ascii", 1, "ASCII"},
        {"\xE4\xB8\xAD\xE6\x96\x87", 1, "Chinese"},
        {"\xC2\x80", 1, "U+0080"},
        {"\xDF\xBF", 1, "U+07FF"},
        {"\xE0\xA0\x80", 1, "U+0800"},
        {"\xED\x9F\xBF", 1, "U+D7FF"},
        {"\xEE\x80\x80", 1, "U+E000"},
        {"\xEF\xBF\xBF", 1, "U+FFFF"},
        {"\xF0\x90\x80\x80", 1, "U+10000"},
        {"\xF0\x9F\x98\x80", 1, "emoji U+1F600"},
        {"\xF4\x8F\xBF\xBF", 1, "U+10FFFF"},
        {"\xC0\xAF", 0, "overlong C0 AF"},
        {"\xC1\xBF", 0, "overlong C1 BF"},
        {"\xE0\x80\xAF", 0, "overlong E0 80 AF"},
        {"\xE0\x9F\xBF", 0, "overlong E0 9F BF"},
        {"\xF0\x80\x80\xAF", 0, "overlong F0 80 80 AF"},
        {"\xF0\x8F\xBF\xBF", 0, "overlong F0 8F BF BF"},
        {"\xED\xA0\x80", 0, "surrogate ED A0 80"},
        {"\xED\xBF\xBF", 0, "surrogate ED BF BF"},
        {"\xF4\x90\x80\x80", 0, "U+110000 F4 90 80 80"},
        {"\xF5\x80\x80\x80", 0, "F5 lead"},
        {"\xF8\x88\x80\x80\x80", 0, "five-byte form"},
        {"\xFE", 0, "FE"},
        {"\xFF", 0, "FF"},
        {"\x80", 0, "lone continuation"},
        {"a\xBF", 0, "continuation after ASCII"},
        {"\xE4\xB8", 0, "truncated three-byte"},
        {"\xF0\x9F\x98", 0, "truncated four-byte"},
        {"\xC2", 0, "truncated two-byte"},
        {"\xE4\x41\x80", 0, "ASCII inside a sequence"},
        {"\xC2\xC2\x80", 0, "lead byte as continuation"}
    };
    char *s;
    apr_size_t i;

    for (i = 0; i < sizeof(utf8) / sizeof(utf8[0]); i++) {
        UNIT_IS_INT(devplat_utf8_valid(utf8[i].s, strlen(utf8[i].s)),
                    utf8[i].ok, "utf8_valid: %s", utf8[i].name);
    }
    UNIT_IS_INT(devplat_utf8_valid("a\0b", 3), 0, "utf8_valid: embedded NUL");
    UNIT_IS_INT(devplat_utf8_valid("\xE4\xB8\xAD", 2), 0,
                "utf8_valid: len cuts a sequence");
    UNIT_IS_INT(devplat_utf8_valid(NULL, 0), 0, "utf8_valid: NULL");
    UNIT_IS_INT(devplat_utf8_length("\xE4\xB8\xAD\xE6\x96\x87" "ab"), 4,
                "utf8_length counts code points");
    UNIT_IS_INT(devplat_utf8_length("\xF0\x9F\x98\x80"), 1,
                "utf8_length: emoji is one");

    /* Names of 2..16 characters, as the registration rules say. */
    UNIT_IS_INT(devplat_is_name(repeat(p, "\xE4\xB8\xAD", 1), 2, 16), 0,
                "name: 1 Chinese character");
    UNIT_IS_INT(devplat_is_name(repeat(p, "\xE4\xB8\xAD", 2), 2, 16), 1,
                "name: 2 Chinese characters");
    UNIT_IS_INT(devplat_is_name(repeat(p, "\xE4\xB8\xAD", 16), 2, 16), 1,
                "name: 16 Chinese characters (48 bytes)");
    UNIT_IS_INT(devplat_is_name(repeat(p, "\xE4\xB8\xAD", 17), 2, 16), 0,
                "name: 17 Chinese characters");
    UNIT_IS_INT(devplat_is_name("a", 2, 16), 0, "name: 1 ASCII");
    UNIT_IS_INT(devplat_is_name("ab", 2, 16), 1, "name: 2 ASCII");
    UNIT_IS_INT(devplat_is_name(repeat(p, "a", 16), 2, 16), 1,
                "name: 16 ASCII");
    UNIT_IS_INT(devplat_is_name(repeat(p, "a", 17), 2, 16), 0,
                "name: 17 ASCII");
    UNIT_IS_INT(devplat_is_name("", 2, 16), 0, "name: empty");
    UNIT_IS_INT(devplat_is_name("a_b-c9Z", 2, 16), 1,
                "name: _ - digits letters");
    UNIT_IS_INT(devplat_is_name("__", 2, 16), 1, "name: \"__\"");
    UNIT_IS_INT(devplat_is_name("--", 2, 16), 1, "name: \"--\"");
    UNIT_IS_INT(devplat_is_name("\xE5\xBC\xA0\xE4\xB8\x89_01", 2, 16), 1,
                "name: mixed Chinese and ASCII");
    UNIT_IS_INT(devplat_is_name("a b", 2, 16), 0, "name: space");
    UNIT_IS_INT(devplat_is_name("ab.", 2, 16), 0, "name: dot");
    UNIT_IS_INT(devplat_is_name("ab'", 2, 16), 0, "name: quote");
    UNIT_IS_INT(devplat_is_name("ab\xF0\x9F\x98\x80", 2, 16), 0, "name: emoji");
    UNIT_IS_INT(devplat_is_name("ab\xC0\xAF", 2, 16), 0, "name: overlong /");
    UNIT_IS_INT(devplat_is_name("ab\xED\xA0\x80", 2, 16), 0, "name: surrogate");
    UNIT_IS_INT(devplat_is_name("ab\xF4\x90\x80\x80", 2, 16), 0,
                "name: above U+10FFFF");
    UNIT_IS_INT(devplat_is_name("a\xEF\xBC\xA1", 2, 16), 0,
                "name: fullwidth A");
    UNIT_IS_INT(devplat_is_name("\xE4\xB8\x80\xE9\xBF\xBF", 2, 16), 1,
                "name: U+4E00 and U+9FFF");
    UNIT_IS_INT(devplat_is_name("\xE3\x90\x80\xE4\xB6\xBF", 2, 16), 1,
                "name: U+3400 and U+4DBF");
    UNIT_IS_INT(devplat_is_name("a\xE4\xB7\x80", 2, 16), 0, "name: U+4DC0");
    UNIT_IS_INT(devplat_is_name("a\xE3\x8F\xBF", 2, 16), 0, "name: U+33FF");
    UNIT_IS_INT(devplat_is_name("a\xEA\x80\x80", 2, 16), 0, "name: U+A000");
    UNIT_IS_INT(devplat_is_name(NULL, 2, 16), 0, "name: NULL");

    /* Passwords of 6..16 visible ASCII characters. */
    UNIT_IS_INT(devplat_is_visible_ascii("12345", 6, 16), 0, "ascii: 5");
    UNIT_IS_INT(devplat_is_visible_ascii("123456", 6, 16), 1, "ascii: 6");
    s = repeat(p, "!~", 8);
    UNIT_IS_INT(devplat_is_visible_ascii(s, 6, 16), 1,
                "ascii: 16 incl ! and ~");
    UNIT_IS_INT(devplat_is_visible_ascii(apr_pstrcat(p, s, "a", NULL), 6, 16),
                0, "ascii: 17");
    UNIT_IS_INT(devplat_is_visible_ascii("abc def", 6, 16), 0, "ascii: space");
    UNIT_IS_INT(devplat_is_visible_ascii("abcdef\x7f", 6, 16), 0, "ascii: DEL");
    UNIT_IS_INT(devplat_is_visible_ascii("abcdef\t", 6, 16), 0, "ascii: tab");
    UNIT_IS_INT(devplat_is_visible_ascii("abcd\xE4\xB8\xAD", 6, 16), 0,
                "ascii: Chinese");
    UNIT_IS_INT(devplat_is_visible_ascii("", 0, 16), 1, "ascii: empty, min 0");
    UNIT_IS_INT(devplat_is_visible_ascii(NULL, 0, 16), 0, "ascii: NULL");

    UNIT_IS_INT(devplat_is_mobile("13548554126"), 1, "mobile 13548554126");
    UNIT_IS_INT(devplat_is_mobile("19999999999"), 1, "mobile 19999999999");
    UNIT_IS_INT(devplat_is_mobile("12548554126"), 0, "mobile 12548554126");
    UNIT_IS_INT(devplat_is_mobile("10548554126"), 0, "mobile 10548554126");
    UNIT_IS_INT(devplat_is_mobile("23548554126"), 0, "mobile 23548554126");
    UNIT_IS_INT(devplat_is_mobile("1354855412"), 0, "mobile 10 digits");
    UNIT_IS_INT(devplat_is_mobile("135485541260"), 0, "mobile 12 digits");
    UNIT_IS_INT(devplat_is_mobile("1354855412a"), 0, "mobile with a letter");
    UNIT_IS_INT(devplat_is_mobile("1a548554126"), 0, "mobile letter second");
    UNIT_IS_INT(devplat_is_mobile("+8613548554126"), 0, "mobile with +86");
    UNIT_IS_INT(devplat_is_mobile(" 13548554126"), 0, "mobile leading space");
    UNIT_IS_INT(devplat_is_mobile("13548554126 "), 0, "mobile trailing space");
    UNIT_IS_INT(devplat_is_mobile(""), 0, "mobile empty");
    UNIT_IS_INT(devplat_is_mobile("1"), 0, "mobile \"1\"");
    UNIT_IS_INT(devplat_is_mobile(NULL), 0, "mobile NULL");

    UNIT_IS_INT(devplat_is_digits("123456", 6), 1, "digits: 6 of max 6");
    UNIT_IS_INT(devplat_is_digits("1", 6), 1, "digits: 1");
    UNIT_IS_INT(devplat_is_digits("1234567", 6), 0, "digits: 7 of max 6");
    UNIT_IS_INT(devplat_is_digits("", 6), 0, "digits: empty");
    UNIT_IS_INT(devplat_is_digits("12a", 6), 0, "digits: letter");
    UNIT_IS_INT(devplat_is_digits("-1", 6), 0, "digits: minus");
    UNIT_IS_INT(devplat_is_digits(" 1", 6), 0, "digits: space");
    UNIT_IS_INT(devplat_is_digits(NULL, 6), 0, "digits: NULL");
}

/* The admin face's rules: words, virtual mobile ranges, e-mail. */
static void test_admin_rules(apr_pool_t *p)
{
    static const char *good_mail[] = {
        "a@b.cn", "abc@abc.com", "first.last@example.com", "o'brien@example.org",
        "x+tag@sub.example.co.uk", "a_b-c@xn--fiqs8s.cn", "1@2.com", "a@b-c.io",
        "!#$%&'*+/=?^_`{|}~-@example.com", "\xE5\xBC\xA0@b.com"
    };
    static const char *bad_mail[] = {
        "", "plain", "@example.com", "a@", "a@b", "a@.com", "a@b..com", "a@b.c",
        "a@-b.com", "a@b-.com", ".a@b.com", "a.@b.com", "a..b@c.com", "a@b@c.com",
        "a b@c.com", "a@b c.com", "a@b.com ", "a@b_c.com", "a@b.123",
        "a@\xE4\xBE\x8B.cn", "a\"b@c.com", "a@[1.2.3.4]",
        "a@b.com.", "a(b)@c.com", "a@b,com"
    };
    char *s;
    apr_size_t i;

    UNIT_IS_INT(devplat_is_word("abc_-9", 6, 16), 1, "word: letters digits _ -");
    UNIT_IS_INT(devplat_is_word("abcde", 6, 16), 0, "word: 5 of 6..16");
    UNIT_IS_INT(devplat_is_word(repeat(p, "a", 16), 6, 16), 1, "word: 16");
    UNIT_IS_INT(devplat_is_word(repeat(p, "a", 17), 6, 16), 0, "word: 17");
    UNIT_IS_INT(devplat_is_word("abc.def", 6, 16), 0, "word: dot");
    UNIT_IS_INT(devplat_is_word("abc def", 6, 16), 0, "word: space");
    UNIT_IS_INT(devplat_is_word("abcde!", 6, 16), 0, "word: !");
    UNIT_IS_INT(devplat_is_word("abcd\xE4\xB8\xAD", 2, 20), 0, "word: Chinese");
    UNIT_IS_INT(devplat_is_word("", 0, 20), 1, "word: empty, min 0");
    UNIT_IS_INT(devplat_is_word(NULL, 0, 20), 0, "word: NULL");

    UNIT_IS_INT(devplat_is_virtual_mobile("17012345678"), 1, "virtual: 170");
    UNIT_IS_INT(devplat_is_virtual_mobile("17112345678"), 1, "virtual: 171");
    UNIT_IS_INT(devplat_is_virtual_mobile("16212345678"), 1, "virtual: 162");
    UNIT_IS_INT(devplat_is_virtual_mobile("16512345678"), 1, "virtual: 165");
    UNIT_IS_INT(devplat_is_virtual_mobile("16712345678"), 1, "virtual: 167");
    UNIT_IS_INT(devplat_is_virtual_mobile("17212345678"), 0, "virtual: 172 is not");
    UNIT_IS_INT(devplat_is_virtual_mobile("16612345678"), 0, "virtual: 166 is not");
    UNIT_IS_INT(devplat_is_virtual_mobile("13812345678"), 0, "virtual: 138 is not");
    UNIT_IS_INT(devplat_is_virtual_mobile("1701234567"), 0, "virtual: not a mobile");
    UNIT_IS_INT(devplat_is_virtual_mobile(NULL), 0, "virtual: NULL");

    for (i = 0; i < sizeof(good_mail) / sizeof(good_mail[0]); i++) {
        UNIT_IS_INT(devplat_is_email(good_mail[i]), 1, "email ok: %s", good_mail[i]);
    }
    for (i = 0; i < sizeof(bad_mail) / sizeof(bad_mail[0]); i++) {
        UNIT_IS_INT(devplat_is_email(bad_mail[i]), 0, "email refused: #%d", (int)i);
    }
    /* 64 + 1 + 189 = 254 characters, and one more */
    s = apr_pstrcat(p, repeat(p, "l", 64), "@", repeat(p, "d", 63), ".",
                    repeat(p, "e", 63), ".", repeat(p, "f", 57), ".com", NULL);
    UNIT_IS_INT(strlen(s), 254, "a 254-character address");
    UNIT_IS_INT(devplat_is_email(s), 1, "email: 254 characters");
    s = apr_pstrcat(p, "l", s, NULL);
    UNIT_IS_INT(devplat_is_email(s), 0, "email: 255 characters (local part 65)");
    s = apr_pstrcat(p, repeat(p, "l", 60), "@", repeat(p, "d", 63), ".",
                    repeat(p, "e", 63), ".", repeat(p, "f", 62), ".com", NULL);
    UNIT_IS_INT(strlen(s), 255, "a 255-character address");
    UNIT_IS_INT(devplat_is_email(s), 0, "email: 255 characters");
    s = apr_pstrcat(p, "a@", repeat(p, "d", 64), ".com", NULL);
    UNIT_IS_INT(devplat_is_email(s), 0, "email: a 64-character label");
    UNIT_IS_INT(devplat_is_email(NULL), 0, "email: NULL");
}

/* ------------------------------------------------------------------ time */

static void test_timefmt(apr_pool_t *p)
{
    char buf[DEVPLAT_TIMEFMT_LEN + 1];
    apr_int64_t now, sys;

    setenv("TZ", "UTC", 1);
    tzset();
    devplat_time_format(buf, 0);
    UNIT_IS_STR(buf, "1970-01-01 00:00:00", "epoch in UTC");
    devplat_time_format(buf, APR_INT64_C(1700000000));
    UNIT_IS_STR(buf, "2023-11-14 22:13:20", "1700000000 in UTC");
    UNIT_IS_STR(devplat_time_pformat(p, APR_INT64_C(951782400)),
                "2000-02-29 00:00:00", "leap day in UTC (pool)");
    devplat_time_format(buf, APR_INT64_C(253402300799));
    UNIT_IS_STR(buf, "9999-12-31 23:59:59", "last four-digit second");
    devplat_time_format(buf, APR_INT64_C(9223372036854775807));
    UNIT_IS_INT(strlen(buf), DEVPLAT_TIMEFMT_LEN, "huge time stays 19 chars");

    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    devplat_time_format(buf, APR_INT64_C(1700000000));
    UNIT_IS_STR(buf, "2023-11-15 06:13:20", "1700000000 in Asia/Shanghai");

    sys = (apr_int64_t)time(NULL);
    now = devplat_now();
    UNIT_OK(now >= sys && now <= sys + 2, "devplat_now is Unix seconds");
}

/* -------------------------------------------------------------- throttle */

static void test_throttle(void)
{
    const devplat_throttle_policy pol = {5, 900, 60, 900};
    static const apr_int64_t want[] = {60, 120, 240, 480, 900, 900};
    devplat_throttle_state st;
    apr_int64_t t = 10000, got = 0;
    int i, k;

    memset(&st, 0, sizeof(st));
    for (i = 0; i < 4; i++) {
        got |= devplat_throttle_fail(&pol, &st, t + i);
    }
    UNIT_IS_INT(got, 0, "4 failures: no lock");
    UNIT_IS_INT(devplat_throttle_wait(&st, t + 3), 0, "4 failures: no wait");
    got = devplat_throttle_fail(&pol, &st, t + 4);
    UNIT_IS_INT(got, 60, "5th failure locks for 60");
    UNIT_IS_INT(devplat_throttle_wait(&st, t + 4), 60, "wait 60 right after");
    UNIT_IS_INT(devplat_throttle_wait(&st, t + 63), 1, "wait 1 a second early");
    UNIT_IS_INT(devplat_throttle_wait(&st, t + 64), 0, "no wait at the end");
    for (k = 1; k < 6; k++) {
        t = st.locked_until;
        got = 0;
        for (i = 0; i < 4; i++) {
            got |= devplat_throttle_fail(&pol, &st, t + i);
        }
        UNIT_IS_INT(got, 0, "after lock %d: 4 failures do not lock", k);
        got = devplat_throttle_fail(&pol, &st, t + 4);
        UNIT_IS_INT(got, want[k], "after lock %d: 5th locks %d", k,
                    (int)want[k]);
        UNIT_IS_INT(devplat_throttle_wait(&st, t + 4), want[k],
                    "after lock %d: wait %d", k, (int)want[k]);
    }
    UNIT_IS_INT(st.locks, 6, "six locks in the streak");

    /* Window: failures count only within 900 s of the first. */
    memset(&st, 0, sizeof(st));
    t = 20000;
    for (i = 0; i < 4; i++) {
        devplat_throttle_fail(&pol, &st, t + i);
    }
    UNIT_IS_INT(devplat_throttle_fail(&pol, &st, t + 899), 60,
                "5th failure at window_start + 899 still locks");
    memset(&st, 0, sizeof(st));
    for (i = 0; i < 4; i++) {
        devplat_throttle_fail(&pol, &st, t + i);
    }
    UNIT_IS_INT(devplat_throttle_fail(&pol, &st, t + 900), 0,
                "5th failure at window_start + 900: window expired, no lock");
    UNIT_IS_INT(st.failures, 1, "expired window restarts the count at 1");
    UNIT_IS_INT(st.window_start, t + 900, "new window starts at this failure");
    got = 0;
    for (i = 1; i < 4; i++) {
        got |= devplat_throttle_fail(&pol, &st, t + 900 + i);
    }
    UNIT_IS_INT(got, 0, "four in the new window: no lock");
    UNIT_IS_INT(devplat_throttle_fail(&pol, &st, t + 904), 60,
                "fifth in the new window locks 60");

    /* Streak: a quiet window after the lock ends forgives it. */
    memset(&st, 0, sizeof(st));
    t = 30000;
    for (i = 0; i < 5; i++) {
        devplat_throttle_fail(&pol, &st, t);
    }
    t = st.locked_until + 901;
    for (i = 0; i < 4; i++) {
        devplat_throttle_fail(&pol, &st, t + i);
    }
    UNIT_IS_INT(st.locks, 0, "quiet period after the lock resets the streak");
    UNIT_IS_INT(devplat_throttle_fail(&pol, &st, t + 4), 60,
                "after a quiet period the next lock is 60 again");

    memset(&st, 0, sizeof(st));
    t = 40000;
    for (i = 0; i < 5; i++) {
        devplat_throttle_fail(&pol, &st, t);
    }
    t = st.locked_until + 900;
    for (i = 0; i < 4; i++) {
        devplat_throttle_fail(&pol, &st, t);
    }
    UNIT_IS_INT(devplat_throttle_fail(&pol, &st, t), 120,
                "failures at locked_until + window exactly keep the streak");

    /* A failure inside the quiet period keeps the streak even when the
     * later ones fall past locked_until + window. */
    memset(&st, 0, sizeof(st));
    t = 50000;
    for (i = 0; i < 5; i++) {
        devplat_throttle_fail(&pol, &st, t);
    }
    devplat_throttle_fail(&pol, &st, st.locked_until + 100);
    t = st.locked_until + 901;
    for (i = 0; i < 3; i++) {
        devplat_throttle_fail(&pol, &st, t + i);
    }
    UNIT_IS_INT(devplat_throttle_fail(&pol, &st, t + 3), 120,
                "failure within the window after a lock keeps the streak");

    /* Never a permanent lock. */
    memset(&st, 0, sizeof(st));
    t = 60000;
    got = 0;
    for (k = 0; k < 200; k++) {
        for (i = 0; i < 5; i++) {
            apr_int64_t len = devplat_throttle_fail(&pol, &st, t);
            if (len > got) {
                got = len;
            }
        }
        t = st.locked_until;
    }
    UNIT_IS_INT(got, 900, "200 locks in a row never exceed 900");
    UNIT_IS_INT(devplat_throttle_wait(&st, t), 0, "and always end");
}

static void test_idcard(void)
{
    char masked[20];

    UNIT_OK(devplat_is_cn_id_card("11010519491231002X"), "GB 11643 example with X");
    UNIT_OK(devplat_is_cn_id_card("11010519491231002x"), "lower-case x accepted");
    UNIT_OK(devplat_is_cn_id_card("320106200001011233"), "a 2000-01-01 birth date");
    UNIT_OK(!devplat_is_cn_id_card("110105194912310021"), "wrong check digit");
    UNIT_OK(!devplat_is_cn_id_card("440304199002291230"), "29 February 1990 does not exist");
    UNIT_OK(!devplat_is_cn_id_card("110105209912310029"), "birth date in the future");
    UNIT_OK(!devplat_is_cn_id_card("110105491231002"), "15-digit legacy number");
    UNIT_OK(!devplat_is_cn_id_card("11010519491231002X1"), "19 characters");
    UNIT_OK(!devplat_is_cn_id_card("1101051949123100AX"), "letter inside");
    UNIT_OK(!devplat_is_cn_id_card(""), "empty");
    UNIT_OK(!devplat_is_cn_id_card(NULL), "NULL");
    devplat_mask_id_card("11010519491231002X", masked);
    UNIT_IS_STR(masked, "110***********002X", "masked keeps 3 + 4 characters");
}

static void test_cn_name(apr_pool_t *p)
{
    UNIT_OK(devplat_is_cn_name("张三", 2, 20), "name of two ideographs");
    UNIT_OK(devplat_is_cn_name("欧阳娜娜", 2, 20), "name of four");
    UNIT_OK(devplat_is_cn_name("买买提\xc2\xb7艾力", 2, 20), "middle dot between parts");
    UNIT_OK(devplat_is_cn_name("\xe4\xb8\x80\xf0\xa0\xae\xb7", 2, 20),
            "extension B ideograph (U+20BB7)");
    UNIT_OK(!devplat_is_cn_name("张", 2, 20), "one character is too short");
    UNIT_OK(!devplat_is_cn_name("张三李四王五赵六钱七孙八周九吴十郑甲", 2, 16),
            "over the maximum");
    UNIT_OK(!devplat_is_cn_name("\xc2\xb7张三", 2, 20), "leading middle dot");
    UNIT_OK(!devplat_is_cn_name("张三\xc2\xb7", 2, 20), "trailing middle dot");
    UNIT_OK(!devplat_is_cn_name("张\xc2\xb7\xc2\xb7三", 2, 20), "two dots in a row");
    UNIT_OK(!devplat_is_cn_name("Zhang San", 2, 20), "Latin letters");
    UNIT_OK(!devplat_is_cn_name("张 三", 2, 20), "space");
    UNIT_OK(!devplat_is_cn_name("张三1", 2, 20), "digit");
    UNIT_OK(!devplat_is_cn_name("张\xe4\xb8", 2, 20), "truncated UTF-8");
    UNIT_OK(!devplat_is_cn_name("\xc0\xaf\xc0\xaf", 2, 20), "overlong UTF-8");
    UNIT_OK(!devplat_is_cn_name("", 2, 20), "empty");
    UNIT_OK(!devplat_is_cn_name(NULL, 2, 20), "NULL");

    UNIT_IS_STR(devplat_mask_name(p, "张三"), "张*", "mask 张三");
    UNIT_IS_STR(devplat_mask_name(p, "欧阳娜娜"), "欧***", "mask 欧阳娜娜");
    UNIT_IS_STR(devplat_mask_name(p, "买买提\xc2\xb7艾力"), "买*****",
                "mask counts code points, dot included");
    UNIT_IS_STR(devplat_mask_name(p, "\xf0\xa0\xae\xb7\xe4\xb8\x80"),
                "\xf0\xa0\xae\xb7*", "mask keeps a 4-byte first character whole");
    UNIT_IS_STR(devplat_mask_name(p, "张"), "张", "a single character stays");
    UNIT_IS_STR(devplat_mask_name(p, ""), "", "mask of empty");
    UNIT_IS_STR(devplat_mask_name(p, "\xff\xfe"), "", "mask of ill-formed UTF-8");
    UNIT_IS_STR(devplat_mask_name(p, NULL), "", "mask of NULL");
}

int main(void)
{
    apr_pool_t *p;

    apr_initialize();
    atexit(apr_terminate);
    apr_pool_create(&p, NULL);

    test_b64url(p);
    test_jwt_rfc7515(p);
    test_jwt_roundtrip(p);
    test_jwt_rejects(p);
    test_otp(p);
    test_random(p);
    test_password(p);
    test_validate(p);
    test_admin_rules(p);
    test_timefmt(p);
    test_throttle();
    test_idcard();
    test_cn_name(p);

    apr_pool_destroy(p);
    return UNIT_DONE();
}
