/* Input rules shared by the API faces. UTF-8 is checked strictly (RFC 3629
 * table 3-7 ranges) so that overlong or surrogate encodings can never
 * smuggle a character past a rule that looked at code points. */

#include <string.h>

#include "validate.h"

/* Decodes one well-formed code point at s[0..len); returns its length in
 * bytes (1..4) and stores it in *cp, or 0 when the bytes are ill-formed,
 * truncated or NUL. */
static apr_size_t utf8_decode(const unsigned char *s, apr_size_t len,
                              unsigned long *cp)
{
    unsigned char c = s[0];
    unsigned char lo = 0x80, hi = 0xBF;
    apr_size_t n, i;
    unsigned long v;

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
    if (len < n) {
        return 0;
    }
    for (i = 1; i < n; i++) {
        unsigned char b = s[i];
        if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) {
            return 0;
        }
        v = (v << 6) | (b & 0x3F);
    }
    *cp = v;
    return n;
}

int devplat_utf8_valid(const char *s, apr_size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t i = 0, n;
    unsigned long cp;

    if (s == NULL) {
        return 0;
    }
    while (i < len) {
        n = utf8_decode(u + i, len - i, &cp);
        if (n == 0) {
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

static int is_name_char(unsigned long cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF)
           || (cp >= 0x3400 && cp <= 0x4DBF)
           || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')
           || (cp >= '0' && cp <= '9') || cp == '_' || cp == '-';
}

int devplat_is_name(const char *s, apr_size_t min, apr_size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    apr_size_t len, i = 0, n, count = 0;
    unsigned long cp;

    if (s == NULL) {
        return 0;
    }
    len = strlen(s);
    while (i < len) {
        n = utf8_decode(u + i, len - i, &cp);
        if (n == 0 || !is_name_char(cp)) {
            return 0;
        }
        i += n;
        if (++count > max) {
            return 0;
        }
    }
    return count >= min;
}

int devplat_is_visible_ascii(const char *s, apr_size_t min, apr_size_t max)
{
    apr_size_t n;

    if (s == NULL) {
        return 0;
    }
    for (n = 0; s[n]; n++) {
        if ((unsigned char)s[n] < 0x21 || (unsigned char)s[n] > 0x7E
            || n >= max) {
            return 0;
        }
    }
    return n >= min;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alnum(char c)
{
    return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int devplat_is_word(const char *s, apr_size_t min, apr_size_t max)
{
    apr_size_t n;

    if (s == NULL) {
        return 0;
    }
    for (n = 0; s[n]; n++) {
        if (!(is_alnum(s[n]) || s[n] == '_' || s[n] == '-') || n >= max) {
            return 0;
        }
    }
    return n >= min;
}

int devplat_is_mobile(const char *s)
{
    int i;

    if (s == NULL || s[0] != '1' || s[1] < '3' || s[1] > '9') {
        return 0;
    }
    for (i = 2; i < 11; i++) {
        if (!is_digit(s[i])) {
            return 0;
        }
    }
    return s[11] == '\0';
}

int devplat_is_virtual_mobile(const char *s)
{
    static const char *const ranges[] = {"170", "171", "162", "165", "167"};
    apr_size_t i;

    if (!devplat_is_mobile(s)) {
        return 0;
    }
    for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
        if (!strncmp(s, ranges[i], 3)) {
            return 1;
        }
    }
    return 0;
}

/* atext of RFC 5322 section 3.2.3 */
static int is_atext(char c)
{
    return is_alnum(c) || (c && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

int devplat_is_email(const char *s)
{
    const char *at, *p, *label;
    apr_size_t len, labels = 0, n;
    int digits_only = 1;

    if (s == NULL || (len = strlen(s)) > 254 || !(at = strchr(s, '@'))
        || strchr(at + 1, '@')) {
        return 0;
    }
    /* local part: dot-atoms */
    n = (apr_size_t)(at - s);
    if (n < 1 || n > 64 || s[0] == '.' || at[-1] == '.') {
        return 0;
    }
    for (p = s; p < at; p++) {
        if (!(is_atext(*p) || (*p == '.' && p[1] != '.'))) {
            return 0;
        }
    }
    /* domain: LDH labels */
    for (label = p = at + 1; ; p++) {
        if (*p == '.' || *p == '\0') {
            n = (apr_size_t)(p - label);
            if (n < 1 || n > 63 || label[0] == '-' || p[-1] == '-') {
                return 0;
            }
            labels++;
            if (*p == '\0') {
                break;
            }
            label = p + 1;
            digits_only = 1;
            continue;
        }
        if (!(is_alnum(*p) || *p == '-')) {
            return 0;
        }
        if (!is_digit(*p)) {
            digits_only = 0;
        }
    }
    return labels >= 2 && (apr_size_t)(p - label) >= 2 && !digits_only;
}

int devplat_is_digits(const char *s, apr_size_t maxlen)
{
    apr_size_t n;

    if (s == NULL) {
        return 0;
    }
    for (n = 0; s[n]; n++) {
        if (!is_digit(s[n]) || n >= maxlen) {
            return 0;
        }
    }
    return n >= 1;
}

int devplat_is_username(const char *s)
{
    return devplat_is_name(s, 2, 16) && !devplat_is_mobile(s);
}
