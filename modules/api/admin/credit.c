/* GET user/{id}/credit: a user's credit records, newest first, paged as
 * every admin list, with the maintained totals.
 *
 * POST user/{id}/credit: an administrator's signed credit change with its
 * reason. The account core writes it (devplat_account_credit_change): the
 * record, the audit row naming the administrator, and no kind's balance
 * below 0 however many run at once. The developer face's integral_record
 * and totals and the mobile face's integral read the same records. */
#include "admin.h"
#include "admin_sql.h"
#include "db.h"
#include "accounts.h"
#include "body.h"
#include "fields.h"
#include "utf8.h"
#include "validate.h"

#define CHANGE_MAX        1000000     /* credits of one change, either way */
#define CHANGE_DIGITS     7
#define MESSAGE_MAX       100

#define LABEL_MESSAGE     "变动原因（message）"
#define LABEL_DEDICATED   "积分类型（dedicated）"
#define MSG_OWN           "不能调整自己的积分"
#define MSG_CHANGE_EMPTY  "积分变动（change）不能为空"
#define MSG_CHANGE_TYPE   "积分变动（change）须为整数"
#define MSG_CHANGE_RULE   "积分变动（change）须为-1000000至1000000之间的非零整数"
#define MSG_MESSAGE_CTRL  LABEL_MESSAGE "不能包含控制字符"
#define MSG_BALANCE       "积分变动（change）超过%s余额（当前%" APR_INT64_T_FMT "）"

/* A non-zero whole number of at most CHANGE_MAX either way, from a JSON
 * integer or its decimal text (as a form sends it); 0 with the error. */
static apr_int64_t read_change(devplat_req *req, devplat_errors *e)
{
    const char *s = NULL, *digits;
    apr_int64_t n;

    switch (devplat_input_field(req, "change", 1, &s)) {
    case DEVPLAT_FIELD_TEXT:
        break;
    case DEVPLAT_FIELD_ABSENT:
    case DEVPLAT_FIELD_EMPTY:
        devplat_errors_missing(e, "change", MSG_CHANGE_EMPTY);
        return 0;
    case DEVPLAT_FIELD_NOT_TEXT:
        devplat_errors_add(e, "change", MSG_CHANGE_TYPE);
        return 0;
    default:
        devplat_errors_add(e, "change", MSG_CHANGE_RULE);
        return 0;
    }
    /* a minus sign and digits only: no "+", spaces or anything apr_atoi64
     * would skip */
    digits = *s == '-' ? s + 1 : s;
    n = devplat_is_digits(digits, CHANGE_DIGITS) ? apr_atoi64(s) : 0;
    if (n == 0 || n > CHANGE_MAX || n < -CHANGE_MAX) {
        devplat_errors_add(e, "change", MSG_CHANGE_RULE);
        return 0;
    }
    return n;
}

/* devplat_input_text() refuses C0 controls and DEL; a reason holds no C1
 * control either: it passes the core's control filter unchanged (a
 * replacement is 3 bytes where a C1 control is 2: room for all of them). */
static int has_controls(apr_pool_t *p, const char *s)
{
    return strcmp(devplat_utf8_sanitize(p, s, 3 * strlen(s) + 1, DEVPLAT_UTF8_NO_CONTROLS),
                  s) != 0;
}

/* A record as integral_record shows one: the amount and its direction. */
static json_object *record_object(apr_int64_t id, apr_int64_t amount, int positive,
                                  int dedicated, const char *message, const char *created)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "id", json_object_new_int64(id));
    json_object_object_add(o, "change", json_object_new_int64(amount));
    json_object_object_add(o, "is_positive_growth", json_object_new_int(positive));
    json_object_object_add(o, "message", json_object_new_string(message ? message : ""));
    json_object_object_add(o, "dedicated", json_object_new_int(dedicated));
    json_object_object_add(o, "created_at", json_object_new_string(created ? created : ""));
    return o;
}

static json_object *record_json(const devplat_credit_change *c, apr_int64_t change,
                                int dedicated, const char *message)
{
    return record_object(c->record_id, change < 0 ? -change : change, change > 0,
                         dedicated, message, c->created_at);
}

/* The totals beside the records: integral and its two kinds. */
static void add_totals(json_object *data, apr_int64_t general, apr_int64_t dedicated)
{
    json_object_object_add(data, "integral", json_object_new_int64(general + dedicated));
    json_object_object_add(data, "general_integral", json_object_new_int64(general));
    json_object_object_add(data, "dedicated_integral", json_object_new_int64(dedicated));
}

static int answer(devplat_req *req, const devplat_credit_change *c, apr_int64_t change,
                  int dedicated, const char *message)
{
    json_object *data = json_object_new_object();

    json_object_object_add(data, "record", record_json(c, change, dedicated, message));
    add_totals(data, c->general, c->dedicated);
    return devplat_reply_ok(req, data);
}

int devplat_admin_user_credit(devplat_req *req)
{
    devplat_errors *e = devplat_errors_make(req->r);
    devplat_credit_change c;
    const char *message;
    apr_int64_t id, change;
    int rc, dedicated = 0;

    if (DEVPLAT_DONE(rc = devplat_admin_require_admin(req))
        || DEVPLAT_DONE(rc = devplat_input_load(req))) {
        return rc;
    }
    if (!(id = devplat_admin_param_id(req))) {
        return devplat_reply_invalid1(req, "id", DEVPLAT_ADMIN_MSG_BAD_ID);
    }
    /* credits are worth something: another administrator changes one's own */
    if (id == req->user->id) {
        return devplat_reply_error(req, HTTP_FORBIDDEN, MSG_OWN);
    }
    change = read_change(req, e);
    message = devplat_input_text(req, e, "message", LABEL_MESSAGE, MESSAGE_MAX, 0);
    if (message && has_controls(req->r->pool, message)) {
        devplat_errors_add(e, "message", MSG_MESSAGE_CTRL);
    }
    /* absent or null: 通用积分 */
    if (devplat_input_has(req, "dedicated")) {
        dedicated = devplat_input_flag(req, e, "dedicated", LABEL_DEDICATED);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    switch (devplat_account_credit_change(req, id, change, dedicated, message, &c)) {
    case DEVPLAT_R_OK:
        return answer(req, &c, change, dedicated, message);
    case DEVPLAT_R_WRONG:
        return devplat_reply_error(req, HTTP_NOT_FOUND, DEVPLAT_ADMIN_MSG_NO_USER);
    case DEVPLAT_R_CONFLICT:
        return devplat_reply_invalid1(req, "change", apr_psprintf(
                   req->r->pool, MSG_BALANCE, dedicated ? "专用积分" : "通用积分",
                   dedicated ? c.dedicated : c.general));
    default:
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
}

int devplat_admin_user_credit_list(devplat_req *req)
{
    devplat_admin_paging pg;
    devplat_rows *totals, *count, *rows;
    json_object *list, *data;
    const char *id;
    int rc, i;

    if (DEVPLAT_DONE(rc = devplat_admin_require_admin(req))
        || DEVPLAT_DONE(rc = devplat_input_load(req))
        || DEVPLAT_DONE(rc = devplat_admin_paging_read(req, &pg))) {
        return rc;
    }
    if (!devplat_admin_param_id(req)) {
        return devplat_reply_invalid1(req, "id", DEVPLAT_ADMIN_MSG_BAD_ID);
    }
    id = devplat_i64(req, devplat_admin_param_id(req));
    if (devplat_db_select(req, DPA_CREDIT_TOTALS, &totals, 1, id) != APR_SUCCESS
        || (totals->nrows == 1
            && (devplat_db_select(req, DPA_CREDIT_COUNT, &count, 1, id) != APR_SUCCESS
                || count->nrows != 1
                || devplat_db_select(req, DPA_CREDIT_PAGE, &rows, 3, id, pg.limit,
                                     pg.offset) != APR_SUCCESS))) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (totals->nrows != 1) {
        return devplat_reply_error(req, HTTP_NOT_FOUND, DEVPLAT_ADMIN_MSG_NO_USER);
    }
    list = json_object_new_array();
    for (i = 0; i < rows->nrows; i++) {
        const char **c = rows->rows[i];

        json_object_array_add(list, record_object(
            devplat_atoi64(c[DPA_CCOL_ID]), devplat_atoi64(c[DPA_CCOL_AMOUNT]),
            devplat_atoi64(c[DPA_CCOL_POSITIVE]) == 1, devplat_atoi64(c[DPA_CCOL_DEDICATED]) == 1,
            c[DPA_CCOL_MESSAGE], c[DPA_CCOL_CREATED]));
    }
    data = devplat_admin_page_json(&pg, devplat_atoi64(devplat_cell(count, 0, 0)), list);
    add_totals(data, devplat_atoi64(devplat_cell(totals, 0, DPA_TCOL_GENERAL)),
               devplat_atoi64(devplat_cell(totals, 0, DPA_TCOL_DEDICATED)));
    return devplat_reply_ok(req, data);
}
