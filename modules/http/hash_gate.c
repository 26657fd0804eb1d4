/* The bcrypt gate of one child (see hash_gate.h). Waiters take tickets and
 * are let in in ticket order, so a legitimate login that found a place in
 * the queue is not overtaken by the flood behind it. */
#include "hash_gate.h"
#include "config.h"
#include "apr_thread_cond.h"
#include "apr_thread_mutex.h"

static apr_thread_mutex_t *lock;
static apr_thread_cond_t *turn;
static int max_running, max_waiting;
static int running;
static apr_uint64_t next_ticket;   /* the ticket the next arrival takes */
static apr_uint64_t serving;       /* the lowest ticket not yet let in */
static apr_time_t turn_average;    /* how long a turn takes, smoothed */

/* A place in the queue is refused when the turns before it would take
 * longer than max_wait (DevplatHashLimit's third number): a queue as long
 * as bcrypt is cheap, as short as it is dear (at cost 12, about 0.25 s a
 * turn, 2 running, 2 s: 16 places). */
static apr_time_t max_wait;

static int queue_full(void)
{
    apr_uint64_t waiting = next_ticket - serving;

    if (running < max_running && waiting == 0) {
        return 0;
    }
    return waiting >= (apr_uint64_t)max_waiting
           || (apr_time_t)(waiting + 1) * turn_average / max_running > max_wait;
}

void devplat_hash_gate_child_init(apr_pool_t *pchild, server_rec *s)
{
    const devplat_srv_cfg *c = devplat_srv(s);

    max_running = c->hash_running;
    max_waiting = c->hash_queue;
    max_wait = apr_time_from_sec(c->hash_wait);
#if APR_HAS_THREADS
    if (apr_thread_mutex_create(&lock, APR_THREAD_MUTEX_DEFAULT, pchild) != APR_SUCCESS
        || apr_thread_cond_create(&turn, pchild) != APR_SUCCESS) {
        lock = NULL;
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, "cannot create the bcrypt gate; "
                     "password hashing of this child is not bounded");
    }
#endif
}

int devplat_hash_gate_enter(devplat_req *req)
{
    apr_uint64_t mine;
    int waited = 0;

    if (!lock) {
        return DEVPLAT_GATE_AT_ONCE;
    }
    apr_thread_mutex_lock(lock);
    if (queue_full()) {
        apr_thread_mutex_unlock(lock);
        apr_table_setn(req->r->headers_out, "Retry-After", "1");
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, req->r, "bcrypt gate full "
                      "(DevplatHashLimit %d %d %d; %d running, %" APR_UINT64_T_FMT
                      " waiting, a turn takes %" APR_TIME_T_FMT " ms): refused",
                      max_running, max_waiting, (int)apr_time_sec(max_wait), running,
                      next_ticket - serving, apr_time_as_msec(turn_average));
        return DEVPLAT_GATE_FULL;
    }
    mine = next_ticket++;
    while (mine != serving || running >= max_running) {
        apr_thread_cond_wait(turn, lock);
        waited = 1;
    }
    serving++;
    running++;
    /* the next ticket may fit beside this one */
    apr_thread_cond_broadcast(turn);
    apr_thread_mutex_unlock(lock);
    req->hash_turn = apr_time_now();
    return waited ? DEVPLAT_GATE_WAITED : DEVPLAT_GATE_AT_ONCE;
}

void devplat_hash_gate_leave(devplat_req *req)
{
    apr_time_t took;

    if (!lock) {
        return;
    }
    took = apr_time_now() - req->hash_turn;
    apr_thread_mutex_lock(lock);
    turn_average = turn_average ? (7 * turn_average + took) / 8 : took;
    running--;
    apr_thread_cond_broadcast(turn);
    apr_thread_mutex_unlock(lock);
}
