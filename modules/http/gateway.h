/* The gateway: "AuthType devplat" and its Require providers put the API's
 * tokens in front of any location httpd serves (static files, CGI,
 * ProxyPass). A token is checked exactly as the API checks it
 * (devplat_session_check), so logout, refresh, password changes, freezing
 * and deletion stop it here at once too. */
#ifndef DEVPLAT_GATEWAY_H
#define DEVPLAT_GATEWAY_H

#include "devplat_private.h"

#define DEVPLAT_AUTH_TYPE "devplat"

/* What AuthType devplat established for a request. */
typedef struct {
    const char *token;          /* the token presented, NULL for none */
    devplat_user *user;         /* its user once accepted, else NULL */
    const char *sub;            /* the user id as text: r->user */
    devplat_req *req;           /* the context the checks ran in */
    int extras;                 /* is_admin and verified are loaded */
    int is_admin;               /* users.is_admin */
    int verified;               /* an approved real-name record */
    int answer;                 /* the status the gateway refused with, 0 none */
    const char *challenge;      /* its WWW-Authenticate */
    int denied;                 /* authorization refused the accepted user */
} devplat_identity;

/* 1 when r is configured with AuthType devplat. */
int devplat_gateway_applies(request_rec *r);

/* The identity r->user stands for: the one AuthType devplat established
 * for r, or for the request r was made from (a sub-request or an internal
 * redirect that inherited r->user). NULL when r->user is not one of ours. */
devplat_identity *devplat_gateway_identity(request_rec *r);

/* Loads is_admin and verified into id (once). APR_SUCCESS, or an error
 * when the database failed (the caller refuses: never let through). */
apr_status_t devplat_gateway_extras(devplat_identity *id);

/* Records that r is refused with 503 because the database failed, so the
 * answer is the JSON envelope; returns HTTP_SERVICE_UNAVAILABLE. */
int devplat_gateway_unavailable(request_rec *r);

/* Registers the authentication hook, the Require providers and the
 * answer filter (register_hooks). */
void devplat_gateway_register(apr_pool_t *p);

#endif
