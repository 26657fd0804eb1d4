/* 账户相关: user management. Administrators (users.is_admin) may do all of
 * it; any other signed-in user may read and update their own record only. */
#include "admin.h"
#include "admin_sql.h"
#include "accounts.h"
#include "config.h"
#include "audit.h"
#include "body.h"
#include "db.h"
#include "reply.h"
#include "reviews.h"
#include "timefmt.h"
#include "validate.h"

#define MSG_NO_FIELDS   "请至少提供一项要修改的内容：nickname、name、phone、position、email"
#define MSG_NOT_PENDING "该用户不是待审核状态"
#define MSG_LAST_ADMIN  "不能删除最后一名管理员"
#define MSG_OWN_PHONE   "修改手机号须验证新号码，请在个人中心修改"
#define MSG_OWN_QUALIFICATION "不能审核自己的资质认证"
#define MSG_OWN_EMAIL   "修改邮箱须验证新邮箱，请在个人中心修改"

int devplat_admin_user_list(devplat_req *req)
{
    devplat_admin_paging pg;
    json_object *list;
    devplat_rows *count, *rows;
    int rc, i;

    if (DEVPLAT_DONE(rc = devplat_admin_require_admin(req))
        || DEVPLAT_DONE(rc = devplat_input_load(req))
        || DEVPLAT_DONE(rc = devplat_admin_paging_read(req, &pg))) {
        return rc;
    }
    if (devplat_db_select(req, DPA_USER_COUNT, &count, 0) != APR_SUCCESS
        || count->nrows != 1
        || devplat_db_select(req, DPA_USER_PAGE, &rows, 2, pg.limit, pg.offset)
           != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    list = json_object_new_array();
    for (i = 0; i < rows->nrows; i++) {
        json_object_array_add(list, devplat_admin_user_json(req, rows->rows[i]));
    }
    return devplat_reply_ok(req, devplat_admin_page_json(&pg,
                                                         devplat_atoi64(devplat_cell(count, 0, 0)),
                                                         list));
}

/* The user with id, or NULL with *rc set: 404 when there is none (or it
 * was deleted), 503 when the database failed. */
static const char **load_user(devplat_req *req, apr_int64_t id, int *rc)
{
    devplat_rows *rows;

    if (devplat_db_select(req, DPA_USER_GET, &rows, 1, devplat_i64(req, id)) != APR_SUCCESS) {
        *rc = devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
        return NULL;
    }
    if (rows->nrows != 1) {
        *rc = devplat_reply_error(req, HTTP_NOT_FOUND, DEVPLAT_ADMIN_MSG_NO_USER);
        return NULL;
    }
    return rows->rows[0];
}

/* Who may touch user id: administrators, and the user themselves. Answers
 * 401/403/422/503 itself; returns the id or 0. */
static apr_int64_t target(devplat_req *req, int self_allowed, int *is_admin, int *rc)
{
    apr_int64_t id;

    if (DEVPLAT_DONE(*rc = devplat_admin_actor(req, is_admin))) {
        return 0;
    }
    /* not a number is malformed for everyone; someone else's record is
     * forbidden before anyone learns whether it exists */
    id = devplat_admin_param_id(req);
    if (!id) {
        *rc = devplat_reply_invalid1(req, "id", DEVPLAT_ADMIN_MSG_BAD_ID);
        return 0;
    }
    if (!*is_admin && !(self_allowed && id == req->user->id)) {
        *rc = devplat_reply_error(req, HTTP_FORBIDDEN, DEVPLAT_ADMIN_MSG_FORBIDDEN);
        return 0;
    }
    return id;
}

int devplat_admin_user_get(devplat_req *req)
{
    const char **row;
    apr_int64_t id;
    int rc, is_admin;

    if (!(id = target(req, 1, &is_admin, &rc)) || !(row = load_user(req, id, &rc))) {
        return rc;
    }
    return devplat_reply_ok(req, devplat_admin_user_json(req, row));
}

/* "nickname,phone": the fields an update changes, for the audit row. */
static const char *changed(devplat_req *req, const devplat_admin_profile *p)
{
    const char *s = "";

#define ADD(f, name) if (p->f) s = apr_pstrcat(req->r->pool, s, *s ? "," : "", name, NULL)
    ADD(nickname, "nickname");
    ADD(name, "name");
    ADD(phone, "phone");
    ADD(position, "position");
    ADD(email, "email");
#undef ADD
    return s;
}

/* Writes the administrator's contacts for another user: unverified (an
 * administrator vouches for no contact), the proven one of that kind gone,
 * every session of the user ended. */
static apr_status_t write_contacts(devplat_req *req, apr_int64_t id,
                                   const devplat_admin_profile *p)
{
    if ((p->phone && devplat_account_write_contact(req, id, DEVPLAT_CONTACT_MOBILE,
                                                   p->phone, 0) != APR_SUCCESS)
        || (p->email && devplat_account_write_contact(req, id, DEVPLAT_CONTACT_EMAIL,
                                                      p->email, 0) != APR_SUCCESS)) {
        return APR_EGENERAL;
    }
    if (!p->phone && !p->email) {
        return APR_SUCCESS;
    }
    if (devplat_account_revoke_sessions(req, id, NULL) != APR_SUCCESS
        || (p->phone && devplat_account_contact_event(req, id, DEVPLAT_CONTACT_MOBILE,
                                                      p->phone, 0) != APR_SUCCESS)
        || (p->email && devplat_account_contact_event(req, id, DEVPLAT_CONTACT_EMAIL,
                                                      p->email, 0) != APR_SUCCESS)) {
        return APR_EGENERAL;
    }
    return devplat_audit(req, id, "contact_change_by_admin",
                         apr_psprintf(req->r->pool, "%s%s%s unverified, by %" APR_INT64_T_FMT,
                                      p->phone ? "phone" : "",
                                      p->phone && p->email ? "," : "",
                                      p->email ? "email" : "", req->user->id));
}

int devplat_admin_user_update(devplat_req *req)
{
    request_rec *r = req->r;
    devplat_errors *e = devplat_errors_make(r);
    devplat_admin_profile p;
    devplat_rows *rows;
    const char *now;
    apr_int64_t id;
    int rc, is_admin, given, taken, updated = 0, gone = 0;

    if (!(id = target(req, 1, &is_admin, &rc)) || !load_user(req, id, &rc)) {
        return rc;
    }
    if (DEVPLAT_DONE(rc = devplat_input_load(req))) {
        return rc;
    }
    devplat_admin_read_profile(req, e, 0, &p, &given);
    /* one's own contact changes only with proof (the developer face's
     * code flows): a token alone must never become the account */
    if (id == req->user->id && p.phone) {
        devplat_errors_add(e, "phone", MSG_OWN_PHONE);
    }
    if (id == req->user->id && p.email) {
        devplat_errors_add(e, "email", MSG_OWN_EMAIL);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    if (!given) {
        return devplat_reply_error(req, HTTP_UNPROCESSABLE_ENTITY, MSG_NO_FIELDS);
    }
    if ((taken = devplat_admin_taken(req, e, &p, id)) < 0) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (taken) {
        return devplat_reply_invalid(req, e);
    }

    now = devplat_time_pformat(r->pool, req->now);
    if (devplat_db_begin(req) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    /* MariaDB counts changed rows, not matched ones: 0 may also mean the
     * values were already those; only a missing row is a failure */
    if (devplat_db_exec(req, DPA_USER_UPDATE, &updated, 5, p.nickname, p.name, p.position,
                        now, devplat_i64(req, id)) == APR_SUCCESS
        && (updated == 1
            || (devplat_db_select(req, DPA_USER_GET, &rows, 1, devplat_i64(req, id))
                == APR_SUCCESS && (gone = rows->nrows != 1) == 0))
        && write_contacts(req, id, &p) == APR_SUCCESS) {
        devplat_audit(req, id, "user_update",
                      apr_psprintf(r->pool, "%s by %" APR_INT64_T_FMT,
                                   changed(req, &p), req->user->id));
    }
    else {
        devplat_db_rollback(req);
    }
    if (devplat_db_end(req) != APR_SUCCESS) {
        if (gone) {
            return devplat_reply_error(req, HTTP_NOT_FOUND, DEVPLAT_ADMIN_MSG_NO_USER);
        }
        /* most likely a concurrent change took the nickname */
        e = devplat_errors_make(r);
        if (devplat_admin_taken(req, e, &p, id) > 0) {
            return devplat_reply_invalid(req, e);
        }
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
    }
    return devplat_reply_ok(req, NULL);
}

/* not yet reviewed or under review become normal */
#define APPROVABLE \
    (DEVPLAT_FROM(DEVPLAT_STATUS_NOT_REVIEWED) | DEVPLAT_FROM(DEVPLAT_STATUS_UNDER_REVIEW))
/* anything but deleted */
#define DELETABLE (~DEVPLAT_FROM(DEVPLAT_STATUS_DELETED) & 0xff)

/* Approving an account that waits on a qualification is that
 * submission's decision (the review queue shows it approved by this
 * administrator); any other waiting account only changes status. */
static devplat_result approve_account(devplat_req *req, apr_int64_t id)
{
    devplat_rows *rows;
    apr_int64_t review;
    int pending;
    devplat_result res;

    if (devplat_db_select(req, DPA_USER_GET, &rows, 1, devplat_i64(req, id)) != APR_SUCCESS) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    /* no such user, or not waiting: the caller tells which */
    if (rows->nrows != 1
        || !(DEVPLAT_FROM((int)devplat_atoi64(rows->rows[0][DPA_COL_STATUS])) & APPROVABLE)) {
        return DEVPLAT_R_CONFLICT;
    }
    if ((pending = devplat_review_pending_qualification(req, id, &review)) < 0) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    if (pending) {
        res = devplat_review_decide(req, devplat_review_kind_named(DEVPLAT_REVIEW_QUALIFICATION),
                                    review, 1, "");
        if (res != DEVPLAT_R_CONFLICT) {
            return res;
        }
        /* decided or superseded meanwhile: the status says what is left */
    }
    return devplat_account_set_status(req, id, APPROVABLE, DEVPLAT_STATUS_NORMAL,
                                      "user_audit", "approved");
}

int devplat_admin_user_audit(devplat_req *req)
{
    apr_int64_t id;
    int rc, is_admin;

    req->cmd = "audit/user";        /* as 001 shows it */
    if (!(id = target(req, 0, &is_admin, &rc))) {
        return rc;
    }
    switch (approve_account(req, id)) {
    case DEVPLAT_R_OK:
        return devplat_reply_ok(req, NULL);
    case DEVPLAT_R_OWN:
        return devplat_reply_error(req, HTTP_FORBIDDEN, MSG_OWN_QUALIFICATION);
    case DEVPLAT_R_CONFLICT:
        if (!load_user(req, id, &rc)) {
            return rc;
        }
        return devplat_reply_error(req, HTTP_CONFLICT, MSG_NOT_PENDING);
    default:
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
}

int devplat_admin_user_delete(devplat_req *req)
{
    apr_int64_t id;
    int rc, is_admin;

    if (!(id = target(req, 0, &is_admin, &rc))) {
        return rc;
    }
    switch (devplat_account_set_status(req, id, DELETABLE, DEVPLAT_STATUS_DELETED,
                                       "user_delete", NULL)) {
    case DEVPLAT_R_OK:
        return devplat_reply_ok(req, json_object_new_boolean(1));
    case DEVPLAT_R_CONFLICT:
        /* gone already, or the last administrator who can sign in */
        if (!load_user(req, id, &rc)) {
            return rc;
        }
        return devplat_reply_error(req, HTTP_CONFLICT, MSG_LAST_ADMIN);
    default:
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
}
