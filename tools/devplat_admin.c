/* devplat-admin: the operator's tool beside mod_devplat (as htpasswd is
 * beside httpd). It talks to the same database through the same apr_dbd
 * drivers, so it works wherever the module does.
 *
 *   devplat-admin --driver sqlite3|pgsql|mysql --params '<DBDParams>' COMMAND
 *
 * Passwords are read from standard input, never from the command line.
 * Exit status: 0 done, 1 refused or failed (the reason on stderr), 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <unistd.h>

#include <apr_general.h>
#include <apr_getopt.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_dbd.h>
#include <apr_tables.h>
#include <apr_time.h>
#include <apr_file_info.h>

#include "account_sql.h"
#include "password.h"
#include "timefmt.h"
#include "validate.h"

#define EXIT_REFUSED 1
#define EXIT_USAGE   2


#define PASSWORD_MIN 6
#define PASSWORD_MAX 32
#define PASSWORD_BUF 256

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
        "  list                 users that are not deleted: id, username, mobile,\n"
        "                       status, administrator, created_at\n"
        "  create-admin NAME    create an administrator (password on stdin)\n"
        "  passwd NAME          set a user's password (password on stdin); ends\n"
        "                       every session of the user\n"
        "  freeze NAME          freeze a normal account (its tokens stop at once)\n"
        "  unfreeze NAME        return a frozen account to normal\n"
        "  delete NAME          delete an account (soft: the row stays for the\n"
        "                       audit); its sessions end\n"
        "--bcrypt-cost N: the cost of new password hashes, %d to %d (default %d,\n"
        "as DevplatBcryptCost; give the configured one)\n"
        "PARAMS are those of DBDParams, e.g. /var/lib/mod_devplat/devplat.db or\n"
        "\"host=127.0.0.1 dbname=devplat user=devplat password=secret\".\n"
        "See devplat-admin(1).\n", DEVPLAT_BCRYPT_COST_MIN, DEVPLAT_BCRYPT_COST_MAX,
        DEVPLAT_BCRYPT_COST_DEFAULT);
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
    return EXIT_REFUSED;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("devplat-admin: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'devplat-admin --help'.\n", stderr);
    return EXIT_USAGE;
}

static int db_error(admin_ctx *c, int rv, const char *what)
{
    const char *msg = apr_dbd_error(c->driver, c->handle, rv);

    fprintf(stderr, "devplat-admin: %s failed: %s\n", what, msg ? msg : "unknown error");
    /* the commonest cause by far */
    if (msg && (strstr(msg, "no such table") || strstr(msg, "does not exist")
                || strstr(msg, "doesn't exist"))) {
        fprintf(stderr, "devplat-admin: is the schema applied? (sql/<engine>/0*.sql "
                        "in order, see the README)\n");
    }
    return EXIT_REFUSED;
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

/* One transaction around a change of several rows: end() commits, or
 * rolls back when failed is set. */
static apr_dbd_transaction_t *begin(admin_ctx *c)
{
    apr_dbd_transaction_t *t = NULL;
    int rv = apr_dbd_transaction_start(c->driver, c->pool, c->handle, &t);

    if (rv) {
        db_error(c, rv, "BEGIN");
        return NULL;
    }
    return t;
}

static int end(admin_ctx *c, apr_dbd_transaction_t *t, int failed)
{
    int rv;

    if (failed) {
        apr_dbd_transaction_mode_set(c->driver, t, APR_DBD_TRANSACTION_ROLLBACK);
    }
    rv = apr_dbd_transaction_end(c->driver, c->pool, t);
    if (rv && !failed) {
        return db_error(c, rv, "COMMIT");
    }
    return failed ? EXIT_REFUSED : 0;
}

static const char *now_text(admin_ctx *c)
{
    return devplat_time_pformat(c->pool, devplat_now());
}

static int audit(admin_ctx *c, const char *user_id, const char *action)
{
    const char *args[] = {user_id, action, "devplat-admin", now_text(c)};

    return exec_sql(c, "INSERT INTO audit_log (user_id, action, detail, created_at) "
                       "VALUES (%lld, %s, %s, %s)", NULL, 4, args);
}

/* The password: prompted twice without echo on a terminal, else the first
 * line of standard input (without its line end). NULL after a message. */
static const char *read_password(admin_ctx *c)
{
    char buf[PASSWORD_BUF], again[PASSWORD_BUF];
    apr_size_t n, sz = sizeof(buf);

    if (isatty(STDIN_FILENO)) {
        if (apr_password_get("New password: ", buf, &sz) != APR_SUCCESS) {
            fail("%s", "could not read the password from the terminal");
            return NULL;
        }
        sz = sizeof(again);
        if (apr_password_get("Retype the password: ", again, &sz) != APR_SUCCESS
            || strcmp(buf, again)) {
            fail("%s", "the two passwords differ");
            return NULL;
        }
        return apr_pstrdup(c->pool, buf);
    }
    if (!fgets(buf, sizeof(buf), stdin)) {
        fail("%s", "no password on standard input (give it as the first line, "
             "e.g. echo 'the-password' | devplat-admin ...)");
        return NULL;
    }
    n = strlen(buf);
    if (n == sizeof(buf) - 1 && buf[n - 1] != '\n') {
        fail("the password on standard input is longer than %d characters", PASSWORD_MAX);
        return NULL;
    }
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) {
        buf[--n] = '\0';
    }
    return apr_pstrdup(c->pool, buf);
}

/* The password rule of the developer face (the widest of the faces). */
static const char *new_password(admin_ctx *c)
{
    const char *pw = read_password(c);

    if (!pw) {
        return NULL;
    }
    if (!devplat_is_visible_ascii(pw, 0, PASSWORD_BUF)) {
        fail("%s", "the password may only hold visible ASCII characters: letters, "
             "digits and punctuation, no spaces");
        return NULL;
    }
    if (!devplat_is_visible_ascii(pw, PASSWORD_MIN, PASSWORD_MAX)) {
        fail("the password has %lu characters; it must have %d to %d",
             (unsigned long)strlen(pw), PASSWORD_MIN, PASSWORD_MAX);
        return NULL;
    }
    return pw;
}

static const char *status_name(const char *status)
{
    static const char *const names[] = {"normal", "frozen", "not-reviewed", "rejected",
                                        "under-review", "deleted"};
    int s = status ? atoi(status) : -1;

    return s >= 0 && s <= 5 ? names[s] : "unknown";
}

/* The user named name: its id, status and is_admin, or NULL when there is
 * none. *err is set when the database failed. */
enum { USER_ID, USER_STATUS, USER_IS_ADMIN };
static const char **user_named(admin_ctx *c, const char *name, int *err)
{
    apr_array_header_t *rows;
    const char *args[] = {name};

    *err = select_rows(c, "SELECT id, status, is_admin FROM users WHERE username = %s",
                       &rows, 1, args);
    if (*err || rows->nelts != 1) {
        return NULL;
    }
    return APR_ARRAY_IDX(rows, 0, const char **);
}

/* A user that exists and is not deleted, or NULL after a message. */
static const char **live_user(admin_ctx *c, const char *name)
{
    int err;
    const char **u = user_named(c, name, &err);

    if (err) {
        return NULL;
    }
    if (!u || atoi(u[USER_STATUS]) == DEVPLAT_STATUS_DELETED) {
        fail("no user named '%s'%s", name, u ? " (it was deleted)" : "");
        return NULL;
    }
    return u;
}

static int cmd_list(admin_ctx *c)
{
    apr_array_header_t *rows;
    int i;

    if (select_rows(c, "SELECT id, username, mobile, status, is_admin, created_at "
                       "FROM users WHERE status <> " DEVPLAT_S(DEVPLAT_STATUS_DELETED)
                       " ORDER BY id", &rows, 0, NULL)) {
        return EXIT_REFUSED;
    }
    printf("%-8s %-20s %-14s %-13s %-5s %s\n", "id", "username", "mobile", "status",
           "admin", "created_at");
    for (i = 0; i < rows->nelts; i++) {
        const char **r = APR_ARRAY_IDX(rows, i, const char **);
        printf("%-8s %-20s %-14s %-13s %-5s %s\n", r[0], r[1] ? r[1] : "-",
               r[2] && *r[2] ? r[2] : "-", status_name(r[3]),
               r[4] && strcmp(r[4], "0") ? "yes" : "no", r[5] ? r[5] : "-");
    }
    return 0;
}

static int cmd_create_admin(admin_ctx *c, const char *name)
{
    apr_array_header_t *rows;
    const char **existing, *pw, *hash, *now, *id;
    apr_dbd_transaction_t *t;
    int err, failed;

    if (!devplat_utf8_valid(name, strlen(name)) || !devplat_is_username(name)) {
        return fail("'%s' is not a valid name: 2 to 16 characters, each a Chinese "
                    "character, a letter, a digit, _ or -, and not a mobile number", name);
    }
    existing = user_named(c, name, &err);
    if (err) {
        return EXIT_REFUSED;
    }
    if (existing) {
        return fail("the name '%s' is taken by user %s (%s)", name, existing[USER_ID],
                    status_name(existing[USER_STATUS]));
    }
    if (!(pw = new_password(c))) {
        return EXIT_REFUSED;
    }
    if (!(hash = devplat_password_hash(c->pool, pw, c->bcrypt_cost))) {
        return fail("%s", "hashing the password failed");
    }
    now = now_text(c);
    if (!(t = begin(c))) {
        return EXIT_REFUSED;
    }
    {
        /* username, password, no contacts, no face fields, status, is_admin */
        const char *args[] = {name, hash, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                              DEVPLAT_S(DEVPLAT_STATUS_NORMAL), "1", now, now};
        failed = select_rows(c, DEVPLAT_SQL_USER_INSERT, &rows, 13, args)
                 || rows->nelts != 1;
    }
    id = failed ? NULL : APR_ARRAY_IDX(rows, 0, const char **)[0];
    failed = failed || audit(c, id, "admin_create");
    if (end(c, t, failed)) {
        return fail("could not create '%s'", name);
    }
    printf("created administrator %s (id %s)\n", name, id);
    return 0;
}

static int cmd_passwd(admin_ctx *c, const char *name)
{
    const char **u = live_user(c, name), *pw, *hash;
    apr_dbd_transaction_t *t;
    int n = 0, failed;

    if (!u) {
        return EXIT_REFUSED;
    }
    if (!(pw = new_password(c))) {
        return EXIT_REFUSED;
    }
    if (!(hash = devplat_password_hash(c->pool, pw, c->bcrypt_cost))) {
        return fail("%s", "hashing the password failed");
    }
    if (!(t = begin(c))) {
        return EXIT_REFUSED;
    }
    {
        const char *now = apr_psprintf(c->pool, "%" APR_INT64_T_FMT, devplat_now());
        const char *args[] = {hash, now_text(c), u[USER_ID]};
        const char *revoke[] = {now, u[USER_ID], "", now};

        /* a new password ends every session of the user */
        failed = exec_sql(c, DEVPLAT_SQL_SET_PASSWORD, &n, 3, args) || n != 1
                 || exec_sql(c, DEVPLAT_SQL_REVOKE_SESSIONS, NULL, 4, revoke)
                 || audit(c, u[USER_ID], "admin_passwd");
    }
    if (end(c, t, failed)) {
        return fail("could not set the password of '%s'", name);
    }
    printf("password of %s changed; its sessions are revoked\n", name);
    return 0;
}

/* Why a guarded change did not apply, read again after the rollback. */
static int refused(admin_ctx *c, const char *name, int from_mask)
{
    int err;
    const char **u = user_named(c, name, &err);

    if (err) {
        return EXIT_REFUSED;
    }
    if (u && ((1 << atoi(u[USER_STATUS])) & from_mask) && atoi(u[USER_IS_ADMIN])) {
        return fail("'%s' is the last active administrator: create or unfreeze "
                    "another one first", name);
    }
    return fail("could not change '%s' (changed meanwhile?)", name);
}

/* A status change from one of the statuses of from_mask (1 << status),
 * conditional so that a concurrent change is not overwritten. Freezing and
 * deleting take the administrators' guard row first, as the module does:
 * they never take the last active administrator, whoever else (the admin
 * face, another devplat-admin) changes administrators at the same time. */
static int cmd_set_status(admin_ctx *c, const char *name, int from_mask, int to,
                          const char *action, const char *done)
{
    const char **u = live_user(c, name);
    int guard = to == DEVPLAT_STATUS_FROZEN || to == DEVPLAT_STATUS_DELETED;
    apr_dbd_transaction_t *t;
    int n = 0, g = 0, gerr = 0, failed;

    if (!u) {
        return EXIT_REFUSED;
    }
    if (!((1 << atoi(u[USER_STATUS])) & from_mask)) {
        return fail("'%s' is %s, not %s: nothing to do", name, status_name(u[USER_STATUS]),
                    to == DEVPLAT_STATUS_NORMAL ? "frozen" : "normal");
    }
    if (!(t = begin(c))) {
        return EXIT_REFUSED;
    }
    {
        const char *now = apr_psprintf(c->pool, "%" APR_INT64_T_FMT, devplat_now());
        const char *args[] = {apr_itoa(c->pool, to), now_text(c), u[USER_ID],
                              apr_itoa(c->pool, from_mask), guard ? "1" : "0"};
        const char *revoke[] = {now, u[USER_ID], "", now};

        failed = (guard && ((gerr = exec_sql(c, DEVPLAT_SQL_ADMIN_GUARD, &g, 0, NULL))
                            || g != 1))
                 || exec_sql(c, DEVPLAT_SQL_SET_STATUS, &n, 5, args) || n != 1
                 || (to == DEVPLAT_STATUS_DELETED
                     && exec_sql(c, DEVPLAT_SQL_REVOKE_SESSIONS, NULL, 4, revoke))
                 || audit(c, u[USER_ID], action);
    }
    if (end(c, t, failed)) {
        if (guard && !gerr && g != 1) {
            return fail("%s", "the administrators' guard row is missing: is the schema "
                        "up to date? (053_admin_guard.sql, see devplat-migrate(1))");
        }
        if (gerr) {
            return fail("could not change '%s'", name);
        }
        return n != 1 ? refused(c, name, from_mask)
                      : fail("could not change '%s'", name);
    }
    printf("%s: %s\n", name, done);
    return 0;
}

/* A whole decimal number in [min, max]. */
static int parse_int(const char *s, int min, int max, int *out)
{
    char *end;
    long v;

    if (!s || !*s || !apr_isdigit(*s)) {
        return 0;
    }
    v = strtol(s, &end, 10);
    if (*end || v < min || v > max) {
        return 0;
    }
    *out = (int)v;
    return 1;
}

/* The sqlite3 driver creates a missing file: refuse that instead of
 * answering "no such table" from an empty new database. */
static int sqlite_file_missing(apr_pool_t *p, const char *params)
{
    apr_finfo_t fi;

    return strncmp(params, "file:", 5) && strcmp(params, ":memory:")
           && apr_stat(&fi, params, APR_FINFO_TYPE, p) != APR_SUCCESS;
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
    int optch, rv, nargs;
    apr_status_t st;

    apr_app_initialize(&argc, &argv, NULL);
    atexit(apr_terminate);
    memset(&c, 0, sizeof(c));
    c.bcrypt_cost = DEVPLAT_BCRYPT_COST_DEFAULT;
    apr_pool_create(&c.pool, NULL);

    apr_getopt_init(&os, c.pool, argc, argv);
    while ((st = apr_getopt_long(os, opts, &optch, &optarg)) == APR_SUCCESS) {
        switch (optch) {
        case 'd': driver = optarg; break;
        case 'p': params = optarg; break;
        case 'c':
            if (!parse_int(optarg, DEVPLAT_BCRYPT_COST_MIN, DEVPLAT_BCRYPT_COST_MAX,
                           &c.bcrypt_cost)) {
                return usage_error("--bcrypt-cost must be a whole number from %d to %d, "
                                   "not '%s'", DEVPLAT_BCRYPT_COST_MIN,
                                   DEVPLAT_BCRYPT_COST_MAX, optarg);
            }
            break;
        case 'h': usage(stdout); return 0;
        }
    }
    if (st != APR_EOF) {
        /* apr_getopt_long() has named the option */
        fputs("Try 'devplat-admin --help'.\n", stderr);
        return EXIT_USAGE;
    }
    if (argc == 1) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!driver || !params) {
        return usage_error("%s", "--driver and --params are required");
    }
    if (strcmp(driver, "sqlite3") && strcmp(driver, "pgsql") && strcmp(driver, "mysql")) {
        return usage_error("unknown driver '%s' (sqlite3, pgsql or mysql)", driver);
    }
    if (os->ind >= argc) {
        return usage_error("%s", "no command given");
    }
    cmd = argv[os->ind];
    nargs = argc - os->ind - 1;
    arg = nargs > 0 ? argv[os->ind + 1] : NULL;
    if (!strcmp(cmd, "list")) {
        if (nargs != 0) {
            return usage_error("%s", "list takes no arguments");
        }
    }
    else if (!strcmp(cmd, "create-admin") || !strcmp(cmd, "passwd")
             || !strcmp(cmd, "freeze") || !strcmp(cmd, "unfreeze")
             || !strcmp(cmd, "delete")) {
        if (nargs != 1 || !*arg) {
            return usage_error("%s takes one argument: the user's NAME%s", cmd,
                               !strcmp(cmd, "create-admin") || !strcmp(cmd, "passwd")
                               ? " (the password comes on standard input)" : "");
        }
    }
    else {
        return usage_error("unknown command '%s'", cmd);
    }

    apr_dbd_init(c.pool);
    if ((st = apr_dbd_get_driver(c.pool, driver, &c.driver)) != APR_SUCCESS) {
        return fail("cannot load the apr_dbd driver '%s' (on Debian: apt-get install "
                    "libaprutil1-dbd-%s)", driver, strcmp(driver, "sqlite3") ? driver
                                                                             : "sqlite3");
    }
    if (!strcmp(driver, "sqlite3") && sqlite_file_missing(c.pool, params)) {
        return fail("the database file %s does not exist (create it from "
                    "sql/sqlite/0*.sql, see the README)", params);
    }
    if ((st = apr_dbd_open_ex(c.driver, c.pool, params, &c.handle, &err))
        != APR_SUCCESS || !c.handle) {
        return fail("cannot open the database: %s", err ? err : "check --params");
    }
    if (!strcmp(driver, "sqlite3")) {
        int n;
        apr_dbd_query(c.driver, c.handle, &n, "PRAGMA busy_timeout = 5000");
        apr_dbd_query(c.driver, c.handle, &n, "PRAGMA foreign_keys = ON");
    }

    if (!strcmp(cmd, "list")) {
        rv = cmd_list(&c);
    }
    else if (!strcmp(cmd, "create-admin")) {
        rv = cmd_create_admin(&c, arg);
    }
    else if (!strcmp(cmd, "passwd")) {
        rv = cmd_passwd(&c, arg);
    }
    else if (!strcmp(cmd, "freeze")) {
        rv = cmd_set_status(&c, arg, 1 << DEVPLAT_STATUS_NORMAL, DEVPLAT_STATUS_FROZEN,
                            "admin_freeze", "frozen");
    }
    else if (!strcmp(cmd, "unfreeze")) {
        rv = cmd_set_status(&c, arg, 1 << DEVPLAT_STATUS_FROZEN, DEVPLAT_STATUS_NORMAL,
                            "admin_unfreeze", "normal");
    }
    else {
        /* whatever status it has: live_user() has refused a deleted one */
        rv = cmd_set_status(&c, arg, ~(1 << DEVPLAT_STATUS_DELETED) & 0xff,
                            DEVPLAT_STATUS_DELETED, "admin_delete", "deleted");
    }
    apr_dbd_close(c.driver, c.handle);
    return rv;
}
