/* What the project endpoints share with the participation list: the
 * columns of a project and its JSON shape. */
#ifndef DEVPLAT_API_DEVELOPER_PROJECT_H
#define DEVPLAT_API_DEVELOPER_PROJECT_H

#include "devplat_private.h"

/* A project as every listing selects it (alias p), 11 columns. */
#define DEVPLAT_PROJECT_COLUMNS \
    "p.id, p.name, p.status, p.purchase_budget, p.introduction, p.domain, " \
    "p.research_direction, p.level, p.created_at, p.updated_at, p.delivery_at"
#define DEVPLAT_PROJECT_NCOLS 11

/* q is literal text in any of the four searched columns of p: four
 * devplat_like_contains() patterns, case folded by lower() on both sides.
 * Every search answers what this matches, whatever index found the rows. */
#define DEVPLAT_PROJECT_MATCHES \
    "(lower(p.name) LIKE lower(%s) ESCAPE '!' " \
    "OR lower(p.introduction) LIKE lower(%s) ESCAPE '!' " \
    "OR lower(p.domain) LIKE lower(%s) ESCAPE '!' " \
    "OR lower(p.research_direction) LIKE lower(%s) ESCAPE '!')"

/* The listing order: newest first; the id makes it total, so pages never
 * overlap. */
#define DEVPLAT_PROJECT_ORDER " ORDER BY p.created_at DESC, p.id DESC"

/* The search index (catalogue.c, 057_catalogue_search.sql,
 * 060_search_listing_order.sql), statements prepared per engine.
 * SEARCH_COUNT: the matches of terms + pattern x 4, at most %d;
 * SEARCH_PAGE: terms + pattern x 4, limit, offset. */
#define DP_CAT_SEARCH_COUNT "devplat_catalogue_search_count"
#define DP_CAT_SEARCH_PAGE  "devplat_catalogue_search_page"
/* the same for a query the index answers alone (devplat_terms_exact()), no
 * recheck: EXACT_COUNT: terms, at most %d; EXACT_PAGE: terms, limit, offset */
#define DP_CAT_EXACT_COUNT  "devplat_catalogue_exact_count"
#define DP_CAT_EXACT_PAGE   "devplat_catalogue_exact_page"
#define DP_CAT_INDEX_PLACE  "devplat_catalogue_index_place"
#define DP_CAT_NEXT_PLACE   "devplat_catalogue_next_place"
#define DP_CAT_PLACE_INSERT "devplat_catalogue_place_insert"
#define DP_CAT_PLACE_DELETE "devplat_catalogue_place_delete"
#define DP_CAT_INDEX_DELETE "devplat_catalogue_index_delete"
#define DP_CAT_INDEX_INSERT "devplat_catalogue_index_insert"

/* Keeps project id's terms in the search index, in the request's open
 * transaction: forgets those of old_texts (its name, introduction, domain
 * and research_direction before the change; NULL for a new project) and
 * writes those of texts (the same after it; NULL for a delete). APR_SUCCESS
 * or the failure (logged; the transaction is then rolled back at its
 * end). */
apr_status_t devplat_project_index(devplat_req *req, const char *id,
                                   const char *const *old_texts, const char *const *texts);

/* The search syntax of the request's engine (search_terms.h). */
int devplat_project_terms_syntax(devplat_req *req);

/* {id, name, status, purchase_budget, introduction, domain,
 * research_direction, level, [delivery_at,] created_at, updated_at} from
 * DEVPLAT_PROJECT_COLUMNS at cells[0..]. */
json_object *devplat_project_json(const char **cells, int with_delivery);

#endif
