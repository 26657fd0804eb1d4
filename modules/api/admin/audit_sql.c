/* The SQL of GET audit/list. Portable: the same text runs on SQLite,
 * PostgreSQL and MariaDB. created_at is "YYYY-MM-DD HH:MM:SS" text, so
 * the time range compares strings. */
#include "statements.h"
#include "audit_sql.h"

#define DPA_AUDIT_COUNT          "devplat_admin_audit_count"
#define DPA_AUDIT_COUNT_U        "devplat_admin_audit_count_u"
#define DPA_AUDIT_COUNT_A        "devplat_admin_audit_count_a"
#define DPA_AUDIT_COUNT_UA       "devplat_admin_audit_count_ua"
#define DPA_AUDIT_PAGE           "devplat_admin_audit_page"
#define DPA_AUDIT_PAGE_U         "devplat_admin_audit_page_u"
#define DPA_AUDIT_PAGE_A         "devplat_admin_audit_page_a"
#define DPA_AUDIT_PAGE_UA        "devplat_admin_audit_page_ua"

const char *const devplat_admin_audit_count[DPA_AUDIT_VARIANTS] = {
    DPA_AUDIT_COUNT, DPA_AUDIT_COUNT_U, DPA_AUDIT_COUNT_A, DPA_AUDIT_COUNT_UA
};
const char *const devplat_admin_audit_page[DPA_AUDIT_VARIANTS] = {
    DPA_AUDIT_PAGE, DPA_AUDIT_PAGE_U, DPA_AUDIT_PAGE_A, DPA_AUDIT_PAGE_UA
};

#define BY_USER   "a.user_id = %lld AND "
#define BY_ACTION "a.action = %s AND "
#define IN_TIME   "a.created_at >= %s AND a.created_at <= %s"

#define COUNT(filter) "SELECT COUNT(*) FROM audit_log a WHERE " filter IN_TIME

/* the columns of the enum in audit_sql.h */
#define PAGE(filter) \
    "SELECT a.id, a.user_id, a.action, a.detail, a.actor_id, u.username, " \
    "a.client_ip, a.user_agent, a.created_at " \
    "FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id WHERE " filter IN_TIME \
    " ORDER BY a.created_at DESC, a.id DESC LIMIT %d OFFSET %lld"

const devplat_statement devplat_sql_admin_audit[] = {
    {DPA_AUDIT_COUNT,    COUNT("")},
    {DPA_AUDIT_COUNT_U,  COUNT(BY_USER)},
    {DPA_AUDIT_COUNT_A,  COUNT(BY_ACTION)},
    {DPA_AUDIT_COUNT_UA, COUNT(BY_USER BY_ACTION)},
    {DPA_AUDIT_PAGE,     PAGE("")},
    {DPA_AUDIT_PAGE_U,   PAGE(BY_USER)},
    {DPA_AUDIT_PAGE_A,   PAGE(BY_ACTION)},
    {DPA_AUDIT_PAGE_UA,  PAGE(BY_USER BY_ACTION)},
    {NULL, NULL}
};
