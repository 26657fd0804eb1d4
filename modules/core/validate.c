/* Input rules shared by the API faces. Characters are decoded strictly
 * (utf8.c), so that overlong or surrogate encodings can never smuggle a
 * character past a rule that looked at code points. */

#include <string.h>

#include "validate.h"

static int is_name_char(unsigned long cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF)
           || (cp >= 0x3400 && cp <= 0x4DBF)
           || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')
           || (cp >= '0' && cp <= '9') || cp == '_' || cp == '-';
}

int devplat_is_name(const char *s, apr_size_t min, apr_size_t max)
{
    apr_size_t len, i = 0, n, count = 0;
    unsigned long cp;

    if (s == NULL) {
        return 0;
    }
    len = strlen(s);
    while (i < len) {
        n = devplat_utf8_decode(s + i, len - i, &cp);
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

/* Characters beyond ASCII that RFC 6531's UTF8-non-ascii would let into a
 * local part but no mailbox name needs, and that would make two addresses
 * look alike or hide: C1 controls, spaces and separators (U+3000, the
 * ideographic space, among them), zero widths, bidirectional controls,
 * invisible operators, the BOM, tags, U+FFFD and the noncharacters. */
static int is_refused_in_mailbox(unsigned long cp)
{
    return cp <= 0x9F || cp == 0xA0 || cp == 0xAD || cp == 0x1680 || cp == 0x180E
           || (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F)
           || (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0xFEFF
           || (cp >= 0xFFF0 && cp <= 0xFFFD) || (cp >= 0xFDD0 && cp <= 0xFDEF)
           || (cp & 0xFFFE) == 0xFFFE || (cp >= 0xE0000 && cp <= 0xE007F);
}

/* The local part s[0..len): RFC 5322 dot-atoms whose atext may also be any
 * UTF-8 character RFC 6531 allows (less the refused ones above). */
static int is_local_part(const char *s, apr_size_t len)
{
    apr_size_t i = 0, n;
    unsigned long cp;

    if (len < 1 || len > 64 || s[0] == '.' || s[len - 1] == '.') {
        return 0;
    }
    while (i < len) {
        if ((unsigned char)s[i] >= 0x80) {
            n = devplat_utf8_decode(s + i, len - i, &cp);
            if (n == 0 || is_refused_in_mailbox(cp)) {
                return 0;
            }
            i += n;
            continue;
        }
        if (!(is_atext(s[i]) || (s[i] == '.' && s[i + 1] != '.'))) {
            return 0;
        }
        i++;
    }
    return 1;
}

/* A top-level label: letters only, or an IDNA A-label ("xn--" and LDH). */
static int is_top_label(const char *s, apr_size_t len)
{
    apr_size_t i;

    if (len >= 5 && (s[0] | 0x20) == 'x' && (s[1] | 0x20) == 'n' && s[2] == '-'
        && s[3] == '-') {
        return 1;
    }
    for (i = 0; i < len; i++) {
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) {
            return 0;
        }
    }
    return len >= 2;
}

int devplat_is_email(const char *s)
{
    const char *at, *p, *label;
    apr_size_t labels = 0, n;

    if (s == NULL || strlen(s) > 254 || !(at = strchr(s, '@')) || strchr(at + 1, '@')
        || !is_local_part(s, (apr_size_t)(at - s))) {
        return 0;
    }
    /* domain: ASCII LDH labels (an internationalised one as its A-label) */
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
            continue;
        }
        if (!(is_alnum(*p) || *p == '-')) {
            return 0;
        }
    }
    return labels >= 2 && is_top_label(label, (apr_size_t)(p - label));
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
