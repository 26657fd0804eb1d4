/* The admin face's paginated lists (list/user and the back office's):
 * page and per_page in, 001's total / per_page / current_page / last_page
 * / data out, and the whole-number and text query parameters their filters
 * take. */
#include "admin.h"
#include "body.h"
#include "db.h"
#include "validate.h"

#define PER_PAGE_DEFAULT 15
#define PER_PAGE_MAX     100
#define MAX_PAGE         10000000    /* keeps the OFFSET far from overflow */
#define MSG_PAGE_RULE     "页码须为正整数"
#define MSG_PER_PAGE_RULE "每页条数须为1-100的整数"

int devplat_admin_query_int(devplat_req *req, const char *key, apr_int64_t min,
                            apr_int64_t max, apr_int64_t *out)
{
    json_object *v;
    apr_int64_t n;

    if (!req->input || !json_object_object_get_ex(req->input, key, &v)) {
        return 1;
    }
    if (json_object_is_type(v, json_type_int)) {
        n = json_object_get_int64(v);
    }
    else if (json_object_is_type(v, json_type_string)) {
        const char *s = json_object_get_string(v);

        if (!*s) {
            return 1;           /* ?key= is the default, as a form sends it */
        }
        /* digits only: no sign, no spaces, nothing apr_atoi64 would skip */
        if (!devplat_is_digits(s, 18)) {
            return 0;
        }
        n = apr_atoi64(s);
    }
    else {
        return 0;
    }
    if (n < min || n > max) {
        return 0;
    }
    *out = n;
    return 1;
}

const char *devplat_admin_query_text(devplat_req *req, devplat_errors *e, const char *key,
                                     int (*valid)(const char *), const char *rule)
{
    const char *s = NULL;

    switch (devplat_input_field(req, key, 0, &s)) {
    case DEVPLAT_FIELD_TEXT:
        if (!valid || valid(s)) {
            return s;
        }
        break;
    case DEVPLAT_FIELD_ABSENT:
    case DEVPLAT_FIELD_EMPTY:
        return NULL;            /* ?key= is no filter, as a form sends it */
    default:
        break;                  /* another JSON type, or a NUL */
    }
    devplat_errors_add(e, key, rule);
    return NULL;
}

int devplat_admin_paging_read(devplat_req *req, devplat_admin_paging *pg)
{
    apr_int64_t per_page = PER_PAGE_DEFAULT;

    pg->page = 1;
    if (!devplat_admin_query_int(req, "page", 1, MAX_PAGE, &pg->page)) {
        return devplat_reply_invalid1(req, "page", MSG_PAGE_RULE);
    }
    if (!devplat_admin_query_int(req, "per_page", 1, PER_PAGE_MAX, &per_page)) {
        return devplat_reply_invalid1(req, "per_page", MSG_PER_PAGE_RULE);
    }
    pg->per_page = (int)per_page;
    pg->limit = apr_itoa(req->r->pool, pg->per_page);
    pg->offset = devplat_i64(req, (pg->page - 1) * pg->per_page);
    return DEVPLAT_CONTINUE;
}

json_object *devplat_admin_page_json(const devplat_admin_paging *pg, apr_int64_t total,
                                     json_object *list)
{
    json_object *data = json_object_new_object();
    apr_int64_t last = total > 0 ? (total + pg->per_page - 1) / pg->per_page : 1;

    json_object_object_add(data, "total", json_object_new_int64(total));
    json_object_object_add(data, "per_page", json_object_new_int(pg->per_page));
    json_object_object_add(data, "current_page", json_object_new_int64(pg->page));
    json_object_object_add(data, "last_page", json_object_new_int64(last));
    json_object_object_add(data, "data", list);
    return data;
}
