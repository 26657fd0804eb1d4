/* UTF-8 as RFC 3629 defines it: validation, repair and cutting of text
 * that arrives from clients (headers, login names) before it is stored.
 * PostgreSQL and MariaDB refuse ill-formed UTF-8 and SQLite keeps it
 * as it came, so nothing is stored that has not been through here or
 * through a rule that validated it. */
#ifndef DEVPLAT_UTF8_H
#define DEVPLAT_UTF8_H

#include <apr_pools.h>

/* Decodes the well-formed character at s[0..len): returns its length in
 * bytes (1..4) and stores its code point in *cp; 0 when the bytes there
 * are ill-formed (overlong, surrogate, above U+10FFFF, truncated, a stray
 * continuation byte) or a NUL. */
apr_size_t devplat_utf8_decode(const char *s, apr_size_t len, unsigned long *cp);

/* 1 when s[0..len) is well-formed UTF-8 without NUL, 0 otherwise (and for
 * NULL). */
int devplat_utf8_valid(const char *s, apr_size_t len);

/* Number of code points of valid UTF-8 (continuation bytes not counted). */
apr_size_t devplat_utf8_length(const char *s);

/* Replace C0 controls (tab included), DEL and C1 controls as well. */
#define DEVPLAT_UTF8_NO_CONTROLS 1

/* A copy of the NUL-terminated s in p that is valid UTF-8 of at most max
 * bytes: each maximal ill-formed subpart (Unicode's "U+FFFD substitution
 * of maximal subparts") becomes one U+FFFD, and the text ends before the
 * first character that would not fit whole; with DEVPLAT_UTF8_NO_CONTROLS
 * each control character becomes one U+FFFD too. NULL gives "". */
char *devplat_utf8_sanitize(apr_pool_t *p, const char *s, apr_size_t max, int flags);

/* s as a JSON string literal (RFC 8259) of at most max bytes, quotes
 * included ("" when max < 2): ill-formed subparts become U+FFFD, '"' and
 * '\' become \" and \\, C0 controls \b \f \n \r \t or \u00XX, DEL and
 * C1 controls \u00XX; every other character stays as it is. A text that
 * does not fit ends before the first character whose escape would not fit,
 * and the literal still ends with its closing quote: it never contains a
 * line break and can never be taken for a bare word written next to it. */
char *devplat_utf8_quote(apr_pool_t *p, const char *s, apr_size_t max);

#endif
