//  test_notification: the real caseflow-notification binary with fake
//  intake, assignment and handover producers, on the manual clock.
//
//  Two instances follow the same fake upstreams and get the same clock
//  moves: the primary, which is restarted and killed with SIGKILL around
//  due times, and a reference that is never disturbed. A follower (a
//  cf_bus_subscriber on the primary's stream, as `reminders follow` uses)
//  records every ReminderDue as delivered. The test checks:
//    - callbacks at day 14, 28 and 42 of waiting, and none after assignment;
//    - the weekend and holiday shift to 09:00 on the next working day;
//    - overdue escalation when no callback is recorded, none when it is;
//    - urgent and no-worker alerts at once; handover deadline reminders;
//      waiting-too-long;
//    - a clean restart keeps the digest;
//    - SIGKILL around due times: every ReminderDue delivered exactly once
//      by id, in due order at each clock reading, the follower's list equal
//      to the stream read back through replay, and the primary's digest
//      equal to the undisturbed reference's;
//    - with the system clock, reminders that fell due while the service
//      was down fire at start.
#include "test_notification_kit.h"

#include <time.h>

#define S_PENDING   CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_PENDING
#define S_DUE       CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_DUE
#define S_ACKED     CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_ACKNOWLEDGED
#define S_CANCELLED CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_CANCELLED

typedef struct {
    nk_fake_t *fake;
    nk_service_t primary, reference;
    nk_follower_t *follower;
    int64_t now;        //  both instances' clock
    unsigned advances;  //  request ids of clock moves
} s_test_t;

static s_test_t s_test;

static int64_t
s_at (const char *text)
{
    int64_t at = 0;
    assert_int_equal (cf_time_parse (text, &at), 0);
    return at;
}

//  Both instances apply what the fake has.
static void
s_sync (void)
{
    nk_wait_applied (&s_test.primary, s_test.fake);
    nk_wait_applied (&s_test.reference, s_test.fake);
}

//  Moves both clocks by `micros`, the upstreams applied first (so both
//  decide on the same facts at the same times).
static void
s_advance (int64_t micros)
{
    s_sync ();
    char id [32];
    snprintf (id, sizeof id, "advance-%u", ++s_test.advances);
    nk_advance (&s_test.primary, id, micros);
    nk_advance (&s_test.reference, id, micros);
    s_test.now += micros;
}

//  Waits until the follower has everything the primary committed.
static void
s_follow_up (void)
{
    nk_follower_wait_seq (s_test.follower, nk_head (&s_test.primary));
}

static void
s_assert_delivered_once (const char *id)
{
    size_t times = nk_follower_times (s_test.follower, id);
    if (times != 1)
        fail_msg ("reminder %s delivered %zu times", id, times);
}

static void
s_assert_not_delivered (const char *id)
{
    size_t times = nk_follower_times (s_test.follower, id);
    if (times != 0)
        fail_msg ("reminder %s delivered %zu times, expected none", id, times);
}

static void
s_assert_same_digest (void)
{
    char a [65], b [65];
    cf_testclient_digest (s_test.primary.client, a);
    cf_testclient_digest (s_test.reference.client, b);
    assert_string_equal (a, b);
}

static int
s_setup (void **state)
{
    (void) state;
    cf_time_init ();
    zsys_handler_set (NULL);
    memset (&s_test, 0, sizeof s_test);
    s_test.fake = nk_fake_new (false);
    s_test.now = s_at ("2022-01-10T10:00");
    nk_service_init (&s_test.primary, s_test.fake, "notification-primary", "2022-01-10T10:00",
                     NULL);
    nk_service_init (&s_test.reference, s_test.fake, "notification-reference", "2022-01-10T10:00",
                     NULL);
    nk_service_start (&s_test.primary, true);
    nk_service_start (&s_test.reference, true);
    s_test.follower = nk_follower_new (s_test.primary.proc.events, s_test.primary.proc.api, 0);
    return 0;
}

static int
s_teardown (void **state)
{
    (void) state;
    nk_follower_destroy (&s_test.follower);
    nk_service_destroy (&s_test.primary);
    nk_service_destroy (&s_test.reference);
    nk_fake_destroy (&s_test.fake);
    return 0;
}

//  Day 0: waiting cases, an urgent case that nobody can take, handovers.
static void
test_scheduling_and_alerts (void **state)
{
    (void) state;
    nk_fake_t *fake = s_test.fake;
    int64_t t0 = s_test.now;  //  Monday 2022-01-10 10:00
    nk_register (fake, "C000001", "L1", t0);
    nk_triage (fake, "C000001", false, t0);
    //  Triaged on New Year's Day (a Saturday): day 14 is a Saturday too.
    nk_register (fake, "C000002", "L2", s_at ("2022-01-01T12:00"));
    nk_triage (fake, "C000002", false, s_at ("2022-01-01T12:00"));
    nk_register (fake, "C000003", "L1", t0);
    uint64_t urgent_seq = nk_triage (fake, "C000003", true, t0);
    uint64_t escalated_seq = nk_escalate (fake, "C000003", t0);
    nk_announce (fake, "H000001", s_at ("2022-03-01T00:00"), "w12", t0);
    nk_announce (fake, "H000002", s_at ("2022-07-01T00:00:00+02:00"), NULL, t0);
    nk_handover_cancel (fake, "H000002", t0);
    s_sync ();

    //  The alerts fire at once, without the clock moving.
    char urgent [64], no_worker [64];
    snprintf (urgent, sizeof urgent, "urgent/C000003/%" PRIu64, urgent_seq);
    snprintf (no_worker, sizeof no_worker, "no-worker/C000003/%" PRIu64, escalated_seq);
    nk_assert_reminder (&s_test.primary, urgent, S_DUE, "2022-01-10T10:00");
    nk_assert_reminder (&s_test.primary, no_worker, S_DUE, "2022-01-10T10:00");
    s_follow_up ();
    s_assert_delivered_once (urgent);
    s_assert_delivered_once (no_worker);

    nk_assert_reminder (&s_test.primary, "callback/C000001/1", S_PENDING, "2022-01-24T10:00");
    nk_assert_reminder (&s_test.primary, "waiting-too-long/C000001/1", S_PENDING,
                        "2022-03-07T10:00");
    nk_assert_reminder (&s_test.primary, "callback/C000002/1", S_PENDING, "2022-01-17T09:00");
    nk_assert_reminder (&s_test.primary, "handover-deadline/H000001/14d", S_PENDING,
                        "2022-02-15T00:00");
    nk_assert_reminder (&s_test.primary, "handover-deadline/H000001/3d", S_PENDING,
                        "2022-02-26T00:00");
    nk_assert_reminder (&s_test.primary, "handover-deadline/H000001/overdue", S_PENDING,
                        "2022-03-01T00:00");
    nk_assert_reminder (&s_test.primary, "handover-deadline/H000002/overdue", S_CANCELLED, NULL);
    const Caseflow__V1__Notification__ReminderView *view = NULL;
    assert_null (nk_get_reminder (&s_test.primary, "callback/C000003/1", &view));
    s_assert_same_digest ();
}

static void
test_restart_keeps_the_digest (void **state)
{
    (void) state;
    char before [65], after [65];
    uint64_t applied = cf_testclient_digest (s_test.primary.client, before);
    assert_int_equal (nk_service_stop (&s_test.primary, SIGTERM), 0);
    nk_service_start (&s_test.primary, false);
    assert_int_equal (cf_testclient_digest (s_test.primary.client, after), applied);
    assert_string_equal (before, after);
    s_assert_same_digest ();
}

//  A week on: the weekend-shifted callback fires and is answered.
static void
test_weekend_callback_and_contact (void **state)
{
    (void) state;
    s_advance (7 * NK_DAY);  //  Monday 2022-01-17 10:00
    nk_assert_reminder (&s_test.primary, "callback/C000002/1", S_DUE, "2022-01-17T09:00");
    nk_assert_reminder (&s_test.primary, "callback-overdue/C000002/1", S_PENDING,
                        "2022-01-19T09:00");
    nk_callback (s_test.fake, "C000002", s_test.now);
    s_sync ();
    nk_assert_reminder (&s_test.primary, "callback/C000002/1", S_ACKED, NULL);
    nk_assert_reminder (&s_test.primary, "callback-overdue/C000002/1", S_CANCELLED, NULL);
    nk_assert_reminder (&s_test.primary, "callback/C000002/2", S_PENDING, "2022-01-31T10:00");
    s_follow_up ();
    s_assert_delivered_once ("callback/C000002/1");
    s_assert_same_digest ();
}

//  Five weeks at once: C1's callbacks of day 14, 28 and 42 (with their
//  overdue checks), then C1 is assigned and nothing more fires for it.
static void
test_callbacks_every_fourteen_days_until_assigned (void **state)
{
    (void) state;
    s_advance (35 * NK_DAY);  //  Monday 2022-02-21 10:00
    s_follow_up ();
    s_assert_delivered_once ("callback/C000001/1");
    s_assert_delivered_once ("callback/C000001/2");
    s_assert_delivered_once ("callback/C000001/3");
    s_assert_delivered_once ("callback-overdue/C000001/1");
    s_assert_delivered_once ("callback-overdue/C000001/2");
    s_assert_delivered_once ("handover-deadline/H000001/14d");
    nk_assert_reminder (&s_test.primary, "callback/C000001/2", S_DUE, "2022-02-07T10:00");
    nk_assert_reminder (&s_test.primary, "callback/C000001/3", S_DUE, "2022-02-21T10:00");
    nk_assert_reminder (&s_test.primary, "callback/C000001/4", S_PENDING, "2022-03-07T10:00");
    //  C2 was called on day 7: its callbacks follow that call.
    s_assert_delivered_once ("callback/C000002/2");
    s_assert_not_delivered ("callback-overdue/C000002/1");
    nk_status (s_test.fake, "C000001", CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED, s_test.now);
    s_sync ();
    nk_assert_reminder (&s_test.primary, "callback/C000001/4", S_CANCELLED, NULL);
    nk_assert_reminder (&s_test.primary, "callback-overdue/C000001/3", S_CANCELLED, NULL);
    nk_assert_reminder (&s_test.primary, "waiting-too-long/C000001/1", S_CANCELLED, NULL);
    s_assert_same_digest ();
}

//  Day by day for two weeks, the primary killed with SIGKILL at a random
//  moment while each clock move is being handled, then restarted and the
//  same move (same request id) sent again: it happens exactly once.
static void
test_kill_around_due_times (void **state)
{
    (void) state;
    srand ((unsigned) time (NULL));
    for (int round = 0; round < 14; round++) {
        s_sync ();
        char id [32];
        snprintf (id, sizeof id, "advance-%u", ++s_test.advances);
        cf_testreq_t req;
        cf_testreq_clock_advance (&req, id, NK_DAY);
        size_t size = 0;
        void *data = cf_testreq_encode (&req, &size);
        zsock_t *dealer = zsock_new_dealer (s_test.primary.proc.api);
        assert_non_null (dealer);
        zsock_set_linger (dealer, 0);
        zmq_send (zsock_resolve (dealer), data, size, 0);
        free (data);
        cf_test_sleep_ms (rand () % 25);
        assert_int_equal (nk_service_stop (&s_test.primary, SIGKILL), 128 + SIGKILL);
        zsock_destroy (&dealer);
        nk_service_start (&s_test.primary, false);
        nk_advance (&s_test.primary, id, NK_DAY);
        nk_advance (&s_test.reference, id, NK_DAY);
        s_test.now += NK_DAY;
        //  Both clocks agree: the move happened once on the primary.
        assert_true (cf_testclient_clock (s_test.primary.client) == s_test.now);
    }
    s_follow_up ();  //  Monday 2022-03-07 10:00
    s_assert_delivered_once ("handover-deadline/H000001/3d");
    s_assert_delivered_once ("handover-deadline/H000001/overdue");
    s_assert_delivered_once ("waiting-too-long/C000002/1");
    s_assert_delivered_once ("callback/C000002/3");
    s_assert_delivered_once ("callback/C000002/4");
    //  Nothing for C1 after its assignment.
    s_assert_not_delivered ("callback/C000001/4");
    s_assert_not_delivered ("callback-overdue/C000001/3");
    s_assert_not_delivered ("waiting-too-long/C000001/1");
    s_assert_same_digest ();
}

//  Easter: a case triaged on 4 April has its first callback on Easter
//  Monday, moved to Tuesday 09:00.
static void
test_holiday_shift (void **state)
{
    (void) state;
    s_sync ();
    int64_t april = s_at ("2022-04-04T10:00");
    nk_clock_set (&s_test.primary, april);
    nk_clock_set (&s_test.reference, april);
    s_test.now = april;
    nk_register (s_test.fake, "C000004", "L1", april);
    nk_triage (s_test.fake, "C000004", false, april);
    s_sync ();
    nk_assert_reminder (&s_test.primary, "callback/C000004/1", S_PENDING, "2022-04-19T09:00");
    s_advance (16 * NK_DAY);
    nk_assert_reminder (&s_test.primary, "callback/C000004/1", S_DUE, NULL);
    s_follow_up ();
    s_assert_delivered_once ("callback/C000004/1");
    s_assert_same_digest ();
}

//  The whole stream: what the follower got (across every kill) is what the
//  stream holds, each reminder once, in due order at each clock reading.
static void
test_every_reminder_exactly_once (void **state)
{
    (void) state;
    s_follow_up ();
    size_t count = 0;
    nk_due_t *stream = nk_read_due (&s_test.primary, &count);
    assert_true (count >= 20);
    pthread_mutex_lock (&s_test.follower->lock);
    assert_int_equal (s_test.follower->out_of_order, 0);
    assert_int_equal (s_test.follower->count, count);
    for (size_t i = 0; i < count; i++) {
        assert_string_equal (s_test.follower->items [i].id, stream [i].id);
        assert_int_equal (s_test.follower->items [i].seq, stream [i].seq);
        for (size_t j = 0; j < i; j++)
            if (strcmp (stream [i].id, stream [j].id) == 0)
                fail_msg ("reminder %s fired twice (seq %" PRIu64 " and %" PRIu64 ")",
                          stream [i].id, stream [j].seq, stream [i].seq);
        //  Fired at the same clock reading: in due order (alerts decided
        //  one after another at the same moment may tie, in decision order).
        if (i > 0 && stream [i].fired_at == stream [i - 1].fired_at)
            assert_true (stream [i - 1].due_at <= stream [i].due_at);
        assert_true (stream [i].fired_at >= stream [i].due_at);
    }
    pthread_mutex_unlock (&s_test.follower->lock);
    free (stream);
    //  And the reference, never disturbed, decided exactly the same.
    s_assert_same_digest ();
    char before [65], after [65];
    cf_testclient_digest (s_test.primary.client, before);
    assert_int_equal (nk_service_stop (&s_test.primary, SIGTERM), 0);
    nk_service_start (&s_test.primary, false);
    cf_testclient_digest (s_test.primary.client, after);
    assert_string_equal (before, after);
}

//  With the system clock: a reminder that falls due while the service is
//  down fires when it starts.
static void
test_due_while_down_fires_at_start (void **state)
{
    (void) state;
    nk_fake_t *fake = nk_fake_new (false);
    nk_service_t service;
    nk_service_init (&service, fake, "notification-system-clock", NULL, NULL);
    nk_service_start (&service, true);
    int64_t now = cf_time_system_now ();
    //  The 14-day reminder of a deadline 14 days and 3 s away.
    nk_announce (fake, "H000009", now + 14 * NK_DAY + 3000000, NULL, now);
    nk_wait_applied (&service, fake);
    nk_assert_reminder (&service, "handover-deadline/H000009/14d", S_PENDING, NULL);
    assert_int_equal (nk_service_stop (&service, SIGTERM), 0);
    cf_test_sleep_ms (4000);
    nk_service_start (&service, false);
    int64_t deadline = cf_test_now_ms () + NK_WAIT_MS;
    const Caseflow__V1__Notification__ReminderView *view = NULL;
    while (true) {
        Caseflow__V1__Reply *reply =
            nk_get_reminder (&service, "handover-deadline/H000009/14d", &view);
        assert_non_null (reply);
        bool fired = view->status == S_DUE;
        if (fired)
            assert_true (view->fired_at >= view->reminder->due_at);
        caseflow__v1__reply__free_unpacked (reply, NULL);
        if (fired)
            break;
        assert_true (cf_test_now_ms () < deadline);
        cf_test_sleep_ms (20);
    }
    nk_service_destroy (&service);
    nk_fake_destroy (&fake);
}

//  A --holidays value that is not a list of dates: the service refuses to
//  start with the line naming the flag and the value, and no exit() but
//  main's ends it (the store it opened is closed).
static void
test_bad_holidays_refused (void **unused)
{
    (void) unused;
    char *dir = cf_test_tmpdir ("notification-holidays");
    char data [600], http [64], errors [700];
    snprintf (data, sizeof data, "--data-dir=%s/store", dir);
    snprintf (http, sizeof http, "--http-bind=127.0.0.1:%d", cf_test_free_port ());
    snprintf (errors, sizeof errors, "%s/refused.log", dir);
    const char *argv [] = { cf_test_binary ("caseflow-notification"), data, http,
                            "--holidays=2022-01-01,2022-13-01", NULL };
    char out [256];
    assert_int_equal (cf_test_run (argv, NULL, errors, out, sizeof out), 2);
    cf_test_assert_logged (errors, "--holidays (CASEFLOW_NOTIFICATION_HOLIDAYS): \"2022-13-01\" "
                                   "is neither a YYYY-MM-DD date nor nl");
    cf_test_rmtree (dir);
    free (dir);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_bad_holidays_refused),
        cmocka_unit_test (test_scheduling_and_alerts),
        cmocka_unit_test (test_restart_keeps_the_digest),
        cmocka_unit_test (test_weekend_callback_and_contact),
        cmocka_unit_test (test_callbacks_every_fourteen_days_until_assigned),
        cmocka_unit_test (test_kill_around_due_times),
        cmocka_unit_test (test_holiday_shift),
        cmocka_unit_test (test_every_reminder_exactly_once),
        cmocka_unit_test (test_due_while_down_fires_at_start),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
