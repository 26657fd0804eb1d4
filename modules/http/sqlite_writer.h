/* SQLite writers of every child queue on one cross-process lock (the
 * httpd Mutex "devplat-sqlite-writer") instead of polling SQLite's file
 * lock. Debian's apr_dbd_sqlite3 holds a process-wide mutex around
 * sqlite3_step, so a writer sleeping in SQLite's busy handler stalls every
 * thread of its child; waiting here stalls only the waiting request.
 * PostgreSQL and MariaDB take no lock here. */
#ifndef DEVPLAT_SQLITE_WRITER_H
#define DEVPLAT_SQLITE_WRITER_H

#include "devplat_private.h"

#define DEVPLAT_SQLITE_WRITER_MUTEX "devplat-sqlite-writer"

/* Longest wait for the lock; beyond it the request answers 503. */
#define DEVPLAT_SQLITE_WRITER_WAIT apr_time_from_sec(3)

/* pre_config: registers the Mutex type. */
void devplat_sqlite_writer_register(apr_pool_t *pconf);

/* post_config: creates the lock. */
apr_status_t devplat_sqlite_writer_create(apr_pool_t *pconf, server_rec *s);

/* child_init: reattaches the lock, and warns when the SQLite connections
 * are set up so that a storm of writes can stall the child (a busy_timeout,
 * or no WAL journal). */
void devplat_sqlite_writer_child_init(apr_pool_t *pchild, server_rec *s);

/* Takes the lock for a write; APR_TIMEUP after DEVPLAT_SQLITE_WRITER_WAIT. */
apr_status_t devplat_sqlite_writer_lock(void);
void devplat_sqlite_writer_unlock(void);

#endif
