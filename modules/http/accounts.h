/* The account core: the one owner of every identity rule. Faces (and
 * devplat-admin, through account_sql.h) never write users, sessions, credit
 * records or identity verifications themselves; they call these.
 *
 * The rules, once:
 * - A proven contact (users.mobile / users.email, proved by a code) blocks
 *   every other account and is a login identifier; an unverified one
 *   (users.unverified_*, recorded by the admin face) does neither, and goes
 *   from every account the moment somebody proves it.
 * - E-mail addresses are stored normalised (devplat_email_normalize): the
 *   unique index is then unique ignoring ASCII case.
 * - A username never has the form of a mobile number (devplat_is_username;
 *   a trigger or CHECK refuses it in the database too), so an identifier
 *   resolves by its form to one account or none.
 * - The login throttle keys on the resolved account, so every identifier of
 *   an account shares one bucket on every face.
 * - One identity verification per account, one account per ID number. */
#ifndef DEVPLAT_ACCOUNTS_H
#define DEVPLAT_ACCOUNTS_H

#include "devplat_private.h"
#include "session.h"
#include "vocab.h"

/* The result convention of the core's operations. */
typedef enum {
    DEVPLAT_R_OK = 0,
    DEVPLAT_R_UNAVAILABLE,  /* the database failed (logged): 503 */
    DEVPLAT_R_FAILED,       /* the server failed otherwise (logged): 500 */
    DEVPLAT_R_TAKEN,        /* a unique value belongs to another account */
    DEVPLAT_R_CODE,         /* a verification code was spent meanwhile */
    DEVPLAT_R_CONFLICT,     /* the row is not in a state that allows it */
    DEVPLAT_R_WRONG,        /* unknown identifier or wrong password */
    DEVPLAT_R_LOCKED,       /* the login throttle: retry later */
    DEVPLAT_R_FROZEN,       /* right password, frozen account */
    DEVPLAT_R_OWN           /* the signed-in user may not do it to their own row */
} devplat_result;

/* An account as login and the faces need it. */
typedef struct {
    devplat_user user;          /* id, username, avatar, level, status, ... */
    const char *password;       /* the stored hash */
    int is_admin;
    int verified;               /* its identity verification has passed */
} devplat_account;

/* Which of a username, a proven mobile and an e-mail another account has. */
typedef struct {
    int username;
    int mobile;
    int email;
} devplat_taken;

/* ---------------------------------------------------------------- login */

/* The account an identifier names: a mobile number by proven mobile, an
 * address with '@' by proven e-mail (any case), anything else by username.
 * Deleted accounts are nobody. 1 with *out, 0 none, -1 the database failed. */
int devplat_account_find(devplat_req *req, const char *identifier,
                         devplat_account **out);

/* One login on any face: throttle, password (an unknown identifier costs the
 * same bcrypt), status, session and audit. DEVPLAT_R_OK with *out and *tok;
 * DEVPLAT_R_LOCKED with *retry_after; WRONG, FROZEN, UNAVAILABLE, FAILED. */
devplat_result devplat_account_login(devplat_req *req, const char *identifier,
                                     const char *password, devplat_account **out,
                                     devplat_token *tok, apr_int64_t *retry_after);

/* Checks the signed-in user's password under the login throttle of the
 * account (a wrong one counts like a failed login and is audited as
 * failed_action): OK, WRONG, LOCKED (*retry_after), UNAVAILABLE. */
devplat_result devplat_account_check_password(devplat_req *req, const char *password,
                                              const char *failed_action,
                                              apr_int64_t *retry_after);

/* Forgets the account's failed logins (a password reset unlocks it). */
void devplat_account_unlock(devplat_req *req, apr_int64_t id);

/* ---------------------------------------------------------------- creation */

typedef struct {
    const char *username;           /* devplat_is_username() */
    const char *password_hash;
    const char *mobile;             /* proven by proof_code, or NULL */
    const char *unverified_mobile;  /* recorded without proof, or NULL */
    const char *unverified_email;
    const char *name;               /* admin face: 姓名, 职务 */
    const char *position;
    const char *registration_id;    /* mobile face: push id and device id */
    const char *uuid;
    int status;                     /* DEVPLAT_STATUS_* */
    apr_int64_t proof_code;         /* a checked code to spend, 0 for none */
} devplat_account_new;

/* More work inside the creating transaction (store the avatar, issue the
 * session, ...); a failure rolls the account back. */
typedef apr_status_t (*devplat_account_step)(devplat_req *req, apr_int64_t id, void *ctx);

/* Creates an account with its first credits and audit row, all or nothing:
 * OK with *id; TAKEN (with *taken) when a concurrent request took the name
 * or a contact; CODE when the proof was spent meanwhile; UNAVAILABLE,
 * FAILED. */
devplat_result devplat_account_create(devplat_req *req, const devplat_account_new *n,
                                      devplat_account_step also, void *ctx,
                                      apr_int64_t *id, devplat_taken *taken);

/* Fills *t for values that belong to an account other than self (0: any);
 * NULL values match nobody, the e-mail is compared normalised. -1 when the
 * database failed, else the number of taken values. */
int devplat_account_taken(devplat_req *req, const char *username, const char *mobile,
                          const char *email, apr_int64_t self, devplat_taken *t);

/* ---------------------------------------------------------------- contacts */

typedef struct {
    devplat_contact kind;
    const char *value;          /* the new contact, NULL to remove it */
    int proven;                 /* proved by a code (else stored unverified) */
    const char *expect;         /* the proven value it replaces ("" none);
                                 * NULL: whatever it is */
    const apr_int64_t *codes;   /* checked codes to spend with it */
    int ncodes;
    int revoke_sessions;        /* end every session of the account */
    const char *action;         /* audit action and detail */
    const char *detail;
} devplat_contact_change;

/* One contact change in one transaction. OK; CONFLICT when the proven
 * value is no longer expect; CODE when codes[*bad_code] was spent
 * meanwhile; TAKEN when another account proved the value meanwhile;
 * UNAVAILABLE, FAILED. */
devplat_result devplat_account_change_contact(devplat_req *req, apr_int64_t id,
                                              const devplat_contact_change *c,
                                              int *bad_code);

/* The contact.changed event of a change written with
 * devplat_account_write_contact(), in the caller's transaction
 * (devplat_account_change_contact() writes its own). */
apr_status_t devplat_account_contact_event(devplat_req *req, apr_int64_t id,
                                           devplat_contact kind, const char *value,
                                           int proven);

/* The account's proven contacts (NULL for none): 1, 0 when there is no
 * such account, -1 when the database failed. */
int devplat_account_contacts(devplat_req *req, apr_int64_t id, const char **mobile,
                             const char **email);

/* The same write inside the caller's transaction (no audit, no codes). */
apr_status_t devplat_account_write_contact(devplat_req *req, apr_int64_t id,
                                           devplat_contact kind, const char *value,
                                           int proven);

/* ---------------------------------------------------------------- password */

/* Sets a new password hash and ends the account's sessions (all of them,
 * or all but keep_jti), spending code_id (0: none) and writing the audit
 * row, in one transaction: OK, CODE, UNAVAILABLE, FAILED. */
devplat_result devplat_account_set_password(devplat_req *req, apr_int64_t id,
                                            const char *hash, const char *keep_jti,
                                            apr_int64_t code_id, const char *action,
                                            const char *detail);

/* Bcrypt at DevplatBcryptCost, logged on failure. */
const char *devplat_account_hash(devplat_req *req, const char *password);

/* ---------------------------------------------------------------- sessions */

/* Ends every session of the account but keep_jti (NULL: all), in the
 * caller's transaction when there is one. */
apr_status_t devplat_account_revoke_sessions(devplat_req *req, apr_int64_t id,
                                             const char *keep_jti);

/* ---------------------------------------------------------------- status */

/* Bit of a status in a from-mask. */
#define DEVPLAT_FROM(status) (1 << (status))

/* Moves the account to status to when its status is in from_mask; going
 * to frozen or deleted never leaves the store without an active
 * administrator, and deleting ends every session. Audited as action by the
 * signed-in user. OK; CONFLICT when nothing changed (another status, the
 * last administrator, or no such account); UNAVAILABLE. The audit detail
 * is "<verb> by <id of the signed-in user>" ("by <id>" when verb is NULL). */
devplat_result devplat_account_set_status(devplat_req *req, apr_int64_t id, int from_mask,
                                          int to, const char *action, const char *verb);

/* The user's row lock (DEVPLAT_SQL_USER_LOCK) in the caller's transaction,
 * as its first statement: every change that must not interleave with
 * another on the same user takes it. */
apr_status_t devplat_account_lock(devplat_req *req, apr_int64_t id);

/* The same UPDATE inside the caller's transaction; *changed is 1 when it
 * applied. A change to frozen or deleted first takes the administrators'
 * guard row: it must then be the transaction's first statement (InnoDB
 * reads from the snapshot of its first read). */
apr_status_t devplat_account_write_status(devplat_req *req, apr_int64_t id, int from_mask,
                                          int to, int *changed);

/* ---------------------------------------------------------------- identity */

typedef struct {
    const char *actual_name;
    apr_int64_t certificate_type_id;
    const char *id_number;          /* the stored form */
    const char *picture;            /* "" for none */
    int status;                     /* DEVPLAT_REVIEW_* */
    const char *message;            /* the reviewer's; "" for none (read only:
                                     * a write clears it) */
    const char *source;             /* DEVPLAT_SOURCE_* */
} devplat_identity;

/* Whether a non-rejected verification of another account holds number:
 * 1, 0, or -1 when the database failed. */
int devplat_identity_taken(devplat_req *req, const char *number, apr_int64_t self);

/* The user's verification: 1 with *out, 0 none, -1 failed. */
int devplat_identity_get(devplat_req *req, apr_int64_t user_id, devplat_identity **out);

/* Writes (inserts or replaces) the user's verification inside the caller's
 * transaction; the unique index on the active number refuses a second
 * holder. */
apr_status_t devplat_identity_write(devplat_req *req, apr_int64_t user_id,
                                    const devplat_identity *in);

/* ---------------------------------------------------------------- credit */

/* Adds a general credit record (amount > 0 raises the integral, < 0 lowers
 * it) and its total (users.general_integral) inside the caller's
 * transaction; APR_EGENERAL, nothing written, when the total would go
 * below 0. Every credit record is written with its total: the faces read
 * the totals (058_credit_totals.sql), never the sum of the records. */
apr_status_t devplat_account_credit(devplat_req *req, apr_int64_t id, apr_int64_t amount,
                                    const char *message);

/* What devplat_account_credit_change() wrote: the record, and the user's
 * totals by kind after it (before it when it was refused). */
typedef struct {
    apr_int64_t record_id;
    const char *created_at;
    apr_int64_t general;        /* 通用积分 */
    apr_int64_t dedicated;      /* 专用积分 */
} devplat_credit_change;

/* A signed credit change with its reason, of one kind (dedicated 0: 通用积分,
 * 1: 专用积分), and its audit row (credit_change, the signed-in user as the
 * actor), in one transaction: the kind's total (users.general_integral or
 * dedicated_integral) by a conditional UPDATE that takes the user's row
 * lock and never goes below 0, so of two concurrent deductions the second
 * sees the first's total. DEVPLAT_R_OK; DEVPLAT_R_WRONG when
 * there is no such user or it is deleted; DEVPLAT_R_CONFLICT when the
 * balance would go below 0 (out has the totals); DEVPLAT_R_UNAVAILABLE. */
devplat_result devplat_account_credit_change(devplat_req *req, apr_int64_t id,
                                             apr_int64_t amount, int dedicated,
                                             const char *message,
                                             devplat_credit_change *out);

#endif
