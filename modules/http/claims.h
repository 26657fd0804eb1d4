/* Identity downstream: DevplatPassClaimsAs hands the claims of AuthType
 * devplat to what serves the location (request headers for ProxyPass
 * backends, the environment for CGI), and every inbound header that looks
 * like a claim is removed first, so no client can forge one. */
#ifndef DEVPLAT_CLAIMS_H
#define DEVPLAT_CLAIMS_H

#include "devplat_private.h"

/* The names' prefix: DEVPLAT_CLAIM_sub, _username, _level, _status,
 * _admin, _verified. */
#define DEVPLAT_CLAIM_PREFIX "DEVPLAT_CLAIM_"

/* Registers the scrubbing (header_parser) and the passing (fixups). */
void devplat_claims_register(apr_pool_t *p);

#endif
