/* What the commands of devplat-admin share: the open connection and the
 * few ways they talk to the database (admin_db.c). Each group of commands
 * has its own file: admin_users.c; the back office's in admin_*.c. */
#ifndef DEVPLAT_ADMIN_TOOL_H
#define DEVPLAT_ADMIN_TOOL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_dbd.h>
#include <apr_tables.h>

#include <json-c/json.h>

#define EXIT_REFUSED 1
#define EXIT_USAGE   2

typedef struct {
    apr_pool_t *pool;
    const apr_dbd_driver_t *driver;
    apr_dbd_t *handle;
    int bcrypt_cost;
} admin_ctx;

/* "devplat-admin: <message>" on stderr; EXIT_REFUSED. */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* the same with a pointer to --help; EXIT_USAGE */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* the driver's message for rv after what failed; EXIT_REFUSED */
int db_error(admin_ctx *c, int rv, const char *what);

/* sql has apr_dbd placeholders, args are strings (NULL: SQL NULL). Both
 * return 0, or EXIT_REFUSED after the driver's message. select_rows reads
 * every row into *out: an array of const char ** (NULL cell: SQL NULL). */
int select_rows(admin_ctx *c, const char *sql, apr_array_header_t **out,
                int nargs, const char **args);
int exec_sql(admin_ctx *c, const char *sql, int *affected, int nargs, const char **args);

/* One transaction around a change of several rows: end() commits, or
 * rolls back when failed is set (then EXIT_REFUSED). */
apr_dbd_transaction_t *begin(admin_ctx *c);
int end(admin_ctx *c, apr_dbd_transaction_t *t, int failed);

/* now as the API shows times: "YYYY-MM-DD HH:MM:SS" */
const char *now_text(admin_ctx *c);
/* an audit row for user_id (NULL: about no user) with detail (NULL:
 * "devplat-admin") and actor_id NULL (the operator: every row the module
 * writes names an actor) */
int audit(admin_ctx *c, const char *user_id, const char *action, const char *detail);

/* An account event (DEVPLAT_EVENT_* of event.h) about user_id, in the open
 * transaction, with data (taken over; NULL: none) plus "source"
 * (devplat-admin) and "actor_id" (0: the operator). Written only once a
 * server with DevplatEventWebhook has used the database (event_state);
 * otherwise nothing is written and 0 is answered. */
int event(admin_ctx *c, const char *type, const char *user_id, json_object *data);

/* A whole decimal number in [min, max]: 1 with *out, else 0. */
int parse_int(const char *s, int min, int max, int *out);

/* admin_users.c: list, create-admin, passwd, freeze, unfreeze, delete */
int cmd_list(admin_ctx *c);
int cmd_create_admin(admin_ctx *c, const char *name);
int cmd_passwd(admin_ctx *c, const char *name);
int cmd_freeze(admin_ctx *c, const char *name);
int cmd_unfreeze(admin_ctx *c, const char *name);
int cmd_delete(admin_ctx *c, const char *name);

/* admin_reviews.c: review list [KIND] | approve KIND ID [MESSAGE] |
 * reject KIND ID MESSAGE. check: 0 when the arguments are usable, else
 * EXIT_USAGE after the message (before the database is opened). */
int cmd_review_check(int nargs, const char *const *args);
int cmd_review(admin_ctx *c, int nargs, const char *const *args);

/* admin_projects.c: project import [--format jsonl|csv] FILE | project
 * export [--format jsonl|csv]. check as cmd_review_check. */
int cmd_project_check(int nargs, const char *const *args);
int cmd_project(admin_ctx *c, int nargs, const char *const *args);
/* admin_catalogue.c: whether the database has the index these write (1;
 * 0 after a message), a new project's terms in the search index (in the
 * open transaction), and project reindex */
int catalogue_schema_ready(admin_ctx *c);
int catalogue_index(admin_ctx *c, const char *id, const char *const *texts);
int catalogue_reindex(admin_ctx *c);

#endif
