/* devplat-admin: the review queues (review list | approve | reject), with
 * the SQL the module decides with (modules/core/review.h): the same rows
 * change in the same order, so a decision here and one on the admin face
 * never both win. */
#include <apr_time.h>

#include "devplat_admin.h"
#include "event.h"
#include "account_sql.h"
#include "review.h"
#include "timefmt.h"
#include "utf8.h"

/* The pending submissions, oldest first, of one kind or of all. */
static int review_list(admin_ctx *c, const char *kind)
{
    apr_array_header_t *rows;
    const char *args[] = {kind ? kind : "", kind ? kind : ""};
    int i;

    if (select_rows(c, "SELECT r.id, r.kind, r.user_id, u.username, r.submitted_at, r.fields "
                       "FROM reviews r JOIN users u ON u.id = r.user_id "
                       "WHERE r.status = " DEVPLAT_S(DEVPLAT_REVIEW_PENDING) " AND u.status <> "
                       DEVPLAT_S(DEVPLAT_STATUS_DELETED) " AND (r.kind = %s OR %s = '') "
                       "ORDER BY r.id", &rows, 2, args)) {
        return EXIT_REFUSED;
    }
    printf("%-8s %-17s %-8s %-20s %-19s %s\n", "id", "kind", "user_id", "nickname",
           "submitted_at", "fields");
    for (i = 0; i < rows->nelts; i++) {
        const char **r = APR_ARRAY_IDX(rows, i, const char **);
        printf("%-8s %-17s %-8s %-20s %-19s %s\n", r[0], r[1], r[2], r[3] ? r[3] : "-",
               r[4], r[5] ? r[5] : "{}");
    }
    return 0;
}

/* review.decided, and user.verified for an approved real name, as the
 * module writes them */
static int decided(admin_ctx *c, const devplat_review_kind *k, const char *user,
                   const char *id, int approve, const char *message)
{
    json_object *d = json_object_new_object();

    json_object_object_add(d, "review_id", json_object_new_int64(apr_atoi64(id)));
    json_object_object_add(d, "kind", json_object_new_string(k->name));
    json_object_object_add(d, "decision", json_object_new_string(approve ? "approved"
                                                                         : "rejected"));
    json_object_object_add(d, "message", json_object_new_string(message));
    if (event(c, DEVPLAT_EVENT_REVIEW_DECIDED, user, d)) {
        return EXIT_REFUSED;
    }
    if (approve && !strcmp(k->name, DEVPLAT_REVIEW_REAL_NAME)) {
        d = json_object_new_object();
        json_object_object_add(d, "review_id", json_object_new_int64(apr_atoi64(id)));
        return event(c, DEVPLAT_EVENT_VERIFIED, user, d);
    }
    return 0;
}

/* The writes of a decision, in the open transaction: the user's row lock,
 * the review (pending only: *stale otherwise), the record or the account. */
static int decide_writes(admin_ctx *c, const devplat_review_kind *k, const char **t,
                         const char *id, int approve, const char *message, int *stale)
{
    const char *status = approve ? DEVPLAT_S(DEVPLAT_REVIEW_PASSED)
                                 : DEVPLAT_S(DEVPLAT_REVIEW_REJECTED);
    const char *now = now_text(c);
    const char *lock[] = {t[DEVPLAT_RTCOL_USER]};
    const char *decide[] = {status, message, now, NULL, id};
    int n = 0;

    if (exec_sql(c, DEVPLAT_SQL_USER_LOCK, NULL, 1, lock)
        || exec_sql(c, DEVPLAT_SQL_REVIEW_DECIDE, &n, 5, decide)) {
        return EXIT_REFUSED;
    }
    if (n != 1) {
        *stale = 1;
        return EXIT_REFUSED;
    }
    if (k->record_effect) {
        const char *effect[] = {status, message, t[DEVPLAT_RTCOL_RECORD]};

        if (exec_sql(c, k->record_effect, NULL, 3, effect)) {
            return EXIT_REFUSED;
        }
    }
    else {
        /* args: to, updated_at, id, from_mask, guard (never to frozen/deleted) */
        const char *account[] = {
            approve ? DEVPLAT_S(DEVPLAT_STATUS_NORMAL) : DEVPLAT_S(DEVPLAT_STATUS_REJECTED),
            now, t[DEVPLAT_RTCOL_USER], apr_itoa(c->pool, DEVPLAT_REVIEW_ACCOUNT_FROM), "0"
        };

        if (exec_sql(c, DEVPLAT_SQL_SET_STATUS, NULL, 5, account)) {
            return EXIT_REFUSED;
        }
    }
    if (audit(c, t[DEVPLAT_RTCOL_USER], approve ? "review_approve" : "review_reject", NULL)) {
        return EXIT_REFUSED;
    }
    return decided(c, k, t[DEVPLAT_RTCOL_USER], id, approve, message);
}

static int review_decide(admin_ctx *c, const char *kind, const char *id, int approve,
                         const char *message)
{
    const devplat_review_kind *k = devplat_review_kind_named(kind);
    apr_array_header_t *rows;
    const char **t;
    const char *args[] = {id};
    apr_dbd_transaction_t *tx;
    int stale = 0, failed;

    if (select_rows(c, DEVPLAT_SQL_REVIEW_TARGET, &rows, 1, args)) {
        return EXIT_REFUSED;
    }
    t = rows->nelts == 1 ? APR_ARRAY_IDX(rows, 0, const char **) : NULL;
    if (!t || strcmp(t[DEVPLAT_RTCOL_KIND], kind)
        || atoi(t[DEVPLAT_RTCOL_USER_STATUS]) == DEVPLAT_STATUS_DELETED) {
        return fail("there is no %s submission %s", kind, id);
    }
    if (atoi(t[DEVPLAT_RTCOL_STATUS]) != DEVPLAT_REVIEW_PENDING) {
        return fail("%s submission %s is not pending: it is %s", kind, id,
                    atoi(t[DEVPLAT_RTCOL_STATUS]) == DEVPLAT_REVIEW_SUPERSEDED
                    ? "superseded by a newer one" : "decided already");
    }
    if (!(tx = begin(c))) {
        return EXIT_REFUSED;
    }
    failed = decide_writes(c, k, t, id, approve, message, &stale);
    if (end(c, tx, failed)) {
        return stale ? fail("%s submission %s was decided or superseded meanwhile", kind, id)
                     : fail("could not decide %s submission %s", kind, id);
    }
    printf("%s %s: %s\n", kind, id, approve ? "approved" : "rejected");
    return 0;
}

#define KINDS "real-name, educational-info, job-info, award-info or qualification"

int cmd_review_check(int nargs, const char *const *args)
{
    int dummy;

    if (nargs >= 2 && !devplat_review_kind_named(args[1])) {
        return usage_error("unknown kind '%s' (" KINDS ")", args[1]);
    }
    if (nargs >= 1 && !strcmp(args[0], "list") && nargs <= 2) {
        return 0;
    }
    if (nargs >= 3 && (!strcmp(args[0], "approve") || !strcmp(args[0], "reject"))) {
        if (!parse_int(args[2], 1, 2147483647, &dummy)) {
            return usage_error("the submission ID must be a positive whole number, not '%s'",
                               args[2]);
        }
        if (!strcmp(args[0], "approve") ? nargs > 4 : nargs != 4) {
            return usage_error("review %s takes KIND ID%s", args[0],
                               !strcmp(args[0], "approve") ? " [MESSAGE]" : " MESSAGE");
        }
        if (nargs == 4) {
            const char *m = args[3];
            apr_size_t i, len = strlen(m);

            if (!devplat_utf8_valid(m, len) || devplat_utf8_length(m) < 1
                || devplat_utf8_length(m) > DEVPLAT_REVIEW_MESSAGE_MAX) {
                return usage_error("the MESSAGE must be 1 to %d characters of UTF-8",
                                   DEVPLAT_REVIEW_MESSAGE_MAX);
            }
            for (i = 0; i < len; i++) {
                if ((unsigned char)m[i] < 0x20 || m[i] == 0x7F) {
                    return usage_error("%s", "the MESSAGE may not hold control characters");
                }
            }
        }
        return 0;
    }
    return usage_error("%s", "review takes: list [KIND] | approve KIND ID [MESSAGE] | "
                       "reject KIND ID MESSAGE");
}

int cmd_review(admin_ctx *c, int nargs, const char *const *args)
{
    if (!strcmp(args[0], "list")) {
        return review_list(c, nargs == 2 ? args[1] : NULL);
    }
    return review_decide(c, args[1], args[2], !strcmp(args[0], "approve"),
                         nargs == 4 ? args[3] : "");
}
