/* Endpoints of the mobile app API (002_*.txt, DevplatApi mobile), one
 * prototype per endpoint, grouped by the file that implements them, and
 * what those files share. Paths are below the location ("/Api"); each also
 * answers with a trailing "/token/{token}" segment (see routes.c). */
#ifndef DEVPLAT_API_MOBILE_H
#define DEVPLAT_API_MOBILE_H

#include "devplat_private.h"
#include "vocab.h"

/* account.c: 注册, 登录, 找回密码, 退出登录 */
int devplat_mobile_send_code(devplat_req *req);        /* POST     User/send_code */
int devplat_mobile_register(devplat_req *req);         /* POST     User/register */
int devplat_mobile_login(devplat_req *req);            /* POST     User/login */
int devplat_mobile_retrieve_password(devplat_req *req);/* POST     User/retrieve_password */
int devplat_mobile_exit_login(devplat_req *req);       /* GET/POST User/exit_login */

/* verification.c: 认证身份证, 获取用户认证信息 */
int devplat_mobile_verification(devplat_req *req);     /* POST     User/verification */
int devplat_mobile_get_verification(devplat_req *req); /* GET/POST User/getVerification */

/* profile.c: 获取用户详细信息, 更换头像, 资质认证, 上传图片 */
int devplat_mobile_user_details(devplat_req *req);     /* GET      User/get_user_details */
int devplat_mobile_upload_portrait(devplat_req *req);  /* POST     User/uploadPortrait */
int devplat_mobile_qualifications(devplat_req *req);   /* GET/POST User/authenticationQualifications */
int devplat_mobile_upload_image(devplat_req *req);     /* POST     User/upload_image */

/* input.c: request fields. 002 gives each endpoint its own codes for bad
 * input, so every endpoint describes them once. */
typedef struct {
    int missing_code;           /* the field is absent, null or empty */
    const char *missing_info;
    int missing_bare;           /* 1: missing_info as it is, not ":<field>" */
    int bad_code;               /* wrong JSON type, or a rule is broken */
    const char *bad_info;
} devplat_mobile_rules;

/* Loads req->input from the body (form or JSON) or the query string; a
 * body that cannot be used answers 1006 (or 413/415 as 1006) itself. */
int devplat_mobile_input(devplat_req *req);

/* Reads a string field into *out. Returns DEVPLAT_CONTINUE, or the answer
 * already given: missing_code for a required field that is absent, null or
 * empty; bad_code for a non-string, a string holding NUL, or one longer
 * than maxlen bytes. An optional field that is absent leaves *out NULL. */
int devplat_mobile_field(devplat_req *req, const devplat_mobile_rules *rules,
                         const char *field, int required, apr_size_t maxlen,
                         const char **out);

/* Answers rules->bad_code with "<bad_info>:<detail>". */
int devplat_mobile_bad(devplat_req *req, const devplat_mobile_rules *rules,
                       const char *detail);

/* 002's texts. */
#define MOBILE_MSG_MISSING        "缺少必须参数"
#define MOBILE_MSG_BAD_INPUT      "输入的信息不符合"
#define MOBILE_MSG_WRONG_INPUT    "输入的信息有误"
#define MOBILE_MSG_BAD_LOGIN_FMT  "账号密码格式不正确"
#define MOBILE_MSG_EXISTS         "该账号已存在"
#define MOBILE_MSG_BAD_CODE       "验证码有误"
#define MOBILE_MSG_REGISTER_FAIL  "注册失败"
#define MOBILE_MSG_WRONG_PASSWORD "账号密码错误"
#define MOBILE_MSG_VERIFY_FAIL    "认证失败"
#define MOBILE_MSG_BAD_IDENTITY   "认证失败,请填写正确的身份信息"
#define MOBILE_MSG_FETCH_FAIL     "获取失败"
#define MOBILE_MSG_SAVE_FAIL      "添加失败"

/* sql.c: the statements of this face (devplat_sql_mobile). */
#define DP_MOBILE_USER_DEVICE       "devplat_mobile_user_device"
#define DP_MOBILE_USER_DETAILS      "devplat_mobile_user_details"
#define DP_MOBILE_AVATAR_SET        "devplat_mobile_avatar_set"
#define DP_MOBILE_QUALIFY_INSERT    "devplat_mobile_qualify_insert"

#endif
