//  chaos_client: pipelined Lazy Pirate clients of the five services' api.
//
//  Each service gets several DEALER connections, each with its own table
//  of requests sent and not yet answered, so many requests are in flight
//  at once and the service sees several clients (its group commit takes
//  them together). A request unanswered after the timeout is sent again
//  with the same request id: the service answers a command it already
//  committed with the reply it stored, so a retry never acts twice. As in
//  the zguide's Lazy Pirate, a timed-out connection is closed (linger 0)
//  and reopened before its requests go out again, so nothing of a
//  connection to a killed process lingers. A request is never given up:
//  the generator's stall check ends a run whose services stop answering.
//  Some requests are also echoed at once on a second connection, so the
//  services see the same request id twice (often in one batch) on every
//  run, not only when a kill happens to fall between commit and reply.
#include "chaos.h"

#include "cf_api.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

//  An UNAVAILABLE answer (the service is stopping) is retried this soon.
#define S_UNAVAILABLE_RETRY_MS 200

typedef struct {
    char id [CF_API_MAX_REQUEST_ID + 1];
    uint8_t *data;
    size_t size;
    void *tag;
    int64_t sent_at;  //  zclock_mono ms of the last send
} s_pending_t;

typedef struct {
    zsock_t *dealer;
    zhashx_t *pending;  //  request id -> s_pending_t
    char endpoint [64];
} s_connection_t;

struct _chaos_client_t {
    s_connection_t *connections;  //  [service * per_service + n]
    int per_service;
    int timeout_ms;
    size_t outstanding [CHAOS_SERVICES];
    size_t next [CHAOS_SERVICES];  //  round robin
    uint64_t resends;
    uint64_t echoes;
    int64_t last_reply_at;
    zmq_pollitem_t *items;
};

static void
s_pending_destroy (void **item_p)
{
    s_pending_t *pending = *item_p;
    if (pending) {
        free (pending->data);
        free (pending);
        *item_p = NULL;
    }
}

static void
s_open (s_connection_t *connection)
{
    zsock_destroy (&connection->dealer);
    connection->dealer = zsock_new (ZMQ_DEALER);
    assert (connection->dealer);
    //  Whatever was queued for a dead peer is dropped with the socket.
    zsock_set_linger (connection->dealer, 0);
    zsock_set_sndhwm (connection->dealer, 100000);
    zsock_set_rcvhwm (connection->dealer, 100000);
    int rc = zsock_connect (connection->dealer, "%s", connection->endpoint);
    assert (rc == 0);
}

chaos_client_t *
chaos_client_new (chaos_procs_t *procs, int connections, int timeout_ms)
{
    assert (connections > 0 && timeout_ms > 0);
    chaos_client_t *self = calloc (1, sizeof *self);
    assert (self);
    self->per_service = connections;
    self->timeout_ms = timeout_ms;
    size_t total = (size_t) connections * CHAOS_SERVICES;
    self->connections = calloc (total, sizeof *self->connections);
    self->items = calloc (total, sizeof *self->items);
    assert (self->connections && self->items);
    for (size_t i = 0; i < total; i++) {
        s_connection_t *connection = &self->connections [i];
        snprintf (connection->endpoint, sizeof connection->endpoint, "%s",
                  procs->proc [i / (size_t) connections].api);
        connection->pending = zhashx_new ();
        assert (connection->pending);
        zhashx_set_destructor (connection->pending, s_pending_destroy);
        s_open (connection);
    }
    self->last_reply_at = zclock_mono ();
    return self;
}

void
chaos_client_destroy (chaos_client_t **self_p)
{
    chaos_client_t *self = *self_p;
    if (!self)
        return;
    for (int i = 0; i < self->per_service * CHAOS_SERVICES; i++) {
        zsock_destroy (&self->connections [i].dealer);
        zhashx_destroy (&self->connections [i].pending);
    }
    free (self->connections);
    free (self->items);
    free (self);
    *self_p = NULL;
}

static void
s_send (s_connection_t *connection, s_pending_t *pending)
{
    //  Never blocks: with the peer down the message waits in the socket.
    zmq_send (zsock_resolve (connection->dealer), pending->data, pending->size, ZMQ_DONTWAIT);
    pending->sent_at = zclock_mono ();
}

void
chaos_client_send (chaos_client_t *self, int service, const char *request_id, uint8_t *data,
                   size_t size, void *tag, bool echo)
{
    assert (service >= 0 && service < CHAOS_SERVICES);
    assert (strlen (request_id) <= CF_API_MAX_REQUEST_ID);
    s_connection_t *connection =
        &self->connections [service * self->per_service
                            + (int) (self->next [service]++ % (size_t) self->per_service)];
    s_pending_t *pending = calloc (1, sizeof *pending);
    assert (pending);
    snprintf (pending->id, sizeof pending->id, "%s", request_id);
    pending->data = data;
    pending->size = size;
    pending->tag = tag;
    int rc = zhashx_insert (connection->pending, pending->id, pending);
    assert (rc == 0 && "request ids are unique");
    self->outstanding [service]++;
    s_send (connection, pending);
    if (echo) {
        //  Its answer comes back on the other connection under an id that
        //  connection does not wait for, and is dropped there.
        s_connection_t *other =
            &self->connections [service * self->per_service
                                + (int) (self->next [service] % (size_t) self->per_service)];
        zmq_send (zsock_resolve (other->dealer), data, size, ZMQ_DONTWAIT);
        self->echoes++;
    }
}

uint64_t
chaos_client_echoes (chaos_client_t *self)
{
    return self->echoes;
}

//  Reads every reply waiting on one connection.
static size_t
s_read (chaos_client_t *self, int index, chaos_reply_fn *fn, void *ctx)
{
    s_connection_t *connection = &self->connections [index];
    int service = index / self->per_service;
    size_t handled = 0;
    while (zsock_events (connection->dealer) & ZMQ_POLLIN) {
        zmsg_t *msg = zmsg_recv (connection->dealer);
        if (!msg)
            break;
        zframe_t *frame = zmsg_first (msg);
        Caseflow__V1__Reply *reply =
            zmsg_size (msg) == 1
                ? caseflow__v1__reply__unpack (NULL, zframe_size (frame), zframe_data (frame))
                : NULL;
        zmsg_destroy (&msg);
        if (!reply)
            continue;  //  the resend will bring a readable one
        self->last_reply_at = zclock_mono ();
        s_pending_t *pending = zhashx_lookup (connection->pending, reply->request_id);
        if (!pending) {
            //  A late answer to a try already answered: the same reply.
            caseflow__v1__reply__free_unpacked (reply, NULL);
            continue;
        }
        if (cf_api_reply_code (reply) == CASEFLOW__V1__STATUS__CODE__UNAVAILABLE) {
            pending->sent_at = zclock_mono () - self->timeout_ms + S_UNAVAILABLE_RETRY_MS;
            caseflow__v1__reply__free_unpacked (reply, NULL);
            continue;
        }
        void *tag = pending->tag;
        zhashx_delete (connection->pending, reply->request_id);
        self->outstanding [service]--;
        fn (ctx, tag, reply);
        caseflow__v1__reply__free_unpacked (reply, NULL);
        handled++;
    }
    return handled;
}

//  A connection with a request older than the timeout is reopened and all
//  its requests go out again, same ids.
static void
s_resend_late (chaos_client_t *self, int index)
{
    s_connection_t *connection = &self->connections [index];
    int64_t now = zclock_mono ();
    bool late = false;
    for (s_pending_t *pending = zhashx_first (connection->pending); pending && !late;
         pending = zhashx_next (connection->pending))
        late = now - pending->sent_at >= self->timeout_ms;
    if (!late)
        return;
    s_open (connection);
    for (s_pending_t *pending = zhashx_first (connection->pending); pending;
         pending = zhashx_next (connection->pending)) {
        s_send (connection, pending);
        self->resends++;
    }
}

size_t
chaos_client_poll (chaos_client_t *self, int timeout_ms, chaos_reply_fn *fn, void *ctx)
{
    int count = self->per_service * CHAOS_SERVICES;
    for (int i = 0; i < count; i++) {
        self->items [i].socket = zsock_resolve (self->connections [i].dealer);
        self->items [i].fd = 0;
        self->items [i].events = ZMQ_POLLIN;
        self->items [i].revents = 0;
    }
    zmq_poll (self->items, count, timeout_ms);
    size_t handled = 0;
    //  ZMQ_EVENTS, not revents, says whether anything is left to read.
    for (int i = 0; i < count; i++)
        handled += s_read (self, i, fn, ctx);
    for (int i = 0; i < count; i++)
        s_resend_late (self, i);
    return handled;
}

size_t
chaos_client_outstanding (chaos_client_t *self, int service)
{
    if (service >= 0)
        return self->outstanding [service];
    size_t total = 0;
    for (int i = 0; i < CHAOS_SERVICES; i++)
        total += self->outstanding [i];
    return total;
}

int64_t
chaos_client_quiet_ms (chaos_client_t *self)
{
    return zclock_mono () - self->last_reply_at;
}

uint64_t
chaos_client_resends (chaos_client_t *self)
{
    return self->resends;
}
