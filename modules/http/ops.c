/* Health, readiness, metrics and the JWKS (see ops.h): a table of handler
 * names, so another operators' handler is one more row. */
#include "ops.h"
#include "config.h"
#include "router.h"
#include "db.h"
#include "db_outage.h"
#include "metrics.h"
#include "reply.h"
#include "statements.h"
#include "upload.h"
#include "review.h"

#include "apr_file_io.h"

/* ---------------------------------------------------------------- SQL */

#define DP_OPS_READY            "devplat_ops_ready"
#define DP_OPS_PENDING_REVIEWS  "devplat_ops_pending_reviews"

const devplat_statement devplat_sql_ops[] = {
    /* readiness: the connection answers, nothing more */
    {DP_OPS_READY, "SELECT 1"},
    /* the review queues' length at scrape time, read where every node
     * reads it (a count kept in memory would be one node's view) */
    {DP_OPS_PENDING_REVIEWS,
     "SELECT kind, COUNT(*) FROM reviews WHERE status = "
     DEVPLAT_SQL_INT(DEVPLAT_REVIEW_PENDING) " GROUP BY kind"},
    {NULL, NULL}
};
enum { PENDING_KIND, PENDING_COUNT };

/* ---------------------------------------------------------------- helpers */

static void add_check(json_object *checks, int *all_up, const char *name, int up,
                      const char *detail)
{
    json_object *c = json_object_new_object();

    json_object_object_add(c, "name", json_object_new_string(name));
    json_object_object_add(c, "status", json_object_new_string(up ? "UP" : "DOWN"));
    json_object_object_add(c, "detail", json_object_new_string(detail));
    json_object_array_add(checks, c);
    if (!up) {
        *all_up = 0;
    }
}

/* The reason of a failed file operation without its path. */
static const char *reason(request_rec *r, apr_status_t rv)
{
    char buf[120];

    return apr_pstrdup(r->pool, apr_strerror(rv, buf, sizeof(buf)));
}

/* ---------------------------------------------------------------- checks */

static void check_database(request_rec *r, json_object *checks, int *all_up)
{
    devplat_req *req = devplat_req_new(r);
    devplat_rows *rows;

    if (!req->sconf->statements_prepared) {
        add_check(checks, all_up, "database", 0,
                  "not configured in this server (no DevplatApi)");
        return;
    }
    if (devplat_db_select(req, DP_OPS_READY, &rows, 0) == APR_SUCCESS && rows->nrows == 1) {
        add_check(checks, all_up, "database", 1, "a query was answered");
    }
    else if (!req->db || devplat_outage_down()) {
        add_check(checks, all_up, "database", 0, "unreachable");
    }
    else {
        add_check(checks, all_up, "database", 0, "the query failed");
    }
}

static void check_key(request_rec *r, json_object *checks, int *all_up)
{
    const devplat_srv_cfg *c = devplat_srv(r->server);
    apr_file_t *f;
    apr_status_t rv;

    if (!c->jwt_secret_file) {
        add_check(checks, all_up, "jwt-key", 0, "not configured in this server");
        return;
    }
    rv = apr_file_open(&f, c->jwt_secret_file, APR_FOPEN_READ, APR_OS_DEFAULT, r->pool);
    if (rv != APR_SUCCESS) {
        add_check(checks, all_up, "jwt-key", 0,
                  apr_pstrcat(r->pool, "not readable: ", reason(r, rv), NULL));
        return;
    }
    apr_file_close(f);
    add_check(checks, all_up, "jwt-key", 1, "readable");
}

/* A temporary file of the uploads' kind, so the startup sweep takes it if
 * a child dies between making and removing it. */
static void check_storage(request_rec *r, json_object *checks, int *all_up)
{
    const devplat_srv_cfg *c = devplat_srv(r->server);
    char *tmpl;
    apr_file_t *f;
    apr_status_t rv;
    apr_size_t one = 1;

    if (!c->storage_dir) {
        add_check(checks, all_up, "storage", 0, "not configured in this server");
        return;
    }
    tmpl = apr_pstrcat(r->pool, c->storage_dir, "/" DEVPLAT_UPLOAD_TMP_PREFIX "ready-XXXXXX",
                       NULL);
    rv = apr_file_mktemp(&f, tmpl, APR_FOPEN_CREATE | APR_FOPEN_WRITE | APR_FOPEN_EXCL
                         | APR_FOPEN_BINARY, r->pool);
    if (rv == APR_SUCCESS) {
        rv = apr_file_write(f, "", &one);
        apr_file_close(f);
        apr_file_remove(tmpl, r->pool);
    }
    if (rv != APR_SUCCESS) {
        add_check(checks, all_up, "storage", 0,
                  apr_pstrcat(r->pool, "not writable: ", reason(r, rv), NULL));
        return;
    }
    add_check(checks, all_up, "storage", 1, "writable");
}

/* ---------------------------------------------------------------- handlers */

static int health(request_rec *r)
{
    json_object *o = devplat_json_object(r);

    json_object_object_add(o, "status", json_object_new_string("UP"));
    return devplat_send_json(r, HTTP_OK, o);
}

static int ready(request_rec *r)
{
    json_object *o = devplat_json_object(r);
    json_object *checks = json_object_new_array();
    int all_up = 1;

    check_database(r, checks, &all_up);
    check_key(r, checks, &all_up);
    check_storage(r, checks, &all_up);
    json_object_object_add(o, "status", json_object_new_string(all_up ? "UP" : "DOWN"));
    json_object_object_add(o, "checks", checks);
    if (!all_up) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "devplat-ready: %s",
                      json_object_to_json_string_ext(checks, JSON_C_TO_STRING_PLAIN));
    }
    return devplat_send_json(r, all_up ? HTTP_OK : HTTP_SERVICE_UNAVAILABLE, o);
}

/* A gauge per review kind, zeros included; nothing when the database
 * cannot say (an absent series, never a wrong 0). */
static void write_pending_reviews(request_rec *r)
{
    devplat_req *req = devplat_req_new(r);
    const devplat_review_kind *k;
    devplat_rows *rows;
    int i;

    if (!req->sconf->statements_prepared
        || devplat_db_select(req, DP_OPS_PENDING_REVIEWS, &rows, 0) != APR_SUCCESS) {
        return;
    }
    ap_rputs("# HELP devplat_reviews_pending Submissions waiting for a decision in the "
             "review queues, by kind (read from the database at scrape time).\n"
             "# TYPE devplat_reviews_pending gauge\n", r);
    for (k = devplat_review_kinds; k->name; k++) {
        apr_int64_t n = 0;

        for (i = 0; i < rows->nrows; i++) {
            if (rows->rows[i][PENDING_KIND] && !strcmp(rows->rows[i][PENDING_KIND], k->name)) {
                n = devplat_atoi64(rows->rows[i][PENDING_COUNT]);
            }
        }
        ap_rprintf(r, "devplat_reviews_pending{kind=\"%s\"} %" APR_INT64_T_FMT "\n",
                   k->name, n);
    }
}

static int metrics(request_rec *r)
{
    ap_set_content_type(r, "text/plain; version=0.0.4; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    if (r->header_only) {
        return OK;
    }
    devplat_metrics_write(r);
    write_pending_reviews(r);
    return OK;
}

/* What another service needs to verify this server's ES256 or EdDSA
 * tokens without sharing a secret. The set is built once at startup
 * (config.c); HS256 publishes no key, so the set is empty then. Verifiers
 * may cache it for five minutes, so a key added second is seen everywhere
 * before it starts to sign (README: rotation). */
static int jwks(request_rec *r)
{
    const devplat_srv_cfg *c = devplat_srv(r->server);

    ap_set_content_type(r, "application/jwk-set+json");
    apr_table_setn(r->headers_out, "Cache-Control", "max-age=300");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    if (!r->header_only) {
        ap_rputs(c->jwks ? c->jwks : "{\"keys\":[]}", r);
    }
    return OK;
}

static const struct {
    const char *name;
    int (*fn)(request_rec *r);
} handlers[] = {
    {"devplat-health", health},
    {"devplat-ready", ready},
    {"devplat-metrics", metrics},
    {"devplat-jwks", jwks},
    {NULL, NULL}
};

static int ops_handler(request_rec *r)
{
    int i;

    if (!r->handler) {
        return DECLINED;
    }
    for (i = 0; handlers[i].name; i++) {
        if (!strcmp(r->handler, handlers[i].name)) {
            break;
        }
    }
    if (!handlers[i].name) {
        return DECLINED;
    }
    if (r->method_number != M_GET) {
        json_object *o = devplat_json_object(r);

        json_object_object_add(o, "error", json_object_new_string("method not allowed"));
        apr_table_setn(r->headers_out, "Allow", "GET, HEAD");
        return devplat_send_json(r, HTTP_METHOD_NOT_ALLOWED, o);
    }
    return handlers[i].fn(r);
}

static int ops_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                           server_rec *s)
{
    return devplat_metrics_post_config(pconf, s);
}

void devplat_ops_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(ops_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(ops_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(devplat_metrics_log_transaction, NULL, NULL, APR_HOOK_MIDDLE);
}
