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
