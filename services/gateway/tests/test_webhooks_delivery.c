//  test_webhooks_delivery: the delivery lanes against streams held in
//  memory, with the test as the sink: order per stream, events of other
//  types stepped over, back-off and Retry-After on the monotonic time the
//  test passes, parking after both limits with the later events passing,
//  resend, 410, pause and resume, a dead sink that writes nothing to the
//  journal, cursors journaled at most once a second, and a restart that
//  replays the journal and delivers again from the last journaled cursor.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_decider.h"
#include "cf_error.h"
#include "gateway_webhooks_delivery.h"
#include "gateway_webhooks_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_EVENTS 12

//  The streams the gateway follows (intake only here), and its journal.
typedef struct {
    Caseflow__V1__Event intake [S_EVENTS];
    Caseflow__V1__Intake__CaseRegistered registered [S_EVENTS];
    Caseflow__V1__Intake__CaseTriaged triaged [S_EVENTS];
    char ids [S_EVENTS][32];
    char cases [S_EVENTS][32];
    size_t intake_count;
    gateway_webhooks_t *webhooks;
    gateway_delivery_t *delivery;
    uint8_t *journal [4096];
    size_t journal_size [4096];
    size_t journal_count;
    int64_t now;
} s_world_t;

static const Caseflow__V1__Event *
s_lookup (void *ctx, const char *stream, uint64_t seq)
{
    s_world_t *world = ctx;
    if (strcmp (stream, "intake") != 0 || seq == 0 || seq > world->intake_count)
        return NULL;
    return &world->intake [seq - 1];
}

static int
s_emit (void *ctx, Caseflow__V1__Event *event)
{
    s_world_t *world = ctx;
    char id [32];
    snprintf (id, sizeof id, "G%05zu", world->journal_count + 1);
    event->id = id;
    event->stream = "gateway";
    event->seq = world->journal_count + 1;
    event->occurred_at = world->now;
    assert_int_equal (gateway_webhooks_apply (world->webhooks, event), 1);
    size_t size = caseflow__v1__event__get_packed_size (event);
    uint8_t *bytes = malloc (size);
    caseflow__v1__event__pack (event, bytes);
    assert_true (world->journal_count < 4096);
    world->journal [world->journal_count] = bytes;
    world->journal_size [world->journal_count++] = size;
    event->id = NULL;
    event->stream = NULL;
    return 0;
}

//  Intake's stream: odd seqs CaseRegistered, even seqs CaseTriaged.
static void
s_world_init (s_world_t *world, size_t intake_count, const gateway_retry_policy_t *policy)
{
    memset (world, 0, sizeof *world);
    world->intake_count = intake_count;
    for (size_t i = 0; i < S_EVENTS; i++) {
        Caseflow__V1__Event *event = &world->intake [i];
        caseflow__v1__event__init (event);
        snprintf (world->ids [i], sizeof world->ids [i], "E%05zu", i + 1);
        snprintf (world->cases [i], sizeof world->cases [i], "C%06zu", i + 1);
        event->id = world->ids [i];
        event->stream = "intake";
        event->seq = i + 1;
        event->case_id = world->cases [i];
        event->occurred_at = 1641196980000000;
        if (i % 2 == 0) {
            caseflow__v1__intake__case_registered__init (&world->registered [i]);
            world->registered [i].case_id = world->cases [i];
            event->body_case = CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED;
            event->case_registered = &world->registered [i];
        } else {
            caseflow__v1__intake__case_triaged__init (&world->triaged [i]);
            world->triaged [i].case_id = world->cases [i];
            event->body_case = CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED;
            event->case_triaged = &world->triaged [i];
        }
    }
    world->webhooks = gateway_webhooks_new ();
    world->delivery = gateway_delivery_new (world->webhooks, policy);
}

static void
s_world_destroy (s_world_t *world)
{
    gateway_delivery_destroy (&world->delivery);
    gateway_webhooks_destroy (&world->webhooks);
    for (size_t i = 0; i < world->journal_count; i++)
        free (world->journal [i]);
}

static cf_decider_t
s_decider (s_world_t *world)
{
    cf_decider_t decider;
    cf_decider_init (&decider, world->now, NULL, s_emit, world);
    return decider;
}

static size_t
s_start (s_world_t *world, uint64_t now_ms, gateway_delivery_job_t *jobs, size_t max);

static void
s_subscribe (s_world_t *world, const char *id, const char *type, uint64_t from)
{
    Caseflow__V1__Gateway__StreamCursor cursor = CASEFLOW__V1__GATEWAY__STREAM_CURSOR__INIT;
    cursor.stream = "intake";
    cursor.seq = from;
    Caseflow__V1__Gateway__StreamCursor *cursors [] = { &cursor };
    char *types [] = { (char *) type };
    Caseflow__V1__Gateway__SubscriptionAdded body = CASEFLOW__V1__GATEWAY__SUBSCRIPTION_ADDED__INIT;
    body.subscription_id = (char *) id;
    body.sink = "http://127.0.0.1:1/hook";
    body.types = types;
    body.n_types = 1;
    body.cursors = cursors;
    body.n_cursors = 1;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_ADDED;
    event.subscription_added = &body;
    cf_decider_t decider = s_decider (world);
    assert_int_equal (cf_decider_emit (&decider, &event), 0);
    //  Nothing goes out before the handshake passed.
    assert_int_equal (gateway_webhooks_find (world->webhooks, id)->state,
                      GATEWAY_SUBSCRIPTION_VERIFYING);
    if (gateway_webhooks_count (world->webhooks) == 1) {
        gateway_delivery_job_t jobs [4];
        assert_int_equal (s_start (world, 0, jobs, 4), 0);
    }
    Caseflow__V1__Gateway__SubscriptionVerified verified =
        CASEFLOW__V1__GATEWAY__SUBSCRIPTION_VERIFIED__INIT;
    verified.subscription_id = (char *) id;
    Caseflow__V1__Event verify = CASEFLOW__V1__EVENT__INIT;
    verify.body_case = CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_VERIFIED;
    verify.subscription_verified = &verified;
    assert_int_equal (cf_decider_emit (&decider, &verify), 0);
}

static Caseflow__V1__Event *
s_journal_event (s_world_t *world, size_t index)
{
    return caseflow__v1__event__unpack (NULL, world->journal_size [index], world->journal [index]);
}

static size_t
s_start (s_world_t *world, uint64_t now_ms, gateway_delivery_job_t *jobs, size_t max)
{
    return gateway_delivery_start (world->delivery, now_ms, s_lookup, world, jobs, max);
}

static void
s_finish (s_world_t *world, const gateway_delivery_job_t *job, uint64_t now_ms, int rc, long status,
          const char *retry_after)
{
    cf_decider_t decider = s_decider (world);
    assert_int_equal (gateway_delivery_finish (world->delivery, job, now_ms, rc, status,
                                               retry_after, 0, 12345, &decider),
                      0);
}

static void
s_flush (s_world_t *world, uint64_t now_ms, bool force)
{
    cf_decider_t decider = s_decider (world);
    assert_int_equal (gateway_delivery_flush (world->delivery, now_ms, force, &decider), 0);
}

static gateway_retry_policy_t
s_policy (uint64_t base, uint64_t cap, uint32_t attempts, uint64_t age)
{
    gateway_retry_policy_t policy = gateway_retry_policy_default ();
    policy.base_ms = base;
    policy.cap_ms = cap;
    policy.max_attempts = attempts;
    policy.max_age_ms = age;
    return policy;
}

static void
test_in_order_and_coalesced (void **state)
{
    (void) state;
    gateway_retry_policy_t policy = s_policy (100, 1000, 3, 10000);
    s_world_t *world = malloc (sizeof *world);
    s_world_init (world, 6, &policy);
    s_subscribe (world, "WA", "nl.sociaal-domein.intake.case-registered", 0);

    gateway_delivery_job_t jobs [4];
    uint64_t expected [] = { 1, 3, 5 };
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal (s_start (world, 10 * i, jobs, 4), 1);
        assert_int_equal (jobs [0].seq, expected [i]);
        assert_string_equal (jobs [0].event->id, world->ids [expected [i] - 1]);
        assert_false (jobs [0].resend);
        //  One attempt per stream at a time.
        gateway_delivery_job_t more [4];
        assert_int_equal (s_start (world, 10 * i, more, 4), 0);
        assert_int_equal (gateway_delivery_in_flight (world->delivery), 1);
        s_finish (world, &jobs [0], 10 * i + 5, 0, 204, NULL);
    }
    //  The last one (6, triaged) is stepped over; nothing more to send.
    assert_int_equal (s_start (world, 40, jobs, 4), 0);
    //  Nothing journaled before a second has passed...
    s_flush (world, 500, false);
    assert_int_equal (world->journal_count, 2);
    //  ...then one DeliveryCursorMoved for all of it.
    assert_true (gateway_delivery_wait_ms (world->delivery, 500) <= 500);
    s_flush (world, 1000, false);
    assert_int_equal (world->journal_count, 3);
    Caseflow__V1__Event *moved = s_journal_event (world, 2);
    assert_int_equal (moved->body_case, CASEFLOW__V1__EVENT__BODY_DELIVERY_CURSOR_MOVED);
    assert_int_equal (moved->delivery_cursor_moved->n_cursors, 1);
    assert_int_equal (moved->delivery_cursor_moved->cursors [0]->seq, 6);
    assert_int_equal (moved->delivery_cursor_moved->delivered, 3);
    caseflow__v1__event__free_unpacked (moved, NULL);
    gateway_subscription_t *subscription = gateway_webhooks_find (world->webhooks, "WA");
    assert_int_equal (gateway_subscription_cursor (subscription, "intake")->seq, 6);
    assert_int_equal (subscription->delivered, 3);
    //  Nothing moved since: nothing written, nothing to wait for.
    s_flush (world, 5000, true);
    assert_int_equal (world->journal_count, 3);
    assert_int_equal (gateway_delivery_wait_ms (world->delivery, 5000), UINT64_MAX);

    //  A new event of the stream goes out next.
    world->intake_count = 7;
    assert_int_equal (s_start (world, 6000, jobs, 4), 1);
    assert_int_equal (jobs [0].seq, 7);
    s_world_destroy (world);
    free (world);
}

static void
test_backoff_and_retry_after (void **state)
{
    (void) state;
    gateway_retry_policy_t policy = s_policy (100, 1000, 50, 100000);
    s_world_t *world = malloc (sizeof *world);
    s_world_init (world, 3, &policy);
    s_subscribe (world, "WB", "nl.sociaal-domein.intake.*", 0);
    gateway_delivery_job_t jobs [2];

    assert_int_equal (s_start (world, 0, jobs, 2), 1);
    s_finish (world, &jobs [0], 5, 0, 500, NULL);
    //  Attempt 1 failed: the wait is 50-100 ms.
    assert_int_equal (s_start (world, 54, jobs, 2), 0);
    uint64_t wait = gateway_delivery_wait_ms (world->delivery, 5);
    assert_true (wait >= 50 && wait <= 100);
    assert_int_equal (s_start (world, 105, jobs, 2), 1);
    assert_int_equal (jobs [0].seq, 1);  //  the same event, never the next
    gateway_delivery_figures_t figures;
    assert_int_equal (gateway_delivery_figures (world->delivery, "WB", &figures), 0);
    assert_int_equal (figures.failed, 1);
    assert_string_equal (figures.last_error, "HTTP 500");

    //  429 with Retry-After: 2 s, not the back-off.
    s_finish (world, &jobs [0], 200, 0, 429, "2");
    assert_int_equal (s_start (world, 2199, jobs, 2), 0);
    assert_int_equal (gateway_delivery_wait_ms (world->delivery, 200), 2000);
    assert_int_equal (s_start (world, 2200, jobs, 2), 1);
    assert_int_equal (jobs [0].seq, 1);
    //  A 429 without a usable Retry-After backs off as any failure.
    s_finish (world, &jobs [0], 2300, 0, 429, "later");
    wait = gateway_delivery_wait_ms (world->delivery, 2300);
    assert_true (wait >= 200 && wait <= 400);
    //  A timeout too.
    assert_int_equal (s_start (world, 2700, jobs, 2), 1);
    s_finish (world, &jobs [0], 2800, CF_ETIMEOUT, 0, NULL);
    assert_int_equal (gateway_delivery_figures (world->delivery, "WB", &figures), 0);
    assert_string_equal (figures.last_error, "timeout");
    assert_int_equal (figures.retrying, 1);
    assert_int_equal (s_start (world, 3600, jobs, 2), 1);
    s_finish (world, &jobs [0], 3610, 0, 200, NULL);
    assert_int_equal (s_start (world, 3620, jobs, 2), 1);
    assert_int_equal (jobs [0].seq, 2);
    assert_int_equal (gateway_delivery_figures (world->delivery, "WB", &figures), 0);
    assert_int_equal (figures.retrying, 0);
    assert_string_equal (figures.last_error, "");
    assert_int_equal (figures.delivered, 1);
    //  No attempt was journaled.
    assert_int_equal (world->journal_count, 2);
    s_world_destroy (world);
    free (world);
}

static void
test_park_pass_and_resend (void **state)
{
    (void) state;
    gateway_retry_policy_t policy = s_policy (10, 10, 3, 1000);
    s_world_t *world = malloc (sizeof *world);
    s_world_init (world, 4, &policy);
    s_subscribe (world, "WC", "nl.sociaal-domein.intake.*", 0);
    gateway_delivery_job_t jobs [2];
    uint64_t now = 0;
    size_t attempts = 0;
    //  Seq 1 fails until both limits are reached (3 attempts, 1 s).
    while (world->journal_count == 2) {
        assert_true (attempts < 1000);
        if (s_start (world, now, jobs, 2) == 1) {
            assert_int_equal (jobs [0].seq, 1);
            s_finish (world, &jobs [0], now, 0, 503, NULL);
            attempts++;
        }
        now += 10;
    }
    assert_true (attempts > 3);  //  the age limit held it longer than 3 tries
    assert_true (now >= 1000);
    Caseflow__V1__Event *parked = s_journal_event (world, 2);
    assert_int_equal (parked->body_case, CASEFLOW__V1__EVENT__BODY_EVENT_PARKED);
    assert_string_equal (parked->event_parked->subscription_id, "WC");
    assert_string_equal (parked->event_parked->stream, "intake");
    assert_int_equal (parked->event_parked->seq, 1);
    assert_string_equal (parked->event_parked->event_id, "E00001");
    assert_string_equal (parked->event_parked->reason, "HTTP 503");
    assert_int_equal (parked->event_parked->attempts, attempts);
    caseflow__v1__event__free_unpacked (parked, NULL);
    gateway_subscription_t *subscription = gateway_webhooks_find (world->webhooks, "WC");
    assert_int_equal (subscription->n_parked, 1);
    assert_int_equal (gateway_subscription_cursor (subscription, "intake")->seq, 1);

    //  The later events pass.
    for (uint64_t seq = 2; seq <= 4; seq++) {
        assert_int_equal (s_start (world, now, jobs, 2), 1);
        assert_int_equal (jobs [0].seq, seq);
        s_finish (world, &jobs [0], now, 0, 200, NULL);
    }
    assert_int_equal (s_start (world, now, jobs, 2), 0);

    //  An operator resends it (what the resend command journals).
    Caseflow__V1__Gateway__StreamCursor entry = CASEFLOW__V1__GATEWAY__STREAM_CURSOR__INIT;
    entry.stream = "intake";
    entry.seq = 1;
    Caseflow__V1__Gateway__StreamCursor *entries [] = { &entry };
    Caseflow__V1__Gateway__ParkedResent resent = CASEFLOW__V1__GATEWAY__PARKED_RESENT__INIT;
    resent.subscription_id = "WC";
    resent.events = entries;
    resent.n_events = 1;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_PARKED_RESENT;
    event.parked_resent = &resent;
    cf_decider_t decider = s_decider (world);
    assert_int_equal (cf_decider_emit (&decider, &event), 0);
    gateway_delivery_wake (world->delivery, "WC");
    assert_true (subscription->parked [0].resending);
    assert_int_equal (s_start (world, now, jobs, 2), 1);
    assert_true (jobs [0].resend);
    assert_int_equal (jobs [0].seq, 1);
    assert_string_equal (jobs [0].event->id, "E00001");
    size_t before = world->journal_count;
    s_finish (world, &jobs [0], now, 0, 200, NULL);
    assert_int_equal (world->journal_count, before + 1);
    Caseflow__V1__Event *delivered = s_journal_event (world, before);
    assert_int_equal (delivered->body_case, CASEFLOW__V1__EVENT__BODY_PARKED_DELIVERED);
    assert_int_equal (delivered->parked_delivered->seq, 1);
    caseflow__v1__event__free_unpacked (delivered, NULL);
    assert_int_equal (subscription->n_parked, 0);
    assert_int_equal (s_start (world, now, jobs, 2), 0);
    s_world_destroy (world);
    free (world);
}

static void
test_gone_pause_resume (void **state)
{
    (void) state;
    gateway_retry_policy_t policy = s_policy (10, 10, 3, 1000);
    s_world_t *world = malloc (sizeof *world);
    s_world_init (world, 4, &policy);
    s_subscribe (world, "WD", "nl.sociaal-domein.intake.*", 0);
    s_subscribe (world, "WE", "nl.sociaal-domein.intake.*", 0);
    gateway_delivery_job_t jobs [4];
    assert_int_equal (s_start (world, 0, jobs, 4), 2);
    gateway_delivery_job_t gone =
        strcmp (jobs [0].subscription_id, "WD") == 0 ? jobs [0] : jobs [1];
    gateway_delivery_job_t other =
        strcmp (jobs [0].subscription_id, "WD") == 0 ? jobs [1] : jobs [0];
    s_finish (world, &gone, 1, 0, 410, NULL);
    gateway_subscription_t *retired = gateway_webhooks_find (world->webhooks, "WD");
    assert_int_equal (retired->state, GATEWAY_SUBSCRIPTION_RETIRED);
    Caseflow__V1__Event *event = s_journal_event (world, 4);
    assert_int_equal (event->body_case, CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_RETIRED);
    assert_int_equal (event->subscription_retired->seq, 1);
    caseflow__v1__event__free_unpacked (event, NULL);

    //  WE is paused while its attempt is out; the failure is dropped and
    //  nothing is sent until it is resumed.
    Caseflow__V1__Gateway__SubscriptionPaused paused =
        CASEFLOW__V1__GATEWAY__SUBSCRIPTION_PAUSED__INIT;
    paused.subscription_id = "WE";
    Caseflow__V1__Event pause = CASEFLOW__V1__EVENT__INIT;
    pause.body_case = CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_PAUSED;
    pause.subscription_paused = &paused;
    cf_decider_t decider = s_decider (world);
    assert_int_equal (cf_decider_emit (&decider, &pause), 0);
    s_finish (world, &other, 2, 0, 500, NULL);
    assert_int_equal (s_start (world, 5000, jobs, 4), 0);
    Caseflow__V1__Gateway__SubscriptionResumed resumed =
        CASEFLOW__V1__GATEWAY__SUBSCRIPTION_RESUMED__INIT;
    resumed.subscription_id = "WE";
    Caseflow__V1__Event resume = CASEFLOW__V1__EVENT__INIT;
    resume.body_case = CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_RESUMED;
    resume.subscription_resumed = &resumed;
    assert_int_equal (cf_decider_emit (&decider, &resume), 0);
    gateway_delivery_wake (world->delivery, "WE");
    assert_int_equal (s_start (world, 5000, jobs, 4), 1);
    assert_string_equal (jobs [0].subscription_id, "WE");
    assert_int_equal (jobs [0].seq, 1);
    //  A stale ticket (an answer to an attempt that is not out) is ignored.
    gateway_delivery_job_t stale = jobs [0];
    stale.ticket = 999999;
    s_finish (world, &stale, 5001, 0, 200, NULL);
    assert_int_equal (gateway_delivery_in_flight (world->delivery), 1);
    s_world_destroy (world);
    free (world);
}

//  A sink that is down for good writes nothing per attempt: the journal
//  grows by the parked events only.
static void
test_dead_sink_journal_bounded (void **state)
{
    (void) state;
    gateway_retry_policy_t policy = s_policy (5, 20, 1000000, 1000000000);
    s_world_t *world = malloc (sizeof *world);
    s_world_init (world, 4, &policy);
    s_subscribe (world, "WF", "nl.sociaal-domein.intake.*", 0);
    gateway_delivery_job_t jobs [2];
    size_t attempts = 0;
    for (uint64_t now = 0; now < 100000; now += 5) {
        if (s_start (world, now, jobs, 2) == 1) {
            s_finish (world, &jobs [0], now, CF_EIO, 0, NULL);
            attempts++;
        }
        s_flush (world, now, false);
    }
    assert_true (attempts > 4000);
    assert_int_equal (world->journal_count, 2);
    s_world_destroy (world);
    free (world);
}

//  The gateway dies after journaling the cursor at 3 and delivering 4 and
//  5: a new one replays the journal and sends 4 again, then 5, in order.
static void
test_restart_redelivers (void **state)
{
    (void) state;
    gateway_retry_policy_t policy = s_policy (10, 10, 3, 1000);
    s_world_t *world = malloc (sizeof *world);
    s_world_init (world, 6, &policy);
    s_subscribe (world, "WG", "nl.sociaal-domein.intake.*", 0);
    gateway_delivery_job_t jobs [2];
    for (uint64_t seq = 1; seq <= 5; seq++) {
        assert_int_equal (s_start (world, 2000, jobs, 2), 1);
        assert_int_equal (jobs [0].seq, seq);
        s_finish (world, &jobs [0], 2000, 0, 200, NULL);
        if (seq == 3)
            s_flush (world, 2000, false);
    }
    assert_int_equal (world->journal_count, 3);

    gateway_delivery_destroy (&world->delivery);
    gateway_webhooks_destroy (&world->webhooks);
    world->webhooks = gateway_webhooks_new ();
    for (size_t i = 0; i < world->journal_count; i++) {
        Caseflow__V1__Event *event = s_journal_event (world, i);
        assert_int_equal (gateway_webhooks_apply (world->webhooks, event), 1);
        caseflow__v1__event__free_unpacked (event, NULL);
    }
    world->delivery = gateway_delivery_new (world->webhooks, &policy);
    for (uint64_t seq = 4; seq <= 6; seq++) {
        assert_int_equal (s_start (world, 10, jobs, 2), 1);
        assert_int_equal (jobs [0].seq, seq);
        s_finish (world, &jobs [0], 10, 0, 200, NULL);
    }
    //  An event naming an unknown subscription is refused by apply.
    Caseflow__V1__Gateway__SubscriptionPaused paused =
        CASEFLOW__V1__GATEWAY__SUBSCRIPTION_PAUSED__INIT;
    paused.subscription_id = "WX";
    Caseflow__V1__Event pause = CASEFLOW__V1__EVENT__INIT;
    pause.body_case = CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_PAUSED;
    pause.subscription_paused = &paused;
    assert_int_equal (gateway_webhooks_apply (world->webhooks, &pause), CF_ENOTFOUND);
    assert_int_equal (gateway_webhooks_apply (world->webhooks, &world->intake [0]), 0);
    s_world_destroy (world);
    free (world);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_in_order_and_coalesced),
        cmocka_unit_test (test_backoff_and_retry_after),
        cmocka_unit_test (test_park_pass_and_resend),
        cmocka_unit_test (test_gone_pause_resume),
        cmocka_unit_test (test_dead_sink_journal_bounded),
        cmocka_unit_test (test_restart_redelivers),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
