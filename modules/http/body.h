/* Request input: the body (JSON or form) or the query string, as one JSON
 * object, plus typed field access that collects 422 errors. */
#ifndef DEVPLAT_BODY_H
#define DEVPLAT_BODY_H

#include "devplat_private.h"
#include "reply.h"

/* Calls each() for every piece of the body read through the input filters
 * (so chunked bodies, LimitRequestBody and mod_reqtimeout work), until the
 * end of the body, a read error (returned) or each() answering non-zero
 * (reading stops; APR_SUCCESS). */
typedef int (*devplat_body_chunk_fn)(void *ctx, const char *data, apr_size_t n);
apr_status_t devplat_body_each(request_rec *r, devplat_body_chunk_fn each, void *ctx);

/* Reads the whole body through the input filters (chunked included) with a
 * running limit. APR_SUCCESS, APR_ENOSPC when over limit, else an error. */
apr_status_t devplat_body_read(request_rec *r, apr_size_t limit,
                               char **buf, apr_size_t *len);

/* Fills req->input from the body (application/json, application/<x>+json or
 * application/x-www-form-urlencoded: form.h) or, for GET/HEAD/DELETE without
 * a body, from the query string. Answers the request itself (413; 415 for
 * another media type; 422 for JSON that is not RFC 8259 (json_strict.h) or
 * not an object, a broken form, and any string holding NUL, naming its
 * field) and returns its result when the input is unusable;
 * DEVPLAT_CONTINUE otherwise. */
int devplat_input_load(devplat_req *req);

/* What a text field of req->input (JSON, form, multipart form or query)
 * holds: the one reader under every face's own field rules and messages. */
typedef enum {
    DEVPLAT_FIELD_TEXT = 0,     /* a string of one byte or more, no NUL */
    DEVPLAT_FIELD_ABSENT,       /* absent or JSON null */
    DEVPLAT_FIELD_EMPTY,        /* "" */
    DEVPLAT_FIELD_NOT_TEXT,     /* another JSON type */
    DEVPLAT_FIELD_NUL           /* holds "\u0000" */
} devplat_field;

/* Reads field into *out (set for DEVPLAT_FIELD_TEXT only); with allow_int
 * a JSON integer counts as its decimal text. */
devplat_field devplat_input_field(devplat_req *req, const char *field, int allow_int,
                                  const char **out);

/* A required string field: missing, null, not a string or empty adds an
 * error named after label and returns NULL. */
const char *devplat_input_string(devplat_req *req, devplat_errors *e,
                                 const char *field, const char *label);

#endif
