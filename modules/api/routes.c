/* The route table of every face. */
#include "router.h"
#include "config.h"
#include "developer/developer.h"

static const devplat_route developer_routes[] = {
    {"GET",    "register-sms", devplat_dev_register_sms},
    {"POST",   "register",     devplat_dev_register},
    {"POST",   "login",        devplat_dev_login},
    {"GET",    "me",           devplat_dev_me},
    {"DELETE", "logout",       devplat_dev_logout},
    {"PUT",    "refresh",      devplat_dev_refresh},
    {"GET",    "project/paginate",             devplat_dev_project_paginate},
    {"GET",    "project/base/{project_id}",    devplat_dev_project_base},
    {"GET",    "user/base/update-mobile/old-mobile-verification-code", devplat_dev_mobile_code_old},
    {"GET",    "user/base/update-mobile/old-email-verification-code",  devplat_dev_mobile_code_email},
    {"GET",    "user/base/update-mobile/new-mobile-verification-code", devplat_dev_mobile_code_new},
    {"GET",    "user/base/bind-email/verification-code",               devplat_dev_bind_email_code},
    {"GET",    "user/base/update-email/old-email-verification-code",   devplat_dev_email_code_old},
    {"POST",   "user/base/bind-email",         devplat_dev_bind_email},
    {"PATCH",  "user/base/update-mobile",      devplat_dev_update_mobile},
    {"PATCH",  "user/base/update-email",       devplat_dev_update_email},
    {"PATCH",  "user/base/update-password",    devplat_dev_update_password},
    {"GET",    "user/level-credit",            devplat_dev_level_credit},
    {"GET",    "user/mirror",                  devplat_dev_mirror},
    {"GET",    "user/participate-project",     devplat_dev_participate_project},
    {NULL, NULL, NULL}
};

const devplat_route *devplat_routes_for(int face)
{
    switch (face) {
    case DEVPLAT_FACE_DEVELOPER:
        return developer_routes;
    default:
        return NULL;
    }
}
