/* 项目: the project list (paginated, searchable) and a project's details.
 * Every signed-in user sees every project; a project's level is the lowest
 * user level that may take part in it, not a filter on reading. */
#include "developer.h"
#include "project.h"
#include "body.h"
#include "db.h"
#include "reply.h"
#include "session.h"
#include "statements.h"
#include "catalogue_sql.h"
#include "like.h"
#include "validate.h"

#define DP_PROJECT_COUNT        "devplat_project_count"
#define DP_PROJECT_PAGE         "devplat_project_page"
#define DP_PROJECT_SEARCH_COUNT "devplat_project_search_count"
#define DP_PROJECT_SEARCH_PAGE  "devplat_project_search_page"
#define DP_PROJECT_GET          "devplat_project_get"

/* q is literal text in any of the four columns: the pattern comes from
 * devplat_like_contains(), case folded by lower() on both sides */
#define PROJECT_MATCHES \
    "lower(p.name) LIKE lower(%s) ESCAPE '!' " \
    "OR lower(p.introduction) LIKE lower(%s) ESCAPE '!' " \
    "OR lower(p.domain) LIKE lower(%s) ESCAPE '!' " \
    "OR lower(p.research_direction) LIKE lower(%s) ESCAPE '!'"

/* newest first; the id makes the order total, so pages never overlap */
#define PROJECT_ORDER " ORDER BY p.created_at DESC, p.id DESC LIMIT %d OFFSET %d"

/* a deleted project (the back office's soft delete) is gone from this face
 * as if it never was; participations still show it (participate.c) */
#define LIVE DEVPLAT_SQL_PROJECT_LIVE("p")

const devplat_statement devplat_sql_project[] = {
    {DP_PROJECT_COUNT, "SELECT COUNT(*) FROM projects p WHERE " LIVE},
    {DP_PROJECT_PAGE,
     "SELECT " DEVPLAT_PROJECT_COLUMNS " FROM projects p WHERE " LIVE PROJECT_ORDER},
    {DP_PROJECT_SEARCH_COUNT,
     "SELECT COUNT(*) FROM projects p WHERE " LIVE " AND (" PROJECT_MATCHES ")"},
    {DP_PROJECT_SEARCH_PAGE,
     "SELECT " DEVPLAT_PROJECT_COLUMNS " FROM projects p WHERE " LIVE
     " AND (" PROJECT_MATCHES ")" PROJECT_ORDER},
    {DP_PROJECT_GET,
     "SELECT " DEVPLAT_PROJECT_COLUMNS " FROM projects p WHERE p.id = %lld AND " LIVE},
    {NULL, NULL}
};

#define PER_PAGE_MAX  100
#define PAGE_DIGITS   9         /* pages below 10^9: offsets stay exact */
#define ID_DIGITS     18
#define Q_MAX_CHARS   100

#define MSG_PER_PAGE  "每页条数须为1到100的整数"
#define MSG_PAGE      "当前页数须为正整数"
#define MSG_Q_TYPE    "查询关键字必须是字符串"
#define MSG_Q_LONG    "查询关键字不能超过100个字符"

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

int devplat_dev_project_paginate(devplat_req *req)
{
    devplat_errors *e;
    devplat_rows *rows;
    json_object *list;
    const char *q, *pattern = NULL;
    apr_int64_t per_page = 0, page = 1, total, offset;
    apr_status_t rv;
    int rc, i, got;

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

    if (q) {
        pattern = devplat_like_contains(req->r->pool, q);
        rv = devplat_db_select(req, DP_PROJECT_SEARCH_COUNT, &rows, 4,
                               pattern, pattern, pattern, pattern);
    }
    else {
        rv = devplat_db_select(req, DP_PROJECT_COUNT, &rows, 0);
    }
    if (rv != APR_SUCCESS || rows->nrows != 1) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    total = devplat_atoi64(rows->rows[0][0]);

    list = json_object_new_array();
    offset = (page - 1) * per_page;
    if (offset < total) {
        const char *limit = devplat_i64(req, per_page), *off = devplat_i64(req, offset);

        if (q) {
            rv = devplat_db_select(req, DP_PROJECT_SEARCH_PAGE, &rows, 6, pattern,
                                   pattern, pattern, pattern, limit, off);
        }
        else {
            rv = devplat_db_select(req, DP_PROJECT_PAGE, &rows, 2, limit, off);
        }
        if (rv != APR_SUCCESS) {
            json_object_put(list);
            return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE,
                                       DEVPLAT_MSG_UNAVAILABLE);
        }
        for (i = 0; i < rows->nrows; i++) {
            json_object_array_add(list, devplat_project_json(rows->rows[i], 0));
        }
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
