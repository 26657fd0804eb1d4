/* Endpoints of the developer platform 2.0 API (000_*.txt), one prototype
 * per endpoint, grouped by the file that implements them. */
#ifndef DEVPLAT_API_DEVELOPER_H
#define DEVPLAT_API_DEVELOPER_H

#include "devplat_private.h"
#include "vocab.h"

/* auth.c: 认证 */
int devplat_dev_register_sms(devplat_req *req);   /* GET    register-sms */
int devplat_dev_register(devplat_req *req);       /* POST   register */
int devplat_dev_login(devplat_req *req);          /* POST   login */
int devplat_dev_me(devplat_req *req);             /* GET    me */
int devplat_dev_logout(devplat_req *req);         /* DELETE logout */
int devplat_dev_refresh(devplat_req *req);        /* PUT    refresh */

/* project.c: 项目 */
int devplat_dev_project_paginate(devplat_req *req);   /* GET project/paginate */
int devplat_dev_project_base(devplat_req *req);       /* GET project/base/{project_id} */

/* account.c: 个人中心-基本信息, mobile, e-mail and password (below user/base/) */
int devplat_dev_mobile_code_old(devplat_req *req);    /* GET   update-mobile/old-mobile-verification-code */
int devplat_dev_mobile_code_email(devplat_req *req);  /* GET   update-mobile/old-email-verification-code */
int devplat_dev_mobile_code_new(devplat_req *req);    /* GET   update-mobile/new-mobile-verification-code */
int devplat_dev_bind_email_code(devplat_req *req);    /* GET   bind-email/verification-code */
int devplat_dev_email_code_old(devplat_req *req);     /* GET   update-email/old-email-verification-code */
int devplat_dev_bind_email(devplat_req *req);         /* POST  bind-email */
int devplat_dev_update_mobile(devplat_req *req);      /* PATCH update-mobile */
int devplat_dev_update_email(devplat_req *req);       /* PATCH update-email */
int devplat_dev_update_password(devplat_req *req);    /* PATCH update-password */

/* credit.c: 个人中心-等级积分 */
int devplat_dev_level_credit(devplat_req *req);       /* GET user/level-credit */

/* mirror.c: 个人中心-镜像管理 */
int devplat_dev_mirror(devplat_req *req);             /* GET user/mirror */

/* participate.c: 个人中心-参与项目 */
int devplat_dev_participate_project(devplat_req *req);  /* GET user/participate-project */
/* (upload kinds: DEVPLAT_KIND_* of vocab.h) */

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
