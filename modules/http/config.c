/* Directives of mod_devplat. Every value is checked when it is read, so a bad
 * one stops httpd at startup with a message naming the directive. */
#include "config.h"
#include "events.h"
#include "mail.h"
#include "password.h"
#include "statements.h"
#include "mod_dbd.h"

#include "http_core.h"

#include "apr_file_io.h"
#include <curl/curl.h>
#include <openssl/hmac.h>
#include <openssl/evp.h>

#define JWT_KEY_MIN 32
#define JWT_KEY_MAX 4096
#define PEM_FILE_MAX 65536      /* a PEM key is a few hundred bytes */

void *devplat_create_srv_cfg(apr_pool_t *p, server_rec *s)
{
    devplat_srv_cfg *c = apr_pcalloc(p, sizeof(*c));
    int i;

    c->jwt_alg = DEVPLAT_UNSET;
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
    MERGE_VAL(jwt_alg);
    MERGE_PTR(jwt_key_files);
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
    MERGE_PTR(event_webhook);
    /* the key and its file go together */
    c->event_secret_file = add->event_key ? add->event_secret_file : base->event_secret_file;
    c->event_key_len = add->event_key ? add->event_key_len : base->event_key_len;
    MERGE_PTR(event_key);
    /* SMTP: the server with its kind, the credentials with their file */
    if (add->smtp_server) {
        c->smtp_server = add->smtp_server;
        c->smtp_tls = add->smtp_tls;
    }
    else {
        c->smtp_server = base->smtp_server;
        c->smtp_tls = base->smtp_tls;
    }
    MERGE_PTR(smtp_from);
    if (add->smtp_auth_file) {
        c->smtp_auth_file = add->smtp_auth_file;
        c->smtp_user = add->smtp_user;
        c->smtp_password = add->smtp_password;
    }
    else {
        c->smtp_auth_file = base->smtp_auth_file;
        c->smtp_user = base->smtp_user;
        c->smtp_password = base->smtp_password;
    }
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
    c->pass_claims = DEVPLAT_UNSET;
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
    MERGE_PTR(token_cookie);
    MERGE_VAL(pass_claims);
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

/* ---------------------------------------------------------------- SMTP */

/* DevplatSmtpServer smtp://host[:port][/ehlo-name] or smtps://...: parsed
 * with libcurl's own URL parser, so what is accepted here is what the
 * delivery will connect to. */
static const char *set_smtp_server(cmd_parms *cmd, void *dummy, const char *arg)
{
    devplat_srv_cfg *c = devplat_srv(cmd->server);
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *user = NULL, *query = NULL, *frag = NULL;
    const char *err = NULL;

    if (!u) {
        return "DevplatSmtpServer: out of memory";
    }
    if (curl_url_set(u, CURLUPART_URL, arg, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK
        || curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK
        || curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !*host) {
        err = apr_psprintf(cmd->pool, "DevplatSmtpServer: '%s' is not a URL with a host "
                           "(for example: smtp://mail.example.com:587 or "
                           "smtps://mail.example.com)", arg);
    }
    else if (strcasecmp(scheme, "smtp") && strcasecmp(scheme, "smtps")) {
        err = apr_psprintf(cmd->pool, "DevplatSmtpServer: '%s' is not an smtp:// or "
                           "smtps:// URL", arg);
    }
    else if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
        /* the URL is in the configuration and in error messages */
        err = "DevplatSmtpServer: the URL must not hold a user name or password; "
              "put them in the file DevplatSmtpAuthFile names";
    }
    else if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK
             || curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0) == CURLUE_OK) {
        err = apr_psprintf(cmd->pool, "DevplatSmtpServer: '%s' has a query or fragment", arg);
    }
    else {
        c->smtp_server = apr_pstrdup(cmd->pool, arg);
        c->smtp_tls = !strcasecmp(scheme, "smtps");
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(user);
    curl_free(query);
    curl_free(frag);
    curl_url_cleanup(u);
    return err;
}

static const char *set_smtp_from(cmd_parms *cmd, void *dummy, const char *arg)
{
    if (!devplat_mail_address_ok(arg)) {
        return apr_psprintf(cmd->pool, "DevplatSmtpFrom: '%s' is not a bare e-mail "
                            "address (for example: DevplatSmtpFrom noreply@example.com)", arg);
    }
    devplat_srv(cmd->server)->smtp_from = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

#define SMTP_AUTH_MAX 1024

/* One line of the credentials file: [*at, end of line), CR LF dropped. */
static char *auth_line(apr_pool_t *p, const char **at, const char *end)
{
    const char *s = *at, *e = s;

    while (e < end && *e != '\n') {
        e++;
    }
    *at = e < end ? e + 1 : e;
    if (e > s && e[-1] == '\r') {
        e--;
    }
    return apr_pstrmemdup(p, s, e - s);
}

/* DevplatSmtpAuthFile path: the user name on the first line, the password
 * on the second. Read here, while httpd still runs as root, so the file
 * can stay 0600; its content is never put in a message. */
static const char *set_smtp_auth_file(cmd_parms *cmd, void *dummy, const char *arg)
{
    devplat_srv_cfg *c = devplat_srv(cmd->server);
    const char *path = ap_server_root_relative(cmd->pool, arg);
    char buf[SMTP_AUTH_MAX + 1], msg[120];
    const char *at = buf, *end, *k;
    char *user, *password;
    apr_file_t *f;
    apr_size_t got = 0;
    apr_status_t rv;

    if (!path) {
        return apr_pstrcat(cmd->pool, "DevplatSmtpAuthFile: invalid path ", arg, NULL);
    }
    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, 0, cmd->temp_pool);
    if (rv == APR_SUCCESS) {
        rv = apr_file_read_full(f, buf, sizeof(buf), &got);
        apr_file_close(f);
        if (rv == APR_EOF) {
            rv = APR_SUCCESS;
        }
    }
    if (rv != APR_SUCCESS && got <= SMTP_AUTH_MAX) {
        return apr_psprintf(cmd->pool, "DevplatSmtpAuthFile: cannot read %s: %s",
                            path, apr_strerror(rv, msg, sizeof(msg)));
    }
    if (got > SMTP_AUTH_MAX) {
        return apr_psprintf(cmd->pool, "DevplatSmtpAuthFile: %s is larger than %d bytes; "
                            "it holds the user name on its first line and the password "
                            "on its second", path, SMTP_AUTH_MAX);
    }
    end = buf + got;
    user = auth_line(cmd->pool, &at, end);
    password = auth_line(cmd->pool, &at, end);
    for (k = at; k < end && (*k == '\r' || *k == '\n'); k++) {
    }
    memset(buf, 0, sizeof(buf));
    if (!*user || !*password || k < end
        || strpbrk(user, "\t\r") || strpbrk(password, "\r")) {
        return apr_psprintf(cmd->pool, "DevplatSmtpAuthFile: %s must hold the user name on "
                            "its first line and the password on its second, and nothing "
                            "else", path);
    }
    c->smtp_auth_file = path;
    c->smtp_user = user;
    c->smtp_password = password;
    return NULL;
}

const char *devplat_read_key_file(cmd_parms *cmd, const char *path, apr_off_t min,
                                  apr_off_t max, const char *example,
                                  unsigned char **buf, apr_size_t *len)
{
    const char *name = cmd->cmd->name;
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t rv;
    apr_size_t got = 0;

    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, 0, cmd->temp_pool);
    if (rv == APR_SUCCESS) {
        rv = apr_file_info_get(&fi, APR_FINFO_SIZE, f);
        if (rv != APR_SUCCESS) {
            apr_file_close(f);
        }
    }
    if (rv != APR_SUCCESS) {
        char msg[120];
        return apr_psprintf(cmd->pool, "%s: cannot read %s: %s",
                            name, path, apr_strerror(rv, msg, sizeof(msg)));
    }
    if (fi.size < min || fi.size > max) {
        apr_file_close(f);
        return apr_psprintf(cmd->pool, "%s: %s holds %" APR_OFF_T_FMT
                            " bytes; the key must be %" APR_OFF_T_FMT " to %"
                            APR_OFF_T_FMT " bytes (for example: %s)",
                            name, path, fi.size, min, max, example);
    }
    *buf = apr_palloc(cmd->pool, (apr_size_t)fi.size + 1);
    rv = apr_file_read_full(f, *buf, (apr_size_t)fi.size, &got);
    apr_file_close(f);
    if (rv != APR_SUCCESS || got != (apr_size_t)fi.size) {
        return apr_psprintf(cmd->pool, "%s: short read on %s", name, path);
    }
    (*buf)[got] = '\0';
    *len = got;
    return NULL;
}

static const char *set_jwt_secret_file(cmd_parms *cmd, void *dummy, const char *arg)
{
    devplat_srv_cfg *c = devplat_srv(cmd->server);
    const char *path = ap_server_root_relative(cmd->pool, arg);
    unsigned char *buf;
    apr_size_t got;
    unsigned int dlen = sizeof(c->code_key);
    const char *err;

    if (!path) {
        return apr_pstrcat(cmd->pool, "DevplatJwtSecretFile: invalid path ", arg, NULL);
    }
    err = devplat_read_key_file(cmd, path, JWT_KEY_MIN, JWT_KEY_MAX,
                        apr_pstrcat(cmd->temp_pool, "head -c 48 /dev/urandom > ", path, NULL),
                        &buf, &got);
    if (err) {
        return err;
    }
    c->jwt_secret_file = path;
    c->jwt_key = buf;
    c->jwt_key_len = got;
    /* A separate key for code digests, so the two uses never share a MAC. */
    HMAC(EVP_sha256(), buf, (int)got, (const unsigned char *)"devplat verification codes",
         26, c->code_key, &dlen);
    return NULL;
}

static const char *set_jwt_algorithm(cmd_parms *cmd, void *dummy, const char *arg)
{
    devplat_jwt_alg alg;

    if (!devplat_jwt_alg_parse(arg, &alg)) {
        return apr_psprintf(cmd->pool, "DevplatJwtAlgorithm: unknown algorithm '%s' "
                            "(tokens are signed with HS256, ES256 or EdDSA)", arg);
    }
    devplat_srv(cmd->server)->jwt_alg = alg;
    return NULL;
}

#define KEY_EXAMPLE(path) \
    apr_pstrcat(cmd->temp_pool, "openssl genpkey -algorithm EC -pkeyopt " \
                "ec_paramgen_curve:P-256 -out ", path, " (ES256), or openssl " \
                "genpkey -algorithm ed25519 -out ", path, " (EdDSA)", NULL)

/* DevplatJwtKeyFile, repeatable: each file one key, in the order given. */
static const char *set_jwt_key_file(cmd_parms *cmd, void *dummy, const char *arg)
{
    devplat_srv_cfg *c = devplat_srv(cmd->server);
    const char *path = ap_server_root_relative(cmd->pool, arg);
    devplat_key_file *kf;
    const devplat_jwk *key;
    unsigned char *pem;
    apr_size_t len;
    const char *err;
    int i;

    if (!path) {
        return apr_pstrcat(cmd->pool, "DevplatJwtKeyFile: invalid path ", arg, NULL);
    }
    if ((err = devplat_read_key_file(cmd, path, 1, PEM_FILE_MAX, KEY_EXAMPLE(path), &pem, &len))) {
        return err;
    }
    key = devplat_jwk_from_pem(cmd->pool, (const char *)pem, len, &err);
    OPENSSL_cleanse(pem, len);
    if (!key) {
        return apr_psprintf(cmd->pool, "DevplatJwtKeyFile: %s: %s (make one with: %s)",
                            path, err, KEY_EXAMPLE(path));
    }
    if (!c->jwt_key_files) {
        c->jwt_key_files = apr_array_make(cmd->pool, 2, sizeof(devplat_key_file));
    }
    for (i = 0; i < c->jwt_key_files->nelts; i++) {
        kf = &APR_ARRAY_IDX(c->jwt_key_files, i, devplat_key_file);
        if (!strcmp(kf->key->kid, key->kid)) {
            return apr_psprintf(cmd->pool, "DevplatJwtKeyFile: %s holds the same key "
                                "as %s", path, kf->path);
        }
    }
    kf = apr_array_push(c->jwt_key_files);
    kf->path = path;
    kf->key = key;
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

const char *devplat_config_use_db(cmd_parms *cmd, const char *what)
{
    devplat_srv_cfg *c = devplat_srv(cmd->server);
    const char *err;

    /* an .htaccess file is read per request: the statements are mod_dbd's
     * from startup or not at all (gateway.c then answers 500 and says why) */
    if (c->statements_prepared || ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_RUN_MPM) {
        return NULL;
    }
    if (!APR_RETRIEVE_OPTIONAL_FN(ap_dbd_prepare)) {
        return apr_psprintf(cmd->pool, "%s needs mod_dbd: load it (LoadModule dbd_module, "
                            "or a2enmod dbd) before mod_devplat", what);
    }
    if ((err = devplat_statements_prepare(cmd))) {
        return err;
    }
    c->statements_prepared = 1;
    return NULL;
}

/* DevplatTokenCookie name: a cookie name is an RFC 6265 token. */
static const char *set_token_cookie(cmd_parms *cmd, void *dconf, const char *arg)
{
    devplat_dir_cfg *d = dconf;
    const char *p;

    for (p = arg; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7f || strchr("()<>@,;:\\\"/[]?={}", *p)) {
            break;
        }
    }
    if (!*arg || *p) {
        return apr_psprintf(cmd->pool, "DevplatTokenCookie: '%s' is not a cookie name "
                            "(letters, digits and !#$%%&'*+-.^_`|~ only; for example: "
                            "DevplatTokenCookie devplat_token)", arg);
    }
    d->token_cookie = arg;
    return devplat_config_use_db(cmd, "DevplatTokenCookie");
}

/* DevplatPassClaimsAs none|headers|environment|both */
static const char *set_pass_claims(cmd_parms *cmd, void *dconf, const char *arg)
{
    devplat_dir_cfg *d = dconf;

    if (!strcasecmp(arg, "none")) {
        d->pass_claims = DEVPLAT_CLAIMS_NONE;
    }
    else if (!strcasecmp(arg, "headers")) {
        d->pass_claims = DEVPLAT_CLAIMS_HEADERS;
    }
    else if (!strcasecmp(arg, "environment")) {
        d->pass_claims = DEVPLAT_CLAIMS_ENVIRONMENT;
    }
    else if (!strcasecmp(arg, "both")) {
        d->pass_claims = DEVPLAT_CLAIMS_HEADERS | DEVPLAT_CLAIMS_ENVIRONMENT;
    }
    else {
        return apr_psprintf(cmd->pool, "DevplatPassClaimsAs: '%s' is not one of none, "
                            "headers, environment, both", arg);
    }
    return devplat_config_use_db(cmd, "DevplatPassClaimsAs");
}

const command_rec devplat_cmds[] = {
    AP_INIT_TAKE1("DevplatApi", set_api, NULL, ACCESS_CONF,
                  "Serve an API face here: developer, admin or mobile"),
    AP_INIT_TAKE1("DevplatJwtSecretFile", set_jwt_secret_file, NULL, RSRC_CONF,
                  "File holding the HS256 signing key (32 to 4096 bytes)"),
    AP_INIT_TAKE1("DevplatJwtAlgorithm", set_jwt_algorithm, NULL, RSRC_CONF,
                  "Token signature algorithm: HS256 (default), ES256 or EdDSA"),
    AP_INIT_TAKE1("DevplatJwtKeyFile", set_jwt_key_file, NULL, RSRC_CONF,
                  "PEM key file for ES256 (P-256) or EdDSA (Ed25519); repeatable: "
                  "the first signs, every one verifies"),
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
    AP_INIT_TAKE1("DevplatSmtpServer", set_smtp_server, NULL, RSRC_CONF,
                  "smtp://host[:port] (STARTTLS where offered) or smtps://host[:port] "
                  "that sends e-mail codes; without it they go to DevplatNotifyWebhook"),
    AP_INIT_TAKE1("DevplatSmtpFrom", set_smtp_from, NULL, RSRC_CONF,
                  "Sender address of e-mail codes"),
    AP_INIT_TAKE1("DevplatSmtpAuthFile", set_smtp_auth_file, NULL, RSRC_CONF,
                  "File with the SMTP user name (first line) and password (second line)"),
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
    AP_INIT_TAKE1("DevplatEventWebhook", devplat_event_set_webhook, NULL, RSRC_CONF,
                  "http:// or https:// URL the signed account events are posted to "
                  "(main server only)"),
    AP_INIT_TAKE1("DevplatEventSecretFile", devplat_event_set_secret_file, NULL, RSRC_CONF,
                  "File holding the HMAC-SHA256 key that signs account events "
                  "(32 to 4096 bytes)"),
    AP_INIT_TAKE1("DevplatRegisterCredit", set_srv_number, &register_credit, RSRC_CONF,
                  "Credits a new user starts with (default 100)"),
    AP_INIT_TAKE1("DevplatTokenCookie", set_token_cookie, NULL, ACCESS_CONF | OR_AUTHCFG,
                  "The cookie AuthType devplat also reads the token from"),
    AP_INIT_TAKE1("DevplatPassClaimsAs", set_pass_claims, NULL, ACCESS_CONF | OR_AUTHCFG,
                  "Where AuthType devplat passes the user's claims: none, headers, "
                  "environment or both (default none)"),
    AP_INIT_TAKE1("DevplatSearchCountCap", set_srv_number, &search_count_cap, RSRC_CONF,
                  "Matches a catalogue search counts exactly, 1 to 1000000; more are "
                  "reported as this number (default 10000)"),
    {NULL}
};

static int keys_refused(server_rec *s, const char *msg)
{
    ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, "%s", msg);
    return HTTP_INTERNAL_SERVER_ERROR;
}

/* The keyset and the JWK Set of one server, from DevplatJwtAlgorithm, the
 * DevplatJwtKeyFile lines and the HS256 secret. */
static int setup_keys(apr_pool_t *p, server_rec *s, devplat_srv_cfg *c)
{
    const char *alg = devplat_jwt_alg_name(c->jwt_alg);
    int n = c->jwt_key_files ? c->jwt_key_files->nelts : 0, i;
    const devplat_jwk **keys = apr_pcalloc(p, sizeof(*keys) * (apr_size_t)(n + 1));
    devplat_key_file *kf;

    for (i = 0; i < n; i++) {
        kf = &APR_ARRAY_IDX(c->jwt_key_files, i, devplat_key_file);
        if ((int)kf->key->alg != c->jwt_alg) {
            return keys_refused(s, apr_psprintf(p, "DevplatJwtKeyFile %s holds %s key, "
                                "but DevplatJwtAlgorithm is %s (ES256 takes P-256 EC "
                                "keys, EdDSA Ed25519 keys, HS256 none: its key is "
                                "DevplatJwtSecretFile)", kf->path,
                                kf->key->alg == DEVPLAT_JWT_ES256 ? "a P-256 (ES256)"
                                : "an Ed25519 (EdDSA)", alg));
        }
        keys[i] = kf->key;
    }
    if (c->jwt_alg != DEVPLAT_JWT_HS256 && n == 0) {
        return keys_refused(s, apr_psprintf(p, "DevplatJwtAlgorithm %s needs at least one "
                                            "DevplatJwtKeyFile (the first one signs)", alg));
    }
    if (n > 0 && !keys[0]->has_private) {
        kf = &APR_ARRAY_IDX(c->jwt_key_files, 0, devplat_key_file);
        return keys_refused(s, apr_psprintf(p, "DevplatJwtKeyFile %s holds only a public "
                            "key: the first DevplatJwtKeyFile signs and needs the "
                            "private key (public keys may follow it, to verify only)",
                            kf->path));
    }
    c->jwt_keys.alg = (devplat_jwt_alg)c->jwt_alg;
    c->jwt_keys.secret = c->jwt_key;
    c->jwt_keys.secret_len = c->jwt_key_len;
    c->jwt_keys.keys = keys;
    c->jwt_keys.nkeys = n;
    c->jwks = devplat_jwks_json(p, keys, n);
    if (n > 0 && ap_state_query(AP_SQ_MAIN_STATE) != AP_SQ_MS_CREATE_PRE_CONFIG) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, "tokens are signed with %s, key %s; "
                     "%d key(s) verify", alg, keys[0]->kid, n);
    }
    return OK;
}

/* Fills in defaults and checks what single directives cannot: the key is
 * required wherever an API is served. */
int devplat_config_check(apr_pool_t *p, server_rec *s)
{
    server_rec *sp;

    for (sp = s; sp; sp = sp->next) {
        devplat_srv_cfg *c = devplat_srv(sp);

#define DEFAULT(f, v) if (c->f == DEVPLAT_UNSET) c->f = (v)
        DEFAULT(jwt_alg, DEVPLAT_JWT_HS256);
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
        if (setup_keys(p, sp, c) != OK) {
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        if (!c->statements_prepared) {
            continue;       /* no DevplatApi in this server */
        }
        if (c->smtp_server && !c->smtp_from) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, sp,
                         "DevplatSmtpFrom is required with DevplatSmtpServer %s",
                         c->smtp_server);
            return HTTP_INTERNAL_SERVER_ERROR;
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
