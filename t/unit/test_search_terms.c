/* Unit tests of modules/core/search_terms.c: the terms of the catalogue's
 * search index, and the property the search relies on: a text that holds
 * a query (as lower() ... LIKE sees it) holds every term of the query
 * (TAP). */

#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "search_terms.h"

#include "unit.h"

static const char *index_of(apr_pool_t *p, const char *a, const char *b)
{
    const char *texts[2] = {a, b};

    return devplat_terms_index(p, texts, b ? 2 : 1);
}

/* 1 when every space-separated term of q (without a leading +) is a term
 * of terms */
static int holds_all(apr_pool_t *p, const char *terms, const char *q)
{
    char *copy = apr_pstrdup(p, q), *last, *t;
    const char *padded = apr_pstrcat(p, " ", terms, " ", NULL);

    for (t = apr_strtok(copy, " ", &last); t; t = apr_strtok(NULL, " ", &last)) {
        if (*t == '+') {
            t++;
        }
        if (!strstr(padded, apr_pstrcat(p, " ", t, " ", NULL))) {
            return 0;
        }
    }
    return 1;
}

static void test_fold(void)
{
    UNIT_IS_INT(devplat_terms_fold('A'), 'a', "A folds to a");
    UNIT_IS_INT(devplat_terms_fold('z'), 'z', "z stays");
    UNIT_IS_INT(devplat_terms_fold('%'), '%', "%% stays");
    UNIT_IS_INT(devplat_terms_fold(0x7535), 0x7535, "电 stays (no case)");
    UNIT_IS_INT(devplat_terms_fold(0xFF21), 0xFF41, "full-width Ａ folds to ａ");
    UNIT_IS_INT(devplat_terms_fold(0xFF01), 0xFF01, "full-width ！ stays");
    UNIT_IS_INT(devplat_terms_fold(0x130), 'i', "İ folds to i (as lower() makes it)");
    UNIT_IS_INT(devplat_terms_fold(0x212A), 'k', "the Kelvin sign folds to k");
    UNIT_IS_INT(devplat_terms_fold(0xC9), 0x80, "É: the bucket");
    UNIT_IS_INT(devplat_terms_fold(0xE9), 0x80, "é: the same bucket");
    UNIT_IS_INT(devplat_terms_fold(0x3A3), 0x80, "Σ: the bucket");
    UNIT_IS_INT(devplat_terms_fold(0x10400), 0x80, "Deseret (has case): the bucket");
    UNIT_IS_INT(devplat_terms_fold(0x20BB7), 0x20BB7, "𠮷 (supplementary ideograph) stays");
    UNIT_IS_INT(devplat_terms_fold(0x3042), 0x3042, "あ stays");
}

static void test_index(apr_pool_t *p)
{
    UNIT_IS_STR(index_of(p, "", NULL), "", "no text, no terms");
    UNIT_IS_STR(index_of(p, "Ab", NULL), "61x62 u061 u062", "Ab: a, b and ab, sorted");
    UNIT_IS_STR(index_of(p, "aa", NULL), "61x61 u061", "repeated terms once");
    UNIT_IS_STR(index_of(p, "电梯", NULL), "7535x68af u68af u7535", "电梯");
    UNIT_IS_STR(index_of(p, "a", "b"), "0ax62 61x0a u00a u061 u062",
                "texts are joined with a line feed");
    UNIT_IS_STR(index_of(p, "a", NULL) , "u061", "one character: its term");
    UNIT_IS_STR(index_of(p, "\xff", NULL), "u080", "an ill-formed byte: the bucket");
}

static void test_query(apr_pool_t *p)
{
    UNIT_IS_STR(devplat_terms_query(p, "", DEVPLAT_TERMS_ALL), NULL, "empty query: NULL");
    UNIT_IS_STR(devplat_terms_query(p, "电", DEVPLAT_TERMS_ALL), "u7535", "one character");
    UNIT_IS_STR(devplat_terms_query(p, "电梯", DEVPLAT_TERMS_ALL), "7535x68af", "two");
    UNIT_IS_STR(devplat_terms_query(p, "A%b", DEVPLAT_TERMS_BOOLEAN), "+25x62 +61x25",
                "boolean syntax, %% is a character like any other");
    UNIT_IS_STR(devplat_terms_query(p, "abab", DEVPLAT_TERMS_ALL), "61x62 62x61",
                "distinct pairs");
    {
        const char *t = devplat_terms_query(p, "abcdefghijklmnopqrstuvwxyz0123456789",
                                            DEVPLAT_TERMS_ALL);
        int n = 1;
        const char *s;

        for (s = t; *s; s++) {
            n += *s == ' ';
        }
        UNIT_OK(n <= DEVPLAT_TERMS_QUERY_MAX, "a long query uses at most %d terms (%d)",
                DEVPLAT_TERMS_QUERY_MAX, n);
        UNIT_OK(strstr(t, "61x62") != NULL, "a long query keeps its first pair: %s", t);
        UNIT_OK(holds_all(p, index_of(p, "abcdefghijklmnopqrstuvwxyz0123456789", NULL), t),
                "... and only pairs of the query");
    }
}

/* random text from an alphabet of the characters the catalogue holds */
static const char *const ALPHABET[] = {
    "电", "梯", "安", "全", "识", "别", "工", "地", "a", "B", "c", "Z", "0", "9", "%", "_",
    "!", " ", "\n", "Ａ", "ａ", "！", "，", "É", "é", "İ", "i", "\xe2\x84\xaa", "k", "K"
};
#define NALPHA ((int)(sizeof(ALPHABET) / sizeof(ALPHABET[0])))

static char *random_text(apr_pool_t *p, int chars)
{
    char *s = "";
    int i;

    for (i = 0; i < chars; i++) {
        s = apr_pstrcat(p, s, ALPHABET[rand() % NALPHA], NULL);
    }
    return s;
}

/* every substring of a text, as a query, finds the text */
static void test_superset(apr_pool_t *p)
{
    int round, bad = 0, checked = 0;

    srand(14);
    for (round = 0; round < 300; round++) {
        const char *texts[2];
        const char *terms;
        apr_array_header_t *starts = apr_array_make(p, 64, sizeof(int));
        char *t = random_text(p, 1 + rand() % 40);
        int i, j, len = (int)strlen(t);

        texts[0] = t;
        texts[1] = random_text(p, rand() % 5);
        terms = devplat_terms_index(p, texts, 2);
        for (i = 0; i < len; i++) {
            if (((unsigned char)t[i] & 0xC0) != 0x80) {
                *(int *)apr_array_push(starts) = i;
            }
        }
        *(int *)apr_array_push(starts) = len;
        for (i = 0; i < starts->nelts - 1; i++) {
            for (j = i + 1; j < starts->nelts && j <= i + 10; j++) {
                int a = ((int *)starts->elts)[i];
                int b = ((int *)starts->elts)[j];
                const char *q = apr_pstrmemdup(p, t + a, b - a);

                checked++;
                if (!holds_all(p, terms, devplat_terms_query(p, q, DEVPLAT_TERMS_ALL))
                    || !holds_all(p, terms, devplat_terms_query(p, q,
                                                                DEVPLAT_TERMS_BOOLEAN))) {
                    bad++;
                }
            }
        }
    }
    UNIT_IS_INT(bad, 0, "every substring (1 to 10 characters) of %d finds its text", checked);
}

static char *ascii_lower(apr_pool_t *p, const char *s)
{
    char *out = apr_pstrdup(p, s), *c;

    for (c = out; *c; c++) {
        if (*c >= 'A' && *c <= 'Z') {
            *c += 32;
        }
    }
    return out;
}

/* which queries the index answers alone, and that it answers them as
 * SQLite's lower() ... LIKE does (ASCII-only lower(); the other engines'
 * lower() is compared in t/account/12_catalogue_search.t) */
static void test_exact(apr_pool_t *p)
{
    static const char *const yes[] = {
        "电", "电梯", "a", "Ab", "9", "%_", "! ", " ", "，", "！", "１２", "电a",
        "\xf0\xa0\xae\xb7", "\xea\xb0\x80"     /* 𠮷, 가 */
    };
    static const char *const no[] = {
        "", "电梯安", "abc", "i", "I", "k", "K", "ai", "Ｋ", "ａ", "Ａb", "é", "É", "İ",
        "\xe2\x84\xaa", "\n", "a\n", "\t", "\xc2\x80", "\xff", "Σ"
    };
    int i, round, bad = 0, checked = 0;

    for (i = 0; i < (int)(sizeof(yes) / sizeof(yes[0])); i++) {
        UNIT_OK(devplat_terms_exact(yes[i]), "exact: '%s'", yes[i]);
    }
    for (i = 0; i < (int)(sizeof(no) / sizeof(no[0])); i++) {
        UNIT_OK(!devplat_terms_exact(no[i]), "not exact: '%s'", no[i]);
    }
    UNIT_OK(!devplat_terms_exact(NULL), "not exact: NULL");

    srand(7);
    for (round = 0; round < 2000; round++) {
        const char *texts[2];
        const char *q = random_text(p, 1 + rand() % 2);
        int index_says, like_says;

        if (!devplat_terms_exact(q)) {
            continue;
        }
        texts[0] = random_text(p, rand() % 30);
        texts[1] = random_text(p, rand() % 5);
        index_says = holds_all(p, devplat_terms_index(p, texts, 2),
                               devplat_terms_query(p, q, DEVPLAT_TERMS_ALL));
        like_says = strstr(ascii_lower(p, texts[0]), ascii_lower(p, q)) != NULL
                    || strstr(ascii_lower(p, texts[1]), ascii_lower(p, q)) != NULL;
        checked++;
        if (index_says != like_says) {
            bad++;
        }
    }
    UNIT_OK(checked > 500, "%d exact queries checked", checked);
    UNIT_IS_INT(bad, 0, "an exact query's terms find exactly the texts LIKE finds");
}

int main(void)
{
    apr_pool_t *p;

    apr_initialize();
    apr_pool_create(&p, NULL);
    test_fold();
    test_index(p);
    test_query(p);
    test_superset(p);
    test_exact(p);
    apr_pool_destroy(p);
    apr_terminate();
    return UNIT_DONE();
}
