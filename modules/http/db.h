/* Database access through mod_dbd: the request's pooled connection, prepared
 * statements by label, results drained into arrays of strings. */
#ifndef DEVPLAT_DB_H
#define DEVPLAT_DB_H

#include "devplat_private.h"

/* Rows of one result; cells are NULL for SQL NULL. */
typedef struct {
    int nrows;
    int ncols;
    const char ***rows;
} devplat_rows;

#define devplat_cell(rs, row, col) ((rs)->rows[(row)][(col)])

/* The request's connection (taken from mod_dbd's pool on first use and
 * given back when the request ends or devplat_db_release() is called).
 * NULL when the database cannot be reached; the caller answers 503. */
devplat_db *devplat_db_get(devplat_req *req);

/* The apr_dbd driver of the request's connection ("sqlite3", "pgsql",
 * "mysql"), taking one when needed; NULL when there is none. */
const char *devplat_db_driver(devplat_req *req);

/* Gives the connection back to mod_dbd's pool before something slow that
 * needs no database (bcrypt); the next statement takes one again. Does
 * nothing inside a transaction. */
void devplat_db_release(devplat_req *req);

/* Runs a prepared SELECT (or INSERT ... RETURNING) with nargs string
 * arguments (NULL for SQL NULL) and reads every row. APR_SUCCESS or an
 * error already logged. */
apr_status_t devplat_db_select(devplat_req *req, const char *label,
                               devplat_rows **out, int nargs, ...);

/* Runs a prepared INSERT/UPDATE/DELETE; *affected may be NULL. */
apr_status_t devplat_db_exec(devplat_req *req, const char *label,
                             int *affected, int nargs, ...);

/* One transaction on the request's connection. end() commits and answers
 * APR_SUCCESS, or rolls back and answers an error when a statement of the
 * transaction failed or rollback() was called. */
apr_status_t devplat_db_begin(devplat_req *req);
void devplat_db_rollback(devplat_req *req);
apr_status_t devplat_db_end(devplat_req *req);

/* Integer arguments as the strings the statements take. */
const char *devplat_i64(devplat_req *req, apr_int64_t v);
apr_int64_t devplat_atoi64(const char *s);

#endif
