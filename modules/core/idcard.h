/* Mainland resident identity card numbers (居民身份证, GB 11643-1999). */
#ifndef DEVPLAT_IDCARD_H
#define DEVPLAT_IDCARD_H

/* 1 when s is an 18-character number: 17 digits and a check character
 * (digit or 'X'/'x') that matches the ISO 7064 MOD 11-2 checksum, whose
 * birth date (characters 7-14) is a real calendar day between 1900-01-01
 * and today. 15-digit legacy numbers are refused. */
int devplat_is_cn_id_card(const char *s);

/* The number with all but its first 3 and last 4 characters as '*'
 * (for display); writes at most 19 bytes into out. */
void devplat_mask_id_card(const char *s, char *out);

#endif
