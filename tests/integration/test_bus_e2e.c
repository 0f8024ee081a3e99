//  test_bus_e2e: one stream followed by others, exactly once, in order,
//  across restarts and kills on both sides.
//
//  A producer test service (stream "alpha", PUB high-water mark 10 so live
//  delivery drops most events) and two consumers of the same program:
//  "beta" applies alpha's events, "gamma" also reacts to each one with an
//  UpstreamObserved event of its own (--observe). The consumers are
//  stopped and restarted (SIGTERM and SIGKILL, in turn) while the producer
//  goes on writing; the test service counts every upstream event that
//  arrives out of order or twice, and the runtime must keep that at zero.
//  Then the producer restarts (its seqs continue from its journal), and
//  stale copies of old events are published on its endpoint meanwhile:
//  the consumers drop them as duplicates.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_event.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testproc.h"

#include <arpa/inet.h>
#include <czmq.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define READY_TIMEOUT_MS    30000
#define STOP_TIMEOUT_MS     15000
#define CATCH_UP_TIMEOUT_MS 60000
#define GENERATE_COMMANDS   100
#define GENERATE_COUNT      1000
#define NOTE_SIZE           16
#define TOTAL               (GENERATE_COMMANDS * GENERATE_COUNT)

typedef enum { PRODUCER, CONSUMER, OBSERVER, PROCS } role_t;

static const char *s_names [PROCS] = { "alpha", "beta", "gamma" };

typedef struct {
    char *tmp;
    cf_testproc_t proc [PROCS];
    cf_api_client_t *client [PROCS];
    bool started [PROCS];
    char events_flag [128];  //  --alpha-events=<producer's PUB>
    char api_flag [128];     //  --alpha-api=<producer's ROUTER>
    bool passed;
} fixture_t;

static int
s_setup (void **state)
{
    fixture_t *fx = calloc (1, sizeof *fx);
    assert_non_null (fx);
    fx->tmp = cf_test_tmpdir ("bus-e2e");
    for (int role = 0; role < PROCS; role++) {
        char data_dir [512];
        snprintf (data_dir, sizeof data_dir, "%s/%s", fx->tmp, s_names [role]);
        cf_testproc_init (&fx->proc [role], cf_test_binary ("caseflow-testsvc"), data_dir);
        cf_testproc_setenv (&fx->proc [role], "CASEFLOW_TESTSVC_STREAM", s_names [role]);
        if (role != PRODUCER)
            cf_testproc_setenv (&fx->proc [role], "CASEFLOW_TESTSVC_UPSTREAM", "alpha");
    }
    snprintf (fx->events_flag, sizeof fx->events_flag, "--alpha-events=%s",
              fx->proc [PRODUCER].events);
    snprintf (fx->api_flag, sizeof fx->api_flag, "--alpha-api=%s", fx->proc [PRODUCER].api);
    *state = fx;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *fx = *state;
    for (int role = 0; role < PROCS; role++) {
        cf_api_client_destroy (&fx->client [role]);
        if (fx->proc [role].pid > 0)
            cf_testproc_stop (&fx->proc [role], SIGKILL, STOP_TIMEOUT_MS);
        if (!fx->passed)
            cf_test_dump_log (fx->proc [role].log_path);
        cf_testproc_destroy (&fx->proc [role]);
    }
    //  CF_TEST_KEEP=1 keeps the data directories and logs to look at.
    if (getenv ("CF_TEST_KEEP"))
        fprintf (stderr, "kept %s\n", fx->tmp);
    else
        cf_test_rmtree (fx->tmp);
    free (fx->tmp);
    free (fx);
    return 0;
}

//  Starts a process. A consumer is not waited for (it may have a lot to
//  catch up on); it only has to answer on its api, so that its signal
//  handling is in place before the test signals it.
static void
s_start (fixture_t *fx, role_t role)
{
    cf_testproc_t *proc = &fx->proc [role];
    const char *producer_flags [] = { "--pub-hwm=10", NULL };
    const char *consumer_flags [] = { fx->events_flag, fx->api_flag, NULL };
    const char *observer_flags [] = { fx->events_flag, fx->api_flag, "--observe", NULL };
    const char *const *flags = role == PRODUCER   ? producer_flags
                               : role == CONSUMER ? consumer_flags
                                                  : observer_flags;
    if (role == PRODUCER || !fx->started [role]) {
        //  First starts (and the producer) wait for /readyz: a process that
        //  lost its port to another program is started again on fresh ones.
        if (!cf_testclient_start (proc, flags, !fx->started [role], READY_TIMEOUT_MS))
            fail_msg ("%s did not become ready (log: %s)", s_names [role], proc->log_path);
    } else
        assert_int_equal (cf_testproc_start (proc, flags), 0);
    fx->started [role] = true;
    if (!fx->client [role])
        fx->client [role] = cf_testclient_new (proc->api);
    Caseflow__V1__Reply *reply = cf_testclient_status (fx->client [role]);
    assert_string_equal (reply->query->status->service, s_names [role]);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    if (role == PRODUCER) {
        snprintf (fx->events_flag, sizeof fx->events_flag, "--alpha-events=%s", proc->events);
        snprintf (fx->api_flag, sizeof fx->api_flag, "--alpha-api=%s", proc->api);
    }
}

static void
s_stop (fixture_t *fx, role_t role, int signum)
{
    int status = cf_testproc_stop (&fx->proc [role], signum, STOP_TIMEOUT_MS);
    if (status != (signum == SIGKILL ? 128 + SIGKILL : 0))
        fail_msg ("%s stopped with %d by signal %d", s_names [role], status, signum);
}

//  Waits until the consumer has applied the producer's stream up to
//  `total`, each event once and in order, and says it is ready.
static void
s_wait_caught_up (fixture_t *fx, role_t role, uint64_t total)
{
    Caseflow__V1__Testing__Summary summary = CASEFLOW__V1__TESTING__SUMMARY__INIT;
    int64_t deadline = cf_test_now_ms () + CATCH_UP_TIMEOUT_MS;
    while (true) {
        int rc = cf_testclient_summary (fx->client [role], &summary);
        if (rc == 0 && summary.upstream_violations != 0)
            fail_msg ("%s: %llu upstream events out of order or twice", s_names [role],
                      (unsigned long long) summary.upstream_violations);
        if (rc == 0 && summary.upstream_events == total && summary.upstream_last_seq == total
            && cf_test_http_get (fx->proc [role].http_port, "/readyz", NULL) == 200)
            break;
        if (cf_test_now_ms () > deadline)
            fail_msg ("%s: not caught up in %d ms: %llu events applied, last seq %llu of %llu",
                      s_names [role], CATCH_UP_TIMEOUT_MS,
                      (unsigned long long) summary.upstream_events,
                      (unsigned long long) summary.upstream_last_seq, (unsigned long long) total);
        cf_test_sleep_ms (100);
    }
    assert_int_equal (summary.upstream_violations, 0);
    if (role == OBSERVER)
        assert_int_equal (summary.own_events, total);
    else
        assert_int_equal (summary.own_events, 0);

    Caseflow__V1__Reply *reply = cf_testclient_status (fx->client [role]);
    Caseflow__V1__ServiceStatus *status = reply->query->status;
    assert_int_equal (status->n_upstreams, 1);
    assert_string_equal (status->upstreams [0]->stream, "alpha");
    assert_int_equal (status->upstreams [0]->cursor, total);
    assert_int_equal (status->upstreams [0]->lag, 0);
    assert_true (status->upstreams [0]->caught_up);
    assert_true (status->ready);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  The lag gauge is refreshed every second.
    bool zero = false;
    for (int waited = 0; !zero && waited < 5000; waited += 100) {
        char *metrics = NULL;
        if (cf_test_http_get (fx->proc [role].http_port, "/metrics", &metrics) == 200 && metrics) {
            const char *line = strstr (metrics, "caseflow_upstream_lag{");
            assert_non_null (line);
            assert_non_null (strstr (line, "stream=\"alpha\""));
            zero = atof (strchr (line, '}') + 1) == 0;
        }
        free (metrics);
        if (!zero)
            cf_test_sleep_ms (100);
    }
    if (!zero)
        fail_msg ("%s: /metrics upstream_lag not 0", s_names [role]);
}

//  The observer's own stream: UpstreamObserved for alpha 1, 2, ... total,
//  one each, in order.
static void
s_check_observations (fixture_t *fx, uint64_t total)
{
    uint64_t next = 1;
    while (next <= total) {
        cf_testreq_t req;
        cf_testreq_replay (&req, "gamma", next, 0, 0);
        Caseflow__V1__Reply *reply = cf_testclient_call (fx->client [OBSERVER], &req);
        cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
        Caseflow__V1__ReplayBatch *batch = reply->replay;
        assert_int_equal (batch->last_seq, total);
        assert_true (batch->n_events > 0);
        for (size_t i = 0; i < batch->n_events; i++) {
            Caseflow__V1__Event *event = batch->events [i];
            assert_int_equal (event->seq, next);
            assert_int_equal (event->body_case, CASEFLOW__V1__EVENT__BODY_UPSTREAM_OBSERVED);
            assert_string_equal (event->upstream_observed->stream, "alpha");
            if (event->upstream_observed->seq != next)
                fail_msg ("gamma seq %llu observed alpha seq %llu", (unsigned long long) next,
                          (unsigned long long) event->upstream_observed->seq);
            next++;
        }
        caseflow__v1__reply__free_unpacked (reply, NULL);
    }
}

//  True when a listening socket can bind 127.0.0.1:port (as libzmq does,
//  with SO_REUSEADDR).
static bool
s_port_free (int port)
{
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    assert_true (fd >= 0);
    int on = 1;
    setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) port) };
    addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    bool free_ = bind (fd, (struct sockaddr *) &addr, sizeof addr) == 0;
    close (fd);
    return free_;
}

//  Things no producer should send, on alpha's topics: each is dropped.
static void
s_publish_junk (zsock_t *pub, const Caseflow__V1__Event *model)
{
    void *handle = zsock_resolve (pub);
    uint8_t data [512];
    //  Not protobuf at all.
    zmq_send (handle, "alpha.NoteRecorded", 18, ZMQ_SNDMORE);
    zmq_send (handle, "\xff\xff\xff\xff junk", 9, 0);
    //  Three frames.
    zmq_send (handle, "alpha.NoteRecorded", 18, ZMQ_SNDMORE);
    zmq_send (handle, "a", 1, ZMQ_SNDMORE);
    zmq_send (handle, "b", 1, 0);
    //  A valid event of another stream, one with no seq, one with no body,
    //  each ahead of the stream, where a real one would be applied.
    Caseflow__V1__Event event = *model;
    event.seq = 100000000;
    event.stream = "beta";
    size_t size = caseflow__v1__event__pack (&event, data);
    zmq_send (handle, "alpha.NoteRecorded", 18, ZMQ_SNDMORE);
    zmq_send (handle, data, size, 0);
    event.stream = "alpha";
    event.seq = 0;
    size = caseflow__v1__event__pack (&event, data);
    zmq_send (handle, "alpha.NoteRecorded", 18, ZMQ_SNDMORE);
    zmq_send (handle, data, size, 0);
    event.seq = 100000000;
    event.body_case = CASEFLOW__V1__EVENT__BODY__NOT_SET;
    size = caseflow__v1__event__pack (&event, data);
    zmq_send (handle, "alpha.NoteRecorded", 18, ZMQ_SNDMORE);
    zmq_send (handle, data, size, 0);
    //  A heartbeat of another stream.
    Caseflow__V1__Heartbeat heartbeat = CASEFLOW__V1__HEARTBEAT__INIT;
    heartbeat.stream = "beta";
    heartbeat.last_seq = 100000000;
    size = caseflow__v1__heartbeat__pack (&heartbeat, data);
    zmq_send (handle, "alpha.$heartbeat", 16, ZMQ_SNDMORE);
    zmq_send (handle, data, size, 0);
}

//  While the producer is down, something else on its events endpoint
//  publishes stale copies of events the consumers already applied (and a
//  heartbeat that tells nothing new), for a while, so the consumers'
//  reconnecting SUB sockets get them.
static void
s_publish_duplicates (fixture_t *fx, uint64_t from_seq, uint32_t count)
{
    cf_testreq_t req;
    cf_testreq_replay (&req, "alpha", from_seq, count, 0);
    Caseflow__V1__Reply *reply = cf_testclient_call (fx->client [PRODUCER], &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    Caseflow__V1__ReplayBatch *batch = reply->replay;
    assert_int_equal (batch->n_events, count);
    uint64_t last_seq = batch->last_seq;

    s_stop (fx, PRODUCER, SIGTERM);
    zsock_t *pub = zsock_new (ZMQ_PUB);
    assert_non_null (pub);
    zsock_set_sndhwm (pub, 100000);
    zsock_set_linger (pub, 0);
    //  Watch both consumers' SUB sockets reconnect, so the copies are known
    //  to reach them rather than hoped to.
    assert_int_equal (
        zmq_socket_monitor (zsock_resolve (pub), "inproc://duplicates-monitor", ZMQ_EVENT_ACCEPTED),
        0);
    zsock_t *monitor = zsock_new (ZMQ_PAIR);
    assert_non_null (monitor);
    assert_int_equal (zsock_connect (monitor, "inproc://duplicates-monitor"), 0);
    if (zsock_bind (pub, "%s", fx->proc [PRODUCER].events) == -1)
        fail_msg ("bind %s: %s", fx->proc [PRODUCER].events, zmq_strerror (zmq_errno ()));
    int accepted = 0;
    zsock_set_rcvtimeo (monitor, 10000);
    while (accepted < 2) {
        zmsg_t *event = zmsg_recv (monitor);
        if (!event)
            fail_msg ("only %d of 2 consumers connected to the stand-in publisher", accepted);
        accepted++;
        zmsg_destroy (&event);
    }
    //  Their subscriptions follow the connection.
    cf_test_sleep_ms (300);
    Caseflow__V1__Heartbeat heartbeat = CASEFLOW__V1__HEARTBEAT__INIT;
    heartbeat.stream = "alpha";
    heartbeat.last_seq = last_seq;
    uint8_t beat [256];
    size_t beat_size = caseflow__v1__heartbeat__pack (&heartbeat, beat);
    //  The copies go out in both forms: the consumers follow batches at
    //  first, and single events after this heartbeat (which, like an older
    //  producer's, does not say `batches`).
    uint8_t *copies = malloc (batch->n_events * (512 + CF_EVENT_BATCH_OVERHEAD));
    assert_non_null (copies);
    for (int round = 0; round < 15; round++) {
        size_t copies_size = 0;
        for (size_t i = 0; i < batch->n_events; i++) {
            uint8_t data [512];
            assert_true (caseflow__v1__event__get_packed_size (batch->events [i]) <= sizeof data);
            size_t size = caseflow__v1__event__pack (batch->events [i], data);
            zmq_send (zsock_resolve (pub), "alpha.NoteRecorded", 18, ZMQ_SNDMORE);
            zmq_send (zsock_resolve (pub), data, size, 0);
            copies_size += cf_event_batch_put (copies + copies_size, data, size);
        }
        zmq_send (zsock_resolve (pub), "$batch.alpha", 12, ZMQ_SNDMORE);
        zmq_send (zsock_resolve (pub), copies, copies_size, 0);
        zmq_send (zsock_resolve (pub), "alpha.$heartbeat", 16, ZMQ_SNDMORE);
        zmq_send (zsock_resolve (pub), beat, beat_size, 0);
        s_publish_junk (pub, batch->events [0]);
        cf_test_sleep_ms (100);
    }
    free (copies);
    zmq_socket_monitor (zsock_resolve (pub), NULL, 0);
    zsock_destroy (&monitor);
    zsock_destroy (&pub);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    //  libzmq closes the listener in the background: make sure the port is
    //  free before the producer binds it again.
    int port = atoi (strrchr (fx->proc [PRODUCER].events, ':') + 1);
    for (int waited = 0; !s_port_free (port); waited += 10) {
        if (waited > 5000)
            fail_msg ("port %d still taken after the stand-in publisher closed", port);
        cf_test_sleep_ms (10);
    }
}

static void
test_exactly_once_across_restarts (void **state)
{
    fixture_t *fx = *state;
    int64_t started = cf_test_now_ms ();
    s_start (fx, PRODUCER);
    s_start (fx, CONSUMER);
    s_start (fx, OBSERVER);

    //  Which generate step stops (signal) or starts the consumers; the
    //  observer gets the other signal each time. Some stops come right after
    //  a start, while a catch-up is under way.
    struct {
        int step;
        int signum;  //  0: start
    } plan [] = {
        { 10, SIGTERM }, { 20, 0 }, { 22, SIGKILL }, { 40, 0 },
        { 60, SIGTERM }, { 61, 0 }, { 75, SIGKILL }, { 90, 0 },
    };
    size_t next_action = 0;
    int terms = 0, kills = 0;
    for (int step = 0; step < GENERATE_COMMANDS; step++) {
        while (next_action < sizeof plan / sizeof plan [0] && plan [next_action].step == step) {
            int signum = plan [next_action].signum;
            if (signum == 0) {
                s_start (fx, CONSUMER);
                s_start (fx, OBSERVER);
            } else {
                s_stop (fx, CONSUMER, signum);
                s_stop (fx, OBSERVER, signum == SIGTERM ? SIGKILL : SIGTERM);
                terms += signum == SIGTERM;
                kills += signum == SIGKILL;
            }
            next_action++;
        }
        char id [32];
        snprintf (id, sizeof id, "generate-%d", step);
        uint64_t last_seq =
            cf_testclient_generate (fx->client [PRODUCER], id, GENERATE_COUNT, NOTE_SIZE);
        assert_int_equal (last_seq, (uint64_t) (step + 1) * GENERATE_COUNT);
    }
    assert_true (terms >= 2 && kills >= 2);
    int64_t generated = cf_test_now_ms ();

    s_wait_caught_up (fx, CONSUMER, TOTAL);
    s_wait_caught_up (fx, OBSERVER, TOTAL);
    s_check_observations (fx, TOTAL);
    int64_t caught_up = cf_test_now_ms ();

    //  Duplicates while the producer is away, then the producer back on its
    //  journal: its seqs go on from TOTAL, and the consumers follow.
    s_publish_duplicates (fx, TOTAL - 999, 1000);
    s_start (fx, PRODUCER);
    for (int step = 0; step < 5; step++) {
        char id [32];
        snprintf (id, sizeof id, "generate-more-%d", step);
        uint64_t last_seq =
            cf_testclient_generate (fx->client [PRODUCER], id, GENERATE_COUNT, NOTE_SIZE);
        assert_int_equal (last_seq, TOTAL + (uint64_t) (step + 1) * GENERATE_COUNT);
    }
    //  At the producer's first heartbeat the consumers follow it in
    //  batches again: a generate step (one commit) is then one message.
    uint64_t total = TOTAL + 5 * GENERATE_COUNT;
    double batches = 0;
    for (int step = 0; step < 50 && batches == 0; step++) {
        char id [32];
        snprintf (id, sizeof id, "generate-batched-%d", step);
        total = cf_testclient_generate (fx->client [PRODUCER], id, GENERATE_COUNT, NOTE_SIZE);
        cf_test_sleep_ms (100);
        char *metrics = NULL;
        if (cf_test_http_get (fx->proc [PRODUCER].http_port, "/metrics", &metrics) == 200) {
            const char *line = strstr (metrics, "caseflow_bus_messages_sent_total{");
            line = line ? strstr (line, "form=\"batch\"}") : NULL;
            batches = line ? atof (strchr (line, '}') + 1) : 0;
        }
        free (metrics);
    }
    assert_true (batches >= 1);
    s_wait_caught_up (fx, CONSUMER, total);
    s_wait_caught_up (fx, OBSERVER, total);
    s_check_observations (fx, total);

    //  Everything stops cleanly.
    s_stop (fx, CONSUMER, SIGTERM);
    s_stop (fx, OBSERVER, SIGTERM);
    s_stop (fx, PRODUCER, SIGTERM);
    fprintf (stderr,
             "generated %d events in %.1f s (with restarts), caught up %.1f s later, "
             "%.1f s in all\n",
             TOTAL, (double) (generated - started) / 1000, (double) (caught_up - generated) / 1000,
             (double) (cf_test_now_ms () - started) / 1000);
    fx->passed = true;
}

static void
test_upstream_late_and_large (void **state)
{
    fixture_t *fx = *state;
    //  The consumer comes first: with its upstream away it serves its api
    //  but is not ready.
    const char *flags [] = { fx->events_flag, fx->api_flag, NULL };
    assert_int_equal (cf_testproc_start (&fx->proc [CONSUMER], flags), 0);
    fx->started [CONSUMER] = true;
    fx->client [CONSUMER] = cf_testclient_new (fx->proc [CONSUMER].api);
    Caseflow__V1__Reply *reply = cf_testclient_status (fx->client [CONSUMER]);
    assert_false (reply->query->status->ready);
    assert_false (reply->query->status->upstreams [0]->caught_up);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_test_sleep_ms (500);
    assert_int_equal (cf_test_http_get (fx->proc [CONSUMER].http_port, "/readyz", NULL), 503);

    //  Then the producer, with events near the size limit of a note, so
    //  replay batches are bounded by bytes (4 MiB), not by count.
    fx->started [PRODUCER] = true;  //  the consumer has its ports: keep them
    s_start (fx, PRODUCER);
    for (int step = 0; step < 3; step++) {
        char id [32];
        snprintf (id, sizeof id, "large-%d", step);
        cf_testclient_generate (fx->client [PRODUCER], id, 1000, 4096);
    }
    s_wait_caught_up (fx, CONSUMER, 3000);
    s_stop (fx, CONSUMER, SIGKILL);
    cf_testclient_generate (fx->client [PRODUCER], "large-3", 1000, 4096);
    s_start (fx, CONSUMER);
    s_wait_caught_up (fx, CONSUMER, 4000);
    s_stop (fx, CONSUMER, SIGTERM);
    s_stop (fx, PRODUCER, SIGTERM);
    fx->passed = true;
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_exactly_once_across_restarts, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_upstream_late_and_large, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
