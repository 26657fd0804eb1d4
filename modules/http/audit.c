#include "audit.h"
#include "db.h"
#include "statements.h"
#include "timefmt.h"
#include "utf8.h"

/* the widths of audit_log.detail and audit_log.user_agent */
#define DETAIL_MAX      DEVPLAT_AUDIT_DETAIL_MAX
#define USER_AGENT_MAX  255

const char *devplat_audit_name(devplat_req *req, const char *name)
{
    return devplat_utf8_quote(req->r->pool, name, DETAIL_MAX);
}

#define AS_ENTRY(name) name,
static const char *const actions[] = {DEVPLAT_AUDIT_ACTIONS(AS_ENTRY) NULL};
#undef AS_ENTRY

int devplat_audit_action_known(const char *action)
{
    const char *const *a;

    for (a = actions; action && *a; a++) {
        if (!strcmp(*a, action)) {
            return 1;
        }
    }
    return 0;
}

apr_status_t devplat_audit(devplat_req *req, apr_int64_t user_id,
                           const char *action, const char *detail)
{
    request_rec *r = req->r;
    const char *ua = apr_table_get(r->headers_in, "User-Agent");
    /* the signed-in user, else the one the row is about: never NULL, which
     * stands for devplat-admin */
    apr_int64_t actor = req->user ? req->user->id : user_id > 0 ? user_id : 0;

    return devplat_db_exec(req, DP_AUDIT_INSERT, NULL, 7,
                           user_id > 0 ? devplat_i64(req, user_id) : NULL,
                           action,
                           devplat_utf8_sanitize(r->pool, detail, DETAIL_MAX,
                                                 DEVPLAT_UTF8_NO_CONTROLS),
                           r->useragent_ip ? r->useragent_ip : "",
                           devplat_utf8_sanitize(r->pool, ua, USER_AGENT_MAX,
                                                 DEVPLAT_UTF8_NO_CONTROLS),
                           devplat_i64(req, actor),
                           devplat_time_pformat(r->pool, req->now));
}
