/* 账户相关: the console's login (and sign-up) over the shared users. */
#include "admin.h"
#include "admin_sql.h"
#include "config.h"
#include "audit.h"
#include "body.h"
#include "db.h"
#include "login_throttle.h"
#include "reply.h"
#include "session.h"
#include "captcha.h"
#include "password.h"
#include "validate.h"

#define MSG_LOGIN_OK       "登录成功"
#define MSG_BAD_LOGIN      "用户名或密码错误"
#define MSG_FROZEN         "账号已被冻结"
#define MSG_NICKNAME_RULE  "用户名须为2-16位汉字、字母、数字、下划线或破折号"
#define MSG_CAPTCHA_RULE   "验证码须为5位字母或数字"
#define MSG_CAPTCHA_WRONG  "验证码错误"
#define MSG_CAPTCHA_GONE   "验证码已失效，请重新获取"

/* Columns of DPA_LOGIN. */
enum { LOGIN_ID, LOGIN_USERNAME, LOGIN_PASSWORD, LOGIN_STATUS, LOGIN_IS_ADMIN };

int devplat_admin_login(devplat_req *req)
{
    request_rec *r = req->r;
    devplat_errors *e = devplat_errors_make(r);
    const char *nickname, *passwd, *code, *captcha_id, *hash = NULL;
    const char **user = NULL;
    devplat_rows *rows;
    devplat_token tok;
    json_object *data;
    apr_int64_t wait, id = 0;
    int rc, status;

    if (DEVPLAT_DONE(rc = devplat_input_load(req))) {
        return rc;
    }
    nickname = devplat_input_string(req, e, "nickname", "用户名");
    passwd = devplat_input_string(req, e, "passwd", "密码");
    code = devplat_input_string(req, e, "captcha_code", "验证码");
    captcha_id = devplat_input_string(req, e, "captcha_id", "验证码id");
    if (nickname && !devplat_is_name(nickname, 2, 16)) {
        devplat_errors_add(e, "nickname", MSG_NICKNAME_RULE);
    }
    if (code && !(code = devplat_captcha_normalize(r->pool, code))) {
        devplat_errors_add(e, "captcha_code", MSG_CAPTCHA_RULE);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }

    /* the captcha goes first, and goes whatever happens next */
    switch (devplat_admin_captcha_use(req, captcha_id, code)) {
    case DEVPLAT_CAPTCHA_RIGHT:
        break;
    case DEVPLAT_CAPTCHA_WRONG:
        return devplat_reply_invalid1(req, "captcha_code", MSG_CAPTCHA_WRONG);
    case DEVPLAT_CAPTCHA_GONE:
        return devplat_reply_invalid1(req, "captcha_id", MSG_CAPTCHA_GONE);
    default:
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }

    wait = devplat_login_throttle_wait(req, nickname);
    if (wait < 0) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (wait > 0) {
        return devplat_reply_throttled(req, wait, DEVPLAT_MSG_THROTTLED);
    }
    if (devplat_db_select(req, DPA_LOGIN, &rows, 1, nickname) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (rows->nrows == 1
        && devplat_atoi64(devplat_cell(rows, 0, LOGIN_STATUS)) != DEVPLAT_STATUS_DELETED) {
        user = rows->rows[0];
        hash = user[LOGIN_PASSWORD];
        id = devplat_atoi64(user[LOGIN_ID]);
    }
    /* an unknown nickname costs the same bcrypt verification as a known one;
     * passwords set through the other faces may be longer than 001's rule
     * for new ones, so only the stored hash decides */
    if (!devplat_password_verify(r->pool, passwd, hash, req->sconf->bcrypt_cost)) {
        devplat_login_throttle_fail(req, nickname);
        devplat_audit(req, id, "login_failed", nickname);
        return devplat_reply_invalid1(req, "nickname", MSG_BAD_LOGIN);
    }
    status = (int)devplat_atoi64(user[LOGIN_STATUS]);
    if (status == DEVPLAT_STATUS_FROZEN) {
        devplat_audit(req, id, "login_failed", "frozen");
        return devplat_reply_error(req, HTTP_FORBIDDEN, MSG_FROZEN);
    }
    devplat_login_throttle_clear(req, nickname);
    if (devplat_session_issue(req, id, req->now, &tok) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    devplat_audit(req, id, "login", "admin");

    data = json_object_new_object();
    json_object_object_add(data, "account_status",
                           json_object_new_int(devplat_admin_status_code(status)));
    json_object_object_add(data, "id", json_object_new_int64(id));
    json_object_object_add(data, "nickname", json_object_new_string(user[LOGIN_USERNAME]));
    json_object_object_add(data, "token", json_object_new_string(tok.access_token));
    json_object_object_add(data, "user_level", json_object_new_int(
                               DEVPLAT_ADMIN_LEVEL(devplat_atoi64(user[LOGIN_IS_ADMIN]))));
    return devplat_reply_ok_msg(req, data, MSG_LOGIN_OK);
}
