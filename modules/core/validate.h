/* Input rules shared by the three faces. All functions take NUL-terminated
 * UTF-8 and return 1 when the input satisfies the rule, 0 otherwise. */
#ifndef DEVPLAT_VALIDATE_H
#define DEVPLAT_VALIDATE_H

#include <apr.h>

/* Well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int devplat_utf8_valid(const char *s, apr_size_t len);

/* Number of code points in valid UTF-8. */
apr_size_t devplat_utf8_length(const char *s);

/* min..max code points, each a CJK unified ideograph (U+4E00..U+9FFF,
 * U+3400..U+4DBF), ASCII letter, digit, '_' or '-'. */
int devplat_is_name(const char *s, apr_size_t min, apr_size_t max);

/* A username on every face: devplat_is_name() of 2..16 code points that
 * does not have the form of a mobile number (devplat_is_mobile), so that a
 * login identifier names one account only. */
int devplat_is_username(const char *s);

/* min..max printable ASCII characters (0x21..0x7E). */
int devplat_is_visible_ascii(const char *s, apr_size_t min, apr_size_t max);

/* min..max ASCII letters, digits, '_' or '-' (admin passwords, positions). */
int devplat_is_word(const char *s, apr_size_t min, apr_size_t max);

/* Mainland mobile number: ^1[3-9][0-9]{9}$ */
int devplat_is_mobile(const char *s);

/* A mobile number of a virtual operator's range (170, 171, 162, 165, 167),
 * which the admin face refuses. */
int devplat_is_virtual_mobile(const char *s);

/* An e-mail address of at most 254 characters: local@domain with an ASCII
 * local part of 1..64 atext characters and dots (no leading, trailing or
 * double dot) and a domain of two or more LDH labels of 1..63 characters,
 * the last one 2 or more characters and not only digits. */
int devplat_is_email(const char *s);

/* Only ASCII digits, 1..maxlen of them. */
int devplat_is_digits(const char *s, apr_size_t maxlen);

#endif
