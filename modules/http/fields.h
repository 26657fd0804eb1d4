/* Typed input fields beyond devplat_input_string() (body.h): ids, id lists,
 * bounded text, 0/1 flags, lists of strings. Each reads req->input (JSON,
 * form or multipart form), adds a 422 error named after label to e when the
 * field is missing, empty, of another JSON type or out of bounds, and
 * returns a "nothing" value then (0, NULL, -1). Form bodies carry only
 * strings, so where a number is expected a string of decimal digits counts
 * too ("3" as 3); a list must be a JSON array ("name[]" form fields). */
#ifndef DEVPLAT_FIELDS_H
#define DEVPLAT_FIELDS_H

#include "devplat_private.h"
#include "reply.h"

/* A positive id: a JSON integer >= 1 or a string of 1-18 digits. 0 on error. */
apr_int64_t devplat_input_id(devplat_req *req, devplat_errors *e,
                             const char *field, const char *label);

/* A non-empty array of at most max ids (as above); repeats are dropped,
 * the order kept. An array of apr_int64_t, or NULL on error. */
apr_array_header_t *devplat_input_id_list(devplat_req *req, devplat_errors *e,
                                          const char *field, const char *label,
                                          int max);

/* A string of 1..max characters (code points), not only white space, with
 * no control characters; multiline allows newlines and tabs. NULL on error. */
const char *devplat_input_text(devplat_req *req, devplat_errors *e,
                               const char *field, const char *label,
                               apr_size_t max, int multiline);

/* The same for a field that may be absent, null or "": "" then. */
const char *devplat_input_text_optional(devplat_req *req, devplat_errors *e,
                                        const char *field, const char *label,
                                        apr_size_t max);

/* 0 or 1 (JSON integer or "0"/"1"); -1 on error. */
int devplat_input_flag(devplat_req *req, devplat_errors *e,
                       const char *field, const char *label);

/* A non-empty array of at most max non-empty strings of at most maxlen
 * bytes; repeats dropped, order kept. An array of const char *, or NULL. */
apr_array_header_t *devplat_input_string_list(devplat_req *req, devplat_errors *e,
                                              const char *field, const char *label,
                                              int max, apr_size_t maxlen);

/* True when the field is present and not JSON null. */
int devplat_input_has(devplat_req *req, const char *field);

#endif
