/* What the admin face's endpoint files share: the profile fields and their
 * rules (001), who is asking, and the user as this face shows it. */
#include "admin.h"
#include "admin_sql.h"
#include "accounts.h"
#include "body.h"
#include "db.h"
#include "session.h"
#include "validate.h"

#define MSG_NICKNAME_RULE "用户名须为2-16位汉字、字母、数字、下划线或破折号"
#define MSG_NICKNAME_MOBILE "用户名不能是手机号"
#define MSG_NAME_RULE     "姓名须为2-16位汉字、字母、数字、下划线或破折号"
#define MSG_PHONE_RULE    "手机号须为11位大陆手机号码"
#define MSG_PHONE_VIRTUAL "手机号不能是虚拟运营商号段（170、171、162、165、167）"
#define MSG_POSITION_RULE "职务须为2-20位字母、数字、下划线或破折号"
#define MSG_EMAIL_RULE    "邮箱格式不正确"
#define MSG_EMAIL_LONG    "邮箱不能超过254个字符"
#define MSG_PHONE_TAKEN    "手机号已被使用"
#define MSG_EMAIL_TAKEN    "邮箱已被使用"
#define EMAIL_MAX 254

/* One input field as text. Absent: NULL, *present 0 (an error when
 * required). Present but null, empty, of another JSON type (a JSON integer
 * is text when allow_int) or holding a NUL: an error and NULL. */
static const char *field(devplat_req *req, devplat_errors *e, const char *key,
                         const char *label, int required, int allow_int, int *present)
{
    apr_pool_t *p = req->r->pool;
    json_object *v;
    const char *s;

    *present = req->input && json_object_object_get_ex(req->input, key, &v);
    switch (devplat_input_field(req, key, allow_int, &s)) {
    case DEVPLAT_FIELD_TEXT:
        return s;
    case DEVPLAT_FIELD_NOT_TEXT:
        devplat_errors_add(e, key, apr_pstrcat(p, label, allow_int ? "必须是字符串或整数"
                                                                   : "必须是字符串", NULL));
        return NULL;
    case DEVPLAT_FIELD_NUL:
        devplat_errors_add(e, key, apr_pstrcat(p, label, "格式不正确", NULL));
        return NULL;
    default:
        if (*present || required) {
            devplat_errors_missing(e, key, apr_pstrcat(p, label, "不能为空", NULL));
        }
        return NULL;
    }
}

/* A field that passed field() but breaks its rule becomes NULL. */
static const char *rule(devplat_errors *e, const char *key, const char *v, int ok,
                        const char *message)
{
    if (v && !ok) {
        devplat_errors_add(e, key, message);
        return NULL;
    }
    return v;
}

void devplat_admin_read_profile(devplat_req *req, devplat_errors *e, int required,
                                devplat_admin_profile *out, int *given)
{
    int present, n = 0;
    const char *v;

    v = field(req, e, "nickname", "用户名", required, 0, &present);
    n += present;
    v = rule(e, "nickname", v, devplat_is_name(v, 2, 16), MSG_NICKNAME_RULE);
    out->nickname = rule(e, "nickname", v, devplat_is_username(v), MSG_NICKNAME_MOBILE);

    v = field(req, e, "name", "姓名", required, 0, &present);
    n += present;
    out->name = rule(e, "name", v, devplat_is_name(v, 2, 16), MSG_NAME_RULE);

    v = field(req, e, "phone", "手机号", required, 1, &present);
    n += present;
    v = rule(e, "phone", v, devplat_is_mobile(v), MSG_PHONE_RULE);
    out->phone = rule(e, "phone", v, !devplat_is_virtual_mobile(v), MSG_PHONE_VIRTUAL);

    v = field(req, e, "position", "职务", required, 0, &present);
    n += present;
    out->position = rule(e, "position", v, devplat_is_word(v, 2, 20), MSG_POSITION_RULE);

    v = field(req, e, "email", "邮箱", required, 0, &present);
    n += present;
    v = rule(e, "email", v, v && strlen(v) <= EMAIL_MAX, MSG_EMAIL_LONG);
    out->email = rule(e, "email", v, devplat_is_email(v), MSG_EMAIL_RULE);

    if (given) {
        *given = n;
    }
}

int devplat_admin_taken(devplat_req *req, devplat_errors *e,
                        const devplat_admin_profile *p, apr_int64_t self_id)
{
    devplat_taken t;
    /* only proven contacts block: an unverified copy does not */
    int n = devplat_account_taken(req, p->nickname, p->phone, p->email, self_id, &t);

    if (n <= 0) {
        return n;
    }
    if (t.username) {
        devplat_errors_add(e, "nickname", DEVPLAT_ADMIN_MSG_NICKNAME_TAKEN);
    }
    if (t.mobile) {
        devplat_errors_add(e, "phone", MSG_PHONE_TAKEN);
    }
    if (t.email) {
        devplat_errors_add(e, "email", MSG_EMAIL_TAKEN);
    }
    return n;
}

int devplat_admin_actor(devplat_req *req, int *is_admin)
{
    devplat_rows *rows;
    int rc;

    if (DEVPLAT_DONE(rc = devplat_session_require(req))) {
        return rc;
    }
    if (devplat_db_select(req, DPA_ACTOR, &rows, 1, devplat_i64(req, req->user->id))
        != APR_SUCCESS || rows->nrows != 1) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    *is_admin = devplat_atoi64(devplat_cell(rows, 0, 0)) != 0;
    return DEVPLAT_CONTINUE;
}

int devplat_admin_require_admin(devplat_req *req)
{
    int rc, is_admin;

    if (DEVPLAT_DONE(rc = devplat_admin_actor(req, &is_admin))) {
        return rc;
    }
    if (!is_admin) {
        return devplat_reply_error(req, HTTP_FORBIDDEN, DEVPLAT_ADMIN_MSG_FORBIDDEN);
    }
    return DEVPLAT_CONTINUE;
}

apr_int64_t devplat_admin_param_id(devplat_req *req)
{
    const char *s = req->params ? apr_table_get(req->params, "id") : NULL;
    apr_size_t n;

    /* digits only: no sign, no spaces, nothing apr_atoi64 would skip */
    if (!s || !devplat_is_digits(s, 18)) {
        return 0;
    }
    for (n = 0; s[n] == '0'; n++) {
    }
    return s[n] ? apr_atoi64(s) : 0;
}

int devplat_admin_status_code(int status)
{
    switch (status) {
    case DEVPLAT_STATUS_NORMAL:
        return 1;
    case DEVPLAT_STATUS_NOT_REVIEWED:
        return 0;
    case DEVPLAT_STATUS_FROZEN:
        return 2;
    default:
        return status;      /* 3 rejected, 4 under review, 5 deleted */
    }
}

const char *devplat_admin_status_text(int status)
{
    switch (status) {
    case DEVPLAT_STATUS_NORMAL:
        return "已审核";
    case DEVPLAT_STATUS_NOT_REVIEWED:
        return "未审核";
    case DEVPLAT_STATUS_FROZEN:
        return "已冻结";
    case DEVPLAT_STATUS_REJECTED:
        return "审核未通过";
    case DEVPLAT_STATUS_UNDER_REVIEW:
        return "审核中";
    default:
        return "已删除";
    }
}

static json_object *text(const char *s)
{
    return json_object_new_string(s ? s : "");
}

json_object *devplat_admin_user_json(devplat_req *req, const char **row)
{
    json_object *o = json_object_new_object();
    int status = (int)devplat_atoi64(row[DPA_COL_STATUS]);

    json_object_object_add(o, "id", json_object_new_int64(devplat_atoi64(row[DPA_COL_ID])));
    json_object_object_add(o, "nickname", text(row[DPA_COL_USERNAME]));
    json_object_object_add(o, "name", text(row[DPA_COL_NAME]));
    json_object_object_add(o, "phone", text(row[DPA_COL_MOBILE]));
    json_object_object_add(o, "email", text(row[DPA_COL_EMAIL]));
    json_object_object_add(o, "position", text(row[DPA_COL_POSITION]));
    json_object_object_add(o, "avatar", text(row[DPA_COL_AVATAR]));
    json_object_object_add(o, "account_status",
                           json_object_new_string(devplat_admin_status_text(status)));
    json_object_object_add(o, "user_level", json_object_new_int(
                               DEVPLAT_ADMIN_LEVEL(devplat_atoi64(row[DPA_COL_IS_ADMIN]))));
    json_object_object_add(o, "create_time", text(row[DPA_COL_CREATED]));
    json_object_object_add(o, "update_time", text(row[DPA_COL_UPDATED]));
    return o;
}
