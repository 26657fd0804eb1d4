/* Shared declarations of the httpd glue: the module record, the request
 * context every endpoint receives, and the log tag. */
#ifndef DEVPLAT_PRIVATE_H
#define DEVPLAT_PRIVATE_H

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"
#include "apr_tables.h"
#include "apr_lib.h"

#include <json-c/json.h>

#ifdef APLOG_USE_MODULE
APLOG_USE_MODULE(devplat);
#endif
extern module AP_MODULE_DECLARE_DATA devplat_module;

typedef struct devplat_srv_cfg devplat_srv_cfg;
typedef struct devplat_dir_cfg devplat_dir_cfg;
typedef struct devplat_db devplat_db;

/* A signed-in user as every face shows it. */
typedef struct {
    apr_int64_t id;
    const char *username;
    const char *avatar;
    int level;
    int status;
    apr_int64_t integral;
    const char *created_at;
    const char *updated_at;
} devplat_user;

/* What one API request carries from the router to its endpoint. */
typedef struct {
    request_rec *r;
    const devplat_srv_cfg *sconf;
    const devplat_dir_cfg *dconf;
    const char *path;        /* below the <Location>, no leading '/' */
    apr_table_t *params;     /* {name} segments of the route */
    json_object *input;      /* body or query as an object; see body.h */
    devplat_db *db;          /* acquired lazily; see db.h */
    devplat_user *user;      /* set by devplat_session_require() */
    const char *jti;         /* session of the presented token */
    const char *token;       /* the presented token itself */
    apr_int64_t now;         /* request time, Unix seconds */
    const char *cmd;         /* admin envelope's "cmd" when it is not path */
    apr_time_t hash_turn;    /* when its turn at the bcrypt gate began */
} devplat_req;

#endif
