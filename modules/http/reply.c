/* The developer face's envelope: {"status_code", "message", "data"} with
 * the HTTP status equal to status_code; errors carry no data and 422 adds
 * "errors". */
#include "reply.h"
#include "config.h"

static apr_status_t json_release(void *o)
{
    json_object_put(o);
    return APR_SUCCESS;
}

void devplat_json_own(request_rec *r, json_object *o)
{
    if (o) {
        apr_pool_cleanup_register(r->pool, o, json_release, apr_pool_cleanup_null);
    }
}

json_object *devplat_json_object(request_rec *r)
{
    json_object *o = json_object_new_object();

    devplat_json_own(r, o);
    return o;
}

struct devplat_errors {
    request_rec *r;
    json_object *fields;      /* owned by the request pool */
    const char *first;
};

devplat_errors *devplat_errors_make(request_rec *r)
{
    devplat_errors *e = apr_pcalloc(r->pool, sizeof(*e));

    e->r = r;
    e->fields = devplat_json_object(r);
    return e;
}

void devplat_errors_add(devplat_errors *e, const char *field, const char *message)
{
    json_object *list;

    if (!json_object_object_get_ex(e->fields, field, &list)) {
        list = json_object_new_array();
        json_object_object_add(e->fields, field, list);
    }
    json_object_array_add(list, json_object_new_string(message));
    if (!e->first) {
        e->first = message;
    }
}

int devplat_errors_any(const devplat_errors *e)
{
    return e->first != NULL;
}

int devplat_send_json(request_rec *r, int status, json_object *body)
{
    const char *text;
    apr_size_t len;

    text = json_object_to_json_string_length(body,
               JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    r->status = status;
    ap_set_content_type(r, "application/json; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    ap_set_content_length(r, len);
    if (!r->header_only) {
        ap_rwrite(text, (int)len, r);
    }
    /* the status travels in r->status; OK tells httpd the body is sent */
    return OK;
}

static json_object *envelope(devplat_req *req, int status, const char *message)
{
    json_object *o = devplat_json_object(req->r);

    json_object_object_add(o, "status_code", json_object_new_int(status));
    json_object_object_add(o, "message", json_object_new_string(message));
    return o;
}

int devplat_reply_ok(devplat_req *req, json_object *data)
{
    json_object *o = envelope(req, HTTP_OK, DEVPLAT_MSG_OK);

    /* the body owns data from here on */
    json_object_object_add(o, "data", data ? data : json_object_new_string(""));
    return devplat_send_json(req->r, HTTP_OK, o);
}

int devplat_reply_error(devplat_req *req, int status, const char *message)
{
    return devplat_send_json(req->r, status, envelope(req, status, message));
}

int devplat_reply_invalid(devplat_req *req, devplat_errors *e)
{
    json_object *o = envelope(req, HTTP_UNPROCESSABLE_ENTITY,
                              e->first ? e->first : "参数格式有误");

    json_object_object_add(o, "errors", json_object_get(e->fields));
    return devplat_send_json(req->r, HTTP_UNPROCESSABLE_ENTITY, o);
}

int devplat_reply_invalid1(devplat_req *req, const char *field, const char *message)
{
    devplat_errors *e = devplat_errors_make(req->r);

    devplat_errors_add(e, field, message);
    return devplat_reply_invalid(req, e);
}

int devplat_reply_throttled(devplat_req *req, apr_int64_t retry_after,
                            const char *message)
{
    if (retry_after < 1) {
        retry_after = 1;
    }
    apr_table_setn(req->r->headers_out, "Retry-After",
                   apr_psprintf(req->r->pool, "%" APR_INT64_T_FMT, retry_after));
    return devplat_reply_error(req, HTTP_TOO_MANY_REQUESTS, message);
}
