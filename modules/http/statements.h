/* Every SQL statement of mod_devplat, prepared once at configuration time
 * with mod_dbd under a devplat_* label. Portable SQL only: %s / %d / %lld
 * placeholders, no engine-specific syntax. */
#ifndef DEVPLAT_STATEMENTS_H
#define DEVPLAT_STATEMENTS_H

#include "devplat_private.h"
#include "apr_hash.h"
#include "apr_dbd.h"

/* Labels, one per statement (see statements.c for the SQL). */
#define DP_SESSION_INSERT       "devplat_session_insert"
#define DP_SESSION_AUTH         "devplat_session_auth"
#define DP_SESSION_GET          "devplat_session_get"
#define DP_SESSION_REVOKE       "devplat_session_revoke"
#define DP_SESSION_PREDECESSOR  "devplat_session_predecessor"
#define DP_SESSION_ROTATE       "devplat_session_rotate"
#define DP_CODE_INSERT          "devplat_code_insert"
#define DP_CODE_DELETE          "devplat_code_delete"
#define DP_CODE_LATEST          "devplat_code_latest"
#define DP_CODE_COUNT_DEST      "devplat_code_count_dest"
#define DP_CODE_COUNT_IP        "devplat_code_count_ip"
#define DP_CODE_TRY             "devplat_code_try"
#define DP_COOLDOWN_GET         "devplat_cooldown_get"
#define DP_COOLDOWN_CLAIM       "devplat_cooldown_claim"
#define DP_COOLDOWN_INSERT      "devplat_cooldown_insert"
#define DP_COOLDOWN_RESTORE     "devplat_cooldown_restore"
#define DP_CODE_USE             "devplat_code_use"
#define DP_THROTTLE_GET         "devplat_throttle_get"
#define DP_THROTTLE_INSERT      "devplat_throttle_insert"
#define DP_THROTTLE_UPDATE      "devplat_throttle_update"
#define DP_THROTTLE_DELETE      "devplat_throttle_delete"
#define DP_AUDIT_INSERT         "devplat_audit_insert"
#define DP_RATE_HIT             "devplat_rate_hit"
#define DP_RATE_GET             "devplat_rate_get"
#define DP_RATE_INSERT          "devplat_rate_insert"
#define DP_PURGE_RATE_LIMITS    "devplat_purge_rate_limits"
#define DP_PURGE_CAPTCHAS       "devplat_purge_captchas"
#define DP_PURGE_CODES          "devplat_purge_codes"
#define DP_PURGE_COOLDOWNS      "devplat_purge_cooldowns"

typedef struct {
    const char *label;
    const char *sql;
} devplat_statement;

/* One table per endpoint family, each ending with {NULL, NULL}; every table
 * is listed in statements.c. Families keep their SQL beside their code. */
extern const devplat_statement devplat_sql_auth[];     /* statements.c */
extern const devplat_statement devplat_sql_accounts[]; /* accounts.c */
extern const devplat_statement devplat_sql_admin[];    /* api/admin/admin_sql.c */
extern const devplat_statement devplat_sql_admin_project[]; /* api/admin/project_sql.c */
extern const devplat_statement devplat_sql_admin_audit[]; /* api/admin/audit_sql.c */

extern const devplat_statement devplat_sql_project[];  /* api/developer/project.c */
extern const devplat_statement devplat_sql_credit[];   /* api/developer/credit.c */
extern const devplat_statement devplat_sql_mirror[];   /* api/developer/mirror.c */
extern const devplat_statement devplat_sql_participate[]; /* api/developer/participate.c */

/* Forgets every statement of the module a connection had prepared (its
 * prepared hash), so that each is prepared again on first use: after the
 * driver reset the connection (apr_dbd_pgsql's check_conn reconnects with
 * PQreset, which loses the server-side PREPAREs). */
void devplat_statements_forget(apr_hash_t *prepared);

/* The statement of a label, or NULL; db.c prepares it on a connection the
 * first time a request runs it there. */
const devplat_statement *devplat_statement_find(const char *label);
extern const devplat_statement devplat_sql_upload[];   /* upload.c */
extern const devplat_statement devplat_sql_profile[];  /* api/developer/profile_sql.c */
extern const devplat_statement devplat_sql_mobile[];   /* api/mobile/sql.c */
extern const devplat_statement devplat_sql_reviews[];  /* reviews.c */
extern const devplat_statement devplat_sql_ops[];      /* ops.c */
extern const devplat_statement devplat_sql_gateway[];  /* gateway.c */

/* A statement whose SQL really differs by engine (a full-text index):
 * one text per apr_dbd driver, prepared on a connection at its first use
 * (db.c) in the variant of its driver, like every other statement. NULL
 * for pgsql or mysql: the statement is SQLite's alone. */
typedef struct {
    const char *label;
    const char *sqlite3;
    const char *pgsql;
    const char *mysql;
} devplat_engine_statement;

extern const devplat_engine_statement devplat_sql_catalogue[]; /* api/developer/project.c */

/* The SQL of label for driver_name ("sqlite3", "pgsql", "mysql"): NULL when
 * label is no engine statement (or the driver is another). */
const char *devplat_engine_statement_sql(const char *label, const char *driver_name);

/* Indexes every statement by label (see devplat_statement_find); an error
 * string when mod_dbd is not loaded. */
const char *devplat_statements_prepare(cmd_parms *cmd);

/* 1 when the statement of label writes (its SQL is an INSERT, UPDATE or
 * DELETE): on SQLite such a statement takes the writer lock. */
int devplat_statement_writes(const char *label);

#endif
