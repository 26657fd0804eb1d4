/* Unit tests of the upload core: the streaming multipart/form-data parser
 * (modules/core/multipart.c) and file typing by magic bytes
 * (modules/core/filetype.c). TAP on stdout.
 *
 * The parser is checked against itself across every way of cutting its
 * input: a body fed whole, in two pieces at every offset, and a byte at a
 * time must produce the same parts, contents and status. */

#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "multipart.h"
#include "filetype.h"

#include "unit.h"

/* ---------------------------------------------------------------- a recorder */

/* Every callback as text: [name|filename|content-type]content/ ... */
typedef struct {
    char log[65536];
    apr_size_t len;
    int stop_at_data;       /* stop on the n-th data callback (0: never) */
    int data_calls;
    int overflow;
} recorder;

static void rec_add(recorder *r, const char *s, apr_size_t n)
{
    if (r->len + n >= sizeof(r->log)) {
        r->overflow = 1;
        return;
    }
    memcpy(r->log + r->len, s, n);
    r->len += n;
    r->log[r->len] = '\0';
}

static int rec_begin(void *baton, const devplat_mp_part *part)
{
    recorder *r = baton;

    rec_add(r, "[", 1);
    rec_add(r, part->name, strlen(part->name));
    rec_add(r, "|", 1);
    if (part->filename) {
        rec_add(r, part->filename, strlen(part->filename));
    }
    else {
        rec_add(r, "-", 1);
    }
    rec_add(r, "|", 1);
    if (part->content_type) {
        rec_add(r, part->content_type, strlen(part->content_type));
    }
    rec_add(r, "]", 1);
    return 0;
}

static int rec_data(void *baton, const char *data, apr_size_t len)
{
    recorder *r = baton;

    r->data_calls++;
    if (r->stop_at_data && r->data_calls >= r->stop_at_data) {
        return 1;
    }
    if (len == 0) {
        rec_add(r, "<EMPTY DATA CALL>", 17);
    }
    rec_add(r, data, len);
    return 0;
}

static int rec_end(void *baton)
{
    rec_add(baton, "/", 1);
    return 0;
}

static const devplat_mp_callbacks rec_cb = {rec_begin, rec_data, rec_end};

/* Parses body[0..len) cut at the given offsets (ascending, ending with len);
 * returns the status of finish() (or of the first failing feed). */
static devplat_mp_status parse_cut(apr_pool_t *p, const char *boundary,
                                   const char *body, apr_size_t len,
                                   const apr_size_t *cuts, int ncuts,
                                   recorder *r, int max_parts)
{
    devplat_multipart *mp;
    devplat_mp_status st = DEVPLAT_MP_OK;
    apr_size_t at = 0;
    apr_pool_t *sub;
    int i;

    memset(r->log, 0, 1);
    r->len = 0;
    r->data_calls = 0;
    r->overflow = 0;
    apr_pool_create(&sub, p);
    mp = devplat_multipart_make(sub, boundary, &rec_cb, r, max_parts);
    for (i = 0; i < ncuts && st == DEVPLAT_MP_OK; i++) {
        st = devplat_multipart_feed(mp, body + at, cuts[i] - at);
        at = cuts[i];
    }
    if (st == DEVPLAT_MP_OK) {
        st = devplat_multipart_finish(mp);
    }
    apr_pool_destroy(sub);
    return st;
}

static devplat_mp_status parse_whole(apr_pool_t *p, const char *boundary,
                                     const char *body, apr_size_t len,
                                     recorder *r)
{
    apr_size_t cut = len;

    return parse_cut(p, boundary, body, len, &cut, 1, r, 32);
}

/* Whole, every two-piece cut, every three-piece cut around the
 * delimiters, and one byte at a time: the same log and status. */
static int same_every_way(apr_pool_t *p, const char *boundary, const char *body,
                          apr_size_t len, const char *what)
{
    static recorder whole, cut;
    devplat_mp_status want, got;
    apr_size_t i, j, cuts[3];
    apr_size_t *bytes;
    int ok = 1;

    want = parse_whole(p, boundary, body, len, &whole);
    for (i = 0; i <= len && ok; i++) {
        cuts[0] = i;
        cuts[1] = len;
        got = parse_cut(p, boundary, body, len, cuts, 2, &cut, 32);
        if (got != want || cut.len != whole.len || memcmp(cut.log, whole.log, whole.len)) {
            printf("# %s: split at %lu differs (status %d vs %d)\n", what,
                   (unsigned long)i, got, want);
            ok = 0;
        }
    }
    for (i = 0; i <= len && ok && len < 400; i++) {
        for (j = i; j <= len && ok; j++) {
            cuts[0] = i;
            cuts[1] = j;
            cuts[2] = len;
            got = parse_cut(p, boundary, body, len, cuts, 3, &cut, 32);
            if (got != want || cut.len != whole.len
                || memcmp(cut.log, whole.log, whole.len)) {
                printf("# %s: split at %lu, %lu differs\n", what,
                       (unsigned long)i, (unsigned long)j);
                ok = 0;
            }
        }
    }
    bytes = calloc(len + 1, sizeof(*bytes));
    for (i = 0; i < len; i++) {
        bytes[i] = i + 1;
    }
    got = parse_cut(p, boundary, body, len, bytes, (int)len, &cut, 32);
    if (len && (got != want || cut.len != whole.len || memcmp(cut.log, whole.log, whole.len))) {
        printf("# %s: byte at a time differs\n", what);
        ok = 0;
    }
    free(bytes);
    return ok;
}

#define CRLF "\r\n"
#define B "----devplatBoundary7MA4YWxkTrZu0gW"

/* The file holds NULs, CRs and near-delimiters: "\r\n--" and the boundary
 * without its last character. */
static const char file_content[] =
    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR" CRLF "--" "----devplatBoundary7MA4YWxkTrZu0g" CRLF
    "-" CRLF "--" CRLF CRLF "\r";
static const char form_head[] =
    "--" B CRLF
    "Content-Disposition: form-data; name=\"nickname\"" CRLF
    CRLF
    "\xe5\xbc\xa0\xe4\xb8\x89" CRLF
    "--" B CRLF
    "Content-Disposition: form-data; name=\"avatar\"; filename=\"a.png\"" CRLF
    "Content-Type: image/png" CRLF
    CRLF;
static const char form_tail[] = CRLF "--" B "--" CRLF;

static void test_boundary(apr_pool_t *p)
{
    UNIT_IS_STR(devplat_multipart_boundary(p, "multipart/form-data; boundary=abc"),
                "abc", "boundary token");
    UNIT_IS_STR(devplat_multipart_boundary(p, "Multipart/Form-Data;boundary=\"a b:c\""),
                "a b:c", "quoted boundary, media type without case");
    UNIT_IS_STR(devplat_multipart_boundary(p, "multipart/form-data; charset=utf-8; BOUNDARY=x1 "),
                "x1", "boundary after another parameter, name without case");
    UNIT_IS_STR(devplat_multipart_boundary(p, "  multipart/form-data ; boundary=x;"),
                "x", "spaces and a trailing ';'");
    UNIT_OK(!devplat_multipart_boundary(p, "multipart/form-data"), "no boundary");
    UNIT_OK(!devplat_multipart_boundary(p, "multipart/form-data; boundary="), "empty boundary");
    UNIT_OK(!devplat_multipart_boundary(p, "multipart/form-data; boundary=\"\""), "empty quoted boundary");
    UNIT_OK(!devplat_multipart_boundary(p, "multipart/mixed; boundary=x"), "multipart/mixed");
    UNIT_OK(!devplat_multipart_boundary(p, "multipart/form-dataX; boundary=x"), "longer media type");
    UNIT_OK(!devplat_multipart_boundary(p, "application/json"), "JSON");
    UNIT_OK(!devplat_multipart_boundary(p, NULL), "no Content-Type");
    UNIT_OK(!devplat_multipart_boundary(p, "multipart/form-data; boundary=a; boundary=b"),
            "two boundaries");
    UNIT_OK(!devplat_multipart_boundary(p, "multipart/form-data; boundary=\"abc"),
            "unterminated quote");
    UNIT_OK(!devplat_multipart_boundary(p, "multipart/form-data; boundary=\"a\rb\""),
            "CR in the boundary");
    UNIT_OK(!devplat_multipart_boundary(p, "multipart/form-data; boundary=\"ab \""),
            "boundary ending in a space");
    UNIT_OK(!devplat_multipart_boundary(p, apr_pstrcat(p, "multipart/form-data; boundary=",
                                                       apr_psprintf(p, "%0201d", 0), NULL)),
            "201-character boundary");
    UNIT_OK(devplat_multipart_boundary(p, apr_pstrcat(p, "multipart/form-data; boundary=",
                                                      apr_psprintf(p, "%0200d", 0), NULL)) != NULL,
            "200-character boundary");
    UNIT_OK(!devplat_multipart_boundary(p, "multipart/form-data; boundary=\"\xe4\xb8\xad\""),
            "non-ASCII boundary");
}

static void test_parse(apr_pool_t *p)
{
    static recorder r;
    char form[512], want[512];
    apr_size_t n = 0, w = 0;
    const char *parts = "[nickname|-|]\xe5\xbc\xa0\xe4\xb8\x89/[avatar|a.png|image/png]";
    devplat_mp_status st;

    memcpy(form, form_head, sizeof(form_head) - 1);
    n += sizeof(form_head) - 1;
    memcpy(form + n, file_content, sizeof(file_content) - 1);
    n += sizeof(file_content) - 1;
    memcpy(form + n, form_tail, sizeof(form_tail) - 1);
    n += sizeof(form_tail) - 1;

    memcpy(want, parts, strlen(parts));
    w += strlen(parts);
    memcpy(want + w, file_content, sizeof(file_content) - 1);
    w += sizeof(file_content) - 1;
    want[w++] = '/';

    st = parse_whole(p, B, form, n, &r);
    UNIT_IS_INT(st, DEVPLAT_MP_OK, "a form with a text field and a file");
    UNIT_OK(r.len == w && !memcmp(r.log, want, w),
            "text and file parts as sent, NULs, CRs and near-delimiters included");
    UNIT_OK(same_every_way(p, B, form, n, "form"),
            "the same parts for every cut of the body (boundary split across reads)");
}

static void expect(apr_pool_t *p, const char *body, devplat_mp_status want_st,
                   const char *want_log, const char *what)
{
    static recorder r;
    devplat_mp_status st = parse_whole(p, "xyz", body, strlen(body), &r);

    UNIT_IS_INT(st, want_st, "%s: status", what);
    if (want_log) {
        UNIT_IS_STR(r.log, want_log, "%s: parts", what);
    }
    UNIT_OK(same_every_way(p, "xyz", body, strlen(body), what), "%s: any cut", what);
}

static void test_shapes(apr_pool_t *p)
{
    expect(p, "--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--xyz--",
           DEVPLAT_MP_OK, "[a|-|]1/", "minimal form");
    expect(p, "preamble text\r\n--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\n1"
           "\r\n--xyz--\r\nepilogue --xyz garbage",
           DEVPLAT_MP_OK, "[a|-|]1/", "preamble and epilogue are ignored");
    expect(p, "\r\n--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\n\r\n--xyz--\r\n",
           DEVPLAT_MP_OK, "[a|-|]/", "leading CRLF, empty value");
    expect(p, "--xyz  \t\r\ncontent-disposition:form-data;name=\"a\"\r\n\r\nv\r\n--xyz--",
           DEVPLAT_MP_OK, "[a|-|]v/", "padding after the delimiter, header without case");
    expect(p, "--xyz\r\nContent-Disposition: form-data; name=\"f\"; filename=\"C:\\dir\\a.png\"\r\n"
           "\r\n\r\r\n--xy\r\n--xyzz\r\n--xyz--",
           DEVPLAT_MP_MALFORMED, NULL, "a delimiter followed by other characters");
    expect(p, "--xyz\r\nContent-Disposition: form-data; name=\"f\"; filename=\"C:\\dir\\a.png\"\r\n"
           "\r\n\r\r\n--xy\r\n-\r\n--xyz--",
           DEVPLAT_MP_OK, "[f|C:\\dir\\a.png|]\r\r\n--xy\r\n-/",
           "false starts inside the content; Windows path kept");
    expect(p, "--xyz\r\nContent-Disposition: form-data; name=\"q\\\"x\"; filename=\"a\\\\b\"\r\n\r\nv\r\n--xyz--",
           DEVPLAT_MP_OK, "[q\"x|a\\b|]v/", "quoted pairs");
    expect(p, "--xyz\r\nContent-Disposition: form-data; name=f; filename=\"x.png\"; "
           "filename*=UTF-8''%E5%A4%B4%E5%83%8F.png\r\n\r\nv\r\n--xyz--",
           DEVPLAT_MP_OK, "[f|\xe5\xa4\xb4\xe5\x83\x8f.png|]v/", "filename* wins");
    expect(p, "--xyz\r\nContent-Disposition: form-data; name=f; filename*=ISO-8859-1''a%E9.png;"
           " filename=b.png\r\n\r\nv\r\n--xyz--",
           DEVPLAT_MP_OK, "[f|b.png|]v/", "filename* in another charset is ignored");
    expect(p, "--xyz\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nv\r\n--xyz--",
           DEVPLAT_MP_OK, "[a|-|]v/", "folded header");
    expect(p, "--xyz\nContent-Disposition: form-data; name=a\n\nv\r\n--xyz--",
           DEVPLAT_MP_MALFORMED, NULL, "bare LF after the delimiter");
    expect(p, "--xyz\r\nContent-Disposition: form-data; name=a\n\nv\r\n--xyz--",
           DEVPLAT_MP_OK, "[a|-|]v/", "bare LF header lines");
    expect(p, "--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--xyz\r\n"
           "Content-Disposition: form-data; name=b\r\n\r\nw\r\n--xyz--\r\n",
           DEVPLAT_MP_OK, "[a|-|]v/[b|-|]w/", "two parts");

    expect(p, "--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\nv",
           DEVPLAT_MP_TRUNCATED, "[a|-|]v", "no close delimiter");
    expect(p, "--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--xyz",
           DEVPLAT_MP_TRUNCATED, NULL, "ends right after a delimiter");
    expect(p, "--xyz\r\nContent-Disposition: form-data; name=a\r\n",
           DEVPLAT_MP_TRUNCATED, "", "ends inside the headers");
    expect(p, "", DEVPLAT_MP_TRUNCATED, "", "empty body");
    expect(p, "just some text", DEVPLAT_MP_TRUNCATED, "", "no delimiter at all");
    expect(p, "--xyz--", DEVPLAT_MP_OK, "", "no parts");
    expect(p, "--xyz\r\nContent-Type: text/plain\r\n\r\nv\r\n--xyz--",
           DEVPLAT_MP_MALFORMED, "", "no Content-Disposition");
    expect(p, "--xyz\r\n\r\nv\r\n--xyz--", DEVPLAT_MP_MALFORMED, "", "no headers");
    expect(p, "--xyz\r\nContent-Disposition: form-data; filename=a\r\n\r\nv\r\n--xyz--",
           DEVPLAT_MP_MALFORMED, "", "no name");
    expect(p, "--xyz\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n--xyz--",
           DEVPLAT_MP_MALFORMED, "", "not form-data");
    expect(p, "--xyz\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nv\r\n--xyz--",
           DEVPLAT_MP_MALFORMED, "", "name twice");
    expect(p, "--xyz\r\nContent-Disposition: form-data; name=a; filename=x; filename=y\r\n\r\nv\r\n--xyz--",
           DEVPLAT_MP_MALFORMED, "", "filename twice");
    expect(p, "--xyz\r\nContent-Disposition: form-data; name=a\r\n"
           "Content-Disposition: form-data; name=b\r\n\r\nv\r\n--xyz--",
           DEVPLAT_MP_MALFORMED, "", "Content-Disposition twice");
    expect(p, "--xyz\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--xyz--",
           DEVPLAT_MP_MALFORMED, "", "unterminated quote");
    expect(p, "--xyz\r\nContent-Disposition form-data; name=a\r\n\r\nv\r\n--xyz--",
           DEVPLAT_MP_MALFORMED, "", "header without a colon");
    expect(p, "--xyz\r\n Content-Disposition: form-data; name=a\r\n\r\nv\r\n--xyz--",
           DEVPLAT_MP_MALFORMED, "", "continuation line first");
    expect(p, "--xyzX\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--xyz--",
           DEVPLAT_MP_MALFORMED, NULL, "longer boundary on the first delimiter");
}

static void test_binary_and_limits(apr_pool_t *p)
{
    static recorder r;
    char body[600];
    apr_size_t n = 0, i;
    devplat_mp_status st;
    const char *head = "--xyz\r\nContent-Disposition: form-data; name=f; filename=b\r\n\r\n";
    const char *many, *big;
    apr_size_t cuts[2];

    memcpy(body, head, strlen(head));
    n = strlen(head);
    for (i = 0; i < 256; i++) {
        body[n++] = (char)i;            /* every byte value, NUL and CR included */
    }
    memcpy(body + n, "\r\n--xyz--", 9);
    n += 9;
    st = parse_whole(p, "xyz", body, n, &r);
    UNIT_IS_INT(st, DEVPLAT_MP_OK, "binary content");
    UNIT_OK(r.len == 6 + 256 + 1 && !memcmp(r.log + 6, body + strlen(head), 256),
            "every byte value comes through unchanged");
    UNIT_OK(same_every_way(p, "xyz", body, n, "binary"), "binary: any cut");

    many = "--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
           "--xyz\r\nContent-Disposition: form-data; name=b\r\n\r\n2\r\n"
           "--xyz\r\nContent-Disposition: form-data; name=c\r\n\r\n3\r\n--xyz--";
    cuts[0] = strlen(many);
    UNIT_IS_INT(parse_cut(p, "xyz", many, strlen(many), cuts, 1, &r, 2), DEVPLAT_MP_LIMIT,
                "a third part over max_parts 2");
    UNIT_IS_INT(parse_cut(p, "xyz", many, strlen(many), cuts, 1, &r, 3), DEVPLAT_MP_OK,
                "three parts with max_parts 3");

    big = apr_pstrcat(p, "--xyz\r\nContent-Disposition: form-data; name=a\r\nX-Pad: ",
                      apr_psprintf(p, "%05000d", 0), "\r\n\r\nv\r\n--xyz--", NULL);
    UNIT_IS_INT(parse_whole(p, "xyz", big, strlen(big), &r), DEVPLAT_MP_LIMIT,
                "a header block over DEVPLAT_MP_HEADERS_MAX");

    r.stop_at_data = 1;
    {
        devplat_multipart *mp = devplat_multipart_make(p, "xyz", &rec_cb, &r, 8);
        const char *b = "--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\nvalue\r\n--xyz--";

        r.data_calls = 0;
        UNIT_IS_INT(devplat_multipart_feed(mp, b, strlen(b)), DEVPLAT_MP_STOPPED,
                    "a callback stops the parser");
        UNIT_IS_INT(devplat_multipart_feed(mp, "x", 1), DEVPLAT_MP_STOPPED,
                    "and it stays stopped");
        UNIT_IS_INT(devplat_multipart_finish(mp), DEVPLAT_MP_STOPPED, "finish says so too");
    }
    r.stop_at_data = 0;
    {
        devplat_multipart *mp = devplat_multipart_make(p, "a\r\nb", &rec_cb, &r, 8);
        UNIT_IS_INT(devplat_multipart_feed(mp, "x", 1), DEVPLAT_MP_MALFORMED,
                    "a boundary with CRLF is refused");
        mp = devplat_multipart_make(p, "", &rec_cb, &r, 8);
        UNIT_IS_INT(devplat_multipart_finish(mp), DEVPLAT_MP_MALFORMED,
                    "an empty boundary is refused");
    }
}

/* A large file content goes through in pieces without the parser holding
 * it: the data callbacks see every byte, and never more than was fed. */
static int max_chunk;
static apr_size_t big_total;
static unsigned char big_sum;

static int sum_data(void *baton, const char *data, apr_size_t len)
{
    apr_size_t i;

    if ((int)len > max_chunk) {
        max_chunk = (int)len;
    }
    big_total += len;
    for (i = 0; i < len; i++) {
        big_sum = (unsigned char)(big_sum + (unsigned char)data[i]);
    }
    return 0;
}

static void test_streaming(apr_pool_t *p)
{
    static const devplat_mp_callbacks cb = {NULL, sum_data, NULL};
    devplat_multipart *mp = devplat_multipart_make(p, "xyz", &cb, NULL, 4);
    const char *head = "--xyz\r\nContent-Disposition: form-data; name=f; filename=big.bin\r\n\r\n";
    char chunk[4096];
    unsigned char want = 0;
    apr_size_t i, total = 0;
    devplat_mp_status st;

    st = devplat_multipart_feed(mp, head, strlen(head));
    for (i = 0; i < 2560 && st == DEVPLAT_MP_OK; i++) {     /* 10 MiB */
        apr_size_t j;

        for (j = 0; j < sizeof(chunk); j++) {
            chunk[j] = (char)((i * 7 + j * 13) & 0xFF);
            if (chunk[j] == '\r') {
                chunk[j] = '\n';
            }
            want = (unsigned char)(want + (unsigned char)chunk[j]);
        }
        st = devplat_multipart_feed(mp, chunk, sizeof(chunk));
        total += sizeof(chunk);
    }
    if (st == DEVPLAT_MP_OK) {
        st = devplat_multipart_feed(mp, "\r\n--xyz--\r\n", 11);
    }
    UNIT_IS_INT(devplat_multipart_finish(mp), DEVPLAT_MP_OK, "10 MiB file part");
    UNIT_IS_INT(big_total, total, "every byte delivered");
    UNIT_IS_INT(big_sum, want, "bytes unchanged");
    UNIT_OK(max_chunk <= (int)sizeof(chunk), "no run longer than one feed (nothing buffered)");
}

static void test_safe_name(apr_pool_t *p)
{
    UNIT_IS_STR(devplat_multipart_safe_name(p, "photo.png", 255), "photo.png", "plain");
    UNIT_IS_STR(devplat_multipart_safe_name(p, "../../etc/passwd.png", 255), "passwd.png",
                "path removed");
    UNIT_IS_STR(devplat_multipart_safe_name(p, "C:\\Users\\a\\b.jpg", 255), "b.jpg",
                "Windows path removed");
    UNIT_IS_STR(devplat_multipart_safe_name(p, "..", 255), "", "..");
    UNIT_IS_STR(devplat_multipart_safe_name(p, "a/..", 255), "", "a/..");
    UNIT_IS_STR(devplat_multipart_safe_name(p, "dir/", 255), "", "trailing slash");
    UNIT_IS_STR(devplat_multipart_safe_name(p, "\xe5\xa4\xb4\xe5\x83\x8f.png", 255),
                "\xe5\xa4\xb4\xe5\x83\x8f.png", "UTF-8 kept");
    UNIT_IS_STR(devplat_multipart_safe_name(p, "a\x01\x7f" "b\tc.png", 255), "a__b_c.png",
                "control characters replaced");
    UNIT_IS_STR(devplat_multipart_safe_name(p, "\xff\xfe" "a\xc3(.png", 255), "__a_(.png",
                "invalid UTF-8 replaced");
    UNIT_IS_STR(devplat_multipart_safe_name(p, "\xed\xa0\x80.png", 255), "___.png",
                "surrogate replaced");
    UNIT_IS_STR(devplat_multipart_safe_name(p, "\xe5\xa4\xb4\xe5\x83\x8f", 4), "\xe5\xa4\xb4",
                "cut on a character boundary");
    UNIT_IS_STR(devplat_multipart_safe_name(p, NULL, 255), "", "NULL");
    UNIT_IS_INT(strlen(devplat_multipart_safe_name(p, apr_psprintf(p, "%0400d.png", 1), 255)),
                255, "255 bytes at most");
}

/* ---------------------------------------------------------------- filetype */

static void test_filetype(void)
{
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A,
                                        0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1};
    static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'};
    static const unsigned char jpeg_exif[] = {0xFF, 0xD8, 0xFF, 0xE1, 0x12, 0x34, 'E', 'x'};
    static const unsigned char gif[] = "GIF89a\x01\x00\x01\x00";
    static const unsigned char gif87[] = "GIF87a\x01\x00";
    /* 14-byte file header + BITMAPINFOHEADER (40): pixels at 54 */
    static const unsigned char bmp[] = {'B', 'M', 0x3A, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0,
                                        40, 0, 0, 0, 1, 0, 0, 0};
    static const unsigned char bmp_text[] = "BMW drivers, a text file";
    static const unsigned char bmp_bad_offset[] = {'B', 'M', 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0,
                                                   40, 0, 0, 0};
    static const unsigned char webp[] = "RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00";
    static const unsigned char webpl[] = "RIFF\x24\x00\x00\x00WEBPVP8L\x18\x00\x00\x00";
    static const unsigned char wav[] = "RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00";
    static const unsigned char svg[] = "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    static const unsigned char svg2[] = "<svg onload=alert(1)>";
    static const unsigned char html[] = "<html><script>alert(1)</script>";
    static const unsigned char text[] = "hello, I am a text file named a.png\n";
    static const unsigned char pdf[] = "%PDF-1.7\n";
    static const unsigned char png_sig_only[] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    UNIT_IS_INT(devplat_filetype_sniff(png, sizeof(png)), DEVPLAT_FILE_PNG, "PNG");
    UNIT_IS_INT(devplat_filetype_sniff(jpeg, sizeof(jpeg)), DEVPLAT_FILE_JPEG, "JPEG (JFIF)");
    UNIT_IS_INT(devplat_filetype_sniff(jpeg_exif, sizeof(jpeg_exif)), DEVPLAT_FILE_JPEG, "JPEG (Exif)");
    UNIT_IS_INT(devplat_filetype_sniff(gif, sizeof(gif) - 1), DEVPLAT_FILE_GIF, "GIF89a");
    UNIT_IS_INT(devplat_filetype_sniff(gif87, sizeof(gif87) - 1), DEVPLAT_FILE_GIF, "GIF87a");
    UNIT_IS_INT(devplat_filetype_sniff(bmp, sizeof(bmp)), DEVPLAT_FILE_BMP, "BMP");
    UNIT_IS_INT(devplat_filetype_sniff(webp, sizeof(webp) - 1), DEVPLAT_FILE_WEBP, "WebP (lossy)");
    UNIT_IS_INT(devplat_filetype_sniff(webpl, sizeof(webpl) - 1), DEVPLAT_FILE_WEBP, "WebP (lossless)");

    UNIT_IS_INT(devplat_filetype_sniff(bmp_text, sizeof(bmp_text) - 1), DEVPLAT_FILE_UNKNOWN,
                "text starting with BM");
    UNIT_IS_INT(devplat_filetype_sniff(bmp_bad_offset, sizeof(bmp_bad_offset)), DEVPLAT_FILE_UNKNOWN,
                "BMP whose pixels would start inside its header");
    UNIT_IS_INT(devplat_filetype_sniff(wav, sizeof(wav) - 1), DEVPLAT_FILE_UNKNOWN, "RIFF WAVE");
    UNIT_IS_INT(devplat_filetype_sniff(svg, sizeof(svg) - 1), DEVPLAT_FILE_UNKNOWN, "SVG");
    UNIT_IS_INT(devplat_filetype_sniff(svg2, sizeof(svg2) - 1), DEVPLAT_FILE_UNKNOWN, "bare <svg>");
    UNIT_IS_INT(devplat_filetype_sniff(html, sizeof(html) - 1), DEVPLAT_FILE_UNKNOWN, "HTML");
    UNIT_IS_INT(devplat_filetype_sniff(text, sizeof(text) - 1), DEVPLAT_FILE_UNKNOWN, "text");
    UNIT_IS_INT(devplat_filetype_sniff(pdf, sizeof(pdf) - 1), DEVPLAT_FILE_UNKNOWN, "PDF");
    UNIT_IS_INT(devplat_filetype_sniff(png_sig_only, sizeof(png_sig_only)), DEVPLAT_FILE_UNKNOWN,
                "PNG signature without IHDR");
    UNIT_IS_INT(devplat_filetype_sniff(jpeg, 3), DEVPLAT_FILE_UNKNOWN, "3 bytes of JPEG");
    UNIT_IS_INT(devplat_filetype_sniff(png, 0), DEVPLAT_FILE_UNKNOWN, "empty");
    UNIT_IS_INT(devplat_filetype_sniff(NULL, 10), DEVPLAT_FILE_UNKNOWN, "NULL");

    UNIT_IS_STR(devplat_filetype_ext(DEVPLAT_FILE_JPEG), "jpg", "JPEG is stored as .jpg");
    UNIT_IS_STR(devplat_filetype_ext(DEVPLAT_FILE_WEBP), "webp", ".webp");
    UNIT_IS_STR(devplat_filetype_mime(DEVPLAT_FILE_BMP), "image/bmp", "image/bmp");
    UNIT_IS_STR(devplat_filetype_mime(DEVPLAT_FILE_PNG), "image/png", "image/png");
    UNIT_IS_STR(devplat_filetype_label(DEVPLAT_FILE_GIF), "GIF", "GIF label");
    UNIT_IS_STR(devplat_filetype_ext(DEVPLAT_FILE_UNKNOWN), NULL, "no extension for unknown");
    UNIT_IS_INT(devplat_filetype_from_ext("JPEG"), DEVPLAT_FILE_JPEG, "JPEG from .JPEG");
    UNIT_IS_INT(devplat_filetype_from_ext("jpg"), DEVPLAT_FILE_JPEG, "JPEG from .jpg");
    UNIT_IS_INT(devplat_filetype_from_ext("svg"), DEVPLAT_FILE_UNKNOWN, "nothing from .svg");
    UNIT_IS_INT(devplat_filetype_from_ext(NULL), DEVPLAT_FILE_UNKNOWN, "nothing from NULL");
}

int main(void)
{
    apr_pool_t *p;

    apr_initialize();
    atexit(apr_terminate);
    apr_pool_create(&p, NULL);

    test_boundary(p);
    test_parse(p);
    test_shapes(p);
    test_binary_and_limits(p);
    test_streaming(p);
    test_safe_name(p);
    test_filetype();

    apr_pool_destroy(p);
    return UNIT_DONE();
}
