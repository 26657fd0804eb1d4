/* Signed account events on the module's side: the directives, and the
 * outbox row the account core writes in the same transaction as the
 * change it tells of (the payload and the signature are modules/core's
 * event.h; delivery is event_delivery.c). Without DevplatEventWebhook no
 * event is written. */
#ifndef DEVPLAT_EVENTS_H
#define DEVPLAT_EVENTS_H

#include "devplat_private.h"
#include "event.h"
#include "statements.h"

/* DevplatEventWebhook URL and DevplatEventSecretFile path (config.c's
 * command table). */
const char *devplat_event_set_webhook(cmd_parms *cmd, void *dummy, const char *arg);
const char *devplat_event_set_secret_file(cmd_parms *cmd, void *dummy, const char *arg);

/* check_config (so httpd -t finds it too): OK, or an error logged (a
 * webhook without its key). */
int devplat_event_config_check(server_rec *s);

/* The event's data with the two fields every event has: "source" (the
 * request's face) and "actor_id" (the signed-in user, else user_id). */
json_object *devplat_event_data(devplat_req *req, apr_int64_t user_id);

/* Writes the event (type: DEVPLAT_EVENT_*) about user_id to the outbox,
 * inside the caller's transaction, and wakes this child's deliverer when
 * the request ends. Takes data over. APR_SUCCESS without writing anything
 * when no webhook is configured; a failure (logged) fails the transaction
 * like any statement of it. */
apr_status_t devplat_event(devplat_req *req, const char *type, apr_int64_t user_id,
                           json_object *data);

/* The outbox statements (statements.c's table of tables). */
extern const devplat_statement devplat_sql_events[];

#define DP_EVENT_INSERT   "devplat_event_insert"
#define DP_EVENT_NEXT     "devplat_event_next"
#define DP_EVENT_CLAIM    "devplat_event_claim"
#define DP_EVENT_CLAIMED  "devplat_event_claimed"
#define DP_EVENT_DONE     "devplat_event_done"
#define DP_EVENT_RETRY    "devplat_event_retry"
#define DP_EVENT_RELEASE  "devplat_event_release"
#define DP_EVENT_PURGE    "devplat_event_purge"
#define DP_EVENT_SEEN     "devplat_event_seen"

/* DP_EVENT_CLAIMED's columns */
enum { DEVPLAT_EVCOL_ID, DEVPLAT_EVCOL_EVENT_ID, DEVPLAT_EVCOL_PAYLOAD,
       DEVPLAT_EVCOL_ATTEMPTS };

#endif
