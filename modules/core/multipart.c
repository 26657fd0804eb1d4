/* Streaming multipart/form-data. The content of a part is scanned for the
 * delimiter "CRLF--boundary" with a matcher that keeps only the number of
 * delimiter bytes matched so far: the delimiter starts with CR and the
 * boundary holds no CR, so a mismatch can only restart at the current byte,
 * and the bytes given back after a false start are the delimiter's own
 * prefix. A delimiter split across any number of feeds is found the same
 * way, and part content is handed on from the caller's buffer uncopied. */

#include <string.h>
#include <strings.h>

#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "multipart.h"
#include "validate.h"

enum {
    ST_PREAMBLE,        /* before the first delimiter: discarded */
    ST_AFTER,           /* just after a delimiter: "--", or padding + CRLF */
    ST_HEADERS,         /* a part's header block */
    ST_DATA,            /* a part's content */
    ST_EPILOGUE         /* after the close delimiter: discarded */
};

enum { AFTER_START, AFTER_DASH, AFTER_PAD, AFTER_CR };

struct devplat_multipart {
    apr_pool_t *part_pool;      /* strings of the current part */
    devplat_mp_callbacks cb;
    void *baton;
    char *delim;                /* "\r\n--" boundary */
    apr_size_t dlen;
    apr_size_t matched;         /* delimiter bytes matched so far */
    int state;
    int after;
    char *hdr;                  /* header block being read */
    apr_size_t hlen;
    int parts;
    int max_parts;
    devplat_mp_status status;
};

/* ---------------------------------------------------------------- params */

static int is_ws(char c)
{
    return c == ' ' || c == '\t';
}

static const char *skip_ws(const char *s)
{
    while (is_ws(*s)) {
        s++;
    }
    return s;
}

/* Reads the next ";name=value" of a header value at *s (value a token or a
 * quoted-string). 1 with *name and *value set, 0 at the end, -1 when the
 * syntax is broken. A trailing ';' is tolerated. */
static int next_param(apr_pool_t *p, const char **s, char **name, char **value)
{
    const char *c = skip_ws(*s), *start;
    char *out;
    apr_size_t n;

    if (!*c) {
        return 0;
    }
    if (*c != ';') {
        return -1;
    }
    c = skip_ws(c + 1);
    if (!*c) {
        *s = c;
        return 0;
    }
    start = c;
    while (*c && *c != '=' && *c != ';' && !is_ws(*c)) {
        c++;
    }
    if (c == start) {
        return -1;
    }
    *name = apr_pstrmemdup(p, start, c - start);
    c = skip_ws(c);
    if (*c != '=') {
        return -1;
    }
    c = skip_ws(c + 1);
    if (*c == '"') {
        /* quoted-string; \" and \\ are quoted pairs, any other backslash
         * stays (old browsers send Windows paths unescaped) */
        c++;
        out = apr_palloc(p, strlen(c) + 1);
        n = 0;
        while (*c && *c != '"') {
            if (*c == '\\' && (c[1] == '"' || c[1] == '\\')) {
                c++;
            }
            out[n++] = *c++;
        }
        if (*c != '"') {
            return -1;
        }
        out[n] = '\0';
        c++;
        *value = out;
    }
    else {
        start = c;
        while (*c && *c != ';' && !is_ws(*c)) {
            c++;
        }
        *value = apr_pstrmemdup(p, start, c - start);
    }
    *s = c;
    return 1;
}

/* The media type at the start of a header value, compared without case:
 * the rest of *s on a match (the parameters), NULL otherwise. */
static const char *media_type(const char *s, const char *type)
{
    apr_size_t n = strlen(type);

    s = skip_ws(s);
    if (strncasecmp(s, type, n) || (s[n] && s[n] != ';' && !is_ws(s[n]))) {
        return NULL;
    }
    return s + n;
}

const char *devplat_multipart_boundary(apr_pool_t *p, const char *content_type)
{
    const char *s, *boundary = NULL;
    char *name, *value;
    apr_size_t i, n;
    int rc;

    if (!content_type || !(s = media_type(content_type, "multipart/form-data"))) {
        return NULL;
    }
    while ((rc = next_param(p, &s, &name, &value)) == 1) {
        if (!strcasecmp(name, "boundary")) {
            if (boundary) {
                return NULL;        /* two boundaries: which one? */
            }
            boundary = value;
        }
    }
    if (rc < 0 || !boundary) {
        return NULL;
    }
    n = strlen(boundary);
    if (n == 0 || n > DEVPLAT_MP_BOUNDARY_MAX || boundary[n - 1] == ' ') {
        return NULL;
    }
    for (i = 0; i < n; i++) {
        if ((unsigned char)boundary[i] < 0x20 || (unsigned char)boundary[i] > 0x7E) {
            return NULL;
        }
    }
    return boundary;
}

/* filename*=UTF-8''%E5%A4%B4.png (RFC 5987): the decoded name, or NULL for
 * another charset or a broken escape (the plain filename is used then). */
static char *ext_value(apr_pool_t *p, const char *v)
{
    const char *q;
    char *out;
    apr_size_t n = 0;

    if (strncasecmp(v, "UTF-8'", 6) || !(q = strchr(v + 6, '\''))) {
        return NULL;
    }
    q++;
    out = apr_palloc(p, strlen(q) + 1);
    while (*q) {
        if (*q == '%') {
            if (!apr_isxdigit(q[1]) || !apr_isxdigit(q[2])) {
                return NULL;
            }
            out[n++] = (char)((apr_isdigit(q[1]) ? q[1] - '0' : (apr_tolower(q[1]) - 'a' + 10)) * 16
                              + (apr_isdigit(q[2]) ? q[2] - '0' : (apr_tolower(q[2]) - 'a' + 10)));
            q += 3;
        }
        else {
            out[n++] = *q++;
        }
    }
    out[n] = '\0';
    if (strlen(out) != n) {
        return NULL;                /* %00 */
    }
    return out;
}

/* Content-Disposition: form-data; name="..."; filename="..." */
static int parse_disposition(apr_pool_t *p, const char *v, devplat_mp_part *part)
{
    const char *s = media_type(v, "form-data");
    char *name, *value, *ext = NULL;
    int rc, seen_name = 0, seen_file = 0, seen_ext = 0;

    if (!s) {
        return 0;
    }
    while ((rc = next_param(p, &s, &name, &value)) == 1) {
        /* a parameter given twice is refused: two readers of one form
         * must never disagree about what it holds */
        if (!strcasecmp(name, "name")) {
            if (seen_name++) {
                return 0;
            }
            part->name = value;
        }
        else if (!strcasecmp(name, "filename")) {
            if (seen_file++) {
                return 0;
            }
            part->filename = value;
        }
        else if (!strcasecmp(name, "filename*")) {
            if (seen_ext++) {
                return 0;
            }
            ext = ext_value(p, value);
        }
    }
    if (rc < 0 || !part->name) {
        return 0;
    }
    if (ext) {
        part->filename = ext;
    }
    return 1;
}

/* The header block hdr[0..len) (ending with its empty line) into part. */
static int parse_headers(apr_pool_t *p, const char *hdr, apr_size_t len,
                         devplat_mp_part *part)
{
    apr_array_header_t *lines = apr_array_make(p, 4, sizeof(char *));
    const char *line = hdr, *end = hdr + len;
    int i;

    memset(part, 0, sizeof(*part));
    /* split into lines (CRLF or LF), unfolding continuation lines */
    while (line < end) {
        const char *nl = memchr(line, '\n', end - line);
        apr_size_t n = (apr_size_t)(nl - line);
        char *text;

        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        if (n == 0) {
            break;                  /* the empty line ending the block */
        }
        text = apr_pstrmemdup(p, line, n);
        if (strlen(text) != n) {
            return 0;               /* NUL in a header */
        }
        if (is_ws(text[0])) {
            char **last;

            if (lines->nelts == 0) {
                return 0;
            }
            last = &APR_ARRAY_IDX(lines, lines->nelts - 1, char *);
            *last = apr_pstrcat(p, *last, " ", skip_ws(text), NULL);
        }
        else {
            APR_ARRAY_PUSH(lines, char *) = text;
        }
        line = nl + 1;
    }
    for (i = 0; i < lines->nelts; i++) {
        char *h = APR_ARRAY_IDX(lines, i, char *);
        char *colon = strchr(h, ':');
        char *v, *t;

        if (!colon || colon == h) {
            return 0;
        }
        *colon = '\0';
        for (t = h; *t; t++) {
            if (!apr_isgraph(*t)) {
                return 0;           /* header names are tokens */
            }
        }
        v = (char *)skip_ws(colon + 1);
        t = v + strlen(v);
        while (t > v && is_ws(t[-1])) {
            *--t = '\0';
        }
        for (t = v; *t; t++) {
            if ((unsigned char)*t < 0x20 && *t != '\t') {
                return 0;
            }
        }
        if (!strcasecmp(h, "Content-Disposition")) {
            if (part->name || !parse_disposition(p, v, part)) {
                return 0;
            }
        }
        else if (!strcasecmp(h, "Content-Type")) {
            part->content_type = v;
        }
    }
    return part->name != NULL;
}

/* ---------------------------------------------------------------- parser */

devplat_multipart *devplat_multipart_make(apr_pool_t *p, const char *boundary,
                                          const devplat_mp_callbacks *cb,
                                          void *baton, int max_parts)
{
    devplat_multipart *mp = apr_pcalloc(p, sizeof(*mp));
    apr_size_t i;

    if (cb) {
        mp->cb = *cb;
    }
    mp->baton = baton;
    mp->max_parts = max_parts > 0 ? max_parts : 1;
    apr_pool_create(&mp->part_pool, p);
    mp->hdr = apr_palloc(p, DEVPLAT_MP_HEADERS_MAX);
    mp->status = DEVPLAT_MP_OK;
    if (!boundary || !*boundary || strlen(boundary) > DEVPLAT_MP_BOUNDARY_MAX) {
        mp->status = DEVPLAT_MP_MALFORMED;
        boundary = "";
    }
    for (i = 0; boundary[i]; i++) {
        if (boundary[i] == '\r' || boundary[i] == '\n') {
            mp->status = DEVPLAT_MP_MALFORMED;   /* the matcher relies on it */
        }
    }
    mp->delim = apr_pstrcat(p, "\r\n--", boundary, NULL);
    mp->dlen = strlen(mp->delim);
    /* the body starts as if after a CRLF, so that a delimiter on the very
     * first line is found like any other */
    mp->state = ST_PREAMBLE;
    mp->matched = 2;
    return mp;
}

static int fail(devplat_multipart *mp, devplat_mp_status st)
{
    mp->status = st;
    return 0;
}

static int deliver(devplat_multipart *mp, const char *data, apr_size_t len)
{
    if (len && mp->state == ST_DATA && mp->cb.data
        && mp->cb.data(mp->baton, data, len)) {
        return fail(mp, DEVPLAT_MP_STOPPED);
    }
    return 1;
}

/* Scans preamble or content for the delimiter; answers the bytes used
 * (up to and including a delimiter, after which the state has changed). */
static apr_size_t scan(devplat_multipart *mp, const char *s, apr_size_t n)
{
    apr_size_t i, run = 0;      /* s[run..) is content not yet delivered */

    for (i = 0; i < n; i++) {
        if (mp->matched && s[i] != mp->delim[mp->matched]) {
            /* a false start: the bytes matched were content after all */
            if (!deliver(mp, mp->delim, mp->matched)) {
                return i;
            }
            mp->matched = 0;
            run = i;
        }
        if (s[i] == mp->delim[mp->matched]) {
            if (mp->matched == 0 && !deliver(mp, s + run, i - run)) {
                return i;
            }
            if (++mp->matched == mp->dlen) {
                mp->matched = 0;
                if (mp->state == ST_DATA && mp->cb.end && mp->cb.end(mp->baton)) {
                    fail(mp, DEVPLAT_MP_STOPPED);
                    return i + 1;
                }
                mp->state = ST_AFTER;
                mp->after = AFTER_START;
                return i + 1;
            }
        }
    }
    if (!mp->matched) {
        deliver(mp, s + run, n - run);
    }
    return n;
}

static void after_delimiter(devplat_multipart *mp, char c)
{
    switch (mp->after) {
    case AFTER_START:
        if (c == '-') {
            mp->after = AFTER_DASH;
        }
        else if (is_ws(c)) {
            mp->after = AFTER_PAD;
        }
        else if (c == '\r') {
            mp->after = AFTER_CR;
        }
        else {
            fail(mp, DEVPLAT_MP_MALFORMED);
        }
        break;
    case AFTER_DASH:
        if (c == '-') {
            mp->state = ST_EPILOGUE;
        }
        else {
            fail(mp, DEVPLAT_MP_MALFORMED);
        }
        break;
    case AFTER_PAD:
        if (c == '\r') {
            mp->after = AFTER_CR;
        }
        else if (!is_ws(c)) {
            fail(mp, DEVPLAT_MP_MALFORMED);
        }
        break;
    default:
        if (c == '\n') {
            mp->state = ST_HEADERS;
            mp->hlen = 0;
        }
        else {
            fail(mp, DEVPLAT_MP_MALFORMED);
        }
    }
}

/* The empty line that ends a header block has just been stored. */
static int headers_complete(const devplat_multipart *mp)
{
    const char *h = mp->hdr;
    apr_size_t n = mp->hlen;

    if (n == 0 || h[n - 1] != '\n') {
        return 0;
    }
    return n == 1 || (n == 2 && h[0] == '\r')
           || h[n - 2] == '\n' || (n >= 3 && h[n - 2] == '\r' && h[n - 3] == '\n');
}

static void header_byte(devplat_multipart *mp, char c)
{
    devplat_mp_part part;

    if (mp->hlen == DEVPLAT_MP_HEADERS_MAX) {
        fail(mp, DEVPLAT_MP_LIMIT);
        return;
    }
    mp->hdr[mp->hlen++] = c;
    if (c != '\n' || !headers_complete(mp)) {
        return;
    }
    if (++mp->parts > mp->max_parts) {
        fail(mp, DEVPLAT_MP_LIMIT);
        return;
    }
    apr_pool_clear(mp->part_pool);
    if (!parse_headers(mp->part_pool, mp->hdr, mp->hlen, &part)) {
        fail(mp, DEVPLAT_MP_MALFORMED);
        return;
    }
    if (mp->cb.begin && mp->cb.begin(mp->baton, &part)) {
        fail(mp, DEVPLAT_MP_STOPPED);
        return;
    }
    mp->state = ST_DATA;
    mp->matched = 0;
}

devplat_mp_status devplat_multipart_feed(devplat_multipart *mp,
                                         const char *data, apr_size_t len)
{
    apr_size_t i = 0;

    while (i < len && mp->status == DEVPLAT_MP_OK) {
        switch (mp->state) {
        case ST_PREAMBLE:
        case ST_DATA:
            i += scan(mp, data + i, len - i);
            break;
        case ST_AFTER:
            after_delimiter(mp, data[i++]);
            break;
        case ST_HEADERS:
            header_byte(mp, data[i++]);
            break;
        default:
            i = len;            /* the epilogue is ignored */
        }
    }
    return mp->status;
}

devplat_mp_status devplat_multipart_finish(devplat_multipart *mp)
{
    if (mp->status == DEVPLAT_MP_OK && mp->state != ST_EPILOGUE) {
        mp->status = DEVPLAT_MP_TRUNCATED;
    }
    return mp->status;
}

/* ---------------------------------------------------------------- names */

/* Length of the well-formed UTF-8 character at s (0 when ill-formed). */
static apr_size_t utf8_char(const char *s, apr_size_t avail)
{
    unsigned char c = (unsigned char)*s;
    apr_size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;

    if (n > avail || !devplat_utf8_valid(s, n)) {
        return 0;
    }
    return n;
}

char *devplat_multipart_safe_name(apr_pool_t *p, const char *filename,
                                  apr_size_t max_bytes)
{
    const char *base, *s;
    char *out;
    apr_size_t len, i = 0, o = 0;

    if (!filename) {
        return apr_pstrdup(p, "");
    }
    base = filename;
    for (s = filename; *s; s++) {
        if (*s == '/' || *s == '\\') {
            base = s + 1;
        }
    }
    len = strlen(base);
    out = apr_palloc(p, len + 1);
    while (i < len) {
        apr_size_t n = utf8_char(base + i, len - i);

        if (n == 0 || (n == 1 && ((unsigned char)base[i] < 0x20 || base[i] == 0x7F))) {
            n = 1;
            if (o + 1 > max_bytes) {
                break;
            }
            out[o++] = '_';
        }
        else {
            if (o + n > max_bytes) {
                break;
            }
            memcpy(out + o, base + i, n);
            o += n;
        }
        i += n;
    }
    out[o] = '\0';
    if (!strcmp(out, ".") || !strcmp(out, "..")) {
        out[0] = '\0';
    }
    return out;
}
