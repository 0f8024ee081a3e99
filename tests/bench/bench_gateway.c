//  bench_gateway: the gateway's ingress, fully durable: CloudEvents POSTed
//  to /events and answered 202 only once committed (synced) to its
//  journal, as publishers see it.
//
//  Four publishers (a partner's referrals, a provider's announcements, the
//  back office's decisions, the telephone platform's calls: the first two
//  carry personal data, sealed under a transit key per event in the key
//  store), each one client thread with one kept-alive connection, in a
//  closed loop (the next request once the last is answered), each run on
//  a fresh gateway and store:
//    - single mode: one structured event per request;
//    - batch mode: 100 events per request (application/cloudevents-batch+json).
//  Prints accepted events/s, the requests' latency p50/p99/p99.9/max (from
//  the send to the 202) and the service's CPU time per event, then reads
//  the gateway's stream back and fails unless it holds every event
//  answered 202 exactly once. The raw LMDB limits beside these figures
//  come from bench_raw in the same run of tests/bench/run.sh.
//
//  Egress: one webhook subscription to the gateway's own stream
//  (InboundAccepted) with a local receiver (cf_testsink, answering 204),
//  on a fresh gateway:
//    - saturation: the subscription paused, the stream filled with events
//      (in batches), the subscription resumed, so the deliveries run alone
//      on a backlog; deliveries/s from the first delivery to the last;
//    - 100 events/s: single events posted on a fixed schedule; the time
//      from each POST (its commit lies between the send and the 202) to
//      its arrival at the receiver, p50/p99/max.
//  Both fail unless every event arrives.
//
//  Usage: bench_gateway [--smoke | --quick]
//  BENCH_ONLY=<key prefix> (e.g. gw.ingress.batch) runs only those runs.
#include "bench_kit.h"

#include "caseflow/v1/api.pb-c.h"
#include "cf_api.h"
#include "cf_testhttp.h"
#include "cf_testpublisher.h"
#include "cf_testsink.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_CLIENTS CF_TESTPUBLISHER_KINDS

typedef struct {
    const char *key;    //  figure prefix
    const char *label;  //  human name
    size_t batch;       //  events per request
} s_mode_t;

typedef struct {
    const cf_testpublisher_t *publisher;
    int port;
    size_t batch;
    int64_t until;       //  bk_now_ns deadline
    size_t max_events;   //  and at most this many
    int64_t *latencies;  //  per request, ns
    size_t requests, events;
    int failed_status;  //  the first status other than 202, or 0
    bool failed;
} s_client_t;

static void *
s_client_run (void *arg)
{
    s_client_t *self = arg;
    cf_testhttp_t *http = cf_testhttp_new (self->port, 60000);
    uint64_t *numbers = calloc (self->batch, sizeof *numbers);
    assert (numbers);
    while (bk_now_ns () < self->until && self->events + self->batch <= self->max_events) {
        for (size_t i = 0; i < self->batch; i++)
            numbers [i] = self->events + i;
        int64_t sent = bk_now_ns ();
        int status = cf_testpublisher_post (self->publisher, http, numbers, self->batch, false);
        if (status != 202) {
            self->failed = true;
            self->failed_status = status;
            break;
        }
        self->latencies [self->requests++] = bk_now_ns () - sent;
        self->events += self->batch;
    }
    free (numbers);
    cf_testhttp_destroy (&http);
    return NULL;
}

//  A fresh gateway whose upstreams are an empty fake producer. Returns 0,
//  or -1 (said why) with nothing left to destroy.
static int
s_gateway_start (bk_service_t *svc, bk_fake_t **fake_p)
{
    bk_fake_t *fake = bk_fake_new ();
    if (!fake)
        return -1;
    bk_service_init (svc, "gateway");
    const char *extra [16] = { "--log-level=warn", "--map-size=16G" };
    size_t argc = 2;
    char storage [4 * 320];  //  up to four upstreams (the gateway's)
    bk_fake_flags (fake, bk_upstreams ("gateway"), extra, &argc, 16, storage);
    if (bk_service_start (svc, extra, 60000)) {
        fprintf (stderr, "bench_gateway: the gateway did not start\n");
        bk_service_destroy (svc);
        bk_fake_destroy (&fake);
        return -1;
    }
    *fake_p = fake;
    return 0;
}

//  One run on a fresh gateway. Returns 0; 1 when a request was not
//  answered 202, the stream does not hold every event once, or the
//  service logged errors; -1 when it did not start.
static int
s_run (const s_mode_t *mode, double seconds, size_t max_events)
{
    char key [64];
    snprintf (key, sizeof key, "gw.ingress.%s", mode->key);
    if (!bk_selected (key))
        return 0;
    bk_fake_t *fake = NULL;
    bk_service_t svc;
    if (s_gateway_start (&svc, &fake) != 0)
        return -1;
    int rc = 0;
    cf_testpublisher_t publishers [S_CLIENTS];
    for (int p = 0; p < S_CLIENTS && rc == 0; p++) {
        cf_testpublisher_init (&publishers [p], p, (cf_testpublisher_kind_t) p);
        if (cf_testpublisher_add (&publishers [p], svc.proc.api) != 0) {
            fprintf (stderr, "bench_gateway: PublisherAdd of %s refused\n", publishers [p].id);
            rc = 1;
        }
    }
    s_client_t clients [S_CLIENTS];
    memset (clients, 0, sizeof clients);
    pthread_t threads [S_CLIENTS];
    size_t per_client = max_events / S_CLIENTS;
    double cpu_before = bk_proc_cpu_s (svc.proc.pid);
    double load = bk_load ();
    int64_t started = bk_now_ns ();
    for (int c = 0; c < S_CLIENTS && rc == 0; c++) {
        clients [c] = (s_client_t){
            .publisher = &publishers [c],
            .port = svc.proc.http_port,
            .batch = mode->batch,
            .until = started + (int64_t) (seconds * 1e9),
            .max_events = per_client,
            .latencies = malloc ((per_client / mode->batch + 1) * sizeof (int64_t)),
        };
        assert (clients [c].latencies);
        pthread_create (&threads [c], NULL, s_client_run, &clients [c]);
    }
    size_t events = 0, requests = 0;
    int64_t *latencies = NULL;
    if (rc == 0) {
        for (int c = 0; c < S_CLIENTS; c++)
            pthread_join (threads [c], NULL);
        int64_t elapsed = bk_now_ns () - started;
        double cpu = bk_proc_cpu_s (svc.proc.pid) - cpu_before;
        for (int c = 0; c < S_CLIENTS; c++) {
            events += clients [c].events;
            requests += clients [c].requests;
            if (clients [c].failed) {
                fprintf (stderr, "bench_gateway: %s: %s answered %d, not 202\n", mode->label,
                         publishers [c].id, clients [c].failed_status);
                rc = 1;
            }
        }
        latencies = malloc ((requests + 1) * sizeof *latencies);
        assert (latencies);
        size_t at = 0;
        for (int c = 0; c < S_CLIENTS; c++) {
            memcpy (latencies + at, clients [c].latencies,
                    clients [c].requests * sizeof *latencies);
            at += clients [c].requests;
        }
        qsort (latencies, requests, sizeof *latencies, bk_compare_i64);
        bk_latency_t latency = bk_latency (latencies, requests, events, elapsed);
        printf ("gateway ingress, %s: %zu events in %zu requests from %d kept-alive clients in "
                "%.2f s: %.0f events/s (%.0f requests/s); request latency p50 %.2f ms, p99 "
                "%.2f ms, p99.9 %.2f ms, max %.2f ms; service CPU %.1f us/event, load average "
                "%.2f\n",
                mode->label, events, requests, S_CLIENTS, (double) elapsed / 1e9, latency.rate,
                (double) requests * 1e9 / (double) elapsed, latency.p50_ms, latency.p99_ms,
                latency.p999_ms, latency.max_ms, events ? cpu * 1e6 / (double) events : 0, load);
        bk_latency_figures (key, &latency);
        bk_figuref (events ? cpu * 1e6 / (double) events : 0, "%s.cpu_us", key);
        bk_figuref (load, "load.%s", key);
    }
    //  Durable and once: every event answered 202 is in the stream, once.
    if (rc == 0) {
        cf_testpublisher_tally_t *tally = cf_testpublisher_tally_new (svc.proc.api);
        size_t missing = 0;
        for (int c = 0; tally && c < S_CLIENTS; c++)
            for (uint64_t n = 0; n < clients [c].events; n++) {
                char id [32];
                cf_testpublisher_event_id (n, id, sizeof id);
                missing += cf_testpublisher_tally_times (tally, publishers [c].source, id) != 1;
            }
        if (!tally || missing || cf_testpublisher_tally_accepted (tally) != events) {
            fprintf (stderr,
                     "bench_gateway: %s: the stream does not hold the %zu events answered 202 "
                     "once each (%zu not once, %zu InboundAccepted)\n",
                     mode->label, events, missing,
                     tally ? cf_testpublisher_tally_accepted (tally) : 0);
            rc = 1;
        }
        cf_testpublisher_tally_destroy (&tally);
    }
    for (int c = 0; c < S_CLIENTS; c++)
        free (clients [c].latencies);
    free (latencies);
    if (bk_service_errors (&svc, "bench_gateway"))
        rc = 1;
    bk_service_destroy (&svc);
    bk_fake_destroy (&fake);
    return rc;
}

//  ------------------------------------------------------------- egress

#define S_EGRESS_TYPE "nl.sociaal-domein.gateway.inbound-accepted"
#define S_SINK_TOKEN  "bench-sink-token-0123456789abcdef"

//  Sends one gateway command over its api; the reply (free it), or NULL
//  when none came.
static Caseflow__V1__Reply *
s_command (const char *api, Caseflow__V1__Gateway__Command *gateway, const char *request_id)
{
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_GATEWAY;
    command.gateway = gateway;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &command;
    request.request_id = (char *) request_id;
    cf_api_client_t *client = cf_api_client_new (api, 5000, 5);
    assert (client);
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &request, NULL);
    cf_api_client_destroy (&client);
    return reply;
}

//  Subscribes the sink to the gateway's InboundAccepted (WebhookAdd) at
//  the stream's head, waits for the handshake, and pauses it, so that a
//  backlog can build up. Its id into `id`. Returns 0, or 1 (said why).
static int
s_subscribe_paused (const char *api, cf_testsink_t *sink, char *id, size_t size)
{
    char *types [] = { S_EGRESS_TYPE };
    Caseflow__V1__Gateway__WebhookAdd add = CASEFLOW__V1__GATEWAY__WEBHOOK_ADD__INIT;
    add.sink = (char *) cf_testsink_url (sink);
    add.types = types;
    add.n_types = 1;
    add.token = S_SINK_TOKEN;
    Caseflow__V1__Gateway__Command command = CASEFLOW__V1__GATEWAY__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__GATEWAY__COMMAND__BODY_WEBHOOK_ADD;
    command.webhook_add = &add;
    Caseflow__V1__Reply *reply = s_command (api, &command, "bench-webhook-add");
    int code = reply ? (int) cf_api_reply_code (reply) : -1;
    if (code == CASEFLOW__V1__STATUS__CODE__OK)
        snprintf (id, size, "%s", reply->command->gateway->subscription_added->subscription_id);
    if (reply)
        caseflow__v1__reply__free_unpacked (reply, NULL);
    if (code != CASEFLOW__V1__STATUS__CODE__OK) {
        fprintf (stderr, "bench_gateway: WebhookAdd answered %d\n", code);
        return 1;
    }
    //  The handshake (OPTIONS) comes first; deliveries follow its answer.
    for (int i = 0; i < 500 && cf_testsink_count (sink) == 0; i++) {
        struct timespec pause = { 0, 10000000 };
        nanosleep (&pause, NULL);
    }
    if (cf_testsink_count (sink) == 0) {
        fprintf (stderr, "bench_gateway: no handshake came\n");
        return 1;
    }
    Caseflow__V1__Gateway__WebhookPause pause = CASEFLOW__V1__GATEWAY__WEBHOOK_PAUSE__INIT;
    pause.subscription_id = id;
    command.body_case = CASEFLOW__V1__GATEWAY__COMMAND__BODY_WEBHOOK_PAUSE;
    command.webhook_pause = &pause;
    reply = s_command (api, &command, "bench-webhook-pause");
    code = reply ? (int) cf_api_reply_code (reply) : -1;
    if (reply)
        caseflow__v1__reply__free_unpacked (reply, NULL);
    if (code != CASEFLOW__V1__STATUS__CODE__OK) {
        fprintf (stderr, "bench_gateway: WebhookPause answered %d\n", code);
        return 1;
    }
    return 0;
}

//  Resumes subscription `id`. Returns 0, or 1 (said why).
static int
s_resume (const char *api, const char *id)
{
    Caseflow__V1__Gateway__WebhookResume resume = CASEFLOW__V1__GATEWAY__WEBHOOK_RESUME__INIT;
    resume.subscription_id = (char *) id;
    Caseflow__V1__Gateway__Command command = CASEFLOW__V1__GATEWAY__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__GATEWAY__COMMAND__BODY_WEBHOOK_RESUME;
    command.webhook_resume = &resume;
    Caseflow__V1__Reply *reply = s_command (api, &command, "bench-webhook-resume");
    int code = reply ? (int) cf_api_reply_code (reply) : -1;
    if (reply)
        caseflow__v1__reply__free_unpacked (reply, NULL);
    if (code != CASEFLOW__V1__STATUS__CODE__OK) {
        fprintf (stderr, "bench_gateway: WebhookResume answered %d\n", code);
        return 1;
    }
    return 0;
}

//  The event number of a delivery (its data's `ce_id`, "ev-<n>"), or -1.
static int64_t
s_delivered_number (const char *body)
{
    const char *at = strstr (body, "\"ce_id\"");
    if (!at)
        return -1;
    at = strstr (at, "\"ev-");
    return at ? (int64_t) strtoull (at + 4, NULL, 10) : -1;
}

//  Waits until the sink took events [first, first + count) (2xx), up to
//  `wait_ms`; fills arrived [n - first] with each one's first arrival
//  (ns). `scanned` is where the sink's requests were read up to. Returns
//  how many are still missing.
static size_t
s_await_deliveries (cf_testsink_t *sink, size_t *scanned, uint64_t first, size_t count,
                    int64_t *arrived, int wait_ms)
{
    size_t missing = count;
    int64_t until = bk_now_ns () + (int64_t) wait_ms * 1000000;
    while (missing && bk_now_ns () < until) {
        size_t total = cf_testsink_count (sink);
        for (; *scanned < total; (*scanned)++) {
            cf_testsink_request_t *request = cf_testsink_request (sink, *scanned);
            int64_t n = s_delivered_number (request->body);
            if (strcmp (request->method, "POST") == 0 && request->status >= 200
                && request->status < 300 && n >= (int64_t) first && n < (int64_t) (first + count)
                && arrived [n - (int64_t) first] == 0) {
                arrived [n - (int64_t) first] = request->received_ns;
                missing--;
            }
            cf_testsink_request_free (&request);
        }
        //  A request is recorded before it is answered: read it again.
        if (*scanned > 0 && missing) {
            cf_testsink_request_t *last = cf_testsink_request (sink, *scanned - 1);
            if (last->status == 0)
                (*scanned)--;
            cf_testsink_request_free (&last);
        }
        if (missing) {
            struct timespec pause = { 0, 5000000 };
            nanosleep (&pause, NULL);
        }
    }
    return missing;
}

//  Saturation, then 100 events/s, on one fresh gateway and sink. Returns
//  0; 1 when an event did not arrive or a POST was not answered 202; -1
//  when the gateway did not start.
static int
s_egress (size_t saturate, double paced_seconds)
{
    if (!bk_selected ("gw.egress"))
        return 0;
    bk_fake_t *fake = NULL;
    bk_service_t svc;
    if (s_gateway_start (&svc, &fake) != 0)
        return -1;
    cf_testsink_t *sink = cf_testsink_new ();
    cf_testpublisher_t publisher;
    cf_testpublisher_init (&publisher, 0, CF_TESTPUBLISHER_CALL);
    char id [64] = "";
    int rc = cf_testpublisher_add (&publisher, svc.proc.api) != 0
             || s_subscribe_paused (svc.proc.api, sink, id, sizeof id);
    cf_testhttp_t *http = cf_testhttp_new (svc.proc.http_port, 60000);
    size_t scanned = 0;

    //  Saturation: the backlog first, in batches of 100, while paused.
    int64_t *arrived = calloc (saturate, sizeof *arrived);
    assert (arrived);
    uint64_t numbers [100];
    for (size_t n = 0; rc == 0 && n < saturate; n += 100) {
        size_t batch = saturate - n < 100 ? saturate - n : 100;
        for (size_t i = 0; i < batch; i++)
            numbers [i] = n + i;
        int status = cf_testpublisher_post (&publisher, http, numbers, batch, false);
        if (status != 202) {
            fprintf (stderr, "bench_gateway: egress: a batch answered %d, not 202\n", status);
            rc = 1;
        }
    }
    double load = bk_load ();
    double cpu_before = bk_proc_cpu_s (svc.proc.pid);
    rc = rc || s_resume (svc.proc.api, id);
    if (rc == 0) {
        size_t missing = s_await_deliveries (sink, &scanned, 0, saturate, arrived, 300000);
        if (missing) {
            fprintf (stderr, "bench_gateway: egress: %zu of %zu events never arrived\n", missing,
                     saturate);
            rc = 1;
        } else {
            int64_t first = arrived [0], last = arrived [0];
            for (size_t i = 1; i < saturate; i++) {
                first = arrived [i] < first ? arrived [i] : first;
                last = arrived [i] > last ? arrived [i] : last;
            }
            double rate =
                last > first ? (double) (saturate - 1) * 1e9 / (double) (last - first) : 0;
            double cpu = bk_proc_cpu_s (svc.proc.pid) - cpu_before;
            printf ("gateway egress, saturation: %zu deliveries to one local receiver in %.2f s: "
                    "%.0f deliveries/s; service CPU %.1f us/delivery, load "
                    "average %.2f\n",
                    saturate, (double) (last - first) / 1e9, rate, cpu * 1e6 / (double) saturate,
                    load);
            bk_figure ("gw.egress.rate", rate);
            bk_figuref (cpu * 1e6 / (double) saturate, "gw.egress.cpu_us");
            bk_figure ("load.gw.egress", load);
        }
    }
    free (arrived);

    //  100 events/s: one single-mode POST every 10 ms on a fixed schedule.
    size_t paced = (size_t) (paced_seconds * 100);
    int64_t *sent = calloc (paced, sizeof *sent);
    arrived = calloc (paced, sizeof *arrived);
    assert (sent && arrived);
    load = bk_load ();
    int64_t start = bk_now_ns ();
    for (size_t i = 0; rc == 0 && i < paced; i++) {
        int64_t due = start + (int64_t) i * 10000000;
        int64_t now = bk_now_ns ();
        if (due > now) {
            struct timespec pause = { (due - now) / 1000000000, (due - now) % 1000000000 };
            nanosleep (&pause, NULL);
        }
        uint64_t number = saturate + i;
        sent [i] = bk_now_ns ();
        int status = cf_testpublisher_post (&publisher, http, &number, 1, false);
        if (status != 202) {
            fprintf (stderr, "bench_gateway: egress: a POST answered %d, not 202\n", status);
            rc = 1;
        }
    }
    int64_t elapsed = bk_now_ns () - start;
    if (rc == 0) {
        size_t missing = s_await_deliveries (sink, &scanned, saturate, paced, arrived, 60000);
        if (missing) {
            fprintf (stderr, "bench_gateway: egress: %zu of %zu paced events never arrived\n",
                     missing, paced);
            rc = 1;
        } else {
            for (size_t i = 0; i < paced; i++)
                sent [i] = arrived [i] - sent [i];
            qsort (sent, paced, sizeof *sent, bk_compare_i64);
            bk_latency_t latency = bk_latency (sent, paced, paced, elapsed);
            printf ("gateway egress, 100 events/s: %zu events in %.2f s (%.0f/s); from the POST "
                    "to the receiver p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; load "
                    "average %.2f\n",
                    paced, (double) elapsed / 1e9, latency.rate, latency.p50_ms, latency.p99_ms,
                    latency.p999_ms, latency.max_ms, load);
            bk_latency_figures ("gw.egress.r100", &latency);
            bk_figure ("load.gw.egress.r100", load);
        }
    }
    free (sent);
    free (arrived);
    cf_testhttp_destroy (&http);
    cf_testsink_destroy (&sink);
    if (bk_service_errors (&svc, "bench_gateway"))
        rc = 1;
    bk_service_destroy (&svc);
    bk_fake_destroy (&fake);
    return rc;
}

int
main (int argc, char **argv)
{
    int size = bk_main_init (argc, argv, "[--smoke | --quick]");
    double seconds = size == 1 ? 0.3 : size == 2 ? 3 : 10;
    size_t max_events = size == 1 ? 4000 : size == 2 ? 400000 : 2000000;
    const s_mode_t modes [] = {
        { "single", "single mode (1 event per request)", 1 },
        { "batch", "batch mode (100 events per request)", 100 },
    };
    int failed = 0, rc = 0;
    for (size_t m = 0; m < sizeof modes / sizeof modes [0] && rc >= 0; m++) {
        rc = s_run (&modes [m], seconds, max_events);
        failed |= rc != 0;
    }
    if (rc >= 0)
        failed |= s_egress (size == 1   ? 300
                            : size == 2 ? 5000
                                        : 30000,
                            size == 1   ? 0.5
                            : size == 2 ? 3
                                        : 10)
                  != 0;
    return failed;
}
