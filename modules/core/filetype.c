/* Magic numbers of the image formats the API accepts:
 *   PNG   89 50 4E 47 0D 0A 1A 0A, then the IHDR chunk (length 13)
 *   JPEG  FF D8 FF and a marker byte (SOI followed by any segment)
 *   GIF   "GIF87a" / "GIF89a"
 *   BMP   "BM", then a DIB header whose size is one of the known versions
 *   WebP  "RIFF" size "WEBP" and a "VP8 " / "VP8L" / "VP8X" chunk */

#include <string.h>
#include <strings.h>

#include "filetype.h"

static const struct {
    devplat_filetype type;
    const char *ext, *mime, *label;
} types[] = {
    {DEVPLAT_FILE_PNG,  "png",  "image/png",  "PNG"},
    {DEVPLAT_FILE_JPEG, "jpg",  "image/jpeg", "JPEG"},
    {DEVPLAT_FILE_GIF,  "gif",  "image/gif",  "GIF"},
    {DEVPLAT_FILE_BMP,  "bmp",  "image/bmp",  "BMP"},
    {DEVPLAT_FILE_WEBP, "webp", "image/webp", "WebP"},
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

static apr_uint32_t le32(const unsigned char *p)
{
    return (apr_uint32_t)p[0] | ((apr_uint32_t)p[1] << 8)
           | ((apr_uint32_t)p[2] << 16) | ((apr_uint32_t)p[3] << 24);
}

static int is_png(const unsigned char *h, apr_size_t n)
{
    static const unsigned char sig[] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A,
                                        0, 0, 0, 13, 'I', 'H', 'D', 'R'};

    return n >= sizeof(sig) && !memcmp(h, sig, sizeof(sig));
}

static int is_jpeg(const unsigned char *h, apr_size_t n)
{
    /* after SOI comes a marker: APPn, DQT, SOFn, DHT, COM, ... (0xC0..0xFE) */
    return n >= 4 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF
           && h[3] >= 0xC0 && h[3] != 0xFF;
}

static int is_gif(const unsigned char *h, apr_size_t n)
{
    return n >= 6 && (!memcmp(h, "GIF87a", 6) || !memcmp(h, "GIF89a", 6));
}

static int is_bmp(const unsigned char *h, apr_size_t n)
{
    apr_uint32_t dib, offset;

    if (n < 18 || h[0] != 'B' || h[1] != 'M') {
        return 0;
    }
    offset = le32(h + 10);
    dib = le32(h + 14);
    /* BITMAPCOREHEADER, OS/2 v2 (16 and 64), INFOHEADER, V2, V3, V4, V5 */
    if (dib != 12 && dib != 16 && dib != 40 && dib != 52 && dib != 56
        && dib != 64 && dib != 108 && dib != 124) {
        return 0;
    }
    return offset >= 14 + dib;
}

static int is_webp(const unsigned char *h, apr_size_t n)
{
    return n >= 16 && !memcmp(h, "RIFF", 4) && !memcmp(h + 8, "WEBP", 4)
           && (!memcmp(h + 12, "VP8 ", 4) || !memcmp(h + 12, "VP8L", 4)
               || !memcmp(h + 12, "VP8X", 4));
}

devplat_filetype devplat_filetype_sniff(const unsigned char *head, apr_size_t len)
{
    if (!head) {
        return DEVPLAT_FILE_UNKNOWN;
    }
    if (is_png(head, len)) {
        return DEVPLAT_FILE_PNG;
    }
    if (is_jpeg(head, len)) {
        return DEVPLAT_FILE_JPEG;
    }
    if (is_gif(head, len)) {
        return DEVPLAT_FILE_GIF;
    }
    if (is_bmp(head, len)) {
        return DEVPLAT_FILE_BMP;
    }
    if (is_webp(head, len)) {
        return DEVPLAT_FILE_WEBP;
    }
    return DEVPLAT_FILE_UNKNOWN;
}

const char *devplat_filetype_ext(devplat_filetype t)
{
    apr_size_t i;

    for (i = 0; i < NTYPES; i++) {
        if (types[i].type == t) {
            return types[i].ext;
        }
    }
    return NULL;
}

const char *devplat_filetype_mime(devplat_filetype t)
{
    apr_size_t i;

    for (i = 0; i < NTYPES; i++) {
        if (types[i].type == t) {
            return types[i].mime;
        }
    }
    return NULL;
}

const char *devplat_filetype_label(devplat_filetype t)
{
    apr_size_t i;

    for (i = 0; i < NTYPES; i++) {
        if (types[i].type == t) {
            return types[i].label;
        }
    }
    return NULL;
}

devplat_filetype devplat_filetype_from_ext(const char *ext)
{
    apr_size_t i;

    if (!ext) {
        return DEVPLAT_FILE_UNKNOWN;
    }
    if (!strcasecmp(ext, "jpeg")) {
        return DEVPLAT_FILE_JPEG;
    }
    for (i = 0; i < NTYPES; i++) {
        if (!strcasecmp(types[i].ext, ext)) {
            return types[i].type;
        }
    }
    return DEVPLAT_FILE_UNKNOWN;
}
