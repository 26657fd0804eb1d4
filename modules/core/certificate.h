/* Certificate numbers (证件号码) by the rule of their certificate type. */
#ifndef DEVPLAT_CERTIFICATE_H
#define DEVPLAT_CERTIFICATE_H

#include <apr_pools.h>

/* Rules, as certificate_types.number_rule names them:
 *   cn_id_card        居民身份证, 港澳台居民居住证: GB 11643 (18 characters,
 *                     MOD 11-2 check character, a real birth date)
 *   passport          护照: 5 to 17 letters and digits
 *   hk_macau_permit   港澳居民来往内地通行证: H or M and 8 (or 10) digits
 *   tw_permit         台湾居民来往大陆通行证: 8 (or 10) digits
 *   foreign_pr        外国人永久居留身份证: 3 letters and 12 digits (2004
 *                     and 2017 cards), or 18 characters starting with 9 that
 *                     pass the GB 11643 checks (2023 cards)
 *   anything else     4 to 32 letters, digits and '-'
 * Letters are compared as upper case. */

/* The number in the form it is stored and shown: ASCII letters upper-cased;
 * NULL when it breaks the rule. */
char *devplat_certificate_number(apr_pool_t *p, const char *rule, const char *number);

#endif
