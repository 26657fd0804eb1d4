/* AuthType devplat: authentication from the API's tokens, the Require
 * providers devplat-user, devplat-level N, devplat-admin and
 * devplat-verified, and the JSON answers of a refusal (401, 403, 503).
 *
 * httpd decides the status (mod_authz_core answers 401 when an
 * authenticated user fails a Require); the gateway records why it refused
 * and an error filter turns httpd's error page into the developer
 * envelope, with the RFC 6750 challenge, and a refused but valid bearer
 * into 403 (insufficient_scope). */
#include "gateway.h"
#include "config.h"
#include "router.h"
#include "db.h"
#include "db_outage.h"
#include "reply.h"
#include "session.h"
#include "statements.h"
#include "vocab.h"

#include "mod_auth.h"
#include "http_core.h"
#include "util_filter.h"

#define DP_GATEWAY_EXTRAS "devplat_gateway_extras"
enum { EXTRAS_IS_ADMIN, EXTRAS_VERIFIED };

const devplat_statement devplat_sql_gateway[] = {
    /* what only devplat-admin, devplat-verified and the claims need */
    {DP_GATEWAY_EXTRAS,
     "SELECT u.is_admin, (SELECT COUNT(*) FROM identity_verifications v "
     "WHERE v.user_id = u.id AND v.status = " DEVPLAT_SQL_INT(DEVPLAT_REVIEW_PASSED) ") "
     "FROM users u WHERE u.id = %lld"},
    {NULL, NULL}
};

#define ANSWER_FILTER "DEVPLAT_GATEWAY_ANSWER"
#define MSG_FORBIDDEN "没有权限访问此资源"

/* The highest level devplat-level takes. */
#define LEVEL_MAX 100000

int devplat_gateway_applies(request_rec *r)
{
    const char *type = ap_auth_type(r);

    return type && !strcasecmp(type, DEVPLAT_AUTH_TYPE);
}

static devplat_identity *own_identity(request_rec *r)
{
    return ap_get_module_config(r->request_config, &devplat_module);
}

static devplat_identity *new_identity(request_rec *r)
{
    devplat_identity *id = apr_pcalloc(r->pool, sizeof(*id));

    ap_set_module_config(r->request_config, &devplat_module, id);
    return id;
}

devplat_identity *devplat_gateway_identity(request_rec *r)
{
    request_rec *x;
    devplat_identity *id;

    if (!r->user) {
        return NULL;
    }
    for (x = r; x; x = x->main ? x->main : x->prev) {
        if ((id = own_identity(x)) && id->user) {
            return strcmp(id->sub, r->user) ? NULL : id;
        }
    }
    return NULL;
}


/* ------------------------------------------------------------ the token */

/* The value of cookie name in the Cookie headers, or NULL. */
typedef struct {
    apr_pool_t *pool;
    const char *name;
    apr_size_t len;
    const char *value;
} cookie_search;

static int find_cookie(void *data, const char *key, const char *val)
{
    cookie_search *cs = data;
    const char *p = val;

    while (*p) {
        const char *end;

        while (*p == ' ' || *p == '\t' || *p == ';' || *p == ',') {
            p++;
        }
        end = p + strcspn(p, ";,");
        if (!strncmp(p, cs->name, cs->len) && p[cs->len] == '=') {
            const char *v = p + cs->len + 1;
            apr_size_t n = (apr_size_t)(end - v);

            while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) {
                n--;
            }
            if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
                v++;
                n -= 2;
            }
            cs->value = n ? apr_pstrmemdup(cs->pool, v, n) : NULL;
            return 0;       /* the first one counts */
        }
        p = end;
    }
    return 1;
}

static const char *cookie_token(request_rec *r, const char *name)
{
    cookie_search cs;

    cs.pool = r->pool;
    cs.name = name;
    cs.len = strlen(name);
    cs.value = NULL;
    apr_table_do(find_cookie, &cs, r->headers_in, "Cookie", NULL);
    return cs.value;
}

/* The Authorization header first; the cookie where DevplatTokenCookie
 * names one. */
static const char *find_token(request_rec *r, const devplat_dir_cfg *d)
{
    const char *t = devplat_bearer_token(r);

    if (!t && d && d->token_cookie) {
        t = cookie_token(r, d->token_cookie);
    }
    return t;
}

/* ------------------------------------------------------------ refusals */

/* WWW-Authenticate: Bearer realm="<AuthName>"[, error="<error>"]; httpd
 * keeps AuthName with its quotes escaped already (as mod_auth_basic uses
 * it). */
static const char *challenge(request_rec *r, const char *error)
{
    const char *realm = ap_auth_name(r);

    if (!realm || !*realm) {
        realm = DEVPLAT_AUTH_TYPE;
    }
    return error ? apr_psprintf(r->pool, "Bearer realm=\"%s\", error=\"%s\"", realm, error)
                 : apr_psprintf(r->pool, "Bearer realm=\"%s\"", realm);
}

static int refuse(request_rec *r, devplat_identity *id, int status, const char *error)
{
    id->answer = status;
    if (status == HTTP_UNAUTHORIZED) {
        id->challenge = challenge(r, error);
        apr_table_setn(r->err_headers_out, "WWW-Authenticate", id->challenge);
    }
    return status;
}

int devplat_gateway_unavailable(request_rec *r)
{
    devplat_identity *id = own_identity(r);

    if (!id) {
        id = new_identity(r);
    }
    return refuse(r, id, HTTP_SERVICE_UNAVAILABLE, NULL);
}

/* ------------------------------------------------------------ authn */

/* An identity established for the same token by the request this one
 * was made from. */
static devplat_identity *earlier(request_rec *r, const char *token)
{
    request_rec *x;
    devplat_identity *id;

    for (x = r->main ? r->main : r->prev; x; x = x->main ? x->main : x->prev) {
        if ((id = own_identity(x)) && id->user && !strcmp(id->token, token)) {
            return id;
        }
    }
    return NULL;
}

static int authenticate(request_rec *r)
{
    devplat_identity *id, *prior;
    devplat_req *req;
    const char *token;

    if (!devplat_gateway_applies(r)) {
        return DECLINED;
    }
    r->ap_auth_type = (char *)ap_auth_type(r);
    id = new_identity(r);
    token = find_token(r, devplat_dir(r));
    if (!token) {
        return refuse(r, id, HTTP_UNAUTHORIZED, NULL);
    }
    id->token = token;

    /* sub-requests (directory listings, includes) and internal redirects
     * of an accepted request take its identity instead of asking again */
    if ((prior = earlier(r, token))) {
        *id = *prior;
        id->denied = 0;
        r->user = (char *)id->sub;
        return OK;
    }
    if (!devplat_srv(r->server)->statements_prepared) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "AuthType devplat needs the module's "
                      "database in this server: use a Require devplat-... line, "
                      "DevplatTokenCookie, DevplatPassClaimsAs or DevplatApi in its "
                      "configuration files");
        return refuse(r, id, HTTP_INTERNAL_SERVER_ERROR, NULL);
    }

    req = devplat_req_new(r);
    req->token = token;
    switch (devplat_session_check(req, 0, NULL)) {
    case DEVPLAT_TOKEN_OK:
        break;
    case DEVPLAT_TOKEN_UNAVAILABLE:
        return refuse(r, id, HTTP_SERVICE_UNAVAILABLE, NULL);
    default:
        devplat_db_release(req);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "AuthType devplat: token refused for %s",
                      r->uri);
        return refuse(r, id, HTTP_UNAUTHORIZED, "invalid_token");
    }
    /* a long download or proxied answer must not hold a connection of
     * mod_dbd's pool; the extras, when needed, take one again */
    devplat_db_release(req);
    id->req = req;
    id->user = req->user;
    id->sub = apr_psprintf(r->pool, "%" APR_INT64_T_FMT, req->user->id);
    r->user = (char *)id->sub;
    return OK;
}

apr_status_t devplat_gateway_extras(devplat_identity *id)
{
    devplat_rows *rows;
    apr_status_t rv;

    if (id->extras) {
        return APR_SUCCESS;
    }
    rv = devplat_db_select(id->req, DP_GATEWAY_EXTRAS, &rows, 1,
                           devplat_i64(id->req, id->user->id));
    devplat_db_release(id->req);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    /* the session check found the user a moment ago; no row grants nothing */
    id->is_admin = rows->nrows == 1 && devplat_atoi64(devplat_cell(rows, 0, EXTRAS_IS_ADMIN)) != 0;
    id->verified = rows->nrows == 1 && devplat_atoi64(devplat_cell(rows, 0, EXTRAS_VERIFIED)) > 0;
    id->extras = 1;
    return APR_SUCCESS;
}

/* mod_authz_core reports an authenticated user that fails a Require: the
 * bearer's answer is 403 insufficient_scope (RFC 6750 3.1). */
static int note_failure(request_rec *r, const char *type)
{
    devplat_identity *id;

    if (strcasecmp(type, DEVPLAT_AUTH_TYPE)) {
        return DECLINED;
    }
    id = own_identity(r);
    if (id && id->user && r->user && !strcmp(r->user, id->sub)) {
        id->denied = 1;
        apr_table_setn(r->err_headers_out, "WWW-Authenticate",
                       challenge(r, "insufficient_scope"));
    }
    else if (!apr_table_get(r->err_headers_out, "WWW-Authenticate")) {
        apr_table_setn(r->err_headers_out, "WWW-Authenticate", challenge(r, NULL));
    }
    return OK;
}

/* ------------------------------------------------------------ Require */

typedef enum { NEED_USER, NEED_LEVEL, NEED_ADMIN, NEED_VERIFIED } need;

static const char *provider_name(need n)
{
    static const char *const names[] = {
        [NEED_USER] = "devplat-user", [NEED_LEVEL] = "devplat-level",
        [NEED_ADMIN] = "devplat-admin", [NEED_VERIFIED] = "devplat-verified",
    };
    return names[n];
}

static const char *parse_no_argument(cmd_parms *cmd, need n, const char *line)
{
    const char *w = ap_getword_conf(cmd->temp_pool, &line);

    if (*w) {
        return apr_psprintf(cmd->pool, "Require %s takes no argument (found '%s')",
                            provider_name(n), w);
    }
    return devplat_config_use_db(cmd, apr_pstrcat(cmd->pool, "Require ",
                                                  provider_name(n), NULL));
}

static const char *parse_user(cmd_parms *cmd, const char *line, const void **parsed)
{
    return parse_no_argument(cmd, NEED_USER, line);
}

static const char *parse_admin(cmd_parms *cmd, const char *line, const void **parsed)
{
    return parse_no_argument(cmd, NEED_ADMIN, line);
}

static const char *parse_verified(cmd_parms *cmd, const char *line, const void **parsed)
{
    return parse_no_argument(cmd, NEED_VERIFIED, line);
}

/* Require devplat-level N: one whole number, read once, here. */
static const char *parse_level(cmd_parms *cmd, const char *line, const void **parsed)
{
    const char *w = ap_getword_conf(cmd->temp_pool, &line);
    const char *more = ap_getword_conf(cmd->temp_pool, &line);
    apr_int64_t *level = apr_palloc(cmd->pool, sizeof(*level));
    const char *p;

    for (p = w; apr_isdigit(*p); p++) {
    }
    if (!*w || *p || *more || p - w > 6 || (*level = apr_atoi64(w)) > LEVEL_MAX) {
        return apr_psprintf(cmd->pool, "Require devplat-level takes one whole number "
                            "from 0 to %d, the lowest level let in (found '%s%s%s'; "
                            "for example: Require devplat-level 2)", LEVEL_MAX, w,
                            *more ? " " : "", more);
    }
    *parsed = level;
    return devplat_config_use_db(cmd, "Require devplat-level");
}

static authz_status check(request_rec *r, need n, const void *parsed)
{
    devplat_identity *id;

    if (!r->user) {
        return AUTHZ_DENIED_NO_USER;
    }
    id = own_identity(r);
    if (!id || !id->user || strcmp(id->sub, r->user)) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "Require %s needs AuthType %s "
                      "(user %s was authenticated by AuthType %s)", provider_name(n),
                      DEVPLAT_AUTH_TYPE, r->user, ap_auth_type(r) ? ap_auth_type(r) : "none");
        return AUTHZ_DENIED;
    }
    switch (n) {
    case NEED_USER:
        return AUTHZ_GRANTED;
    case NEED_LEVEL:
        return id->user->level >= *(const apr_int64_t *)parsed ? AUTHZ_GRANTED : AUTHZ_DENIED;
    default:
        if (devplat_gateway_extras(id) != APR_SUCCESS) {
            /* mod_authz_core answers 500 to a general error; the answer
             * filter makes it the 503 it is */
            refuse(r, id, HTTP_SERVICE_UNAVAILABLE, NULL);
            return AUTHZ_GENERAL_ERROR;
        }
        return (n == NEED_ADMIN ? id->is_admin : id->verified) ? AUTHZ_GRANTED : AUTHZ_DENIED;
    }
}

static authz_status check_user(request_rec *r, const char *line, const void *parsed)
{
    return check(r, NEED_USER, parsed);
}

static authz_status check_level(request_rec *r, const char *line, const void *parsed)
{
    return check(r, NEED_LEVEL, parsed);
}

static authz_status check_admin(request_rec *r, const char *line, const void *parsed)
{
    return check(r, NEED_ADMIN, parsed);
}

static authz_status check_verified(request_rec *r, const char *line, const void *parsed)
{
    return check(r, NEED_VERIFIED, parsed);
}

static const authz_provider user_provider = {check_user, parse_user};
static const authz_provider level_provider = {check_level, parse_level};
static const authz_provider admin_provider = {check_admin, parse_admin};
static const authz_provider verified_provider = {check_verified, parse_verified};

/* ------------------------------------------------------------ answers */

typedef struct {
    int status;
    const char *text;
    apr_size_t len;
    const char *challenge;
    const char *retry_after;
    int started;
} answer;

/* Replaces httpd's error page with the envelope; the status and headers
 * are set before anything reaches the HTTP header filter. */
static apr_status_t answer_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    answer *a = f->ctx;
    request_rec *r = f->r;
    apr_bucket *e;
    int eos = 0;

    if (!a->started) {
        a->started = 1;
        r->status = a->status;
        r->status_line = NULL;
        ap_set_content_type(r, "application/json; charset=utf-8");
        apr_table_setn(r->headers_out, "Cache-Control", "no-store");
        apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
        if (a->challenge) {
            apr_table_setn(r->headers_out, "WWW-Authenticate", a->challenge);
        }
        else {
            apr_table_unset(r->headers_out, "WWW-Authenticate");
        }
        if (a->retry_after) {
            apr_table_setn(r->headers_out, "Retry-After", a->retry_after);
        }
        ap_set_content_length(r, a->len);
    }
    for (e = APR_BRIGADE_FIRST(bb); e != APR_BRIGADE_SENTINEL(bb); e = APR_BUCKET_NEXT(e)) {
        if (APR_BUCKET_IS_EOS(e)) {
            eos = 1;
        }
    }
    apr_brigade_cleanup(bb);
    if (!eos) {
        return APR_SUCCESS;
    }
    if (!r->header_only) {
        APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_immortal_create(a->text, a->len,
                                                               f->c->bucket_alloc));
    }
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(f->c->bucket_alloc));
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

/* The status the gateway answers r with, 0 when the error is not its. */
static int answer_status(request_rec *r, const devplat_identity *id)
{
    if (id->answer) {
        /* a database failure inside a Require: mod_authz_core says 500 */
        return r->status == id->answer
               || (id->answer == HTTP_SERVICE_UNAVAILABLE
                   && r->status == HTTP_INTERNAL_SERVER_ERROR) ? id->answer : 0;
    }
    if (id->denied && (r->status == HTTP_UNAUTHORIZED || r->status == HTTP_FORBIDDEN)) {
        return HTTP_FORBIDDEN;
    }
    return 0;
}

static void insert_answer(request_rec *r)
{
    devplat_identity *id = own_identity(r);
    devplat_req *req;
    answer *a;
    json_object *body;
    const char *message;
    int http, envelope_status;

    if (!id || !(http = answer_status(r, id))) {
        return;
    }
    a = apr_pcalloc(r->pool, sizeof(*a));
    a->status = http;
    req = devplat_req_new(r);
    switch (http) {
    case HTTP_UNAUTHORIZED:
        a->challenge = id->challenge;
        message = req->dconf && req->dconf->face == DEVPLAT_FACE_MOBILE
                  ? DEVPLAT_MSG_NOT_LOGGED_IN : DEVPLAT_MSG_TOKEN;
        break;
    case HTTP_FORBIDDEN:
        a->challenge = challenge(r, "insufficient_scope");
        message = MSG_FORBIDDEN;
        break;
    case HTTP_SERVICE_UNAVAILABLE:
        a->retry_after = apr_psprintf(r->pool, "%" APR_INT64_T_FMT,
                                      devplat_outage_retry_after());
        message = DEVPLAT_MSG_UNAVAILABLE;
        break;
    default:
        message = DEVPLAT_MSG_SERVER;
    }
    /* the envelope of the location's face, the developer's where it
     * serves none; the HTTP status stays the gateway's */
    body = devplat_failure_envelope(req, http, 0, message, &envelope_status);
    a->text = json_object_to_json_string_length(body, JSON_C_TO_STRING_PLAIN
                                                | JSON_C_TO_STRING_NOSLASHESCAPE, &a->len);
    a->text = apr_pstrmemdup(r->pool, a->text, a->len);
    ap_add_output_filter(ANSWER_FILTER, a, r, r->connection);
}

void devplat_gateway_register(apr_pool_t *p)
{
    ap_hook_check_authn(authenticate, NULL, NULL, APR_HOOK_MIDDLE,
                        AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_note_auth_failure(note_failure, NULL, NULL, APR_HOOK_MIDDLE);
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "devplat-user",
                              AUTHZ_PROVIDER_VERSION, &user_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "devplat-level",
                              AUTHZ_PROVIDER_VERSION, &level_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "devplat-admin",
                              AUTHZ_PROVIDER_VERSION, &admin_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "devplat-verified",
                              AUTHZ_PROVIDER_VERSION, &verified_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
    ap_hook_insert_error_filter(insert_answer, NULL, NULL, APR_HOOK_MIDDLE);
    ap_register_output_filter(ANSWER_FILTER, answer_filter, NULL, AP_FTYPE_CONTENT_SET);
}
