/* Unit tests of modules/core/utf8.c (decode, validate, sanitize, cut,
 * quote) and of the internationalised e-mail rule built on it (TAP). */

#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "email.h"
#include "utf8.h"
#include "validate.h"

#include "unit.h"

#define FFFD "\xEF\xBF\xBD"

static char *repeat(apr_pool_t *p, const char *s, int n)
{
    char *out = "";

    while (n-- > 0) {
        out = apr_pstrcat(p, out, s, NULL);
    }
    return out;
}

static void test_decode(void)
{
    static const struct {
        const char *s;
        apr_size_t len;
        unsigned long cp;
    } good[] = {
        {"A", 1, 0x41}, {"\x7F", 1, 0x7F}, {"\xC2\x80", 2, 0x80}, {"\xDF\xBF", 2, 0x7FF},
        {"\xE0\xA0\x80", 3, 0x800}, {"\xE4\xB8\xAD", 3, 0x4E2D}, {"\xED\x9F\xBF", 3, 0xD7FF},
        {"\xEE\x80\x80", 3, 0xE000}, {"\xEF\xBF\xBF", 3, 0xFFFF},
        {"\xF0\x90\x80\x80", 4, 0x10000}, {"\xF4\x8F\xBF\xBF", 4, 0x10FFFF}
    };
    static const char *const bad[] = {
        "\x80", "\xBF", "\xC0\x80", "\xC1\xBF", "\xE0\x9F\xBF", "\xED\xA0\x80",
        "\xED\xBF\xBF", "\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",
        "\xFE", "\xFF", "\xE4\xB8", "\xC3", "\xC3\x41", "\xE4\x41\xAD"
    };
    unsigned long cp;
    apr_size_t i;

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        cp = 0;
        UNIT_IS_INT(devplat_utf8_decode(good[i].s, strlen(good[i].s), &cp), good[i].len,
                    "decode: U+%04lX has %d bytes", good[i].cp, (int)good[i].len);
        UNIT_IS_INT(cp, good[i].cp, "decode: U+%04lX", good[i].cp);
        UNIT_OK(devplat_utf8_valid(good[i].s, strlen(good[i].s)), "valid: U+%04lX", good[i].cp);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        UNIT_IS_INT(devplat_utf8_decode(bad[i], strlen(bad[i]), &cp), 0, "decode refuses #%d",
                    (int)i);
        UNIT_OK(!devplat_utf8_valid(bad[i], strlen(bad[i])), "invalid: #%d", (int)i);
    }
    UNIT_IS_INT(devplat_utf8_decode("\xE4\xB8\xAD", 2, &cp), 0, "decode: cut by len");
    UNIT_IS_INT(devplat_utf8_decode("", 1, &cp), 0, "decode: NUL");
    UNIT_IS_INT(devplat_utf8_decode(NULL, 3, &cp), 0, "decode: NULL");
    UNIT_OK(!devplat_utf8_valid("a\0b", 3), "valid: an inner NUL is not");
    UNIT_OK(devplat_utf8_valid("", 0), "valid: empty");
    UNIT_OK(!devplat_utf8_valid(NULL, 0), "valid: NULL is not");
    UNIT_IS_INT(devplat_utf8_length("a\xE4\xB8\xAD\xF0\x9F\x98\x80"), 3, "length: 3 code points");
}

static void test_sanitize(apr_pool_t *p)
{
    static const struct {
        const char *in, *out, *name;
    } cases[] = {
        {"Mozilla/5.0 (caf\xE9)", "Mozilla/5.0 (caf" FFFD ")", "a Latin-1 byte"},
        {"\xC0\xAF", FFFD FFFD, "an overlong: two subparts"},
        {"\xE0\x80\xAF", FFFD FFFD FFFD, "an overlong of three bytes: three"},
        {"\xED\xA0\x80x", FFFD FFFD FFFD "x", "a surrogate: three"},
        {"\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD, "above U+10FFFF: four"},
        {"\xF0\x9F\x98" "A", FFFD "A", "a truncated 4-byte character: one"},
        {"\xE4\xB8", FFFD, "a truncated character at the end: one"},
        {"a\x80\x80" "b", "a" FFFD FFFD "b", "stray continuation bytes: one each"},
        {"\xFF\xFE", FFFD FFFD, "FF FE"},
        {"\xE4\xB8\xAD\xE6\x96\x87", "\xE4\xB8\xAD\xE6\x96\x87", "valid text unchanged"},
        {"a\tb\x01" "c\x7F", "a\tb\x01" "c\x7F", "controls kept without the flag"},
        {"", "", "empty"}
    };
    char *s;
    apr_size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        UNIT_IS_STR(devplat_utf8_sanitize(p, cases[i].in, 255, 0), cases[i].out,
                    "sanitize: %s", cases[i].name);
    }
    UNIT_IS_STR(devplat_utf8_sanitize(p, NULL, 255, 0), "", "sanitize: NULL is empty");
    UNIT_IS_STR(devplat_utf8_sanitize(p, "a\tb\x01" "c\x7F\xC2\x85" "d", 255,
                                      DEVPLAT_UTF8_NO_CONTROLS),
                "a" FFFD "b" FFFD "c" FFFD FFFD "d", "sanitize: controls replaced with the flag");

    /* cuts: never inside a character */
    s = devplat_utf8_sanitize(p, repeat(p, "\xE7\x94\xA8", 100), 255, 0);
    UNIT_IS_STR(s, repeat(p, "\xE7\x94\xA8", 85), "cut: 300 bytes of U+7528 to 255");
    s = devplat_utf8_sanitize(p, apr_pstrcat(p, "a", repeat(p, "\xE7\x94\xA8", 100), NULL), 255, 0);
    UNIT_IS_INT(strlen(s), 253, "cut: 1 + 100 x 3 bytes to 253, before the character across 255");
    UNIT_OK(devplat_utf8_valid(s, strlen(s)), "cut: still valid");
    s = devplat_utf8_sanitize(p, repeat(p, "\xF0\x9F\x98\x80", 20), 64, 0);
    UNIT_IS_INT(strlen(s), 64, "cut: 4-byte characters to 64");
    s = devplat_utf8_sanitize(p, repeat(p, "\xF0\x9F\x98\x80", 20), 63, 0);
    UNIT_IS_INT(strlen(s), 60, "cut: 4-byte characters to 63 is 60");
    UNIT_IS_STR(devplat_utf8_sanitize(p, "ab\xFF", 4, 0), "ab", "cut: a U+FFFD that does not fit");
    UNIT_IS_STR(devplat_utf8_sanitize(p, "ab\xFF", 5, 0), "ab" FFFD, "cut: one that does");
    UNIT_IS_STR(devplat_utf8_sanitize(p, "abc", 0, 0), "", "cut: to 0");
    UNIT_IS_STR(devplat_utf8_sanitize(p, repeat(p, "\xFF", 200), 255, 0), repeat(p, FFFD, 85),
                "cut: 200 bad bytes grow to 600, cut to 255");
}

/* Any bytes in, valid UTF-8 of at most max bytes out; valid input comes
 * out as a prefix of itself. */
static void test_sanitize_any(apr_pool_t *p)
{
    unsigned long seed = 12345;
    int round, bad = 0, longer = 0, not_prefix = 0;

    for (round = 0; round < 20000; round++) {
        char in[40], *out;
        apr_size_t len, i, max;

        seed = seed * 1103515245UL + 12345UL;
        len = (seed >> 16) % 39;
        for (i = 0; i < len; i++) {
            seed = seed * 1103515245UL + 12345UL;
            /* mostly bytes that start or continue characters */
            in[i] = (char)((seed >> 16) % 4 ? 0x80 + (seed >> 8) % 0x80 : 1 + (seed >> 8) % 0x7F);
        }
        in[len] = '\0';
        max = (seed >> 4) % 48;
        out = devplat_utf8_sanitize(p, in, max, round % 2 ? DEVPLAT_UTF8_NO_CONTROLS : 0);
        bad += !devplat_utf8_valid(out, strlen(out));
        longer += strlen(out) > max;
        if (devplat_utf8_valid(in, len) && round % 2 == 0) {
            not_prefix += strncmp(out, in, strlen(out)) != 0;
        }
    }
    UNIT_IS_INT(bad, 0, "sanitize: 20000 random inputs, every output valid UTF-8");
    UNIT_IS_INT(longer, 0, "sanitize: every output within max");
    UNIT_IS_INT(not_prefix, 0, "sanitize: valid input cut to a prefix of itself");
}

static void test_quote(apr_pool_t *p)
{
    char *s;
    apr_size_t i, n;

    UNIT_IS_STR(devplat_utf8_quote(p, "alice", 255), "\"alice\"", "quote: a name");
    UNIT_IS_STR(devplat_utf8_quote(p, "frozen", 255), "\"frozen\"",
                "quote: a typed word is never the bare word");
    UNIT_IS_STR(devplat_utf8_quote(p, "a\"b\\c", 255), "\"a\\\"b\\\\c\"", "quote: quote, backslash");
    UNIT_IS_STR(devplat_utf8_quote(p, "\n\r\t\b\f\x01\x1F\x7F", 255),
                "\"\\n\\r\\t\\b\\f\\u0001\\u001f\\u007f\"", "quote: controls");
    UNIT_IS_STR(devplat_utf8_quote(p, "\xC2\x85\xC2\x9F", 255), "\"\\u0085\\u009f\"",
                "quote: C1 controls");
    UNIT_IS_STR(devplat_utf8_quote(p, "\xE7\x94\xA8\xE6\x88\xB7", 255),
                "\"\xE7\x94\xA8\xE6\x88\xB7\"", "quote: Chinese as it is");
    UNIT_IS_STR(devplat_utf8_quote(p, "caf\xE9", 255), "\"caf" FFFD "\"", "quote: a Latin-1 byte");
    UNIT_IS_STR(devplat_utf8_quote(p, NULL, 255), "\"\"", "quote: NULL");
    UNIT_IS_STR(devplat_utf8_quote(p, "abc", 1), "", "quote: no room for the quotes");
    UNIT_IS_STR(devplat_utf8_quote(p, "abc", 2), "\"\"", "quote: room for the quotes only");
    UNIT_IS_STR(devplat_utf8_quote(p, "abc", 4), "\"ab\"", "quote: cut, closed");
    UNIT_IS_STR(devplat_utf8_quote(p, "a\nb", 4), "\"a\"", "quote: an escape is never split");

    s = devplat_utf8_quote(p, repeat(p, "\"", 300), 255);
    n = strlen(s);
    UNIT_IS_INT(n, 254, "quote: 300 quotes to 126 escapes (254 bytes)");
    for (i = 1; i + 1 < n && s[i] == '\\' && s[i + 1] == '"'; i += 2) {
    }
    UNIT_IS_INT(i, n - 1, "quote: whole escapes, then the closing quote");
    s = devplat_utf8_quote(p, repeat(p, "\xE7\x94\xA8", 100), 255);
    UNIT_IS_INT(strlen(s), 254, "quote: 100 x U+7528 to 84 of them and the quotes");
    UNIT_OK(devplat_utf8_valid(s, strlen(s)) && s[strlen(s) - 1] == '"', "quote: valid, closed");
    s = devplat_utf8_quote(p, repeat(p, "\x01", 100), 255);
    UNIT_IS_INT(strlen(s), 254, "quote: 100 controls to 42 escapes of 6 bytes");
}

static void test_email(apr_pool_t *p)
{
    static const char *const good[] = {
        "\xE7\x94\xA8\xE6\x88\xB7@example.com",          /* 用户@example.com */
        "pel\xC3\xA9@example.cn",                        /* pelé@example.cn */
        "Pel\xC3\xA9.\xC3\x91\x61nd\xC3\xBA@example.com",  /* Pelé.Ñandú */
        "\xCE\xB4\xCE\xBF\xCE\xBA\xCE\xB9\xCE\xBC\xCE\xAE@example.gr",
        "\xE6\xB5\x8B\xE8\xAF\x95+tag@mail.example.org",
        "\xF0\x9F\x98\x80@example.com",                  /* an emoji is a character too */
        "a@xn--fsqu00a.xn--fiqs8s",                      /* 例子.中国 as A-labels */
        "a@b.XN--FIQS8S", "user@example.com", "1@2.com"
    };
    static const char *const bad[] = {
        "\xE7\x94\xA8\xE6\x88\xB7@\xE4\xBE\x8B\xE5\xAD\x90.cn",    /* a U-label domain */
        "a@example.\xE4\xB8\xAD\xE5\x9B\xBD",
        "a\xC2\xA0" "b@example.com",                     /* no-break space */
        "\xE7\x94\xA8\xE3\x80\x80\xE6\x88\xB7@example.com",  /* ideographic space */
        "a\xE2\x80\x8B" "b@example.com",                 /* zero width space */
        "a\xE2\x80\xAE" "b@example.com",                 /* right-to-left override */
        "a\xE2\x81\xA6" "b@example.com",                 /* left-to-right isolate */
        "a\xC2\x85@example.com",                         /* C1 NEL */
        "\xEF\xBB\xBF" "a@example.com",                  /* BOM */
        "a" FFFD "@example.com", "a\xEF\xBF\xBF@example.com",
        "a\xF3\xA0\x80\x81@example.com",                 /* a tag character */
        "caf\xE9@example.com", "\xC0\xAE@example.com", "\xED\xA0\x80@example.com",
        "\xE7\x94\xA8.@example.com", "\xE7\x94\xA8..\xE6\x88\xB7@example.com",
        ".\xE7\x94\xA8@example.com", "a\x01@example.com", "a b@example.com",
        "a@b.c0m", "a@b.xn--", "a@b.123", "a@b", "user@example.c0m"
    };
    char *s;
    apr_size_t i;

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        UNIT_OK(devplat_is_email(good[i]), "email: good #%d", (int)i);
        UNIT_OK(devplat_email_valid(good[i]), "email_valid: good #%d, the same rule", (int)i);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        UNIT_OK(!devplat_is_email(bad[i]), "email: bad #%d", (int)i);
        UNIT_OK(!devplat_email_valid(bad[i]), "email_valid: bad #%d, the same rule", (int)i);
    }

    /* the local part's 64 and the address's 254 are bytes (RFC 5321) */
    s = apr_pstrcat(p, repeat(p, "\xE7\x94\xA8", 21), "a@example.com", NULL);
    UNIT_OK(devplat_is_email(s), "email: a local part of 64 bytes (22 characters)");
    s = apr_pstrcat(p, repeat(p, "\xE7\x94\xA8", 22), "@example.com", NULL);
    UNIT_OK(!devplat_is_email(s), "email: a local part of 66 bytes (22 characters)");
    s = apr_pstrcat(p, repeat(p, "\xE7\x94\xA8", 21), "@", repeat(p, "d", 63), ".",
                    repeat(p, "e", 63), ".", repeat(p, "f", 58), ".com", NULL);
    UNIT_IS_INT(strlen(s), 254, "a 254-byte address of 212 characters");
    UNIT_OK(devplat_is_email(s), "email: 254 bytes");
    s = apr_pstrcat(p, "a", s, NULL);
    UNIT_OK(!devplat_is_email(s), "email: 255 bytes");

    UNIT_IS_STR(devplat_email_normalize(p, "Pel\xC3\xA9@Example.COM"), "pel\xC3\xA9@example.com",
                "normalize: ASCII letters lowered");
    UNIT_IS_STR(devplat_email_normalize(p, "PEL\xC3\x89@X.CN"), "pel\xC3\x89@x.cn",
                "normalize: É is kept as typed (no Unicode case folding)");
    UNIT_IS_STR(devplat_email_normalize(p, "\xE7\x94\xA8\xE6\x88\xB7@EXAMPLE.com"),
                "\xE7\x94\xA8\xE6\x88\xB7@example.com", "normalize: Chinese untouched");
    s = apr_palloc(p, 129);
    for (i = 0; i < 128; i++) {
        s[i] = (char)(0x80 + i);
    }
    s[128] = '\0';
    UNIT_IS_STR(devplat_email_normalize(p, s), s, "normalize: no byte above 0x7F changes");
}

int main(void)
{
    apr_pool_t *p;

    apr_initialize();
    atexit(apr_terminate);
    apr_pool_create(&p, NULL);

    test_decode();
    test_sanitize(p);
    test_sanitize_any(p);
    test_quote(p);
    test_email(p);

    apr_pool_destroy(p);
    return UNIT_DONE();
}
