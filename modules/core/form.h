/* What a request body is (its media type) and the urlencoded form decoder.
 * Pure APR + json-c; no httpd headers (fuzzed in t/unit/fuzz_body.c). */
#ifndef DEVPLAT_FORM_H
#define DEVPLAT_FORM_H

#include <apr_pools.h>
#include <json-c/json.h>

/* The kinds of body the API reads. */
typedef enum {
    DEVPLAT_MEDIA_OTHER = 0,    /* absent, unparsable or another type */
    DEVPLAT_MEDIA_JSON,         /* application/json, application/<x>+json */
    DEVPLAT_MEDIA_FORM          /* application/x-www-form-urlencoded */
} devplat_media;

/* Classifies a Content-Type value by its type/subtype alone (RFC 9110
 * tokens, compared without case, white space around them allowed, anything
 * after ';' ignored). NULL is DEVPLAT_MEDIA_OTHER. */
devplat_media devplat_media_type(const char *content_type);

typedef enum {
    DEVPLAT_FORM_OK = 0,
    DEVPLAT_FORM_BAD,           /* a broken %-escape, or not UTF-8 once decoded */
    DEVPLAT_FORM_NUL            /* a name or value holds NUL (raw or %00) */
} devplat_form_status;

/* Decodes text[0..len) (key=value&..., '+' for space, %XX escapes) into o:
 * each value a string, a repeated name the last one, "name[]" names an
 * array of strings under "name", an empty name ignored. The first problem
 * met, in order, decides the status; for DEVPLAT_FORM_NUL *nul_field is the
 * name whose value holds the NUL, or NULL when the name itself holds it or
 * is empty. */
devplat_form_status devplat_form_parse(apr_pool_t *p, const char *text, apr_size_t len,
                                       json_object *o, const char **nul_field);

#endif
