//  Unit tests for the batch form of the events socket: the EventBatch
//  encoding (cf_event_batch_put / cf_event_batch_next against protobuf-c's
//  own EventBatch), and a publisher sending each form only to those who
//  subscribed to it, with batches bounded in size.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "caseflow/v1/event.pb-c.h"
#include "cf_bus_publisher.h"
#include "cf_event.h"
#include "cf_log.h"
#include "cf_test.h"

#include <stdlib.h>
#include <string.h>

#define S_STREAM "teststream"

//  An encoded event of S_STREAM with `seq` whose note has `text_size`
//  characters (freshly allocated).
static uint8_t *
s_encode_event (uint64_t seq, size_t text_size, size_t *size_p)
{
    char *text = malloc (text_size + 1);
    assert_non_null (text);
    memset (text, 'n', text_size);
    text [text_size] = 0;
    Caseflow__V1__Testing__NoteRecorded note = CASEFLOW__V1__TESTING__NOTE_RECORDED__INIT;
    note.text = text;
    char id [32];
    snprintf (id, sizeof id, "event-%llu", (unsigned long long) seq);
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.id = id;
    event.stream = S_STREAM;
    event.seq = seq;
    event.schema_version = 1;
    event.body_case = CASEFLOW__V1__EVENT__BODY_NOTE_RECORDED;
    event.note_recorded = &note;
    *size_p = caseflow__v1__event__get_packed_size (&event);
    uint8_t *data = malloc (*size_p);
    assert_non_null (data);
    caseflow__v1__event__pack (&event, data);
    free (text);
    return data;
}

//  Walks `batch` and checks it holds exactly the `count` given encodings.
static void
s_assert_walk (const uint8_t *batch, size_t size, uint8_t **events, size_t *sizes, size_t count)
{
    const uint8_t *cursor = batch;
    const uint8_t *event;
    size_t event_size;
    for (size_t i = 0; i < count; i++) {
        assert_int_equal (cf_event_batch_next (&cursor, batch + size, &event, &event_size), 1);
        assert_int_equal (event_size, sizes [i]);
        assert_memory_equal (event, events [i], sizes [i]);
    }
    assert_int_equal (cf_event_batch_next (&cursor, batch + size, &event, &event_size), 0);
}

static void
test_encoding (void **state)
{
    (void) state;
    //  Sizes on both sides of the one- and two-byte length boundaries, and
    //  one that needs three.
    size_t text_sizes [] = { 0, 90, 200, 300000 };
    uint8_t *events [4];
    size_t sizes [4], total = 0;
    for (size_t i = 0; i < 4; i++) {
        events [i] = s_encode_event (i + 1, text_sizes [i], &sizes [i]);
        total += CF_EVENT_BATCH_OVERHEAD + sizes [i];
    }
    uint8_t *batch = malloc (total);
    assert_non_null (batch);
    size_t size = 0;
    for (size_t i = 0; i < 4; i++)
        size += cf_event_batch_put (batch + size, events [i], sizes [i]);

    //  What cf_event_batch_put writes is an EventBatch to protobuf-c...
    Caseflow__V1__EventBatch *decoded = caseflow__v1__event_batch__unpack (NULL, size, batch);
    assert_non_null (decoded);
    assert_int_equal (decoded->n_events, 4);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal (decoded->events [i]->seq, i + 1);
    //  ... and protobuf-c's EventBatch is walked to the same bytes.
    uint8_t *packed = malloc (caseflow__v1__event_batch__get_packed_size (decoded));
    assert_non_null (packed);
    size_t packed_size = caseflow__v1__event_batch__pack (decoded, packed);
    assert_int_equal (packed_size, size);
    s_assert_walk (packed, packed_size, events, sizes, 4);
    caseflow__v1__event_batch__free_unpacked (decoded, NULL);
    free (packed);
    s_assert_walk (batch, size, events, sizes, 4);

    //  Fields a later version may add, of every wire type, are skipped.
    uint8_t extended [4096];
    size_t at = 0;
    const uint8_t unknown [] = {
        0x10, 0x96, 0x01,                      //  2: varint 150
        0x19, 1,    2,    3,   4, 5, 6, 7, 8,  //  3: 64 bits
        0x22, 0x02, 'a',  'b',                 //  4: length-delimited
        0x2D, 1,    2,    3,   4,              //  5: 32 bits
    };
    memcpy (extended + at, unknown, sizeof unknown);
    at += sizeof unknown;
    at += cf_event_batch_put (extended + at, events [1], sizes [1]);
    memcpy (extended + at, unknown, sizeof unknown);
    at += sizeof unknown;
    at += cf_event_batch_put (extended + at, events [2], sizes [2]);
    s_assert_walk (extended, at, events + 1, sizes + 1, 2);

    //  Malformed from some point on: what comes before still counts.
    const uint8_t *cursor, *event;
    size_t event_size;
    struct {
        const char *what;
        uint8_t bytes [16];
        size_t size;
    } broken [] = {
        { "length past the end", { 0x0A, 100, 1, 2, 3 }, 5 },
        { "length cut short", { 0x0A, 0x80 }, 2 },
        { "group start (wire type 3)", { 0x0B, 0x00 }, 2 },
        { "field number 0", { 0x02, 0x00 }, 2 },
        { "varint of 11 bytes",
          { 0x10, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 },
          12 },
        { "64 bits cut short", { 0x19, 1, 2, 3 }, 4 },
    };
    for (size_t i = 0; i < sizeof broken / sizeof broken [0]; i++) {
        at = cf_event_batch_put (extended, events [1], sizes [1]);
        memcpy (extended + at, broken [i].bytes, broken [i].size);
        at += broken [i].size;
        cursor = extended;
        assert_int_equal (cf_event_batch_next (&cursor, extended + at, &event, &event_size), 1);
        if (cf_event_batch_next (&cursor, extended + at, &event, &event_size) != -1)
            fail_msg ("%s: not refused", broken [i].what);
    }
    //  Nothing at all is an empty batch.
    cursor = extended;
    assert_int_equal (cf_event_batch_next (&cursor, extended, &event, &event_size), 0);

    for (size_t i = 0; i < 4; i++)
        free (events [i]);
    free (batch);
}

//  Receives one message on `sub` into [topic][body]; false on timeout.
static bool
s_recv (zsock_t *sub, char **topic_p, zframe_t **body_p)
{
    zmsg_t *msg = zmsg_recv (sub);
    if (!msg)
        return false;
    assert_int_equal (zmsg_size (msg), 2);
    *topic_p = zmsg_popstr (msg);
    *body_p = zmsg_pop (msg);
    zmsg_destroy (&msg);
    return true;
}

static void
s_sent (cf_bus_publisher_t *publisher, uint64_t counts [3])
{
    cf_bus_publisher_sent (publisher, &counts [0], &counts [1], &counts [2]);
}

static void
test_forms (void **state)
{
    (void) state;
    cf_bus_publisher_t *publisher = cf_bus_publisher_new ("tcp://127.0.0.1:*", S_STREAM, 0);
    assert_non_null (publisher);
    const char *endpoint = cf_bus_publisher_endpoint (publisher);
    zsock_t *batches = zsock_new_sub (endpoint, "$batch." S_STREAM);
    zsock_t *notes = zsock_new_sub (endpoint, S_STREAM ".NoteRecorded");
    assert_non_null (batches);
    assert_non_null (notes);
    zsock_set_rcvtimeo (batches, 50);
    zsock_set_rcvtimeo (notes, 50);

    cf_bus_outgoing_t outgoing [5];
    uint8_t *events [5];
    size_t sizes [5];
    for (size_t i = 0; i < 5; i++) {
        events [i] = s_encode_event (i + 1, 40, &sizes [i]);
        outgoing [i] =
            (cf_bus_outgoing_t){ CASEFLOW__V1__EVENT__BODY_NOTE_RECORDED, events [i], sizes [i] };
    }
    //  Nobody subscribed yet (or the subscriptions are on their way): send
    //  until both subscribers have received something, then drain them.
    bool got_batch = false, got_note = false;
    char *topic;
    zframe_t *body;
    for (int tries = 0; tries < 100 && !(got_batch && got_note); tries++) {
        assert_int_equal (cf_bus_publisher_send_all (publisher, outgoing, 5), 0);
        while (s_recv (batches, &topic, &body)) {
            assert_string_equal (topic, "$batch." S_STREAM);
            got_batch = true;
            zstr_free (&topic);
            zframe_destroy (&body);
        }
        while (s_recv (notes, &topic, &body)) {
            assert_string_equal (topic, S_STREAM ".NoteRecorded");
            got_note = true;
            zstr_free (&topic);
            zframe_destroy (&body);
        }
    }
    assert_true (got_batch && got_note);

    //  One commit: five singles to the one, one batch of five to the other.
    uint64_t before [3], after [3];
    s_sent (publisher, before);
    assert_int_equal (cf_bus_publisher_send_all (publisher, outgoing, 5), 0);
    s_sent (publisher, after);
    assert_int_equal (after [0] - before [0], 5);
    assert_int_equal (after [1] - before [1], 1);
    assert_int_equal (after [2] - before [2], 5);
    zsock_set_rcvtimeo (batches, 2000);
    zsock_set_rcvtimeo (notes, 2000);
    assert_true (s_recv (batches, &topic, &body));
    s_assert_walk (zframe_data (body), zframe_size (body), events, sizes, 5);
    zstr_free (&topic);
    zframe_destroy (&body);
    for (size_t i = 0; i < 5; i++) {
        assert_true (s_recv (notes, &topic, &body));
        assert_int_equal (zframe_size (body), sizes [i]);
        assert_memory_equal (zframe_data (body), events [i], sizes [i]);
        zstr_free (&topic);
        zframe_destroy (&body);
    }

    //  The single subscriber leaves: its unsubscription reaches the
    //  publisher, which stops sending singles, and batches go on.
    zsock_destroy (&notes);
    bool singles_stopped = false;
    for (int tries = 0; tries < 200 && !singles_stopped; tries++) {
        s_sent (publisher, before);
        assert_int_equal (cf_bus_publisher_send_all (publisher, outgoing, 5), 0);
        s_sent (publisher, after);
        singles_stopped = after [0] == before [0] && after [1] == before [1] + 1;
        zclock_sleep (10);
    }
    assert_true (singles_stopped);

    //  Big events: a batch stays within CF_EVENT_MAX_SIZE, so 3 events of
    //  400 KB make two messages.
    uint8_t *big [3];
    size_t big_sizes [3];
    for (size_t i = 0; i < 3; i++) {
        big [i] = s_encode_event (6 + i, 400 * 1000, &big_sizes [i]);
        outgoing [i] =
            (cf_bus_outgoing_t){ CASEFLOW__V1__EVENT__BODY_NOTE_RECORDED, big [i], big_sizes [i] };
    }
    while (s_recv (batches, &topic, &body)) {
        zstr_free (&topic);
        zframe_destroy (&body);
        zsock_set_rcvtimeo (batches, 100);
    }
    s_sent (publisher, before);
    assert_int_equal (cf_bus_publisher_send_all (publisher, outgoing, 3), 0);
    s_sent (publisher, after);
    assert_int_equal (after [1] - before [1], 2);
    assert_int_equal (after [2] - before [2], 3);
    zsock_set_rcvtimeo (batches, 2000);
    assert_true (s_recv (batches, &topic, &body));
    assert_true (zframe_size (body) <= CF_EVENT_MAX_SIZE);
    s_assert_walk (zframe_data (body), zframe_size (body), big, big_sizes, 2);
    zstr_free (&topic);
    zframe_destroy (&body);
    assert_true (s_recv (batches, &topic, &body));
    s_assert_walk (zframe_data (body), zframe_size (body), big + 2, big_sizes + 2, 1);
    zstr_free (&topic);
    zframe_destroy (&body);

    for (size_t i = 0; i < 3; i++)
        free (big [i]);
    for (size_t i = 0; i < 5; i++)
        free (events [i]);
    zsock_destroy (&batches);
    cf_bus_publisher_destroy (&publisher);
}

//  A heartbeat says the publisher batches; with no subscriber at all
//  nothing is sent in either form.
static void
test_heartbeat_and_nobody (void **state)
{
    (void) state;
    cf_bus_publisher_t *publisher = cf_bus_publisher_new ("tcp://127.0.0.1:*", S_STREAM, 0);
    assert_non_null (publisher);
    zsock_t *sub = zsock_new_sub (cf_bus_publisher_endpoint (publisher), S_STREAM ".$heartbeat");
    assert_non_null (sub);
    zsock_set_rcvtimeo (sub, 50);
    char *topic = NULL;
    zframe_t *body = NULL;
    for (int tries = 0; tries < 100 && !topic; tries++) {
        assert_int_equal (cf_bus_publisher_heartbeat (publisher, 3, 99), 0);
        s_recv (sub, &topic, &body);
    }
    assert_non_null (topic);
    assert_string_equal (topic, S_STREAM ".$heartbeat");
    Caseflow__V1__Heartbeat *heartbeat =
        caseflow__v1__heartbeat__unpack (NULL, zframe_size (body), zframe_data (body));
    assert_non_null (heartbeat);
    assert_true (heartbeat->batches);
    assert_int_equal (heartbeat->last_seq, 3);
    caseflow__v1__heartbeat__free_unpacked (heartbeat, NULL);
    zstr_free (&topic);
    zframe_destroy (&body);

    //  The heartbeat subscriber wants neither events nor batches.
    size_t size;
    uint8_t *event = s_encode_event (1, 10, &size);
    cf_bus_outgoing_t outgoing = { CASEFLOW__V1__EVENT__BODY_NOTE_RECORDED, event, size };
    uint64_t counts [3];
    assert_int_equal (cf_bus_publisher_send_all (publisher, &outgoing, 1), 0);
    s_sent (publisher, counts);
    assert_int_equal (counts [0] + counts [1] + counts [2], 0);
    free (event);
    zsock_destroy (&sub);
    cf_bus_publisher_destroy (&publisher);
}

//  A subscriber that asks for a great many topics: past what the publisher
//  tracks it sends every event in both forms (libzmq's filter sorts them
//  out); when the topics are dropped again, nothing.
static void
test_many_topics (void **state)
{
    (void) state;
    cf_bus_publisher_t *publisher = cf_bus_publisher_new ("tcp://127.0.0.1:*", S_STREAM, 0);
    assert_non_null (publisher);
    zsock_t *sub = zsock_new_sub (cf_bus_publisher_endpoint (publisher), NULL);
    assert_non_null (sub);
    char topic [32];
    for (int i = 0; i < 300; i++) {
        snprintf (topic, sizeof topic, "elsewhere.%d", i);
        zsock_set_subscribe (sub, topic);
    }
    size_t size;
    uint8_t *event = s_encode_event (1, 10, &size);
    cf_bus_outgoing_t outgoing = { CASEFLOW__V1__EVENT__BODY_NOTE_RECORDED, event, size };
    uint64_t counts [3] = { 0 };
    for (int tries = 0; tries < 200 && counts [0] == 0; tries++) {
        assert_int_equal (cf_bus_publisher_send_all (publisher, &outgoing, 1), 0);
        s_sent (publisher, counts);
        zclock_sleep (10);
    }
    assert_true (counts [0] > 0 && counts [1] > 0);
    for (int i = 0; i < 300; i++) {
        snprintf (topic, sizeof topic, "elsewhere.%d", i);
        zsock_set_unsubscribe (sub, topic);
    }
    bool quiet = false;
    for (int tries = 0; tries < 200 && !quiet; tries++) {
        uint64_t before [3], after [3];
        s_sent (publisher, before);
        assert_int_equal (cf_bus_publisher_send_all (publisher, &outgoing, 1), 0);
        s_sent (publisher, after);
        quiet = after [0] == before [0] && after [1] == before [1];
        zclock_sleep (10);
    }
    assert_true (quiet);
    free (event);
    zsock_destroy (&sub);
    cf_bus_publisher_destroy (&publisher);
}

int
main (void)
{
    zsys_handler_set (NULL);
    cf_log_init ("test_bus_batch", getenv ("CF_TEST_DEBUG") ? CF_LOG_DEBUG : CF_LOG_ERROR);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_encoding),
        cmocka_unit_test (test_forms),
        cmocka_unit_test (test_heartbeat_and_nobody),
        cmocka_unit_test (test_many_topics),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
