/* The SQL of the mobile face (listed in statements.c's all_tables). Portable
 * SQL only, like every other family. */
#include "mobile.h"
#include "statements.h"

/* A user's integral: the signed sum of their credit records (the same sum
 * the developer face shows). */
#define MOBILE_INTEGRAL \
    "(SELECT COALESCE(SUM(CASE WHEN c.is_positive_growth = 1 THEN c.amount " \
    "ELSE -c.amount END), 0) FROM credit_records c WHERE c.user_id = u.id)"

const devplat_statement devplat_sql_mobile[] = {
    /* login and code requests find the account by its mobile number only */
    {DP_MOBILE_USER_BY_PHONE,
     "SELECT u.id, u.password, u.status, "
     "(SELECT COUNT(*) FROM id_verifications v WHERE v.user_id = u.id AND v.state = 1) "
     "FROM users u WHERE u.mobile = %s"},
    {DP_MOBILE_USER_INSERT,
     "INSERT INTO users (username, mobile, password, status, registration_id, uuid, "
     "created_at, updated_at) VALUES (%s, %s, %s, %d, %s, %s, %s, %s) RETURNING id"},
    /* a login may bring a new device: NULL keeps what is stored */
    {DP_MOBILE_USER_DEVICE,
     "UPDATE users SET registration_id = COALESCE(%s, registration_id), "
     "uuid = COALESCE(%s, uuid) WHERE id = %lld"},
    {DP_MOBILE_USER_DETAILS,
     "SELECT u.id, u.mobile, u.username, " MOBILE_INTEGRAL ", u.status, u.uuid, "
     "u.avatar, u.currency, u.virtual_currency FROM users u WHERE u.id = %lld"},
    {DP_MOBILE_PASSWORD_SET,
     "UPDATE users SET password = %s, updated_at = %s WHERE id = %lld"},
    /* a new password ends every session of the user */
    {DP_MOBILE_SESSIONS_REVOKE,
     "UPDATE sessions SET revoked_at = %lld WHERE user_id = %lld "
     "AND (revoked_at IS NULL OR revoked_at > %lld)"},

    /* ID card verification */
    {DP_MOBILE_VERIFY_GET,
     "SELECT name, card_no, state FROM id_verifications WHERE user_id = %lld"},
    {DP_MOBILE_VERIFY_OWNER,
     "SELECT user_id FROM id_verifications WHERE card_no = %s"},
    {DP_MOBILE_VERIFY_INSERT,
     "INSERT INTO id_verifications (user_id, name, card_no, state, created_at, "
     "updated_at) VALUES (%lld, %s, %s, 1, %s, %s)"},
    {DP_MOBILE_VERIFY_UPDATE,
     "UPDATE id_verifications SET name = %s, card_no = %s, state = 1, updated_at = %s "
     "WHERE user_id = %lld"},

    /* portrait and qualification */
    {DP_MOBILE_AVATAR_SET,
     "UPDATE users SET avatar = %s, updated_at = %s WHERE id = %lld"},
    {DP_MOBILE_QUALIFY_INSERT,
     "INSERT INTO qualifications (user_id, picture, created_at) VALUES (%lld, %s, %s)"},
    /* frozen and deleted accounts keep their status */
    {DP_MOBILE_STATUS_REVIEW,
     "UPDATE users SET status = %d, updated_at = %s "
     "WHERE id = %lld AND status <> %d AND status <> %d"},
    {NULL, NULL}
};
