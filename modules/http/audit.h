/* The append-only audit trail. */
#ifndef DEVPLAT_AUDIT_H
#define DEVPLAT_AUDIT_H

#include "devplat_private.h"

/* Records action (register, login, login_failed, logout, refresh, ...) for
 * user_id (0 when unknown) with the client's address and user agent. A
 * failure is logged; inside a transaction it also rolls that back. */
apr_status_t devplat_audit(devplat_req *req, apr_int64_t user_id,
                           const char *action, const char *detail);

#endif
