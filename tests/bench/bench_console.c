//  bench_console: the console's figures of issue 18: its replay rate, the
//  time a report takes over a long history, and its memory per 1,000,000
//  cases.
//
//  Each run writes the journal the console would have written
//  (kit/bench_journals.h: intake's lifecycle, every event consumed) and
//  starts caseflow-console on it, its five upstreams pointed at an empty
//  fake producer (caught up at once):
//    replay   a history of E events (10 per case, every case closed): from
//             fork to /readyz, E / seconds (the aim: 1,000,000 events/s);
//    report   on that console, console.Report at the history's end, asked
//             over the api 5 times: the median and the slowest (the aim:
//             under 200 ms for 10,000,000 events);
//    memory   VmRSS on an empty store, then on a store of N open cases
//             (CaseRegistered and CaseTriaged each: every case waiting),
//             the difference per 1,000,000 cases, split into anonymous
//             memory and file pages, as bench_memory does.
//
//  Usage: bench_console [--smoke | --quick]
//         (E: 10,000,000, N: 1,000,000; --quick 2,000,000 and 200,000;
//          --smoke 20,000 and 10,000)
#include "bench_journals.h"
#include "bench_kit.h"

#include "caseflow/v1/console.pb-c.h"
#include "cf_error.h"
#include "cf_log.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

//  Starts the console prepared in `svc` on its store with every upstream at
//  `fake`. Returns 0 when ready.
static int
s_start (bk_service_t *svc, bk_fake_t *fake, uint64_t events, int wait_ms)
{
    static char storage [5 * 320];
    static char map_flag [64];
    snprintf (map_flag, sizeof map_flag, "--map-size=%" PRIu64 "M",
              events * 1024 / 1048576 > 1024 ? events * 1024 / 1048576 : 1024);
    const char *argv [16] = { "--log-level=warn", map_flag };
    size_t argc = 2;
    bk_fake_flags (fake, bk_upstreams ("console"), argv, &argc, 16, storage);
    return bk_service_start (svc, argv, wait_ms);
}

//  console.Report at `at` over the api: milliseconds, or -1 when refused.
static double
s_report_ms (const char *api, int64_t at)
{
    cf_api_client_t *client = cf_api_client_new (api, 60000, 0);
    if (!client)
        return -1;
    Caseflow__V1__Console__Report report = CASEFLOW__V1__CONSOLE__REPORT__INIT;
    report.at = at;
    Caseflow__V1__Console__Query own = CASEFLOW__V1__CONSOLE__QUERY__INIT;
    own.body_case = CASEFLOW__V1__CONSOLE__QUERY__BODY_REPORT;
    own.report = &report;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_CONSOLE;
    query.console = &own;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = "bench-report";
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = &query;
    int rc = 0;
    int64_t started = bk_now_ns ();
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &request, &rc);
    double ms = (double) (bk_now_ns () - started) / 1e6;
    bool ok = reply && (!reply->status || reply->status->code == CASEFLOW__V1__STATUS__CODE__OK)
              && reply->query && reply->query->console && reply->query->console->report;
    if (!ok)
        fprintf (stderr, "bench_console: the report was refused: %s\n",
                 reply && reply->status ? reply->status->message : cf_strerror (rc));
    if (reply)
        caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
    return ok ? ms : -1;
}

static int
s_compare (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

//  The replay and report figures on a history of `events` events.
static int
s_history (uint64_t events, int wait_ms)
{
    bk_service_t svc;
    bk_service_init (&svc, "console");
    uint64_t bytes = 0;
    int64_t started = bk_now_ns ();
    uint64_t written = bj_write (svc.proc.data_dir, "console", events, false, &bytes);
    double write_s = (double) (bk_now_ns () - started) / 1e9;
    bk_fake_t *fake = written ? bk_fake_new () : NULL;
    if (!fake || s_start (&svc, fake, events, wait_ms)) {
        fprintf (stderr, "bench_console: the console did not start on its journal\n");
        bk_service_destroy (&svc);
        bk_fake_destroy (&fake);
        return 1;
    }
    double load = bk_load ();
    double rate = (double) written / svc.ready_s;
    double rss_mib = bk_proc_kib (svc.proc.pid, "VmRSS") / 1024;
    printf ("console replay %9" PRIu64 " events (%.0f bytes each, written in %.1f s): start to "
            "ready %.2f s = %.0f events/s; RSS %.0f MiB; load %.2f\n",
            written, (double) bytes / (double) written, write_s, svc.ready_s, rate, rss_mib, load);
    bk_figuref (rate, "console.replay.rate");
    bk_figuref ((double) written, "console.replay.events");
    //  The journal's times start on 2021-06-01 and move 50 ms per event:
    //  a moment after the last.
    int64_t at = INT64_C (1622534400000000) + (int64_t) written * 50000 + 1000000;
    double times [5];
    int failed = 0;
    for (int i = 0; i < 5 && !failed; i++)
        failed = (times [i] = s_report_ms (svc.proc.api, at)) < 0;
    if (!failed) {
        qsort (times, 5, sizeof times [0], s_compare);
        printf ("console report over %" PRIu64 " events: median %.0f ms, slowest %.0f ms "
                "(aim: under 200 ms for 10,000,000)\n",
                written, times [2], times [4]);
        bk_figuref (times [2], "console.report.median_ms");
        bk_figuref (times [4], "console.report.max_ms");
    }
    if (bk_service_errors (&svc, "bench_console"))
        failed = 1;
    bk_service_destroy (&svc);
    bk_fake_destroy (&fake);
    return failed;
}

//  VmRSS (KiB) of the console prepared in `svc`, started and stopped.
static double
s_rss (bk_service_t *svc, uint64_t events, int wait_ms, double *anon, double *file)
{
    bk_fake_t *fake = bk_fake_new ();
    double rss = -1;
    if (fake && s_start (svc, fake, events, wait_ms) == 0) {
        zclock_sleep (500);
        rss = bk_proc_kib (svc->proc.pid, "VmRSS");
        *anon = bk_proc_kib (svc->proc.pid, "RssAnon");
        *file = bk_proc_kib (svc->proc.pid, "RssFile");
        if (bk_service_errors (svc, "bench_console"))
            rss = -1;
    }
    bk_service_destroy (svc);
    bk_fake_destroy (&fake);
    return rss;
}

static int
s_memory (uint64_t cases, int wait_ms)
{
    bk_service_t svc;
    double empty_anon = 0, empty_file = 0, anon = 0, file = 0;
    bk_service_init (&svc, "console");
    double empty = s_rss (&svc, 0, wait_ms, &empty_anon, &empty_file);
    bk_service_init (&svc, "console");
    uint64_t bytes = 0;
    uint64_t events = bj_write (svc.proc.data_dir, "console", 2 * cases, true, &bytes);
    double full = events ? s_rss (&svc, events, wait_ms, &anon, &file) : -1;
    if (!events)
        bk_service_destroy (&svc);
    if (empty < 0 || full < 0) {
        fprintf (stderr, "bench_console: memory: no figures\n");
        return 1;
    }
    double scale = 1e6 / (double) cases / 1024.0;  //  KiB for N -> MiB per 1M
    double rss = (full - empty) * scale;
    printf ("console memory %8" PRIu64 " open cases (%" PRIu64 " events): VmRSS %.0f MiB (empty "
            "%.0f MiB) = %.0f MiB per 1,000,000 cases (anonymous %.0f, file %.0f); their events "
            "encoded: %.0f MiB per 1,000,000\n",
            cases, events, full / 1024, empty / 1024, rss, (anon - empty_anon) * scale,
            (file - empty_file) * scale, (double) bytes * 1e6 / (double) cases / 1048576.0);
    bk_figuref (rss, "memory.console.rss_mib_per_1m");
    bk_figuref ((anon - empty_anon) * scale, "memory.console.anon_mib_per_1m");
    return 0;
}

int
main (int argc, char **argv)
{
    int size = bk_main_init (argc, argv, "[--smoke | --quick]");
    cf_log_init ("bench_console", CF_LOG_WARN);
    uint64_t events = size == 1 ? 20000 : size == 2 ? 2000000 : 10000000;
    uint64_t cases = size == 1 ? 10000 : size == 2 ? 200000 : 1000000;
    int wait_ms = size == 1 ? 60000 : 900000;
    int failed = s_history (events, wait_ms);
    failed |= s_memory (cases, wait_ms);
    return failed;
}
