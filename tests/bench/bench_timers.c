//  bench_timers: how late caseflow-notification fires reminders on the
//  system clock, with many reminders pending.
//
//      bench_timers [--smoke] [--pending N] [--measured M] [--spread S]
//
//  A fake handover producer announces N/3 handovers with deadlines a year
//  and more away (three pending reminders each: 14 and 3 days before, and
//  at the deadline); the real service ingests them. Then M more handovers
//  are announced whose 14-day reminders fall due spread over S seconds,
//  starting a few seconds later. A follower on the notification stream (a
//  cf_bus_subscriber, as any consumer) records each ReminderDue. Printed:
//  the ingest rate, the pending count, and the lateness distribution
//  (p50, p99, p99.9, max) of
//    - fired:     fired_at - due_at, the service's own clock reading when
//                 it fired the reminder;
//    - delivered: when the follower received the committed, published
//                 event - due_at (end to end: timer, decision, fsync'd
//                 commit, PUB, subscriber).
//  Then the service's peak memory, and the time a restart takes to rebuild
//  the pending set by replaying the journal (until /readyz).
//  Full mode: 1,000,000 pending, 2,000 measured over 10 s. --smoke (ctest):
//  3,000 pending, 100 measured over 2 s, and only checks that every
//  measured reminder arrived.
#include "../integration/test_notification_kit.h"

#include <math.h>
#include <time.h>

typedef struct {
    size_t pending, measured;
    double spread_s;
    bool smoke;
} s_options_t;

//  What must stop however the benchmark ends (the notification kit's
//  checks exit on failure): the service, and the actors, before czmq's
//  exit handler closes their sockets under them.
static nk_fake_t *s_fake;
static nk_follower_t *s_follower;
static nk_service_t *s_service;

static void
s_cleanup (void)
{
    nk_follower_destroy (&s_follower);
    if (s_service)
        nk_service_destroy (s_service);
    s_service = NULL;
    nk_fake_destroy (&s_fake);
}

static int
s_compare_int64 (const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y;
}

static double
s_percentile (const int64_t *sorted, size_t count, double p)
{
    if (count == 0)
        return NAN;
    size_t index = (size_t) ceil (p / 100.0 * (double) count);
    if (index > 0)
        index--;
    if (index >= count)
        index = count - 1;
    return (double) sorted [index] / 1000.0;
}

static void
s_print_distribution (const char *label, int64_t *values, size_t count)
{
    qsort (values, count, sizeof *values, s_compare_int64);
    printf ("%-10s lateness ms: p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (n=%zu)\n", label,
            s_percentile (values, count, 50), s_percentile (values, count, 99),
            s_percentile (values, count, 99.9), count ? (double) values [count - 1] / 1000.0 : NAN,
            count);
}

//  The deadline whose "14 calendar days before" (local time, as the
//  service computes it) is `due`.
static int64_t
s_deadline_for (int64_t due)
{
    time_t seconds = (time_t) (due / CF_USEC_PER_SEC);
    struct tm tm;
    localtime_r (&seconds, &tm);
    tm.tm_mday += 14;
    tm.tm_isdst = -1;
    return (int64_t) mktime (&tm) * CF_USEC_PER_SEC + due % CF_USEC_PER_SEC;
}

//  Waits until the service has applied every handover the fake holds.
//  Returns false (printed) when it has not within a minute plus a
//  millisecond per handover.
static bool
s_wait_pending (nk_service_t *service, nk_fake_t *fake)
{
    int64_t deadline = cf_test_now_ms () + 60000 + (int64_t) nk_count (fake, NK_HANDOVER);
    while (true) {
        Caseflow__V1__Reply *reply = cf_testclient_status (service->client);
        const Caseflow__V1__ServiceStatus *status = reply->query->status;
        uint64_t cursor = 0;
        for (size_t i = 0; i < status->n_upstreams; i++)
            if (strcmp (status->upstreams [i]->stream, "handover") == 0)
                cursor = status->upstreams [i]->cursor;
        caseflow__v1__reply__free_unpacked (reply, NULL);
        if (cursor == nk_count (fake, NK_HANDOVER))
            return true;
        if (cf_test_now_ms () > deadline) {
            fprintf (stderr,
                     "bench_timers: ingest did not finish (%" PRIu64 " of %" PRIu64 " handovers)\n",
                     cursor, nk_count (fake, NK_HANDOVER));
            return false;
        }
        cf_test_sleep_ms (50);
    }
}

static uint64_t
s_pending_count (nk_service_t *service)
{
    Caseflow__V1__Notification__ListReminders list =
        CASEFLOW__V1__NOTIFICATION__LIST_REMINDERS__INIT;
    list.limit = 1;
    list.kind = CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_URGENT;
    Caseflow__V1__Notification__Query inner = CASEFLOW__V1__NOTIFICATION__QUERY__INIT;
    inner.body_case = CASEFLOW__V1__NOTIFICATION__QUERY__BODY_LIST_REMINDERS;
    inner.list_reminders = &list;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_NOTIFICATION;
    query.notification = &inner;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = &query;
    int rc = 0;
    Caseflow__V1__Reply *reply = cf_api_client_call (service->client, &request, &rc);
    uint64_t pending =
        reply && reply->query && reply->query->notification && reply->query->notification->reminders
            ? reply->query->notification->reminders->pending
            : 0;
    if (reply)
        caseflow__v1__reply__free_unpacked (reply, NULL);
    return pending;
}

//  The peak resident set of process `pid` in MiB (0 when unknown).
static double
s_peak_rss_mib (pid_t pid)
{
    char path [64], line [256];
    snprintf (path, sizeof path, "/proc/%d/status", (int) pid);
    FILE *file = fopen (path, "r");
    double mib = 0;
    while (file && fgets (line, sizeof line, file))
        if (strncmp (line, "VmHWM:", 6) == 0)
            mib = atof (line + 6) / 1024.0;
    if (file)
        fclose (file);
    return mib;
}

int
main (int argc, char **argv)
{
    s_options_t options = { .pending = 1000000, .measured = 2000, .spread_s = 10 };
    for (int i = 1; i < argc; i++) {
        if (strcmp (argv [i], "--smoke") == 0) {
            options.smoke = true;
            options.pending = 3000;
            options.measured = 100;
            options.spread_s = 2;
        } else if (strcmp (argv [i], "--pending") == 0 && i + 1 < argc)
            options.pending = (size_t) strtoull (argv [++i], NULL, 10);
        else if (strcmp (argv [i], "--measured") == 0 && i + 1 < argc)
            options.measured = (size_t) strtoull (argv [++i], NULL, 10);
        else if (strcmp (argv [i], "--spread") == 0 && i + 1 < argc)
            options.spread_s = atof (argv [++i]);
        else {
            fprintf (stderr, "usage: bench_timers [--smoke] [--pending N] [--measured M] "
                             "[--spread SECONDS]\n");
            return 2;
        }
    }
    cf_time_init ();
    zsys_handler_set (NULL);
    srand (7);

    //  Heartbeats only: the service fetches the backlog through replay.
    nk_fake_t *fake = s_fake = nk_fake_new (true);
    atexit (s_cleanup);
    int64_t now = cf_time_system_now ();
    size_t handovers = (options.pending + 2) / 3;
    for (size_t i = 0; i < handovers; i++) {
        char id [24];
        snprintf (id, sizeof id, "H%07zu", i + 1);
        nk_announce (fake, id, now + 400 * NK_DAY + (int64_t) i * CF_USEC_PER_SEC, NULL, now);
    }
    const char *more [] = { "--map-size=8G", "--log-level=warn", NULL };
    //  Static: the exit handler may stop it after main returned.
    static nk_service_t service;
    nk_service_init (&service, fake, "bench-timers", NULL, more);
    service.proc.die_with_parent = true;
    s_service = &service;
    int64_t started = cf_test_now_ms ();
    nk_service_start (&service, true);
    if (!s_wait_pending (&service, fake))
        return 1;
    double ingest_s = (double) (cf_test_now_ms () - started) / 1000.0;
    uint64_t pending = s_pending_count (&service);
    printf ("ingested %zu handover announcements in %.1f s (%.0f/s): %" PRIu64
            " reminders pending\n",
            handovers, ingest_s, (double) handovers / ingest_s, pending);

    //  The measured reminders, due from 3 s on over the spread.
    nk_follower_t *follower = s_follower =
        nk_follower_new (service.proc.events, service.proc.api, nk_head (&service));
    int64_t base = cf_time_system_now () + 3 * CF_USEC_PER_SEC;
    int64_t spread = (int64_t) (options.spread_s * 1e6);
    for (size_t i = 0; i < options.measured; i++) {
        char id [24];
        snprintf (id, sizeof id, "M%07zu", i + 1);
        int64_t due =
            base + (spread > 0 ? (int64_t) ((double) rand () / RAND_MAX * (double) spread) : 0);
        nk_announce (fake, id, s_deadline_for (due), NULL, cf_time_system_now ());
    }
    int64_t wait_until = cf_test_now_ms () + 3000 + spread / 1000 + 30000;
    size_t received = 0;
    while (cf_test_now_ms () < wait_until) {
        pthread_mutex_lock (&follower->lock);
        received = follower->count;
        pthread_mutex_unlock (&follower->lock);
        if (received >= options.measured)
            break;
        cf_test_sleep_ms (50);
    }
    pthread_mutex_lock (&follower->lock);
    size_t count = follower->count;
    int64_t *fired = calloc (count + 1, sizeof *fired);
    int64_t *delivered = calloc (count + 1, sizeof *delivered);
    assert (fired && delivered);
    size_t early = 0;
    for (size_t i = 0; i < count; i++) {
        fired [i] = follower->items [i].fired_at - follower->items [i].due_at;
        delivered [i] = follower->items [i].received_at - follower->items [i].due_at;
        if (fired [i] < 0)
            early++;
    }
    pthread_mutex_unlock (&follower->lock);
    printf ("measured %zu reminders due over %.1f s with %" PRIu64 " pending (%zu received, "
            "%zu fired early)\n",
            options.measured, options.spread_s, pending, count, early);
    s_print_distribution ("fired", fired, count);
    s_print_distribution ("delivered", delivered, count);
    double p99 = s_percentile (delivered, count, 99);
    if (!options.smoke)
        printf ("delivered p99 %s 100 ms\n", p99 < 100 ? "within" : "OVER");
    free (fired);
    free (delivered);
    nk_follower_destroy (&s_follower);
    printf ("service peak RSS %.0f MiB\n", s_peak_rss_mib (service.proc.pid));
    nk_service_stop (&service, SIGTERM);
    started = cf_test_now_ms ();
    nk_service_start (&service, false);
    printf ("restart: pending set rebuilt by replay, ready in %.1f s (%" PRIu64 " pending)\n",
            (double) (cf_test_now_ms () - started) / 1000.0, s_pending_count (&service));
    s_cleanup ();
    return count == options.measured && early == 0 ? 0 : 1;
}
