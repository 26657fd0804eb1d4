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
int devplat_errors_any(const devplat_errors *e);

/* 200 with data (NULL answers the documents' empty string ""). */
int devplat_reply_ok(devplat_req *req, json_object *data);

/* A failure with a message and no data. */
int devplat_reply_error(devplat_req *req, int status, const char *message);

/* 422 with {"errors": {field: [message, ...]}}; the message is the first. */
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

/* Outcome of a helper that may already have answered the request. */
#define DEVPLAT_DONE(rc) ((rc) != -1)
#define DEVPLAT_CONTINUE (-1)

/* Writes a whole JSON body with the given status (used by the router for
 * 404/405/413 before an endpoint runs, and by the helpers above). */
int devplat_send_json(request_rec *r, int status, json_object *body);

#endif
