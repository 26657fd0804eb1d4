/* File uploads: multipart/form-data bodies streamed to DevplatStorageDir.
 *
 * The body is read through httpd's input filters (ap_get_brigade), so
 * LimitRequestBody, mod_reqtimeout and chunked bodies work, and parsed as
 * it arrives (modules/core/multipart.h): the file part goes straight to a
 * temporary file in DevplatStorageDir, so memory does not grow with the
 * file's size. The type comes from the file's first bytes
 * (modules/core/filetype.h), never from the client's name or Content-Type.
 * A temporary file is removed by a request pool cleanup whatever happens
 * (refusal, truncated or broken body, client gone, handler error); only
 * devplat_upload_store() turns it into a stored file and a `files` row.
 *
 * The text fields of the same form land in req->input as strings
 * ("name[]" fields as arrays of strings), exactly as a form or JSON body
 * would, so devplat_input_string() and the other input helpers work on a
 * multipart form unchanged.
 *
 * A developer upload endpoint (the whole of it):
 *
 *     static const devplat_upload_spec spec = {"file", "avatar", NULL, 0, 0, 0};
 *     devplat_errors *e = devplat_errors_make(req->r);
 *     devplat_upload *up;
 *
 *     if (DEVPLAT_DONE(rc = devplat_session_require(req)))           return rc;
 *     if (DEVPLAT_DONE(rc = devplat_upload_receive(req, &spec, e, &up))) return rc;
 *     if (devplat_errors_any(e))               return devplat_reply_invalid(req, e);
 *     if (devplat_upload_store(req, up, req->user->id) != APR_SUCCESS)
 *         return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
 *     return devplat_reply_ok(req, devplat_upload_json(req, up));
 *
 * A sign-up form with an avatar beside text fields (admin face, 001):
 *
 *     static const devplat_upload_spec spec = {
 *         "avatar", "avatar", "头像",
 *         DEVPLAT_FILE_PNG | DEVPLAT_FILE_JPEG | DEVPLAT_FILE_BMP, 30720, 0};
 *
 *     if (DEVPLAT_DONE(rc = devplat_upload_receive(req, &spec, e, &up))) return rc;
 *     nickname = devplat_input_string(req, e, "nickname", "用户名");   (same e)
 *     ...
 *     if (devplat_errors_any(e)) return devplat_reply_invalid(req, e);
 *     devplat_db_begin(req);
 *     ... INSERT the user RETURNING id ...
 *     if (devplat_upload_store(req, up, new_id) != APR_SUCCESS) devplat_db_rollback(req);
 *     ... UPDATE users SET avatar = up->url ...
 *     if (devplat_db_end(req) != APR_SUCCESS) {
 *         devplat_upload_discard(req, up);    (the row was rolled back: drop the file)
 *         return ...;
 *     }
 *
 * Answers, in the envelope of the request's face (the mobile face turns
 * 422/413 into its codes 997/1006):
 *   - body not multipart/form-data:           422, errors.<field> (immediately)
 *   - broken multipart (bad boundary, headers, truncated, no close delimiter):
 *                                             422 "表单格式有误" (immediately)
 *   - file over the limit (counted, or announced by Content-Length):
 *                                             422, errors.<field> (immediately;
 *                                             the rest of the body is not read)
 *   - text fields over 64 KiB, more than 32 parts, a part header over 4 KiB:
 *                                             413 (immediately)
 *   - text field not UTF-8:                   422 (immediately)
 *   - the client went away, timed out (mod_reqtimeout), broken chunking:
 *                                             the status ap_map_http_request_error()
 *                                             gives (400, 408) (immediately)
 *   - over LimitRequestBody:                  httpd's own 413 (or its ErrorDocument);
 *                                             returns AP_FILTER_ERROR (pass it on)
 *   - storage not writable:                   500 "数据有误" (immediately)
 *   - no file ("<label>不能为空"), an empty file (0 bytes), a type outside
 *     spec->types, a text value in the file field, two files in it, a file
 *     in another field (errors.<that field>):
 *                                             added to e, *out NULL, and
 *                                             DEVPLAT_CONTINUE (text fields
 *                                             are all read: validate them into
 *                                             the same e)
 */
#ifndef DEVPLAT_UPLOAD_H
#define DEVPLAT_UPLOAD_H

#include "devplat_private.h"
#include "reply.h"
#include "filetype.h"

/* DevplatUploadMaxSize when the directive is not given. */
#define DEVPLAT_UPLOAD_DEFAULT_MAX   2097152
/* Most parts one form may have (text fields and the file). */
#define DEVPLAT_UPLOAD_MAX_PARTS     32
/* Temporary files of uploads in progress: DevplatStorageDir/.upload-XXXXXX
 * (a dotfile: the storage <Directory> of the README denies "^\."). */
#define DEVPLAT_UPLOAD_TMP_PREFIX    ".upload-"
/* The sweep leaves temporary files younger than this (seconds) or than
 * twice the server's Timeout, whichever is longer (see devplat_upload_sweep). */
#define DEVPLAT_UPLOAD_SWEEP_AGE     3600

/* What one endpoint accepts. */
typedef struct {
    const char *field;      /* form field of the file: "file", "avatar" */
    const char *kind;       /* what it is: files.kind and the storage
                             * subdirectory; [a-z0-9-]+, e.g. "avatar",
                             * "licensed-photo", "award-picture" */
    const char *label;      /* the field in messages ("头像"); NULL: "文件" */
    unsigned int types;     /* allowed devplat_filetype bits; 0: every image
                             * type (DEVPLAT_FILE_IMAGES) */
    apr_off_t max_size;     /* bytes; 0: DevplatUploadMaxSize; otherwise the
                             * smaller of this and DevplatUploadMaxSize */
    int optional;           /* 1: a form without the file is fine (*out NULL) */
} devplat_upload_spec;

/* One uploaded file. */
typedef struct {
    /* set by devplat_upload_receive() */
    const char *field;      /* its form field */
    const char *kind;       /* spec->kind */
    const char *name;       /* the client's file name as metadata: last path
                             * segment, UTF-8, no control characters, <= 255
                             * bytes; "../../a.png" -> "a.png"; may be "" */
    devplat_filetype type;  /* from its first bytes */
    const char *mime;       /* "image/png", ... */
    apr_off_t size;         /* bytes (> 0) */
    const char *client_ip;  /* r->useragent_ip (mod_remoteip's, behind a proxy) */

    /* set by devplat_upload_store() */
    apr_int64_t id;         /* files.id */
    const char *path;       /* below DevplatStorageDir: "avatar/<32 hex>.png" */
    const char *url;        /* DevplatStorageURL "/" path, e.g.
                             * "/storage/avatar/<32 hex>.png": what clients
                             * see, what tables keep (users.avatar, ...), and
                             * what devplat_upload_owned() takes back */
    const char *created_at; /* "YYYY-MM-DD HH:MM:SS" (updated_at is the same) */

    /* internal */
    const char *tmp_path;   /* the complete temporary file, until stored */
    const char *abs_path;   /* the stored file, once stored */
    apr_file_t *fd;
    apr_pool_t *pool;
    int stored;
} devplat_upload;

/* Reads the whole multipart body (see the list above for what it answers)
 * and leaves the file, complete and of an allowed type, in a temporary file
 * that the request pool removes unless devplat_upload_store() is called.
 * Returns DEVPLAT_CONTINUE with *out set (or NULL and errors in e), or the
 * result of the answer it gave. e may be NULL: file errors are then
 * answered as a 422 at once. */
int devplat_upload_receive(devplat_req *req, const devplat_upload_spec *spec,
                           devplat_errors *e, devplat_upload **out);

/* Renames the temporary file to <DevplatStorageDir>/<kind>/<random>.<ext>
 * and records it in `files` (owner_id: the owning user, 0 for none; client
 * IP; times); fills in id, path, url and created_at. Works inside the
 * caller's transaction (the row is then part of it). On failure (logged)
 * nothing is left on disk. */
apr_status_t devplat_upload_store(devplat_req *req, devplat_upload *up,
                                  apr_int64_t owner_id);

/* Removes a stored file again: call it when the transaction that held its
 * row rolled back. */
void devplat_upload_discard(devplat_req *req, devplat_upload *up);

/* The developer face's answer for a stored file: {name, type (the kind),
 * path (the url), size (KB, rounded up), request_ip, created_at,
 * updated_at}. */
json_object *devplat_upload_json(devplat_req *req, const devplat_upload *up);

/* Whether url (as devplat_upload.url shows it, e.g. a picture path a client
 * sends back) names a file that user_id uploaded, of the given kind (NULL:
 * any kind). 1 yes, 0 no (also for anything that is not a storage URL),
 * -1 the database failed (logged). */
int devplat_upload_owned(devplat_req *req, const char *url, const char *kind,
                         apr_int64_t user_id);

/* The URL of a path below DevplatStorageDir. */
const char *devplat_upload_url(devplat_req *req, const char *path);

/* Removes the temporary files a child left behind when it died in the
 * middle of an upload (killed, crashed): every DEVPLAT_UPLOAD_TMP_PREFIX
 * file directly in the DevplatStorageDir of each server (once per
 * directory) whose last write is older than max(DEVPLAT_UPLOAD_SWEEP_AGE,
 * 2 x Timeout). A live upload writes its file at least once per Timeout
 * (a read that waits longer fails, and its request pool removes the file),
 * and the handler's work after the body is far shorter than the bound, so
 * a graceful restart never takes the file of an upload that a surviving
 * child is still receiving. Logs one info line per directory with the
 * count. For post_config (the parent, at every start and restart). */
void devplat_upload_sweep(apr_pool_t *ptemp, server_rec *s);

#endif
