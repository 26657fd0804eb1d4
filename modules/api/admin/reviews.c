/* The review queues (back office): what users submitted for a person to
 * decide on, and the decision. Administrators only. A decision is made by
 * the account core (http/reviews.c), which devplat-admin shares. */
#include "admin.h"
#include "admin_sql.h"
#include "body.h"
#include "db.h"
#include "fields.h"
#include "reply.h"
#include "reviews.h"

#define MSG_NO_KIND     "审核类型不存在（real-name、educational-info、job-info、award-info、qualification）"
#define MSG_NO_REVIEW   "审核记录不存在"
#define MSG_BAD_ID      "审核记录id须为正整数"
#define MSG_STATUS_RULE "审核状态须为0（待审核）、1（已通过）或2（未通过）"
#define MSG_USER_RULE   "用户id须为正整数"
#define MSG_DECISION    "审核结果须为approve或reject"
#define MSG_OWN         "不能审核自己的提交"
#define MSG_STALE       "该提交已被审核或已被用户更新，请刷新后重试"

#define FAIL_DB(req) \
    devplat_reply_error((req), HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE)

static json_object *str(const char *s)
{
    return json_object_new_string(s ? s : "");
}

/* JSON text the module stored; a cell that does not parse as the type
 * (it never should) is logged and shown empty. */
static json_object *stored_json(devplat_req *req, const char *cell, json_type type)
{
    json_object *o = cell ? json_tokener_parse(cell) : NULL;

    if (!o || !json_object_is_type(o, type)) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r,
                      "mod_devplat: a review's stored JSON does not parse: %.80s",
                      cell ? cell : "(NULL)");
        json_object_put(o);
        return type == json_type_array ? json_object_new_array() : json_object_new_object();
    }
    return o;
}

/* A submission as the queue shows it, from a row of DPA_REVIEW_PAGE/GET:
 * the review's own fields, then what was submitted, by its names. */
static json_object *review_json(devplat_req *req, const char **row)
{
    json_object *o = json_object_new_object();
    json_object *fields = stored_json(req, row[DPA_RCOL_FIELDS], json_type_object);
    json_object *pictures = stored_json(req, row[DPA_RCOL_PICTURES], json_type_array);
    const char *kind = row[DPA_RCOL_KIND];

    json_object_object_add(o, "id", json_object_new_int64(devplat_atoi64(row[DPA_RCOL_ID])));
    json_object_object_add(o, "kind", str(kind));
    json_object_object_add(o, "user_id",
                           json_object_new_int64(devplat_atoi64(row[DPA_RCOL_USER_ID])));
    json_object_object_add(o, "nickname", str(row[DPA_RCOL_NICKNAME]));
    json_object_object_add(o, "status", str(devplat_review_status_text(
                                                (int)devplat_atoi64(row[DPA_RCOL_STATUS]))));
    json_object_object_add(o, "message", str(row[DPA_RCOL_MESSAGE]));
    json_object_object_add(o, "submitted_at", str(row[DPA_RCOL_SUBMITTED]));
    json_object_object_add(o, "reviewed_at", str(row[DPA_RCOL_REVIEWED]));
    json_object_object_add(o, "reviewer", str(row[DPA_RCOL_REVIEWER]));
    /* an award's pictures are its award_picture on the developer face */
    if (kind && !strcmp(kind, DEVPLAT_REVIEW_AWARD)) {
        json_object_object_add(o, "award_picture", json_object_get(pictures));
    }
    json_object_object_add(o, "pictures", pictures);
    json_object_object_foreach(fields, key, value) {
        if (!json_object_object_get_ex(o, key, NULL)) {
            json_object_object_add(o, key, json_object_get(value));
        }
    }
    json_object_put(fields);
    return o;
}

static int kind_known(const char *name)
{
    return devplat_review_kind_named(name) != NULL;
}

int devplat_admin_review_list(devplat_req *req)
{
    devplat_admin_paging pg;
    apr_int64_t status = DEVPLAT_REVIEW_PENDING, user_id = 0;
    devplat_rows *count, *rows;
    devplat_errors *e;
    json_object *list;
    const char *k, *s, *u, *one;
    int rc, i;

    if (DEVPLAT_DONE(rc = devplat_admin_require_admin(req))
        || DEVPLAT_DONE(rc = devplat_input_load(req))
        || DEVPLAT_DONE(rc = devplat_admin_paging_read(req, &pg))) {
        return rc;
    }
    e = devplat_errors_make(req->r);
    k = devplat_admin_query_text(req, e, "kind", kind_known, MSG_NO_KIND);
    if (!devplat_admin_query_int(req, "status", DEVPLAT_REVIEW_PENDING,
                                 DEVPLAT_REVIEW_REJECTED, &status)) {
        devplat_errors_add(e, "status", MSG_STATUS_RULE);
    }
    if (!devplat_admin_query_int(req, "user_id", 1, APR_INT64_MAX, &user_id)) {
        devplat_errors_add(e, "user_id", MSG_USER_RULE);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    k = k ? k : "";             /* every kind */
    s = apr_itoa(req->r->pool, (int)status);
    u = devplat_i64(req, user_id);
    one = user_id ? "1" : "";
    if (devplat_db_select(req, DPA_REVIEW_COUNT, &count, 5, s, k, k, u, one) != APR_SUCCESS
        || count->nrows != 1
        || devplat_db_select(req, DPA_REVIEW_PAGE, &rows, 7, s, k, k, u, one, pg.limit,
                             pg.offset) != APR_SUCCESS) {
        return FAIL_DB(req);
    }
    list = json_object_new_array();
    for (i = 0; i < rows->nrows; i++) {
        json_object_array_add(list, review_json(req, rows->rows[i]));
    }
    return devplat_reply_ok(req, devplat_admin_page_json(&pg,
                                                         devplat_atoi64(devplat_cell(count, 0, 0)),
                                                         list));
}

/* The route's kind and id: the kind, with *id, or NULL after the reply
 * (404 for an unknown kind, 422 for an id that is not a number). */
static const devplat_review_kind *route_target(devplat_req *req, apr_int64_t *id, int *rc)
{
    const devplat_review_kind *kind =
        devplat_review_kind_named(apr_table_get(req->params, "kind"));

    if (!kind) {
        *rc = devplat_reply_error(req, HTTP_NOT_FOUND, MSG_NO_KIND);
        return NULL;
    }
    if (!(*id = devplat_admin_param_id(req))) {
        *rc = devplat_reply_invalid1(req, "id", MSG_BAD_ID);
        return NULL;
    }
    return kind;
}

/* One submission with the user's account status and the decisions made
 * on the same record before it; NULL with *rc after the reply. */
static json_object *load_review(devplat_req *req, const devplat_review_kind *kind,
                                apr_int64_t id, int *rc)
{
    devplat_rows *rows, *earlier;
    json_object *o, *history;
    const char **row;
    int i;

    if (devplat_db_select(req, DPA_REVIEW_GET, &rows, 2, devplat_i64(req, id), kind->name)
        != APR_SUCCESS) {
        *rc = FAIL_DB(req);
        return NULL;
    }
    if (rows->nrows != 1) {
        *rc = devplat_reply_error(req, HTTP_NOT_FOUND, MSG_NO_REVIEW);
        return NULL;
    }
    row = rows->rows[0];
    if (devplat_db_select(req, DPA_REVIEW_HISTORY, &earlier, 3, kind->name,
                          row[DPA_RCOL_RECORD], row[DPA_RCOL_ID]) != APR_SUCCESS) {
        *rc = FAIL_DB(req);
        return NULL;
    }
    o = review_json(req, row);
    json_object_object_add(o, "account_status", str(devplat_admin_status_text(
                               (int)devplat_atoi64(row[DPA_RCOL_ACCOUNT_STATUS]))));
    history = json_object_new_array();
    for (i = 0; i < earlier->nrows; i++) {
        const char **h = earlier->rows[i];
        json_object *d = json_object_new_object();

        json_object_object_add(d, "id", json_object_new_int64(devplat_atoi64(h[DPA_HCOL_ID])));
        json_object_object_add(d, "status", str(devplat_review_status_text(
                                                   (int)devplat_atoi64(h[DPA_HCOL_STATUS]))));
        json_object_object_add(d, "message", str(h[DPA_HCOL_MESSAGE]));
        json_object_object_add(d, "submitted_at", str(h[DPA_HCOL_SUBMITTED]));
        json_object_object_add(d, "reviewed_at", str(h[DPA_HCOL_REVIEWED]));
        json_object_object_add(d, "reviewer", str(h[DPA_HCOL_REVIEWER]));
        json_object_array_add(history, d);
    }
    json_object_object_add(o, "history", history);
    return o;
}

int devplat_admin_review_get(devplat_req *req)
{
    const devplat_review_kind *kind;
    json_object *o;
    apr_int64_t id;
    int rc;

    if (DEVPLAT_DONE(rc = devplat_admin_require_admin(req))
        || !(kind = route_target(req, &id, &rc))
        || !(o = load_review(req, kind, id, &rc))) {
        return rc;
    }
    return devplat_reply_ok(req, o);
}

int devplat_admin_review_decide(devplat_req *req)
{
    const devplat_review_kind *kind;
    devplat_errors *e;
    const char *decision, *message;
    json_object *o;
    apr_int64_t id;
    int rc, approve = 0;

    if (DEVPLAT_DONE(rc = devplat_admin_require_admin(req))
        || !(kind = route_target(req, &id, &rc))
        || DEVPLAT_DONE(rc = devplat_input_load(req))) {
        return rc;
    }
    e = devplat_errors_make(req->r);
    decision = devplat_input_text(req, e, "decision", "审核结果", 16, 0);
    if (decision && !(approve = !strcmp(decision, "approve")) && strcmp(decision, "reject")) {
        devplat_errors_add(e, "decision", MSG_DECISION);
    }
    /* a rejection says why: the user reads it */
    message = approve || !decision
              ? devplat_input_text_optional(req, e, "message", "审核意见",
                                            DEVPLAT_REVIEW_MESSAGE_MAX)
              : devplat_input_text(req, e, "message", "审核意见", DEVPLAT_REVIEW_MESSAGE_MAX, 0);
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    switch (devplat_review_decide(req, kind, id, approve, message)) {
    case DEVPLAT_R_OK:
        break;
    case DEVPLAT_R_WRONG:
        return devplat_reply_error(req, HTTP_NOT_FOUND, MSG_NO_REVIEW);
    case DEVPLAT_R_OWN:
        return devplat_reply_error(req, HTTP_FORBIDDEN, MSG_OWN);
    case DEVPLAT_R_CONFLICT:
        return devplat_reply_error(req, HTTP_CONFLICT, MSG_STALE);
    default:
        return FAIL_DB(req);
    }
    if (!(o = load_review(req, kind, id, &rc))) {
        return rc;
    }
    return devplat_reply_ok(req, o);
}
