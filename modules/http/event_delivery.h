/* Delivery of the account events of the outbox (events.h): one thread in
 * every child of every node, started at child_init when DevplatEventWebhook
 * is set. A deliverer claims a batch of due events with a lease (a
 * conditional UPDATE: of two deliverers, on any node, that reach for the
 * same event only one gets it; a lease that ran out, its holder gone, is
 * taken again), POSTs each one signed, and marks it delivered on a 2xx
 * answer or sets its next attempt with exponential back-off (1 s doubling
 * to an hour). At least once: an event leaves the outbox only after a 2xx
 * answer. The thread stops with its child: a pre-cleanup of the child's
 * pool wakes it, aborts a transfer in progress and joins it, and the events
 * it had claimed but not tried are freed at once. */
#ifndef DEVPLAT_EVENT_DELIVERY_H
#define DEVPLAT_EVENT_DELIVERY_H

#include "devplat_private.h"

/* Events claimed at once by one deliverer. */
#define DEVPLAT_EVENT_BATCH 20
/* Seconds a deliverer waits between two looks at the outbox when nothing
 * woke it (a change in another child or node). */
#define DEVPLAT_EVENT_POLL 2
/* Seconds one POST may take (connecting: DEVPLAT_EVENT_CONNECT). */
#define DEVPLAT_EVENT_TIMEOUT 10
#define DEVPLAT_EVENT_CONNECT 5
/* Delivered events stay this long in the outbox (for the operator). */
#define DEVPLAT_EVENT_KEEP (7 * 86400)

/* child_init: starts the thread when the server has a webhook. */
void devplat_event_delivery_child_init(apr_pool_t *pchild, server_rec *s);

/* Tells this child's deliverer that an event was committed. */
void devplat_event_delivery_wake(void);

#endif
