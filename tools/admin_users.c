/* devplat-admin: the accounts (list, create-admin, passwd, freeze,
 * unfreeze, delete). Passwords come on standard input, never from the
 * command line. */
#include <unistd.h>

#include <apr_time.h>

#include "devplat_admin.h"
#include "account_sql.h"
#include "event.h"
#include "password.h"
#include "timefmt.h"
#include "validate.h"

#define PASSWORD_MIN 6
#define PASSWORD_MAX 32
#define PASSWORD_BUF 256

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

int cmd_list(admin_ctx *c)
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

/* user.registered, as the module writes it */
static int registered(admin_ctx *c, const char *id, const char *name)
{
    json_object *d = json_object_new_object();

    json_object_object_add(d, "username", json_object_new_string(name));
    json_object_object_add(d, "status", json_object_new_int(DEVPLAT_STATUS_NORMAL));
    json_object_object_add(d, "mobile", json_object_new_string(""));
    return event(c, DEVPLAT_EVENT_REGISTERED, id, d);
}

int cmd_create_admin(admin_ctx *c, const char *name)
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
    failed = failed || audit(c, id, "admin_create", NULL) || registered(c, id, name);
    if (end(c, t, failed)) {
        return fail("could not create '%s'", name);
    }
    printf("created administrator %s (id %s)\n", name, id);
    return 0;
}

static int password_event(admin_ctx *c, const char *id)
{
    json_object *d = json_object_new_object();

    json_object_object_add(d, "reason", json_object_new_string("admin_passwd"));
    return event(c, DEVPLAT_EVENT_PASSWORD_CHANGED, id, d);
}

int cmd_passwd(admin_ctx *c, const char *name)
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
                 || audit(c, u[USER_ID], "admin_passwd", NULL)
                 || password_event(c, u[USER_ID]);
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
                 || audit(c, u[USER_ID], action, NULL)
                 || event(c, to == DEVPLAT_STATUS_FROZEN ? DEVPLAT_EVENT_FROZEN
                             : to == DEVPLAT_STATUS_DELETED ? DEVPLAT_EVENT_DELETED
                             : DEVPLAT_EVENT_UNFROZEN, u[USER_ID], NULL);
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

int cmd_freeze(admin_ctx *c, const char *name)
{
    return cmd_set_status(c, name, 1 << DEVPLAT_STATUS_NORMAL, DEVPLAT_STATUS_FROZEN,
                          "admin_freeze", "frozen");
}

int cmd_unfreeze(admin_ctx *c, const char *name)
{
    return cmd_set_status(c, name, 1 << DEVPLAT_STATUS_FROZEN, DEVPLAT_STATUS_NORMAL,
                          "admin_unfreeze", "normal");
}

/* whatever status it has: live_user() refuses a deleted one */
int cmd_delete(admin_ctx *c, const char *name)
{
    return cmd_set_status(c, name, ~(1 << DEVPLAT_STATUS_DELETED) & 0xff,
                          DEVPLAT_STATUS_DELETED, "admin_delete", "deleted");
}
