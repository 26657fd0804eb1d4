/* 项目: the project list (paginated, searchable) and a project's details.
 * Every signed-in user sees every project; a project's level is the lowest
 * user level that may take part in it, not a filter on reading. */
#include "developer.h"
#include "project.h"
#include "body.h"
#include "config.h"
#include "db.h"
#include "reply.h"
#include "session.h"
#include "statements.h"
#include "catalogue_sql.h"
#include "like.h"
#include "search_terms.h"
#include "validate.h"

#define DP_PROJECT_COUNT        "devplat_project_count"
#define DP_PROJECT_PAGE         "devplat_project_page"
#define DP_PROJECT_SEARCH_PAGE  "devplat_project_search_page"
#define DP_PROJECT_GET          "devplat_project_get"

#define PROJECT_MATCHES DEVPLAT_PROJECT_MATCHES
#define PROJECT_ORDER DEVPLAT_PROJECT_ORDER " LIMIT %d OFFSET %d"

/* a deleted project (the back office's soft delete) is gone from this face
 * as if it never was; participations still show it (participate.c) */
#define LIVE DEVPLAT_SQL_PROJECT_LIVE("p")

const devplat_statement devplat_sql_project[] = {
    /* the live projects, counted by the triggers of 057 */
    {DP_PROJECT_COUNT, DEVPLAT_SQL_LIVE_COUNT},
    /* the page's ids from the index of the listing alone (the offset skips
     * index entries, not rows), then their rows */
    {DP_PROJECT_PAGE,
     "SELECT " DEVPLAT_PROJECT_COLUMNS " FROM (SELECT k.id FROM projects k WHERE "
     DEVPLAT_SQL_PROJECT_LIVE("k") " ORDER BY k.created_at DESC, k.id DESC "
     "LIMIT %d OFFSET %d) ids JOIN projects p ON p.id = ids.id" DEVPLAT_PROJECT_ORDER},
    /* a search that matches many: the listing read in order until the
     * page is full (the index plan is catalogue.c's) */
    {DP_PROJECT_SEARCH_PAGE,
     "SELECT " DEVPLAT_PROJECT_COLUMNS " FROM projects p WHERE " LIVE
     " AND " PROJECT_MATCHES PROJECT_ORDER},
    {DP_PROJECT_GET,
     "SELECT " DEVPLAT_PROJECT_COLUMNS " FROM projects p WHERE p.id = %lld AND " LIVE},
    {NULL, NULL}
};

#define PER_PAGE_MAX  100
#define PAGE_DIGITS   9         /* pages below 10^9: offsets stay exact */
#define ID_DIGITS     18
#define Q_MAX_CHARS   100
/* the deepest row a page may start at: OFFSET walks every row before it,
 * so a page that would start past it answers 422 (page 10000 of 10 is the
 * last one); a page past the last row is empty as ever */
#define DEPTH_MAX     100000
/* a search whose page is expected within this many rows of the listing
 * reads the listing in order; any other reads the index's candidates */
#define SCAN_ROWS     5000

#define MSG_PER_PAGE  "每页条数须为1到100的整数"
#define MSG_PAGE      "当前页数须为正整数"
#define MSG_Q_TYPE    "查询关键字必须是字符串"
#define MSG_Q_LONG    "查询关键字不能超过100个字符"
#define MSG_TOO_DEEP  "当前页数过大：只能浏览前100000条项目"

enum { COL_ID, COL_NAME, COL_STATUS, COL_BUDGET, COL_INTRODUCTION, COL_DOMAIN,
       COL_DIRECTION, COL_LEVEL, COL_CREATED, COL_UPDATED, COL_DELIVERY };

static json_object *text(const char *s)
{
    return json_object_new_string(s ? s : "");
}

json_object *devplat_project_json(const char **cells, int with_delivery)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "id", json_object_new_int64(devplat_atoi64(cells[COL_ID])));
    json_object_object_add(o, "name", text(cells[COL_NAME]));
    json_object_object_add(o, "status", text(cells[COL_STATUS]));
    json_object_object_add(o, "purchase_budget",
                           json_object_new_int64(devplat_atoi64(cells[COL_BUDGET])));
    json_object_object_add(o, "introduction", text(cells[COL_INTRODUCTION]));
    json_object_object_add(o, "domain", text(cells[COL_DOMAIN]));
    json_object_object_add(o, "research_direction", text(cells[COL_DIRECTION]));
    json_object_object_add(o, "level", json_object_new_int64(devplat_atoi64(cells[COL_LEVEL])));
    if (with_delivery) {
        json_object_object_add(o, "delivery_at", text(cells[COL_DELIVERY]));
    }
    json_object_object_add(o, "created_at", text(cells[COL_CREATED]));
    json_object_object_add(o, "updated_at", text(cells[COL_UPDATED]));
    return o;
}

/* A whole number given as ASCII digits (at most maxdigits) or as a JSON
 * integer: 1 with *out set; 0 when absent, null or ""; -1 otherwise. */
static int input_number(devplat_req *req, const char *field, int maxdigits,
                        apr_int64_t *out)
{
    json_object *v;
    const char *s;

    if (!json_object_object_get_ex(req->input, field, &v) || !v) {
        return 0;
    }
    if (json_object_is_type(v, json_type_int)) {
        *out = json_object_get_int64(v);
        return 1;
    }
    if (!json_object_is_type(v, json_type_string)) {
        return -1;
    }
    s = json_object_get_string(v);
    if (!*s) {
        return 0;
    }
    if (!devplat_is_digits(s, (apr_size_t)maxdigits)) {
        return -1;
    }
    *out = apr_atoi64(s);
    return 1;
}

/* q: NULL when absent or empty; sets an error when it is unusable. */
static const char *input_query(devplat_req *req, devplat_errors *e)
{
    json_object *v;
    const char *s;

    if (!json_object_object_get_ex(req->input, "q", &v) || !v) {
        return NULL;
    }
    if (!json_object_is_type(v, json_type_string)) {
        devplat_errors_add(e, "q", MSG_Q_TYPE);
        return NULL;
    }
    s = json_object_get_string(v);
    if (strlen(s) != (apr_size_t)json_object_get_string_len(v)) {
        devplat_errors_add(e, "q", MSG_Q_TYPE);      /* an embedded NUL */
        return NULL;
    }
    if (devplat_utf8_length(s) > Q_MAX_CHARS) {
        devplat_errors_add(e, "q", MSG_Q_LONG);
        return NULL;
    }
    return *s ? s : NULL;
}

static json_object *pagination(apr_int64_t total, int count, apr_int64_t per_page,
                               apr_int64_t page)
{
    json_object *meta = json_object_new_object();
    json_object *p = json_object_new_object();
    /* as Laravel's paginator: an empty list still has one (empty) page */
    apr_int64_t pages = total > 0 ? (total + per_page - 1) / per_page : 1;

    json_object_object_add(p, "total", json_object_new_int64(total));
    json_object_object_add(p, "count", json_object_new_int(count));
    json_object_object_add(p, "per_page", json_object_new_int64(per_page));
    json_object_object_add(p, "current_page", json_object_new_int64(page));
    json_object_object_add(p, "total_pages", json_object_new_int64(pages));
    json_object_object_add(meta, "pagination", p);
    return meta;
}

/* the rows as projects, appended to list */
static void add_rows(json_object *list, devplat_rows *rows)
{
    int i;

    for (i = 0; i < rows->nrows; i++) {
        json_object_array_add(list, devplat_project_json(rows->rows[i], 0));
    }
}

/* The count of live projects (057's counter): OK with *live, else
 * HTTP_SERVICE_UNAVAILABLE. */
static int live_count(devplat_req *req, apr_int64_t *live)
{
    devplat_rows *rows;

    if (devplat_db_select(req, DP_PROJECT_COUNT, &rows, 0) != APR_SUCCESS
        || rows->nrows != 1) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    *live = devplat_atoi64(rows->rows[0][0]);
    return OK;
}

/* Without q: the counter, and the page when it has rows (OK, or
 * HTTP_UNPROCESSABLE_ENTITY when it starts deeper than DEPTH_MAX). */
static int listing(devplat_req *req, apr_int64_t per_page, apr_int64_t offset,
                   apr_int64_t *total, json_object **list)
{
    devplat_rows *rows;

    if (live_count(req, total) != OK) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    *list = json_object_new_array();
    if (offset < *total) {
        if (offset >= DEPTH_MAX) {
            return HTTP_UNPROCESSABLE_ENTITY;
        }
        if (devplat_db_select(req, DP_PROJECT_PAGE, &rows, 2, devplat_i64(req, per_page),
                              devplat_i64(req, offset)) != APR_SUCCESS) {
            return HTTP_SERVICE_UNAVAILABLE;
        }
        add_rows(*list, rows);
    }
    return OK;
}

/* With q: the matches counted through the index up to the cap
 * (DevplatSearchCountCap), then the page, through the index or along the
 * listing, whichever reads fewer rows. Both answer exactly the rows
 * DEVPLAT_PROJECT_MATCHES matches, in the listing's order; for a query of
 * one or two characters that the index answers alone (devplat_terms_exact())
 * the index's statements leave the LIKE recheck out. */
static int search(devplat_req *req, const char *q, apr_int64_t per_page, apr_int64_t offset,
                  apr_int64_t *total, json_object **list)
{
    apr_pool_t *p = req->r->pool;
    const char *pattern = devplat_like_contains(p, q);
    const char *terms = devplat_terms_query(p, q, devplat_project_terms_syntax(req));
    const char *limit = devplat_i64(req, per_page), *off = devplat_i64(req, offset);
    const char *cap = devplat_i64(req, req->sconf->search_count_cap);
    int exact = devplat_terms_exact(q);
    devplat_rows *rows;
    apr_int64_t live;
    apr_status_t rv;

    if ((exact ? devplat_db_select(req, DP_CAT_EXACT_COUNT, &rows, 2, terms, cap)
               : devplat_db_select(req, DP_CAT_SEARCH_COUNT, &rows, 6, terms, pattern, pattern,
                                   pattern, pattern, cap))
        != APR_SUCCESS || rows->nrows != 1) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    *total = devplat_atoi64(rows->rows[0][0]);
    *list = json_object_new_array();
    if (offset >= *total) {
        return OK;
    }
    if (offset >= DEPTH_MAX) {
        return HTTP_UNPROCESSABLE_ENTITY;
    }
    if (live_count(req, &live) != OK) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    /* the listing holds a match every live / total rows (fewer when the
     * total is capped) */
    if ((double)(offset + per_page) * (double)live / (double)*total <= SCAN_ROWS) {
        rv = devplat_db_select(req, DP_PROJECT_SEARCH_PAGE, &rows, 6, pattern, pattern,
                               pattern, pattern, limit, off);
    }
    else if (exact) {
        rv = devplat_db_select(req, DP_CAT_EXACT_PAGE, &rows, 3, terms, limit, off);
    }
    else {
        rv = devplat_db_select(req, DP_CAT_SEARCH_PAGE, &rows, 7, terms, pattern, pattern,
                               pattern, pattern, limit, off);
    }
    if (rv != APR_SUCCESS) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    add_rows(*list, rows);
    return OK;
}

int devplat_dev_project_paginate(devplat_req *req)
{
    devplat_errors *e;
    json_object *list = NULL;
    const char *q;
    apr_int64_t per_page = 0, page = 1, total = 0, offset;
    int rc, got;

    if (DEVPLAT_DONE(rc = devplat_session_require(req))
        || DEVPLAT_DONE(rc = devplat_input_load(req))) {
        return rc;
    }
    e = devplat_errors_make(req->r);
    got = input_number(req, "per_page", 3, &per_page);
    if (got == 0) {
        devplat_errors_missing(e, "per_page", "每页条数不能为空");
    }
    else if (got < 0 || per_page < 1 || per_page > PER_PAGE_MAX) {
        devplat_errors_add(e, "per_page", MSG_PER_PAGE);
    }
    got = input_number(req, "page", PAGE_DIGITS, &page);
    if (got == 0) {
        page = 1;
    }
    else if (got < 0 || page < 1 || page >= APR_INT64_C(1000000000)) {
        devplat_errors_add(e, "page", MSG_PAGE);
    }
    q = input_query(req, e);
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }

    offset = (page - 1) * per_page;
    if (!q) {
        rc = listing(req, per_page, offset, &total, &list);
    }
    else {
        rc = search(req, q, per_page, offset, &total, &list);
    }
    if (rc != OK) {
        if (list) {
            json_object_put(list);
        }
        if (rc == HTTP_UNPROCESSABLE_ENTITY) {
            return devplat_reply_invalid1(req, "page", MSG_TOO_DEEP);
        }
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    return devplat_reply_ok_meta(req, list, pagination(total, (int)json_object_array_length(list),
                                                       per_page, page));
}

int devplat_dev_project_base(devplat_req *req)
{
    const char *id = apr_table_get(req->params, "project_id");
    devplat_rows *rows;
    int rc;

    if (DEVPLAT_DONE(rc = devplat_session_require(req))) {
        return rc;
    }
    /* only a decimal id can name a project: anything else is not found */
    if (!devplat_is_digits(id, ID_DIGITS)) {
        return devplat_reply_error(req, HTTP_NOT_FOUND, DEVPLAT_MSG_NOT_FOUND);
    }
    if (devplat_db_select(req, DP_PROJECT_GET, &rows, 1, id) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (rows->nrows != 1) {
        return devplat_reply_error(req, HTTP_NOT_FOUND, DEVPLAT_MSG_NOT_FOUND);
    }
    return devplat_reply_ok(req, devplat_project_json(rows->rows[0], 1));
}
