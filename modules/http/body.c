/* Body reading with the brigade loop (ap_setup_client_block reads chunked
 * bodies as empty) and a running total; the parsing itself is in
 * modules/core (form.c, json_strict.c). */
#include "body.h"
#include "config.h"
#include "form.h"
#include "json_strict.h"

#include "apr_buckets.h"
#include "util_filter.h"

#define JSON_MAX_DEPTH 16

apr_status_t devplat_body_each(request_rec *r, devplat_body_chunk_fn each, void *ctx)
{
    apr_bucket_brigade *bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    int seen_eos = 0, stop = 0;
    apr_status_t rv;

    do {
        apr_bucket *b;

        rv = ap_get_brigade(r->input_filters, bb, AP_MODE_READBYTES,
                            APR_BLOCK_READ, HUGE_STRING_LEN);
        if (rv != APR_SUCCESS) {
            break;
        }
        for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb);
             b = APR_BUCKET_NEXT(b)) {
            const char *data;
            apr_size_t n;

            if (APR_BUCKET_IS_EOS(b)) {
                seen_eos = 1;
                break;
            }
            if (APR_BUCKET_IS_METADATA(b)) {
                continue;
            }
            rv = apr_bucket_read(b, &data, &n, APR_BLOCK_READ);
            if (rv != APR_SUCCESS || (stop = each(ctx, data, n))) {
                break;
            }
        }
        apr_brigade_cleanup(bb);
    } while (rv == APR_SUCCESS && !stop && !seen_eos);

    apr_brigade_destroy(bb);
    return rv;
}

/* The whole body in memory, up to a limit. */
typedef struct {
    request_rec *r;
    apr_size_t limit, cap, used;
    char *out;
    int over;
} collect_ctx;

static int collect(void *ctx, const char *data, apr_size_t n)
{
    collect_ctx *c = ctx;

    if (c->used + n > c->limit) {
        c->over = 1;
        return 1;
    }
    if (c->used + n + 1 > c->cap) {
        char *grown;

        while (c->used + n + 1 > c->cap) {
            c->cap *= 2;
        }
        grown = apr_palloc(c->r->pool, c->cap);
        memcpy(grown, c->out, c->used);
        c->out = grown;
    }
    memcpy(c->out + c->used, data, n);
    c->used += n;
    return 0;
}

apr_status_t devplat_body_read(request_rec *r, apr_size_t limit,
                               char **buf, apr_size_t *len)
{
    collect_ctx c = {r, limit, 1024, 0, NULL, 0};
    apr_status_t rv;

    c.out = apr_palloc(r->pool, c.cap);
    rv = devplat_body_each(r, collect, &c);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    if (c.over) {
        return APR_ENOSPC;
    }
    c.out[c.used] = '\0';
    *buf = c.out;
    *len = c.used;
    return APR_SUCCESS;
}

/* A string holding NUL is refused before any endpoint reads the body: C
 * code past this point would see it cut short. */
static int refuse_nul(devplat_req *req, const char *field)
{
    apr_pool_t *p = req->r->pool;

    if (!field) {
        return devplat_reply_error(req, HTTP_UNPROCESSABLE_ENTITY,
                                   "输入的信息不符合:请求内容含有NUL字符");
    }
    return devplat_reply_invalid1(req, field, apr_pstrcat(p, "输入的信息不符合:", field,
                                                          "含有NUL字符", NULL));
}

static int load_form(devplat_req *req, const char *text, apr_size_t len,
                     const char *bad)
{
    const char *field;

    switch (devplat_form_parse(req->r->pool, text, len, req->input, &field)) {
    case DEVPLAT_FORM_OK:
        return DEVPLAT_CONTINUE;
    case DEVPLAT_FORM_NUL:
        return refuse_nul(req, field);
    default:
        return devplat_reply_error(req, HTTP_UNPROCESSABLE_ENTITY, bad);
    }
}

static int load_json(devplat_req *req, const char *text, apr_size_t len)
{
    devplat_json_status st;
    const char *field;
    json_object *o = devplat_json_parse_object(text, len, JSON_MAX_DEPTH, &st, &field);

    if (o) {
        devplat_json_own(req->r, o);
    }
    switch (st) {
    case DEVPLAT_JSON_OK:
        req->input = o;
        return DEVPLAT_CONTINUE;
    case DEVPLAT_JSON_NUL:
        return refuse_nul(req, field);
    case DEVPLAT_JSON_BAD_UTF8:
        return devplat_reply_error(req, HTTP_UNPROCESSABLE_ENTITY,
                                   "请求内容不是有效的UTF-8编码");
    case DEVPLAT_JSON_NOT_OBJECT:
        return devplat_reply_error(req, HTTP_UNPROCESSABLE_ENTITY,
                                   "请求体必须是JSON对象");
    default:
        return devplat_reply_error(req, HTTP_UNPROCESSABLE_ENTITY,
                                   "请求体不是有效的JSON");
    }
}

int devplat_input_load(devplat_req *req)
{
    request_rec *r = req->r;
    char *buf;
    apr_size_t len;
    apr_status_t rv;

    req->input = devplat_json_object(r);

    rv = devplat_body_read(r, DEVPLAT_JSON_BODY_LIMIT, &buf, &len);
    if (rv == APR_ENOSPC) {
        return devplat_reply_error(req, HTTP_REQUEST_ENTITY_TOO_LARGE,
                                   "请求体过大");
    }
    if (rv != APR_SUCCESS) {
        /* the client went away, sent a broken chunked body, was too slow
         * (mod_reqtimeout) or passed LimitRequestBody */
        int status = ap_map_http_request_error(rv, HTTP_BAD_REQUEST);

        ap_log_rerror(APLOG_MARK, APLOG_INFO, rv, r, "reading the request body failed");
        if (status == AP_FILTER_ERROR) {
            return AP_FILTER_ERROR;     /* httpd has answered already */
        }
        return devplat_reply_error(req, status, status == HTTP_REQUEST_ENTITY_TOO_LARGE
                                   ? "请求体过大" : "请求体读取失败");
    }

    if (len == 0) {
        if (r->args && *r->args) {
            return load_form(req, r->args, strlen(r->args), "查询参数编码有误");
        }
        return DEVPLAT_CONTINUE;
    }
    switch (devplat_media_type(apr_table_get(r->headers_in, "Content-Type"))) {
    case DEVPLAT_MEDIA_JSON:
        return load_json(req, buf, len);
    case DEVPLAT_MEDIA_FORM:
        return load_form(req, buf, len, "表单编码有误或不是有效的UTF-8");
    default:
        return devplat_reply_error(req, HTTP_UNSUPPORTED_MEDIA_TYPE,
                                   "请求类型须为application/json或"
                                   "application/x-www-form-urlencoded");
    }
}

devplat_field devplat_input_field(devplat_req *req, const char *field, int allow_int,
                                  const char **out)
{
    json_object *v;
    const char *s;

    *out = NULL;
    if (!req->input || !json_object_object_get_ex(req->input, field, &v) || !v) {
        return DEVPLAT_FIELD_ABSENT;
    }
    if (allow_int && json_object_is_type(v, json_type_int)) {
        *out = apr_psprintf(req->r->pool, "%" APR_INT64_T_FMT,
                            (apr_int64_t)json_object_get_int64(v));
        return DEVPLAT_FIELD_TEXT;
    }
    if (!json_object_is_type(v, json_type_string)) {
        return DEVPLAT_FIELD_NOT_TEXT;
    }
    s = json_object_get_string(v);
    if (json_object_get_string_len(v) == 0) {
        return DEVPLAT_FIELD_EMPTY;
    }
    /* JSON "\u0000" decodes to a NUL inside the string: refuse it */
    if (strlen(s) != (apr_size_t)json_object_get_string_len(v)) {
        return DEVPLAT_FIELD_NUL;
    }
    *out = s;
    return DEVPLAT_FIELD_TEXT;
}

const char *devplat_input_string(devplat_req *req, devplat_errors *e,
                                 const char *field, const char *label)
{
    apr_pool_t *p = req->r->pool;
    const char *s;

    switch (devplat_input_field(req, field, 0, &s)) {
    case DEVPLAT_FIELD_TEXT:
        return s;
    case DEVPLAT_FIELD_NOT_TEXT:
        devplat_errors_add(e, field, apr_pstrcat(p, label, "必须是字符串", NULL));
        return NULL;
    case DEVPLAT_FIELD_NUL:
        devplat_errors_add(e, field, apr_pstrcat(p, label, "格式不正确", NULL));
        return NULL;
    default:
        devplat_errors_missing(e, field, apr_pstrcat(p, label, "不能为空", NULL));
        return NULL;
    }
}
