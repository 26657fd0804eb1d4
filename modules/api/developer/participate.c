/* 个人中心-参与项目: the projects the user takes part in, each with the
 * instance the user runs for it. The database creates the instance
 * ('creating', no resources) in the statement that inserts the
 * participation (migration 051), so every participation has one and 000's
 * object is never null. */
#include "developer.h"
#include "project.h"
#include "db.h"
#include "reply.h"
#include "session.h"
#include "statements.h"
#include "units.h"

#define DP_PARTICIPATE_LIST "devplat_participate_list"

const devplat_statement devplat_sql_participate[] = {
    {DP_PARTICIPATE_LIST,
     "SELECT " DEVPLAT_PROJECT_COLUMNS ", i.id, i.name, i.gpu, i.cpu, i.ram, i.minutes, "
     "i.consumption_points, i.status, i.created_at "
     "FROM project_participations pp JOIN projects p ON p.id = pp.project_id "
     "JOIN project_instances i ON i.participation_id = pp.id "
     "WHERE pp.user_id = %lld ORDER BY pp.created_at DESC, pp.id DESC"},
    {NULL, NULL}
};

/* instance columns after the project's */
enum { I_ID = DEVPLAT_PROJECT_NCOLS, I_NAME, I_GPU, I_CPU, I_RAM, I_MINUTES, I_POINTS,
       I_STATUS, I_CREATED };

static json_object *integer(const char *cell)
{
    return json_object_new_int64(devplat_atoi64(cell));
}

static json_object *instance_json(apr_pool_t *p, const char **c)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "id", integer(c[I_ID]));
    json_object_object_add(o, "name", json_object_new_string(c[I_NAME] ? c[I_NAME] : ""));
    json_object_object_add(o, "gpu", integer(c[I_GPU]));
    json_object_object_add(o, "cpu", integer(c[I_CPU]));
    json_object_object_add(o, "ram", integer(c[I_RAM]));
    json_object_object_add(o, "time_consuming",
                           json_object_new_string(devplat_minutes_text(p, devplat_atoi64(c[I_MINUTES]))));
    json_object_object_add(o, "consumption_points", integer(c[I_POINTS]));
    json_object_object_add(o, "status", json_object_new_string(c[I_STATUS] ? c[I_STATUS] : ""));
    json_object_object_add(o, "created_at", json_object_new_string(c[I_CREATED] ? c[I_CREATED] : ""));
    return o;
}

int devplat_dev_participate_project(devplat_req *req)
{
    devplat_rows *rows;
    json_object *list;
    int rc, i;

    if (DEVPLAT_DONE(rc = devplat_session_require(req))) {
        return rc;
    }
    if (devplat_db_select(req, DP_PARTICIPATE_LIST, &rows, 1,
                          devplat_i64(req, req->user->id)) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    list = json_object_new_array();
    for (i = 0; i < rows->nrows; i++) {
        json_object *o = devplat_project_json(rows->rows[i], 0);

        json_object_object_add(o, "instance", instance_json(req->r->pool, rows->rows[i]));
        json_object_array_add(list, o);
    }
    return devplat_reply_ok(req, list);
}
