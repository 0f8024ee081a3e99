//  test_sigstop: a subscriber stopped with SIGSTOP while events flow.
//
//  Two test services (caseflow-testsvc): a producer of stream "producer"
//  and a consumer that follows it (CASEFLOW_TESTSVC_UPSTREAM). The consumer
//  is frozen with SIGSTOP while 100,000 events are committed by the
//  producer, paced over the stop. The producer must keep serving (every
//  command answered) and its memory must stay bounded: its PUB socket
//  queues at most --pub-hwm messages for the frozen peer and drops the
//  rest, which the consumer later fetches by replay. The test reads the
//  producer's VmRSS and RssAnon from /proc/<pid>/status every second and
//  prints them. After SIGCONT the consumer must catch up completely:
//  every event applied exactly once and in order (the test service counts
//  seq violations), its cursor at the producer's last seq.
//
//  CF_SIGSTOP_SECONDS sets how long the consumer stays stopped: 60 by
//  default, 10 when CI is set. CF_SIGSTOP_EVENTS sets the events (100000).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testproc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define READY_TIMEOUT_MS 30000
#define STOP_TIMEOUT_MS  15000
#define EVENTS_PER_CALL  1000
#define EVENT_BYTES      200
//  The producer's anonymous memory may grow by this much while the
//  consumer is frozen: its PUB queue for the frozen peer (--pub-hwm
//  10,000 messages of ~300 bytes), LMDB's and ZeroMQ's buffers, and the
//  allocator's (and AddressSanitizer's, capped below) slack. An unbounded
//  queue of 100,000 events would need about as much again.
#define GROWTH_LIMIT_KB (48 * 1024)

typedef struct {
    char *tmp;
    cf_testproc_t producer;
    cf_testproc_t consumer;
    bool stopped;  //  the consumer is SIGSTOPped (continue it on failure)
    bool passed;
} fixture_t;

static int
s_setup (void **state)
{
    fixture_t *fx = calloc (1, sizeof *fx);
    assert_non_null (fx);
    fx->tmp = cf_test_tmpdir ("sigstop");
    char dir [512];
    snprintf (dir, sizeof dir, "%s/producer", fx->tmp);
    cf_testproc_init (&fx->producer, cf_test_binary ("caseflow-testsvc"), dir);
    snprintf (dir, sizeof dir, "%s/consumer", fx->tmp);
    cf_testproc_init (&fx->consumer, cf_test_binary ("caseflow-testsvc"), dir);
    *state = fx;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *fx = *state;
    if (fx->stopped && fx->consumer.pid > 0)
        kill (fx->consumer.pid, SIGCONT);
    cf_testproc_t *procs [] = { &fx->consumer, &fx->producer };
    for (int i = 0; i < 2; i++) {
        if (procs [i]->pid > 0)
            cf_testproc_stop (procs [i], SIGKILL, STOP_TIMEOUT_MS);
        if (!fx->passed)
            cf_test_dump_log (procs [i]->log_path);
        cf_testproc_destroy (procs [i]);
    }
    if (getenv ("CF_TEST_KEEP"))
        fprintf (stderr, "kept %s\n", fx->tmp);
    else
        cf_test_rmtree (fx->tmp);
    free (fx->tmp);
    free (fx);
    return 0;
}

//  A "Name:   1234 kB" line of /proc/<pid>/status, in kB (0 if absent).
static long
s_status_kb (pid_t pid, const char *name)
{
    char path [64], line [256];
    snprintf (path, sizeof path, "/proc/%d/status", (int) pid);
    FILE *file = fopen (path, "r");
    if (!file)
        return 0;
    long kb = 0;
    size_t len = strlen (name);
    while (fgets (line, sizeof line, file))
        if (strncmp (line, name, len) == 0 && line [len] == ':') {
            kb = strtol (line + len + 1, NULL, 10);
            break;
        }
    fclose (file);
    return kb;
}

static long
s_env_long (const char *name, long fallback)
{
    const char *text = getenv (name);
    return text && *text ? strtol (text, NULL, 10) : fallback;
}

//  Waits until the consumer has applied the producer's stream up to
//  `last_seq`; returns the milliseconds it took, or -1 on timeout.
static int64_t
s_wait_caught_up (cf_api_client_t *consumer, uint64_t last_seq, int timeout_ms,
                  Caseflow__V1__Testing__Summary *summary)
{
    int64_t started = cf_test_now_ms ();
    while (cf_test_now_ms () - started < timeout_ms) {
        if (cf_testclient_summary (consumer, summary) == 0
            && summary->upstream_last_seq >= last_seq)
            return cf_test_now_ms () - started;
        cf_test_sleep_ms (50);
    }
    return -1;
}

static void
test_subscriber_sigstopped (void **state)
{
    fixture_t *fx = *state;
    long stop_seconds = s_env_long ("CF_SIGSTOP_SECONDS", getenv ("CI") ? 10 : 60);
    long events = s_env_long ("CF_SIGSTOP_EVENTS", 100000);
    assert_true (stop_seconds >= 1 && events >= EVENTS_PER_CALL);
    long calls = events / EVENTS_PER_CALL;

    //  AddressSanitizer keeps freed memory in quarantine (256 MB by
    //  default), which would read as growth; a small one keeps its checks.
    char asan [512];
    const char *inherited = getenv ("ASAN_OPTIONS");
    snprintf (asan, sizeof asan, "%s%squarantine_size_mb=16", inherited ? inherited : "",
              inherited && *inherited ? ":" : "");
    cf_testproc_setenv (&fx->producer, "ASAN_OPTIONS", asan);
    cf_testproc_setenv (&fx->producer, "CASEFLOW_TESTSVC_STREAM", "producer");
    if (!cf_testclient_start (&fx->producer, NULL, true, READY_TIMEOUT_MS))
        fail_msg ("the producer did not become ready");
    cf_api_client_t *producer = cf_testclient_new (fx->producer.api);

    cf_testproc_setenv (&fx->consumer, "CASEFLOW_TESTSVC_STREAM", "consumer");
    cf_testproc_setenv (&fx->consumer, "CASEFLOW_TESTSVC_UPSTREAM", "producer");
    cf_testproc_setenv (&fx->consumer, "CASEFLOW_PRODUCER_EVENTS", fx->producer.events);
    cf_testproc_setenv (&fx->consumer, "CASEFLOW_PRODUCER_API", fx->producer.api);
    if (!cf_testclient_start (&fx->consumer, NULL, true, READY_TIMEOUT_MS))
        fail_msg ("the consumer did not become ready");
    cf_api_client_t *consumer = cf_testclient_new (fx->consumer.api);

    //  Warm up: a first batch flows live, and the producer's memory settles.
    uint64_t last_seq = 0;
    for (int i = 0; i < 5; i++)
        last_seq = cf_testclient_generate (producer, NULL, EVENTS_PER_CALL, EVENT_BYTES);
    Caseflow__V1__Testing__Summary summary;
    assert_true (s_wait_caught_up (consumer, last_seq, 30000, &summary) >= 0);
    long base_rss = s_status_kb (fx->producer.pid, "VmRSS");
    long base_anon = s_status_kb (fx->producer.pid, "RssAnon");
    printf ("sigstop: producer before: VmRSS %ld kB, RssAnon %ld kB; consumer at seq %llu\n",
            base_rss, base_anon, (unsigned long long) summary.upstream_last_seq);

    //  Freeze the consumer; commit `events` events paced over the stop.
    assert_int_equal (kill (fx->consumer.pid, SIGSTOP), 0);
    fx->stopped = true;
    int64_t started = cf_test_now_ms ();
    int64_t stop_ms = stop_seconds * 1000;
    long max_rss = base_rss, max_anon = base_anon, sent = 0;
    int64_t slowest = 0, next_print = started;
    while (true) {
        int64_t now = cf_test_now_ms ();
        int64_t elapsed = now - started;
        //  Calls due by now: spread evenly over 90% of the stop.
        long due = elapsed >= stop_ms * 9 / 10 ? calls : calls * elapsed / (stop_ms * 9 / 10);
        while (sent < due) {
            int64_t before = cf_test_now_ms ();
            last_seq = cf_testclient_generate (producer, NULL, EVENTS_PER_CALL, EVENT_BYTES);
            int64_t took = cf_test_now_ms () - before;
            if (took > slowest)
                slowest = took;
            sent++;
        }
        long rss = s_status_kb (fx->producer.pid, "VmRSS");
        long anon = s_status_kb (fx->producer.pid, "RssAnon");
        max_rss = rss > max_rss ? rss : max_rss;
        max_anon = anon > max_anon ? anon : max_anon;
        if (now >= next_print) {
            printf ("sigstop: t=%3llds events %7ld producer VmRSS %7ld kB RssAnon %7ld kB\n",
                    (long long) (elapsed / 1000), sent * EVENTS_PER_CALL, rss, anon);
            next_print += 5000;
        }
        if (elapsed >= stop_ms && sent == calls)
            break;
        cf_test_sleep_ms (100);
    }
    //  The producer serves queries as well as commands while it happens.
    Caseflow__V1__Reply *status = cf_testclient_status (producer);
    assert_int_equal (status->query->status->last_seq, last_seq);
    caseflow__v1__reply__free_unpacked (status, NULL);
    printf ("sigstop: consumer stopped %ld s while %ld events were committed; producer at seq "
            "%llu, slowest command %lld ms\n",
            stop_seconds, sent * EVENTS_PER_CALL, (unsigned long long) last_seq,
            (long long) slowest);
    printf ("sigstop: producer peak VmRSS %ld kB (+%ld kB), peak RssAnon %ld kB (+%ld kB)\n",
            max_rss, max_rss - base_rss, max_anon, max_anon - base_anon);

    //  Continue: the consumer catches up completely, exactly once, in order.
    assert_int_equal (kill (fx->consumer.pid, SIGCONT), 0);
    fx->stopped = false;
    int64_t took = s_wait_caught_up (consumer, last_seq, 120000, &summary);
    if (took < 0)
        fail_msg ("the consumer did not catch up: at seq %llu of %llu",
                  (unsigned long long) summary.upstream_last_seq, (unsigned long long) last_seq);
    printf ("sigstop: consumer caught up in %lld ms: %llu upstream events applied, last seq "
            "%llu, %llu out of order or repeated\n",
            (long long) took, (unsigned long long) summary.upstream_events,
            (unsigned long long) summary.upstream_last_seq,
            (unsigned long long) summary.upstream_violations);
    assert_int_equal (summary.upstream_last_seq, last_seq);
    assert_int_equal (summary.upstream_events, last_seq);
    assert_int_equal (summary.upstream_violations, 0);
    assert_true (cf_testproc_wait_ready (&fx->consumer, 10000));
    //  The producer's memory stayed bounded.
    assert_true (max_anon - base_anon < GROWTH_LIMIT_KB);

    cf_api_client_destroy (&consumer);
    cf_api_client_destroy (&producer);
    assert_int_equal (cf_testproc_stop (&fx->consumer, SIGTERM, STOP_TIMEOUT_MS), 0);
    assert_int_equal (cf_testproc_stop (&fx->producer, SIGTERM, STOP_TIMEOUT_MS), 0);
    fx->passed = true;
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_subscriber_sigstopped, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
