/* Unit tests of modules/core/project_rules.c: the project fields that the
 * admin face and devplat-admin project import both check (TAP). */

#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <json-c/json.h>

#include "project_rules.h"
#include "timefmt.h"

#include "unit.h"

static const char *const OK_PROJECT =
    "{\"name\":\"安全工地：安全帽识别\",\"status\":\"ing\",\"purchase_budget\":2000,"
    "\"introduction\":\"工地安全帽佩戴识别\\n第二行\\t制表\",\"domain\":\"工地\","
    "\"research_direction\":\"人脸\",\"level\":1,\"delivery_at\":\"2019-08-27 14:00:00\"}";

/* The errors of reading text (a JSON object) as a create or an edit. */
static apr_array_header_t *read_json(apr_pool_t *p, const char *text, int create,
                                     devplat_project_input *in)
{
    apr_array_header_t *errors = apr_array_make(p, 4, sizeof(devplat_project_error));
    json_object *o = json_tokener_parse(text);

    devplat_project_read(p, o, create, in, errors);
    json_object_put(o);
    return errors;
}

/* The one error of {field: <json value>} as an edit: its field, or "" when
 * there was none. */
static const char *error_of(apr_pool_t *p, const char *field, const char *json_value)
{
    devplat_project_input in;
    apr_array_header_t *e = read_json(p, apr_psprintf(p, "{\"%s\":%s}", field, json_value),
                                      0, &in);

    if (e->nelts == 0) {
        return "";
    }
    return APR_ARRAY_IDX(e, 0, devplat_project_error).field;
}

static void test_datetime(void)
{
    static const char *good[] = {
        "2019-08-27 14:00:00", "2024-02-29 23:59:59", "2000-02-29 00:00:00",
        "0001-01-01 00:00:00", "9999-12-31 23:59:59", "2030-04-30 12:30:45"
    };
    static const char *bad[] = {
        "", "2019-08-27", "2019-08-27 14:00", "2019-08-27T14:00:00", "2019-08-27 14:00:00Z",
        "2019-8-27 14:00:00", "2019-08-27  14:00:00", "2023-02-29 00:00:00",
        "1900-02-29 00:00:00", "2019-04-31 00:00:00", "2019-13-01 00:00:00",
        "2019-00-10 00:00:00", "2019-01-00 00:00:00", "2019-01-01 24:00:00",
        "2019-01-01 23:60:00", "2019-01-01 23:59:60", "0000-01-01 00:00:00",
        "２０１９-08-27 14:00:00", "2019-08-27 14:00:0a", " 2019-08-27 14:00:00"
    };
    apr_size_t i;

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        UNIT_OK(devplat_time_text_valid(good[i]), "a real moment: %s", good[i]);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        UNIT_OK(!devplat_time_text_valid(bad[i]), "not one: '%s'", bad[i]);
    }
    UNIT_OK(!devplat_time_text_valid(NULL), "not one: NULL");
}

static void test_create(apr_pool_t *p)
{
    devplat_project_input in;
    apr_array_header_t *e;
    int f;

    e = read_json(p, OK_PROJECT, 1, &in);
    UNIT_IS_INT(e->nelts, 0, "000's example project passes");
    UNIT_IS_INT(in.given, DEVPLAT_PF_COUNT, "every field given");
    UNIT_IS_STR(in.value[DEVPLAT_PF_PURCHASE_BUDGET], "2000", "the budget as decimal text");
    UNIT_IS_STR(devplat_project_given(p, &in),
                "name,status,purchase_budget,introduction,domain,research_direction,level,"
                "delivery_at", "given: every field in 000's order");

    e = read_json(p, "{\"name\":\"n\",\"delivery_at\":\"2030-01-01 00:00:00\"}", 1, &in);
    UNIT_IS_INT(e->nelts, 0, "name and delivery_at are enough to create");
    UNIT_IS_STR(in.value[DEVPLAT_PF_STATUS], "registration", "status defaults to registration");
    UNIT_IS_STR(in.value[DEVPLAT_PF_PURCHASE_BUDGET], "0", "budget defaults to 0");
    UNIT_IS_STR(in.value[DEVPLAT_PF_INTRODUCTION], "", "introduction defaults to ''");
    UNIT_IS_STR(in.value[DEVPLAT_PF_LEVEL], "1", "level defaults to 1");
    UNIT_IS_STR(devplat_project_given(p, &in), "name,delivery_at", "given: only those two");

    e = read_json(p, "{\"status\":\"ing\"}", 1, &in);
    UNIT_IS_INT(e->nelts, 2, "a create without name and delivery_at: two errors");
    UNIT_IS_STR(e->nelts > 0 ? APR_ARRAY_IDX(e, 0, devplat_project_error).field : "", "name",
                "... name first");
    UNIT_IS_STR(e->nelts > 1 ? APR_ARRAY_IDX(e, 1, devplat_project_error).field : "",
                "delivery_at", "... then delivery_at");
    UNIT_OK(e->nelts > 0 && strstr(APR_ARRAY_IDX(e, 0, devplat_project_error).message, "名称"),
            "the message names the field by 000's label");

    e = read_json(p, "{}", 0, &in);
    UNIT_IS_INT(e->nelts, 0, "an edit of nothing has no error ...");
    UNIT_IS_INT(in.given, 0, "... and no field given");
    for (f = 0; f < DEVPLAT_PF_COUNT; f++) {
        UNIT_OK(in.value[f] == NULL, "an edit keeps %s (NULL)", devplat_project_field_names[f]);
    }

    e = read_json(p, "{\"name\":1,\"status\":\"x\",\"purchase_budget\":-1,\"introduction\":[],"
                     "\"domain\":null,\"research_direction\":true,\"level\":0,"
                     "\"delivery_at\":\"2019-02-29 00:00:00\"}", 0, &in);
    UNIT_IS_INT(e->nelts, DEVPLAT_PF_COUNT, "every broken field is reported at once");
    for (f = 0; f < DEVPLAT_PF_COUNT && f < e->nelts; f++) {
        UNIT_IS_STR(APR_ARRAY_IDX(e, f, devplat_project_error).field,
                    devplat_project_field_names[f], "error %d names its field", f);
        UNIT_OK(in.value[f] == NULL, "%s is not taken", devplat_project_field_names[f]);
    }
}

static void test_text(apr_pool_t *p)
{
    char *name100 = apr_pcalloc(p, 100 * 3 + 1), *name101 = apr_pcalloc(p, 101 * 3 + 1);
    char *ascii65 = apr_pcalloc(p, 66);
    int i;

    for (i = 0; i < 100; i++) {
        memcpy(name100 + 3 * i, "项", 3);
    }
    memcpy(name101, name100, 300);
    memcpy(name101 + 300, "目", 3);
    memset(ascii65, 'a', 65);
    UNIT_IS_STR(error_of(p, "name", apr_psprintf(p, "\"%s\"", name100)), "",
                "name: 100 characters (300 bytes) pass");
    UNIT_IS_STR(error_of(p, "name", apr_psprintf(p, "\"%s\"", name101)), "name",
                "name: 101 characters do not");
    UNIT_IS_STR(error_of(p, "domain", apr_psprintf(p, "\"%.64s\"", ascii65)), "",
                "domain: 64 characters pass");
    UNIT_IS_STR(error_of(p, "domain", apr_psprintf(p, "\"%s\"", ascii65)), "domain",
                "domain: 65 do not");
    UNIT_IS_STR(error_of(p, "research_direction", apr_psprintf(p, "\"%s\"", ascii65)),
                "research_direction", "research_direction: 65 do not");
    UNIT_IS_STR(error_of(p, "domain", "\"\""), "", "domain may be empty");
    UNIT_IS_STR(error_of(p, "name", "\"\""), "name", "name may not be empty");
    UNIT_IS_STR(error_of(p, "name", "\"  \\u3000 \""), "name", "nor only spaces");
    UNIT_IS_STR(error_of(p, "name", "\" a \""), "", "spaces around a name are kept");
    UNIT_IS_STR(error_of(p, "name", "\"a\\nb\""), "name", "name: no line break");
    UNIT_IS_STR(error_of(p, "domain", "\"a\\tb\""), "domain", "domain: no tab");
    UNIT_IS_STR(error_of(p, "name", "\"a\\u0085b\""), "name", "name: no C1 control");
    UNIT_IS_STR(error_of(p, "name", "\"a\\u007fb\""), "name", "name: no DEL");
    UNIT_IS_STR(error_of(p, "introduction", "\"a\\nb\\r\\n\\tc\""), "",
                "introduction: line breaks and tabs pass");
    UNIT_IS_STR(error_of(p, "introduction", "\"a\\u0007b\""), "introduction",
                "introduction: a bell does not");
    UNIT_IS_STR(error_of(p, "name", "\"a\\u0000b\""), "name", "name: no NUL");
    UNIT_IS_STR(error_of(p, "name", "\"😀 emoji\""), "", "name: a character beyond the BMP");

    {
        devplat_project_input in;
        apr_array_header_t *e = apr_array_make(p, 2, sizeof(devplat_project_error));
        json_object *o = json_object_new_object();

        /* what a CSV cell could hold: not UTF-8 */
        json_object_object_add(o, "name", json_object_new_string("caf\xE9"));
        json_object_object_add(o, "domain", json_object_new_string("\xED\xA0\x80"));
        devplat_project_read(p, o, 0, &in, e);
        json_object_put(o);
        UNIT_IS_INT(e->nelts, 2, "Latin-1 and a UTF-8 surrogate are refused");
    }
}

static void test_numbers(apr_pool_t *p)
{
    devplat_project_input in;
    apr_array_header_t *e;

    UNIT_IS_STR(error_of(p, "purchase_budget", "0"), "", "budget 0");
    UNIT_IS_STR(error_of(p, "purchase_budget", "2147483647"), "", "budget 2147483647");
    UNIT_IS_STR(error_of(p, "purchase_budget", "2147483648"), "purchase_budget",
                "budget 2147483648 does not fit an INTEGER");
    UNIT_IS_STR(error_of(p, "purchase_budget", "-1"), "purchase_budget", "budget -1");
    UNIT_IS_STR(error_of(p, "purchase_budget", "1.5"), "purchase_budget", "budget 1.5");
    UNIT_IS_STR(error_of(p, "purchase_budget", "1e3"), "purchase_budget", "budget 1e3");
    UNIT_IS_STR(error_of(p, "purchase_budget", "99999999999999999999"), "purchase_budget",
                "budget beyond int64");
    UNIT_IS_STR(error_of(p, "purchase_budget", "\"2000\""), "", "budget as digits (a form)");
    UNIT_IS_STR(error_of(p, "purchase_budget", "\"\""), "purchase_budget", "budget ''");
    UNIT_IS_STR(error_of(p, "purchase_budget", "\" 20\""), "purchase_budget", "budget ' 20'");
    UNIT_IS_STR(error_of(p, "purchase_budget", "\"+20\""), "purchase_budget", "budget '+20'");
    UNIT_IS_STR(error_of(p, "purchase_budget", "\"99999999999999999999999\""),
                "purchase_budget", "budget of 23 digits");
    UNIT_IS_STR(error_of(p, "level", "0"), "level", "level 0");
    UNIT_IS_STR(error_of(p, "level", "1"), "", "level 1");
    UNIT_IS_STR(error_of(p, "level", "false"), "level", "level false");
    UNIT_IS_STR(error_of(p, "level", "null"), "level", "level null is a wrong type");
    UNIT_IS_STR(error_of(p, "status", "\"ING\""), "status", "status is case-sensitive");
    UNIT_IS_STR(error_of(p, "status", "\"iteration\""), "", "status iteration");
    UNIT_IS_STR(error_of(p, "status", "\"ing\\u0000x\""), "status", "status with a NUL");

    e = read_json(p, "{\"purchase_budget\":\"007\",\"level\":\"0003\"}", 0, &in);
    UNIT_IS_INT(e->nelts, 0, "leading zeros pass");
    UNIT_IS_STR(in.value[DEVPLAT_PF_PURCHASE_BUDGET], "7", "... as the number");
    UNIT_IS_STR(in.value[DEVPLAT_PF_LEVEL], "3", "... canonical");
    UNIT_IS_STR(devplat_project_given(p, &in), "purchase_budget,level", "given: those two");
}

static void test_misc(apr_pool_t *p)
{
    int f;

    for (f = 0; f < DEVPLAT_PF_COUNT; f++) {
        UNIT_IS_INT(devplat_project_field_of(devplat_project_field_names[f]), f,
                    "field_of(%s)", devplat_project_field_names[f]);
    }
    UNIT_IS_INT(devplat_project_field_of("id"), -1, "id is not a field one writes");
    UNIT_IS_INT(devplat_project_field_of("Name"), -1, "names are case-sensitive");
    UNIT_IS_INT(devplat_project_field_of(NULL), -1, "field_of(NULL)");
    UNIT_OK(devplat_project_status_known("end") && !devplat_project_status_known("")
            && !devplat_project_status_known(NULL), "status_known");
    UNIT_IS_STR(devplat_project_audit_detail(p, "12", "name,level"), "project 12: name,level",
                "the audit detail names the project and the fields");
    UNIT_IS_STR(devplat_project_no_level.field, "level", "the unknown level's error");
}

int main(void)
{
    apr_pool_t *p;

    apr_initialize();
    apr_pool_create(&p, NULL);
    test_datetime();
    test_create(p);
    test_text(p);
    test_numbers(p);
    test_misc(p);
    apr_pool_destroy(p);
    apr_terminate();
    return UNIT_DONE();
}
