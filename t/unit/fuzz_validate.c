/* libFuzzer target: arbitrary bytes into every field validator of
 * modules/core (validate.c, email.c, idcard.c, certificate.c), the rules
 * each face applies to client text. Built by `make fuzz-build`, run by
 * scripts/fuzz.sh:
 *
 *   make fuzz-build && scripts/fuzz.sh t/unit/fuzz_validate 60
 *
 * The validators take C strings: the bytes are copied into a buffer of
 * exactly their length plus the NUL, so a read past the NUL is an ASan
 * report. The first byte also picks the min/max bounds of the ranged rules.
 * Checked: every answer is 0 or 1; an accepted string is well-formed UTF-8
 * and has the length and characters its rule promises; derived texts
 * (masks, normal forms, certificate numbers) are UTF-8 of the promised
 * shape, and normalising is idempotent. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "certificate.h"
#include "email.h"
#include "idcard.h"
#include "validate.h"

static apr_pool_t *root;

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* 0 or 1, and when 1 the string is UTF-8. */
static int answer(int got, const char *s)
{
    CHECK(got == 0 || got == 1);
    CHECK(!got || devplat_utf8_valid(s, strlen(s)));
    return got;
}

static int all_in(const char *s, int (*ok)(unsigned char))
{
    for (; *s; s++) {
        if (!ok((unsigned char)*s)) {
            return 0;
        }
    }
    return 1;
}

static int digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int visible(unsigned char c) { return c >= 0x21 && c <= 0x7E; }
static int wordch(unsigned char c)
{
    return digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-';
}
static int upper_alnum_dash(unsigned char c)
{
    return digit(c) || (c >= 'A' && c <= 'Z') || c == '-';
}

static void ranged(const char *s, apr_size_t n, apr_size_t min, apr_size_t max)
{
    apr_size_t cps = devplat_utf8_valid(s, n) ? devplat_utf8_length(s) : 0;

    if (answer(devplat_is_name(s, min, max), s)) {
        CHECK(cps >= min && cps <= max);
    }
    if (answer(devplat_is_visible_ascii(s, min, max), s)) {
        CHECK(n >= min && n <= max && all_in(s, visible));
    }
    if (answer(devplat_is_word(s, min, max), s)) {
        CHECK(n >= min && n <= max && all_in(s, wordch));
    }
    if (answer(devplat_is_digits(s, max), s)) {
        CHECK(n >= 1 && n <= max && all_in(s, digit));
    }
    if (answer(devplat_is_cn_name(s, min, max), s)) {
        CHECK(cps >= min && cps <= max && !strpbrk(s, "0123456789 \t"));
    }
}

static void mobile_and_names(const char *s, apr_size_t n)
{
    int mobile = answer(devplat_is_mobile(s), s);

    if (mobile) {
        CHECK(n == 11 && s[0] == '1' && s[1] >= '3' && all_in(s, digit));
    }
    if (answer(devplat_is_virtual_mobile(s), s)) {
        CHECK(mobile);
    }
    if (answer(devplat_is_username(s), s)) {
        CHECK(!mobile && devplat_is_name(s, 2, 16));
    }
}

static void email(apr_pool_t *p, const char *s, apr_size_t n)
{
    int valid = answer(devplat_is_email(s), s);
    char *norm, *again;
    const char *at;

    CHECK(answer(devplat_email_valid(s), s) == valid);
    if (!valid) {
        return;
    }
    at = strchr(s, '@');
    CHECK(n <= 254 && at && at > s && (apr_size_t)(at - s) <= 64 && !strchr(at + 1, '@'));
    norm = devplat_email_normalize(p, s);
    CHECK(norm && strlen(norm) == n && devplat_is_email(norm));
    again = devplat_email_normalize(p, norm);
    CHECK(!strcmp(norm, again));
}

static void id_card(apr_pool_t *p, const char *s, apr_size_t n)
{
    char masked[19];
    const char *name;

    if (answer(devplat_is_cn_id_card(s), s)) {
        CHECK(n == 18);
        memset(masked, 'Z', sizeof(masked));
        devplat_mask_id_card(s, masked);
        CHECK(memchr(masked, '\0', sizeof(masked)) && strlen(masked) == 18
              && !strncmp(masked, s, 3) && !strcmp(masked + 14, s + 14)
              && strspn(masked + 3, "*") == 11);
    }
    else {
        memset(masked, 'Z', sizeof(masked));
        devplat_mask_id_card(s, masked);
        CHECK(memchr(masked, '\0', sizeof(masked)) != NULL);
    }
    name = devplat_mask_name(p, s);
    CHECK(name && (!*name || devplat_utf8_valid(name, strlen(name))));
    if (devplat_utf8_valid(s, n) && n > 0) {
        CHECK(devplat_utf8_length(name) == devplat_utf8_length(s));
    }
}

static void certificates(apr_pool_t *p, const char *s)
{
    static const char *const rules[] = {"cn_id_card", "passport", "hk_macau_permit",
                                        "tw_permit", "foreign_pr", "other"};
    apr_size_t i;

    for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        char *num = devplat_certificate_number(p, rules[i], s);

        if (num) {
            CHECK(strlen(num) == strlen(s) && strlen(num) >= 4 && strlen(num) <= 32
                  && all_in(num, upper_alnum_dash));
            CHECK(!strcasecmp(num, s));
            if (!strcmp(rules[i], "cn_id_card")) {
                CHECK(devplat_is_cn_id_card(s));
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    char *s;
    apr_size_t min, max, n;

    if (root == NULL) {
        apr_initialize();
        apr_pool_create(&root, NULL);
    }
    apr_pool_create(&p, root);

    /* UTF-8 on the exact bytes (NUL included), then as a C string */
    answer(devplat_utf8_valid((const char *)data, size), "");
    s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    n = strlen(s);
    if (devplat_utf8_valid(s, n)) {
        CHECK(devplat_utf8_length(s) <= n);
    }
    min = size ? data[0] % 6 : 0;
    max = min + (size ? data[0] / 6 % 40 : 16);

    ranged(s, n, min, max);
    mobile_and_names(s, n);
    email(p, s, n);
    id_card(p, s, n);
    certificates(p, s);

    free(s);
    apr_pool_destroy(p);
    return 0;
}
