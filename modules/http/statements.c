/* The SQL of mod_devplat. The DevplatApi directive indexes every statement
 * by its label; db.c prepares a statement on a pooled connection the first
 * time a request runs it there, and keeps it in the connection's prepared
 * hash (mod_dbd's) for as long as the connection lives. Not with
 * ap_dbd_prepare: mod_dbd would then prepare all of them (some 200, one
 * round trip each on PostgreSQL and MariaDB) on every connection it opens,
 * and a request waiting for a new connection waits for all of them. */
#include "statements.h"
#include "apr_dbd.h"
#include "mod_dbd.h"
#include "account_sql.h"
#include "events.h"

#define USER_COLUMNS DEVPLAT_SQL_USER_COLUMNS("u")

/* Sessions, codes, throttling and audit: the foundation every face shares
 * (users, credits and identity belong to the account core, accounts.c). */
const devplat_statement devplat_sql_auth[] = {
    /* sessions */
    {DP_SESSION_INSERT,
     "INSERT INTO sessions (jti, user_id, issued_at, expires_at, login_at, "
     "client_ip, user_agent) VALUES (%s, %lld, %lld, %lld, %lld, %s, %s)"},
    /* the hot path: one indexed lookup for the session and its user */
    {DP_SESSION_AUTH,
     "SELECT " USER_COLUMNS ", s.expires_at, s.login_at, s.revoked_at, "
     "s.replaced_by FROM sessions s JOIN users u ON u.id = s.user_id "
     "WHERE s.jti = %s"},
    {DP_SESSION_GET,
     "SELECT user_id, issued_at, expires_at, login_at, revoked_at "
     "FROM sessions WHERE jti = %s"},
    {DP_SESSION_REVOKE,
     "UPDATE sessions SET revoked_at = %lld WHERE jti = %s "
     "AND (revoked_at IS NULL OR revoked_at > %lld)"},
    /* the token a refresh rotated to this one, while it is in its grace */
    {DP_SESSION_PREDECESSOR,
     "SELECT jti FROM sessions WHERE replaced_by = %s AND revoked_at > %lld"},
    /* only the first refresh of a token rotates it */
    {DP_SESSION_ROTATE,
     "UPDATE sessions SET replaced_by = %s, revoked_at = %lld "
     "WHERE jti = %s AND replaced_by IS NULL "
     "AND (revoked_at IS NULL OR revoked_at > %lld)"},

    /* verification codes */
    {DP_CODE_INSERT,
     "INSERT INTO verification_codes (destination, purpose, account_id, channel, "
     "digest, created_at, expires_at, client_ip) "
     "VALUES (%s, %s, %lld, %s, %s, %lld, %lld, %s) RETURNING id"},
    {DP_CODE_DELETE,
     "DELETE FROM verification_codes WHERE id = %lld"},
    {DP_CODE_LATEST,
     "SELECT id, digest, created_at, expires_at, tries, used_at "
     "FROM verification_codes WHERE destination = %s AND purpose = %s "
     "AND account_id = %lld ORDER BY created_at DESC, id DESC LIMIT 1"},
    {DP_CODE_COUNT_DEST,
     "SELECT COUNT(*), MIN(created_at) FROM verification_codes "
     "WHERE destination = %s AND created_at > %lld"},
    {DP_CODE_COUNT_IP,
     "SELECT COUNT(*), MIN(created_at) FROM verification_codes "
     "WHERE client_ip = %s AND created_at > %lld"},
    /* the cooldown slot of destination + purpose + account: only one
     * request can move sent_at forward */
    {DP_COOLDOWN_GET,
     "SELECT sent_at FROM code_cooldowns WHERE destination = %s AND purpose = %s "
     "AND account_id = %lld"},
    {DP_COOLDOWN_CLAIM,
     "UPDATE code_cooldowns SET sent_at = %lld WHERE destination = %s "
     "AND purpose = %s AND account_id = %lld AND sent_at = %lld"},
    {DP_COOLDOWN_INSERT,
     "INSERT INTO code_cooldowns (destination, purpose, account_id, sent_at) "
     "VALUES (%s, %s, %lld, %lld)"},
    {DP_COOLDOWN_RESTORE,
     "UPDATE code_cooldowns SET sent_at = %lld WHERE destination = %s "
     "AND purpose = %s AND account_id = %lld AND sent_at = %lld"},
    {DP_CODE_TRY,
     "UPDATE verification_codes SET tries = tries + 1 WHERE id = %lld"},
    /* spending is conditional so that a code serves exactly one request */
    {DP_CODE_USE,
     "UPDATE verification_codes SET used_at = %lld "
     "WHERE id = %lld AND used_at IS NULL AND tries < %d AND expires_at > %lld"},

    /* login throttle */
    {DP_THROTTLE_GET,
     "SELECT failures, window_start, locked_until, locks FROM login_throttle "
     "WHERE account = %s AND client_ip = %s"},
    {DP_THROTTLE_INSERT,
     "INSERT INTO login_throttle (account, client_ip, failures, window_start, "
     "locked_until, locks) VALUES (%s, %s, %d, %lld, %lld, %d)"},
    {DP_THROTTLE_UPDATE,
     "UPDATE login_throttle SET failures = %d, window_start = %lld, "
     "locked_until = %lld, locks = %d WHERE account = %s AND client_ip = %s"},
    {DP_THROTTLE_DELETE,
     "DELETE FROM login_throttle WHERE account = %s AND client_ip = %s"},

    {DP_AUDIT_INSERT, DEVPLAT_SQL_AUDIT_INSERT},

    /* rate limits (rate_limit.c): the conditional UPDATE admits exactly
     * count attempts of a window, however many run at once */
    {DP_RATE_HIT,
     "UPDATE rate_limits SET hits = hits + 1 WHERE bucket = %s AND subject = %s "
     "AND window_start = %lld AND hits < %d"},
    {DP_RATE_GET,
     "SELECT hits FROM rate_limits WHERE bucket = %s AND subject = %s "
     "AND window_start = %lld"},
    {DP_RATE_INSERT,
     "INSERT INTO rate_limits (bucket, subject, window_start, expires_at, hits) "
     "VALUES (%s, %s, %lld, %lld, 1)"},

    /* the periodic purge: windows that ended, captchas past their time,
     * codes no cap counts any more (older than a day and expired), and
     * cooldowns older than the cutoff given */
    {DP_PURGE_RATE_LIMITS,
     "DELETE FROM rate_limits WHERE expires_at <= %lld"},
    {DP_PURGE_CAPTCHAS,
     "DELETE FROM captchas WHERE expires_at <= %lld"},
    {DP_PURGE_CODES,
     "DELETE FROM verification_codes WHERE created_at < %lld AND expires_at <= %lld"},
    {DP_PURGE_COOLDOWNS,
     "DELETE FROM code_cooldowns WHERE sent_at < %lld"},
    {NULL, NULL}
};

/* Every family's table. */
static const devplat_statement *const all_tables[] = {
    devplat_sql_auth,
    devplat_sql_accounts,
    devplat_sql_project,
    devplat_sql_credit,
    devplat_sql_mirror,
    devplat_sql_participate,
    devplat_sql_admin,
    devplat_sql_admin_project,
    devplat_sql_admin_audit,
    devplat_sql_upload,
    devplat_sql_profile,
    devplat_sql_mobile,
    devplat_sql_reviews,
    devplat_sql_events,
    devplat_sql_ops,
    devplat_sql_gateway,
    NULL
};

/* Labels of the statements that write (INSERT, UPDATE, DELETE), and every
 * statement by label, built with the configuration (single-threaded) and
 * read-only afterwards. */
static apr_hash_t *writers;
static apr_hash_t *by_label;

static int sql_writes(const char *sql)
{
    while (apr_isspace(*sql)) {
        sql++;
    }
    return !strncasecmp(sql, "INSERT", 6) || !strncasecmp(sql, "UPDATE", 6)
           || !strncasecmp(sql, "DELETE", 6);
}

int devplat_statement_writes(const char *label)
{
    return writers && apr_hash_get(writers, label, APR_HASH_KEY_STRING) != NULL;
}

/* Every family's engine statements. */
static const devplat_engine_statement *const engine_tables[] = {
    devplat_sql_catalogue,
    NULL
};

const char *devplat_engine_statement_sql(const char *label, const char *driver_name)
{
    const devplat_engine_statement *const *table;
    const devplat_engine_statement *st;

    for (table = engine_tables; *table; table++) {
        for (st = *table; st->label; st++) {
            if (strcmp(st->label, label)) {
                continue;
            }
            return !strcmp(driver_name, "sqlite3") ? st->sqlite3
                   : !strcmp(driver_name, "pgsql") ? st->pgsql
                   : !strcmp(driver_name, "mysql") ? st->mysql : NULL;
        }
    }
    return NULL;
}

const char *devplat_statements_prepare(cmd_parms *cmd)
{
    const devplat_engine_statement *const *etable;
    const devplat_engine_statement *est;
    const devplat_statement *const *table;
    const devplat_statement *st;

    /* the connections come from mod_dbd (ap_dbd_open) */
    if (!APR_RETRIEVE_OPTIONAL_FN(ap_dbd_prepare)) {
        return "DevplatApi needs mod_dbd: load it (LoadModule dbd_module, "
               "or a2enmod dbd) before mod_devplat";
    }
    writers = apr_hash_make(cmd->pool);
    by_label = apr_hash_make(cmd->pool);
    for (table = all_tables; *table; table++) {
        for (st = *table; st->label; st++) {
            apr_hash_set(by_label, st->label, APR_HASH_KEY_STRING, st);
            if (sql_writes(st->sql)) {
                apr_hash_set(writers, st->label, APR_HASH_KEY_STRING, st->label);
            }
        }
    }
    /* engine statements: they write, or not, on every engine alike */
    for (etable = engine_tables; *etable; etable++) {
        for (est = *etable; est->label; est++) {
            if (sql_writes(est->sqlite3)) {
                apr_hash_set(writers, est->label, APR_HASH_KEY_STRING, est->label);
            }
        }
    }
    return NULL;
}

const devplat_statement *devplat_statement_find(const char *label)
{
    return by_label ? apr_hash_get(by_label, label, APR_HASH_KEY_STRING) : NULL;
}

void devplat_statements_forget(apr_hash_t *prepared)
{
    const devplat_statement *const *table;
    const devplat_statement *st;

    for (table = all_tables; *table; table++) {
        for (st = *table; st->label; st++) {
            apr_hash_set(prepared, st->label, APR_HASH_KEY_STRING, NULL);
        }
    }
    /* the engine statements are prepared again at their next use */
    {
        const devplat_engine_statement *const *etable;
        const devplat_engine_statement *est;

        for (etable = engine_tables; *etable; etable++) {
            for (est = *etable; est->label; est++) {
                apr_hash_set(prepared, est->label, APR_HASH_KEY_STRING, NULL);
            }
        }
    }
}
