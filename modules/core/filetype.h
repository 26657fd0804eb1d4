/* File types told by their first bytes, never by a client's name or
 * Content-Type. Only raster images the API stores are known; everything
 * else (SVG, HTML, PDF, text named .png, ...) is DEVPLAT_FILE_UNKNOWN. */
#ifndef DEVPLAT_FILETYPE_H
#define DEVPLAT_FILETYPE_H

#include <apr.h>

/* Bit values, so that a set of allowed types is one mask. */
typedef enum {
    DEVPLAT_FILE_UNKNOWN = 0,
    DEVPLAT_FILE_PNG  = 1 << 0,
    DEVPLAT_FILE_JPEG = 1 << 1,
    DEVPLAT_FILE_GIF  = 1 << 2,
    DEVPLAT_FILE_BMP  = 1 << 3,
    DEVPLAT_FILE_WEBP = 1 << 4
} devplat_filetype;

#define DEVPLAT_FILE_IMAGES \
    (DEVPLAT_FILE_PNG | DEVPLAT_FILE_JPEG | DEVPLAT_FILE_GIF | DEVPLAT_FILE_BMP \
     | DEVPLAT_FILE_WEBP)

/* How many leading bytes devplat_filetype_sniff() looks at. */
#define DEVPLAT_FILETYPE_SNIFF_LEN 32

/* The type of a file starting with head[0..len) (len may be less than
 * DEVPLAT_FILETYPE_SNIFF_LEN for a short file). Checks more than the first
 * magic bytes where a format allows it (PNG's IHDR, BMP's DIB header size,
 * WebP's first chunk), so that a text file beginning with "BM" or "RIFF"
 * is not an image. */
devplat_filetype devplat_filetype_sniff(const unsigned char *head, apr_size_t len);

/* Extension for stored names ("png", "jpg", "gif", "bmp", "webp"), media
 * type ("image/png", ...) and display name ("PNG", ...) of one type; NULL
 * for DEVPLAT_FILE_UNKNOWN. */
const char *devplat_filetype_ext(devplat_filetype t);
const char *devplat_filetype_mime(devplat_filetype t);
const char *devplat_filetype_label(devplat_filetype t);

/* The type a stored extension stands for ("jpg" and "jpeg" both JPEG),
 * DEVPLAT_FILE_UNKNOWN for anything else. Case-insensitive. */
devplat_filetype devplat_filetype_from_ext(const char *ext);

#endif
