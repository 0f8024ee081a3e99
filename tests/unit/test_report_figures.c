//  test_report_figures: the council figures (common/cf_report,
//  docs/report.md) on small scripted streams, for the edges the demo's
//  golden files do not pin: nobody waiting (null median, not zero), the
//  nearest-rank median and 90th percentile, a case back on the list
//  keeping its first triage, urgent pickup (only a CaseAssigned at or
//  after the urgent triage), the callbacks' on-time window (on time, late
//  answered, late unanswered, open, no longer needed, answered after
//  `at`), the roster, the counts by area and by age band, a stream left
//  out, and events after `at` changing
//  nothing whether the caller cut the streams or not. The gateway's
//  figures are test_report_gateway's.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_report.h"

#include "caseflow/v1/assignment.pb-c.h"
#include "caseflow/v1/intake.pb-c.h"
#include "caseflow/v1/notification.pb-c.h"
#include "cf_testscript.h"

#include <stdlib.h>
#include <string.h>

#define S_STATUS(name) CASEFLOW__V1__CASE_STATUS__CASE_STATUS_##name

typedef cf_testscript_t s_script_t;

//  ------------------------------------------------------------- intake

static void
s_registered (s_script_t *self, const char *at, const char *case_id, Caseflow__V1__Channel channel,
              const char *location)
{
    Caseflow__V1__Event *event =
        cf_testscript_event (self, CF_FOLD_INTAKE, at, CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED);
    Caseflow__V1__Intake__CaseRegistered *body = cf_testscript_alloc (self, sizeof *body);
    caseflow__v1__intake__case_registered__init (body);
    body->case_id = (char *) case_id;
    body->channel = channel;
    body->location = (char *) location;
    event->case_id = (char *) case_id;
    event->case_registered = body;
}

static void
s_triaged (s_script_t *self, const char *at, const char *case_id, bool urgent,
           Caseflow__V1__CaseStatus status)
{
    Caseflow__V1__Event *event =
        cf_testscript_event (self, CF_FOLD_INTAKE, at, CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED);
    Caseflow__V1__Intake__CaseTriaged *body = cf_testscript_alloc (self, sizeof *body);
    caseflow__v1__intake__case_triaged__init (body);
    body->case_id = (char *) case_id;
    body->urgency =
        urgent ? CASEFLOW__V1__URGENCY__URGENCY_URGENT : CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
    body->status = status;
    event->case_id = (char *) case_id;
    event->case_triaged = body;
}

static void
s_status (s_script_t *self, const char *at, const char *case_id, Caseflow__V1__CaseStatus status,
          const char *worker)
{
    Caseflow__V1__Event *event = cf_testscript_event (
        self, CF_FOLD_INTAKE, at, CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED);
    Caseflow__V1__Intake__CaseStatusChanged *body = cf_testscript_alloc (self, sizeof *body);
    caseflow__v1__intake__case_status_changed__init (body);
    body->case_id = (char *) case_id;
    body->status = status;
    body->worker_id = (char *) worker;
    event->case_id = (char *) case_id;
    event->case_status_changed = body;
}

//  The last event: a CaseRegistered for a resident of the district the
//  locations `areas` (NULL-terminated, borrowed) serve, of age band `band`.
static void
s_resident (s_script_t *self, char **areas, Caseflow__V1__AgeBand band)
{
    const cf_fold_stream_t *intake = &cf_testscript_streams (self)->streams [CF_FOLD_INTAKE];
    Caseflow__V1__Event *event = (Caseflow__V1__Event *) intake->events [intake->count - 1];
    assert_int_equal (event->body_case, CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED);
    Caseflow__V1__Intake__CaseRegistered *body = event->case_registered;
    body->areas = areas;
    while (areas && areas [body->n_areas])
        body->n_areas++;
    body->age_band = band;
}

//  A regular case registered by phone at L-noord and put on the waiting list.
static void
s_waiting (s_script_t *self, const char *at, const char *case_id)
{
    s_registered (self, at, case_id, CASEFLOW__V1__CHANNEL__CHANNEL_PHONE, "L-noord");
    s_triaged (self, at, case_id, false, S_STATUS (WAITING));
}

//  --------------------------------------------------------- assignment

static void
s_joined (s_script_t *self, const char *at, const char *worker, uint32_t fte_milli)
{
    Caseflow__V1__Event *event =
        cf_testscript_event (self, CF_FOLD_ASSIGNMENT, at, CASEFLOW__V1__EVENT__BODY_WORKER_JOINED);
    Caseflow__V1__Assignment__WorkerJoined *body = cf_testscript_alloc (self, sizeof *body);
    caseflow__v1__assignment__worker_joined__init (body);
    body->worker_id = (char *) worker;
    body->fte_milli = fte_milli;
    event->worker_joined = body;
}

static void
s_absent (s_script_t *self, const char *at, const char *worker)
{
    Caseflow__V1__Event *event = cf_testscript_event (
        self, CF_FOLD_ASSIGNMENT, at, CASEFLOW__V1__EVENT__BODY_WORKER_ABSENCE_STARTED);
    Caseflow__V1__Assignment__WorkerAbsenceStarted *body = cf_testscript_alloc (self, sizeof *body);
    caseflow__v1__assignment__worker_absence_started__init (body);
    body->worker_id = (char *) worker;
    event->worker_absence_started = body;
}

static void
s_location (s_script_t *self, const char *at, const char *location)
{
    Caseflow__V1__Event *event = cf_testscript_event (self, CF_FOLD_ASSIGNMENT, at,
                                                      CASEFLOW__V1__EVENT__BODY_LOCATION_ADDED);
    Caseflow__V1__Assignment__LocationAdded *body = cf_testscript_alloc (self, sizeof *body);
    caseflow__v1__assignment__location_added__init (body);
    body->location_id = (char *) location;
    event->location_added = body;
}

static void
s_assigned (s_script_t *self, const char *at, const char *case_id, const char *worker)
{
    Caseflow__V1__Event *event =
        cf_testscript_event (self, CF_FOLD_ASSIGNMENT, at, CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED);
    Caseflow__V1__Assignment__CaseAssigned *body = cf_testscript_alloc (self, sizeof *body);
    caseflow__v1__assignment__case_assigned__init (body);
    body->case_id = (char *) case_id;
    body->worker_id = (char *) worker;
    event->case_id = (char *) case_id;
    event->case_assigned = body;
}

//  ------------------------------------------------------- notification

//  A callback reminder `id` of `case_id` fell due at `at`, its on-time
//  window ending at `answer_by` (NULL: a stream from before these facts).
static void
s_due (s_script_t *self, const char *at, const char *id, const char *case_id, const char *answer_by)
{
    Caseflow__V1__Event *event = cf_testscript_event (self, CF_FOLD_NOTIFICATION, at,
                                                      CASEFLOW__V1__EVENT__BODY_REMINDER_DUE);
    Caseflow__V1__Notification__Reminder *reminder = cf_testscript_alloc (self, sizeof *reminder);
    caseflow__v1__notification__reminder__init (reminder);
    reminder->reminder_id = (char *) id;
    reminder->case_id = (char *) case_id;
    reminder->kind = CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK;
    reminder->due_at = cf_testscript_time (at);
    Caseflow__V1__Notification__ReminderDue *body = cf_testscript_alloc (self, sizeof *body);
    caseflow__v1__notification__reminder_due__init (body);
    body->reminder = reminder;
    body->answer_by = answer_by ? cf_testscript_time (answer_by) : 0;
    event->case_id = (char *) case_id;
    event->reminder_due = body;
}

//  Notification recorded (at `at`) that the call made at `call` answered
//  reminder `id`, on time or not.
static void
s_answered (s_script_t *self, const char *at, const char *id, const char *call, bool on_time)
{
    Caseflow__V1__Event *event = cf_testscript_event (self, CF_FOLD_NOTIFICATION, at,
                                                      CASEFLOW__V1__EVENT__BODY_CALLBACK_ANSWERED);
    Caseflow__V1__Notification__CallbackAnswered *body = cf_testscript_alloc (self, sizeof *body);
    caseflow__v1__notification__callback_answered__init (body);
    body->reminder_id = (char *) id;
    body->answered_at = cf_testscript_time (call);
    body->on_time = on_time;
    event->callback_answered = body;
}

//  -------------------------------------------------------------- checks

//  The figures at `at` as compact JSON in their order (free it).
static char *
s_figures (const s_script_t *self, const char *at)
{
    json_t *figures = cf_report_figures (cf_testscript_streams (self), cf_testscript_time (at));
    assert_non_null (figures);
    char *text = json_dumps (figures, JSON_COMPACT | JSON_REAL_PRECISION (6));
    json_decref (figures);
    return text;
}

static void
s_expect (const s_script_t *self, const char *at, const char *fragment)
{
    char *text = s_figures (self, at);
    if (!strstr (text, fragment))
        fail_msg ("at %s: \"%s\" not in %s", at, fragment, text);
    free (text);
}

static void
test_nobody_waiting (void **state)
{
    (void) state;
    s_script_t *s = cf_testscript_new ();
    s_registered (s, "2022-01-03T09:00", "C000001", CASEFLOW__V1__CHANNEL__CHANNEL_WEB, "");
    s_triaged (s, "2022-01-03T09:00", "C000001", false, S_STATUS (WAITING));
    s_status (s, "2022-01-04T09:00", "C000001", S_STATUS (ASSIGNED), "w01");
    cf_testscript_available (s, CF_FOLD_ASSIGNMENT, true);
    cf_testscript_available (s, CF_FOLD_NOTIFICATION, true);
    //  Nobody waits: the median and the 90th percentile are unknown, not 0.
    s_expect (s, "2022-01-05", "\"waiting\":0,\"wait_days_median\":null,\"wait_days_p90\":null");
    //  Every channel listed, zeros included, in CLI.md's order.
    s_expect (s, "2022-01-05",
              "\"registrations_total\":1,\"registrations_by_channel\":{\"phone\":0,\"walk-in\":0,"
              "\"web\":1,\"partner\":0,\"municipality\":0,\"handover\":0}");
    //  Nothing picked up, nothing decided, no gateway: null, and the
    //  gateway is not counted as left out.
    s_expect (s, "2022-01-05", "\"urgent_pickup_hours_median\":null");
    s_expect (s, "2022-01-05", "\"callbacks_due\":0,\"callbacks_on_time_pct\":null");
    s_expect (s, "2022-01-05", "\"decisions_pending\":null");
    s_expect (s, "2022-01-05", "\"calls_offered\":null");
    s_expect (s, "2022-01-05", "\"streams_left_out\":[]");
    //  A case without a location is counted under none.
    s_expect (s, "2022-01-05", "\"caseload_by_location\":{\"none\":1}");
    //  Before the case was registered.
    s_expect (s, "2022-01-03T08:59", "\"registrations_total\":0,");
    cf_testscript_destroy (&s);
}

static void
test_wait_percentiles (void **state)
{
    (void) state;
    s_script_t *s = cf_testscript_new ();
    //  Ten cases first triaged 1 .. 10 days before 2022-01-21 00:00.
    static const char *s_ids [] = { "C000001", "C000002", "C000003", "C000004", "C000005",
                                    "C000006", "C000007", "C000008", "C000009", "C000010" };
    static const char *s_days [] = { "2022-01-20", "2022-01-19", "2022-01-18", "2022-01-17",
                                     "2022-01-16", "2022-01-15", "2022-01-14", "2022-01-13",
                                     "2022-01-12", "2022-01-11" };
    for (int i = 0; i < 10; i++)
        s_waiting (s, s_days [i], s_ids [i]);
    //  Nearest rank: the 5th of 10 values is the median, the 9th the 90th
    //  percentile (never an average of two).
    s_expect (s, "2022-01-21", "\"waiting\":10,\"wait_days_median\":5,\"wait_days_p90\":9,");
    //  The case waiting 10 days got a worker and came back to the list:
    //  it keeps its first triage (assignment orders the list by it).
    s_status (s, "2022-01-19T12:00", "C000010", S_STATUS (ASSIGNED), "w01");
    s_status (s, "2022-01-20T12:00", "C000010", S_STATUS (WAITING), "");
    s_triaged (s, "2022-01-20T12:00", "C000010", false, S_STATUS (WAITING));
    s_expect (s, "2022-01-21", "\"wait_days_median\":5,\"wait_days_p90\":9,");
    //  Fractional days, rounded to 0.1: 11 values, rank 6 and rank 10.
    s_waiting (s, "2022-01-20T16:48", "C000011");
    s_expect (s, "2022-01-21", "\"waiting\":11,\"wait_days_median\":5,\"wait_days_p90\":9,");
    s_expect (s, "2022-01-21T02:24", "\"wait_days_median\":5.1,\"wait_days_p90\":9.1,");
    cf_testscript_destroy (&s);
}

static void
test_urgent_pickup (void **state)
{
    (void) state;
    s_script_t *s = cf_testscript_new ();
    s_joined (s, "2022-01-03T08:00", "w01", 1000);
    //  Urgent at 09:00, assigned at 11:30: picked up after 2.5 hours.
    s_registered (s, "2022-01-03T09:00", "C000001", CASEFLOW__V1__CHANNEL__CHANNEL_PHONE, "");
    s_triaged (s, "2022-01-03T09:00", "C000001", true, S_STATUS (URGENT));
    s_assigned (s, "2022-01-03T11:30", "C000001", "w01");
    s_status (s, "2022-01-03T11:30", "C000001", S_STATUS (ASSIGNED), "w01");
    //  Assigned first as a regular case, urgent later without a worker:
    //  the pickup counts from the urgent triage, by the next CaseAssigned.
    s_waiting (s, "2022-01-03T09:00", "C000002");
    s_assigned (s, "2022-01-03T10:00", "C000002", "w01");
    s_status (s, "2022-01-03T10:00", "C000002", S_STATUS (ASSIGNED), "w01");
    s_status (s, "2022-01-04T09:00", "C000002", S_STATUS (WAITING), "");
    s_triaged (s, "2022-01-04T09:00", "C000002", true, S_STATUS (URGENT));
    //  Urgent, never picked up.
    s_registered (s, "2022-01-04T09:00", "C000003", CASEFLOW__V1__CHANNEL__CHANNEL_PHONE, "");
    s_triaged (s, "2022-01-04T09:00", "C000003", true, S_STATUS (URGENT));
    s_expect (s, "2022-01-05", "\"urgent_total\":3,\"urgent_pickup_hours_median\":2.5,");
    s_expect (s, "2022-01-05", "\"urgent_waiting\":2,\"urgent_picked_up\":1,");
    s_assigned (s, "2022-01-05T15:00", "C000002", "w01");
    s_status (s, "2022-01-05T15:00", "C000002", S_STATUS (ASSIGNED), "w01");
    //  Two pickups, 2.5 h and 30 h: the nearest-rank median is the first.
    s_expect (s, "2022-01-06", "\"urgent_pickup_hours_median\":2.5,");
    s_expect (s, "2022-01-06", "\"urgent_waiting\":1,\"urgent_picked_up\":2,");
    cf_testscript_destroy (&s);
}

static void
test_callbacks_window (void **state)
{
    (void) state;
    s_script_t *s = cf_testscript_new ();
    for (int i = 0; i < 7; i++) {
        static const char *s_ids [] = { "C000001", "C000002", "C000003", "C000004",
                                        "C000005", "C000006", "C000007" };
        s_waiting (s, "2022-01-03T09:00", s_ids [i]);
    }
    cf_testscript_available (s, CF_FOLD_ASSIGNMENT, true);
    //  Due on Monday 17 January, on time until Wednesday 19 January.
    const char *due = "2022-01-17T08:00", *by = "2022-01-19T08:00";
    s_due (s, due, "R1", "C000001", by);  //  answered on time
    s_answered (s, "2022-01-18T10:00", "R1", "2022-01-18T10:00", true);
    s_due (s, due, "R2", "C000002", by);  //  answered late
    s_answered (s, "2022-01-20T10:00", "R2", "2022-01-20T10:00", false);
    s_due (s, due, "R3", "C000003", by);  //  unanswered while waiting: late
    s_due (s, due, "R4", "C000004", by);  //  no longer needed: a worker first
    s_status (s, "2022-01-18T09:00", "C000004", S_STATUS (ASSIGNED), "w01");
    s_due (s, due, "R5", "C000005", NULL);  //  before answer_by was recorded
    s_due (s, "2022-01-20T08:00", "R6", "C000006", "2022-01-24T08:00");  //  open
    s_due (s, "2022-01-20T08:00", "R6", "C000006", "2022-01-24T08:00");  //  once only
    //  The call was made by the report's moment but recorded after it.
    s_due (s, due, "R7", "C000007", by);
    s_answered (s, "2022-01-21T12:00", "R7", "2022-01-18T16:00", true);
    //  At the 18th, 12:00: R1 on time; R7's call not yet made; the rest open.
    s_expect (s, "2022-01-18T12:00", "\"callbacks_due\":6,\"callbacks_on_time_pct\":100,");
    s_expect (s, "2022-01-18T12:00",
              "\"callbacks_on_time\":1,\"callbacks_late\":0,\"callbacks_open\":4,");
    //  At the 21st: R1 and R7 on time, R2 and R3 late (R4 not needed, R5
    //  undecided, R6 open): 50%.
    s_expect (s, "2022-01-21", "\"callbacks_due\":7,\"callbacks_on_time_pct\":50,");
    s_expect (s, "2022-01-21",
              "\"callbacks_on_time\":2,\"callbacks_late\":2,\"callbacks_open\":1,");
    //  Notification's stream left out: its figures unknown, and named.
    cf_testscript_available (s, CF_FOLD_NOTIFICATION, false);
    s_expect (s, "2022-01-21", "\"callbacks_due\":null,\"callbacks_on_time_pct\":null,");
    s_expect (s, "2022-01-21", "\"streams_left_out\":[\"notification\"]");
    cf_testscript_destroy (&s);
}

static void
test_roster_and_left_out (void **state)
{
    (void) state;
    s_script_t *s = cf_testscript_new ();
    s_location (s, "2022-01-03T07:00", "L-west");
    s_location (s, "2022-01-03T07:00", "L-noord");
    s_joined (s, "2022-01-03T08:00", "w01", 1000);
    s_joined (s, "2022-01-03T08:00", "w02", 800);
    s_joined (s, "2022-01-03T08:00", "w03", 600);
    s_absent (s, "2022-01-10T08:00", "w03");
    s_waiting (s, "2022-01-03T09:00", "C000001");
    s_status (s, "2022-01-04T09:00", "C000001", S_STATUS (ACTIVE), "w02");
    cf_testscript_available (s, CF_FOLD_NOTIFICATION, true);
    s_expect (s, "2022-01-05", "\"workers_active\":3,\"workers_absent\":0,\"fte_active\":2.4,");
    s_expect (s, "2022-01-11", "\"workers_active\":2,\"workers_absent\":1,\"fte_active\":1.8,");
    //  Every location added listed, zeros included, in key order.
    s_expect (s, "2022-01-11", "\"caseload_by_location\":{\"L-noord\":1,\"L-west\":0}");
    s_expect (s, "2022-01-11", "\"caseload_by_worker\":{\"w01\":0,\"w02\":1,\"w03\":0}");
    //  Assignment's stream left out: its figures unknown, and named.
    cf_testscript_available (s, CF_FOLD_ASSIGNMENT, false);
    s_expect (s, "2022-01-11",
              "\"workers_active\":null,\"workers_absent\":null,\"fte_active\":null,");
    s_expect (s, "2022-01-11", "\"streams_left_out\":[\"assignment\"]");
    //  Without intake's stream there is no report.
    cf_testscript_available (s, CF_FOLD_INTAKE, false);
    assert_null (cf_report_figures (cf_testscript_streams (s), cf_testscript_time ("2022-01-11")));
    cf_testscript_destroy (&s);
}

static void
test_by_area_and_age_band (void **state)
{
    (void) state;
    s_script_t *s = cf_testscript_new ();
    static char *s_noord [] = { "L-noord", NULL }, *s_both [] = { "L-noord", "L-oost", NULL },
                         *s_school [] = { "S-school", NULL };
    s_location (s, "2022-01-03T07:00", "L-west");
    s_location (s, "2022-01-03T07:00", "L-oost");
    s_location (s, "2022-01-03T07:00", "L-noord");
    s_registered (s, "2022-01-03T09:00", "C000001", CASEFLOW__V1__CHANNEL__CHANNEL_PHONE, "");
    s_resident (s, s_noord, CASEFLOW__V1__AGE_BAND__AGE_BAND_18_26);
    s_triaged (s, "2022-01-03T09:00", "C000001", false, S_STATUS (WAITING));
    //  A district two locations serve: counted under each.
    s_registered (s, "2022-01-03T10:00", "C000002", CASEFLOW__V1__CHANNEL__CHANNEL_PHONE, "");
    s_resident (s, s_both, CASEFLOW__V1__AGE_BAND__AGE_BAND_67_PLUS);
    s_triaged (s, "2022-01-03T10:00", "C000002", false, S_STATUS (WAITING));
    s_status (s, "2022-01-04T10:00", "C000002", S_STATUS (ASSIGNED), "w01");
    //  No district, no birth date: none and unknown.
    s_registered (s, "2022-01-03T11:00", "C000003", CASEFLOW__V1__CHANNEL__CHANNEL_WEB, "");
    s_triaged (s, "2022-01-03T11:00", "C000003", false, S_STATUS (WAITING));
    //  An area no LocationAdded named (assignment's stream is behind):
    //  listed all the same, in key order.
    s_registered (s, "2022-01-03T12:00", "C000004", CASEFLOW__V1__CHANNEL__CHANNEL_WEB, "");
    s_resident (s, s_school, CASEFLOW__V1__AGE_BAND__AGE_BAND_0_17);
    cf_testscript_available (s, CF_FOLD_NOTIFICATION, true);
    //  At the start: every area and band listed at zero.
    s_expect (s, "2022-01-03T08:00",
              "\"registrations_by_area\":{\"L-noord\":0,\"L-oost\":0,\"L-west\":0,"
              "\"none\":0},\"registrations_by_age_band\":{\"0-17\":0,\"18-26\":0,"
              "\"27-66\":0,\"67+\":0,\"unknown\":0},\"waiting_by_area\":{\"L-noord\":0,");
    s_expect (s, "2022-01-05",
              "\"registrations_by_area\":{\"L-noord\":2,\"L-oost\":1,\"L-west\":0,"
              "\"S-school\":1,\"none\":1},\"registrations_by_age_band\":{\"0-17\":1,"
              "\"18-26\":1,\"27-66\":0,\"67+\":1,\"unknown\":1}");
    //  C000002 has a worker, C000004 is not triaged yet: two wait.
    s_expect (s, "2022-01-05",
              "\"waiting_by_area\":{\"L-noord\":1,\"L-oost\":0,\"L-west\":0,"
              "\"S-school\":0,\"none\":1},\"waiting_by_age_band\":{\"0-17\":0,"
              "\"18-26\":1,\"27-66\":0,\"67+\":0,\"unknown\":1}}");
    //  The new figures come after every key CLI.md and docs/report.md name.
    s_expect (s, "2022-01-05", "\"streams_left_out\":[],\"registrations_by_area\":");
    cf_testscript_destroy (&s);
}

//  The same figures from whole streams as from streams cut at `at`: the
//  library counts the events up to `at` itself.
static void
test_events_after_at_change_nothing (void **state)
{
    (void) state;
    s_script_t *cut = cf_testscript_new (), *whole = cf_testscript_new ();
    s_script_t *both [2] = { cut, whole };
    for (int i = 0; i < 2; i++) {
        s_script_t *s = both [i];
        s_joined (s, "2022-01-03T08:00", "w01", 1000);
        s_waiting (s, "2022-01-03T09:00", "C000001");
        s_due (s, "2022-01-05T08:00", "R1", "C000001", "2022-01-07T08:00");
        cf_testscript_available (s, CF_FOLD_GATEWAY, true);
        if (s == cut)
            continue;
        //  After the moment: another case, a pickup, a worker leaving.
        s_waiting (s, "2022-01-06T09:00", "C000002");
        s_status (s, "2022-01-06T10:00", "C000001", S_STATUS (ASSIGNED), "w01");
        s_assigned (s, "2022-01-06T10:00", "C000001", "w01");
        s_absent (s, "2022-01-06T10:00", "w01");
    }
    char *a = s_figures (cut, "2022-01-06"), *b = s_figures (whole, "2022-01-06");
    assert_string_equal (a, b);
    assert_non_null (strstr (a, "\"waiting\":1,\"wait_days_median\":2.6,"));
    assert_non_null (strstr (a, "\"callbacks_open\":1,"));
    free (a);
    free (b);
    cf_testscript_destroy (&cut);
    cf_testscript_destroy (&whole);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_nobody_waiting),
        cmocka_unit_test (test_wait_percentiles),
        cmocka_unit_test (test_urgent_pickup),
        cmocka_unit_test (test_callbacks_window),
        cmocka_unit_test (test_roster_and_left_out),
        cmocka_unit_test (test_by_area_and_age_band),
        cmocka_unit_test (test_events_after_at_change_nothing),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
