/* libFuzzer target: arbitrary bytes into the multipart/form-data parser,
 * the Content-Type boundary reader, the filename sanitizer and the magic
 * byte sniffer, the code that sees raw upload bodies.
 *
 *   make fuzz-build && scripts/fuzz.sh t/unit/fuzz_multipart 60
 *   (or by hand: t/unit/fuzz_multipart -max_total_time=60 t/unit/corpus/fuzz_multipart)
 *
 * Input: first byte = how to cut the rest into feeds (a seed), then the
 * body; the boundary is "xyz". The body is parsed twice, whole and cut into
 * pieces, and both parses must agree callback for callback (a differential
 * check that the streaming matcher loses nothing at a cut). Each part's
 * strings must be NUL-terminated UTF-8-or-bytes within the header limit,
 * its sanitized name valid UTF-8 without '/', '\' or control characters. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "filetype.h"
#include "multipart.h"
#include "validate.h"

static apr_pool_t *root;

/* A digest of the callback sequence, order-sensitive. */
typedef struct {
    apr_pool_t *p;
    uint64_t h;
    apr_size_t bytes;
    int parts, ends;
    int in_part;
    unsigned char head[DEVPLAT_FILETYPE_SNIFF_LEN];
    apr_size_t head_len;
} trace;

static void mix(trace *t, const void *data, apr_size_t n)
{
    const unsigned char *d = data;
    apr_size_t i;

    for (i = 0; i < n; i++) {
        t->h = (t->h ^ d[i]) * 1099511628211ULL;
    }
}

static int on_begin(void *baton, const devplat_mp_part *part)
{
    trace *t = baton;
    char *safe;
    const char *s;

    if (t->in_part || !part->name) {
        abort();                        /* begin inside a part, or no name */
    }
    t->in_part = 1;
    t->parts++;
    t->head_len = 0;
    if (strlen(part->name) >= DEVPLAT_MP_HEADERS_MAX) {
        abort();
    }
    mix(t, "B", 1);
    mix(t, part->name, strlen(part->name) + 1);
    if (part->filename) {
        mix(t, part->filename, strlen(part->filename) + 1);
        safe = devplat_multipart_safe_name(t->p, part->filename, 255);
        if (strlen(safe) > 255 || !devplat_utf8_valid(safe, strlen(safe))
            || strchr(safe, '/') || strchr(safe, '\\') || !strcmp(safe, "..")) {
            abort();
        }
        for (s = safe; *s; s++) {
            if ((unsigned char)*s < 0x20 || *s == 0x7F) {
                abort();
            }
        }
    }
    if (part->content_type) {
        mix(t, part->content_type, strlen(part->content_type) + 1);
    }
    return 0;
}

static int on_data(void *baton, const char *data, apr_size_t len)
{
    trace *t = baton;
    apr_size_t n;

    if (!t->in_part || len == 0) {
        abort();                        /* content outside a part, or empty */
    }
    t->bytes += len;
    mix(t, data, len);                  /* cut-independent: bytes only */
    n = sizeof(t->head) - t->head_len;
    if (n > len) {
        n = len;
    }
    memcpy(t->head + t->head_len, data, n);
    t->head_len += n;
    return 0;
}

static int on_end(void *baton)
{
    trace *t = baton;

    if (!t->in_part) {
        abort();
    }
    t->in_part = 0;
    t->ends++;
    devplat_filetype_sniff(t->head, t->head_len);
    mix(t, "E", 1);
    return 0;
}

static const devplat_mp_callbacks callbacks = {on_begin, on_data, on_end};

static devplat_mp_status run(apr_pool_t *p, const uint8_t *body, size_t len,
                             unsigned seed, trace *t)
{
    devplat_multipart *mp;
    devplat_mp_status st = DEVPLAT_MP_OK;
    size_t at = 0;

    memset(t, 0, sizeof(*t));
    t->p = p;
    t->h = 14695981039346656037ULL;
    mp = devplat_multipart_make(p, "xyz", &callbacks, t, 8);
    while (at < len && st == DEVPLAT_MP_OK) {
        size_t n = seed ? 1 + (seed + at * 31) % (seed % 17 + 1) : len - at;

        if (n > len - at) {
            n = len - at;
        }
        st = devplat_multipart_feed(mp, (const char *)body + at, n);
        at += n;
    }
    if (st == DEVPLAT_MP_OK) {
        st = devplat_multipart_finish(mp);
    }
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    trace whole, cut;
    devplat_mp_status a, b;
    char *ct;

    if (root == NULL) {
        apr_initialize();
        apr_pool_create(&root, NULL);
    }
    if (size < 1) {
        return 0;
    }
    apr_pool_create(&p, root);

    /* the same bytes as a Content-Type header */
    ct = apr_pstrcat(p, "multipart/form-data; ",
                     apr_pstrmemdup(p, (const char *)data + 1, size - 1), NULL);
    {
        const char *bnd = devplat_multipart_boundary(p, ct);

        if (bnd && (strlen(bnd) == 0 || strlen(bnd) > DEVPLAT_MP_BOUNDARY_MAX
                    || strchr(bnd, '\r') || strchr(bnd, '\n'))) {
            abort();
        }
    }
    devplat_filetype_sniff(data, size);

    a = run(p, data + 1, size - 1, 0, &whole);
    b = run(p, data + 1, size - 1, data[0] | 1, &cut);
    /* a stop inside a callback cannot happen here (they all return 0) */
    if (a == DEVPLAT_MP_STOPPED || a != b || whole.h != cut.h
        || whole.bytes != cut.bytes || whole.parts != cut.parts || whole.ends != cut.ends) {
        abort();
    }
    if (a == DEVPLAT_MP_OK && whole.in_part) {
        abort();                        /* finished inside a part */
    }

    apr_pool_destroy(p);
    return 0;
}
