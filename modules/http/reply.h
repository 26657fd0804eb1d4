/* JSON responses in the envelope of the request's face. Endpoints never
 * build an envelope by hand: they call one of these and return its value. */
#ifndef DEVPLAT_REPLY_H
#define DEVPLAT_REPLY_H

#include "devplat_private.h"

/* json-c objects owned by the request pool (json_object_put at cleanup). */
json_object *devplat_json_object(request_rec *r);
void devplat_json_own(request_rec *r, json_object *o);

/* Field errors of a 422, collected in order. */
typedef struct devplat_errors devplat_errors;
devplat_errors *devplat_errors_make(request_rec *r);
void devplat_errors_add(devplat_errors *e, const char *field, const char *message);
/* The same for a field that is absent or empty (the mobile face answers 997
 * when every error is of this kind, 1006 otherwise). */
void devplat_errors_missing(devplat_errors *e, const char *field, const char *message);
int devplat_errors_any(const devplat_errors *e);

/* Codes of the mobile face (002_*.txt). */
#define DEVPLAT_MOBILE_OK               1000
#define DEVPLAT_MOBILE_NOT_LOGGED_IN    999
#define DEVPLAT_MOBILE_FETCH_FAILED     996
#define DEVPLAT_MOBILE_MISSING          997
#define DEVPLAT_MOBILE_SAVE_FAILED      998
#define DEVPLAT_MOBILE_WRONG_INPUT      1001
#define DEVPLAT_MOBILE_BAD_INPUT        1006
#define DEVPLAT_MOBILE_EXISTS           1007
#define DEVPLAT_MOBILE_BAD_CODE         1008
#define DEVPLAT_MOBILE_REGISTER_FAILED  1009
#define DEVPLAT_MOBILE_WRONG_PASSWORD   1010
#define DEVPLAT_MOBILE_VERIFY_FAILED    1012
#define DEVPLAT_MOBILE_CODE_EXPIRED     1013
#define DEVPLAT_MOBILE_NO_USER          1015

/* Success in the face's envelope: developer {"status_code":200,...}, admin
 * {"status":true,...,"cmd"}, mobile {"code":1000,"state":1,...}. data NULL
 * answers the face's empty value ("" or []); message NULL the face's
 * default ("操作成功", "success", ""). The body takes ownership of data. */
int devplat_reply_ok(devplat_req *req, json_object *data);
int devplat_reply_ok_msg(devplat_req *req, json_object *data, const char *message);

/* devplat_reply_ok() with the developer face's "meta" beside data (the
 * pagination of a list, ...); other faces have no meta and drop it. The
 * body takes ownership of data and meta. */
int devplat_reply_ok_meta(devplat_req *req, json_object *data, json_object *meta);

/* A failure in the face's envelope. status is the HTTP status of the
 * developer and admin faces; the mobile face answers mobile_code with HTTP
 * 200, or, when mobile_code is 0, a code derived from status (401 -> 999,
 * 422 -> 1006, other statuses stay HTTP errors). */
int devplat_reply_fail_at(const char *file, int line, devplat_req *req, int status,
                          int mobile_code, const char *message);
/* Every 5xx is logged once, tagged with the file and line that answered. */
#define devplat_reply_fail(req, status, mobile_code, message) \
    devplat_reply_fail_at(__FILE__, __LINE__, (req), (status), (mobile_code), (message))

/* A failure that a document answers with a 5xx although the server did not
 * fail (000: a wrong login is 500 用户名或密码错误): not logged as one. */
#define devplat_reply_as_documented(req, status, message) \
    devplat_reply_fail_at(NULL, 0, (req), (status), 0, (message))

/* The body devplat_reply_fail_at() sends, without sending it: the envelope
 * of the request's face (the developer face's when req->dconf is NULL or
 * serves no face), the HTTP status it goes with in *http. */
json_object *devplat_failure_envelope(devplat_req *req, int status, int mobile_code,
                                      const char *message, int *http);

/* devplat_reply_fail() with the derived mobile code. */
#define devplat_reply_error(req, status, message) \
    devplat_reply_fail_at(__FILE__, __LINE__, (req), (status), 0, (message))

/* 422 with {"errors": {field: [message, ...]}} (admin: in data; mobile:
 * code 997 or 1006); the message is the first error. */
int devplat_reply_invalid(devplat_req *req, devplat_errors *e);
int devplat_reply_invalid1(devplat_req *req, const char *field, const char *message);

/* 429 with Retry-After. */
int devplat_reply_throttled(devplat_req *req, apr_int64_t retry_after,
                            const char *message);

/* Shared failure texts. */
#define DEVPLAT_MSG_OK           "操作成功"
#define DEVPLAT_MSG_TOKEN        "令牌认证失败"
#define DEVPLAT_MSG_SERVER       "数据有误"
#define DEVPLAT_MSG_UNAVAILABLE  "服务暂不可用，请稍后重试"
#define DEVPLAT_MSG_NOT_FOUND    "查询数据不存在"
#define DEVPLAT_MSG_NOT_LOGGED_IN "用户未登录"
#define DEVPLAT_MSG_NO_USER      "用户不存在"

/* Outcome of a helper that may already have answered the request. Not
 * httpd's DECLINED: an endpoint that returns it has forgotten to answer,
 * which the router logs and answers with a 500 (devplat_route_dispatch). */
#define DEVPLAT_CONTINUE (-4000)
#define DEVPLAT_DONE(rc) ((rc) != DEVPLAT_CONTINUE)

/* Whether devplat_send_json() answered r (a note it leaves). */
int devplat_answered(request_rec *r);

/* Writes a whole JSON body with the given status (used by the router for
 * 404/405/413 before an endpoint runs, and by the helpers above). */
int devplat_send_json(request_rec *r, int status, json_object *body);

#endif
