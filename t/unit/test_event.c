/* Unit tests of modules/core/event.c: the event id, the time, the payload,
 * the signature (checked against Python's hmac, not OpenSSL alone) and the
 * back-off (TAP). */

#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "event.h"

#include "unit.h"

static int uuid_shaped(const char *s)
{
    int i;

    if (!s || strlen(s) != 36) {
        return 0;
    }
    for (i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') {
                return 0;
            }
        }
        else if (!strchr("0123456789abcdef", s[i])) {
            return 0;
        }
    }
    return s[14] == '4' && strchr("89ab", s[19]) != NULL;
}

static void test_id(apr_pool_t *p)
{
    const char *a = devplat_event_id(p), *b = devplat_event_id(p);
    int i, shaped = 1;

    UNIT_OK(uuid_shaped(a), "an id is a version 4 UUID: %s", a ? a : "(null)");
    UNIT_OK(a && b && strcmp(a, b), "two ids differ");
    for (i = 0; i < 1000; i++) {
        shaped = shaped && uuid_shaped(devplat_event_id(p));
    }
    UNIT_OK(shaped, "1000 more ids have the shape (version and variant bits)");
}

static void test_time(apr_pool_t *p)
{
    UNIT_IS_STR(devplat_event_time(p, 0), "1970-01-01T00:00:00Z", "the epoch");
    UNIT_IS_STR(devplat_event_time(p, 1796658000), "2026-12-07T15:40:00Z", "a time in UTC");
    UNIT_IS_STR(devplat_event_time(p, 951782400), "2000-02-29T00:00:00Z", "a leap day");
}

static void test_payload(apr_pool_t *p)
{
    json_object *d = json_object_new_object();
    const char *text;

    json_object_object_add(d, "message", json_object_new_string("学历/证明 \"x\""));
    text = devplat_event_payload(p, "0b5e7c8e-3f0a-4d4c-9d0e-2a6f3c1b9e47", "review.decided",
                                 1796658000, 42, d);
    UNIT_IS_STR(text, "{\"id\":\"0b5e7c8e-3f0a-4d4c-9d0e-2a6f3c1b9e47\",\"type\":\"review.decided\","
                      "\"time\":\"2026-12-07T15:40:00Z\",\"user_id\":42,"
                      "\"data\":{\"message\":\"学历/证明 \\\"x\\\"\"}}",
                "the payload: compact, fields in order, UTF-8 kept, / not escaped");
    text = devplat_event_payload(p, "x", "user.frozen", 0, 7, NULL);
    UNIT_OK(strstr(text, "\"data\":{}") != NULL, "no data: {}");
}

static void test_signature(apr_pool_t *p)
{
    unsigned char k32[32];
    const char *key16 = "0123456789abcdef0123456789abcdef";

    memset(k32, 'k', sizeof(k32));
    /* python3: hmac.new(b'k'*32, b'1796658000.{"a":1}', hashlib.sha256).hexdigest() */
    UNIT_IS_STR(devplat_event_signature(p, k32, sizeof(k32), 1796658000, "{\"a\":1}", 7),
                "t=1796658000,v1=864fcead9e96f512c1d3b40d05ea2cb54b6368b3b96bf0f5416e5c4fece7660c",
                "t=<time>,v1=<HMAC-SHA256 of \"<t>.<body>\">");
    UNIT_IS_STR(devplat_event_signature(p, (const unsigned char *)key16, 32, 0, "", 0),
                "t=0,v1=b5b3fbed5b59d925316d6d39db497aba70820961dda53dfe23a87559dab1eb6b",
                "an empty body at t=0");
    UNIT_OK(strcmp(devplat_event_signature(p, k32, sizeof(k32), 1796658001, "{\"a\":1}", 7),
                   devplat_event_signature(p, k32, sizeof(k32), 1796658000, "{\"a\":1}", 7)),
            "another time, another signature");
}

static void test_backoff(void)
{
    static const long long want[] = {1, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048,
                                     3600, 3600};
    int i;

    for (i = 0; i < (int)(sizeof(want) / sizeof(want[0])); i++) {
        UNIT_IS_INT(devplat_event_backoff(i), want[i], "back-off after attempt %d", i);
    }
    UNIT_IS_INT(devplat_event_backoff(1000000), DEVPLAT_EVENT_BACKOFF_MAX, "capped at an hour");
}

int main(void)
{
    apr_pool_t *p;

    apr_initialize();
    atexit(apr_terminate);
    apr_pool_create(&p, NULL);

    test_id(p);
    test_time(p);
    test_payload(p);
    test_signature(p);
    test_backoff();
    return UNIT_DONE();
}
