/* A streaming multipart/form-data parser (RFC 7578 over RFC 2046).
 *
 * Bytes go in as they arrive, in pieces of any size (a delimiter may be
 * split across any number of pieces); the parser calls back for each part's
 * headers, for each run of the part's content and for the part's end. It
 * never holds a part's content: memory stays the same whatever the size of
 * the files. No httpd headers: unit-tested and fuzzed alone.
 *
 *   const char *b = devplat_multipart_boundary(p, content_type);
 *   devplat_multipart *mp = devplat_multipart_make(p, b, &callbacks, ctx, 32);
 *   while (more input)   st = devplat_multipart_feed(mp, buf, n);
 *   st = devplat_multipart_finish(mp);      (at the end of the body)
 */
#ifndef DEVPLAT_MULTIPART_H
#define DEVPLAT_MULTIPART_H

#include <apr_pools.h>

/* Longest boundary accepted (RFC 2046 says 70; some clients go further). */
#define DEVPLAT_MP_BOUNDARY_MAX  200
/* Largest header block of one part (Content-Disposition, Content-Type, ...). */
#define DEVPLAT_MP_HEADERS_MAX   4096

typedef enum {
    DEVPLAT_MP_OK = 0,
    DEVPLAT_MP_MALFORMED,   /* not multipart/form-data as RFC 7578 describes it */
    DEVPLAT_MP_TRUNCATED,   /* finish(): the body ended before the close delimiter */
    DEVPLAT_MP_LIMIT,       /* a part's headers or the number of parts over a limit */
    DEVPLAT_MP_STOPPED      /* a callback returned non-zero */
} devplat_mp_status;

/* One part as its headers describe it. The strings live until the part's
 * end callback returns (copy what you keep). */
typedef struct {
    const char *name;           /* Content-Disposition name="...", never NULL */
    const char *filename;       /* filename (filename*=UTF-8''... wins) as sent,
                                 * path and all; NULL for a text field */
    const char *content_type;   /* the part's Content-Type, or NULL */
} devplat_mp_part;

/* Callbacks return 0 to go on; anything else stops the parser, which then
 * answers DEVPLAT_MP_STOPPED from feed() and finish(). Any may be NULL. */
typedef struct {
    int (*begin)(void *baton, const devplat_mp_part *part);
    int (*data)(void *baton, const char *data, apr_size_t len);   /* len > 0 */
    int (*end)(void *baton);    /* the part's content is complete */
} devplat_mp_callbacks;

typedef struct devplat_multipart devplat_multipart;

/* The boundary of a "multipart/form-data; boundary=..." Content-Type (media
 * type case-insensitive, value token or quoted), or NULL when the type is
 * something else or the boundary is missing, empty, longer than
 * DEVPLAT_MP_BOUNDARY_MAX or not printable ASCII. */
const char *devplat_multipart_boundary(apr_pool_t *p, const char *content_type);

/* A parser for one body. max_parts (>= 1) caps the number of parts. */
devplat_multipart *devplat_multipart_make(apr_pool_t *p, const char *boundary,
                                          const devplat_mp_callbacks *cb,
                                          void *baton, int max_parts);

/* Parses the next len bytes. Once a status other than DEVPLAT_MP_OK has
 * been answered, every later call answers it again. */
devplat_mp_status devplat_multipart_feed(devplat_multipart *mp,
                                         const char *data, apr_size_t len);

/* The body has ended: DEVPLAT_MP_OK only when the close delimiter was seen. */
devplat_mp_status devplat_multipart_finish(devplat_multipart *mp);

/* A client's filename made safe to keep as metadata: the last path segment
 * (after '/' or '\'), invalid UTF-8 and control characters replaced by
 * '_', at most max_bytes bytes (cut on a character boundary). "", "." and
 * ".." become "". */
char *devplat_multipart_safe_name(apr_pool_t *p, const char *filename,
                                  apr_size_t max_bytes);

#endif
