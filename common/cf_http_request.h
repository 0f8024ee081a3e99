//  cf_http_request: one request to a route a service registered on its
//  HTTP port (cf_http_route), and its answer.
//
//  libmicrohttpd reads the request on its own thread; by the time the
//  route's function sees it, the method, the path, every header and the
//  body (at most the route's limit) are copied into this object, so any
//  thread may read them: the connection itself is never touched outside
//  libmicrohttpd's thread. The connection is then suspended until the
//  request is answered (cf_http_request_respond, from any thread, exactly
//  once), which resumes it and queues the answer. A body over the route's
//  limit never reaches the route: cf_http answers 413 itself, reading no
//  more than the limit into memory.
//
//  Ownership: cf_http makes and frees the request (when libmicrohttpd is
//  done with the connection). Whoever the route hands it to may use it
//  until it has answered it, and not after.
#ifndef CF_HTTP_REQUEST_H
#define CF_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

typedef struct _cf_http_request_t cf_http_request_t;

//  The method ("POST") and the path ("/events/urn:nld:x/1", percent-
//  decoded as libmicrohttpd gives it). Borrowed.
const char *
cf_http_request_method (const cf_http_request_t *self);
const char *
cf_http_request_path (const cf_http_request_t *self);

//  The value of header `name` (case-insensitive), the first if sent more
//  than once; NULL when absent. Borrowed.
const char *
cf_http_request_header (const cf_http_request_t *self, const char *name);

//  The value of query argument `name` ("?at=2022-01-21": "at"), the first
//  if given more than once, percent-decoded as libmicrohttpd gives it
//  ("" for a name without '='); NULL when absent. At most 32 arguments
//  are kept. Borrowed.
const char *
cf_http_request_argument (const cf_http_request_t *self, const char *name);

//  The client's address in text form ("127.0.0.1", "::1"), the peer of
//  the connection itself (a proxy's, when behind one); NULL when unknown.
//  Borrowed.
const char *
cf_http_request_peer (const cf_http_request_t *self);

//  The number of headers, and header `index`'s name and value (borrowed).
size_t
cf_http_request_header_count (const cf_http_request_t *self);
void
cf_http_request_header_at (const cf_http_request_t *self, size_t index, const char **name_p,
                           const char **value_p);

//  The body (NUL-terminated after its `size` bytes; it may hold NULs of
//  its own). Borrowed.
const char *
cf_http_request_body (const cf_http_request_t *self, size_t *size_p);

//  Adds a header to the answer (copied), before cf_http_request_respond.
//  At most 8.
void
cf_http_request_add_header (cf_http_request_t *self, const char *name, const char *value);

//  Answers with `status`, `content_type` and `size` bytes of `body` (copied).
//  From any thread, once; the request must not be used afterwards.
void
cf_http_request_respond (cf_http_request_t *self, unsigned status, const char *content_type,
                         const char *body, size_t size);

#endif
