/* Request fields of the mobile face, answered with the codes each endpoint
 * of 002 lists for bad input. */
#include "mobile.h"
#include "body.h"
#include "reply.h"

int devplat_mobile_input(devplat_req *req)
{
    /* body.c answers unusable bodies with 413/415/422, which the mobile
     * envelope turns into 1006 with HTTP 200 */
    return devplat_input_load(req);
}

static int missing(devplat_req *req, const devplat_mobile_rules *rules,
                   const char *field)
{
    return devplat_reply_fail(req, HTTP_UNPROCESSABLE_ENTITY, rules->missing_code,
                              rules->missing_bare ? rules->missing_info
                              : apr_pstrcat(req->r->pool, rules->missing_info, ":",
                                            field, NULL));
}

int devplat_mobile_bad(devplat_req *req, const devplat_mobile_rules *rules,
                       const char *detail)
{
    return devplat_reply_fail(req, HTTP_UNPROCESSABLE_ENTITY, rules->bad_code,
                              apr_pstrcat(req->r->pool, rules->bad_info, ":",
                                          detail, NULL));
}

int devplat_mobile_field(devplat_req *req, const devplat_mobile_rules *rules,
                         const char *field, int required, apr_size_t maxlen,
                         const char **out)
{
    const char *s;

    *out = NULL;
    switch (devplat_input_field(req, field, 0, &s)) {
    case DEVPLAT_FIELD_TEXT:
        break;
    case DEVPLAT_FIELD_NOT_TEXT:
        return devplat_mobile_bad(req, rules,
                                  apr_pstrcat(req->r->pool, field, "必须是字符串", NULL));
    case DEVPLAT_FIELD_NUL:
        return devplat_mobile_bad(req, rules,
                                  apr_pstrcat(req->r->pool, field, "格式不正确", NULL));
    default:
        return required ? missing(req, rules, field) : DEVPLAT_CONTINUE;
    }
    if (strlen(s) > maxlen) {
        return devplat_mobile_bad(req, rules,
                                  apr_psprintf(req->r->pool, "%s不能超过%" APR_SIZE_T_FMT
                                               "个字节", field, maxlen));
    }
    *out = s;
    return DEVPLAT_CONTINUE;
}
