//  cf_http_client: outbound HTTP requests on a service's libuv loop, through
//  libcurl's multi interface.
//
//  libcurl does the protocol; the loop does the waiting. libcurl tells us
//  which sockets to watch (CURLMOPT_SOCKETFUNCTION: one uv_poll per socket)
//  and when it next needs the clock (CURLMOPT_TIMERFUNCTION: one uv_timer),
//  and we call curl_multi_socket_action whenever either fires. No thread,
//  no blocking call: a slow or dead peer costs a socket and a timer, never
//  the loop. Every request runs to one end: a response (any status), a
//  timeout or a transport error, reported once through its callback on the
//  loop thread.
//
//  Only http and https are spoken; redirects are not followed (a webhook
//  sink that moves answers 3xx, which the caller treats as a failure).
//  Bodies of responses are kept up to CF_HTTP_CLIENT_BODY_MAX bytes, the
//  rest dropped (the caller only needs a problem's first lines).
#ifndef CF_HTTP_CLIENT_H
#define CF_HTTP_CLIENT_H

#include <stddef.h>
#include <uv.h>

typedef struct _cf_http_client_t cf_http_client_t;

//  Bytes of a response body kept.
#define CF_HTTP_CLIENT_BODY_MAX 16384
//  Response headers kept (the first ones; a sink sends few).
#define CF_HTTP_CLIENT_HEADERS_MAX 64

typedef struct {
    const char *method;          //  "POST", "OPTIONS", "GET"
    const char *url;             //  http:// or https://
    const char *const *headers;  //  "Name: value" lines, `n_headers` of them
    size_t n_headers;
    const char *body;  //  NULL: none
    size_t body_size;
    long timeout_ms;  //  the whole exchange; 0: 30 s
} cf_http_client_request_t;

typedef struct _cf_http_response_t cf_http_response_t;

//  Called once per request on the loop thread when it ends. `response` is
//  borrowed for the call. `rc` is 0 when an HTTP response came (whatever
//  its status), CF_ETIMEOUT when none came in time, CF_EIO when the
//  connection failed (refused, reset, DNS, TLS). The callback may send
//  new requests; it must not destroy the client.
typedef void (cf_http_client_fn) (int rc, const cf_http_response_t *response, void *arg);

//  A client on `loop` (borrowed; it must outlive the client). Returns NULL
//  (logged) when libcurl cannot start.
cf_http_client_t *
cf_http_client_new (uv_loop_t *loop);

//  Abandons every request in flight (their callbacks are never called),
//  and frees; the memory is released in libuv's close callbacks, so the
//  loop must run once more. Safe on NULL; nulls *self_p.
void
cf_http_client_destroy (cf_http_client_t **self_p);

//  Starts `request` (its strings are copied; nothing is borrowed after the
//  call). `fn (rc, response, arg)` is called once when it ends, never from
//  inside this call. Returns 0, or CF_EINVAL when the method or URL is
//  missing or the URL is not http(s) (then `fn` is never called).
int
cf_http_client_send (cf_http_client_t *self, const cf_http_client_request_t *request,
                     cf_http_client_fn *fn, void *arg);

//  Requests in flight.
size_t
cf_http_client_pending (const cf_http_client_t *self);

//  The response's HTTP status; 0 when no response came.
long
cf_http_response_status (const cf_http_response_t *response);

//  The value of the first header called `name` (case-insensitive), its
//  surrounding blanks trimmed; NULL when absent. Borrowed for the callback.
const char *
cf_http_response_header (const cf_http_response_t *response, const char *name);

//  The body (NUL-terminated, at most CF_HTTP_CLIENT_BODY_MAX bytes kept)
//  and its kept size. Borrowed for the callback.
const char *
cf_http_response_body (const cf_http_response_t *response, size_t *size_p);

//  libcurl's description of a failure (rc != 0), "" otherwise.
const char *
cf_http_response_error (const cf_http_response_t *response);

//  Milliseconds from the start of the request to its end.
double
cf_http_response_elapsed_ms (const cf_http_response_t *response);

#endif
