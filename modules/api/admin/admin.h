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

/* projects.c: the back office's project catalogue */
int devplat_admin_project_list(devplat_req *req);   /* GET    project/list */
int devplat_admin_project_create(devplat_req *req); /* POST   project */
int devplat_admin_project_update(devplat_req *req); /* PUT    project/{id} */
int devplat_admin_project_delete(devplat_req *req); /* DELETE project/{id} */

/* reviews.c: the review queues (back office) */
int devplat_admin_review_list(devplat_req *req);    /* GET    review/list */
int devplat_admin_review_get(devplat_req *req);     /* GET    review/{kind}/{id} */
int devplat_admin_review_decide(devplat_req *req);  /* PUT    review/{kind}/{id} */

/* audit_log.c: the audit log (back office) */
int devplat_admin_audit_list(devplat_req *req);     /* GET    audit/list */

/* credit.c: credit changes (back office) */
int devplat_admin_user_credit(devplat_req *req);    /* POST   user/{id}/credit */
int devplat_admin_user_credit_list(devplat_req *req); /* GET    user/{id}/credit */

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

/* The back office's gate: authenticates the bearer token and answers 403
 * unless its user is an administrator (401/503 as devplat_admin_actor).
 * DEVPLAT_CONTINUE when the user is one. */
int devplat_admin_require_admin(devplat_req *req);

/* Authenticates the bearer token and tells whether its user is an
 * administrator. Answers 401/503 itself and returns its result on failure;
 * DEVPLAT_CONTINUE on success. */
int devplat_admin_actor(devplat_req *req, int *is_admin);

/* The route's {id} as a positive integer, 0 when it is not one. */
apr_int64_t devplat_admin_param_id(devplat_req *req);

/* paging.c: the page of a paginated list, from ?page= (1 when absent or
 * empty) and ?per_page= (1-100, 15 when absent or empty); limit and
 * offset are the statement's arguments. */
typedef struct {
    apr_int64_t page;
    int per_page;
    const char *limit, *offset;
} devplat_admin_paging;

/* DEVPLAT_CONTINUE with *pg, else the 422 reply naming the parameter. */
int devplat_admin_paging_read(devplat_req *req, devplat_admin_paging *pg);
/* {total, per_page, current_page, last_page, data: list} as list/user */
json_object *devplat_admin_page_json(const devplat_admin_paging *pg, apr_int64_t total,
                                     json_object *list);
/* A whole-number parameter in [min, max] (a JSON integer or decimal text):
 * 1 with *out, 1 leaving *out as it is when absent or empty, 0 otherwise. */
int devplat_admin_query_int(devplat_req *req, const char *key, apr_int64_t min,
                            apr_int64_t max, apr_int64_t *out);

/* A text parameter of a filter: the text, or NULL when absent or empty (no
 * filter) or when it is not text or valid() (NULL: any text) refuses it;
 * then rule is added to e for key. */
const char *devplat_admin_query_text(devplat_req *req, devplat_errors *e, const char *key,
                                     int (*valid)(const char *), const char *rule);

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
