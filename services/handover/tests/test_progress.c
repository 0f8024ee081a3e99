//  test_progress: progress figures, overdue and at-risk, and the forecast
//  arithmetic on a scripted set of handovers; figures for a past moment
//  stay what they were; the Progress query and the view flags.
#include "handover_testkit.h"
#include "handover_progress.h"
#include "handover_query.h"

#define OK CASEFLOW__V1__STATUS__CODE__OK

static void
s_at (kit_t *kit, const char *when)
{
    kit->now = kit_time (when);
}

static void
s_assert_counts (const handover_counts_t *c, uint64_t total, uint64_t in_progress, uint64_t decided,
                 uint64_t completed, uint64_t cancelled, uint64_t overdue, uint64_t at_risk)
{
    assert_int_equal (c->total, total);
    assert_int_equal (c->in_progress, in_progress);
    assert_int_equal (c->decided, decided);
    assert_int_equal (c->completed, completed);
    assert_int_equal (c->cancelled, cancelled);
    assert_int_equal (c->overdue, overdue);
    assert_int_equal (c->at_risk, at_risk);
    assert_int_equal (c->total, c->in_progress + c->decided + c->completed + c->cancelled);
    assert_int_equal (c->in_progress, c->announced + c->meeting_planned + c->meeting_held);
}

//  Completes handover `id` (announced) through every step at the kit's now.
static void
s_finish (kit_t *kit, const char *id)
{
    assert_int_equal (kit_plan (kit, id, kit->now), OK);
    assert_int_equal (kit_held (kit, id), OK);
    assert_int_equal (kit_decide (kit, id, HANDOVER_NEXT_STAY), OK);
    assert_int_equal (kit_complete (kit, id), OK);
}

//  The script (deadline 2022-07-01 00:00 unless said; windows 28d / 14d):
//    A: H1..H6 = A1..A6, B: H7..H10 = B1..B4, all announced 1 March 09:00
//    A6 due 1 April, B3 due 30 April, B4 due 15 April
//    10 Mar A1 completed; 15 Mar A4 meeting planned; 20 Mar A2, B1 completed;
//    25 Mar B3 meeting planned for 2 May; 1 Apr A3 completed;
//    2 Apr A5 decided (continue, no files yet), B2 cancelled
static void
s_script (kit_t *kit, handover_counts_t *early)
{
    assert_int_equal (kit_add_provider (kit, "A", "Provider A"), OK);
    assert_int_equal (kit_add_provider (kit, "B", "Provider B"), OK);
    s_at (kit, "2022-03-01T09:00");
    const char *names [10] = { "A1", "A2", "A3", "A4", "A5", "A6", "B1", "B2", "B3", "B4" };
    for (int i = 0; i < 10; i++) {
        int64_t deadline = i == 5   ? kit_time ("2022-04-01")
                           : i == 8 ? kit_time ("2022-04-30")
                           : i == 9 ? kit_time ("2022-04-15")
                                    : 0;
        assert_int_equal (kit_announce (kit, i < 6 ? "A" : "B", names [i], "", deadline), OK);
    }
    s_at (kit, "2022-03-10T10:00");
    s_finish (kit, "H000001");
    //  What the figures were at the start of 15 March, asked then.
    s_at (kit, "2022-03-15T00:00");
    handover_progress_compute (kit->state, NULL, kit->now, early);
    s_at (kit, "2022-03-15T09:00");
    assert_int_equal (kit_plan (kit, "H000004", kit_time ("2022-04-20T10:00")), OK);
    s_at (kit, "2022-03-20T11:00");
    s_finish (kit, "H000002");
    s_finish (kit, "H000007");
    s_at (kit, "2022-03-25T11:00");
    assert_int_equal (kit_plan (kit, "H000009", kit_time ("2022-05-02T10:00")), OK);
    s_at (kit, "2022-04-01T15:00");
    s_finish (kit, "H000003");
    s_at (kit, "2022-04-02T15:00");
    assert_int_equal (kit_plan (kit, "H000005", kit->now), OK);
    assert_int_equal (kit_held (kit, "H000005"), OK);
    assert_int_equal (kit_decide (kit, "H000005", HANDOVER_NEXT_CONTINUE), OK);
    assert_int_equal (kit_cancel (kit, "H000008", "resident moved"), OK);
}

static void
test_scripted_progress (void **unused)
{
    (void) unused;
    kit_t kit;
    kit_init (&kit);
    handover_counts_t early;
    s_script (&kit, &early);
    s_at (&kit, "2022-04-05T12:00");
    int64_t at = kit.now;

    handover_counts_t all;
    handover_progress_compute (kit.state, NULL, at, &all);
    //  A4, A6, B3, B4 in progress; A5 decided; A1-A3, B1 completed; B2
    //  cancelled; A6 overdue (due 1 April); B4 at risk (due 15 April, no
    //  meeting, within 14 days); B3 at risk (meeting after its deadline).
    s_assert_counts (&all, 10, 4, 1, 4, 1, 1, 2);
    assert_int_equal (all.announced, 2);
    assert_int_equal (all.meeting_planned, 2);
    assert_int_equal (all.meeting_held, 0);
    assert_int_equal (all.completed_late, 0);
    //  Window (8 Mar 12:00, 5 Apr 12:00]: 4 completions; 5 remain.
    //  5 / (4 per 28 days) = 35 days: 10 May 12:00.
    assert_int_equal (all.completed_in_window, 4);
    assert_int_equal (all.remaining, 5);
    assert_int_equal (all.forecast_at, at + 35 * CF_USEC_PER_DAY);
    assert_string_equal (all.forecast_date, "2022-05-10");
    assert_true (all.on_track);

    handover_counts_t a, b;
    handover_progress_compute (kit.state, "A", at, &a);
    s_assert_counts (&a, 6, 2, 1, 3, 0, 1, 0);
    //  3 remain at 3 per 28 days: 28 days.
    assert_int_equal (a.remaining, 3);
    assert_string_equal (a.forecast_date, "2022-05-03");
    handover_progress_compute (kit.state, "B", at, &b);
    s_assert_counts (&b, 4, 2, 0, 1, 1, 0, 2);
    //  2 remain at 1 per 28 days: 56 days.
    assert_string_equal (b.forecast_date, "2022-05-31");
    assert_true (b.on_track);

    //  The figures for 15 March are what they were on 15 March: 1
    //  completion in the window, 9 remaining, 9 x 28 = 252 days on.
    handover_counts_t again;
    handover_progress_compute (kit.state, NULL, kit_time ("2022-03-15T00:00"), &again);
    assert_memory_equal (&again, &early, sizeof early);
    s_assert_counts (&early, 10, 9, 0, 1, 0, 0, 0);
    assert_string_equal (early.forecast_date, "2022-11-22");
    assert_false (early.on_track);

    //  Before anything was announced: nothing to do, on track.
    handover_counts_t none;
    handover_progress_compute (kit.state, NULL, kit_time ("2022-02-01"), &none);
    s_assert_counts (&none, 0, 0, 0, 0, 0, 0, 0);
    assert_string_equal (none.forecast_date, "");
    assert_true (none.on_track);

    //  After the deadline, everything open is overdue; no completion in
    //  the last 28 days means no forecast.
    handover_counts_t late;
    handover_progress_compute (kit.state, NULL, kit_time ("2022-07-01T00:00:00+02:00"), &late);
    s_assert_counts (&late, 10, 4, 1, 4, 1, 5, 0);
    assert_int_equal (late.completed_in_window, 0);
    assert_string_equal (late.forecast_date, "");
    assert_false (late.on_track);
    //  One microsecond earlier nothing of the cohort is overdue yet.
    handover_progress_compute (kit.state, NULL, kit_time ("2022-07-01T00:00:00+02:00") - 1, &late);
    assert_int_equal (late.overdue, 3);  //  A6, B3, B4 had earlier deadlines
    kit_destroy (&kit);
}

static void
test_forecast_edges (void **unused)
{
    (void) unused;
    kit_t kit;
    kit_init (&kit);
    assert_int_equal (kit_add_provider (&kit, "P", "P"), OK);
    s_at (&kit, "2022-05-01T10:00");
    assert_int_equal (kit_announce (&kit, "P", "X", "", kit_time ("2022-05-02")), OK);
    assert_int_equal (kit_announce (&kit, "P", "Y", "", 0), OK);
    s_at (&kit, "2022-05-02T08:00");
    s_finish (&kit, "H000001");  //  late: due before 2 May 00:00
    s_at (&kit, "2022-05-03T08:00");
    assert_int_equal (kit_cancel (&kit, "H000002", "not needed"), OK);
    handover_counts_t c;
    handover_progress_compute (kit.state, NULL, kit_time ("2022-05-04"), &c);
    s_assert_counts (&c, 2, 0, 0, 1, 1, 0, 0);
    assert_int_equal (c.completed_late, 1);
    //  Nothing remains: the forecast is the day of the last closure.
    assert_int_equal (c.remaining, 0);
    assert_string_equal (c.forecast_date, "2022-05-03");
    assert_true (c.on_track);

    //  A rate far faster than needed: the forecast is hours away, rounded
    //  up to the second, and on the same day.
    handover_counts_t fast = { 0 };
    fast.total = 30;
    fast.completed = 28;
    fast.completed_in_window = 28;
    fast.in_progress = 1;
    fast.decided = 1;
    int64_t at = kit_time ("2022-06-01T08:00");
    handover_counts_forecast (&fast, at, 28 * CF_USEC_PER_DAY, kit.config.default_deadline);
    assert_int_equal (fast.remaining, 2);
    assert_int_equal (fast.forecast_at, at + 2 * CF_USEC_PER_DAY);
    assert_string_equal (fast.forecast_date, "2022-06-03");
    //  Three per 28 days, one remaining: 9 1/3 days, rounded up to the second.
    handover_counts_t third = { 0 };
    third.total = 4;
    third.completed = 3;
    third.completed_in_window = 3;
    third.in_progress = 1;
    handover_counts_forecast (&third, at, 28 * CF_USEC_PER_DAY, kit.config.default_deadline);
    assert_int_equal (third.forecast_at, at + (28 * 86400 + 2) / 3 * CF_USEC_PER_SEC);
    assert_string_equal (third.forecast_date, "2022-06-10");
    //  Past the deadline: not on track.
    handover_counts_forecast (&third, kit_time ("2022-06-25"), 28 * CF_USEC_PER_DAY,
                              kit.config.default_deadline);
    assert_string_equal (third.forecast_date, "2022-07-04");
    assert_false (third.on_track);
    //  An absurd backlog is capped, not overflowed.
    handover_counts_t huge = { 0 };
    huge.total = huge.in_progress = UINT32_MAX;
    huge.completed_in_window = 1;
    handover_counts_forecast (&huge, at, 365 * CF_USEC_PER_DAY, kit.config.default_deadline);
    assert_true (huge.forecast_at > at);
    assert_false (huge.on_track);
    kit_destroy (&kit);
}

static void
test_at_risk_rules (void **unused)
{
    (void) unused;
    kit_t kit;
    kit_init (&kit);
    assert_int_equal (kit_add_provider (&kit, "P", "P"), OK);
    s_at (&kit, "2022-06-01T09:00");
    int64_t deadline = kit_time ("2022-06-20");
    assert_int_equal (kit_announce (&kit, "P", "X", "", deadline), OK);
    handover_t *handover = handover_state_find (kit.state, "H000001");
    int64_t window = kit.config.at_risk_window;
    //  Not yet within 14 days of the deadline.
    assert_false (handover_at_risk_at (handover, deadline - window - 1, window));
    assert_true (handover_at_risk_at (handover, deadline - window, window));
    //  A meeting planned before the deadline takes the risk away ...
    s_at (&kit, "2022-06-07T09:00");
    assert_int_equal (kit_plan (&kit, "H000001", kit_time ("2022-06-15T10:00")), OK);
    assert_false (handover_at_risk_at (handover, kit.now, window));
    //  ... until it is moved past the deadline.
    s_at (&kit, "2022-06-08T09:00");
    assert_int_equal (kit_plan (&kit, "H000001", kit_time ("2022-06-21T10:00")), OK);
    assert_true (handover_at_risk_at (handover, kit.now, window));
    //  Asked for 7 June 12:00 it was not at risk then.
    assert_false (handover_at_risk_at (handover, kit_time ("2022-06-07T12:00"), window));
    assert_ptr_equal (handover_meeting_at (handover, kit_time ("2022-06-07T12:00")),
                      &handover->meetings [0]);
    assert_null (handover_meeting_at (handover, kit_time ("2022-06-07T08:00")));
    //  Once held it is no longer at risk; past the deadline it is overdue.
    s_at (&kit, "2022-06-10T09:00");
    assert_int_equal (kit_held (&kit, "H000001"), OK);
    assert_false (handover_at_risk_at (handover, kit.now, window));
    assert_true (handover_overdue_at (handover, deadline));
    assert_false (handover_overdue_at (handover, deadline - 1));
    assert_int_equal (handover_status_at (handover, kit_time ("2022-06-09")),
                      HANDOVER_MEETING_PLANNED);
    assert_int_equal (handover_status_at (handover, kit_time ("2022-05-09")), HANDOVER_NONE);
    kit_destroy (&kit);
}

//  The Progress query: report layout, provider filter, time checks.
static void
test_progress_query (void **unused)
{
    (void) unused;
    kit_t kit;
    kit_init (&kit);
    handover_counts_t early;
    s_script (&kit, &early);
    s_at (&kit, "2022-04-05T12:00");

    Caseflow__V1__Handover__Progress body = CASEFLOW__V1__HANDOVER__PROGRESS__INIT;
    Caseflow__V1__Handover__Query query = CASEFLOW__V1__HANDOVER__QUERY__INIT;
    query.body_case = CASEFLOW__V1__HANDOVER__QUERY__BODY_PROGRESS;
    query.progress = &body;
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "q");
    handover_query (kit.state, kit.now, &query, false, &reply);
    assert_int_equal (cf_api_reply_code (&reply), OK);
    Caseflow__V1__Handover__ProgressReport *report = reply.query->handover->progress;
    assert_int_equal (report->at, kit.now);
    assert_int_equal (report->deadline, kit.config.default_deadline);
    assert_string_equal (report->deadline_date, "2022-06-30");
    assert_int_equal (report->forecast_window_days, 28);
    assert_int_equal (report->totals->total, 10);
    assert_int_equal (report->totals->overdue, 1);
    assert_string_equal (report->totals->forecast_completion_date, "2022-05-10");
    assert_int_equal (report->n_by_provider, 2);
    assert_string_equal (report->by_provider [0]->provider_id, "A");
    assert_string_equal (report->by_provider [0]->name, "Provider A");
    assert_int_equal (report->by_provider [0]->counts->completed, 3);
    assert_string_equal (report->by_provider [1]->counts->forecast_completion_date, "2022-05-31");
    cf_api_reply_clear (&reply);

    body.provider_id = "B";
    body.at = kit_time ("2022-03-15T00:00");
    cf_api_reply_init (&reply, "q");
    handover_query (kit.state, kit.now, &query, false, &reply);
    assert_int_equal (cf_api_reply_code (&reply), OK);
    report = reply.query->handover->progress;
    assert_int_equal (report->totals->total, 4);
    assert_int_equal (report->n_by_provider, 1);
    assert_string_equal (report->by_provider [0]->provider_id, "B");
    //  No B completion by then: no forecast for B.
    assert_string_equal (report->totals->forecast_completion_date, "");
    cf_api_reply_clear (&reply);

    body.provider_id = "Z";
    cf_api_reply_init (&reply, "q");
    handover_query (kit.state, kit.now, &query, false, &reply);
    assert_int_equal (cf_api_reply_code (&reply), CASEFLOW__V1__STATUS__CODE__NOT_FOUND);
    cf_api_reply_clear (&reply);

    body.provider_id = "";
    body.at = kit.now + 1;
    cf_api_reply_init (&reply, "q");
    handover_query (kit.state, kit.now, &query, false, &reply);
    assert_int_equal (cf_api_reply_code (&reply), CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
    assert_string_equal (reply.status->field, "query.handover.progress.at");
    cf_api_reply_clear (&reply);
    kit_destroy (&kit);
}

//  GetHandover and ListHandovers: views with the clock's flags, filters,
//  pages.
static void
test_view_queries (void **unused)
{
    (void) unused;
    kit_t kit;
    kit_init (&kit);
    handover_counts_t early;
    s_script (&kit, &early);
    s_at (&kit, "2022-04-05T12:00");

    Caseflow__V1__Handover__GetHandover get = CASEFLOW__V1__HANDOVER__GET_HANDOVER__INIT;
    get.handover_id = "H000006";
    Caseflow__V1__Handover__Query query = CASEFLOW__V1__HANDOVER__QUERY__INIT;
    query.body_case = CASEFLOW__V1__HANDOVER__QUERY__BODY_GET_HANDOVER;
    query.get_handover = &get;
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "q");
    handover_query (kit.state, kit.now, &query, false, &reply);
    assert_int_equal (cf_api_reply_code (&reply), OK);
    Caseflow__V1__Handover__HandoverView *view = reply.query->handover->handover;
    assert_string_equal (view->handover_id, "H000006");
    assert_string_equal (view->resident->name, "A6");
    assert_true (view->overdue);
    assert_false (view->at_risk);
    assert_int_equal (view->state, HANDOVER_ANNOUNCED);
    cf_api_reply_clear (&reply);

    get.handover_id = "H000099";
    cf_api_reply_init (&reply, "q");
    handover_query (kit.state, kit.now, &query, false, &reply);
    assert_int_equal (cf_api_reply_code (&reply), CASEFLOW__V1__STATUS__CODE__NOT_FOUND);
    cf_api_reply_clear (&reply);

    Caseflow__V1__Handover__ListHandovers list = CASEFLOW__V1__HANDOVER__LIST_HANDOVERS__INIT;
    query.body_case = CASEFLOW__V1__HANDOVER__QUERY__BODY_LIST_HANDOVERS;
    query.list_handovers = &list;
    list.provider_id = "A";
    list.limit = 2;
    list.after = "H000001";
    cf_api_reply_init (&reply, "q");
    handover_query (kit.state, kit.now, &query, false, &reply);
    assert_int_equal (cf_api_reply_code (&reply), OK);
    Caseflow__V1__Handover__HandoverList *page = reply.query->handover->handovers;
    assert_int_equal (page->n_handovers, 2);
    assert_string_equal (page->handovers [0]->handover_id, "H000002");
    assert_string_equal (page->handovers [1]->handover_id, "H000003");
    assert_string_equal (page->next, "H000003");
    cf_api_reply_clear (&reply);

    list.provider_id = "";
    list.limit = 0;
    list.after = "";
    list.state = HANDOVER_MEETING_PLANNED;
    cf_api_reply_init (&reply, "q");
    handover_query (kit.state, kit.now, &query, false, &reply);
    page = reply.query->handover->handovers;
    assert_int_equal (page->n_handovers, 2);
    assert_string_equal (page->handovers [1]->handover_id, "H000009");
    assert_true (page->handovers [1]->at_risk);
    assert_string_equal (page->next, "");
    cf_api_reply_clear (&reply);

    list.state = 0;
    list.overdue_only = true;
    cf_api_reply_init (&reply, "q");
    handover_query (kit.state, kit.now, &query, false, &reply);
    page = reply.query->handover->handovers;
    assert_int_equal (page->n_handovers, 1);
    assert_string_equal (page->handovers [0]->handover_id, "H000006");
    cf_api_reply_clear (&reply);

    list.overdue_only = false;
    list.limit = 1001;
    cf_api_reply_init (&reply, "q");
    handover_query (kit.state, kit.now, &query, false, &reply);
    assert_int_equal (cf_api_reply_code (&reply), CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
    cf_api_reply_clear (&reply);

    Caseflow__V1__Handover__ListProviders providers = CASEFLOW__V1__HANDOVER__LIST_PROVIDERS__INIT;
    query.body_case = CASEFLOW__V1__HANDOVER__QUERY__BODY_LIST_PROVIDERS;
    query.list_providers = &providers;
    cf_api_reply_init (&reply, "q");
    handover_query (kit.state, kit.now, &query, false, &reply);
    assert_int_equal (reply.query->handover->providers->n_providers, 2);
    assert_string_equal (reply.query->handover->providers->providers [1]->name, "Provider B");
    cf_api_reply_clear (&reply);
    kit_destroy (&kit);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_scripted_progress), cmocka_unit_test (test_forecast_edges),
        cmocka_unit_test (test_at_risk_rules),     cmocka_unit_test (test_progress_query),
        cmocka_unit_test (test_view_queries),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
