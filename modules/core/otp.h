/* One-time verification codes: only an HMAC of the code is ever stored,
 * bound to destination and purpose so a code for one cannot serve another. */
#ifndef DEVPLAT_OTP_H
#define DEVPLAT_OTP_H

#include <apr_pools.h>

#define DEVPLAT_OTP_DIGITS 6

/* hex HMAC-SHA256(key, purpose "\n" destination "\n" code), 64 chars. */
char *devplat_otp_digest(apr_pool_t *p, const unsigned char *key, apr_size_t keylen,
                         const char *purpose, const char *destination,
                         const char *code);

/* Constant-time comparison of two NUL-terminated strings; 1 when equal. */
int devplat_str_equal_ct(const char *a, const char *b);

#endif
