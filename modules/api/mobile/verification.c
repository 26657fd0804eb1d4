/* 认证身份证, 获取用户认证信息: real-name verification by resident ID card.
 * The number must pass GB 11643 (check character, real birth date); one
 * card verifies one account. */
#include "mobile.h"
#include "audit.h"
#include "db.h"
#include "reply.h"
#include "session.h"
#include "idcard.h"
#include "timefmt.h"

#define MSG_VERIFIED       "认证成功"
#define MSG_FETCHED        "获取成功"
#define MSG_NAME_RULE      "姓名须为2-20个汉字(少数民族姓名可用·分隔)"
#define MSG_ALREADY        "认证失败,账号已完成实名认证"
#define MSG_CARD_TAKEN     "认证失败,该身份证已认证其他账号"
#define MSG_NOT_VERIFIED   "获取失败,尚未实名认证"

#define MAX_NAME_BYTES 128
#define MAX_CARD_BYTES 32

/* Columns of DP_MOBILE_VERIFY_GET. */
enum { VERIFY_NAME, VERIFY_CARD, VERIFY_STATE };

static const devplat_mobile_rules verification_rules = {
    DEVPLAT_MOBILE_WRONG_INPUT, MOBILE_MSG_WRONG_INPUT, 0,
    DEVPLAT_MOBILE_WRONG_INPUT, MOBILE_MSG_WRONG_INPUT
};

static int verify_fail(devplat_req *req, const char *info)
{
    return devplat_reply_fail(req, HTTP_CONFLICT, DEVPLAT_MOBILE_VERIFY_FAILED, info);
}

/* The user holding card, 0 for none, -1 when the database failed. */
static apr_int64_t card_owner(devplat_req *req, const char *card)
{
    devplat_rows *rows;

    if (devplat_db_select(req, DP_MOBILE_VERIFY_OWNER, &rows, 1, card) != APR_SUCCESS) {
        return -1;
    }
    return rows->nrows ? devplat_atoi64(rows->rows[0][0]) : 0;
}

int devplat_mobile_verification(devplat_req *req)
{
    request_rec *r = req->r;
    const char *name, *cardno, *now, *user_id;
    devplat_rows *rows;
    const char **mine = NULL;
    apr_int64_t owner;
    char *card;
    int rc, n = 0;

    if (DEVPLAT_DONE(rc = devplat_mobile_input(req))
        || DEVPLAT_DONE(rc = devplat_session_require(req))
        || DEVPLAT_DONE(rc = devplat_mobile_field(req, &verification_rules, "name", 1,
                                                  MAX_NAME_BYTES, &name))
        || DEVPLAT_DONE(rc = devplat_mobile_field(req, &verification_rules, "cardno", 1,
                                                  MAX_CARD_BYTES, &cardno))) {
        return rc;
    }
    if (!devplat_is_cn_name(name, 2, 20)) {
        return devplat_mobile_bad(req, &verification_rules, MSG_NAME_RULE);
    }
    /* 15-digit legacy numbers carry no check character: refused */
    if (!devplat_is_cn_id_card(cardno)) {
        return devplat_reply_fail(req, HTTP_UNPROCESSABLE_ENTITY,
                                  DEVPLAT_MOBILE_CODE_EXPIRED, MOBILE_MSG_BAD_IDENTITY);
    }
    card = apr_pstrdup(r->pool, cardno);
    ap_str_toupper(card);                   /* one spelling of the X */
    user_id = devplat_i64(req, req->user->id);

    if (devplat_db_select(req, DP_MOBILE_VERIFY_GET, &rows, 1, user_id) != APR_SUCCESS
        || (owner = card_owner(req, card)) < 0) {
        return verify_fail(req, MOBILE_MSG_VERIFY_FAIL);
    }
    if (rows->nrows == 1) {
        mine = rows->rows[0];
    }
    if (mine && devplat_atoi64(mine[VERIFY_STATE]) == 1) {
        /* a repeated request (the app lost the answer) succeeds again */
        if (mine[VERIFY_CARD] && !strcmp(mine[VERIFY_CARD], card)
            && mine[VERIFY_NAME] && !strcmp(mine[VERIFY_NAME], name)) {
            return devplat_reply_ok_msg(req, NULL, MSG_VERIFIED);
        }
        return verify_fail(req, MSG_ALREADY);
    }
    if (owner && owner != req->user->id) {
        return verify_fail(req, MSG_CARD_TAKEN);
    }

    now = devplat_time_pformat(r->pool, req->now);
    if (devplat_db_begin(req) != APR_SUCCESS) {
        return verify_fail(req, MOBILE_MSG_VERIFY_FAIL);
    }
    if (mine) {
        devplat_db_exec(req, DP_MOBILE_VERIFY_UPDATE, &n, 4, name, card, now, user_id);
    }
    else {
        devplat_db_exec(req, DP_MOBILE_VERIFY_INSERT, &n, 5, user_id, name, card, now, now);
    }
    if (n != 1 || devplat_audit(req, req->user->id, "id_verification", "mobile")
                  != APR_SUCCESS) {
        devplat_db_rollback(req);
    }
    if (devplat_db_end(req) != APR_SUCCESS) {
        /* the unique index: another account verified this card meanwhile */
        owner = card_owner(req, card);
        return verify_fail(req, owner > 0 && owner != req->user->id
                                ? MSG_CARD_TAKEN : MOBILE_MSG_VERIFY_FAIL);
    }
    return devplat_reply_ok_msg(req, NULL, MSG_VERIFIED);
}

int devplat_mobile_get_verification(devplat_req *req)
{
    request_rec *r = req->r;
    devplat_rows *rows;
    json_object *data;
    const char **row;
    char masked[20];
    int rc;

    if (DEVPLAT_DONE(rc = devplat_mobile_input(req))
        || DEVPLAT_DONE(rc = devplat_session_require(req))) {
        return rc;
    }
    if (devplat_db_select(req, DP_MOBILE_VERIFY_GET, &rows, 1,
                          devplat_i64(req, req->user->id)) != APR_SUCCESS) {
        return devplat_reply_fail(req, HTTP_SERVICE_UNAVAILABLE,
                                  DEVPLAT_MOBILE_FETCH_FAILED, MOBILE_MSG_FETCH_FAIL);
    }
    /* nothing to fetch: 002 lists 获取失败 for this endpoint */
    if (rows->nrows != 1) {
        return devplat_reply_fail(req, HTTP_NOT_FOUND, DEVPLAT_MOBILE_FETCH_FAILED,
                                  MSG_NOT_VERIFIED);
    }
    row = rows->rows[0];
    devplat_mask_id_card(row[VERIFY_CARD] ? row[VERIFY_CARD] : "", masked);
    data = json_object_new_object();
    json_object_object_add(data, "name",
                           json_object_new_string(devplat_mask_name(r->pool,
                                                                    row[VERIFY_NAME])));
    json_object_object_add(data, "cardno", json_object_new_string(masked));
    json_object_object_add(data, "state",
                           json_object_new_int((int)devplat_atoi64(row[VERIFY_STATE])));
    return devplat_reply_ok_msg(req, data, MSG_FETCHED);
}
