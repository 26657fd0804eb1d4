/* Endpoints of the developer platform 2.0 API (000_*.txt), one prototype
 * per endpoint, grouped by the file that implements them. */
#ifndef DEVPLAT_API_DEVELOPER_H
#define DEVPLAT_API_DEVELOPER_H

#include "devplat_private.h"

/* auth.c: 认证 */
int devplat_dev_register_sms(devplat_req *req);   /* GET    register-sms */
int devplat_dev_register(devplat_req *req);       /* POST   register */
int devplat_dev_login(devplat_req *req);          /* POST   login */
int devplat_dev_me(devplat_req *req);             /* GET    me */
int devplat_dev_logout(devplat_req *req);         /* DELETE logout */
int devplat_dev_refresh(devplat_req *req);        /* PUT    refresh */

/* Kinds of uploaded files (files.kind, storage subdirectories). */
#define DEVPLAT_KIND_AVATAR          "avatar"
#define DEVPLAT_KIND_LICENSED_PHOTO  "licensed-photo"
#define DEVPLAT_KIND_AWARD_PICTURE   "award-picture"

/* uploads.c: multipart field "file" */
int devplat_dev_upload_avatar(devplat_req *req);          /* POST user/base/upload/avatar */
int devplat_dev_upload_licensed_photo(devplat_req *req);  /* POST user/authenticate/upload/licensed-photo */
int devplat_dev_upload_award_prove(devplat_req *req);     /* POST user/authenticate/upload/award-prove */

#endif
