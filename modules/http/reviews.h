/* The review queues on the module's side: what a face calls when a user
 * submits something a person decides on, and the decision the back office
 * (modules/api/admin/reviews.c) makes. The kinds and the SQL are the
 * core's (modules/core/review.h), shared with devplat-admin. */
#ifndef DEVPLAT_REVIEWS_H
#define DEVPLAT_REVIEWS_H

#include "devplat_private.h"
#include "accounts.h"
#include "review.h"

/* A submission, inside the caller's transaction and after the user's row
 * lock (devplat_account_lock): ends the record's pending submission (superseded) and adds this
 * one. fields: what was submitted, in the developer face's names (taken
 * over); pictures: a JSON array of the paths (taken over). status is
 * DEVPLAT_REVIEW_PENDING, or PASSED for a verification no person decides
 * (the mobile face's ID card check). */
apr_status_t devplat_review_submit(devplat_req *req, const char *kind, apr_int64_t user_id,
                                   apr_int64_t record_id, json_object *fields,
                                   json_object *pictures, int status);

/* Decides submission id of kind as the signed-in user, in a transaction of
 * its own: the review row, the record (or for a qualification the
 * account's status) and an audit row. DEVPLAT_R_OK; CONFLICT when it is
 * not pending (decided or superseded meanwhile: of two concurrent
 * decisions exactly one wins); WRONG when there is no such submission of
 * that kind or its user is deleted; OWN when it is the signed-in user's
 * own; UNAVAILABLE. */
devplat_result devplat_review_decide(devplat_req *req, const devplat_review_kind *kind,
                                     apr_int64_t id, int approve, const char *message);

/* The pending qualification of user_id: 1 with *id, 0 none, -1 failed. */
int devplat_review_pending_qualification(devplat_req *req, apr_int64_t user_id,
                                         apr_int64_t *id);

#endif
