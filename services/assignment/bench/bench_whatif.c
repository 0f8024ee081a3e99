//  bench_whatif: a what-if over a year of a 100,000-inhabitant city's
//  demand (target under 2 s), printed.
//
//  The year is made by the assignment policy itself, through the test
//  harness (no journal, no sockets): 100 workers (1.0 FTE, two of four
//  locations, three domains each, 14 cases each), about 20,000
//  registrations on the 260 working days (80 a day), 8% urgent and a
//  quarter closed with advice at once; every case a worker got is started
//  the next working day and completed two to eight weeks later. The
//  harness's journal is split into intake's and assignment's streams, as
//  the console holds them (the harness links no decision to its cause, so
//  the sandbox orders by time alone here: faithfulness is pinned on the
//  demo's real streams by test_whatif, not by this figure). Then it times:
//    - the sandbox with no changes, and with five more workers from the
//      second quarter (assignment_whatif_run);
//    - the answer: the report's figures at the year's end for both sides
//      and the weekly series of 52 weeks (assignment_whatif_answer);
//    - a forecast of 13 weeks at the inflow of the last 4.
//  Then the live service's command latency with and without what-ifs
//  running beside it: caseflow-assignment started alone (an empty fake
//  upstream, bench/kit), 300 ChangeWorker commands over the api, each
//  journaled, timed from send to reply; then the same while a child
//  process runs this year's what-if again and again, as the console does
//  in its own process. `--smoke` runs a month at a tenth of the size and
//  20 commands (ctest).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "assignment_harness.h"
#include "assignment_whatif.h"
#include "assignment_whatif_answer.h"
#include "bench_kit.h"
#include "cf_log.h"
#include "cf_time.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define S_DAY  INT64_C (86400000000)
#define S_HOUR INT64_C (3600000000)

static uint64_t s_seed = 20220103;

//  A deterministic draw in [0, n).
static uint32_t
s_draw (uint32_t n)
{
    s_seed = s_seed * UINT64_C (6364136223846793005) + UINT64_C (1442695040888963407);
    return (uint32_t) ((s_seed >> 33) % n);
}

typedef struct {
    char id [16];
    int64_t start_at, complete_at;
    bool started, done;
} s_case_t;

static double
s_ms_since (int64_t started)
{
    return (double) (cf_time_monotonic () - started) / 1000.0;
}

//  This process's CPU time (ms): on a machine other work keeps busy, the
//  wall time says more about the load than about the what-if.
static double
s_cpu_ms (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double) ts.tv_sec * 1000.0 + (double) ts.tv_nsec / 1e6;
}

static Caseflow__V1__Reply *
s_command (cf_api_client_t *client, Caseflow__V1__Assignment__Command *inner)
{
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_ASSIGNMENT;
    command.assignment = inner;
    return cf_testclient_command (client, NULL, &command);
}

//  `count` ChangeWorker commands to the live service: their latencies
//  (ns, sorted) into `samples`.
static void
s_commands (cf_api_client_t *client, size_t count, int64_t *samples)
{
    for (size_t i = 0; i < count; i++) {
        Caseflow__V1__Assignment__ChangeWorker change =
            CASEFLOW__V1__ASSIGNMENT__CHANGE_WORKER__INIT;
        change.worker_id = "w1";
        change.fte_milli = i % 2 ? 900 : 1000;
        Caseflow__V1__Assignment__Command inner = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
        inner.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_CHANGE_WORKER;
        inner.change_worker = &change;
        int64_t started = bk_now_ns ();
        Caseflow__V1__Reply *reply = s_command (client, &inner);
        samples [i] = bk_now_ns () - started;
        caseflow__v1__reply__free_unpacked (reply, NULL);
    }
    qsort (samples, count, sizeof *samples, bk_compare_i64);
}

//  The live service's command latency with and without the what-if over
//  `real` running in another process. Returns 0, or 1 when the service
//  did not start.
static int
s_live (const cf_fold_streams_t *real, const assignment_config_t *config, int64_t from, int64_t to,
        size_t count)
{
    bk_fake_t *fake = bk_fake_new ();
    if (!fake)
        return 1;
    bk_service_t svc;
    bk_service_init (&svc, "assignment");
    const char *flags [16] = { "--log-level=warn" };
    size_t n = 1;
    char storage [4 * 320];
    bk_fake_flags (fake, bk_upstreams ("assignment"), flags, &n, 16, storage);
    if (bk_service_start (&svc, flags, 20000) != 0) {
        bk_service_destroy (&svc);
        bk_fake_destroy (&fake);
        return 1;
    }
    cf_api_client_t *client = cf_testclient_new (svc.proc.api);
    Caseflow__V1__Assignment__AddLocation location = CASEFLOW__V1__ASSIGNMENT__ADD_LOCATION__INIT;
    location.location_id = "L1";
    location.name = "Location 1";
    Caseflow__V1__Assignment__Command inner = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    inner.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_LOCATION;
    inner.add_location = &location;
    caseflow__v1__reply__free_unpacked (s_command (client, &inner), NULL);
    Caseflow__V1__Assignment__AddWorker worker = CASEFLOW__V1__ASSIGNMENT__ADD_WORKER__INIT;
    char *locations [] = { "L1" };
    Caseflow__V1__Domain expertise [] = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT };
    worker.worker_id = "w1";
    worker.name = "Worker 1";
    worker.fte_milli = 1000;
    worker.locations = locations;
    worker.n_locations = 1;
    worker.expertise = expertise;
    worker.n_expertise = 1;
    inner.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_WORKER;
    inner.add_worker = &worker;
    caseflow__v1__reply__free_unpacked (s_command (client, &inner), NULL);
    int64_t *alone = calloc (count, sizeof *alone), *beside = calloc (count, sizeof *beside);
    s_commands (client, count, alone);
    //  The what-if, again and again, in a process of its own (as in the
    //  console), until it is killed.
    pid_t child = fork ();
    if (child == 0) {
        for (;;) {
            assignment_whatif_changes_t changes = { .from = from,
                                                    .to = to,
                                                    .add_workers = 5,
                                                    .add_fte_milli = 1000,
                                                    .add_location = "L1",
                                                    .add_expertise_mask = 0xFE };
            assignment_whatif_t *whatif = NULL;
            char error [256];
            if (assignment_whatif_run (&real->streams [CF_FOLD_INTAKE],
                                       &real->streams [CF_FOLD_ASSIGNMENT], config, &changes,
                                       &whatif, error, sizeof error))
                _exit (1);
            json_decref (assignment_whatif_answer (real, whatif, from, to));
            assignment_whatif_destroy (&whatif);
        }
    }
    zclock_sleep (200);  //  the child is at work
    int64_t busy = bk_now_ns ();
    s_commands (client, count, beside);
    double busy_s = (double) (bk_now_ns () - busy) / 1e9;
    kill (child, SIGKILL);
    waitpid (child, NULL, 0);
    bk_latency_t a = bk_latency (alone, count, count, 0), b = bk_latency (beside, count, count, 0);
    printf ("  live assignment, %zu ChangeWorker commands: alone p50 %.2f ms p99 %.2f ms max "
            "%.2f ms; beside a running what-if p50 %.2f ms p99 %.2f ms max %.2f ms (%.1f s, "
            "load %.2f)\n",
            count, a.p50_ms, a.p99_ms, a.max_ms, b.p50_ms, b.p99_ms, b.max_ms, busy_s, bk_load ());
    bk_latency_figures ("whatif.live_alone", &a);
    bk_latency_figures ("whatif.live_beside", &b);
    free (alone);
    free (beside);
    cf_api_client_destroy (&client);
    bk_service_destroy (&svc);
    bk_fake_destroy (&fake);
    return 0;
}

int
main (int argc, char **argv)
{
    bool smoke = bk_main_init (argc, argv, "[--smoke]") == 1;
    cf_log_init ("bench_whatif", CF_LOG_WARN);
    size_t n_workers = smoke ? 10 : 100, per_day = smoke ? 8 : 80, days = smoke ? 22 : 260;
    static const char *const locations [] = { "L1", "L2", "L3", "L4" };
    ah_t *h = ah_new (NULL);
    for (int l = 0; l < 4; l++)
        ah_add_location (h, locations [l], NULL);
    for (size_t w = 0; w < n_workers; w++) {
        char id [16], reach [16];
        snprintf (id, sizeof id, "w%03zu", w);
        snprintf (reach, sizeof reach, "%s,%s", locations [w % 4], locations [(w + 1) % 4]);
        uint32_t expertise =
            (1u << (1 + w % 7)) | (1u << (1 + (w + 2) % 7)) | (1u << (1 + (w + 4) % 7));
        ah_add_worker (h, id, 1000, reach, expertise, 14);
    }
    size_t n_cases = per_day * days;
    s_case_t *cases = calloc (n_cases, sizeof *cases);
    size_t registered = 0;
    //  The harness starts on Monday 3 January 2022; the year from Tuesday.
    int64_t first = AH_START - AH_START % S_DAY + S_DAY, day = first;
    for (size_t d = 0; d < days; day += S_DAY) {
        int weekday = (int) (((day - first) / S_DAY + 1) % 7);
        if (weekday >= 5)
            continue;
        d++;
        //  The morning: starts and completions due by now.
        ah_clock (h, day + 8 * S_HOUR);
        for (size_t c = 0; c < registered; c++) {
            s_case_t *kase = &cases [c];
            if (kase->done || !ah_worker_of (h, kase->id))
                continue;
            if (!kase->started) {
                kase->started = true;
                kase->start_at = h->now;
                kase->complete_at = h->now + (14 + s_draw (43)) * S_DAY;
                ah_start (h, kase->id);
            } else if (kase->complete_at <= h->now) {
                kase->done = true;
                ah_complete (h, kase->id, "completed");
            }
        }
        for (size_t i = 0; i < per_day; i++) {
            ah_clock (h, day + 9 * S_HOUR + (int64_t) i * 5 * 60 * 1000000);
            s_case_t *kase = &cases [registered++];
            snprintf (kase->id, sizeof kase->id, "C%06zu", registered);
            uint32_t domains = 1u << (1 + s_draw (7));
            const char *where = locations [s_draw (4)];
            uint32_t roll = s_draw (100);
            ah_register (h, kase->id, domains, where, where, NULL);
            if (roll < 25) {
                ah_close (h, kase->id);
                kase->done = true;
                continue;
            }
            ah_triage (h, kase->id, roll < 33 ? ASSIGNMENT_URGENT : ASSIGNMENT_REGULAR);
        }
    }
    //  The harness's journal, split as the console holds the streams.
    Caseflow__V1__Event **split [2];
    size_t counts [2] = { 0, 0 };
    split [0] = calloc (h->n_journal + 1, sizeof *split [0]);
    split [1] = calloc (h->n_journal + 1, sizeof *split [1]);
    for (size_t i = 0; i < h->n_journal; i++) {
        int own = strcmp (h->journal [i]->stream, ASSIGNMENT_STREAM) == 0;
        split [own][counts [own]++] = h->journal [i];
    }
    cf_fold_streams_t real = { 0 };
    real.streams [CF_FOLD_INTAKE] =
        (cf_fold_stream_t){ true, (const Caseflow__V1__Event *const *) split [0], counts [0] };
    real.streams [CF_FOLD_ASSIGNMENT] =
        (cf_fold_stream_t){ true, (const Caseflow__V1__Event *const *) split [1], counts [1] };
    int64_t from = first, to = day;
    printf ("bench_whatif: %zu registrations, %zu intake and %zu assignment events over %zu "
            "working days, %zu workers\n",
            registered, counts [0], counts [1], days, n_workers);
    assignment_config_t config = h->state->config;
    char error [256];
    for (int run = 0; run < 2; run++) {
        assignment_whatif_changes_t changes = { .from = from, .to = to };
        if (run) {
            changes.add_workers = 5;
            changes.add_fte_milli = 1000;
            changes.add_location = "L1";
            changes.add_expertise_mask = 0xFE;
            changes.add_starting = from + (to - from) / 4;
        }
        int64_t started = cf_time_monotonic ();
        double cpu = s_cpu_ms ();
        assignment_whatif_t *whatif = NULL;
        int rc = assignment_whatif_run (&real.streams [CF_FOLD_INTAKE],
                                        &real.streams [CF_FOLD_ASSIGNMENT], &config, &changes,
                                        &whatif, error, sizeof error);
        if (rc) {
            fprintf (stderr, "bench_whatif: %s\n", error);
            return 1;
        }
        double sandbox_ms = s_ms_since (started), sandbox_cpu = s_cpu_ms () - cpu;
        started = cf_time_monotonic ();
        cpu = s_cpu_ms ();
        json_t *answer = assignment_whatif_answer (&real, whatif, from, to);
        double answer_ms = s_ms_since (started), answer_cpu = s_cpu_ms () - cpu;
        json_t *actual = json_object_get (answer, "actual"),
               *side = json_object_get (answer, "whatif");
        printf (
            "  %-27s sandbox %.0f ms (CPU %.0f ms, %zu decisions), answer %.0f ms (CPU %.0f ms, "
            "%zu weekly points), total %.0f ms (CPU %.0f ms); waiting %lld -> %lld\n",
            run ? "five more workers, from Q2" : "no changes", sandbox_ms, sandbox_cpu,
            assignment_whatif_decisions (whatif), answer_ms, answer_cpu,
            json_array_size (json_object_get (answer, "weeks")), sandbox_ms + answer_ms,
            sandbox_cpu + answer_cpu,
            (long long) json_integer_value (json_object_get (actual, "waiting")),
            (long long) json_integer_value (json_object_get (side, "waiting")));
        json_decref (answer);
        assignment_whatif_destroy (&whatif);
    }
    int64_t started = cf_time_monotonic ();
    double cpu = s_cpu_ms ();
    assignment_whatif_changes_t now = { .from = to, .to = to };
    json_t *forecast = NULL;
    if (assignment_whatif_forecast (&real, &config, &now, 13, 4, &forecast, error, sizeof error)) {
        fprintf (stderr, "bench_whatif: %s\n", error);
        return 1;
    }
    printf ("  %-27s %.0f ms (CPU %.0f ms)\n", "forecast, 13 weeks at last 4", s_ms_since (started),
            s_cpu_ms () - cpu);
    printf ("  (load average %.2f)\n", bk_load ());
    json_decref (forecast);
    if (s_live (&real, &config, from, to, smoke ? 20 : 300)) {
        fprintf (stderr, "bench_whatif: the live assignment service did not start\n");
        return 1;
    }
    free (split [0]);
    free (split [1]);
    free (cases);
    ah_destroy (&h);
    return 0;
}
