//  cf_bus_publisher: a service's events socket (PUB).
//
//  A thin wrapper: the topic comes from cf_event_topic, the body is the
//  committed encoding as it is (so what a subscriber receives live is
//  byte-identical to what replay serves). Sends never wait: PUB drops at
//  its high-water mark, and the subscribers' cursors make up for it.
#include "cf_bus_publisher.h"

#include "cf_error.h"
#include "cf_event.h"
#include "cf_log.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

//  Long enough to hand the last events to a subscriber that is reading, short
//  enough that a service stopping with a stuck subscriber exits promptly;
//  whatever is lost here is fetched through replay.
#define CF_BUS_PUBLISHER_LINGER_MS 200

//  Topic "<stream>.<TypeName>": stream names and type names are short.
#define CF_BUS_TOPIC_MAX 256

struct _cf_bus_publisher_t {
    zsock_t *pub;
    char *stream;
    char *endpoint;             //  As bound, with the port resolved
    char *heartbeat_topic;      //  "<stream>.$heartbeat"
};

cf_bus_publisher_t *
cf_bus_publisher_new (const char *endpoint, const char *stream, int sndhwm)
{
    return cf_bus_publisher_new_secure (endpoint, stream, sndhwm, NULL);
}

cf_bus_publisher_t *
cf_bus_publisher_new_secure (const char *endpoint, const char *stream, int sndhwm,
                             cf_keys_t *keys)
{
    assert (endpoint);
    assert (stream);
    if (!*stream || strlen (stream) > CF_BUS_TOPIC_MAX / 2) {
        cf_log_error ("cf_bus_publisher_new: invalid stream name '%s'", stream);
        return NULL;
    }
    cf_bus_publisher_t *self = calloc (1, sizeof *self);
    assert (self);
    self->stream = strdup (stream);
    assert (self->stream);
    self->heartbeat_topic = zsys_sprintf ("%s.$heartbeat", stream);
    assert (self->heartbeat_topic);

    self->pub = zsock_new (ZMQ_PUB);
    if (!self->pub) {
        cf_log_error ("zsock_new (PUB): %s", zmq_strerror (zmq_errno ()));
        cf_bus_publisher_destroy (&self);
        return NULL;
    }
    //  Options apply to connections made after they are set: set them
    //  before bind.
    if (sndhwm > 0)
        zsock_set_sndhwm (self->pub, sndhwm);
    zsock_set_linger (self->pub, CF_BUS_PUBLISHER_LINGER_MS);
    if (keys)
        cf_keys_set_server (keys, self->pub);
    if (zsock_bind (self->pub, "%s", endpoint) == -1) {
        cf_log_error ("zsock_bind (%s): %s", endpoint, zmq_strerror (zmq_errno ()));
        cf_bus_publisher_destroy (&self);
        return NULL;
    }
    //  czmq returns a fresh string; keep our own copy so callers can free
    //  the publisher's strings with the rest of it.
    char *bound = zsock_last_endpoint (self->pub);
    self->endpoint = strdup (bound ? bound : endpoint);
    assert (self->endpoint);
    zstr_free (&bound);
    cf_log_debug ("bus publisher for stream %s bound to %s", self->stream, self->endpoint);
    return self;
}

void
cf_bus_publisher_destroy (cf_bus_publisher_t **self_p)
{
    assert (self_p);
    cf_bus_publisher_t *self = *self_p;
    if (!self)
        return;
    zsock_destroy (&self->pub);
    free (self->stream);
    free (self->endpoint);
    zstr_free (&self->heartbeat_topic);
    free (self);
    *self_p = NULL;
}

const char *
cf_bus_publisher_endpoint (cf_bus_publisher_t *self)
{
    assert (self);
    return self->endpoint;
}

//  Sends [topic][body] without waiting. A PUB socket accepts the second
//  frame once it accepted the first (ZeroMQ messages are atomic), so a
//  failure can only happen on the first.
static int
s_send_pair (cf_bus_publisher_t *self, const char *topic, const void *data, size_t size)
{
    void *handle = zsock_resolve (self->pub);
    if (zmq_send (handle, topic, strlen (topic), ZMQ_SNDMORE | ZMQ_DONTWAIT) == -1
        || zmq_send (handle, data, size, ZMQ_DONTWAIT) == -1) {
        cf_log_error ("zmq_send (%s): %s", topic, zmq_strerror (zmq_errno ()));
        return CF_EIO;
    }
    return 0;
}

int
cf_bus_publisher_send (cf_bus_publisher_t *self, const Caseflow__V1__Event *event,
                       const void *data, size_t size)
{
    assert (self);
    assert (event);
    assert (data || size == 0);
    char topic [CF_BUS_TOPIC_MAX];
    cf_event_topic (event, topic, sizeof topic);
    return s_send_pair (self, topic, data, size);
}

int
cf_bus_publisher_heartbeat (cf_bus_publisher_t *self, uint64_t last_seq, int64_t now)
{
    assert (self);
    Caseflow__V1__Heartbeat heartbeat = CASEFLOW__V1__HEARTBEAT__INIT;
    heartbeat.stream = self->stream;
    heartbeat.last_seq = last_seq;
    heartbeat.sent_at = now;
    //  A stream name is at most CF_BUS_TOPIC_MAX / 2 bytes and the numbers
    //  take at most 22: the encoding always fits.
    uint8_t buffer [CF_BUS_TOPIC_MAX];
    size_t size = caseflow__v1__heartbeat__get_packed_size (&heartbeat);
    assert (size <= sizeof buffer);
    caseflow__v1__heartbeat__pack (&heartbeat, buffer);
    return s_send_pair (self, self->heartbeat_topic, buffer, size);
}
