/* The append-only audit trail. */
#ifndef DEVPLAT_AUDIT_H
#define DEVPLAT_AUDIT_H

#include "devplat_private.h"

/* A login name (or any other text a client typed) for a detail: a JSON
 * string literal that fits the column (devplat_utf8_quote), so it can
 * neither carry a control character nor pass for one of the fixed words
 * the module writes there. */
const char *devplat_audit_name(devplat_req *req, const char *name);

/* Records action (register, login, login_failed, logout, refresh, ...) for
 * user_id (0 when unknown) with the client's address and user agent. The
 * detail and the user agent are stored as valid UTF-8 without controls,
 * cut on a character to the columns' 255 bytes. A failure is logged;
 * inside a transaction it also rolls that back. */
apr_status_t devplat_audit(devplat_req *req, apr_int64_t user_id,
                           const char *action, const char *detail);

#endif
