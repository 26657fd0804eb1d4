/* Tokens as sessions: every JWT is also a row keyed by its jti, checked on
 * every authenticated request. */
#ifndef DEVPLAT_SESSION_H
#define DEVPLAT_SESSION_H

#include "devplat_private.h"

/* A token and its lifetime, as login and refresh answer it. */
typedef struct {
    const char *access_token;
    const char *jti;
    apr_int64_t expires_in;
} devplat_token;

/* Creates a session for user_id (login_at: the original login, carried over
 * by refresh) and signs its token. APR_SUCCESS or an error already logged. */
apr_status_t devplat_session_issue(devplat_req *req, apr_int64_t user_id,
                                   apr_int64_t login_at, devplat_token *out);

/* Authenticates the request's bearer token (or, for the mobile face, the
 * token of the route's {token} segment, of ?token= or of a "token" field in
 * req->input, when loaded): sets req->user, req->jti, req->token.
 * Answers 401 itself and returns its result on failure (mobile: 999, or
 * 1015 for a live token of a deleted account); DEVPLAT_CONTINUE on
 * success. */
int devplat_session_require(devplat_req *req);

/* The token of "Authorization: Bearer <token>", or NULL. */
const char *devplat_bearer_token(request_rec *r);

/* Why devplat_session_check() refused a token. */
typedef enum {
    DEVPLAT_TOKEN_OK = 0,
    DEVPLAT_TOKEN_MISSING,      /* none was presented */
    DEVPLAT_TOKEN_INVALID,      /* signature, times, session or account say no */
    DEVPLAT_TOKEN_DELETED,      /* a genuine token of a deleted account */
    DEVPLAT_TOKEN_UNAVAILABLE   /* the database failed: never let through */
} devplat_token_check;

/* The one check of a token, answering nothing: req->token against its
 * signature, its times, its session row and its user's status. On
 * DEVPLAT_TOKEN_OK sets req->user and req->jti, and *row (when not NULL)
 * to the session row (the user's columns, then the session's). The API
 * faces (devplat_session_require) and the gateway (AuthType devplat) both
 * run it, so a revocation stops both at once. */
devplat_token_check devplat_session_check(devplat_req *req, int allow_expired,
                                          const char ***row);

/* Revokes the current session at once, and the tokens a refresh rotated
 * to it that are still inside their grace. */
apr_status_t devplat_session_revoke(devplat_req *req);

/* Rotates the current token (refresh): answers 401 past the refresh
 * ceiling; a repeated refresh inside the grace answers the same new token.
 * Accepts an expired access token whose session is still live. */
int devplat_session_refresh(devplat_req *req, devplat_token *out);

/* The JSON shape of a token: {access_token, token_type, expires_in}. */
json_object *devplat_token_json(const devplat_token *t);

/* The JSON shape of a user: {id, username, avatar, level, integral,
 * created_at, updated_at}. */
json_object *devplat_user_json(const devplat_user *u);

/* Reads a user from the USER_COLUMNS of statements.c starting at col. */
devplat_user *devplat_user_from_row(request_rec *r, const char **cells, int col);

#endif
