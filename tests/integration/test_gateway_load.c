//  test_gateway_load: the gateway's ingress at load (issue 17, "Ingress at
//  load"): four publishers (a partner's referrals, a provider's handover
//  announcements, the back office's decisions, the telephone platform's
//  calls) POST 10,000 CloudEvents at once, each over two kept-alive
//  connections, in structured, binary and batch mode, one event in ten a
//  repeat (same source and id) of an event of the same publisher sent
//  shortly before, often still in flight on the other connection or in
//  the same batch.
//
//  Then: every request was answered 202; each connection stayed open
//  throughout; the service answered /readyz 200 every time it was asked
//  during the load; the gateway's stream holds exactly one InboundAccepted
//  per distinct (source, id) sent (9,000 of 10,000), none twice, none that
//  was not sent; /metrics counts 9,000 accepted and 1,000 repeats. Then
//  the gateway is SIGKILLed and started again at once while a publisher
//  keeps sending: no answer but 503 (or no connection) until it serves,
//  then 202, and the stream as it was.
//
//  CF_GATEWAY_LOAD_EVENTS sets the number of events (a multiple of 40,
//  default 10,000; docs/testing.md).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testhttp.h"
#include "cf_testproc.h"
#include "cf_testpublisher.h"

#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_PUBLISHERS  CF_TESTPUBLISHER_KINDS
#define S_CONNECTIONS 2  //  per publisher
#define S_BATCH_MAX   50

typedef struct {
    cf_testpublisher_t publisher;
    cf_testpublisher_plan_t plan;
    atomic_size_t next;  //  the next request to send, shared by its connections
    atomic_size_t answered_202, failed;
    atomic_int first_status;  //  the first status other than 202
    size_t connects [S_CONNECTIONS];
} s_plan_t;

typedef struct {
    cf_testproc_t gateway, intake, handover;
    char flags [10][128];  //  the gateway's
    const char *argv [11];
    char *dir;
    int http_port;
    s_plan_t plans [S_PUBLISHERS];
    atomic_bool loading;
    atomic_size_t ready_polls, not_ready;
} s_fixture_t;

static s_fixture_t *s_fixture;

typedef struct {
    s_fixture_t *f;
    s_plan_t *plan;
    int connection;
} s_sender_t;

//  Publisher `p`'s plan: `events` slots, batches of up to 50.
static void
s_plan (s_plan_t *plan, int p, size_t events)
{
    cf_testpublisher_init (&plan->publisher, p, (cf_testpublisher_kind_t) p);
    cf_testpublisher_plan_init (&plan->plan, events, S_BATCH_MAX, 17 + (uint64_t) p);
    atomic_init (&plan->next, 0);
    atomic_init (&plan->answered_202, 0);
    atomic_init (&plan->failed, 0);
    atomic_init (&plan->first_status, 0);
}

static void *
s_send (void *arg)
{
    s_sender_t *sender = arg;
    s_plan_t *plan = sender->plan;
    cf_testhttp_t *http = cf_testhttp_new (sender->f->http_port, 20000);
    size_t r;
    while ((r = atomic_fetch_add (&plan->next, 1)) < plan->plan.request_count) {
        int status = cf_testpublisher_post_request (&plan->publisher, http, &plan->plan, r);
        if (status == 202)
            atomic_fetch_add (&plan->answered_202, 1);
        else {
            atomic_fetch_add (&plan->failed, 1);
            int none = 0;
            atomic_compare_exchange_strong (&plan->first_status, &none, status);
        }
    }
    plan->connects [sender->connection] = cf_testhttp_connects (http);
    cf_testhttp_destroy (&http);
    return NULL;
}

//  Asks /readyz every 20 ms while the load runs.
static void *
s_watch (void *arg)
{
    s_fixture_t *f = arg;
    while (atomic_load (&f->loading)) {
        if (cf_test_http_get (f->http_port, "/readyz", NULL) != 200)
            atomic_fetch_add (&f->not_ready, 1);
        atomic_fetch_add (&f->ready_polls, 1);
        cf_test_sleep_ms (20);
    }
    return NULL;
}

static int
s_setup (void **state)
{
    s_fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    s_fixture = f;
    f->dir = cf_test_tmpdir ("gateway-load");
    //  The gateway follows intake and handover: real ones, as in
    //  test_gateway (the stream it is tested on is its own); assignment and
    //  notification, which it follows for webhooks, are not run.
    char data_dir [512], intake_flags [2][128], handover_flags [2][128];
    snprintf (data_dir, sizeof data_dir, "%s/intake", f->dir);
    cf_testclient_start_intake (&f->intake, data_dir, intake_flags);
    snprintf (data_dir, sizeof data_dir, "%s/handover", f->dir);
    cf_testproc_init (&f->handover, cf_test_binary ("caseflow-handover"), data_dir);
    const char *handover_extra [] = { intake_flags [0], intake_flags [1], NULL };
    assert_true (cf_testclient_start (&f->handover, handover_extra, true, 30000));
    snprintf (handover_flags [0], 128, "--handover-events=%s", f->handover.events);
    snprintf (handover_flags [1], 128, "--handover-api=%s", f->handover.api);
    snprintf (data_dir, sizeof data_dir, "%s/gateway", f->dir);
    cf_testproc_init (&f->gateway, cf_test_binary ("caseflow-gateway"), data_dir);
    const char *flags [] = { "--clock=manual",
                             "--clock-start=2022-03-01T09:00",
                             "--log-level=warn",
                             intake_flags [0],
                             intake_flags [1],
                             handover_flags [0],
                             handover_flags [1],
                             "--assignment-events=none",
                             "--notification-events=none" };
    for (size_t i = 0; i < sizeof flags / sizeof flags [0]; i++) {
        snprintf (f->flags [i], sizeof f->flags [i], "%s", flags [i]);
        f->argv [i] = f->flags [i];
    }
    assert_true (cf_testclient_start (&f->gateway, f->argv, true, 30000));
    f->http_port = f->gateway.http_port;
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    s_fixture_t *f = *state ? *state : s_fixture;
    if (!f)
        return 0;
    cf_testproc_t *procs [] = { &f->gateway, &f->handover, &f->intake };
    for (size_t i = 0; i < 3; i++) {
        if (procs [i]->pid > 0)
            cf_testproc_stop (procs [i], SIGTERM, 20000);
        cf_testproc_destroy (procs [i]);
    }
    for (int p = 0; p < S_PUBLISHERS; p++)
        cf_testpublisher_plan_free (&f->plans [p].plan);
    cf_test_rmtree (f->dir);
    free (f->dir);
    free (f);
    s_fixture = NULL;
    return 0;
}

//  The value of the counter line starting with `label` on /metrics.
static long
s_metric (const char *metrics, const char *label)
{
    const char *at = strstr (metrics, label);
    if (!at)
        fail_msg ("no %s on /metrics", label);
    return atol (at + strlen (label));
}

static size_t
s_events (void)
{
    const char *text = getenv ("CF_GATEWAY_LOAD_EVENTS");
    long events = text && *text ? atol (text) : 10000;
    if (events < 40 || events % 40 != 0)
        fail_msg ("CF_GATEWAY_LOAD_EVENTS must be a multiple of 40, not %s", text);
    return (size_t) events;
}

static void
test_ingress_at_load (void **state)
{
    s_fixture_t *f = *state;
    size_t events = s_events (), per_publisher = events / S_PUBLISHERS;
    for (int p = 0; p < S_PUBLISHERS; p++) {
        s_plan (&f->plans [p], p, per_publisher);
        assert_int_equal (cf_testpublisher_add (&f->plans [p].publisher, f->gateway.api), 0);
    }

    atomic_store (&f->loading, true);
    pthread_t watcher, threads [S_PUBLISHERS * S_CONNECTIONS];
    s_sender_t senders [S_PUBLISHERS * S_CONNECTIONS];
    assert_int_equal (pthread_create (&watcher, NULL, s_watch, f), 0);
    int64_t started = cf_test_now_ms ();
    for (int i = 0; i < S_PUBLISHERS * S_CONNECTIONS; i++) {
        senders [i] = (s_sender_t){ f, &f->plans [i / S_CONNECTIONS], i % S_CONNECTIONS };
        assert_int_equal (pthread_create (&threads [i], NULL, s_send, &senders [i]), 0);
    }
    for (int i = 0; i < S_PUBLISHERS * S_CONNECTIONS; i++)
        pthread_join (threads [i], NULL);
    int64_t took = cf_test_now_ms () - started;
    atomic_store (&f->loading, false);
    pthread_join (watcher, NULL);

    size_t requests = 0, answered = 0, distinct = 0;
    for (int p = 0; p < S_PUBLISHERS; p++) {
        s_plan_t *plan = &f->plans [p];
        requests += plan->plan.request_count;
        answered += atomic_load (&plan->answered_202);
        distinct += plan->plan.distinct;
        if (atomic_load (&plan->failed))
            fail_msg ("%s: %zu of %zu requests not answered 202 (first: %d)", plan->publisher.id,
                      atomic_load (&plan->failed), plan->plan.request_count,
                      atomic_load (&plan->first_status));
        for (int c = 0; c < S_CONNECTIONS; c++)
            if (plan->connects [c] != 1)
                fail_msg ("%s: connection %d was opened %zu times, not kept alive",
                          plan->publisher.id, c, plan->connects [c]);
    }
    printf ("test_gateway_load: %zu events (%zu distinct) in %zu requests over %d connections, "
            "all 202, in %.2f s (%.0f events/s); /readyz 200 on %zu of %zu polls\n",
            events, distinct, requests, S_PUBLISHERS * S_CONNECTIONS, (double) took / 1000.0,
            (double) events * 1000.0 / (double) (took ? took : 1),
            atomic_load (&f->ready_polls) - atomic_load (&f->not_ready),
            atomic_load (&f->ready_polls));
    assert_int_equal (answered, requests);
    assert_int_equal (atomic_load (&f->not_ready), 0);
    assert_true (atomic_load (&f->ready_polls) > 0);
    assert_int_equal (cf_test_http_get (f->http_port, "/readyz", NULL), 200);

    //  The stream: one InboundAccepted per distinct event, and nothing else
    //  but the four publishers.
    cf_testpublisher_tally_t *tally = cf_testpublisher_tally_new (f->gateway.api);
    assert_non_null (tally);
    for (int p = 0; p < S_PUBLISHERS; p++) {
        s_plan_t *plan = &f->plans [p];
        for (size_t i = 0; i < plan->plan.slot_count; i++) {
            char id [32];
            cf_testpublisher_event_id (plan->plan.slots [i], id, sizeof id);
            size_t times = cf_testpublisher_tally_times (tally, plan->publisher.source, id);
            if (times != 1)
                fail_msg ("(%s, %s) accepted %zu times, not once", plan->publisher.source, id,
                          times);
        }
    }
    assert_int_equal (cf_testpublisher_tally_distinct (tally), distinct);
    assert_int_equal (cf_testpublisher_tally_accepted (tally), distinct);
    assert_int_equal (cf_testpublisher_tally_head (tally), distinct + S_PUBLISHERS);
    cf_testpublisher_tally_destroy (&tally);

    char *metrics = NULL;
    assert_int_equal (cf_test_http_get (f->http_port, "/metrics", &metrics), 200);
    assert_int_equal (s_metric (metrics, "outcome=\"accepted\"} "), (long) distinct);
    assert_int_equal (s_metric (metrics, "outcome=\"repeat\"} "), (long) (events - distinct));
    free (metrics);

    //  SIGKILLed right after the load and started again at once: a
    //  publisher that keeps sending is refused (no connection) or answered
    //  503 until the gateway serves again, never anything else, then 202;
    //  the stream is as it was (the event sent again is a repeat).
    assert_int_equal (cf_testproc_stop (&f->gateway, SIGKILL, 20000), 128 + SIGKILL);
    assert_int_equal (cf_testproc_start (&f->gateway, f->argv), 0);
    cf_testhttp_t *http = cf_testhttp_new (f->http_port, 20000);
    const s_plan_t *first = &f->plans [0];
    size_t refused = 0, unavailable = 0;
    int64_t until = cf_test_now_ms () + 60000;
    int status;
    while ((status = cf_testpublisher_post_request (&first->publisher, http, &first->plan, 0))
           != 202) {
        if (status != -1 && status != 503)
            fail_msg ("answered %d while the gateway started: %s", status, cf_testhttp_body (http));
        refused += status == -1;
        unavailable += status == 503;
        if (cf_test_now_ms () > until)
            fail_msg ("no 202 within 60 s of the restart");
        cf_test_sleep_ms (1);
    }
    cf_testhttp_destroy (&http);
    printf ("test_gateway_load: after a SIGKILL and a restart: %zu tries without a connection, "
            "%zu answered 503, then 202\n",
            refused, unavailable);
    assert_true (cf_testproc_wait_ready (&f->gateway, 30000));
    tally = cf_testpublisher_tally_new (f->gateway.api);
    assert_non_null (tally);
    assert_int_equal (cf_testpublisher_tally_distinct (tally), distinct);
    assert_int_equal (cf_testpublisher_tally_accepted (tally), distinct);
    cf_testpublisher_tally_destroy (&tally);
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    signal (SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_ingress_at_load, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
