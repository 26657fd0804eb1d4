/* Delivery of verification codes through the site's webhook. */
#ifndef DEVPLAT_NOTIFY_H
#define DEVPLAT_NOTIFY_H

#include "devplat_private.h"

/* Process-wide libcurl setup; call from post_config. */
void devplat_notify_init(apr_pool_t *pconf);

/* E-mail codes go to DevplatSmtpServer when one is set (smtp.h).
 * Otherwise: POSTs {"channel","to","code","purpose"} to DevplatNotifyWebhook and
 * waits at most DevplatNotifyTimeout seconds for a 2xx. Without a webhook
 * the code is only logged at debug level and this succeeds. */
apr_status_t devplat_notify_code(devplat_req *req, const char *channel,
                                 const char *to, const char *code,
                                 const char *purpose);

#endif
