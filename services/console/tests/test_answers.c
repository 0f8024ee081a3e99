//  test_answers: the folds the console answers with. The report is
//  cf_report's figures over the console's logs with handover's progress
//  beside them, and none without intake's stream; several moments at
//  once are each that moment's report; a case's timeline holds
//  its events up to the moment, those of the handovers it came from
//  (notification's about a handover's reminders included), each stream in
//  seq order, and names the streams the console does not follow; a case
//  registered after the moment, or never, has none.
#include "console_report.h"
#include "console_state.h"
#include "console_timeline.h"

#include "handover_progress_json.h"

#include "cf_time.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

static const handover_config_t s_handover = {
    .default_deadline = 1656626400000000LL,
    .at_risk_window = 14 * CF_USEC_PER_DAY,
    .forecast_window = 28 * CF_USEC_PER_DAY,
};

static uint64_t s_seqs [CONSOLE_STREAM_COUNT];

static int64_t
s_time (const char *text)
{
    int64_t at = 0;
    assert_int_equal (cf_time_parse (text, &at), 0);
    return at;
}

static void
s_apply (console_state_t *state, Caseflow__V1__Event *event, console_stream_t stream,
         const char *when)
{
    event->stream = (char *) cf_fold_stream_name (stream);
    event->seq = ++s_seqs [stream];
    event->occurred_at = s_time (when);
    event->id = (char *) "01EVENT";
    assert_int_equal (console_state_apply (state, event), 0);
}

static void
s_register (console_state_t *state, const char *id, const char *handover, const char *when)
{
    Caseflow__V1__Domain domain = CASEFLOW__V1__DOMAIN__DOMAIN_DEBT;
    Caseflow__V1__Intake__CaseRegistered body = CASEFLOW__V1__INTAKE__CASE_REGISTERED__INIT;
    body.case_id = (char *) id;
    body.channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE;
    body.location = (char *) "L1";
    body.domains = &domain;
    body.n_domains = 1;
    body.handover_id = (char *) handover;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = (char *) id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED;
    event.case_registered = &body;
    s_apply (state, &event, CONSOLE_INTAKE, when);
}

//  A handover-deadline reminder of `handover` scheduled, then cancelled.
static void
s_handover_reminder (console_state_t *state, const char *handover, bool cancel, const char *when)
{
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    Caseflow__V1__Notification__Reminder reminder = CASEFLOW__V1__NOTIFICATION__REMINDER__INIT;
    Caseflow__V1__Notification__ReminderScheduled scheduled =
        CASEFLOW__V1__NOTIFICATION__REMINDER_SCHEDULED__INIT;
    Caseflow__V1__Notification__ReminderCancelled cancelled =
        CASEFLOW__V1__NOTIFICATION__REMINDER_CANCELLED__INIT;
    if (cancel) {
        cancelled.reminder_id = (char *) "handover-deadline/H000001/1";
        event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_CANCELLED;
        event.reminder_cancelled = &cancelled;
    } else {
        reminder.reminder_id = (char *) "handover-deadline/H000001/1";
        reminder.kind = CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_HANDOVER_DEADLINE;
        reminder.handover_id = (char *) handover;
        reminder.due_at = s_time ("2022-06-16");
        scheduled.reminder = &reminder;
        event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED;
        event.reminder_scheduled = &scheduled;
    }
    s_apply (state, &event, CONSOLE_NOTIFICATION, when);
}

static void
test_report (void **unused)
{
    (void) unused;
    memset (s_seqs, 0, sizeof s_seqs);
    console_state_t *state = console_state_new (&s_handover);
    s_register (state, "C000001", "", "2022-01-03T09:00");
    s_register (state, "C000002", "", "2022-01-10T09:00");
    const char *why = NULL;
    Caseflow__V1__Console__ReportResult *report =
        console_report_new (state, s_time ("2022-01-05"), &why);
    assert_non_null (report);
    assert_null (why);
    assert_int_equal (report->at, s_time ("2022-01-05"));
    assert_non_null (strstr (report->figures_json, "\"registrations_total\":1,"));
    assert_non_null (strstr (report->figures_json, "\"handovers\":null"));
    assert_non_null (report->handovers);
    assert_non_null (report->handovers->totals);
    assert_int_equal (report->handovers->totals->total, 0);
    caseflow__v1__console__report_result__free_unpacked (report, NULL);
    report = console_report_new (state, s_time ("2022-01-11"), &why);
    assert_non_null (strstr (report->figures_json, "\"registrations_total\":2,"));
    caseflow__v1__console__report_result__free_unpacked (report, NULL);

    //  Without handover's stream: no progress report; without intake's: no
    //  report at all.
    state->followed [CONSOLE_HANDOVER] = false;
    report = console_report_new (state, s_time ("2022-01-11"), &why);
    assert_null (report->handovers);
    caseflow__v1__console__report_result__free_unpacked (report, NULL);
    state->followed [CONSOLE_INTAKE] = false;
    assert_null (console_report_new (state, s_time ("2022-01-11"), &why));
    assert_non_null (strstr (why, "intake"));
    console_state_destroy (&state);
}

//  The document of one report at `at` as caseflowctl makes it: the
//  console's answer with handover's progress embedded.
static json_t *
s_document (const console_state_t *state, int64_t at)
{
    const char *why = NULL;
    Caseflow__V1__Console__ReportResult *report = console_report_new (state, at, &why);
    assert_non_null (report);
    json_t *figures = json_loads (report->figures_json, 0, NULL);
    assert_non_null (figures);
    handover_progress_embed (figures, report->handovers);
    caseflow__v1__console__report_result__free_unpacked (report, NULL);
    return figures;
}

//  Several moments at once (the report page's week ends) are each the
//  report at that moment, from one decode; nothing without intake.
static void
test_report_documents (void **unused)
{
    (void) unused;
    memset (s_seqs, 0, sizeof s_seqs);
    console_state_t *state = console_state_new (&s_handover);
    s_register (state, "C000001", "", "2022-01-03T09:00");
    s_register (state, "C000002", "", "2022-01-10T09:00");
    s_register (state, "C000003", "", "2022-01-17T09:00");
    const int64_t ats [] = { s_time ("2022-01-02"), s_time ("2022-01-09"), s_time ("2022-01-16"),
                             s_time ("2022-01-23") };
    for (int handover = 1; handover >= 0; handover--) {
        state->followed [CONSOLE_HANDOVER] = handover;
        json_t *documents [4] = { NULL };
        const char *why = "unset";
        assert_int_equal (console_report_documents (state, ats, 4, documents, &why), 0);
        assert_null (why);
        for (int i = 0; i < 4; i++) {
            json_t *one = s_document (state, ats [i]);
            assert_true (json_equal (documents [i], one));
            assert_int_equal (
                json_integer_value (json_object_get (documents [i], "registrations_total")), i);
            assert_true (json_is_object (json_object_get (documents [i], "handovers"))
                         == (handover == 1));
            json_decref (one);
            json_decref (documents [i]);
        }
    }
    state->followed [CONSOLE_INTAKE] = false;
    json_t *none [1] = { NULL };
    const char *why = NULL;
    assert_int_equal (console_report_documents (state, ats, 1, none, &why), -1);
    assert_null (none [0]);
    assert_non_null (strstr (why, "intake"));
    console_state_destroy (&state);
}

static void
test_timeline (void **unused)
{
    (void) unused;
    memset (s_seqs, 0, sizeof s_seqs);
    console_state_t *state = console_state_new (&s_handover);
    //  The handover's reminder comes before the case it becomes.
    s_handover_reminder (state, "H000001", false, "2022-01-02T09:00");
    s_register (state, "C000001", "H000001", "2022-01-03T09:00");
    s_register (state, "C000002", "", "2022-01-03T10:00");
    s_handover_reminder (state, "H000001", true, "2022-01-04T09:00");

    Caseflow__V1__Console__CaseTimelineResult *timeline =
        console_timeline_new (state, "C000001", s_time ("2022-01-05"));
    assert_non_null (timeline);
    assert_int_equal (timeline->n_events, 3);
    //  Streams in their order (intake first), each in seq order.
    assert_string_equal (timeline->events [0]->stream, "intake");
    assert_int_equal (timeline->events [0]->body_case, CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED);
    assert_string_equal (timeline->events [1]->stream, "notification");
    assert_int_equal (timeline->events [1]->seq, 1);
    assert_int_equal (timeline->events [2]->body_case,
                      CASEFLOW__V1__EVENT__BODY_REMINDER_CANCELLED);
    assert_int_equal (timeline->n_streams_left_out, 0);
    caseflow__v1__console__case_timeline_result__free_unpacked (timeline, NULL);

    //  Up to a moment: what came later is not there.
    timeline = console_timeline_new (state, "C000001", s_time ("2022-01-03T12:00"));
    assert_int_equal (timeline->n_events, 2);
    caseflow__v1__console__case_timeline_result__free_unpacked (timeline, NULL);
    timeline = console_timeline_new (state, "C000002", s_time ("2022-01-05"));
    assert_int_equal (timeline->n_events, 1);
    caseflow__v1__console__case_timeline_result__free_unpacked (timeline, NULL);

    //  Registered later, or never: none. A stream not followed is named.
    assert_null (console_timeline_new (state, "C000001", s_time ("2022-01-03T08:00")));
    assert_null (console_timeline_new (state, "C000099", s_time ("2022-01-05")));
    state->followed [CONSOLE_ASSIGNMENT] = false;
    timeline = console_timeline_new (state, "C000002", s_time ("2022-01-05"));
    assert_int_equal (timeline->n_streams_left_out, 1);
    assert_string_equal (timeline->streams_left_out [0], "assignment");
    caseflow__v1__console__case_timeline_result__free_unpacked (timeline, NULL);
    console_state_destroy (&state);
}

int
main (void)
{
    cf_time_init ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_report),
        cmocka_unit_test (test_report_documents),
        cmocka_unit_test (test_timeline),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
