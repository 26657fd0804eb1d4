/* 认证: register by SMS code, login, me, logout, refresh. */
#include "developer.h"
#include "config.h"
#include "body.h"
#include "codes.h"
#include "db.h"
#include "audit.h"
#include "login_throttle.h"
#include "reply.h"
#include "session.h"
#include "statements.h"
#include "password.h"
#include "timefmt.h"
#include "validate.h"

#define PURPOSE_REGISTER   "register"
#define MSG_USERNAME_RULE  "用户名须为2-16位中文、字母、数字、下划线或减号"
#define MSG_PASSWORD_RULE  "密码须为6-32位字母、数字或符号（不含空格）"
#define MSG_MOBILE_RULE    "手机号格式不正确"
#define MSG_CODE_RULE      "验证码须为6位数字"
#define MSG_USERNAME_TAKEN "用户名已存在"
#define MSG_MOBILE_TAKEN   "手机号已被注册"
#define MSG_BAD_LOGIN      "用户名或密码错误"
#define MSG_FROZEN         "账号已被冻结"
#define REGISTER_CREDIT_MESSAGE "完成注册获取积分"

#define USER_STATUS_FROZEN  1
#define USER_STATUS_DELETED 5

/* Adds errors for a username and/or mobile that already belong to a user.
 * Returns -1 when the database failed, else the number of errors added. */
static int add_taken_errors(devplat_req *req, devplat_errors *e,
                            const char *username, const char *mobile)
{
    devplat_rows *rows;
    int n = 0;

    if (devplat_db_select(req, DP_USER_TAKEN, &rows, 2, username ? username : "",
                          mobile ? mobile : "") != APR_SUCCESS || rows->nrows != 1) {
        return -1;
    }
    if (username && devplat_atoi64(rows->rows[0][0]) > 0) {
        devplat_errors_add(e, "username", MSG_USERNAME_TAKEN);
        n++;
    }
    if (mobile && devplat_atoi64(rows->rows[0][1]) > 0) {
        devplat_errors_add(e, "mobile", MSG_MOBILE_TAKEN);
        n++;
    }
    return n;
}

int devplat_dev_register_sms(devplat_req *req)
{
    devplat_errors *e = devplat_errors_make(req->r);
    const char *mobile, *code = NULL;
    json_object *data = NULL;
    int rc;

    if (DEVPLAT_DONE(rc = devplat_input_load(req))) {
        return rc;
    }
    mobile = devplat_input_string(req, e, "mobile", "手机号");
    if (mobile && !devplat_is_mobile(mobile)) {
        devplat_errors_add(e, "mobile", MSG_MOBILE_RULE);
    }
    if (!devplat_errors_any(e) && add_taken_errors(req, e, NULL, mobile) < 0) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    if (DEVPLAT_DONE(rc = devplat_code_send(req, "sms", mobile, PURPOSE_REGISTER, &code))) {
        return rc;
    }
    if (req->sconf->expose_codes) {
        data = json_object_new_object();
        json_object_object_add(data, "verification_code", json_object_new_string(code));
    }
    return devplat_reply_ok(req, data);
}

int devplat_dev_register(devplat_req *req)
{
    request_rec *r = req->r;
    devplat_errors *e = devplat_errors_make(r);
    const char *username, *mobile, *password, *code, *hash, *now;
    devplat_code_result check;
    devplat_rows *rows = NULL;
    devplat_user u;
    apr_int64_t code_id = 0;
    int rc, taken;

    if (DEVPLAT_DONE(rc = devplat_input_load(req))) {
        return rc;
    }
    username = devplat_input_string(req, e, "username", "用户名");
    mobile = devplat_input_string(req, e, "mobile", "手机号");
    password = devplat_input_string(req, e, "password", "密码");
    code = devplat_input_string(req, e, "verification_code", "验证码");
    if (username && !devplat_is_name(username, 2, 16)) {
        devplat_errors_add(e, "username", MSG_USERNAME_RULE);
    }
    if (mobile && !devplat_is_mobile(mobile)) {
        devplat_errors_add(e, "mobile", MSG_MOBILE_RULE);
    }
    if (password && !devplat_is_visible_ascii(password, 6, 32)) {
        devplat_errors_add(e, "password", MSG_PASSWORD_RULE);
    }
    if (code && (strlen(code) != 6 || !devplat_is_digits(code, 6))) {
        devplat_errors_add(e, "verification_code", MSG_CODE_RULE);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    /* the common case gets a clear answer here; the unique indexes settle
     * races between concurrent registrations below */
    if ((taken = add_taken_errors(req, e, username, mobile)) < 0) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (taken) {
        return devplat_reply_invalid(req, e);
    }
    check = devplat_code_check(req, mobile, PURPOSE_REGISTER, code, &code_id);
    if (check == DEVPLAT_CODE_ERROR) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (check == DEVPLAT_CODE_WRONG) {
        return devplat_reply_invalid1(req, "verification_code", DEVPLAT_MSG_CODE_WRONG);
    }

    /* bcrypt is slow by design: never inside the transaction */
    hash = devplat_password_hash(r->pool, password, req->sconf->bcrypt_cost);
    if (!hash) {
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
    }
    now = devplat_time_pformat(r->pool, req->now);

    if (devplat_db_begin(req) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (devplat_db_select(req, DP_USER_INSERT, &rows, 5, username, mobile, hash,
                          now, now) == APR_SUCCESS && rows->nrows == 1) {
        u.id = devplat_atoi64(rows->rows[0][0]);
        if (devplat_db_exec(req, DP_CREDIT_INSERT, NULL, 6, devplat_i64(req, u.id),
                            apr_itoa(r->pool, req->sconf->register_credit), "1",
                            REGISTER_CREDIT_MESSAGE, now, now) == APR_SUCCESS
            && devplat_audit(req, u.id, "register", "developer") == APR_SUCCESS
            && !devplat_code_spend(req, code_id)) {
            devplat_db_rollback(req);
            devplat_db_end(req);
            return devplat_reply_invalid1(req, "verification_code", DEVPLAT_MSG_CODE_WRONG);
        }
    }
    else {
        devplat_db_rollback(req);
    }
    if (devplat_db_end(req) != APR_SUCCESS) {
        /* most likely a concurrent registration took the name or number */
        e = devplat_errors_make(r);
        taken = add_taken_errors(req, e, username, mobile);
        if (taken > 0) {
            return devplat_reply_invalid(req, e);
        }
        return devplat_reply_error(req, taken < 0 ? HTTP_SERVICE_UNAVAILABLE
                                                  : HTTP_INTERNAL_SERVER_ERROR,
                                   taken < 0 ? DEVPLAT_MSG_UNAVAILABLE : DEVPLAT_MSG_SERVER);
    }

    u.username = username;
    u.avatar = "";
    u.level = 1;
    u.status = 0;
    u.integral = req->sconf->register_credit;
    u.created_at = now;
    u.updated_at = now;
    return devplat_reply_ok(req, devplat_user_json(&u));
}

static json_object *token_and_user(const devplat_token *t, const devplat_user *u)
{
    json_object *data = json_object_new_object();

    json_object_object_add(data, "token_info", devplat_token_json(t));
    json_object_object_add(data, "user_info", devplat_user_json(u));
    return data;
}

int devplat_dev_login(devplat_req *req)
{
    request_rec *r = req->r;
    devplat_errors *e = devplat_errors_make(r);
    const char *account, *password, *hash = NULL;
    devplat_user *u = NULL;
    devplat_rows *rows;
    devplat_token tok;
    apr_int64_t wait;
    int rc;

    if (DEVPLAT_DONE(rc = devplat_input_load(req))) {
        return rc;
    }
    account = devplat_input_string(req, e, "username", "用户名");
    password = devplat_input_string(req, e, "password", "密码");
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    wait = devplat_login_throttle_wait(req, account);
    if (wait < 0) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (wait > 0) {
        return devplat_reply_throttled(req, wait, DEVPLAT_MSG_THROTTLED);
    }
    if (devplat_db_select(req, DP_USER_BY_LOGIN, &rows, 3, account, account, account)
        != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (rows->nrows == 1) {
        u = devplat_user_from_row(r, rows->rows[0], 0);
        hash = rows->rows[0][8];
        if (u->status == USER_STATUS_DELETED) {
            u = NULL;
            hash = NULL;
        }
    }
    /* an unknown account costs the same bcrypt verification as a known one */
    if (!devplat_password_verify(r->pool, password, hash, req->sconf->bcrypt_cost)) {
        devplat_login_throttle_fail(req, account);
        devplat_audit(req, u ? u->id : 0, "login_failed", account);
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, MSG_BAD_LOGIN);
    }
    if (u->status == USER_STATUS_FROZEN) {
        devplat_audit(req, u->id, "login_failed", "frozen");
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, MSG_FROZEN);
    }
    devplat_login_throttle_clear(req, account);
    if (devplat_session_issue(req, u->id, req->now, &tok) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    devplat_audit(req, u->id, "login", "developer");
    return devplat_reply_ok(req, token_and_user(&tok, u));
}

int devplat_dev_me(devplat_req *req)
{
    int rc;

    if (DEVPLAT_DONE(rc = devplat_session_require(req))) {
        return rc;
    }
    return devplat_reply_ok(req, devplat_user_json(req->user));
}

int devplat_dev_logout(devplat_req *req)
{
    int rc;

    if (DEVPLAT_DONE(rc = devplat_session_require(req))) {
        return rc;
    }
    if (devplat_session_revoke(req) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    devplat_audit(req, req->user->id, "logout", "developer");
    return devplat_reply_ok(req, NULL);
}

int devplat_dev_refresh(devplat_req *req)
{
    devplat_token tok;
    int rc;

    if (DEVPLAT_DONE(rc = devplat_session_refresh(req, &tok))) {
        return rc;
    }
    devplat_audit(req, req->user->id, "refresh", "developer");
    return devplat_reply_ok(req, token_and_user(&tok, req->user));
}
