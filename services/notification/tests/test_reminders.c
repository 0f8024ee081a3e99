//  test_reminders: the scheduling decisions, through the testkit.
//
//  Callbacks every 14 days while a case waits and none after assignment;
//  a recorded callback moving the next one; weekend and holiday shifts;
//  overdue escalation; urgent and no-worker alerts; handover deadline
//  reminders; waiting-too-long; closure; stable ids; due-time order; and
//  every scenario's journal replayed into the same digest.
#include "notification_testkit.h"

#define S_REGULAR CASEFLOW__V1__URGENCY__URGENCY_REGULAR
#define S_URGENT  CASEFLOW__V1__URGENCY__URGENCY_URGENT

static void
test_callbacks_every_interval_until_assigned (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    int64_t t0 = kit.now;  //  Monday 2022-01-10 10:00
    kit_waiting (&kit, "C000001", "L1", t0);
    kit_assert_due_at (&kit, "callback/C000001/1", "2022-01-24T10:00");
    kit_assert_due_at (&kit, "waiting-too-long/C000001/1", "2022-03-07T10:00");
    notification_reminder_t *first = kit_reminder (&kit, "callback/C000001/1");
    assert_string_equal (first->target, "location:L1");
    assert_int_equal (first->number, 1);

    //  Six weeks at once: day 14, 28 and 42 fire, in order, each with its
    //  overdue check two working days later (the third still pending).
    kit_mark (&kit);
    kit_clock (&kit, t0 + 42 * KIT_DAY);
    char ids [32][201];
    int64_t due [32];
    size_t count = kit_due_ids (&kit, ids, due, 32);
    assert_int_equal (count, 5);
    assert_string_equal (ids [0], "callback/C000001/1");
    assert_string_equal (ids [1], "callback-overdue/C000001/1");
    assert_string_equal (ids [2], "callback/C000001/2");
    assert_string_equal (ids [3], "callback-overdue/C000001/2");
    assert_string_equal (ids [4], "callback/C000001/3");
    assert_true (due [0] == t0 + 14 * KIT_DAY);
    assert_true (due [1] == t0 + 16 * KIT_DAY);
    assert_true (due [2] == t0 + 28 * KIT_DAY);
    assert_true (due [4] == t0 + 42 * KIT_DAY);
    kit_assert_due_at (&kit, "callback/C000001/4", "2022-03-07T10:00");
    kit_assert_status (&kit, "callback-overdue/C000001/3", KIT_STATUS (PENDING));

    //  Assigned: every waiting reminder is cancelled, nothing fires later.
    kit_status (&kit, "C000001", CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED,
                t0 + 43 * KIT_DAY);
    kit_assert_status (&kit, "callback/C000001/4", KIT_STATUS (CANCELLED));
    kit_assert_status (&kit, "callback-overdue/C000001/3", KIT_STATUS (CANCELLED));
    kit_assert_status (&kit, "waiting-too-long/C000001/1", KIT_STATUS (CANCELLED));
    assert_string_equal (kit_reminder (&kit, "callback/C000001/4")->closed_by, "case assigned");
    kit_mark (&kit);
    assert_int_equal (kit_clock (&kit, t0 + 200 * KIT_DAY), 0);
    assert_int_equal (notification_state_pending_count (kit.state), 0);
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

static void
test_ten_weeks_in_one_advance (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    int64_t t0 = kit.now;
    kit_waiting (&kit, "C000001", "", t0);
    assert_string_equal (kit_reminder (&kit, "callback/C000001/1")->target, "intake-team");
    kit_mark (&kit);
    kit_clock (&kit, t0 + 70 * KIT_DAY);
    char ids [64][201];
    int64_t due [64];
    size_t count = kit_due_ids (&kit, ids, due, 64);
    //  Callbacks at 14, 28, 42, 56, 70; overdue checks at 16, 30, 44, 58;
    //  waiting-too-long at 56 (after callback 4: same time, id order).
    size_t callbacks = 0;
    for (size_t i = 0; i < count; i++) {
        if (i > 0)
            assert_true (due [i - 1] < due [i]
                         || (due [i - 1] == due [i] && strcmp (ids [i - 1], ids [i]) < 0));
        if (strncmp (ids [i], "callback/", 9) == 0) {
            callbacks++;
            assert_true (due [i] == t0 + (int64_t) callbacks * 14 * KIT_DAY);
        }
    }
    assert_int_equal (callbacks, 5);
    assert_int_equal (count, 10);
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

static void
test_recorded_callback_moves_the_next (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    int64_t t0 = kit.now;
    kit_waiting (&kit, "C000001", "L1", t0);
    //  An early call (day 3, Thursday): callback 1 moves to day 17.
    kit_clock (&kit, t0 + 3 * KIT_DAY);
    kit_callback (&kit, "C000001", CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED,
                  0);
    kit_assert_due_at (&kit, "callback/C000001/1", "2022-01-27T10:00");
    //  It fires on day 17; the call is made a day later: the overdue check
    //  is cancelled, the fired reminder acknowledged, and callback 2 moves
    //  to 14 days after that call.
    kit_clock (&kit, t0 + 17 * KIT_DAY);
    kit_assert_status (&kit, "callback/C000001/1", KIT_STATUS (DUE));
    kit_assert_due_at (&kit, "callback-overdue/C000001/1", "2022-01-31T10:00");
    kit_assert_due_at (&kit, "callback/C000001/2", "2022-02-10T10:00");
    kit_clock (&kit, t0 + 18 * KIT_DAY + 2 * INT64_C (3600000000));
    kit_callback (&kit, "C000001",
                  CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_NOT_REACHED, 0);
    kit_assert_status (&kit, "callback-overdue/C000001/1", KIT_STATUS (CANCELLED));
    kit_assert_status (&kit, "callback/C000001/1", KIT_STATUS (ACKNOWLEDGED));
    assert_string_equal (kit_reminder (&kit, "callback/C000001/1")->closed_by, "intake:4");
    kit_assert_due_at (&kit, "callback/C000001/2", "2022-02-11T12:00");
    //  No second callback reminder was made for the same slot.
    assert_null (notification_state_reminder (kit.state, "callback/C000001/3"));
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

static void
test_weekend_and_holiday_shift (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    //  Triaged on a Saturday (New Year's Day): 14 days later is a Saturday.
    kit_waiting (&kit, "C000002", "L2", kit_time ("2022-01-01T12:00"));
    kit_assert_due_at (&kit, "callback/C000002/1", "2022-01-17T09:00");
    //  The next is counted from the moved due time: Monday again.
    kit_clock (&kit, kit_time ("2022-01-17T09:00"));
    kit_assert_due_at (&kit, "callback/C000002/2", "2022-01-31T09:00");
    //  Easter Monday moves to Tuesday; King's Day to Thursday.
    kit.now = kit_time ("2022-04-13T10:00");
    kit_waiting (&kit, "C000003", "", kit_time ("2022-04-04T10:00"));
    kit_assert_due_at (&kit, "callback/C000003/1", "2022-04-19T09:00");
    kit_waiting (&kit, "C000004", "", kit_time ("2022-04-13T11:00"));
    kit_assert_due_at (&kit, "callback/C000004/1", "2022-04-28T09:00");
    //  A configured holiday list replaces the default.
    kit_t other;
    kit_init_with (&other, "2022-01-24");
    kit_waiting (&other, "C000001", "", other.now);
    kit_assert_due_at (&other, "callback/C000001/1", "2022-01-25T09:00");
    kit_destroy (&other);
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

static void
test_overdue_escalation (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    //  Triaged on a Thursday: callback on a Thursday, overdue two working
    //  days later is Monday (not Saturday).
    kit_waiting (&kit, "C000001", "L1", kit_time ("2022-01-13T15:00"));
    kit_mark (&kit);
    kit_clock (&kit, kit_time ("2022-01-27T15:00"));
    kit_assert_due_at (&kit, "callback-overdue/C000001/1", "2022-01-31T15:00");
    assert_int_equal (kit_clock (&kit, kit_time ("2022-01-31T14:59")), 0);
    assert_int_equal (kit_clock (&kit, kit_time ("2022-01-31T15:00")), 1);
    kit_assert_status (&kit, "callback-overdue/C000001/1", KIT_STATUS (DUE));
    notification_reminder_t *overdue = kit_reminder (&kit, "callback-overdue/C000001/1");
    assert_int_equal (overdue->number, 1);
    assert_string_equal (overdue->target, "location:L1");
    //  A call made late still acknowledges both.
    kit_callback (&kit, "C000001", CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED,
                  0);
    kit_assert_status (&kit, "callback-overdue/C000001/1", KIT_STATUS (ACKNOWLEDGED));
    kit_assert_status (&kit, "callback/C000001/1", KIT_STATUS (ACKNOWLEDGED));
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

static void
test_urgent_and_no_worker_alerts (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    kit_register (&kit, "C000003", "L1", 0);
    kit_mark (&kit);
    uint64_t seq = kit_triage (&kit, "C000003", S_URGENT, 0);
    char id [64];
    snprintf (id, sizeof id, "urgent/C000003/%llu", (unsigned long long) seq);
    kit_assert_status (&kit, id, KIT_STATUS (DUE));
    assert_string_equal (kit_reminder (&kit, id)->target, "intake-team");
    //  An urgent case has no callbacks.
    assert_null (notification_state_reminder (kit.state, "callback/C000003/1"));
    //  Re-triaged urgent again: a new alert with its own id.
    uint64_t again = kit_triage (&kit, "C000003", S_URGENT, 0);
    snprintf (id, sizeof id, "urgent/C000003/%llu", (unsigned long long) again);
    kit_assert_status (&kit, id, KIT_STATUS (DUE));
    uint64_t escalation = kit_escalate (&kit, "C000003");
    snprintf (id, sizeof id, "no-worker/C000003/%llu", (unsigned long long) escalation);
    kit_assert_status (&kit, id, KIT_STATUS (DUE));
    assert_string_equal (kit_reminder (&kit, id)->target, "location:L1");
    //  Assignment may be ahead of intake: an unknown case still alerts.
    escalation = kit_escalate (&kit, "C000099");
    snprintf (id, sizeof id, "no-worker/C000099/%llu", (unsigned long long) escalation);
    kit_assert_status (&kit, id, KIT_STATUS (DUE));
    //  A waiting case re-triaged urgent: alert, and its callbacks go.
    kit_waiting (&kit, "C000004", "", 0);
    kit_triage (&kit, "C000004", S_URGENT, 0);
    kit_assert_status (&kit, "callback/C000004/1", KIT_STATUS (CANCELLED));
    assert_string_equal (kit_reminder (&kit, "callback/C000004/1")->closed_by, "case urgent");
    //  Back to regular: a new waiting period, callback 2, period 2.
    kit.now += KIT_DAY;
    kit_triage (&kit, "C000004", S_REGULAR, 0);
    kit_assert_due_at (&kit, "callback/C000004/2", "2022-01-25T10:00");
    kit_assert_due_at (&kit, "waiting-too-long/C000004/2", "2022-03-08T10:00");
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

static void
test_handover_deadlines (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    int64_t deadline = kit_time ("2022-07-01T00:00:00+02:00");
    kit_announce (&kit, "H000001", deadline, "w12");
    kit_assert_due_at (&kit, "handover-deadline/H000001/14d", "2022-06-17T00:00:00+02:00");
    kit_assert_due_at (&kit, "handover-deadline/H000001/3d", "2022-06-28T00:00:00+02:00");
    kit_assert_due_at (&kit, "handover-deadline/H000001/overdue", "2022-07-01T00:00:00+02:00");
    notification_reminder_t *reminder = kit_reminder (&kit, "handover-deadline/H000001/3d");
    assert_string_equal (reminder->target, "worker:w12");
    assert_string_equal (reminder->handover_id, "H000001");
    assert_null (reminder->kase);
    assert_int_equal (reminder->number, 3);
    //  Announced ten days before its deadline: no 14-day reminder.
    kit_announce (&kit, "H000002", kit.now + 10 * KIT_DAY, NULL);
    assert_null (notification_state_reminder (kit.state, "handover-deadline/H000002/14d"));
    kit_assert_status (&kit, "handover-deadline/H000002/3d", KIT_STATUS (PENDING));
    assert_string_equal (kit_reminder (&kit, "handover-deadline/H000002/3d")->target,
                         "intake-team");
    //  Cancelled: its pending reminders go.
    kit_handover_cancel (&kit, "H000002");
    kit_assert_status (&kit, "handover-deadline/H000002/3d", KIT_STATUS (CANCELLED));
    kit_assert_status (&kit, "handover-deadline/H000002/overdue", KIT_STATUS (CANCELLED));
    //  The first fires 14 and 3 days before and at the deadline.
    kit_mark (&kit);
    kit_clock (&kit, kit_time ("2022-07-02T00:00"));
    char ids [8][201];
    assert_int_equal (kit_due_ids (&kit, ids, NULL, 8), 3);
    assert_string_equal (ids [0], "handover-deadline/H000001/14d");
    assert_string_equal (ids [1], "handover-deadline/H000001/3d");
    assert_string_equal (ids [2], "handover-deadline/H000001/overdue");
    //  Announced after its deadline: overdue at once.
    kit_mark (&kit);
    kit_announce (&kit, "H000003", kit_time ("2022-06-01"), NULL);
    assert_int_equal (kit_due_ids (&kit, ids, NULL, 8), 1);
    assert_string_equal (ids [0], "handover-deadline/H000003/overdue");
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

static void
test_waiting_too_long_and_closure (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    int64_t t0 = kit.now;
    kit_waiting (&kit, "C000001", "", t0);
    kit_waiting (&kit, "C000002", "", t0);
    kit_close (&kit, "C000002", t0 + KIT_DAY);
    kit_assert_status (&kit, "callback/C000002/1", KIT_STATUS (CANCELLED));
    kit_assert_status (&kit, "waiting-too-long/C000002/1", KIT_STATUS (CANCELLED));
    assert_string_equal (kit_reminder (&kit, "waiting-too-long/C000002/1")->closed_by,
                         "case closed");
    kit_mark (&kit);
    kit_clock (&kit, t0 + 56 * KIT_DAY);
    kit_assert_status (&kit, "waiting-too-long/C000001/1", KIT_STATUS (DUE));
    //  Nothing of the closed case fired.
    char ids [32][201];
    size_t count = kit_due_ids (&kit, ids, NULL, 32);
    for (size_t i = 0; i < count; i++)
        assert_null (strstr (ids [i], "C000002"));
    //  Once fired, a period's warning is not repeated.
    kit_clock (&kit, t0 + 120 * KIT_DAY);
    assert_int_equal (kit_reminder (&kit, "waiting-too-long/C000001/1")->status, KIT_STATUS (DUE));
    assert_null (notification_state_reminder (kit.state, "waiting-too-long/C000001/2"));
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

static void
test_reactions_are_idempotent (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    kit_waiting (&kit, "C000001", "L1", 0);
    size_t before = kit.count;
    //  The same facts again (a re-triage to regular, a registration
    //  repeating the location): nothing new is decided.
    kit_triage (&kit, "C000001", S_REGULAR, 0);
    kit_register (&kit, "C000001", "L1", 0);
    assert_int_equal (kit.count, before + 2);  //  just the two upstream events
    //  Unusable ids are ignored, not turned into reminders.
    kit_waiting (&kit, "bad/id", "", 0);
    kit_waiting (&kit, "", "", 0);
    assert_null (notification_state_case (kit.state, "bad/id"));
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

//  Schedules, as if from an old or foreign journal, a reminder whose id
//  the decisions would make for another subject.
static void
s_schedule_odd (kit_t *kit, const char *id, const char *case_id, const char *handover_id)
{
    Caseflow__V1__Notification__Reminder reminder = CASEFLOW__V1__NOTIFICATION__REMINDER__INIT;
    reminder.reminder_id = (char *) id;
    reminder.kind = KIT_KIND (WAITING_TOO_LONG);
    reminder.case_id = (char *) case_id;
    reminder.handover_id = (char *) handover_id;
    reminder.number = 1;
    reminder.due_at = kit->now + 400 * KIT_DAY;
    reminder.target = "someone";
    Caseflow__V1__Notification__ReminderScheduled body =
        CASEFLOW__V1__NOTIFICATION__REMINDER_SCHEDULED__INIT;
    body.reminder = &reminder;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = (char *) case_id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED;
    event.reminder_scheduled = &body;
    kit_emit (kit, &event);
}

//  A reminder with the id a case's decision would make, but kept under
//  another subject, is still found by that decision: the id is what counts.
static void
test_reminder_ids_from_elsewhere (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    s_schedule_odd (&kit, "waiting-too-long/C000001/1", "", "H000001");
    s_schedule_odd (&kit, "waiting-too-long/C000002/1", "C000009", "");
    int64_t due = kit.now + 400 * KIT_DAY;
    kit_waiting (&kit, "C000001", "", 0);
    kit_waiting (&kit, "C000002", "", 0);
    //  Both periods' warnings exist already: neither is scheduled again.
    for (int i = 1; i <= 2; i++) {
        char id [64];
        snprintf (id, sizeof id, "waiting-too-long/C00000%d/1", i);
        assert_int_equal (kit_reminder (&kit, id)->due_at, due);
        assert_string_equal (kit_reminder (&kit, id)->target, "someone");
    }
    assert_non_null (kit_reminder (&kit, "callback/C000001/1"));
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

static void
test_acknowledge (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    kit_waiting (&kit, "C000001", "L1", 0);
    size_t emitted = 0;
    assert_int_equal (kit_ack (&kit, "nope/C1/1", "me", &emitted),
                      CASEFLOW__V1__STATUS__CODE__NOT_FOUND);
    assert_int_equal (kit_ack (&kit, "", "me", &emitted),
                      CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
    assert_int_equal (kit_ack (&kit, "callback/C000001/1", "bad\nname", &emitted),
                      CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
    assert_int_equal (kit_ack (&kit, "callback/C000001/1", "me", &emitted),
                      CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION);
    kit_clock (&kit, kit.now + 14 * KIT_DAY);
    assert_int_equal (kit_ack (&kit, "callback/C000001/1", "desk 3", &emitted),
                      CASEFLOW__V1__STATUS__CODE__OK);
    assert_int_equal (emitted, 1);
    kit_assert_status (&kit, "callback/C000001/1", KIT_STATUS (ACKNOWLEDGED));
    assert_string_equal (kit_reminder (&kit, "callback/C000001/1")->closed_by, "desk 3");
    //  Twice is fine and records nothing.
    assert_int_equal (kit_ack (&kit, "callback/C000001/1", "desk 4", &emitted),
                      CASEFLOW__V1__STATUS__CODE__OK);
    assert_int_equal (emitted, 0);
    assert_string_equal (kit_reminder (&kit, "callback/C000001/1")->closed_by, "desk 3");
    //  A cancelled reminder cannot be acknowledged.
    kit_status (&kit, "C000001", CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED, 0);
    assert_int_equal (kit_ack (&kit, "callback/C000001/2", "me", &emitted),
                      CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION);
    assert_int_equal (notification_state_due_count (kit.state), 0);
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

static void
test_ids_and_lifecycle (void **state)
{
    (void) state;
    char id [256];
    assert_string_equal (
        notification_reminder_id (id, sizeof id, KIT_KIND (CALLBACK), "C000001", 2),
        "callback/C000001/2");
    assert_string_equal (
        notification_reminder_id (id, sizeof id, KIT_KIND (CALLBACK_OVERDUE), "C000001", 1),
        "callback-overdue/C000001/1");
    assert_string_equal (notification_reminder_id (id, sizeof id, KIT_KIND (URGENT), "C000001", 17),
                         "urgent/C000001/17");
    assert_string_equal (
        notification_reminder_id (id, sizeof id, KIT_KIND (NO_WORKER), "C000001", 9),
        "no-worker/C000001/9");
    assert_string_equal (
        notification_reminder_id (id, sizeof id, KIT_KIND (HANDOVER_DEADLINE), "H000001", 14),
        "handover-deadline/H000001/14d");
    assert_string_equal (
        notification_reminder_id (id, sizeof id, KIT_KIND (HANDOVER_DEADLINE), "H000001", 0),
        "handover-deadline/H000001/overdue");
    assert_string_equal (
        notification_reminder_id (id, sizeof id, KIT_KIND (WAITING_TOO_LONG), "C000001", 1),
        "waiting-too-long/C000001/1");
    //  The table: only the moves of the diagram.
    assert_int_equal (notification_lifecycle_next (0, NOTIFICATION_SCHEDULE), KIT_STATUS (PENDING));
    assert_int_equal (notification_lifecycle_next (0, NOTIFICATION_FIRE), 0);
    assert_int_equal (notification_lifecycle_next (KIT_STATUS (PENDING), NOTIFICATION_ACKNOWLEDGE),
                      0);
    assert_int_equal (notification_lifecycle_next (KIT_STATUS (DUE), NOTIFICATION_CANCEL), 0);
    assert_int_equal (notification_lifecycle_next (KIT_STATUS (DUE), NOTIFICATION_FIRE), 0);
    assert_int_equal (notification_lifecycle_next (KIT_STATUS (CANCELLED), NOTIFICATION_RESCHEDULE),
                      0);
    assert_int_equal (
        notification_lifecycle_next (KIT_STATUS (ACKNOWLEDGED), NOTIFICATION_ACKNOWLEDGE),
        KIT_STATUS (ACKNOWLEDGED));
    assert_int_equal (cf_words_parse (&cf_words_reminder_kind, "waiting-too-long"),
                      KIT_KIND (WAITING_TOO_LONG));
    assert_int_equal (cf_words_parse (&cf_words_reminder_kind, "webhook-parked"),
                      KIT_KIND (WEBHOOK_PARKED));
    assert_int_equal (cf_words_parse (&cf_words_reminder_kind, "callbacks"), -1);
}

static void
test_fire_limit_slices_a_backlog (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    char id [16];
    for (int i = 1; i <= 30; i++) {
        snprintf (id, sizeof id, "C%06d", i);
        kit_waiting (&kit, id, "", 0);
    }
    kit.now += 15 * KIT_DAY;
    cf_decider_t decider;
    kit_decider (&kit, &decider, NULL);
    assert_int_equal (notification_fire_due (kit.state, &decider, 7), 7);
    //  What is left is still due: the service asks to be woken at once.
    assert_true (notification_next_wake (kit.state) <= kit.now);
    assert_int_equal (kit_clock (&kit, kit.now), 23);
    assert_true (notification_next_wake (kit.state) > kit.now);
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

//  A parked webhook event raises one operator alert at once, carrying the
//  subscription, stream and seq; the same EventParked again (a replay or a
//  restart) raises nothing, another seq or stream raises its own.
static void
test_webhook_parked_alert (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    kit_mark (&kit);
    kit_park (&kit, "S1", "notification", 42);
    char ids [4][201];
    assert_int_equal (kit_due_ids (&kit, ids, NULL, 4), 1);
    assert_string_equal (ids [0], "webhook-parked/S1/notification/42");
    notification_reminder_t *alert = kit_reminder (&kit, ids [0]);
    assert_int_equal (alert->kind, KIT_KIND (WEBHOOK_PARKED));
    assert_int_equal (alert->status, KIT_STATUS (DUE));
    assert_string_equal (alert->subscription_id, "S1");
    assert_string_equal (alert->stream, "notification");
    assert_int_equal (alert->number, 42);
    assert_null (alert->kase);
    assert_null (alert->handover_id);
    assert_string_equal (alert->target, "operators");

    Caseflow__V1__Notification__Reminder message = CASEFLOW__V1__NOTIFICATION__REMINDER__INIT;
    char summary [NOTIFICATION_SUMMARY_SIZE];
    notification_query_reminder (alert, &message, summary);
    assert_string_equal (message.subscription_id, "S1");
    assert_string_equal (message.stream, "notification");
    assert_string_equal (message.case_id, "");
    assert_string_equal (message.summary, "webhook event 42 parked");

    kit_mark (&kit);
    size_t before = kit.count;
    kit_park (&kit, "S1", "notification", 42);
    assert_int_equal (kit.count, before + 1);  //  the upstream event alone
    kit_park (&kit, "S1", "intake", 42);
    kit_park (&kit, "S1", "notification", 43);
    assert_int_equal (kit_due_ids (&kit, ids, NULL, 4), 2);
    assert_string_equal (ids [0], "webhook-parked/S1/intake/42");
    assert_string_equal (ids [1], "webhook-parked/S1/notification/43");

    //  No usable subscription or stream: nothing to alert on.
    before = kit.count;
    kit_park (&kit, "", "intake", 44);
    kit_park (&kit, "S1", "not/a stream", 44);
    assert_int_equal (kit.count, before + 2);
    assert_int_equal (kit_ack (&kit, "webhook-parked/S1/intake/42", "ops", NULL),
                      CASEFLOW__V1__STATUS__CODE__OK);
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_callbacks_every_interval_until_assigned),
        cmocka_unit_test (test_ten_weeks_in_one_advance),
        cmocka_unit_test (test_recorded_callback_moves_the_next),
        cmocka_unit_test (test_weekend_and_holiday_shift),
        cmocka_unit_test (test_overdue_escalation),
        cmocka_unit_test (test_urgent_and_no_worker_alerts),
        cmocka_unit_test (test_handover_deadlines),
        cmocka_unit_test (test_waiting_too_long_and_closure),
        cmocka_unit_test (test_reactions_are_idempotent),
        cmocka_unit_test (test_reminder_ids_from_elsewhere),
        cmocka_unit_test (test_acknowledge),
        cmocka_unit_test (test_ids_and_lifecycle),
        cmocka_unit_test (test_fire_limit_slices_a_backlog),
        cmocka_unit_test (test_webhook_parked_alert),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
