/* A flat table walk: faces have a few dozen routes, so a linear match of
 * segments costs less than building any index. */
#include "router.h"
#include "config.h"
#include "reply.h"
#include "metrics.h"

/* Matches path against pattern segment by segment; {name} takes one
 * non-empty segment into params. */
static int path_matches(request_rec *r, const char *pattern, const char *path,
                        apr_table_t *params)
{
    while (*pattern && *path) {
        if (*pattern == '{') {
            const char *pend = strchr(pattern, '}');
            const char *send = strchr(path, '/');
            apr_size_t n = send ? (apr_size_t)(send - path) : strlen(path);

            if (!pend || n == 0) {
                return 0;
            }
            apr_table_setn(params, apr_pstrmemdup(r->pool, pattern + 1,
                                                   pend - pattern - 1),
                           apr_pstrmemdup(r->pool, path, n));
            pattern = pend + 1;
            path += n;
        }
        else if (*pattern++ != *path++) {
            return 0;
        }
    }
    return *pattern == '\0' && *path == '\0';
}

/* Runs an endpoint. One that returns without an answer (DEVPLAT_CONTINUE,
 * DECLINED or OK with nothing sent) would hand the request back to httpd:
 * it is logged and answered with a 500 in the face's envelope instead. An
 * answer httpd's filters gave already (LimitRequestBody) stands. */
static int guarded(devplat_req *req, const devplat_route *rt)
{
    int rc = rt->fn(req);

    if (devplat_answered(req->r) || rc == AP_FILTER_ERROR) {
        return rc == AP_FILTER_ERROR ? rc : OK;
    }
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r,
                  "devplat-router: %s %s returned %d without an answer",
                  rt->method, rt->path, rc);
    return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
}

int devplat_route_dispatch(devplat_req *req)
{
    request_rec *r = req->r;
    const devplat_route *rt = devplat_routes_for(req->dconf->face);
    /* HEAD is answered by the GET endpoint; httpd drops the body */
    const char *method = r->header_only ? "GET" : r->method;
    apr_array_header_t *allow = NULL;

    for (; rt && rt->method; rt++) {
        apr_table_t *params = apr_table_make(r->pool, 2);

        if (!path_matches(r, rt->path, req->path, params)) {
            continue;
        }
        if (!strcmp(rt->method, method)) {
            req->params = params;
            devplat_metrics_route(req, rt);
            return guarded(req, rt);
        }
        if (!allow) {
            allow = apr_array_make(r->pool, 4, sizeof(const char *));
        }
        APR_ARRAY_PUSH(allow, const char *) = rt->method;
        if (!strcmp(rt->method, "GET")) {
            APR_ARRAY_PUSH(allow, const char *) = "HEAD";
        }
    }
    devplat_metrics_route(req, NULL);
    if (allow) {
        apr_table_setn(r->headers_out, "Allow", apr_array_pstrcat(r->pool, allow, ','));
        return devplat_reply_error(req, HTTP_METHOD_NOT_ALLOWED, "请求方法不被允许");
    }
    return devplat_reply_error(req, HTTP_NOT_FOUND, "接口不存在");
}

devplat_req *devplat_req_new(request_rec *r)
{
    devplat_req *req = apr_pcalloc(r->pool, sizeof(*req));

    req->r = r;
    req->sconf = devplat_srv(r->server);
    req->dconf = devplat_dir(r);
    req->now = (apr_int64_t)apr_time_sec(r->request_time);
    req->path = "";
    return req;
}
