/* E-mail codes over SMTP (DevplatSmtpServer), sent with libcurl. */
#ifndef DEVPLAT_SMTP_H
#define DEVPLAT_SMTP_H

#include "devplat_private.h"

/* Mails code to the address to, from DevplatSmtpFrom, and waits at most
 * DevplatNotifyTimeout seconds for the server to take it. APR_SUCCESS
 * once the server accepted the message; the code is never logged. */
apr_status_t devplat_smtp_send_code(devplat_req *req, const char *to, const char *code,
                                    const char *purpose);

#endif
