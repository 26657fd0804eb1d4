/* Request input: the body (JSON or form) or the query string, as one JSON
 * object, plus typed field access that collects 422 errors. */
#ifndef DEVPLAT_BODY_H
#define DEVPLAT_BODY_H

#include "devplat_private.h"
#include "reply.h"

/* Reads the whole body through the input filters (chunked included) with a
 * running limit. APR_SUCCESS, APR_ENOSPC when over limit, else an error. */
apr_status_t devplat_body_read(request_rec *r, apr_size_t limit,
                               char **buf, apr_size_t *len);

/* Fills req->input from the body (application/json or
 * application/x-www-form-urlencoded) or, for GET/HEAD/DELETE without a body,
 * from the query string. Answers the request itself (413, 415, 422) and
 * returns its result when the input is unusable; DEVPLAT_CONTINUE otherwise. */
int devplat_input_load(devplat_req *req);

/* A required string field: missing, null, not a string or empty adds an
 * error named after label and returns NULL. */
const char *devplat_input_string(devplat_req *req, devplat_errors *e,
                                 const char *field, const char *label);

#endif
