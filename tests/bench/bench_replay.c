//  bench_replay: how long each service takes to rebuild its state from its
//  journal at start.
//
//  For each service (intake, assignment, handover, notification) and each
//  size (1,000,000 and 10,000,000 events; --smoke 10,000), a journal of
//  that service's real encoded events is written straight into a fresh
//  store (kit/bench_journals.h says what is in it), then:
//    - scan: cf_journal_read_records over it with a callback that only touches
//      each record (the store's own limit: LMDB cursor walk plus whatever
//      checks cf_journal makes);
//    - decode: the same with protobuf-c unpack and free of every event
//      (what the runtime pays before the service's apply);
//    - start: the real service binary started on the store (upstreams
//      pointed at an empty fake producer), timed from fork to /readyz
//      answering 200; the runtime's own rebuild_seconds gauge is read from
//      /metrics.
//  The page cache is warm (the journal was just written) for all three.
//  Prints events/s for each, and the service's resident memory after
//  start.
//
//  Usage: bench_replay [--smoke | --quick]   (--quick: 1,000,000 only)
//  BENCH_ONLY=<key prefix> (e.g. replay.intake) runs only those;
//  BENCH_EVENTS=<N> one size of N events instead of the usual ones.
#include "bench_journals.h"
#include "bench_kit.h"

#include "cf_error.h"
#include "cf_journal.h"
#include "cf_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t events;
    uint64_t bad;
    uint64_t touched;  //  a sum of bytes read, so the scan cannot be skipped
} s_count_t;

static int
s_touch (void *ctx, uint64_t position, const void *data, size_t size)
{
    (void) position;
    s_count_t *count = ctx;
    count->events++;
    //  Sealed values end many events in random bytes: only an empty record
    //  is bad.
    count->bad += size == 0;
    if (size)
        count->touched += ((const uint8_t *) data) [size - 1];
    return 0;
}

static int
s_decode (void *ctx, uint64_t position, const void *data, size_t size)
{
    (void) position;
    s_count_t *count = ctx;
    Caseflow__V1__Event *event = caseflow__v1__event__unpack (NULL, size, data);
    count->events++;
    if (event)
        caseflow__v1__event__free_unpacked (event, NULL);
    else
        count->bad++;
    return 0;
}

//  Events per second of one cf_journal_read_records pass with `fn`, or -1 when
//  the pass failed (printed).
static double
s_pass (const char *dir, const char *service, cf_journal_entry_fn *fn, uint64_t expected)
{
    int rc = 0;
    cf_journal_t *journal = cf_journal_open (dir, service, 0, &rc);
    if (!journal) {
        fprintf (stderr, "bench_replay: cf_journal_open %s: %s\n", dir, cf_strerror (rc));
        return -1;
    }
    s_count_t count = { 0, 0, 0 };
    int64_t started = bk_now_ns ();
    rc = cf_journal_read_records (journal, 1, fn, &count);
    double seconds = (double) (bk_now_ns () - started) / 1e9;
    cf_journal_destroy (&journal);
    if (rc || count.events != expected || count.bad) {
        fprintf (stderr,
                 "bench_replay: %s pass: rc %s, %" PRIu64 " of %" PRIu64 " events, %" PRIu64
                 " bad\n",
                 service, cf_strerror (rc), count.events, expected, count.bad);
        return -1;
    }
    return (double) count.events / seconds;
}

//  A metric's value from /metrics text (first sample of `name`), or -1.
static double
s_metric (int port, const char *name)
{
    char *body = NULL;
    double value = -1;
    if (cf_test_http_get (port, "/metrics", &body) == 200 && body) {
        char pattern [128];
        snprintf (pattern, sizeof pattern, "\ncaseflow_%s{", name);
        const char *at = strstr (body, pattern);
        if (at && (at = strstr (at, "} ")))
            value = atof (at + 2);
    }
    free (body);
    return value;
}

//  One size for one service. Returns 0, or 1 when the journal could not
//  be written or read back, the service did not start, did not apply every
//  event or logged errors.
static int
s_run (const char *service, uint64_t events, const char *size_label, int wait_ms)
{
    char key [128];
    snprintf (key, sizeof key, "replay.%s.%s", service, size_label);
    if (!bk_selected (key))
        return 0;
    bk_service_t svc;
    bk_service_init (&svc, service);
    int64_t started = bk_now_ns ();
    uint64_t bytes = 0;
    uint64_t written = bj_write (svc.proc.data_dir, service, events, false, &bytes);
    double write_s = (double) (bk_now_ns () - started) / 1e9;
    double scan = written ? s_pass (svc.proc.data_dir, service, s_touch, written) : -1;
    double decode = scan >= 0 ? s_pass (svc.proc.data_dir, service, s_decode, written) : -1;
    bk_fake_t *fake = decode >= 0 ? bk_fake_new () : NULL;
    if (!fake) {
        bk_service_destroy (&svc);
        return 1;
    }
    //  Room for the journal (the size bj_write gives it) and no more: a huge map is
    //  free, but tools like valgrind cannot reserve it.
    char map_flag [64];
    snprintf (map_flag, sizeof map_flag, "--map-size=%" PRIu64 "M",
              events * 1024 / 1048576 > 1024 ? events * 1024 / 1048576 : 1024);
    const char *argv [16] = { "--log-level=warn", map_flag };
    size_t argc = 2;
    char storage [4 * 320];  //  up to four upstreams (the gateway's)
    bk_fake_flags (fake, bk_upstreams (service), argv, &argc, 16, storage);
    double load = bk_load ();
    if (bk_service_start (&svc, argv, wait_ms)) {
        fprintf (stderr, "bench_replay: %s did not become ready on its journal\n", service);
        bk_service_destroy (&svc);
        bk_fake_destroy (&fake);
        return 1;
    }
    //  From fork to /readyz answering 200 (polled every 2 ms).
    double ready_s = svc.ready_s;
    double replay_s = s_metric (svc.proc.http_port, "rebuild_seconds");
    double applied = s_metric (svc.proc.http_port, "events_applied_total");
    double rss_mib = bk_proc_kib (svc.proc.pid, "VmRSS") / 1024;
    int failed = 0;
    double rate = (double) written / ready_s;
    printf ("replay %-12s %9" PRIu64 " events (%.0f bytes each, written in %.1f s): "
            "start to ready %.2f s = %.0f events/s (runtime's replay %.2f s); "
            "scan %.0f/s, decode %.0f/s; RSS %.0f MiB; load %.2f\n",
            service, written, (double) bytes / (double) written, write_s, ready_s, rate, replay_s,
            scan, decode, rss_mib, load);
    bk_figuref (rate, "%s.rate", key);
    bk_figuref (ready_s, "%s.seconds", key);
    bk_figuref (replay_s, "%s.runtime_s", key);
    bk_figuref (scan, "%s.scan_rate", key);
    bk_figuref (decode, "%s.decode_rate", key);
    bk_figuref ((double) written, "%s.events", key);
    bk_figuref (load, "load.%s", key);
    if (applied >= 0 && (uint64_t) applied != written) {
        fprintf (stderr, "bench_replay: %s applied %.0f of %" PRIu64 " events\n", service, applied,
                 written);
        failed = 1;
    }
    if (bk_service_errors (&svc, "bench_replay"))
        failed = 1;
    bk_service_destroy (&svc);
    bk_fake_destroy (&fake);
    return failed;
}

int
main (int argc, char **argv)
{
    int size = bk_main_init (argc, argv, "[--smoke | --quick]");
    cf_log_init ("bench_replay", CF_LOG_WARN);
    static const char *const services [] = { "intake", "assignment", "handover", "notification" };
    int failed = 0;
    //  BENCH_EVENTS=N: one size of N events instead (for profiling).
    uint64_t custom = getenv ("BENCH_EVENTS") ? strtoull (getenv ("BENCH_EVENTS"), NULL, 10) : 0;
    //  Long enough to replay 10,000,000 events on a loaded machine.
    int wait_ms = size == 1 && !custom ? 60000 : 600000;
    for (int i = 0; i < 4; i++) {
        if (custom)
            failed |= s_run (services [i], custom, "custom", wait_ms);
        else if (size == 1)
            failed |= s_run (services [i], 10000, "10k", wait_ms);
        else {
            failed |= s_run (services [i], 1000000, "1m", wait_ms);
            if (size == 0)
                failed |= s_run (services [i], 10000000, "10m", wait_ms);
        }
    }
    return failed;
}
