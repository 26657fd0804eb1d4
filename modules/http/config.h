/* Directives, per-server and per-directory configuration. */
#ifndef DEVPLAT_CONFIG_H
#define DEVPLAT_CONFIG_H

#include "devplat_private.h"
#include "rate_limit.h"
#include "jwt.h"

#define DEVPLAT_UNSET (-1)

typedef enum {
    DEVPLAT_FACE_UNSET = DEVPLAT_UNSET,
    DEVPLAT_FACE_NONE = 0,
    DEVPLAT_FACE_DEVELOPER,
    DEVPLAT_FACE_ADMIN,
    DEVPLAT_FACE_MOBILE
} devplat_face;

/* The face's name as DevplatApi takes it and the audit log records it
 * ("developer", "admin", "mobile"); "" for none. */
const char *devplat_face_name(int face);

/* One DevplatJwtKeyFile: where it was read from, and the key. */
typedef struct {
    const char *path;
    const devplat_jwk *key;
} devplat_key_file;

struct devplat_srv_cfg {
    int jwt_alg;                    /* DevplatJwtAlgorithm: devplat_jwt_alg */
    apr_array_header_t *jwt_key_files;  /* DevplatJwtKeyFile, in order */
    devplat_jwt_keyset jwt_keys;    /* what signs and verifies: set at startup */
    const char *jwks;               /* the JWK Set of jwt_keys: set at startup */
    const char *jwt_secret_file;
    const unsigned char *jwt_key;   /* loaded when the directive is read */
    apr_size_t jwt_key_len;
    unsigned char code_key[32];     /* HMAC key for codes, derived from jwt_key */
    apr_int64_t token_ttl;
    apr_int64_t refresh_ttl;
    apr_int64_t refresh_grace;
    int bcrypt_cost;
    apr_int64_t dummy_cost_refresh; /* s between two readings of the stored costs */
    const char *storage_dir;
    const char *storage_url;
    const char *notify_webhook;
    int notify_timeout;
    int expose_codes;
    apr_int64_t code_ttl;
    apr_int64_t code_cooldown;
    int throttle_attempts;
    apr_int64_t throttle_window;
    apr_int64_t throttle_lock;
    int unknown_login_attempts;     /* DevplatUnknownLoginLimit: per address */
    int hash_running;               /* DevplatHashLimit: bcrypt at once per child */
    int hash_queue;                 /* ... and waiting for a turn */
    apr_int64_t hash_wait;          /* ... for at most this many seconds */
    int register_credit;
    devplat_rate rate_limits[DEVPLAT_LIMITS];   /* DevplatRateLimit, by devplat_limit */
    apr_int64_t purge_interval;     /* DevplatPurgeInterval: seconds between purges */
    /* signed account events (events.h): where they go, NULL for nowhere
     * (then none is written), and the HMAC key read at startup */
    const char *event_webhook;          /* DevplatEventWebhook */
    const unsigned char *event_key;     /* DevplatEventSecretFile's bytes */
    apr_size_t event_key_len;
    const char *event_secret_file;
    int search_count_cap;           /* DevplatSearchCountCap: exact search totals up to it */
    int statements_prepared;
    /* e-mail codes over SMTP (smtp.c); without a server they go to the webhook */
    const char *smtp_server;        /* DevplatSmtpServer: smtp:// or smtps:// URL */
    int smtp_tls;                   /* 1: smtps://, TLS from the first byte */
    const char *smtp_from;          /* DevplatSmtpFrom */
    const char *smtp_auth_file;     /* DevplatSmtpAuthFile, read at startup: */
    const char *smtp_user;          /* its first line */
    const char *smtp_password;      /* its second line; never logged */
};

struct devplat_dir_cfg {
    int face;                /* devplat_face */
    const char *base;        /* the <Location> path DevplatApi was given in */
    apr_off_t upload_max_size;
    /* the gateway (gateway.c, claims.c) */
    const char *token_cookie;   /* DevplatTokenCookie: NULL for none */
    int pass_claims;            /* DevplatPassClaimsAs: DEVPLAT_CLAIMS_* bits */
};

/* DevplatPassClaimsAs: where the claims of AuthType devplat go. */
#define DEVPLAT_CLAIMS_NONE         0
#define DEVPLAT_CLAIMS_HEADERS      1   /* request headers (ProxyPass backends) */
#define DEVPLAT_CLAIMS_ENVIRONMENT  2   /* subprocess_env (CGI) */

/* Code sending caps of DESIGN.md's security numbers. */
#define DEVPLAT_CODE_MAX_TRIES       5
#define DEVPLAT_CODE_PER_DEST_DAY    10
#define DEVPLAT_CODE_PER_IP_HOUR     20
#define DEVPLAT_THROTTLE_MAX_LOCK    900
#define DEVPLAT_JSON_BODY_LIMIT      65536

extern const command_rec devplat_cmds[];

void *devplat_create_srv_cfg(apr_pool_t *p, server_rec *s);
void *devplat_merge_srv_cfg(apr_pool_t *p, void *basev, void *addv);
void *devplat_create_dir_cfg(apr_pool_t *p, char *dir);
void *devplat_merge_dir_cfg(apr_pool_t *p, void *basev, void *addv);

/* Hands the module's statements to mod_dbd for cmd->server once (what a
 * directive needs them for names the directive in the error). */
const char *devplat_config_use_db(cmd_parms *cmd, const char *what);

/* Reads the whole key file a directive names (path), of min to max bytes,
 * into *buf (NUL-terminated) from cmd->pool; an error naming the directive
 * (with example, a command that makes a good one, when the size is wrong).
 * Keys are read once, while httpd still runs as root: the file can stay
 * 0600 root-owned and the children inherit the bytes. */
const char *devplat_read_key_file(cmd_parms *cmd, const char *path, apr_off_t min,
                                  apr_off_t max, const char *example,
                                  unsigned char **buf, apr_size_t *len);

/* Checks what the directives cannot check alone (required ones, ...). */
int devplat_config_check(apr_pool_t *p, server_rec *s);

#define devplat_srv(s) \
    ((devplat_srv_cfg *)ap_get_module_config((s)->module_config, &devplat_module))
#define devplat_dir(r) \
    ((devplat_dir_cfg *)ap_get_module_config((r)->per_dir_config, &devplat_module))

#endif
