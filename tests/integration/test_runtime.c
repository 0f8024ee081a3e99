//  test_runtime: the service runtime (common/cf_service.c) end to end.
//
//  Each test starts the real test service (caseflow-testsvc) on free
//  loopback ports with a fresh data directory, speaks protobuf to it over
//  ZeroMQ, signals and kills it, and restarts it on the same store. The
//  fixture (setup/teardown) owns the process, so it is stopped even when an
//  assertion fails; a failed test prints the end of the service's log.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testfixture.h"
#include "cf_testproc.h"

#include <czmq.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

//  --clock-start=2022-01-03: midnight in the services' time zone
//  (Europe/Amsterdam, cf_time_init), 2022-01-02T23:00:00Z, in microseconds.
#define JAN_3_2022 (INT64_C (1641164400) * 1000000)
#define HOUR_US    (INT64_C (3600) * 1000000)
#define DAY_US     (24 * HOUR_US)

typedef cf_testfixture_t fixture_t;

static int
s_setup (void **state)
{
    *state = cf_testfixture_new ("runtime", "caseflow-testsvc");
    return 0;
}

//  Starts (or restarts) the service with the fixture's flags and waits
//  until it is ready.
static void
s_start (fixture_t *fx)
{
    cf_testfixture_start (fx);
    //  One call through the client's retries first, so its connection to
    //  the new process is up before a test sends raw bytes (no retries).
    Caseflow__V1__Reply *reply = cf_testclient_status (fx->client);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

//  Stops the service with `signum`; SIGTERM must end in exit code 0.
static void
s_stop (fixture_t *fx, int signum)
{
    cf_testfixture_stop (fx, signum);
}

//  Sends raw bytes and decodes the one-frame answer as a Reply (asserted).
static Caseflow__V1__Reply *
s_call_raw (cf_api_client_t *client, const void *data, size_t size)
{
    size_t answer_size = 0;
    void *answer = cf_api_client_call_raw (client, data, size, &answer_size);
    if (!answer)
        fail_msg ("no answer to a raw request of %zu bytes", size);
    Caseflow__V1__Reply *reply = caseflow__v1__reply__unpack (NULL, answer_size, answer);
    free (answer);
    assert_non_null (reply);
    return reply;
}

//  Sends `req` encoded as it is (without the client filling an id) and
//  returns the decoded reply.
static Caseflow__V1__Reply *
s_call_req_raw (cf_api_client_t *client, cf_testreq_t *req)
{
    size_t size = 0;
    void *data = cf_testreq_encode (req, &size);
    Caseflow__V1__Reply *reply = s_call_raw (client, data, size);
    free (data);
    return reply;
}

//  A DEALER of our own, for envelopes the client never sends.
static zsock_t *
s_dealer (const char *endpoint)
{
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    assert_non_null (dealer);
    zsock_set_linger (dealer, 0);
    zsock_set_rcvtimeo (dealer, 0);
    assert_int_equal (zsock_connect (dealer, "%s", endpoint), 0);
    return dealer;
}

//  Waits up to `timeout_ms` for a message on `sock`; NULL if none came.
static zmsg_t *
s_recv (zsock_t *sock, int timeout_ms)
{
    zmq_pollitem_t items [] = { { zsock_resolve (sock), 0, ZMQ_POLLIN, 0 } };
    int64_t deadline = cf_test_now_ms () + timeout_ms;
    while (true) {
        if (zsock_events (sock) & ZMQ_POLLIN)
            return zmsg_recv (sock);
        int64_t left = deadline - cf_test_now_ms ();
        if (left <= 0)
            return NULL;
        zmq_poll (items, 1, (long) left);
    }
}

//  The service still acts on a normal command (counter "alive" goes up).
static void
s_assert_serving (fixture_t *fx, int64_t *alive)
{
    *alive += 1;
    assert_int_equal (cf_testclient_increment (fx->client, NULL, "alive", 1), *alive);
}

//  ----------------------------------------------------------------- tests

static void
test_commands_and_queries (void **state)
{
    fixture_t *fx = *state;
    s_start (fx);

    cf_testreq_t req;
    cf_testreq_increment (&req, "inc-apples-1", "apples", 3);
    Caseflow__V1__Reply *reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    assert_string_equal (reply->request_id, "inc-apples-1");
    assert_int_equal (reply->result_case, CASEFLOW__V1__REPLY__RESULT_COMMAND);
    assert_int_equal (reply->command->last_seq, 1);
    assert_int_equal (reply->command->body_case, CASEFLOW__V1__COMMAND_RESULT__BODY_COUNTER);
    assert_string_equal (reply->command->counter->counter, "apples");
    assert_int_equal (reply->command->counter->value, 3);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    assert_int_equal (cf_testclient_increment (fx->client, NULL, "apples", 4), 7);
    assert_int_equal (cf_testclient_increment (fx->client, NULL, "pears", -2), -2);
    assert_int_equal (cf_testclient_counter (fx->client, "apples"), 7);
    assert_int_equal (cf_testclient_counter (fx->client, "pears"), -2);
    assert_int_equal (cf_testclient_counter (fx->client, "never-moved"), 0);

    //  A refused command changes nothing and produces no event.
    cf_testreq_increment (&req, NULL, "apples", 0);
    reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 "command.increment.amount");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    assert_int_equal (cf_testclient_counter (fx->client, "apples"), 7);

    reply = cf_testclient_status (fx->client);
    Caseflow__V1__ServiceStatus *status = reply->query->status;
    assert_string_equal (status->service, "testsvc");
    assert_true (status->ready);
    assert_int_equal (status->last_seq, 3);
    assert_int_equal (status->journal_events, 3);
    assert_true (status->journal_bytes > 0);
    assert_int_equal (status->n_upstreams, 0);
    assert_false (status->store_full);
    assert_non_null (status->clock);
    assert_string_equal (status->clock->mode, "system");
    caseflow__v1__reply__free_unpacked (reply, NULL);

    char sha [65], again [65];
    assert_int_equal (cf_testclient_digest (fx->client, sha), 3);
    assert_int_equal (cf_testclient_digest (fx->client, again), 3);
    assert_string_equal (sha, again);
    for (size_t i = 0; i < 64; i++)
        assert_non_null (strchr ("0123456789abcdef", sha [i]));
    cf_testclient_increment (fx->client, NULL, "apples", 1);
    assert_int_equal (cf_testclient_digest (fx->client, again), 4);
    assert_string_not_equal (sha, again);

    //  An unknown query of this service version is refused by the decoder.
    cf_testreq_status (&req);
    req.query.body_case = 77;
    reply = s_call_req_raw (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "query");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    fx->passed = true;
}

static void
test_idempotency (void **state)
{
    fixture_t *fx = *state;
    s_start (fx);

    cf_testreq_t req;
    cf_testreq_increment (&req, "idem-1", "c", 5);
    size_t size = 0;
    void *data = cf_testreq_encode (&req, &size);
    size_t first_size = 0, second_size = 0;
    void *first = cf_api_client_call_raw (fx->client, data, size, &first_size);
    void *second = cf_api_client_call_raw (fx->client, data, size, &second_size);
    assert_non_null (first);
    assert_non_null (second);
    assert_int_equal (first_size, second_size);
    assert_memory_equal (first, second, first_size);
    Caseflow__V1__Reply *reply = caseflow__v1__reply__unpack (NULL, first_size, first);
    assert_non_null (reply);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    assert_string_equal (reply->request_id, "idem-1");
    assert_int_equal (reply->command->counter->value, 5);
    assert_int_equal (reply->command->last_seq, 1);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    assert_int_equal (cf_testclient_counter (fx->client, "c"), 5);

    //  Through the client too: the same id answers the stored reply.
    assert_int_equal (cf_testclient_increment (fx->client, "idem-1", "c", 5), 5);
    assert_int_equal (cf_testclient_increment (fx->client, "idem-2", "c", 5), 10);
    //  The same id twice in one batch (a resend that arrives while the
    //  first is still being decided): acts once, answered twice alike.
    cf_testreq_t twice;
    cf_testreq_increment (&twice, "idem-twice", "c", 100);
    size_t twice_size = 0;
    void *twice_data = cf_testreq_encode (&twice, &twice_size);
    zsock_t *pipe = s_dealer (fx->proc.api);
    for (int i = 0; i < 2; i++)
        assert_int_equal (zmq_send (zsock_resolve (pipe), twice_data, twice_size, 0),
                          (int) twice_size);
    zmsg_t *answers [2];
    for (int i = 0; i < 2; i++) {
        answers [i] = s_recv (pipe, 10000);
        assert_non_null (answers [i]);
    }
    assert_true (zframe_eq (zmsg_first (answers [0]), zmsg_first (answers [1])));
    zframe_t *answer = zmsg_first (answers [0]);
    reply = caseflow__v1__reply__unpack (NULL, zframe_size (answer), zframe_data (answer));
    assert_non_null (reply);
    assert_int_equal (reply->command->counter->value, 110);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    zmsg_destroy (&answers [0]);
    zmsg_destroy (&answers [1]);
    zsock_destroy (&pipe);
    free (twice_data);
    assert_int_equal (cf_testclient_counter (fx->client, "c"), 110);

    //  A refusal is remembered as well: the retry gets the same answer.
    cf_testreq_t refused;
    cf_testreq_increment (&refused, "idem-refused", "", 1);
    size_t refused_size = 0;
    void *refused_data = cf_testreq_encode (&refused, &refused_size);
    size_t refusal_size = 0;
    void *refusal = cf_api_client_call_raw (fx->client, refused_data, refused_size, &refusal_size);
    assert_non_null (refusal);

    //  A retry after a clean restart, and after a kill, is still answered
    //  from the store, byte for byte, and acts no more.
    for (int round = 0; round < 2; round++) {
        s_stop (fx, round == 0 ? SIGTERM : SIGKILL);
        s_start (fx);
        size_t again_size = 0;
        void *again = cf_api_client_call_raw (fx->client, data, size, &again_size);
        assert_non_null (again);
        assert_int_equal (again_size, first_size);
        assert_memory_equal (again, first, first_size);
        free (again);
        again = cf_api_client_call_raw (fx->client, refused_data, refused_size, &again_size);
        assert_non_null (again);
        assert_int_equal (again_size, refusal_size);
        assert_memory_equal (again, refusal, refusal_size);
        free (again);
        assert_int_equal (cf_testclient_counter (fx->client, "c"), 110);
    }

    //  A command in flight when the process is killed: it either committed
    //  (and its retry answers the stored reply) or not (and the retry acts):
    //  either way it acts exactly once.
    for (int i = 0; i < 20; i++) {
        char id [32];
        snprintf (id, sizeof id, "flight-%d", i);
        assert_int_equal (cf_testclient_increment (fx->client, id, "f", 1), i + 1);
    }
    zsock_t *dealer = s_dealer (fx->proc.api);
    cf_testreq_t flight;
    cf_testreq_generate (&flight, "flight-last", 2000, 64);
    size_t flight_size = 0;
    void *flight_data = cf_testreq_encode (&flight, &flight_size);
    assert_int_equal (zmq_send (zsock_resolve (dealer), flight_data, flight_size, 0),
                      (int) flight_size);
    cf_test_sleep_ms (5);
    s_stop (fx, SIGKILL);
    zsock_destroy (&dealer);
    s_start (fx);
    reply = s_call_raw (fx->client, flight_data, flight_size);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    assert_int_equal (reply->command->last_seq, 3 + 20 + 2000);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    reply = s_call_raw (fx->client, flight_data, flight_size);
    assert_int_equal (reply->command->last_seq, 3 + 20 + 2000);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    assert_int_equal (cf_testclient_counter (fx->client, "f"), 20);
    reply = cf_testclient_status (fx->client);
    assert_int_equal (reply->query->status->last_seq, 3 + 20 + 2000);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    free (flight_data);
    free (refused_data);
    free (refusal);
    free (first);
    free (second);
    free (data);
    fx->passed = true;
}

static void
test_malformed_input (void **state)
{
    fixture_t *fx = *state;
    s_start (fx);
    int64_t alive = 0;
    s_assert_serving (fx, &alive);

    //  Random bytes: each is answered with a refusal, never acted on.
    unsigned seed = 20220103;
    uint8_t noise [600];
    for (int round = 0; round < 200; round++) {
        size_t size = (size_t) (rand_r (&seed) % (int) sizeof noise);
        for (size_t i = 0; i < size; i++)
            noise [i] = (uint8_t) rand_r (&seed);
        Caseflow__V1__Reply *reply = s_call_raw (fx->client, noise, size);
        assert_non_null (reply->status);
        assert_int_not_equal (reply->status->code, CASEFLOW__V1__STATUS__CODE__OK);
        caseflow__v1__reply__free_unpacked (reply, NULL);
    }
    s_assert_serving (fx, &alive);

    //  Envelopes that are not [Request] or [empty][Request] are dropped
    //  without an answer; the REQ-style envelope is answered in kind.
    cf_testreq_t req;
    cf_testreq_increment (&req, "envelope-1", "alive", 1);
    size_t size = 0;
    void *data = cf_testreq_encode (&req, &size);
    zsock_t *dealer = s_dealer (fx->proc.api);
    zmsg_t *msg = zmsg_new ();
    zmsg_addstr (msg, "one");
    zmsg_addstr (msg, "two");
    zmsg_addstr (msg, "three");
    assert_int_equal (zmsg_send (&msg, dealer), 0);
    msg = zmsg_new ();
    zmsg_addmem (msg, "", 0);
    zmsg_addmem (msg, data, size);
    zmsg_addstr (msg, "trailer");
    zmsg_addstr (msg, "more");
    assert_int_equal (zmsg_send (&msg, dealer), 0);
    msg = zmsg_new ();
    zmsg_addmem (msg, "", 0);
    zmsg_addmem (msg, data, size);
    zmsg_addstr (msg, "trailer");
    assert_int_equal (zmsg_send (&msg, dealer), 0);
    msg = zmsg_new ();
    zmsg_addstr (msg, "not-empty");
    zmsg_addmem (msg, data, size);
    assert_int_equal (zmsg_send (&msg, dealer), 0);
    msg = s_recv (dealer, 500);
    assert_null (msg);
    s_assert_serving (fx, &alive);
    msg = zmsg_new ();
    zmsg_addmem (msg, "", 0);
    zmsg_addmem (msg, data, size);
    assert_int_equal (zmsg_send (&msg, dealer), 0);
    msg = s_recv (dealer, 5000);
    assert_non_null (msg);
    assert_int_equal (zmsg_size (msg), 2);
    assert_int_equal (zframe_size (zmsg_first (msg)), 0);
    zframe_t *frame = zmsg_next (msg);
    Caseflow__V1__Reply *reply =
        caseflow__v1__reply__unpack (NULL, zframe_size (frame), zframe_data (frame));
    assert_non_null (reply);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    assert_string_equal (reply->request_id, "envelope-1");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    zmsg_destroy (&msg);
    alive++;
    s_assert_serving (fx, &alive);
    free (data);

    //  Over the size limit: libzmq cuts that peer off (ZMQ_MAXMSGSIZE), or
    //  the service refuses it; either way nothing is acted on and everyone
    //  else is still served.
    size_t big_size = CF_API_MAX_MESSAGE + 4096;
    uint8_t *big = calloc (1, big_size);
    assert_non_null (big);
    //  A Request whose `client` field (2, length-delimited) holds the rest.
    size_t header = 0;
    big [header++] = 0x0a;
    big [header++] = 5;
    memcpy (big + header, "big-1", 5);
    header += 5;
    big [header++] = 0x12;
    size_t length = big_size - header - 4;
    for (int i = 0; i < 3; i++)
        big [header++] = (uint8_t) (((length >> (7 * i)) & 0x7f) | 0x80);
    big [header++] = (uint8_t) (length >> 21);
    assert_int_equal (zmq_send (zsock_resolve (dealer), big, big_size, 0), (int) big_size);
    msg = s_recv (dealer, 1000);
    if (msg) {
        //  Refused by the service rather than cut off by libzmq.
        frame = zmsg_first (msg);
        reply = caseflow__v1__reply__unpack (NULL, zframe_size (frame), zframe_data (frame));
        assert_non_null (reply);
        cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, NULL);
        caseflow__v1__reply__free_unpacked (reply, NULL);
        zmsg_destroy (&msg);
    }
    free (big);
    s_assert_serving (fx, &alive);
    //  (What libzmq 4.3 does: the connection is dropped without an answer,
    //  and the DEALER reconnects by itself and is served again.)
    cf_testreq_status (&req);
    data = cf_testreq_encode (&req, &size);
    assert_int_equal (zmq_send (zsock_resolve (dealer), data, size, 0), (int) size);
    free (data);
    msg = s_recv (dealer, 5000);
    assert_non_null (msg);
    zmsg_destroy (&msg);
    zsock_destroy (&dealer);

    //  Valid protobuf, invalid meaning.
    cf_testreq_status (&req);
    req.request_id [0] = 0;
    reply = s_call_req_raw (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "request_id");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    s_assert_serving (fx, &alive);

    cf_testreq_increment (&req, "has a space", "alive", 1);
    reply = s_call_req_raw (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "request_id");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    s_assert_serving (fx, &alive);

    cf_testreq_status (&req);
    snprintf (req.request_id, sizeof req.request_id, "no-body-1");
    req.request.body_case = CASEFLOW__V1__REQUEST__BODY__NOT_SET;
    reply = s_call_req_raw (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "body");
    assert_string_equal (reply->request_id, "no-body-1");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    s_assert_serving (fx, &alive);

    cf_testreq_increment (&req, "no-command-body-1", "alive", 1);
    req.command.body_case = CASEFLOW__V1__COMMAND__BODY__NOT_SET;
    reply = s_call_req_raw (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "command");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    s_assert_serving (fx, &alive);

    cf_testreq_increment (&req, "empty-counter-1", "", 1);
    reply = s_call_req_raw (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 "command.increment.counter");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    s_assert_serving (fx, &alive);

    cf_testreq_replay (&req, "testsvc", 0, 0, 0);
    reply = s_call_req_raw (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 "replay.from_seq");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    s_assert_serving (fx, &alive);

    //  Only the "alive" increments were ever acted on.
    reply = cf_testclient_status (fx->client);
    assert_int_equal (reply->query->status->last_seq, (uint64_t) alive);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    assert_int_equal (cf_testproc_stop (&fx->proc, SIGTERM, CF_TESTFIXTURE_STOP_MS), 0);
    fx->passed = true;
}

static void
test_restart_keeps_state (void **state)
{
    fixture_t *fx = *state;
    s_start (fx);
    for (int i = 0; i < 30; i++) {
        char counter [16];
        snprintf (counter, sizeof counter, "k%d", i % 7);
        cf_testclient_increment (fx->client, NULL, counter, i + 1);
    }
    cf_testclient_generate (fx->client, NULL, 500, 100);
    char before [65], after [65];
    uint64_t applied = cf_testclient_digest (fx->client, before);
    assert_int_equal (applied, 530);

    s_stop (fx, SIGTERM);
    s_start (fx);
    assert_int_equal (cf_testclient_digest (fx->client, after), applied);
    assert_string_equal (after, before);

    //  More work, then a kill: everything acknowledged is there.
    cf_testclient_increment (fx->client, NULL, "k0", 1000);
    cf_testclient_generate (fx->client, NULL, 1000, 10);
    cf_testclient_increment (fx->client, NULL, "k-last", -5);
    applied = cf_testclient_digest (fx->client, before);
    assert_int_equal (applied, 1532);
    s_stop (fx, SIGKILL);
    s_start (fx);
    assert_int_equal (cf_testclient_digest (fx->client, after), applied);
    assert_string_equal (after, before);
    assert_int_equal (cf_testclient_counter (fx->client, "k-last"), -5);

    //  A second kill right after acknowledged work, then a clean stop.
    cf_testclient_increment (fx->client, NULL, "k1", 1);
    applied = cf_testclient_digest (fx->client, before);
    s_stop (fx, SIGKILL);
    s_start (fx);
    assert_int_equal (cf_testclient_digest (fx->client, after), applied);
    assert_string_equal (after, before);
    s_stop (fx, SIGTERM);
    fx->passed = true;
}

//  True when the process's main thread is in clock_nanosleep (the Stall),
//  read from /proc/PID/syscall; false when not, or when that is unreadable.
static bool
s_in_nanosleep (pid_t pid)
{
    char path [64], text [64] = "";
    snprintf (path, sizeof path, "/proc/%ld/syscall", (long) pid);
    FILE *file = fopen (path, "r");
    if (!file)
        return false;
    bool sleeping = fgets (text, sizeof text, file)
                    && (strncmp (text, "230 ", 4) == 0 || strncmp (text, "35 ", 3) == 0);
    fclose (file);
    return sleeping;
}

static void
test_sigterm_while_busy (void **state)
{
    fixture_t *fx = *state;
    s_start (fx);
    cf_testclient_increment (fx->client, NULL, "before", 1);

    cf_testreq_t req;
    cf_testreq_stall (&req, "stall-1", 1500);
    size_t size = 0;
    void *data = cf_testreq_encode (&req, &size);
    zsock_t *dealer = s_dealer (fx->proc.api);
    int64_t sent = cf_test_now_ms ();
    assert_int_equal (zmq_send (zsock_resolve (dealer), data, size, 0), (int) size);
    cf_test_sleep_ms (300);
    //  On a loaded machine the service may not be in the stall yet: where
    //  /proc tells, wait (a little) until it is, so the signal always comes
    //  while the command is in hand.
    for (int waited = 0; waited < 1000 && !s_in_nanosleep (fx->proc.pid); waited += 10)
        cf_test_sleep_ms (10);
    assert_int_equal (kill (fx->proc.pid, SIGTERM), 0);
    //  A command that arrives after the signal: refused, unanswered, or
    //  acted on and answered; if answered OK, it must survive the restart.
    cf_testreq_t late;
    cf_testreq_increment (&late, "after-sigterm", "late", 1);
    size_t late_size = 0;
    void *late_data = cf_testreq_encode (&late, &late_size);
    assert_int_equal (zmq_send (zsock_resolve (dealer), late_data, late_size, 0), (int) late_size);

    zmsg_t *msg = s_recv (dealer, 10000);
    int64_t elapsed = cf_test_now_ms () - sent;
    assert_non_null (msg);
    assert_int_equal (zmsg_size (msg), 1);
    zframe_t *frame = zmsg_first (msg);
    size_t first_size = zframe_size (frame);
    void *first = malloc (first_size);
    assert_non_null (first);
    memcpy (first, zframe_data (frame), first_size);
    zmsg_destroy (&msg);
    bool late_acknowledged = false;
    msg = s_recv (dealer, 2000);
    if (msg) {
        frame = zmsg_first (msg);
        Caseflow__V1__Reply *reply =
            caseflow__v1__reply__unpack (NULL, zframe_size (frame), zframe_data (frame));
        assert_non_null (reply);
        assert_string_equal (reply->request_id, "after-sigterm");
        Caseflow__V1__Status__Code code = cf_api_reply_code (reply);
        assert_true (code == CASEFLOW__V1__STATUS__CODE__OK
                     || code == CASEFLOW__V1__STATUS__CODE__UNAVAILABLE);
        late_acknowledged = code == CASEFLOW__V1__STATUS__CODE__OK;
        caseflow__v1__reply__free_unpacked (reply, NULL);
        zmsg_destroy (&msg);
    }
    zsock_destroy (&dealer);
    Caseflow__V1__Reply *reply = caseflow__v1__reply__unpack (NULL, first_size, first);
    assert_non_null (reply);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    assert_string_equal (reply->request_id, "stall-1");
    assert_int_equal (reply->command->last_seq, 2);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    //  The signal came while the command was in hand; the command ran its
    //  course before the service stopped.
    if (elapsed < 1400)
        fail_msg ("the stall's reply came after %lld ms: the signal cut it short",
                  (long long) elapsed);

    //  Signal 0: only wait for the exit (the SIGTERM is already sent).
    assert_int_equal (cf_testproc_stop (&fx->proc, 0, CF_TESTFIXTURE_STOP_MS), 0);

    s_start (fx);
    Caseflow__V1__Testing__Summary summary;
    assert_int_equal (cf_testclient_summary (fx->client, &summary), 0);
    assert_int_equal (summary.notes, 1);
    int64_t late_value = cf_testclient_counter (fx->client, "late");
    if (late_acknowledged)
        assert_int_equal (late_value, 1);
    assert_int_equal (summary.own_events, 2 + (uint64_t) late_value);
    //  Retried, the late command acts exactly once in all.
    assert_int_equal (cf_testclient_increment (fx->client, "after-sigterm", "late", 1), 1);
    //  The stored reply answers a retry; the stall does not run again.
    size_t again_size = 0;
    void *again = cf_api_client_call_raw (fx->client, data, size, &again_size);
    assert_non_null (again);
    assert_int_equal (again_size, first_size);
    assert_memory_equal (again, first, first_size);
    assert_int_equal (cf_testclient_summary (fx->client, &summary), 0);
    assert_int_equal (summary.notes, 1);
    free (again);
    free (first);
    free (late_data);
    free (data);
    s_stop (fx, SIGTERM);
    fx->passed = true;
}

static void
test_manual_clock (void **state)
{
    fixture_t *fx = *state;
    static const char *const flags [] = { "--clock=manual", "--clock-start=2022-01-03", NULL };
    fx->flags = flags;
    s_start (fx);

    int64_t now = cf_testclient_clock (fx->client);
    assert_int_equal (now, JAN_3_2022);
    cf_test_sleep_ms (300);
    assert_int_equal (cf_testclient_clock (fx->client), JAN_3_2022);
    Caseflow__V1__Reply *reply = cf_testclient_status (fx->client);
    assert_string_equal (reply->query->status->clock->mode, "manual");
    caseflow__v1__reply__free_unpacked (reply, NULL);

    cf_testreq_t req;
    cf_testreq_clock_advance (&req, "advance-1", DAY_US);
    reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    assert_int_equal (reply->command->body_case, CASEFLOW__V1__COMMAND_RESULT__BODY_CLOCK);
    assert_int_equal (reply->command->clock->now, JAN_3_2022 + DAY_US);
    assert_string_equal (reply->command->clock->mode, "manual");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    //  A retried advance moves the clock once.
    reply = cf_testclient_call (fx->client, &req);
    assert_int_equal (reply->command->clock->now, JAN_3_2022 + DAY_US);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    assert_int_equal (cf_testclient_clock (fx->client), JAN_3_2022 + DAY_US);

    int64_t target = JAN_3_2022 + 14 * DAY_US + 9 * HOUR_US;
    cf_testreq_clock_set (&req, NULL, target);
    reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    assert_int_equal (reply->command->clock->now, target);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    assert_int_equal (cf_testclient_clock (fx->client), target);

    //  Never backwards, never by nothing.
    cf_testreq_clock_set (&req, NULL, target - 1);
    reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 "command.clock_set.at");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_testreq_clock_advance (&req, NULL, -HOUR_US);
    reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 "command.clock_advance.micros");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_testreq_clock_advance (&req, NULL, 0);
    reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 "command.clock_advance.micros");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    assert_int_equal (cf_testclient_clock (fx->client), target);

    //  Events are stamped with the service clock.
    cf_testclient_increment (fx->client, NULL, "stamped", 1);
    cf_testreq_replay (&req, "testsvc", 1, 0, 0);
    reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    assert_int_equal (reply->replay->n_events, 1);
    assert_int_equal (reply->replay->events [0]->occurred_at, target);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  The clock survives a clean restart and a kill, even with the same
    //  --clock-start, and still does not move by itself.
    s_stop (fx, SIGTERM);
    s_start (fx);
    assert_int_equal (cf_testclient_clock (fx->client), target);
    cf_testreq_clock_advance (&req, NULL, HOUR_US);
    reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    s_stop (fx, SIGKILL);
    s_start (fx);
    assert_int_equal (cf_testclient_clock (fx->client), target + HOUR_US);
    cf_test_sleep_ms (300);
    assert_int_equal (cf_testclient_clock (fx->client), target + HOUR_US);
    s_stop (fx, SIGTERM);
    fx->passed = true;
}

static void
test_system_clock_refuses_moves (void **state)
{
    fixture_t *fx = *state;
    s_start (fx);
    int64_t now = cf_testclient_clock (fx->client);
    int64_t wall = (int64_t) time (NULL) * 1000000;
    assert_true (now > wall - 60 * INT64_C (1000000) && now < wall + 60 * INT64_C (1000000));

    cf_testreq_t req;
    cf_testreq_clock_set (&req, NULL, now + DAY_US);
    Caseflow__V1__Reply *reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_testreq_clock_advance (&req, NULL, DAY_US);
    reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    assert_true (cf_testclient_clock (fx->client) < now + HOUR_US);
    reply = cf_testclient_status (fx->client);
    assert_string_equal (reply->query->status->clock->mode, "system");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    s_stop (fx, SIGTERM);
    fx->passed = true;
}

static void
test_replay (void **state)
{
    fixture_t *fx = *state;
    s_start (fx);
    cf_testclient_increment (fx->client, "replay-inc-1", "r", 1);
    cf_testclient_increment (fx->client, "replay-inc-2", "r", 2);
    cf_testclient_increment (fx->client, "replay-inc-3", "s", 3);
    assert_int_equal (cf_testclient_generate (fx->client, "replay-gen", 20, 32), 23);

    //  Everything, in order.
    cf_testreq_t req;
    cf_testreq_replay (&req, "testsvc", 1, 0, 0);
    Caseflow__V1__Reply *reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    assert_int_equal (reply->result_case, CASEFLOW__V1__REPLY__RESULT_REPLAY);
    Caseflow__V1__ReplayBatch *batch = reply->replay;
    assert_string_equal (batch->stream, "testsvc");
    assert_int_equal (batch->last_seq, 23);
    assert_int_equal (batch->n_events, 23);
    for (size_t i = 0; i < batch->n_events; i++) {
        Caseflow__V1__Event *event = batch->events [i];
        assert_int_equal (event->seq, i + 1);
        assert_string_equal (event->stream, "testsvc");
        assert_int_equal (strlen (event->id), 26);
        assert_int_equal (event->schema_version, 1);
        if (i > 0)
            assert_true (strcmp (batch->events [i - 1]->id, event->id) < 0);
        if (i < 3) {
            char id [32];
            snprintf (id, sizeof id, "replay-inc-%zu", i + 1);
            assert_int_equal (event->body_case, CASEFLOW__V1__EVENT__BODY_COUNTER_INCREMENTED);
            assert_int_equal (event->counter_incremented->amount, (int64_t) i + 1);
            assert_string_equal (event->correlation_id, id);
            assert_string_equal (event->causation_id, id);
        } else {
            assert_int_equal (event->body_case, CASEFLOW__V1__EVENT__BODY_NOTE_RECORDED);
            assert_int_equal (strlen (event->note_recorded->text), 32);
            assert_string_equal (event->correlation_id, "replay-gen");
        }
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  Bounded batches, paged by the caller, come out the same.
    uint64_t next = 1;
    int batches = 0;
    while (true) {
        cf_testreq_replay (&req, "testsvc", next, 5, 0);
        reply = cf_testclient_call (fx->client, &req);
        cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
        batch = reply->replay;
        assert_int_equal (batch->last_seq, 23);
        assert_true (batch->n_events <= 5);
        size_t got = batch->n_events;
        assert_int_equal (got, next > 23 ? 0 : (24 - next < 5 ? 24 - next : 5));
        for (size_t i = 0; i < got; i++)
            assert_int_equal (batch->events [i]->seq, next + i);
        next += got;
        caseflow__v1__reply__free_unpacked (reply, NULL);
        if (got == 0)
            break;
        batches++;
    }
    assert_int_equal (next, 24);
    assert_int_equal (batches, 5);

    //  A byte bound still returns at least one event.
    cf_testreq_replay (&req, "testsvc", 4, 0, 1);
    reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    assert_int_equal (reply->replay->n_events, 1);
    assert_int_equal (reply->replay->events [0]->seq, 4);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  Past the head: empty, with the head.
    cf_testreq_replay (&req, "testsvc", 24, 0, 0);
    reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    assert_int_equal (reply->replay->n_events, 0);
    assert_int_equal (reply->replay->last_seq, 23);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  Another stream is not served here.
    cf_testreq_replay (&req, "intake", 1, 0, 0);
    reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND, "replay.stream");
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  The journal serves the same events after a restart.
    s_stop (fx, SIGTERM);
    s_start (fx);
    cf_testreq_replay (&req, "testsvc", 20, 0, 0);
    reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    assert_int_equal (reply->replay->n_events, 4);
    assert_int_equal (reply->replay->events [0]->seq, 20);
    assert_int_equal (reply->replay->last_seq, 23);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    s_stop (fx, SIGTERM);
    fx->passed = true;
}

static void
test_pipelined_commands (void **state)
{
    fixture_t *fx = *state;
    s_start (fx);
    //  Many commands at once from one client: decided together (group
    //  commit), answered in the order they came, each acting once.
    enum { COUNT = 300 };
    zsock_t *dealer = s_dealer (fx->proc.api);
    for (int i = 0; i < COUNT; i++) {
        char id [32];
        snprintf (id, sizeof id, "pipelined-%03d", i);
        cf_testreq_t req;
        cf_testreq_increment (&req, id, "piped", 1);
        size_t size = 0;
        void *data = cf_testreq_encode (&req, &size);
        assert_int_equal (zmq_send (zsock_resolve (dealer), data, size, 0), (int) size);
        free (data);
    }
    for (int i = 0; i < COUNT; i++) {
        zmsg_t *msg = s_recv (dealer, 10000);
        if (!msg)
            fail_msg ("no reply to pipelined command %d", i);
        zframe_t *frame = zmsg_first (msg);
        Caseflow__V1__Reply *reply =
            caseflow__v1__reply__unpack (NULL, zframe_size (frame), zframe_data (frame));
        assert_non_null (reply);
        char id [32];
        snprintf (id, sizeof id, "pipelined-%03d", i);
        assert_string_equal (reply->request_id, id);
        cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
        assert_int_equal (reply->command->counter->value, i + 1);
        assert_int_equal (reply->command->last_seq, (uint64_t) i + 1);
        caseflow__v1__reply__free_unpacked (reply, NULL);
        zmsg_destroy (&msg);
    }
    zsock_destroy (&dealer);
    assert_int_equal (cf_testclient_counter (fx->client, "piped"), COUNT);

    //  Fewer commits than commands: they were grouped.
    char *metrics = NULL;
    assert_int_equal (cf_test_http_get (fx->proc.http_port, "/metrics", &metrics), 200);
    assert_non_null (metrics);
    const char *line = strstr (metrics, "caseflow_commits_total{");
    assert_non_null (line);
    double commits = atof (strchr (line, '}') + 1);
    assert_true (commits >= 1 && commits <= COUNT);
    free (metrics);
    s_stop (fx, SIGINT);
    fx->passed = true;
}

typedef struct {
    fixture_t *fx;
    int delay_ms;
    bool started;
} restarter_t;

static void *
s_restart_later (void *arg)
{
    restarter_t *restarter = arg;
    cf_test_sleep_ms (restarter->delay_ms);
    restarter->started = cf_testclient_start (&restarter->fx->proc, restarter->fx->flags, false,
                                              CF_TESTFIXTURE_READY_MS);
    return NULL;
}

static void
test_lazy_pirate_across_restart (void **state)
{
    fixture_t *fx = *state;
    s_start (fx);
    assert_int_equal (cf_testclient_increment (fx->client, NULL, "pirate", 1), 1);

    //  The service is down when the command is sent and comes back a second
    //  later: the client resends the same request id on fresh sockets until
    //  it is answered, and the command acts once.
    s_stop (fx, SIGKILL);
    restarter_t restarter = { .fx = fx, .delay_ms = 1000 };
    pthread_t thread;
    assert_int_equal (pthread_create (&thread, NULL, s_restart_later, &restarter), 0);
    cf_api_client_t *client = cf_api_client_new (fx->proc.api, 250, 200);
    assert_non_null (client);
    cf_testreq_t req;
    cf_testreq_increment (&req, "pirate-2", "pirate", 1);
    int rc = 0;
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &req.request, &rc);
    pthread_join (thread, NULL);
    assert_true (restarter.started);
    assert_non_null (reply);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    assert_int_equal (reply->command->counter->value, 2);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    //  Late copies of the earlier tries, if any reached the service, were
    //  answered from the store.
    cf_test_sleep_ms (300);
    assert_int_equal (cf_testclient_counter (fx->client, "pirate"), 2);
    reply = cf_testclient_status (fx->client);
    assert_int_equal (reply->query->status->last_seq, 2);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
    s_stop (fx, SIGTERM);
    fx->passed = true;
}

static void
test_store_full (void **state)
{
    fixture_t *fx = *state;
    static const char *const small [] = { "--map-size=1M", NULL };
    static const char *const large [] = { "--map-size=64M", NULL };
    fx->flags = small;
    s_start (fx);
    cf_testclient_increment (fx->client, "full-inc", "kept", 7);

    //  Fill the store: a command that does not fit is refused UNAVAILABLE
    //  and leaves no trace; what was acknowledged stays.
    char before [65], after [65];
    uint64_t applied = cf_testclient_digest (fx->client, before);
    char refused_id [32] = "";
    for (int i = 0; i < 100 && !*refused_id; i++) {
        char id [32];
        snprintf (id, sizeof id, "fill-%d", i);
        cf_testreq_t req;
        cf_testreq_generate (&req, id, 200, 1000);
        Caseflow__V1__Reply *reply = cf_testclient_call (fx->client, &req);
        if (cf_api_reply_code (reply) == CASEFLOW__V1__STATUS__CODE__UNAVAILABLE) {
            cf_testclient_assert_refused_full (reply);
            snprintf (refused_id, sizeof refused_id, "%s", id);
        } else {
            cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
            applied = cf_testclient_digest (fx->client, before);
        }
        caseflow__v1__reply__free_unpacked (reply, NULL);
    }
    assert_true (*refused_id);
    assert_int_equal (cf_testclient_digest (fx->client, after), applied);
    assert_string_equal (after, before);
    assert_int_equal (cf_testclient_store_full (fx->client, true), applied);
    cf_test_assert_logged (fx->proc.log_path, "store full (--map-size");
    //  The state rebuilt after the refused batch went through the key
    //  check again, as at start: what a service keeps beside its state (an
    //  erasure waiting for its batch) is derived again, never lost.
    cf_test_assert_logged (fx->proc.log_path, "check_keys: counter kept is 7");
    //  Queries and replay go on; commands are refused, even small ones.
    assert_int_equal (cf_testclient_counter (fx->client, "kept"), 7);
    cf_testreq_t req;
    cf_testreq_replay (&req, "testsvc", applied, 0, 0);
    Caseflow__V1__Reply *reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    assert_int_equal (reply->replay->n_events, 1);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_testreq_increment (&req, "small-while-full", "kept", 1);
    reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_refused_full (reply);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  Restarted with a larger map: the same state, and the refused
    //  commands, retried with their ids, now act (refusals for want of room
    //  are not remembered).
    s_stop (fx, SIGTERM);
    fx->flags = large;
    s_start (fx);
    assert_int_equal (cf_testclient_digest (fx->client, after), applied);
    assert_string_equal (after, before);
    cf_testclient_store_full (fx->client, false);
    assert_int_equal (cf_testclient_increment (fx->client, "small-while-full", "kept", 1), 8);
    assert_int_equal (cf_testclient_generate (fx->client, refused_id, 200, 1000),
                      applied + 1 + 200);
    s_stop (fx, SIGTERM);
    fx->passed = true;
}

//  --data-dir is made with every missing folder above it (mode 0700), and
//  when a folder cannot be made the service stops (exit 1) naming the
//  folder and the system's reason.
static void
test_data_dir_made_with_parents (void **state)
{
    fixture_t *fx = *state;
    char deep [600], flag [640];
    snprintf (deep, sizeof deep, "%s/var/a/b/testsvc", fx->tmp);
    snprintf (flag, sizeof flag, "--data-dir=%s", deep);
    //  The later --data-dir wins over the one cf_testproc passes.
    const char *flags [] = { flag, NULL };
    fx->flags = flags;
    s_start (fx);
    assert_int_equal (cf_testclient_increment (fx->client, NULL, "kept", 1), 1);
    s_stop (fx, SIGTERM);
    struct stat info;
    assert_int_equal (stat (deep, &info), 0);
    assert_true (S_ISDIR (info.st_mode));
    assert_int_equal (info.st_mode & 0077, 0);
    snprintf (deep, sizeof deep, "%s/var/a", fx->tmp);
    assert_int_equal (stat (deep, &info), 0);
    assert_int_equal (info.st_mode & 0077, 0);

    //  A file where a folder should be: refused at start, with the cause.
    char blocker [600];
    snprintf (blocker, sizeof blocker, "%s/var/file", fx->tmp);
    FILE *file = fopen (blocker, "w");
    assert_non_null (file);
    fclose (file);
    snprintf (flag, sizeof flag, "--data-dir=%s/store", blocker);
    char http [64];
    snprintf (http, sizeof http, "--http-bind=127.0.0.1:%d", cf_test_free_port ());
    char errors [700];
    snprintf (errors, sizeof errors, "%s/refused.log", fx->tmp);
    const char *argv [] = { cf_test_binary ("caseflow-testsvc"), flag, http, NULL };
    char out [256];
    assert_int_equal (cf_test_run (argv, NULL, errors, out, sizeof out), 1);
    char expected [700];
    snprintf (expected, sizeof expected, "mkdir %s/store: Not a directory", blocker);
    cf_test_assert_logged (errors, expected);
    fx->passed = true;
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_commands_and_queries, s_setup,
                                         cf_testfixture_teardown),
        cmocka_unit_test_setup_teardown (test_idempotency, s_setup, cf_testfixture_teardown),
        cmocka_unit_test_setup_teardown (test_malformed_input, s_setup, cf_testfixture_teardown),
        cmocka_unit_test_setup_teardown (test_restart_keeps_state, s_setup,
                                         cf_testfixture_teardown),
        cmocka_unit_test_setup_teardown (test_sigterm_while_busy, s_setup, cf_testfixture_teardown),
        cmocka_unit_test_setup_teardown (test_manual_clock, s_setup, cf_testfixture_teardown),
        cmocka_unit_test_setup_teardown (test_system_clock_refuses_moves, s_setup,
                                         cf_testfixture_teardown),
        cmocka_unit_test_setup_teardown (test_replay, s_setup, cf_testfixture_teardown),
        cmocka_unit_test_setup_teardown (test_pipelined_commands, s_setup, cf_testfixture_teardown),
        cmocka_unit_test_setup_teardown (test_lazy_pirate_across_restart, s_setup,
                                         cf_testfixture_teardown),
        cmocka_unit_test_setup_teardown (test_store_full, s_setup, cf_testfixture_teardown),
        cmocka_unit_test_setup_teardown (test_data_dir_made_with_parents, s_setup,
                                         cf_testfixture_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
