/* The SQL of the admin face (001). Portable: the same text runs on SQLite,
 * PostgreSQL and MariaDB. */
#include "statements.h"
#include "admin_sql.h"
#include "account_sql.h"

/* the proven phone and e-mail, else the unverified ones */
#define ADMIN_USER_COLUMNS \
    "id, username, name, COALESCE(mobile, unverified_mobile), " \
    "COALESCE(email, unverified_email), position, avatar, status, is_admin, " \
    "created_at, updated_at"
#define LIVE "status <> " DEVPLAT_S(DEVPLAT_STATUS_DELETED)

/* deleted users are gone from every lookup of this face */
const devplat_statement devplat_sql_admin[] = {
    /* captchas: one row per picture, deleted by its first use */
    {DPA_CAPTCHA_INSERT,
     "INSERT INTO captchas (id, digest, created_at, expires_at, client_ip) "
     "VALUES (%s, %s, %lld, %lld, %s)"},
    {DPA_CAPTCHA_GET,
     "SELECT digest, expires_at FROM captchas WHERE id = %s"},
    /* the request whose DELETE removes the row is the one that uses it */
    {DPA_CAPTCHA_SPEND,
     "DELETE FROM captchas WHERE id = %s"},

    {DPA_ACTOR,
     "SELECT is_admin FROM users WHERE id = %lld"},
    /* the avatar's URL, once the file is stored under the new id */
    {DPA_USER_AVATAR,
     "UPDATE users SET avatar = %s WHERE id = %lld"},

    {DPA_USER_COUNT,
     "SELECT COUNT(*) FROM users WHERE " LIVE},
    {DPA_USER_PAGE,
     "SELECT " ADMIN_USER_COLUMNS " FROM users WHERE " LIVE " "
     "ORDER BY id LIMIT %d OFFSET %lld"},
    {DPA_USER_GET,
     "SELECT " ADMIN_USER_COLUMNS " FROM users WHERE id = %lld AND " LIVE},
    /* NULL keeps a column as it is: one statement for any set of fields
     * (contacts are the account core's) */
    {DPA_USER_UPDATE,
     "UPDATE users SET username = COALESCE(%s, username), "
     "name = COALESCE(%s, name), position = COALESCE(%s, position), "
     "updated_at = %s WHERE id = %lld AND " LIVE},
    {NULL, NULL}
};
