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

/* lookups.c: lists of {id, name, created_at, updated_at} */
int devplat_dev_certificate_types(devplat_req *req);      /* GET user/authenticate/certificate-type */
int devplat_dev_domains(devplat_req *req);                /* GET user/authenticate/domain */
int devplat_dev_education_levels(devplat_req *req);       /* GET user/authenticate/education */
int devplat_dev_positions(devplat_req *req);              /* GET user/authenticate/position */
int devplat_dev_award_levels(devplat_req *req);           /* GET user/authenticate/award-level */
int devplat_dev_research_directions(devplat_req *req);    /* GET user/base/research-direction */

/* authenticate.c: 认证信息 */
int devplat_dev_authenticate(devplat_req *req);   /* GET  user/authenticate */
int devplat_dev_realname(devplat_req *req);       /* PUT  user/authenticate/real-name */
int devplat_dev_education(devplat_req *req);      /* PUT  user/authenticate/educational-info */
int devplat_dev_job(devplat_req *req);            /* PUT  user/authenticate/job-info */
int devplat_dev_award(devplat_req *req);          /* POST user/authenticate/award-info */

/* base.c: 基本信息 */
int devplat_dev_base(devplat_req *req);           /* GET user/base */
int devplat_dev_base_update(devplat_req *req);    /* PUT user/base */

#endif
