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
//    report   on that console, console.Report at the history's end, then
//             at its middle, each asked over the api 5 times: the median
//             and the slowest (the aim: under 200 ms for 10,000,000
//             events);
//    memory   VmRSS on an empty store, then on a store of N open cases
//             (CaseRegistered and CaseTriaged each: every case waiting),
//             the difference per 1,000,000 cases, split into anonymous
//             memory and file pages, as bench_memory does.
//
//    pages    on that console, the web page's Waiting list and Today
//             rendered over http 10 times each: the p99 (of 10, the slowest)
//             (the aim: under 100 ms with 1,000,000 open cases and
//             100,000 waiting; here every open case is waiting).
//
//  Usage: bench_console [--smoke | --quick]
//         (E: 10,000,000, N: 1,000,000; --quick 2,000,000 and 200,000;
//          --smoke 20,000 and 10,000)
#include "bench_journals.h"
#include "bench_kit.h"

#include "caseflow/v1/console.pb-c.h"
#include "cf_error.h"
#include "cf_log.h"

#include <arpa/inet.h>
#include <assert.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

//  Starts the console prepared in `svc` on its store with every upstream at
//  `fake`. Returns 0 when ready.
static int
s_start (bk_service_t *svc, bk_fake_t *fake, uint64_t events, int wait_ms)
{
    static char storage [5 * 320];
    static char map_flag [64];
    snprintf (map_flag, sizeof map_flag, "--map-size=%" PRIu64 "M",
              events * 1024 / 1048576 > 1024 ? events * 1024 / 1048576 : 1024);
    //  The web page as for a developer's laptop: a loopback request is
    //  the team lead "bench" (docs/console.md).
    const char *argv [16] = { "--log-level=warn", map_flag, "--web-users=bench:team-lead",
                              "--web-local-user=bench" };
    size_t argc = 4;
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
    //  a moment after the last, then one halfway (a report for a past
    //  date reads the events up to it).
    int64_t start = INT64_C (1622534400000000);
    int64_t ats [2] = { start + (int64_t) written * 50000 + 1000000,
                        start + (int64_t) written / 2 * 50000 };
    static const char *const names [2] = { "report", "report_half" };
    int failed = 0;
    for (int a = 0; a < 2 && !failed; a++) {
        double times [5];
        double cpu = bk_proc_cpu_s (svc.proc.pid);
        for (int i = 0; i < 5 && !failed; i++)
            failed = (times [i] = s_report_ms (svc.proc.api, ats [a])) < 0;
        if (failed)
            break;
        //  The console's own CPU time per report: steadier than the time
        //  to the answer on a shared machine.
        cpu = (bk_proc_cpu_s (svc.proc.pid) - cpu) * 1000 / 5;
        qsort (times, 5, sizeof times [0], s_compare);
        printf ("console report over %" PRIu64 " events%s: median %.0f ms, slowest %.0f ms, "
                "console CPU %.0f ms per report (aim: under 200 ms for 10,000,000)\n",
                written, a ? " at the history's middle" : "", times [2], times [4], cpu);
        bk_figuref (cpu, "console.%s.cpu_ms", names [a]);
        bk_figuref (times [2], "console.%s.median_ms", names [a]);
        bk_figuref (times [4], "console.%s.max_ms", names [a]);
    }
    if (bk_service_errors (&svc, "bench_console"))
        failed = 1;
    bk_service_destroy (&svc);
    bk_fake_destroy (&fake);
    return failed;
}

//  GET `path` on `port` (HTTP/1.0, the answer read to its end) with a
//  timeout of 10 minutes, as a page over a million cases may take long:
//  the status, 0 when there was no answer.
static int
s_http_get (int port, const char *path)
{
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) port) };
    addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    struct timeval timeout = { 600, 0 };
    setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    char request [256];
    int len = snprintf (request, sizeof request,
                        "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path);
    int status = 0;
    if (connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0
        && send (fd, request, (size_t) len, MSG_NOSIGNAL) == len) {
        char buffer [65536], head [32] = "";
        size_t kept = 0;
        ssize_t got;
        while ((got = read (fd, buffer, sizeof buffer)) > 0)
            for (ssize_t i = 0; i < got && kept + 1 < sizeof head; i++)
                head [kept++] = buffer [i];
        if (sscanf (head, "HTTP/%*s %d", &status) != 1)
            status = 0;
    }
    close (fd);
    return status;
}

//  The web page's `path` rendered `count` times over http (as the
//  signed-in team lead): the slowest share as a nearest-rank p99, in ms;
//  -1 when a render failed.
static double
s_page_p99 (int port, const char *path, int count)
{
    double times [100];
    assert (count > 0 && count <= 100);
    for (int i = 0; i < count; i++) {
        int64_t started = bk_now_ns ();
        int status = s_http_get (port, path);
        times [i] = (double) (bk_now_ns () - started) / 1e6;
        if (status != 200) {
            fprintf (stderr, "bench_console: GET %s answered %d\n", path, status);
            return -1;
        }
    }
    qsort (times, (size_t) count, sizeof times [0], s_compare);
    return times [(count * 99 + 99) / 100 - 1];
}

//  VmRSS (KiB) of the console prepared in `svc`, started and stopped;
//  with `pages` (> 0), the render p99 of the Waiting list and Today
//  pages over `pages` renders each, in ms (-1 when one failed).
static double
s_rss (bk_service_t *svc, uint64_t events, int wait_ms, double *anon, double *file, int pages,
       double p99 [2])
{
    bk_fake_t *fake = bk_fake_new ();
    double rss = -1;
    if (fake && s_start (svc, fake, events, wait_ms) == 0) {
        zclock_sleep (500);
        rss = bk_proc_kib (svc->proc.pid, "VmRSS");
        *anon = bk_proc_kib (svc->proc.pid, "RssAnon");
        *file = bk_proc_kib (svc->proc.pid, "RssFile");
        for (int p = 0; p < 2 && pages > 0 && rss >= 0; p++)
            if ((p99 [p] = s_page_p99 (svc->proc.http_port, p ? "/today" : "/waiting", pages)) < 0)
                rss = -1;
        if (bk_service_errors (svc, "bench_console"))
            rss = -1;
    }
    bk_service_destroy (svc);
    bk_fake_destroy (&fake);
    return rss;
}

static int
s_memory (uint64_t cases, int wait_ms, int pages)
{
    bk_service_t svc;
    double empty_anon = 0, empty_file = 0, anon = 0, file = 0, p99 [2] = { 0, 0 };
    bk_service_init (&svc, "console");
    double empty = s_rss (&svc, 0, wait_ms, &empty_anon, &empty_file, 0, p99);
    bk_service_init (&svc, "console");
    uint64_t bytes = 0;
    uint64_t events = bj_write (svc.proc.data_dir, "console", 2 * cases, true, &bytes);
    double full = events ? s_rss (&svc, events, wait_ms, &anon, &file, pages, p99) : -1;
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
    printf ("console pages over %" PRIu64 " open cases, every one waiting: render p99 of %d "
            "(http GET, answer read whole): Waiting list %.0f ms, Today %.0f ms (aim: under "
            "100 ms with 1,000,000 open and 100,000 waiting)\n",
            cases, pages, p99 [0], p99 [1]);
    bk_figuref (p99 [0], "console.page.waiting.p99_ms");
    bk_figuref (p99 [1], "console.page.today.p99_ms");
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
    failed |= s_memory (cases, wait_ms, 10);
    return failed;
}
