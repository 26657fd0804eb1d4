/* UTF-8 checked strictly (RFC 3629 table 3-7 ranges), so that overlong or
 * surrogate encodings can never smuggle a character past a rule that
 * looked at code points, and repaired the way Unicode recommends (one
 * U+FFFD per maximal subpart, chapter 3.9) where text must be kept. */

#include <string.h>

#include <apr_strings.h>

#include "utf8.h"

#define REPLACEMENT     "\xEF\xBF\xBD"      /* U+FFFD */
#define REPLACEMENT_LEN 3

/* The character at s[0..len): its length (1..4) with *cp set, or 0 with
 * *bad set to the length of its maximal ill-formed subpart (>= 1): the
 * longest prefix that could still have begun a character. */
static apr_size_t scan(const unsigned char *s, apr_size_t len, unsigned long *cp,
                       apr_size_t *bad)
{
    unsigned char c = s[0];
    unsigned char lo = 0x80, hi = 0xBF;
    apr_size_t n, i;
    unsigned long v;

    *bad = 1;
    if (c == 0) {
        return 0;
    }
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1F;
    }
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0F;
        if (c == 0xE0) {
            lo = 0xA0;          /* overlong below U+0800 */
        }
        else if (c == 0xED) {
            hi = 0x9F;          /* surrogates U+D800..U+DFFF */
        }
    }
    else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07;
        if (c == 0xF0) {
            lo = 0x90;          /* overlong below U+10000 */
        }
        else if (c == 0xF4) {
            hi = 0x8F;          /* above U+10FFFF */
        }
    }
    else {
        return 0;               /* continuation, C0, C1, F5..FF */
    }
    for (i = 1; i < n; i++) {
        unsigned char b;

        if (i >= len) {
            *bad = i;           /* truncated */
            return 0;
        }
        b = s[i];
        if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) {
            *bad = i;
            return 0;
        }
        v = (v << 6) | (b & 0x3F);
    }
    *cp = v;
    return n;
}

apr_size_t devplat_utf8_decode(const char *s, apr_size_t len, unsigned long *cp)
{
    apr_size_t bad;

    return s && len ? scan((const unsigned char *)s, len, cp, &bad) : 0;
}

int devplat_utf8_valid(const char *s, apr_size_t len)
{
    apr_size_t i = 0, n;
    unsigned long cp;

    if (s == NULL) {
        return 0;
    }
    while (i < len) {
        if ((n = devplat_utf8_decode(s + i, len - i, &cp)) == 0) {
            return 0;
        }
        i += n;
    }
    return 1;
}

apr_size_t devplat_utf8_length(const char *s)
{
    apr_size_t n = 0;

    if (s == NULL) {
        return 0;
    }
    for (; *s; s++) {
        if (((unsigned char)*s & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

static int is_control(unsigned long cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

char *devplat_utf8_sanitize(apr_pool_t *p, const char *s, apr_size_t max, int flags)
{
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t len = s ? strlen(s) : 0, i = 0, o = 0, n, bad;
    unsigned long cp;
    char *out;

    /* one byte becomes at most the three of U+FFFD */
    out = apr_palloc(p, (len <= max / REPLACEMENT_LEN ? len * REPLACEMENT_LEN : max) + 1);
    while (i < len) {
        const char *put = s + i;

        n = scan(u + i, len - i, &cp, &bad);
        if (n == 0 || ((flags & DEVPLAT_UTF8_NO_CONTROLS) && is_control(cp))) {
            put = REPLACEMENT;
            i += n ? n : bad;
            n = REPLACEMENT_LEN;
        }
        else {
            i += n;
        }
        if (o + n > max) {
            break;
        }
        memcpy(out + o, put, n);
        o += n;
    }
    out[o] = '\0';
    return out;
}

/* The JSON escape of a control character into buf (at least 7 bytes). */
static apr_size_t escape(unsigned long cp, char *buf)
{
    static const char hex[] = "0123456789abcdef";
    const char *short_form = NULL;

    switch (cp) {
    case '"':  short_form = "\\\""; break;
    case '\\': short_form = "\\\\"; break;
    case '\b': short_form = "\\b"; break;
    case '\f': short_form = "\\f"; break;
    case '\n': short_form = "\\n"; break;
    case '\r': short_form = "\\r"; break;
    case '\t': short_form = "\\t"; break;
    }
    if (short_form) {
        memcpy(buf, short_form, 2);
        return 2;
    }
    memcpy(buf, "\\u00", 4);
    buf[4] = hex[(cp >> 4) & 0xF];
    buf[5] = hex[cp & 0xF];
    return 6;
}

char *devplat_utf8_quote(apr_pool_t *p, const char *s, apr_size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t len = s ? strlen(s) : 0, i = 0, o = 1, n, bad;
    unsigned long cp;
    char *out, buf[8];

    if (max < 2) {
        return apr_pstrdup(p, "");
    }
    /* one byte becomes at most the six of \u00XX */
    out = apr_palloc(p, (len <= (max - 2) / 6 ? len * 6 + 2 : max) + 1);
    out[0] = '"';
    while (i < len) {
        const char *put = s + i;

        n = scan(u + i, len - i, &cp, &bad);
        i += n ? n : bad;
        if (n == 0) {
            put = REPLACEMENT;
            n = REPLACEMENT_LEN;
        }
        else if (is_control(cp) || cp == '"' || cp == '\\') {
            n = escape(cp, buf);
            put = buf;
        }
        if (o + n + 1 > max) {
            break;
        }
        memcpy(out + o, put, n);
        o += n;
    }
    out[o++] = '"';
    out[o] = '\0';
    return out;
}
