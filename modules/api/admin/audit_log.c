/* GET audit/list: the audit log for administrators, newest first,
 * paginated as list/user, filtered by the user a row concerns, its action
 * and a time range. Who acted is audit_log.actor_id (056_audit_actor.sql):
 * NULL is the operator's devplat-admin, 0 nobody signed in. */
#include "admin.h"
#include "audit_sql.h"
#include "audit.h"
#include "body.h"
#include "db.h"
#include "timefmt.h"

#define ACTOR_TOOL      "devplat-admin"
#define TIME_FIRST      ""                      /* below every created_at */
#define TIME_LAST       "9999-12-31 23:59:59"
#define USER_ID_MAX     APR_INT64_C(999999999999999999)   /* 18 digits */

#define MSG_USER_RULE   "用户（user_id）须为正整数"
#define MSG_ACTION_RULE "操作（action）不是已知的操作类型"
#define MSG_FROM_RULE   "开始时间（from）须为YYYY-MM-DD HH:MM:SS格式的有效时间"
#define MSG_TO_RULE     "结束时间（to）须为YYYY-MM-DD HH:MM:SS格式的有效时间"
#define MSG_RANGE_RULE  "开始时间（from）不能晚于结束时间（to）"

/* What one request asks for: the statements' variant and its arguments
 * (audit_sql.h gives their order), a page adding limit and offset. */
typedef struct {
    int by;
    int nargs;
    const char *args[6];
} audit_query;

/* Reads the filters into q; the 422 reply naming every bad one, else
 * DEVPLAT_CONTINUE. */
static int read_filters(devplat_req *req, audit_query *q)
{
    devplat_errors *e = devplat_errors_make(req->r);
    const char *action, *from, *to;
    apr_int64_t user_id = 0;

    memset(q, 0, sizeof(*q));
    if (!devplat_admin_query_int(req, "user_id", 1, USER_ID_MAX, &user_id)) {
        devplat_errors_add(e, "user_id", MSG_USER_RULE);
    }
    action = devplat_admin_query_text(req, e, "action", devplat_audit_action_known,
                                      MSG_ACTION_RULE);
    from = devplat_admin_query_text(req, e, "from", devplat_time_text_valid, MSG_FROM_RULE);
    to = devplat_admin_query_text(req, e, "to", devplat_time_text_valid, MSG_TO_RULE);
    if (from && to && strcmp(from, to) > 0) {
        devplat_errors_add(e, "from", MSG_RANGE_RULE);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    if (user_id) {
        q->by |= DPA_AUDIT_BY_USER;
        q->args[q->nargs++] = devplat_i64(req, user_id);
    }
    if (action) {
        q->by |= DPA_AUDIT_BY_ACTION;
        q->args[q->nargs++] = action;
    }
    q->args[q->nargs++] = from ? from : TIME_FIRST;
    q->args[q->nargs++] = to ? to : TIME_LAST;
    return DEVPLAT_CONTINUE;
}

static apr_status_t run(devplat_req *req, const char *label, const audit_query *q,
                        int nargs, devplat_rows **out)
{
    /* nargs of the six are read: the filters' in order, then the page's */
    return devplat_db_select(req, label, out, nargs, q->args[0], q->args[1], q->args[2],
                             q->args[3], q->args[4], q->args[5]);
}

static json_object *text(const char *s)
{
    return json_object_new_string(s ? s : "");
}

/* One row as the list shows it: every value typed, none null. */
static json_object *item_json(const char **row)
{
    json_object *o = json_object_new_object();
    int tool = row[DPA_ACOL_ACTOR_ID] == NULL;

    json_object_object_add(o, "id", json_object_new_int64(devplat_atoi64(row[DPA_ACOL_ID])));
    json_object_object_add(o, "user_id",
                           json_object_new_int64(devplat_atoi64(row[DPA_ACOL_USER_ID])));
    json_object_object_add(o, "action", text(row[DPA_ACOL_ACTION]));
    json_object_object_add(o, "detail", text(row[DPA_ACOL_DETAIL]));
    json_object_object_add(o, "actor_id",
                           json_object_new_int64(devplat_atoi64(row[DPA_ACOL_ACTOR_ID])));
    json_object_object_add(o, "actor", text(tool ? ACTOR_TOOL : row[DPA_ACOL_ACTOR]));
    json_object_object_add(o, "ip", text(row[DPA_ACOL_IP]));
    json_object_object_add(o, "user_agent", text(row[DPA_ACOL_USER_AGENT]));
    json_object_object_add(o, "created_at", text(row[DPA_ACOL_CREATED]));
    return o;
}

int devplat_admin_audit_list(devplat_req *req)
{
    devplat_admin_paging pg;
    audit_query q;
    devplat_rows *count, *rows;
    json_object *list;
    int rc, i;

    if (DEVPLAT_DONE(rc = devplat_admin_require_admin(req))
        || DEVPLAT_DONE(rc = devplat_input_load(req))
        || DEVPLAT_DONE(rc = devplat_admin_paging_read(req, &pg))
        || DEVPLAT_DONE(rc = read_filters(req, &q))) {
        return rc;
    }
    q.args[q.nargs] = pg.limit;
    q.args[q.nargs + 1] = pg.offset;
    if (run(req, devplat_admin_audit_count[q.by], &q, q.nargs, &count) != APR_SUCCESS
        || count->nrows != 1
        || run(req, devplat_admin_audit_page[q.by], &q, q.nargs + 2, &rows) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    list = json_object_new_array();
    for (i = 0; i < rows->nrows; i++) {
        json_object_array_add(list, item_json(rows->rows[i]));
    }
    return devplat_reply_ok(req, devplat_admin_page_json(&pg,
                                                         devplat_atoi64(devplat_cell(count, 0, 0)),
                                                         list));
}
