/* Media types and application/x-www-form-urlencoded bodies. The decoder
 * works on lengths, not C strings, so that a NUL byte (raw or %00) is seen
 * and refused instead of silently ending a value. */

#include <string.h>
#include <strings.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include "form.h"
#include "validate.h"

/* RFC 9110 token characters. */
static int is_tchar(unsigned char c)
{
    return apr_isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static const char *skip_ows(const char *s)
{
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    return s;
}

/* A token at s: its length (0 for none). */
static apr_size_t token(const char *s)
{
    apr_size_t n = 0;

    while (is_tchar((unsigned char)s[n])) {
        n++;
    }
    return n;
}

devplat_media devplat_media_type(const char *ct)
{
    const char *type, *sub, *end;
    apr_size_t tn, sn;

    if (!ct) {
        return DEVPLAT_MEDIA_OTHER;
    }
    type = skip_ows(ct);
    tn = token(type);
    if (tn == 0 || type[tn] != '/') {
        return DEVPLAT_MEDIA_OTHER;
    }
    sub = type + tn + 1;
    sn = token(sub);
    end = skip_ows(sub + sn);
    if (sn == 0 || (*end && *end != ';')) {
        return DEVPLAT_MEDIA_OTHER;
    }
    if (tn != 11 || strncasecmp(type, "application", 11)) {
        return DEVPLAT_MEDIA_OTHER;
    }
    /* "+json" is a structured syntax suffix (RFC 6839): something must
     * come before it */
    if ((sn == 4 && !strncasecmp(sub, "json", 4))
        || (sn > 5 && !strncasecmp(sub + sn - 5, "+json", 5))) {
        return DEVPLAT_MEDIA_JSON;
    }
    if (sn == 21 && !strncasecmp(sub, "x-www-form-urlencoded", 21)) {
        return DEVPLAT_MEDIA_FORM;
    }
    return DEVPLAT_MEDIA_OTHER;
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = (unsigned char)apr_tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* s[0..n) with '+' as space and %XX decoded into a new NUL-terminated
 * buffer (*out, *outlen); 0 for a broken escape. */
static int unescape(apr_pool_t *p, const char *s, apr_size_t n,
                    char **out, apr_size_t *outlen)
{
    char *d = apr_palloc(p, n + 1);
    apr_size_t i, k = 0;

    for (i = 0; i < n; i++) {
        if (s[i] == '+') {
            d[k++] = ' ';
        }
        else if (s[i] != '%') {
            d[k++] = s[i];
        }
        else {
            int hi = i + 2 < n ? hex_value((unsigned char)s[i + 1]) : -1;
            int lo = i + 2 < n ? hex_value((unsigned char)s[i + 2]) : -1;

            if (hi < 0 || lo < 0) {
                return 0;
            }
            d[k++] = (char)(hi * 16 + lo);
            i += 2;
        }
    }
    d[k] = '\0';
    *out = d;
    *outlen = k;
    return 1;
}

/* One name=value pair into o. */
static devplat_form_status add_pair(apr_pool_t *p, const char *s, apr_size_t n,
                                    json_object *o, const char **nul_field)
{
    const char *eq = memchr(s, '=', n);
    apr_size_t kraw = eq ? (apr_size_t)(eq - s) : n;
    char *key, *val;
    apr_size_t klen, vlen;
    json_object *arr;

    if (!unescape(p, s, kraw, &key, &klen)
        || !unescape(p, eq ? eq + 1 : "", eq ? n - kraw - 1 : 0, &val, &vlen)) {
        return DEVPLAT_FORM_BAD;
    }
    /* the name is checked first: a NUL answer quotes it */
    if (memchr(key, '\0', klen)) {
        *nul_field = NULL;
        return DEVPLAT_FORM_NUL;
    }
    if (!devplat_utf8_valid(key, klen)) {
        return DEVPLAT_FORM_BAD;
    }
    if (memchr(val, '\0', vlen)) {
        /* named as the endpoint reads it: "tags[]" is "tags" */
        *nul_field = klen == 0 ? NULL
                   : klen > 2 && !strcmp(key + klen - 2, "[]") ? apr_pstrmemdup(p, key, klen - 2)
                   : key;
        return DEVPLAT_FORM_NUL;
    }
    if (!devplat_utf8_valid(val, vlen)) {
        return DEVPLAT_FORM_BAD;
    }
    if (klen > 2 && !strcmp(key + klen - 2, "[]")) {
        key[klen - 2] = '\0';
        if (!json_object_object_get_ex(o, key, &arr)
            || !json_object_is_type(arr, json_type_array)) {
            arr = json_object_new_array();
            json_object_object_add(o, key, arr);
        }
        json_object_array_add(arr, json_object_new_string_len(val, (int)vlen));
    }
    else if (klen > 0) {
        json_object_object_add(o, key, json_object_new_string_len(val, (int)vlen));
    }
    return DEVPLAT_FORM_OK;
}

devplat_form_status devplat_form_parse(apr_pool_t *p, const char *text, apr_size_t len,
                                       json_object *o, const char **nul_field)
{
    apr_size_t at = 0;

    *nul_field = NULL;
    while (at < len) {
        const char *amp = memchr(text + at, '&', len - at);
        apr_size_t n = amp ? (apr_size_t)(amp - text) - at : len - at;

        if (n > 0) {
            devplat_form_status st = add_pair(p, text + at, n, o, nul_field);

            if (st != DEVPLAT_FORM_OK) {
                return st;
            }
        }
        at += n + 1;
    }
    return DEVPLAT_FORM_OK;
}
