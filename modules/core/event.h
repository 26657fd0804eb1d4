/* Signed account events (DevplatEventWebhook): the payload every event
 * has, its signature, and the SQL of the outbox, shared by the module
 * (http/events.c writes, http/event_delivery.c delivers) and devplat-admin
 * (which writes the events of its own changes). No httpd header.
 *
 * An event is the JSON object
 *   {"id":"<uuid>","type":"user.frozen","time":"2026-12-07T15:20:00Z",
 *    "user_id":42,"data":{...}}
 * posted with the headers
 *   X-Devplat-Event-Id: <id>
 *   X-Devplat-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">
 * The data never holds a password, a hash, a code or a token. */
#ifndef DEVPLAT_EVENT_H
#define DEVPLAT_EVENT_H

#include <apr_pools.h>
#include <json-c/json.h>

/* The types. */
#define DEVPLAT_EVENT_REGISTERED       "user.registered"
#define DEVPLAT_EVENT_VERIFIED         "user.verified"
#define DEVPLAT_EVENT_REVIEW_DECIDED   "review.decided"
#define DEVPLAT_EVENT_FROZEN           "user.frozen"
#define DEVPLAT_EVENT_UNFROZEN         "user.unfrozen"
#define DEVPLAT_EVENT_DELETED          "user.deleted"
#define DEVPLAT_EVENT_PASSWORD_CHANGED "password.changed"
#define DEVPLAT_EVENT_CONTACT_CHANGED  "contact.changed"

/* "source" of the events devplat-admin writes (the faces write their
 * name: developer, admin, mobile). */
#define DEVPLAT_EVENT_SOURCE_TOOL "devplat-admin"

/* A random event id in the form of a version 4 UUID; NULL when the
 * generator fails. */
char *devplat_event_id(apr_pool_t *p);

/* t (Unix seconds) as RFC 3339 in UTC: "2026-12-07T15:20:00Z". */
char *devplat_event_time(apr_pool_t *p, apr_int64_t t);

/* The event's JSON text (compact, UTF-8). Takes data over (an object; NULL
 * for {}). */
char *devplat_event_payload(apr_pool_t *p, const char *id, const char *type,
                            apr_int64_t t, apr_int64_t user_id, json_object *data);

/* The X-Devplat-Signature value of body signed at t with key. */
char *devplat_event_signature(apr_pool_t *p, const unsigned char *key, apr_size_t keylen,
                              apr_int64_t t, const char *body, apr_size_t len);

/* Seconds before attempt number attempts + 1 after a failed one:
 * 1, 2, 4, ... up to DEVPLAT_EVENT_BACKOFF_MAX. */
#define DEVPLAT_EVENT_BACKOFF_MAX 3600
apr_int64_t devplat_event_backoff(int attempts);

/* ------------------------------------------------------------------ SQL */

/* One event into the outbox, due at once (args: event_id, type, user_id,
 * payload, created_at, next_attempt_at). */
#define DEVPLAT_SQL_EVENT_INSERT \
    "INSERT INTO event_outbox (event_id, type, user_id, payload, created_at, " \
    "next_attempt_at) VALUES (%s, %s, %lld, %s, %lld, %lld)"

/* Whether a server that delivers events has used this database: what
 * devplat-admin asks before it writes events (one row, webhook_seen_at). */
#define DEVPLAT_SQL_EVENT_ENABLED \
    "SELECT webhook_seen_at FROM event_state WHERE id = 1"

#endif
