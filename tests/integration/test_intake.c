//  test_intake: the real caseflow-intake binary, driven over ZeroMQ.
//
//  Two fake upstream producers stand in for the handover and assignment
//  services: each is a PUB (cf_bus_publisher) plus a ROUTER answering
//  ReplayRequests from an in-memory array of encoded events, served by a
//  thread that also publishes new events live and sends a heartbeat every
//  200 ms. The test registers, triages, records callbacks, runs tracks and
//  closes cases through the api; feeds handover and assignment events;
//  stops and restarts the service and checks that the state digest is the
//  same, that a completed handover became a case exactly once (across
//  restarts, and when the producer completes the same handover twice), and
//  that a retried command is answered from the store.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_bus_publisher.h"
#include "cf_event.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testproc.h"
#include "cf_time.h"

#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OK      CASEFLOW__V1__STATUS__CODE__OK
#define S_BATCH 100

//  ------------------------------------------------------ the fake producer

typedef struct {
    char stream [32];
    cf_bus_publisher_t *publisher;
    zsock_t *router;
    char *api_endpoint;
    char events_endpoint [128];
    pthread_t thread;
    atomic_bool stop;
    pthread_mutex_t lock;
    uint8_t **encoded;  //  seq N at [N - 1]
    size_t *sizes;
    size_t count;
    size_t published;  //  live-published so far
} s_producer_t;

static void
s_producer_serve (s_producer_t *self)
{
    zmsg_t *msg = zmsg_recv (self->router);
    if (!msg)
        return;
    zframe_t *identity = zmsg_pop (msg);
    zframe_t *body = zmsg_pop (msg);
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "");
    Caseflow__V1__Request *request =
        body ? cf_api_decode_request (zframe_data (body), zframe_size (body), &reply) : NULL;
    if (request && request->body_case == CASEFLOW__V1__REQUEST__BODY_REPLAY
        && strcmp (request->replay->stream, self->stream) == 0) {
        Caseflow__V1__ReplayBatch *batch = malloc (sizeof *batch);
        assert (batch);
        caseflow__v1__replay_batch__init (batch);
        batch->stream = cf_strdup (self->stream);
        batch->events = calloc (S_BATCH, sizeof *batch->events);
        assert (batch->events);
        pthread_mutex_lock (&self->lock);
        batch->last_seq = self->count;
        for (uint64_t seq = request->replay->from_seq ? request->replay->from_seq : 1;
             seq <= self->count && batch->n_events < S_BATCH; seq++)
            batch->events [batch->n_events++] =
                caseflow__v1__event__unpack (NULL, self->sizes [seq - 1], self->encoded [seq - 1]);
        pthread_mutex_unlock (&self->lock);
        reply.result_case = CASEFLOW__V1__REPLY__RESULT_REPLAY;
        reply.replay = batch;
    }
    size_t size;
    void *data = cf_api_encode_reply (&reply, &size);
    zmsg_t *answer = zmsg_new ();
    zmsg_append (answer, &identity);
    zmsg_addmem (answer, data, size);
    zmsg_send (&answer, self->router);
    free (data);
    cf_api_reply_clear (&reply);
    if (request)
        caseflow__v1__request__free_unpacked (request, NULL);
    zframe_destroy (&body);
    zframe_destroy (&identity);
    zmsg_destroy (&msg);
}

static void
s_producer_publish_new (s_producer_t *self)
{
    pthread_mutex_lock (&self->lock);
    while (self->published < self->count) {
        size_t index = self->published++;
        Caseflow__V1__Event *event =
            caseflow__v1__event__unpack (NULL, self->sizes [index], self->encoded [index]);
        assert (event);
        cf_bus_publisher_send (self->publisher, event, self->encoded [index], self->sizes [index]);
        caseflow__v1__event__free_unpacked (event, NULL);
    }
    uint64_t last = self->count;
    pthread_mutex_unlock (&self->lock);
    cf_bus_publisher_heartbeat (self->publisher, last, cf_time_system_now ());
}

static void *
s_producer_run (void *arg)
{
    s_producer_t *self = arg;
    zpoller_t *poller = zpoller_new (self->router, NULL);
    assert (poller);
    int64_t next_beat = 0;
    while (!atomic_load (&self->stop)) {
        if (zpoller_wait (poller, 50) == self->router)
            while (zsock_events (self->router) & ZMQ_POLLIN)
                s_producer_serve (self);
        if (zclock_mono () >= next_beat) {
            s_producer_publish_new (self);
            next_beat = zclock_mono () + 200;
        }
    }
    zpoller_destroy (&poller);
    return NULL;
}

static s_producer_t *
s_producer_new (const char *stream)
{
    s_producer_t *self = calloc (1, sizeof *self);
    assert_non_null (self);
    snprintf (self->stream, sizeof self->stream, "%s", stream);
    self->publisher = cf_bus_publisher_new ("tcp://127.0.0.1:*", stream, 0);
    assert_non_null (self->publisher);
    snprintf (self->events_endpoint, sizeof self->events_endpoint, "%s",
              cf_bus_publisher_endpoint (self->publisher));
    self->router = zsock_new (ZMQ_ROUTER);
    assert_non_null (self->router);
    zsock_set_linger (self->router, 0);
    assert_true (zsock_bind (self->router, "tcp://127.0.0.1:*") > 0);
    self->api_endpoint = zsock_last_endpoint (self->router);
    pthread_mutex_init (&self->lock, NULL);
    assert_int_equal (pthread_create (&self->thread, NULL, s_producer_run, self), 0);
    return self;
}

static void
s_producer_destroy (s_producer_t **self_p)
{
    s_producer_t *self = *self_p;
    atomic_store (&self->stop, true);
    pthread_join (self->thread, NULL);
    cf_bus_publisher_destroy (&self->publisher);
    zsock_destroy (&self->router);
    zstr_free (&self->api_endpoint);
    for (size_t i = 0; i < self->count; i++)
        free (self->encoded [i]);
    free (self->encoded);
    free (self->sizes);
    pthread_mutex_destroy (&self->lock);
    free (self);
    *self_p = NULL;
}

//  Commits the next event of the stream (the body is set by the caller);
//  the producer's thread publishes it at its next beat.
static void
s_producer_append (s_producer_t *self, Caseflow__V1__Event *event)
{
    pthread_mutex_lock (&self->lock);
    char id [48];
    uint64_t seq = self->count + 1;
    snprintf (id, sizeof id, "%s-%06" PRIu64, self->stream, seq);
    event->id = id;
    event->stream = self->stream;
    event->seq = seq;
    event->occurred_at = INT64_C (1641805200000000) + (int64_t) seq;
    event->schema_version = 1;
    size_t size = caseflow__v1__event__get_packed_size (event);
    uint8_t *data = malloc (size);
    assert (data);
    caseflow__v1__event__pack (event, data);
    self->encoded = realloc (self->encoded, (self->count + 1) * sizeof *self->encoded);
    self->sizes = realloc (self->sizes, (self->count + 1) * sizeof *self->sizes);
    assert (self->encoded && self->sizes);
    self->encoded [self->count] = data;
    self->sizes [self->count] = size;
    self->count++;
    pthread_mutex_unlock (&self->lock);
}

static void
s_handover_completed (s_producer_t *self, const char *handover_id, const char *name,
                      Caseflow__V1__Handover__NextStep next_step, Caseflow__V1__Urgency urgency)
{
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = (char *) name;
    resident.birth_date = "1975-02-03";
    Caseflow__V1__Domain domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH };
    Caseflow__V1__Handover__HandoverCompleted body =
        CASEFLOW__V1__HANDOVER__HANDOVER_COMPLETED__INIT;
    body.handover_id = (char *) handover_id;
    body.provider_id = "P01";
    body.next_step = next_step;
    body.resident = &resident;
    body.domains = domains;
    body.n_domains = 1;
    body.support = "ambulant youth support";
    body.preferred_worker = "w7";
    body.urgency = urgency;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED;
    event.handover_completed = &body;
    s_producer_append (self, &event);
}

static void
s_case_assigned (s_producer_t *self, const char *case_id, const char *worker)
{
    Caseflow__V1__Assignment__CaseAssigned body = CASEFLOW__V1__ASSIGNMENT__CASE_ASSIGNED__INIT;
    body.case_id = (char *) case_id;
    body.worker_id = (char *) worker;
    body.rule = CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_RULE__ASSIGNMENT_RULE_BEST_MATCH;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = (char *) case_id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED;
    event.case_assigned = &body;
    s_producer_append (self, &event);
}

static void
s_case_started (s_producer_t *self, const char *case_id, const char *worker)
{
    Caseflow__V1__Assignment__CaseStarted body = CASEFLOW__V1__ASSIGNMENT__CASE_STARTED__INIT;
    body.case_id = (char *) case_id;
    body.worker_id = (char *) worker;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = (char *) case_id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_STARTED;
    event.case_started = &body;
    s_producer_append (self, &event);
}

//  ------------------------------------------------------------ the client

typedef struct {
    cf_testproc_t proc;
    char *dir;
    s_producer_t *handover;
    s_producer_t *assignment;
    s_producer_t *notification;  //  publishes nothing: intake follows it for retention
    cf_api_client_t *client;
    char flags [6][200];
} s_fixture_t;

static Caseflow__V1__Reply *
s_command (s_fixture_t *f, const char *request_id, Caseflow__V1__Intake__Command *intake)
{
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
    command.intake = intake;
    return cf_testclient_command (f->client, request_id, &command);
}

static Caseflow__V1__Reply *
s_query (s_fixture_t *f, Caseflow__V1__Intake__Query *intake)
{
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_INTAKE;
    query.intake = intake;
    return cf_testclient_query (f->client, &query);
}

static Caseflow__V1__Status__Code
s_code (const Caseflow__V1__Reply *reply)
{
    return reply->status ? reply->status->code : OK;
}

//  Registers; returns the reply (caller frees).
static Caseflow__V1__Reply *
s_register (s_fixture_t *f, const char *request_id, Caseflow__V1__Channel channel,
            const char *location, const char *name, const char *bsn, Caseflow__V1__Urgency urgency)
{
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = (char *) name;
    resident.birth_date = "1980-05-17";
    resident.bsn = (char *) bsn;
    Caseflow__V1__Domain domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT };
    Caseflow__V1__Intake__Register body = CASEFLOW__V1__INTAKE__REGISTER__INIT;
    body.channel = channel;
    body.location = (char *) location;
    body.resident = &resident;
    body.domains = domains;
    body.n_domains = 1;
    body.question = "Help with debts";
    body.urgency = urgency;
    body.reason = urgency ? "triaged at the desk" : "";
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_REGISTER;
    command.register_ = &body;
    return s_command (f, request_id, &command);
}

//  GetCase: the case's status, or 0 when the service does not know it.
static Caseflow__V1__CaseStatus
s_status_of (s_fixture_t *f, const char *case_id)
{
    Caseflow__V1__Intake__GetCase body = CASEFLOW__V1__INTAKE__GET_CASE__INIT;
    body.case_id = (char *) case_id;
    Caseflow__V1__Intake__Query query = CASEFLOW__V1__INTAKE__QUERY__INIT;
    query.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_GET_CASE;
    query.get_case = &body;
    Caseflow__V1__Reply *reply = s_query (f, &query);
    Caseflow__V1__CaseStatus status = CASEFLOW__V1__CASE_STATUS__CASE_STATUS_UNSPECIFIED;
    if (s_code (reply) == OK)
        status = reply->query->intake->case_->status;
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return status;
}

static bool
s_wait_status (s_fixture_t *f, const char *case_id, Caseflow__V1__CaseStatus status)
{
    for (int i = 0; i < 200; i++) {
        if (s_status_of (f, case_id) == status)
            return true;
        cf_test_sleep_ms (50);
    }
    return false;
}

//  Number of cases (one page of at most 1000 is enough here).
static size_t
s_case_count (s_fixture_t *f)
{
    Caseflow__V1__Intake__ListCases body = CASEFLOW__V1__INTAKE__LIST_CASES__INIT;
    body.limit = 1000;
    Caseflow__V1__Intake__Query query = CASEFLOW__V1__INTAKE__QUERY__INIT;
    query.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_LIST_CASES;
    query.list_cases = &body;
    Caseflow__V1__Reply *reply = s_query (f, &query);
    assert_int_equal (s_code (reply), OK);
    size_t count = reply->query->intake->cases->n_cases;
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return count;
}

static void
s_start (s_fixture_t *f, bool first)
{
    const char *extra [] = { "--clock=manual",    "--clock-start=2022-01-10T09:00",
                             f->flags [0],        f->flags [1],
                             f->flags [2],        f->flags [3],
                             f->flags [4],        f->flags [5],
                             "--log-level=debug", NULL };
    assert_true (cf_testclient_start (&f->proc, extra, first, 60000));
    if (!f->client)
        f->client = cf_testclient_new (f->proc.api);
}

static void
s_stop (s_fixture_t *f)
{
    assert_int_equal (cf_testproc_stop (&f->proc, SIGTERM, 20000), 0);
}

static void
s_digest (s_fixture_t *f, char sha [65])
{
    cf_testclient_digest (f->client, sha);
}

//  ------------------------------------------------------------------ tests

static int
s_setup (void **state)
{
    *state = calloc (1, sizeof (s_fixture_t));
    return *state ? 0 : -1;
}

//  Runs even when a test fails: no service or producer thread outlives it.
static int
s_teardown (void **state)
{
    s_fixture_t *f = *state;
    cf_api_client_destroy (&f->client);
    cf_testproc_destroy (&f->proc);
    if (f->handover)
        s_producer_destroy (&f->handover);
    if (f->assignment)
        s_producer_destroy (&f->assignment);
    if (f->notification)
        s_producer_destroy (&f->notification);
    if (f->dir)
        cf_test_rmtree (f->dir);
    free (f->dir);
    free (f);
    return 0;
}

static void
test_intake_end_to_end (void **state)
{
    s_fixture_t *f = *state;
    f->dir = cf_test_tmpdir ("intake");
    char data_dir [512];
    snprintf (data_dir, sizeof data_dir, "%s/intake", f->dir);
    cf_testproc_init (&f->proc, cf_test_binary ("caseflow-intake"), data_dir);
    f->handover = s_producer_new ("handover");
    f->assignment = s_producer_new ("assignment");
    snprintf (f->flags [0], sizeof f->flags [0], "--handover-events=%s",
              f->handover->events_endpoint);
    snprintf (f->flags [1], sizeof f->flags [1], "--handover-api=%s", f->handover->api_endpoint);
    snprintf (f->flags [2], sizeof f->flags [2], "--assignment-events=%s",
              f->assignment->events_endpoint);
    snprintf (f->flags [3], sizeof f->flags [3], "--assignment-api=%s",
              f->assignment->api_endpoint);
    f->notification = s_producer_new ("notification");
    snprintf (f->flags [4], sizeof f->flags [4], "--notification-events=%s",
              f->notification->events_endpoint);
    snprintf (f->flags [5], sizeof f->flags [5], "--notification-api=%s",
              f->notification->api_endpoint);

    //  Committed before intake starts: one that continues here, one that does not.
    s_handover_completed (f->handover, "H000001", "Eva Mulder",
                          CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE,
                          CASEFLOW__V1__URGENCY__URGENCY_REGULAR);
    s_handover_completed (f->handover, "H000002", "Frits Bakker",
                          CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_STAY,
                          CASEFLOW__V1__URGENCY__URGENCY_REGULAR);
    s_start (f, true);

    //  Ready means caught up: the handover is case C000001, waiting.
    assert_true (s_wait_status (f, "C000001", CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING));
    assert_int_equal (s_case_count (f), 1);

    //  Registrations over the wire.
    Caseflow__V1__Reply *reply =
        s_register (f, "reg-anna", CASEFLOW__V1__CHANNEL__CHANNEL_PHONE, "", "Anna de Vries",
                    "111222333", CASEFLOW__V1__URGENCY__URGENCY_URGENT);
    assert_int_equal (s_code (reply), OK);
    const Caseflow__V1__Intake__RegisterResult *registered = reply->command->intake->registered;
    assert_string_equal (registered->case_id, "C000002");
    assert_int_equal (registered->status, CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT);
    assert_false (registered->joined_existing);
    assert_true (reply->command->last_seq > 0);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    reply = s_register (f, "reg-bram", CASEFLOW__V1__CHANNEL__CHANNEL_WALK_IN, "wijkhuis-west",
                        "Bram Jansen", "", CASEFLOW__V1__URGENCY__URGENCY_REGULAR);
    assert_int_equal (s_code (reply), OK);
    assert_string_equal (reply->command->intake->registered->case_id, "C000003");
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  The same resident again (by BSN) joins the open case.
    reply = s_register (f, "reg-anna-again", CASEFLOW__V1__CHANNEL__CHANNEL_WEB, "", "A. de Vries",
                        "111222333", CASEFLOW__V1__URGENCY__URGENCY_UNSPECIFIED);
    assert_int_equal (s_code (reply), OK);
    assert_string_equal (reply->command->intake->registered->case_id, "C000002");
    assert_true (reply->command->intake->registered->joined_existing);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  A validation error names the field; an illegal move names the status.
    reply = s_register (f, "reg-bad", CASEFLOW__V1__CHANNEL__CHANNEL_PHONE, "", "Cor Smits",
                        "123456789", CASEFLOW__V1__URGENCY__URGENCY_UNSPECIFIED);
    assert_int_equal (s_code (reply), CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
    assert_string_equal (reply->status->field, "command.intake.register.resident.bsn");
    caseflow__v1__reply__free_unpacked (reply, NULL);

    Caseflow__V1__Intake__RecordCallback callback = CASEFLOW__V1__INTAKE__RECORD_CALLBACK__INIT;
    callback.case_id = "C000003";
    callback.outcome = CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_NOT_REACHED;
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_RECORD_CALLBACK;
    command.record_callback = &callback;
    reply = s_command (f, "cb-1", &command);
    assert_int_equal (s_code (reply), OK);
    assert_int_equal (reply->command->intake->case_->consecutive_unanswered, 1);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    Caseflow__V1__Intake__CreateTrack track = CASEFLOW__V1__INTAKE__CREATE_TRACK__INIT;
    track.track_id = "T1";
    track.name = "Budget course";
    track.location = "wijkhuis-west";
    track.capacity = 12;
    track.starts_on = "2022-02-01";
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_CREATE_TRACK;
    command.create_track = &track;
    reply = s_command (f, "track-1", &command);
    assert_int_equal (s_code (reply), OK);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    Caseflow__V1__Intake__JoinTrack join = CASEFLOW__V1__INTAKE__JOIN_TRACK__INIT;
    join.case_id = "C000003";
    join.track_id = "T1";
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_JOIN_TRACK;
    command.join_track = &join;
    reply = s_command (f, "join-1", &command);
    assert_int_equal (s_code (reply), OK);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  Assignment's facts move the urgent case: assigned, then active.
    s_case_assigned (f->assignment, "C000002", "w1");
    s_case_started (f->assignment, "C000002", "w1");
    assert_true (s_wait_status (f, "C000002", CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ACTIVE));

    Caseflow__V1__Intake__Triage triage = CASEFLOW__V1__INTAKE__TRIAGE__INIT;
    triage.case_id = "C000002";
    triage.urgency = CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
    triage.reason = "stable now";
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_TRIAGE;
    command.triage = &triage;
    reply = s_command (f, "triage-1", &command);
    assert_int_equal (s_code (reply), OK);
    assert_int_equal (reply->command->intake->case_->status,
                      CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ACTIVE);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    Caseflow__V1__Intake__Advise advise = CASEFLOW__V1__INTAKE__ADVISE__INIT;
    advise.case_id = "C000001";
    advise.note = "advice about the school's support";
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_ADVISE;
    command.advise = &advise;
    reply = s_command (f, "advise-1", &command);
    assert_int_equal (s_code (reply), OK);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    reply = s_command (f, "advise-2", &command);
    assert_int_equal (s_code (reply), CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION);
    assert_non_null (strstr (reply->status->message, "closed"));
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  Restart: the same state, digest for digest.
    char before [65], after [65];
    s_digest (f, before);
    s_stop (f);
    s_start (f, false);
    s_digest (f, after);
    assert_string_equal (before, after);
    assert_int_equal (s_case_count (f), 3);

    //  A retried command is answered from the store, not acted on twice.
    reply = s_register (f, "reg-bram", CASEFLOW__V1__CHANNEL__CHANNEL_WALK_IN, "wijkhuis-west",
                        "Bram Jansen", "", CASEFLOW__V1__URGENCY__URGENCY_REGULAR);
    assert_int_equal (s_code (reply), OK);
    assert_string_equal (reply->command->intake->registered->case_id, "C000003");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    assert_int_equal (s_case_count (f), 3);

    //  While intake is down the handover stream moves on: a new handover,
    //  and the first one completed a second time. Only the new one counts.
    s_stop (f);
    s_handover_completed (f->handover, "H000003", "Gerda Kok",
                          CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE,
                          CASEFLOW__V1__URGENCY__URGENCY_URGENT);
    s_handover_completed (f->handover, "H000001", "Eva Mulder",
                          CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE,
                          CASEFLOW__V1__URGENCY__URGENCY_REGULAR);
    s_start (f, false);
    assert_true (s_wait_status (f, "C000004", CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT));
    assert_int_equal (s_case_count (f), 4);
    //  And live, while it runs.
    s_handover_completed (f->handover, "H000004", "Hans Visser",
                          CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE,
                          CASEFLOW__V1__URGENCY__URGENCY_REGULAR);
    assert_true (s_wait_status (f, "C000005", CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING));
    s_digest (f, before);
    s_stop (f);
    s_start (f, false);
    s_digest (f, after);
    assert_string_equal (before, after);
    assert_int_equal (s_case_count (f), 5);
    assert_int_equal (s_status_of (f, "C000006"),
                      CASEFLOW__V1__CASE_STATUS__CASE_STATUS_UNSPECIFIED);
    s_stop (f);

    //  Privacy: the log (at debug level) names ids, never personal data.
    FILE *log = fopen (f->proc.log_path, "r");
    assert_non_null (log);
    char line [4096];
    size_t lines = 0;
    while (fgets (line, sizeof line, log)) {
        lines++;
        const char *personal [] = { "Anna",   "Vries",      "111222333",  "Bram",  "Eva",
                                    "Mulder", "1980-05-17", "1975-02-03", "Gerda", NULL };
        for (size_t i = 0; personal [i]; i++)
            if (strstr (line, personal [i]))
                fail_msg ("the log names \"%s\": %s", personal [i], line);
    }
    fclose (log);
    assert_true (lines > 10);
}

int
main (void)
{
    zsys_handler_set (NULL);
    cf_time_init ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_intake_end_to_end, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
