//  cf_testhttp: one kept-alive HTTP/1.1 connection to a service on
//  loopback, for the programs that load the gateway's `POST /events` (the
//  load test, the chaos run's publishers, the benchmark).
//
//  A connection sends one request at a time and reads its answer whole
//  (the status, the headers, a body of Content-Length bytes), then keeps
//  the socket for the next request, as a publisher's HTTP client does. It
//  connects at the first request, and again at the next request after the
//  server closed it or a request failed. It is not a general client: the
//  answers it reads are the gateway's (a Content-Length on every answer,
//  never chunked); test_gateway's raw sockets test the protocol's corners.
#ifndef CF_TESTHTTP_H
#define CF_TESTHTTP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct _cf_testhttp_t cf_testhttp_t;

//  A connection to 127.0.0.1:`port` (not opened until the first
//  request); a request, or the wait for its answer, gives up after
//  `timeout_ms`. Never NULL (out of memory aborts).
cf_testhttp_t *
cf_testhttp_new (int port, int timeout_ms);

//  Closes and frees; nulls *self_p. Safe on NULL.
void
cf_testhttp_destroy (cf_testhttp_t **self_p);

//  Sends `method` `path` with `headers` ("Name: value\r\n" lines, may be
//  "") and `size` bytes of `body` (may be NULL when size is 0), and reads
//  the answer. Returns its status (100-599), or -1 when no whole answer
//  came (refused, reset, closed or timed out: the socket is then closed
//  and the next request connects again; the request may or may not have
//  reached the service). The answer's body is cf_testhttp_body's.
int
cf_testhttp_request (cf_testhttp_t *self, const char *method, const char *path, const char *headers,
                     const char *body, size_t size);

//  The body of the last answer, NUL-terminated (borrowed until the next
//  request); "" after a failed one.
const char *
cf_testhttp_body (const cf_testhttp_t *self);

//  How many times it connected (1 for a connection kept alive throughout).
size_t
cf_testhttp_connects (const cf_testhttp_t *self);

//  Closes the socket now (the next request connects again).
void
cf_testhttp_close (cf_testhttp_t *self);

#endif
