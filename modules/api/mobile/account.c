/* 用户注册, 用户登录, 找回密码, 退出登录, and the code request they need. */
#include "mobile.h"
#include "accounts.h"
#include "audit.h"
#include "codes.h"
#include "config.h"
#include "db.h"
#include "login_throttle.h"
#include "rate_limit.h"
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

/* Field lengths beyond any valid value are refused before any rule runs. */
#define MAX_PHONE     32
#define MAX_PASSWORD  128
#define MAX_CODE      32
#define MAX_DEVICE_ID 128
#define MAX_UUID      64

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

/* 1 when the mobile number is an account's proven one (deleted accounts
 * included: the unique index still holds the number), 0 when not, -1 on
 * failure. An unverified copy of it on some account does not count. */
static int phone_taken(devplat_req *req, const char *phone)
{
    devplat_taken t;
    int n = devplat_account_taken(req, NULL, phone, NULL, 0, &t);

    return n < 0 ? -1 : n > 0;
}

int devplat_mobile_send_code(devplat_req *req)
{
    const char *phone, *type, *code = NULL;
    json_object *data = NULL;
    devplat_account *a;
    int rc, found;

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
    /* both types answer whether the number is registered */
    if ((!strcmp(type, DEVPLAT_PURPOSE_REGISTER) || !strcmp(type, DEVPLAT_PURPOSE_RETRIEVE))
        && DEVPLAT_DONE(rc = devplat_rate_limit(req, DEVPLAT_LIMIT_NONE,
                                                DEVPLAT_LIMIT_EXISTENCE_ADDRESS))) {
        return rc;
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
        if ((found = devplat_account_find(req, phone, &a)) < 0) {
            return unavailable(req);
        }
        if (!found) {
            return devplat_reply_fail(req, HTTP_NOT_FOUND, DEVPLAT_MOBILE_NO_USER,
                                      DEVPLAT_MSG_NO_USER);
        }
    }
    else {
        return devplat_mobile_bad(req, &send_code_rules, MSG_TYPE_RULE);
    }
    if (DEVPLAT_DONE(rc = devplat_code_send(req, "sms", phone, type, 0, &code))) {
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
    int i;

    for (i = 0; i < 5; i++) {
        devplat_taken t;
        int n = devplat_account_taken(req, name, NULL, NULL, 0, &t);

        if (n < 0) {
            return NULL;
        }
        if (n == 0) {
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

/* The creating transaction's step: the new account's first session. */
static apr_status_t issue_session(devplat_req *req, apr_int64_t id, void *ctx)
{
    return devplat_session_issue(req, id, req->now, ctx);
}

int devplat_mobile_register(devplat_req *req)
{
    const char *phone, *code, *password, *device, *uuid;
    devplat_account_new n;
    devplat_code_result check;
    devplat_token tok;
    devplat_taken t;
    apr_int64_t code_id = 0, id = 0;
    json_object *data;
    int rc;

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
     * survives (and the answer counts against the rate limit); the unique
     * index settles concurrent registrations */
    if (DEVPLAT_DONE(rc = devplat_rate_limit(req, DEVPLAT_LIMIT_NONE,
                                             DEVPLAT_LIMIT_EXISTENCE_ADDRESS))) {
        return rc;
    }
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
    check = devplat_code_check(req, phone, DEVPLAT_PURPOSE_REGISTER, 0, code, &code_id);
    if (check == DEVPLAT_CODE_ERROR) {
        return unavailable(req);
    }
    if (check == DEVPLAT_CODE_WRONG) {
        return wrong_code(req, DEVPLAT_MOBILE_BAD_CODE);
    }

    memset(&n, 0, sizeof(n));
    n.mobile = phone;               /* proven by the code */
    n.registration_id = device;
    n.uuid = uuid;
    n.status = DEVPLAT_STATUS_NOT_REVIEWED;
    n.proof_code = code_id;
    /* bcrypt is slow by design: never inside the transaction */
    if (!(n.password_hash = devplat_account_hash(req, password))) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    n.username = mobile_username(req, phone);
    if (!n.username) {
        return register_failed(req);
    }
    /* the account and its first session: all or nothing */
    switch (devplat_account_create(req, &n, issue_session, &tok, &id, &t)) {
    case DEVPLAT_R_OK:
        break;
    case DEVPLAT_R_CODE:
        return wrong_code(req, DEVPLAT_MOBILE_BAD_CODE);
    case DEVPLAT_R_TAKEN:
        /* most likely a concurrent registration took the number */
        if (t.mobile) {
            return devplat_reply_fail(req, HTTP_UNPROCESSABLE_ENTITY,
                                      DEVPLAT_MOBILE_EXISTS, MOBILE_MSG_EXISTS);
        }
        return register_failed(req);
    case DEVPLAT_R_UNAVAILABLE:
        return unavailable(req);
    default:
        return register_failed(req);
    }
    data = json_object_new_object();
    json_object_object_add(data, "token", json_object_new_string(tok.access_token));
    return devplat_reply_ok_msg(req, data, MSG_REGISTERED);
}

int devplat_mobile_login(devplat_req *req)
{
    const char *phone, *password, *device, *uuid;
    devplat_account *a = NULL;
    apr_int64_t wait = 0;
    devplat_token tok;
    json_object *data;
    int rc;

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
    switch (devplat_account_login(req, phone, password, &a, &tok, &wait)) {
    case DEVPLAT_R_OK:
        break;
    case DEVPLAT_R_LOCKED:
        return devplat_reply_throttled(req, wait, DEVPLAT_MSG_THROTTLED);
    case DEVPLAT_R_WRONG:
        return devplat_reply_fail(req, HTTP_UNPROCESSABLE_ENTITY,
                                  DEVPLAT_MOBILE_WRONG_PASSWORD, MOBILE_MSG_WRONG_PASSWORD);
    case DEVPLAT_R_FROZEN:
        return devplat_reply_fail(req, HTTP_FORBIDDEN, DEVPLAT_MOBILE_WRONG_PASSWORD,
                                  MSG_FROZEN);
    default:
        return unavailable(req);
    }
    if ((device || uuid)
        && devplat_db_exec(req, DP_MOBILE_USER_DEVICE, NULL, 3, device, uuid,
                           devplat_i64(req, a->user.id)) != APR_SUCCESS) {
        /* the login stands; the push target stays the old one */
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, req->r, "storing the device of user %"
                      APR_INT64_T_FMT " failed", a->user.id);
    }
    data = json_object_new_object();
    json_object_object_add(data, "authenticationState", json_object_new_int(a->verified));
    json_object_object_add(data, "token", json_object_new_string(tok.access_token));
    return devplat_reply_ok_msg(req, data, MSG_LOGGED_IN);
}

int devplat_mobile_retrieve_password(devplat_req *req)
{
    const char *phone, *code, *password, *hash;
    devplat_code_result check;
    devplat_account *a;
    apr_int64_t code_id = 0;
    int rc, found;

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
    check = devplat_code_check(req, phone, DEVPLAT_PURPOSE_RETRIEVE, 0, code, &code_id);
    if (check == DEVPLAT_CODE_ERROR) {
        return unavailable(req);
    }
    if (check == DEVPLAT_CODE_WRONG) {
        return wrong_code(req, DEVPLAT_MOBILE_CODE_EXPIRED);
    }
    /* only a proven mobile is a reset destination */
    if ((found = devplat_account_find(req, phone, &a)) < 0) {
        return unavailable(req);
    }
    if (!found) {
        return devplat_reply_fail(req, HTTP_NOT_FOUND, DEVPLAT_MOBILE_NO_USER,
                                  DEVPLAT_MSG_NO_USER);
    }
    if (!(hash = devplat_account_hash(req, password))) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    switch (devplat_account_set_password(req, a->user.id, hash, NULL, code_id,
                                         "password_reset", "mobile")) {
    case DEVPLAT_R_OK:
        break;
    case DEVPLAT_R_CODE:                /* a concurrent request spent it */
        return wrong_code(req, DEVPLAT_MOBILE_CODE_EXPIRED);
    case DEVPLAT_R_UNAVAILABLE:
        return unavailable(req);
    default:
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
    }
    /* a forgotten password may have locked the account: the reset unlocks */
    devplat_account_unlock(req, a->user.id);
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
