/* Uploads: the body (devplat_body_each) feeds the streaming multipart
 * parser, whose callbacks write the file part to a temporary file and
 * collect the text parts into req->input. Nothing reaches its final name
 * before the whole body has been read and the file's type checked. */
#include "upload.h"
#include "body.h"
#include "config.h"
#include "db.h"
#include "metrics.h"
#include "statements.h"
#include "multipart.h"
#include "random.h"
#include "timefmt.h"
#include "validate.h"

#include "apr_file_io.h"
#include "apr_hash.h"

#define DP_FILE_INSERT  "devplat_file_insert"
#define DP_FILE_OWNER   "devplat_file_owner"

/* The files table (see sql/<engine>/010_files.sql). */
const devplat_statement devplat_sql_upload[] = {
    {DP_FILE_INSERT,
     "INSERT INTO files (user_id, kind, original_name, stored_path, mime_type, "
     "size, client_ip, created_at, updated_at) "
     "VALUES (%lld, %s, %s, %s, %s, %lld, %s, %s, %s) RETURNING id"},
    {DP_FILE_OWNER,
     "SELECT kind FROM files WHERE stored_path = %s AND user_id = %lld"},
    {NULL, NULL}
};

/* Text fields and part headers of a form may add this much to the file. */
#define FORM_SLACK      (2 * DEVPLAT_JSON_BODY_LIMIT)
#define NAME_MAX_BYTES  255
#define MSG_MALFORMED   "表单格式有误"
#define MSG_TOO_LARGE   "请求体过大"
#define MSG_ENCODING    "表单编码有误或不是有效的UTF-8"
#define MSG_READ        "请求体读取失败"

enum { PART_SKIP, PART_TEXT, PART_FILE };

typedef struct {
    devplat_req *req;
    const devplat_upload_spec *spec;
    const char *label;
    unsigned int types;
    apr_off_t max;
    devplat_upload *up;         /* the file of spec->field */
    int part;                   /* what the current part is */
    /* text parts: one buffer for all values (their sum is capped) */
    char *text;
    apr_size_t text_used, text_start;
    const char *text_name;
    /* the file part */
    unsigned char head[DEVPLAT_FILETYPE_SNIFF_LEN];
    apr_size_t head_len;
    int sniffed;
    int discard;                /* the file's type is refused: count, don't keep */
    int nameless;               /* filename="": an empty browser file input */
    /* what went wrong */
    int too_large, text_too_large, bad_text, io_error, bad_type;
    int files_in_field, text_in_field;
    const char *foreign;        /* a file part in another field */
} upload_ctx;

static apr_status_t remove_tmp(void *data)
{
    devplat_upload *up = data;

    if (up->fd) {
        apr_file_close(up->fd);
        up->fd = NULL;
    }
    if (up->tmp_path && !up->stored) {
        apr_file_remove(up->tmp_path, up->pool);
        up->tmp_path = NULL;
    }
    return APR_SUCCESS;
}

static apr_off_t effective_max(devplat_req *req, const devplat_upload_spec *spec)
{
    apr_off_t dir = req->dconf->upload_max_size > 0 ? req->dconf->upload_max_size
                                                   : DEVPLAT_UPLOAD_DEFAULT_MAX;

    return (spec->max_size > 0 && spec->max_size < dir) ? spec->max_size : dir;
}

/* "PNG、JPEG" for a type mask. */
static const char *types_text(apr_pool_t *p, unsigned int types)
{
    const char *s = NULL;
    unsigned int bit;

    for (bit = 1; bit <= DEVPLAT_FILE_WEBP; bit <<= 1) {
        if (types & bit) {
            const char *l = devplat_filetype_label((devplat_filetype)bit);
            s = s ? apr_pstrcat(p, s, "、", l, NULL) : l;
        }
    }
    return s ? s : "";
}

static const char *size_text(apr_pool_t *p, apr_off_t max)
{
    if (max % 1024 == 0) {
        return apr_psprintf(p, "%" APR_OFF_T_FMT "KB", max / 1024);
    }
    return apr_psprintf(p, "%" APR_OFF_T_FMT "字节", max);
}

static int reply_too_large(upload_ctx *c)
{
    request_rec *r = c->req->r;

    /* the rest of the body is not worth reading: close after answering */
    r->connection->keepalive = AP_CONN_CLOSE;
    return devplat_reply_invalid1(c->req, c->spec->field,
                                  apr_pstrcat(r->pool, c->label, "大小不能超过",
                                              size_text(r->pool, c->max), NULL));
}

/* ---------------------------------------------------------------- parts */

static int open_tmp(upload_ctx *c)
{
    request_rec *r = c->req->r;
    devplat_upload *up = c->up;
    char *tmpl = apr_pstrcat(r->pool, c->req->sconf->storage_dir,
                             "/" DEVPLAT_UPLOAD_TMP_PREFIX "XXXXXX", NULL);
    apr_status_t rv;

    rv = apr_file_mktemp(&up->fd, tmpl, APR_FOPEN_CREATE | APR_FOPEN_WRITE
                         | APR_FOPEN_EXCL | APR_FOPEN_BINARY, r->pool);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r, "cannot create a temporary "
                      "file in DevplatStorageDir %s", c->req->sconf->storage_dir);
        up->fd = NULL;
        c->io_error = 1;
        return 0;
    }
    up->tmp_path = tmpl;
    return 1;
}

static void drop_tmp(devplat_upload *up)
{
    remove_tmp(up);
}

static int part_begin(void *baton, const devplat_mp_part *part)
{
    upload_ctx *c = baton;
    request_rec *r = c->req->r;

    if (!part->filename) {
        if (!strcmp(part->name, c->spec->field)) {
            c->text_in_field = 1;
        }
        c->part = PART_TEXT;
        c->text_name = apr_pstrdup(r->pool, part->name);
        c->text_start = c->text_used;
        return 0;
    }
    /* a browser sends an empty file input as a file part with filename=""
     * and no content: that is no file at all, in any field */
    c->part = PART_SKIP;
    if (strcmp(part->name, c->spec->field)) {
        if (*part->filename && !c->foreign) {
            c->foreign = apr_pstrdup(r->pool, part->name);
        }
        return 0;
    }
    if (++c->files_in_field > 1) {
        drop_tmp(c->up);
        return 0;
    }
    c->up->name = devplat_multipart_safe_name(r->pool, part->filename, NAME_MAX_BYTES);
    c->nameless = !*part->filename;
    c->part = PART_FILE;
    return 0;
}

static int sniff(upload_ctx *c)
{
    c->sniffed = 1;
    c->up->type = devplat_filetype_sniff(c->head, c->head_len);
    if (!(c->up->type & c->types)) {
        c->bad_type = 1;
        c->discard = 1;         /* still counted against the size limit */
        drop_tmp(c->up);
        return 0;
    }
    return 1;
}

static int file_data(upload_ctx *c, const char *data, apr_size_t len)
{
    devplat_upload *up = c->up;
    apr_status_t rv;

    up->size += (apr_off_t)len;
    if (up->size > c->max) {
        c->too_large = 1;
        return 1;               /* stop reading */
    }
    if (c->discard) {
        return 0;
    }
    if (!up->fd && !open_tmp(c)) {
        return 1;
    }
    if (!c->sniffed) {
        apr_size_t n = sizeof(c->head) - c->head_len;

        if (n > len) {
            n = len;
        }
        memcpy(c->head + c->head_len, data, n);
        c->head_len += n;
    }
    rv = apr_file_write_full(up->fd, data, len, NULL);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, c->req->r,
                      "writing the upload to %s failed", up->tmp_path);
        c->io_error = 1;
        return 1;
    }
    if (!c->sniffed && c->head_len == sizeof(c->head)) {
        sniff(c);
    }
    return 0;
}

static int part_data(void *baton, const char *data, apr_size_t len)
{
    upload_ctx *c = baton;

    switch (c->part) {
    case PART_FILE:
        return file_data(c, data, len);
    case PART_TEXT:
        if (c->text_used + len > DEVPLAT_JSON_BODY_LIMIT) {
            c->text_too_large = 1;
            return 1;
        }
        if (!c->text) {
            c->text = apr_palloc(c->req->r->pool, DEVPLAT_JSON_BODY_LIMIT);
        }
        memcpy(c->text + c->text_used, data, len);
        c->text_used += len;
        return 0;
    default:
        return 0;
    }
}

/* A text field into req->input as parse_form() does: "name[]" collects an
 * array, an empty name is ignored. */
static int add_text(upload_ctx *c)
{
    const char *value = c->text ? c->text + c->text_start : "";
    apr_size_t vlen = c->text_used - c->text_start;
    char *name = apr_pstrdup(c->req->r->pool, c->text_name);
    apr_size_t nlen = strlen(name);
    json_object *arr;

    if (!devplat_utf8_valid(name, nlen) || !devplat_utf8_valid(value, vlen)
        || memchr(value, '\0', vlen)) {
        c->bad_text = 1;
        return 1;
    }
    if (nlen > 2 && !strcmp(name + nlen - 2, "[]")) {
        name[nlen - 2] = '\0';
        if (!json_object_object_get_ex(c->req->input, name, &arr)
            || !json_object_is_type(arr, json_type_array)) {
            arr = json_object_new_array();
            json_object_object_add(c->req->input, name, arr);
        }
        json_object_array_add(arr, json_object_new_string_len(value, (int)vlen));
    }
    else if (*name) {
        json_object_object_add(c->req->input, name,
                               json_object_new_string_len(value, (int)vlen));
    }
    return 0;
}

static int part_end(void *baton)
{
    upload_ctx *c = baton;
    int part = c->part;

    c->part = PART_SKIP;
    if (part == PART_TEXT) {
        return add_text(c);
    }
    if (part == PART_FILE && c->up->size > 0 && !c->sniffed && !c->discard) {
        sniff(c);               /* a file shorter than the sniffing window */
    }
    return 0;
}

/* ---------------------------------------------------------------- reading */

/* Feeds the body to the parser; answers the parser's status, or sets *rv
 * when reading failed. */
typedef struct {
    upload_ctx *c;
    devplat_multipart *mp;
    apr_off_t total, cap;
    devplat_mp_status st;
} feed_ctx;

static int feed(void *ctx, const char *data, apr_size_t n)
{
    feed_ctx *f = ctx;

    f->total += (apr_off_t)n;
    if (f->total > f->cap) {
        f->c->text_too_large = 1;     /* more than a file and its form */
        f->st = DEVPLAT_MP_STOPPED;
        return 1;
    }
    f->st = devplat_multipart_feed(f->mp, data, n);
    return f->st != DEVPLAT_MP_OK;
}

static devplat_mp_status read_body(upload_ctx *c, devplat_multipart *mp,
                                   apr_status_t *rv)
{
    feed_ctx f = {c, mp, 0, c->max + FORM_SLACK, DEVPLAT_MP_OK};

    *rv = devplat_body_each(c->req->r, feed, &f);
    if (*rv == APR_SUCCESS && f.st == DEVPLAT_MP_OK) {
        f.st = devplat_multipart_finish(mp);
    }
    return f.st;
}

/* File problems of a completely read form, into e. */
static void file_errors(upload_ctx *c, devplat_errors *e)
{
    apr_pool_t *p = c->req->r->pool;
    const char *field = c->spec->field;
    devplat_upload *up = c->up;

    if (c->files_in_field > 1) {
        devplat_errors_add(e, field, apr_pstrcat(p, c->label, "只能上传一个", NULL));
    }
    else if (c->files_in_field == 0 || (up->size == 0 && c->nameless)) {
        if (c->text_in_field) {
            devplat_errors_add(e, field, apr_pstrcat(p, "请选择要上传的", c->label, NULL));
        }
        else if (!c->spec->optional) {
            devplat_errors_missing(e, field, apr_pstrcat(p, c->label, "不能为空", NULL));
        }
    }
    else if (up->size == 0) {
        devplat_errors_add(e, field, apr_pstrcat(p, c->label, "不能是空文件", NULL));
    }
    else if (c->bad_type) {
        devplat_errors_add(e, field, apr_pstrcat(p, c->label, "只支持",
                                                 types_text(p, c->types), "格式的图片", NULL));
    }
    if (c->foreign) {
        devplat_errors_add(e, c->foreign, apr_pstrcat(p, c->foreign, "不接受文件上传", NULL));
    }
}

int devplat_upload_receive(devplat_req *req, const devplat_upload_spec *spec,
                           devplat_errors *e, devplat_upload **out)
{
    request_rec *r = req->r;
    const char *ct = apr_table_get(r->headers_in, "Content-Type");
    const char *cl = apr_table_get(r->headers_in, "Content-Length");
    const char *boundary;
    static const devplat_mp_callbacks callbacks = {part_begin, part_data, part_end};
    devplat_multipart *mp;
    devplat_mp_status st;
    upload_ctx *c;
    apr_status_t rv;
    int local_errors = 0;

    *out = NULL;
    req->input = devplat_json_object(r);
    c = apr_pcalloc(r->pool, sizeof(*c));
    c->req = req;
    c->spec = spec;
    c->label = spec->label ? spec->label : "文件";
    c->types = spec->types ? spec->types : DEVPLAT_FILE_IMAGES;
    c->max = effective_max(req, spec);
    c->up = apr_pcalloc(r->pool, sizeof(*c->up));
    c->up->pool = r->pool;
    c->up->field = spec->field;
    c->up->kind = spec->kind;
    c->up->client_ip = r->useragent_ip ? r->useragent_ip : "";
    apr_pool_cleanup_register(r->pool, c->up, remove_tmp, apr_pool_cleanup_null);

    boundary = devplat_multipart_boundary(r->pool, ct);
    if (!boundary) {
        if (ct && !strncasecmp(ct, "multipart/form-data", 19)) {
            return devplat_reply_error(req, HTTP_UNPROCESSABLE_ENTITY, MSG_MALFORMED);
        }
        return devplat_reply_invalid1(req, spec->field,
                                      apr_pstrcat(r->pool, c->label,
                                                  "须以multipart/form-data表单上传", NULL));
    }
    /* a body announced larger than any acceptable form is refused unread */
    if (cl) {
        char *end;
        apr_off_t len;

        if (apr_strtoff(&len, cl, &end, 10) == APR_SUCCESS && !*end
            && len > c->max + FORM_SLACK) {
            return reply_too_large(c);
        }
    }

    mp = devplat_multipart_make(r->pool, boundary, &callbacks, c, DEVPLAT_UPLOAD_MAX_PARTS);
    st = read_body(c, mp, &rv);
    if (c->up->fd) {
        apr_file_close(c->up->fd);
        c->up->fd = NULL;
    }

    if (rv != APR_SUCCESS) {
        /* the client went away, sent a broken chunked body, was too slow
         * (mod_reqtimeout) or passed LimitRequestBody */
        int status = ap_map_http_request_error(rv, HTTP_BAD_REQUEST);

        drop_tmp(c->up);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, rv, r, "upload aborted after %"
                      APR_OFF_T_FMT " bytes of the file: reading the body failed",
                      c->up->size);
        if (status == AP_FILTER_ERROR) {
            return AP_FILTER_ERROR;     /* httpd has answered (LimitRequestBody) */
        }
        return devplat_reply_error(req, status, status == HTTP_REQUEST_ENTITY_TOO_LARGE
                                   ? MSG_TOO_LARGE : MSG_READ);
    }
    if (c->too_large) {
        drop_tmp(c->up);
        return reply_too_large(c);
    }
    if (c->io_error) {
        drop_tmp(c->up);
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
    }
    if (c->text_too_large || st == DEVPLAT_MP_LIMIT) {
        drop_tmp(c->up);
        r->connection->keepalive = AP_CONN_CLOSE;
        return devplat_reply_error(req, HTTP_REQUEST_ENTITY_TOO_LARGE, MSG_TOO_LARGE);
    }
    if (c->bad_text) {
        drop_tmp(c->up);
        return devplat_reply_error(req, HTTP_UNPROCESSABLE_ENTITY, MSG_ENCODING);
    }
    if (st != DEVPLAT_MP_OK) {
        drop_tmp(c->up);
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "upload refused: %s multipart body",
                      st == DEVPLAT_MP_TRUNCATED ? "truncated" : "malformed");
        return devplat_reply_error(req, HTTP_UNPROCESSABLE_ENTITY, MSG_MALFORMED);
    }

    if (!e) {
        e = devplat_errors_make(r);
        local_errors = 1;
    }
    file_errors(c, e);
    if (c->files_in_field != 1 || c->up->size == 0 || c->bad_type || c->foreign) {
        drop_tmp(c->up);
        if (local_errors && devplat_errors_any(e)) {
            return devplat_reply_invalid(req, e);
        }
        return DEVPLAT_CONTINUE;
    }
    c->up->mime = devplat_filetype_mime(c->up->type);
    *out = c->up;
    return DEVPLAT_CONTINUE;
}

/* ---------------------------------------------------------------- storing */

/* [a-z0-9-]+: a storage subdirectory, never a dotfile or a path. */
static int valid_kind(const char *kind)
{
    const char *s;

    if (!kind || !*kind) {
        return 0;
    }
    for (s = kind; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-')) {
            return 0;
        }
    }
    return 1;
}

const char *devplat_upload_url(devplat_req *req, const char *path)
{
    const char *base = req->sconf->storage_url ? req->sconf->storage_url : "/storage";
    apr_size_t n = strlen(base);

    return apr_pstrcat(req->r->pool, base, (n && base[n - 1] == '/') ? "" : "/",
                       path, NULL);
}

/* A file is counted when its request ends still stored: one that a
 * rolled back transaction discarded is not. */
typedef struct {
    devplat_req *req;
    devplat_upload *up;
} stored_file;

static apr_status_t count_stored(void *data)
{
    stored_file *sf = data;

    if (sf->up->abs_path) {
        devplat_metrics_upload(sf->req, sf->up->size);
    }
    return APR_SUCCESS;
}

apr_status_t devplat_upload_store(devplat_req *req, devplat_upload *up,
                                  apr_int64_t owner_id)
{
    stored_file *sf;
    request_rec *r = req->r;
    const char *ext = devplat_filetype_ext(up->type);
    const char *rand = devplat_random_hex(r->pool, 16);
    const char *dir, *rel, *abs, *now;
    devplat_rows *rows;
    apr_status_t rv;

    if (!up->tmp_path || up->stored || !ext || !rand || !valid_kind(up->kind)) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "upload: nothing to store "
                      "(kind %s)", up->kind ? up->kind : "(none)");
        return APR_EGENERAL;
    }
    dir = apr_pstrcat(r->pool, req->sconf->storage_dir, "/", up->kind, NULL);
    rel = apr_pstrcat(r->pool, up->kind, "/", rand, ".", ext, NULL);
    abs = apr_pstrcat(r->pool, req->sconf->storage_dir, "/", rel, NULL);

    rv = apr_dir_make_recursive(dir, APR_FPROT_OS_DEFAULT, r->pool);
    if (rv != APR_SUCCESS && !APR_STATUS_IS_EEXIST(rv)) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r, "cannot create %s", dir);
        return rv;
    }
    /* served by httpd, possibly as another user than the one writing */
    apr_file_perms_set(up->tmp_path, APR_FPROT_UREAD | APR_FPROT_UWRITE
                       | APR_FPROT_GREAD | APR_FPROT_WREAD);
    rv = apr_file_rename(up->tmp_path, abs, r->pool);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r, "cannot rename %s to %s",
                      up->tmp_path, abs);
        return rv;
    }
    up->stored = 1;             /* the temporary name is gone */
    up->abs_path = abs;

    now = devplat_time_pformat(r->pool, req->now);
    if (devplat_db_select(req, DP_FILE_INSERT, &rows, 9,
                          owner_id > 0 ? devplat_i64(req, owner_id) : NULL,
                          up->kind, up->name ? up->name : "", rel, up->mime,
                          apr_off_t_toa(r->pool, up->size), up->client_ip, now, now)
        != APR_SUCCESS || rows->nrows != 1) {
        devplat_upload_discard(req, up);
        return APR_EGENERAL;
    }
    up->id = devplat_atoi64(rows->rows[0][0]);
    up->path = rel;
    up->url = devplat_upload_url(req, rel);
    up->created_at = now;
    sf = apr_palloc(r->pool, sizeof(*sf));
    sf->req = req;
    sf->up = up;
    apr_pool_cleanup_register(r->pool, sf, count_stored, apr_pool_cleanup_null);
    return APR_SUCCESS;
}

void devplat_upload_discard(devplat_req *req, devplat_upload *up)
{
    if (up && up->abs_path) {
        apr_file_remove(up->abs_path, req->r->pool);
        up->abs_path = NULL;
    }
}

json_object *devplat_upload_json(devplat_req *req, const devplat_upload *up)
{
    json_object *o = json_object_new_object();
    const char *name = up->name && *up->name ? up->name : strrchr(up->path, '/') + 1;

    json_object_object_add(o, "name", json_object_new_string(name));
    json_object_object_add(o, "type", json_object_new_string(up->kind));
    json_object_object_add(o, "path", json_object_new_string(up->url));
    json_object_object_add(o, "size", json_object_new_int64((up->size + 1023) / 1024));
    json_object_object_add(o, "request_ip", json_object_new_string(up->client_ip));
    json_object_object_add(o, "created_at", json_object_new_string(up->created_at));
    json_object_object_add(o, "updated_at", json_object_new_string(up->created_at));
    return o;
}

/* "<kind>/<32 hex>.<ext>" and nothing else (no "..", no second '/', no
 * name starting with '.': a temporary file is never taken for a stored one). */
static int valid_stored_path(const char *rel)
{
    const char *slash = strchr(rel, '/'), *dot;
    const char *s;

    if (!slash || slash == rel) {
        return 0;
    }
    for (s = rel; s < slash; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-')) {
            return 0;
        }
    }
    dot = strchr(slash + 1, '.');
    if (!dot || dot - slash - 1 != 32) {
        return 0;
    }
    for (s = slash + 1; s < dot; s++) {
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'))) {
            return 0;
        }
    }
    return devplat_filetype_from_ext(dot + 1) != DEVPLAT_FILE_UNKNOWN
           && !strcmp(dot + 1, devplat_filetype_ext(devplat_filetype_from_ext(dot + 1)));
}

int devplat_upload_owned(devplat_req *req, const char *url, const char *kind,
                         apr_int64_t user_id)
{
    const char *base = req->sconf->storage_url ? req->sconf->storage_url : "/storage";
    apr_size_t n = strlen(base);
    const char *rel;
    devplat_rows *rows;

    if (!url || user_id <= 0 || strncmp(url, base, n)) {
        return 0;
    }
    rel = url + n;
    if (!(n && base[n - 1] == '/')) {
        if (*rel != '/') {
            return 0;
        }
        rel++;
    }
    if (!valid_stored_path(rel)) {
        return 0;
    }
    if (devplat_db_select(req, DP_FILE_OWNER, &rows, 2, rel, devplat_i64(req, user_id))
        != APR_SUCCESS) {
        return -1;
    }
    if (rows->nrows != 1 || !rows->rows[0][0]) {
        return 0;
    }
    return !kind || !strcmp(kind, rows->rows[0][0]);
}

/* ---------------------------------------------------------------- sweep */

/* The temporary files older than cutoff directly in dir: the count removed,
 * -1 when dir cannot be read. */
static int sweep_dir(apr_pool_t *p, server_rec *s, const char *dir, apr_time_t cutoff)
{
    apr_size_t plen = sizeof(DEVPLAT_UPLOAD_TMP_PREFIX) - 1;
    apr_dir_t *dh;
    apr_finfo_t fi;
    apr_status_t rv;
    int removed = 0;

    if ((rv = apr_dir_open(&dh, dir, p)) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s,
                     "upload sweep: cannot read DevplatStorageDir %s", dir);
        return -1;
    }
    while (apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE | APR_FINFO_MTIME, dh)
           == APR_SUCCESS) {
        const char *path;

        if (fi.filetype != APR_REG || strncmp(fi.name, DEVPLAT_UPLOAD_TMP_PREFIX, plen)
            || fi.mtime >= cutoff) {
            continue;
        }
        path = apr_pstrcat(p, dir, "/", fi.name, NULL);
        if ((rv = apr_file_remove(path, p)) == APR_SUCCESS) {
            removed++;
        }
        else if (!APR_STATUS_IS_ENOENT(rv)) {   /* another node swept it first */
            ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s, "upload sweep: cannot remove %s", path);
        }
    }
    apr_dir_close(dh);
    return removed;
}

void devplat_upload_sweep(apr_pool_t *ptemp, server_rec *s)
{
    apr_hash_t *seen = apr_hash_make(ptemp);
    apr_time_t now = apr_time_now();
    server_rec *sp;

    for (sp = s; sp; sp = sp->next) {
        const char *dir = devplat_srv(sp)->storage_dir;
        apr_interval_time_t age = apr_time_from_sec(DEVPLAT_UPLOAD_SWEEP_AGE);
        int n;

        if (!dir || !devplat_srv(sp)->statements_prepared
            || apr_hash_get(seen, dir, APR_HASH_KEY_STRING)) {
            continue;
        }
        apr_hash_set(seen, dir, APR_HASH_KEY_STRING, dir);
        if (2 * sp->timeout > age) {
            age = 2 * sp->timeout;
        }
        if ((n = sweep_dir(ptemp, sp, dir, now - age)) >= 0) {
            ap_log_error(APLOG_MARK, APLOG_INFO, 0, sp,
                         "upload sweep: removed %d temporary upload file(s) older than "
                         "%" APR_TIME_T_FMT " s from %s", n, apr_time_sec(age), dir);
        }
    }
}
