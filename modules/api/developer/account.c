/* 个人中心-基本信息: the account's mobile number, e-mail address and
 * password. A change of address takes codes sent to the addresses it
 * involves (purpose-bound, so a code for one step never serves another);
 * each change is one transaction that spends its codes and writes an audit
 * row. An address that belongs to another user is refused before any code
 * is sent. E-mail addresses are kept in lower case. */
#include "developer.h"
#include "audit.h"
#include "config.h"
#include "body.h"
#include "codes.h"
#include "db.h"
#include "login_throttle.h"
#include "reply.h"
#include "session.h"
#include "statements.h"
#include "email.h"
#include "password.h"
#include "timefmt.h"
#include "validate.h"

#define DP_ACCOUNT_GET            "devplat_account_get"
#define DP_ACCOUNT_MOBILE_TAKEN   "devplat_account_mobile_taken"
#define DP_ACCOUNT_EMAIL_TAKEN    "devplat_account_email_taken"
#define DP_ACCOUNT_SET_MOBILE     "devplat_account_set_mobile"
#define DP_ACCOUNT_BIND_EMAIL     "devplat_account_bind_email"
#define DP_ACCOUNT_SET_EMAIL      "devplat_account_set_email"
#define DP_ACCOUNT_SET_PASSWORD   "devplat_account_set_password"
#define DP_ACCOUNT_REVOKE_OTHERS  "devplat_account_revoke_others"

const devplat_statement devplat_sql_account[] = {
    {DP_ACCOUNT_GET,
     "SELECT mobile, email, password FROM users WHERE id = %lld"},
    {DP_ACCOUNT_MOBILE_TAKEN,
     "SELECT COUNT(*) FROM users WHERE mobile = %s AND id <> %lld"},
    {DP_ACCOUNT_EMAIL_TAKEN,
     "SELECT COUNT(*) FROM users WHERE email = %s AND id <> %lld"},
    {DP_ACCOUNT_SET_MOBILE,
     "UPDATE users SET mobile = %s, updated_at = %s WHERE id = %lld"},
    /* binding only fills an empty address; changing needs the old one */
    {DP_ACCOUNT_BIND_EMAIL,
     "UPDATE users SET email = %s, updated_at = %s WHERE id = %lld AND email IS NULL"},
    {DP_ACCOUNT_SET_EMAIL,
     "UPDATE users SET email = %s, updated_at = %s WHERE id = %lld AND email = %s"},
    {DP_ACCOUNT_SET_PASSWORD,
     "UPDATE users SET password = %s, updated_at = %s WHERE id = %lld"},
    /* every session but the current one, including rotated ones in grace */
    {DP_ACCOUNT_REVOKE_OTHERS,
     "UPDATE sessions SET revoked_at = %lld WHERE user_id = %lld AND jti <> %s "
     "AND (revoked_at IS NULL OR revoked_at > %lld)"},
    {NULL, NULL}
};

/* Purposes: a code is bound to its destination and one of these. */
#define PURPOSE_MOBILE_OLD    "change_mobile_old"     /* SMS to the current mobile */
#define PURPOSE_MOBILE_EMAIL  "change_mobile_email"   /* mail to the bound address */
#define PURPOSE_MOBILE_NEW    "change_mobile_new"     /* SMS to the new mobile */
#define PURPOSE_BIND_EMAIL    "bind_email"            /* mail to the address to bind */
#define PURPOSE_EMAIL_OLD     "change_email_old"      /* mail to the bound address */

#define MSG_MOBILE_RULE      "手机号格式不正确"
#define MSG_EMAIL_RULE       "格式不正确"
#define MSG_CODE_RULE        "须为6位数字"
#define MSG_CODE_WRONG       "错误或已失效"
#define MSG_MOBILE_TAKEN     "手机号已被其他账号使用"
#define MSG_MOBILE_SAME      "新手机号不能与当前手机号相同"
#define MSG_EMAIL_TAKEN      "邮箱已被其他账号使用"
#define MSG_EMAIL_BOUND_SAME "该邮箱已绑定到当前账号"
#define MSG_EMAIL_BOUND      "账号已绑定邮箱，请通过更新邮箱修改"
#define MSG_EMAIL_MISMATCH   "邮箱与账号绑定的邮箱不一致"
#define MSG_OLD_EMAIL_WRONG  "旧邮箱与账号绑定的邮箱不一致"
#define MSG_EMAIL_SAME       "新邮箱不能与旧邮箱相同"
#define MSG_AUTH_TYPE        "验证类型须为mobile或email"
#define MSG_PASSWORD_RULE    "新密码须为6-32位字母、数字或符号（不含空格）"
#define MSG_PASSWORD_WRONG   "旧密码错误"
#define MSG_PASSWORD_SAME    "新密码不能与旧密码相同"
#define MSG_PASSWORD_LOCKED  "旧密码错误次数过多，请稍后再试"

/* The password check is throttled like a login, per user + client. */
#define PASSWORD_THROTTLE_KEY "#password:%" APR_INT64_T_FMT

/* The stored contact points and password hash of the signed-in user. */
typedef struct {
    const char *mobile;      /* NULL when none */
    const char *email;       /* as stored; NULL when none */
    const char *password;
} account;

static int load_account(devplat_req *req, account *a)
{
    devplat_rows *rows;

    if (devplat_db_select(req, DP_ACCOUNT_GET, &rows, 1,
                          devplat_i64(req, req->user->id)) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (rows->nrows != 1) {
        return devplat_reply_error(req, HTTP_NOT_FOUND, DEVPLAT_MSG_NOT_FOUND);
    }
    a->mobile = rows->rows[0][0] && *rows->rows[0][0] ? rows->rows[0][0] : NULL;
    a->email = rows->rows[0][1] && *rows->rows[0][1] ? rows->rows[0][1] : NULL;
    a->password = rows->rows[0][2];
    return DEVPLAT_CONTINUE;
}

/* Session, then input: the first answer given, or DEVPLAT_CONTINUE. */
static int begin_request(devplat_req *req, account *a)
{
    int rc;

    if (DEVPLAT_DONE(rc = devplat_session_require(req))
        || DEVPLAT_DONE(rc = devplat_input_load(req))) {
        return rc;
    }
    return a ? load_account(req, a) : DEVPLAT_CONTINUE;
}

/* A required e-mail field, in lower case. */
static const char *input_email(devplat_req *req, devplat_errors *e,
                               const char *field, const char *label)
{
    const char *s = devplat_input_string(req, e, field, label);

    if (s && !devplat_email_valid(s)) {
        devplat_errors_add(e, field, apr_pstrcat(req->r->pool, label, MSG_EMAIL_RULE, NULL));
        return NULL;
    }
    return s ? devplat_email_normalize(req->r->pool, s) : NULL;
}

static const char *input_mobile(devplat_req *req, devplat_errors *e,
                                const char *field, const char *label)
{
    const char *s = devplat_input_string(req, e, field, label);

    if (s && !devplat_is_mobile(s)) {
        devplat_errors_add(e, field, apr_pstrcat(req->r->pool, label, "格式不正确", NULL));
        return NULL;
    }
    return s;
}

/* A required six-digit code field. */
static const char *input_code(devplat_req *req, devplat_errors *e,
                              const char *field, const char *label)
{
    const char *s = devplat_input_string(req, e, field, label);

    if (s && (strlen(s) != 6 || !devplat_is_digits(s, 6))) {
        devplat_errors_add(e, field, apr_pstrcat(req->r->pool, label, MSG_CODE_RULE, NULL));
        return NULL;
    }
    return s;
}

/* 1 when value is the mobile / e-mail of a user other than the caller, 0
 * when not, -1 when the database failed. */
static int taken(devplat_req *req, const char *label, const char *value)
{
    devplat_rows *rows;

    if (devplat_db_select(req, label, &rows, 2, value, devplat_i64(req, req->user->id))
        != APR_SUCCESS || rows->nrows != 1) {
        return -1;
    }
    return devplat_atoi64(rows->rows[0][0]) > 0;
}

/* Checks one code; on a wrong one adds an error to e. -1 when the
 * database failed. */
static int check_code(devplat_req *req, devplat_errors *e, const char *destination,
                      const char *purpose, const char *code, const char *field,
                      const char *label, apr_int64_t *code_id)
{
    switch (devplat_code_check(req, destination, purpose, code, code_id)) {
    case DEVPLAT_CODE_VALID:
        return 0;
    case DEVPLAT_CODE_WRONG:
        devplat_errors_add(e, field, apr_pstrcat(req->r->pool, label, MSG_CODE_WRONG, NULL));
        return 0;
    default:
        return -1;
    }
}

/* Sends a code and answers 200 (with the code under DevplatExposeCodes). */
static int send_code(devplat_req *req, const char *channel, const char *destination,
                     const char *purpose)
{
    const char *code = NULL;
    json_object *data = NULL;
    int rc;

    if (DEVPLAT_DONE(rc = devplat_code_send(req, channel, destination, purpose, &code))) {
        return rc;
    }
    if (req->sconf->expose_codes) {
        data = json_object_new_object();
        json_object_object_add(data, "verification_code", json_object_new_string(code));
    }
    return devplat_reply_ok(req, data);
}

static int unavailable(devplat_req *req)
{
    return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
}

/* Ends the transaction of a change. A failed commit is most likely a
 * concurrent change that took the address (unique index): 422 on field
 * then, else 500. */
static int finish_change(devplat_req *req, const char *taken_label, const char *value,
                         const char *field, const char *taken_message)
{
    if (devplat_db_end(req) == APR_SUCCESS) {
        return devplat_reply_ok(req, NULL);
    }
    if (taken_label && taken(req, taken_label, value) > 0) {
        return devplat_reply_invalid1(req, field, taken_message);
    }
    return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
}

/* ------------------------------------------------------------ code sending */

int devplat_dev_mobile_code_old(devplat_req *req)
{
    account a;
    int rc;

    if (DEVPLAT_DONE(rc = begin_request(req, &a))) {
        return rc;
    }
    if (!a.mobile) {
        return devplat_reply_error(req, HTTP_NOT_FOUND, DEVPLAT_MSG_NOT_FOUND);
    }
    return send_code(req, "sms", a.mobile, PURPOSE_MOBILE_OLD);
}

/* A code to the bound address, which the request must name correctly. */
static int bound_email_code(devplat_req *req, const char *purpose)
{
    devplat_errors *e = devplat_errors_make(req->r);
    const char *email;
    account a;
    int rc;

    if (DEVPLAT_DONE(rc = begin_request(req, &a))) {
        return rc;
    }
    email = input_email(req, e, "email", "邮箱");
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    if (!a.email) {
        return devplat_reply_error(req, HTTP_NOT_FOUND, DEVPLAT_MSG_NOT_FOUND);
    }
    if (strcasecmp(email, a.email)) {
        return devplat_reply_invalid1(req, "email", MSG_EMAIL_MISMATCH);
    }
    return send_code(req, "email", devplat_email_normalize(req->r->pool, a.email), purpose);
}

int devplat_dev_mobile_code_email(devplat_req *req)
{
    return bound_email_code(req, PURPOSE_MOBILE_EMAIL);
}

int devplat_dev_email_code_old(devplat_req *req)
{
    return bound_email_code(req, PURPOSE_EMAIL_OLD);
}

int devplat_dev_mobile_code_new(devplat_req *req)
{
    devplat_errors *e = devplat_errors_make(req->r);
    const char *mobile;
    account a;
    int rc, t;

    if (DEVPLAT_DONE(rc = begin_request(req, &a))) {
        return rc;
    }
    mobile = input_mobile(req, e, "mobile", "手机号");
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    if (a.mobile && !strcmp(mobile, a.mobile)) {
        return devplat_reply_invalid1(req, "mobile", MSG_MOBILE_SAME);
    }
    if ((t = taken(req, DP_ACCOUNT_MOBILE_TAKEN, mobile)) < 0) {
        return unavailable(req);
    }
    if (t) {
        return devplat_reply_invalid1(req, "mobile", MSG_MOBILE_TAKEN);
    }
    return send_code(req, "sms", mobile, PURPOSE_MOBILE_NEW);
}

/* Why an address cannot be bound: NULL when it can. */
static const char *bind_refusal(const account *a, const char *email)
{
    if (!a->email) {
        return NULL;
    }
    return strcasecmp(email, a->email) ? MSG_EMAIL_BOUND : MSG_EMAIL_BOUND_SAME;
}

int devplat_dev_bind_email_code(devplat_req *req)
{
    devplat_errors *e = devplat_errors_make(req->r);
    const char *email, *why;
    account a;
    int rc, t;

    if (DEVPLAT_DONE(rc = begin_request(req, &a))) {
        return rc;
    }
    email = input_email(req, e, "email", "邮箱");
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    if ((why = bind_refusal(&a, email))) {
        return devplat_reply_invalid1(req, "email", why);
    }
    if ((t = taken(req, DP_ACCOUNT_EMAIL_TAKEN, email)) < 0) {
        return unavailable(req);
    }
    if (t) {
        return devplat_reply_invalid1(req, "email", MSG_EMAIL_TAKEN);
    }
    return send_code(req, "email", email, PURPOSE_BIND_EMAIL);
}

/* ------------------------------------------------------------ changes */

int devplat_dev_bind_email(devplat_req *req)
{
    devplat_errors *e = devplat_errors_make(req->r);
    const char *email, *code, *why, *now;
    apr_int64_t code_id = 0;
    account a;
    int rc, t, ok, bound = 0;

    if (DEVPLAT_DONE(rc = begin_request(req, &a))) {
        return rc;
    }
    email = input_email(req, e, "email", "邮箱");
    code = input_code(req, e, "verification_code", "验证码");
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    if ((why = bind_refusal(&a, email))) {
        return devplat_reply_invalid1(req, "email", why);
    }
    if ((t = taken(req, DP_ACCOUNT_EMAIL_TAKEN, email)) < 0) {
        return unavailable(req);
    }
    if (t) {
        return devplat_reply_invalid1(req, "email", MSG_EMAIL_TAKEN);
    }
    if (check_code(req, e, email, PURPOSE_BIND_EMAIL, code, "verification_code", "验证码",
                   &code_id) < 0) {
        return unavailable(req);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }

    now = devplat_time_pformat(req->r->pool, req->now);
    if (devplat_db_begin(req) != APR_SUCCESS) {
        return unavailable(req);
    }
    ok = devplat_db_exec(req, DP_ACCOUNT_BIND_EMAIL, &bound, 3, email, now,
                         devplat_i64(req, req->user->id)) == APR_SUCCESS;
    if (ok && bound != 1) {
        /* a concurrent request bound an address first */
        devplat_db_rollback(req);
        devplat_db_end(req);
        return devplat_reply_invalid1(req, "email", MSG_EMAIL_BOUND);
    }
    if (ok && devplat_audit(req, req->user->id, "bind_email", email) == APR_SUCCESS
        && !devplat_code_spend(req, code_id)) {
        devplat_db_rollback(req);
        devplat_db_end(req);
        return devplat_reply_invalid1(req, "verification_code", "验证码" MSG_CODE_WRONG);
    }
    return finish_change(req, DP_ACCOUNT_EMAIL_TAKEN, email, "email", MSG_EMAIL_TAKEN);
}

int devplat_dev_update_mobile(devplat_req *req)
{
    devplat_errors *e = devplat_errors_make(req->r);
    const char *type, *new_mobile, *new_code, *old_code = NULL, *old_dest = NULL;
    const char *old_field = NULL, *old_label = NULL, *old_purpose = NULL, *now;
    apr_int64_t old_id = 0, new_id = 0;
    account a;
    int rc, t, by_email = 0;

    if (DEVPLAT_DONE(rc = begin_request(req, &a))) {
        return rc;
    }
    type = devplat_input_string(req, e, "authentication_type", "验证类型");
    if (type && !strcmp(type, "email")) {
        by_email = 1;
    }
    else if (type && strcmp(type, "mobile")) {
        devplat_errors_add(e, "authentication_type", MSG_AUTH_TYPE);
        type = NULL;
    }
    if (type) {
        /* the code of the chosen way is required, the other one ignored */
        old_field = by_email ? "old_email_verification_code" : "old_mobile_verification_code";
        old_label = by_email ? "邮箱验证码" : "旧手机号验证码";
        old_purpose = by_email ? PURPOSE_MOBILE_EMAIL : PURPOSE_MOBILE_OLD;
        old_code = input_code(req, e, old_field, old_label);
    }
    new_mobile = input_mobile(req, e, "new_mobile", "新手机号");
    new_code = input_code(req, e, "new_mobile_verification_code", "新手机号验证码");
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }

    old_dest = by_email ? (a.email ? devplat_email_normalize(req->r->pool, a.email) : NULL)
                        : a.mobile;
    if (!old_dest) {
        /* nothing bound to verify the chosen way with */
        return devplat_reply_error(req, HTTP_NOT_FOUND, DEVPLAT_MSG_NOT_FOUND);
    }
    if (a.mobile && !strcmp(new_mobile, a.mobile)) {
        return devplat_reply_invalid1(req, "new_mobile", MSG_MOBILE_SAME);
    }
    if ((t = taken(req, DP_ACCOUNT_MOBILE_TAKEN, new_mobile)) < 0) {
        return unavailable(req);
    }
    if (t) {
        return devplat_reply_invalid1(req, "new_mobile", MSG_MOBILE_TAKEN);
    }
    if (check_code(req, e, old_dest, old_purpose, old_code, old_field, old_label, &old_id) < 0
        || check_code(req, e, new_mobile, PURPOSE_MOBILE_NEW, new_code,
                      "new_mobile_verification_code", "新手机号验证码", &new_id) < 0) {
        return unavailable(req);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }

    now = devplat_time_pformat(req->r->pool, req->now);
    if (devplat_db_begin(req) != APR_SUCCESS) {
        return unavailable(req);
    }
    if (devplat_db_exec(req, DP_ACCOUNT_SET_MOBILE, NULL, 3, new_mobile, now,
                        devplat_i64(req, req->user->id)) == APR_SUCCESS
        && devplat_audit(req, req->user->id, "change_mobile",
                         apr_pstrcat(req->r->pool, new_mobile, by_email ? " (verified by email)"
                                                               : " (verified by mobile)",
                                     NULL)) == APR_SUCCESS) {
        int old_spent = devplat_code_spend(req, old_id);
        int new_spent = old_spent && devplat_code_spend(req, new_id);

        if (!new_spent) {
            devplat_db_rollback(req);
            devplat_db_end(req);
            return devplat_reply_invalid1(req, old_spent ? "new_mobile_verification_code"
                                                         : old_field,
                                          apr_pstrcat(req->r->pool, old_spent ? "新手机号验证码"
                                                                              : old_label,
                                                      MSG_CODE_WRONG, NULL));
        }
    }
    return finish_change(req, DP_ACCOUNT_MOBILE_TAKEN, new_mobile, "new_mobile",
                         MSG_MOBILE_TAKEN);
}

int devplat_dev_update_email(devplat_req *req)
{
    devplat_errors *e = devplat_errors_make(req->r);
    const char *code, *old_email, *new_email, *now;
    apr_int64_t code_id = 0;
    account a;
    int rc, t, ok, changed = 0;

    if (DEVPLAT_DONE(rc = begin_request(req, &a))) {
        return rc;
    }
    code = input_code(req, e, "old_email_verification_code", "旧邮箱验证码");
    old_email = input_email(req, e, "old_email", "旧邮箱");
    new_email = input_email(req, e, "new_email", "新邮箱");
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    if (!a.email) {
        return devplat_reply_error(req, HTTP_NOT_FOUND, DEVPLAT_MSG_NOT_FOUND);
    }
    if (strcasecmp(old_email, a.email)) {
        return devplat_reply_invalid1(req, "old_email", MSG_OLD_EMAIL_WRONG);
    }
    if (!strcmp(new_email, old_email)) {
        return devplat_reply_invalid1(req, "new_email", MSG_EMAIL_SAME);
    }
    if ((t = taken(req, DP_ACCOUNT_EMAIL_TAKEN, new_email)) < 0) {
        return unavailable(req);
    }
    if (t) {
        return devplat_reply_invalid1(req, "new_email", MSG_EMAIL_TAKEN);
    }
    if (check_code(req, e, old_email, PURPOSE_EMAIL_OLD, code, "old_email_verification_code",
                   "旧邮箱验证码", &code_id) < 0) {
        return unavailable(req);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }

    now = devplat_time_pformat(req->r->pool, req->now);
    if (devplat_db_begin(req) != APR_SUCCESS) {
        return unavailable(req);
    }
    ok = devplat_db_exec(req, DP_ACCOUNT_SET_EMAIL, &changed, 4, new_email, now,
                         devplat_i64(req, req->user->id), a.email) == APR_SUCCESS;
    if (ok && changed != 1) {
        /* a concurrent change moved the address first */
        devplat_db_rollback(req);
        devplat_db_end(req);
        return devplat_reply_invalid1(req, "old_email", MSG_OLD_EMAIL_WRONG);
    }
    if (ok && devplat_audit(req, req->user->id, "change_email", new_email) == APR_SUCCESS
        && !devplat_code_spend(req, code_id)) {
        devplat_db_rollback(req);
        devplat_db_end(req);
        return devplat_reply_invalid1(req, "old_email_verification_code",
                                      "旧邮箱验证码" MSG_CODE_WRONG);
    }
    return finish_change(req, DP_ACCOUNT_EMAIL_TAKEN, new_email, "new_email", MSG_EMAIL_TAKEN);
}

int devplat_dev_update_password(devplat_req *req)
{
    request_rec *r = req->r;
    devplat_errors *e = devplat_errors_make(r);
    const char *old_pw, *new_pw, *hash, *now, *key, *uid;
    apr_int64_t wait;
    account a;
    int rc;

    if (DEVPLAT_DONE(rc = begin_request(req, NULL))) {
        return rc;
    }
    old_pw = devplat_input_string(req, e, "old_password", "旧密码");
    new_pw = devplat_input_string(req, e, "new_password", "新密码");
    if (new_pw && !devplat_is_visible_ascii(new_pw, 6, 32)) {
        devplat_errors_add(e, "new_password", MSG_PASSWORD_RULE);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    key = apr_psprintf(r->pool, PASSWORD_THROTTLE_KEY, req->user->id);
    wait = devplat_login_throttle_wait(req, key);
    if (wait < 0) {
        return unavailable(req);
    }
    if (wait > 0) {
        return devplat_reply_throttled(req, wait, MSG_PASSWORD_LOCKED);
    }
    if (DEVPLAT_DONE(rc = load_account(req, &a))) {
        return rc;
    }
    if (!devplat_password_verify(r->pool, old_pw, a.password, req->sconf->bcrypt_cost)) {
        devplat_login_throttle_fail(req, key);
        devplat_audit(req, req->user->id, "password_change_failed", "wrong old password");
        return devplat_reply_invalid1(req, "old_password", MSG_PASSWORD_WRONG);
    }
    devplat_login_throttle_clear(req, key);
    if (!strcmp(old_pw, new_pw)) {
        return devplat_reply_invalid1(req, "new_password", MSG_PASSWORD_SAME);
    }

    /* bcrypt is slow by design: never inside the transaction */
    hash = devplat_password_hash(r->pool, new_pw, req->sconf->bcrypt_cost);
    if (!hash) {
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
    }
    now = devplat_time_pformat(r->pool, req->now);
    uid = devplat_i64(req, req->user->id);
    if (devplat_db_begin(req) != APR_SUCCESS) {
        return unavailable(req);
    }
    /* a statement that fails marks the transaction; end() rolls it back */
    if (devplat_db_exec(req, DP_ACCOUNT_SET_PASSWORD, NULL, 3, hash, now, uid) == APR_SUCCESS
        && devplat_db_exec(req, DP_ACCOUNT_REVOKE_OTHERS, NULL, 4, devplat_i64(req, req->now),
                           uid, req->jti, devplat_i64(req, req->now)) == APR_SUCCESS) {
        devplat_audit(req, req->user->id, "password_change", "other sessions revoked");
    }
    return finish_change(req, NULL, NULL, NULL, NULL);
}
