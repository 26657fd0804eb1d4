/* Certificate number rules. Only the mainland identity card and the 2023
 * permanent residence card carry a checksum; the other formats are checked
 * for their published shape. */
#include <string.h>

#include <apr_strings.h>

#include "certificate.h"
#include "idcard.h"

static int all(const char *s, apr_size_t from, apr_size_t to, int (*ok)(char))
{
    apr_size_t i;

    for (i = from; i < to; i++) {
        if (!ok(s[i])) {
            return 0;
        }
    }
    return 1;
}

static int digit(char c)
{
    return c >= '0' && c <= '9';
}

static int letter(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int alnum(char c)
{
    return digit(c) || letter(c);
}

static int alnum_dash(char c)
{
    return alnum(c) || c == '-';
}

static int valid(const char *rule, const char *s)
{
    apr_size_t n = strlen(s);

    if (!strcmp(rule, "cn_id_card")) {
        return devplat_is_cn_id_card(s);
    }
    if (!strcmp(rule, "passport")) {
        return n >= 5 && n <= 17 && all(s, 0, n, alnum);
    }
    if (!strcmp(rule, "hk_macau_permit")) {
        return (n == 9 || n == 11) && (s[0] == 'H' || s[0] == 'M') && all(s, 1, n, digit);
    }
    if (!strcmp(rule, "tw_permit")) {
        return (n == 8 || n == 10) && all(s, 0, n, digit);
    }
    if (!strcmp(rule, "foreign_pr")) {
        return (n == 15 && all(s, 0, 3, letter) && all(s, 3, 15, digit))
               || (n == 18 && s[0] == '9' && devplat_is_cn_id_card(s));
    }
    return n >= 4 && n <= 32 && all(s, 0, n, alnum_dash);
}

char *devplat_certificate_number(apr_pool_t *p, const char *rule, const char *number)
{
    char *s, *c;

    if (!number) {
        return NULL;
    }
    s = apr_pstrdup(p, number);
    for (c = s; *c; c++) {
        if (*c >= 'a' && *c <= 'z') {
            *c = (char)(*c - 'a' + 'A');
        }
    }
    return valid(rule ? rule : "", s) ? s : NULL;
}
