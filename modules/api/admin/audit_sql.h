/* The statements of GET audit/list (audit_sql.c holds the SQL). */
#ifndef DEVPLAT_ADMIN_AUDIT_SQL_H
#define DEVPLAT_ADMIN_AUDIT_SQL_H

/* Which filters a statement has besides the time range (which every one
 * has: from and to default to the whole log), as an index into the label
 * tables: one statement per combination, so that each is served by an
 * index of 056_audit_actor.sql (audit_log_time, audit_log_user_time,
 * audit_log_action_time) rather than a catch-all no planner can use. */
#define DPA_AUDIT_BY_USER    1
#define DPA_AUDIT_BY_ACTION  2
#define DPA_AUDIT_VARIANTS   4

/* Labels by filter bits. Arguments, in this order: user_id (%lld) when
 * DPA_AUDIT_BY_USER, action (%s) when DPA_AUDIT_BY_ACTION, from, to
 * (%s, inclusive), then for a page limit (%d) and offset (%lld). */
extern const char *const devplat_admin_audit_count[DPA_AUDIT_VARIANTS];
extern const char *const devplat_admin_audit_page[DPA_AUDIT_VARIANTS];

/* Columns of a page, newest first (created_at, then id). actor_id NULL is
 * a row of devplat-admin; actor is the acting user's username (NULL when
 * no such user). */
enum {
    DPA_ACOL_ID, DPA_ACOL_USER_ID, DPA_ACOL_ACTION, DPA_ACOL_DETAIL, DPA_ACOL_ACTOR_ID,
    DPA_ACOL_ACTOR, DPA_ACOL_IP, DPA_ACOL_USER_AGENT, DPA_ACOL_CREATED
};

#endif
