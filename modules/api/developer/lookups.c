/* 个人中心 lookups: 证件类型列表, 领域列表, 学历列表, 职位列表, 奖项等级列表,
 * 研究方向列表: small tables shipped with the schema (012_profile_lookups.sql).
 * Ids that clients send back are checked with devplat_lookup_check(). */
#include "developer.h"
#include "profile.h"
#include "db.h"
#include "reply.h"
#include "session.h"

static json_object *text(const char *s)
{
    return json_object_new_string(s ? s : "");
}

/* [{id, name, created_at, updated_at}, ...] */
static int list(devplat_req *req, const char *label)
{
    devplat_rows *rows;
    json_object *data;
    int rc, i;

    if (DEVPLAT_DONE(rc = devplat_session_require(req))) {
        return rc;
    }
    if (devplat_db_select(req, label, &rows, 0) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    data = json_object_new_array();
    for (i = 0; i < rows->nrows; i++) {
        const char **row = rows->rows[i];
        json_object *o = json_object_new_object();

        json_object_object_add(o, "id", json_object_new_int64(devplat_atoi64(row[LOOKUP_ID])));
        json_object_object_add(o, "name", text(row[LOOKUP_NAME]));
        json_object_object_add(o, "created_at", text(row[LOOKUP_CREATED]));
        json_object_object_add(o, "updated_at", text(row[LOOKUP_UPDATED]));
        json_object_array_add(data, o);
    }
    return devplat_reply_ok(req, data);
}

int devplat_dev_certificate_types(devplat_req *req)
{
    return list(req, DP_LOOKUP_CERTIFICATE_TYPES);
}

int devplat_dev_domains(devplat_req *req)
{
    return list(req, DP_LOOKUP_DOMAINS);
}

int devplat_dev_education_levels(devplat_req *req)
{
    return list(req, DP_LOOKUP_EDUCATION_LEVELS);
}

int devplat_dev_positions(devplat_req *req)
{
    return list(req, DP_LOOKUP_POSITIONS);
}

int devplat_dev_award_levels(devplat_req *req)
{
    return list(req, DP_LOOKUP_AWARD_LEVELS);
}

int devplat_dev_research_directions(devplat_req *req)
{
    return list(req, DP_LOOKUP_RESEARCH_DIRECTIONS);
}
