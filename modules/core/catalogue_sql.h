/* The SQL text of the project catalogue's writes, shared by the admin face
 * (api/admin/project_sql.c prepares it through mod_dbd) and devplat-admin's
 * project import and export (which run it through apr_dbd directly), so
 * that both write a project the same way. apr_dbd placeholders: %s text,
 * %d int, %lld int64. */
#ifndef DEVPLAT_CATALOGUE_SQL_H
#define DEVPLAT_CATALOGUE_SQL_H

/* A project that is not deleted (055_project_catalogue.sql); p is the
 * alias of projects. The developer face lists and shows only these. */
#define DEVPLAT_SQL_PROJECT_LIVE(p) p ".deleted_at IS NULL"

/* args: the eight fields in devplat_project_field order, then created_at
 * and updated_at */
#define DEVPLAT_SQL_PROJECT_INSERT \
    "INSERT INTO projects (name, status, purchase_budget, introduction, domain, " \
    "research_direction, level, delivery_at, created_at, updated_at) " \
    "VALUES (%s, %s, %d, %s, %s, %s, %d, %s, %s, %s) RETURNING id"

/* a project's level must be one of the ladder */
#define DEVPLAT_SQL_LEVEL_EXISTS "SELECT level FROM levels WHERE level = %d"

/* devplat-admin project export: every live project, oldest first, so that
 * importing the file adds them in the order the listing shows them. The id,
 * then the eight fields in devplat_project_field order. */
#define DEVPLAT_SQL_PROJECT_EXPORT \
    "SELECT p.id, p.name, p.status, p.purchase_budget, p.introduction, p.domain, " \
    "p.research_direction, p.level, p.delivery_at FROM projects p WHERE " \
    DEVPLAT_SQL_PROJECT_LIVE("p") " ORDER BY p.created_at, p.id"
enum {
    DEVPLAT_XCOL_ID,
    DEVPLAT_XCOL_FIELDS         /* the first field: name */
};

/* The search index (057_catalogue_search.sql, search_terms.h): a
 * project's terms, written in the transaction that writes the project.
 * SQLite's index is a contentless FTS5 table keyed by rowid, which forgets
 * a row when told its old terms (args: id, old terms); the others a table
 * keyed by project_id (args: id). INSERT args: the id, the terms. */
#define DEVPLAT_SQL_SEARCH_DELETE_SQLITE \
    "INSERT INTO project_search (project_search, rowid, terms) VALUES ('delete', %lld, %s)"
#define DEVPLAT_SQL_SEARCH_DELETE        "DELETE FROM project_search WHERE project_id = %lld"
#define DEVPLAT_SQL_SEARCH_INSERT_SQLITE \
    "INSERT INTO project_search (rowid, terms) VALUES (%lld, %s)"
#define DEVPLAT_SQL_SEARCH_INSERT \
    "INSERT INTO project_search (project_id, terms) VALUES (%lld, %s)"

/* devplat-admin project reindex: the index emptied, every project's terms
 * written again in batches by id (args: the last id, the batch size), and
 * the count of live projects taken again, in one transaction */
#define DEVPLAT_SQL_SEARCH_CLEAR_SQLITE \
    "INSERT INTO project_search (project_search) VALUES ('delete-all')"
#define DEVPLAT_SQL_SEARCH_CLEAR "DELETE FROM project_search"
#define DEVPLAT_SQL_SEARCH_SOURCE \
    "SELECT id, name, introduction, domain, research_direction FROM projects " \
    "WHERE id > %lld ORDER BY id LIMIT %d"
enum { DEVPLAT_SCOL_ID, DEVPLAT_SCOL_TEXTS, DEVPLAT_SCOL_NTEXTS = 4 };
#define DEVPLAT_SQL_COUNT_RESET \
    "UPDATE catalogue_counts SET value = (SELECT COUNT(*) FROM projects WHERE " \
    DEVPLAT_SQL_PROJECT_LIVE("projects") ") WHERE name = 'live_projects'"

/* the count of live projects, kept by the triggers of 057 */
#define DEVPLAT_SQL_LIVE_COUNT \
    "SELECT value FROM catalogue_counts WHERE name = 'live_projects'"

#endif
