#include "audit.h"
#include "db.h"
#include "statements.h"
#include "timefmt.h"

apr_status_t devplat_audit(devplat_req *req, apr_int64_t user_id,
                           const char *action, const char *detail)
{
    request_rec *r = req->r;
    const char *ua = apr_table_get(r->headers_in, "User-Agent");

    return devplat_db_exec(req, DP_AUDIT_INSERT, NULL, 6,
                           user_id > 0 ? devplat_i64(req, user_id) : NULL,
                           action, detail ? apr_pstrndup(r->pool, detail, 255) : "",
                           r->useragent_ip ? r->useragent_ip : "",
                           ua ? apr_pstrndup(r->pool, ua, 255) : "",
                           devplat_time_pformat(r->pool, req->now));
}
