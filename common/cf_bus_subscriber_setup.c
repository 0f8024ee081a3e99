//  cf_bus_subscriber_setup: making and taking down a subscriber (see
//  cf_bus_subscriber.h): its two sockets, their options, and the first
//  replay request (through cf_bus_subscriber_reset). Part of
//  cf_bus_subscriber; calls down into cf_bus_subscriber.c, never the other
//  way.
#include "cf_bus_subscriber_private.h"

#include "cf_event.h"
#include "cf_streams.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

//  The socket options that notice a dead connection (see their use).
static void
s_keep_alive (zsock_t *socket)
{
    int heartbeat_ms = 1000, timeout_ms = 3000, connect_ms = 2000;
    void *handle = zsock_resolve (socket);
    zmq_setsockopt (handle, ZMQ_HEARTBEAT_IVL, &heartbeat_ms, sizeof heartbeat_ms);
    zmq_setsockopt (handle, ZMQ_HEARTBEAT_TIMEOUT, &timeout_ms, sizeof timeout_ms);
    zmq_setsockopt (handle, ZMQ_CONNECT_TIMEOUT, &connect_ms, sizeof connect_ms);
}

cf_bus_subscriber_t *
cf_bus_subscriber_new (const char *stream, const char *events_endpoint, const char *api_endpoint,
                       uint64_t cursor, cf_bus_deliver_fn *deliver, void *ctx)
{
    return cf_bus_subscriber_new_secure (stream, events_endpoint, api_endpoint, cursor, deliver,
                                         ctx, NULL);
}

cf_bus_subscriber_t *
cf_bus_subscriber_new_secure (const char *stream, const char *events_endpoint,
                              const char *api_endpoint, uint64_t cursor, cf_bus_deliver_fn *deliver,
                              void *ctx, cf_keys_t *keys)
{
    assert (stream);
    assert (events_endpoint);
    assert (api_endpoint);
    assert (deliver);
    if (!*stream) {
        cf_log_error ("cf_bus_subscriber_new: empty stream name");
        return NULL;
    }
    //  A shard serves with its kind's key pair (cf_streams.h).
    char server_key [CF_KEYS_Z85_SIZE], kind [CF_STREAM_MAX + 1];
    if (keys && cf_keys_peer_key (keys, cf_stream_kind (stream, kind, sizeof kind), server_key))
        return NULL;
    cf_bus_subscriber_t *self = calloc (1, sizeof *self);
    assert (self);
    self->stream = strdup (stream);
    self->prefix = zsys_sprintf ("%s.", stream);
    self->heartbeat_topic = zsys_sprintf ("%s.$heartbeat", stream);
    self->batch_topic = zsys_sprintf ("$batch.%s", stream);
    assert (self->stream && self->prefix && self->heartbeat_topic && self->batch_topic);
    self->arena = cf_arena_new (0);
    self->deliver = deliver;
    self->ctx = ctx;
    self->cursor = cursor;
    self->head = cursor;
    self->state = CF_BUS_SUB_IDLE;
    self->verified = cursor == 0;
    self->heard_at = zclock_usecs ();
    self->silence = zsys_sprintf (
        "upstream %s: nothing heard from its producer for %d s or more (down or unreachable)",
        stream, (int) (CF_BUS_SILENCE_LIMIT / 1000000));

    //  Options first: they apply to connections made after they are set.
    self->sub = zsock_new (ZMQ_SUB);
    self->dealer = zsock_new (ZMQ_DEALER);
    if (!self->sub || !self->dealer) {
        cf_log_error ("zsock_new: %s", zmq_strerror (zmq_errno ()));
        cf_bus_subscriber_destroy (&self);
        return NULL;
    }
    zsock_set_linger (self->sub, 0);
    //  Nothing we send is worth keeping at close: an unanswered replay
    //  request is simply asked again by whoever follows the stream next.
    zsock_set_linger (self->dealer, 0);
    //  Queue requests only to a connected producer, so none pile up while
    //  it is down; a send that fails is retried at the next deadline.
    zsock_set_immediate (self->dealer, 1);
    //  A connection that carries nothing for 3 s (ZMTP heartbeats every
    //  second, on a connection that may otherwise be idle) is dropped and
    //  made again, and each attempt to make one gives up after 2 s: after a
    //  partition heals the subscriber is connected again within a few
    //  seconds, instead of waiting for TCP to retransmit into a connection
    //  that went quiet, which it does at intervals doubling up to 2 min
    //  (a 10 s cut took 5-6 s to heal without this; test_partition).
    s_keep_alive (self->sub);
    s_keep_alive (self->dealer);
    zsock_set_rcvtimeo (self->sub, 0);
    zsock_set_rcvtimeo (self->dealer, 0);
    zsock_set_sndtimeo (self->dealer, 0);
    //  A publisher sending frames larger than any event is cut off (and the
    //  events it might have had come through replay).
    zsock_set_maxmsgsize (self->sub, CF_EVENT_MAX_SIZE + 4096);
    zsock_set_subscribe (self->sub, self->prefix);
    if (keys) {
        cf_keys_set_client (keys, self->sub, server_key);
        cf_keys_set_client (keys, self->dealer, server_key);
    }
    if (zsock_connect (self->sub, "%s", events_endpoint) == -1) {
        cf_log_error ("zsock_connect (%s): %s", events_endpoint, zmq_strerror (zmq_errno ()));
        cf_bus_subscriber_destroy (&self);
        return NULL;
    }
    if (zsock_connect (self->dealer, "%s", api_endpoint) == -1) {
        cf_log_error ("zsock_connect (%s): %s", api_endpoint, zmq_strerror (zmq_errno ()));
        cf_bus_subscriber_destroy (&self);
        return NULL;
    }
    //  Start by asking: the producer may have gone on since the cursor was
    //  saved, and a quiet stream would otherwise only tell us at its next
    //  heartbeat. (With ZMQ_IMMEDIATE the connection is not up yet, so this
    //  first send usually fails and goes out on a later call.)
    cf_bus_subscriber_reset (self, cursor, zclock_usecs ());
    return self;
}

void
cf_bus_subscriber_destroy (cf_bus_subscriber_t **self_p)
{
    assert (self_p);
    cf_bus_subscriber_t *self = *self_p;
    if (!self)
        return;
    zsock_destroy (&self->sub);
    zsock_destroy (&self->dealer);
    cf_arena_destroy (&self->arena);
    free (self->stream);
    zstr_free (&self->prefix);
    zstr_free (&self->heartbeat_topic);
    zstr_free (&self->batch_topic);
    zstr_free (&self->silence);
    free (self);
    *self_p = NULL;
}

zsock_t *
cf_bus_subscriber_events_socket (cf_bus_subscriber_t *self)
{
    assert (self);
    return self->sub;
}

zsock_t *
cf_bus_subscriber_api_socket (cf_bus_subscriber_t *self)
{
    assert (self);
    return self->dealer;
}
