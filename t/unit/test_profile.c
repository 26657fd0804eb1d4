/* Unit tests of certificate number rules (modules/core/certificate.c).
 * The identity card numbers carry check characters computed by hand from
 * GB 11643-1999 (ISO 7064 MOD 11-2). TAP on stdout. */

#include <stdlib.h>

#include <apr_general.h>
#include <apr_pools.h>

#include "certificate.h"

#include "unit.h"

static void ok_as(apr_pool_t *p, const char *rule, const char *in, const char *want)
{
    UNIT_IS_STR(devplat_certificate_number(p, rule, in), want, "%s: %s", rule, in);
}

static void refused(apr_pool_t *p, const char *rule, const char *in, const char *why)
{
    UNIT_IS_STR(devplat_certificate_number(p, rule, in), NULL, "%s refuses %s (%s)", rule, in, why);
}

int main(void)
{
    apr_pool_t *p;

    apr_initialize();
    atexit(apr_terminate);
    apr_pool_create(&p, NULL);

    /* 居民身份证 */
    ok_as(p, "cn_id_card", "412536198010250125", "412536198010250125");
    ok_as(p, "cn_id_card", "11010519491231002x", "11010519491231002X");
    refused(p, "cn_id_card", "412536198010250120", "the document's example: wrong check digit");
    refused(p, "cn_id_card", "440304199002291230", "29 February 1990");
    refused(p, "cn_id_card", "41253619801025012", "17 characters");
    refused(p, "cn_id_card", "41253619801025012 ", "a trailing space");
    refused(p, "cn_id_card", "", "empty");
    /* 港澳台居民居住证 (same algorithm, areas 81/82/83) */
    ok_as(p, "cn_id_card", "810000199001011230", "810000199001011230");
    /* 护照 */
    ok_as(p, "passport", "e12345678", "E12345678");
    ok_as(p, "passport", "G1234567", "G1234567");
    ok_as(p, "passport", "E1234", "E1234");
    refused(p, "passport", "E123", "4 characters");
    refused(p, "passport", "E-123456", "a dash");
    refused(p, "passport", "E12345678901234567", "18 characters");
    /* 港澳居民来往内地通行证 */
    ok_as(p, "hk_macau_permit", "H12345678", "H12345678");
    ok_as(p, "hk_macau_permit", "m1234567890", "M1234567890");
    refused(p, "hk_macau_permit", "A12345678", "neither H nor M");
    refused(p, "hk_macau_permit", "H1234567", "7 digits");
    /* 台湾居民来往大陆通行证 */
    ok_as(p, "tw_permit", "12345678", "12345678");
    ok_as(p, "tw_permit", "1234567890", "1234567890");
    refused(p, "tw_permit", "123456789", "9 digits");
    refused(p, "tw_permit", "T2345678", "a letter");
    /* 外国人永久居留身份证 */
    ok_as(p, "foreign_pr", "usa123456789012", "USA123456789012");
    ok_as(p, "foreign_pr", "911560200001010012", "911560200001010012");
    refused(p, "foreign_pr", "911560200001010013", "2023 card, wrong check digit");
    refused(p, "foreign_pr", "412536198010250125", "a resident card is not a PR card");
    refused(p, "foreign_pr", "US1234567890123", "2 letters");
    /* any other type */
    ok_as(p, "", "ab-1234", "AB-1234");
    ok_as(p, NULL, "X123", "X123");
    refused(p, "", "abc", "3 characters");
    refused(p, "", "a b c d", "spaces");
    refused(p, "", "\xe5\xbc\xa0\xe4\xb8\x89\xe4\xb8\x89", "not ASCII");
    refused(p, "cn_id_card", NULL, "NULL");

    apr_pool_destroy(p);
    return UNIT_DONE();
}
