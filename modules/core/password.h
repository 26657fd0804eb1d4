/* Password hashing: bcrypt through apr-util, so hashes are the $2y$ format
 * Laravel writes and existing users can be imported as they are. */
#ifndef DEVPLAT_PASSWORD_H
#define DEVPLAT_PASSWORD_H

#include <apr_pools.h>

/* The bcrypt cost range, and the default of DevplatBcryptCost and of
 * devplat-admin --bcrypt-cost: defined here once for both. */
#define DEVPLAT_BCRYPT_COST_MIN      4
#define DEVPLAT_BCRYPT_COST_MAX      31
#define DEVPLAT_BCRYPT_COST_DEFAULT  12
/* a cost macro as text, for help strings: "12" */
#define DEVPLAT_BCRYPT_TEXT(x)  DEVPLAT_BCRYPT_TEXT_(x)
#define DEVPLAT_BCRYPT_TEXT_(x) #x

/* bcrypt hash of pw at cost (4..31); NULL on failure. */
char *devplat_password_hash(apr_pool_t *p, const char *pw, int cost);

/* 1 when pw matches hash. When hash is NULL (unknown user) it still spends
 * one bcrypt verification at cost against a fixed hash and returns 0, so
 * the answer time does not tell whether the account exists. Only bcrypt
 * hashes ($2a$, $2b$, $2y$, 60 characters) are accepted; anything else is
 * treated like NULL. */
int devplat_password_verify(apr_pool_t *p, const char *pw, const char *hash, int cost);

/* The cost of a bcrypt hash ("$2y$10$…" is 10), or 0 when hash is none. */
int devplat_password_cost(const char *hash);

#endif
