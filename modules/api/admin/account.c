/* 账户相关: the console's sign-up (with an avatar) and login over the
 * shared users. */
#include "admin.h"
#include "admin_sql.h"
#include "accounts.h"
#include "config.h"
#include "audit.h"
#include "body.h"
#include "db.h"
#include "login_throttle.h"
#include "reply.h"
#include "session.h"
#include "timefmt.h"
#include "upload.h"
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

#define MSG_SIGN_UP_OK     "注册成功"
#define MSG_PASSWD_RULE    "密码须为6-16位字母、数字、下划线或破折号"
#define MSG_REPASSWD_DIFF  "确认密码与密码不一致"
#define AVATAR_MAX         30720

/* 001: png, jpg/jpeg or bmp, told by the bytes; at most 30720 bytes */
static const devplat_upload_spec avatar_spec = {
    "avatar", "avatar", "头像",
    DEVPLAT_FILE_PNG | DEVPLAT_FILE_JPEG | DEVPLAT_FILE_BMP, AVATAR_MAX, 0
};

/* The creating transaction's step: the avatar stored under the new id and
 * its URL on the account. */
static apr_status_t store_avatar(devplat_req *req, apr_int64_t id, void *ctx)
{
    devplat_upload *avatar = ctx;

    if (devplat_upload_store(req, avatar, id) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    return devplat_db_exec(req, DPA_USER_AVATAR, NULL, 2, avatar->url, devplat_i64(req, id));
}

/* An account for staff. Nobody proved its phone or e-mail here, so both
 * are kept unverified: they block nobody and are no login identifier
 * until the account proves them with a code (README: what an
 * administrator may vouch for). */
int devplat_admin_sign_up(devplat_req *req)
{
    request_rec *r = req->r;
    devplat_errors *e = devplat_errors_make(r);
    devplat_admin_profile p;
    devplat_account_new n;
    devplat_upload *avatar;
    devplat_rows *rows = NULL;
    devplat_result res;
    devplat_taken t;
    const char *passwd, *repasswd;
    apr_int64_t id = 0;
    int rc, taken;

    /* the form's text fields land in req->input beside the file */
    if (DEVPLAT_DONE(rc = devplat_upload_receive(req, &avatar_spec, e, &avatar))) {
        return rc;
    }
    devplat_admin_read_profile(req, e, 1, &p, NULL);
    passwd = devplat_input_string(req, e, "passwd", "密码");
    repasswd = devplat_input_string(req, e, "repasswd", "确认密码");
    if (passwd && !devplat_is_word(passwd, 6, 16)) {
        devplat_errors_add(e, "passwd", MSG_PASSWD_RULE);
        passwd = NULL;
    }
    if (passwd && repasswd && strcmp(passwd, repasswd)) {
        devplat_errors_add(e, "repasswd", MSG_REPASSWD_DIFF);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    /* the common case gets a clear answer here; the unique indexes settle
     * races between concurrent sign-ups below */
    if ((taken = devplat_admin_taken(req, e, &p, 0)) < 0) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (taken) {
        return devplat_reply_invalid(req, e);
    }

    memset(&n, 0, sizeof(n));
    n.username = p.nickname;
    n.name = p.name;
    n.position = p.position;
    n.unverified_mobile = p.phone;
    n.unverified_email = p.email;
    n.status = DEVPLAT_STATUS_NOT_REVIEWED;     /* until an administrator audits it */
    /* bcrypt is slow by design: never inside the transaction */
    if (!(n.password_hash = devplat_account_hash(req, passwd))) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    /* user, stored file, its URL and the audit row: all or nothing */
    res = devplat_account_create(req, &n, store_avatar, avatar, &id, &t);
    if (res != DEVPLAT_R_OK) {
        devplat_upload_discard(req, avatar);     /* its row was rolled back */
        if (res == DEVPLAT_R_TAKEN && t.username) {
            return devplat_reply_invalid1(req, "nickname", DEVPLAT_ADMIN_MSG_NICKNAME_TAKEN);
        }
        return devplat_reply_error(req, res == DEVPLAT_R_UNAVAILABLE
                                        ? HTTP_SERVICE_UNAVAILABLE
                                        : HTTP_INTERNAL_SERVER_ERROR,
                                   res == DEVPLAT_R_UNAVAILABLE
                                   ? DEVPLAT_MSG_UNAVAILABLE : DEVPLAT_MSG_SERVER);
    }
    if (devplat_db_select(req, DPA_USER_GET, &rows, 1, devplat_i64(req, id)) != APR_SUCCESS
        || rows->nrows != 1) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    return devplat_reply_ok_msg(req, devplat_admin_user_json(req, rows->rows[0]),
                                MSG_SIGN_UP_OK);
}

int devplat_admin_login(devplat_req *req)
{
    request_rec *r = req->r;
    devplat_errors *e = devplat_errors_make(r);
    const char *nickname, *passwd, *code, *captcha_id;
    devplat_account *a = NULL;
    devplat_token tok;
    json_object *data;
    apr_int64_t wait = 0;
    int rc;

    if (DEVPLAT_DONE(rc = devplat_input_load(req))) {
        return rc;
    }
    nickname = devplat_input_string(req, e, "nickname", "用户名");
    passwd = devplat_input_string(req, e, "passwd", "密码");
    code = devplat_input_string(req, e, "captcha_code", "验证码");
    captcha_id = devplat_input_string(req, e, "captcha_id", "验证码id");
    /* a nickname, or any other login identifier (a proven mobile or e-mail) */
    if (nickname && !devplat_is_name(nickname, 2, 16) && !devplat_is_email(nickname)) {
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

    /* passwords set through the other faces may be longer than 001's rule
     * for new ones, so only the stored hash decides */
    switch (devplat_account_login(req, nickname, passwd, &a, &tok, &wait)) {
    case DEVPLAT_R_OK:
        break;
    case DEVPLAT_R_LOCKED:
        return devplat_reply_throttled(req, wait, DEVPLAT_MSG_THROTTLED);
    case DEVPLAT_R_WRONG:
        return devplat_reply_invalid1(req, "nickname", MSG_BAD_LOGIN);
    case DEVPLAT_R_FROZEN:
        return devplat_reply_error(req, HTTP_FORBIDDEN, MSG_FROZEN);
    default:
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }

    data = json_object_new_object();
    json_object_object_add(data, "account_status",
                           json_object_new_int(devplat_admin_status_code(a->user.status)));
    json_object_object_add(data, "id", json_object_new_int64(a->user.id));
    json_object_object_add(data, "nickname", json_object_new_string(a->user.username));
    json_object_object_add(data, "token", json_object_new_string(tok.access_token));
    json_object_object_add(data, "user_level",
                           json_object_new_int(DEVPLAT_ADMIN_LEVEL(a->is_admin)));
    return devplat_reply_ok_msg(req, data, MSG_LOGIN_OK);
}
