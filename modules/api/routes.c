/* The route table of every face. */
#include "router.h"
#include "config.h"
#include "developer/developer.h"
#include "admin/admin.h"

static const devplat_route developer_routes[] = {
    {"GET",    "register-sms", devplat_dev_register_sms},
    {"POST",   "register",     devplat_dev_register},
    {"POST",   "login",        devplat_dev_login},
    {"GET",    "me",           devplat_dev_me},
    {"DELETE", "logout",       devplat_dev_logout},
    {"PUT",    "refresh",      devplat_dev_refresh},
    {"POST",   "user/base/upload/avatar", devplat_dev_upload_avatar},
    {"POST",   "user/authenticate/upload/licensed-photo", devplat_dev_upload_licensed_photo},
    {"POST",   "user/authenticate/upload/award-prove", devplat_dev_upload_award_prove},
    {NULL, NULL, NULL}
};

/* 001: paths and methods exactly as the document gives them */
static const devplat_route admin_routes[] = {
    {"GET",    "captcha",         devplat_admin_captcha},
    {"PUT",    "signUp",          devplat_admin_sign_up},
    {"POST",   "login",           devplat_admin_login},
    {"GET",    "list/user",       devplat_admin_user_list},
    {"GET",    "user/{id}",       devplat_admin_user_get},
    {"PUT",    "user/{id}",       devplat_admin_user_update},
    {"DELETE", "user/{id}",       devplat_admin_user_delete},
    {"PUT",    "audit/user/{id}", devplat_admin_user_audit},
    {NULL, NULL, NULL}
};

const devplat_route *devplat_routes_for(int face)
{
    switch (face) {
    case DEVPLAT_FACE_DEVELOPER:
        return developer_routes;
    case DEVPLAT_FACE_ADMIN:
        return admin_routes;
    default:
        return NULL;
    }
}
