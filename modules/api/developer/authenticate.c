/* 个人中心-认证信息: 用户认证详情, 更新实名认证, 更新教育信息, 更新职业信息,
 * 新增奖项信息. Every record carries an authenticate status for the people
 * who review it; any change by the user puts it back to 待审核. */
#include "developer.h"
#include "accounts.h"
#include "profile.h"
#include "body.h"
#include "certificate.h"
#include "review.h"
#include "db.h"
#include "fields.h"
#include "rate_limit.h"
#include "reviews.h"
#include "reply.h"
#include "session.h"
#include "timefmt.h"

#define NAME_MAX_CHARS        50
#define TEXT_MAX_CHARS        100     /* institution, organization, competition */
#define EXPERIENCE_MAX_CHARS  2000
#define NUMBER_MAX_CHARS      32
#define PICTURE_MAX_BYTES     255
#define DOMAINS_MAX           20
#define AWARD_PICTURES_MAX    9
#define AWARDS_MAX            50
#define MSG_NUMBER_TAKEN      "证件号码已被其他账号认证"

#define FAIL_DB(req) \
    devplat_reply_error((req), HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE)

static json_object *str(const char *s)
{
    return json_object_new_string(s ? s : "");
}

static json_object *status_text(const char *cell)
{
    return json_object_new_string(devplat_review_status_text((int)devplat_atoi64(cell)));
}

static const char *uid(devplat_req *req)
{
    return devplat_i64(req, req->user->id);
}

/* The user's row of a one-row record: 1 with *row, 0 none, -1 failed. */
static int load_one(devplat_req *req, const char *label, const char ***row)
{
    devplat_rows *rows;

    if (devplat_db_select(req, label, &rows, 1, uid(req)) != APR_SUCCESS) {
        return -1;
    }
    *row = rows->nrows ? rows->rows[0] : NULL;
    return rows->nrows ? 1 : 0;
}

/* A record's row from the values a write stores (education_json, job_json):
 * pending review, no message. */
static const char **row_of(devplat_req *req, const char *text, const char *lookup,
                           const char *experience)
{
    const char **row = apr_palloc(req->r->pool, sizeof(*row) * RECORD_COLUMNS);

    row[RECORD_TEXT] = text;
    row[RECORD_LOOKUP] = lookup;
    row[RECORD_EXPERIENCE] = experience;
    row[RECORD_STATUS] = DEVPLAT_SQL_INT(DEVPLAT_REVIEW_PENDING);
    row[RECORD_MESSAGE] = "";
    return row;
}

/* The review's status and message on a record the user sees (000 shows
 * them for the real name and awards; mod_devplat for every record that is
 * reviewed). A record not filled in has "" for both. */
static json_object *with_review(json_object *o, const char **row)
{
    json_object_object_add(o, "authenticate_status",
                           row ? status_text(row[RECORD_STATUS]) : str(NULL));
    json_object_object_add(o, "authenticate_message", str(row ? row[RECORD_MESSAGE] : NULL));
    return o;
}

/* ---------------------------------------------------------------- shapes */

/* The documented objects. A section the user has not filled in has the
 * same keys with their type's empty value ("" and 0): 000 types every
 * field, and a generated client cannot take null for a string. */
static json_object *realname_json(const devplat_identity *v)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "actual_name", str(v ? v->actual_name : NULL));
    json_object_object_add(o, "certificate_type_id",
                           json_object_new_int64(v ? v->certificate_type_id : 0));
    json_object_object_add(o, "id_number", str(v ? v->id_number : NULL));
    json_object_object_add(o, "authenticate_picture", str(v ? v->picture : NULL));
    /* nothing submitted: no review status applies */
    json_object_object_add(o, "authenticate_status",
                           str(v ? devplat_review_status_text(v->status) : NULL));
    json_object_object_add(o, "authenticate_message", str(v ? v->message : NULL));
    return o;
}

static json_object *education_json(const char **row)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "institution", str(row ? row[RECORD_TEXT] : NULL));
    json_object_object_add(o, "education_id",
                           devplat_cell_int(row ? row[RECORD_LOOKUP] : NULL));
    json_object_object_add(o, "project_experience", str(row ? row[RECORD_EXPERIENCE] : NULL));
    return o;
}

static json_object *job_json(const char **row, const apr_array_header_t *domains)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "organization", str(row ? row[RECORD_TEXT] : NULL));
    json_object_object_add(o, "position_id", devplat_cell_int(row ? row[RECORD_LOOKUP] : NULL));
    json_object_object_add(o, "domain_id", devplat_ids_json(row ? domains : NULL));
    json_object_object_add(o, "project_experience", str(row ? row[RECORD_EXPERIENCE] : NULL));
    return o;
}

static json_object *award_json(const char *competition, apr_int64_t level,
                               json_object *pictures, const char *status,
                               const char *message)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "competition", str(competition));
    json_object_object_add(o, "award_level_id", json_object_new_int64(level));
    json_object_object_add(o, "award_picture", pictures);
    json_object_object_add(o, "authenticate_status", status_text(status));
    json_object_object_add(o, "authenticate_message", str(message));
    return o;
}

static json_object *strings_json(const apr_array_header_t *list)
{
    json_object *a = json_object_new_array();
    int i;

    for (i = 0; i < list->nelts; i++) {
        json_object_array_add(a, str(APR_ARRAY_IDX(list, i, const char *)));
    }
    return a;
}

/* [{competition, award_level_id, award_picture: [...], status, message}] */
static json_object *awards_json(devplat_req *req)
{
    devplat_rows *awards, *pictures;
    json_object *list;
    int i, j;

    if (devplat_db_select(req, DP_AWARD_LIST, &awards, 1, uid(req)) != APR_SUCCESS
        || devplat_db_select(req, DP_AWARD_PICTURES, &pictures, 1, uid(req)) != APR_SUCCESS) {
        return NULL;
    }
    list = json_object_new_array();
    for (i = 0; i < awards->nrows; i++) {
        const char **a = awards->rows[i];
        json_object *pics = json_object_new_array();

        for (j = 0; j < pictures->nrows; j++) {
            const char **p = pictures->rows[j];

            if (p[PICTURE_AWARD] && a[AWARD_ID] && !strcmp(p[PICTURE_AWARD], a[AWARD_ID])) {
                json_object_array_add(pics, str(p[PICTURE_PATH]));
            }
        }
        json_object_array_add(list, award_json(a[AWARD_COMPETITION],
                                               devplat_atoi64(a[AWARD_LEVEL]), pics,
                                               a[AWARD_STATUS], a[AWARD_MESSAGE]));
    }
    return list;
}

/* ---------------------------------------------------------------- GET */

int devplat_dev_authenticate(devplat_req *req)
{
    const char **education, **job;
    devplat_identity *realname = NULL;
    apr_array_header_t *domains;
    json_object *awards, *data;
    int rc;

    if (DEVPLAT_DONE(rc = devplat_session_require(req))) {
        return rc;
    }
    if (devplat_identity_get(req, req->user->id, &realname) < 0
        || load_one(req, DP_EDUCATION_GET, &education) < 0
        || load_one(req, DP_JOB_GET, &job) < 0
        || !(domains = devplat_profile_ids(req, DP_JOB_DOMAINS))
        || !(awards = awards_json(req))) {
        return FAIL_DB(req);
    }
    data = json_object_new_object();
    json_object_object_add(data, "real_name", realname_json(realname));
    json_object_object_add(data, "educational_info",
                           with_review(education_json(education), education));
    json_object_object_add(data, "job_info", with_review(job_json(job, domains), job));
    json_object_object_add(data, "award_info", awards);
    return devplat_reply_ok(req, data);
}

/* ---------------------------------------------------------------- 实名认证 */

/* One JSON array of the text (or none when it is empty). */
static json_object *picture_list(const char *picture)
{
    json_object *a = json_object_new_array();

    if (picture && *picture) {
        json_object_array_add(a, json_object_new_string(picture));
    }
    return a;
}

/* The identity store's write and its submission for review, under
 * devplat_profile_write's lock. */
static apr_status_t realname_write(devplat_req *req, void *ctx)
{
    const devplat_identity *in = ctx;
    json_object *fields = json_object_new_object();

    json_object_object_add(fields, "actual_name", str(in->actual_name));
    json_object_object_add(fields, "certificate_type_id",
                           json_object_new_int64(in->certificate_type_id));
    json_object_object_add(fields, "id_number", str(in->id_number));
    json_object_object_add(fields, "authenticate_picture", str(in->picture));
    if (devplat_identity_write(req, req->user->id, in) != APR_SUCCESS) {
        json_object_put(fields);
        return APR_EGENERAL;
    }
    return devplat_review_submit(req, DEVPLAT_REVIEW_REAL_NAME, req->user->id,
                                 req->user->id, fields, picture_list(in->picture),
                                 DEVPLAT_REVIEW_PENDING);
}

/* A certificate number by its type's rule: the stored form, or NULL with
 * an error added. *rc < 0 when the database failed. */
static const char *check_number(devplat_req *req, devplat_errors *e, apr_int64_t type_id,
                                const char *number, int *rc)
{
    devplat_rows *rows;
    const char *rule, *out;

    *rc = 0;
    if (devplat_db_select(req, DP_CERTIFICATE_RULE, &rows, 1, devplat_i64(req, type_id))
        != APR_SUCCESS) {
        *rc = -1;
        return NULL;
    }
    rule = rows->nrows ? rows->rows[0][0] : "";
    out = devplat_certificate_number(req->r->pool, rule, number);
    if (!out) {
        devplat_errors_add(e, "id_number", rule && !strcmp(rule, "cn_id_card")
                           ? "证件号码不是有效的身份证号码（校验码或出生日期有误）"
                           : "证件号码格式不正确");
    }
    return out;
}

int devplat_dev_realname(devplat_req *req)
{
    devplat_errors *e;
    devplat_identity in;
    devplat_identity *current = NULL;
    const char *number;
    int rc, ok, taken;

    if (DEVPLAT_DONE(rc = devplat_session_require(req))
        || DEVPLAT_DONE(rc = devplat_input_load(req))) {
        return rc;
    }
    e = devplat_errors_make(req->r);
    memset(&in, 0, sizeof(in));
    in.actual_name = devplat_input_text(req, e, "actual_name", "真实姓名", NAME_MAX_CHARS, 0);
    in.certificate_type_id = devplat_input_id(req, e, "certificate_type_id", "证件类型");
    number = devplat_input_text(req, e, "id_number", "证件号码", NUMBER_MAX_CHARS, 0);
    in.picture = devplat_input_text(req, e, "authenticate_picture", "认证照片",
                                    PICTURE_MAX_BYTES, 0);
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    if ((ok = devplat_lookup_check(req, e, DP_LOOKUP_CERTIFICATE_TYPES, "certificate_type_id",
                                   "证件类型",
                                   devplat_id_array(req, in.certificate_type_id))) < 0
        || devplat_identity_get(req, req->user->id, &current) < 0
        || devplat_picture_check(req, e, "authenticate_picture", "认证照片", in.picture,
                                 DEVPLAT_KIND_LICENSED_PHOTO,
                                 current ? current->picture : NULL) < 0) {
        return FAIL_DB(req);
    }
    if (ok) {
        in.id_number = check_number(req, e, in.certificate_type_id, number, &rc);
        if (rc < 0) {
            return FAIL_DB(req);
        }
        /* one number, one account, on every face (a rejected claim does
         * not block); the unique index settles races below. The answer
         * tells whether another account holds the number: every
         * submission that gets this far counts against the limits */
        if (in.id_number) {
            if (DEVPLAT_DONE(rc = devplat_rate_limit(req, DEVPLAT_LIMIT_IDENTITY_ACCOUNT,
                                                     DEVPLAT_LIMIT_IDENTITY_ADDRESS))) {
                return rc;
            }
            if ((taken = devplat_identity_taken(req, in.id_number, req->user->id)) < 0) {
                return FAIL_DB(req);
            }
            if (taken) {
                devplat_errors_add(e, "id_number", MSG_NUMBER_TAKEN);
            }
        }
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    in.status = DEVPLAT_REVIEW_PENDING;
    in.source = DEVPLAT_SOURCE_DEVELOPER;
    if (devplat_profile_write(req, realname_write, &in) != APR_SUCCESS) {
        if ((taken = devplat_identity_taken(req, in.id_number, req->user->id)) > 0) {
            return devplat_reply_invalid1(req, "id_number", MSG_NUMBER_TAKEN);
        }
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
    }
    in.message = "";
    return devplat_reply_ok(req, realname_json(&in));
}

/* ---------------------------------------------------------------- 教育信息 */

typedef struct {
    const char *institution, *education_id, *experience, *now;
} education_in;

static apr_status_t education_write(devplat_req *req, void *ctx)
{
    education_in *in = ctx;
    const char **row;
    int have = load_one(req, DP_EDUCATION_GET, &row);

    if (have < 0) {
        return APR_EGENERAL;
    }
    if ((have ? devplat_db_exec(req, DP_EDUCATION_UPDATE, NULL, 5, in->institution,
                                in->education_id, in->experience, in->now, uid(req))
              : devplat_db_exec(req, DP_EDUCATION_INSERT, NULL, 6, uid(req), in->institution,
                                in->education_id, in->experience, in->now, in->now))
        != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    return devplat_review_submit(req, DEVPLAT_REVIEW_EDUCATION, req->user->id, req->user->id,
                                 education_json(row_of(req, in->institution, in->education_id,
                                                       in->experience)),
                                 json_object_new_array(), DEVPLAT_REVIEW_PENDING);
}

int devplat_dev_education(devplat_req *req)
{
    devplat_errors *e;
    education_in in;
    apr_int64_t level;
    const char **row;
    int rc;

    if (DEVPLAT_DONE(rc = devplat_session_require(req))
        || DEVPLAT_DONE(rc = devplat_input_load(req))) {
        return rc;
    }
    e = devplat_errors_make(req->r);
    in.institution = devplat_input_text(req, e, "institution", "院校", TEXT_MAX_CHARS, 0);
    level = devplat_input_id(req, e, "education_id", "学历");
    in.experience = devplat_input_text(req, e, "project_experience", "项目经历",
                                       EXPERIENCE_MAX_CHARS, 1);
    if (level && devplat_lookup_check(req, e, DP_LOOKUP_EDUCATION_LEVELS, "education_id",
                                      "学历", devplat_id_array(req, level)) < 0) {
        return FAIL_DB(req);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    if (DEVPLAT_DONE(rc = devplat_rate_limit(req, DEVPLAT_LIMIT_REVIEW_ACCOUNT,
                                             DEVPLAT_LIMIT_NONE))) {
        return rc;
    }
    in.education_id = devplat_i64(req, level);
    in.now = devplat_time_pformat(req->r->pool, req->now);
    if (devplat_profile_write(req, education_write, &in) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
    }
    row = row_of(req, in.institution, in.education_id, in.experience);
    return devplat_reply_ok(req, with_review(education_json(row), row));
}

/* ---------------------------------------------------------------- 职业信息 */

typedef struct {
    const char *organization, *position_id, *experience, *now;
    apr_array_header_t *domains;
} job_in;

static apr_status_t job_write(devplat_req *req, void *ctx)
{
    job_in *in = ctx;
    const char **row;
    int have = load_one(req, DP_JOB_GET, &row), i;
    apr_status_t rv;

    if (have < 0) {
        return APR_EGENERAL;
    }
    rv = have ? devplat_db_exec(req, DP_JOB_UPDATE, NULL, 5, in->organization,
                                in->position_id, in->experience, in->now, uid(req))
              : devplat_db_exec(req, DP_JOB_INSERT, NULL, 6, uid(req), in->organization,
                                in->position_id, in->experience, in->now, in->now);
    if (rv != APR_SUCCESS
        || devplat_db_exec(req, DP_JOB_DOMAINS_DELETE, NULL, 1, uid(req)) != APR_SUCCESS) {
        return APR_EGENERAL;
    }
    for (i = 0; i < in->domains->nelts; i++) {
        if (devplat_db_exec(req, DP_JOB_DOMAIN_INSERT, NULL, 3, uid(req),
                            devplat_i64(req, APR_ARRAY_IDX(in->domains, i, apr_int64_t)),
                            apr_itoa(req->r->pool, i)) != APR_SUCCESS) {
            return APR_EGENERAL;
        }
    }
    return devplat_review_submit(req, DEVPLAT_REVIEW_JOB, req->user->id, req->user->id,
                                 job_json(row_of(req, in->organization, in->position_id,
                                                 in->experience), in->domains),
                                 json_object_new_array(), DEVPLAT_REVIEW_PENDING);
}

int devplat_dev_job(devplat_req *req)
{
    devplat_errors *e;
    job_in in;
    apr_int64_t position;
    const char **row;
    int rc;

    if (DEVPLAT_DONE(rc = devplat_session_require(req))
        || DEVPLAT_DONE(rc = devplat_input_load(req))) {
        return rc;
    }
    e = devplat_errors_make(req->r);
    in.organization = devplat_input_text(req, e, "organization", "组织", TEXT_MAX_CHARS, 0);
    position = devplat_input_id(req, e, "position_id", "职位");
    in.domains = devplat_input_id_list(req, e, "domain_id", "领域", DOMAINS_MAX);
    in.experience = devplat_input_text(req, e, "project_experience", "项目经历",
                                       EXPERIENCE_MAX_CHARS, 1);
    if ((position && devplat_lookup_check(req, e, DP_LOOKUP_POSITIONS, "position_id", "职位",
                                          devplat_id_array(req, position)) < 0)
        || (in.domains && devplat_lookup_check(req, e, DP_LOOKUP_DOMAINS, "domain_id", "领域",
                                               in.domains) < 0)) {
        return FAIL_DB(req);
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    if (DEVPLAT_DONE(rc = devplat_rate_limit(req, DEVPLAT_LIMIT_REVIEW_ACCOUNT,
                                             DEVPLAT_LIMIT_NONE))) {
        return rc;
    }
    in.position_id = devplat_i64(req, position);
    in.now = devplat_time_pformat(req->r->pool, req->now);
    if (devplat_profile_write(req, job_write, &in) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
    }
    row = row_of(req, in.organization, in.position_id, in.experience);
    return devplat_reply_ok(req, with_review(job_json(row, in.domains), row));
}

/* ---------------------------------------------------------------- 奖项信息 */

typedef struct {
    const char *competition, *level_id, *now;
    apr_array_header_t *pictures;
    int too_many;
} award_in;

static apr_status_t award_write(devplat_req *req, void *ctx)
{
    award_in *in = ctx;
    devplat_rows *rows;
    json_object *fields;
    const char *id;
    int i;

    if (devplat_db_select(req, DP_AWARD_COUNT, &rows, 1, uid(req)) != APR_SUCCESS
        || rows->nrows != 1) {
        return APR_EGENERAL;
    }
    if (devplat_atoi64(rows->rows[0][0]) >= AWARDS_MAX) {
        in->too_many = 1;
        return APR_EGENERAL;
    }
    if (devplat_db_select(req, DP_AWARD_INSERT, &rows, 5, uid(req), in->competition,
                          in->level_id, in->now, in->now) != APR_SUCCESS || rows->nrows != 1) {
        return APR_EGENERAL;
    }
    id = rows->rows[0][0];
    for (i = 0; i < in->pictures->nelts; i++) {
        if (devplat_db_exec(req, DP_AWARD_PICTURE_INSERT, NULL, 3, id, apr_itoa(req->r->pool, i),
                            APR_ARRAY_IDX(in->pictures, i, const char *)) != APR_SUCCESS) {
            return APR_EGENERAL;
        }
    }
    fields = json_object_new_object();
    json_object_object_add(fields, "competition", str(in->competition));
    json_object_object_add(fields, "award_level_id",
                           json_object_new_int64(devplat_atoi64(in->level_id)));
    return devplat_review_submit(req, DEVPLAT_REVIEW_AWARD, req->user->id, devplat_atoi64(id),
                                 fields, strings_json(in->pictures), DEVPLAT_REVIEW_PENDING);
}

int devplat_dev_award(devplat_req *req)
{
    devplat_errors *e;
    award_in in;
    apr_int64_t level;
    int rc, i;

    if (DEVPLAT_DONE(rc = devplat_session_require(req))
        || DEVPLAT_DONE(rc = devplat_input_load(req))) {
        return rc;
    }
    e = devplat_errors_make(req->r);
    memset(&in, 0, sizeof(in));
    in.competition = devplat_input_text(req, e, "competition", "竞赛", TEXT_MAX_CHARS, 0);
    level = devplat_input_id(req, e, "award_level_id", "奖项等级");
    in.pictures = devplat_input_string_list(req, e, "award_picture", "获奖照片",
                                            AWARD_PICTURES_MAX, PICTURE_MAX_BYTES);
    if (level && devplat_lookup_check(req, e, DP_LOOKUP_AWARD_LEVELS, "award_level_id",
                                      "奖项等级", devplat_id_array(req, level)) < 0) {
        return FAIL_DB(req);
    }
    for (i = 0; in.pictures && i < in.pictures->nelts; i++) {
        rc = devplat_picture_check(req, e, "award_picture", "获奖照片",
                                   APR_ARRAY_IDX(in.pictures, i, const char *),
                                   DEVPLAT_KIND_AWARD_PICTURE, NULL);
        if (rc < 0) {
            return FAIL_DB(req);
        }
        if (rc == 0) {
            break;              /* one message for the field is enough */
        }
    }
    if (devplat_errors_any(e)) {
        return devplat_reply_invalid(req, e);
    }
    if (DEVPLAT_DONE(rc = devplat_rate_limit(req, DEVPLAT_LIMIT_REVIEW_ACCOUNT,
                                             DEVPLAT_LIMIT_NONE))) {
        return rc;
    }
    in.level_id = devplat_i64(req, level);
    in.now = devplat_time_pformat(req->r->pool, req->now);
    if (devplat_profile_write(req, award_write, &in) != APR_SUCCESS) {
        if (in.too_many) {
            return devplat_reply_invalid1(req, "award_info",
                                          apr_psprintf(req->r->pool, "奖项信息最多%d条",
                                                       AWARDS_MAX));
        }
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
    }
    return devplat_reply_ok(req, award_json(in.competition, level, strings_json(in.pictures),
                                            "0", ""));
}
