/* Typed input fields, with 422 messages that name the field. */
#include "fields.h"
#include "validate.h"

#define MSG_REQUIRED  "不能为空"

static const char *msg(devplat_req *req, const char *label, const char *text)
{
    return apr_pstrcat(req->r->pool, label, text, NULL);
}

/* The field's value, or NULL (missing error added) when absent or null. */
static json_object *get(devplat_req *req, devplat_errors *e, const char *field,
                        const char *label)
{
    json_object *v;

    if (!req->input || !json_object_object_get_ex(req->input, field, &v) || !v) {
        devplat_errors_missing(e, field, msg(req, label, MSG_REQUIRED));
        return NULL;
    }
    return v;
}

int devplat_input_has(devplat_req *req, const char *field)
{
    json_object *v;

    return req->input && json_object_object_get_ex(req->input, field, &v) && v;
}

/* An id from one JSON value; 0 when it is not one. */
static apr_int64_t id_of(json_object *v)
{
    if (json_object_is_type(v, json_type_int)) {
        apr_int64_t n = json_object_get_int64(v);
        return n > 0 && n < APR_INT64_MAX ? n : 0;
    }
    if (json_object_is_type(v, json_type_string)) {
        const char *s = json_object_get_string(v);
        apr_size_t n = (apr_size_t)json_object_get_string_len(v);

        if (n == 0 || n > 18 || strlen(s) != n || !devplat_is_digits(s, 18)) {
            return 0;
        }
        return apr_atoi64(s);
    }
    return 0;
}

apr_int64_t devplat_input_id(devplat_req *req, devplat_errors *e,
                             const char *field, const char *label)
{
    json_object *v = get(req, e, field, label);
    apr_int64_t id;

    if (!v) {
        return 0;
    }
    if (json_object_is_type(v, json_type_string) && json_object_get_string_len(v) == 0) {
        devplat_errors_missing(e, field, msg(req, label, MSG_REQUIRED));
        return 0;
    }
    if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_string)) {
        devplat_errors_add(e, field, msg(req, label, "必须是整数"));
        return 0;
    }
    id = id_of(v);
    if (!id) {
        devplat_errors_add(e, field, msg(req, label, "必须是正整数"));
    }
    return id;
}

/* The field as a non-empty array of at most max elements, or NULL. */
static json_object *array_of(devplat_req *req, devplat_errors *e, const char *field,
                             const char *label, int max)
{
    json_object *v = get(req, e, field, label);
    size_t n;

    if (!v) {
        return NULL;
    }
    if (!json_object_is_type(v, json_type_array)) {
        devplat_errors_add(e, field, msg(req, label, "必须是数组"));
        return NULL;
    }
    n = json_object_array_length(v);
    if (n == 0) {
        devplat_errors_missing(e, field, msg(req, label, MSG_REQUIRED));
        return NULL;
    }
    if (n > (size_t)max) {
        devplat_errors_add(e, field, apr_psprintf(req->r->pool, "%s最多%d项", label, max));
        return NULL;
    }
    return v;
}

apr_array_header_t *devplat_input_id_list(devplat_req *req, devplat_errors *e,
                                          const char *field, const char *label,
                                          int max)
{
    json_object *v = array_of(req, e, field, label, max);
    apr_array_header_t *ids;
    size_t i, n;

    if (!v) {
        return NULL;
    }
    n = json_object_array_length(v);
    ids = apr_array_make(req->r->pool, (int)n, sizeof(apr_int64_t));
    for (i = 0; i < n; i++) {
        apr_int64_t id = id_of(json_object_array_get_idx(v, i));
        int j, seen = 0;

        if (!id) {
            devplat_errors_add(e, field, msg(req, label, "必须是正整数的数组"));
            return NULL;
        }
        for (j = 0; j < ids->nelts; j++) {
            seen |= APR_ARRAY_IDX(ids, j, apr_int64_t) == id;
        }
        if (!seen) {
            APR_ARRAY_PUSH(ids, apr_int64_t) = id;
        }
    }
    return ids;
}

/* A string's problem for devplat_input_text, or NULL when it is fine. */
static const char *text_problem(const char *s, apr_size_t len, apr_size_t max,
                                int multiline)
{
    apr_size_t i;
    int blank = 1;

    if (strlen(s) != len) {
        return "格式不正确";            /* a NUL inside ("\u0000") */
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c < 0x20 || c == 0x7F) {
            if (!multiline || (c != '\n' && c != '\r' && c != '\t')) {
                return "不能包含控制字符";
            }
        }
        else if (c != ' ') {
            blank = 0;
        }
    }
    if (blank) {
        return MSG_REQUIRED;
    }
    if (devplat_utf8_length(s) > max) {
        return "过长";
    }
    return NULL;
}

static const char *text(devplat_req *req, devplat_errors *e, const char *field,
                        const char *label, apr_size_t max, int multiline,
                        json_object *v)
{
    const char *s, *problem;
    apr_size_t len;

    if (!json_object_is_type(v, json_type_string)) {
        devplat_errors_add(e, field, msg(req, label, "必须是字符串"));
        return NULL;
    }
    s = json_object_get_string(v);
    len = (apr_size_t)json_object_get_string_len(v);
    if (len == 0) {
        devplat_errors_missing(e, field, msg(req, label, MSG_REQUIRED));
        return NULL;
    }
    problem = text_problem(s, len, max, multiline);
    if (problem) {
        if (!strcmp(problem, "过长")) {
            devplat_errors_add(e, field, apr_psprintf(req->r->pool, "%s不能超过%"
                                                      APR_SIZE_T_FMT "个字", label, max));
        }
        else {
            devplat_errors_add(e, field, msg(req, label, problem));
        }
        return NULL;
    }
    return s;
}

const char *devplat_input_text(devplat_req *req, devplat_errors *e,
                               const char *field, const char *label,
                               apr_size_t max, int multiline)
{
    json_object *v = get(req, e, field, label);

    return v ? text(req, e, field, label, max, multiline, v) : NULL;
}

const char *devplat_input_text_optional(devplat_req *req, devplat_errors *e,
                                        const char *field, const char *label,
                                        apr_size_t max)
{
    json_object *v;

    if (!devplat_input_has(req, field)) {
        return "";
    }
    json_object_object_get_ex(req->input, field, &v);
    if (json_object_is_type(v, json_type_string) && json_object_get_string_len(v) == 0) {
        return "";
    }
    return text(req, e, field, label, max, 0, v);
}

int devplat_input_flag(devplat_req *req, devplat_errors *e,
                       const char *field, const char *label)
{
    json_object *v = get(req, e, field, label);
    const char *s;

    if (!v) {
        return -1;
    }
    if (json_object_is_type(v, json_type_int)) {
        apr_int64_t n = json_object_get_int64(v);
        if (n == 0 || n == 1) {
            return (int)n;
        }
    }
    else if (json_object_is_type(v, json_type_string)) {
        s = json_object_get_string(v);
        if (!*s) {
            devplat_errors_missing(e, field, msg(req, label, MSG_REQUIRED));
            return -1;
        }
        if (!strcmp(s, "0") || !strcmp(s, "1")) {
            return s[0] - '0';
        }
    }
    devplat_errors_add(e, field, msg(req, label, "必须是0或1"));
    return -1;
}

apr_array_header_t *devplat_input_string_list(devplat_req *req, devplat_errors *e,
                                              const char *field, const char *label,
                                              int max, apr_size_t maxlen)
{
    json_object *v = array_of(req, e, field, label, max);
    apr_array_header_t *out;
    size_t i, n;

    if (!v) {
        return NULL;
    }
    n = json_object_array_length(v);
    out = apr_array_make(req->r->pool, (int)n, sizeof(const char *));
    for (i = 0; i < n; i++) {
        json_object *item = json_object_array_get_idx(v, i);
        const char *s;
        apr_size_t len;
        int j, seen = 0;

        if (!item || !json_object_is_type(item, json_type_string)) {
            devplat_errors_add(e, field, msg(req, label, "必须是字符串的数组"));
            return NULL;
        }
        s = json_object_get_string(item);
        len = (apr_size_t)json_object_get_string_len(item);
        if (len == 0 || len > maxlen || strlen(s) != len) {
            devplat_errors_add(e, field, msg(req, label, "格式不正确"));
            return NULL;
        }
        for (j = 0; j < out->nelts; j++) {
            seen |= !strcmp(APR_ARRAY_IDX(out, j, const char *), s);
        }
        if (!seen) {
            APR_ARRAY_PUSH(out, const char *) = s;
        }
    }
    return out;
}
