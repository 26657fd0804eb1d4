/* Directives of mod_devplat. Every value is checked when it is read, so a bad
 * one stops httpd at startup with a message naming the directive. */
#include "config.h"
#include "password.h"
#include "statements.h"

#include "http_core.h"

#include "apr_file_io.h"
#include <openssl/hmac.h>
#include <openssl/evp.h>

#define JWT_KEY_MIN 32
#define JWT_KEY_MAX 4096

void *devplat_create_srv_cfg(apr_pool_t *p, server_rec *s)
{
    devplat_srv_cfg *c = apr_pcalloc(p, sizeof(*c));
    int i;

    c->token_ttl = DEVPLAT_UNSET;
    c->refresh_ttl = DEVPLAT_UNSET;
    c->refresh_grace = DEVPLAT_UNSET;
    c->bcrypt_cost = DEVPLAT_UNSET;
    c->dummy_cost_refresh = DEVPLAT_UNSET;
    c->notify_timeout = DEVPLAT_UNSET;
    c->expose_codes = DEVPLAT_UNSET;
    c->code_ttl = DEVPLAT_UNSET;
    c->code_cooldown = DEVPLAT_UNSET;
    c->throttle_attempts = DEVPLAT_UNSET;
    c->throttle_window = DEVPLAT_UNSET;
    c->throttle_lock = DEVPLAT_UNSET;
    c->unknown_login_attempts = DEVPLAT_UNSET;
    c->hash_running = DEVPLAT_UNSET;
    c->hash_queue = DEVPLAT_UNSET;
    c->hash_wait = DEVPLAT_UNSET;
    c->register_credit = DEVPLAT_UNSET;
    for (i = 0; i < DEVPLAT_LIMITS; i++) {
        c->rate_limits[i].count = DEVPLAT_UNSET;
    }
    c->purge_interval = DEVPLAT_UNSET;
    c->search_count_cap = DEVPLAT_UNSET;
    return c;
}

#define MERGE_VAL(f) c->f = (add->f != DEVPLAT_UNSET) ? add->f : base->f
#define MERGE_PTR(f) c->f = add->f ? add->f : base->f

void *devplat_merge_srv_cfg(apr_pool_t *p, void *basev, void *addv)
{
    devplat_srv_cfg *base = basev, *add = addv;
    devplat_srv_cfg *c = apr_pcalloc(p, sizeof(*c));
    int i;

    if (add->jwt_key) {
        c->jwt_secret_file = add->jwt_secret_file;
        c->jwt_key = add->jwt_key;
        c->jwt_key_len = add->jwt_key_len;
        memcpy(c->code_key, add->code_key, sizeof(c->code_key));
    }
    else {
        c->jwt_secret_file = base->jwt_secret_file;
        c->jwt_key = base->jwt_key;
        c->jwt_key_len = base->jwt_key_len;
        memcpy(c->code_key, base->code_key, sizeof(c->code_key));
    }
    MERGE_VAL(token_ttl);
    MERGE_VAL(refresh_ttl);
    MERGE_VAL(refresh_grace);
    MERGE_VAL(bcrypt_cost);
    MERGE_VAL(dummy_cost_refresh);
    MERGE_PTR(storage_dir);
    MERGE_PTR(storage_url);
    MERGE_PTR(notify_webhook);
    MERGE_VAL(notify_timeout);
    MERGE_VAL(expose_codes);
    MERGE_VAL(code_ttl);
    MERGE_VAL(code_cooldown);
    MERGE_VAL(throttle_attempts);
    MERGE_VAL(throttle_window);
    MERGE_VAL(throttle_lock);
    MERGE_VAL(unknown_login_attempts);
    MERGE_VAL(hash_running);
    MERGE_VAL(hash_queue);
    MERGE_VAL(hash_wait);
    MERGE_VAL(register_credit);
    /* a DevplatRateLimit sets count and window together */
    for (i = 0; i < DEVPLAT_LIMITS; i++) {
        c->rate_limits[i] = add->rate_limits[i].count != DEVPLAT_UNSET
                            ? add->rate_limits[i] : base->rate_limits[i];
    }
    MERGE_VAL(purge_interval);
    MERGE_VAL(search_count_cap);
    /* statements are prepared per server by mod_dbd's inheritance */
    c->statements_prepared = add->statements_prepared || base->statements_prepared;
    return c;
}

void *devplat_create_dir_cfg(apr_pool_t *p, char *dir)
{
    devplat_dir_cfg *c = apr_pcalloc(p, sizeof(*c));

    c->face = DEVPLAT_FACE_UNSET;
    c->upload_max_size = DEVPLAT_UNSET;
    return c;
}

void *devplat_merge_dir_cfg(apr_pool_t *p, void *basev, void *addv)
{
    devplat_dir_cfg *base = basev, *add = addv;
    devplat_dir_cfg *c = apr_pcalloc(p, sizeof(*c));

    if (add->face != DEVPLAT_FACE_UNSET) {
        c->face = add->face;
        c->base = add->base;
    }
    else {
        c->face = base->face;
        c->base = base->base;
    }
    MERGE_VAL(upload_max_size);
    return c;
}

/* Parses a whole non-negative decimal number within [min, max]. */
static const char *parse_int(cmd_parms *cmd, const char *arg, apr_int64_t min,
                             apr_int64_t max, apr_int64_t *out)
{
    char *end;
    apr_int64_t v;

    errno = 0;
    v = apr_strtoi64(arg, &end, 10);
    if (errno || end == arg || *end || v < min || v > max) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a whole number from %"
                            APR_INT64_T_FMT " to %" APR_INT64_T_FMT,
                            cmd->cmd->name, arg, min, max);
    }
    *out = v;
    return NULL;
}

/* A numeric server directive: where its value lives, its type and its
 * bounds. One setter serves them all through cmd->info. */
typedef struct {
    apr_size_t offset;
    int is_int64;           /* apr_int64_t field, else int */
    apr_int64_t min, max;
} number_field;

#define SECONDS(f) {APR_OFFSETOF(devplat_srv_cfg, f), 1, 1, APR_INT64_C(315360000)}
static number_field token_ttl = SECONDS(token_ttl);
static number_field refresh_ttl = SECONDS(refresh_ttl);
static number_field code_ttl = SECONDS(code_ttl);
static number_field code_cooldown = SECONDS(code_cooldown);
/* 0 is allowed here: rotation then revokes the old token at once */
static number_field refresh_grace =
    {APR_OFFSETOF(devplat_srv_cfg, refresh_grace), 1, 0, 3600};
static number_field bcrypt_cost =
    {APR_OFFSETOF(devplat_srv_cfg, bcrypt_cost), 0, DEVPLAT_BCRYPT_COST_MIN,
     DEVPLAT_BCRYPT_COST_MAX};
static number_field dummy_cost_refresh =
    {APR_OFFSETOF(devplat_srv_cfg, dummy_cost_refresh), 1, 1, 86400};
static number_field register_credit =
    {APR_OFFSETOF(devplat_srv_cfg, register_credit), 0, 0, 100000000};
static number_field notify_timeout =
    {APR_OFFSETOF(devplat_srv_cfg, notify_timeout), 0, 1, 60};
static number_field purge_interval =
    {APR_OFFSETOF(devplat_srv_cfg, purge_interval), 1, 1, 86400};
/* the search counts up to it; a page of a search is never deeper */
static number_field search_count_cap =
    {APR_OFFSETOF(devplat_srv_cfg, search_count_cap), 0, 1, 1000000};

static const char *set_srv_number(cmd_parms *cmd, void *dummy, const char *arg)
{
    const number_field *f = cmd->info;
    char *field = (char *)devplat_srv(cmd->server) + f->offset;
    apr_int64_t v;
    const char *err = parse_int(cmd, arg, f->min, f->max, &v);

    if (err) {
        return err;
    }
    if (f->is_int64) {
        *(apr_int64_t *)field = v;
    }
    else {
        *(int *)field = (int)v;
    }
    return NULL;
}

static const char *set_throttle(cmd_parms *cmd, void *dummy, const char *a1,
                                const char *a2, const char *a3)
{
    devplat_srv_cfg *c = devplat_srv(cmd->server);
    apr_int64_t attempts;
    const char *err;

    if (!a2 || !a3) {
        return "DevplatLoginThrottle takes three numbers: attempts window-seconds "
               "lock-seconds (for example: 5 900 60)";
    }
    if ((err = parse_int(cmd, a1, 1, 1000, &attempts))
        || (err = parse_int(cmd, a2, 1, 86400, &c->throttle_window))
        || (err = parse_int(cmd, a3, 1, DEVPLAT_THROTTLE_MAX_LOCK, &c->throttle_lock))) {
        return err;
    }
    c->throttle_attempts = (int)attempts;
    return NULL;
}

static number_field unknown_login_attempts =
    {APR_OFFSETOF(devplat_srv_cfg, unknown_login_attempts), 0, 1, 100000};

/* DevplatHashLimit running queue [max-wait-seconds] */
static const char *set_hash_limit(cmd_parms *cmd, void *dummy, const char *a1,
                                  const char *a2, const char *a3)
{
    devplat_srv_cfg *c = devplat_srv(cmd->server);
    apr_int64_t running, queue, wait = 2;
    const char *err;

    if ((err = parse_int(cmd, a1, 1, 256, &running))
        || (err = parse_int(cmd, a2, 0, 10000, &queue))
        || (a3 && (err = parse_int(cmd, a3, 1, 300, &wait)))) {
        return err;
    }
    c->hash_running = (int)running;
    c->hash_queue = (int)queue;
    c->hash_wait = wait;
    return NULL;
}

#define RATE_COUNT_MAX  1000000
#define RATE_WINDOW_MAX 604800      /* a week */

static int whole_number(const char *arg, apr_int64_t min, apr_int64_t max,
                        apr_int64_t *out)
{
    char *end;

    errno = 0;
    *out = apr_strtoi64(arg, &end, 10);
    return !errno && end != arg && !*end && *out >= min && *out <= max;
}

/* DevplatRateLimit name count window-seconds, once per name. */
static const char *set_rate_limit(cmd_parms *cmd, void *dummy, const char *name,
                                  const char *count, const char *window)
{
    devplat_limit which = devplat_rate_limit_find(name);
    devplat_rate *rate;
    apr_int64_t n, w;

    if (which == DEVPLAT_LIMIT_NONE) {
        return apr_psprintf(cmd->pool, "DevplatRateLimit: unknown limit '%s' "
                            "(the limits are: %s)", name, devplat_rate_limit_names(cmd->pool));
    }
    if (!whole_number(count, 0, RATE_COUNT_MAX, &n)) {
        return apr_psprintf(cmd->pool, "DevplatRateLimit %s: the count '%s' is not a whole "
                            "number from 0 (no limit) to %d (for example: "
                            "DevplatRateLimit %s 5 3600)", name, count, RATE_COUNT_MAX, name);
    }
    if (!whole_number(window, 1, RATE_WINDOW_MAX, &w)) {
        return apr_psprintf(cmd->pool, "DevplatRateLimit %s: the window '%s' is not a whole "
                            "number of seconds from 1 to %d (for example: "
                            "DevplatRateLimit %s 5 3600)", name, window, RATE_WINDOW_MAX, name);
    }
    rate = &devplat_srv(cmd->server)->rate_limits[which];
    rate->count = (int)n;
    rate->window = w;
    return NULL;
}

static const char *set_expose_codes(cmd_parms *cmd, void *dummy, int on)
{
    devplat_srv(cmd->server)->expose_codes = on;
    return NULL;
}

static const char *set_storage_dir(cmd_parms *cmd, void *dummy, const char *arg)
{
    devplat_srv(cmd->server)->storage_dir = ap_server_root_relative(cmd->pool, arg);
    if (!devplat_srv(cmd->server)->storage_dir) {
        return apr_pstrcat(cmd->pool, "DevplatStorageDir: invalid path ", arg, NULL);
    }
    return NULL;
}

static const char *set_storage_url(cmd_parms *cmd, void *dummy, const char *arg)
{
    apr_size_t n = strlen(arg);

    if (arg[0] != '/' || strpbrk(arg, "?#\"\\ ")) {
        return "DevplatStorageURL must be a URL path starting with '/'";
    }
    while (n > 1 && arg[n - 1] == '/') {
        n--;
    }
    devplat_srv(cmd->server)->storage_url = apr_pstrmemdup(cmd->pool, arg, n);
    return NULL;
}

static const char *set_webhook(cmd_parms *cmd, void *dummy, const char *arg)
{
    if (strncasecmp(arg, "http://", 7) && strncasecmp(arg, "https://", 8)) {
        return "DevplatNotifyWebhook must be an http:// or https:// URL";
    }
    devplat_srv(cmd->server)->notify_webhook = arg;
    return NULL;
}

/* The key is read once, here, while httpd still runs as root: the file can
 * stay 0600 root-owned and the children inherit the bytes. */
static const char *set_jwt_secret_file(cmd_parms *cmd, void *dummy, const char *arg)
{
    devplat_srv_cfg *c = devplat_srv(cmd->server);
    const char *path = ap_server_root_relative(cmd->pool, arg);
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t rv;
    unsigned char *buf;
    apr_size_t got = 0;
    unsigned int dlen = sizeof(c->code_key);

    if (!path) {
        return apr_pstrcat(cmd->pool, "DevplatJwtSecretFile: invalid path ", arg, NULL);
    }
    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, 0, cmd->temp_pool);
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(&fi, APR_FINFO_SIZE, f);
    }
    if (rv != APR_SUCCESS) {
        char msg[120];
        return apr_psprintf(cmd->pool, "DevplatJwtSecretFile: cannot read %s: %s",
                            path, apr_strerror(rv, msg, sizeof(msg)));
    }
    if (fi.size < JWT_KEY_MIN || fi.size > JWT_KEY_MAX) {
        apr_file_close(f);
        return apr_psprintf(cmd->pool, "DevplatJwtSecretFile: %s holds %" APR_OFF_T_FMT
                            " bytes; the key must be %d to %d bytes "
                            "(for example: head -c 48 /dev/urandom > %s)",
                            path, fi.size, JWT_KEY_MIN, JWT_KEY_MAX, path);
    }
    buf = apr_palloc(cmd->pool, (apr_size_t)fi.size);
    rv = apr_file_read_full(f, buf, (apr_size_t)fi.size, &got);
    apr_file_close(f);
    if (rv != APR_SUCCESS || got != (apr_size_t)fi.size) {
        return apr_psprintf(cmd->pool, "DevplatJwtSecretFile: short read on %s", path);
    }
    c->jwt_secret_file = path;
    c->jwt_key = buf;
    c->jwt_key_len = got;
    /* A separate key for code digests, so the two uses never share a MAC. */
    HMAC(EVP_sha256(), buf, (int)got, (const unsigned char *)"devplat verification codes",
         26, c->code_key, &dlen);
    return NULL;
}

static const char *set_upload_max(cmd_parms *cmd, void *dconf, const char *arg)
{
    devplat_dir_cfg *d = dconf;
    apr_int64_t v;
    const char *err = parse_int(cmd, arg, 1, APR_INT64_C(1073741824), &v);

    if (!err) {
        d->upload_max_size = (apr_off_t)v;
    }
    return err;
}

/* Names of the faces, indexed by devplat_face. */
static const char *const face_names[] = {
    [DEVPLAT_FACE_DEVELOPER] = "developer",
    [DEVPLAT_FACE_ADMIN] = "admin",
    [DEVPLAT_FACE_MOBILE] = "mobile",
};
#define FACE_COUNT ((int)(sizeof(face_names) / sizeof(face_names[0])))

const char *devplat_face_name(int face)
{
    return face > DEVPLAT_FACE_NONE && face < FACE_COUNT ? face_names[face] : "";
}

static const char *set_api(cmd_parms *cmd, void *dconf, const char *arg)
{
    devplat_dir_cfg *d = dconf;
    devplat_srv_cfg *c = devplat_srv(cmd->server);
    const char *err;
    apr_size_t n;
    int f;

    d->face = DEVPLAT_FACE_NONE;
    for (f = DEVPLAT_FACE_NONE + 1; f < FACE_COUNT; f++) {
        if (!strcasecmp(arg, face_names[f])) {
            d->face = f;
        }
    }
    if (d->face == DEVPLAT_FACE_NONE) {
        return apr_psprintf(cmd->pool, "DevplatApi: unknown face '%s' "
                            "(this version serves: developer, admin, mobile)", arg);
    }
    if (!cmd->path || cmd->path[0] != '/') {
        return "DevplatApi belongs inside a <Location> block";
    }
    n = strlen(cmd->path);
    while (n > 0 && cmd->path[n - 1] == '/') {
        n--;
    }
    d->base = apr_pstrmemdup(cmd->pool, cmd->path, n);

    if (!c->statements_prepared) {
        if ((err = devplat_statements_prepare(cmd))) {
            return err;
        }
        c->statements_prepared = 1;
    }
    return NULL;
}

const command_rec devplat_cmds[] = {
    AP_INIT_TAKE1("DevplatApi", set_api, NULL, ACCESS_CONF,
                  "Serve an API face here: developer, admin or mobile"),
    AP_INIT_TAKE1("DevplatJwtSecretFile", set_jwt_secret_file, NULL, RSRC_CONF,
                  "File holding the HS256 signing key (32 to 4096 bytes)"),
    AP_INIT_TAKE1("DevplatTokenTTL", set_srv_number, &token_ttl, RSRC_CONF,
                  "Access token lifetime in seconds (default 7200)"),
    AP_INIT_TAKE1("DevplatRefreshTTL", set_srv_number, &refresh_ttl, RSRC_CONF,
                  "Seconds after login during which tokens can be refreshed "
                  "(default 1209600)"),
    AP_INIT_TAKE1("DevplatRefreshGrace", set_srv_number, &refresh_grace, RSRC_CONF,
                  "Seconds a refreshed token keeps working (default 30)"),
    AP_INIT_TAKE1("DevplatBcryptCost", set_srv_number, &bcrypt_cost, RSRC_CONF,
                  "bcrypt cost for new password hashes, "
                  DEVPLAT_BCRYPT_TEXT(DEVPLAT_BCRYPT_COST_MIN) " to "
                  DEVPLAT_BCRYPT_TEXT(DEVPLAT_BCRYPT_COST_MAX) " (default "
                  DEVPLAT_BCRYPT_TEXT(DEVPLAT_BCRYPT_COST_DEFAULT) ")"),
    AP_INIT_TAKE1("DevplatDummyCostRefresh", set_srv_number, &dummy_cost_refresh,
                  RSRC_CONF, "Seconds between two readings of the commonest stored "
                  "bcrypt cost, which unknown login names cost, 1 to 86400 (default 300)"),
    AP_INIT_TAKE1("DevplatStorageDir", set_storage_dir, NULL, RSRC_CONF,
                  "Directory for uploaded files"),
    AP_INIT_TAKE1("DevplatStorageURL", set_storage_url, NULL, RSRC_CONF,
                  "URL path the storage directory is served at (default /storage)"),
    AP_INIT_TAKE1("DevplatUploadMaxSize", set_upload_max, NULL, ACCESS_CONF,
                  "Largest upload in bytes (default 2097152)"),
    AP_INIT_TAKE1("DevplatNotifyWebhook", set_webhook, NULL, RSRC_CONF,
                  "URL that delivers verification codes by SMS or mail"),
    AP_INIT_TAKE1("DevplatNotifyTimeout", set_srv_number, &notify_timeout, RSRC_CONF,
                  "Seconds to wait for the webhook, 1 to 60 (default 5)"),
    AP_INIT_FLAG("DevplatExposeCodes", set_expose_codes, NULL, RSRC_CONF,
                 "Put verification codes in responses (development only)"),
    AP_INIT_TAKE1("DevplatCodeTTL", set_srv_number, &code_ttl, RSRC_CONF,
                  "Verification code lifetime in seconds (default 300)"),
    AP_INIT_TAKE1("DevplatCodeCooldown", set_srv_number, &code_cooldown, RSRC_CONF,
                  "Seconds before a new code for the same destination (default 60)"),
    AP_INIT_TAKE3("DevplatLoginThrottle", set_throttle, NULL, RSRC_CONF,
                  "attempts window-seconds lock-seconds (default 5 900 60)"),
    AP_INIT_TAKE1("DevplatUnknownLoginLimit", set_srv_number, &unknown_login_attempts,
                  RSRC_CONF, "Failed logins with names of no account per client "
                  "address within the DevplatLoginThrottle window, 1 to 100000 "
                  "(default 20)"),
    AP_INIT_TAKE23("DevplatHashLimit", set_hash_limit, NULL, RSRC_CONF,
                   "bcrypt hashes at once per child (1 to 256), how many more may "
                   "wait (0 to 10000) and for how many seconds at most (1 to 300) "
                   "(default 2 64 2)"),
    AP_INIT_TAKE3("DevplatRateLimit", set_rate_limit, NULL, RSRC_CONF,
                  "name count window-seconds: identity-account, identity-address, "
                  "existence-account, existence-address, captcha-address or "
                  "review-account; "
                  "count 0 turns the limit off"),
    AP_INIT_TAKE1("DevplatPurgeInterval", set_srv_number, &purge_interval, RSRC_CONF,
                  "Seconds between two purges of expired rows in a child, 1 to 86400 "
                  "(default 60)"),
    AP_INIT_TAKE1("DevplatRegisterCredit", set_srv_number, &register_credit, RSRC_CONF,
                  "Credits a new user starts with (default 100)"),
    AP_INIT_TAKE1("DevplatSearchCountCap", set_srv_number, &search_count_cap, RSRC_CONF,
                  "Matches a catalogue search counts exactly, 1 to 1000000; more are "
                  "reported as this number (default 10000)"),
    {NULL}
};

/* Fills in defaults and checks what single directives cannot: the key is
 * required wherever an API is served. */
int devplat_config_check(apr_pool_t *p, server_rec *s)
{
    server_rec *sp;

    for (sp = s; sp; sp = sp->next) {
        devplat_srv_cfg *c = devplat_srv(sp);

#define DEFAULT(f, v) if (c->f == DEVPLAT_UNSET) c->f = (v)
        DEFAULT(token_ttl, 7200);
        DEFAULT(refresh_ttl, 1209600);
        DEFAULT(refresh_grace, 30);
        DEFAULT(bcrypt_cost, DEVPLAT_BCRYPT_COST_DEFAULT);
        DEFAULT(dummy_cost_refresh, 300);
        DEFAULT(notify_timeout, 5);
        DEFAULT(expose_codes, 0);
        DEFAULT(code_ttl, 300);
        DEFAULT(code_cooldown, 60);
        DEFAULT(throttle_attempts, 5);
        DEFAULT(throttle_window, 900);
        DEFAULT(throttle_lock, 60);
        DEFAULT(unknown_login_attempts, 20);
        DEFAULT(hash_running, 2);
        DEFAULT(hash_queue, 64);
        DEFAULT(hash_wait, 2);
        DEFAULT(register_credit, 100);
        DEFAULT(purge_interval, 60);
        DEFAULT(search_count_cap, 10000);
        devplat_rate_limit_defaults(c->rate_limits);
#undef DEFAULT
        if (!c->storage_url) {
            c->storage_url = "/storage";
        }
        if (!c->statements_prepared) {
            continue;       /* no DevplatApi in this server */
        }
        if (!c->jwt_key) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, sp,
                         "DevplatJwtSecretFile is required where DevplatApi is used "
                         "(server %s:%u)", sp->server_hostname ? sp->server_hostname : "?",
                         sp->port);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        if (!c->storage_dir) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, sp,
                         "DevplatStorageDir is required where DevplatApi is used");
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        /* httpd reads its configuration twice at startup: warn once */
        if (c->expose_codes
            && ap_state_query(AP_SQ_MAIN_STATE) != AP_SQ_MS_CREATE_PRE_CONFIG) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, sp,
                         "DevplatExposeCodes is On: verification codes and captcha "
                         "texts appear in responses; never use this in production");
        }
    }
    return OK;
}
