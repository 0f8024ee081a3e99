//  cf_service_http: the routes a service adds to its HTTP port, run like
//  commands (see cf_service.h, cf_service_route_t).
//
//  libmicrohttpd's thread hands each complete request to a queue under a
//  mutex and wakes the loop (uv_async_send); the loop's drain takes them
//  off the queue beside the api socket's commands and the upstream
//  events, and the route's handle decides into the same open batch of
//  group commit. An answer that needs the own stream durable up to a seq
//  is held here and let go by the commit that stores that seq (the same
//  moment the batch's command replies leave), or turned into 503 when
//  that batch is not stored. Before the service serves and after it
//  stops, requests are answered 503 on libmicrohttpd's thread.
//
//  The async handle is used by libmicrohttpd's thread only under the
//  mutex and only while the queue is open: closing the queue (at the stop,
//  before the loop's handles close) ends every use of it.
#include "cf_service_private.h"

#include "cf_error.h"
#include "cf_log.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    cf_service_t *service;
    const cf_service_route_t *route;
} s_route_ctx_t;

typedef struct {
    cf_http_request_t *request;
    const cf_service_route_t *route;
} s_queued_t;

typedef struct {
    cf_http_request_t *request;
    uint64_t seq;
    unsigned status;
    char *content_type;
    char *body;
    size_t size;
} s_held_t;

struct _cf_service_http_t {
    pthread_mutex_t lock;
    bool open;
    s_queued_t *queue;  //  under lock
    size_t queued, queue_capacity;
    uv_async_t async;
    s_route_ctx_t *contexts;
    s_held_t *held;  //  loop thread only
    size_t held_count, held_capacity;
};

static const char s_unavailable [] =
    "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
    "\"detail\":\"the service is not serving (starting, stopping, or its store refused the "
    "write): try again\"}";

static void
s_refuse (cf_http_request_t *request)
{
    cf_http_request_add_header (request, "Retry-After", "1");
    cf_http_request_respond (request, 503, "application/problem+json", s_unavailable,
                             sizeof s_unavailable - 1);
}

//  libmicrohttpd's thread: a complete request for one of the routes.
static void
s_on_request (void *ctx, cf_http_request_t *request)
{
    s_route_ctx_t *route_ctx = ctx;
    cf_service_http_t *self = route_ctx->service->http_in;
    pthread_mutex_lock (&self->lock);
    if (!self->open) {
        pthread_mutex_unlock (&self->lock);
        s_refuse (request);
        return;
    }
    if (self->queued == self->queue_capacity) {
        self->queue_capacity = self->queue_capacity ? 2 * self->queue_capacity : 64;
        self->queue = realloc (self->queue, self->queue_capacity * sizeof *self->queue);
        assert (self->queue);
    }
    self->queue [self->queued++] = (s_queued_t){ request, route_ctx->route };
    uv_async_send (&self->async);
    pthread_mutex_unlock (&self->lock);
}

//  Wakes the loop only: its prepare handle drains before it sleeps again.
static void
s_on_async (uv_async_t *handle)
{
    (void) handle;
}

int
cf_service_http_start (cf_service_t *service)
{
    const cf_service_def_t *def = service->def;
    if (!def->route_count)
        return 0;
    cf_service_http_t *self = calloc (1, sizeof *self);
    assert (self);
    pthread_mutex_init (&self->lock, NULL);
    uv_async_init (&service->loop, &self->async, s_on_async);
    self->contexts = calloc (def->route_count, sizeof *self->contexts);
    assert (self->contexts);
    self->open = true;
    service->http_in = self;
    for (size_t i = 0; i < def->route_count; i++) {
        const cf_service_route_t *route = &def->routes [i];
        self->contexts [i] = (s_route_ctx_t){ service, route };
        size_t max_body = (size_t) cf_config_int (service->config, route->max_body);
        if (cf_http_route (service->http, route->path, max_body, s_on_request, &self->contexts [i]))
            return CF_EIO;
    }
    return 0;
}

size_t
cf_service_http_drain (cf_service_t *service, size_t max)
{
    cf_service_http_t *self = service->http_in;
    if (!self)
        return 0;
    size_t handled = 0;
    while (handled < max && !cf_commit_open_full (service->commit)) {
        pthread_mutex_lock (&self->lock);
        if (!self->queued) {
            pthread_mutex_unlock (&self->lock);
            break;
        }
        s_queued_t next = self->queue [0];
        memmove (self->queue, self->queue + 1, --self->queued * sizeof *self->queue);
        pthread_mutex_unlock (&self->lock);
        handled++;
        //  A full store is the route's to answer: it may still read.
        if (service->stopping) {
            s_refuse (next.request);
            continue;
        }
        //  What a route emits is its own doing: it names the actor itself.
        service->correlation_id = service->causation_id = NULL;
        service->actor = service->on_behalf_of = NULL;
        service->emitted = 0;
        next.route->handle (service->state, service, next.request);
        service->emitted = 0;
    }
    return handled;
}

void
cf_service_http_answer (cf_service_t *service, cf_http_request_t *request, uint64_t seq,
                        unsigned status, const char *content_type, const char *body, size_t size)
{
    cf_service_http_t *self = service->http_in;
    assert (self);
    if (seq <= cf_commit_committed_seq (service->commit)) {
        cf_http_request_respond (request, status, content_type, body, size);
        return;
    }
    if (self->held_count == self->held_capacity) {
        self->held_capacity = self->held_capacity ? 2 * self->held_capacity : 64;
        self->held = realloc (self->held, self->held_capacity * sizeof *self->held);
        assert (self->held);
    }
    s_held_t *held = &self->held [self->held_count++];
    held->request = request;
    held->seq = seq;
    held->status = status;
    held->content_type = strdup (content_type);
    held->body = malloc (size ? size : 1);
    assert (held->content_type && held->body);
    memcpy (held->body, body, size);
    held->size = size;
}

//  Lets go of the held answers whose seq is durable; with `fail`, the
//  others are refused (their batch was not stored).
static void
s_release (cf_service_t *service, bool fail)
{
    cf_service_http_t *self = service->http_in;
    if (!self)
        return;
    uint64_t committed = cf_commit_committed_seq (service->commit);
    size_t kept = 0;
    for (size_t i = 0; i < self->held_count; i++) {
        s_held_t *held = &self->held [i];
        if (held->seq <= committed)
            cf_http_request_respond (held->request, held->status, held->content_type, held->body,
                                     held->size);
        else if (fail)
            s_refuse (held->request);
        else {
            self->held [kept++] = *held;
            continue;
        }
        free (held->content_type);
        free (held->body);
    }
    self->held_count = kept;
}

void
cf_service_http_committed (cf_service_t *service)
{
    s_release (service, false);
}

void
cf_service_http_failed (cf_service_t *service)
{
    s_release (service, true);
}

void
cf_service_http_stop (cf_service_t *service)
{
    cf_service_http_t *self = service->http_in;
    if (!self || !self->open)
        return;
    pthread_mutex_lock (&self->lock);
    self->open = false;
    pthread_mutex_unlock (&self->lock);
    //  No one adds to the queue any more.
    for (size_t i = 0; i < self->queued; i++)
        s_refuse (self->queue [i].request);
    self->queued = 0;
    s_release (service, true);
}

void
cf_service_http_destroy (cf_service_t *service)
{
    cf_service_http_t *self = service->http_in;
    if (!self)
        return;
    assert (!self->open && !self->held_count);
    pthread_mutex_destroy (&self->lock);
    free (self->queue);
    free (self->held);
    free (self->contexts);
    free (self);
    service->http_in = NULL;
}
