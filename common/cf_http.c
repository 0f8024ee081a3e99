//  cf_http: /healthz, /readyz and /metrics on libmicrohttpd (see cf_http.h),
//  and the routes a service adds.
//
//  libmicrohttpd runs its own polling thread; the handler answers the
//  probes at once from the atomic ready flag and a metrics render, so no
//  probe ever waits on the service's loop. A NULL registry serves an
//  empty /metrics; a NULL ready flag means ready as soon as serving.
//
//  A route's request is read into a cf_http_request_t (its body bounded by
//  the route's limit: 413 past it, answered at once when Content-Length
//  says so, else after the rest was read and dropped), handed to the
//  route, and its connection suspended until the route's owner answers
//  (cf_http_request.c). The request is freed when libmicrohttpd is done
//  with the connection (the completion callback), never before it is
//  answered: a suspended connection is not timed out or closed.
#include "cf_http.h"
#include "cf_http_private.h"

#include "cf_error.h"
#include "cf_log.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

//  Enough for a scraper or a probe; more only means someone is misbehaving.
#define CF_HTTP_CONNECTION_LIMIT 64
#define CF_HTTP_TIMEOUT_SECONDS  10

typedef struct {
    char path [64];
    size_t max_body;
    cf_http_route_fn *fn;
    void *ctx;
} s_route_t;

struct _cf_http_t {
    struct MHD_Daemon *daemon;
    cf_metrics_t *metrics;       //  borrowed; may be NULL
    const atomic_bool *ready;    //  borrowed; may be NULL
    _Atomic (const char *) why;  //  borrowed; NULL: no reason given
    uint16_t port;
    s_route_t routes [CF_HTTP_MAX_ROUTES];
    atomic_size_t route_count;  //  routes [0 .. count) are complete
};

//  Sends libmicrohttpd's own complaints through our logger, as one line.
static void
s_mhd_log (void *cls, const char *fmt, va_list args)
{
    (void) cls;
    char message [512];
    vsnprintf (message, sizeof message, fmt, args);
    size_t len = strlen (message);
    while (len > 0 && (message [len - 1] == '\n' || message [len - 1] == '\r'))
        message [--len] = 0;
    cf_log_warn ("libmicrohttpd: %s", message);
}

static enum MHD_Result
s_respond (struct MHD_Connection *connection, unsigned int status, const char *content_type,
           const char *body, enum MHD_ResponseMemoryMode mode)
{
    //  PERSISTENT bodies are literals and never written to; MUST_FREE
    //  bodies are ours to give away.
    struct MHD_Response *response =
        MHD_create_response_from_buffer (strlen (body), (void *) body, mode);
    if (!response)
        return MHD_NO;
    MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    //  Probes and scrapers want the state now, never a cached copy.
    MHD_add_response_header (response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header (response, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result result = MHD_queue_response (connection, status, response);
    MHD_destroy_response (response);
    return result;
}

//  The route `url` belongs to, or NULL.
static const s_route_t *
s_route (cf_http_t *self, const char *url)
{
    size_t count = atomic_load (&self->route_count);
    for (size_t i = 0; i < count; i++) {
        const s_route_t *route = &self->routes [i];
        size_t length = strlen (route->path);
        if (strncmp (url, route->path, length) == 0 && (url [length] == 0 || url [length] == '/'))
            return route;
    }
    return NULL;
}

static enum MHD_Result
s_too_large (struct MHD_Connection *connection, size_t max_body)
{
    char *body = NULL;
    int length = asprintf (&body,
                           "{\"type\":\"about:blank\",\"title\":\"Content Too Large\","
                           "\"status\":413,\"detail\":\"the body is over the limit of %zu "
                           "bytes\"}",
                           max_body);
    if (length < 0)
        abort ();
    return s_respond (connection, MHD_HTTP_CONTENT_TOO_LARGE, "application/problem+json", body,
                      MHD_RESPMEM_MUST_FREE);
}

//  A request to a route: read (bounded), handed over, answered when its
//  owner says.
static enum MHD_Result
s_handle_route (const s_route_t *route, struct MHD_Connection *connection, const char *url,
                const char *method, const char *upload_data, size_t *upload_data_size,
                void **request_p)
{
    cf_http_request_t *request = *request_p;
    if (!request) {
        const char *length = MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                          MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (length && strtoull (length, NULL, 10) > route->max_body)
            return s_too_large (connection, route->max_body);
        *request_p = cf_http_request_new (connection, method, url, route->max_body);
        return MHD_YES;
    }
    if (*upload_data_size) {
        cf_http_request_append (request, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (request->too_large)
        return s_too_large (connection, route->max_body);
    if (!request->dispatched) {
        request->dispatched = true;
        route->fn (route->ctx, request);
        if (!cf_http_request_suspend_unless_answered (request))
            return MHD_YES;
    }
    //  Answered (at once, or resumed after the owner answered).
    return cf_http_request_queue (request);
}

//  libmicrohttpd is done with a connection's request: a route's is freed.
static void
s_completed (void *cls, struct MHD_Connection *connection, void **request_p,
             enum MHD_RequestTerminationCode code)
{
    (void) cls;
    (void) connection;
    (void) code;
    cf_http_request_t *request = *request_p;
    cf_http_request_destroy (&request);
    *request_p = NULL;
}

static enum MHD_Result
s_handle (void *cls, struct MHD_Connection *connection, const char *url, const char *method,
          const char *version, const char *upload_data, size_t *upload_data_size, void **request_p)
{
    (void) version;
    cf_http_t *self = cls;
    static const char *plain = "text/plain; charset=utf-8";
    const s_route_t *route = s_route (self, url);
    if (route)
        return s_handle_route (route, connection, url, method, upload_data, upload_data_size,
                               request_p);

    //  The port opens before the owner adds its routes (so /healthz
    //  answers from the start): until it is ready, a request no route
    //  serves may be for one about to be added, and is answered 503, send
    //  again, never a final 404 or 405 (a publisher retrying into a
    //  restarting gateway got a 405 in that moment; the chaos run saw it).
    bool builtin = strcmp (url, "/healthz") == 0 || strcmp (url, "/readyz") == 0
                   || strcmp (url, "/metrics") == 0;
    if (!builtin && self->ready && !atomic_load (self->ready))
        return s_respond (connection, MHD_HTTP_SERVICE_UNAVAILABLE, plain,
                          "not ready: send again\n", MHD_RESPMEM_PERSISTENT);
    //  libmicrohttpd sends no body for HEAD by itself.
    if (strcmp (method, MHD_HTTP_METHOD_GET) != 0 && strcmp (method, MHD_HTTP_METHOD_HEAD) != 0)
        return s_respond (connection, MHD_HTTP_METHOD_NOT_ALLOWED, plain, "method not allowed\n",
                          MHD_RESPMEM_PERSISTENT);
    if (strcmp (url, "/healthz") == 0)
        return s_respond (connection, MHD_HTTP_OK, plain, "ok\n", MHD_RESPMEM_PERSISTENT);
    if (strcmp (url, "/readyz") == 0) {
        bool ready = self->ready ? atomic_load (self->ready) : true;
        const char *why = atomic_load (&self->why);
        if (ready)
            return s_respond (connection, MHD_HTTP_OK, plain, "ready\n", MHD_RESPMEM_PERSISTENT);
        if (!why)
            return s_respond (connection, MHD_HTTP_SERVICE_UNAVAILABLE, plain, "not ready\n",
                              MHD_RESPMEM_PERSISTENT);
        size_t size = strlen (why) + 16;
        char *text = malloc (size);
        if (!text)
            abort ();
        snprintf (text, size, "not ready: %s\n", why);
        return s_respond (connection, MHD_HTTP_SERVICE_UNAVAILABLE, plain, text,
                          MHD_RESPMEM_MUST_FREE);
    }
    if (strcmp (url, "/metrics") == 0) {
        char *text = self->metrics ? cf_metrics_render (self->metrics) : strdup ("");
        if (!text)
            abort ();
        //  MUST_FREE: libmicrohttpd frees the rendered text with free().
        return s_respond (connection, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", text,
                          MHD_RESPMEM_MUST_FREE);
    }
    return s_respond (connection, MHD_HTTP_NOT_FOUND, plain, "not found\n", MHD_RESPMEM_PERSISTENT);
}

//  Reads "host:port", ":port" or "[v6]:port" into a socket address.
//  An empty host means every IPv4 interface.
static int
s_parse_address (const char *address, struct sockaddr_storage *addr)
{
    const char *colon = strrchr (address, ':');
    if (!colon || !colon [1] || strlen (colon + 1) > 5)
        return -1;
    unsigned long port = 0;
    for (const char *c = colon + 1; *c; c++) {
        if (*c < '0' || *c > '9')
            return -1;
        port = port * 10 + (unsigned long) (*c - '0');
    }
    if (port > 65535)
        return -1;

    char host [256];
    size_t host_len = (size_t) (colon - address);
    if (host_len >= sizeof host)
        return -1;
    memcpy (host, address, host_len);
    host [host_len] = 0;
    if (host_len >= 2 && host [0] == '[' && host [host_len - 1] == ']') {
        memmove (host, host + 1, host_len - 2);
        host [host_len - 2] = 0;
    } else if (strchr (host, ':'))
        return -1;  //  an IPv6 address needs its brackets

    memset (addr, 0, sizeof *addr);
    if (!*host) {
        struct sockaddr_in *in = (struct sockaddr_in *) addr;
        in->sin_family = AF_INET;
        in->sin_port = htons ((uint16_t) port);
        in->sin_addr.s_addr = htonl (INADDR_ANY);
        return 0;
    }
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
                              .ai_family = AF_UNSPEC,
                              .ai_flags = AI_NUMERICSERV };
    struct addrinfo *found = NULL;
    char service [8];
    snprintf (service, sizeof service, "%lu", port);
    if (getaddrinfo (host, service, &hints, &found) != 0 || !found)
        return -1;
    memcpy (addr, found->ai_addr, found->ai_addrlen);
    freeaddrinfo (found);
    return 0;
}

void
cf_http_set_unready_reason (cf_http_t *self, const char *why)
{
    if (self)
        atomic_store (&self->why, why);
}

cf_http_t *
cf_http_new (const char *address, cf_metrics_t *metrics, const atomic_bool *ready)
{
    struct sockaddr_storage addr;
    if (!address || s_parse_address (address, &addr) != 0) {
        cf_log_error ("http: invalid address \"%s\" (use host:port, e.g. 127.0.0.1:8601)",
                      address ? address : "(null)");
        return NULL;
    }
    uint16_t port = addr.ss_family == AF_INET6 ? ntohs (((struct sockaddr_in6 *) &addr)->sin6_port)
                                               : ntohs (((struct sockaddr_in *) &addr)->sin_port);

    cf_http_t *self = calloc (1, sizeof *self);
    if (!self)
        abort ();
    self->metrics = metrics;
    self->ready = ready;

    //  Suspension is what lets a route's request wait for the service's
    //  loop without holding libmicrohttpd's thread.
    unsigned int flags =
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    if (addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    errno = 0;
    self->daemon = MHD_start_daemon (
        flags, port, NULL, NULL, s_handle, self, MHD_OPTION_EXTERNAL_LOGGER, s_mhd_log, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, s_completed, NULL, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *) &addr, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned int) CF_HTTP_CONNECTION_LIMIT, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned int) CF_HTTP_TIMEOUT_SECONDS, MHD_OPTION_END);
    if (!self->daemon) {
        cf_log_error ("http: MHD_start_daemon on %s: %s", address,
                      errno ? strerror (errno) : "failed");
        free (self);
        return NULL;
    }
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info (self->daemon, MHD_DAEMON_INFO_BIND_PORT);
    self->port = info ? info->port : port;
    cf_log_info ("http: serving /healthz, /readyz and /metrics on port %u (%s)",
                 (unsigned) self->port, address);
    return self;
}

void
cf_http_destroy (cf_http_t **self_p)
{
    assert (self_p);
    cf_http_t *self = *self_p;
    if (!self)
        return;
    MHD_stop_daemon (self->daemon);
    free (self);
    *self_p = NULL;
}

int
cf_http_route (cf_http_t *self, const char *path, size_t max_body, cf_http_route_fn *fn, void *ctx)
{
    assert (self && path && *path == '/' && strlen (path) < sizeof self->routes [0].path && fn);
    size_t count = atomic_load (&self->route_count);
    if (count == CF_HTTP_MAX_ROUTES)
        return CF_ETOOBIG;
    s_route_t *route = &self->routes [count];
    snprintf (route->path, sizeof route->path, "%s", path);
    route->max_body = max_body;
    route->fn = fn;
    route->ctx = ctx;
    //  Published complete: libmicrohttpd's thread reads up to the count.
    atomic_store (&self->route_count, count + 1);
    cf_log_info ("http: serving %s (bodies up to %zu bytes)", path, max_body);
    return 0;
}

uint16_t
cf_http_port (cf_http_t *self)
{
    assert (self);
    return self->port;
}
