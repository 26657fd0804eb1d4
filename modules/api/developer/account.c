/* 个人中心-基本信息: the account's mobile number, e-mail address and
 * password. A change of address takes codes sent to the addresses it
 * involves (purpose-bound, so a code for one step never serves another);
 * each change is one transaction that spends its codes and writes an audit
 * row. An address that belongs to another user is refused before any code
 * is sent. E-mail addresses are kept in lower case. */
#include "developer.h"
#include "accounts.h"
#include "audit.h"
#include "config.h"
#include "body.h"
#include "codes.h"
#include "db.h"
#include "login_throttle.h"
#include "rate_limit.h"
#include "reply.h"
#include "session.h"
#include "statements.h"
#include "email.h"
#include "validate.h"

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
#define MSG_PASSWORD_RULE    "新密码须为6-32位字母、数字或符号（不含空格）"
#define MSG_PASSWORD_WRONG   "旧密码错误"
#define MSG_PASSWORD_SAME    "新密码不能与旧密码相同"
#define MSG_PASSWORD_LOCKED  "旧密码错误次数过多，请稍后再试"
#define MSG_LOCKED           "密码错误次数过多，请稍后再试"
#define MSG_ACCOUNT_PASSWORD "密码错误"
#define MSG_AUTH_TYPE_ALL    "验证类型须为mobile、email或password"

/* The proven contacts of the signed-in user. */
typedef struct {
    const char *mobile;      /* NULL when none */
    const char *email;       /* normalised; NULL when none */
} account;

static int load_account(devplat_req *req, account *a)
{
    switch (devplat_account_contacts(req, req->user->id, &a->mobile, &a->email)) {
    case 1:
        return DEVPLAT_CONTINUE;
    case 0:
        return devplat_reply_error(req, HTTP_NOT_FOUND, DEVPLAT_MSG_NOT_FOUND);
    default:
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
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

static int unavailable(devplat_req *req)
{
    return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
}

/* 1 when value is the proven mobile / e-mail of another account, 0 when
 * not, -1 when the request was answered (*rc): the answer tells whether
 * the address is registered, so every check counts against the rate
 * limits (429), or the database failed (503). */
static int taken(devplat_req *req, devplat_contact kind, const char *value, int *rc)
{
    devplat_taken t;
    int email = kind == DEVPLAT_CONTACT_EMAIL;
    int n;

    if (DEVPLAT_DONE(*rc = devplat_rate_limit(req, DEVPLAT_LIMIT_EXISTENCE_ACCOUNT,
                                              DEVPLAT_LIMIT_EXISTENCE_ADDRESS))) {
        return -1;
    }
    n = devplat_account_taken(req, NULL, email ? NULL : value, email ? value : NULL,
                              req->user->id, &t);
    if (n < 0) {
        *rc = unavailable(req);
        return -1;
    }
    return n > 0;
}

/* Checks one code; on a wrong one adds an error to e. -1 when the
 * database failed. */
static int check_code(devplat_req *req, devplat_errors *e, const char *destination,
                      const char *purpose, const char *code, const char *field,
                      const char *label, apr_int64_t *code_id)
{
    switch (devplat_code_check(req, destination, purpose, req->user->id, code, code_id)) {
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

    /* bound to the account: nobody else can spend, burn or supersede it */
    if (DEVPLAT_DONE(rc = devplat_code_send(req, channel, destination, purpose,
                                            req->user->id, &code))) {
        return rc;
    }
    if (req->sconf->expose_codes) {
        data = json_object_new_object();
        json_object_object_add(data, "verification_code", json_object_new_string(code));
    }
    return devplat_reply_ok(req, data);
}

/* The answer to a contact change's result: 422 on field when another
 * account proved the value meanwhile, on the spent code's field, or on
 * conflict_field when the contact changed meanwhile. */
static int change_answer(devplat_req *req, devplat_result res, const char *field,
                         const char *taken_message, const char *code_field,
                         const char *code_label, const char *conflict_field,
                         const char *conflict_message)
{
    switch (res) {
    case DEVPLAT_R_OK:
        return devplat_reply_ok(req, NULL);
    case DEVPLAT_R_TAKEN:
        return devplat_reply_invalid1(req, field, taken_message);
    case DEVPLAT_R_CODE:
        return devplat_reply_invalid1(req, code_field,
                                      apr_pstrcat(req->r->pool, code_label, MSG_CODE_WRONG,
                                                  NULL));
    case DEVPLAT_R_CONFLICT:
        return devplat_reply_invalid1(req, conflict_field, conflict_message);
    case DEVPLAT_R_UNAVAILABLE:
        return unavailable(req);
    default:
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
    }
}

/* The account password as proof (bind-email, update-mobile by password):
 * DEVPLAT_CONTINUE, or the answer given (422 on field, 429, 503). */
static int password_proof(devplat_req *req, const char *password, const char *field)
{
    apr_int64_t wait = 0;

    switch (devplat_account_check_password(req, password, "password_check_failed", &wait)) {
    case DEVPLAT_R_OK:
        return DEVPLAT_CONTINUE;
    case DEVPLAT_R_WRONG:
        return devplat_reply_invalid1(req, field, MSG_ACCOUNT_PASSWORD);
    case DEVPLAT_R_LOCKED:
        return devplat_reply_throttled(req, wait, MSG_LOCKED);
    default:
        return unavailable(req);
    }
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
    return send_code(req, "sms", a.mobile, DEVPLAT_PURPOSE_MOBILE_OLD);
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
    return bound_email_code(req, DEVPLAT_PURPOSE_MOBILE_EMAIL);
}

int devplat_dev_email_code_old(devplat_req *req)
{
    return bound_email_code(req, DEVPLAT_PURPOSE_EMAIL_OLD);
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
    if ((t = taken(req, DEVPLAT_CONTACT_MOBILE, mobile, &rc)) < 0) {
        return rc;
    }
    if (t) {
        return devplat_reply_invalid1(req, "mobile", MSG_MOBILE_TAKEN);
    }
    return send_code(req, "sms", mobile, DEVPLAT_PURPOSE_MOBILE_NEW);
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
    if ((t = taken(req, DEVPLAT_CONTACT_EMAIL, email, &rc)) < 0) {
        return rc;
    }
    if (t) {
        return devplat_reply_invalid1(req, "email", MSG_EMAIL_TAKEN);
    }
    return send_code(req, "email", email, DEVPLAT_PURPOSE_BIND_EMAIL);
}

/* ------------------------------------------------------------ changes */

/* Binds the first proven address: a code sent to it proves the new one,
 * the account password stands for the old one there is none of. The
 * address may be the account's unverified one (an update-email or an
 * administrator put it there): binding proves it. */
int devplat_dev_bind_email(devplat_req *req)
{
    devplat_errors *e = devplat_errors_make(req->r);
    const char *email, *code, *password, *why;
    devplat_contact_change c;
    apr_int64_t code_id = 0;
    account a;
    int rc, t, bad;

    if (DEVPLAT_DONE(rc = begin_request(req, &a))) {
        return rc;
    }
    email = input_email(req, e, "email", "邮箱");
    code = input_code(req, e, "verification_code", "验证码");
    password = devplat_input_string(req, e, "password", "密码");
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    if ((why = bind_refusal(&a, email))) {
        return devplat_reply_invalid1(req, "email", why);
    }
    if ((t = taken(req, DEVPLAT_CONTACT_EMAIL, email, &rc)) < 0) {
        return rc;
    }
    if (t) {
        return devplat_reply_invalid1(req, "email", MSG_EMAIL_TAKEN);
    }
    if (DEVPLAT_DONE(rc = password_proof(req, password, "password"))) {
        return rc;
    }
    if (check_code(req, e, email, DEVPLAT_PURPOSE_BIND_EMAIL, code, "verification_code",
                   "验证码", &code_id) < 0) {
        return unavailable(req);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    memset(&c, 0, sizeof(c));
    c.kind = DEVPLAT_CONTACT_EMAIL;
    c.value = email;
    c.proven = 1;
    c.expect = "";              /* binding only fills an empty address */
    c.codes = &code_id;
    c.ncodes = 1;
    c.action = "bind_email";
    c.detail = email;
    return change_answer(req, devplat_account_change_contact(req, req->user->id, &c, &bad),
                         "email", MSG_EMAIL_TAKEN, "verification_code", "验证码",
                         "email", MSG_EMAIL_BOUND);
}

/* How update-mobile proves the old side: a code to the current mobile, a
 * code to the proven address, or the account password. */
typedef struct {
    const char *type;
    const char *field;          /* the proof's field */
    const char *label;
    const char *purpose;        /* NULL: the password */
} old_proof;

static const old_proof old_proofs[] = {
    {"mobile",   "old_mobile_verification_code", "旧手机号验证码", DEVPLAT_PURPOSE_MOBILE_OLD},
    {"email",    "old_email_verification_code",  "邮箱验证码",     DEVPLAT_PURPOSE_MOBILE_EMAIL},
    {"password", "password",                     "密码",           NULL},
    {NULL, NULL, NULL, NULL}
};

int devplat_dev_update_mobile(devplat_req *req)
{
    devplat_errors *e = devplat_errors_make(req->r);
    const char *type, *new_mobile, *new_code, *old_value = NULL, *old_dest = NULL;
    const old_proof *how = NULL;
    devplat_contact_change c;
    apr_int64_t codes[2] = {0, 0};
    account a;
    int rc, t, bad = -1, n = 0;

    if (DEVPLAT_DONE(rc = begin_request(req, &a))) {
        return rc;
    }
    type = devplat_input_string(req, e, "authentication_type", "验证类型");
    for (how = old_proofs; type && how->type && strcmp(how->type, type); how++) {
    }
    if (type && !how->type) {
        devplat_errors_add(e, "authentication_type", MSG_AUTH_TYPE_ALL);
        how = NULL;
    }
    if (!type) {
        how = NULL;
    }
    /* the proof of the chosen way is required, the others ignored */
    if (how) {
        old_value = how->purpose ? input_code(req, e, how->field, how->label)
                                 : devplat_input_string(req, e, how->field, how->label);
    }
    new_mobile = input_mobile(req, e, "new_mobile", "新手机号");
    new_code = input_code(req, e, "new_mobile_verification_code", "新手机号验证码");
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }

    if (how->purpose) {
        old_dest = strcmp(how->type, "email") ? a.mobile : a.email;
        if (!old_dest) {
            /* nothing proven to verify the chosen way with */
            return devplat_reply_error(req, HTTP_NOT_FOUND, DEVPLAT_MSG_NOT_FOUND);
        }
    }
    if (a.mobile && !strcmp(new_mobile, a.mobile)) {
        return devplat_reply_invalid1(req, "new_mobile", MSG_MOBILE_SAME);
    }
    if ((t = taken(req, DEVPLAT_CONTACT_MOBILE, new_mobile, &rc)) < 0) {
        return rc;
    }
    if (t) {
        return devplat_reply_invalid1(req, "new_mobile", MSG_MOBILE_TAKEN);
    }
    if (!how->purpose && DEVPLAT_DONE(rc = password_proof(req, old_value, how->field))) {
        return rc;
    }
    if ((how->purpose && check_code(req, e, old_dest, how->purpose, old_value, how->field,
                                    how->label, &codes[n++]) < 0)
        || check_code(req, e, new_mobile, DEVPLAT_PURPOSE_MOBILE_NEW, new_code,
                      "new_mobile_verification_code", "新手机号验证码", &codes[n++]) < 0) {
        return unavailable(req);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }

    memset(&c, 0, sizeof(c));
    c.kind = DEVPLAT_CONTACT_MOBILE;
    c.value = new_mobile;
    c.proven = 1;
    c.expect = a.mobile ? a.mobile : "";
    c.codes = codes;
    c.ncodes = n;
    c.action = "change_mobile";
    c.detail = apr_pstrcat(req->r->pool, new_mobile, " (verified by ", how->type, ")", NULL);
    rc = (int)devplat_account_change_contact(req, req->user->id, &c, &bad);
    return change_answer(req, (devplat_result)rc, "new_mobile", MSG_MOBILE_TAKEN,
                         bad == n - 1 ? "new_mobile_verification_code" : how->field,
                         bad == n - 1 ? "新手机号验证码" : how->label,
                         "new_mobile", MSG_MOBILE_TAKEN);
}

/* The old address's code proves the old side; the new address is kept
 * unverified until a bind-email proves it (000 sends it no code here). */
int devplat_dev_update_email(devplat_req *req)
{
    devplat_errors *e = devplat_errors_make(req->r);
    const char *code, *old_email, *new_email;
    devplat_contact_change c;
    apr_int64_t code_id = 0;
    account a;
    int rc, t, bad;

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
    if (strcmp(old_email, a.email)) {
        return devplat_reply_invalid1(req, "old_email", MSG_OLD_EMAIL_WRONG);
    }
    if (!strcmp(new_email, old_email)) {
        return devplat_reply_invalid1(req, "new_email", MSG_EMAIL_SAME);
    }
    if ((t = taken(req, DEVPLAT_CONTACT_EMAIL, new_email, &rc)) < 0) {
        return rc;
    }
    if (t) {
        return devplat_reply_invalid1(req, "new_email", MSG_EMAIL_TAKEN);
    }
    if (check_code(req, e, old_email, DEVPLAT_PURPOSE_EMAIL_OLD, code,
                   "old_email_verification_code", "旧邮箱验证码", &code_id) < 0) {
        return unavailable(req);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    memset(&c, 0, sizeof(c));
    c.kind = DEVPLAT_CONTACT_EMAIL;
    c.value = new_email;
    c.proven = 0;
    c.expect = a.email;
    c.codes = &code_id;
    c.ncodes = 1;
    c.action = "change_email";
    c.detail = apr_pstrcat(req->r->pool, new_email, " (unverified until bound)", NULL);
    return change_answer(req, devplat_account_change_contact(req, req->user->id, &c, &bad),
                         "new_email", MSG_EMAIL_TAKEN, "old_email_verification_code",
                         "旧邮箱验证码", "old_email", MSG_OLD_EMAIL_WRONG);
}

int devplat_dev_update_password(devplat_req *req)
{
    devplat_errors *e = devplat_errors_make(req->r);
    const char *old_pw, *new_pw, *hash;
    apr_int64_t wait = 0;
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
    /* the old password is checked under the account's login throttle */
    switch (devplat_account_check_password(req, old_pw, "password_change_failed", &wait)) {
    case DEVPLAT_R_OK:
        break;
    case DEVPLAT_R_WRONG:
        return devplat_reply_invalid1(req, "old_password", MSG_PASSWORD_WRONG);
    case DEVPLAT_R_LOCKED:
        return devplat_reply_throttled(req, wait, MSG_PASSWORD_LOCKED);
    default:
        return unavailable(req);
    }
    if (!strcmp(old_pw, new_pw)) {
        return devplat_reply_invalid1(req, "new_password", MSG_PASSWORD_SAME);
    }
    /* bcrypt is slow by design: never inside the transaction */
    if (!(hash = devplat_account_hash(req, new_pw))) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    /* every other session ends, rotated ones in their grace included */
    return change_answer(req, devplat_account_set_password(req, req->user->id, hash,
                                                           req->jti, 0, "password_change",
                                                           "other sessions revoked"),
                         NULL, NULL, NULL, NULL, NULL, NULL);
}
