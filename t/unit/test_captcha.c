/* Unit tests for modules/core/captcha (TAP on stdout): the text's alphabet
 * and length, the PNG's signature and header, that libgd reads the picture
 * back at the right size, and that it shows something text-like. */
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include <gd.h>

#include "captcha.h"

#include "unit.h"

static unsigned long be32(const unsigned char *b)
{
    return (unsigned long)b[0] << 24 | (unsigned long)b[1] << 16
           | (unsigned long)b[2] << 8 | b[3];
}

static void test_text(apr_pool_t *p)
{
    int seen[256] = {0};
    int i, all_len = 1, all_in = 1, distinct = 0;
    const char *a;

    UNIT_IS_INT(strlen(DEVPLAT_CAPTCHA_ALPHABET), 31, "alphabet of 31 characters");
    for (a = "0O1IL"; *a; a++) {
        UNIT_OK(!strchr(DEVPLAT_CAPTCHA_ALPHABET, *a), "alphabet leaves out '%c'", *a);
    }
    for (i = 0; i < 2000; i++) {
        const char *t = devplat_captcha_text(p);
        apr_size_t k;

        if (!t || strlen(t) != DEVPLAT_CAPTCHA_LEN) {
            all_len = 0;
            continue;
        }
        for (k = 0; k < DEVPLAT_CAPTCHA_LEN; k++) {
            if (!strchr(DEVPLAT_CAPTCHA_ALPHABET, t[k])) {
                all_in = 0;
            }
            seen[(unsigned char)t[k]]++;
        }
    }
    UNIT_OK(all_len, "2000 texts of %d characters", DEVPLAT_CAPTCHA_LEN);
    UNIT_OK(all_in, "every character from the alphabet");
    for (a = DEVPLAT_CAPTCHA_ALPHABET; *a; a++) {
        distinct += seen[(unsigned char)*a] > 0;
    }
    UNIT_IS_INT(distinct, 31, "10000 characters use the whole alphabet");
}

static void test_normalize(apr_pool_t *p)
{
    static const char *bad[] = {"", "ABCD", "ABCDEF", "AB-DE", "AB DE", "ABCD\n",
                                "\xe9\xaa\x8c\xe8\xaf", "AB_DE", "AB'DE"};
    apr_size_t i;

    UNIT_IS_STR(devplat_captcha_normalize(p, "ab3Xz"), "AB3XZ", "lower case folds to upper");
    UNIT_IS_STR(devplat_captcha_normalize(p, "A0O1I"), "A0O1I",
                "digits and letters outside the alphabet still normalise (they are wrong, not malformed)");
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        UNIT_OK(devplat_captcha_normalize(p, bad[i]) == NULL, "normalize refuses bad input %d", (int)i);
    }
    UNIT_OK(devplat_captcha_normalize(p, NULL) == NULL, "normalize refuses NULL");
}

static void test_png(apr_pool_t *p)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    const char *text = devplat_captcha_text(p);
    unsigned char *png, *png2;
    apr_size_t len = 0, len2 = 0;
    gdImagePtr im;
    int x, y, dark = 0, light = 0;

    png = devplat_captcha_png(p, text, &len);
    UNIT_OK(png != NULL, "a PNG for %s", text ? text : "(null)");
    if (!png) {
        return;
    }
    UNIT_OK(len > 33 && memcmp(png, sig, 8) == 0, "PNG signature");
    UNIT_IS_INT(be32(png + 8), 13, "first chunk: 13 bytes");
    UNIT_OK(memcmp(png + 12, "IHDR", 4) == 0, "first chunk: IHDR");
    UNIT_IS_INT(be32(png + 16), DEVPLAT_CAPTCHA_WIDTH, "IHDR width %d", DEVPLAT_CAPTCHA_WIDTH);
    UNIT_IS_INT(be32(png + 20), DEVPLAT_CAPTCHA_HEIGHT, "IHDR height %d", DEVPLAT_CAPTCHA_HEIGHT);
    UNIT_OK(len < 16384, "a few kilobytes (%lu bytes)", (unsigned long)len);
    UNIT_OK(memcmp(png + len - 8, "IEND", 4) == 0, "ends with IEND");

    im = gdImageCreateFromPngPtr((int)len, png);
    UNIT_OK(im != NULL, "libgd reads it back");
    if (im) {
        UNIT_IS_INT(gdImageSX(im), DEVPLAT_CAPTCHA_WIDTH, "decoded width");
        UNIT_IS_INT(gdImageSY(im), DEVPLAT_CAPTCHA_HEIGHT, "decoded height");
        for (y = 0; y < gdImageSY(im); y++) {
            for (x = 0; x < gdImageSX(im); x++) {
                int c = gdImageGetPixel(im, x, y);
                int v = gdImageRed(im, c) + gdImageGreen(im, c) + gdImageBlue(im, c);

                dark += v < 3 * 130;
                light += v > 3 * 200;
            }
        }
        /* the text covers a good part of the picture, the background more */
        UNIT_OK(dark > 600 && dark < 3500, "text-like amount of dark pixels (%d)", dark);
        UNIT_OK(light > 3500, "a light background (%d pixels)", light);
        gdImageDestroy(im);
    }

    png2 = devplat_captcha_png(p, text, &len2);
    UNIT_OK(png2 && (len2 != len || memcmp(png, png2, len) != 0),
            "the same text is drawn differently each time");
}

static void test_refuses(apr_pool_t *p)
{
    static const char *bad[] = {"ABCD", "ABCDEF", "ABCD0", "ABCDO", "abcde", "AB DE", ""};
    apr_size_t i, len = 0;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        UNIT_OK(devplat_captcha_png(p, bad[i], &len) == NULL,
                "no picture for text '%s'", bad[i]);
    }
    UNIT_OK(devplat_captcha_png(p, NULL, &len) == NULL, "no picture for NULL");
    UNIT_OK(devplat_captcha_png(p, "ABCDE", NULL) == NULL, "no picture without a length");
}

int main(void)
{
    apr_pool_t *p;

    apr_initialize();
    atexit(apr_terminate);
    apr_pool_create(&p, NULL);

    test_text(p);
    test_normalize(p);
    test_png(p);
    test_refuses(p);

    apr_pool_destroy(p);
    return UNIT_DONE();
}
