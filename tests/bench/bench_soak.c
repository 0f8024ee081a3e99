//  bench_soak: a long run of commands through the four services on the
//  system clock, watching each process's memory, open files and threads.
//
//  The four real services run on loopback with fresh stores, wired as in
//  production (bk_fleet_start). Each round is one resident's way through
//  them, five commands:
//
//    intake      Register   a resident of a fixed pool (regular: waits;
//                           notification schedules the 14-day callback)
//    assignment  Start      the case, which assignment gave a worker with
//                           room by itself (notification drops the callback)
//    assignment  Complete   it (intake closes the case)
//    handover    Announce   a handover for the provider P1
//    handover    Cancel     it
//
//  Rounds go in chunks (bk_drive at saturation, one kind of command at a
//  time, the services settled in between: every cursor at its producer's
//  head). The resident pool is one chunk long, so every resident has one
//  open case at most and registers again in the next chunk: the key store
//  and the matching index stop growing after the first chunk. What keeps
//  growing by design is the history: every service keeps each closed case
//  and cancelled handover it saw (for its queries and the report), and the
//  journals grow, mapped into each process (the file part of its RSS).
//
//  Every few seconds (between phases) each service's VmRSS (anonymous and
//  file parts), open files (/proc/PID/fd) and threads (/proc/PID/task) are
//  sampled. Prints the first sample after the warm-up (the first tenth of
//  the rounds) beside the last, the highest fd and thread counts, the
//  growth of anonymous memory per round after the warm-up, and the
//  commands/s over the whole run (settling included). Then the four are
//  restarted on their stores: the anonymous memory of a fresh replay is
//  what their state takes, the yardstick for the end of the run (more at
//  the end than after the replay is memory that is not state).
//
//  Usage: bench_soak [--smoke | --quick | --full]
//    (none), --quick   50,000 commands (tests/bench/run.sh)
//    --full            1,000,000 commands (tests/bench/run.sh --full)
//    --smoke           2,000 commands (ctest)
//  BENCH_SOAK_PAUSE=<seconds> pauses at the end of the run, before the
//  restart, printing the services' pids (to look into them).
#include "bench_drive.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_SERVICES 4
#define S_HANDOVER 0
#define S_INTAKE   1
#define S_ASSIGN   2
#define S_NOTIFY   3

static const char *const s_names [S_SERVICES] = { "handover", "intake", "assignment",
                                                  "notification" };

//  Each kind of command has its own range of request ids on its service
//  (a service answers a request id it saw with the stored reply).
#define S_KIND_SPAN ((size_t) 1000000000)
enum { S_REGISTER, S_START, S_COMPLETE, S_ANNOUNCE, S_CANCEL, S_KINDS };
#define S_WORKERS 8  //  1,000 cases each at most: room for a chunk

//  The rounds of the chunk being driven. bk_drive's pack functions take no
//  context, so theirs is this one (the benchmark is single-threaded).
typedef struct {
    size_t first;  //  the chunk's first round
    size_t rounds;
    char (*cases) [32];      //  [round - first]: its case id
    char (*handovers) [32];  //  [round - first]: its handover id
} s_chunk_t;

static s_chunk_t s_chunk;

static size_t
s_slot (size_t index)
{
    size_t round = index % S_KIND_SPAN;
    assert (round >= s_chunk.first && round < s_chunk.first + s_chunk.rounds);
    return round - s_chunk.first;
}

static size_t
s_pack_register (uint8_t *buffer, size_t cap, size_t index)
{
    return bk_pack_register_of (buffer, cap, index, s_slot (index));
}

static size_t
s_pack_assignment (uint8_t *buffer, size_t cap, size_t index, bool complete)
{
    Caseflow__V1__Assignment__Start start = CASEFLOW__V1__ASSIGNMENT__START__INIT;
    Caseflow__V1__Assignment__Complete done = CASEFLOW__V1__ASSIGNMENT__COMPLETE__INIT;
    Caseflow__V1__Assignment__Command inner = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    char *case_id = s_chunk.cases [s_slot (index)];
    if (complete) {
        done.case_id = case_id;
        done.outcome = "helped: the rent arrears are settled";
        inner.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_COMPLETE;
        inner.complete = &done;
    } else {
        start.case_id = case_id;
        inner.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_START;
        inner.start = &start;
    }
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_ASSIGNMENT;
    command.assignment = &inner;
    return bk_pack_command (buffer, cap, index, &command);
}

static size_t
s_pack_start (uint8_t *buffer, size_t cap, size_t index)
{
    return s_pack_assignment (buffer, cap, index, false);
}

static size_t
s_pack_complete (uint8_t *buffer, size_t cap, size_t index)
{
    return s_pack_assignment (buffer, cap, index, true);
}

static size_t
s_pack_announce (uint8_t *buffer, size_t cap, size_t index)
{
    char name [48];
    snprintf (name, sizeof name, "Overdracht %zu", s_slot (index));
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = name;
    resident.birth_date = "1950-06-30";
    Caseflow__V1__Domain domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_SUPPORT };
    Caseflow__V1__Handover__Announce body = CASEFLOW__V1__HANDOVER__ANNOUNCE__INIT;
    body.provider_id = "P1";
    body.resident = &resident;
    body.domains = domains;
    body.n_domains = 1;
    body.support = "Support at home twice a week";
    Caseflow__V1__Handover__Command inner = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    inner.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ANNOUNCE;
    inner.announce = &body;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_HANDOVER;
    command.handover = &inner;
    return bk_pack_command (buffer, cap, index, &command);
}

static size_t
s_pack_cancel (uint8_t *buffer, size_t cap, size_t index)
{
    Caseflow__V1__Handover__Cancel body = CASEFLOW__V1__HANDOVER__CANCEL__INIT;
    body.handover_id = s_chunk.handovers [s_slot (index)];
    body.reason = "the resident moved away";
    Caseflow__V1__Handover__Command inner = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    inner.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_CANCEL;
    inner.cancel = &body;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_HANDOVER;
    command.handover = &inner;
    return bk_pack_command (buffer, cap, index, &command);
}

static void
s_on_registered (bk_drive_t *drive, size_t index, const Caseflow__V1__Reply *reply, int64_t now)
{
    (void) drive;
    (void) now;
    if (reply->result_case == CASEFLOW__V1__REPLY__RESULT_COMMAND && reply->command
        && reply->command->intake && reply->command->intake->registered)
        snprintf (s_chunk.cases [index], sizeof s_chunk.cases [index], "%s",
                  reply->command->intake->registered->case_id);
}

static void
s_on_announced (bk_drive_t *drive, size_t index, const Caseflow__V1__Reply *reply, int64_t now)
{
    (void) drive;
    (void) now;
    if (reply->result_case == CASEFLOW__V1__REPLY__RESULT_COMMAND && reply->command
        && reply->command->handover && reply->command->handover->handover)
        snprintf (s_chunk.handovers [index], sizeof s_chunk.handovers [index], "%s",
                  reply->command->handover->handover->handover_id);
}

static const struct {
    int service;
    size_t (*pack) (uint8_t *buffer, size_t cap, size_t index);
    void (*on_reply) (bk_drive_t *drive, size_t index, const Caseflow__V1__Reply *reply,
                      int64_t now);
    const char *name;
} s_kinds [S_KINDS] = {
    { S_INTAKE, s_pack_register, s_on_registered, "intake Register" },
    { S_ASSIGN, s_pack_start, NULL, "assignment Start" },
    { S_ASSIGN, s_pack_complete, NULL, "assignment Complete" },
    { S_HANDOVER, s_pack_announce, s_on_announced, "handover Announce" },
    { S_HANDOVER, s_pack_cancel, NULL, "handover Cancel" },
};

//  ------------------------------------------------------------ the set-up

//  Sends one command; false (printed why) unless it was answered OK.
static bool
s_command (bk_service_t *service, Caseflow__V1__Command *command, const char *what)
{
    cf_api_client_t *client = cf_testclient_new (service->proc.api);
    Caseflow__V1__Reply *reply = cf_testclient_command (client, NULL, command);
    bool ok = reply && (!reply->status || reply->status->code == CASEFLOW__V1__STATUS__CODE__OK);
    if (!ok)
        fprintf (stderr, "bench_soak: %s refused: %s\n", what,
                 reply && reply->status ? reply->status->message : "no reply");
    if (reply)
        caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
    return ok;
}

//  One location for every district the residents live in, S_WORKERS
//  workers there with room for 1,000 cases each, and the provider P1.
static bool
s_set_up (bk_service_t *services)
{
    char districts [20][8];
    char *list [20];
    for (int i = 0; i < 20; i++) {
        snprintf (districts [i], sizeof districts [i], "D%02d", i);
        list [i] = districts [i];
    }
    Caseflow__V1__Assignment__AddLocation location = CASEFLOW__V1__ASSIGNMENT__ADD_LOCATION__INIT;
    location.location_id = "L1";
    location.name = "Centrum";
    location.districts = list;
    location.n_districts = 20;
    Caseflow__V1__Assignment__Command inner = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    inner.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_LOCATION;
    inner.add_location = &location;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_ASSIGNMENT;
    command.assignment = &inner;
    if (!s_command (&services [S_ASSIGN], &command, "AddLocation"))
        return false;
    char *locations [] = { "L1" };
    Caseflow__V1__Domain expertise [] = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT,
                                          CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING };
    for (int i = 0; i < S_WORKERS; i++) {
        char id [16], name [32];
        snprintf (id, sizeof id, "w%d", i + 1);
        snprintf (name, sizeof name, "Worker %d", i + 1);
        Caseflow__V1__Assignment__AddWorker worker = CASEFLOW__V1__ASSIGNMENT__ADD_WORKER__INIT;
        worker.worker_id = id;
        worker.name = name;
        worker.fte_milli = 1000;
        worker.locations = locations;
        worker.n_locations = 1;
        worker.expertise = expertise;
        worker.n_expertise = 2;
        worker.max_caseload = 1000;
        inner.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_WORKER;
        inner.add_worker = &worker;
        if (!s_command (&services [S_ASSIGN], &command, "AddWorker"))
            return false;
    }
    Caseflow__V1__Handover__AddProvider provider = CASEFLOW__V1__HANDOVER__ADD_PROVIDER__INIT;
    provider.provider_id = "P1";
    provider.name = "Zorgaanbieder Voorbeeld";
    Caseflow__V1__Handover__Command handover = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    handover.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ADD_PROVIDER;
    handover.add_provider = &provider;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_HANDOVER;
    command.handover = &handover;
    return s_command (&services [S_HANDOVER], &command, "AddProvider");
}

//  Waits until every service's cursor on each upstream is at that
//  producer's head, twice in a row with no head moving (a reaction may
//  write more). False after `timeout_s` without.
static bool
s_settle (bk_service_t *services, double timeout_s)
{
    cf_api_client_t *clients [S_SERVICES];
    for (int i = 0; i < S_SERVICES; i++)
        clients [i] = cf_testclient_new (services [i].proc.api);
    uint64_t heads [S_SERVICES] = { 0 }, before [S_SERVICES] = { 0 };
    int64_t deadline = bk_now_ns () + (int64_t) (timeout_s * 1e9);
    bool settled = false, quiet = false;
    while (!settled && bk_now_ns () < deadline) {
        Caseflow__V1__Reply *replies [S_SERVICES];
        for (int i = 0; i < S_SERVICES; i++) {
            replies [i] = cf_testclient_status (clients [i]);
            heads [i] = replies [i]->query->status->last_seq;
        }
        bool caught_up = true;
        for (int i = 0; i < S_SERVICES; i++) {
            const Caseflow__V1__ServiceStatus *status = replies [i]->query->status;
            for (size_t u = 0; u < status->n_upstreams; u++)
                for (int j = 0; j < S_SERVICES; j++)
                    if (strcmp (status->upstreams [u]->stream, s_names [j]) == 0
                        && status->upstreams [u]->cursor != heads [j])
                        caught_up = false;
            caseflow__v1__reply__free_unpacked (replies [i], NULL);
        }
        settled = caught_up && quiet && memcmp (heads, before, sizeof heads) == 0;
        quiet = caught_up;
        memcpy (before, heads, sizeof heads);
        if (!settled)
            zclock_sleep (caught_up ? 20 : 50);
    }
    for (int i = 0; i < S_SERVICES; i++)
        cf_api_client_destroy (&clients [i]);
    if (!settled)
        fprintf (stderr, "bench_soak: the services did not settle in %.0f s\n", timeout_s);
    return settled;
}

//  ----------------------------------------------------------- sampling

typedef struct {
    double at_s;
    size_t rounds;
    double rss_kib [S_SERVICES], anon_kib [S_SERVICES], file_kib [S_SERVICES];
    size_t fds [S_SERVICES], threads [S_SERVICES];
} s_sample_t;

static void
s_sample (bk_service_t *services, s_sample_t *sample, int64_t started, size_t rounds)
{
    sample->at_s = (double) (bk_now_ns () - started) / 1e9;
    sample->rounds = rounds;
    for (int i = 0; i < S_SERVICES; i++) {
        pid_t pid = services [i].proc.pid;
        sample->rss_kib [i] = bk_proc_kib (pid, "VmRSS");
        sample->anon_kib [i] = bk_proc_kib (pid, "RssAnon");
        sample->file_kib [i] = bk_proc_kib (pid, "RssFile");
        sample->fds [i] = bk_proc_entries (pid, "fd");
        sample->threads [i] = bk_proc_entries (pid, "task");
    }
}

static void
s_print_sample (const s_sample_t *sample, const char *label)
{
    printf ("%-10s %7.1f s %8zu rounds ", label, sample->at_s, sample->rounds);
    for (int i = 0; i < S_SERVICES; i++)
        printf (" | %s %.1f MB (anon %.1f) %zu fd %zu thr", s_names [i], sample->rss_kib [i] / 1024,
                sample->anon_kib [i] / 1024, sample->fds [i], sample->threads [i]);
    printf ("\n");
    fflush (stdout);
}

//  ------------------------------------------------------------ the run

//  Drives one kind of command for the chunk. Returns 0 when every command
//  was answered OK.
static int
s_drive (bk_service_t *services, int kind)
{
    bk_drive_t drive = {
        .endpoint = services [s_kinds [kind].service].proc.api,
        .sockets = 8,
        .window = 1024,
        .count = s_chunk.rounds,
        .first = (size_t) kind * S_KIND_SPAN + s_chunk.first,
        .timeout_ns = 120 * BK_NS_PER_S,
        .pack = s_kinds [kind].pack,
        .on_reply = s_kinds [kind].on_reply,
    };
    int rc = bk_drive_run (&drive);
    if (rc)
        fprintf (stderr, "bench_soak: %s, rounds %zu-%zu: %zu of %zu OK; %s\n", s_kinds [kind].name,
                 s_chunk.first, s_chunk.first + s_chunk.rounds - 1, drive.ok, drive.count,
                 drive.first_error);
    bk_drive_free (&drive);
    return rc;
}

int
main (int argc, char **argv)
{
    //  --full is this benchmark's own size; the kit parses the others.
    bool full = false;
    int kept = 1;
    for (int i = 1; i < argc; i++)
        if (strcmp (argv [i], "--full") == 0)
            full = true;
        else
            argv [kept++] = argv [i];
    argv [kept] = NULL;
    int size = bk_main_init (kept, argv, "[--smoke | --quick | --full]");
    size_t commands = full ? 1000000 : size == 1 ? 2000 : 50000;
    size_t rounds = commands / S_KINDS;
    size_t chunk = full ? 5000 : size == 1 ? 100 : 1000;
    size_t warm_up = rounds / 10 > chunk ? rounds / 10 : chunk;
    double sample_every_s = size == 1 ? 0 : 3;

    bk_service_t services [S_SERVICES];
    for (int i = 0; i < S_SERVICES; i++)
        bk_service_init (&services [i], s_names [i]);
    int failed = 0;
    if (bk_fleet_start (services, S_SERVICES, "bench_soak") || !s_set_up (services)
        || !s_settle (services, 60)) {
        fprintf (stderr, "bench_soak: the services did not start\n");
        failed = 1;
    }
    s_chunk.cases = calloc (chunk, sizeof *s_chunk.cases);
    s_chunk.handovers = calloc (chunk, sizeof *s_chunk.handovers);
    assert (s_chunk.cases && s_chunk.handovers);

    printf ("soak: %zu commands, %zu rounds of %d (Register, Start, Complete, Announce, Cancel) "
            "in chunks of %zu; warm-up %zu rounds; load average %.2f\n",
            rounds * S_KINDS, rounds, S_KINDS, chunk, warm_up, bk_load ());
    int64_t started = bk_now_ns (), last_sample = 0;
    s_sample_t warm = { 0 }, last = { 0 }, peak = { 0 };
    bool warmed = false;
    for (size_t done = 0; done < rounds && !failed;) {
        s_chunk.first = done;
        s_chunk.rounds = rounds - done < chunk ? rounds - done : chunk;
        for (int kind = 0; kind < S_KINDS && !failed; kind++) {
            failed = s_drive (services, kind);
            //  The next kind acts on what this one caused downstream.
            if (!failed && !s_settle (services, 120))
                failed = 1;
            int64_t now = bk_now_ns ();
            if (!failed && (now - last_sample) / 1e9 >= sample_every_s) {
                last_sample = now;
                size_t through = done + (kind == S_KINDS - 1 ? s_chunk.rounds : 0);
                s_sample (services, &last, started, through);
                for (int i = 0; i < S_SERVICES; i++) {
                    if (last.fds [i] > peak.fds [i])
                        peak.fds [i] = last.fds [i];
                    if (last.threads [i] > peak.threads [i])
                        peak.threads [i] = last.threads [i];
                }
                if (!warmed && through >= warm_up) {
                    warm = last;
                    warmed = true;
                    s_print_sample (&warm, "warm");
                } else
                    s_print_sample (&last, "sample");
            }
        }
        done += s_chunk.rounds;
    }
    double seconds = (double) (bk_now_ns () - started) / 1e9;
    if (!failed && last.rounds != rounds) {
        s_sample (services, &last, started, rounds);
        s_print_sample (&last, "end");
    }
    if (!warmed)
        warm = last;
    //  BENCH_SOAK_PAUSE=<seconds>: time to look into the processes as the
    //  run left them (a debugger's malloc_stats or malloc_trim) before
    //  they are stopped.
    const char *pause = getenv ("BENCH_SOAK_PAUSE");
    if (!failed && pause && atoi (pause) > 0) {
        printf ("pausing %d s:", atoi (pause));
        for (int i = 0; i < S_SERVICES; i++)
            printf (" %s %d", s_names [i], (int) services [i].proc.pid);
        printf ("\n");
        fflush (stdout);
        zclock_sleep (atoi (pause) * 1000);
    }
    //  What the state alone takes: the same stores replayed by fresh
    //  processes. Memory the run held beyond that is not the services'
    //  state (a leak, or the allocator keeping what was freed).
    s_sample_t replayed = { 0 };
    if (!failed) {
        for (int i = S_SERVICES - 1; i >= 0; i--)
            bk_service_stop (&services [i]);
        if (bk_fleet_start (services, S_SERVICES, "bench_soak") || !s_settle (services, 600))
            failed = 1;
        else {
            s_sample (services, &replayed, started, rounds);
            s_print_sample (&replayed, "replayed");
        }
    }
    if (!failed) {
        double rate = seconds > 0 ? (double) (rounds * S_KINDS) / seconds : 0;
        printf ("soak: %zu commands in %.1f s: %.0f commands/s (settling between phases "
                "included); load average %.2f\n",
                rounds * S_KINDS, seconds, rate, bk_load ());
        printf ("%-13s %19s %19s %13s %13s %17s %17s\n", "service", "RSS MB warm -> end",
                "anon MB warm -> end", "anon replayed", "anon B/round", "fds warm/end/max",
                "thr warm/end/max");
        bk_figure ("soak.commands", (double) (rounds * S_KINDS));
        bk_figure ("soak.rate", rate);
        for (int i = 0; i < S_SERVICES; i++) {
            size_t after = last.rounds - warm.rounds;
            double per_round =
                after ? (last.anon_kib [i] - warm.anon_kib [i]) * 1024 / (double) after : 0;
            printf ("%-13s %8.1f -> %8.1f %8.1f -> %8.1f %13.1f %13.0f %5zu/%5zu/%5zu "
                    "%5zu/%5zu/%5zu\n",
                    s_names [i], warm.rss_kib [i] / 1024, last.rss_kib [i] / 1024,
                    warm.anon_kib [i] / 1024, last.anon_kib [i] / 1024,
                    replayed.anon_kib [i] / 1024, per_round, warm.fds [i], last.fds [i],
                    peak.fds [i], warm.threads [i], last.threads [i], peak.threads [i]);
            bk_figuref (warm.rss_kib [i] / 1024, "soak.%s.rss_warm_mb", s_names [i]);
            bk_figuref (last.rss_kib [i] / 1024, "soak.%s.rss_end_mb", s_names [i]);
            bk_figuref (warm.anon_kib [i] / 1024, "soak.%s.anon_warm_mb", s_names [i]);
            bk_figuref (last.anon_kib [i] / 1024, "soak.%s.anon_end_mb", s_names [i]);
            bk_figuref (replayed.anon_kib [i] / 1024, "soak.%s.anon_replayed_mb", s_names [i]);
            bk_figuref (per_round, "soak.%s.anon_bytes_per_round", s_names [i]);
            bk_figuref ((double) warm.fds [i], "soak.%s.fds_warm", s_names [i]);
            bk_figuref ((double) last.fds [i], "soak.%s.fds_end", s_names [i]);
            bk_figuref ((double) peak.fds [i], "soak.%s.fds_max", s_names [i]);
            bk_figuref ((double) warm.threads [i], "soak.%s.threads_warm", s_names [i]);
            bk_figuref ((double) last.threads [i], "soak.%s.threads_end", s_names [i]);
            bk_figuref ((double) peak.threads [i], "soak.%s.threads_max", s_names [i]);
        }
    }
    for (int i = 0; i < S_SERVICES; i++)
        if (bk_service_errors (&services [i], "bench_soak"))
            failed = 1;
    free (s_chunk.cases);
    free (s_chunk.handovers);
    for (int i = S_SERVICES - 1; i >= 0; i--)
        bk_service_destroy (&services [i]);
    return failed;
}
