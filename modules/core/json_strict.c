/* RFC 8259 grammar check (recursive descent, bounded by the depth limit),
 * then json-c for the tree. */

#include <limits.h>
#include <math.h>
#include <string.h>

#include "json_strict.h"
#include "validate.h"

typedef struct {
    const unsigned char *s, *end;
    int depth, max_depth, has_nul;
} scan;

static int value(scan *c);

static void skip_ws(scan *c)
{
    while (c->s < c->end
           && (*c->s == ' ' || *c->s == '\t' || *c->s == '\n' || *c->s == '\r')) {
        c->s++;
    }
}

static int at(const scan *c, unsigned char ch)
{
    return c->s < c->end && *c->s == ch;
}

static int literal(scan *c, const char *word)
{
    apr_size_t n = strlen(word);

    if ((apr_size_t)(c->end - c->s) < n || memcmp(c->s, word, n)) {
        return 0;
    }
    c->s += n;
    return 1;
}

static int digits(scan *c)
{
    const unsigned char *start = c->s;

    while (c->s < c->end && *c->s >= '0' && *c->s <= '9') {
        c->s++;
    }
    return c->s > start;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int number(scan *c)
{
    if (at(c, '-')) {
        c->s++;
    }
    if (at(c, '0')) {
        c->s++;
    }
    else if (!(c->s < c->end && *c->s >= '1' && *c->s <= '9') || !digits(c)) {
        return 0;
    }
    if (at(c, '.')) {
        c->s++;
        if (!digits(c)) {
            return 0;
        }
    }
    if (at(c, 'e') || at(c, 'E')) {
        c->s++;
        if (at(c, '+') || at(c, '-')) {
            c->s++;
        }
        if (!digits(c)) {
            return 0;
        }
    }
    return 1;
}

static int is_hex(unsigned char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* A string at the opening quote; no raw character below U+0020. */
static int string(scan *c)
{
    c->s++;
    while (c->s < c->end) {
        unsigned char ch = *c->s++;

        if (ch == '"') {
            return 1;
        }
        if (ch < 0x20) {
            return 0;
        }
        if (ch != '\\') {
            continue;
        }
        if (c->s >= c->end) {
            return 0;
        }
        ch = *c->s++;
        if (ch == 'u') {
            if (c->end - c->s < 4 || !is_hex(c->s[0]) || !is_hex(c->s[1])
                || !is_hex(c->s[2]) || !is_hex(c->s[3])) {
                return 0;
            }
            if (!memcmp(c->s, "0000", 4)) {
                c->has_nul = 1;
            }
            c->s += 4;
        }
        else if (!memchr("\"\\/bfnrt", ch, 8)) {
            return 0;
        }
    }
    return 0;
}

/* An object or an array at its opening bracket. */
static int container(scan *c, unsigned char close)
{
    if (++c->depth > c->max_depth) {
        return 0;
    }
    c->s++;
    skip_ws(c);
    if (at(c, close)) {
        c->s++;
        c->depth--;
        return 1;
    }
    for (;;) {
        if (close == '}') {
            skip_ws(c);
            if (!at(c, '"') || !string(c)) {
                return 0;
            }
            skip_ws(c);
            if (!at(c, ':')) {
                return 0;
            }
            c->s++;
        }
        if (!value(c)) {
            return 0;
        }
        skip_ws(c);
        if (at(c, ',')) {
            c->s++;
            continue;
        }
        if (!at(c, close)) {
            return 0;
        }
        c->s++;
        c->depth--;
        return 1;
    }
}

static int value(scan *c)
{
    skip_ws(c);
    if (c->s >= c->end) {
        return 0;
    }
    switch (*c->s) {
    case '{':
        return container(c, '}');
    case '[':
        return container(c, ']');
    case '"':
        return string(c);
    case 't':
        return literal(c, "true");
    case 'f':
        return literal(c, "false");
    case 'n':
        return literal(c, "null");
    default:
        return number(c);
    }
}

int devplat_json_wellformed(const char *text, apr_size_t len, int max_depth,
                            int *has_nul)
{
    scan c;

    c.s = (const unsigned char *)text;
    c.end = c.s + len;
    c.depth = 0;
    c.max_depth = max_depth;
    c.has_nul = 0;
    if (!value(&c)) {
        *has_nul = 0;
        return 0;
    }
    skip_ws(&c);
    *has_nul = c.has_nul;
    return c.s == c.end;
}

/* Numbers like 1e999 are grammatical but come out of json-c as infinity. */
static int not_finite(json_object *v)
{
    return json_object_is_type(v, json_type_double) && !isfinite(json_object_get_double(v));
}

/* json-c keeps a \u0000 inside the string, and the full length. */
static int holds_nul(json_object *v)
{
    return json_object_is_type(v, json_type_string)
           && strlen(json_object_get_string(v)) != (apr_size_t)json_object_get_string_len(v);
}

/* Whether leaf() holds for v or any value inside it (member names aside). */
static int any_value(json_object *v, int (*leaf)(json_object *))
{
    apr_size_t i, n;

    if (json_object_is_type(v, json_type_array)) {
        n = json_object_array_length(v);
        for (i = 0; i < n; i++) {
            if (any_value(json_object_array_get_idx(v, i), leaf)) {
                return 1;
            }
        }
        return 0;
    }
    if (json_object_is_type(v, json_type_object)) {
        json_object_object_foreach(v, key, member) {
            (void)key;
            if (any_value(member, leaf)) {
                return 1;
            }
        }
        return 0;
    }
    return leaf(v);
}

json_object *devplat_json_parse_object(const char *text, apr_size_t len, int max_depth,
                                       devplat_json_status *st, const char **nul_field)
{
    struct json_tokener *tok;
    json_object *o;
    int has_nul;

    *nul_field = NULL;
    if (len > INT_MAX || !devplat_json_wellformed(text, len, max_depth, &has_nul)) {
        *st = DEVPLAT_JSON_MALFORMED;
        return NULL;
    }
    if (!devplat_utf8_valid(text, len)) {
        *st = DEVPLAT_JSON_BAD_UTF8;
        return NULL;
    }
    while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r') {
        text++;
        len--;
    }
    if (*text != '{') {
        *st = DEVPLAT_JSON_NOT_OBJECT;
        return NULL;
    }
    /* the same limit: json-c never meets a text the check did not pass */
    tok = json_tokener_new_ex(max_depth);
    if (!tok) {
        *st = DEVPLAT_JSON_MALFORMED;
        return NULL;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    o = json_tokener_parse_ex(tok, text, (int)len);
    if (json_tokener_get_error(tok) != json_tokener_success || any_value(o, not_finite)) {
        json_object_put(o);
        o = NULL;
    }
    json_tokener_free(tok);
    if (!o) {
        *st = DEVPLAT_JSON_MALFORMED;
        return NULL;
    }
    if (!json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        *st = DEVPLAT_JSON_NOT_OBJECT;
        return NULL;
    }
    *st = DEVPLAT_JSON_OK;
    if (has_nul) {
        json_object_object_foreach(o, key, member) {
            if (any_value(member, holds_nul)) {
                *nul_field = *key ? key : NULL;
                break;
            }
        }
        *st = DEVPLAT_JSON_NUL;
    }
    return o;
}
