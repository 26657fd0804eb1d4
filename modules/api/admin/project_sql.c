/* The SQL of the back office's project catalogue. Portable: the same text
 * runs on SQLite, PostgreSQL and MariaDB; the writes shared with
 * devplat-admin come from modules/core/catalogue_sql.h. */
#include "statements.h"
#include "project_sql.h"
#include "catalogue_sql.h"

#define COLUMNS DEVPLAT_PROJECT_COLUMNS ", p.deleted_at"
#define BY_NAME "lower(p.name) LIKE lower(%s) ESCAPE '!'"
#define BY_STATUS "p.status = %s"
/* newest first as the developer face lists them; the id breaks ties */
#define ORDER " ORDER BY p.created_at DESC, p.id DESC LIMIT %d OFFSET %lld"

const devplat_statement devplat_sql_admin_project[] = {
    {DPA_PROJECT_COUNT,    "SELECT COUNT(*) FROM projects p"},
    {DPA_PROJECT_COUNT_Q,  "SELECT COUNT(*) FROM projects p WHERE " BY_NAME},
    {DPA_PROJECT_COUNT_S,  "SELECT COUNT(*) FROM projects p WHERE " BY_STATUS},
    {DPA_PROJECT_COUNT_QS,
     "SELECT COUNT(*) FROM projects p WHERE " BY_NAME " AND " BY_STATUS},
    {DPA_PROJECT_PAGE,     "SELECT " COLUMNS " FROM projects p" ORDER},
    {DPA_PROJECT_PAGE_Q,   "SELECT " COLUMNS " FROM projects p WHERE " BY_NAME ORDER},
    {DPA_PROJECT_PAGE_S,   "SELECT " COLUMNS " FROM projects p WHERE " BY_STATUS ORDER},
    {DPA_PROJECT_PAGE_QS,
     "SELECT " COLUMNS " FROM projects p WHERE " BY_NAME " AND " BY_STATUS ORDER},
    {DPA_PROJECT_GET,      "SELECT " COLUMNS " FROM projects p WHERE p.id = %lld"},

    {DPA_PROJECT_INSERT,   DEVPLAT_SQL_PROJECT_INSERT},
    /* NULL keeps a column as it is: one statement for any set of fields;
     * a deleted project is never changed */
    {DPA_PROJECT_UPDATE,
     "UPDATE projects SET name = COALESCE(%s, name), status = COALESCE(%s, status), "
     "purchase_budget = COALESCE(%d, purchase_budget), "
     "introduction = COALESCE(%s, introduction), domain = COALESCE(%s, domain), "
     "research_direction = COALESCE(%s, research_direction), "
     "level = COALESCE(%d, level), delivery_at = COALESCE(%s, delivery_at), "
     "updated_at = %s WHERE id = %lld AND " DEVPLAT_SQL_PROJECT_LIVE("projects")},
    /* soft: the row stays, participations keep pointing at it; only the
     * first of two deletes changes it */
    /* the project's row lock: a write that changes nothing (SQLite holds
     * the writer lock from BEGIN and knows no FOR UPDATE) */
    {DPA_PROJECT_LOCK,     "UPDATE projects SET updated_at = updated_at WHERE id = %lld"},
    {DPA_PROJECT_DELETE,
     "UPDATE projects SET deleted_at = %s WHERE id = %lld AND "
     DEVPLAT_SQL_PROJECT_LIVE("projects")},
    {DPA_LEVEL_EXISTS,     DEVPLAT_SQL_LEVEL_EXISTS},
    {NULL, NULL}
};
