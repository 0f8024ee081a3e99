//  bench_e2e: registrations end to end, from intake's api to the callback
//  that notification schedules for the new waiting case.
//
//  The four real services run on loopback with fresh stores, each with
//  LMDB's default durable commit, wired as in production: intake follows
//  handover and assignment, assignment follows intake, notification
//  follows all three. Each Register (a new resident, triaged REGULAR, so
//  the case waits: nobody is on the roster) is committed in intake's
//  journal and published; notification journals the intake events with its
//  cursor, decides the first 14-day callback and commits its
//  ReminderScheduled in its own journal, then publishes it (assignment
//  journals the same intake events in parallel, as it does in production).
//  The benchmark subscribes to notification's events in batches, as the
//  services follow each other, and times each case from the Register's
//  scheduled send time to the arrival of its ReminderScheduled (callback 1).
//
//  Runs (fresh services each): 1,000/s and 10,000/s offered (open loop, as
//  bench_service), and saturation (4,096 registrations outstanding at
//  intake). Prints registrations/s end to end (cases whose callback arrived
//  over the time from the first send to the last arrival) and the latency
//  p50/p99/p99.9/max of the path.
//
//  Usage: bench_e2e [--smoke | --quick]
#include "bench_drive.h"
#include "cf_arena.h"
#include "cf_event.h"

#include <assert.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_SERVICES 4

static const char *const s_names [S_SERVICES] = { "handover", "intake", "assignment",
                                                  "notification" };

typedef struct {
    size_t *request_of;    //  [case number]: the Register that opened it (+1; 0: none)
    int64_t *reminder_at;  //  [case number]: when its callback arrived
    size_t received;       //  callbacks arrived for known or future cases
    size_t capacity;       //  case numbers tracked: 1..capacity
    size_t duplicates;
    int64_t last_at;
    cf_arena_t *arena;  //  events are decoded into it, reset after each
} s_track_t;

static uint64_t
s_case_number (const char *case_id)
{
    if (!case_id || case_id [0] != 'C')
        return 0;
    return strtoull (case_id + 1, NULL, 10);
}

static void
s_on_reply (bk_drive_t *drive, size_t index, const Caseflow__V1__Reply *reply, int64_t now)
{
    (void) now;
    s_track_t *track = drive->ctx;
    if (reply->result_case != CASEFLOW__V1__REPLY__RESULT_COMMAND || !reply->command
        || reply->command->body_case != CASEFLOW__V1__COMMAND_RESULT__BODY_INTAKE
        || !reply->command->intake || !reply->command->intake->registered)
        return;
    uint64_t number = s_case_number (reply->command->intake->registered->case_id);
    if (number >= 1 && number <= track->capacity)
        track->request_of [number] = index + 1;
}

//  One event from notification's stream: a first callback for a case the
//  benchmark registered is timed.
static void
s_on_event (s_track_t *track, const uint8_t *data, size_t size, int64_t at)
{
    Caseflow__V1__Event *event =
        caseflow__v1__event__unpack (cf_arena_allocator (track->arena), size, data);
    if (!event) {
        cf_arena_reset (track->arena);
        return;
    }
    const Caseflow__V1__Notification__Reminder *reminder =
        event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED
                && event->reminder_scheduled
            ? event->reminder_scheduled->reminder
            : NULL;
    if (reminder
        && reminder->kind == CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK
        && reminder->number == 1) {
        uint64_t number = s_case_number (reminder->case_id);
        if (number >= 1 && number <= track->capacity) {
            if (track->reminder_at [number])
                track->duplicates++;
            else {
                track->reminder_at [number] = at;
                track->received++;
                track->last_at = at;
            }
        }
    }
    cf_arena_reset (track->arena);
}

//  Notification's events arrive in batches ([$batch.notification]
//  [EventBatch]), as its own subscribers receive them.
static void
s_on_extra (bk_drive_t *drive, int64_t now)
{
    (void) now;
    s_track_t *track = drive->ctx;
    void *sub = zsock_resolve (drive->extra);
    while (true) {
        zmq_msg_t topic, body;
        zmq_msg_init (&topic);
        if (zmq_msg_recv (&topic, sub, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close (&topic);
            break;
        }
        int64_t at = bk_now_ns ();
        bool more = zmq_msg_more (&topic);
        zmq_msg_close (&topic);
        if (!more)
            continue;
        zmq_msg_init (&body);
        zmq_msg_recv (&body, sub, 0);
        const uint8_t *cursor = zmq_msg_data (&body);
        const uint8_t *end = cursor + zmq_msg_size (&body);
        const uint8_t *event;
        size_t size;
        while (cf_event_batch_next (&cursor, end, &event, &size) == 1)
            s_on_event (track, event, size, at);
        zmq_msg_close (&body);
    }
}

static bool
s_done (bk_drive_t *drive)
{
    s_track_t *track = drive->ctx;
    return track->received >= drive->ok;
}

//  One run on four fresh services. Returns 0; 1 when a registration was
//  refused or unanswered, a callback was missing or came twice, or a
//  service logged errors; -1 when the services did not start (so the
//  next runs would not either).
static int
s_run (const bk_phase_t *phase)
{
    bk_service_t services [S_SERVICES];
    for (int i = 0; i < S_SERVICES; i++)
        bk_service_init (&services [i], s_names [i]);
    zsock_t *sub = NULL;
    if (bk_fleet_start (services, S_SERVICES, "bench_e2e") == 0) {
        sub = zsock_new (ZMQ_SUB);
        if (sub) {
            zsock_set_rcvhwm (sub, 0);
            zsock_set_subscribe (sub, "$batch.notification");
            if (zsock_connect (sub, "%s", services [3].proc.events) != 0) {
                fprintf (stderr, "bench_e2e: cannot connect to %s: %s\n", services [3].proc.events,
                         zmq_strerror (zmq_errno ()));
                zsock_destroy (&sub);
            }
        }
    }
    if (!sub) {
        fprintf (stderr, "bench_e2e: %s: the services did not start\n", phase->label);
        for (int i = S_SERVICES - 1; i >= 0; i--)
            bk_service_destroy (&services [i]);
        return -1;
    }

    size_t count = bk_phase_requests (phase);
    s_track_t track = { .capacity = count, .arena = cf_arena_new (0) };
    track.request_of = calloc (count + 1, sizeof *track.request_of);
    track.reminder_at = calloc (count + 1, sizeof *track.reminder_at);
    assert (track.request_of && track.reminder_at);
    bk_drive_t drive = {
        .endpoint = services [1].proc.api,
        .sockets = 16,
        .rate = phase->rate,
        .window = 4096,
        .count = count,
        .timeout_ns = phase->timeout_ns,
        .pack = bk_pack_register,
        .on_reply = s_on_reply,
        .extra = sub,
        .on_extra = s_on_extra,
        .done = s_done,
        .ctx = &track,
    };
    double cpu_before [S_SERVICES];
    for (int i = 0; i < S_SERVICES; i++)
        cpu_before [i] = bk_proc_cpu_s (services [i].proc.pid);
    double own_cpu_before = bk_proc_cpu_s (getpid ());
    double load = bk_load ();
    int failed = bk_drive_run (&drive);

    //  The path's latency per case: Register scheduled -> callback arrived.
    int64_t *latency = malloc ((count + 1) * sizeof *latency);
    assert (latency);
    size_t measured = 0;
    for (size_t number = 1; number <= count; number++)
        if (track.reminder_at [number] && track.request_of [number]) {
            size_t index = track.request_of [number] - 1;
            latency [measured++] = track.reminder_at [number] - drive.scheduled [index];
        }
    qsort (latency, measured, sizeof *latency, bk_compare_i64);
    bk_latency_t path =
        bk_latency (latency, measured, track.received, track.last_at - drive.started);
    printf ("end to end %-33s %8zu cases %9.0f /s  latency ms p50 %7.2f  p99 %7.2f  "
            "p99.9 %7.2f  max %7.2f\n",
            phase->label, track.received, path.rate, path.p50_ms, path.p99_ms, path.p999_ms,
            path.max_ms);
    printf ("    intake replies: %zu ok of %zu; callbacks: %zu arrived, %zu duplicates\n", drive.ok,
            count, track.received, track.duplicates);
    char key [128];
    snprintf (key, sizeof key, "e2e.%s", phase->key);
    double per_case = track.received ? 1e6 / (double) track.received : 0;
    double services_cpu = 0;
    printf ("    CPU per registration (us):");
    for (int i = 0; i < S_SERVICES; i++) {
        double cpu = (bk_proc_cpu_s (services [i].proc.pid) - cpu_before [i]) * per_case;
        printf (" %s %.1f", s_names [i], cpu);
        services_cpu += cpu;
    }
    //  The load generator and the consumer share the two cores too.
    double own_cpu = (bk_proc_cpu_s (getpid ()) - own_cpu_before) * per_case;
    printf (" benchmark %.1f; load average %.2f\n", own_cpu, load);
    bk_figuref (services_cpu, "%s.cpu_us", key);
    bk_figuref (own_cpu, "%s.bench_cpu_us", key);
    bk_latency_figures (key, &path);
    bk_figuref (load, "load.%s", key);
    if (failed || track.received != count || track.duplicates) {
        fprintf (stderr,
                 "bench_e2e: %s: %zu of %zu callbacks arrived (%zu duplicates), "
                 "%zu intake replies OK%s%s\n",
                 phase->label, track.received, count, track.duplicates, drive.ok,
                 drive.first_error [0] ? ", first refusal: " : "", drive.first_error);
        failed = 1;
    }
    for (int i = 0; i < S_SERVICES; i++)
        if (bk_service_errors (&services [i], "bench_e2e"))
            failed = 1;
    free (latency);
    free (track.request_of);
    free (track.reminder_at);
    cf_arena_destroy (&track.arena);
    bk_drive_free (&drive);
    zsock_destroy (&sub);
    for (int i = S_SERVICES - 1; i >= 0; i--)
        bk_service_destroy (&services [i]);
    return failed;
}

int
main (int argc, char **argv)
{
    int size = bk_main_init (argc, argv, "[--smoke | --quick]");
    double seconds = size == 1 ? 0.3 : size == 2 ? 3 : 10;
    size_t saturation = size == 1 ? 2000 : size == 2 ? 50000 : 300000;
    //  Silence this long is a service that stopped, whatever the load.
    int64_t timeout = (size == 1 ? 20 : 120) * BK_NS_PER_S;
    bk_phase_t phases [BK_PHASES];
    bk_phases_init (phases, seconds, saturation, timeout);
    int rc = 0, failed = 0;
    for (size_t i = 0; i < BK_PHASES && rc >= 0; i++) {
        char key [64];
        snprintf (key, sizeof key, "e2e.%s", phases [i].key);
        if (bk_selected (key)) {
            rc = s_run (&phases [i]);
            failed |= rc != 0;
        }
    }
    return failed;
}
