/* SetHandler devplat-jwks: what another service needs to verify this
 * server's ES256 or EdDSA tokens without sharing a secret. The set is
 * built once at startup (config.c); HS256 publishes no key, so the set is
 * empty then. Verifiers may cache it for five minutes, so a key added
 * second is seen everywhere before it starts to sign (README: rotation). */
#include "jwks.h"
#include "config.h"

#define JWKS_HANDLER "devplat-jwks"

int devplat_jwks_handler(request_rec *r)
{
    const devplat_srv_cfg *c;

    if (!r->handler || strcmp(r->handler, JWKS_HANDLER)) {
        return DECLINED;
    }
    /* httpd's 405 answer builds Allow from allowed_methods (GET: also HEAD) */
    r->allowed = AP_METHOD_BIT << M_GET;
    ap_allow_methods(r, REPLACE_ALLOW, "GET", NULL);
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    c = devplat_srv(r->server);
    ap_set_content_type(r, "application/jwk-set+json");
    apr_table_setn(r->headers_out, "Cache-Control", "max-age=300");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    if (!r->header_only) {
        ap_rputs(c->jwks ? c->jwks : "{\"keys\":[]}", r);
    }
    return OK;
}
