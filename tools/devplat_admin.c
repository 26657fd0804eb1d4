/* devplat-admin: the operator's tool beside mod_devplat (as htpasswd is
 * beside httpd). It talks to the same database through the same apr_dbd
 * drivers, so it works wherever the module does.
 *
 *   devplat-admin --driver sqlite3|pgsql|mysql --params '<DBDParams>' COMMAND
 *
 * Passwords are read from standard input, never from the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_getopt.h>
#include <apr_strings.h>
#include <apr_dbd.h>
#include <apr_tables.h>
#include <stdarg.h>
#include <apr_time.h>

#include "password.h"
#include "timefmt.h"
#include "validate.h"

#define STATUS_NORMAL 0
#define STATUS_FROZEN 1

typedef struct {
    apr_pool_t *pool;
    const apr_dbd_driver_t *driver;
    apr_dbd_t *handle;
    int bcrypt_cost;
} admin_ctx;

static void usage(FILE *out)
{
    fprintf(out,
        "usage: devplat-admin --driver sqlite3|pgsql|mysql --params PARAMS"
        " [--bcrypt-cost N] COMMAND\n"
        "commands:\n"
        "  list                 users: id, username, mobile, status, admin\n"
        "  create-admin NAME    create an administrator (password on stdin)\n"
        "  passwd NAME          set a user's password (password on stdin)\n"
        "  freeze NAME          freeze an account (its tokens stop at once)\n"
        "  unfreeze NAME        return a frozen account to normal\n");
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
    va_list ap;

    fputs("devplat-admin: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

static int db_error(admin_ctx *c, int rv, const char *what)
{
    fprintf(stderr, "devplat-admin: %s failed: %s\n", what,
            apr_dbd_error(c->driver, c->handle, rv));
    return 1;
}

/* Runs sql (apr_dbd placeholders) with string args; reads every row. */
static int select_rows(admin_ctx *c, const char *sql, apr_array_header_t **out,
                       int nargs, const char **args)
{
    apr_dbd_prepared_t *st = NULL;
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    int rv, ncols, i, n;

    if ((rv = apr_dbd_prepare(c->driver, c->pool, c->handle, sql, NULL, &st))) {
        return db_error(c, rv, "prepare");
    }
    if ((rv = apr_dbd_pselect(c->driver, c->pool, c->handle, &res, st, 1, nargs, args))) {
        return db_error(c, rv, "query");
    }
    ncols = apr_dbd_num_cols(c->driver, res);
    *out = apr_array_make(c->pool, 8, sizeof(const char **));
    /* random access counts rows from 1 on every driver; one step past the
     * last row ends the result */
    for (n = 1; (rv = apr_dbd_get_row(c->driver, c->pool, res, &row, n)) != -1; n++) {
        const char **cells = apr_pcalloc(c->pool, sizeof(char *) * (ncols + 1));

        if (rv != 0) {
            return db_error(c, rv, "reading a row");
        }
        for (i = 0; i < ncols; i++) {
            const char *v = NULL;
            /* datum_get tells SQL NULL apart; get_entry answers "" on pgsql */
            if (apr_dbd_datum_get(c->driver, row, i, APR_DBD_TYPE_STRING, &v)
                == APR_SUCCESS && v) {
                cells[i] = apr_pstrdup(c->pool, v);
            }
        }
        APR_ARRAY_PUSH(*out, const char **) = cells;
    }
    return 0;
}

static int exec_sql(admin_ctx *c, const char *sql, int *affected, int nargs,
                    const char **args)
{
    apr_dbd_prepared_t *st = NULL;
    int rv, n = 0;

    if ((rv = apr_dbd_prepare(c->driver, c->pool, c->handle, sql, NULL, &st))) {
        return db_error(c, rv, "prepare");
    }
    if ((rv = apr_dbd_pquery(c->driver, c->pool, c->handle, &n, st, nargs, args))) {
        return db_error(c, rv, "statement");
    }
    if (affected) {
        *affected = n;
    }
    return 0;
}

static void audit(admin_ctx *c, const char *user_id, const char *action)
{
    const char *args[] = {user_id, action, "devplat-admin",
                          devplat_time_pformat(c->pool, devplat_now())};

    exec_sql(c, "INSERT INTO audit_log (user_id, action, detail, created_at) "
                "VALUES (%lld, %s, %s, %s)", NULL, 4, args);
}

/* The password from standard input: one line, no newline kept. */
static const char *read_password(admin_ctx *c)
{
    char buf[256];
    apr_size_t n;

    if (!fgets(buf, sizeof(buf), stdin)) {
        return NULL;
    }
    n = strlen(buf);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) {
        buf[--n] = '\0';
    }
    return apr_pstrdup(c->pool, buf);
}

static const char *user_id_of(admin_ctx *c, const char *name)
{
    apr_array_header_t *rows;
    const char *args[] = {name};

    if (select_rows(c, "SELECT id FROM users WHERE username = %s AND status <> 5",
                    &rows, 1, args) || rows->nelts != 1) {
        return NULL;
    }
    return APR_ARRAY_IDX(rows, 0, const char **)[0];
}

static int cmd_list(admin_ctx *c)
{
    apr_array_header_t *rows;
    int i;

    if (select_rows(c, "SELECT id, username, mobile, status, is_admin, created_at "
                       "FROM users WHERE status <> 5 ORDER BY id", &rows, 0, NULL)) {
        return 1;
    }
    printf("%-8s %-20s %-14s %-6s %-5s %s\n", "id", "username", "mobile", "status",
           "admin", "created_at");
    for (i = 0; i < rows->nelts; i++) {
        const char **r = APR_ARRAY_IDX(rows, i, const char **);
        printf("%-8s %-20s %-14s %-6s %-5s %s\n", r[0], r[1], r[2] ? r[2] : "-",
               r[3], strcmp(r[4], "0") ? "yes" : "no", r[5]);
    }
    return 0;
}

static int valid_password(const char *pw)
{
    return pw && devplat_is_visible_ascii(pw, 6, 32);
}

static int cmd_create_admin(admin_ctx *c, const char *name)
{
    const char *pw, *hash, *now;
    int n = 0;

    if (!devplat_utf8_valid(name, strlen(name)) || !devplat_is_name(name, 2, 16)) {
        return fail("'%s' is not a valid name (2-16 Chinese characters, letters, "
                    "digits, _ or -)", name);
    }
    if (user_id_of(c, name)) {
        return fail("a user named '%s' exists already", name);
    }
    pw = read_password(c);
    if (!valid_password(pw)) {
        return fail("%s", "the password on standard input must be 6-32 visible "
                    "ASCII characters");
    }
    hash = devplat_password_hash(c->pool, pw, c->bcrypt_cost);
    now = devplat_time_pformat(c->pool, devplat_now());
    {
        const char *args[] = {name, hash, now, now};
        if (exec_sql(c, "INSERT INTO users (username, password, is_admin, "
                        "created_at, updated_at) VALUES (%s, %s, 1, %s, %s)",
                     &n, 4, args) || n != 1) {
            return fail("could not create '%s'", name);
        }
    }
    audit(c, user_id_of(c, name), "admin_create");
    printf("created administrator %s\n", name);
    return 0;
}

static int cmd_passwd(admin_ctx *c, const char *name)
{
    const char *id = user_id_of(c, name), *pw, *hash, *now;
    int n = 0;

    if (!id) {
        return fail("no user named '%s'", name);
    }
    pw = read_password(c);
    if (!valid_password(pw)) {
        return fail("%s", "the password on standard input must be 6-32 visible "
                    "ASCII characters");
    }
    hash = devplat_password_hash(c->pool, pw, c->bcrypt_cost);
    now = devplat_time_pformat(c->pool, devplat_now());
    {
        const char *args[] = {hash, now, id};
        const char *revoke[] = {apr_psprintf(c->pool, "%" APR_INT64_T_FMT,
                                             devplat_now()), id};
        if (exec_sql(c, "UPDATE users SET password = %s, updated_at = %s "
                        "WHERE id = %lld", &n, 3, args) || n != 1
            /* a new password ends every session of the user */
            || exec_sql(c, "UPDATE sessions SET revoked_at = %lld WHERE user_id = %lld "
                           "AND revoked_at IS NULL", NULL, 2, revoke)) {
            return fail("could not set the password of '%s'", name);
        }
    }
    audit(c, id, "admin_passwd");
    printf("password of %s changed; its sessions are revoked\n", name);
    return 0;
}

static int cmd_set_status(admin_ctx *c, const char *name, int from, int to,
                          const char *action)
{
    const char *id = user_id_of(c, name);
    const char *args[] = {apr_itoa(c->pool, to),
                          devplat_time_pformat(c->pool, devplat_now()), id,
                          apr_itoa(c->pool, from)};
    int n = 0;

    if (!id) {
        return fail("no user named '%s'", name);
    }
    if (exec_sql(c, "UPDATE users SET status = %d, updated_at = %s "
                    "WHERE id = %lld AND status = %d", &n, 4, args)) {
        return 1;
    }
    if (n != 1) {
        return fail("'%s' is not %s", name,
                    to == STATUS_FROZEN ? "in the normal state" : "frozen");
    }
    audit(c, id, action);
    printf("%s: %s\n", name, to == STATUS_FROZEN ? "frozen" : "normal");
    return 0;
}

int main(int argc, const char *const *argv)
{
    static const apr_getopt_option_t opts[] = {
        {"driver", 'd', 1, "apr_dbd driver"},
        {"params", 'p', 1, "DBDParams"},
        {"bcrypt-cost", 'c', 1, "bcrypt cost"},
        {"help", 'h', 0, "help"},
        {NULL, 0, 0, NULL}
    };
    admin_ctx c;
    apr_getopt_t *os;
    const char *driver = NULL, *params = NULL, *optarg, *cmd, *arg;
    const char *err = NULL;
    int optch, rv;
    apr_status_t st;

    apr_app_initialize(&argc, &argv, NULL);
    atexit(apr_terminate);
    memset(&c, 0, sizeof(c));
    c.bcrypt_cost = 12;
    apr_pool_create(&c.pool, NULL);

    apr_getopt_init(&os, c.pool, argc, argv);
    while ((st = apr_getopt_long(os, opts, &optch, &optarg)) == APR_SUCCESS) {
        switch (optch) {
        case 'd': driver = optarg; break;
        case 'p': params = optarg; break;
        case 'c':
            c.bcrypt_cost = atoi(optarg);
            if (c.bcrypt_cost < 4 || c.bcrypt_cost > 31) {
                return fail("--bcrypt-cost must be 4 to 31, not %s", optarg);
            }
            break;
        case 'h': usage(stdout); return 0;
        }
    }
    if (st != APR_EOF || !driver || !params || os->ind >= argc) {
        usage(stderr);
        return 2;
    }
    cmd = argv[os->ind];
    arg = os->ind + 1 < argc ? argv[os->ind + 1] : NULL;

    apr_dbd_init(c.pool);
    if ((st = apr_dbd_get_driver(c.pool, driver, &c.driver)) != APR_SUCCESS) {
        return fail("cannot load the apr_dbd driver '%s' (is "
                    "libaprutil1-dbd-<driver> installed?)", driver);
    }
    if ((st = apr_dbd_open_ex(c.driver, c.pool, params, &c.handle, &err))
        != APR_SUCCESS) {
        return fail("cannot open the database: %s", err ? err : "unknown error");
    }
    if (!strcmp(driver, "sqlite3")) {
        int n;
        apr_dbd_query(c.driver, c.handle, &n, "PRAGMA busy_timeout = 5000");
        apr_dbd_query(c.driver, c.handle, &n, "PRAGMA foreign_keys = ON");
    }

    if (!strcmp(cmd, "list") && !arg) {
        rv = cmd_list(&c);
    }
    else if (!strcmp(cmd, "create-admin") && arg) {
        rv = cmd_create_admin(&c, arg);
    }
    else if (!strcmp(cmd, "passwd") && arg) {
        rv = cmd_passwd(&c, arg);
    }
    else if (!strcmp(cmd, "freeze") && arg) {
        rv = cmd_set_status(&c, arg, STATUS_NORMAL, STATUS_FROZEN, "admin_freeze");
    }
    else if (!strcmp(cmd, "unfreeze") && arg) {
        rv = cmd_set_status(&c, arg, STATUS_FROZEN, STATUS_NORMAL, "admin_unfreeze");
    }
    else {
        usage(stderr);
        rv = 2;
    }
    apr_dbd_close(c.driver, c.handle);
    return rv;
}
