/* Unit tests for the modules/core helpers of the account and project
 * endpoints: e-mail rule, durations and sizes, LIKE patterns (TAP). */

#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "email.h"
#include "like.h"
#include "units.h"

#include "unit.h"

static void test_email(apr_pool_t *p)
{
    static const char *good[] = {
        "123456@qq.com", "a@b.cn", "first.last@example.com",
        "user+tag@mail.example.org", "o'brien@example.ie", "x_y-z@sub-domain.example.com",
        "UPPER@EXAMPLE.COM", "a!#$%&'*+/=?^_`{|}~-@example.com",
        "d@a1.b2.example.museum", "us\xC3\xA9r@example.com"
    };
    static const char *bad[] = {
        "", "plain", "@example.com", "user@", "user@@example.com", "a@b@c.com",
        "user@example", "user@example.c", "user@example.c0m", "user@-example.com",
        "user@example-.com", "user@exa_mple.com", "user@example..com", "user@.example.com",
        "user@example.com.", ".user@example.com", "user.@example.com", "us..er@example.com",
        "us er@example.com", "user@exam ple.com", "\"quoted\"@example.com", "user@[127.0.0.1]",
        "user@ex\xC3\xA4mple.com",
        "<user@example.com>", "user@example.com; DROP TABLE users"
    };
    char long_local[80], long_addr[300], label[80];
    apr_size_t i;

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        UNIT_OK(devplat_email_valid(good[i]), "email valid: %s", good[i]);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        UNIT_OK(!devplat_email_valid(bad[i]), "email refused: '%s'", bad[i]);
    }
    UNIT_OK(!devplat_email_valid(NULL), "email refused: NULL");
    UNIT_OK(!devplat_email_valid("user@example.com\n"), "email refused: a trailing newline");
    UNIT_OK(!devplat_email_valid("user@example.com\t"), "email refused: a trailing tab");

    /* local part of 64 and 65 characters */
    memset(long_local, 'a', 64);
    strcpy(long_local + 64, "@example.com");
    UNIT_OK(devplat_email_valid(long_local), "local part of 64 characters");
    memset(long_local, 'a', 65);
    strcpy(long_local + 65, "@example.com");
    UNIT_OK(!devplat_email_valid(long_local), "local part of 65 characters refused");

    /* labels of 63 and 64 characters */
    memset(label, 'b', 63);
    label[63] = '\0';
    UNIT_OK(devplat_email_valid(apr_pstrcat(p, "a@", label, ".com", NULL)), "label of 63");
    UNIT_OK(!devplat_email_valid(apr_pstrcat(p, "a@", label, "b.com", NULL)), "label of 64 refused");

    /* 254 and 255 characters in all: a@ + three labels of 63 + one of 56
     * (or 57) + .com */
    memset(label, 'c', 63);
    label[63] = '\0';
    apr_snprintf(long_addr, sizeof(long_addr), "a@%s.%s.%s.%.56s.com", label, label, label, label);
    UNIT_IS_INT(strlen(long_addr), 254, "the long address has 254 characters");
    UNIT_OK(devplat_email_valid(long_addr), "254 characters");
    apr_snprintf(long_addr, sizeof(long_addr), "a@%s.%s.%s.%.57s.com", label, label, label, label);
    UNIT_IS_INT(strlen(long_addr), 255, "the longer address has 255 characters");
    UNIT_OK(!devplat_email_valid(long_addr), "255 characters refused");

    UNIT_IS_STR(devplat_email_normalize(p, "User.Name+X@Example.COM"), "user.name+x@example.com",
                "normalize lower-cases");
    UNIT_IS_STR(devplat_email_normalize(p, "a@b.cn"), "a@b.cn", "normalize keeps lower case");
}

static void test_units(apr_pool_t *p)
{
    static const struct {
        apr_int64_t in;
        const char *out;
    } minutes[] = {
        {0, "0min"}, {1, "1min"}, {59, "59min"}, {60, "1h0min"}, {61, "1h1min"},
        {150, "2h30min"}, {1439, "23h59min"}, {6000, "100h0min"}, {-5, "0min"}
    }, gb[] = {
        {0, "0"}, {-1, "0"}, {APR_INT64_C(20500000000), "20.5"}, {APR_INT64_C(50500000000), "50.5"},
        {APR_INT64_C(1000000000), "1"}, {APR_INT64_C(250000000), "0.25"},
        {APR_INT64_C(4999999), "0"}, {APR_INT64_C(5000000), "0.01"},
        {APR_INT64_C(1994999999), "1.99"}, {APR_INT64_C(1995000000), "2"},
        {APR_INT64_C(100000000000), "100"}, {APR_INT64_C(123456789012), "123.46"},
        {APR_INT64_C(1050000000), "1.05"}, {APR_INT64_C(9223372036854775807), "9223372036.85"}
    };
    apr_size_t i;

    for (i = 0; i < sizeof(minutes) / sizeof(minutes[0]); i++) {
        UNIT_IS_STR(devplat_minutes_text(p, minutes[i].in), minutes[i].out,
                    "%" APR_INT64_T_FMT " minutes", minutes[i].in);
    }
    for (i = 0; i < sizeof(gb) / sizeof(gb[0]); i++) {
        UNIT_IS_STR(devplat_gb_text(p, gb[i].in), gb[i].out,
                    "%" APR_INT64_T_FMT " bytes in GB", gb[i].in);
    }
}

static void test_like(apr_pool_t *p)
{
    static const struct {
        const char *in, *out;
    } vec[] = {
        {"", "%%"}, {"abc", "%abc%"}, {"100%", "%100!%%"}, {"a_b", "%a!_b%"},
        {"x!y", "%x!!y%"}, {"%_!", "%!%!_!!%"}, {"it's \"q\"", "%it's \"q\"%"},
        {"\xE5\xAE\x89\xE5\x85\xA8", "%\xE5\xAE\x89\xE5\x85\xA8%"}, {"a\\b", "%a\\b%"}
    };
    apr_size_t i;

    for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
        UNIT_IS_STR(devplat_like_contains(p, vec[i].in), vec[i].out, "LIKE pattern for '%s'",
                    vec[i].in);
    }
}

int main(void)
{
    apr_pool_t *p;

    apr_initialize();
    atexit(apr_terminate);
    apr_pool_create(&p, NULL);

    test_email(p);
    test_units(p);
    test_like(p);

    apr_pool_destroy(p);
    return UNIT_DONE();
}
