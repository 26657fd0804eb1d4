/* The append-only audit trail. */
#ifndef DEVPLAT_AUDIT_H
#define DEVPLAT_AUDIT_H

#include "devplat_private.h"

/* A login name (or any other text a client typed) for a detail: a JSON
 * string literal that fits the column (devplat_utf8_quote), so it can
 * neither carry a control character nor pass for one of the fixed words
 * the module writes there. */
const char *devplat_audit_name(devplat_req *req, const char *name);

/* the width of audit_log.detail, in bytes */
#define DEVPLAT_AUDIT_DETAIL_MAX 255

/* Records action (one of DEVPLAT_AUDIT_ACTIONS) for user_id, the user the
 * row is about (0 when unknown), with the client's address and user agent.
 * Its actor_id is who acted: the signed-in user of the request (an
 * administrator changing someone else, a user changing themselves), else
 * user_id (a sign-in, a sign-up, a password reset by code), 0 when both
 * are unknown (a failed sign-in with a name of no account); NULL is left
 * to the rows of devplat-admin. The detail and the user agent are stored
 * as valid UTF-8 without controls, cut on a character to the columns' 255
 * bytes. A failure is logged; inside a transaction it also rolls that
 * back. */
apr_status_t devplat_audit(devplat_req *req, apr_int64_t user_id,
                           const char *action, const char *detail);

/* Every action an audit row can have, the one list GET audit/list filters
 * by: what the module writes (devplat_audit), what devplat-admin writes
 * (tools/admin_*.c) and what a migration wrote (050_account_core.sql:
 * username_migrated). Code that writes a new action adds it here
 * (t/backoffice/30_audit_list.t finds any action of the log missing). */
#define DEVPLAT_AUDIT_ACTIONS(X) \
    X("register") X("login") X("login_failed") X("logout") X("refresh") \
    X("password_check_failed") X("password_change_failed") X("password_change") \
    X("password_reset") X("bind_email") X("change_mobile") X("change_email") \
    X("id_verification") X("qualification") \
    X("user_update") X("contact_change_by_admin") X("user_audit") X("user_delete") \
    X("credit_change") X("review_approve") X("review_reject") \
    X("project_create") X("project_update") X("project_delete") \
    X("admin_create") X("admin_passwd") X("admin_freeze") X("admin_unfreeze") \
    X("admin_delete") \
    X("username_migrated")

/* 1 when action is one of DEVPLAT_AUDIT_ACTIONS. */
int devplat_audit_action_known(const char *action);

#endif
