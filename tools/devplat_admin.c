/* devplat-admin: the operator's tool beside mod_devplat (as htpasswd is
 * beside httpd). It talks to the same database through the same apr_dbd
 * drivers, so it works wherever the module does.
 *
 *   devplat-admin --driver sqlite3|pgsql|mysql --params '<DBDParams>' COMMAND
 *
 * This file reads the command line and opens the database; the commands
 * are in admin_*.c. Exit status: 0 done, 1 refused or failed (the reason
 * on stderr), 2 usage. */
#include <apr_getopt.h>
#include <apr_file_info.h>

#include "devplat_admin.h"
#include "password.h"

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
        "  review list [KIND]   pending submissions, oldest first (KIND: real-name,\n"
        "                       educational-info, job-info, award-info, qualification)\n"
        "  review approve KIND ID [MESSAGE]\n"
        "  review reject KIND ID MESSAGE\n"
        "                       decide a pending submission, as the admin face does\n"
        "  project import [--format jsonl|csv] FILE\n"
        "                       add the projects of FILE (JSON lines, or CSV with a\n"
        "                       header of 000's field names; by its extension unless\n"
        "                       --format): all of them or, on any error, none\n"
        "  project export [--format jsonl|csv]\n"
        "                       every project that is not deleted, with its id, on\n"
        "                       standard output (JSON lines by default)\n"
        "  project reindex      write the search index of every project again (after\n"
        "                       projects were written by plain SQL) and count them\n"
        "--bcrypt-cost N: the cost of new password hashes, %d to %d (default %d,\n"
        "as DevplatBcryptCost; give the configured one)\n"
        "PARAMS are those of DBDParams, e.g. /var/lib/mod_devplat/devplat.db or\n"
        "\"host=127.0.0.1 dbname=devplat user=devplat password=secret\".\n"
        "See devplat-admin(1).\n", DEVPLAT_BCRYPT_COST_MIN, DEVPLAT_BCRYPT_COST_MAX,
        DEVPLAT_BCRYPT_COST_DEFAULT);
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
    else if (!strcmp(cmd, "review")) {
        if ((rv = cmd_review_check(nargs, argv + os->ind + 1))) {
            return rv;
        }
    }
    else if (!strcmp(cmd, "project")) {
        if ((rv = cmd_project_check(nargs, argv + os->ind + 1))) {
            return rv;
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
        rv = cmd_freeze(&c, arg);
    }
    else if (!strcmp(cmd, "unfreeze")) {
        rv = cmd_unfreeze(&c, arg);
    }
    else if (!strcmp(cmd, "delete")) {
        rv = cmd_delete(&c, arg);
    }
    else if (!strcmp(cmd, "project")) {
        rv = cmd_project(&c, nargs, argv + os->ind + 1);
    }
    else {
        rv = cmd_review(&c, nargs, argv + os->ind + 1);
    }
    apr_dbd_close(c.driver, c.handle);
    return rv;
}
