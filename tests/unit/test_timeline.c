//  test_timeline: one case's timeline (common/cf_timeline) on scripted
//  streams: which events concern the case (its own, its handover's, its
//  reminders' and its handover's reminders', never another case's), the
//  merge at one instant (an effect after its cause even when the cause is
//  downstream, else upstream first), its callbacks (answered by the call
//  notification named, cancelled before due, a call that answered none),
//  its state at `at` with later events left out, and a case not
//  registered by then.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_timeline.h"

#include "caseflow/v1/assignment.pb-c.h"
#include "caseflow/v1/handover.pb-c.h"
#include "caseflow/v1/intake.pb-c.h"
#include "caseflow/v1/notification.pb-c.h"
#include "cf_error.h"
#include "cf_event.h"
#include "cf_testscript.h"

#include <string.h>

#define S_STATUS(name) CASEFLOW__V1__CASE_STATUS__CASE_STATUS_##name
#define S_CALLBACK     CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK

static Caseflow__V1__Event *
s_announced (cf_testscript_t *self, const char *at, const char *handover)
{
    Caseflow__V1__Event *event = cf_testscript_event (self, CF_FOLD_HANDOVER, at,
                                                      CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED);
    Caseflow__V1__Handover__HandoverAnnounced *body = cf_testscript_alloc (self, sizeof *body);
    caseflow__v1__handover__handover_announced__init (body);
    body->handover_id = (char *) handover;
    event->handover_announced = body;
    return event;
}

static Caseflow__V1__Event *
s_registered (cf_testscript_t *self, const char *at, const char *case_id, const char *handover)
{
    Caseflow__V1__Event *event =
        cf_testscript_event (self, CF_FOLD_INTAKE, at, CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED);
    Caseflow__V1__Intake__CaseRegistered *body = cf_testscript_alloc (self, sizeof *body);
    caseflow__v1__intake__case_registered__init (body);
    body->case_id = (char *) case_id;
    body->channel =
        *handover ? CASEFLOW__V1__CHANNEL__CHANNEL_HANDOVER : CASEFLOW__V1__CHANNEL__CHANNEL_PHONE;
    body->handover_id = (char *) handover;
    body->location = "L-noord";
    event->case_id = (char *) case_id;
    event->case_registered = body;
    return event;
}

static Caseflow__V1__Event *
s_triaged (cf_testscript_t *self, const char *at, const char *case_id)
{
    Caseflow__V1__Event *event =
        cf_testscript_event (self, CF_FOLD_INTAKE, at, CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED);
    Caseflow__V1__Intake__CaseTriaged *body = cf_testscript_alloc (self, sizeof *body);
    caseflow__v1__intake__case_triaged__init (body);
    body->case_id = (char *) case_id;
    body->urgency = CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
    body->status = S_STATUS (WAITING);
    event->case_id = (char *) case_id;
    event->case_triaged = body;
    return event;
}

static Caseflow__V1__Event *
s_status (cf_testscript_t *self, const char *at, const char *case_id, const char *worker)
{
    Caseflow__V1__Event *event = cf_testscript_event (
        self, CF_FOLD_INTAKE, at, CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED);
    Caseflow__V1__Intake__CaseStatusChanged *body = cf_testscript_alloc (self, sizeof *body);
    caseflow__v1__intake__case_status_changed__init (body);
    body->case_id = (char *) case_id;
    body->status = S_STATUS (ASSIGNED);
    body->worker_id = (char *) worker;
    event->case_id = (char *) case_id;
    event->case_status_changed = body;
    return event;
}

static Caseflow__V1__Event *
s_assigned (cf_testscript_t *self, const char *at, const char *case_id, const char *worker)
{
    Caseflow__V1__Event *event =
        cf_testscript_event (self, CF_FOLD_ASSIGNMENT, at, CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED);
    Caseflow__V1__Assignment__CaseAssigned *body = cf_testscript_alloc (self, sizeof *body);
    caseflow__v1__assignment__case_assigned__init (body);
    body->case_id = (char *) case_id;
    body->worker_id = (char *) worker;
    //  Assignment's events name the case in their body only.
    event->case_assigned = body;
    return event;
}

//  Intake recorded a call to `case_id` answering reminder `reminder` ("": none).
static Caseflow__V1__Event *
s_recorded (cf_testscript_t *self, const char *at, const char *case_id, const char *reminder)
{
    Caseflow__V1__Event *event =
        cf_testscript_event (self, CF_FOLD_INTAKE, at, CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED);
    Caseflow__V1__Intake__CallbackRecorded *body = cf_testscript_alloc (self, sizeof *body);
    caseflow__v1__intake__callback_recorded__init (body);
    body->case_id = (char *) case_id;
    body->outcome = CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED;
    body->reminder_id = (char *) reminder;
    event->case_id = (char *) case_id;
    event->callback_recorded = body;
    return event;
}

//  A reminder of `case_id` (or of `handover` alone) scheduled or falling due.
static Caseflow__V1__Event *
s_reminder (cf_testscript_t *self, const char *at, Caseflow__V1__Event__BodyCase body_case,
            const char *id, const char *case_id, const char *handover, const char *due)
{
    Caseflow__V1__Event *event = cf_testscript_event (self, CF_FOLD_NOTIFICATION, at, body_case);
    Caseflow__V1__Notification__Reminder *reminder = cf_testscript_alloc (self, sizeof *reminder);
    caseflow__v1__notification__reminder__init (reminder);
    reminder->reminder_id = (char *) id;
    reminder->case_id = (char *) case_id;
    reminder->handover_id = (char *) handover;
    reminder->kind =
        *case_id ? S_CALLBACK
                 : CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_HANDOVER_DEADLINE;
    reminder->due_at = cf_testscript_time (due);
    if (body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED) {
        Caseflow__V1__Notification__ReminderScheduled *body =
            cf_testscript_alloc (self, sizeof *body);
        caseflow__v1__notification__reminder_scheduled__init (body);
        body->reminder = reminder;
        event->reminder_scheduled = body;
    } else {
        Caseflow__V1__Notification__ReminderDue *body = cf_testscript_alloc (self, sizeof *body);
        caseflow__v1__notification__reminder_due__init (body);
        body->reminder = reminder;
        event->reminder_due = body;
    }
    event->case_id = (char *) case_id;
    return event;
}

static void
s_cancelled (cf_testscript_t *self, const char *at, const char *id, const char *case_id)
{
    Caseflow__V1__Event *event = cf_testscript_event (self, CF_FOLD_NOTIFICATION, at,
                                                      CASEFLOW__V1__EVENT__BODY_REMINDER_CANCELLED);
    Caseflow__V1__Notification__ReminderCancelled *body = cf_testscript_alloc (self, sizeof *body);
    caseflow__v1__notification__reminder_cancelled__init (body);
    body->reminder_id = (char *) id;
    event->case_id = (char *) case_id;
    event->reminder_cancelled = body;
}

static void
s_answered (cf_testscript_t *self, const char *at, const char *id, const char *case_id,
            uint64_t intake_seq)
{
    Caseflow__V1__Event *event = cf_testscript_event (self, CF_FOLD_NOTIFICATION, at,
                                                      CASEFLOW__V1__EVENT__BODY_CALLBACK_ANSWERED);
    Caseflow__V1__Notification__CallbackAnswered *body = cf_testscript_alloc (self, sizeof *body);
    caseflow__v1__notification__callback_answered__init (body);
    body->reminder_id = (char *) id;
    body->case_id = (char *) case_id;
    body->intake_seq = intake_seq;
    event->case_id = (char *) case_id;
    event->callback_answered = body;
}

//  The time line as "stream:Type" words, one space apart (into buf).
static const char *
s_line (const cf_timeline_t *line, char *buf, size_t size)
{
    buf [0] = 0;
    for (size_t i = 0; i < line->entry_count; i++) {
        size_t len = strlen (buf);
        snprintf (buf + len, size - len, "%s%s:%s", i ? " " : "",
                  cf_fold_stream_name (line->entries [i].stream),
                  cf_event_type_name (line->entries [i].event));
    }
    return buf;
}

//  A case that came from handover H1, with every kind of event about it,
//  and a second case beside it whose events stay out of its line.
static cf_testscript_t *
s_story (void)
{
    cf_testscript_t *s = cf_testscript_new ();
    s_announced (s, "2022-01-04T08:00", "H1");
    s_announced (s, "2022-01-04T08:00", "H2");
    //  Handover's deadline reminder names the handover only.
    s_reminder (s, "2022-01-04T08:00", CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED, "R-H1", "",
                "H1", "2022-06-30T00:00");
    s_registered (s, "2022-01-10T09:00", "C000001", "H1");
    s_triaged (s, "2022-01-10T09:00", "C000001");
    s_registered (s, "2022-01-10T09:00", "C000002", "");
    //  At 10:00 assignment decides, and intake mirrors it at the same
    //  instant: the mirror (upstream, caused by it) comes after it.
    Caseflow__V1__Event *assigned = s_assigned (s, "2022-01-10T10:00", "C000001", "w01");
    Caseflow__V1__Event *mirror = s_status (s, "2022-01-10T10:00", "C000001", "w01");
    mirror->causation_id = assigned->id;
    s_assigned (s, "2022-01-10T10:00", "C000002", "w02");
    //  Callbacks: R1 answered by the call of intake seq 5; R2 cancelled
    //  before it fell due; a call that answered no reminder.
    s_reminder (s, "2022-01-10T09:00", CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED, "R1",
                "C000001", "", "2022-01-24T08:00");
    s_reminder (s, "2022-01-10T09:00", CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED, "R2",
                "C000001", "", "2022-02-07T08:00");
    s_reminder (s, "2022-01-24T08:00", CASEFLOW__V1__EVENT__BODY_REMINDER_DUE, "R1", "C000001", "",
                "2022-01-24T08:00");
    Caseflow__V1__Event *call = s_recorded (s, "2022-01-24T11:00", "C000001", "R1");
    assert_int_equal (call->seq, 5);
    s_answered (s, "2022-01-24T11:00", "R1", "C000001", call->seq);
    s_cancelled (s, "2022-01-25T09:00", "R2", "C000001");
    s_recorded (s, "2022-01-26T11:00", "C000001", "");
    s_reminder (s, "2022-01-24T08:00", CASEFLOW__V1__EVENT__BODY_REMINDER_DUE, "R9", "C000002", "",
                "2022-01-24T08:00");
    return s;
}

static void
test_what_concerns_the_case_in_order (void **state)
{
    (void) state;
    cf_testscript_t *s = s_story ();
    cf_timeline_t *line = NULL;
    assert_int_equal (cf_timeline_fold (cf_testscript_streams (s), "C000001",
                                        cf_testscript_time ("2022-02-01"), &line),
                      0);
    char buf [2048];
    assert_string_equal (
        s_line (line, buf, sizeof buf),
        "handover:HandoverAnnounced notification:ReminderScheduled "
        "intake:CaseRegistered intake:CaseTriaged notification:ReminderScheduled "
        "notification:ReminderScheduled assignment:CaseAssigned intake:CaseStatusChanged "
        "notification:ReminderDue intake:CallbackRecorded notification:CallbackAnswered "
        "notification:ReminderCancelled intake:CallbackRecorded");
    assert_int_equal (line->status, S_STATUS (ASSIGNED));
    assert_string_equal (line->worker_id, "w01");
    assert_string_equal (line->location, "L-noord");
    assert_int_equal (line->handover_count, 1);
    assert_string_equal (line->handovers [0], "H1");
    assert_int_equal (line->registered_at, cf_testscript_time ("2022-01-10T09:00"));
    //  Callbacks by due time (a call of its own by its time): R1
    //  answered by the call of seq 5, the call of seq 6 that answered no
    //  reminder, R2 cancelled before it fell due.
    assert_int_equal (line->callback_count, 3);
    assert_string_equal (line->callbacks [0].reminder_id, "R1");
    assert_true (line->callbacks [0].fired);
    assert_non_null (line->callbacks [0].answer);
    assert_int_equal (line->callbacks [0].answer->seq, 5);
    assert_string_equal (line->callbacks [1].reminder_id, "");
    assert_true (line->callbacks [1].fired);
    assert_non_null (line->callbacks [1].answer);
    assert_int_equal (line->callbacks [1].answer->seq, 6);
    assert_string_equal (line->callbacks [2].reminder_id, "R2");
    assert_false (line->callbacks [2].fired);
    assert_true (line->callbacks [2].cancelled);
    assert_null (line->callbacks [2].answer);
    cf_timeline_destroy (&line);
    assert_null (line);
    cf_testscript_destroy (&s);
}

static void
test_at_an_earlier_moment (void **state)
{
    (void) state;
    cf_testscript_t *s = s_story ();
    cf_timeline_t *line = NULL;
    //  Before the worker: waiting, and nothing later in the line.
    assert_int_equal (cf_timeline_fold (cf_testscript_streams (s), "C000001",
                                        cf_testscript_time ("2022-01-10T09:30"), &line),
                      0);
    char buf [2048];
    assert_string_equal (s_line (line, buf, sizeof buf),
                         "handover:HandoverAnnounced notification:ReminderScheduled "
                         "intake:CaseRegistered intake:CaseTriaged "
                         "notification:ReminderScheduled notification:ReminderScheduled");
    assert_int_equal (line->status, S_STATUS (WAITING));
    assert_int_equal (line->callback_count, 2);
    assert_null (line->callbacks [0].answer);
    cf_timeline_destroy (&line);
    //  Before it was registered, and a case never registered.
    assert_int_equal (cf_timeline_fold (cf_testscript_streams (s), "C000001",
                                        cf_testscript_time ("2022-01-10T08:59"), &line),
                      CF_ENOTFOUND);
    assert_null (line);
    assert_int_equal (cf_timeline_fold (cf_testscript_streams (s), "C000003",
                                        cf_testscript_time ("2022-02-01"), &line),
                      CF_ENOTFOUND);
    //  Notification left out: no callbacks, the rest as it was.
    cf_testscript_available (s, CF_FOLD_NOTIFICATION, false);
    assert_int_equal (cf_timeline_fold (cf_testscript_streams (s), "C000001",
                                        cf_testscript_time ("2022-02-01"), &line),
                      0);
    //  Without notification's facts both recorded calls stand alone.
    assert_int_equal (line->callback_count, 2);
    assert_false (line->streams->streams [CF_FOLD_NOTIFICATION].available);
    cf_timeline_destroy (&line);
    cf_testscript_destroy (&s);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_what_concerns_the_case_in_order),
        cmocka_unit_test (test_at_an_earlier_moment),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
