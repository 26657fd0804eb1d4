/* A project's fields read and checked once for the admin face and for
 * devplat-admin (project_rules.h). The Chinese messages name the field by
 * 000's label, as every message of the admin face does. */
#include <string.h>

#include <apr_strings.h>

#include "project_rules.h"
#include "timefmt.h"
#include "utf8.h"

const char *const devplat_project_field_names[DEVPLAT_PF_COUNT] = {
    "name", "status", "purchase_budget", "introduction", "domain",
    "research_direction", "level", "delivery_at"
};

typedef enum {
    KIND_LINE,          /* one line of text */
    KIND_TEXT,          /* text that may break lines */
    KIND_STATUS,
    KIND_INT,
    KIND_DATETIME
} field_kind;

/* required: must be given on create (the column has no default); dflt: the
 * column's DEFAULT in 020_projects.sql, which a create takes otherwise */
static const struct {
    const char *label;
    field_kind kind;
    apr_int64_t min, max;       /* characters, or the integer's range */
    int required;
    const char *dflt;
} rules[DEVPLAT_PF_COUNT] = {
    {"名称",     KIND_LINE, 1, DEVPLAT_PROJECT_NAME_MAX, 1, NULL},
    {"状态",     KIND_STATUS, 0, 0, 0, "registration"},
    {"采购预算", KIND_INT, 0, DEVPLAT_PROJECT_INT_MAX, 0, "0"},
    {"简介",     KIND_TEXT, 0, DEVPLAT_PROJECT_INTRODUCTION_MAX, 0, ""},
    {"领域",     KIND_LINE, 0, DEVPLAT_PROJECT_DOMAIN_MAX, 0, ""},
    {"研究方向", KIND_LINE, 0, DEVPLAT_PROJECT_DIRECTION_MAX, 0, ""},
    {"等级限制", KIND_INT, 1, DEVPLAT_PROJECT_INT_MAX, 0, "1"},
    {"交付时间", KIND_DATETIME, 0, 0, 1, NULL}
};

/* registration 报名中, ing 进行中, end 已结束, iteration 迭代中 */
static const char *const statuses[] = {"registration", "ing", "end", "iteration"};

const devplat_project_error devplat_project_no_level = {
    "level", "等级限制不存在", "is not a level of the levels table"
};

int devplat_project_field_of(const char *name)
{
    int f;

    for (f = 0; name && f < DEVPLAT_PF_COUNT; f++) {
        if (!strcmp(name, devplat_project_field_names[f])) {
            return f;
        }
    }
    return -1;
}

static void add(apr_pool_t *p, apr_array_header_t *errors, int f, const char *zh,
                const char *en)
{
    devplat_project_error *e = apr_array_push(errors);

    e->field = devplat_project_field_names[f];
    e->message = apr_pstrcat(p, rules[f].label, zh, NULL);
    e->english = en;
}

static int is_control(unsigned long cp, int multiline)
{
    if (multiline && (cp == '\t' || cp == '\n' || cp == '\r')) {
        return 0;
    }
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/* Characters of the valid UTF-8 s; -1 when one is a control character
 * (multiline: but tab and line breaks); *blank tells whether every one is
 * a space (U+0020, U+3000). */
static apr_int64_t characters(const char *s, apr_size_t len, int multiline, int *blank)
{
    apr_size_t i = 0, n;
    apr_int64_t count = 0;
    unsigned long cp;

    *blank = 1;
    while (i < len) {
        n = devplat_utf8_decode(s + i, len - i, &cp);
        if (is_control(cp, multiline)) {
            return -1;
        }
        if (cp != ' ' && cp != 0x3000) {
            *blank = 0;
        }
        i += n;
        count++;
    }
    return count;
}

static const char *read_text(apr_pool_t *p, apr_array_header_t *errors, int f,
                             json_object *v)
{
    const char *s;
    apr_size_t len;
    apr_int64_t n;
    int blank;

    if (!json_object_is_type(v, json_type_string)) {
        add(p, errors, f, "必须是字符串", "must be a string");
        return NULL;
    }
    s = json_object_get_string(v);
    len = (apr_size_t)json_object_get_string_len(v);
    if (strlen(s) != len) {
        add(p, errors, f, "不能含有NUL字符", "must not hold a NUL character");
        return NULL;
    }
    if (!devplat_utf8_valid(s, len)) {
        add(p, errors, f, "不是有效的UTF-8文本", "is not valid UTF-8");
        return NULL;
    }
    n = characters(s, len, rules[f].kind == KIND_TEXT, &blank);
    if (n < 0) {
        add(p, errors, f, "不能含有控制字符", "must not hold control characters");
        return NULL;
    }
    if (rules[f].min > 0 && (n == 0 || blank)) {
        add(p, errors, f, "不能为空", "must not be empty or only spaces");
        return NULL;
    }
    if (n > rules[f].max) {
        add(p, errors, f,
            apr_psprintf(p, "不能超过%" APR_INT64_T_FMT "个字符", rules[f].max),
            apr_psprintf(p, "must not be longer than %" APR_INT64_T_FMT " characters",
                         rules[f].max));
        return NULL;
    }
    return s;
}

/* A JSON integer, or a string of decimal digits as forms and CSV cells
 * carry numbers; canonical decimal text. */
static const char *read_int(apr_pool_t *p, apr_array_header_t *errors, int f,
                            json_object *v)
{
    apr_int64_t n = -1;

    if (json_object_is_type(v, json_type_int)) {
        n = json_object_get_int64(v);   /* saturates: out of range either way */
    }
    else if (json_object_is_type(v, json_type_string)) {
        const char *s = json_object_get_string(v);
        apr_size_t len = (apr_size_t)json_object_get_string_len(v), i;

        for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        }
        /* digits only (no sign, no spaces); 18 of them cannot overflow */
        if (len > 0 && i == len && len <= 18) {
            n = apr_atoi64(s);
        }
        else if (len > 0 && i == len) {
            n = APR_INT64_MAX;
        }
    }
    else {
        add(p, errors, f, "必须是整数", "must be a whole number");
        return NULL;
    }
    if (n < rules[f].min || n > rules[f].max) {
        add(p, errors, f,
            apr_psprintf(p, "须为%" APR_INT64_T_FMT "到%" APR_INT64_T_FMT "的整数",
                         rules[f].min, rules[f].max),
            apr_psprintf(p, "must be a whole number from %" APR_INT64_T_FMT " to %"
                         APR_INT64_T_FMT, rules[f].min, rules[f].max));
        return NULL;
    }
    return apr_psprintf(p, "%" APR_INT64_T_FMT, n);
}

int devplat_project_status_known(const char *s)
{
    apr_size_t i;

    for (i = 0; s && i < sizeof(statuses) / sizeof(statuses[0]); i++) {
        if (!strcmp(s, statuses[i])) {
            return 1;
        }
    }
    return 0;
}

static const char *read_status(apr_pool_t *p, apr_array_header_t *errors, int f,
                               json_object *v)
{
    const char *s;

    if (!json_object_is_type(v, json_type_string)) {
        add(p, errors, f, "必须是字符串", "must be a string");
        return NULL;
    }
    s = json_object_get_string(v);
    /* strcmp stops at a NUL: the length must agree too */
    if (devplat_project_status_known(s)
        && (apr_size_t)json_object_get_string_len(v) == strlen(s)) {
        return s;
    }
    add(p, errors, f, "须为registration、ing、end或iteration",
        "must be registration, ing, end or iteration");
    return NULL;
}

static const char *read_datetime(apr_pool_t *p, apr_array_header_t *errors, int f,
                                 json_object *v)
{
    const char *s;
    int whole;

    if (!json_object_is_type(v, json_type_string)) {
        add(p, errors, f, "必须是字符串", "must be a string");
        return NULL;
    }
    s = json_object_get_string(v);
    whole = (apr_size_t)json_object_get_string_len(v) == strlen(s);
    if (whole && devplat_time_text_valid(s)) {
        return s;
    }
    if (whole && devplat_time_text_shaped(s)) {
        add(p, errors, f, "不是有效的日期时间", "is not a real date and time");
    }
    else {
        add(p, errors, f, "须为YYYY-MM-DD HH:MM:SS格式的时间",
            "must be a time written YYYY-MM-DD HH:MM:SS");
    }
    return NULL;
}

int devplat_project_read(apr_pool_t *p, json_object *in, int create,
                         devplat_project_input *out, apr_array_header_t *errors)
{
    int f, before = errors->nelts;

    memset(out, 0, sizeof(*out));
    for (f = 0; f < DEVPLAT_PF_COUNT; f++) {
        json_object *v = NULL;
        const char *value = NULL;

        if (!in || !json_object_object_get_ex(in, devplat_project_field_names[f], &v)) {
            if (create && rules[f].required) {
                add(p, errors, f, "不能为空", "is required");
            }
            else if (create) {
                out->value[f] = rules[f].dflt;
            }
            continue;
        }
        out->set[f] = 1;
        out->given++;
        switch (rules[f].kind) {
        case KIND_LINE:
        case KIND_TEXT:
            value = read_text(p, errors, f, v);
            break;
        case KIND_STATUS:
            value = read_status(p, errors, f, v);
            break;
        case KIND_INT:
            value = read_int(p, errors, f, v);
            break;
        default:
            value = read_datetime(p, errors, f, v);
            break;
        }
        out->value[f] = value;
    }
    return errors->nelts - before;
}

const char *devplat_project_given(apr_pool_t *p, const devplat_project_input *in)
{
    const char *s = "";
    int f;

    for (f = 0; f < DEVPLAT_PF_COUNT; f++) {
        if (in->set[f]) {
            s = apr_pstrcat(p, s, *s ? "," : "", devplat_project_field_names[f], NULL);
        }
    }
    return s;
}

const char *devplat_project_audit_detail(apr_pool_t *p, const char *id,
                                         const char *fields)
{
    return apr_pstrcat(p, "project ", id, ": ", fields, NULL);
}
