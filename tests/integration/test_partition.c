//  test_partition: hosts cut apart, and a bad link between them
//  (docs/testing.md, "Hosts and partitions"; docs/operations.md, "A
//  partition between hosts").
//
//  Each service runs on a host of its own: intake, assignment, handover,
//  notification and the console each in a network namespace, joined by a
//  bridge (cf_testnet), on that namespace's address only; the test itself
//  runs in a sixth, "ops", from which it sends the load and asks the
//  services, as an operator's machine would. While a client registers
//  urgent cases at intake without pause:
//
//  1. The cut. Assignment's link goes down for CF_PARTITION_CUT_SECONDS
//     (10 by default; `tests/fault/run.sh --full` gives 60). Intake goes
//     on acknowledging registrations that assignment cannot hear of.
//     Every half second each host's /readyz is asked from inside that
//     host (as a kubelet asks: assignment's answers too while it is cut
//     off): assignment must turn not ready naming intake, and the
//     services that follow assignment (intake, notification, the console)
//     not ready naming assignment, within 5 s of the cut. Then the link
//     comes back, and the time until assignment is ready again and has
//     applied everything intake had at the heal is measured.
//  2. The bad link. Delay and loss on assignment's traffic for a few
//     seconds: with tc netem when the kernel has sch_netem; otherwise
//     (said in the output) through a relay inside assignment's host
//     between it and intake (cf_testrelay_impair: 50 ms each way, 5% of
//     the pieces held a further 200 ms as TCP's retransmission would).
//     Assignment restarts towards the relay for it.
//
//  Then, once every subscriber's cursor equals its producer's head and all
//  are ready: every acknowledged registration is in intake's stream
//  exactly once, with the case its reply named; assignment decided on
//  each acknowledged case (an event of its stream names it) and
//  notification alerted on each; no stream holds two events of one type
//  and one cause (one decision, one event: an event applied twice would
//  decide twice); the console's cursors equal the four heads.
//
//  Needs root, iproute2 and network namespaces: skipped (77), saying why,
//  otherwise (a container without CAP_NET_ADMIN). The namespaces are made
//  by this process and removed by it after the test, whatever became of
//  the test (it runs in a child process), and swept at the next start if
//  this process was killed.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testfleet.h"
#include "cf_testnet.h"
#include "cf_testrelay.h"

#include <czmq.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define S_OK         CASEFLOW__V1__STATUS__CODE__OK
#define S_MAX_CASES  100000
#define S_SETTLE_MS  120000
#define S_NOTICE_MS  5000  //  a cut must show on /readyz within this
#define S_IMPAIR_MS  8000
#define S_DELAY_MS   50
#define S_LOSS_PCT   5
#define S_LOAD_PAUSE 10  //  ms between registrations: ~50-100 a second

static cf_testnet_t *s_net;

//  The hosts: a service's host is named after it.
static const char *const s_hosts [] = { "ops",          "handover", "intake", "assignment",
                                        "notification", "console",  NULL };

//  ------------------------------------------------------------ the load

typedef struct {
    const char *endpoint;
    pthread_t thread;
    atomic_bool stop;
    atomic_size_t acked;
    char (*case_ids) [16];  //  by registration number
    atomic_size_t failed;
} s_load_t;

//  Registers resident `number` (urgent: assignment and notification act at
//  once) with request id pt-<number>, asking again with the same id until
//  it is answered. Returns the reply (free it), NULL when never answered.
static Caseflow__V1__Reply *
s_register (cf_api_client_t *client, size_t number)
{
    char name [64], id [32];
    snprintf (name, sizeof name, "Resident %06zu", number);
    snprintf (id, sizeof id, "pt-%06zu", number);
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = name;
    resident.birth_date = "1980-05-17";
    Caseflow__V1__Domain domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING };
    Caseflow__V1__Intake__Register body = CASEFLOW__V1__INTAKE__REGISTER__INIT;
    body.channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE;
    body.resident = &resident;
    body.domains = domains;
    body.n_domains = 1;
    body.urgency = CASEFLOW__V1__URGENCY__URGENCY_URGENT;
    body.reason = "eviction next week";
    Caseflow__V1__Intake__Command intake = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    intake.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_REGISTER;
    intake.register_ = &body;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
    command.intake = &intake;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = id;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &command;
    for (int attempt = 0; attempt < 30; attempt++) {
        Caseflow__V1__Reply *reply = cf_api_client_call (client, &request, NULL);
        if (reply && reply->status
            && reply->status->code == CASEFLOW__V1__STATUS__CODE__UNAVAILABLE) {
            caseflow__v1__reply__free_unpacked (reply, NULL);
            cf_test_sleep_ms (100);
            continue;
        }
        if (reply)
            return reply;
    }
    return NULL;
}

static void *
s_load_run (void *arg)
{
    s_load_t *self = arg;
    cf_api_client_t *client = cf_api_client_new (self->endpoint, 2000, 2);
    assert (client);
    for (size_t number = 0; number < S_MAX_CASES && !atomic_load (&self->stop); number++) {
        Caseflow__V1__Reply *reply = s_register (client, number);
        bool ok = reply && (!reply->status || reply->status->code == S_OK) && reply->command
                  && reply->command->intake && reply->command->intake->registered;
        if (ok) {
            snprintf (self->case_ids [number], sizeof self->case_ids [0], "%s",
                      reply->command->intake->registered->case_id);
            atomic_store (&self->acked, number + 1);
        } else {
            fprintf (stderr, "partition: registration %zu: %s\n", number,
                     reply ? reply->status->message : "never answered");
            atomic_fetch_add (&self->failed, 1);
            caseflow__v1__reply__free_unpacked (reply, NULL);
            break;
        }
        caseflow__v1__reply__free_unpacked (reply, NULL);
        cf_test_sleep_ms (S_LOAD_PAUSE);
    }
    cf_api_client_destroy (&client);
    return NULL;
}

//  ------------------------------------------------------- the observers

//  What /readyz said on `host` (from inside it): 200, or 503 and why.
static int
s_readyz (cf_testproc_t *proc, const char *host, char *why, size_t why_size)
{
    char *body = NULL;
    int status = cf_testnet_http_get (s_net, host, proc->http_port, "/readyz", &body);
    snprintf (why, why_size, "%s", body ? body : "");
    why [strcspn (why, "\n")] = 0;
    free (body);
    return status;
}

//  A service's status (free with caseflow__v1__reply__free_unpacked).
static Caseflow__V1__Reply *
s_status (cf_testproc_t *proc)
{
    cf_api_client_t *client = cf_testclient_new (proc->api);
    Caseflow__V1__Reply *reply = cf_testclient_status (client);
    cf_api_client_destroy (&client);
    return reply;
}

static uint64_t
s_last_seq (cf_testproc_t *proc)
{
    Caseflow__V1__Reply *reply = s_status (proc);
    uint64_t seq = reply->query->status->last_seq;
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return seq;
}

//  The service's cursor on `stream`.
static uint64_t
s_cursor (cf_testproc_t *proc, const char *stream)
{
    Caseflow__V1__Reply *reply = s_status (proc);
    uint64_t cursor = 0;
    Caseflow__V1__ServiceStatus *status = reply->query->status;
    for (size_t i = 0; i < status->n_upstreams; i++)
        if (strcmp (status->upstreams [i]->stream, stream) == 0)
            cursor = status->upstreams [i]->cursor;
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return cursor;
}

//  Every process of the fleet: the four, then the console.
static cf_testproc_t *
s_proc (cf_testfleet_t *fleet, int i, const char **name_p)
{
    *name_p = i < CF_FLEET_COUNT ? cf_testfleet_name ((cf_fleet_service_t) i) : "console";
    return i < CF_FLEET_COUNT ? &fleet->procs [i] : &fleet->console;
}

//  True when every service is ready and each cursor equals its producer's
//  last seq.
static bool
s_settled (cf_testfleet_t *fleet)
{
    uint64_t heads [CF_FLEET_COUNT];
    for (int i = 0; i < CF_FLEET_COUNT; i++)
        heads [i] = s_last_seq (&fleet->procs [i]);
    for (int i = 0; i <= CF_FLEET_COUNT; i++) {
        const char *name;
        cf_testproc_t *proc = s_proc (fleet, i, &name);
        Caseflow__V1__Reply *reply = s_status (proc);
        Caseflow__V1__ServiceStatus *status = reply->query->status;
        bool settled = status->ready;
        for (size_t u = 0; u < status->n_upstreams && settled; u++)
            for (int p = 0; p < CF_FLEET_COUNT; p++)
                if (strcmp (status->upstreams [u]->stream, cf_testfleet_name (p)) == 0)
                    settled = status->upstreams [u]->cursor == heads [p];
        caseflow__v1__reply__free_unpacked (reply, NULL);
        if (!settled)
            return false;
    }
    return true;
}

//  ------------------------------------------------------------ the check

//  What the streams hold, for the check.
typedef struct {
    zhashx_t *registered;  //  case id -> CaseRegistered count (intake)
    zhashx_t *decided;     //  case id -> events naming it (assignment)
    zhashx_t *alerted;     //  case id -> events naming it (notification)
    zhashx_t *causes;      //  "<stream> <body> <causation>" -> count
    size_t events, duplicates;
} s_streams_t;

static void
s_count (zhashx_t *table, const char *key)
{
    size_t count = (size_t) zhashx_lookup (table, key);
    zhashx_update (table, key, (void *) (count + 1));
}

static void
s_take (s_streams_t *self, const Caseflow__V1__Event *event)
{
    self->events++;
    if (!event->causation_id || !*event->causation_id)
        goto cases;  //  the clock's doing (a reminder falling due)
    char cause [256];
    snprintf (cause, sizeof cause, "%s %d %s", event->stream, (int) event->body_case,
              event->causation_id ? event->causation_id : "");
    s_count (self->causes, cause);
    if ((size_t) zhashx_lookup (self->causes, cause) == 2) {
        self->duplicates++;
        fprintf (stderr,
                 "partition: DUPLICATED: %s seq %" PRIu64
                 ": a second event of type %d caused by %s\n",
                 event->stream, event->seq, (int) event->body_case, event->causation_id);
    }
cases:
    if (!event->case_id || !*event->case_id)
        return;
    if (strcmp (event->stream, "intake") == 0
        && event->body_case == CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED)
        s_count (self->registered, event->case_id);
    else if (strcmp (event->stream, "assignment") == 0)
        s_count (self->decided, event->case_id);
    else if (strcmp (event->stream, "notification") == 0)
        s_count (self->alerted, event->case_id);
}

//  Reads `stream` from seq 1 through replay, as a late consumer would.
static void
s_read_stream (s_streams_t *self, cf_testproc_t *proc, const char *stream)
{
    cf_api_client_t *client = cf_testclient_new (proc->api);
    uint64_t next = 1;
    while (true) {
        cf_testreq_t req;
        cf_testreq_replay (&req, stream, next, 1000, 0);
        Caseflow__V1__Reply *reply = cf_testclient_call (client, &req);
        cf_testclient_assert_status (reply, S_OK, NULL);
        Caseflow__V1__ReplayBatch *batch = reply->replay;
        for (size_t i = 0; i < batch->n_events; i++) {
            assert_int_equal (batch->events [i]->seq, next);
            s_take (self, batch->events [i]);
            next++;
        }
        bool done = batch->n_events == 0 || next > batch->last_seq;
        caseflow__v1__reply__free_unpacked (reply, NULL);
        if (done)
            break;
    }
    cf_api_client_destroy (&client);
}

//  --------------------------------------------------------- the phases

typedef struct {
    const char *name;
    int first_status;          //  before the cut
    int64_t unready_after_ms;  //  -1: stayed ready
    char why [300];
} s_seen_t;

//  The cut: returns the catch-up time (ms from the heal until assignment
//  is ready again with intake's head at the heal applied).
static int64_t
s_cut (cf_testfleet_t *fleet, s_load_t *load, int cut_seconds, s_seen_t *seen)
{
    cf_testproc_t *intake = &fleet->procs [CF_FLEET_INTAKE];
    cf_testproc_t *assignment = &fleet->procs [CF_FLEET_ASSIGNMENT];
    for (int i = 0; i <= CF_FLEET_COUNT; i++) {
        cf_testproc_t *proc = s_proc (fleet, i, &seen [i].name);
        seen [i].first_status = s_readyz (proc, seen [i].name, seen [i].why, sizeof seen [i].why);
        seen [i].unready_after_ms = -1;
        assert_int_equal (seen [i].first_status, 200);
    }
    size_t acked_before = atomic_load (&load->acked);
    int64_t cut_at = cf_test_now_ms ();
    assert_int_equal (cf_testnet_cut (s_net, "assignment"), 0);
    printf ("partition: cut assignment's link for %d s with %zu registrations acknowledged\n",
            cut_seconds, acked_before);
    while (cf_test_now_ms () - cut_at < (int64_t) cut_seconds * 1000) {
        for (int i = 0; i <= CF_FLEET_COUNT; i++) {
            cf_testproc_t *proc = s_proc (fleet, i, &seen [i].name);
            char why [256];
            int status = s_readyz (proc, seen [i].name, why, sizeof why);
            if (status != 200 && seen [i].unready_after_ms < 0) {
                seen [i].unready_after_ms = cf_test_now_ms () - cut_at;
                snprintf (seen [i].why, sizeof seen [i].why, "%d %s", status, why);
            }
        }
        cf_test_sleep_ms (500);
    }
    size_t acked_during = atomic_load (&load->acked) - acked_before;
    //  Intake went on taking registrations, assignment heard none of them.
    uint64_t intake_head = s_last_seq (intake);
    assert_true (acked_during > 0);
    assert_int_equal (cf_testnet_heal (s_net, "assignment"), 0);
    int64_t healed_at = cf_test_now_ms ();
    printf ("partition: healed after %.1f s; %zu registrations acknowledged during the cut "
            "(intake's stream at seq %" PRIu64 ")\n",
            (double) (healed_at - cut_at) / 1000, acked_during, intake_head);
    //  Ready again, with what intake had at the heal applied.
    int64_t caught_up = -1;
    char why [256];
    while (cf_test_now_ms () - healed_at < S_SETTLE_MS) {
        if (s_readyz (assignment, "assignment", why, sizeof why) == 200
            && s_cursor (assignment, "intake") >= intake_head) {
            caught_up = cf_test_now_ms () - healed_at;
            break;
        }
        cf_test_sleep_ms (100);
    }
    if (caught_up < 0)
        fail_msg ("assignment did not catch up within %d s of the heal: %s", S_SETTLE_MS / 1000,
                  why);
    //  And it stays so: the live feed is back too, not only the replay.
    int flaps = 0;
    for (int probe = 0; probe < 20; probe++) {
        if (s_readyz (assignment, "assignment", why, sizeof why) != 200) {
            flaps++;
            printf ("partition: assignment not ready %.1f s after the heal: %s\n",
                    (double) (cf_test_now_ms () - healed_at) / 1000, why);
        }
        cf_test_sleep_ms (500);
    }
    assert_int_equal (flaps, 0);
    return caught_up;
}

//  Restarts assignment towards `events` and `api` for intake (its other
//  flags as the fleet gave them).
static void
s_restart_assignment (cf_testfleet_t *fleet, const char *events, const char *api)
{
    cf_testproc_t *proc = &fleet->procs [CF_FLEET_ASSIGNMENT];
    assert_int_equal (cf_testproc_stop (proc, SIGTERM, 20000), 0);
    const char *argv [CF_FLEET_MAX_FLAGS + 8];
    char flags [2][160];
    snprintf (flags [0], sizeof flags [0], "--intake-events=%s", events);
    snprintf (flags [1], sizeof flags [1], "--intake-api=%s", api);
    size_t count = 0;
    for (const char *const *flag = fleet->argv [CF_FLEET_ASSIGNMENT]; *flag; flag++)
        if (strncmp (*flag, "--intake-events=", 16) == 0)
            argv [count++] = flags [0];
        else if (strncmp (*flag, "--intake-api=", 13) == 0)
            argv [count++] = flags [1];
        else
            argv [count++] = *flag;
    argv [count] = NULL;
    assert_int_equal (cf_testproc_start (proc, argv), 0);
    assert_true (cf_testproc_wait_ready (proc, 30000));
}

typedef struct {
    cf_testfleet_t *fleet;
    cf_testrelay_t *relays [2];  //  intake's events, api
} s_relays_t;

static void
s_make_relays (void *ctx)
{
    s_relays_t *self = ctx;
    cf_testproc_t *intake = &self->fleet->procs [CF_FLEET_INTAKE];
    const char *address = cf_testnet_address (s_net, "intake");
    const char *endpoints [2] = { intake->events, intake->api };
    for (int k = 0; k < 2; k++)
        self->relays [k] =
            cf_testrelay_new_at ("127.0.0.1", address, atoi (strrchr (endpoints [k], ':') + 1));
}

//  The bad link: delay and loss between assignment and intake for
//  S_IMPAIR_MS under load.
static void
s_impair (cf_testfleet_t *fleet, s_load_t *load, s_relays_t *relays)
{
    cf_testproc_t *assignment = &fleet->procs [CF_FLEET_ASSIGNMENT];
    char why [256];
    bool netem =
        cf_testnet_netem (s_net, "assignment", S_DELAY_MS, S_LOSS_PCT, why, sizeof why) == 0;
    if (netem)
        printf ("partition: delay and loss by tc netem on assignment's link: %d ms, %d%% loss\n",
                S_DELAY_MS, S_LOSS_PCT);
    else {
        printf ("partition: tc netem is not available here (%s); delay and loss by a relay in "
                "assignment's host between it and intake: %d ms each way, %d%% of the pieces a "
                "further 200 ms\n",
                why, S_DELAY_MS, S_LOSS_PCT);
        assert_int_equal (cf_testnet_run_in (s_net, "assignment", s_make_relays, relays), 0);
        s_restart_assignment (fleet, cf_testrelay_endpoint (relays->relays [0]),
                              cf_testrelay_endpoint (relays->relays [1]));
        for (int k = 0; k < 2; k++)
            cf_testrelay_impair (relays->relays [k], S_DELAY_MS, S_LOSS_PCT, 19 + (unsigned) k);
    }
    size_t acked_before = atomic_load (&load->acked);
    int64_t from = cf_test_now_ms ();
    int unready = 0, probes = 0;
    while (cf_test_now_ms () - from < S_IMPAIR_MS) {
        probes++;
        unready += s_readyz (assignment, "assignment", why, sizeof why) != 200;
        cf_test_sleep_ms (500);
    }
    if (netem)
        cf_testnet_netem (s_net, "assignment", 0, 0, why, sizeof why);
    else
        for (int k = 0; k < 2; k++)
            cf_testrelay_impair (relays->relays [k], 0, 0, 0);
    printf ("partition: %s for %.1f s: %zu registrations acknowledged meanwhile; assignment's "
            "readyz not 200 in %d of %d probes",
            netem ? "netem" : "relay", (double) (cf_test_now_ms () - from) / 1000,
            atomic_load (&load->acked) - acked_before, unready, probes);
    if (!netem)
        printf ("; relay pieces passed %zu, held as lost %zu",
                cf_testrelay_passed (relays->relays [0]) + cf_testrelay_passed (relays->relays [1]),
                cf_testrelay_lost (relays->relays [0]) + cf_testrelay_lost (relays->relays [1]));
    printf ("\n");
}

//  -------------------------------------------------------------- the test

static void
test_partition (void **state)
{
    (void) state;
    const char *env = getenv ("CF_PARTITION_CUT_SECONDS");
    int cut_seconds = env && atoi (env) > 0 ? atoi (env) : 10;
    int64_t started = cf_test_now_ms ();

    cf_testfleet_t *fleet = cf_testfleet_new ("partition", NULL);
    cf_testfleet_console (fleet);
    for (int i = 0; i <= CF_FLEET_COUNT; i++) {
        const char *name;
        cf_testproc_t *proc = s_proc (fleet, i, &name);
        cf_testproc_place (proc, cf_testnet_netns (s_net, name), cf_testnet_address (s_net, name));
        proc->die_with_parent = true;
    }
    cf_testfleet_start (fleet, true);

    s_load_t load = { .endpoint = fleet->procs [CF_FLEET_INTAKE].api };
    load.case_ids = calloc (S_MAX_CASES, sizeof *load.case_ids);
    assert_non_null (load.case_ids);
    assert_int_equal (pthread_create (&load.thread, NULL, s_load_run, &load), 0);
    cf_test_sleep_ms (2000);

    s_seen_t seen [CF_FLEET_COUNT + 1];
    int64_t caught_up = s_cut (fleet, &load, cut_seconds, seen);
    printf ("partition: assignment ready again and caught up with intake %.1f s after the heal\n",
            (double) caught_up / 1000);
    for (int i = 0; i <= CF_FLEET_COUNT; i++)
        if (seen [i].unready_after_ms < 0)
            printf ("partition: readyz during the cut: %-12s 200 throughout\n", seen [i].name);
        else
            printf ("partition: readyz during the cut: %-12s %.1f s after the cut: %s\n",
                    seen [i].name, (double) seen [i].unready_after_ms / 1000, seen [i].why);

    s_relays_t relays = { .fleet = fleet };
    s_impair (fleet, &load, &relays);

    atomic_store (&load.stop, true);
    pthread_join (load.thread, NULL);
    size_t acked = atomic_load (&load.acked);
    assert_int_equal (atomic_load (&load.failed), 0);

    int64_t settle_from = cf_test_now_ms ();
    while (!s_settled (fleet)) {
        if (cf_test_now_ms () - settle_from > S_SETTLE_MS)
            fail_msg ("the services did not settle within %d s", S_SETTLE_MS / 1000);
        cf_test_sleep_ms (200);
    }
    printf ("partition: load stopped; every service ready and every cursor at its producer's "
            "head %.1f s later\n",
            (double) (cf_test_now_ms () - settle_from) / 1000);

    s_streams_t streams = { .registered = zhashx_new (),
                            .decided = zhashx_new (),
                            .alerted = zhashx_new (),
                            .causes = zhashx_new () };
    s_read_stream (&streams, &fleet->procs [CF_FLEET_INTAKE], "intake");
    s_read_stream (&streams, &fleet->procs [CF_FLEET_ASSIGNMENT], "assignment");
    s_read_stream (&streams, &fleet->procs [CF_FLEET_NOTIFICATION], "notification");
    s_read_stream (&streams, &fleet->procs [CF_FLEET_HANDOVER], "handover");
    size_t lost = 0, twice = 0;
    for (size_t n = 0; n < acked; n++) {
        const char *id = load.case_ids [n];
        size_t registered = (size_t) zhashx_lookup (streams.registered, id);
        if (registered != 1 || !zhashx_lookup (streams.decided, id)
            || !zhashx_lookup (streams.alerted, id)) {
            fprintf (stderr,
                     "partition: %s: registration pt-%06zu (case %s): registered %zu times, "
                     "assignment %s, notification %s\n",
                     registered > 1 ? "DUPLICATED" : "LOST", n, id, registered,
                     zhashx_lookup (streams.decided, id) ? "decided" : "never heard",
                     zhashx_lookup (streams.alerted, id) ? "alerted" : "never heard");
            lost += registered == 0 || !zhashx_lookup (streams.decided, id)
                    || !zhashx_lookup (streams.alerted, id);
            twice += registered > 1;
        }
    }
    printf ("partition: registrations acknowledged %zu; applied: intake %zu cases, assignment "
            "decided on %zu, notification alerted on %zu; events read %zu; lost %zu, "
            "duplicated %zu\n",
            acked, zhashx_size (streams.registered), zhashx_size (streams.decided),
            zhashx_size (streams.alerted), streams.events, lost, twice + streams.duplicates);
    assert_int_equal (lost, 0);
    assert_int_equal (twice + streams.duplicates, 0);
    assert_int_equal (zhashx_size (streams.registered), acked);
    //  Each cut-off service said so, naming the stream it cannot hear.
    for (int i = 0; i <= CF_FLEET_COUNT; i++) {
        if (strcmp (seen [i].name, "handover") == 0)
            continue;  //  follows intake only, which it still hears
        const char *upstream =
            strcmp (seen [i].name, "assignment") == 0 ? "upstream intake" : "upstream assignment";
        if (seen [i].unready_after_ms < 0 || seen [i].unready_after_ms > S_NOTICE_MS
            || !strstr (seen [i].why, upstream))
            fail_msg ("%s's /readyz during the cut: %s (want not ready naming %s within %d s)",
                      seen [i].name,
                      seen [i].unready_after_ms < 0 ? "ready throughout" : seen [i].why, upstream,
                      S_NOTICE_MS / 1000);
    }
    printf ("partition: PASSED: acknowledged %zu, lost 0, duplicated 0, cut %d s, caught up %.1f s "
            "after the heal, delay and loss by %s, %.1f s in all\n",
            acked, cut_seconds, (double) caught_up / 1000, relays.relays [0] ? "a relay" : "netem",
            (double) (cf_test_now_ms () - started) / 1000);
    zhashx_destroy (&streams.registered);
    zhashx_destroy (&streams.decided);
    zhashx_destroy (&streams.alerted);
    zhashx_destroy (&streams.causes);
    free (load.case_ids);
    cf_testfleet_stop (fleet);
    cf_testfleet_destroy (&fleet);
    cf_testrelay_destroy (&relays.relays [0]);
    cf_testrelay_destroy (&relays.relays [1]);
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    setvbuf (stdout, NULL, _IOLBF, 0);
    char why [512];
    s_net = cf_testnet_new (s_hosts, why, sizeof why);
    if (!s_net) {
        printf ("test_partition: skipped: %s\n", why);
        return 77;
    }
    //  The test runs in a child, in the "ops" host; this process only
    //  removes the network afterwards, however the child ended.
    pid_t child = fork ();
    assert (child >= 0);
    if (child == 0) {
        if (cf_testnet_enter (s_net, "ops") != 0) {
            perror ("setns");
            _exit (1);
        }
        const struct CMUnitTest tests [] = { cmocka_unit_test (test_partition) };
        //  exit, not _exit: the sanitizers' leak check runs at exit.
        exit (cmocka_run_group_tests (tests, NULL, NULL) ? 1 : 0);
    }
    int status = 0;
    waitpid (child, &status, 0);
    cf_testnet_destroy (&s_net);
    if (WIFSIGNALED (status))
        fprintf (stderr, "test_partition: the test died of signal %d\n", WTERMSIG (status));
    return WIFEXITED (status) ? WEXITSTATUS (status) : 1;
}
