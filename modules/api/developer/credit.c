/* 个人中心-等级积分: the user's level, credits and what the next level takes.
 * integral is the signed sum of the user's credit records (as everywhere),
 * split into general and dedicated credits by the records' kind, so
 * general_integral + dedicated_integral = integral always holds; the two
 * totals are the user's columns the account core keeps with the records. */
#include "developer.h"
#include "db.h"
#include "reply.h"
#include "session.h"
#include "statements.h"
#include "account_sql.h"

#define DP_CREDIT_SUMMARY  "devplat_credit_summary"
#define DP_CREDIT_LEVELS   "devplat_credit_levels"
#define DP_CREDIT_RECORDS  "devplat_credit_records"

const devplat_statement devplat_sql_credit[] = {
    {DP_CREDIT_SUMMARY,
     "SELECT u.id, u.level, u.created_at, u.updated_at, u.general_integral, "
     "u.dedicated_integral, "
     "COALESCE(g.experience, 0), COALESCE(g.business_algorithm, 0), "
     "COALESCE(g.algorithm_type, 0), "
     "(SELECT COUNT(*) FROM project_participations pp WHERE pp.user_id = u.id), "
     "(SELECT COALESCE(SUM(i.gpu * i.minutes), 0) FROM project_instances i "
     " JOIN project_participations pp ON pp.id = i.participation_id "
     " WHERE pp.user_id = u.id) "
     "FROM users u LEFT JOIN user_growth g ON g.user_id = u.id WHERE u.id = %lld"},
    /* the user's level and the next one */
    {DP_CREDIT_LEVELS,
     "SELECT level, experience, business_algorithm, algorithm_type, project, gpu_minutes "
     "FROM levels WHERE level >= %d ORDER BY level LIMIT 2"},
    /* the newest records; older ones stay in the table (see README) */
    {DP_CREDIT_RECORDS,
     "SELECT amount, is_positive_growth, message, created_at FROM credit_records "
     "WHERE user_id = %lld ORDER BY created_at DESC, id DESC LIMIT 100"},
    {NULL, NULL}
};

enum { S_ID, S_LEVEL, S_CREATED, S_UPDATED, S_GENERAL, S_DEDICATED, S_EXPERIENCE,
       S_BUSINESS, S_TYPES, S_PROJECTS, S_GPU_USED };
enum { L_LEVEL, L_EXPERIENCE, L_BUSINESS, L_TYPES, L_PROJECTS, L_GPU };

static json_object *integer(const char *cell)
{
    return json_object_new_int64(devplat_atoi64(cell));
}

/* The conditions of the level above (of the user's own at the top of the
 * ladder) beside the user's counters. */
static json_object *upgrade_condition(const devplat_rows *levels, int level,
                                      const char **s)
{
    json_object *o = json_object_new_object();
    const char **next = NULL;
    int i;

    for (i = 0; i < levels->nrows; i++) {
        next = levels->rows[i];
        if (devplat_atoi64(next[L_LEVEL]) > level) {
            break;
        }
    }
    json_object_object_add(o, "experience", integer(next ? next[L_EXPERIENCE] : NULL));
    json_object_object_add(o, "business_algorithm", integer(next ? next[L_BUSINESS] : NULL));
    json_object_object_add(o, "algorithm_type", integer(next ? next[L_TYPES] : NULL));
    json_object_object_add(o, "project", integer(next ? next[L_PROJECTS] : NULL));
    json_object_object_add(o, "current_experience", integer(s[S_EXPERIENCE]));
    json_object_object_add(o, "current_business_algorithm", integer(s[S_BUSINESS]));
    json_object_object_add(o, "current_algorithm_type", integer(s[S_TYPES]));
    json_object_object_add(o, "current_project", integer(s[S_PROJECTS]));
    return o;
}

static json_object *records_json(const devplat_rows *rows)
{
    json_object *list = json_object_new_array();
    int i;

    for (i = 0; i < rows->nrows; i++) {
        const char **c = rows->rows[i];
        json_object *o = json_object_new_object();

        json_object_object_add(o, "change", integer(c[0]));
        json_object_object_add(o, "is_positive_growth",
                               json_object_new_int(devplat_atoi64(c[1]) == 1));
        json_object_object_add(o, "message", json_object_new_string(c[2] ? c[2] : ""));
        json_object_object_add(o, "created_at", json_object_new_string(c[3] ? c[3] : ""));
        json_object_array_add(list, o);
    }
    return list;
}

int devplat_dev_level_credit(devplat_req *req)
{
    devplat_rows *summary, *levels, *records;
    json_object *data;
    const char **s;
    apr_int64_t general, dedicated, gpu_left = 0;
    int rc, level;

    if (DEVPLAT_DONE(rc = devplat_session_require(req))) {
        return rc;
    }
    if (devplat_db_select(req, DP_CREDIT_SUMMARY, &summary, 1,
                          devplat_i64(req, req->user->id)) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    if (summary->nrows != 1) {
        return devplat_reply_error(req, HTTP_NOT_FOUND, DEVPLAT_MSG_NOT_FOUND);
    }
    s = summary->rows[0];
    level = (int)devplat_atoi64(s[S_LEVEL]);
    if (devplat_db_select(req, DP_CREDIT_LEVELS, &levels, 1,
                          apr_itoa(req->r->pool, level)) != APR_SUCCESS
        || devplat_db_select(req, DP_CREDIT_RECORDS, &records, 1,
                             devplat_i64(req, req->user->id)) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }
    /* GPU time: what the level grants less what the user's instances used */
    if (levels->nrows > 0 && devplat_atoi64(levels->rows[0][L_LEVEL]) == level) {
        gpu_left = devplat_atoi64(levels->rows[0][L_GPU]) - devplat_atoi64(s[S_GPU_USED]);
    }
    general = devplat_atoi64(s[S_GENERAL]);
    dedicated = devplat_atoi64(s[S_DEDICATED]);

    data = json_object_new_object();
    json_object_object_add(data, "id", integer(s[S_ID]));
    json_object_object_add(data, "level", json_object_new_int(level));
    json_object_object_add(data, "integral", json_object_new_int64(general + dedicated));
    json_object_object_add(data, "general_integral", json_object_new_int64(general));
    json_object_object_add(data, "dedicated_integral", json_object_new_int64(dedicated));
    json_object_object_add(data, "gpu_available_time",
                           json_object_new_string(apr_psprintf(req->r->pool,
                               "%" APR_INT64_T_FMT "min", gpu_left > 0 ? gpu_left : 0)));
    json_object_object_add(data, "created_at", json_object_new_string(s[S_CREATED] ? s[S_CREATED] : ""));
    json_object_object_add(data, "updated_at", json_object_new_string(s[S_UPDATED] ? s[S_UPDATED] : ""));
    json_object_object_add(data, "upgrade_condition", upgrade_condition(levels, level, s));
    json_object_object_add(data, "integral_record", records_json(records));
    return devplat_reply_ok(req, data);
}
