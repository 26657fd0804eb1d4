/* DevplatPassClaimsAs and the scrubbing of forged claim headers. The
 * scrubbing runs in every location with AuthType devplat or
 * DevplatPassClaimsAs: at header_parser for the main request (before
 * authentication, and again after an internal redirect, whose headers are
 * the same table), and once more right before the claims are set, which
 * also covers sub-requests (their headers are a copy of the main
 * request's, claims included). */
#include "claims.h"
#include "config.h"
#include "gateway.h"
#include "utf8.h"

#include "http_core.h"

/* The longest claim value passed on (a username is 16 characters). */
#define CLAIM_VALUE_MAX 256

static int applies(request_rec *r)
{
    const devplat_dir_cfg *d = devplat_dir(r);

    return (d && d->pass_claims != DEVPLAT_UNSET) || devplat_gateway_applies(r);
}

/* DEVPLAT_CLAIM..., in any case, with '-' or '_' between the words: how
 * httpd (CGI's HTTP_*) and most backends read a header's name. */
static int is_claim_name(const char *name)
{
    static const char prefix[] = "devplat_claim";
    apr_size_t i;

    for (i = 0; prefix[i]; i++) {
        int c = apr_tolower((unsigned char)name[i]);

        if (prefix[i] == '_' ? (c != '_' && c != '-') : c != prefix[i]) {
            return 0;
        }
    }
    return 1;
}

static void scrub(request_rec *r)
{
    const apr_array_header_t *h = apr_table_elts(r->headers_in);
    const apr_table_entry_t *e = (const apr_table_entry_t *)h->elts;
    apr_array_header_t *names = NULL;
    int i;

    for (i = 0; i < h->nelts; i++) {
        if (e[i].key && is_claim_name(e[i].key)) {
            if (!names) {
                names = apr_array_make(r->pool, 4, sizeof(const char *));
            }
            APR_ARRAY_PUSH(names, const char *) = e[i].key;
        }
    }
    for (i = 0; names && i < names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(names, i, const char *);

        if (!r->main && !r->prev) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "removed a client's request "
                          "header %s (only AuthType devplat sets claims)",
                          devplat_utf8_sanitize(r->pool, name, 64, DEVPLAT_UTF8_NO_CONTROLS));
        }
        apr_table_unset(r->headers_in, name);
    }
}

static int scrub_early(request_rec *r)
{
    if (applies(r)) {
        scrub(r);
    }
    return DECLINED;
}

static void put(request_rec *r, int mode, const char *claim, const char *value)
{
    const char *name = apr_pstrcat(r->pool, DEVPLAT_CLAIM_PREFIX, claim, NULL);

    value = devplat_utf8_sanitize(r->pool, value, CLAIM_VALUE_MAX, DEVPLAT_UTF8_NO_CONTROLS);
    if (mode & DEVPLAT_CLAIMS_HEADERS) {
        apr_table_setn(r->headers_in, name, value);
    }
    if (mode & DEVPLAT_CLAIMS_ENVIRONMENT) {
        apr_table_setn(r->subprocess_env, name, value);
    }
}

static int pass_claims(request_rec *r)
{
    const devplat_dir_cfg *d = devplat_dir(r);
    devplat_identity *id;
    int mode;

    if (!applies(r)) {
        return DECLINED;
    }
    scrub(r);
    mode = d && d->pass_claims != DEVPLAT_UNSET ? d->pass_claims : DEVPLAT_CLAIMS_NONE;
    if (mode == DEVPLAT_CLAIMS_NONE || !(id = devplat_gateway_identity(r))) {
        return DECLINED;
    }
    if (devplat_gateway_extras(id) != APR_SUCCESS) {
        return devplat_gateway_unavailable(r);
    }
    put(r, mode, "sub", id->sub);
    put(r, mode, "username", id->user->username);
    put(r, mode, "level", apr_itoa(r->pool, id->user->level));
    put(r, mode, "status", apr_itoa(r->pool, id->user->status));
    put(r, mode, "admin", id->is_admin ? "1" : "0");
    put(r, mode, "verified", id->verified ? "1" : "0");
    return DECLINED;
}

void devplat_claims_register(apr_pool_t *p)
{
    /* before mod_setenvif and anything else that reads headers */
    ap_hook_header_parser(scrub_early, NULL, NULL, APR_HOOK_REALLY_FIRST);
    ap_hook_fixups(pass_claims, NULL, NULL, APR_HOOK_MIDDLE);
}
