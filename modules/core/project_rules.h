/* The rules of a project's fields (000's 项目), once for every writer of
 * the catalogue: the admin face's POST/PUT project and devplat-admin's
 * project import read a JSON object with these functions and get the same
 * checks and the same messages. The limits are those of the projects table
 * (sql/<engine>/020_projects.sql). Pure C + APR + json-c. */
#ifndef DEVPLAT_PROJECT_RULES_H
#define DEVPLAT_PROJECT_RULES_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <json-c/json.h>

/* The fields a project is written with, in 000's order. */
typedef enum {
    DEVPLAT_PF_NAME = 0,
    DEVPLAT_PF_STATUS,
    DEVPLAT_PF_PURCHASE_BUDGET,
    DEVPLAT_PF_INTRODUCTION,
    DEVPLAT_PF_DOMAIN,
    DEVPLAT_PF_RESEARCH_DIRECTION,
    DEVPLAT_PF_LEVEL,
    DEVPLAT_PF_DELIVERY_AT,
    DEVPLAT_PF_COUNT
} devplat_project_field;

/* 000's name of each field ("name", "status", ...), by devplat_project_field. */
extern const char *const devplat_project_field_names[DEVPLAT_PF_COUNT];

/* The field called name, or -1 when no field has that name. */
int devplat_project_field_of(const char *name);

/* The values read: text as given (checked), integers as canonical decimal
 * text; NULL for a field that was not given (a create's default otherwise)
 * or that broke its rule. */
typedef struct {
    const char *value[DEVPLAT_PF_COUNT];
    unsigned char set[DEVPLAT_PF_COUNT];    /* 1: the field was given */
    int given;                              /* how many were */
} devplat_project_input;

/* One broken rule: the field's 000 name and what is wrong with it, as the
 * admin face says it (Chinese, naming the field) and as devplat-admin says
 * it (English, without the field's name). */
typedef struct {
    const char *field;
    const char *message;
    const char *english;
} devplat_project_error;

/* Reads the fields of a project from in (a JSON object; text fields are
 * strings, purchase_budget and level JSON integers or strings of decimal
 * digits, as a form or a CSV cell carries them) and checks every one:
 *   name                1-100 characters, not only spaces, no controls
 *   status              registration, ing, end or iteration
 *   purchase_budget     0-2147483647
 *   introduction        0-2000 characters; line breaks and tabs allowed
 *   domain, research_direction   0-64 characters, no controls
 *   level               1-2147483647 (whether it is a level of the levels
 *                       table is the caller's question: the database's)
 *   delivery_at         YYYY-MM-DD HH:MM:SS naming a real moment
 * Text must be UTF-8 without NUL; lengths count characters. A JSON null is
 * a value of the wrong type. Members of other names are not looked at.
 * With create, name and delivery_at (the columns without a default) must
 * be there and the fields not given take the schema's defaults. Every
 * broken rule is pushed onto errors (an array of devplat_project_error);
 * returns how many there were. */
int devplat_project_read(apr_pool_t *p, json_object *in, int create,
                         devplat_project_input *out, apr_array_header_t *errors);

/* 1 when s is one of the four statuses (registration, ing, end,
 * iteration), 0 otherwise. */
int devplat_project_status_known(const char *s);

/* The error of a level that passed the rule but is not in the levels
 * table. */
extern const devplat_project_error devplat_project_no_level;

/* "name,status": the fields given, for an audit detail. */
const char *devplat_project_given(apr_pool_t *p, const devplat_project_input *in);

/* The audit detail of a change to a project: "project <id>: <fields>"
 * (who changed it is the row's actor). */
const char *devplat_project_audit_detail(apr_pool_t *p, const char *id,
                                         const char *fields);

/* A field's limits, as 020_projects.sql sizes the columns. */
#define DEVPLAT_PROJECT_NAME_MAX          100
#define DEVPLAT_PROJECT_INTRODUCTION_MAX  2000
#define DEVPLAT_PROJECT_DOMAIN_MAX        64
#define DEVPLAT_PROJECT_DIRECTION_MAX     64
#define DEVPLAT_PROJECT_INT_MAX           APR_INT64_C(2147483647)  /* INTEGER */

#endif
