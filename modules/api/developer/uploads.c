/* 个人中心 uploads: 头像上传, 上传持证照片, 上传奖项认证照片. One flow, three
 * kinds; the stored path is what base, real-name and award-info accept
 * back (only from the user who uploaded it). */
#include "developer.h"
#include "reply.h"
#include "session.h"
#include "upload.h"

static int upload(devplat_req *req, const char *kind)
{
    /* every image type, DevplatUploadMaxSize */
    const devplat_upload_spec spec = {"file", kind, "文件", 0, 0, 0};
    devplat_errors *e;
    devplat_upload *up;
    int rc;

    if (DEVPLAT_DONE(rc = devplat_session_require(req))) {
        return rc;
    }
    e = devplat_errors_make(req->r);
    if (DEVPLAT_DONE(rc = devplat_upload_receive(req, &spec, e, &up))) {
        return rc;
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    if (devplat_upload_store(req, up, req->user->id) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
    }
    return devplat_reply_ok(req, devplat_upload_json(req, up));
}

int devplat_dev_upload_avatar(devplat_req *req)
{
    return upload(req, DEVPLAT_KIND_AVATAR);
}

int devplat_dev_upload_licensed_photo(devplat_req *req)
{
    return upload(req, DEVPLAT_KIND_LICENSED_PHOTO);
}

int devplat_dev_upload_award_prove(devplat_req *req)
{
    return upload(req, DEVPLAT_KIND_AWARD_PICTURE);
}
