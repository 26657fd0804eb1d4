/* Endpoints of the admin console API (001_*.txt), one prototype per
 * endpoint, grouped by the file that implements them, and the few helpers
 * those files share (common.c). */
#ifndef DEVPLAT_API_ADMIN_H
#define DEVPLAT_API_ADMIN_H

#include "devplat_private.h"
#include "reply.h"
#include "vocab.h"

/* captcha.c: 验证码相关 */
int devplat_admin_captcha(devplat_req *req);        /* GET    captcha */

/* account.c: 账户相关 — sign-up and login */
int devplat_admin_sign_up(devplat_req *req);        /* PUT    signUp */
int devplat_admin_login(devplat_req *req);          /* POST   login */

/* users.c: 账户相关 — user management */
int devplat_admin_user_list(devplat_req *req);      /* GET    list/user */
int devplat_admin_user_get(devplat_req *req);       /* GET    user/{id} */
int devplat_admin_user_update(devplat_req *req);    /* PUT    user/{id} */
int devplat_admin_user_audit(devplat_req *req);     /* PUT    audit/user/{id} */
int devplat_admin_user_delete(devplat_req *req);    /* DELETE user/{id} */

/* ---- shared by the files above ---- */

/* A captcha presented at login, spent by the check whatever its outcome. */
typedef enum {
    DEVPLAT_CAPTCHA_RIGHT = 0,
    DEVPLAT_CAPTCHA_WRONG,      /* the text does not match */
    DEVPLAT_CAPTCHA_GONE,       /* unknown, forged, expired or already used */
    DEVPLAT_CAPTCHA_ERROR       /* the database failed; logged */
} devplat_captcha_result;

/* code: what the user typed, already normalised (captcha.h). */
devplat_captcha_result devplat_admin_captcha_use(devplat_req *req, const char *id,
                                                 const char *code);

/* The fields of a user that sign-up takes and update may change. NULL:
 * absent (or invalid; the error is in the devplat_errors). */
typedef struct {
    const char *nickname;
    const char *name;
    const char *phone;
    const char *position;
    const char *email;
} devplat_admin_profile;

/* Reads the profile fields from req->input and checks 001's rules. With
 * required, every field must be there (sign-up); otherwise each is
 * optional and *given counts the fields present. */
void devplat_admin_read_profile(devplat_req *req, devplat_errors *e, int required,
                                devplat_admin_profile *out, int *given);

/* Adds errors for a nickname, phone or e-mail that another user than
 * self_id (0: anyone) has. -1 when the database failed, else the count. */
int devplat_admin_taken(devplat_req *req, devplat_errors *e,
                        const devplat_admin_profile *p, apr_int64_t self_id);

/* Authenticates the bearer token and tells whether its user is an
 * administrator. Answers 401/503 itself and returns its result on failure;
 * DEVPLAT_CONTINUE on success. */
int devplat_admin_actor(devplat_req *req, int *is_admin);

/* The route's {id} as a positive integer, 0 when it is not one. */
apr_int64_t devplat_admin_param_id(devplat_req *req);

/* The user as this face shows it, from a row of DPA_USER_GET/PAGE. */
json_object *devplat_admin_user_json(devplat_req *req, const char **row);

/* account_status of 001: a number at login, a text in lists. */
int devplat_admin_status_code(int status);
const char *devplat_admin_status_text(int status);

/* 1 for administrators (users.is_admin), 0 for everyone else. */
#define DEVPLAT_ADMIN_LEVEL(is_admin) ((is_admin) ? 1 : 0)

#define DEVPLAT_ADMIN_MSG_FORBIDDEN  "没有权限执行此操作"
#define DEVPLAT_ADMIN_MSG_NO_USER    "用户不存在"
#define DEVPLAT_ADMIN_MSG_BAD_ID     "用户id须为正整数"
#define DEVPLAT_ADMIN_MSG_NICKNAME_TAKEN "用户名已存在"

#endif
