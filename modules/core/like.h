/* Literal text search with SQL LIKE on every engine. */
#ifndef DEVPLAT_LIKE_H
#define DEVPLAT_LIKE_H

#include <apr_pools.h>

/* The escape character the statements name: LIKE ... ESCAPE '!'. */
#define DEVPLAT_LIKE_ESCAPE '!'

/* A pattern for LIKE ... ESCAPE '!' that matches any text containing s
 * literally: "%" + s with '%', '_' and '!' escaped + "%". */
char *devplat_like_contains(apr_pool_t *p, const char *s);

#endif
