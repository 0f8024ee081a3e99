//  test_bus: the bus publisher and subscriber over real sockets on loopback.
//
//  A tiny fake producer stands in for a service: a cf_bus_publisher for the
//  live side and a ROUTER that serves ReplayRequests from an in-memory
//  array of encoded events, in batches of S_BATCH. "Committed" events are
//  the ones in the array; each test chooses which of them also go out
//  live, so a lost live event is simply one never published. The
//  subscriber is driven the way a runtime would: poll its two sockets,
//  call cf_bus_subscriber_process, respect cf_bus_subscriber_deadline.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_bus_publisher.h"
#include "cf_bus_subscriber.h"
#include "cf_error.h"
#include "cf_event.h"
#include "cf_log.h"
#include "cf_test.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define S_STREAM  "teststream"
#define S_BATCH   100
#define S_MAX_IDS 64

//  ------------------------------------------------------ the fake producer

typedef struct {
    cf_bus_publisher_t *publisher;
    zsock_t *router;
    char *api_endpoint;
    uint8_t **encoded;  //  Event seq N at [N - 1]
    size_t *sizes;
    size_t count;
    bool silent;      //  Read requests, answer none
    int unavailable;  //  Answer this many requests UNAVAILABLE first
    bool garbage;     //  Answer the next request with junk first
    bool batches;     //  Replay replies say the producer publishes batches
    size_t requests;  //  Requests received
    size_t served;    //  Batches sent
    char ids [S_MAX_IDS][CF_API_MAX_REQUEST_ID + 1];
} s_producer_t;

static s_producer_t *
s_producer_new (int sndhwm)
{
    s_producer_t *self = calloc (1, sizeof *self);
    assert_non_null (self);
    self->publisher = cf_bus_publisher_new ("tcp://127.0.0.1:*", S_STREAM, sndhwm);
    assert_non_null (self->publisher);
    self->router = zsock_new (ZMQ_ROUTER);
    assert_non_null (self->router);
    zsock_set_linger (self->router, 0);
    assert_true (zsock_bind (self->router, "tcp://127.0.0.1:*") > 0);
    self->api_endpoint = zsock_last_endpoint (self->router);
    return self;
}

static void
s_producer_destroy (s_producer_t **self_p)
{
    s_producer_t *self = *self_p;
    cf_bus_publisher_destroy (&self->publisher);
    zsock_destroy (&self->router);
    zstr_free (&self->api_endpoint);
    for (size_t index = 0; index < self->count; index++)
        free (self->encoded [index]);
    free (self->encoded);
    free (self->sizes);
    free (self);
    *self_p = NULL;
}

//  Encodes an event of `stream` with `seq` and `id` (freshly allocated).
static uint8_t *
s_encode_event (const char *stream, uint64_t seq, const char *id, size_t *size_p)
{
    Caseflow__V1__Testing__NoteRecorded note = CASEFLOW__V1__TESTING__NOTE_RECORDED__INIT;
    note.text = "a note";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.id = (char *) id;
    event.stream = (char *) stream;
    event.seq = seq;
    event.occurred_at = INT64_C (1641196980000000) + (int64_t) seq;
    event.schema_version = 1;
    event.body_case = CASEFLOW__V1__EVENT__BODY_NOTE_RECORDED;
    event.note_recorded = &note;
    *size_p = caseflow__v1__event__get_packed_size (&event);
    uint8_t *data = malloc (*size_p);
    assert_non_null (data);
    caseflow__v1__event__pack (&event, data);
    return data;
}

//  Commits `count` more events (not published).
static void
s_producer_append (s_producer_t *self, size_t count)
{
    self->encoded = realloc (self->encoded, (self->count + count) * sizeof *self->encoded);
    self->sizes = realloc (self->sizes, (self->count + count) * sizeof *self->sizes);
    assert_non_null (self->encoded);
    assert_non_null (self->sizes);
    for (size_t index = 0; index < count; index++) {
        uint64_t seq = self->count + 1;
        char id [32];
        snprintf (id, sizeof id, "event-%06" PRIu64, seq);
        self->encoded [self->count] =
            s_encode_event (S_STREAM, seq, id, &self->sizes [self->count]);
        self->count++;
    }
}

static void
s_producer_publish (s_producer_t *self, uint64_t seq)
{
    assert_true (seq >= 1 && seq <= self->count);
    Caseflow__V1__Event *event =
        caseflow__v1__event__unpack (NULL, self->sizes [seq - 1], self->encoded [seq - 1]);
    assert_non_null (event);
    assert_int_equal (cf_bus_publisher_send (self->publisher, event, self->encoded [seq - 1],
                                             self->sizes [seq - 1]),
                      0);
    caseflow__v1__event__free_unpacked (event, NULL);
}

static void
s_producer_publish_range (s_producer_t *self, uint64_t from, uint64_t to)
{
    for (uint64_t seq = from; seq <= to; seq++)
        s_producer_publish (self, seq);
}

static void
s_send_reply (zsock_t *router, zframe_t *identity, const void *data, size_t size)
{
    assert_int_equal (zframe_send (&identity, router, ZFRAME_MORE | ZFRAME_REUSE), 0);
    assert_int_not_equal (zmq_send (zsock_resolve (router), data, size, 0), -1);
}

//  Sends a batch of `count` events from `from` (at most what exists).
static void
s_send_batch (s_producer_t *self, zframe_t *identity, const char *request_id, uint64_t from,
              size_t count, const char *override_id)
{
    Caseflow__V1__ReplayBatch batch = CASEFLOW__V1__REPLAY_BATCH__INIT;
    batch.stream = S_STREAM;
    batch.last_seq = self->count;
    batch.batches = self->batches;
    Caseflow__V1__Event *events [S_BATCH];
    for (uint64_t seq = from; seq <= self->count && batch.n_events < count; seq++) {
        events [batch.n_events] =
            caseflow__v1__event__unpack (NULL, self->sizes [seq - 1], self->encoded [seq - 1]);
        assert_non_null (events [batch.n_events]);
        if (override_id) {
            //  The event keeps its seq but not its identity: delivering it
            //  would be a detectable mistake.
            free (events [batch.n_events]->id);
            events [batch.n_events]->id = strdup (override_id);
        }
        batch.n_events++;
    }
    batch.events = events;
    Caseflow__V1__Reply reply = CASEFLOW__V1__REPLY__INIT;
    reply.request_id = (char *) request_id;
    reply.result_case = CASEFLOW__V1__REPLY__RESULT_REPLAY;
    reply.replay = &batch;
    size_t size = caseflow__v1__reply__get_packed_size (&reply);
    uint8_t *data = malloc (size);
    assert_non_null (data);
    caseflow__v1__reply__pack (&reply, data);
    s_send_reply (self->router, identity, data, size);
    free (data);
    for (size_t index = 0; index < batch.n_events; index++)
        caseflow__v1__event__free_unpacked (events [index], NULL);
}

//  Answers every request waiting on the ROUTER.
static void
s_producer_serve (s_producer_t *self)
{
    while (zsock_events (self->router) & ZMQ_POLLIN) {
        zmsg_t *msg = zmsg_recv (self->router);
        assert_non_null (msg);
        assert_int_equal (zmsg_size (msg), 2);
        zframe_t *identity = zmsg_first (msg);
        zframe_t *body = zmsg_next (msg);
        Caseflow__V1__Reply reply;
        //  "" rather than NULL: cf_api_decode_request frees the id it
        //  replaces, which must then be a heap string.
        cf_api_reply_init (&reply, "");
        Caseflow__V1__Request *request =
            cf_api_decode_request (zframe_data (body), zframe_size (body), &reply);
        assert_non_null (request);
        assert_int_equal (request->body_case, CASEFLOW__V1__REQUEST__BODY_REPLAY);
        assert_string_equal (request->replay->stream, S_STREAM);
        if (self->requests < S_MAX_IDS)
            snprintf (self->ids [self->requests], sizeof self->ids [0], "%s", request->request_id);
        self->requests++;

        if (self->silent)
            ;
        else if (self->unavailable > 0) {
            self->unavailable--;
            cf_api_reply_status (&reply, CASEFLOW__V1__STATUS__CODE__UNAVAILABLE, NULL,
                                 "still replaying");
            size_t size;
            void *data = cf_api_encode_reply (&reply, &size);
            s_send_reply (self->router, identity, data, size);
            free (data);
        } else {
            if (self->garbage) {
                self->garbage = false;
                //  Not a Reply, two frames, and a well-formed batch for
                //  another request id whose events must not be applied.
                s_send_reply (self->router, identity, "\x0a\x05xy", 4);
                assert_int_equal (zframe_send (&identity, self->router, ZFRAME_MORE | ZFRAME_REUSE),
                                  0);
                zstr_sendm (self->router, "one");
                zstr_send (self->router, "two");
                s_send_batch (self, identity, "some-older-request", request->replay->from_seq,
                              S_BATCH, "stale");
            }
            s_send_batch (self, identity, request->request_id, request->replay->from_seq, S_BATCH,
                          NULL);
            self->served++;
        }
        cf_api_reply_clear (&reply);
        caseflow__v1__request__free_unpacked (request, NULL);
        zmsg_destroy (&msg);
    }
}

//  --------------------------------------------------------- the subscriber

typedef struct {
    s_producer_t *producer;
    cf_bus_subscriber_t *sub;
    uint64_t *delivered;  //  Seqs in delivery order
    size_t n_delivered;
    size_t violations;       //  Deliveries out of order or not matching
    uint64_t refuse_seq;     //  Refuse this seq once (0: none)
    uint64_t stop_seq;       //  Say CF_BUS_STOP at this seq (0: never)
    size_t stops;            //  How often CF_BUS_STOP was said
    int64_t refused_at;      //  When it was refused (0: not yet)
    int64_t redelivered_at;  //  When it came again
    bool heartbeats;         //  Publish a heartbeat every 100 ms
    int64_t heartbeat_at;
} s_test_t;

static int
s_deliver (void *ctx, cf_bus_subscriber_t *subscriber, const Caseflow__V1__Event *event,
           const void *data, size_t size)
{
    s_test_t *test = ctx;
    //  The contract: seq is cursor + 1, and data is this event's encoding.
    if (subscriber != test->sub || event->seq != cf_bus_subscriber_cursor (subscriber) + 1
        || strcmp (event->id, "stale") == 0)
        test->violations++;
    Caseflow__V1__Event *copy = cf_event_decode (data, size, S_STREAM, NULL);
    if (!copy || copy->seq != event->seq || strcmp (copy->id, event->id) != 0)
        test->violations++;
    caseflow__v1__event__free_unpacked (copy, NULL);

    if (event->seq == test->stop_seq) {
        test->stops++;
        return CF_BUS_STOP;
    }
    if (event->seq == test->refuse_seq) {
        if (!test->refused_at) {
            test->refused_at = zclock_usecs ();
            return CF_EUNAVAILABLE;
        }
        if (!test->redelivered_at)
            test->redelivered_at = zclock_usecs ();
    }
    test->delivered = realloc (test->delivered, (test->n_delivered + 1) * sizeof *test->delivered);
    assert_non_null (test->delivered);
    test->delivered [test->n_delivered++] = event->seq;
    return 0;
}

static void
s_test_start (s_test_t *test, s_producer_t *producer, uint64_t cursor)
{
    memset (test, 0, sizeof *test);
    test->producer = producer;
    test->sub = cf_bus_subscriber_new (S_STREAM, cf_bus_publisher_endpoint (producer->publisher),
                                       producer->api_endpoint, cursor, s_deliver, test);
    assert_non_null (test->sub);
}

static void
s_test_stop (s_test_t *test)
{
    cf_bus_subscriber_destroy (&test->sub);
    assert_null (test->sub);
    free (test->delivered);
    test->delivered = NULL;
}

typedef bool (s_done_fn) (s_test_t *test, uint64_t arg);

static bool
s_cursor_at (s_test_t *test, uint64_t seq)
{
    return cf_bus_subscriber_cursor (test->sub) >= seq;
}

static bool
s_caught_up (s_test_t *test, uint64_t unused)
{
    (void) unused;
    return cf_bus_subscriber_caught_up (test->sub);
}

static bool
s_requests_at (s_test_t *test, uint64_t count)
{
    return test->producer->requests >= count;
}

static bool
s_refused (s_test_t *test, uint64_t unused)
{
    (void) unused;
    return test->refused_at != 0;
}

static bool
s_head_at (s_test_t *test, uint64_t seq)
{
    return cf_bus_subscriber_head (test->sub) >= seq;
}

//  Runs the loop a runtime would run until done (true) or `timeout_ms`
//  passed (false). With done NULL, just runs for the time.
static bool
s_drive (s_test_t *test, s_done_fn *done, uint64_t arg, int timeout_ms)
{
    int64_t end = zclock_usecs () + (int64_t) timeout_ms * 1000;
    while (true) {
        if (done && done (test, arg))
            return true;
        int64_t now = zclock_usecs ();
        if (now >= end)
            return done == NULL;
        if (test->heartbeats && now >= test->heartbeat_at) {
            cf_bus_publisher_heartbeat (test->producer->publisher, test->producer->count, now);
            test->heartbeat_at = now + 100 * 1000;
        }
        int64_t wait = 10 * 1000;
        int64_t deadline = cf_bus_subscriber_deadline (test->sub);
        if (deadline - now < wait)
            wait = deadline > now ? deadline - now : 0;
        zmq_pollitem_t items [] = {
            { zsock_resolve (cf_bus_subscriber_events_socket (test->sub)), 0, ZMQ_POLLIN, 0 },
            { zsock_resolve (cf_bus_subscriber_api_socket (test->sub)), 0, ZMQ_POLLIN, 0 },
            { zsock_resolve (test->producer->router), 0, ZMQ_POLLIN, 0 },
        };
        zmq_poll (items, 3, (long) (wait + 999) / 1000);
        s_producer_serve (test->producer);
        cf_bus_subscriber_process (test->sub, zclock_usecs (), 1000);
    }
}

//  Checks that exactly `from`..`to` were delivered, in order, once each.
static void
s_assert_delivered (s_test_t *test, uint64_t from, uint64_t to)
{
    assert_int_equal (test->violations, 0);
    assert_int_equal (test->n_delivered, to - from + 1);
    for (size_t index = 0; index < test->n_delivered; index++)
        assert_int_equal (test->delivered [index], from + index);
    assert_int_equal (cf_bus_subscriber_cursor (test->sub), to);
}

//  Gets the subscriber live: the first replay answered and the SUB
//  connected. One more event is committed and published live until it
//  arrives; with no heartbeat and the replay done before it existed, only
//  the SUB can bring it.
static void
s_go_live (s_test_t *test)
{
    assert_true (s_drive (test, s_caught_up, 0, 5000));
    size_t requests = test->producer->requests;
    uint64_t next = test->producer->count + 1;
    assert_int_equal (cf_bus_subscriber_cursor (test->sub), next - 1);
    s_producer_append (test->producer, 1);
    for (int tries = 0; tries < 200 && !s_cursor_at (test, next); tries++) {
        s_producer_publish (test->producer, next);
        s_drive (test, s_cursor_at, next, 20);
    }
    assert_true (s_cursor_at (test, next));
    assert_int_equal (test->producer->requests, requests);
    assert_true (cf_bus_subscriber_caught_up (test->sub));
}

//  ------------------------------------------------------------------ tests

static void
test_publisher (void **state)
{
    (void) state;
    cf_bus_publisher_t *publisher = cf_bus_publisher_new ("tcp://127.0.0.1:*", S_STREAM, 0);
    assert_non_null (publisher);
    const char *endpoint = cf_bus_publisher_endpoint (publisher);
    assert_non_null (strstr (endpoint, "tcp://127.0.0.1:"));
    assert_null (strchr (endpoint, '*'));

    zsock_t *sub = zsock_new_sub (endpoint, S_STREAM ".");
    assert_non_null (sub);
    zsock_set_rcvtimeo (sub, 50);
    size_t size;
    uint8_t *data = s_encode_event (S_STREAM, 7, "event-7", &size);
    Caseflow__V1__Event *event = cf_event_decode (data, size, S_STREAM, NULL);
    assert_non_null (event);
    //  Slow joiner: send until the subscription has reached the PUB.
    zmsg_t *msg = NULL;
    for (int tries = 0; tries < 100 && !msg; tries++) {
        assert_int_equal (cf_bus_publisher_send (publisher, event, data, size), 0);
        msg = zmsg_recv (sub);
    }
    assert_non_null (msg);
    assert_int_equal (zmsg_size (msg), 2);
    char *topic = zmsg_popstr (msg);
    assert_string_equal (topic, S_STREAM ".NoteRecorded");
    zstr_free (&topic);
    zframe_t *body = zmsg_pop (msg);
    assert_memory_equal (zframe_data (body), data, size);
    zframe_destroy (&body);
    zmsg_destroy (&msg);

    //  Skip the extra copies sent while joining, then the heartbeat.
    zsock_set_rcvtimeo (sub, 2000);
    assert_int_equal (cf_bus_publisher_heartbeat (publisher, 7, 1234), 0);
    while ((msg = zmsg_recv (sub))) {
        topic = zmsg_popstr (msg);
        if (strcmp (topic, S_STREAM ".$heartbeat") == 0)
            break;
        zstr_free (&topic);
        zmsg_destroy (&msg);
    }
    assert_non_null (msg);
    zstr_free (&topic);
    body = zmsg_pop (msg);
    Caseflow__V1__Heartbeat *heartbeat =
        caseflow__v1__heartbeat__unpack (NULL, zframe_size (body), zframe_data (body));
    assert_non_null (heartbeat);
    assert_string_equal (heartbeat->stream, S_STREAM);
    assert_int_equal (heartbeat->last_seq, 7);
    assert_int_equal (heartbeat->sent_at, 1234);
    caseflow__v1__heartbeat__free_unpacked (heartbeat, NULL);
    zframe_destroy (&body);
    zmsg_destroy (&msg);

    caseflow__v1__event__free_unpacked (event, NULL);
    free (data);
    zsock_destroy (&sub);
    cf_bus_publisher_destroy (&publisher);
    assert_null (publisher);
    cf_bus_publisher_destroy (&publisher);

    assert_null (cf_bus_publisher_new ("nonsense", S_STREAM, 0));
    assert_null (cf_bus_publisher_new ("tcp://127.0.0.1:*", "", 0));
}

static void
test_live_in_order (void **state)
{
    (void) state;
    s_producer_t *producer = s_producer_new (0);
    s_test_t test;
    s_test_start (&test, producer, 0);
    s_go_live (&test);
    size_t requests = producer->requests;

    s_producer_append (producer, 499);
    s_producer_publish_range (producer, 2, 500);
    assert_true (s_drive (&test, s_cursor_at, 500, 10000));
    s_assert_delivered (&test, 1, 500);
    //  All of it came live: no replay was needed.
    assert_int_equal (producer->requests, requests);
    assert_true (cf_bus_subscriber_caught_up (test.sub));
    assert_int_equal (cf_bus_subscriber_head (test.sub), 500);
    assert_int_equal (cf_bus_subscriber_deadline (test.sub), INT64_MAX);
    assert_string_equal (cf_bus_subscriber_stream (test.sub), S_STREAM);

    s_test_stop (&test);
    s_producer_destroy (&producer);
}

static void
test_catch_up (void **state)
{
    (void) state;
    s_producer_t *producer = s_producer_new (0);
    s_producer_append (producer, 5000);

    s_test_t test;
    s_test_start (&test, producer, 0);
    assert_false (cf_bus_subscriber_caught_up (test.sub));
    assert_true (s_drive (&test, s_caught_up, 0, 15000));
    s_assert_delivered (&test, 1, 5000);
    assert_int_equal (cf_bus_subscriber_head (test.sub), 5000);
    //  Batches of 100, asked for one after the other.
    assert_int_equal (producer->served, 5000 / S_BATCH);
    s_test_stop (&test);

    //  From a saved cursor: only what follows it.
    producer->served = 0;
    s_test_start (&test, producer, 4950);
    assert_true (s_drive (&test, s_caught_up, 0, 5000));
    s_assert_delivered (&test, 4951, 5000);
    assert_int_equal (producer->served, 1);
    s_test_stop (&test);

    //  Already at the head: caught up with nothing delivered.
    s_test_start (&test, producer, 5000);
    assert_true (s_drive (&test, s_caught_up, 0, 5000));
    assert_int_equal (test.n_delivered, 0);
    s_test_stop (&test);

    s_producer_destroy (&producer);
}

static void
test_gap (void **state)
{
    (void) state;
    s_producer_t *producer = s_producer_new (0);
    s_test_t test;
    s_test_start (&test, producer, 0);
    s_go_live (&test);
    size_t requests = producer->requests;

    //  6, 7 and 8 are committed but lost on the way.
    s_producer_append (producer, 19);
    s_producer_publish_range (producer, 2, 5);
    s_producer_publish_range (producer, 9, 20);
    assert_true (s_drive (&test, s_cursor_at, 20, 5000));
    s_assert_delivered (&test, 1, 20);
    assert_true (producer->requests > requests);
    assert_true (s_drive (&test, s_caught_up, 0, 5000));

    //  A gap right at the end of a burst, then live again.
    s_producer_append (producer, 10);
    s_producer_publish_range (producer, 21, 25);
    s_producer_publish_range (producer, 27, 30);
    assert_true (s_drive (&test, s_cursor_at, 30, 5000));
    requests = producer->requests;
    s_producer_append (producer, 1);
    s_producer_publish (producer, 31);
    assert_true (s_drive (&test, s_cursor_at, 31, 5000));
    s_assert_delivered (&test, 1, 31);
    assert_int_equal (producer->requests, requests);

    s_test_stop (&test);
    s_producer_destroy (&producer);
}

static void
test_duplicates (void **state)
{
    (void) state;
    s_producer_t *producer = s_producer_new (0);
    s_test_t test;
    s_test_start (&test, producer, 0);
    s_go_live (&test);
    size_t requests = producer->requests;

    s_producer_append (producer, 9);
    uint64_t order [] = { 2, 2, 3, 1, 3, 2, 4, 5, 5, 5, 6, 7, 3, 8, 9, 10, 10, 1 };
    for (size_t index = 0; index < sizeof order / sizeof order [0]; index++)
        s_producer_publish (producer, order [index]);
    assert_true (s_drive (&test, s_cursor_at, 10, 5000));
    //  Let the trailing repeats arrive too.
    s_drive (&test, NULL, 0, 200);
    s_assert_delivered (&test, 1, 10);
    //  Repeats are not gaps: nothing was asked for.
    assert_int_equal (producer->requests, requests);

    //  A replay overlapping what came live delivers nothing twice.
    s_producer_append (producer, 10);
    s_producer_publish_range (producer, 11, 14);
    s_producer_publish (producer, 20);
    s_producer_publish_range (producer, 15, 18);
    assert_true (s_drive (&test, s_cursor_at, 20, 5000));
    s_drive (&test, NULL, 0, 100);
    s_assert_delivered (&test, 1, 20);

    s_test_stop (&test);
    s_producer_destroy (&producer);
}

static void
test_heartbeat (void **state)
{
    (void) state;
    //  Send high-water mark 1: a burst mostly drops on the PUB side.
    s_producer_t *producer = s_producer_new (1);
    s_test_t test;
    s_test_start (&test, producer, 0);
    s_go_live (&test);

    //  Committed, but every live copy lost: without a heartbeat nothing
    //  tells the subscriber.
    s_producer_append (producer, 9);
    s_drive (&test, NULL, 0, 200);
    assert_int_equal (cf_bus_subscriber_cursor (test.sub), 1);
    assert_true (cf_bus_subscriber_caught_up (test.sub));

    test.heartbeats = true;
    assert_true (s_drive (&test, s_cursor_at, 10, 5000));
    assert_true (s_drive (&test, s_caught_up, 0, 5000));
    s_assert_delivered (&test, 1, 10);
    assert_int_equal (cf_bus_subscriber_head (test.sub), 10);

    //  A burst with the subscriber not reading: the PUB drops most of it,
    //  including the end; the heartbeat tells.
    test.heartbeats = false;
    s_producer_append (producer, 3000);
    s_producer_publish_range (producer, 11, 3010);
    test.heartbeats = true;
    assert_true (s_drive (&test, s_cursor_at, 3010, 15000));
    s_assert_delivered (&test, 1, 3010);

    s_test_stop (&test);
    s_producer_destroy (&producer);
}

//  A producer nobody hears (down, stopped, cut off by the network) for
//  three heartbeats: the subscriber no longer says it is caught up, and
//  names why; once heard again it asks where the stream ends and is
//  caught up when the answer confirms it, with what was committed
//  meanwhile.
static bool
s_silent (s_test_t *test, uint64_t unused)
{
    (void) unused;
    return cf_bus_subscriber_silent (test->sub) != NULL;
}

static void
test_silent_producer (void **state)
{
    (void) state;
    s_producer_t *producer = s_producer_new (0);
    s_producer_append (producer, 20);
    s_test_t test;
    s_test_start (&test, producer, 0);
    test.heartbeats = true;
    assert_true (s_drive (&test, s_caught_up, 0, 5000));
    assert_null (cf_bus_subscriber_silent (test.sub));
    //  Heard every 100 ms for longer than the limit: never silent.
    assert_false (s_drive (&test, s_silent, 0, 3500));
    assert_true (cf_bus_subscriber_caught_up (test.sub));

    //  Silent: its events of the meantime never arrive live.
    test.heartbeats = false;
    s_producer_append (producer, 5);
    int64_t quiet_from = zclock_usecs ();
    assert_true (s_drive (&test, s_silent, 0, 5000));
    assert_true (zclock_usecs () - quiet_from >= 2900 * 1000);
    assert_false (cf_bus_subscriber_caught_up (test.sub));
    assert_non_null (strstr (cf_bus_subscriber_silent (test.sub), "upstream " S_STREAM ": "));
    assert_int_equal (cf_bus_subscriber_cursor (test.sub), 20);

    //  Heard again: caught up with the events of the silence.
    test.heartbeats = true;
    assert_true (s_drive (&test, s_caught_up, 0, 5000));
    assert_null (cf_bus_subscriber_silent (test.sub));
    s_assert_delivered (&test, 1, 25);

    s_test_stop (&test);
    s_producer_destroy (&producer);
}

static void
test_producer_not_answering (void **state)
{
    (void) state;
    s_producer_t *producer = s_producer_new (0);
    s_producer_append (producer, 150);
    producer->silent = true;

    s_test_t test;
    s_test_start (&test, producer, 0);
    int64_t started = zclock_usecs ();
    assert_true (s_drive (&test, s_requests_at, 2, 6000));
    //  The second request came after the timeout, under a new id.
    assert_true (zclock_usecs () - started >= 1900 * 1000);
    assert_string_not_equal (producer->ids [0], producer->ids [1]);
    assert_int_equal (cf_bus_subscriber_cursor (test.sub), 0);
    assert_false (cf_bus_subscriber_caught_up (test.sub));
    assert_true (cf_bus_subscriber_deadline (test.sub) < INT64_MAX);

    producer->silent = false;
    assert_true (s_drive (&test, s_caught_up, 0, 5000));
    s_assert_delivered (&test, 1, 150);
    s_test_stop (&test);

    //  Not ready yet (UNAVAILABLE): asked again after the retry interval.
    producer->unavailable = 2;
    size_t requests = producer->requests;
    s_test_start (&test, producer, 100);
    started = zclock_usecs ();
    assert_true (s_drive (&test, s_caught_up, 0, 5000));
    assert_true (zclock_usecs () - started >= 900 * 1000);
    assert_int_equal (producer->requests - requests, 3);
    s_assert_delivered (&test, 101, 150);
    s_test_stop (&test);

    //  Junk and a stale reply on the api socket, junk on the events
    //  socket: dropped, nothing delivered twice or from the wrong request.
    s_test_start (&test, producer, 150);
    s_go_live (&test);
    size_t size;
    uint8_t *junk = s_encode_event ("otherstream", 152, "event-x", &size);
    s_producer_append (producer, 5);
    Caseflow__V1__Event *topic =
        caseflow__v1__event__unpack (NULL, producer->sizes [151], producer->encoded [151]);
    assert_non_null (topic);
    cf_bus_publisher_send (producer->publisher, topic, junk, size);
    cf_bus_publisher_send (producer->publisher, topic, "junk", 4);
    cf_bus_publisher_send (producer->publisher, topic, "", 0);
    caseflow__v1__event__free_unpacked (topic, NULL);
    free (junk);
    producer->garbage = true;
    s_producer_publish (producer, 156);
    assert_true (s_drive (&test, s_cursor_at, 156, 5000));
    assert_false (producer->garbage);
    s_assert_delivered (&test, 151, 156);
    s_test_stop (&test);

    //  Nobody at the api endpoint at all: requests cannot even be sent.
    zsock_t *nobody = zsock_new (ZMQ_ROUTER);
    assert_true (zsock_bind (nobody, "tcp://127.0.0.1:*") > 0);
    char *endpoint = zsock_last_endpoint (nobody);
    zsock_destroy (&nobody);
    memset (&test, 0, sizeof test);
    test.producer = producer;
    test.sub = cf_bus_subscriber_new (S_STREAM, cf_bus_publisher_endpoint (producer->publisher),
                                      endpoint, 0, s_deliver, &test);
    assert_non_null (test.sub);
    s_drive (&test, NULL, 0, 300);
    assert_false (cf_bus_subscriber_caught_up (test.sub));
    assert_true (cf_bus_subscriber_deadline (test.sub) < INT64_MAX);
    s_test_stop (&test);
    zstr_free (&endpoint);

    s_producer_destroy (&producer);
}

static void
test_refused_delivery (void **state)
{
    (void) state;
    s_producer_t *producer = s_producer_new (0);
    s_producer_append (producer, 100);
    s_test_t test;
    s_test_start (&test, producer, 0);
    test.refuse_seq = 50;
    assert_true (s_drive (&test, s_refused, 0, 5000));
    //  It stopped at the refused event and is not caught up.
    assert_int_equal (cf_bus_subscriber_cursor (test.sub), 49);
    assert_false (cf_bus_subscriber_caught_up (test.sub));
    assert_true (cf_bus_subscriber_deadline (test.sub) < INT64_MAX);
    assert_true (s_drive (&test, s_caught_up, 0, 5000));
    s_assert_delivered (&test, 1, 100);
    assert_true (test.redelivered_at - test.refused_at >= 400 * 1000);

    //  A refused live event: the same, through replay. (Heartbeats in case
    //  the live copies are lost: the refusal is then met in a batch.)
    test.heartbeats = true;
    test.refuse_seq = 101;
    test.refused_at = 0;
    test.redelivered_at = 0;
    s_producer_append (producer, 10);
    s_producer_publish_range (producer, 101, 110);
    assert_true (s_drive (&test, s_cursor_at, 110, 5000));
    assert_true (test.refused_at != 0);
    assert_true (test.redelivered_at - test.refused_at >= 400 * 1000);
    s_assert_delivered (&test, 1, 110);

    s_test_stop (&test);
    s_producer_destroy (&producer);
}

static bool
s_stopped (s_test_t *test, uint64_t unused)
{
    (void) unused;
    return test->stops > 0;
}

//  CF_BUS_STOP: the follower is done. Nothing more is delivered or asked
//  for (no retry, even with a gap known), until a reset.
static void
test_stop (void **state)
{
    (void) state;
    s_producer_t *producer = s_producer_new (0);
    s_producer_append (producer, 100);
    s_test_t test;
    s_test_start (&test, producer, 0);
    test.stop_seq = 50;
    assert_true (s_drive (&test, s_stopped, 0, 5000));
    assert_int_equal (cf_bus_subscriber_cursor (test.sub), 49);
    assert_int_equal (cf_bus_subscriber_deadline (test.sub), INT64_MAX);
    //  Live events and heartbeats ahead of the cursor change nothing.
    size_t requests = producer->requests;
    test.heartbeats = true;
    s_producer_append (producer, 5);
    s_producer_publish_range (producer, 101, 105);
    s_drive (&test, NULL, 0, 800);
    assert_int_equal (test.stops, 1);
    assert_int_equal (producer->requests, requests);
    assert_int_equal (cf_bus_subscriber_deadline (test.sub), INT64_MAX);
    s_assert_delivered (&test, 1, 49);

    //  A reset follows the stream again.
    test.stop_seq = 0;
    cf_bus_subscriber_reset (test.sub, 49, zclock_usecs ());
    assert_true (s_drive (&test, s_caught_up, 0, 5000));
    s_assert_delivered (&test, 1, 105);

    s_test_stop (&test);
    s_producer_destroy (&producer);
}

static void
test_caught_up (void **state)
{
    (void) state;
    s_producer_t *producer = s_producer_new (0);
    s_test_t test;
    s_test_start (&test, producer, 0);
    //  Not before a replay reply says so, even with nothing to fetch.
    assert_false (cf_bus_subscriber_caught_up (test.sub));
    assert_int_equal (cf_bus_subscriber_head (test.sub), 0);
    s_go_live (&test);
    //  Live events in order keep it caught up.
    s_producer_append (producer, 4);
    s_producer_publish_range (producer, 2, 3);
    assert_true (s_drive (&test, s_cursor_at, 3, 5000));
    assert_true (cf_bus_subscriber_caught_up (test.sub));

    //  A gap clears it until the replay closed it.
    s_producer_publish (producer, 5);
    assert_true (s_drive (&test, s_head_at, 5, 5000));
    assert_int_equal (cf_bus_subscriber_cursor (test.sub), 3);
    assert_false (cf_bus_subscriber_caught_up (test.sub));
    assert_true (s_drive (&test, s_caught_up, 0, 5000));
    assert_int_equal (cf_bus_subscriber_cursor (test.sub), 5);

    //  A heartbeat at our cursor changes nothing; one ahead clears it.
    cf_bus_publisher_heartbeat (producer->publisher, 5, 0);
    s_drive (&test, NULL, 0, 100);
    assert_true (cf_bus_subscriber_caught_up (test.sub));
    s_producer_append (producer, 1);
    cf_bus_publisher_heartbeat (producer->publisher, 6, 0);
    assert_true (s_drive (&test, s_head_at, 6, 5000));
    assert_false (cf_bus_subscriber_caught_up (test.sub));
    assert_true (s_drive (&test, s_caught_up, 0, 5000));
    s_assert_delivered (&test, 1, 6);

    //  Reset (the runtime rolled back): from the given cursor again.
    cf_bus_subscriber_reset (test.sub, 4, zclock_usecs ());
    assert_false (cf_bus_subscriber_caught_up (test.sub));
    assert_int_equal (cf_bus_subscriber_cursor (test.sub), 4);
    assert_int_equal (cf_bus_subscriber_head (test.sub), 6);
    assert_true (s_drive (&test, s_caught_up, 0, 5000));
    assert_int_equal (test.n_delivered, 8);
    assert_int_equal (test.delivered [6], 5);
    assert_int_equal (test.delivered [7], 6);
    assert_int_equal (test.violations, 0);

    s_test_stop (&test);
    cf_bus_subscriber_destroy (&test.sub);
    s_producer_destroy (&producer);
}

//  A heartbeat says the producer batches: the subscriber follows the batch
//  form instead of single events, and the publisher stops sending singles.
static void
test_follows_batches (void **state)
{
    (void) state;
    s_producer_t *producer = s_producer_new (0);
    s_test_t test;
    s_test_start (&test, producer, 0);
    s_go_live (&test);
    test.heartbeats = true;
    //  Events one commit at a time until the publisher sends no singles.
    uint64_t singles = 0, singles_before = 1, batches = 0;
    for (int tries = 0; tries < 300 && singles != singles_before; tries++) {
        cf_bus_publisher_sent (producer->publisher, &singles_before, NULL, NULL);
        s_producer_append (producer, 1);
        s_producer_publish (producer, producer->count);
        assert_true (s_drive (&test, s_cursor_at, producer->count, 5000));
        cf_bus_publisher_sent (producer->publisher, &singles, &batches, NULL);
    }
    assert_int_equal (singles, singles_before);
    //  Then a commit of 200 is one message, delivered in order.
    uint64_t from = producer->count + 1;
    s_producer_append (producer, 200);
    cf_bus_outgoing_t *outgoing = calloc (200, sizeof *outgoing);
    assert_non_null (outgoing);
    for (size_t i = 0; i < 200; i++)
        outgoing [i] =
            (cf_bus_outgoing_t){ CASEFLOW__V1__EVENT__BODY_NOTE_RECORDED,
                                 producer->encoded [from - 1 + i], producer->sizes [from - 1 + i] };
    size_t requests = producer->requests;
    uint64_t batches_before = batches, events_before, events;
    cf_bus_publisher_sent (producer->publisher, NULL, NULL, &events_before);
    assert_int_equal (cf_bus_publisher_send_all (producer->publisher, outgoing, 200), 0);
    assert_true (s_drive (&test, s_cursor_at, producer->count, 5000));
    cf_bus_publisher_sent (producer->publisher, &singles, &batches, &events);
    assert_int_equal (singles, singles_before);
    assert_int_equal (batches - batches_before, 1);
    assert_int_equal (events - events_before, 200);
    //  No replay was needed: the batch brought them.
    assert_int_equal (producer->requests, requests);
    s_assert_delivered (&test, 1, producer->count);
    free (outgoing);
    s_test_stop (&test);
    s_producer_destroy (&producer);
}

//  A replay reply that says the producer publishes batches switches the
//  subscriber at once, before any heartbeat.
static void
test_batches_from_replay (void **state)
{
    (void) state;
    s_producer_t *producer = s_producer_new (0);
    producer->batches = true;
    s_producer_append (producer, 10);
    s_test_t test;
    s_test_start (&test, producer, 0);
    assert_true (s_drive (&test, s_caught_up, 0, 5000));
    //  No heartbeat is sent here: once the subscription has reached the
    //  publisher, events go out in batches, and then no longer singly.
    uint64_t singles = 0, batches = 0;
    for (int tries = 0; tries < 300 && batches == 0; tries++) {
        s_producer_append (producer, 1);
        s_producer_publish (producer, producer->count);
        s_drive (&test, s_cursor_at, producer->count, 20);
        cf_bus_publisher_sent (producer->publisher, NULL, &batches, NULL);
    }
    assert_true (batches > 0);
    s_drive (&test, NULL, 0, 100);
    cf_bus_publisher_sent (producer->publisher, &singles, NULL, NULL);
    s_producer_append (producer, 5);
    s_producer_publish_range (producer, producer->count - 4, producer->count);
    assert_true (s_drive (&test, s_cursor_at, producer->count, 5000));
    uint64_t singles_after;
    cf_bus_publisher_sent (producer->publisher, &singles_after, NULL, NULL);
    assert_int_equal (singles_after, singles);
    assert_true (s_drive (&test, s_caught_up, 0, 5000));
    s_assert_delivered (&test, 1, producer->count);
    s_test_stop (&test);
    s_producer_destroy (&producer);
}

int
main (void)
{
    //  Signals belong to the runtime (libuv), not to czmq.
    zsys_handler_set (NULL);
    cf_log_init ("test_bus", getenv ("CF_TEST_DEBUG") ? CF_LOG_DEBUG : CF_LOG_ERROR);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_publisher),
        cmocka_unit_test (test_live_in_order),
        cmocka_unit_test (test_catch_up),
        cmocka_unit_test (test_gap),
        cmocka_unit_test (test_duplicates),
        cmocka_unit_test (test_heartbeat),
        cmocka_unit_test (test_producer_not_answering),
        cmocka_unit_test (test_silent_producer),
        cmocka_unit_test (test_refused_delivery),
        cmocka_unit_test (test_stop),
        cmocka_unit_test (test_caught_up),
        cmocka_unit_test (test_follows_batches),
        cmocka_unit_test (test_batches_from_replay),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
