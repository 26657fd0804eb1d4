/* 认证: register by SMS code, login, me, logout, refresh. */
#include "developer.h"
#include "accounts.h"
#include "config.h"
#include "body.h"
#include "codes.h"
#include "db.h"
#include "audit.h"
#include "login_throttle.h"
#include "rate_limit.h"
#include "reply.h"
#include "session.h"
#include "timefmt.h"
#include "validate.h"

#define MSG_USERNAME_RULE  "用户名须为2-16位中文、字母、数字、下划线或减号"
#define MSG_USERNAME_MOBILE "用户名不能是手机号"
#define MSG_PASSWORD_RULE  "密码须为6-32位字母、数字或符号（不含空格）"
#define MSG_MOBILE_RULE    "手机号格式不正确"
#define MSG_CODE_RULE      "验证码须为6位数字"
#define MSG_USERNAME_TAKEN "用户名已存在"
#define MSG_MOBILE_TAKEN   "手机号已被注册"
#define MSG_BAD_LOGIN      "用户名或密码错误"
#define MSG_FROZEN         "账号已被冻结"

/* Adds errors for a username and/or mobile that already belong to a user.
 * Returns -1 when the database failed, else the number of errors added. */
static void add_taken(devplat_errors *e, const devplat_taken *t)
{
    if (t->username) {
        devplat_errors_add(e, "username", MSG_USERNAME_TAKEN);
    }
    if (t->mobile) {
        devplat_errors_add(e, "mobile", MSG_MOBILE_TAKEN);
    }
}

static int add_taken_errors(devplat_req *req, devplat_errors *e,
                            const char *username, const char *mobile)
{
    devplat_taken t;
    int n = devplat_account_taken(req, username, mobile, NULL, 0, &t);

    if (n > 0) {
        add_taken(e, &t);
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
    /* the answer tells whether the number is registered */
    if (!devplat_errors_any(e)
        && DEVPLAT_DONE(rc = devplat_rate_limit(req, DEVPLAT_LIMIT_NONE,
                                                DEVPLAT_LIMIT_EXISTENCE_ADDRESS))) {
        return rc;
    }
    if (!devplat_errors_any(e) && add_taken_errors(req, e, NULL, mobile) < 0) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    if (DEVPLAT_DONE(rc = devplat_code_send(req, "sms", mobile, DEVPLAT_PURPOSE_REGISTER, 0,
                                            &code))) {
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
    const char *username, *mobile, *password, *code;
    devplat_account_new n;
    devplat_code_result check;
    devplat_result res;
    devplat_taken t;
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
    else if (username && !devplat_is_username(username)) {
        devplat_errors_add(e, "username", MSG_USERNAME_MOBILE);
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
     * races between concurrent registrations below. The answer tells
     * whether the name or number is registered, before any code is tried */
    if (DEVPLAT_DONE(rc = devplat_rate_limit(req, DEVPLAT_LIMIT_NONE,
                                             DEVPLAT_LIMIT_EXISTENCE_ADDRESS))) {
        return rc;
    }
    if ((taken = add_taken_errors(req, e, username, mobile)) < 0) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (taken) {
        return devplat_reply_invalid(req, e);
    }
    check = devplat_code_check(req, mobile, DEVPLAT_PURPOSE_REGISTER, 0, code, &code_id);
    if (check == DEVPLAT_CODE_ERROR) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (check == DEVPLAT_CODE_WRONG) {
        return devplat_reply_invalid1(req, "verification_code", DEVPLAT_MSG_CODE_WRONG);
    }

    memset(&n, 0, sizeof(n));
    n.username = username;
    n.mobile = mobile;              /* proven by the code */
    n.status = DEVPLAT_STATUS_NORMAL;
    n.proof_code = code_id;
    /* bcrypt is slow by design: never inside the transaction */
    if (!(n.password_hash = devplat_account_hash(req, password))) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    res = devplat_account_create(req, &n, NULL, NULL, &u.id, &t);
    if (res == DEVPLAT_R_CODE) {
        return devplat_reply_invalid1(req, "verification_code", DEVPLAT_MSG_CODE_WRONG);
    }
    if (res == DEVPLAT_R_TAKEN) {
        add_taken(e, &t);
        return devplat_reply_invalid(req, e);
    }
    if (res != DEVPLAT_R_OK) {
        return devplat_reply_error(req, res == DEVPLAT_R_UNAVAILABLE
                                        ? HTTP_SERVICE_UNAVAILABLE
                                        : HTTP_INTERNAL_SERVER_ERROR,
                                   res == DEVPLAT_R_UNAVAILABLE
                                   ? DEVPLAT_MSG_UNAVAILABLE : DEVPLAT_MSG_SERVER);
    }
    u.username = username;
    u.avatar = "";
    u.level = 1;
    u.status = DEVPLAT_STATUS_NORMAL;
    u.integral = req->sconf->register_credit;
    u.created_at = u.updated_at = devplat_time_pformat(r->pool, req->now);
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
    devplat_errors *e = devplat_errors_make(req->r);
    const char *identifier, *password;
    devplat_account *a = NULL;
    apr_int64_t wait = 0;
    devplat_token tok;
    int rc;

    if (DEVPLAT_DONE(rc = devplat_input_load(req))) {
        return rc;
    }
    identifier = devplat_input_string(req, e, "username", "用户名");
    password = devplat_input_string(req, e, "password", "密码");
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    switch (devplat_account_login(req, identifier, password, &a, &tok, &wait)) {
    case DEVPLAT_R_OK:
        return devplat_reply_ok(req, token_and_user(&tok, &a->user));
    case DEVPLAT_R_LOCKED:
        return devplat_reply_throttled(req, wait, DEVPLAT_MSG_THROTTLED);
    case DEVPLAT_R_WRONG:
        return devplat_reply_as_documented(req, HTTP_INTERNAL_SERVER_ERROR, MSG_BAD_LOGIN);
    case DEVPLAT_R_FROZEN:
        return devplat_reply_as_documented(req, HTTP_INTERNAL_SERVER_ERROR, MSG_FROZEN);
    default:
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
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
