//  chaos_ingress: the gateway's publishers in a chaos run. Four publishers
//  (one of each kind, cf_testpublisher) POST CloudEvents to the gateway's
//  /events over a kept-alive connection each while the load runs and the
//  kill driver kills services, the gateway among them.
//
//  Each publisher follows a plan drawn from the seed (one event in ten a
//  repeat of a recent one; single, binary and batch requests) and spreads
//  its requests over the load: request r of R goes out once the load's
//  progress passed r/R of its commands. A request without a 202 (no
//  answer: the gateway was killed or is starting; 503: it is starting or
//  stopping) is sent again, the same bytes, after a pause, until it is
//  answered 202, as a publisher would; any other status is a failure. An
//  event counts as acknowledged once a request holding it was answered
//  202. The check then reads the gateway's stream: each acknowledged event
//  must be there exactly once (LOST when missing, DUPLICATED when twice),
//  and nothing else may be.
#include "chaos.h"

#include "cf_api.h"
#include "cf_testhttp.h"
#include "cf_testpublisher.h"

#include <assert.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_PUBLISHERS CF_TESTPUBLISHER_KINDS
#define S_BATCH_MAX  20

typedef struct {
    chaos_ingress_t *owner;
    cf_testpublisher_t publisher;
    cf_testpublisher_plan_t plan;
    bool *acked;  //  per event number: a request holding it was answered 202
    size_t requests_acked;
    size_t resends;
    size_t connects;
    pthread_t thread;
} s_publisher_t;

struct _chaos_ingress_t {
    chaos_procs_t *procs;
    chaos_faults_t *faults;
    size_t commands;
    atomic_size_t *progress;
    atomic_bool stop;
    atomic_int finished;  //  publishers done with their plans
    s_publisher_t publishers [S_PUBLISHERS];
    bool started;
};

//  Waits until the load reached `point` or a stop; false on stop.
static bool
s_wait_for (chaos_ingress_t *self, size_t point)
{
    while (atomic_load (self->progress) < point) {
        if (atomic_load (&self->stop))
            return false;
        zclock_sleep (5);
    }
    return true;
}

static void *
s_publish (void *arg)
{
    s_publisher_t *self = arg;
    chaos_ingress_t *owner = self->owner;
    cf_testproc_t *gateway = &owner->procs->proc [CHAOS_GATEWAY];
    //  The port stays the gateway's across restarts (chaos_procs).
    cf_testhttp_t *http = cf_testhttp_new (gateway->http_port, 10000);
    size_t spread = owner->commands;
    for (size_t r = 0; r < self->plan.request_count; r++) {
        if (!s_wait_for (owner, spread * r / self->plan.request_count))
            break;
        int status;
        while ((status = cf_testpublisher_post_request (&self->publisher, http, &self->plan, r))
                   == -1
               || status == 503) {
            if (atomic_load (&owner->stop))
                break;
            self->resends++;
            zclock_sleep (20 + (int) (self->resends % 5) * 20);
        }
        if (status == 202) {
            const cf_testpublisher_request_t *request = &self->plan.requests [r];
            for (size_t i = 0; i < request->count; i++)
                self->acked [self->plan.slots [request->first + i]] = true;
            self->requests_acked++;
        } else if (!atomic_load (&owner->stop))
            chaos_report (owner->faults, &owner->faults->failures,
                          "gateway: %s's request %zu answered %d (%s)", self->publisher.id, r,
                          status, cf_testhttp_body (http));
    }
    self->connects = cf_testhttp_connects (http);
    cf_testhttp_destroy (&http);
    atomic_fetch_add (&owner->finished, 1);
    return NULL;
}

chaos_ingress_t *
chaos_ingress_new (chaos_procs_t *procs, uint64_t seed, size_t events, size_t commands,
                   atomic_size_t *progress, chaos_faults_t *faults)
{
    chaos_ingress_t *self = calloc (1, sizeof *self);
    assert (self);
    self->procs = procs;
    self->faults = faults;
    self->commands = commands;
    self->progress = progress;
    atomic_init (&self->stop, false);
    atomic_init (&self->finished, 0);
    size_t per_publisher = events / S_PUBLISHERS < 10 ? 10 : events / S_PUBLISHERS;
    for (int p = 0; p < S_PUBLISHERS; p++) {
        s_publisher_t *publisher = &self->publishers [p];
        publisher->owner = self;
        cf_testpublisher_init (&publisher->publisher, p, (cf_testpublisher_kind_t) p);
        cf_testpublisher_plan_init (&publisher->plan, per_publisher, S_BATCH_MAX,
                                    seed ^ (UINT64_C (0x696E677265737300) + (uint64_t) p));
        publisher->acked = calloc (publisher->plan.distinct, sizeof *publisher->acked);
        assert (publisher->acked);
    }
    return self;
}

//  Handover takes an announcement from a provider it knows, by the
//  publisher's id: adds it. Returns the reply's code, -1 without one.
static int
s_add_provider (chaos_ingress_t *self, const cf_testpublisher_t *publisher)
{
    Caseflow__V1__Handover__AddProvider add = CASEFLOW__V1__HANDOVER__ADD_PROVIDER__INIT;
    add.provider_id = (char *) publisher->id;
    add.name = (char *) publisher->source;
    Caseflow__V1__Handover__Command inner = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    inner.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ADD_PROVIDER;
    inner.add_provider = &add;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_HANDOVER;
    command.handover = &inner;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &command;
    //  One request id for every try: a retry is answered, not done twice.
    char request_id [48];
    snprintf (request_id, sizeof request_id, "provider-%s", publisher->id);
    request.request_id = request_id;
    cf_api_client_t *client = cf_api_client_new (self->procs->proc [CHAOS_HANDOVER].api, 10000, 5);
    assert (client);
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &request, NULL);
    int code = reply ? (int) cf_api_reply_code (reply) : -1;
    if (reply)
        caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
    return code;
}

int
chaos_ingress_start (chaos_ingress_t *self)
{
    for (int p = 0; p < S_PUBLISHERS; p++) {
        s_publisher_t *publisher = &self->publishers [p];
        int code =
            cf_testpublisher_add (&publisher->publisher, self->procs->proc [CHAOS_GATEWAY].api);
        if (code != 0) {
            chaos_report (self->faults, &self->faults->failures,
                          "gateway: PublisherAdd of %s answered %d", publisher->publisher.id, code);
            return -1;
        }
        if (publisher->publisher.kind == CF_TESTPUBLISHER_ANNOUNCEMENT
            && (code = s_add_provider (self, &publisher->publisher)) != 0) {
            chaos_report (self->faults, &self->faults->failures,
                          "handover: AddProvider of %s answered %d", publisher->publisher.id, code);
            return -1;
        }
    }
    for (int p = 0; p < S_PUBLISHERS; p++) {
        int rc =
            pthread_create (&self->publishers [p].thread, NULL, s_publish, &self->publishers [p]);
        assert (rc == 0);
    }
    self->started = true;
    return 0;
}

int
chaos_ingress_finish (chaos_ingress_t *self, int timeout_ms)
{
    if (!self->started)
        return -1;
    int64_t deadline = zclock_mono () + timeout_ms;
    while (atomic_load (&self->finished) < S_PUBLISHERS && zclock_mono () < deadline)
        zclock_sleep (20);
    bool finished = atomic_load (&self->finished) == S_PUBLISHERS;
    if (!finished)
        chaos_report (self->faults, &self->faults->failures,
                      "gateway: the publishers' requests were not all answered 202 within %d s",
                      timeout_ms / 1000);
    atomic_store (&self->stop, true);
    for (int p = 0; p < S_PUBLISHERS; p++)
        pthread_join (self->publishers [p].thread, NULL);
    self->started = false;
    return finished ? 0 : -1;
}

size_t
chaos_ingress_check (chaos_ingress_t *self)
{
    cf_testpublisher_tally_t *tally =
        cf_testpublisher_tally_new (self->procs->proc [CHAOS_GATEWAY].api);
    if (!tally) {
        chaos_report (self->faults, &self->faults->failures,
                      "gateway: its stream could not be read back");
        return 0;
    }
    size_t acked = 0, sent = 0, requests = 0, requests_acked = 0, resends = 0, connects = 0;
    for (int p = 0; p < S_PUBLISHERS; p++) {
        s_publisher_t *publisher = &self->publishers [p];
        const cf_testpublisher_plan_t *plan = &publisher->plan;
        requests += plan->request_count;
        requests_acked += publisher->requests_acked;
        resends += publisher->resends;
        connects += publisher->connects;
        sent += plan->slot_count;
        for (uint64_t n = 0; n < plan->distinct; n++) {
            if (!publisher->acked [n])
                continue;
            acked++;
            char id [32];
            cf_testpublisher_event_id (n, id, sizeof id);
            size_t times = cf_testpublisher_tally_times (tally, publisher->publisher.source, id);
            if (times == 0)
                chaos_report (self->faults, &self->faults->lost,
                              "gateway: (%s, %s) was answered 202 but is not in its stream",
                              publisher->publisher.source, id);
            else if (times > 1)
                chaos_report (self->faults, &self->faults->duplicated,
                              "gateway: (%s, %s) is in its stream %zu times",
                              publisher->publisher.source, id, times);
        }
    }
    size_t distinct = cf_testpublisher_tally_distinct (tally);
    size_t accepted = cf_testpublisher_tally_accepted (tally);
    size_t expected = 0;
    for (int p = 0; p < S_PUBLISHERS; p++)
        expected += self->publishers [p].plan.distinct;
    if (accepted != distinct)
        chaos_report (self->faults, &self->faults->duplicated,
                      "gateway: %zu InboundAccepted for %zu distinct events", accepted, distinct);
    //  Every request was answered 202 in the end (else finish said so),
    //  so the stream holds exactly the events sent.
    if (acked == expected && distinct != expected)
        chaos_report (self->faults, &self->faults->mismatched,
                      "gateway: %zu distinct events in its stream, %zu were sent", distinct,
                      expected);
    printf ("chaos: gateway ingress: %zu events (%zu distinct) in %zu requests from %d "
            "publishers over %zu connections, %zu answered 202 (%zu distinct events), %zu sent "
            "again after no answer or a 503; in its stream %zu InboundAccepted, %zu distinct\n",
            sent, expected, requests, S_PUBLISHERS, connects, requests_acked, acked, resends,
            accepted, distinct);
    fflush (stdout);
    cf_testpublisher_tally_destroy (&tally);
    return accepted;
}

const cf_testpublisher_t *
chaos_ingress_publisher (chaos_ingress_t *self, int kind, const bool **acked_p, size_t *distinct_p)
{
    assert (kind >= 0 && kind < S_PUBLISHERS);
    s_publisher_t *publisher = &self->publishers [kind];
    assert ((int) publisher->publisher.kind == kind);
    *acked_p = publisher->acked;
    *distinct_p = publisher->plan.distinct;
    return &publisher->publisher;
}

void
chaos_ingress_destroy (chaos_ingress_t **self_p)
{
    chaos_ingress_t *self = *self_p;
    if (!self)
        return;
    if (self->started)
        chaos_ingress_finish (self, 0);
    for (int p = 0; p < S_PUBLISHERS; p++) {
        cf_testpublisher_plan_free (&self->publishers [p].plan);
        free (self->publishers [p].acked);
    }
    free (self);
    *self_p = NULL;
}
