//  cf_http: the HTTP side of a service, on libmicrohttpd.
//
//      GET /healthz   200 "ok" while the process runs
//      GET /readyz    200 "ready" once the service says so, else 503
//      GET /metrics   the Prometheus text of the service's registry
//
//  Served from libmicrohttpd's own thread: it reads only the atomic ready
//  flag and the metrics registry, both safe across threads.
//
//  A service adds its own routes (cf_http_route: the gateway's
//  /events): a path and everything under it goes, with any method, to
//  the route's function once its body is read (cf_http_request.h), and
//  waits, its connection suspended, until answered; 413 for a body over
//  the route's limit is answered here. Anything else is 404; methods
//  other than GET and HEAD on the three above are 405; but while the
//  service is not ready (its routes may not be added yet), anything but
//  the three above is 503, send again.
#ifndef CF_HTTP_H
#define CF_HTTP_H

#include "cf_http_request.h"
#include "cf_metrics.h"

#include <stdatomic.h>
#include <stdint.h>

typedef struct _cf_http_t cf_http_t;

//  Starts serving on `address` ("127.0.0.1:8601", "0.0.0.0:8601", ":8601",
//  "[::1]:8601", port 0 for any free port; an empty host is every IPv4
//  interface). `metrics` and `ready` are borrowed and must outlive the
//  server; NULL `metrics` serves an empty /metrics, NULL `ready` means
//  ready while serving. Returns NULL (logged) if the address is invalid or
//  the port cannot be bound.
cf_http_t *
cf_http_new (const char *address, cf_metrics_t *metrics, const atomic_bool *ready);

//  Makes /readyz say why the service cannot be ready ("not ready: <why>"),
//  for a cause that lasts until a restart (a key store older than the
//  journal). `why` is borrowed and must outlive the server; it names ids,
//  never personal data. NULL: just "not ready".
void
cf_http_set_unready_reason (cf_http_t *self, const char *why);

//  Called on libmicrohttpd's thread with a request whose body is read
//  (within the limit). It must see the request answered, at once or later
//  from any thread (cf_http_request_respond).
typedef void (cf_http_route_fn) (void *ctx, cf_http_request_t *request);

//  The most routes a server takes.
#define CF_HTTP_MAX_ROUTES 16

//  Sends `path` ("/events") and every path under it ("/events/…") to
//  `fn` (with `ctx`, borrowed), taking bodies of at most `max_body` bytes
//  (413 beyond, "application/problem+json"). May be called while serving:
//  the route is complete before it is visible. Returns 0, or CF_ETOOBIG
//  when CF_HTTP_MAX_ROUTES are taken.
int
cf_http_route (cf_http_t *self, const char *path, size_t max_body, cf_http_route_fn *fn, void *ctx);

//  Stops serving and frees, safe on NULL; nulls *self_p. Every request
//  handed to a route must have been answered.
void
cf_http_destroy (cf_http_t **self_p);

//  The bound port (useful with port 0).
uint16_t
cf_http_port (cf_http_t *self);

#endif
