/* Sessions behind the tokens. A token is valid only while its signature,
 * its times and its session row all say so; the row is what makes logout,
 * refresh, freezing and deletion take effect at once on every node. */
#include "session.h"
#include "config.h"
#include "db.h"
#include "reply.h"
#include "statements.h"
#include "jwt.h"
#include "random.h"
#include "utf8.h"
#include "account_sql.h"

/* Columns of DP_SESSION_AUTH after the user's. */
enum { AUTH_EXPIRES = DEVPLAT_UCOL_COUNT, AUTH_LOGIN_AT, AUTH_REVOKED, AUTH_REPLACED_BY };
/* Columns of DP_SESSION_GET. */
enum { GET_USER_ID, GET_ISSUED, GET_EXPIRES, GET_LOGIN_AT, GET_REVOKED };

devplat_user *devplat_user_from_row(request_rec *r, const char **cells, int col)
{
    devplat_user *u = apr_pcalloc(r->pool, sizeof(*u));

    cells += col;
    u->id = devplat_atoi64(cells[DEVPLAT_UCOL_ID]);
    u->username = cells[DEVPLAT_UCOL_USERNAME] ? cells[DEVPLAT_UCOL_USERNAME] : "";
    u->avatar = cells[DEVPLAT_UCOL_AVATAR] ? cells[DEVPLAT_UCOL_AVATAR] : "";
    u->level = (int)devplat_atoi64(cells[DEVPLAT_UCOL_LEVEL]);
    u->status = (int)devplat_atoi64(cells[DEVPLAT_UCOL_STATUS]);
    u->integral = devplat_atoi64(cells[DEVPLAT_UCOL_INTEGRAL]);
    u->created_at = cells[DEVPLAT_UCOL_CREATED] ? cells[DEVPLAT_UCOL_CREATED] : "";
    u->updated_at = cells[DEVPLAT_UCOL_UPDATED] ? cells[DEVPLAT_UCOL_UPDATED] : "";
    return u;
}

json_object *devplat_user_json(const devplat_user *u)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "id", json_object_new_int64(u->id));
    json_object_object_add(o, "username", json_object_new_string(u->username));
    json_object_object_add(o, "avatar", json_object_new_string(u->avatar));
    json_object_object_add(o, "level", json_object_new_int(u->level));
    json_object_object_add(o, "integral", json_object_new_int64(u->integral));
    json_object_object_add(o, "created_at", json_object_new_string(u->created_at));
    json_object_object_add(o, "updated_at", json_object_new_string(u->updated_at));
    return o;
}

json_object *devplat_token_json(const devplat_token *t)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "access_token", json_object_new_string(t->access_token));
    json_object_object_add(o, "token_type", json_object_new_string("bearer"));
    json_object_object_add(o, "expires_in", json_object_new_int64(t->expires_in));
    return o;
}

static const char *sign(devplat_req *req, apr_int64_t user_id, const char *jti,
                        apr_int64_t issued_at, apr_int64_t expires_at)
{
    devplat_jwt_claims c;

    c.sub = devplat_i64(req, user_id);
    c.jti = jti;
    c.iat = issued_at;
    c.nbf = issued_at;
    c.exp = expires_at;
    return devplat_jwt_sign_with(req->r->pool, &req->sconf->jwt_keys, &c);
}

/* sessions.user_agent: the header as valid UTF-8, cut on a character */
#define USER_AGENT_MAX 255

apr_status_t devplat_session_issue(devplat_req *req, apr_int64_t user_id,
                                   apr_int64_t login_at, devplat_token *out)
{
    request_rec *r = req->r;
    const char *jti = devplat_random_hex(r->pool, 16);
    const char *ua = apr_table_get(r->headers_in, "User-Agent");
    apr_int64_t exp = req->now + req->sconf->token_ttl;

    if (!jti) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "random generator failed");
        return APR_EGENERAL;
    }
    if (devplat_db_exec(req, DP_SESSION_INSERT, NULL, 7, jti,
                        devplat_i64(req, user_id), devplat_i64(req, req->now),
                        devplat_i64(req, exp), devplat_i64(req, login_at),
                        r->useragent_ip ? r->useragent_ip : "",
                        devplat_utf8_sanitize(r->pool, ua, USER_AGENT_MAX,
                                              DEVPLAT_UTF8_NO_CONTROLS)) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    out->jti = jti;
    out->access_token = sign(req, user_id, jti, req->now, exp);
    out->expires_in = req->sconf->token_ttl;
    return out->access_token ? APR_SUCCESS : APR_EGENERAL;
}

/* 401 with the challenge RFC 6750 asks for; the mobile face answers its
 * code 999 "用户未登录" with HTTP 200 instead. */
static int unauthorized(devplat_req *req)
{
    if (req->dconf->face == DEVPLAT_FACE_MOBILE) {
        return devplat_reply_error(req, HTTP_UNAUTHORIZED, DEVPLAT_MSG_NOT_LOGGED_IN);
    }
    apr_table_setn(req->r->headers_out, "WWW-Authenticate", "Bearer");
    return devplat_reply_error(req, HTTP_UNAUTHORIZED, DEVPLAT_MSG_TOKEN);
}

const char *devplat_bearer_token(request_rec *r)
{
    const char *h = apr_table_get(r->headers_in, "Authorization");

    if (!h || strncasecmp(h, "Bearer", 6) || !apr_isspace(h[6])) {
        return NULL;
    }
    h += 7;
    while (apr_isspace(*h)) {
        h++;
    }
    return *h ? h : NULL;
}

/* The value of ?token= in the query string, or NULL. */
static const char *query_token(request_rec *r)
{
    char *args, *pair, *state;

    if (!r->args) {
        return NULL;
    }
    args = apr_pstrdup(r->pool, r->args);
    for (pair = apr_strtok(args, "&", &state); pair;
         pair = apr_strtok(NULL, "&", &state)) {
        if (!strncmp(pair, "token=", 6) && pair[6]
            && ap_unescape_urlencoded(pair + 6) == OK) {
            return pair + 6;
        }
    }
    return NULL;
}

/* The token of the request. The mobile face (002) carries it in the URL:
 * a /token/<t> segment (the route's {token}) or ?token=; a "token" field
 * of the request body and the Authorization header work there too. */
static const char *request_token(devplat_req *req)
{
    const char *t = NULL;
    json_object *v;

    if (req->dconf->face == DEVPLAT_FACE_MOBILE) {
        t = req->params ? apr_table_get(req->params, "token") : NULL;
        if (!t) {
            t = query_token(req->r);
        }
        if (!t && req->input && json_object_object_get_ex(req->input, "token", &v)
            && json_object_is_type(v, json_type_string)
            && *json_object_get_string(v)) {
            t = json_object_get_string(v);
        }
    }
    return t ? t : devplat_bearer_token(req->r);
}

devplat_token_check devplat_session_check(devplat_req *req, int allow_expired,
                                          const char ***out)
{
    request_rec *r = req->r;
    devplat_jwt_claims claims;
    devplat_jwt_status st;
    devplat_rows *rows;
    const char **row;
    const char *revoked;
    devplat_user *u;

    if (!req->token) {
        return DEVPLAT_TOKEN_MISSING;
    }
    st = devplat_jwt_verify_with(r->pool, &req->sconf->jwt_keys, req->token, req->now,
                                 &claims);
    if (st != DEVPLAT_JWT_OK && !(allow_expired && st == DEVPLAT_JWT_EXPIRED)) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "token refused (jwt status %d)", st);
        return DEVPLAT_TOKEN_INVALID;
    }
    if (devplat_db_select(req, DP_SESSION_AUTH, &rows, 1, claims.jti) != APR_SUCCESS) {
        return DEVPLAT_TOKEN_UNAVAILABLE;
    }
    if (rows->nrows != 1) {
        return DEVPLAT_TOKEN_INVALID;
    }
    row = rows->rows[0];
    u = devplat_user_from_row(r, row, 0);
    revoked = row[AUTH_REVOKED];
    if (strcmp(devplat_i64(req, u->id), claims.sub)) {
        return DEVPLAT_TOKEN_INVALID;
    }
    if (u->status == DEVPLAT_STATUS_DELETED) {
        return DEVPLAT_TOKEN_DELETED;
    }
    if ((!allow_expired && devplat_atoi64(row[AUTH_EXPIRES]) <= req->now)
        || (revoked && devplat_atoi64(revoked) <= req->now)
        || u->status == DEVPLAT_STATUS_FROZEN) {
        return DEVPLAT_TOKEN_INVALID;
    }
    req->user = u;
    req->jti = claims.jti;
    if (out) {
        *out = row;
    }
    return DEVPLAT_TOKEN_OK;
}

/* Verifies the request's token and loads its session + user row. Returns
 * the row or NULL with *rc set to the answer already given. */
static const char **load_session(devplat_req *req, int allow_expired, int *rc)
{
    const char **row = NULL;

    req->token = request_token(req);
    switch (devplat_session_check(req, allow_expired, &row)) {
    case DEVPLAT_TOKEN_OK:
        return row;
    case DEVPLAT_TOKEN_UNAVAILABLE:
        *rc = devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
        return NULL;
    case DEVPLAT_TOKEN_DELETED:
        /* a genuine token of a deleted account (deletion also revokes its
         * sessions): the mobile face has a code for exactly this, 1015
         * "用户不存在" */
        *rc = req->dconf->face == DEVPLAT_FACE_MOBILE
              ? devplat_reply_fail(req, HTTP_UNAUTHORIZED, DEVPLAT_MOBILE_NO_USER,
                                   DEVPLAT_MSG_NO_USER)
              : unauthorized(req);
        return NULL;
    default:
        *rc = unauthorized(req);
        return NULL;
    }
}

int devplat_session_require(devplat_req *req)
{
    int rc = DEVPLAT_CONTINUE;

    load_session(req, 0, &rc);
    return rc;
}

/* Rotations a token can have been through inside one refresh grace: a
 * bound on the walk back, not a limit anyone reaches. */
#define MAX_PREDECESSORS 16

apr_status_t devplat_session_revoke(devplat_req *req)
{
    const char *now = devplat_i64(req, req->now), *jti = req->jti;
    devplat_rows *rows;
    int i;

    /* the token, then every predecessor still in its refresh grace: a
     * logout leaves no older token of the same login working */
    for (i = 0; jti && i < MAX_PREDECESSORS; i++) {
        if (devplat_db_exec(req, DP_SESSION_REVOKE, NULL, 3, now, jti, now) != APR_SUCCESS
            || devplat_db_select(req, DP_SESSION_PREDECESSOR, &rows, 2, jti, now)
               != APR_SUCCESS) {
            return APR_EGENERAL;
        }
        jti = rows->nrows == 1 ? devplat_cell(rows, 0, 0) : NULL;
    }
    return APR_SUCCESS;
}

/* Answers the token a previous refresh rotated to, re-signed from its row
 * (signing is deterministic, so it is the very same token). */
static int replacement(devplat_req *req, const char *jti, devplat_token *out)
{
    devplat_rows *rows;
    const char **row;
    apr_int64_t issued, expires;

    if (devplat_db_select(req, DP_SESSION_GET, &rows, 1, jti) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (rows->nrows != 1) {
        return unauthorized(req);
    }
    row = rows->rows[0];
    issued = devplat_atoi64(row[GET_ISSUED]);
    expires = devplat_atoi64(row[GET_EXPIRES]);
    if ((row[GET_REVOKED] && devplat_atoi64(row[GET_REVOKED]) <= req->now)
        || expires <= req->now) {
        return unauthorized(req);
    }
    out->jti = jti;
    out->access_token = sign(req, devplat_atoi64(row[GET_USER_ID]), jti, issued, expires);
    out->expires_in = expires - req->now;
    return DEVPLAT_CONTINUE;
}

int devplat_session_refresh(devplat_req *req, devplat_token *out)
{
    int rc = DEVPLAT_CONTINUE, rotated = 0;
    const char **row = load_session(req, 1, &rc);
    apr_int64_t login_at;

    if (!row) {
        return rc;
    }
    login_at = devplat_atoi64(row[AUTH_LOGIN_AT]);
    if (login_at + req->sconf->refresh_ttl <= req->now) {
        return unauthorized(req);
    }
    if (row[AUTH_REPLACED_BY]) {
        return replacement(req, row[AUTH_REPLACED_BY], out);
    }

    if (devplat_db_begin(req) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (devplat_session_issue(req, req->user->id, login_at, out) == APR_SUCCESS
        && devplat_db_exec(req, DP_SESSION_ROTATE, &rotated, 4, out->jti,
                           devplat_i64(req, req->now + req->sconf->refresh_grace),
                           req->jti, devplat_i64(req, req->now)) == APR_SUCCESS
        && rotated != 1) {
        devplat_db_rollback(req);     /* a concurrent refresh rotated first */
    }
    if (devplat_db_end(req) != APR_SUCCESS) {
        devplat_rows *rows;

        if (rotated == 0
            && devplat_db_select(req, DP_SESSION_AUTH, &rows, 1, req->jti) == APR_SUCCESS
            && rows->nrows == 1 && rows->rows[0][AUTH_REPLACED_BY]) {
            return replacement(req, rows->rows[0][AUTH_REPLACED_BY], out);
        }
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
    }
    return DEVPLAT_CONTINUE;
}
