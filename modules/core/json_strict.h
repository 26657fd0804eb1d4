/* JSON request bodies held to RFC 8259. json-c, even with
 * JSON_TOKENER_STRICT (0.16), takes NaN, Infinity, single quotes, "1." and
 * raw control characters inside strings, so a grammar check runs before it.
 * Pure C + json-c; no httpd headers (fuzzed in t/unit/fuzz_body.c). */
#ifndef DEVPLAT_JSON_STRICT_H
#define DEVPLAT_JSON_STRICT_H

#include <apr.h>
#include <json-c/json.h>

typedef enum {
    DEVPLAT_JSON_OK = 0,
    DEVPLAT_JSON_MALFORMED,     /* not one RFC 8259 value, too deep, or a
                                 * number out of the double range */
    DEVPLAT_JSON_BAD_UTF8,      /* well-formed, but not UTF-8 */
    DEVPLAT_JSON_NOT_OBJECT,    /* a value, but not an object */
    DEVPLAT_JSON_NUL            /* an object whose strings hold \u0000 */
} devplat_json_status;

/* 1 when text[0..len) is exactly one JSON value (RFC 8259 grammar, white
 * space around it) with arrays and objects nested at most max_depth deep.
 * Bytes of 0x80 and above are taken as they are (UTF-8 is checked apart).
 * *has_nul is set to whether a string, name or value, holds \u0000. */
int devplat_json_wellformed(const char *text, apr_size_t len, int max_depth,
                            int *has_nul);

/* A request body as a JSON object (the caller owns it: json_object_put),
 * or NULL with the reason in *st. For DEVPLAT_JSON_NUL the object is
 * returned too, and *nul_field names the member whose value holds the NUL
 * (NULL when a member name holds it, or the name is ""); it points into
 * the object. */
json_object *devplat_json_parse_object(const char *text, apr_size_t len, int max_depth,
                                       devplat_json_status *st, const char **nul_field);

#endif
