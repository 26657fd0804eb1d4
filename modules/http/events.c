/* The directives of account events and the outbox writes (see events.h). */
#include "events.h"
#include "config.h"
#include "db.h"
#include "event_delivery.h"

#include "http_core.h"

#include "apr_file_io.h"
#include "apr_uri.h"

#define EVENT_KEY_MIN 32
#define EVENT_KEY_MAX 4096

/* "not leased, or its lease ran out" (args: now) */
#define FREE "(lease_until IS NULL OR lease_until < %lld)"

const devplat_statement devplat_sql_events[] = {
    {DP_EVENT_INSERT, DEVPLAT_SQL_EVENT_INSERT},
    /* when the next event is due (args: now) */
    {DP_EVENT_NEXT,
     "SELECT MIN(next_attempt_at) FROM event_outbox WHERE delivered_at IS NULL AND " FREE},
    /* a batch for one deliverer: the ids sit in a derived table because
     * MariaDB takes neither LIMIT in an IN subquery nor a subquery on the
     * table being updated; the outer condition is checked again on the
     * row, so of two deliverers that chose the same event only the first
     * takes it (args: owner, lease_until, now, limit, now) */
    {DP_EVENT_CLAIM,
     "UPDATE event_outbox SET lease_owner = %s, lease_until = %lld, "
     "attempts = attempts + 1 WHERE id IN (SELECT id FROM (SELECT id FROM event_outbox "
     "WHERE delivered_at IS NULL AND next_attempt_at <= %lld AND " FREE " "
     "ORDER BY id LIMIT %d) due) AND delivered_at IS NULL AND " FREE},
    {DP_EVENT_CLAIMED,
     "SELECT id, event_id, payload, attempts FROM event_outbox "
     "WHERE lease_owner = %s AND delivered_at IS NULL ORDER BY id"},
    /* whoever holds it now: the receiver has it (args: delivered_at,
     * status, id) */
    {DP_EVENT_DONE,
     "UPDATE event_outbox SET delivered_at = %lld, last_status = %d, last_error = '', "
     "lease_owner = NULL, lease_until = NULL WHERE id = %lld AND delivered_at IS NULL"},
    /* args: next_attempt_at, status, error, id, owner */
    {DP_EVENT_RETRY,
     "UPDATE event_outbox SET next_attempt_at = %lld, last_status = %d, last_error = %s, "
     "lease_owner = NULL, lease_until = NULL WHERE id = %lld AND lease_owner = %s"},
    /* a claimed event not tried (the child stops): free at once, the
     * attempt not counted (args: id, owner) */
    {DP_EVENT_RELEASE,
     "UPDATE event_outbox SET attempts = attempts - 1, lease_owner = NULL, "
     "lease_until = NULL WHERE id = %lld AND lease_owner = %s"},
    /* delivered events are kept a while for the operator (args: before) */
    {DP_EVENT_PURGE, "DELETE FROM event_outbox WHERE delivered_at < %lld"},
    /* devplat-admin writes events from now on (args: now) */
    {DP_EVENT_SEEN, "UPDATE event_state SET webhook_seen_at = %lld WHERE id = 1"},
    {NULL, NULL}
};

/* ---------------------------------------------------------------- directives */

const char *devplat_event_set_webhook(cmd_parms *cmd, void *dummy, const char *arg)
{
    apr_uri_t uri;

    if (cmd->server->is_virtual) {
        return "DevplatEventWebhook belongs in the main server configuration: one "
               "database, one outbox, one receiver";
    }
    if ((strncasecmp(arg, "http://", 7) && strncasecmp(arg, "https://", 8))
        || apr_uri_parse(cmd->pool, arg, &uri) != APR_SUCCESS || !uri.hostname
        || !*uri.hostname) {
        return apr_psprintf(cmd->pool, "DevplatEventWebhook: '%s' is not an http:// or "
                            "https:// URL (for example: DevplatEventWebhook "
                            "https://hooks.example.com/devplat)", arg);
    }
    devplat_srv(cmd->server)->event_webhook = arg;
    return NULL;
}

/* Read once, here, while httpd still runs as root, as DevplatJwtSecretFile
 * is: the file can stay 0600 root-owned. */
const char *devplat_event_set_secret_file(cmd_parms *cmd, void *dummy, const char *arg)
{
    devplat_srv_cfg *c = devplat_srv(cmd->server);
    const char *path = ap_server_root_relative(cmd->pool, arg);
    unsigned char *buf;
    apr_size_t got = 0;
    const char *err;

    if (cmd->server->is_virtual) {
        return "DevplatEventSecretFile belongs in the main server configuration, "
               "beside DevplatEventWebhook";
    }
    if (!path) {
        return apr_pstrcat(cmd->pool, "DevplatEventSecretFile: invalid path ", arg, NULL);
    }
    err = devplat_read_key_file(cmd, path, EVENT_KEY_MIN, EVENT_KEY_MAX,
                                apr_pstrcat(cmd->temp_pool, "head -c 48 /dev/urandom > ",
                                            path, NULL), &buf, &got);
    if (err) {
        return err;
    }
    c->event_secret_file = path;
    c->event_key = buf;
    c->event_key_len = got;
    return NULL;
}

int devplat_event_config_check(server_rec *s)
{
    server_rec *sp;

    for (sp = s; sp; sp = sp->next) {
        devplat_srv_cfg *c = devplat_srv(sp);

        if (c->event_webhook && !c->event_key) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, sp, "DevplatEventWebhook "
                         "needs DevplatEventSecretFile: every event is signed with its key");
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        /* httpd reads its configuration twice at startup: warn once */
        if (c->event_key && !c->event_webhook && !sp->is_virtual
            && ap_state_query(AP_SQ_MAIN_STATE) != AP_SQ_MS_CREATE_PRE_CONFIG) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, sp, "DevplatEventSecretFile is set "
                         "without DevplatEventWebhook: no account event is written");
        }
    }
    return OK;
}

/* ---------------------------------------------------------------- writing */

json_object *devplat_event_data(devplat_req *req, apr_int64_t user_id)
{
    json_object *d = json_object_new_object();

    json_object_object_add(d, "source", json_object_new_string(
        devplat_face_name(req->dconf ? req->dconf->face : DEVPLAT_FACE_NONE)));
    json_object_object_add(d, "actor_id",
                           json_object_new_int64(req->user ? req->user->id : user_id));
    return d;
}

static apr_status_t wake_at_end(void *unused)
{
    devplat_event_delivery_wake();
    return APR_SUCCESS;
}

apr_status_t devplat_event(devplat_req *req, const char *type, apr_int64_t user_id,
                           json_object *data)
{
    apr_pool_t *p = req->r->pool;
    const char *id, *payload, *now = devplat_i64(req, req->now);
    apr_status_t rv;

    if (!req->sconf->event_webhook) {
        json_object_put(data);
        return APR_SUCCESS;
    }
    if (!(id = devplat_event_id(p))) {
        json_object_put(data);
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, req->r, "no random event id: the %s "
                      "event and its change are not written", type);
        devplat_db_rollback(req);
        return APR_EGENERAL;
    }
    payload = devplat_event_payload(p, id, type, req->now, user_id, data);
    rv = devplat_db_exec(req, DP_EVENT_INSERT, NULL, 6, id, type,
                         devplat_i64(req, user_id), payload, now, now);
    if (rv == APR_SUCCESS && !apr_table_get(req->r->notes, "devplat-event")) {
        /* after the response, when the transaction has committed */
        apr_table_setn(req->r->notes, "devplat-event", "1");
        apr_pool_cleanup_register(p, NULL, wake_at_end, apr_pool_cleanup_null);
    }
    return rv;
}
