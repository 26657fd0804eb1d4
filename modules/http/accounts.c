/* The account core (see accounts.h for the rules it owns). Its statements
 * live here, each with the enum of its result columns beside it. */
#include "accounts.h"
#include "hash_gate.h"
#include "account_sql.h"
#include "audit.h"
#include "codes.h"
#include "config.h"
#include "db.h"
#include "events.h"
#include "login_throttle.h"
#include "metrics.h"
#include "statements.h"
#include "email.h"
#include "password.h"
#include "timefmt.h"
#include "validate.h"

#include "apr_atomic.h"

#define DP_ACC_BY_USERNAME      "devplat_acc_by_username"
#define DP_ACC_BY_MOBILE        "devplat_acc_by_mobile"
#define DP_ACC_BY_EMAIL         "devplat_acc_by_email"
#define DP_ACC_PASSWORD         "devplat_acc_password"
#define DP_ACC_TAKEN            "devplat_acc_taken"
#define DP_ACC_INSERT           "devplat_acc_insert"
#define DP_ACC_TOTAL_GENERAL    "devplat_acc_total_general"
#define DP_ACC_TOTAL_DEDICATED  "devplat_acc_total_dedicated"
#define DP_ACC_CONTACTS         "devplat_acc_contacts"
#define DP_ACC_LOCK             "devplat_acc_lock"
#define DP_ACC_BALANCES         "devplat_acc_balances"
#define DP_ACC_CREDIT_KIND      "devplat_acc_credit_kind"
#define DP_ACC_MOBILE_PROVEN    "devplat_acc_mobile_proven"
#define DP_ACC_MOBILE_UNPROVEN  "devplat_acc_mobile_unproven"
#define DP_ACC_MOBILE_RELEASE   "devplat_acc_mobile_release"
#define DP_ACC_EMAIL_PROVEN     "devplat_acc_email_proven"
#define DP_ACC_EMAIL_UNPROVEN   "devplat_acc_email_unproven"
#define DP_ACC_EMAIL_RELEASE    "devplat_acc_email_release"
#define DP_ACC_SET_PASSWORD     "devplat_acc_set_password"
#define DP_ACC_REHASH           "devplat_acc_rehash"
#define DP_ACC_REVOKE           "devplat_acc_revoke"
#define DP_ACC_SET_STATUS       "devplat_acc_set_status"
#define DP_ACC_ADMIN_GUARD      "devplat_acc_admin_guard"
#define DP_ACC_HASH_COSTS       "devplat_acc_hash_costs"
#define DP_ID_GET               "devplat_id_get"
#define DP_ID_TAKEN             "devplat_id_taken"
#define DP_ID_INSERT            "devplat_id_insert"
#define DP_ID_UPDATE            "devplat_id_update"

/* an account as login sees it: the user columns, then these */
#define ACCOUNT_SELECT \
    "SELECT " DEVPLAT_SQL_USER_COLUMNS("u") ", u.password, u.is_admin, " \
    "(SELECT COUNT(*) FROM identity_verifications v WHERE v.user_id = u.id " \
    "AND v.status = " DEVPLAT_S(DEVPLAT_REVIEW_PASSED) ") FROM users u WHERE "
#define NOT_DELETED " AND u.status <> " DEVPLAT_S(DEVPLAT_STATUS_DELETED)
enum { ACC_PASSWORD = DEVPLAT_UCOL_COUNT, ACC_IS_ADMIN, ACC_VERIFIED };

/* the guard of a contact write: the proven value it replaces ("" for
 * none), or NULL for whatever it is */
#define EXPECT(col) " AND COALESCE(" col ", '') = COALESCE(%s, " col ", '')"

enum { CONTACT_MOBILE, CONTACT_EMAIL };                     /* DP_ACC_CONTACTS */
enum { BAL_STATUS, BAL_GENERAL, BAL_DEDICATED };            /* DP_ACC_BALANCES */
enum { COSTS_COST, COSTS_COUNT };                           /* DP_ACC_HASH_COSTS */
enum { TAKEN_USERNAME, TAKEN_MOBILE, TAKEN_EMAIL };         /* DP_ACC_TAKEN */
enum { ID_NAME, ID_TYPE, ID_NUMBER, ID_PICTURE, ID_STATUS, ID_MESSAGE,    /* DP_ID_GET */
       ID_SOURCE };

const devplat_statement devplat_sql_accounts[] = {
    {DP_ACC_BY_USERNAME, ACCOUNT_SELECT "u.username = %s" NOT_DELETED},
    {DP_ACC_BY_MOBILE,   ACCOUNT_SELECT "u.mobile = %s" NOT_DELETED},
    {DP_ACC_BY_EMAIL,    ACCOUNT_SELECT "u.email = %s" NOT_DELETED},
    {DP_ACC_PASSWORD, "SELECT password FROM users WHERE id = %lld"},
    /* deleted accounts keep their values: the rows stay for the audit */
    {DP_ACC_TAKEN,
     "SELECT "
     "(SELECT COUNT(*) FROM users WHERE username = %s AND id <> %lld), "
     "(SELECT COUNT(*) FROM users WHERE mobile = %s AND id <> %lld), "
     "(SELECT COUNT(*) FROM users WHERE email = %s AND id <> %lld)"},
    {DP_ACC_INSERT, DEVPLAT_SQL_USER_INSERT},
    /* a record's kind's total, in the record's transaction */
    {DP_ACC_TOTAL_GENERAL, DEVPLAT_SQL_CREDIT_TOTAL("general_integral")},
    {DP_ACC_TOTAL_DEDICATED, DEVPLAT_SQL_CREDIT_TOTAL("dedicated_integral")},
    {DP_ACC_CONTACTS, "SELECT mobile, email FROM users WHERE id = %lld"},
    {DP_ACC_LOCK, DEVPLAT_SQL_USER_LOCK},
    /* read after the total's UPDATE: PostgreSQL's next statement and
     * InnoDB's first plain read both see what the previous holder of the
     * row committed */
    {DP_ACC_BALANCES,
     "SELECT status, general_integral, dedicated_integral FROM users WHERE id = %lld"},
    {DP_ACC_CREDIT_KIND,
     "INSERT INTO credit_records (user_id, amount, is_positive_growth, dedicated, message, "
     "created_at, updated_at) VALUES (%lld, %lld, %d, %d, %s, %s, %s) RETURNING id"},

    {DP_ACC_MOBILE_PROVEN,
     "UPDATE users SET mobile = %s, updated_at = %s WHERE id = %lld" EXPECT("mobile")},
    {DP_ACC_MOBILE_UNPROVEN,
     "UPDATE users SET mobile = NULL, unverified_mobile = %s, updated_at = %s "
     "WHERE id = %lld" EXPECT("mobile")},
    /* a proven contact is nobody's unverified one any more */
    {DP_ACC_MOBILE_RELEASE,
     "UPDATE users SET unverified_mobile = NULL WHERE unverified_mobile = %s"},
    {DP_ACC_EMAIL_PROVEN,
     "UPDATE users SET email = %s, updated_at = %s WHERE id = %lld" EXPECT("email")},
    {DP_ACC_EMAIL_UNPROVEN,
     "UPDATE users SET email = NULL, unverified_email = %s, updated_at = %s "
     "WHERE id = %lld" EXPECT("email")},
    {DP_ACC_EMAIL_RELEASE,
     "UPDATE users SET unverified_email = NULL WHERE unverified_email = %s"},

    {DP_ACC_SET_PASSWORD, DEVPLAT_SQL_SET_PASSWORD},
    /* the same password at another cost: not a change anyone made */
    {DP_ACC_REHASH, "UPDATE users SET password = %s WHERE id = %lld AND password = %s"},
    {DP_ACC_REVOKE, DEVPLAT_SQL_REVOKE_SESSIONS},
    {DP_ACC_SET_STATUS, DEVPLAT_SQL_SET_STATUS},
    {DP_ACC_ADMIN_GUARD, DEVPLAT_SQL_ADMIN_GUARD},
    /* bcrypt costs of the hashes login can find, commonest first (ties:
     * the higher cost); "$2y$NN$" checked without LIKE's % */
    {DP_ACC_HASH_COSTS,
     "SELECT SUBSTR(password, 5, 2), COUNT(*) FROM users WHERE status <> "
     DEVPLAT_S(DEVPLAT_STATUS_DELETED) " AND SUBSTR(password, 1, 2) = '$2' "
     "AND SUBSTR(password, 4, 1) = '$' AND SUBSTR(password, 7, 1) = '$' "
     "GROUP BY SUBSTR(password, 5, 2) ORDER BY COUNT(*) DESC, 1 DESC"},

    {DP_ID_GET,
     "SELECT actual_name, certificate_type_id, id_number, authenticate_picture, "
     "status, message, source FROM identity_verifications WHERE user_id = %lld"},
    {DP_ID_TAKEN,
     "SELECT COUNT(*) FROM identity_verifications WHERE active_number = %s "
     "AND user_id <> %lld"},
    {DP_ID_INSERT,
     "INSERT INTO identity_verifications (user_id, actual_name, certificate_type_id, "
     "id_number, authenticate_picture, status, message, source, created_at, "
     "updated_at) VALUES (%lld, %s, %lld, %s, %s, %d, '', %s, %s, %s)"},
    {DP_ID_UPDATE,
     "UPDATE identity_verifications SET actual_name = %s, certificate_type_id = %lld, "
     "id_number = %s, authenticate_picture = %s, status = %d, message = '', "
     "source = %s, updated_at = %s WHERE user_id = %lld"},
    {NULL, NULL}
};

static const char *face_name(devplat_req *req)
{
    return devplat_face_name(req->dconf ? req->dconf->face : DEVPLAT_FACE_NONE);
}

static const char *now_text(devplat_req *req)
{
    return devplat_time_pformat(req->r->pool, req->now);
}

/* ---------------------------------------------------------------- login */

int devplat_account_find(devplat_req *req, const char *identifier,
                         devplat_account **out)
{
    const char *label = DP_ACC_BY_USERNAME, *key = identifier;
    devplat_account *a;
    devplat_rows *rows;
    const char **row;

    if (devplat_is_mobile(identifier)) {
        label = DP_ACC_BY_MOBILE;
    }
    else if (strchr(identifier, '@')) {
        label = DP_ACC_BY_EMAIL;
        key = devplat_email_normalize(req->r->pool, identifier);
    }
    if (devplat_db_select(req, label, &rows, 1, key) != APR_SUCCESS) {
        return -1;
    }
    if (rows->nrows != 1) {
        return 0;
    }
    row = rows->rows[0];
    a = apr_pcalloc(req->r->pool, sizeof(*a));
    a->user = *devplat_user_from_row(req->r, row, 0);
    a->password = row[ACC_PASSWORD];
    a->is_admin = devplat_atoi64(row[ACC_IS_ADMIN]) != 0;
    a->verified = devplat_atoi64(row[ACC_VERIFIED]) > 0;
    *out = a;
    return 1;
}

/* One throttle bucket per account, whichever identifier was typed; names
 * that match nobody are counted as typed. */
static const char *throttle_key(devplat_req *req, apr_int64_t id, const char *typed)
{
    return id ? apr_psprintf(req->r->pool, "#user:%" APR_INT64_T_FMT, id) : typed;
}

/* The cost of the dummy verification of a name that matches no account:
 * the commonest cost among the stored hashes, not DevplatBcryptCost
 * blindly. A hash keeps its cost until its first login (an imported
 * Laravel $2y$10$, devplat-admin's), so right after an import or a change
 * of DevplatBcryptCost most accounts may cost another amount than the
 * directive says, and an unknown name must cost what most known ones do.
 * Each child learns it on first use and again every
 * DevplatDummyCostRefresh seconds (one grouped read of users); the process
 * keeps it, so every server of one httpd is meant to share one database.
 * No stored hash, or a failed read on the first try: DevplatBcryptCost. */
static apr_uint32_t dummy_cost_value;       /* 0 until learned */
static apr_uint32_t dummy_cost_until;       /* when it is learned again (s) */

static int cost_of_text(const char *s)
{
    int c;

    if (!s || !apr_isdigit(s[0]) || !apr_isdigit(s[1]) || s[2]) {
        return 0;
    }
    c = (s[0] - '0') * 10 + (s[1] - '0');
    return c >= DEVPLAT_BCRYPT_COST_MIN && c <= DEVPLAT_BCRYPT_COST_MAX ? c : 0;
}

static int dummy_cost(devplat_req *req)
{
    int known = (int)apr_atomic_read32(&dummy_cost_value), cost = 0, i;
    apr_int64_t n = 0;
    devplat_rows *rows;

    if (known && req->now < (apr_int64_t)apr_atomic_read32(&dummy_cost_until)) {
        return known;
    }
    if (devplat_db_select(req, DP_ACC_HASH_COSTS, &rows, 0) != APR_SUCCESS) {
        return known ? known : req->sconf->bcrypt_cost;    /* again next time */
    }
    for (i = 0; i < rows->nrows && !cost; i++) {
        cost = cost_of_text(rows->rows[i][COSTS_COST]);
        n = devplat_atoi64(rows->rows[i][COSTS_COUNT]);
    }
    if (!cost) {
        cost = req->sconf->bcrypt_cost;
    }
    apr_atomic_set32(&dummy_cost_until,
                     (apr_uint32_t)(req->now + req->sconf->dummy_cost_refresh));
    if (cost != known) {
        apr_atomic_set32(&dummy_cost_value, (apr_uint32_t)cost);
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, req->r->server, "unknown login names now "
                     "cost a bcrypt verification at cost %d (%s)", cost,
                     n ? apr_psprintf(req->r->pool, "the cost of %" APR_INT64_T_FMT
                                      " stored hashes, the commonest", n)
                       : "DevplatBcryptCost: no stored hash");
    }
    return cost;
}

/* A hash of another cost (devplat-admin's, an imported Laravel one) is
 * made again at DevplatBcryptCost on the first login that proves the
 * password, so every account costs the same to log in and the dummy
 * verification of an unknown name matches them. Best effort: the login
 * stands when the write fails. */
static void rehash(devplat_req *req, devplat_account *a, const char *password)
{
    const char *hash;

    if (devplat_password_cost(a->password) == req->sconf->bcrypt_cost
        || !(hash = devplat_account_hash(req, password))) {
        return;
    }
    /* conditional: a concurrent password change wins */
    if (devplat_db_exec(req, DP_ACC_REHASH, NULL, 3, hash, devplat_i64(req, a->user.id),
                        a->password) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, req->r, "rehashing the password of "
                      "user %" APR_INT64_T_FMT " failed", a->user.id);
        return;
    }
    a->password = hash;
}

/* Seconds the login must still wait, 0 none, -1 the database failed. An
 * address locked for guessing names is locked for every name, or the lock
 * would tell which names exist. */
static apr_int64_t login_wait(devplat_req *req, const char *key)
{
    apr_int64_t wait = devplat_login_throttle_wait(req, DEVPLAT_THROTTLE_UNKNOWN);

    return wait == 0 ? devplat_login_throttle_wait(req, key) : wait;
}

static devplat_result login_locked(apr_int64_t wait, apr_int64_t *retry_after)
{
    if (wait < 0) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    *retry_after = wait;
    return DEVPLAT_R_LOCKED;
}

static devplat_result login(devplat_req *req, const char *identifier,
                            const char *password, devplat_account **out,
                            devplat_token *tok, apr_int64_t *retry_after)
{
    devplat_account *a = NULL;
    const char *key;
    apr_int64_t wait;
    apr_time_t started;
    int found = devplat_account_find(req, identifier, &a), verified, cost, turn;

    if (found < 0) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    key = throttle_key(req, found ? a->user.id : 0, identifier);
    if ((wait = login_wait(req, key)) != 0) {
        return login_locked(wait, retry_after);
    }
    /* a turn at bcrypt first: a full gate answers 503 and counts nothing;
     * no connection is held while waiting for it or hashing */
    devplat_db_release(req);
    if (!(turn = devplat_hash_gate_enter(req))) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    /* a flood locked the pair while this request queued: no bcrypt for it */
    if (turn == DEVPLAT_GATE_WAITED && (wait = login_wait(req, key)) != 0) {
        devplat_hash_gate_leave(req);
        return login_locked(wait, retry_after);
    }
    /* the attempt is counted before the password is checked and forgotten
     * when it was right: an attempt that cannot be counted checks nothing */
    if (devplat_login_throttle_fail(req, key) < 0
        || (!found && devplat_login_throttle_fail_unknown(req) < 0)) {
        devplat_hash_gate_leave(req);
        return DEVPLAT_R_UNAVAILABLE;
    }
    cost = found ? req->sconf->bcrypt_cost : dummy_cost(req);
    devplat_db_release(req);
    /* an unknown identifier costs the same bcrypt verification as a known one */
    started = apr_time_now();
    verified = devplat_password_verify(req->r->pool, password, found ? a->password : NULL,
                                       cost);
    devplat_metrics_bcrypt(DEVPLAT_BCRYPT_VERIFY, started);
    devplat_hash_gate_leave(req);
    if (!verified) {
        devplat_audit(req, found ? a->user.id : 0, "login_failed",
                      devplat_audit_name(req, identifier));
        return DEVPLAT_R_WRONG;
    }
    devplat_login_throttle_clear(req, key);
    if (a->user.status == DEVPLAT_STATUS_FROZEN) {
        devplat_audit(req, a->user.id, "login_failed", "frozen");
        return DEVPLAT_R_FROZEN;
    }
    rehash(req, a, password);
    if (devplat_session_issue(req, a->user.id, req->now, tok) != APR_SUCCESS) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    devplat_audit(req, a->user.id, "login", face_name(req));
    *out = a;
    return DEVPLAT_R_OK;
}

devplat_result devplat_account_login(devplat_req *req, const char *identifier,
                                     const char *password, devplat_account **out,
                                     devplat_token *tok, apr_int64_t *retry_after)
{
    devplat_result res = login(req, identifier, password, out, tok, retry_after);

    devplat_metrics_login(req, res == DEVPLAT_R_OK ? DEVPLAT_LOGIN_OK
                               : res == DEVPLAT_R_WRONG || res == DEVPLAT_R_FROZEN
                                 ? DEVPLAT_LOGIN_FAILED
                               : res == DEVPLAT_R_LOCKED ? DEVPLAT_LOGIN_THROTTLED
                               : DEVPLAT_LOGIN_ERROR);
    return res;
}

devplat_result devplat_account_check_password(devplat_req *req, const char *password,
                                              const char *failed_action,
                                              apr_int64_t *retry_after)
{
    const char *key = throttle_key(req, req->user->id, NULL);
    devplat_rows *rows;
    apr_int64_t wait;
    apr_time_t started;
    int verified;

    if ((wait = devplat_login_throttle_wait(req, key)) < 0) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    if (wait > 0) {
        *retry_after = wait;
        return DEVPLAT_R_LOCKED;
    }
    devplat_db_release(req);
    if (!devplat_hash_gate_enter(req)) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    if (devplat_db_select(req, DP_ACC_PASSWORD, &rows, 1, devplat_i64(req, req->user->id))
        != APR_SUCCESS || devplat_login_throttle_fail(req, key) < 0) {
        devplat_hash_gate_leave(req);
        return DEVPLAT_R_UNAVAILABLE;       /* fails closed, as login does */
    }
    devplat_db_release(req);
    started = apr_time_now();
    verified = devplat_password_verify(req->r->pool, password,
                                       rows->nrows == 1 ? rows->rows[0][0] : NULL,
                                       req->sconf->bcrypt_cost);
    devplat_metrics_bcrypt(DEVPLAT_BCRYPT_VERIFY, started);
    devplat_hash_gate_leave(req);
    if (!verified) {
        devplat_audit(req, req->user->id, failed_action, face_name(req));
        return DEVPLAT_R_WRONG;
    }
    devplat_login_throttle_clear(req, key);
    return DEVPLAT_R_OK;
}

void devplat_account_unlock(devplat_req *req, apr_int64_t id)
{
    devplat_login_throttle_clear(req, throttle_key(req, id, NULL));
}

const char *devplat_account_hash(devplat_req *req, const char *password)
{
    const char *hash;
    apr_time_t started;

    devplat_db_release(req);
    if (!devplat_hash_gate_enter(req)) {
        return NULL;
    }
    started = apr_time_now();
    hash = devplat_password_hash(req->r->pool, password, req->sconf->bcrypt_cost);
    devplat_metrics_bcrypt(DEVPLAT_BCRYPT_HASH, started);
    devplat_hash_gate_leave(req);
    if (!hash) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, "bcrypt hashing failed");
    }
    return hash;
}

/* ---------------------------------------------------------------- creation */

int devplat_account_taken(devplat_req *req, const char *username, const char *mobile,
                          const char *email, apr_int64_t self, devplat_taken *t)
{
    const char *id = devplat_i64(req, self);
    devplat_rows *rows;

    memset(t, 0, sizeof(*t));
    if (email) {
        email = devplat_email_normalize(req->r->pool, email);
    }
    if (devplat_db_select(req, DP_ACC_TAKEN, &rows, 6, username, id, mobile, id,
                          email, id) != APR_SUCCESS || rows->nrows != 1) {
        return -1;
    }
    t->username = username && devplat_atoi64(rows->rows[0][TAKEN_USERNAME]) > 0;
    t->mobile = mobile && devplat_atoi64(rows->rows[0][TAKEN_MOBILE]) > 0;
    t->email = email && devplat_atoi64(rows->rows[0][TAKEN_EMAIL]) > 0;
    return t->username + t->mobile + t->email;
}

/* A credit record and its kind's total, inside the caller's transaction:
 * the total first (it takes the user's row lock and refuses a total below
 * 0 or a deleted user: DEVPLAT_R_CONFLICT, nothing written), then the
 * record. The caller rolls back whatever is not DEVPLAT_R_OK. */
static devplat_result credit_write(devplat_req *req, apr_int64_t id, apr_int64_t amount,
                                   int dedicated, const char *message, const char *at,
                                   apr_int64_t *record_id)
{
    const char *uid = devplat_i64(req, id), *change = devplat_i64(req, amount);
    devplat_rows *rows;
    int n = 0;

    if (devplat_db_exec(req, dedicated ? DP_ACC_TOTAL_DEDICATED : DP_ACC_TOTAL_GENERAL,
                        &n, 3, change, uid, change) != APR_SUCCESS) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    if (n != 1) {
        return DEVPLAT_R_CONFLICT;
    }
    if (devplat_db_select(req, DP_ACC_CREDIT_KIND, &rows, 7, uid,
                          devplat_i64(req, amount < 0 ? -amount : amount),
                          amount < 0 ? "0" : "1", dedicated ? "1" : "0", message,
                          at, at) != APR_SUCCESS
        || rows->nrows != 1) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    *record_id = devplat_atoi64(devplat_cell(rows, 0, 0));
    return DEVPLAT_R_OK;
}

apr_status_t devplat_account_credit(devplat_req *req, apr_int64_t id, apr_int64_t amount,
                                    const char *message)
{
    apr_int64_t record;

    return credit_write(req, id, amount, 0, message, now_text(req), &record)
           == DEVPLAT_R_OK ? APR_SUCCESS : APR_EGENERAL;
}

apr_status_t devplat_account_lock(devplat_req *req, apr_int64_t id)
{
    return devplat_db_exec(req, DP_ACC_LOCK, NULL, 1, devplat_i64(req, id));
}

/* "-30 general, record 12: "reason" by 7": the change, the record that
 * holds the whole reason, and the administrator, within the column. */
static const char *credit_detail(devplat_req *req, apr_int64_t amount, int dedicated,
                                 apr_int64_t record, const char *message)
{
    apr_pool_t *p = req->r->pool;
    const char *head = apr_psprintf(p, "%+" APR_INT64_T_FMT " %s, record %" APR_INT64_T_FMT
                                    ": ", amount, dedicated ? "dedicated" : "general",
                                    record);
    const char *tail = apr_psprintf(p, " by %" APR_INT64_T_FMT,
                                    req->user ? req->user->id : 0);
    apr_size_t room = DEVPLAT_AUDIT_DETAIL_MAX - strlen(head) - strlen(tail);

    return apr_pstrcat(p, head, devplat_utf8_quote(p, message, room), tail, NULL);
}

/* The change inside its transaction: the record and its total
 * (credit_write, which takes the user's row lock), then the balances as
 * they are now, then the audit row. Refused: the balances the change met.
 * The caller rolls back whatever is not DEVPLAT_R_OK. */
static devplat_result credit_locked(devplat_req *req, apr_int64_t id, apr_int64_t amount,
                                    int dedicated, const char *message,
                                    devplat_credit_change *out)
{
    devplat_result res = credit_write(req, id, amount, dedicated, message,
                                      out->created_at, &out->record_id);
    devplat_rows *rows;
    const char **row;

    if (res == DEVPLAT_R_UNAVAILABLE
        || devplat_db_select(req, DP_ACC_BALANCES, &rows, 1, devplat_i64(req, id))
           != APR_SUCCESS) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    if (rows->nrows != 1
        || devplat_atoi64(rows->rows[0][BAL_STATUS]) == DEVPLAT_STATUS_DELETED) {
        return DEVPLAT_R_WRONG;
    }
    row = rows->rows[0];
    out->general = devplat_atoi64(row[BAL_GENERAL]);
    out->dedicated = devplat_atoi64(row[BAL_DEDICATED]);
    if (res != DEVPLAT_R_OK) {
        return res;                 /* the kind's balance is below the deduction */
    }
    if (devplat_audit(req, id, "credit_change",
                      credit_detail(req, amount, dedicated, out->record_id, message))
        != APR_SUCCESS) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    return DEVPLAT_R_OK;
}

devplat_result devplat_account_credit_change(devplat_req *req, apr_int64_t id,
                                             apr_int64_t amount, int dedicated,
                                             const char *message,
                                             devplat_credit_change *out)
{
    devplat_result res;

    memset(out, 0, sizeof(*out));
    out->created_at = now_text(req);
    if (devplat_db_begin(req) != APR_SUCCESS) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    if ((res = credit_locked(req, id, amount, dedicated, message, out)) != DEVPLAT_R_OK) {
        devplat_db_rollback(req);
    }
    if (devplat_db_end(req) != APR_SUCCESS && res == DEVPLAT_R_OK) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    return res;
}

/* When a failed commit was a concurrent request taking a unique value. */
static devplat_result why_failed(devplat_req *req, const char *username,
                                 const char *mobile, const char *email, apr_int64_t self,
                                 devplat_taken *taken)
{
    devplat_taken scratch;
    int n = devplat_account_taken(req, username, mobile, email, self,
                                  taken ? taken : &scratch);

    return n > 0 ? DEVPLAT_R_TAKEN : n < 0 ? DEVPLAT_R_UNAVAILABLE : DEVPLAT_R_FAILED;
}

/* user.registered: who, with which status and proven mobile ("" none) */
static apr_status_t registered_event(devplat_req *req, apr_int64_t id,
                                     const devplat_account_new *n)
{
    json_object *d = devplat_event_data(req, id);

    json_object_object_add(d, "username", json_object_new_string(n->username));
    json_object_object_add(d, "status", json_object_new_int(n->status));
    json_object_object_add(d, "mobile", json_object_new_string(n->mobile ? n->mobile : ""));
    return devplat_event(req, DEVPLAT_EVENT_REGISTERED, id, d);
}

devplat_result devplat_account_create(devplat_req *req, const devplat_account_new *n,
                                      devplat_account_step also, void *ctx,
                                      apr_int64_t *id, devplat_taken *taken)
{
    const char *now = now_text(req);
    devplat_rows *rows = NULL;
    int spent = 1;

    *id = 0;
    if (devplat_db_begin(req) != APR_SUCCESS) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    if (devplat_db_select(req, DP_ACC_INSERT, &rows, 13, n->username, n->password_hash,
                          n->mobile, n->unverified_mobile,
                          n->unverified_email
                          ? devplat_email_normalize(req->r->pool, n->unverified_email) : NULL,
                          n->name, n->position, n->registration_id, n->uuid,
                          apr_itoa(req->r->pool, n->status), "0", now, now) == APR_SUCCESS
        && rows->nrows == 1) {
        *id = devplat_atoi64(devplat_cell(rows, 0, 0));
    }
    /* user, first credits, audit row, released contact, spent code and the
     * face's own step: all or nothing */
    if (*id <= 0
        || devplat_account_credit(req, *id, req->sconf->register_credit,
                                  DEVPLAT_CREDIT_REGISTER) != APR_SUCCESS
        || devplat_audit(req, *id, "register", face_name(req)) != APR_SUCCESS
        || registered_event(req, *id, n) != APR_SUCCESS
        || (n->mobile && devplat_db_exec(req, DP_ACC_MOBILE_RELEASE, NULL, 1, n->mobile)
                         != APR_SUCCESS)
        || (n->proof_code && !(spent = devplat_code_spend(req, n->proof_code)))
        || (also && also(req, *id, ctx) != APR_SUCCESS)) {
        devplat_db_rollback(req);
    }
    if (devplat_db_end(req) == APR_SUCCESS) {
        return DEVPLAT_R_OK;
    }
    *id = 0;
    if (!spent) {
        return DEVPLAT_R_CODE;
    }
    /* most likely a concurrent registration took the name or a contact */
    return why_failed(req, n->username, n->mobile, NULL, 0, taken);
}

/* ---------------------------------------------------------------- contacts */

int devplat_account_contacts(devplat_req *req, apr_int64_t id, const char **mobile,
                             const char **email)
{
    devplat_rows *rows;
    const char **row;

    *mobile = *email = NULL;
    if (devplat_db_select(req, DP_ACC_CONTACTS, &rows, 1, devplat_i64(req, id))
        != APR_SUCCESS) {
        return -1;
    }
    if (rows->nrows != 1) {
        return 0;
    }
    row = rows->rows[0];
    *mobile = row[CONTACT_MOBILE] && *row[CONTACT_MOBILE] ? row[CONTACT_MOBILE] : NULL;
    *email = row[CONTACT_EMAIL] && *row[CONTACT_EMAIL] ? row[CONTACT_EMAIL] : NULL;
    return 1;
}

/* Writes one contact; *applied is 0 when the guard (expect) refused it. */
static apr_status_t write_contact(devplat_req *req, apr_int64_t id, devplat_contact kind,
                                  const char *value, int proven, const char *expect,
                                  int *applied)
{
    int email = kind == DEVPLAT_CONTACT_EMAIL, n = 0;
    const char *label = email ? (proven ? DP_ACC_EMAIL_PROVEN : DP_ACC_EMAIL_UNPROVEN)
                              : (proven ? DP_ACC_MOBILE_PROVEN : DP_ACC_MOBILE_UNPROVEN);
    const char *mobile, *mail, *current;
    int found;

    if (value && email) {
        value = devplat_email_normalize(req->r->pool, value);
    }
    if (devplat_db_exec(req, label, &n, 4, value, now_text(req), devplat_i64(req, id),
                        expect) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    *applied = n == 1;
    if (!*applied) {
        /* MariaDB counts changed rows only: the values may already be these
         * (an unguarded unverified write, or the proven value itself) */
        if ((found = devplat_account_contacts(req, id, &mobile, &mail)) < 0) {
            return APR_EGENERAL;
        }
        current = email ? mail : mobile;
        *applied = found && (proven ? value && current && !strcmp(current, value) : !expect);
    }
    if (*applied && proven && value) {
        return devplat_db_exec(req, email ? DP_ACC_EMAIL_RELEASE : DP_ACC_MOBILE_RELEASE,
                               NULL, 1, value);
    }
    return APR_SUCCESS;
}

apr_status_t devplat_account_write_contact(devplat_req *req, apr_int64_t id,
                                           devplat_contact kind, const char *value,
                                           int proven)
{
    int applied = 0;
    apr_status_t rv = write_contact(req, id, kind, value, proven, NULL, &applied);

    return rv == APR_SUCCESS && !applied ? APR_EGENERAL : rv;
}

apr_status_t devplat_account_contact_event(devplat_req *req, apr_int64_t id,
                                           devplat_contact kind, const char *value,
                                           int proven)
{
    json_object *d = devplat_event_data(req, id);

    if (value && kind == DEVPLAT_CONTACT_EMAIL) {
        value = devplat_email_normalize(req->r->pool, value);
    }
    json_object_object_add(d, "contact", json_object_new_string(
        kind == DEVPLAT_CONTACT_EMAIL ? "email" : "mobile"));
    json_object_object_add(d, "value", json_object_new_string(value ? value : ""));
    json_object_object_add(d, "verified", json_object_new_boolean(proven && value));
    return devplat_event(req, DEVPLAT_EVENT_CONTACT_CHANGED, id, d);
}

devplat_result devplat_account_change_contact(devplat_req *req, apr_int64_t id,
                                              const devplat_contact_change *c,
                                              int *bad_code)
{
    int applied = 0, spent = 1, i;

    *bad_code = -1;
    if (devplat_db_begin(req) != APR_SUCCESS) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    if (write_contact(req, id, c->kind, c->value, c->proven, c->expect, &applied)
        != APR_SUCCESS || !applied) {
        devplat_db_rollback(req);
    }
    else if ((c->revoke_sessions
              && devplat_account_revoke_sessions(req, id, NULL) != APR_SUCCESS)
             || devplat_audit(req, id, c->action, c->detail) != APR_SUCCESS
             || devplat_account_contact_event(req, id, c->kind, c->value, c->proven)
                != APR_SUCCESS) {
        devplat_db_rollback(req);
    }
    else {
        for (i = 0; i < c->ncodes && spent; i++) {
            if (!(spent = devplat_code_spend(req, c->codes[i]))) {
                *bad_code = i;
                devplat_db_rollback(req);
            }
        }
    }
    if (devplat_db_end(req) == APR_SUCCESS) {
        return DEVPLAT_R_OK;
    }
    if (!spent) {
        return DEVPLAT_R_CODE;
    }
    if (!applied) {
        return DEVPLAT_R_CONFLICT;
    }
    if (c->proven) {
        return why_failed(req, NULL, c->kind == DEVPLAT_CONTACT_MOBILE ? c->value : NULL,
                          c->kind == DEVPLAT_CONTACT_EMAIL ? c->value : NULL, id, NULL);
    }
    return DEVPLAT_R_FAILED;
}

/* ---------------------------------------------------------------- password */

apr_status_t devplat_account_revoke_sessions(devplat_req *req, apr_int64_t id,
                                             const char *keep_jti)
{
    const char *now = devplat_i64(req, req->now);

    return devplat_db_exec(req, DP_ACC_REVOKE, NULL, 4, now, devplat_i64(req, id),
                           keep_jti ? keep_jti : "", now);
}

/* password.changed, with the audit action as its reason (password_change,
 * password_reset) */
static apr_status_t password_event(devplat_req *req, apr_int64_t id, const char *action)
{
    json_object *d = devplat_event_data(req, id);

    json_object_object_add(d, "reason", json_object_new_string(action));
    return devplat_event(req, DEVPLAT_EVENT_PASSWORD_CHANGED, id, d);
}

devplat_result devplat_account_set_password(devplat_req *req, apr_int64_t id,
                                            const char *hash, const char *keep_jti,
                                            apr_int64_t code_id, const char *action,
                                            const char *detail)
{
    int spent = 1;

    if (devplat_db_begin(req) != APR_SUCCESS) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    /* a statement that fails marks the transaction; end() rolls it back */
    if (devplat_db_exec(req, DP_ACC_SET_PASSWORD, NULL, 3, hash, now_text(req),
                        devplat_i64(req, id)) != APR_SUCCESS
        || devplat_account_revoke_sessions(req, id, keep_jti) != APR_SUCCESS
        || devplat_audit(req, id, action, detail) != APR_SUCCESS
        || password_event(req, id, action) != APR_SUCCESS
        || (code_id && !(spent = devplat_code_spend(req, code_id)))) {
        devplat_db_rollback(req);
    }
    if (devplat_db_end(req) != APR_SUCCESS) {
        return spent ? DEVPLAT_R_FAILED : DEVPLAT_R_CODE;
    }
    return DEVPLAT_R_OK;
}

/* ---------------------------------------------------------------- status */

apr_status_t devplat_account_write_status(devplat_req *req, apr_int64_t id, int from_mask,
                                          int to, int *changed)
{
    int guard = to == DEVPLAT_STATUS_FROZEN || to == DEVPLAT_STATUS_DELETED, n = 0;

    *changed = 0;
    /* changes that can take an administrator queue on the guard row first
     * (see DEVPLAT_SQL_ADMIN_GUARD): the count below is then current */
    if (guard && (devplat_db_exec(req, DP_ACC_ADMIN_GUARD, &n, 0) != APR_SUCCESS
                  || n != 1)) {
        if (n != 1) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, "the administrators' guard "
                          "row is missing (sql/<engine>/053_admin_guard.sql)");
        }
        return APR_EGENERAL;
    }
    return devplat_db_exec(req, DP_ACC_SET_STATUS, changed, 5, apr_itoa(req->r->pool, to),
                           now_text(req), devplat_i64(req, id),
                           apr_itoa(req->r->pool, from_mask), guard ? "1" : "0");
}

/* user.frozen, user.unfrozen (frozen to normal) and user.deleted; other
 * moves (an approved account) tell nothing */
static apr_status_t status_event(devplat_req *req, apr_int64_t id, int from_mask, int to)
{
    const char *type = to == DEVPLAT_STATUS_FROZEN ? DEVPLAT_EVENT_FROZEN
                       : to == DEVPLAT_STATUS_DELETED ? DEVPLAT_EVENT_DELETED
                       : to == DEVPLAT_STATUS_NORMAL
                         && from_mask == DEVPLAT_FROM(DEVPLAT_STATUS_FROZEN)
                         ? DEVPLAT_EVENT_UNFROZEN : NULL;

    return type ? devplat_event(req, type, id, devplat_event_data(req, id)) : APR_SUCCESS;
}

devplat_result devplat_account_set_status(devplat_req *req, apr_int64_t id, int from_mask,
                                          int to, const char *action, const char *verb)
{
    int changed = 0;

    if (devplat_db_begin(req) != APR_SUCCESS) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    /* the row, every session and the audit entry change together */
    if (devplat_account_write_status(req, id, from_mask, to, &changed) == APR_SUCCESS
        && changed == 1) {
        /* a frozen account's tokens stop at the status check and work again
         * when it is unfrozen; a deleted account's sessions end for good */
        if ((to == DEVPLAT_STATUS_DELETED
             && devplat_account_revoke_sessions(req, id, NULL) != APR_SUCCESS)
            || devplat_audit(req, id, action,
                             apr_psprintf(req->r->pool, "%s%sby %" APR_INT64_T_FMT,
                                          verb ? verb : "", verb ? " " : "",
                                          req->user ? req->user->id : 0)) != APR_SUCCESS
            || status_event(req, id, from_mask, to) != APR_SUCCESS) {
            devplat_db_rollback(req);
        }
    }
    if (devplat_db_end(req) != APR_SUCCESS) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    return changed == 1 ? DEVPLAT_R_OK : DEVPLAT_R_CONFLICT;
}

/* ---------------------------------------------------------------- identity */

int devplat_identity_taken(devplat_req *req, const char *number, apr_int64_t self)
{
    devplat_rows *rows;

    if (devplat_db_select(req, DP_ID_TAKEN, &rows, 2, number, devplat_i64(req, self))
        != APR_SUCCESS || rows->nrows != 1) {
        return -1;
    }
    return devplat_atoi64(devplat_cell(rows, 0, 0)) > 0;
}

int devplat_identity_get(devplat_req *req, apr_int64_t user_id, devplat_identity **out)
{
    devplat_identity *v;
    devplat_rows *rows;
    const char **row;

    if (devplat_db_select(req, DP_ID_GET, &rows, 1, devplat_i64(req, user_id))
        != APR_SUCCESS) {
        return -1;
    }
    if (rows->nrows != 1) {
        return 0;
    }
    row = rows->rows[0];
    v = apr_pcalloc(req->r->pool, sizeof(*v));
    v->actual_name = row[ID_NAME] ? row[ID_NAME] : "";
    v->certificate_type_id = devplat_atoi64(row[ID_TYPE]);
    v->id_number = row[ID_NUMBER] ? row[ID_NUMBER] : "";
    v->picture = row[ID_PICTURE] ? row[ID_PICTURE] : "";
    v->status = (int)devplat_atoi64(row[ID_STATUS]);
    v->message = row[ID_MESSAGE] ? row[ID_MESSAGE] : "";
    v->source = row[ID_SOURCE] ? row[ID_SOURCE] : "";
    *out = v;
    return 1;
}

apr_status_t devplat_identity_write(devplat_req *req, apr_int64_t user_id,
                                    const devplat_identity *in)
{
    devplat_identity *current;
    const char *now = now_text(req), *uid = devplat_i64(req, user_id);
    const char *type = devplat_i64(req, in->certificate_type_id);
    const char *status = apr_itoa(req->r->pool, in->status);
    int have = devplat_identity_get(req, user_id, &current);

    if (have < 0) {
        return APR_EGENERAL;
    }
    if (have) {
        return devplat_db_exec(req, DP_ID_UPDATE, NULL, 8, in->actual_name, type,
                               in->id_number, in->picture, status, in->source, now, uid);
    }
    return devplat_db_exec(req, DP_ID_INSERT, NULL, 9, uid, in->actual_name, type,
                           in->id_number, in->picture, status, in->source, now, now);
}
