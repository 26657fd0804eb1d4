/* 认证身份证, 获取用户认证信息: real-name verification by resident ID card,
 * in the one identity store the developer face's 实名认证 shares. The number
 * must pass GB 11643 (check character, real birth date); one number
 * verifies one account, whichever face it came through. */
#include "mobile.h"
#include "accounts.h"
#include "audit.h"
#include "db.h"
#include "rate_limit.h"
#include "reviews.h"
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

/* 居民身份证 in the certificate_types lookup (sql/<engine>/012_*.sql) */
#define RESIDENT_ID_CARD_TYPE 1

static const devplat_mobile_rules verification_rules = {
    DEVPLAT_MOBILE_WRONG_INPUT, MOBILE_MSG_WRONG_INPUT, 0,
    DEVPLAT_MOBILE_WRONG_INPUT, MOBILE_MSG_WRONG_INPUT
};

static int verify_fail(devplat_req *req, const char *info)
{
    return devplat_reply_fail(req, HTTP_CONFLICT, DEVPLAT_MOBILE_VERIFY_FAILED, info);
}

/* The verification as the review queue shows it: passed by the check
 * itself, in the developer face's names. */
static json_object *identity_fields(const devplat_identity *in)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "actual_name", json_object_new_string(in->actual_name));
    json_object_object_add(o, "certificate_type_id",
                           json_object_new_int64(in->certificate_type_id));
    json_object_object_add(o, "id_number", json_object_new_string(in->id_number));
    json_object_object_add(o, "authenticate_picture", json_object_new_string(""));
    return o;
}

int devplat_mobile_verification(devplat_req *req)
{
    request_rec *r = req->r;
    const char *name, *cardno;
    devplat_identity *mine = NULL, in;
    char *card;
    int rc, have, taken;

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

    /* the answer tells whether another account holds the number: every
     * well-formed submission counts against the limits */
    if (DEVPLAT_DONE(rc = devplat_rate_limit(req, DEVPLAT_LIMIT_IDENTITY_ACCOUNT,
                                             DEVPLAT_LIMIT_IDENTITY_ADDRESS))) {
        return rc;
    }
    if ((have = devplat_identity_get(req, req->user->id, &mine)) < 0
        || (taken = devplat_identity_taken(req, card, req->user->id)) < 0) {
        return verify_fail(req, MOBILE_MSG_VERIFY_FAIL);
    }
    if (have && mine->status != DEVPLAT_REVIEW_REJECTED) {
        /* a repeated request (the app lost the answer) succeeds again */
        if (!strcmp(mine->id_number, card) && !strcmp(mine->actual_name, name)) {
            return devplat_reply_ok_msg(req, NULL, MSG_VERIFIED);
        }
        return verify_fail(req, MSG_ALREADY);
    }
    if (taken) {
        return verify_fail(req, MSG_CARD_TAKEN);
    }

    /* the check character and the birth date are the verification here */
    in.actual_name = name;
    in.certificate_type_id = RESIDENT_ID_CARD_TYPE;
    in.id_number = card;
    in.picture = "";
    in.status = DEVPLAT_REVIEW_PASSED;
    in.source = DEVPLAT_SOURCE_MOBILE;
    if (devplat_db_begin(req) != APR_SUCCESS) {
        return verify_fail(req, MOBILE_MSG_VERIFY_FAIL);
    }
    if (devplat_account_lock(req, req->user->id) != APR_SUCCESS
        || devplat_identity_write(req, req->user->id, &in) != APR_SUCCESS
        || devplat_review_submit(req, DEVPLAT_REVIEW_REAL_NAME, req->user->id, req->user->id,
                                 identity_fields(&in), json_object_new_array(),
                                 DEVPLAT_REVIEW_PASSED) != APR_SUCCESS
        || devplat_audit(req, req->user->id, "id_verification", "mobile") != APR_SUCCESS) {
        devplat_db_rollback(req);
    }
    if (devplat_db_end(req) != APR_SUCCESS) {
        /* the unique index: another account verified this card meanwhile */
        return verify_fail(req, devplat_identity_taken(req, card, req->user->id) > 0
                                ? MSG_CARD_TAKEN : MOBILE_MSG_VERIFY_FAIL);
    }
    return devplat_reply_ok_msg(req, NULL, MSG_VERIFIED);
}

int devplat_mobile_get_verification(devplat_req *req)
{
    devplat_identity *v;
    json_object *data;
    char masked[20];
    int rc, have;

    if (DEVPLAT_DONE(rc = devplat_mobile_input(req))
        || DEVPLAT_DONE(rc = devplat_session_require(req))) {
        return rc;
    }
    if ((have = devplat_identity_get(req, req->user->id, &v)) < 0) {
        return devplat_reply_fail(req, HTTP_SERVICE_UNAVAILABLE,
                                  DEVPLAT_MOBILE_FETCH_FAILED, MOBILE_MSG_FETCH_FAIL);
    }
    /* nothing to fetch: 002 lists 获取失败 for this endpoint */
    if (!have) {
        return devplat_reply_fail(req, HTTP_NOT_FOUND, DEVPLAT_MOBILE_FETCH_FAILED,
                                  MSG_NOT_VERIFIED);
    }
    devplat_mask_id_card(v->id_number, masked);
    data = json_object_new_object();
    json_object_object_add(data, "name",
                           json_object_new_string(devplat_mask_name(req->r->pool,
                                                                    v->actual_name)));
    json_object_object_add(data, "cardno", json_object_new_string(masked));
    /* 1 verified; a pending or rejected record of any face is 0 */
    json_object_object_add(data, "state",
                           json_object_new_int(v->status == DEVPLAT_REVIEW_PASSED));
    return devplat_reply_ok_msg(req, data, MSG_FETCHED);
}
