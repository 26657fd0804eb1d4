/* Mainland resident identity card numbers (居民身份证, GB 11643-1999). */
#ifndef DEVPLAT_IDCARD_H
#define DEVPLAT_IDCARD_H

#include <apr_pools.h>

/* 1 when s is an 18-character number: 17 digits and a check character
 * (digit or 'X'/'x') that matches the ISO 7064 MOD 11-2 checksum, whose
 * birth date (characters 7-14) is a real calendar day between 1900-01-01
 * and today. 15-digit legacy numbers are refused. */
int devplat_is_cn_id_card(const char *s);

/* The number with all but its first 3 and last 4 characters as '*'
 * (for display); writes at most 19 bytes into out. */
void devplat_mask_id_card(const char *s, char *out);

/* 1 when s is a name as an identity card prints it: min..max code points of
 * CJK ideographs (basic block, extension A and B), with single middle dots
 * (U+00B7) between them as in names of ethnic minorities ("买买提·艾力"). */
int devplat_is_cn_name(const char *s, apr_size_t min, apr_size_t max);

/* The name with every code point after the first as '*' ("张三" -> "张*");
 * "" for NULL or ill-formed UTF-8. */
char *devplat_mask_name(apr_pool_t *p, const char *s);

#endif
