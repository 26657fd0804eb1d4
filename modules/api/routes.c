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

const devplat_route *devplat_routes_for(int face)
{
    switch (face) {
    case DEVPLAT_FACE_DEVELOPER:
        return developer_routes;
    default:
        return NULL;
    }
}
