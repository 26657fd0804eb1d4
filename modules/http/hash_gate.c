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

void devplat_hash_gate_child_init(apr_pool_t *pchild, server_rec *s)
{
    const devplat_srv_cfg *c = devplat_srv(s);

    max_running = c->hash_running;
    max_waiting = c->hash_queue;
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
    if (next_ticket - serving >= (apr_uint64_t)max_waiting && running >= max_running) {
        apr_thread_mutex_unlock(lock);
        apr_table_setn(req->r->headers_out, "Retry-After", "1");
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, req->r, "bcrypt gate full "
                      "(DevplatHashLimit %d %d): refused", max_running, max_waiting);
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
    return waited ? DEVPLAT_GATE_WAITED : DEVPLAT_GATE_AT_ONCE;
}

void devplat_hash_gate_leave(void)
{
    if (!lock) {
        return;
    }
    apr_thread_mutex_lock(lock);
    running--;
    apr_thread_cond_broadcast(turn);
    apr_thread_mutex_unlock(lock);
}
