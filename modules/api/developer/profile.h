/* What the personal centre's files (lookups.c, authenticate.c, base.c)
 * share: statement labels, lookup tables, authenticate statuses. */
#ifndef DEVPLAT_API_PROFILE_H
#define DEVPLAT_API_PROFILE_H

#include "devplat_private.h"
#include "reply.h"

/* Lookup lists: id, name, created_at, updated_at (ordered for display). */
#define DP_LOOKUP_CERTIFICATE_TYPES   "devplat_lookup_certificate_types"
#define DP_LOOKUP_DOMAINS             "devplat_lookup_domains"
#define DP_LOOKUP_EDUCATION_LEVELS    "devplat_lookup_education_levels"
#define DP_LOOKUP_POSITIONS           "devplat_lookup_positions"
#define DP_LOOKUP_AWARD_LEVELS        "devplat_lookup_award_levels"
#define DP_LOOKUP_RESEARCH_DIRECTIONS "devplat_lookup_research_directions"
/* Columns of every DP_LOOKUP_*. */
enum { LOOKUP_ID, LOOKUP_NAME, LOOKUP_CREATED, LOOKUP_UPDATED };
#define DP_CERTIFICATE_RULE           "devplat_certificate_rule"

#define DP_EDUCATION_GET        "devplat_education_get"
/* DP_EDUCATION_GET and DP_JOB_GET: the record, its lookup id, experience,
 * review status and message */
enum { RECORD_TEXT, RECORD_LOOKUP, RECORD_EXPERIENCE, RECORD_STATUS, RECORD_MESSAGE,
       RECORD_COLUMNS };
#define DP_EDUCATION_INSERT     "devplat_education_insert"
#define DP_EDUCATION_UPDATE     "devplat_education_update"
#define DP_JOB_GET              "devplat_job_get"
#define DP_JOB_INSERT           "devplat_job_insert"
#define DP_JOB_UPDATE           "devplat_job_update"
#define DP_JOB_DOMAINS          "devplat_job_domains"
#define DP_JOB_DOMAINS_DELETE   "devplat_job_domains_delete"
#define DP_JOB_DOMAIN_INSERT    "devplat_job_domain_insert"
#define DP_AWARD_LIST           "devplat_award_list"
enum { AWARD_ID, AWARD_COMPETITION, AWARD_LEVEL, AWARD_STATUS, AWARD_MESSAGE };
#define DP_AWARD_PICTURES       "devplat_award_pictures"
enum { PICTURE_AWARD, PICTURE_PATH };
#define DP_AWARD_COUNT          "devplat_award_count"
#define DP_AWARD_INSERT         "devplat_award_insert"
#define DP_AWARD_PICTURE_INSERT "devplat_award_picture_insert"
#define DP_BASE_GET             "devplat_base_get"
#define DP_BASE_UPDATE          "devplat_base_update"
#define DP_BASE_DIRECTIONS      "devplat_base_directions"
#define DP_BASE_DIRECTIONS_DELETE "devplat_base_directions_delete"
#define DP_BASE_DIRECTION_INSERT  "devplat_base_direction_insert"

/* Whether every id in ids (apr_int64_t) is a row of the lookup whose list
 * statement is label: 1 yes; 0 no, with "<name>不存在" added to e for
 * field; -1 when the database failed (logged). */
int devplat_lookup_check(devplat_req *req, devplat_errors *e, const char *label,
                         const char *field, const char *name,
                         const apr_array_header_t *ids);

/* ids as an array of one id. */
apr_array_header_t *devplat_id_array(devplat_req *req, apr_int64_t id);

/* A JSON array of the integers in ids (apr_int64_t). */
json_object *devplat_ids_json(const apr_array_header_t *ids);

/* Whether url may be stored as field: the URL of a file of kind that the
 * signed-in user uploaded, or the value stored already (current). 1 yes;
 * 0 no, with "<name>须为本人上传的图片" added to e; -1 database failed. */
int devplat_picture_check(devplat_req *req, devplat_errors *e, const char *field,
                          const char *name, const char *url, const char *kind,
                          const char *current);

/* Runs fn inside a transaction that first locks the user's row, so that
 * one user's profile writes run one after the other on every engine (and
 * fn's reads see the latest commit); once more if the commit still fails.
 * fn returns APR_SUCCESS or an error, after which everything it did is
 * rolled back. */
typedef apr_status_t (*devplat_profile_writer)(devplat_req *req, void *ctx);
apr_status_t devplat_profile_write(devplat_req *req, devplat_profile_writer fn, void *ctx);

/* The first column of label's rows for the signed-in user (one %lld
 * argument: the user id) as apr_int64_t; NULL when the database failed. */
apr_array_header_t *devplat_profile_ids(devplat_req *req, const char *label);

/* A JSON integer from a cell; 0 for SQL NULL (000 types no field null). */
json_object *devplat_cell_int(const char *cell);

#endif
