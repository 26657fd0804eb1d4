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
 * SQLite's index is a contentless FTS5 table whose rowid is that place:
 * project_search_places maps it to the project. Places are the projects'
 * ranks in the listing's order (created_at, id), given again by every
 * reindex; a new project takes the place after the last. Dense places
 * keep FTS5's doclists small: it stores rowids as varint deltas.
 * The others have a table keyed by project_id with a copy of created_at,
 * the place. */

/* A project's place (args: id); SQLite: none yet for a new project. */
#define DEVPLAT_SQL_SEARCH_PLACE_SQLITE \
    "SELECT place FROM project_search_places WHERE project_id = %lld"
#define DEVPLAT_SQL_SEARCH_PLACE "SELECT p.created_at FROM projects p WHERE p.id = %lld"
/* SQLite: the place after the last, then the new project's (args: the
 * place, id); read and written in the project's transaction, which
 * already holds the database's write lock */
#define DEVPLAT_SQL_SEARCH_NEXT_PLACE_SQLITE \
    "SELECT coalesce(max(place), 0) + 1 FROM project_search_places"
#define DEVPLAT_SQL_SEARCH_PLACE_INSERT_SQLITE \
    "INSERT INTO project_search_places (place, project_id) VALUES (%lld, %lld)"
#define DEVPLAT_SQL_SEARCH_PLACE_DELETE_SQLITE \
    "DELETE FROM project_search_places WHERE place = %lld"

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

/* devplat-admin project reindex: the index emptied, SQLite's places
 * given again (one rank per live project, in the listing's order, read
 * from the listing's index alone), every live project's terms written
 * again in batches by id (args: the last id, the batch size; columns: the
 * id, the place, the texts), and the count of live projects taken again,
 * in one transaction. */
#define DEVPLAT_SQL_SEARCH_CLEAR_SQLITE \
    "INSERT INTO project_search (project_search) VALUES ('delete-all')"
#define DEVPLAT_SQL_SEARCH_CLEAR "DELETE FROM project_search"
#define DEVPLAT_SQL_SEARCH_PLACES_CLEAR_SQLITE "DELETE FROM project_search_places"
#define DEVPLAT_SQL_SEARCH_PLACES_RANK_SQLITE \
    "INSERT INTO project_search_places (place, project_id) " \
    "SELECT row_number() OVER (ORDER BY created_at, id), id FROM projects WHERE " \
    DEVPLAT_SQL_PROJECT_LIVE("projects")
#define DEVPLAT_SQL_SEARCH_SOURCE_SQLITE \
    "SELECT p.id, pl.place, p.name, p.introduction, p.domain, p.research_direction " \
    "FROM projects p JOIN project_search_places pl ON pl.project_id = p.id " \
    "WHERE p.id > %lld ORDER BY p.id LIMIT %d"
#define DEVPLAT_SQL_SEARCH_SOURCE \
    "SELECT id, created_at, name, introduction, domain, research_direction FROM projects " \
    "WHERE id > %lld AND " DEVPLAT_SQL_PROJECT_LIVE("projects") " ORDER BY id LIMIT %d"
enum { DEVPLAT_SCOL_ID, DEVPLAT_SCOL_PLACE, DEVPLAT_SCOL_TEXTS, DEVPLAT_SCOL_NTEXTS = 4,
       DEVPLAT_SCOL_N = DEVPLAT_SCOL_TEXTS + DEVPLAT_SCOL_NTEXTS };
#define DEVPLAT_SQL_COUNT_RESET \
    "UPDATE catalogue_counts SET value = (SELECT COUNT(*) FROM projects WHERE " \
    DEVPLAT_SQL_PROJECT_LIVE("projects") ") WHERE name = 'live_projects'"

/* the count of live projects, kept by the triggers of 057 */
#define DEVPLAT_SQL_LIVE_COUNT \
    "SELECT value FROM catalogue_counts WHERE name = 'live_projects'"

#endif
