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

/* project.c: 项目 */
int devplat_dev_project_paginate(devplat_req *req);   /* GET project/paginate */
int devplat_dev_project_base(devplat_req *req);       /* GET project/base/{project_id} */

#endif
