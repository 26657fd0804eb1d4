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

/* The search index (057_catalogue_search.sql, 060_search_listing_order.sql,
 * search_terms.h): the terms of every live project, written in the
 * transaction that writes the project; a delete takes them out. The index
 * also knows each project's place in the listing, so that it answers a
 * page in order without reading the rows of every match.
 *
 * SQLite's index is a contentless FTS5 table whose rowid is that place,
 * DEVPLAT_SQL_LISTING_KEY: created_at's Unix time (clamped to 0 ..
 * 2^32 - 1) times 2^31, plus the id, so that rowid order is the
 * listing's (created_at, id). The others have a table keyed by project_id
 * with a copy of created_at, the place. */
#define DEVPLAT_SQL_LISTING_KEY(p) \
    "((min(max(coalesce(unixepoch(" p ".created_at), 0), 0), 4294967295) << 31) + " p ".id)"
#define DEVPLAT_SQL_LISTING_ID(key) "(" key " & 2147483647)"
/* the ids the key can hold; a project past them is not indexed rather
 * than given a key that another project's may equal */
#define DEVPLAT_SQL_LISTING_ID_FITS(p) p ".id < 2147483648"

/* A project's place (args: id): SQLite its key (no row for an id the key
 * cannot hold), the others its created_at. */
#define DEVPLAT_SQL_SEARCH_PLACE_SQLITE \
    "SELECT " DEVPLAT_SQL_LISTING_KEY("p") " FROM projects p WHERE p.id = %lld AND " \
    DEVPLAT_SQL_LISTING_ID_FITS("p")
#define DEVPLAT_SQL_SEARCH_PLACE "SELECT p.created_at FROM projects p WHERE p.id = %lld"

/* The writes of a project's terms, one row each with VALUES, never INSERT
 * ... SELECT: SQLite gives a statement that may write several rows a
 * savepoint, and FTS5 writes its in-memory terms out at every savepoint's
 * release (a reindex of a million projects took minutes more).
 * SQLite forgets a row when told its terms again (args: the place, the old
 * terms) and writes one (args: the place, the terms); the others forget by
 * id (args: id) and write (args: the id, the place, the terms). */
#define DEVPLAT_SQL_SEARCH_DELETE_SQLITE \
    "INSERT INTO project_search (project_search, rowid, terms) VALUES ('delete', %lld, %s)"
#define DEVPLAT_SQL_SEARCH_DELETE        "DELETE FROM project_search WHERE project_id = %lld"
#define DEVPLAT_SQL_SEARCH_INSERT_SQLITE \
    "INSERT INTO project_search (rowid, terms) VALUES (%lld, %s)"
#define DEVPLAT_SQL_SEARCH_INSERT \
    "INSERT INTO project_search (project_id, created_at, terms) VALUES (%lld, %s, %s)"

/* the migration whose index the statements above write: devplat-admin
 * refuses to write the index of a database that lacks it (a reindex there
 * would write keys the migration cannot read) */
#define DEVPLAT_SQL_SEARCH_SCHEMA \
    "SELECT version FROM schema_migrations WHERE version = '060_search_listing_order'"

/* devplat-admin project reindex: the index emptied, every live project's
 * terms written again in batches in the listing's order, oldest first
 * (args: the last batch's last created_at twice and id, the batch size:
 * a range of the listing's index, (created_at, id)), and the count of
 * live projects taken again, in one transaction. The order matters to
 * SQLite: FTS5 writes its in-memory terms out whenever a rowid is not
 * above the last one, so rows in id order rather than key order would
 * each cost a write of the index. */
#define DEVPLAT_SQL_SEARCH_CLEAR_SQLITE \
    "INSERT INTO project_search (project_search) VALUES ('delete-all')"
#define DEVPLAT_SQL_SEARCH_CLEAR "DELETE FROM project_search"
#define DEVPLAT_SQL_SEARCH_SOURCE_OF(place, where) \
    "SELECT id, created_at, " place ", name, introduction, domain, research_direction " \
    "FROM projects WHERE " DEVPLAT_SQL_PROJECT_LIVE("projects") where " AND created_at >= %s " \
    "AND (created_at > %s OR id > %lld) ORDER BY created_at, id LIMIT %d"
#define DEVPLAT_SQL_SEARCH_SOURCE_SQLITE \
    DEVPLAT_SQL_SEARCH_SOURCE_OF(DEVPLAT_SQL_LISTING_KEY("projects"), \
                                 " AND " DEVPLAT_SQL_LISTING_ID_FITS("projects"))
#define DEVPLAT_SQL_SEARCH_SOURCE DEVPLAT_SQL_SEARCH_SOURCE_OF("created_at", "")
enum { DEVPLAT_SCOL_ID, DEVPLAT_SCOL_CREATED, DEVPLAT_SCOL_PLACE, DEVPLAT_SCOL_TEXTS,
       DEVPLAT_SCOL_NTEXTS = 4, DEVPLAT_SCOL_N = DEVPLAT_SCOL_TEXTS + DEVPLAT_SCOL_NTEXTS };
#define DEVPLAT_SQL_COUNT_RESET \
    "UPDATE catalogue_counts SET value = (SELECT COUNT(*) FROM projects WHERE " \
    DEVPLAT_SQL_PROJECT_LIVE("projects") ") WHERE name = 'live_projects'"

/* the count of live projects, kept by the triggers of 057 */
#define DEVPLAT_SQL_LIVE_COUNT \
    "SELECT value FROM catalogue_counts WHERE name = 'live_projects'"

#endif
