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
//  Egress (webhook deliveries/s, commit-to-receiver p99 at 100 events/s)
//  belongs here too, once webhooks exist.
//
//  Usage: bench_gateway [--smoke | --quick]
//  BENCH_ONLY=<key prefix> (e.g. gw.ingress.batch) runs only those runs.
#include "bench_kit.h"

#include "cf_testhttp.h"
#include "cf_testpublisher.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    bk_fake_t *fake = bk_fake_new ();
    if (!fake)
        return -1;
    bk_service_t svc;
    bk_service_init (&svc, "gateway");
    const char *extra [16] = { "--log-level=warn", "--map-size=16G" };
    size_t argc = 2;
    char storage [4 * 320];  //  up to four upstreams (the gateway's)
    bk_fake_flags (fake, bk_upstreams ("gateway"), extra, &argc, 16, storage);
    if (bk_service_start (&svc, extra, 60000)) {
        fprintf (stderr, "bench_gateway: the gateway did not start\n");
        bk_service_destroy (&svc);
        bk_fake_destroy (&fake);
        return -1;
    }
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
    return failed;
}
