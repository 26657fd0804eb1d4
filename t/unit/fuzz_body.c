/* libFuzzer target: arbitrary bytes into the request body readers of
 * modules/core: the media type classifier (form.c), the urlencoded form
 * decoder (form.c) and the strict JSON reader (json_strict.c). Built by
 * `make fuzz-build` (Makefile.am), run by scripts/fuzz.sh:
 *
 *   make fuzz-build && scripts/fuzz.sh t/unit/fuzz_body 60
 *
 * The bytes are given in a buffer of exactly their length (no NUL after
 * them), so a read past the end is an ASan report. Checked besides:
 * - a form that decodes is an object of NUL-free UTF-8 strings (or arrays of
 *   them), and encoding it again decodes to an equal object;
 * - a NUL answer names a NUL-free member, or none;
 * - whatever the grammar check passes, json-c (JSON_TOKENER_STRICT, the same
 *   depth) parses too, and an accepted object is UTF-8;
 * - json-c's own serialisation of an accepted object passes the check again
 *   (a differential test of the checker against a JSON writer);
 * - the media type is JSON or form only for an "application/" type. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "form.h"
#include "json_strict.h"
#include "validate.h"

#define DEPTH 16

static apr_pool_t *root;

static int text_ok(json_object *v)
{
    const char *s;
    apr_size_t n;

    if (!json_object_is_type(v, json_type_string)) {
        return 0;
    }
    s = json_object_get_string(v);
    n = (apr_size_t)json_object_get_string_len(v);
    return strlen(s) == n && (n == 0 || devplat_utf8_valid(s, n));
}

/* %XX for every byte: the decoder must give back what it gave. */
static char *encode(apr_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    apr_size_t n = strlen(s), i;
    char *out = apr_palloc(p, 3 * n + 1), *d = out;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        *d++ = '%';
        *d++ = hex[c >> 4];
        *d++ = hex[c & 15];
    }
    *d = '\0';
    return out;
}

static void check_form(apr_pool_t *p, const uint8_t *data, size_t size)
{
    json_object *o = json_object_new_object(), *again;
    const char *field;
    char *text = "";
    devplat_form_status st = devplat_form_parse(p, (const char *)data, size, o, &field);

    if (st == DEVPLAT_FORM_NUL && field
        && (!*field || !devplat_utf8_valid(field, strlen(field)))) {
        abort();
    }
    if (st != DEVPLAT_FORM_OK) {
        json_object_put(o);
        return;
    }
    {
        json_object_object_foreach(o, key, v) {
            apr_size_t i, n;

            if (!*key || !devplat_utf8_valid(key, strlen(key))) {
                abort();
            }
            if (json_object_is_type(v, json_type_array)) {
                n = json_object_array_length(v);
                for (i = 0; i < n; i++) {
                    if (!text_ok(json_object_array_get_idx(v, i))) {
                        abort();
                    }
                    text = apr_pstrcat(p, text, "&", encode(p, key), "%5B%5D=",
                                       encode(p, json_object_get_string(
                                           json_object_array_get_idx(v, i))), NULL);
                }
                if (n == 0) {
                    abort();            /* an array holds what made it */
                }
            }
            else if (!text_ok(v)) {
                abort();
            }
            else {
                text = apr_pstrcat(p, text, "&", encode(p, key), "=",
                                   encode(p, json_object_get_string(v)), NULL);
            }
        }
    }
    again = json_object_new_object();
    if (devplat_form_parse(p, text, strlen(text), again, &field) != DEVPLAT_FORM_OK
        || !json_object_equal(o, again)) {
        abort();
    }
    json_object_put(again);
    json_object_put(o);
}

static void check_json(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data, *field, *out;
    devplat_json_status st;
    int nul, nul2, grammar = devplat_json_wellformed(text, size, DEPTH, &nul);
    json_object *o = devplat_json_parse_object(text, size, DEPTH, &st, &field);

    if (grammar) {
        /* json-c must take what the check takes */
        struct json_tokener *tok = json_tokener_new_ex(DEPTH);
        json_object *any;

        json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
        any = json_tokener_parse_ex(tok, text, (int)size);
        if (json_tokener_get_error(tok) != json_tokener_success
            && json_tokener_get_error(tok) != json_tokener_continue) {
            abort();
        }
        json_object_put(any);
        json_tokener_free(tok);
    }
    if ((st == DEVPLAT_JSON_OK || st == DEVPLAT_JSON_NUL) != (o != NULL)) {
        abort();
    }
    if (!o) {
        if (st != DEVPLAT_JSON_MALFORMED && !grammar) {
            abort();
        }
        return;
    }
    if (!grammar || !json_object_is_type(o, json_type_object)
        || !devplat_utf8_valid(text, size) || (st == DEVPLAT_JSON_NUL) != nul
        || (field && (!json_object_object_get_ex(o, field, NULL) || strlen(field) == 0))) {
        abort();
    }
    out = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
    /* json-c writes a NUL as \u0000 (one in a name it has cut off) */
    if (!devplat_json_wellformed(out, strlen(out), DEPTH, &nul2)
        || (st == DEVPLAT_JSON_OK && nul2) || (field && !nul2)) {
        abort();
    }
    json_object_put(o);
}

/* The type/subtype a classified media type must have had. */
static void check_media(apr_pool_t *p, const uint8_t *data, size_t size)
{
    char *ct = apr_pstrmemdup(p, (const char *)data, size);
    devplat_media m = devplat_media_type(ct);
    const char *s = ct, *sub;
    apr_size_t n;

    if (m == DEVPLAT_MEDIA_OTHER) {
        return;
    }
    s += strspn(s, " \t");
    if (strncasecmp(s, "application/", 12)) {
        abort();
    }
    sub = s + 12;
    n = strcspn(sub, "; \t");
    if (sub[n + strspn(sub + n, " \t")] != ';' && sub[n + strspn(sub + n, " \t")] != '\0') {
        abort();
    }
    if (m == DEVPLAT_MEDIA_JSON
        && !(n == 4 && !strncasecmp(sub, "json", 4))
        && !(n > 5 && !strncasecmp(sub + n - 5, "+json", 5))) {
        abort();
    }
    if (m == DEVPLAT_MEDIA_FORM && (n != 21 || strncasecmp(sub, "x-www-form-urlencoded", 21))) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;

    if (root == NULL) {
        apr_initialize();
        apr_pool_create(&root, NULL);
    }
    apr_pool_create(&p, root);
    check_media(p, data, size);
    check_form(p, data, size);
    check_json(data, size);
    apr_pool_destroy(p);
    return 0;
}
