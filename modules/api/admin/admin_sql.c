/* The SQL of the admin face (001). Portable: the same text runs on SQLite,
 * PostgreSQL and MariaDB. */
#include "statements.h"
#include "admin_sql.h"

#define ADMIN_USER_COLUMNS \
    "id, username, name, mobile, email, position, avatar, status, is_admin, " \
    "created_at, updated_at"

/* status 5 (deleted) users are gone from every lookup of this face */
const devplat_statement devplat_sql_admin[] = {
    /* captchas: one row per picture, deleted by its first use */
    {DPA_CAPTCHA_PURGE,
     "DELETE FROM captchas WHERE expires_at <= %lld"},
    {DPA_CAPTCHA_INSERT,
     "INSERT INTO captchas (id, digest, created_at, expires_at, client_ip) "
     "VALUES (%s, %s, %lld, %lld, %s)"},
    {DPA_CAPTCHA_GET,
     "SELECT digest, expires_at FROM captchas WHERE id = %s"},
    /* the request whose DELETE removes the row is the one that uses it */
    {DPA_CAPTCHA_SPEND,
     "DELETE FROM captchas WHERE id = %s"},

    {DPA_LOGIN,
     "SELECT id, username, password, status, is_admin FROM users "
     "WHERE username = %s"},
    {DPA_ACTOR,
     "SELECT is_admin FROM users WHERE id = %lld"},
    /* nickname, phone and e-mail already used by someone else than id;
     * deleted users keep theirs (their rows stay for the audit trail) */
    {DPA_TAKEN,
     "SELECT "
     "(SELECT COUNT(*) FROM users WHERE username = %s AND id <> %lld), "
     "(SELECT COUNT(*) FROM users WHERE mobile = %s AND id <> %lld), "
     "(SELECT COUNT(*) FROM users WHERE email = %s AND id <> %lld)"},
    /* sign-up: not yet reviewed (2) until an administrator audits it */
    {DPA_USER_INSERT,
     "INSERT INTO users (username, name, mobile, email, position, password, "
     "avatar, status, is_admin, created_at, updated_at) "
     "VALUES (%s, %s, %s, %s, %s, %s, %s, 2, 0, %s, %s) RETURNING id"},
    /* the avatar's URL, once the file is stored under the new id */
    {DPA_USER_AVATAR,
     "UPDATE users SET avatar = %s WHERE id = %lld"},

    {DPA_USER_COUNT,
     "SELECT COUNT(*) FROM users WHERE status <> 5"},
    {DPA_USER_PAGE,
     "SELECT " ADMIN_USER_COLUMNS " FROM users WHERE status <> 5 "
     "ORDER BY id LIMIT %d OFFSET %lld"},
    {DPA_USER_GET,
     "SELECT " ADMIN_USER_COLUMNS " FROM users WHERE id = %lld AND status <> 5"},
    /* NULL keeps a column as it is: one statement for any set of fields */
    {DPA_USER_UPDATE,
     "UPDATE users SET username = COALESCE(%s, username), "
     "name = COALESCE(%s, name), mobile = COALESCE(%s, mobile), "
     "position = COALESCE(%s, position), email = COALESCE(%s, email), "
     "updated_at = %s WHERE id = %lld AND status <> 5"},
    /* not yet reviewed (2) or under review (4) become normal (0) */
    {DPA_USER_APPROVE,
     "UPDATE users SET status = 0, updated_at = %s "
     "WHERE id = %lld AND status IN (2, 4)"},
    /* soft delete, never of the last administrator who can still sign in;
     * the count sits in a derived table because MariaDB refuses a subquery
     * on the table being updated, and aggregating keeps it unmerged */
    {DPA_USER_DELETE,
     "UPDATE users SET status = 5, updated_at = %s "
     "WHERE id = %lld AND status <> 5 AND (is_admin = 0 OR status = 1 OR "
     "(SELECT n FROM (SELECT COUNT(*) AS n FROM users "
     "WHERE is_admin = 1 AND status NOT IN (1, 5)) active_admins) > 1)"},
    {DPA_SESSIONS_REVOKE,
     "UPDATE sessions SET revoked_at = %lld WHERE user_id = %lld "
     "AND (revoked_at IS NULL OR revoked_at > %lld)"},
    {NULL, NULL}
};
