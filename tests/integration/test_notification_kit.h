//  test_notification_kit: what the notification integration tests and the
//  timer benchmark share (header-only; static inline functions).
//
//  - nk_fake_t: fake intake, assignment and handover producers in one
//    actor thread. Each stream has a cf_bus_publisher (PUB, heartbeat every
//    100 ms) and a ROUTER answering ReplayRequests from an in-memory array
//    of encoded Events, so the service subscribes, catches up and follows
//    exactly as it follows the real services. Events are appended with the
//    nk_register / nk_triage / ... builders at times the test chooses.
//  - nk_service_t: the real caseflow-notification binary on loopback,
//    pointed at the fake, with its own data directory.
//  - nk_follower_t: a consumer of the notification stream in an actor
//    thread (a cf_bus_subscriber, as caseflowctl reminders follow uses),
//    recording every ReminderDue in the order delivered.
#ifndef TEST_NOTIFICATION_KIT_H
#define TEST_NOTIFICATION_KIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_bus_publisher.h"
#include "cf_bus_subscriber.h"
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

#define NK_DAY        INT64_C (86400000000)
#define NK_HOUR       INT64_C (3600000000)
#define NK_WAIT_MS    30000
#define NK_INTAKE     0
#define NK_ASSIGNMENT 1
#define NK_HANDOVER   2

static const char *const nk_stream_names [3] = { "intake", "assignment", "handover" };

//  ------------------------------------------------------ fake producers

typedef struct {
    uint8_t **data;  //  Event seq N at [N - 1]
    size_t *sizes;
    size_t count, cap;
    size_t published;  //  actor only
    char events_endpoint [128];
    char api_endpoint [128];
} nk_stream_t;

typedef struct {
    pthread_mutex_t lock;
    nk_stream_t streams [3];
    bool quiet;  //  do not publish live: heartbeats only (subscribers replay)
    zactor_t *actor;
} nk_fake_t;

static inline void
nk_send_batch (nk_fake_t *self, int index, zsock_t *router, zframe_t *identity,
               const char *request_id, uint64_t from, uint32_t max_events)
{
    nk_stream_t *stream = &self->streams [index];
    size_t limit = max_events && max_events < 2000 ? max_events : 2000;
    Caseflow__V1__ReplayBatch batch = CASEFLOW__V1__REPLAY_BATCH__INIT;
    batch.stream = (char *) nk_stream_names [index];
    Caseflow__V1__Event **events = calloc (limit + 1, sizeof *events);
    assert (events);
    pthread_mutex_lock (&self->lock);
    batch.last_seq = stream->count;
    for (uint64_t seq = from; seq >= 1 && seq <= stream->count && batch.n_events < limit; seq++)
        events [batch.n_events++] =
            caseflow__v1__event__unpack (NULL, stream->sizes [seq - 1], stream->data [seq - 1]);
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
    free (events);
}

static inline void
nk_serve (nk_fake_t *self, int index, zsock_t *router)
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
            && strcmp (request->replay->stream, nk_stream_names [index]) == 0)
            nk_send_batch (self, index, router, identity, request->request_id,
                           request->replay->from_seq, request->replay->max_events);
        if (request)
            caseflow__v1__request__free_unpacked (request, NULL);
        cf_api_reply_clear (&reply);
        zmsg_destroy (&msg);
    }
}

static inline void
nk_fake_actor (zsock_t *pipe, void *args)
{
    nk_fake_t *self = args;
    cf_bus_publisher_t *publishers [3];
    zsock_t *routers [3];
    for (int i = 0; i < 3; i++) {
        publishers [i] = cf_bus_publisher_new ("tcp://127.0.0.1:*", nk_stream_names [i], 100000);
        routers [i] = zsock_new (ZMQ_ROUTER);
        assert (publishers [i] && routers [i]);
        zsock_set_linger (routers [i], 0);
        zsock_set_sndhwm (routers [i], 100000);
        int port = zsock_bind (routers [i], "tcp://127.0.0.1:*");
        assert (port > 0);
        snprintf (self->streams [i].events_endpoint, sizeof self->streams [i].events_endpoint, "%s",
                  cf_bus_publisher_endpoint (publishers [i]));
        snprintf (self->streams [i].api_endpoint, sizeof self->streams [i].api_endpoint,
                  "tcp://127.0.0.1:%d", port);
    }
    zsock_signal (pipe, 0);
    zpoller_t *poller = zpoller_new (pipe, routers [0], routers [1], routers [2], NULL);
    int64_t heartbeat_at = 0;
    while (cf_testactor_wait (poller, pipe, 20)) {
        for (int i = 0; i < 3; i++)
            nk_serve (self, i, routers [i]);
        uint64_t last [3];
        pthread_mutex_lock (&self->lock);
        for (int i = 0; i < 3; i++) {
            nk_stream_t *stream = &self->streams [i];
            while (!self->quiet && stream->published < stream->count) {
                size_t index = stream->published++;
                Caseflow__V1__Event *event =
                    caseflow__v1__event__unpack (NULL, stream->sizes [index], stream->data [index]);
                cf_bus_publisher_send (publishers [i], event, stream->data [index],
                                       stream->sizes [index]);
                caseflow__v1__event__free_unpacked (event, NULL);
            }
            last [i] = stream->count;
        }
        pthread_mutex_unlock (&self->lock);
        if (zclock_mono () >= heartbeat_at) {
            for (int i = 0; i < 3; i++)
                cf_bus_publisher_heartbeat (publishers [i], last [i], 0);
            heartbeat_at = zclock_mono () + 100;
        }
    }
    zpoller_destroy (&poller);
    for (int i = 0; i < 3; i++) {
        zsock_destroy (&routers [i]);
        cf_bus_publisher_destroy (&publishers [i]);
    }
}

static inline nk_fake_t *
nk_fake_new (bool quiet)
{
    nk_fake_t *self = calloc (1, sizeof *self);
    assert (self);
    pthread_mutex_init (&self->lock, NULL);
    self->quiet = quiet;
    self->actor = zactor_new (nk_fake_actor, self);
    assert (self->actor);
    return self;
}

static inline void
nk_fake_destroy (nk_fake_t **self_p)
{
    nk_fake_t *self = *self_p;
    if (!self)
        return;
    zactor_destroy (&self->actor);
    for (int i = 0; i < 3; i++) {
        for (size_t e = 0; e < self->streams [i].count; e++)
            free (self->streams [i].data [e]);
        free (self->streams [i].data);
        free (self->streams [i].sizes);
    }
    pthread_mutex_destroy (&self->lock);
    free (self);
    *self_p = NULL;
}

//  Commits one event of stream `index` (seq, id, times stamped here) and
//  has it published. Returns its seq.
static inline uint64_t
nk_append (nk_fake_t *self, int index, Caseflow__V1__Event *event, const char *case_id, int64_t at)
{
    pthread_mutex_lock (&self->lock);
    nk_stream_t *stream = &self->streams [index];
    char id [48];
    snprintf (id, sizeof id, "%s-%08zu", nk_stream_names [index], stream->count + 1);
    event->id = id;
    event->stream = (char *) nk_stream_names [index];
    event->seq = stream->count + 1;
    event->occurred_at = at;
    event->case_id = (char *) (case_id ? case_id : "");
    event->schema_version = 1;
    size_t size = caseflow__v1__event__get_packed_size (event);
    uint8_t *data = malloc (size);
    assert (data);
    caseflow__v1__event__pack (event, data);
    if (stream->count == stream->cap) {
        stream->cap = stream->cap ? stream->cap * 2 : 64;
        stream->data = realloc (stream->data, stream->cap * sizeof *stream->data);
        stream->sizes = realloc (stream->sizes, stream->cap * sizeof *stream->sizes);
        assert (stream->data && stream->sizes);
    }
    stream->data [stream->count] = data;
    stream->sizes [stream->count] = size;
    uint64_t seq = ++stream->count;
    bool quiet = self->quiet;
    pthread_mutex_unlock (&self->lock);
    if (!quiet)
        zstr_send (self->actor, "PUBLISH");
    return seq;
}

static inline uint64_t
nk_count (nk_fake_t *self, int index)
{
    pthread_mutex_lock (&self->lock);
    uint64_t count = self->streams [index].count;
    pthread_mutex_unlock (&self->lock);
    return count;
}

static inline uint64_t
nk_register (nk_fake_t *fake, const char *case_id, const char *location, int64_t at)
{
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = "A. Resident";
    Caseflow__V1__Domain domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT };
    Caseflow__V1__Intake__CaseRegistered body = CASEFLOW__V1__INTAKE__CASE_REGISTERED__INIT;
    body.case_id = (char *) case_id;
    body.channel = CASEFLOW__V1__CHANNEL__CHANNEL_WALK_IN;
    body.location = (char *) location;
    body.resident = &resident;
    body.domains = domains;
    body.n_domains = 1;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED;
    event.case_registered = &body;
    return nk_append (fake, NK_INTAKE, &event, case_id, at);
}

//  Triage as intake writes it: status WAITING for regular, URGENT for urgent.
static inline uint64_t
nk_triage (nk_fake_t *fake, const char *case_id, bool urgent, int64_t at)
{
    Caseflow__V1__Intake__CaseTriaged body = CASEFLOW__V1__INTAKE__CASE_TRIAGED__INIT;
    body.case_id = (char *) case_id;
    body.urgency =
        urgent ? CASEFLOW__V1__URGENCY__URGENCY_URGENT : CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
    body.reason = "triaged by the test";
    body.status = urgent ? CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT
                         : CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED;
    event.case_triaged = &body;
    return nk_append (fake, NK_INTAKE, &event, case_id, at);
}

static inline uint64_t
nk_status (nk_fake_t *fake, const char *case_id, Caseflow__V1__CaseStatus status, int64_t at)
{
    Caseflow__V1__Intake__CaseStatusChanged body = CASEFLOW__V1__INTAKE__CASE_STATUS_CHANGED__INIT;
    body.case_id = (char *) case_id;
    body.status = status;
    body.previous = CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING;
    body.worker_id = "w1";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED;
    event.case_status_changed = &body;
    return nk_append (fake, NK_INTAKE, &event, case_id, at);
}

static inline uint64_t
nk_callback (nk_fake_t *fake, const char *case_id, int64_t at)
{
    Caseflow__V1__Intake__CallbackRecorded body = CASEFLOW__V1__INTAKE__CALLBACK_RECORDED__INIT;
    body.case_id = (char *) case_id;
    body.outcome = CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED;
    event.callback_recorded = &body;
    return nk_append (fake, NK_INTAKE, &event, case_id, at);
}

static inline uint64_t
nk_escalate (nk_fake_t *fake, const char *case_id, int64_t at)
{
    Caseflow__V1__Assignment__AssignmentEscalated body =
        CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_ESCALATED__INIT;
    body.case_id = (char *) case_id;
    body.reason = "nobody with the expertise is present";
    body.urgency = CASEFLOW__V1__URGENCY__URGENCY_URGENT;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_ASSIGNMENT_ESCALATED;
    event.assignment_escalated = &body;
    return nk_append (fake, NK_ASSIGNMENT, &event, case_id, at);
}

static inline uint64_t
nk_announce (nk_fake_t *fake, const char *handover_id, int64_t deadline, const char *worker,
             int64_t at)
{
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = "B. Resident";
    Caseflow__V1__Handover__HandoverAnnounced body =
        CASEFLOW__V1__HANDOVER__HANDOVER_ANNOUNCED__INIT;
    body.handover_id = (char *) handover_id;
    body.provider_id = "P1";
    body.resident = &resident;
    body.preferred_worker = (char *) (worker ? worker : "");
    body.urgency = CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
    body.deadline = deadline;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED;
    event.handover_announced = &body;
    return nk_append (fake, NK_HANDOVER, &event, NULL, at);
}

static inline uint64_t
nk_handover_cancel (nk_fake_t *fake, const char *handover_id, int64_t at)
{
    Caseflow__V1__Handover__HandoverCancelled body =
        CASEFLOW__V1__HANDOVER__HANDOVER_CANCELLED__INIT;
    body.handover_id = (char *) handover_id;
    body.reason = "stays with the provider";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_HANDOVER_CANCELLED;
    event.handover_cancelled = &body;
    return nk_append (fake, NK_HANDOVER, &event, NULL, at);
}

//  ------------------------------------------------------------- service

typedef struct {
    cf_testproc_t proc;
    cf_api_client_t *client;
    char *dir;
    char flags [12][192];
    const char *extra [16];
} nk_service_t;

//  Prepares caseflow-notification on fresh ports and a fresh data
//  directory, following `fake`; manual clock from `clock_start` unless
//  NULL (system clock). `more` (NULL-terminated, may be NULL) are extra
//  flags, copied.
static inline void
nk_service_init (nk_service_t *self, nk_fake_t *fake, const char *label, const char *clock_start,
                 const char *const *more)
{
    memset (self, 0, sizeof *self);
    self->dir = cf_test_tmpdir (label);
    char data [512];
    snprintf (data, sizeof data, "%s/store", self->dir);
    cf_testproc_init (&self->proc, cf_test_binary ("caseflow-notification"), data);
    size_t n = 0;
    for (int i = 0; i < 3; i++) {
        snprintf (self->flags [n++], sizeof self->flags [0], "--%s-events=%s", nk_stream_names [i],
                  fake->streams [i].events_endpoint);
        snprintf (self->flags [n++], sizeof self->flags [0], "--%s-api=%s", nk_stream_names [i],
                  fake->streams [i].api_endpoint);
    }
    if (clock_start) {
        snprintf (self->flags [n++], sizeof self->flags [0], "--clock=manual");
        snprintf (self->flags [n++], sizeof self->flags [0], "--clock-start=%s", clock_start);
    }
    for (size_t i = 0; more && more [i] && n < 12; i++)
        snprintf (self->flags [n++], sizeof self->flags [0], "%s", more [i]);
    for (size_t i = 0; i < n; i++)
        self->extra [i] = self->flags [i];
    self->extra [n] = NULL;
}

static inline void
nk_service_start (nk_service_t *self, bool first)
{
    if (!cf_testclient_start (&self->proc, self->extra, first, NK_WAIT_MS))
        fail_msg ("caseflow-notification did not become ready (log %s)", self->proc.log_path);
    if (!self->client)
        self->client = cf_testclient_new (self->proc.api);
}

static inline int
nk_service_stop (nk_service_t *self, int signum)
{
    return cf_testproc_stop (&self->proc, signum, 10000);
}

static inline void
nk_service_destroy (nk_service_t *self)
{
    if (self->proc.pid > 0)
        nk_service_stop (self, SIGTERM);
    cf_api_client_destroy (&self->client);
    cf_testproc_destroy (&self->proc);
    cf_test_rmtree (self->dir);
    free (self->dir);
}

//  Waits until the service applied everything the fake has.
static inline void
nk_wait_applied (nk_service_t *self, nk_fake_t *fake)
{
    int64_t deadline = cf_test_now_ms () + NK_WAIT_MS;
    while (true) {
        Caseflow__V1__Reply *reply = cf_testclient_status (self->client);
        const Caseflow__V1__ServiceStatus *status = reply->query->status;
        bool done = status->n_upstreams == 3;
        for (size_t i = 0; done && i < status->n_upstreams; i++)
            for (int s = 0; s < 3; s++)
                if (strcmp (status->upstreams [i]->stream, nk_stream_names [s]) == 0
                    && status->upstreams [i]->cursor != nk_count (fake, s))
                    done = false;
        caseflow__v1__reply__free_unpacked (reply, NULL);
        if (done)
            return;
        if (cf_test_now_ms () > deadline)
            fail_msg ("the service did not apply the upstream events in time");
        cf_test_sleep_ms (10);
    }
}

static inline void
nk_advance (nk_service_t *self, const char *request_id, int64_t micros)
{
    cf_testreq_t req;
    cf_testreq_clock_advance (&req, request_id, micros);
    Caseflow__V1__Reply *reply = cf_testclient_call (self->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

static inline void
nk_clock_set (nk_service_t *self, int64_t at)
{
    cf_testreq_t req;
    cf_testreq_clock_set (&req, NULL, at);
    Caseflow__V1__Reply *reply = cf_testclient_call (self->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

//  GetReminder: the view (inside the returned reply, free with
//  caseflow__v1__reply__free_unpacked), or NULL when not found.
static inline Caseflow__V1__Reply *
nk_get_reminder (nk_service_t *self, const char *id,
                 const Caseflow__V1__Notification__ReminderView **view_p)
{
    Caseflow__V1__Notification__GetReminder get = CASEFLOW__V1__NOTIFICATION__GET_REMINDER__INIT;
    get.reminder_id = (char *) id;
    Caseflow__V1__Notification__Query inner = CASEFLOW__V1__NOTIFICATION__QUERY__INIT;
    inner.body_case = CASEFLOW__V1__NOTIFICATION__QUERY__BODY_GET_REMINDER;
    inner.get_reminder = &get;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_NOTIFICATION;
    query.notification = &inner;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = &query;
    int rc = 0;
    Caseflow__V1__Reply *reply = cf_api_client_call (self->client, &request, &rc);
    assert_non_null (reply);
    if (cf_api_reply_code (reply) != CASEFLOW__V1__STATUS__CODE__OK) {
        caseflow__v1__reply__free_unpacked (reply, NULL);
        *view_p = NULL;
        return NULL;
    }
    *view_p = reply->query->notification->reminder;
    return reply;
}

//  Asserts reminder `id` exists with `status` and (unless NULL) due at `due`.
static inline void
nk_assert_reminder (nk_service_t *self, const char *id, int status, const char *due)
{
    const Caseflow__V1__Notification__ReminderView *view = NULL;
    Caseflow__V1__Reply *reply = nk_get_reminder (self, id, &view);
    if (!reply)
        fail_msg ("no reminder %s", id);
    if ((int) view->status != status)
        fail_msg ("reminder %s has status %d, expected %d", id, view->status, status);
    if (due) {
        int64_t expected = 0;
        assert_int_equal (cf_time_parse (due, &expected), 0);
        if (view->reminder->due_at != expected) {
            char text [40];
            fail_msg ("reminder %s is due %s, expected %s", id,
                      cf_time_format_local (view->reminder->due_at, text, sizeof text), due);
        }
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

//  ------------------------------------------------------------ follower

typedef struct {
    char id [201];
    int64_t due_at, fired_at;
    int64_t received_at;  //  follower: system time of delivery
    uint64_t seq;
} nk_due_t;

typedef struct {
    pthread_mutex_t lock;
    nk_due_t *items;
    size_t count, cap;
    uint64_t start;         //  the cursor it started from
    uint64_t last_seq;      //  last notification seq delivered
    uint64_t out_of_order;  //  deliveries that were not last_seq + 1
    char events [128], api [128];
    zactor_t *actor;
} nk_follower_t;

static inline int
nk_follower_deliver (void *ctx, cf_bus_subscriber_t *subscriber, const Caseflow__V1__Event *event,
                     const void *data, size_t size)
{
    (void) subscriber;
    (void) data;
    (void) size;
    nk_follower_t *self = ctx;
    pthread_mutex_lock (&self->lock);
    if (event->seq != self->last_seq + 1)
        self->out_of_order++;
    self->last_seq = event->seq;
    if (event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_DUE) {
        if (self->count == self->cap) {
            self->cap = self->cap ? self->cap * 2 : 64;
            self->items = realloc (self->items, self->cap * sizeof *self->items);
            assert (self->items);
        }
        nk_due_t *item = &self->items [self->count++];
        snprintf (item->id, sizeof item->id, "%s", event->reminder_due->reminder->reminder_id);
        item->due_at = event->reminder_due->reminder->due_at;
        item->fired_at = event->reminder_due->fired_at;
        item->received_at = cf_time_system_now ();
        item->seq = event->seq;
    }
    pthread_mutex_unlock (&self->lock);
    return 0;
}

static inline void
nk_follower_actor (zsock_t *pipe, void *args)
{
    nk_follower_t *self = args;
    cf_testactor_follow (pipe, cf_bus_subscriber_new ("notification", self->events, self->api,
                                                      self->start, nk_follower_deliver, self));
}

//  Follows the notification stream at `events` / `api` after seq `start`
//  (0: from the beginning).
static inline nk_follower_t *
nk_follower_new (const char *events, const char *api, uint64_t start)
{
    nk_follower_t *self = calloc (1, sizeof *self);
    assert (self);
    pthread_mutex_init (&self->lock, NULL);
    self->start = self->last_seq = start;
    snprintf (self->events, sizeof self->events, "%s", events);
    snprintf (self->api, sizeof self->api, "%s", api);
    self->actor = zactor_new (nk_follower_actor, self);
    assert (self->actor);
    return self;
}

static inline void
nk_follower_destroy (nk_follower_t **self_p)
{
    nk_follower_t *self = *self_p;
    if (!self)
        return;
    zactor_destroy (&self->actor);
    free (self->items);
    pthread_mutex_destroy (&self->lock);
    free (self);
    *self_p = NULL;
}

//  How many times reminder `id` was delivered.
static inline size_t
nk_follower_times (nk_follower_t *self, const char *id)
{
    size_t times = 0;
    pthread_mutex_lock (&self->lock);
    for (size_t i = 0; i < self->count; i++)
        if (strcmp (self->items [i].id, id) == 0)
            times++;
    pthread_mutex_unlock (&self->lock);
    return times;
}

//  Waits until the follower has delivered stream seq `seq`.
static inline void
nk_follower_wait_seq (nk_follower_t *self, uint64_t seq)
{
    int64_t deadline = cf_test_now_ms () + NK_WAIT_MS;
    while (true) {
        pthread_mutex_lock (&self->lock);
        uint64_t last = self->last_seq;
        pthread_mutex_unlock (&self->lock);
        if (last >= seq)
            return;
        if (cf_test_now_ms () > deadline)
            fail_msg ("the follower is at seq %" PRIu64 ", expected %" PRIu64, last, seq);
        cf_test_sleep_ms (10);
    }
}

//  The service's own stream head (ServiceStatus.last_seq).
static inline uint64_t
nk_head (nk_service_t *self)
{
    Caseflow__V1__Reply *reply = cf_testclient_status (self->client);
    uint64_t head = reply->query->status->last_seq;
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return head;
}

//  Every ReminderDue of the service's stream, read through replay, into a
//  fresh array (free with free); sets *count_p.
static inline nk_due_t *
nk_read_due (nk_service_t *self, size_t *count_p)
{
    nk_due_t *items = NULL;
    size_t count = 0, cap = 0;
    uint64_t from = 1;
    while (true) {
        cf_testreq_t req;
        cf_testreq_replay (&req, "notification", from, 1000, 0);
        Caseflow__V1__Reply *reply = cf_testclient_call (self->client, &req);
        cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
        const Caseflow__V1__ReplayBatch *batch = reply->replay;
        for (size_t i = 0; i < batch->n_events; i++) {
            const Caseflow__V1__Event *event = batch->events [i];
            assert_int_equal (event->seq, from);
            from++;
            if (event->body_case != CASEFLOW__V1__EVENT__BODY_REMINDER_DUE)
                continue;
            if (count == cap) {
                cap = cap ? cap * 2 : 64;
                items = realloc (items, cap * sizeof *items);
                assert (items);
            }
            snprintf (items [count].id, sizeof items [count].id, "%s",
                      event->reminder_due->reminder->reminder_id);
            items [count].due_at = event->reminder_due->reminder->due_at;
            items [count].fired_at = event->reminder_due->fired_at;
            items [count].seq = event->seq;
            count++;
        }
        bool done = batch->n_events == 0 || from > batch->last_seq;
        caseflow__v1__reply__free_unpacked (reply, NULL);
        if (done)
            break;
    }
    *count_p = count;
    return items;
}

#endif
