/* The review queues (sql/<engine>/054_reviews.sql): the kinds of
 * submission a person decides on, what a decision writes, and the SQL of
 * submitting and deciding, shared by the module (http/reviews.c prepares
 * it through mod_dbd) and devplat-admin (which runs it through apr_dbd):
 * one definition of each. apr_dbd placeholders: %s text, %d int, %lld int64. */
#ifndef DEVPLAT_REVIEW_H
#define DEVPLAT_REVIEW_H

#include "vocab.h"

/* A kind of submission. record_effect is the SQL that gives the record the
 * decision (args: status, message, record_id), NULL for the qualification,
 * whose decision is the account's status (approve_status / reject_status
 * from the statuses of DEVPLAT_REVIEW_ACCOUNT_FROM). */
typedef struct {
    const char *name;           /* as the API writes it: "real-name" ... */
    const char *effect_label;   /* the module's statement label of record_effect */
    const char *record_effect;
} devplat_review_kind;

/* Every kind, ending with {NULL}. */
extern const devplat_review_kind devplat_review_kinds[];

/* The kind called name, or NULL. */
const devplat_review_kind *devplat_review_kind_named(const char *name);

/* A review status as the admin face shows it: 待审核 已通过 未通过 已失效. */
const char *devplat_review_status_text(int status);

/* The kinds' names. */
#define DEVPLAT_REVIEW_REAL_NAME     "real-name"
#define DEVPLAT_REVIEW_EDUCATION     "educational-info"
#define DEVPLAT_REVIEW_JOB           "job-info"
#define DEVPLAT_REVIEW_AWARD         "award-info"
#define DEVPLAT_REVIEW_QUALIFICATION "qualification"

/* A decided qualification moves an account that waits for one (not yet
 * reviewed, rejected, under review); frozen and deleted ones keep theirs. */
#define DEVPLAT_REVIEW_ACCOUNT_FROM \
    ((1 << DEVPLAT_STATUS_NOT_REVIEWED) | (1 << DEVPLAT_STATUS_REJECTED) \
     | (1 << DEVPLAT_STATUS_UNDER_REVIEW))

/* The longest decision message, in characters. */
#define DEVPLAT_REVIEW_MESSAGE_MAX 200

/* ------------------------------------------------------------------ SQL */

/* Submissions and decisions of one user take the user's row first
 * (DEVPLAT_SQL_USER_LOCK of account_sql.h), so they run one after another
 * and never deadlock, on every engine. */

/* kind, user_id, record_id, status and user status of a review
 * (args: id) */
#define DEVPLAT_SQL_REVIEW_TARGET \
    "SELECT r.kind, r.user_id, r.record_id, r.status, u.status FROM reviews r " \
    "JOIN users u ON u.id = r.user_id WHERE r.id = %lld"
enum {
    DEVPLAT_RTCOL_KIND, DEVPLAT_RTCOL_USER, DEVPLAT_RTCOL_RECORD, DEVPLAT_RTCOL_STATUS,
    DEVPLAT_RTCOL_USER_STATUS
};

/* A new submission of a record ends the one that was pending (args: kind,
 * record_id); the new one follows (args: kind, user_id, record_id, status,
 * fields, pictures, submitted_at, reviewed_at). */
#define DEVPLAT_SQL_REVIEW_SUPERSEDE \
    "UPDATE reviews SET status = " DEVPLAT_SQL_INT(DEVPLAT_REVIEW_SUPERSEDED) " " \
    "WHERE kind = %s AND record_id = %lld AND status = " \
    DEVPLAT_SQL_INT(DEVPLAT_REVIEW_PENDING)
#define DEVPLAT_SQL_REVIEW_INSERT \
    "INSERT INTO reviews (kind, user_id, record_id, status, message, fields, pictures, " \
    "submitted_at, reviewed_at) VALUES (%s, %lld, %lld, %d, '', %s, %s, %s, %s)"

/* The decision: only a pending submission takes one, so of two concurrent
 * decisions exactly one changes the row (args: status, message,
 * reviewed_at, reviewer_id or NULL, id). */
#define DEVPLAT_SQL_REVIEW_DECIDE \
    "UPDATE reviews SET status = %d, message = %s, reviewed_at = %s, reviewer_id = %lld " \
    "WHERE id = %lld AND status = " DEVPLAT_SQL_INT(DEVPLAT_REVIEW_PENDING)

/* The pending qualification of a user (args: user_id): PUT audit/user
 * approves the account through it when there is one. */
#define DEVPLAT_SQL_REVIEW_PENDING_QUALIFICATION \
    "SELECT id FROM reviews WHERE kind = '" DEVPLAT_REVIEW_QUALIFICATION "' " \
    "AND record_id = %lld AND status = " DEVPLAT_SQL_INT(DEVPLAT_REVIEW_PENDING)

/* What a decision writes on the record (args: status, message, record_id),
 * under the module's statement labels. */
#define DEVPLAT_SQL_REVIEW_EFFECT(table, key) \
    "UPDATE " table " SET status = %d, message = %s WHERE " key " = %lld"
#define DEVPLAT_REVIEW_EFFECT_REAL_NAME "devplat_review_effect_real_name"
#define DEVPLAT_SQL_REVIEW_EFFECT_REAL_NAME \
    DEVPLAT_SQL_REVIEW_EFFECT("identity_verifications", "user_id")
#define DEVPLAT_REVIEW_EFFECT_EDUCATION "devplat_review_effect_education"
#define DEVPLAT_SQL_REVIEW_EFFECT_EDUCATION \
    DEVPLAT_SQL_REVIEW_EFFECT("educational_infos", "user_id")
#define DEVPLAT_REVIEW_EFFECT_JOB "devplat_review_effect_job"
#define DEVPLAT_SQL_REVIEW_EFFECT_JOB DEVPLAT_SQL_REVIEW_EFFECT("job_infos", "user_id")
#define DEVPLAT_REVIEW_EFFECT_AWARD "devplat_review_effect_award"
#define DEVPLAT_SQL_REVIEW_EFFECT_AWARD DEVPLAT_SQL_REVIEW_EFFECT("award_infos", "id")

#endif
