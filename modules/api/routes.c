/* The route table of every face. */
#include "router.h"
#include "config.h"
#include "developer/developer.h"
#include "mobile/mobile.h"

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

/* 002 writes paths as Api/User/<action>, with the token in a trailing
 * /token/<t> segment or in ?token=: every action takes both. */
#define MOBILE(method, action, fn) \
    {method, "User/" action, fn}, {method, "User/" action "/token/{token}", fn}

static const devplat_route mobile_routes[] = {
    MOBILE("POST", "send_code",                    devplat_mobile_send_code),
    MOBILE("POST", "register",                     devplat_mobile_register),
    MOBILE("POST", "login",                        devplat_mobile_login),
    MOBILE("POST", "retrieve_password",            devplat_mobile_retrieve_password),
    MOBILE("POST", "verification",                 devplat_mobile_verification),
    MOBILE("GET",  "getVerification",              devplat_mobile_get_verification),
    MOBILE("POST", "getVerification",              devplat_mobile_get_verification),
    MOBILE("GET",  "get_user_details",             devplat_mobile_user_details),
    MOBILE("POST", "uploadPortrait",               devplat_mobile_upload_portrait),
    {"POST", "User/uploadPortrait/", devplat_mobile_upload_portrait},   /* as 002 writes it */
    MOBILE("GET",  "authenticationQualifications", devplat_mobile_qualifications),
    MOBILE("POST", "authenticationQualifications", devplat_mobile_qualifications),
    MOBILE("GET",  "exit_login",                   devplat_mobile_exit_login),
    MOBILE("POST", "exit_login",                   devplat_mobile_exit_login),
    MOBILE("POST", "upload_image",                 devplat_mobile_upload_image),
    {NULL, NULL, NULL}
};

const devplat_route *devplat_routes_for(int face)
{
    switch (face) {
    case DEVPLAT_FACE_DEVELOPER:
        return developer_routes;
    case DEVPLAT_FACE_MOBILE:
        return mobile_routes;
    default:
        return NULL;
    }
}
