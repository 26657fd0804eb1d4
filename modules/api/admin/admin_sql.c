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

/* a submission with its user's nickname and its reviewer's ("": none);
 * the submissions of deleted users are out of every queue */
#define REVIEW_COLUMNS \
    "r.id, r.kind, r.user_id, u.username, r.status, r.message, r.fields, r.pictures, " \
    "r.submitted_at, r.reviewed_at, COALESCE(rv.username, '')"
#define REVIEW_FROM \
    " FROM reviews r JOIN users u ON u.id = r.user_id " \
    "LEFT JOIN users rv ON rv.id = r.reviewer_id WHERE u." LIVE " "
/* args: status, kind twice ("": every kind), user_id and "" for everyone
 * or "1" for that user (a text flag: SQLite never finds a bound text equal
 * to an integer literal) */
#define REVIEW_FILTER \
    "AND r.status = %d AND (r.kind = %s OR %s = '') AND (r.user_id = %lld OR %s = '')"

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

    {DPA_REVIEW_COUNT,
     "SELECT COUNT(*)" REVIEW_FROM REVIEW_FILTER},
    {DPA_REVIEW_PAGE,
     "SELECT " REVIEW_COLUMNS REVIEW_FROM REVIEW_FILTER " ORDER BY r.id DESC LIMIT %d OFFSET %lld"},
    {DPA_CREDIT_TOTALS,
     "SELECT general_integral, dedicated_integral FROM users WHERE id = %lld AND " LIVE},
    {DPA_CREDIT_COUNT, "SELECT count(*) FROM credit_records WHERE user_id = %lld"},
    {DPA_CREDIT_PAGE,
     "SELECT id, amount, is_positive_growth, dedicated, message, created_at "
     "FROM credit_records WHERE user_id = %lld ORDER BY created_at DESC, id DESC "
     "LIMIT %d OFFSET %lld"},
    {DPA_REVIEW_GET,
     "SELECT " REVIEW_COLUMNS ", r.record_id, u.status" REVIEW_FROM
     "AND r.id = %lld AND r.kind = %s"},
    /* the decisions before a submission on the same record */
    {DPA_REVIEW_HISTORY,
     "SELECT r.id, r.status, r.message, r.submitted_at, r.reviewed_at, "
     "COALESCE(rv.username, '') FROM reviews r LEFT JOIN users rv ON rv.id = r.reviewer_id "
     "WHERE r.kind = %s AND r.record_id = %lld AND r.id < %lld AND r.status IN ("
     DEVPLAT_S(DEVPLAT_REVIEW_PASSED) ", " DEVPLAT_S(DEVPLAT_REVIEW_REJECTED) ") "
     "ORDER BY r.id DESC"},
    {NULL, NULL}
};
