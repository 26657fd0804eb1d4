/* Submitting to and deciding on the review queues (054_reviews.sql). */
#include "reviews.h"
#include "audit.h"
#include "db.h"
#include "events.h"
#include "statements.h"
#include "timefmt.h"

#define DP_REVIEW_TARGET        "devplat_review_target"
#define DP_REVIEW_SUPERSEDE     "devplat_review_supersede"
#define DP_REVIEW_INSERT        "devplat_review_insert"
#define DP_REVIEW_DECIDE        "devplat_review_decide"
#define DP_REVIEW_PENDING_QUALIFICATION "devplat_review_pending_qualification"

const devplat_statement devplat_sql_reviews[] = {
    {DP_REVIEW_TARGET,        DEVPLAT_SQL_REVIEW_TARGET},
    {DP_REVIEW_SUPERSEDE,     DEVPLAT_SQL_REVIEW_SUPERSEDE},
    {DP_REVIEW_INSERT,        DEVPLAT_SQL_REVIEW_INSERT},
    {DP_REVIEW_DECIDE,        DEVPLAT_SQL_REVIEW_DECIDE},
    {DP_REVIEW_PENDING_QUALIFICATION, DEVPLAT_SQL_REVIEW_PENDING_QUALIFICATION},
    {DEVPLAT_REVIEW_EFFECT_REAL_NAME, DEVPLAT_SQL_REVIEW_EFFECT_REAL_NAME},
    {DEVPLAT_REVIEW_EFFECT_EDUCATION, DEVPLAT_SQL_REVIEW_EFFECT_EDUCATION},
    {DEVPLAT_REVIEW_EFFECT_JOB, DEVPLAT_SQL_REVIEW_EFFECT_JOB},
    {DEVPLAT_REVIEW_EFFECT_AWARD, DEVPLAT_SQL_REVIEW_EFFECT_AWARD},
    {NULL, NULL}
};

static const char *json_text(json_object *o)
{
    return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN
                                             | JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* user.verified: a real name passed, by review_id (0: no person decided) */
static apr_status_t verified_event(devplat_req *req, apr_int64_t user_id,
                                   apr_int64_t review_id)
{
    json_object *d = devplat_event_data(req, user_id);

    json_object_object_add(d, "review_id", json_object_new_int64(review_id));
    return devplat_event(req, DEVPLAT_EVENT_VERIFIED, user_id, d);
}

/* review.decided: any kind, either way */
static apr_status_t decided_event(devplat_req *req, const devplat_review_kind *kind,
                                  apr_int64_t user_id, apr_int64_t id, int approve,
                                  const char *message)
{
    json_object *d = devplat_event_data(req, user_id);

    json_object_object_add(d, "review_id", json_object_new_int64(id));
    json_object_object_add(d, "kind", json_object_new_string(kind->name));
    json_object_object_add(d, "decision", json_object_new_string(approve ? "approved"
                                                                         : "rejected"));
    json_object_object_add(d, "message", json_object_new_string(message));
    if (devplat_event(req, DEVPLAT_EVENT_REVIEW_DECIDED, user_id, d) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (approve && !strcmp(kind->name, DEVPLAT_REVIEW_REAL_NAME)) {
        return verified_event(req, user_id, id);
    }
    return APR_SUCCESS;
}

apr_status_t devplat_review_submit(devplat_req *req, const char *kind, apr_int64_t user_id,
                                   apr_int64_t record_id, json_object *fields,
                                   json_object *pictures, int status)
{
    const char *now = devplat_time_pformat(req->r->pool, req->now);
    const char *record = devplat_i64(req, record_id);
    const char *f, *p;
    apr_status_t rv;

    /* the text lives in the request pool: json-c's buffer goes with put */
    f = apr_pstrdup(req->r->pool, json_text(fields));
    p = apr_pstrdup(req->r->pool, json_text(pictures));
    json_object_put(fields);
    json_object_put(pictures);
    if ((rv = devplat_db_exec(req, DP_REVIEW_SUPERSEDE, NULL, 2, kind, record))
        != APR_SUCCESS) {
        return rv;
    }
    if ((rv = devplat_db_exec(req, DP_REVIEW_INSERT, NULL, 8, kind, devplat_i64(req, user_id),
                              record, apr_itoa(req->r->pool, status), f, p, now,
                              status == DEVPLAT_REVIEW_PENDING ? "" : now)) != APR_SUCCESS) {
        return rv;
    }
    /* a real name no person decides on (the mobile face's ID card check) */
    if (status == DEVPLAT_REVIEW_PASSED && !strcmp(kind, DEVPLAT_REVIEW_REAL_NAME)) {
        return verified_event(req, user_id, 0);
    }
    return APR_SUCCESS;
}

/* The decision's writes, in the open transaction; *stale when the
 * submission was not pending any more. */
static apr_status_t decide_writes(devplat_req *req, const devplat_review_kind *kind,
                                  apr_int64_t id, const char *user, const char *record,
                                  int approve, const char *message, int *stale)
{
    const char *status = apr_itoa(req->r->pool, approve ? DEVPLAT_REVIEW_PASSED
                                                        : DEVPLAT_REVIEW_REJECTED);
    const char *now = devplat_time_pformat(req->r->pool, req->now);
    int n = 0, changed;

    if (devplat_account_lock(req, devplat_atoi64(user)) != APR_SUCCESS
        || devplat_db_exec(req, DP_REVIEW_DECIDE, &n, 5, status, message, now,
                           devplat_i64(req, req->user->id), devplat_i64(req, id))
           != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (n != 1) {
        *stale = 1;
        return APR_EGENERAL;
    }
    if (kind->record_effect) {
        if (devplat_db_exec(req, kind->effect_label, NULL, 3, status, message, record)
            != APR_SUCCESS) {
            return APR_EGENERAL;
        }
    }
    else if (devplat_account_write_status(req, devplat_atoi64(user),
                                          DEVPLAT_REVIEW_ACCOUNT_FROM,
                                          approve ? DEVPLAT_STATUS_NORMAL
                                                  : DEVPLAT_STATUS_REJECTED,
                                          &changed) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    if (devplat_audit(req, devplat_atoi64(user), approve ? "review_approve" : "review_reject",
                      apr_psprintf(req->r->pool, "%s %" APR_INT64_T_FMT "%s%s", kind->name,
                                   id, *message ? ": " : "", message)) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    return decided_event(req, kind, devplat_atoi64(user), id, approve, message);
}

devplat_result devplat_review_decide(devplat_req *req, const devplat_review_kind *kind,
                                     apr_int64_t id, int approve, const char *message)
{
    devplat_rows *rows;
    const char **t;
    int stale = 0;

    if (devplat_db_select(req, DP_REVIEW_TARGET, &rows, 1, devplat_i64(req, id))
        != APR_SUCCESS) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    t = rows->nrows == 1 ? rows->rows[0] : NULL;
    if (!t || !t[DEVPLAT_RTCOL_KIND] || strcmp(t[DEVPLAT_RTCOL_KIND], kind->name)
        || devplat_atoi64(t[DEVPLAT_RTCOL_USER_STATUS]) == DEVPLAT_STATUS_DELETED) {
        return DEVPLAT_R_WRONG;
    }
    /* nobody decides on their own submission: an administrator's records
     * need another administrator (or the operator's devplat-admin) */
    if (devplat_atoi64(t[DEVPLAT_RTCOL_USER]) == req->user->id) {
        return DEVPLAT_R_OWN;
    }
    if (devplat_atoi64(t[DEVPLAT_RTCOL_STATUS]) != DEVPLAT_REVIEW_PENDING) {
        return DEVPLAT_R_CONFLICT;
    }
    if (devplat_db_begin(req) != APR_SUCCESS) {
        return DEVPLAT_R_UNAVAILABLE;
    }
    if (decide_writes(req, kind, id, t[DEVPLAT_RTCOL_USER], t[DEVPLAT_RTCOL_RECORD], approve,
                      message, &stale) != APR_SUCCESS) {
        devplat_db_rollback(req);
    }
    if (devplat_db_end(req) != APR_SUCCESS) {
        return stale ? DEVPLAT_R_CONFLICT : DEVPLAT_R_UNAVAILABLE;
    }
    return DEVPLAT_R_OK;
}

int devplat_review_pending_qualification(devplat_req *req, apr_int64_t user_id,
                                         apr_int64_t *id)
{
    devplat_rows *rows;

    if (devplat_db_select(req, DP_REVIEW_PENDING_QUALIFICATION, &rows, 1,
                          devplat_i64(req, user_id)) != APR_SUCCESS) {
        return -1;
    }
    if (rows->nrows != 1) {
        return 0;
    }
    *id = devplat_atoi64(devplat_cell(rows, 0, 0));
    return 1;
}
