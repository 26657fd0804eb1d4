/* 个人中心-镜像管理: the user's images. Sizes are shown in GB as text; the
 * free space is what the user's level grants (levels.mirror_space_gb), the
 * space left is that less the sizes of the user's images. */
#include "developer.h"
#include "db.h"
#include "reply.h"
#include "session.h"
#include "statements.h"
#include "units.h"

#define DP_MIRROR_LIST   "devplat_mirror_list"
#define DP_MIRROR_QUOTA  "devplat_mirror_quota"

#define BYTES_PER_GB APR_INT64_C(1000000000)

const devplat_statement devplat_sql_mirror[] = {
    {DP_MIRROR_LIST,
     "SELECT id, name, tag, size_bytes, remark, created_at, updated_at FROM mirrors "
     "WHERE user_id = %lld ORDER BY created_at DESC, id DESC"},
    {DP_MIRROR_QUOTA,
     "SELECT mirror_space_gb FROM levels WHERE level = %d"},
    {NULL, NULL}
};

enum { M_ID, M_NAME, M_TAG, M_SIZE, M_REMARK, M_CREATED, M_UPDATED };

static json_object *text(const char *s)
{
    return json_object_new_string(s ? s : "");
}

int devplat_dev_mirror(devplat_req *req)
{
    apr_pool_t *p = req->r->pool;
    devplat_rows *rows, *quota;
    json_object *list, *meta;
    apr_int64_t used = 0, free_gb = 0;
    int rc, i;

    if (DEVPLAT_DONE(rc = devplat_session_require(req))) {
        return rc;
    }
    if (devplat_db_select(req, DP_MIRROR_LIST, &rows, 1,
                          devplat_i64(req, req->user->id)) != APR_SUCCESS
        || devplat_db_select(req, DP_MIRROR_QUOTA, &quota, 1,
                             apr_itoa(p, req->user->level)) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    list = json_object_new_array();
    for (i = 0; i < rows->nrows; i++) {
        const char **c = rows->rows[i];
        apr_int64_t size = devplat_atoi64(c[M_SIZE]);
        json_object *o = json_object_new_object();

        used += size;
        json_object_object_add(o, "id", json_object_new_int64(devplat_atoi64(c[M_ID])));
        json_object_object_add(o, "name", text(c[M_NAME]));
        json_object_object_add(o, "tag", text(c[M_TAG]));
        json_object_object_add(o, "size", json_object_new_string(devplat_gb_text(p, size)));
        json_object_object_add(o, "remark", text(c[M_REMARK]));
        json_object_object_add(o, "created_at", text(c[M_CREATED]));
        json_object_object_add(o, "updated_at", text(c[M_UPDATED]));
        json_object_array_add(list, o);
    }
    if (quota->nrows == 1) {
        free_gb = devplat_atoi64(quota->rows[0][0]);
    }
    meta = json_object_new_object();
    json_object_object_add(meta, "free_mirror_space", json_object_new_int64(free_gb));
    /* devplat_gb_text() shows an overdrawn space as "0" */
    json_object_object_add(meta, "surplus_mirror_space",
                           json_object_new_string(devplat_gb_text(p, free_gb * BYTES_PER_GB - used)));
    return devplat_reply_ok_meta(req, list, meta);
}
