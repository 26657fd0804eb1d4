/* Image captchas: a random text and its picture, drawn with libgd alone
 * (a built-in bitmap font, scaled, rotated and waved, under noise), so no
 * font file has to exist on the server. */
#ifndef DEVPLAT_CAPTCHA_H
#define DEVPLAT_CAPTCHA_H

#include <apr_pools.h>

#define DEVPLAT_CAPTCHA_LEN     5
#define DEVPLAT_CAPTCHA_WIDTH   150
#define DEVPLAT_CAPTCHA_HEIGHT  50

/* Upper-case letters and digits a person cannot confuse: no 0/O, 1/I/L. */
#define DEVPLAT_CAPTCHA_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

/* DEVPLAT_CAPTCHA_LEN random characters of the alphabet; NULL when the
 * random generator fails. */
char *devplat_captcha_text(apr_pool_t *p);

/* The PNG picture of text (DEVPLAT_CAPTCHA_LEN characters of the alphabet),
 * DEVPLAT_CAPTCHA_WIDTH x DEVPLAT_CAPTCHA_HEIGHT, in *len bytes from p.
 * Every call draws a different picture. NULL for other text or when libgd
 * or the random generator fails. */
unsigned char *devplat_captcha_png(apr_pool_t *p, const char *text, apr_size_t *len);

/* What a person typed, as the stored text is written: DEVPLAT_CAPTCHA_LEN
 * ASCII letters or digits, letters in upper case. NULL when input is not
 * DEVPLAT_CAPTCHA_LEN letters or digits. */
char *devplat_captcha_normalize(apr_pool_t *p, const char *input);

#endif
