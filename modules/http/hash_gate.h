/* A bound on bcrypt work per child (DevplatHashLimit running queue
 * max-wait): at most `running` password hashes or verifications at once,
 * at most `queue` more waiting their turn in arrival order, and none whose
 * wait would pass `max-wait` seconds by the measured length of a turn. A
 * request beyond that is refused at once (the caller answers 503,
 * Retry-After already set), so a flood of logins costs a bounded share of
 * the CPU and every other request keeps its threads. */
#ifndef DEVPLAT_HASH_GATE_H
#define DEVPLAT_HASH_GATE_H

#include "devplat_private.h"

/* Creates the child's gate (child_init) from the server's DevplatHashLimit. */
void devplat_hash_gate_child_init(apr_pool_t *pchild, server_rec *s);

/* Waits for a turn. DEVPLAT_GATE_FULL (0): refused, Retry-After is set.
 * Otherwise the caller may hash and must call devplat_hash_gate_leave();
 * DEVPLAT_GATE_WAITED says it queued first (what it checked before may
 * have changed meanwhile, a throttle's lock say). */
#define DEVPLAT_GATE_FULL    0
#define DEVPLAT_GATE_AT_ONCE 1
#define DEVPLAT_GATE_WAITED  2
int devplat_hash_gate_enter(devplat_req *req);
void devplat_hash_gate_leave(devplat_req *req);

#endif
