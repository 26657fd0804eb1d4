/* The SQL text of the account core, shared by the module (http/accounts.c
 * prepares it through mod_dbd) and by devplat-admin (which runs it through
 * apr_dbd directly): one definition of every write to users and sessions.
 * apr_dbd placeholders: %s text, %d int, %lld int64. */
#ifndef DEVPLAT_ACCOUNT_SQL_H
#define DEVPLAT_ACCOUNT_SQL_H

#include "vocab.h"

#define DEVPLAT_S(x) DEVPLAT_SQL_INT(x)

/* A user's integral: the signed sum of their credit records, read from the
 * totals kept beside them (058_credit_totals.sql): general_integral sums
 * the records of kind 0, dedicated_integral those of kind 1. u is the
 * alias of users in the enclosing query. */
#define DEVPLAT_SQL_INTEGRAL(u) \
    "(" u ".general_integral + " u ".dedicated_integral)"

/* A credit change of one kind's total, in the transaction that writes its
 * record: it applies (1 row) only while the user is not deleted and, for a
 * deduction, only when the total stays at 0 or above, so concurrent
 * deductions cannot overdraw it on any engine (the UPDATE waits for the
 * row lock and checks the total it then sees). A raise always applies,
 * even to a total below 0 (records written so by an earlier release): the
 * new total must be at least the smaller of the old one and 0 (the
 * amount is never compared alone, so PostgreSQL types it BIGINT).
 * args: amount (signed), id, amount */
#define DEVPLAT_SQL_CREDIT_TOTAL(col) \
    "UPDATE users SET " col " = " col " + %lld WHERE id = %lld AND status <> " \
    DEVPLAT_S(DEVPLAT_STATUS_DELETED) " AND " col " + %lld >= " \
    "CASE WHEN " col " < 0 THEN " col " ELSE 0 END"

/* A user as every face shows it; the enum names the columns in order, for
 * devplat_user_from_row() and every statement that starts with these. */
#define DEVPLAT_SQL_USER_COLUMNS(u) \
    u ".id, " u ".username, " u ".avatar, " u ".level, " u ".status, " \
    DEVPLAT_SQL_INTEGRAL(u) ", " u ".created_at, " u ".updated_at"
enum {
    DEVPLAT_UCOL_ID, DEVPLAT_UCOL_USERNAME, DEVPLAT_UCOL_AVATAR, DEVPLAT_UCOL_LEVEL,
    DEVPLAT_UCOL_STATUS, DEVPLAT_UCOL_INTEGRAL, DEVPLAT_UCOL_CREATED,
    DEVPLAT_UCOL_UPDATED,
    DEVPLAT_UCOL_COUNT      /* the first column after them */
};

/* Statuses that are not an active account. */
#define DEVPLAT_SQL_INACTIVE \
    "(" DEVPLAT_S(DEVPLAT_STATUS_FROZEN) ", " DEVPLAT_S(DEVPLAT_STATUS_DELETED) ")"

/* Every column a new account can have; RETURNING id. */
#define DEVPLAT_SQL_USER_INSERT \
    "INSERT INTO users (username, password, mobile, unverified_mobile, " \
    "unverified_email, name, position, registration_id, uuid, status, is_admin, " \
    "created_at, updated_at) " \
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %d, %d, %s, %s) RETURNING id"

/* The user's row lock: a write that changes nothing, taken first by every
 * transaction that must not interleave with another on the same user
 * (profile writes, review submissions and decisions, credit changes), so
 * they run one after another on every engine (a row lock on PostgreSQL and
 * MariaDB, the writer lock on SQLite, which knows no FOR UPDATE). A read
 * after it sees what the previous holder committed. args: id */
#define DEVPLAT_SQL_USER_LOCK \
    "UPDATE users SET updated_at = updated_at WHERE id = %lld"

#define DEVPLAT_SQL_SET_PASSWORD \
    "UPDATE users SET password = %s, updated_at = %s WHERE id = %lld"

/* every session of a user but one ("" keeps none), rotated ones in their
 * grace included */
#define DEVPLAT_SQL_REVOKE_SESSIONS \
    "UPDATE sessions SET revoked_at = %lld WHERE user_id = %lld AND jti <> %s " \
    "AND (revoked_at IS NULL OR revoked_at > %lld)"

/* The guard row of the administrators (053_admin_guard.sql): every change
 * that can take an active administrator (to frozen or deleted) writes it
 * first, in the same transaction, so such changes run one after another on
 * every engine. Without it two transactions can each count the other's
 * administrator as still active (PostgreSQL's READ COMMITTED snapshot per
 * statement, InnoDB's consistent read) and both pass SET_STATUS's count.
 * The write waits for the row lock; the count that follows is read after
 * the previous holder committed. It must change exactly one row: a missing
 * guard row fails the change instead of running it unguarded. */
#define DEVPLAT_SQL_ADMIN_GUARD \
    "UPDATE account_guards SET serial = serial + 1 WHERE name = 'administrators'"

/* A status change from a set of statuses (a bit mask of 1 << status). With
 * guard 1 it never takes the last active administrator: the count sits in a
 * derived table because MariaDB refuses a subquery on the table being
 * updated, and aggregating keeps it unmerged. Run it after ADMIN_GUARD in
 * one transaction when guard is 1.
 * args: to, updated_at, id, from_mask, guard */
#define DEVPLAT_SQL_SET_STATUS \
    "UPDATE users SET status = %d, updated_at = %s " \
    "WHERE id = %lld AND ((1 << status) & %d) <> 0 AND (%d = 0 OR is_admin = 0 " \
    "OR status IN " DEVPLAT_SQL_INACTIVE " OR " \
    "(SELECT n FROM (SELECT COUNT(*) AS n FROM users WHERE is_admin = 1 " \
    "AND status NOT IN " DEVPLAT_SQL_INACTIVE ") active_admins) > 1)"

/* An audit row (append-only). actor_id is who acted; NULL only in the rows
 * of devplat-admin (056_audit_actor.sql).
 * args: user_id, action, detail, client_ip, user_agent, actor_id, created_at */
#define DEVPLAT_SQL_AUDIT_INSERT \
    "INSERT INTO audit_log (user_id, action, detail, client_ip, user_agent, " \
    "actor_id, created_at) VALUES (%lld, %s, %s, %s, %s, %lld, %s)"

#endif
