/* Labels of the back office's project statements (project_sql.c holds the
 * SQL) and the columns they answer. */
#ifndef DEVPLAT_ADMIN_PROJECT_SQL_H
#define DEVPLAT_ADMIN_PROJECT_SQL_H

#include "developer/project.h"

/* project/list: every project, deleted ones too, filtered by name (q: a
 * devplat_like_contains() pattern), by status, by both or by neither */
#define DPA_PROJECT_COUNT        "devplat_admin_project_count"
#define DPA_PROJECT_COUNT_Q      "devplat_admin_project_count_q"
#define DPA_PROJECT_COUNT_S      "devplat_admin_project_count_s"
#define DPA_PROJECT_COUNT_QS     "devplat_admin_project_count_qs"
#define DPA_PROJECT_PAGE         "devplat_admin_project_page"
#define DPA_PROJECT_PAGE_Q       "devplat_admin_project_page_q"
#define DPA_PROJECT_PAGE_S       "devplat_admin_project_page_s"
#define DPA_PROJECT_PAGE_QS      "devplat_admin_project_page_qs"
/* one project, deleted or not */
#define DPA_PROJECT_GET          "devplat_admin_project_get"
#define DPA_PROJECT_INSERT       "devplat_admin_project_insert"
#define DPA_PROJECT_UPDATE       "devplat_admin_project_update"
#define DPA_PROJECT_LOCK         "devplat_admin_project_lock"
#define DPA_PROJECT_DELETE       "devplat_admin_project_delete"
#define DPA_LEVEL_EXISTS         "devplat_admin_level_exists"

/* Columns of DPA_PROJECT_GET and DPA_PROJECT_PAGE*: the developer face's
 * DEVPLAT_PROJECT_COLUMNS (devplat_project_json() reads them), then: */
enum {
    DPA_PCOL_DELETED_AT = DEVPLAT_PROJECT_NCOLS
};

#endif
