/* 获取用户详细信息, 更换头像, 资质认证 (and 上传图片, which the last two need). */
#include "mobile.h"
#include "accounts.h"
#include "audit.h"
#include "db.h"
#include "rate_limit.h"
#include "reply.h"
#include "reviews.h"
#include "session.h"
#include "statements.h"
#include "upload.h"
#include "timefmt.h"

#define MSG_PORTRAIT_SET    "添加成功"
#define MSG_QUALIFIED       "从业资格证上传成功,等待客服认证"
#define MSG_PICTURE_MISSING "图片名称地址不能空"
#define MSG_QUALIFY_FAIL    "资格证上传失败,请联系客服"
#define MSG_NOT_OWNED       "图片须为本账号用upload_image上传的图片地址"
#define MSG_UPLOADED        "上传成功"
#define MSG_UPLOAD_FAIL     "图片上传失败"

#define MAX_PATH_BYTES 255

/* Columns of DP_MOBILE_USER_DETAILS. */
enum { DETAILS_ID, DETAILS_MOBILE, DETAILS_USERNAME, DETAILS_INTEGRAL, DETAILS_STATUS,
       DETAILS_UUID, DETAILS_AVATAR, DETAILS_CURRENCY, DETAILS_VIRTUAL };

static const devplat_mobile_rules portrait_rules = {
    DEVPLAT_MOBILE_MISSING, MOBILE_MSG_MISSING, 0,
    DEVPLAT_MOBILE_BAD_INPUT, MOBILE_MSG_BAD_INPUT
};
static const devplat_mobile_rules qualification_rules = {
    DEVPLAT_MOBILE_MISSING, MSG_PICTURE_MISSING, 1,
    DEVPLAT_MOBILE_BAD_INPUT, MOBILE_MSG_BAD_INPUT
};

static void add_string(json_object *o, const char *key, const char *value)
{
    json_object_object_add(o, key, json_object_new_string(value ? value : ""));
}

/* 红包 is kept in fen and shown in yuan ("12.30"); never credited: "". */
static const char *yuan(devplat_req *req, const char *fen)
{
    apr_int64_t v;

    if (!fen) {
        return "";
    }
    v = devplat_atoi64(fen);
    return apr_psprintf(req->r->pool, "%s%" APR_INT64_T_FMT ".%02d", v < 0 ? "-" : "",
                        (v < 0 ? -v : v) / 100, (int)((v < 0 ? -v : v) % 100));
}

int devplat_mobile_user_details(devplat_req *req)
{
    devplat_rows *rows;
    json_object *data;
    const char **row;
    int rc;

    if (DEVPLAT_DONE(rc = devplat_mobile_input(req))
        || DEVPLAT_DONE(rc = devplat_session_require(req))) {
        return rc;
    }
    if (devplat_db_select(req, DP_MOBILE_USER_DETAILS, &rows, 1,
                          devplat_i64(req, req->user->id)) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (rows->nrows != 1) {
        return devplat_reply_fail(req, HTTP_NOT_FOUND, DEVPLAT_MOBILE_NO_USER,
                                  DEVPLAT_MSG_NO_USER);
    }
    row = rows->rows[0];
    data = json_object_new_object();
    /* 002 shows every field as a string */
    add_string(data, "_id", row[DETAILS_ID]);
    /* the login account: the mobile number, or the username of an account
     * made without one (devplat-admin) */
    add_string(data, "account", row[DETAILS_MOBILE] && *row[DETAILS_MOBILE]
                                ? row[DETAILS_MOBILE] : row[DETAILS_USERNAME]);
    add_string(data, "integral", row[DETAILS_INTEGRAL] ? row[DETAILS_INTEGRAL] : "0");
    add_string(data, "status", row[DETAILS_STATUS]);
    add_string(data, "uuid", row[DETAILS_UUID]);
    add_string(data, "portrait", row[DETAILS_AVATAR]);
    add_string(data, "currency", row[DETAILS_CURRENCY]
                                 ? devplat_i64(req, devplat_atoi64(row[DETAILS_CURRENCY]))
                                 : "");
    add_string(data, "virtual_currency", yuan(req, row[DETAILS_VIRTUAL]));
    return devplat_reply_ok_msg(req, data, "");
}

/* Whether path is an upload of the signed-in user of one of kinds (a NULL
 * ended list): 1 yes; else the answer given (1006 for anything else:
 * another user's file, an ID scan or an award proof;
 * save_code when the database failed). */
static int own_picture(devplat_req *req, const devplat_mobile_rules *rules,
                       const char *path, const char *const *kinds,
                       const char *save_info, int *rc)
{
    int owned = 0;

    for (; *kinds && owned == 0; kinds++) {
        owned = devplat_upload_owned(req, path, *kinds, req->user->id);
    }
    if (owned == 1) {
        return 1;
    }
    *rc = owned < 0
          ? devplat_reply_fail(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MOBILE_SAVE_FAILED,
                               save_info)
          : devplat_mobile_bad(req, rules, MSG_NOT_OWNED);
    return 0;
}

/* A qualification puts every account under review but frozen or deleted
 * ones. */
#define UNDER_REVIEW_FROM \
    (DEVPLAT_FROM(DEVPLAT_STATUS_NORMAL) | DEVPLAT_FROM(DEVPLAT_STATUS_NOT_REVIEWED) \
     | DEVPLAT_FROM(DEVPLAT_STATUS_REJECTED) | DEVPLAT_FROM(DEVPLAT_STATUS_UNDER_REVIEW))

/* What a portrait and a qualification picture may be. */
static const char *const portrait_kinds[] = {DEVPLAT_KIND_AVATAR, DEVPLAT_KIND_IMAGE, NULL};
static const char *const qualification_kinds[] = {DEVPLAT_KIND_IMAGE, NULL};

int devplat_mobile_upload_portrait(devplat_req *req)
{
    const char *portrait;
    int rc, n = 0;

    if (DEVPLAT_DONE(rc = devplat_mobile_input(req))
        || DEVPLAT_DONE(rc = devplat_session_require(req))
        || DEVPLAT_DONE(rc = devplat_mobile_field(req, &portrait_rules, "portrait", 1,
                                                  MAX_PATH_BYTES, &portrait))) {
        return rc;
    }
    if (!own_picture(req, &portrait_rules, portrait, portrait_kinds, MOBILE_MSG_SAVE_FAIL,
                     &rc)) {
        return rc;
    }
    if (devplat_db_exec(req, DP_MOBILE_AVATAR_SET, &n, 3, portrait,
                        devplat_time_pformat(req->r->pool, req->now),
                        devplat_i64(req, req->user->id)) != APR_SUCCESS || n != 1) {
        return devplat_reply_fail(req, HTTP_INTERNAL_SERVER_ERROR,
                                  DEVPLAT_MOBILE_SAVE_FAILED, MOBILE_MSG_SAVE_FAIL);
    }
    return devplat_reply_ok_msg(req, NULL, MSG_PORTRAIT_SET);
}

/* The submission as the review queue keeps it. */
static json_object *qualification_fields(const char *picture)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "picture", json_object_new_string(picture));
    return o;
}

static json_object *picture_list(const char *picture)
{
    json_object *a = json_object_new_array();

    json_object_array_add(a, json_object_new_string(picture));
    return a;
}

int devplat_mobile_qualifications(devplat_req *req)
{
    const char *picture, *now, *user_id;
    int rc, changed;

    if (DEVPLAT_DONE(rc = devplat_mobile_input(req))
        || DEVPLAT_DONE(rc = devplat_session_require(req))
        || DEVPLAT_DONE(rc = devplat_mobile_field(req, &qualification_rules, "picture", 1,
                                                  MAX_PATH_BYTES, &picture))) {
        return rc;
    }
    if (!own_picture(req, &qualification_rules, picture, qualification_kinds,
                     MSG_QUALIFY_FAIL, &rc)) {
        return rc;
    }
    if (DEVPLAT_DONE(rc = devplat_rate_limit(req, DEVPLAT_LIMIT_REVIEW_ACCOUNT,
                                             DEVPLAT_LIMIT_NONE))) {
        return rc;
    }
    now = devplat_time_pformat(req->r->pool, req->now);
    user_id = devplat_i64(req, req->user->id);
    /* the picture and the account's "under review" go together */
    if (devplat_db_begin(req) != APR_SUCCESS) {
        return devplat_reply_fail(req, HTTP_INTERNAL_SERVER_ERROR,
                                  DEVPLAT_MOBILE_SAVE_FAILED, MSG_QUALIFY_FAIL);
    }
    if (devplat_account_lock(req, req->user->id) != APR_SUCCESS
        || devplat_db_exec(req, DP_MOBILE_QUALIFY_INSERT, NULL, 3, user_id, picture, now)
           != APR_SUCCESS
        /* frozen and deleted accounts keep their status */
        || devplat_account_write_status(req, req->user->id, UNDER_REVIEW_FROM,
                                        DEVPLAT_STATUS_UNDER_REVIEW, &changed) != APR_SUCCESS
        /* the newest picture is the one a person decides on */
        || devplat_review_submit(req, DEVPLAT_REVIEW_QUALIFICATION, req->user->id,
                                 req->user->id, qualification_fields(picture),
                                 picture_list(picture), DEVPLAT_REVIEW_PENDING) != APR_SUCCESS
        || devplat_audit(req, req->user->id, "qualification", "mobile") != APR_SUCCESS) {
        devplat_db_rollback(req);
    }
    if (devplat_db_end(req) != APR_SUCCESS) {
        return devplat_reply_fail(req, HTTP_INTERNAL_SERVER_ERROR,
                                  DEVPLAT_MOBILE_SAVE_FAILED, MSG_QUALIFY_FAIL);
    }
    return devplat_reply_ok_msg(req, NULL, MSG_QUALIFIED);
}

int devplat_mobile_upload_image(devplat_req *req)
{
    /* every image type (PNG, JPEG, GIF, BMP, WebP), DevplatUploadMaxSize */
    static const devplat_upload_spec spec = {"file", DEVPLAT_KIND_IMAGE, "图片", 0, 0, 0};
    devplat_errors *e;
    devplat_upload *up;
    json_object *data;
    int rc;

    /* the token comes from the path, the query or Authorization, so that
     * an upload without one is refused before its body is read */
    if (DEVPLAT_DONE(rc = devplat_session_require(req))) {
        return rc;
    }
    e = devplat_errors_make(req->r);
    if (DEVPLAT_DONE(rc = devplat_upload_receive(req, &spec, e, &up))) {
        return rc;
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);      /* 997 no file, 1006 the rest */
    }
    if (devplat_upload_store(req, up, req->user->id) != APR_SUCCESS) {
        return devplat_reply_fail(req, HTTP_INTERNAL_SERVER_ERROR,
                                  DEVPLAT_MOBILE_SAVE_FAILED, MSG_UPLOAD_FAIL);
    }
    /* the path is what uploadPortrait and authenticationQualifications
     * take back; it is also where httpd serves the file */
    data = json_object_new_object();
    json_object_object_add(data, "path", json_object_new_string(up->url));
    return devplat_reply_ok_msg(req, data, MSG_UPLOADED);
}
