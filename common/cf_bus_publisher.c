//  cf_bus_publisher: a service's events socket (see cf_bus_publisher.h).
//
//  The bodies are the committed encodings as they are (so what a subscriber
//  receives live is byte-identical to what replay serves). The socket is an
//  XPUB only to learn which topics are subscribed: an event is encoded into
//  a form, copied and handed to libzmq only when some subscriber asked for
//  that form. Sends never wait: PUB drops at its high-water mark, and the
//  subscribers' cursors make up for it.
#include "cf_bus_publisher.h"

#include "cf_error.h"
#include "cf_event.h"
#include "cf_log.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

//  Long enough to hand the last events to a subscriber that is reading, short
//  enough that a service stopping with a stuck subscriber exits promptly;
//  whatever is lost here is fetched through replay.
#define CF_BUS_PUBLISHER_LINGER_MS 200

//  Topic "<stream>.<TypeName>": stream names and type names are short.
#define CF_BUS_TOPIC_MAX 256

//  Distinct topics tracked at most; past that (subscribers that ask for a
//  great many topics), every event goes out in both forms and libzmq's own
//  filter sorts them out, so a flood of topics cannot slow every send.
#define S_SUBSCRIPTIONS_MAX 256

//  A subscription: ZeroMQ's prefix filter as the subscriber sent it.
typedef struct {
    char *topic;
    size_t size;
} s_subscription_t;

struct _cf_bus_publisher_t {
    zsock_t *pub;
    char *stream;
    char *endpoint;         //  As bound, with the port resolved
    char *heartbeat_topic;  //  "<stream>.$heartbeat"
    char *batch_topic;      //  "$batch.<stream>"
    char *prefix;           //  "<stream>.", what every event topic starts with
    uint64_t epoch;         //  The stream's, sent with every heartbeat

    //  The topics subscribed by at least one subscriber: libzmq passes a
    //  topic's first subscription and its last unsubscription (also when
    //  the last subscriber goes away), so this is a set.
    s_subscription_t *subscriptions;
    size_t subscription_count, subscription_cap;
    size_t untracked;     //  Subscriptions past S_SUBSCRIPTIONS_MAX
    bool batch_wanted;    //  Some subscription matches batch_topic
    bool singles_wanted;  //  Some subscription may match an event's topic

    uint8_t *batch;  //  The batch being built, grown as needed
    size_t batch_size, batch_cap, batch_events;

    uint64_t singles_sent, batches_sent, batched_events_sent;
};

//  Whether subscription `sub` (a prefix) matches `topic`.
static bool
s_matches (const s_subscription_t *sub, const char *topic, size_t size)
{
    return sub->size <= size && memcmp (sub->topic, topic, sub->size) == 0;
}

static void
s_recompute_wants (cf_bus_publisher_t *self)
{
    size_t batch_size = strlen (self->batch_topic);
    size_t prefix_size = strlen (self->prefix);
    self->batch_wanted = self->untracked > 0;
    self->singles_wanted = self->untracked > 0;
    for (size_t i = 0; i < self->subscription_count; i++) {
        const s_subscription_t *sub = &self->subscriptions [i];
        if (s_matches (sub, self->batch_topic, batch_size))
            self->batch_wanted = true;
        //  An event's topic is "<stream>." and a type name, which never
        //  starts with '$': a subscription can match one if it is a prefix
        //  of "<stream>.", or starts with it and not with "<stream>.$".
        bool may_match = sub->size <= prefix_size
                             ? memcmp (sub->topic, self->prefix, sub->size) == 0
                             : memcmp (sub->topic, self->prefix, prefix_size) == 0
                                   && sub->topic [prefix_size] != '$';
        if (may_match)
            self->singles_wanted = true;
    }
}

//  Takes in what subscribers asked since the last look: each message on
//  the XPUB is a byte (1 subscribe, 0 unsubscribe) and the topic prefix.
static void
s_read_subscriptions (cf_bus_publisher_t *self)
{
    void *handle = zsock_resolve (self->pub);
    bool changed = false;
    zmq_msg_t msg;
    zmq_msg_init (&msg);
    while (zmq_msg_recv (&msg, handle, ZMQ_DONTWAIT) >= 0) {
        const char *data = zmq_msg_data (&msg);
        size_t size = zmq_msg_size (&msg);
        if (size == 0 || (data [0] != 0 && data [0] != 1))
            continue;  //  Not a subscription message
        const char *topic = data + 1;
        size_t topic_size = size - 1;
        size_t found = self->subscription_count;
        for (size_t i = 0; i < self->subscription_count; i++)
            if (self->subscriptions [i].size == topic_size
                && memcmp (self->subscriptions [i].topic, topic, topic_size) == 0)
                found = i;
        if (data [0] == 1 && found == self->subscription_count
            && self->subscription_count == S_SUBSCRIPTIONS_MAX) {
            self->untracked++;
            changed = true;
        } else if (data [0] == 1 && found == self->subscription_count) {
            if (self->subscription_count == self->subscription_cap) {
                self->subscription_cap = self->subscription_cap ? self->subscription_cap * 2 : 8;
                self->subscriptions = realloc (
                    self->subscriptions, self->subscription_cap * sizeof *self->subscriptions);
                assert (self->subscriptions);
            }
            char *copy = malloc (topic_size + 1);
            assert (copy);
            memcpy (copy, topic, topic_size);
            copy [topic_size] = 0;
            self->subscriptions [self->subscription_count++] =
                (s_subscription_t){ copy, topic_size };
            changed = true;
        } else if (data [0] == 0 && found < self->subscription_count) {
            free (self->subscriptions [found].topic);
            self->subscriptions [found] = self->subscriptions [--self->subscription_count];
            changed = true;
        } else if (data [0] == 0 && self->untracked) {
            self->untracked--;  //  One of those we did not keep
            changed = true;
        }
    }
    zmq_msg_close (&msg);
    if (changed) {
        s_recompute_wants (self);
        cf_log_debug ("bus publisher %s: %zu topics subscribed (singles %s, batches %s)",
                      self->stream, self->subscription_count,
                      self->singles_wanted ? "wanted" : "not wanted",
                      self->batch_wanted ? "wanted" : "not wanted");
    }
}

cf_bus_publisher_t *
cf_bus_publisher_new (const char *endpoint, const char *stream, int sndhwm)
{
    return cf_bus_publisher_new_secure (endpoint, stream, sndhwm, NULL);
}

cf_bus_publisher_t *
cf_bus_publisher_new_secure (const char *endpoint, const char *stream, int sndhwm, cf_keys_t *keys)
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
    self->batch_topic = zsys_sprintf ("$batch.%s", stream);
    self->prefix = zsys_sprintf ("%s.", stream);
    assert (self->heartbeat_topic && self->batch_topic && self->prefix);

    self->pub = zsock_new (ZMQ_XPUB);
    if (!self->pub) {
        cf_log_error ("zsock_new (XPUB): %s", zmq_strerror (zmq_errno ()));
        cf_bus_publisher_destroy (&self);
        return NULL;
    }
    //  Options apply to connections made after they are set: set them
    //  before bind.
    if (sndhwm > 0)
        zsock_set_sndhwm (self->pub, sndhwm);
    zsock_set_linger (self->pub, CF_BUS_PUBLISHER_LINGER_MS);
    zsock_set_rcvtimeo (self->pub, 0);
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
    zstr_free (&self->batch_topic);
    zstr_free (&self->prefix);
    for (size_t i = 0; i < self->subscription_count; i++)
        free (self->subscriptions [i].topic);
    free (self->subscriptions);
    free (self->batch);
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
s_send_pair (cf_bus_publisher_t *self, const char *topic, size_t topic_size, const void *data,
             size_t size)
{
    void *handle = zsock_resolve (self->pub);
    if (zmq_send (handle, topic, topic_size, ZMQ_SNDMORE | ZMQ_DONTWAIT) == -1
        || zmq_send (handle, data, size, ZMQ_DONTWAIT) == -1) {
        cf_log_error ("zmq_send (%.*s): %s", (int) topic_size, topic, zmq_strerror (zmq_errno ()));
        return CF_EIO;
    }
    return 0;
}

//  Sends the batch built so far, if any, and starts the next.
static int
s_flush_batch (cf_bus_publisher_t *self)
{
    if (self->batch_events == 0)
        return 0;
    int rc = s_send_pair (self, self->batch_topic, strlen (self->batch_topic), self->batch,
                          self->batch_size);
    if (rc == 0) {
        self->batches_sent++;
        self->batched_events_sent += self->batch_events;
    }
    self->batch_size = 0;
    self->batch_events = 0;
    return rc;
}

//  Adds one event to the batch, sending the batch first if the event would
//  take it past CF_EVENT_MAX_SIZE (the size a subscriber accepts; an event
//  is never larger, so one always fits in an empty batch).
static int
s_add_to_batch (cf_bus_publisher_t *self, const void *data, size_t size)
{
    int rc = 0;
    size_t need = CF_EVENT_BATCH_OVERHEAD + size;
    if (self->batch_events && self->batch_size + need > CF_EVENT_MAX_SIZE)
        rc = s_flush_batch (self);
    if (self->batch_size + need > self->batch_cap) {
        size_t cap = self->batch_cap ? self->batch_cap : 64 * 1024;
        while (cap < self->batch_size + need)
            cap *= 2;
        self->batch = realloc (self->batch, cap);
        assert (self->batch);
        self->batch_cap = cap;
    }
    self->batch_size += cf_event_batch_put (self->batch + self->batch_size, data, size);
    self->batch_events++;
    return rc;
}

//  Sends one event singly if some subscription matches its topic.
static int
s_send_single (cf_bus_publisher_t *self, const char *topic, const void *data, size_t size)
{
    size_t topic_size = strlen (topic);
    bool wanted = self->untracked > 0;
    for (size_t i = 0; i < self->subscription_count && !wanted; i++)
        wanted = s_matches (&self->subscriptions [i], topic, topic_size);
    if (!wanted)
        return 0;
    int rc = s_send_pair (self, topic, topic_size, data, size);
    if (rc == 0)
        self->singles_sent++;
    return rc;
}

//  Publishes one event: singly under `topic` if some subscription matches
//  it (NULL: none can), and into the batch if batches are wanted. Returns
//  the first failure.
static int
s_publish (cf_bus_publisher_t *self, const char *topic, const void *data, size_t size)
{
    int rc = topic ? s_send_single (self, topic, data, size) : 0;
    if (self->batch_wanted) {
        int batch_rc = s_add_to_batch (self, data, size);
        rc = rc ? rc : batch_rc;
    }
    return rc;
}

int
cf_bus_publisher_send_all (cf_bus_publisher_t *self, const cf_bus_outgoing_t *events, size_t count)
{
    assert (self);
    assert (events || count == 0);
    s_read_subscriptions (self);
    int result = 0;
    for (size_t i = 0; i < count; i++) {
        const cf_bus_outgoing_t *event = &events [i];
        assert (event->data || event->size == 0);
        char topic [CF_BUS_TOPIC_MAX];
        if (self->singles_wanted) {
            Caseflow__V1__Event named = CASEFLOW__V1__EVENT__INIT;
            named.stream = self->stream;
            named.body_case = event->body_case;
            cf_event_topic (&named, topic, sizeof topic);
        }
        int rc = s_publish (self, self->singles_wanted ? topic : NULL, event->data, event->size);
        result = result ? result : rc;
    }
    int rc = s_flush_batch (self);
    return result ? result : rc;
}

int
cf_bus_publisher_send (cf_bus_publisher_t *self, const Caseflow__V1__Event *event, const void *data,
                       size_t size)
{
    assert (self);
    assert (event);
    assert (data || size == 0);
    s_read_subscriptions (self);
    //  The topic comes from the event as given (a test may publish what
    //  another stream would), the batch goes out under this stream.
    char topic [CF_BUS_TOPIC_MAX];
    cf_event_topic (event, topic, sizeof topic);
    int rc = s_publish (self, topic, data, size);
    int flush_rc = s_flush_batch (self);
    return rc ? rc : flush_rc;
}

void
cf_bus_publisher_sent (cf_bus_publisher_t *self, uint64_t *singles_p, uint64_t *batches_p,
                       uint64_t *batched_events_p)
{
    assert (self);
    s_read_subscriptions (self);
    if (singles_p)
        *singles_p = self->singles_sent;
    if (batches_p)
        *batches_p = self->batches_sent;
    if (batched_events_p)
        *batched_events_p = self->batched_events_sent;
}

void
cf_bus_publisher_set_epoch (cf_bus_publisher_t *self, uint64_t epoch)
{
    assert (self);
    self->epoch = epoch;
}

int
cf_bus_publisher_heartbeat (cf_bus_publisher_t *self, uint64_t last_seq, int64_t now)
{
    assert (self);
    Caseflow__V1__Heartbeat heartbeat = CASEFLOW__V1__HEARTBEAT__INIT;
    heartbeat.stream = self->stream;
    heartbeat.epoch = self->epoch;
    heartbeat.last_seq = last_seq;
    heartbeat.sent_at = now;
    heartbeat.batches = true;
    //  A stream name is at most CF_BUS_TOPIC_MAX / 2 bytes and the numbers
    //  take at most 31: the encoding always fits.
    uint8_t buffer [CF_BUS_TOPIC_MAX];
    size_t size = caseflow__v1__heartbeat__get_packed_size (&heartbeat);
    assert (size <= sizeof buffer);
    caseflow__v1__heartbeat__pack (&heartbeat, buffer);
    s_read_subscriptions (self);
    return s_send_pair (self, self->heartbeat_topic, strlen (self->heartbeat_topic), buffer, size);
}
