/* The terms of the project catalogue's search index (057_catalogue_search).
 *
 * A project's four searched columns (name, introduction, domain,
 * research_direction, joined with '\n') are folded character by character
 * and indexed as every single character and every pair of adjacent
 * characters. A query's terms are its pairs (its one character when it has
 * one): every project whose folded text holds the query's folded text holds
 * all of them, so the index finds a superset of the matches and the literal
 * LIKE recheck keeps exactly today's results.
 *
 * The fold maps ASCII and full-width A-Z to lower case, U+0130 to i and
 * U+212A (Kelvin) to k (the only characters whose lower case is ASCII),
 * keeps the characters that have no case (CJK, kana, Hangul, full-width
 * forms) and maps every other non-ASCII character to one bucket, U+0080:
 * whatever lower() does on an engine, two characters it makes equal fold
 * to the same term, so no match is lost; the bucket only costs precision
 * for text outside Chinese and ASCII.
 *
 * A term is ASCII made of hex digits and one letter, at least 4 characters
 * long: u<hex> for a character (3 digits at least), <hex>x<hex> for a pair
 * (2 digits at least each). Every engine's tokenizer keeps it as one word
 * (SQLite FTS5 unicode61, MariaDB FULLTEXT with its default
 * innodb_ft_min_token_size 3 and stopword list, PostgreSQL's
 * string_to_array), so no server option is needed. The migrations build
 * the same terms in SQL; pure C + APR. */
#ifndef DEVPLAT_SEARCH_TERMS_H
#define DEVPLAT_SEARCH_TERMS_H

#include <apr_pools.h>

/* the query syntaxes of the engines' indexes */
typedef enum {
    DEVPLAT_TERMS_ALL,          /* "t1 t2": FTS5 MATCH (implicit AND), and
                                 * string_to_array(..., ' ') for PostgreSQL */
    DEVPLAT_TERMS_BOOLEAN       /* "+t1 +t2": MariaDB MATCH ... IN BOOLEAN MODE */
} devplat_terms_syntax;

/* the most terms a query uses: any subset of its terms still finds every
 * match, so a long query costs no more than this many index lookups */
#define DEVPLAT_TERMS_QUERY_MAX 8

/* The fold of one code point (see above). */
unsigned int devplat_terms_fold(unsigned int cp);

/* The index terms of texts[0..n-1] (NULL counts as ""), joined with '\n':
 * distinct, sorted, separated by one space; "" when the texts are empty. */
char *devplat_terms_index(apr_pool_t *p, const char *const *texts, int n);

/* 1 when the index alone answers q exactly, so the LIKE recheck can be
 * left out: q is one or two characters, each one that nothing else folds
 * to and that lower() leaves as its fold on every engine (ASCII other
 * than controls and i, k, whose terms also hold İ and the Kelvin sign;
 * the caseless CJK, kana, Hangul and ideograph ranges; full-width forms
 * other than the letters). A one-character query's term is the character;
 * a two-character query's is the pair, and no pair spans two columns
 * because q holds no line feed. 0 otherwise. */
int devplat_terms_exact(const char *q);

/* The terms a query must all match, in syntax; NULL for an empty query. */
char *devplat_terms_query(apr_pool_t *p, const char *q, devplat_terms_syntax syntax);

#endif
