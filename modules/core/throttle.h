/* Login throttling arithmetic: failures per account + client within a window
 * lock the pair for a time that doubles with every lock, up to a ceiling.
 * Pure state transitions; the caller loads and stores the state. */
#ifndef DEVPLAT_THROTTLE_H
#define DEVPLAT_THROTTLE_H

#include <apr.h>

typedef struct {
    int attempts;        /* failures that lock */
    apr_int64_t window;  /* seconds in which they count */
    apr_int64_t lock;    /* first lock, seconds; doubles per lock */
    apr_int64_t max_lock;/* ceiling of the doubling */
} devplat_throttle_policy;

typedef struct {
    int failures;              /* within the current window */
    apr_int64_t window_start;
    apr_int64_t locked_until;  /* 0 when never locked */
    int locks;                 /* locks so far in this streak */
} devplat_throttle_state;

/* Seconds the caller must still wait (0 when not locked). */
apr_int64_t devplat_throttle_wait(const devplat_throttle_state *st, apr_int64_t now);

/* Records one failure at now; returns the new lock length when this failure
 * locks the pair, else 0. A streak ends (locks reset) when a whole window
 * plus the last lock passes without a failure.
 *
 * Precisely: the window opens at a failure when there are no counted
 * failures or now >= window_start + window (failures restart at 1). When
 * failures reach attempts the pair is locked for lock * 2^locks (at most
 * max_lock), locks is incremented and failures/window_start reset to
 * 0/now. Before counting, locks is reset to 0 when now > locked_until +
 * window and no failure window is still open. Callers check
 * devplat_throttle_wait first and do not record failures during a lock. */
apr_int64_t devplat_throttle_fail(const devplat_throttle_policy *pol,
                                  devplat_throttle_state *st, apr_int64_t now);

#endif
