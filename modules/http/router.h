/* Method + path routing within one face. */
#ifndef DEVPLAT_ROUTER_H
#define DEVPLAT_ROUTER_H

#include "devplat_private.h"

typedef int (*devplat_endpoint)(devplat_req *req);

typedef struct {
    const char *method;     /* "GET", "POST", "PUT", "DELETE" */
    const char *path;       /* below the location: "me", "user/{id}" */
    devplat_endpoint fn;
} devplat_route;

/* The route table of a face, ending with a NULL method (api/routes.c). */
const devplat_route *devplat_routes_for(int face);

/* Finds the route for req->path and runs it: 404 for an unknown path, 405
 * with Allow for a known path and another method. */
int devplat_route_dispatch(devplat_req *req);

/* The context of r for the db, session and reply helpers: its server and
 * location, the request time, no route yet (path ""). */
devplat_req *devplat_req_new(request_rec *r);

#endif
