/* The back office's project catalogue (issue 12): administrators list
 * every project (deleted ones too, flagged), create, edit and delete them.
 * The field rules are modules/core/project_rules.c, which devplat-admin's
 * project import uses too; every change writes its audit row in the
 * transaction of the change. */
#include "admin.h"
#include "project_sql.h"
#include "audit.h"
#include "body.h"
#include "db.h"
#include "like.h"
#include "project_rules.h"
#include "timefmt.h"
#include "utf8.h"

#define Q_MAX_CHARS     100     /* as the developer face's project/paginate */

#define MSG_NO_PROJECT  "项目不存在"
#define MSG_BAD_ID      "项目id须为正整数"
#define MSG_Q_RULE      "查询关键字须为不超过100个字符的字符串"
#define MSG_STATUS_RULE "状态须为registration、ing、end或iteration"
#define MSG_NO_FIELDS   "请至少提供一项要修改的内容：name、status、purchase_budget、" \
                        "introduction、domain、research_direction、level、delivery_at"

/* The project as every answer of this face shows it: the developer face's
 * project with delivery_at, and whether (since when) it is deleted. */
static json_object *project_json(const char **row)
{
    json_object *o = devplat_project_json(row, 1);
    const char *deleted_at = row[DPA_PCOL_DELETED_AT];

    json_object_object_add(o, "deleted", json_object_new_boolean(deleted_at != NULL));
    json_object_object_add(o, "deleted_at", json_object_new_string(deleted_at ? deleted_at
                                                                              : ""));
    return o;
}

/* q: the name's text to look for, at most Q_MAX_CHARS characters */
static int q_fits(const char *q)
{
    return devplat_utf8_length(q) <= Q_MAX_CHARS;
}

/* Statements of project/list by filter: bit 1 q, bit 2 status. */
static const char *const count_by_filter[] = {
    DPA_PROJECT_COUNT, DPA_PROJECT_COUNT_Q, DPA_PROJECT_COUNT_S, DPA_PROJECT_COUNT_QS
};
static const char *const page_by_filter[] = {
    DPA_PROJECT_PAGE, DPA_PROJECT_PAGE_Q, DPA_PROJECT_PAGE_S, DPA_PROJECT_PAGE_QS
};

int devplat_admin_project_list(devplat_req *req)
{
    devplat_admin_paging pg;
    devplat_errors *e;
    devplat_rows *count, *rows;
    json_object *list;
    const char *q, *status, *args[4] = {NULL, NULL, NULL, NULL};
    int rc, i, n = 0, filter = 0;

    if (DEVPLAT_DONE(rc = devplat_admin_require_admin(req))
        || DEVPLAT_DONE(rc = devplat_input_load(req))
        || DEVPLAT_DONE(rc = devplat_admin_paging_read(req, &pg))) {
        return rc;
    }
    e = devplat_errors_make(req->r);
    q = devplat_admin_query_text(req, e, "q", q_fits, MSG_Q_RULE);
    status = devplat_admin_query_text(req, e, "status", devplat_project_status_known,
                                      MSG_STATUS_RULE);
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }

    /* the filters' arguments, then the page's: a variadic call reads only
     * as many as it is told */
    if (q) {
        args[n++] = devplat_like_contains(req->r->pool, q);
        filter |= 1;
    }
    if (status) {
        args[n++] = status;
        filter |= 2;
    }
    if (devplat_db_select(req, count_by_filter[filter], &count, n, args[0], args[1])
        != APR_SUCCESS || count->nrows != 1) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    args[n] = pg.limit;
    args[n + 1] = pg.offset;
    if (devplat_db_select(req, page_by_filter[filter], &rows, n + 2, args[0], args[1],
                          args[2], args[3]) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    list = json_object_new_array();
    for (i = 0; i < rows->nrows; i++) {
        json_object_array_add(list, project_json(rows->rows[i]));
    }
    return devplat_reply_ok(req, devplat_admin_page_json(&pg,
                                                         devplat_atoi64(devplat_cell(count, 0, 0)),
                                                         list));
}

/* Reads and checks the project of the request (project_rules.h), the level
 * against the levels table too. DEVPLAT_CONTINUE with *in, else the 422
 * (every broken rule at once) or 503 answered. */
static int read_project(devplat_req *req, int create, devplat_project_input *in)
{
    apr_pool_t *p = req->r->pool;
    apr_array_header_t *broken = apr_array_make(p, 4, sizeof(devplat_project_error));
    const char *level;
    devplat_rows *rows;
    int i;

    devplat_project_read(p, req->input, create, in, broken);
    if ((level = in->value[DEVPLAT_PF_LEVEL]) != NULL) {
        if (devplat_db_select(req, DPA_LEVEL_EXISTS, &rows, 1, level) != APR_SUCCESS) {
            return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
        }
        if (rows->nrows == 0) {
            *(devplat_project_error *)apr_array_push(broken) = devplat_project_no_level;
        }
    }
    if (broken->nelts) {
        devplat_errors *e = devplat_errors_make(req->r);

        for (i = 0; i < broken->nelts; i++) {
            const devplat_project_error *b = &APR_ARRAY_IDX(broken, i, devplat_project_error);

            devplat_errors_add(e, b->field, b->message);
        }
        return devplat_reply_invalid(req, e);
    }
    if (!in->given && !create) {
        return devplat_reply_error(req, HTTP_UNPROCESSABLE_ENTITY, MSG_NO_FIELDS);
    }
    return DEVPLAT_CONTINUE;
}

/* The route's {id}: its decimal text, or NULL with the 422 answered. */
static const char *project_id(devplat_req *req, int *rc)
{
    apr_int64_t id = devplat_admin_param_id(req);

    if (!id) {
        *rc = devplat_reply_invalid1(req, "id", MSG_BAD_ID);
        return NULL;
    }
    return devplat_i64(req, id);
}

/* The project id as it is now, deleted or not: APR_SUCCESS with *row
 * (NULL when there is none), or the database's failure. Answers nothing:
 * it also runs inside the transactions. */
static apr_status_t project_row(devplat_req *req, const char *id, const char ***row)
{
    devplat_rows *rows;
    apr_status_t rv = devplat_db_select(req, DPA_PROJECT_GET, &rows, 1, id);

    *row = rv == APR_SUCCESS && rows->nrows == 1 ? rows->rows[0] : NULL;
    return rv;
}

/* The searched texts of a row of DEVPLAT_PROJECT_COLUMNS. */
static void row_texts(const char **row, const char **texts)
{
    texts[0] = row[1];          /* name */
    texts[1] = row[4];          /* introduction */
    texts[2] = row[5];          /* domain */
    texts[3] = row[6];          /* research_direction */
}

/* The project's terms in the search index, in the transaction of the
 * change: old, the row before it (NULL: a new project), row, the row as it
 * is now (NULL: deleted, its terms leave the index). */
static void index_row(devplat_req *req, const char *id, const char **old, const char **row)
{
    const char *texts[4], *old_texts[4];

    if (row) {
        row_texts(row, texts);
    }
    if (old) {
        row_texts(old, old_texts);
    }
    devplat_project_index(req, id, old ? old_texts : NULL, row ? texts : NULL);
    /* a failure marks the transaction, which then rolls back */
}

static int is_live(const char **row)
{
    return row && row[DPA_PCOL_DELETED_AT] == NULL;
}

/* the row is about no user (user_id NULL); its actor is the
 * administrator of the request */
static const char *audit_detail(devplat_req *req, const char *id, const char *fields)
{
    return devplat_project_audit_detail(req->r->pool, id, fields);
}

/* Ends the transaction of a change and answers: the project row (read in
 * the transaction), 404 when the project was gone, 503 when anything in
 * the transaction failed (row NULL, or a statement that rolled it back). */
static int finish(devplat_req *req, const char **row, int gone)
{
    if (gone || !row) {
        devplat_db_rollback(req);
    }
    if (devplat_db_end(req) != APR_SUCCESS) {
        if (gone) {
            return devplat_reply_error(req, HTTP_NOT_FOUND, MSG_NO_PROJECT);
        }
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    return devplat_reply_ok(req, project_json(row));
}

int devplat_admin_project_create(devplat_req *req)
{
    devplat_project_input in;
    devplat_rows *rows;
    const char *const *v = in.value;
    const char **row = NULL, *now, *id;
    int rc;

    if (DEVPLAT_DONE(rc = devplat_admin_require_admin(req))
        || DEVPLAT_DONE(rc = devplat_input_load(req))
        || DEVPLAT_DONE(rc = read_project(req, 1, &in))) {
        return rc;
    }
    now = devplat_time_pformat(req->r->pool, req->now);
    if (devplat_db_begin(req) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (devplat_db_select(req, DPA_PROJECT_INSERT, &rows, 10, v[0], v[1], v[2], v[3], v[4],
                          v[5], v[6], v[7], now, now) == APR_SUCCESS && rows->nrows == 1
        && (id = devplat_cell(rows, 0, 0)) != NULL
        && devplat_audit(req, 0, "project_create",
                         audit_detail(req, id, devplat_project_given(req->r->pool, &in)))
           == APR_SUCCESS) {
        project_row(req, id, &row);
        if (row) {
            index_row(req, id, NULL, row);
        }
    }
    return finish(req, row, 0);
}

int devplat_admin_project_update(devplat_req *req)
{
    devplat_project_input in;
    const char *const *v = in.value;
    const char **row, **old = NULL, *id, *now;
    int rc, gone = 0;

    if (DEVPLAT_DONE(rc = devplat_admin_require_admin(req))) {
        return rc;
    }
    if (!(id = project_id(req, &rc))) {
        return rc;
    }
    /* an unknown project is one before its fields are looked at */
    if (project_row(req, id, &row) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (!is_live(row)) {
        return devplat_reply_error(req, HTTP_NOT_FOUND, MSG_NO_PROJECT);
    }
    if (DEVPLAT_DONE(rc = devplat_input_load(req))
        || DEVPLAT_DONE(rc = read_project(req, 0, &in))) {
        return rc;
    }
    now = devplat_time_pformat(req->r->pool, req->now);
    if (devplat_db_begin(req) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    /* The row lock first, then the row this change replaces: InnoDB's
     * consistent read starts at the first read of the transaction, not at
     * BEGIN, so a read before the lock would still show a project that a
     * concurrent delete has just committed as live, and the edit would
     * answer 200 having changed nothing. Read after the lock, the row is
     * the committed one on every engine, and a delete that won is a 404. */
    row = NULL;
    if (devplat_db_exec(req, DPA_PROJECT_LOCK, NULL, 1, id) == APR_SUCCESS
        && project_row(req, id, &old) == APR_SUCCESS) {
        gone = !is_live(old);
        if (!gone
            && devplat_db_exec(req, DPA_PROJECT_UPDATE, NULL, 10, v[0], v[1], v[2], v[3], v[4],
                               v[5], v[6], v[7], now, id) == APR_SUCCESS
            && project_row(req, id, &row) == APR_SUCCESS && row
            && devplat_audit(req, 0, "project_update",
                             audit_detail(req, id, devplat_project_given(req->r->pool, &in)))
               == APR_SUCCESS) {
            index_row(req, id, old, row);
        }
    }
    return finish(req, row, gone);
}

int devplat_admin_project_delete(devplat_req *req)
{
    const char **row = NULL, *id;
    int rc, deleted = 0, gone = 0;

    if (DEVPLAT_DONE(rc = devplat_admin_require_admin(req))
        || DEVPLAT_DONE(rc = devplat_input_load(req))) {
        return rc;
    }
    if (!(id = project_id(req, &rc))) {
        return rc;
    }
    if (devplat_db_begin(req) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    /* only the first of two deletes changes the row: the other is a 404 */
    if (devplat_db_exec(req, DPA_PROJECT_DELETE, &deleted, 2,
                        devplat_time_pformat(req->r->pool, req->now), id) == APR_SUCCESS) {
        gone = deleted != 1;
        if (!gone && devplat_audit(req, 0, "project_delete",
                                   audit_detail(req, id, "deleted_at")) == APR_SUCCESS
            && project_row(req, id, &row) == APR_SUCCESS && row) {
            index_row(req, id, row, NULL);
        }
    }
    return finish(req, row, gone);
}
