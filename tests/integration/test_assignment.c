//  test_assignment: the real caseflow-assignment binary with a fake intake
//  upstream, driven over ZeroMQ.
//
//  The fake intake is an actor thread holding a cf_bus_publisher (PUB,
//  with a heartbeat every 100 ms) and a ROUTER that answers ReplayRequests
//  from an in-memory array of encoded intake Events, so the service
//  subscribes, catches up and follows exactly as it would follow the real
//  intake. The test registers and triages cases on it, drives the roster
//  with assignment commands, checks the assignments (urgent at once, in
//  the step that handled the triage; regular ones as capacity frees;
//  absence with the manual clock; continuity on return), restarts the
//  service and compares state digests, and checks the order of a few
//  hundred regular cases through the service's own stream.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_bus_publisher.h"
#include "cf_event.h"
#include "cf_test.h"
#include "cf_testactor.h"
#include "cf_testclient.h"
#include "cf_testproc.h"
#include "cf_time.h"

#include <czmq.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_DAY      INT64_C (86400000000)
#define S_WAIT_MS  20000
#define S_DEBT     (1u << CASEFLOW__V1__DOMAIN__DOMAIN_DEBT)
#define S_HOUSING  (1u << CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING)
#define S_YOUTH    (1u << CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH)
#define S_OTHER    (1u << CASEFLOW__V1__DOMAIN__DOMAIN_OTHER)
#define S_REGULAR  CASEFLOW__V1__URGENCY__URGENCY_REGULAR
#define S_URGENT   CASEFLOW__V1__URGENCY__URGENCY_URGENT
#define S_ASSIGNED CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED

//  ------------------------------------------------------- the fake intake

typedef struct {
    pthread_mutex_t lock;
    uint8_t **data;  //  Event seq N at [N - 1]
    size_t *sizes;
    char **ids;  //  the events' ids
    size_t count;
    size_t published;  //  actor only
    int64_t clock;     //  intake's clock for occurred_at
    char events_endpoint [128];
    char api_endpoint [128];
    zactor_t *actor;
} s_intake_t;

static void
s_send_batch (s_intake_t *self, zsock_t *router, zframe_t *identity, const char *request_id,
              uint64_t from)
{
    Caseflow__V1__ReplayBatch batch = CASEFLOW__V1__REPLAY_BATCH__INIT;
    batch.stream = "intake";
    Caseflow__V1__Event *events [100];
    pthread_mutex_lock (&self->lock);
    batch.last_seq = self->count;
    for (uint64_t seq = from; seq >= 1 && seq <= self->count && batch.n_events < 100; seq++)
        events [batch.n_events++] =
            caseflow__v1__event__unpack (NULL, self->sizes [seq - 1], self->data [seq - 1]);
    pthread_mutex_unlock (&self->lock);
    batch.events = events;
    Caseflow__V1__Reply reply = CASEFLOW__V1__REPLY__INIT;
    reply.request_id = (char *) request_id;
    reply.result_case = CASEFLOW__V1__REPLY__RESULT_REPLAY;
    reply.replay = &batch;
    size_t size = caseflow__v1__reply__get_packed_size (&reply);
    uint8_t *data = malloc (size);
    assert (data);
    caseflow__v1__reply__pack (&reply, data);
    zframe_send (&identity, router, ZFRAME_MORE | ZFRAME_REUSE);
    zmq_send (zsock_resolve (router), data, size, 0);
    free (data);
    for (size_t i = 0; i < batch.n_events; i++)
        caseflow__v1__event__free_unpacked (events [i], NULL);
}

static void
s_serve (s_intake_t *self, zsock_t *router)
{
    while (zsock_events (router) & ZMQ_POLLIN) {
        zmsg_t *msg = zmsg_recv (router);
        if (!msg)
            return;
        zframe_t *identity = zmsg_first (msg);
        zframe_t *body = zmsg_next (msg);
        Caseflow__V1__Reply reply;
        cf_api_reply_init (&reply, "");
        Caseflow__V1__Request *request =
            body ? cf_api_decode_request (zframe_data (body), zframe_size (body), &reply) : NULL;
        if (request && request->body_case == CASEFLOW__V1__REQUEST__BODY_REPLAY
            && strcmp (request->replay->stream, "intake") == 0)
            s_send_batch (self, router, identity, request->request_id, request->replay->from_seq);
        if (request)
            caseflow__v1__request__free_unpacked (request, NULL);
        cf_api_reply_clear (&reply);
        zmsg_destroy (&msg);
    }
}

static void
s_intake_actor (zsock_t *pipe, void *args)
{
    s_intake_t *self = args;
    cf_bus_publisher_t *publisher = cf_bus_publisher_new ("tcp://127.0.0.1:*", "intake", 0);
    zsock_t *router = zsock_new (ZMQ_ROUTER);
    assert (publisher && router);
    zsock_set_linger (router, 0);
    int port = zsock_bind (router, "tcp://127.0.0.1:*");
    assert (port > 0);
    snprintf (self->events_endpoint, sizeof self->events_endpoint, "%s",
              cf_bus_publisher_endpoint (publisher));
    snprintf (self->api_endpoint, sizeof self->api_endpoint, "tcp://127.0.0.1:%d", port);
    zsock_signal (pipe, 0);
    zpoller_t *poller = zpoller_new (pipe, router, NULL);
    int64_t heartbeat_at = 0;
    while (cf_testactor_wait (poller, pipe, 50)) {
        s_serve (self, router);
        pthread_mutex_lock (&self->lock);
        while (self->published < self->count) {
            size_t index = self->published++;
            Caseflow__V1__Event *event =
                caseflow__v1__event__unpack (NULL, self->sizes [index], self->data [index]);
            cf_bus_publisher_send (publisher, event, self->data [index], self->sizes [index]);
            caseflow__v1__event__free_unpacked (event, NULL);
        }
        uint64_t last = self->count;
        pthread_mutex_unlock (&self->lock);
        if (zclock_mono () >= heartbeat_at) {
            cf_bus_publisher_heartbeat (publisher, last, self->clock);
            heartbeat_at = zclock_mono () + 100;
        }
    }
    zpoller_destroy (&poller);
    zsock_destroy (&router);
    cf_bus_publisher_destroy (&publisher);
}

static s_intake_t *
s_intake_new (int64_t clock)
{
    s_intake_t *self = calloc (1, sizeof *self);
    assert_non_null (self);
    pthread_mutex_init (&self->lock, NULL);
    self->clock = clock;
    self->actor = zactor_new (s_intake_actor, self);
    assert_non_null (self->actor);
    return self;
}

static void
s_intake_destroy (s_intake_t **self_p)
{
    s_intake_t *self = *self_p;
    zactor_destroy (&self->actor);
    for (size_t i = 0; i < self->count; i++) {
        free (self->data [i]);
        free (self->ids [i]);
    }
    free (self->data);
    free (self->sizes);
    free (self->ids);
    pthread_mutex_destroy (&self->lock);
    free (self);
    *self_p = NULL;
}

//  Commits one intake event (seq, id, time stamped here) and has it
//  published. Returns its seq.
static uint64_t
s_intake_append (s_intake_t *self, Caseflow__V1__Event *event, const char *case_id)
{
    pthread_mutex_lock (&self->lock);
    char id [32];
    snprintf (id, sizeof id, "intake-%06zu", self->count + 1);
    event->id = id;
    event->stream = "intake";
    event->seq = self->count + 1;
    event->occurred_at = self->clock;
    self->clock += CF_USEC_PER_SEC;
    event->case_id = (char *) case_id;
    event->schema_version = 1;
    size_t size = caseflow__v1__event__get_packed_size (event);
    uint8_t *data = malloc (size);
    assert_non_null (data);
    caseflow__v1__event__pack (event, data);
    self->data = realloc (self->data, (self->count + 1) * sizeof *self->data);
    self->sizes = realloc (self->sizes, (self->count + 1) * sizeof *self->sizes);
    self->ids = realloc (self->ids, (self->count + 1) * sizeof *self->ids);
    assert_non_null (self->data);
    assert_non_null (self->sizes);
    assert_non_null (self->ids);
    self->data [self->count] = data;
    self->sizes [self->count] = size;
    self->ids [self->count] = strdup (id);
    uint64_t seq = ++self->count;
    pthread_mutex_unlock (&self->lock);
    zstr_send (self->actor, "PUBLISH");
    return seq;
}

static Caseflow__V1__Domain *
s_domains (uint32_t mask, size_t *count_p)
{
    static Caseflow__V1__Domain domains [8];
    size_t count = 0;
    for (int domain = 1; domain <= 7; domain++)
        if (mask & (1u << domain))
            domains [count++] = (Caseflow__V1__Domain) domain;
    *count_p = count;
    return domains;
}

//  A registration at `location` (may be NULL), its areas (the locations
//  serving the resident's district, as intake resolves them) in `area`
//  (may be NULL: none).
static void
s_register_in (s_intake_t *intake, const char *case_id, uint32_t domains, const char *location,
               const char *area)
{
    Caseflow__V1__Intake__CaseRegistered body = CASEFLOW__V1__INTAKE__CASE_REGISTERED__INIT;
    body.case_id = (char *) case_id;
    body.channel = CASEFLOW__V1__CHANNEL__CHANNEL_WALK_IN;
    body.location = (char *) (location ? location : "");
    char *areas [] = { (char *) area };
    body.areas = areas;
    body.n_areas = area ? 1 : 0;
    body.domains = s_domains (domains, &body.n_domains);
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED;
    event.case_registered = &body;
    s_intake_append (intake, &event, case_id);
}

static void
s_register (s_intake_t *intake, const char *case_id, uint32_t domains, const char *location)
{
    s_register_in (intake, case_id, domains, location, NULL);
}

static uint64_t
s_triage (s_intake_t *intake, const char *case_id, Caseflow__V1__Urgency urgency)
{
    Caseflow__V1__Intake__CaseTriaged body = CASEFLOW__V1__INTAKE__CASE_TRIAGED__INIT;
    body.case_id = (char *) case_id;
    body.urgency = urgency;
    body.reason = "triaged by the test";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED;
    event.case_triaged = &body;
    return s_intake_append (intake, &event, case_id);
}

static void
s_close (s_intake_t *intake, const char *case_id)
{
    Caseflow__V1__Intake__CaseClosed body = CASEFLOW__V1__INTAKE__CASE_CLOSED__INIT;
    body.case_id = (char *) case_id;
    body.closure = CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_WITHDRAWN;
    body.reason = "withdrawn";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_CLOSED;
    event.case_closed = &body;
    s_intake_append (intake, &event, case_id);
}

//  ------------------------------------------------------ the service side

typedef struct {
    char *dir;
    s_intake_t *intake;
    cf_testproc_t proc;
    cf_api_client_t *client;
    char intake_events [160];
    char intake_api [160];
    const char *extra [8];
    int64_t start;
} s_test_t;

static void
s_start (s_test_t *test, bool first)
{
    assert_true (cf_testclient_start (&test->proc, test->extra, first, S_WAIT_MS));
    if (!test->client)
        test->client = cf_testclient_new (test->proc.api);
}

static Caseflow__V1__Reply *
s_command (s_test_t *test, const char *request_id, Caseflow__V1__Assignment__Command *inner)
{
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_ASSIGNMENT;
    command.assignment = inner;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = (char *) (request_id ? request_id : "");
    request.client = "test_assignment";
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &command;
    int rc = 0;
    Caseflow__V1__Reply *reply = cf_api_client_call (test->client, &request, &rc);
    assert_non_null (reply);
    return reply;
}

static Caseflow__V1__Reply *
s_query (s_test_t *test, Caseflow__V1__Assignment__Query *inner)
{
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_ASSIGNMENT;
    query.assignment = inner;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = "";
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = &query;
    int rc = 0;
    Caseflow__V1__Reply *reply = cf_api_client_call (test->client, &request, &rc);
    assert_non_null (reply);
    return reply;
}

static void
s_expect_ok (Caseflow__V1__Reply *reply)
{
    if (reply->status && reply->status->code != CASEFLOW__V1__STATUS__CODE__OK)
        fail_msg ("refused: %s: %s", reply->status->field, reply->status->message);
}

static void
s_ok (Caseflow__V1__Reply *reply)
{
    s_expect_ok (reply);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

static Caseflow__V1__Reply *
s_add_location (s_test_t *test, const char *request_id, const char *id, const char *district)
{
    char *districts [] = { (char *) district };
    Caseflow__V1__Assignment__AddLocation body = CASEFLOW__V1__ASSIGNMENT__ADD_LOCATION__INIT;
    body.location_id = (char *) id;
    body.name = (char *) id;
    body.districts = districts;
    body.n_districts = district ? 1 : 0;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_LOCATION;
    command.add_location = &body;
    return s_command (test, request_id, &command);
}

static Caseflow__V1__Reply *
s_add_worker (s_test_t *test, const char *id, uint32_t fte_milli, const char *location,
              uint32_t expertise, uint32_t max_caseload)
{
    char *locations [] = { (char *) location };
    Caseflow__V1__Assignment__AddWorker body = CASEFLOW__V1__ASSIGNMENT__ADD_WORKER__INIT;
    body.worker_id = (char *) id;
    body.name = "A. Worker";
    body.fte_milli = fte_milli;
    body.locations = locations;
    body.n_locations = 1;
    body.expertise = s_domains (expertise, &body.n_expertise);
    body.max_caseload = max_caseload;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_WORKER;
    command.add_worker = &body;
    return s_command (test, NULL, &command);
}

static Caseflow__V1__Reply *
s_case_command (s_test_t *test, Caseflow__V1__Assignment__Command__BodyCase which,
                const char *case_id)
{
    Caseflow__V1__Assignment__Start start = CASEFLOW__V1__ASSIGNMENT__START__INIT;
    Caseflow__V1__Assignment__Complete complete = CASEFLOW__V1__ASSIGNMENT__COMPLETE__INIT;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = which;
    if (which == CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_START) {
        start.case_id = (char *) case_id;
        command.start = &start;
    } else {
        complete.case_id = (char *) case_id;
        complete.outcome = "helped";
        command.complete = &complete;
    }
    return s_command (test, NULL, &command);
}

static void
s_finish_case (s_test_t *test, const char *case_id)
{
    s_ok (s_case_command (test, CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_START, case_id));
    s_ok (s_case_command (test, CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_COMPLETE, case_id));
}

static Caseflow__V1__Reply *
s_worker_command (s_test_t *test, Caseflow__V1__Assignment__Command__BodyCase which,
                  const char *worker_id, int64_t from)
{
    Caseflow__V1__Assignment__MarkAbsent absent = CASEFLOW__V1__ASSIGNMENT__MARK_ABSENT__INIT;
    Caseflow__V1__Assignment__MarkReturned returned = CASEFLOW__V1__ASSIGNMENT__MARK_RETURNED__INIT;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = which;
    if (which == CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_ABSENT) {
        absent.worker_id = (char *) worker_id;
        absent.from = from;
        command.mark_absent = &absent;
    } else {
        returned.worker_id = (char *) worker_id;
        command.mark_returned = &returned;
    }
    return s_command (test, NULL, &command);
}

//  The case's assignment view, or NULL when the service does not know
//  the case (yet). Free with caseflow__v1__reply__free_unpacked.
static Caseflow__V1__Reply *
s_get (s_test_t *test, const char *case_id)
{
    Caseflow__V1__Assignment__GetAssignment get = CASEFLOW__V1__ASSIGNMENT__GET_ASSIGNMENT__INIT;
    get.case_id = (char *) case_id;
    Caseflow__V1__Assignment__Query query = CASEFLOW__V1__ASSIGNMENT__QUERY__INIT;
    query.body_case = CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_GET_ASSIGNMENT;
    query.get_assignment = &get;
    Caseflow__V1__Reply *reply = s_query (test, &query);
    if (reply->status && reply->status->code != CASEFLOW__V1__STATUS__CODE__OK) {
        caseflow__v1__reply__free_unpacked (reply, NULL);
        return NULL;
    }
    return reply;
}

//  The worker of the case ("" when none), copied into `worker`.
static void
s_worker_of (s_test_t *test, const char *case_id, char worker [64])
{
    worker [0] = 0;
    Caseflow__V1__Reply *reply = s_get (test, case_id);
    if (!reply)
        return;
    Caseflow__V1__Assignment__AssignmentView *view = reply->query->assignment->case_;
    if (view->status == S_ASSIGNED || view->status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ACTIVE)
        snprintf (worker, 64, "%s", view->worker_id);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

//  Waits until the case's worker is `expected` ("" for none: waiting).
static void
s_wait_worker (s_test_t *test, const char *case_id, const char *expected)
{
    char worker [64] = "";
    int64_t deadline = cf_test_now_ms () + S_WAIT_MS;
    while (cf_test_now_ms () < deadline) {
        s_worker_of (test, case_id, worker);
        if (strcmp (worker, expected) == 0)
            return;
        cf_test_sleep_ms (20);
    }
    fail_msg ("case %s: worker \"%s\", expected \"%s\"", case_id, worker, expected);
}

//  Waits until the service has applied intake up to `seq`.
static void
s_wait_intake (s_test_t *test, uint64_t seq)
{
    int64_t deadline = cf_test_now_ms () + S_WAIT_MS;
    while (cf_test_now_ms () < deadline) {
        Caseflow__V1__Reply *reply = cf_testclient_status (test->client);
        uint64_t cursor =
            reply->query->status->n_upstreams ? reply->query->status->upstreams [0]->cursor : 0;
        caseflow__v1__reply__free_unpacked (reply, NULL);
        if (cursor >= seq)
            return;
        cf_test_sleep_ms (20);
    }
    fail_msg ("intake seq %" PRIu64 " not applied in time", seq);
}

static Caseflow__V1__Assignment__WaitingList *
s_waiting (s_test_t *test, Caseflow__V1__Reply **reply_p)
{
    Caseflow__V1__Assignment__Waiting waiting = CASEFLOW__V1__ASSIGNMENT__WAITING__INIT;
    waiting.limit = 1000;
    Caseflow__V1__Assignment__Query query = CASEFLOW__V1__ASSIGNMENT__QUERY__INIT;
    query.body_case = CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_WAITING;
    query.waiting = &waiting;
    *reply_p = s_query (test, &query);
    s_expect_ok (*reply_p);
    return (*reply_p)->query->assignment->waiting;
}

//  Every event of the service's own stream, in order (free each with
//  caseflow__v1__event__free_unpacked, then the array).
static Caseflow__V1__Event **
s_own_stream (s_test_t *test, size_t *count_p)
{
    Caseflow__V1__Event **events = NULL;
    size_t count = 0;
    while (true) {
        cf_testreq_t req;
        cf_testreq_replay (&req, "assignment", count + 1, 0, 0);
        Caseflow__V1__Reply *reply = cf_testclient_call (test->client, &req);
        cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
        Caseflow__V1__ReplayBatch *batch = reply->replay;
        events = realloc (events, (count + batch->n_events + 1) * sizeof *events);
        assert_non_null (events);
        for (size_t i = 0; i < batch->n_events; i++) {
            events [count++] = batch->events [i];
            batch->events [i] = NULL;
        }
        bool done = batch->n_events == 0 || count >= batch->last_seq;
        batch->n_events = 0;
        caseflow__v1__reply__free_unpacked (reply, NULL);
        if (done)
            break;
    }
    *count_p = count;
    return events;
}

static void
s_free_events (Caseflow__V1__Event **events, size_t count)
{
    for (size_t i = 0; i < count; i++)
        caseflow__v1__event__free_unpacked (events [i], NULL);
    free (events);
}

static void
s_restart_same_digest (s_test_t *test)
{
    char before [65], after [65];
    uint64_t applied = cf_testclient_digest (test->client, before);
    assert_int_equal (cf_testproc_stop (&test->proc, SIGTERM, S_WAIT_MS), 0);
    s_start (test, false);
    uint64_t replayed = cf_testclient_digest (test->client, after);
    assert_string_equal (before, after);
    assert_int_equal (applied, replayed);
}

//  ------------------------------------------------------------ the test

static void
test_assignment_end_to_end (void **state)
{
    (void) state;
    s_test_t test = { 0 };
    test.dir = cf_test_tmpdir ("test_assignment");
    assert_int_equal (cf_time_parse ("2022-01-03T09:00:00+01:00", &test.start), 0);
    test.intake = s_intake_new (test.start);
    char data_dir [512];
    snprintf (data_dir, sizeof data_dir, "%s/assignment", test.dir);
    cf_testproc_init (&test.proc, cf_test_binary ("caseflow-assignment"), data_dir);
    snprintf (test.intake_events, sizeof test.intake_events, "--intake-events=%s",
              test.intake->events_endpoint);
    snprintf (test.intake_api, sizeof test.intake_api, "--intake-api=%s",
              test.intake->api_endpoint);
    test.extra [0] = "--clock=manual";
    test.extra [1] = "--clock-start=2022-01-03T09:00:00+01:00";
    test.extra [2] = test.intake_events;
    test.extra [3] = test.intake_api;
    test.extra [4] = "--log-level=warn";
    s_start (&test, true);

    //  -- The roster, a refusal naming the field, an idempotent retry.
    s_ok (s_add_location (&test, NULL, "L1", "North"));
    s_ok (s_add_location (&test, NULL, "L2", "South"));
    Caseflow__V1__Reply *first = s_add_location (&test, "add-L3", "L3", NULL);
    Caseflow__V1__Reply *again = s_add_location (&test, "add-L3", "L3", NULL);
    s_expect_ok (first);
    s_expect_ok (again);
    assert_int_equal (first->command->last_seq, again->command->last_seq);
    caseflow__v1__reply__free_unpacked (first, NULL);
    caseflow__v1__reply__free_unpacked (again, NULL);
    s_ok (s_add_worker (&test, "w1", 1000, "L1", S_DEBT, 2));
    s_ok (s_add_worker (&test, "w2", 1000, "L1", S_DEBT | S_HOUSING, 2));
    s_ok (s_add_worker (&test, "w3", 1000, "L2", S_YOUTH, 0));
    s_ok (s_add_worker (&test, "w5", 1000, "L3", S_OTHER, 3));
    Caseflow__V1__Reply *refused = s_add_worker (&test, "w9", 50, "L1", S_DEBT, 0);
    cf_testclient_assert_status (refused, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 "command.assignment.add_worker.fte_milli");
    caseflow__v1__reply__free_unpacked (refused, NULL);

    //  -- An urgent registration is assigned in the step that applied its
    //  triage: the CaseAssigned names that intake event as its cause.
    s_register (test.intake, "C001", S_DEBT, "L1");
    uint64_t triage_seq = s_triage (test.intake, "C001", S_URGENT);
    s_wait_worker (&test, "C001", "w1");
    {
        size_t count;
        Caseflow__V1__Event **events = s_own_stream (&test, &count);
        const Caseflow__V1__Event *assigned = NULL;
        for (size_t i = 0; i < count; i++)
            if (events [i]->body_case == CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED)
                assigned = events [i];
        assert_non_null (assigned);
        assert_string_equal (assigned->case_id, "C001");
        assert_string_equal (assigned->causation_id, test.intake->ids [triage_seq - 1]);
        assert_int_equal (assigned->case_assigned->urgency, S_URGENT);
        assert_int_equal (assigned->case_assigned->trigger,
                          CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_TRIGGER__ASSIGNMENT_TRIGGER_URGENT);
        assert_true (strlen (assigned->case_assigned->reason) > 20);
        s_free_events (events, count);
    }

    //  -- Regular cases: taken while there is room, then they wait and are
    //  assigned, head first, as capacity frees.
    uint64_t last = 0;
    for (int i = 2; i <= 6; i++) {
        char id [16];
        snprintf (id, sizeof id, "C%03d", i);
        s_register (test.intake, id, S_DEBT, "L1");
        last = s_triage (test.intake, id, S_REGULAR);
    }
    s_wait_intake (&test, last);
    char worker [64];
    s_worker_of (&test, "C002", worker);
    assert_string_equal (worker, "w2");  //  w1 1/2, w2 0/2
    s_worker_of (&test, "C003", worker);
    assert_string_equal (worker, "w1");  //  1/2 each: by id
    s_worker_of (&test, "C004", worker);
    assert_string_equal (worker, "w2");
    Caseflow__V1__Reply *reply;
    Caseflow__V1__Assignment__WaitingList *waiting = s_waiting (&test, &reply);
    assert_int_equal (waiting->total, 2);
    assert_string_equal (waiting->entries [0]->case_id, "C005");
    assert_int_equal (waiting->entries [0]->position, 1);
    assert_string_equal (waiting->entries [1]->case_id, "C006");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    s_finish_case (&test, "C001");
    s_wait_worker (&test, "C005", "w1");
    s_close (test.intake, "C002");
    s_wait_worker (&test, "C006", "w2");

    //  -- A planned absence takes effect when the manual clock reaches
    //  it: w1's regular cases go back to the list (long: no end date).
    s_ok (s_worker_command (&test, CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_ABSENT, "w1",
                            test.start + S_DAY));
    s_worker_of (&test, "C003", worker);
    assert_string_equal (worker, "w1");
    cf_testreq_t req;
    cf_testreq_clock_advance (&req, NULL, S_DAY);
    Caseflow__V1__Reply *clock = cf_testclient_call (test.client, &req);
    cf_testclient_assert_status (clock, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    caseflow__v1__reply__free_unpacked (clock, NULL);
    s_wait_worker (&test, "C003", "");
    s_wait_worker (&test, "C005", "");
    waiting = s_waiting (&test, &reply);
    assert_int_equal (waiting->total, 2);
    assert_string_equal (waiting->entries [0]->case_id, "C003");
    assert_string_equal (waiting->entries [1]->case_id, "C005");
    assert_string_equal (waiting->entries [0]->continuity_worker, "w1");
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  -- Restart: the same state, digest for digest.
    s_restart_same_digest (&test);

    //  -- After the restart: w1 returns and gets their residents back
    //  (continuity); intake goes on where it was.
    s_ok (s_worker_command (&test, CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_RETURNED, "w1", 0));
    s_wait_worker (&test, "C003", "w1");
    s_wait_worker (&test, "C005", "w1");
    reply = s_get (&test, "C005");
    assert_non_null (reply);
    Caseflow__V1__Assignment__AssignmentView *view = reply->query->assignment->case_;
    assert_int_equal (view->history [view->n_history - 1]->rule,
                      CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_RULE__ASSIGNMENT_RULE_CONTINUITY);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    s_register (test.intake, "C007", S_YOUTH, "L2");
    s_triage (test.intake, "C007", S_URGENT);
    s_wait_worker (&test, "C007", "w3");
    //  A resident of a district L2 serves, registered without a location:
    //  w3 serves area L2; w5, with expertise in other and the lower load,
    //  serves only L3.
    s_register_in (test.intake, "C008", S_YOUTH | S_OTHER, NULL, "L2");
    s_triage (test.intake, "C008", S_URGENT);
    s_wait_worker (&test, "C008", "w3");
    reply = s_get (&test, "C008");
    assert_non_null (reply);
    view = reply->query->assignment->case_;
    assert_non_null (strstr (view->history [view->n_history - 1]->reason, "serving area L2)"));
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  -- Fairness: 240 regular cases for w5 (3 at a time) at L3, and one
    //  case at a time completed: each place goes to the head of the list.
    enum { N = 240, ROUNDS = 60 };
    for (int i = 0; i < N; i++) {
        char id [16];
        snprintf (id, sizeof id, "F%03d", (i * 7) % N);  //  ids not in triage order
        s_register (test.intake, id, S_OTHER, "L3");
        last = s_triage (test.intake, id, S_REGULAR);
    }
    s_wait_intake (&test, last);
    for (int round = 0; round < ROUNDS; round++) {
        //  The head of the list is the next one in.
        waiting = s_waiting (&test, &reply);
        assert_int_equal (waiting->total, N - 3 - (unsigned) round);
        char head [16];
        snprintf (head, sizeof head, "%s", waiting->entries [0]->case_id);
        caseflow__v1__reply__free_unpacked (reply, NULL);
        //  One of w5's cases completes.
        Caseflow__V1__Assignment__ListWorkers list = CASEFLOW__V1__ASSIGNMENT__LIST_WORKERS__INIT;
        list.location = "L3";
        Caseflow__V1__Assignment__Query query = CASEFLOW__V1__ASSIGNMENT__QUERY__INIT;
        query.body_case = CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_LIST_WORKERS;
        query.list_workers = &list;
        reply = s_query (&test, &query);
        s_expect_ok (reply);
        Caseflow__V1__Assignment__WorkerView *w5 = reply->query->assignment->workers->workers [0];
        assert_string_equal (w5->worker_id, "w5");
        assert_int_equal (w5->caseload, 3);
        char done [16];
        snprintf (done, sizeof done, "%s", w5->cases [round % 3]);
        caseflow__v1__reply__free_unpacked (reply, NULL);
        s_finish_case (&test, done);
        s_worker_of (&test, head, worker);
        assert_string_equal (worker, "w5");
    }
    //  The service's own stream shows the F cases assigned in triage order.
    {
        size_t count;
        Caseflow__V1__Event **events = s_own_stream (&test, &count);
        int expected = 0, seen = 0;
        for (size_t i = 0; i < count; i++) {
            if (events [i]->body_case != CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED
                || events [i]->case_id [0] != 'F')
                continue;
            char id [16];
            snprintf (id, sizeof id, "F%03d", (expected * 7) % N);
            assert_string_equal (events [i]->case_id, id);
            expected++;
            seen++;
        }
        assert_int_equal (seen, 3 + ROUNDS);
        s_free_events (events, count);
    }

    //  -- And once more across a restart.
    s_restart_same_digest (&test);
    waiting = s_waiting (&test, &reply);
    assert_int_equal (waiting->total, N - 3 - ROUNDS);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    assert_int_equal (cf_testproc_stop (&test.proc, SIGTERM, S_WAIT_MS), 0);
    cf_api_client_destroy (&test.client);
    cf_testproc_destroy (&test.proc);
    s_intake_destroy (&test.intake);
    cf_test_rmtree (test.dir);
    free (test.dir);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_assignment_end_to_end),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
