/* 个人中心-基本信息: 用户基本详情, 更新用户基本详情 (avatar, where the user
 * is, research directions). */
#include "developer.h"
#include "profile.h"
#include "body.h"
#include "db.h"
#include "fields.h"
#include "reply.h"
#include "session.h"
#include "timefmt.h"

#define PLACE_MAX_CHARS     32
#define AVATAR_MAX_BYTES    255
#define DIRECTIONS_MAX      20

static json_object *str(const char *s)
{
    return json_object_new_string(s ? s : "");
}

/* The documented body of both GET and PUT, read back from the store. */
static int reply_base(devplat_req *req)
{
    devplat_rows *rows;
    apr_array_header_t *directions;
    const char **u;
    json_object *o;

    if (devplat_db_select(req, DP_BASE_GET, &rows, 1, devplat_i64(req, req->user->id))
        != APR_SUCCESS || !(directions = devplat_profile_ids(req, DP_BASE_DIRECTIONS))) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (rows->nrows != 1) {
        return devplat_reply_error(req, HTTP_NOT_FOUND, "查询数据不存在");
    }
    u = rows->rows[0];
    o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int64(devplat_atoi64(u[0])));
    json_object_object_add(o, "username", str(u[1]));
    json_object_object_add(o, "avatar", str(u[2]));
    json_object_object_add(o, "province", str(u[3]));
    json_object_object_add(o, "city", str(u[4]));
    json_object_object_add(o, "county", str(u[5]));
    json_object_object_add(o, "is_overseas", json_object_new_int((int)devplat_atoi64(u[6])));
    json_object_object_add(o, "research_direction_id", devplat_ids_json(directions));
    /* as stored (no masking: this is the user's own profile); "" when unset */
    json_object_object_add(o, "mobile", str(u[7]));
    json_object_object_add(o, "email", str(u[8]));
    json_object_object_add(o, "created_at", str(u[9]));
    json_object_object_add(o, "updated_at", str(u[10]));
    return devplat_reply_ok(req, o);
}

int devplat_dev_base(devplat_req *req)
{
    int rc;

    if (DEVPLAT_DONE(rc = devplat_session_require(req))) {
        return rc;
    }
    return reply_base(req);
}

typedef struct {
    const char *avatar, *province, *city, *county, *overseas, *now;
    apr_array_header_t *directions;
} base_in;

static apr_status_t base_write(devplat_req *req, void *ctx)
{
    base_in *in = ctx;
    const char *id = devplat_i64(req, req->user->id);
    int i;

    if (devplat_db_exec(req, DP_BASE_UPDATE, NULL, 7, in->avatar, in->province, in->city,
                        in->county, in->overseas, in->now, id) != APR_SUCCESS
        || devplat_db_exec(req, DP_BASE_DIRECTIONS_DELETE, NULL, 1, id) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    for (i = 0; i < in->directions->nelts; i++) {
        if (devplat_db_exec(req, DP_BASE_DIRECTION_INSERT, NULL, 3, id,
                            devplat_i64(req, APR_ARRAY_IDX(in->directions, i, apr_int64_t)),
                            apr_itoa(req->r->pool, i)) != APR_SUCCESS) {
            return APR_EGENERAL;
        }
    }
    return APR_SUCCESS;
}

/* province, city, county: required unless the user is overseas. */
static const char *place(devplat_req *req, devplat_errors *e, int overseas,
                         const char *field, const char *label)
{
    if (overseas == 1) {
        return devplat_input_text_optional(req, e, field, label, PLACE_MAX_CHARS);
    }
    return devplat_input_text(req, e, field, label, PLACE_MAX_CHARS, 0);
}

int devplat_dev_base_update(devplat_req *req)
{
    devplat_errors *e;
    base_in in;
    int rc, overseas;

    if (DEVPLAT_DONE(rc = devplat_session_require(req))
        || DEVPLAT_DONE(rc = devplat_input_load(req))) {
        return rc;
    }
    e = devplat_errors_make(req->r);
    in.avatar = devplat_input_text(req, e, "avatar", "头像", AVATAR_MAX_BYTES, 0);
    overseas = devplat_input_flag(req, e, "is_overseas", "是否海外");
    in.province = place(req, e, overseas, "province", "省");
    in.city = place(req, e, overseas, "city", "市");
    in.county = place(req, e, overseas, "county", "县");
    in.directions = devplat_input_id_list(req, e, "research_direction_id", "研究方向",
                                          DIRECTIONS_MAX);
    if ((in.directions && devplat_lookup_check(req, e, DP_LOOKUP_RESEARCH_DIRECTIONS,
                                               "research_direction_id", "研究方向",
                                               in.directions) < 0)
        || (in.avatar && devplat_picture_check(req, e, "avatar", "头像", in.avatar,
                                               DEVPLAT_KIND_AVATAR, req->user->avatar) < 0)) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    in.overseas = apr_itoa(req->r->pool, overseas);
    in.now = devplat_time_pformat(req->r->pool, req->now);
    if (devplat_profile_write(req, base_write, &in) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
    }
    return reply_base(req);
}
