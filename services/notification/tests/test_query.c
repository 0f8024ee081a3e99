//  test_query: list_reminders (filters, due order, the bounded selection),
//  get_reminder, callbacks_due_today per location and callback_compliance.
#include "notification_testkit.h"

static Caseflow__V1__Notification__ReminderList *
s_list (kit_t *kit, Caseflow__V1__Reply *reply, int kind, bool due_only, const char *case_id,
        uint32_t limit, bool include_closed)
{
    Caseflow__V1__Notification__ListReminders list =
        CASEFLOW__V1__NOTIFICATION__LIST_REMINDERS__INIT;
    list.kind = kind;
    list.due_only = due_only;
    list.case_id = (char *) (case_id ? case_id : "");
    list.limit = limit;
    list.include_closed = include_closed;
    Caseflow__V1__Notification__Query query = CASEFLOW__V1__NOTIFICATION__QUERY__INIT;
    query.body_case = CASEFLOW__V1__NOTIFICATION__QUERY__BODY_LIST_REMINDERS;
    query.list_reminders = &list;
    assert_int_equal (kit_query (kit, &query, reply), CASEFLOW__V1__STATUS__CODE__OK);
    return reply->query->notification->reminders;
}

static void
test_list_reminders (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    char id [16];
    //  Cases triaged a day apart: callbacks due on consecutive days.
    int64_t t0 = kit.now;
    for (int i = 1; i <= 5; i++) {
        snprintf (id, sizeof id, "C%06d", i);
        kit.now = t0 + (i - 1) * KIT_DAY;
        kit_waiting (&kit, id, i % 2 ? "L1" : "L2", 0);
    }
    kit_announce (&kit, "H000001", kit_time ("2022-07-01T00:00:00+02:00"), NULL);
    Caseflow__V1__Reply reply;
    Caseflow__V1__Notification__ReminderList *list =
        s_list (&kit, &reply, KIT_KIND (CALLBACK), false, NULL, 3, false);
    assert_int_equal (list->total, 5);
    assert_int_equal (list->n_reminders, 3);
    assert_string_equal (list->reminders [0]->reminder->reminder_id, "callback/C000001/1");
    assert_string_equal (list->reminders [2]->reminder->reminder_id, "callback/C000003/1");
    assert_int_equal (list->reminders [0]->status, KIT_STATUS (PENDING));
    assert_string_equal (list->reminders [0]->reminder->location, "L1");
    assert_string_equal (list->reminders [0]->reminder->summary, "callback 1 for C000001");
    assert_int_equal (list->pending, 5 + 5 + 3);
    cf_api_reply_clear (&reply);
    //  Every kind, in due order.
    list = s_list (&kit, &reply, 0, false, NULL, 0, false);
    assert_int_equal (list->n_reminders, 13);
    for (size_t i = 1; i < list->n_reminders; i++)
        assert_true (list->reminders [i - 1]->reminder->due_at
                     <= list->reminders [i]->reminder->due_at);
    cf_api_reply_clear (&reply);
    //  Fire the first two callbacks; due_only lists them.
    kit_clock (&kit, t0 + 15 * KIT_DAY);
    list = s_list (&kit, &reply, 0, true, NULL, 0, false);
    assert_int_equal (list->n_reminders, 2);
    assert_int_equal (list->reminders [0]->status, KIT_STATUS (DUE));
    assert_true (list->reminders [0]->fired_at == t0 + 15 * KIT_DAY);
    cf_api_reply_clear (&reply);
    //  A case's reminders; closed ones only when asked.
    kit_status (&kit, "C000001", CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED, 0);
    list = s_list (&kit, &reply, 0, false, "C000001", 0, false);
    assert_int_equal (list->n_reminders, 1);  //  callback 1, due
    cf_api_reply_clear (&reply);
    list = s_list (&kit, &reply, 0, false, "C000001", 0, true);
    assert_int_equal (list->n_reminders, 4);  //  + callback 2, overdue 1, waiting (cancelled)
    bool cancelled = false;
    for (size_t i = 0; i < list->n_reminders; i++)
        if (list->reminders [i]->status == KIT_STATUS (CANCELLED)) {
            cancelled = true;
            assert_string_equal (list->reminders [i]->cancel_reason, "case assigned");
        }
    assert_true (cancelled);
    cf_api_reply_clear (&reply);
    list = s_list (&kit, &reply, 0, false, "C999999", 0, true);
    assert_int_equal (list->n_reminders, 0);
    cf_api_reply_clear (&reply);
    //  Bad arguments.
    Caseflow__V1__Notification__ListReminders bad =
        CASEFLOW__V1__NOTIFICATION__LIST_REMINDERS__INIT;
    bad.limit = NOTIFICATION_LIST_MAX + 1;
    Caseflow__V1__Notification__Query query = CASEFLOW__V1__NOTIFICATION__QUERY__INIT;
    query.body_case = CASEFLOW__V1__NOTIFICATION__QUERY__BODY_LIST_REMINDERS;
    query.list_reminders = &bad;
    assert_int_equal (kit_query (&kit, &query, &reply),
                      CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
    assert_string_equal (reply.status->field, "query.notification.list_reminders.limit");
    cf_api_reply_clear (&reply);
    bad.limit = 0;
    bad.kind = 42;
    assert_int_equal (kit_query (&kit, &query, &reply),
                      CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
    cf_api_reply_clear (&reply);
    //  One reminder.
    Caseflow__V1__Notification__GetReminder get = CASEFLOW__V1__NOTIFICATION__GET_REMINDER__INIT;
    get.reminder_id = "handover-deadline/H000001/3d";
    query.body_case = CASEFLOW__V1__NOTIFICATION__QUERY__BODY_GET_REMINDER;
    query.get_reminder = &get;
    assert_int_equal (kit_query (&kit, &query, &reply), CASEFLOW__V1__STATUS__CODE__OK);
    assert_string_equal (reply.query->notification->reminder->reminder->handover_id, "H000001");
    assert_string_equal (reply.query->notification->reminder->reminder->summary,
                         "handover H000001: deadline in 3 days");
    cf_api_reply_clear (&reply);
    get.reminder_id = "callback/C000001/9";
    assert_int_equal (kit_query (&kit, &query, &reply), CASEFLOW__V1__STATUS__CODE__NOT_FOUND);
    cf_api_reply_clear (&reply);
    kit_destroy (&kit);
}

static Caseflow__V1__Notification__CallbackList *
s_today (kit_t *kit, Caseflow__V1__Reply *reply, const char *location)
{
    Caseflow__V1__Notification__CallbacksDueToday today =
        CASEFLOW__V1__NOTIFICATION__CALLBACKS_DUE_TODAY__INIT;
    today.location = (char *) location;
    Caseflow__V1__Notification__Query query = CASEFLOW__V1__NOTIFICATION__QUERY__INIT;
    query.body_case = CASEFLOW__V1__NOTIFICATION__QUERY__BODY_CALLBACKS_DUE_TODAY;
    query.callbacks_due_today = &today;
    assert_int_equal (kit_query (kit, &query, reply), CASEFLOW__V1__STATUS__CODE__OK);
    return reply->query->notification->callbacks;
}

static void
test_callbacks_due_today (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    int64_t t0 = kit.now;                                        //  Monday 10:00
    kit_waiting (&kit, "C000001", "L1", t0 - 3 * KIT_DAY);       //  due Friday (fired)
    kit_waiting (&kit, "C000002", "L1", t0 + 5 * 3600000000LL);  //  due today 15:00
    kit_waiting (&kit, "C000003", "L2", t0);                     //  due today 10:00
    kit_waiting (&kit, "C000004", "L1", t0 + KIT_DAY);           //  due tomorrow
    kit_clock (&kit, t0 + 14 * KIT_DAY);                         //  Monday two weeks on
    Caseflow__V1__Reply reply;
    Caseflow__V1__Notification__CallbackList *list = s_today (&kit, &reply, "L1");
    assert_string_equal (list->date, "2022-01-24");
    assert_int_equal (list->n_callbacks, 2);
    assert_string_equal (list->callbacks [0]->reminder->reminder_id, "callback/C000001/1");
    assert_int_equal (list->callbacks [0]->status, KIT_STATUS (DUE));
    assert_string_equal (list->callbacks [1]->reminder->reminder_id, "callback/C000002/1");
    assert_int_equal (list->callbacks [1]->status, KIT_STATUS (PENDING));
    cf_api_reply_clear (&reply);
    list = s_today (&kit, &reply, "L2");
    assert_int_equal (list->n_callbacks, 1);
    cf_api_reply_clear (&reply);
    list = s_today (&kit, &reply, "");
    assert_int_equal (list->n_callbacks, 3);
    cf_api_reply_clear (&reply);
    //  A recorded callback takes it off the list.
    kit_callback (&kit, "C000001", CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED,
                  0);
    list = s_today (&kit, &reply, "L1");
    assert_int_equal (list->n_callbacks, 1);
    assert_string_equal (list->callbacks [0]->reminder->reminder_id, "callback/C000002/1");
    cf_api_reply_clear (&reply);
    kit_destroy (&kit);
}

static Caseflow__V1__Notification__ComplianceReport *
s_compliance (kit_t *kit, Caseflow__V1__Reply *reply, const char *from, const char *to)
{
    Caseflow__V1__Notification__CallbackCompliance compliance =
        CASEFLOW__V1__NOTIFICATION__CALLBACK_COMPLIANCE__INIT;
    compliance.from = kit_time (from);
    compliance.to = kit_time (to);
    Caseflow__V1__Notification__Query query = CASEFLOW__V1__NOTIFICATION__QUERY__INIT;
    query.body_case = CASEFLOW__V1__NOTIFICATION__QUERY__BODY_CALLBACK_COMPLIANCE;
    query.callback_compliance = &compliance;
    assert_int_equal (kit_query (kit, &query, reply), CASEFLOW__V1__STATUS__CODE__OK);
    return reply->query->notification->compliance;
}

static void
test_callback_compliance (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    int64_t t0 = kit.now;  //  Monday 2022-01-10 10:00
    //  C1 is called on time, twice (day 14 and 27).
    kit_waiting (&kit, "C000001", "L1", t0);
    //  C2 is called on day 20 (late: due day 14), then waits on.
    kit_waiting (&kit, "C000002", "L2", t0);
    //  C3 is never called and is assigned on day 30.
    kit_waiting (&kit, "C000003", "L1", t0);
    //  C4 starts waiting on day 25: nothing exceeded by day 35.
    kit_clock (&kit, t0 + 14 * KIT_DAY + 3600000000LL);
    kit_callback (&kit, "C000001", CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED,
                  0);
    kit_clock (&kit, t0 + 20 * KIT_DAY);
    kit_callback (&kit, "C000002",
                  CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_NOT_REACHED, 0);
    kit_clock (&kit, t0 + 25 * KIT_DAY);
    kit_waiting (&kit, "C000004", "L1", 0);
    kit_clock (&kit, t0 + 27 * KIT_DAY);
    kit_callback (&kit, "C000001", CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED,
                  0);
    kit_clock (&kit, t0 + 30 * KIT_DAY);
    kit_status (&kit, "C000003", CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED, 0);
    kit_clock (&kit, t0 + 35 * KIT_DAY);

    Caseflow__V1__Reply reply;
    Caseflow__V1__Notification__ComplianceReport *report =
        s_compliance (&kit, &reply, "2022-01-01", "2022-03-01");
    assert_int_equal (report->cases_waiting, 4);
    assert_int_equal (report->cases_exceeded, 2);
    assert_true (report->interval == 14 * KIT_DAY);
    assert_string_equal (report->cases [0]->case_id, "C000002");
    assert_int_equal (report->cases [0]->n_gaps, 1);
    Caseflow__V1__Notification__CallbackGap *gap = report->cases [0]->gaps [0];
    assert_string_equal (gap->started_by, "waiting");
    assert_string_equal (gap->ended_by, "contact");
    assert_true (gap->from == t0 && gap->to == t0 + 20 * KIT_DAY);
    assert_true (gap->due_at == t0 + 14 * KIT_DAY);
    assert_true (gap->days > 19.99 && gap->days < 20.01);
    assert_string_equal (report->cases [1]->case_id, "C000003");
    assert_string_equal (report->cases [1]->gaps [0]->ended_by, "assigned");
    cf_api_reply_clear (&reply);
    //  A period before anything was late: nobody exceeded.
    report = s_compliance (&kit, &reply, "2022-01-01", "2022-01-24");
    assert_int_equal (report->cases_exceeded, 0);
    assert_int_equal (report->cases_waiting, 3);
    cf_api_reply_clear (&reply);
    //  A period after C3's assignment: C2's open gap since its call on day
    //  20 was due on day 35 (day 34 is a Sunday); on day 35 it is on time,
    //  by day 37 it has gone past its due day.
    report = s_compliance (&kit, &reply, "2022-02-10", "2022-03-01");
    assert_int_equal (report->cases_exceeded, 0);
    cf_api_reply_clear (&reply);
    kit_clock (&kit, t0 + 37 * KIT_DAY);
    report = s_compliance (&kit, &reply, "2022-02-10", "2022-03-01");
    assert_int_equal (report->cases_exceeded, 1);
    assert_string_equal (report->cases [0]->case_id, "C000002");
    assert_string_equal (report->cases [0]->gaps [0]->ended_by, "open");
    assert_string_equal (report->cases [0]->gaps [0]->started_by, "contact");
    cf_api_reply_clear (&reply);
    //  from must come before to.
    Caseflow__V1__Notification__CallbackCompliance bad =
        CASEFLOW__V1__NOTIFICATION__CALLBACK_COMPLIANCE__INIT;
    bad.from = kit_time ("2022-02-01");
    bad.to = bad.from;
    Caseflow__V1__Notification__Query query = CASEFLOW__V1__NOTIFICATION__QUERY__INIT;
    query.body_case = CASEFLOW__V1__NOTIFICATION__QUERY__BODY_CALLBACK_COMPLIANCE;
    query.callback_compliance = &bad;
    assert_int_equal (kit_query (&kit, &query, &reply),
                      CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
    assert_string_equal (reply.status->field, "query.notification.callback_compliance.to");
    cf_api_reply_clear (&reply);
    kit_destroy (&kit);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_list_reminders),
        cmocka_unit_test (test_callbacks_due_today),
        cmocka_unit_test (test_callback_compliance),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
