/* 用户注册, 用户登录, 找回密码, 退出登录, and the code request they need. */
#include "mobile.h"
#include "audit.h"
#include "codes.h"
#include "config.h"
#include "db.h"
#include "login_throttle.h"
#include "reply.h"
#include "session.h"
#include "statements.h"
#include "password.h"
#include "random.h"
#include "timefmt.h"
#include "validate.h"

#define MSG_CODE_SENT      "发送成功"
#define MSG_REGISTERED     "注册成功"
#define MSG_LOGGED_IN      "登录成功"
#define MSG_PASSWORD_SET   "密码设置成功"
#define MSG_LOGGED_OUT     "退出成功"
#define MSG_FROZEN         "账号已被冻结"
#define MSG_PHONE_RULE     "手机号格式不正确"
#define MSG_PASSWORD_RULE  "密码长度不可小于6位,大于16位(字母、数字或符号,不含空格)"
#define MSG_TYPE_RULE      "type须为register或retrieve"
#define REGISTER_CREDIT_MESSAGE "完成注册获取积分"

/* Field lengths beyond any valid value are refused before any rule runs. */
#define MAX_PHONE     32
#define MAX_PASSWORD  128
#define MAX_CODE      32
#define MAX_DEVICE_ID 128
#define MAX_UUID      64

/* Columns of DP_MOBILE_USER_BY_PHONE. */
enum { PHONE_ID, PHONE_PASSWORD, PHONE_STATUS, PHONE_VERIFIED };

static const devplat_mobile_rules send_code_rules = {
    DEVPLAT_MOBILE_MISSING, MOBILE_MSG_MISSING, 0,
    DEVPLAT_MOBILE_BAD_INPUT, MOBILE_MSG_BAD_INPUT
};
static const devplat_mobile_rules register_rules = {
    DEVPLAT_MOBILE_BAD_INPUT, MOBILE_MSG_BAD_INPUT, 0,
    DEVPLAT_MOBILE_BAD_INPUT, MOBILE_MSG_BAD_INPUT
};
static const devplat_mobile_rules login_rules = {
    DEVPLAT_MOBILE_BAD_INPUT, MOBILE_MSG_BAD_LOGIN_FMT, 0,
    DEVPLAT_MOBILE_BAD_INPUT, MOBILE_MSG_BAD_LOGIN_FMT
};
static const devplat_mobile_rules retrieve_rules = {
    DEVPLAT_MOBILE_BAD_INPUT, MOBILE_MSG_BAD_INPUT, 0,
    DEVPLAT_MOBILE_BAD_INPUT, MOBILE_MSG_BAD_INPUT
};

static int unavailable(devplat_req *req)
{
    return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
}

/* The account of a mobile number: its row, or NULL when there is none (a
 * deleted account counts as none). *failed is set when the database failed. */
static const char **user_by_phone(devplat_req *req, const char *phone, int *failed)
{
    devplat_rows *rows;

    *failed = 0;
    if (devplat_db_select(req, DP_MOBILE_USER_BY_PHONE, &rows, 1, phone) != APR_SUCCESS) {
        *failed = 1;
        return NULL;
    }
    if (rows->nrows != 1
        || devplat_atoi64(rows->rows[0][PHONE_STATUS]) == MOBILE_STATUS_DELETED) {
        return NULL;
    }
    return rows->rows[0];
}

/* 1 when the mobile number belongs to an account (deleted ones included:
 * the unique index still holds the number), 0 when not, -1 on failure. */
static int phone_taken(devplat_req *req, const char *phone)
{
    devplat_rows *rows;

    if (devplat_db_select(req, DP_USER_TAKEN, &rows, 2, "", phone) != APR_SUCCESS
        || rows->nrows != 1) {
        return -1;
    }
    return devplat_atoi64(rows->rows[0][1]) > 0;
}

int devplat_mobile_send_code(devplat_req *req)
{
    const char *phone, *type, *code = NULL;
    json_object *data = NULL;
    const char **user;
    int rc, failed;

    if (DEVPLAT_DONE(rc = devplat_mobile_input(req))
        || DEVPLAT_DONE(rc = devplat_mobile_field(req, &send_code_rules, "phone", 1,
                                                  MAX_PHONE, &phone))
        || DEVPLAT_DONE(rc = devplat_mobile_field(req, &send_code_rules, "type", 1,
                                                  MAX_CODE, &type))) {
        return rc;
    }
    if (!devplat_is_mobile(phone)) {
        return devplat_mobile_bad(req, &send_code_rules, MSG_PHONE_RULE);
    }
    if (!strcmp(type, DEVPLAT_PURPOSE_REGISTER)) {
        if ((rc = phone_taken(req, phone)) < 0) {
            return unavailable(req);
        }
        if (rc) {
            return devplat_reply_fail(req, HTTP_UNPROCESSABLE_ENTITY,
                                      DEVPLAT_MOBILE_EXISTS, MOBILE_MSG_EXISTS);
        }
    }
    else if (!strcmp(type, DEVPLAT_PURPOSE_RETRIEVE)) {
        user = user_by_phone(req, phone, &failed);
        if (failed) {
            return unavailable(req);
        }
        if (!user) {
            return devplat_reply_fail(req, HTTP_NOT_FOUND, DEVPLAT_MOBILE_NO_USER,
                                      DEVPLAT_MSG_NO_USER);
        }
    }
    else {
        return devplat_mobile_bad(req, &send_code_rules, MSG_TYPE_RULE);
    }
    if (DEVPLAT_DONE(rc = devplat_code_send(req, "sms", phone, type, &code))) {
        return rc;
    }
    if (req->sconf->expose_codes) {
        data = json_object_new_object();
        json_object_object_add(data, "verification_code", json_object_new_string(code));
    }
    return devplat_reply_ok_msg(req, data, MSG_CODE_SENT);
}

/* The username of an account registered here: users.username is required
 * and unique under the developer rule (2-16 characters), so it is "m" and
 * the mobile number ("m13548554126"), or, when someone already chose that
 * name, "m<mobile>_<3 random digits>". NULL when no free name was found or
 * the database failed. */
static const char *mobile_username(devplat_req *req, const char *phone)
{
    const char *name = apr_pstrcat(req->r->pool, "m", phone, NULL);
    devplat_rows *rows;
    int i;

    for (i = 0; i < 5; i++) {
        if (devplat_db_select(req, DP_USER_TAKEN, &rows, 2, name, "") != APR_SUCCESS
            || rows->nrows != 1) {
            return NULL;
        }
        if (devplat_atoi64(rows->rows[0][0]) == 0) {
            return name;
        }
        name = devplat_random_digits(req->r->pool, 3);
        if (!name) {
            return NULL;
        }
        name = apr_pstrcat(req->r->pool, "m", phone, "_", name, NULL);
    }
    return NULL;
}

static int register_failed(devplat_req *req)
{
    return devplat_reply_fail(req, HTTP_INTERNAL_SERVER_ERROR,
                              DEVPLAT_MOBILE_REGISTER_FAILED, MOBILE_MSG_REGISTER_FAIL);
}

static int wrong_code(devplat_req *req, int mobile_code)
{
    return devplat_reply_fail(req, HTTP_UNPROCESSABLE_ENTITY, mobile_code,
                              MOBILE_MSG_BAD_CODE);
}

int devplat_mobile_register(devplat_req *req)
{
    request_rec *r = req->r;
    const char *phone, *code, *password, *device, *uuid, *username, *hash, *now;
    devplat_code_result check;
    devplat_rows *rows = NULL;
    devplat_token tok;
    apr_int64_t code_id = 0, id = 0;
    json_object *data;
    int rc, spent = 1;

    if (DEVPLAT_DONE(rc = devplat_mobile_input(req))
        || DEVPLAT_DONE(rc = devplat_mobile_field(req, &register_rules, "phone", 1,
                                                  MAX_PHONE, &phone))
        || DEVPLAT_DONE(rc = devplat_mobile_field(req, &register_rules, "code", 1,
                                                  MAX_CODE, &code))
        || DEVPLAT_DONE(rc = devplat_mobile_field(req, &register_rules, "password", 1,
                                                  MAX_PASSWORD, &password))
        || DEVPLAT_DONE(rc = devplat_mobile_field(req, &register_rules, "RegistrationID",
                                                  1, MAX_DEVICE_ID, &device))
        || DEVPLAT_DONE(rc = devplat_mobile_field(req, &register_rules, "uuid", 0,
                                                  MAX_UUID, &uuid))) {
        return rc;
    }
    if (!devplat_is_mobile(phone)) {
        return devplat_mobile_bad(req, &register_rules, MSG_PHONE_RULE);
    }
    if (!devplat_is_visible_ascii(password, 6, 16)) {
        return devplat_mobile_bad(req, &register_rules, MSG_PASSWORD_RULE);
    }
    if (!devplat_is_visible_ascii(device, 1, MAX_DEVICE_ID)) {
        return devplat_mobile_bad(req, &register_rules, "RegistrationID格式不正确");
    }
    if (uuid && !devplat_is_visible_ascii(uuid, 1, MAX_UUID)) {
        return devplat_mobile_bad(req, &register_rules, "uuid格式不正确");
    }
    /* a taken number is answered before the code is tried, so the code
     * survives; the unique index settles concurrent registrations */
    if ((rc = phone_taken(req, phone)) < 0) {
        return unavailable(req);
    }
    if (rc) {
        return devplat_reply_fail(req, HTTP_UNPROCESSABLE_ENTITY, DEVPLAT_MOBILE_EXISTS,
                                  MOBILE_MSG_EXISTS);
    }
    if (strlen(code) != 6 || !devplat_is_digits(code, 6)) {
        return wrong_code(req, DEVPLAT_MOBILE_BAD_CODE);
    }
    check = devplat_code_check(req, phone, DEVPLAT_PURPOSE_REGISTER, code, &code_id);
    if (check == DEVPLAT_CODE_ERROR) {
        return unavailable(req);
    }
    if (check == DEVPLAT_CODE_WRONG) {
        return wrong_code(req, DEVPLAT_MOBILE_BAD_CODE);
    }

    /* bcrypt is slow by design: never inside the transaction */
    hash = devplat_password_hash(r->pool, password, req->sconf->bcrypt_cost);
    username = mobile_username(req, phone);
    if (!hash || !username) {
        return register_failed(req);
    }
    now = devplat_time_pformat(r->pool, req->now);

    if (devplat_db_begin(req) != APR_SUCCESS) {
        return unavailable(req);
    }
    /* user, first credits, audit row, spent code and session: all or nothing */
    if (devplat_db_select(req, DP_MOBILE_USER_INSERT, &rows, 8, username, phone, hash,
                          apr_itoa(r->pool, MOBILE_STATUS_NOT_REVIEWED), device, uuid,
                          now, now) == APR_SUCCESS && rows->nrows == 1) {
        id = devplat_atoi64(rows->rows[0][0]);
    }
    if (id <= 0
        || devplat_db_exec(req, DP_CREDIT_INSERT, NULL, 6, devplat_i64(req, id),
                           apr_itoa(r->pool, req->sconf->register_credit), "1",
                           REGISTER_CREDIT_MESSAGE, now, now) != APR_SUCCESS
        || devplat_audit(req, id, "register", "mobile") != APR_SUCCESS
        || !(spent = devplat_code_spend(req, code_id))
        || devplat_session_issue(req, id, req->now, &tok) != APR_SUCCESS) {
        devplat_db_rollback(req);
    }
    if (devplat_db_end(req) != APR_SUCCESS) {
        if (!spent) {
            return wrong_code(req, DEVPLAT_MOBILE_BAD_CODE);
        }
        /* most likely a concurrent registration took the number; else the
         * database refused the registration (1009) or is gone (503) */
        if ((rc = phone_taken(req, phone)) > 0) {
            return devplat_reply_fail(req, HTTP_UNPROCESSABLE_ENTITY,
                                      DEVPLAT_MOBILE_EXISTS, MOBILE_MSG_EXISTS);
        }
        return rc < 0 ? unavailable(req) : register_failed(req);
    }
    data = json_object_new_object();
    json_object_object_add(data, "token", json_object_new_string(tok.access_token));
    return devplat_reply_ok_msg(req, data, MSG_REGISTERED);
}

int devplat_mobile_login(devplat_req *req)
{
    request_rec *r = req->r;
    const char *phone, *password, *device, *uuid, *hash = NULL;
    const char **user;
    apr_int64_t wait, id = 0;
    devplat_token tok;
    json_object *data;
    int rc, failed;

    if (DEVPLAT_DONE(rc = devplat_mobile_input(req))
        || DEVPLAT_DONE(rc = devplat_mobile_field(req, &login_rules, "phone", 1,
                                                  MAX_PHONE, &phone))
        || DEVPLAT_DONE(rc = devplat_mobile_field(req, &login_rules, "password", 1,
                                                  MAX_PASSWORD, &password))
        || DEVPLAT_DONE(rc = devplat_mobile_field(req, &login_rules, "RegistrationID", 0,
                                                  MAX_DEVICE_ID, &device))
        || DEVPLAT_DONE(rc = devplat_mobile_field(req, &login_rules, "uuid", 0,
                                                  MAX_UUID, &uuid))) {
        return rc;
    }
    if (!devplat_is_mobile(phone)) {
        return devplat_mobile_bad(req, &login_rules, MSG_PHONE_RULE);
    }
    if ((device && !devplat_is_visible_ascii(device, 1, MAX_DEVICE_ID))
        || (uuid && !devplat_is_visible_ascii(uuid, 1, MAX_UUID))) {
        return devplat_mobile_bad(req, &login_rules, "设备标识格式不正确");
    }
    wait = devplat_login_throttle_wait(req, phone);
    if (wait < 0) {
        return unavailable(req);
    }
    if (wait > 0) {
        return devplat_reply_throttled(req, wait, DEVPLAT_MSG_THROTTLED);
    }
    user = user_by_phone(req, phone, &failed);
    if (failed) {
        return unavailable(req);
    }
    if (user) {
        id = devplat_atoi64(user[PHONE_ID]);
        hash = user[PHONE_PASSWORD];
    }
    /* an unknown number costs the same bcrypt verification as a known one */
    if (!devplat_password_verify(r->pool, password, hash, req->sconf->bcrypt_cost)) {
        devplat_login_throttle_fail(req, phone);
        devplat_audit(req, id, "login_failed", phone);
        return devplat_reply_fail(req, HTTP_UNPROCESSABLE_ENTITY,
                                  DEVPLAT_MOBILE_WRONG_PASSWORD, MOBILE_MSG_WRONG_PASSWORD);
    }
    if (devplat_atoi64(user[PHONE_STATUS]) == MOBILE_STATUS_FROZEN) {
        devplat_audit(req, id, "login_failed", "frozen");
        return devplat_reply_fail(req, HTTP_FORBIDDEN, DEVPLAT_MOBILE_WRONG_PASSWORD,
                                  MSG_FROZEN);
    }
    devplat_login_throttle_clear(req, phone);
    if (devplat_session_issue(req, id, req->now, &tok) != APR_SUCCESS) {
        return unavailable(req);
    }
    if ((device || uuid)
        && devplat_db_exec(req, DP_MOBILE_USER_DEVICE, NULL, 3, device, uuid,
                           devplat_i64(req, id)) != APR_SUCCESS) {
        /* the login stands; the push target stays the old one */
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, "storing the device of user %"
                      APR_INT64_T_FMT " failed", id);
    }
    devplat_audit(req, id, "login", "mobile");
    data = json_object_new_object();
    json_object_object_add(data, "authenticationState",
                           json_object_new_int(devplat_atoi64(user[PHONE_VERIFIED]) > 0));
    json_object_object_add(data, "token", json_object_new_string(tok.access_token));
    return devplat_reply_ok_msg(req, data, MSG_LOGGED_IN);
}

int devplat_mobile_retrieve_password(devplat_req *req)
{
    request_rec *r = req->r;
    const char *phone, *code, *password, *hash, *now;
    const char **user;
    devplat_code_result check;
    apr_int64_t code_id = 0, id;
    int rc, failed, spent = 1;

    if (DEVPLAT_DONE(rc = devplat_mobile_input(req))
        || DEVPLAT_DONE(rc = devplat_mobile_field(req, &retrieve_rules, "account", 1,
                                                  MAX_PHONE, &phone))
        || DEVPLAT_DONE(rc = devplat_mobile_field(req, &retrieve_rules, "phone_code", 1,
                                                  MAX_CODE, &code))
        || DEVPLAT_DONE(rc = devplat_mobile_field(req, &retrieve_rules, "new_password", 1,
                                                  MAX_PASSWORD, &password))) {
        return rc;
    }
    if (!devplat_is_mobile(phone)) {
        return devplat_mobile_bad(req, &retrieve_rules, MSG_PHONE_RULE);
    }
    if (!devplat_is_visible_ascii(password, 6, 16)) {
        return devplat_mobile_bad(req, &retrieve_rules, MSG_PASSWORD_RULE);
    }
    if (strlen(code) != 6 || !devplat_is_digits(code, 6)) {
        return wrong_code(req, DEVPLAT_MOBILE_CODE_EXPIRED);
    }
    /* the code first: whether a number is registered is told only to
     * whoever holds a code sent to it */
    check = devplat_code_check(req, phone, DEVPLAT_PURPOSE_RETRIEVE, code, &code_id);
    if (check == DEVPLAT_CODE_ERROR) {
        return unavailable(req);
    }
    if (check == DEVPLAT_CODE_WRONG) {
        return wrong_code(req, DEVPLAT_MOBILE_CODE_EXPIRED);
    }
    user = user_by_phone(req, phone, &failed);
    if (failed) {
        return unavailable(req);
    }
    if (!user) {
        return devplat_reply_fail(req, HTTP_NOT_FOUND, DEVPLAT_MOBILE_NO_USER,
                                  DEVPLAT_MSG_NO_USER);
    }
    id = devplat_atoi64(user[PHONE_ID]);

    hash = devplat_password_hash(r->pool, password, req->sconf->bcrypt_cost);
    if (!hash) {
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
    }
    now = devplat_time_pformat(r->pool, req->now);
    if (devplat_db_begin(req) != APR_SUCCESS) {
        return unavailable(req);
    }
    if (devplat_db_exec(req, DP_MOBILE_PASSWORD_SET, NULL, 3, hash, now,
                        devplat_i64(req, id)) == APR_SUCCESS
        && devplat_db_exec(req, DP_MOBILE_SESSIONS_REVOKE, NULL, 3,
                           devplat_i64(req, req->now), devplat_i64(req, id),
                           devplat_i64(req, req->now)) == APR_SUCCESS
        && devplat_audit(req, id, "password_reset", "mobile") == APR_SUCCESS
        && !(spent = devplat_code_spend(req, code_id))) {
        devplat_db_rollback(req);           /* a concurrent request spent it */
    }
    if (devplat_db_end(req) != APR_SUCCESS) {
        if (!spent) {
            return wrong_code(req, DEVPLAT_MOBILE_CODE_EXPIRED);
        }
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
    }
    /* a forgotten password may have locked the account: the reset unlocks */
    devplat_login_throttle_clear(req, phone);
    return devplat_reply_ok_msg(req, NULL, MSG_PASSWORD_SET);
}

int devplat_mobile_exit_login(devplat_req *req)
{
    int rc;

    if (DEVPLAT_DONE(rc = devplat_mobile_input(req))
        || DEVPLAT_DONE(rc = devplat_session_require(req))) {
        return rc;
    }
    if (devplat_session_revoke(req) != APR_SUCCESS) {
        return unavailable(req);
    }
    devplat_audit(req, req->user->id, "logout", "mobile");
    return devplat_reply_ok_msg(req, NULL, MSG_LOGGED_OUT);
}
