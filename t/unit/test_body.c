/* Unit tests of the request body readers of modules/core: media types and
 * urlencoded forms (form.c), RFC 8259 JSON (json_strict.c). TAP on stdout. */

#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "form.h"
#include "json_strict.h"

#include "unit.h"

static apr_pool_t *pool;

/* s for a test name: control characters as '.', so TAP stays one line. */
static const char *shown(const char *s)
{
    char *out = apr_pstrdup(pool, s), *c;

    for (c = out; *c; c++) {
        if ((unsigned char)*c < 0x20) {
            *c = '.';
        }
    }
    return out;
}

/* ---------------------------------------------------------------- media types */

static void test_media_types(void)
{
    static const struct {
        const char *ct;
        devplat_media want;
    } cases[] = {
        {"application/json", DEVPLAT_MEDIA_JSON},
        {"Application/JSON", DEVPLAT_MEDIA_JSON},
        {"application/json; charset=utf-8", DEVPLAT_MEDIA_JSON},
        {"application/json;charset=GBK", DEVPLAT_MEDIA_JSON},
        {"  application/json  ; charset=utf-8", DEVPLAT_MEDIA_JSON},
        {"\tapplication/json\t", DEVPLAT_MEDIA_JSON},
        {"application/json;", DEVPLAT_MEDIA_JSON},
        {"application/vnd.api+json", DEVPLAT_MEDIA_JSON},
        {"application/problem+JSON; q=1", DEVPLAT_MEDIA_JSON},
        {"application/x-www-form-urlencoded", DEVPLAT_MEDIA_FORM},
        {"APPLICATION/X-WWW-FORM-URLENCODED; charset=UTF-8", DEVPLAT_MEDIA_FORM},
        {"multipart/form-data; boundary=+json", DEVPLAT_MEDIA_OTHER},
        {"multipart/form-data; boundary=x", DEVPLAT_MEDIA_OTHER},
        {"text/plain", DEVPLAT_MEDIA_OTHER},
        {"text/json", DEVPLAT_MEDIA_OTHER},
        {"text/x+json", DEVPLAT_MEDIA_OTHER},
        {"application/+json", DEVPLAT_MEDIA_OTHER},
        {"application/json+x", DEVPLAT_MEDIA_OTHER},
        {"application/jsonx", DEVPLAT_MEDIA_OTHER},
        {"application/xjson", DEVPLAT_MEDIA_OTHER},
        {"application/json, text/plain", DEVPLAT_MEDIA_OTHER},
        {"application/json charset=utf-8", DEVPLAT_MEDIA_OTHER},
        {"application/json/x", DEVPLAT_MEDIA_OTHER},
        {"application /json", DEVPLAT_MEDIA_OTHER},
        {"application/ json", DEVPLAT_MEDIA_OTHER},
        {"application/", DEVPLAT_MEDIA_OTHER},
        {"/json", DEVPLAT_MEDIA_OTHER},
        {"application", DEVPLAT_MEDIA_OTHER},
        {"x-application/json", DEVPLAT_MEDIA_OTHER},
        {"application/x-www-form-urlencoded+json2", DEVPLAT_MEDIA_OTHER},
        {"", DEVPLAT_MEDIA_OTHER},
        {"; application/json", DEVPLAT_MEDIA_OTHER},
    };
    apr_size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        UNIT_IS_INT(devplat_media_type(cases[i].ct), cases[i].want, "media type '%s'", shown(cases[i].ct));
    }
    UNIT_IS_INT(devplat_media_type(NULL), DEVPLAT_MEDIA_OTHER, "no Content-Type");
}

/* ---------------------------------------------------------------- forms */

/* The form decoded and written back as JSON, or "BAD"/"NUL:<field>". */
static const char *form(const char *text, apr_size_t len)
{
    json_object *o = json_object_new_object();
    const char *field, *out;

    switch (devplat_form_parse(pool, text, len, o, &field)) {
    case DEVPLAT_FORM_OK:
        out = apr_pstrdup(pool, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
        break;
    case DEVPLAT_FORM_NUL:
        out = apr_pstrcat(pool, "NUL:", field ? field : "(name)", NULL);
        break;
    default:
        out = "BAD";
    }
    json_object_put(o);
    return out;
}

#define FORM(s) form((s), sizeof(s) - 1)

static void test_forms(void)
{
    UNIT_IS_STR(FORM("a=1&b=x+y"), "{\"a\":\"1\",\"b\":\"x y\"}", "pairs, + is a space");
    UNIT_IS_STR(FORM("a=%41%62%2b%26%3D"), "{\"a\":\"Ab+&=\"}", "escapes, either case");
    UNIT_IS_STR(FORM("a=%E5%BC%A0%E4%B8%89"), "{\"a\":\"张三\"}", "UTF-8 escaped");
    UNIT_IS_STR(FORM("a=张三"), "{\"a\":\"张三\"}", "UTF-8 raw");
    UNIT_IS_STR(FORM("a=1&a=2"), "{\"a\":\"2\"}", "a repeated name: the last one");
    UNIT_IS_STR(FORM("t[]=1&t[]=2&t%5B%5D=3"), "{\"t\":[\"1\",\"2\",\"3\"]}", "name[] collects");
    UNIT_IS_STR(FORM("[]=1"), "{\"[]\":\"1\"}", "\"[]\" alone is a name");
    UNIT_IS_STR(FORM("a&b=&=c&&&"), "{\"a\":\"\",\"b\":\"\"}", "no value, empty name, empty pairs");
    UNIT_IS_STR(FORM("a=b=c"), "{\"a\":\"b=c\"}", "the first = splits");
    UNIT_IS_STR(FORM(""), "{}", "empty form");
    UNIT_IS_STR(FORM("a=%zz"), "BAD", "broken escape");
    UNIT_IS_STR(FORM("a=%4"), "BAD", "short escape at the end");
    UNIT_IS_STR(FORM("a=%"), "BAD", "lone %%");
    UNIT_IS_STR(FORM("%g0=1"), "BAD", "broken escape in a name");
    UNIT_IS_STR(FORM("a=%FF%FE"), "BAD", "not UTF-8 once decoded");
    UNIT_IS_STR(FORM("a=%C3%28"), "BAD", "ill-formed UTF-8");
    UNIT_IS_STR(FORM("a=\xC0\xAF"), "BAD", "overlong raw");
    UNIT_IS_STR(FORM("a=1&name=ab%00cd"), "NUL:name", "%%00 in a value");
    UNIT_IS_STR(FORM("a=1&name=ab\0cd&z=2"), "NUL:name", "a raw NUL in a value");
    UNIT_IS_STR(FORM("t[]=%00"), "NUL:t", "%%00 in an array value names name of name[]");
    UNIT_IS_STR(FORM("[]=%00"), "NUL:[]", "... \"[]\" alone is a name");
    UNIT_IS_STR(FORM("a%00b=1"), "NUL:(name)", "%%00 in a name");
    UNIT_IS_STR(FORM("a=1\0"), "NUL:a", "a raw NUL at the very end");
    UNIT_IS_STR(FORM("=%00"), "NUL:(name)", "%%00 under an empty name is refused too");
    UNIT_IS_STR(FORM("a=%zz&b=%00"), "BAD", "the first problem decides");
    UNIT_IS_STR(FORM("b=%00&a=%zz"), "NUL:b", "... either way");
    UNIT_IS_STR(FORM("%FF=%00"), "BAD", "a name that is not UTF-8 is never quoted");
    /* the length bounds the reader, not a NUL */
    UNIT_IS_STR(form("a=12345", 3), "{\"a\":\"1\"}", "only len bytes are read");
    UNIT_IS_STR(form("a=%41", 4), "BAD", "an escape cut by len is broken");
}

/* ---------------------------------------------------------------- JSON */

/* The body's status as a word. */
static const char *json(const char *text, apr_size_t len, const char **field)
{
    devplat_json_status st;
    const char *f;
    json_object *o = devplat_json_parse_object(text, len, 16, &st, &f);
    const char *out;

    if (field) {
        *field = f ? apr_pstrdup(pool, f) : NULL;
    }
    UNIT_OK((st == DEVPLAT_JSON_OK || st == DEVPLAT_JSON_NUL) == (o != NULL),
            "an object exactly for OK and NUL (%.40s)", shown(text));
    json_object_put(o);
    switch (st) {
    case DEVPLAT_JSON_OK:         out = "OK"; break;
    case DEVPLAT_JSON_NUL:        out = "NUL"; break;
    case DEVPLAT_JSON_BAD_UTF8:   out = "UTF8"; break;
    case DEVPLAT_JSON_NOT_OBJECT: out = "NOTOBJ"; break;
    default:                      out = "BAD";
    }
    return out;
}

#define JSON(s) json((s), sizeof(s) - 1, NULL)
#define JSONF(s, f) json((s), sizeof(s) - 1, (f))

static void test_json_valid(void)
{
    static const char *const good[] = {
        "{}", " \t\r\n{ } \n", "{\"a\":1}", "{\"a\":-0}", "{\"a\":0.5}", "{\"a\":-1.5e+10}",
        "{\"a\":1E5}", "{\"a\":1e-999}", "{\"a\":12345678901234567890}",
        "{\"a\":\"x\\ty\\n\\r\\b\\f\\/\\\\\\\"\"}", "{\"a\":\"\\u00e9\\u4E2D\"}",
        "{\"a\":\"\\ud83d\\ude00\"}", "{\"a\":\"\x7f\"}", "{\"a\":\"张三\"}",
        "{\"a\":[1,\"2\",true,false,null,{},[]]}", "{\"a\":{\"b\":{\"c\":[[]]}}}",
        "{\"a\":1,\"a\":2}", "{\"\":\"\"}", "{ \"a\" : [ 1 , 2 ] }",
    };
    apr_size_t i;

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        UNIT_IS_STR(json(good[i], strlen(good[i]), NULL), "OK", "valid: %s", shown(good[i]));
    }
}

static void test_json_refused(void)
{
    static const char *const bad[] = {
        "{\"a\":NaN}", "{\"a\":nan}", "{\"a\":-NaN}", "{\"a\":Infinity}", "{\"a\":-Infinity}",
        "{\"a\":infinity}", "{\"a\":1e999}", "{\"a\":-1e400}",
        "{\"a\":\"x\ty\"}", "{\"a\":\"x\ny\"}", "{\"a\":\"\x01\"}", "{\"a\":\"\x1f\"}",
        "{\"a\x0b\":1}",
        "{'a':1}", "{\"a\":'x'}", "{a:1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}",
        "{\"a\":+1}", "{\"a\":1e}", "{\"a\":-}", "{\"a\":0x10}", "{\"a\":TRUE}", "{\"a\":nul}",
        "{\"a\":1,}", "{\"a\":[1,]}", "{,}", "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "{\"a\":1 \"b\":2}",
        "{\"a\":1}/*c*/", "{\"a\":1}//", "{\"a\":1} x", "{\"a\":1}{}", "{\"a\":\"\\x41\"}",
        "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"\\", "{\"a\":\"x", "{\"a\":1",
        "", "   ", "\xef\xbb\xbf{}", "{\"a\":1}\f", "\v{}",
    };
    apr_size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        UNIT_IS_STR(json(bad[i], strlen(bad[i]), NULL), "BAD", "refused: %s", shown(bad[i]));
    }
    UNIT_IS_STR(JSON("{\"a\":\"x\0y\"}"), "BAD", "a raw NUL in a string is a control character");
    UNIT_IS_STR(JSON("{\"a\":1}\0"), "BAD", "a NUL after the value");
}

static void test_json_depth(void)
{
    char deep[64];
    int n;

    for (n = 15; n <= 17; n++) {
        int i;
        int ok;

        /* {"a":[[...]]}: the object is a level too */
        strcpy(deep, "{\"a\":");
        for (i = 1; i < n; i++) {
            strcat(deep, "[");
        }
        for (i = 1; i < n; i++) {
            strcat(deep, "]");
        }
        strcat(deep, "}");
        ok = !strcmp(json(deep, strlen(deep), NULL), "OK");
        UNIT_IS_INT(ok, n <= 16, "%d levels %s", n, n <= 16 ? "taken" : "refused");
    }
}

static void test_json_outcomes(void)
{
    const char *field;

    UNIT_IS_STR(JSON("[1]"), "NOTOBJ", "an array");
    UNIT_IS_STR(JSON("42"), "NOTOBJ", "a number");
    UNIT_IS_STR(JSON(" \"a\" "), "NOTOBJ", "a string");
    UNIT_IS_STR(JSON("null"), "NOTOBJ", "null");
    UNIT_IS_STR(JSON("{\"a\":\"\xff\"}"), "UTF8", "invalid UTF-8 in a string");
    UNIT_IS_STR(JSON("{\"a\":\"\xed\xa0\x80\"}"), "UTF8", "a raw surrogate");
    UNIT_IS_STR(JSON("\xff"), "BAD", "not JSON at all is malformed first");

    UNIT_IS_STR(JSONF("{\"a\":1,\"name\":\"ab\\u0000cd\"}", &field), "NUL", "\\u0000 in a value");
    UNIT_IS_STR(field, "name", "... names its member");
    UNIT_IS_STR(JSONF("{\"t\":[\"x\",{\"b\":\"\\u0000\"}]}", &field), "NUL", "nested \\u0000");
    UNIT_IS_STR(field, "t", "... names the top member");
    UNIT_IS_STR(JSONF("{\"a\\u0000b\":1}", &field), "NUL", "\\u0000 in a name");
    UNIT_IS_STR(field, NULL, "... names no member");
    UNIT_IS_STR(JSONF("{\"\":\"\\u0000\"}", &field), "NUL", "\\u0000 under an empty name");
    UNIT_IS_STR(field, NULL, "... names no member");
    UNIT_IS_STR(JSONF("{\"a\":\"\\u0001\\u001f\"}", &field), "OK", "other escaped controls are fine");
    UNIT_IS_STR(JSON("{\"a\":\"\\u0000\", \"b\":NaN}"), "BAD", "malformed wins over NUL");
}

static void test_wellformed(void)
{
    int nul;

    UNIT_OK(devplat_json_wellformed("[1,2]", 5, 1, &nul) && !nul, "an array at depth 1");
    UNIT_OK(!devplat_json_wellformed("[[1]]", 5, 1, &nul), "depth 2 over a limit of 1");
    UNIT_OK(devplat_json_wellformed("\"\\u0000\"", 8, 1, &nul) && nul, "has_nul for a top string");
    UNIT_OK(devplat_json_wellformed("true", 4, 1, &nul), "a literal");
    UNIT_OK(!devplat_json_wellformed("true", 3, 1, &nul), "only len bytes are read");
    UNIT_OK(devplat_json_wellformed("-0.0e0", 6, 1, &nul), "a number");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);

    test_media_types();
    test_forms();
    test_json_valid();
    test_json_refused();
    test_json_depth();
    test_json_outcomes();
    test_wellformed();

    apr_pool_destroy(pool);
    apr_terminate();
    return UNIT_DONE();
}
