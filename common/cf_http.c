//  cf_http: /healthz, /readyz and /metrics on libmicrohttpd (see cf_http.h).
//
//  libmicrohttpd runs its own polling thread; the handler answers every
//  request at once from the atomic ready flag and a metrics render, so no
//  request ever waits on the service's loop. A NULL registry serves an
//  empty /metrics; a NULL ready flag means ready as soon as serving.
#include "cf_http.h"

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

struct _cf_http_t {
    struct MHD_Daemon *daemon;
    cf_metrics_t *metrics;       //  borrowed; may be NULL
    const atomic_bool *ready;    //  borrowed; may be NULL
    _Atomic (const char *) why;  //  borrowed; NULL: no reason given
    uint16_t port;
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

static enum MHD_Result
s_handle (void *cls, struct MHD_Connection *connection, const char *url, const char *method,
          const char *version, const char *upload_data, size_t *upload_data_size, void **request_p)
{
    (void) version;
    (void) upload_data;
    (void) upload_data_size;
    (void) request_p;
    cf_http_t *self = cls;
    static const char *plain = "text/plain; charset=utf-8";

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

    unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
    if (addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    errno = 0;
    self->daemon = MHD_start_daemon (
        flags, port, NULL, NULL, s_handle, self, MHD_OPTION_EXTERNAL_LOGGER, s_mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *) &addr, MHD_OPTION_CONNECTION_LIMIT,
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

uint16_t
cf_http_port (cf_http_t *self)
{
    assert (self);
    return self->port;
}
