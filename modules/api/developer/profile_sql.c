/* The SQL of the personal centre: lookups, authentication records and the
 * base profile (sql/<engine>/011_profile.sql). */
#include "statements.h"
#include "profile.h"
#include "vocab.h"

/* every record a user writes waits for review again */
#define PENDING DEVPLAT_SQL_INT(DEVPLAT_REVIEW_PENDING)

#define LOOKUP(table) \
    "SELECT id, name, created_at, updated_at FROM " table " ORDER BY sort, id"

const devplat_statement devplat_sql_profile[] = {
    {DP_LOOKUP_CERTIFICATE_TYPES,   LOOKUP("certificate_types")},
    {DP_LOOKUP_DOMAINS,             LOOKUP("domains")},
    {DP_LOOKUP_EDUCATION_LEVELS,    LOOKUP("education_levels")},
    {DP_LOOKUP_POSITIONS,           LOOKUP("positions")},
    {DP_LOOKUP_AWARD_LEVELS,        LOOKUP("award_levels")},
    {DP_LOOKUP_RESEARCH_DIRECTIONS, LOOKUP("research_directions")},
    {DP_CERTIFICATE_RULE,
     "SELECT number_rule FROM certificate_types WHERE id = %lld"},

    /* 实名认证 is the account core's identity store (accounts.c) */

    /* 教育信息 */
    {DP_EDUCATION_GET,
     "SELECT institution, education_id, project_experience, status, message "
     "FROM educational_infos WHERE user_id = %lld"},
    {DP_EDUCATION_INSERT,
     "INSERT INTO educational_infos (user_id, institution, education_id, "
     "project_experience, status, message, created_at, updated_at) "
     "VALUES (%lld, %s, %lld, %s, " PENDING ", '', %s, %s)"},
    {DP_EDUCATION_UPDATE,
     "UPDATE educational_infos SET institution = %s, education_id = %lld, "
     "project_experience = %s, status = " PENDING ", message = '', updated_at = %s "
     "WHERE user_id = %lld"},

    /* 职业信息 */
    {DP_JOB_GET,
     "SELECT organization, position_id, project_experience, status, message "
     "FROM job_infos WHERE user_id = %lld"},
    {DP_JOB_INSERT,
     "INSERT INTO job_infos (user_id, organization, position_id, "
     "project_experience, status, message, created_at, updated_at) "
     "VALUES (%lld, %s, %lld, %s, " PENDING ", '', %s, %s)"},
    {DP_JOB_UPDATE,
     "UPDATE job_infos SET organization = %s, position_id = %lld, "
     "project_experience = %s, status = " PENDING ", message = '', updated_at = %s "
     "WHERE user_id = %lld"},
    {DP_JOB_DOMAINS,
     "SELECT domain_id FROM job_info_domains WHERE user_id = %lld ORDER BY position"},
    {DP_JOB_DOMAINS_DELETE,
     "DELETE FROM job_info_domains WHERE user_id = %lld"},
    {DP_JOB_DOMAIN_INSERT,
     "INSERT INTO job_info_domains (user_id, domain_id, position) VALUES (%lld, %lld, %d)"},

    /* 奖项信息 */
    {DP_AWARD_LIST,
     "SELECT id, competition, award_level_id, status, message FROM award_infos "
     "WHERE user_id = %lld ORDER BY id"},
    {DP_AWARD_PICTURES,
     "SELECT p.award_info_id, p.picture FROM award_info_pictures p "
     "JOIN award_infos a ON a.id = p.award_info_id WHERE a.user_id = %lld "
     "ORDER BY p.award_info_id, p.position"},
    {DP_AWARD_COUNT,
     "SELECT COUNT(*) FROM award_infos WHERE user_id = %lld"},
    {DP_AWARD_INSERT,
     "INSERT INTO award_infos (user_id, competition, award_level_id, status, "
     "message, created_at, updated_at) VALUES (%lld, %s, %lld, " PENDING ", '', %s, %s) "
     "RETURNING id"},
    {DP_AWARD_PICTURE_INSERT,
     "INSERT INTO award_info_pictures (award_info_id, position, picture) "
     "VALUES (%lld, %d, %s)"},

    /* 基本信息 */
    {DP_BASE_GET,
     "SELECT id, username, avatar, province, city, county, is_overseas, mobile, "
     "email, created_at, updated_at FROM users WHERE id = %lld"},
    {DP_BASE_UPDATE,
     "UPDATE users SET avatar = %s, province = %s, city = %s, county = %s, "
     "is_overseas = %d, updated_at = %s WHERE id = %lld"},
    {DP_BASE_DIRECTIONS,
     "SELECT research_direction_id FROM user_research_directions "
     "WHERE user_id = %lld ORDER BY position"},
    {DP_BASE_DIRECTIONS_DELETE,
     "DELETE FROM user_research_directions WHERE user_id = %lld"},
    {DP_BASE_DIRECTION_INSERT,
     "INSERT INTO user_research_directions (user_id, research_direction_id, position) "
     "VALUES (%lld, %lld, %d)"},
    {NULL, NULL}
};
