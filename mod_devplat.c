/* mod_devplat: account APIs served straight from httpd.
 *
 * The module record, the hooks and the one handler: find the request's
 * face from DevplatApi, find the route, run it. Everything else lives in
 * modules/http (httpd glue), modules/core (no httpd) and modules/api. */
#include "devplat_private.h"
#include "claims.h"
#include "config.h"
#include "db_outage.h"
#include "event_delivery.h"
#include "events.h"
#include "gateway.h"
#include "hash_gate.h"
#include "notify.h"
#include "ops.h"
#include "reply.h"
#include "router.h"
#include "sqlite_writer.h"
#include "timefmt.h"
#include "upload.h"

#include "http_core.h"

static int devplat_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp)
{
    devplat_sqlite_writer_register(pconf);
    return OK;
}

static int devplat_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp, server_rec *s)
{
    int rc = devplat_config_check(pconf, s);

    if (rc != OK) {
        return rc;
    }
    if (devplat_sqlite_writer_create(pconf, s) != APR_SUCCESS) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    devplat_notify_init(pconf);
    /* httpd reads its configuration twice at startup: sweep on the real
     * pass, and again at every restart (children of a graceful restart
     * keep their uploads: the sweep takes only files nobody writes) */
    if (ap_state_query(AP_SQ_MAIN_STATE) != AP_SQ_MS_CREATE_PRE_CONFIG) {
        devplat_upload_sweep(ptemp, s);
    }
    return OK;
}

/* What no directive can check alone, in time for httpd -t. */
static int devplat_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                                server_rec *s)
{
    return devplat_event_config_check(s);
}

/* After mod_dbd's child_init: its connection pool exists. */
static void devplat_child_init(apr_pool_t *pchild, server_rec *s)
{
    devplat_outage_child_init(pchild);
    devplat_hash_gate_child_init(pchild, s);
    devplat_sqlite_writer_child_init(pchild, s);
    devplat_event_delivery_child_init(pchild, s);
}

static int devplat_handler(request_rec *r)
{
    devplat_dir_cfg *d = devplat_dir(r);
    devplat_req *req;
    apr_size_t blen;

    if (!d || d->face <= DEVPLAT_FACE_NONE) {
        return DECLINED;
    }
    /* DevplatApi owns its location; SetHandler inside it is not needed */
    if (r->handler && *r->handler && strcmp(r->handler, "devplat")
        && strcmp(r->handler, DIR_MAGIC_TYPE) && !ap_strstr_c(r->handler, "/")) {
        return DECLINED;    /* another handler was set explicitly */
    }
    blen = strlen(d->base);
    if (strncmp(r->uri, d->base, blen) || (r->uri[blen] && r->uri[blen] != '/')) {
        return DECLINED;
    }

    req = devplat_req_new(r);
    req->path = r->uri + blen;
    while (*req->path == '/') {
        req->path++;
    }
    return devplat_route_dispatch(req);
}

static void devplat_register_hooks(apr_pool_t *p)
{
    static const char *const pre[] = {"mod_dbd.c", NULL};

    ap_hook_pre_config(devplat_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(devplat_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(devplat_post_config, pre, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(devplat_child_init, pre, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(devplat_handler, NULL, NULL, APR_HOOK_MIDDLE);
    /* SetHandler devplat-health, devplat-ready, devplat-metrics (ops.c) */
    devplat_ops_register_hooks(p);

    /* the gateway: AuthType devplat, its Require providers, the claims */
    devplat_gateway_register(p);
    devplat_claims_register(p);
}

module AP_MODULE_DECLARE_DATA devplat_module = {
    STANDARD20_MODULE_STUFF,
    devplat_create_dir_cfg,
    devplat_merge_dir_cfg,
    devplat_create_srv_cfg,
    devplat_merge_srv_cfg,
    devplat_cmds,
    devplat_register_hooks
};
