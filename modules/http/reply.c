/* The three envelopes. Helpers shared by the faces answer through
 * devplat_reply_fail(), which speaks the envelope of the request's face. */
#include "reply.h"
#include "config.h"
#include "db_outage.h"

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
    int missing_only;         /* every error says a field is missing */
};

devplat_errors *devplat_errors_make(request_rec *r)
{
    devplat_errors *e = apr_pcalloc(r->pool, sizeof(*e));

    e->r = r;
    e->fields = devplat_json_object(r);
    e->missing_only = 1;
    return e;
}

void devplat_errors_missing(devplat_errors *e, const char *field, const char *message)
{
    int was = e->missing_only;

    devplat_errors_add(e, field, message);
    e->missing_only = was;
}

void devplat_errors_add(devplat_errors *e, const char *field, const char *message)
{
    json_object *list;

    e->missing_only = 0;
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

#define ANSWERED_NOTE "devplat-answered"

int devplat_answered(request_rec *r)
{
    return apr_table_get(r->notes, ANSWERED_NOTE) != NULL;
}

int devplat_send_json(request_rec *r, int status, json_object *body)
{
    const char *text;
    apr_size_t len;

    text = json_object_to_json_string_length(body,
               JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    apr_table_setn(r->notes, ANSWERED_NOTE, "1");
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

/* The developer face: {"status_code", "message", "data"}, HTTP status equal
 * to status_code; failures carry no data. */
static json_object *developer_envelope(devplat_req *req, int status,
                                       const char *message, json_object *data)
{
    json_object *o = devplat_json_object(req->r);

    json_object_object_add(o, "status_code", json_object_new_int(status));
    json_object_object_add(o, "message", json_object_new_string(message));
    if (data) {
        json_object_object_add(o, "data", data);
    }
    return o;
}

/* The admin face: {"status", "data", "message", "cmd"}; cmd is the path
 * below the location ("login", "user/57") unless the endpoint names it
 * (001 shows "audit/user" for audit/user/{id}). */
static json_object *admin_envelope(devplat_req *req, int ok, const char *message,
                                   json_object *data)
{
    json_object *o = devplat_json_object(req->r);

    json_object_object_add(o, "status", json_object_new_boolean(ok));
    json_object_object_add(o, "data", data);
    json_object_object_add(o, "message", json_object_new_string(message));
    json_object_object_add(o, "cmd", json_object_new_string(req->cmd ? req->cmd
                                                            : req->path ? req->path : ""));
    return o;
}

/* The mobile face: {"data", "info", "code", "state"}; state 1 ok, 2 failed. */
static json_object *mobile_envelope(devplat_req *req, int code, const char *info,
                                    json_object *data)
{
    json_object *o = devplat_json_object(req->r);

    json_object_object_add(o, "data", data ? data : json_object_new_string(""));
    json_object_object_add(o, "info", json_object_new_string(info));
    json_object_object_add(o, "code", json_object_new_int(code));
    json_object_object_add(o, "state", json_object_new_int(code == DEVPLAT_MOBILE_OK ? 1 : 2));
    return o;
}

/* Mobile clients read "code", so documented outcomes travel with HTTP 200;
 * what is not an API outcome (unknown path, server failure) keeps its
 * HTTP status. */
static int mobile_code_for(int status, int *http)
{
    *http = HTTP_OK;
    switch (status) {
    case HTTP_UNAUTHORIZED:
        return DEVPLAT_MOBILE_NOT_LOGGED_IN;
    case HTTP_UNPROCESSABLE_ENTITY:
    case HTTP_BAD_REQUEST:
    case HTTP_REQUEST_ENTITY_TOO_LARGE:
    case HTTP_UNSUPPORTED_MEDIA_TYPE:
        return DEVPLAT_MOBILE_BAD_INPUT;
    default:
        *http = status;
        return status;
    }
}

int devplat_reply_ok_msg(devplat_req *req, json_object *data, const char *message)
{
    json_object *o;

    switch (req->dconf->face) {
    case DEVPLAT_FACE_ADMIN:
        o = admin_envelope(req, 1, message ? message : "success",
                           data ? data : json_object_new_array());
        break;
    case DEVPLAT_FACE_MOBILE:
        o = mobile_envelope(req, DEVPLAT_MOBILE_OK, message ? message : "", data);
        break;
    default:
        /* the body owns data from here on */
        o = developer_envelope(req, HTTP_OK, message ? message : DEVPLAT_MSG_OK,
                               data ? data : json_object_new_string(""));
    }
    return devplat_send_json(req->r, HTTP_OK, o);
}

int devplat_reply_ok(devplat_req *req, json_object *data)
{
    return devplat_reply_ok_msg(req, data, NULL);
}

int devplat_reply_ok_meta(devplat_req *req, json_object *data, json_object *meta)
{
    json_object *o;

    if (req->dconf->face != DEVPLAT_FACE_DEVELOPER || !meta) {
        json_object_put(meta);
        return devplat_reply_ok(req, data);
    }
    o = developer_envelope(req, HTTP_OK, DEVPLAT_MSG_OK,
                           data ? data : json_object_new_string(""));
    json_object_object_add(o, "meta", meta);
    return devplat_send_json(req->r, HTTP_OK, o);
}

int devplat_reply_fail_at(const char *file, int line, devplat_req *req, int status,
                          int mobile_code, const char *message)
{
    int http;
    json_object *o;

    /* the tag is the answering line: unique, and found with grep; while the
     * database is down db_outage.c speaks for all its 503s */
    if (status >= 500 && file) {
        const char *base = strrchr(file, '/');
        int level = status == HTTP_SERVICE_UNAVAILABLE && devplat_outage_down()
                    ? APLOG_DEBUG : APLOG_ERR;

        ap_log_rerror(APLOG_MARK, level, 0, req->r, "devplat-%s:%d: %s %s answered %d %s",
                      base ? base + 1 : file, line, req->r->method, req->r->uri,
                      status, message);
    }
    /* a 503 always says when to come back (the bcrypt gate and the
     * throttles set their own) */
    if (status == HTTP_SERVICE_UNAVAILABLE
        && !apr_table_get(req->r->headers_out, "Retry-After")) {
        apr_table_setn(req->r->headers_out, "Retry-After",
                       apr_psprintf(req->r->pool, "%" APR_INT64_T_FMT,
                                    devplat_outage_retry_after()));
    }

    o = devplat_failure_envelope(req, status, mobile_code, message, &http);
    return devplat_send_json(req->r, http, o);
}

json_object *devplat_failure_envelope(devplat_req *req, int status, int mobile_code,
                                      const char *message, int *http)
{
    *http = status;
    switch (req->dconf ? req->dconf->face : DEVPLAT_FACE_NONE) {
    case DEVPLAT_FACE_ADMIN:
        return admin_envelope(req, 0, message, NULL);
    case DEVPLAT_FACE_MOBILE:
        if (mobile_code) {
            *http = HTTP_OK;
        }
        else {
            mobile_code = mobile_code_for(status, http);
        }
        return mobile_envelope(req, mobile_code, message, NULL);
    default:
        return developer_envelope(req, status, message, NULL);
    }
}

int devplat_reply_invalid(devplat_req *req, devplat_errors *e)
{
    const char *message = e->first ? e->first : "参数格式有误";
    json_object *o;

    switch (req->dconf->face) {
    case DEVPLAT_FACE_ADMIN:
        /* the envelope owns data: a pool-owned object would be put twice */
        o = admin_envelope(req, 0, message, json_object_new_object());
        json_object_object_add(json_object_object_get(o, "data"), "errors",
                               json_object_get(e->fields));
        return devplat_send_json(req->r, HTTP_UNPROCESSABLE_ENTITY, o);
    case DEVPLAT_FACE_MOBILE:
        return devplat_reply_fail(req, HTTP_UNPROCESSABLE_ENTITY,
                                  e->missing_only ? DEVPLAT_MOBILE_MISSING
                                                  : DEVPLAT_MOBILE_BAD_INPUT, message);
    default:
        o = developer_envelope(req, HTTP_UNPROCESSABLE_ENTITY, message, NULL);
        json_object_object_add(o, "errors", json_object_get(e->fields));
        return devplat_send_json(req->r, HTTP_UNPROCESSABLE_ENTITY, o);
    }
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
