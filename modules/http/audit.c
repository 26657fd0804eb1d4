#include "audit.h"
#include "db.h"
#include "statements.h"
#include "timefmt.h"
#include "utf8.h"

/* the widths of audit_log.detail and audit_log.user_agent */
#define DETAIL_MAX      255
#define USER_AGENT_MAX  255

const char *devplat_audit_name(devplat_req *req, const char *name)
{
    return devplat_utf8_quote(req->r->pool, name, DETAIL_MAX);
}

apr_status_t devplat_audit(devplat_req *req, apr_int64_t user_id,
                           const char *action, const char *detail)
{
    request_rec *r = req->r;
    const char *ua = apr_table_get(r->headers_in, "User-Agent");

    return devplat_db_exec(req, DP_AUDIT_INSERT, NULL, 6,
                           user_id > 0 ? devplat_i64(req, user_id) : NULL,
                           action,
                           devplat_utf8_sanitize(r->pool, detail, DETAIL_MAX,
                                                 DEVPLAT_UTF8_NO_CONTROLS),
                           r->useragent_ip ? r->useragent_ip : "",
                           devplat_utf8_sanitize(r->pool, ua, USER_AGENT_MAX,
                                                 DEVPLAT_UTF8_NO_CONTROLS),
                           devplat_time_pformat(r->pool, req->now));
}
