/* SetHandler devplat-jwks: the public token keys as a JWK Set (RFC 7517). */
#ifndef DEVPLAT_JWKS_H
#define DEVPLAT_JWKS_H

#include "devplat_private.h"

int devplat_jwks_handler(request_rec *r);

#endif
