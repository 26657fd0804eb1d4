/* The route table of every face. */
#include "router.h"
#include "config.h"
#include "developer/developer.h"
#include "mobile/mobile.h"
#include "admin/admin.h"

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
    {"POST",   "user/base/upload/avatar", devplat_dev_upload_avatar},
    {"POST",   "user/authenticate/upload/licensed-photo", devplat_dev_upload_licensed_photo},
    {"POST",   "user/authenticate/upload/award-prove", devplat_dev_upload_award_prove},
    {"GET",    "user/authenticate", devplat_dev_authenticate},
    {"GET",    "user/authenticate/certificate-type", devplat_dev_certificate_types},
    {"GET",    "user/authenticate/domain", devplat_dev_domains},
    {"GET",    "user/authenticate/education", devplat_dev_education_levels},
    {"GET",    "user/authenticate/position", devplat_dev_positions},
    {"GET",    "user/authenticate/award-level", devplat_dev_award_levels},
    {"PUT",    "user/authenticate/real-name", devplat_dev_realname},
    {"PUT",    "user/authenticate/educational-info", devplat_dev_education},
    {"PUT",    "user/authenticate/job-info", devplat_dev_job},
    {"POST",   "user/authenticate/award-info", devplat_dev_award},
    {"GET",    "user/base", devplat_dev_base},
    {"PUT",    "user/base", devplat_dev_base_update},
    {"GET",    "user/base/research-direction", devplat_dev_research_directions},
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
    /* the back office */
    {"GET",    "review/list",        devplat_admin_review_list},
    {"GET",    "review/{kind}/{id}", devplat_admin_review_get},
    {"PUT",    "review/{kind}/{id}", devplat_admin_review_decide},
    {"GET",    "project/list",       devplat_admin_project_list},
    {"POST",   "project",            devplat_admin_project_create},
    {"PUT",    "project/{id}",       devplat_admin_project_update},
    {"DELETE", "project/{id}",       devplat_admin_project_delete},
    {"GET",    "audit/list",         devplat_admin_audit_list},
    {"GET",    "user/{id}/credit",   devplat_admin_user_credit_list},
    {"POST",   "user/{id}/credit",   devplat_admin_user_credit},
    {NULL, NULL, NULL}
};

/* 002 writes paths as Api/User/<action>, with the token in a trailing
 * /token/<t> segment or in ?token=: every action takes both, and an empty
 * /token/ is a request without a token (999), not an unknown path. */
#define MOBILE(method, action, fn) \
    {method, "User/" action, fn}, {method, "User/" action "/token/{token}", fn}, \
    {method, "User/" action "/token/", fn}

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
    case DEVPLAT_FACE_ADMIN:
        return admin_routes;
    case DEVPLAT_FACE_MOBILE:
        return mobile_routes;
    default:
        return NULL;
    }
}
