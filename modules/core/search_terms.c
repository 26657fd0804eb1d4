/* The terms of the catalogue's search index: see search_terms.h. */
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>
#include <apr_tables.h>

#include "search_terms.h"
#include "utf8.h"

#define BUCKET 0x80u            /* every character that may have case */

unsigned int devplat_terms_fold(unsigned int cp)
{
    if (cp >= 'A' && cp <= 'Z') {
        return cp + 32;
    }
    if (cp < 0x80) {
        return cp;
    }
    if (cp == 0x130) {
        return 'i';             /* İ: lower() gives i */
    }
    if (cp == 0x212A) {
        return 'k';             /* the Kelvin sign: lower() gives k */
    }
    if (cp >= 0xFF21 && cp <= 0xFF3A) {
        return cp + 32;         /* full-width Ａ-Ｚ */
    }
    /* no case: CJK radicals to unified ideographs (kana, bopomofo, CJK
     * punctuation on the way), Hangul, compatibility ideographs,
     * full-width and half-width forms, the supplementary ideographs */
    if ((cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF)
        || (cp >= 0x20000 && cp <= 0x3FFFF)) {
        return cp;
    }
    return BUCKET;
}

/* A character whose term holds exactly the texts that lower() ... LIKE
 * finds it in (see devplat_terms_exact()). */
static int exact_char(unsigned long cp)
{
    if (cp < 0x80) {
        return cp >= 0x20 && cp < 0x7F && devplat_terms_fold(cp) != 'i'
               && devplat_terms_fold(cp) != 'k';
    }
    if (cp >= 0xFF00 && cp <= 0xFFEF) {
        /* full-width Ａ-Ｚ and ａ-ｚ: lower() makes them equal on some engines */
        return !(cp >= 0xFF21 && cp <= 0xFF3A) && !(cp >= 0xFF41 && cp <= 0xFF5A);
    }
    /* the caseless ranges fold to themselves; U+0080 is the bucket */
    return cp != BUCKET && devplat_terms_fold(cp) == cp;
}

int devplat_terms_exact(const char *q)
{
    apr_size_t len = q ? strlen(q) : 0, n;
    unsigned long cp;
    int chars = 0;

    while (len > 0) {
        if ((n = devplat_utf8_decode(q, len, &cp)) == 0 || !exact_char(cp) || ++chars > 2) {
            return 0;
        }
        q += n;
        len -= n;
    }
    return chars > 0;
}

/* The folded characters of s, appended to out. */
static void fold_text(const char *s, apr_array_header_t *out)
{
    apr_size_t len = strlen(s), n;
    unsigned long cp;

    while (len > 0) {
        if ((n = devplat_utf8_decode(s, len, &cp)) == 0) {
            n = 1;              /* an ill-formed byte: a character that has no term of its own */
            cp = BUCKET;
        }
        *(unsigned int *)apr_array_push(out) = devplat_terms_fold((unsigned int)cp);
        s += n;
        len -= n;
    }
}

static char *unigram(apr_pool_t *p, unsigned int a)
{
    return apr_psprintf(p, "u%03x", a);
}

static char *bigram(apr_pool_t *p, unsigned int a, unsigned int b)
{
    return apr_psprintf(p, "%02xx%02x", a, b);
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the distinct strings of terms, sorted, each after prefix, joined by
 * one space */
static char *join_distinct(apr_pool_t *p, apr_array_header_t *terms, const char *prefix)
{
    char **t = (char **)terms->elts;
    apr_size_t size = 1, plen = strlen(prefix);
    char *out, *o;
    int i;

    qsort(t, terms->nelts, sizeof(char *), by_text);
    for (i = 0; i < terms->nelts; i++) {
        size += plen + strlen(t[i]) + 1;
    }
    o = out = apr_palloc(p, size);
    for (i = 0; i < terms->nelts; i++) {
        if (i > 0 && !strcmp(t[i], t[i - 1])) {
            continue;
        }
        if (o != out) {
            *o++ = ' ';
        }
        memcpy(o, prefix, plen);
        o += plen;
        memcpy(o, t[i], strlen(t[i]));
        o += strlen(t[i]);
    }
    *o = '\0';
    return out;
}

char *devplat_terms_index(apr_pool_t *p, const char *const *texts, int n)
{
    apr_array_header_t *cps = apr_array_make(p, 256, sizeof(unsigned int));
    apr_array_header_t *terms;
    const unsigned int *c;
    int i;

    for (i = 0; i < n; i++) {
        if (i > 0) {
            *(unsigned int *)apr_array_push(cps) = '\n';
        }
        fold_text(texts[i] ? texts[i] : "", cps);
    }
    c = (const unsigned int *)cps->elts;
    terms = apr_array_make(p, 2 * cps->nelts + 1, sizeof(char *));
    for (i = 0; i < cps->nelts; i++) {
        *(char **)apr_array_push(terms) = unigram(p, c[i]);
        if (i + 1 < cps->nelts) {
            *(char **)apr_array_push(terms) = bigram(p, c[i], c[i + 1]);
        }
    }
    return join_distinct(p, terms, "");
}

char *devplat_terms_query(apr_pool_t *p, const char *q, devplat_terms_syntax syntax)
{
    apr_array_header_t *cps = apr_array_make(p, 64, sizeof(unsigned int));
    apr_array_header_t *terms;
    const unsigned int *c;
    int i, pairs, step;

    fold_text(q ? q : "", cps);
    c = (const unsigned int *)cps->elts;
    terms = apr_array_make(p, DEVPLAT_TERMS_QUERY_MAX, sizeof(char *));
    if (cps->nelts == 0) {
        return NULL;
    }
    if (cps->nelts == 1) {
        *(char **)apr_array_push(terms) = unigram(p, c[0]);
    }
    /* pairs spread over the whole query when it has more than the most */
    pairs = cps->nelts - 1;
    step = (pairs + DEVPLAT_TERMS_QUERY_MAX - 1) / DEVPLAT_TERMS_QUERY_MAX;
    for (i = 0; i < pairs; i += step > 0 ? step : 1) {
        *(char **)apr_array_push(terms) = bigram(p, c[i], c[i + 1]);
    }
    return join_distinct(p, terms, syntax == DEVPLAT_TERMS_BOOLEAN ? "+" : "");
}
