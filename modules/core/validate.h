/* Input rules shared by the three faces. All functions take NUL-terminated
 * UTF-8 and return 1 when the input satisfies the rule, 0 otherwise. */
#ifndef DEVPLAT_VALIDATE_H
#define DEVPLAT_VALIDATE_H

#include <apr.h>

#include "utf8.h"       /* devplat_utf8_valid(), devplat_utf8_length() */

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

/* An e-mail address (RFC 5321/5322 with RFC 6531's UTF-8 local parts) of
 * at most 254 bytes: local@domain, where the local part is 1..64 bytes of
 * dot-atoms (no leading, trailing or double dot) made of RFC 5322 atext
 * and well-formed UTF-8 characters beyond ASCII (C1 controls, spaces and
 * separators, zero widths, bidirectional controls, the BOM, tags, U+FFFD
 * and noncharacters refused), and the domain two or more ASCII labels of
 * 1..63 letters, digits and inner hyphens: an internationalised domain as
 * its A-labels ("xn--..."), the last label letters only (2..63) or an
 * A-label. Quoted local parts and address literals are refused. */
int devplat_is_email(const char *s);

/* Only ASCII digits, 1..maxlen of them. */
int devplat_is_digits(const char *s, apr_size_t maxlen);

#endif
