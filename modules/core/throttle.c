/* Login throttling state machine. Failures count inside a window that
 * opens at the first failure; reaching the limit locks the pair for a time
 * that doubles with each lock of the streak, up to a ceiling. Nothing is
 * ever locked for good: the worst case is max_lock. */

#include <limits.h>

#include "throttle.h"

apr_int64_t devplat_throttle_wait(const devplat_throttle_state *st,
                                  apr_int64_t now)
{
    if (st == NULL || st->locked_until <= now) {
        return 0;
    }
    return st->locked_until - now;
}

/* lock * 2^locks, capped at max_lock without overflowing on the way. */
static apr_int64_t lock_length(const devplat_throttle_policy *pol, int locks)
{
    apr_int64_t len = pol->lock > 0 ? pol->lock : 1;
    apr_int64_t max = pol->max_lock > 0 ? pol->max_lock : len;
    int i;

    for (i = 0; i < locks && len < max; i++) {
        len *= 2;
    }
    return len < max ? len : max;
}

apr_int64_t devplat_throttle_fail(const devplat_throttle_policy *pol,
                                  devplat_throttle_state *st, apr_int64_t now)
{
    int attempts = pol->attempts > 0 ? pol->attempts : 1;
    apr_int64_t len;

    /* A quiet window after the last lock ended forgives the streak. A
     * failure window still open means the pair was not quiet, so it keeps
     * the streak going even past locked_until + window. */
    if (st->locks > 0 && now > st->locked_until + pol->window
        && (st->failures <= 0 || now >= st->window_start + pol->window)) {
        st->locks = 0;
    }
    /* The window opens at the first failure and is not sliding. */
    if (st->failures <= 0 || now >= st->window_start + pol->window) {
        st->failures = 1;
        st->window_start = now;
    }
    else {
        st->failures++;
    }
    if (st->failures < attempts) {
        return 0;
    }
    len = lock_length(pol, st->locks);
    st->locked_until = now + len;
    if (st->locks < INT_MAX) {
        st->locks++;
    }
    st->failures = 0;
    st->window_start = now;
    return len;
}
