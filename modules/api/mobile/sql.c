/* The SQL of the mobile face (listed in statements.c's all_tables). Portable
 * SQL only, like every other family. Users, sessions and identity are the
 * account core's (http/accounts.c). */
#include "mobile.h"
#include "statements.h"
#include "account_sql.h"

const devplat_statement devplat_sql_mobile[] = {
    /* a login may bring a new device: NULL keeps what is stored */
    {DP_MOBILE_USER_DEVICE,
     "UPDATE users SET registration_id = COALESCE(%s, registration_id), "
     "uuid = COALESCE(%s, uuid) WHERE id = %lld"},
    {DP_MOBILE_USER_DETAILS,
     "SELECT u.id, u.mobile, u.username, " DEVPLAT_SQL_INTEGRAL("u") ", u.status, u.uuid, "
     "u.avatar, u.currency, u.virtual_currency FROM users u WHERE u.id = %lld"},

    /* portrait and qualification */
    {DP_MOBILE_AVATAR_SET,
     "UPDATE users SET avatar = %s, updated_at = %s WHERE id = %lld"},
    {DP_MOBILE_QUALIFY_INSERT,
     "INSERT INTO qualifications (user_id, picture, created_at) VALUES (%lld, %s, %s)"},
    {NULL, NULL}
};
