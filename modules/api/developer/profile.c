/* Helpers the personal centre's endpoint files share (profile.h). */
#include "profile.h"
#include "accounts.h"
#include "db.h"
#include "upload.h"

json_object *devplat_cell_int(const char *cell)
{
    return json_object_new_int64(cell ? devplat_atoi64(cell) : 0);
}

json_object *devplat_ids_json(const apr_array_header_t *ids)
{
    json_object *a = json_object_new_array();
    int i;

    for (i = 0; ids && i < ids->nelts; i++) {
        json_object_array_add(a, json_object_new_int64(APR_ARRAY_IDX(ids, i, apr_int64_t)));
    }
    return a;
}

apr_array_header_t *devplat_id_array(devplat_req *req, apr_int64_t id)
{
    apr_array_header_t *a = apr_array_make(req->r->pool, 1, sizeof(apr_int64_t));

    APR_ARRAY_PUSH(a, apr_int64_t) = id;
    return a;
}

int devplat_lookup_check(devplat_req *req, devplat_errors *e, const char *label,
                         const char *field, const char *name,
                         const apr_array_header_t *ids)
{
    devplat_rows *rows;
    int i, j;

    /* a few dozen rows at most: one read, then compare in memory */
    if (devplat_db_select(req, label, &rows, 0) != APR_SUCCESS) {
        return -1;
    }
    for (i = 0; i < ids->nelts; i++) {
        apr_int64_t id = APR_ARRAY_IDX(ids, i, apr_int64_t);
        int found = 0;

        for (j = 0; j < rows->nrows && !found; j++) {
            found = devplat_atoi64(rows->rows[j][0]) == id;
        }
        if (!found) {
            devplat_errors_add(e, field, apr_pstrcat(req->r->pool, name, "不存在", NULL));
            return 0;
        }
    }
    return 1;
}

int devplat_picture_check(devplat_req *req, devplat_errors *e, const char *field,
                          const char *name, const char *url, const char *kind,
                          const char *current)
{
    int owned;

    if (current && *current && !strcmp(url, current)) {
        return 1;               /* unchanged: it was checked when it was set */
    }
    owned = devplat_upload_owned(req, url, kind, req->user->id);
    if (owned == 0) {
        devplat_errors_add(e, field, apr_pstrcat(req->r->pool, name,
                                                 "须为本人上传的图片", NULL));
    }
    return owned;
}

apr_status_t devplat_profile_write(devplat_req *req, devplat_profile_writer fn, void *ctx)
{
    int attempt;

    for (attempt = 0; attempt < 2; attempt++) {
        if (devplat_db_begin(req) != APR_SUCCESS) {
            return APR_EGENERAL;
        }
        if (devplat_account_lock(req, req->user->id) != APR_SUCCESS
            || fn(req, ctx) != APR_SUCCESS) {
            devplat_db_rollback(req);
        }
        if (devplat_db_end(req) == APR_SUCCESS) {
            return APR_SUCCESS;
        }
    }
    return APR_EGENERAL;
}

apr_array_header_t *devplat_profile_ids(devplat_req *req, const char *label)
{
    devplat_rows *rows;
    apr_array_header_t *ids;
    int i;

    if (devplat_db_select(req, label, &rows, 1, devplat_i64(req, req->user->id))
        != APR_SUCCESS) {
        return NULL;
    }
    ids = apr_array_make(req->r->pool, rows->nrows ? rows->nrows : 1, sizeof(apr_int64_t));
    for (i = 0; i < rows->nrows; i++) {
        APR_ARRAY_PUSH(ids, apr_int64_t) = devplat_atoi64(rows->rows[i][0]);
    }
    return ids;
}
