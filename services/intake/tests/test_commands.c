//  test_commands: triage, record callback, group tracks, advise, withdraw
//  and close; their validation errors; and every command against every
//  case status (the illegal moves refused with FAILED_PRECONDITION naming
//  the current status).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "cf_id.h"
#include "cf_words.h"
#include "intake_harness.h"
#include "intake_lifecycle.h"
#include "intake_personal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OK          CASEFLOW__V1__STATUS__CODE__OK
#define BAD         CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
#define MISSING     CASEFLOW__V1__STATUS__CODE__NOT_FOUND
#define CONFLICT    CASEFLOW__V1__STATUS__CODE__CONFLICT
#define PRECOND     CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION
#define NONE        CASEFLOW__V1__URGENCY__URGENCY_UNSPECIFIED
#define REGULAR     CASEFLOW__V1__URGENCY__URGENCY_REGULAR
#define URGENT      CASEFLOW__V1__URGENCY__URGENCY_URGENT
#define REGISTERED  CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED
#define WAITING     CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING
#define URGENT_S    CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT
#define ASSIGNED    CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED
#define ACTIVE      CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ACTIVE
#define CLOSED      CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED
#define REACHED     CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED
#define NOT_REACHED CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_NOT_REACHED
#define CHANGED     CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_CHANGED
#define NO_LONGER   CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_NO_LONGER_NEEDED

static int
s_setup (void **state)
{
    *state = harness_new ();
    return 0;
}

static int
s_teardown (void **state)
{
    harness_t *h = *state;
    harness_assert_replay (h);
    harness_destroy (&h);
    return 0;
}

static const Caseflow__V1__Intake__CaseView *
s_view (harness_t *h)
{
    const Caseflow__V1__Intake__CommandResult *result = harness_result (h);
    assert_int_equal (result->body_case, CASEFLOW__V1__INTAKE__COMMAND_RESULT__BODY_CASE);
    return result->case_;
}

static void
s_expect (harness_t *h, Caseflow__V1__Status__Code got, Caseflow__V1__Status__Code code,
          const char *field, const char *in_message)
{
    if (got != code)
        fail_msg ("expected status %d, got %d (%s: %s)", code, got, harness_field (h),
                  harness_message (h));
    if (field)
        assert_string_equal (harness_field (h), field);
    if (in_message && !strstr (harness_message (h), in_message))
        fail_msg ("message \"%s\" does not mention \"%s\"", harness_message (h), in_message);
    if (code != OK)
        assert_int_equal (harness_emitted (h), 0);
}

//  A case in `status`, through the real decisions and assignment's events.
static uint64_t s_assignment_seq;

static void
s_case_in (harness_t *h, Caseflow__V1__CaseStatus status, const char *name, char id [24])
{
    harness_new_case (h, name,
                      status == URGENT_S     ? URGENT
                      : status == REGISTERED ? NONE
                                             : REGULAR,
                      id);
    if (status == ASSIGNED || status == ACTIVE)
        harness_assigned (h, ++s_assignment_seq, id, "w1");
    if (status == ACTIVE)
        harness_started (h, ++s_assignment_seq, id, "w1");
    if (status == CLOSED)
        assert_int_equal (harness_close (h, id, "duplicate entry"), OK);
    assert_int_equal (harness_status (h, id), status);
}

static void
test_triage_moves (void **state)
{
    harness_t *h = *state;
    char id [24];
    harness_new_case (h, "Anna de Vries", NONE, id);
    s_expect (h, harness_triage (h, id, REGULAR, "can wait"), OK, NULL, NULL);
    const Caseflow__V1__Event *event = harness_event (h, 0);
    assert_string_equal (event->case_triaged->reason, "");
    assert_string_equal (harness_text (h, event->case_triaged->personal, INTAKE_FIELD_TRIAGED),
                         "can wait");
    assert_int_equal (event->case_triaged->previous, NONE);
    assert_int_equal (event->case_triaged->status, WAITING);
    assert_int_equal (s_view (h)->status, WAITING);
    int64_t first = harness_now (h);
    harness_set_now (h, first + 3600000000LL);
    s_expect (h, harness_triage (h, id, URGENT, "lost her job"), OK, NULL, NULL);
    assert_int_equal (harness_event (h, 0)->case_triaged->previous, REGULAR);
    assert_int_equal (s_view (h)->status, URGENT_S);
    assert_int_equal (s_view (h)->triaged_at, first);
    assert_int_equal (s_view (h)->last_triaged_at, first + 3600000000LL);
    s_expect (h, harness_triage (h, id, REGULAR, "found work"), OK, NULL, NULL);
    assert_int_equal (s_view (h)->status, WAITING);
    //  The same urgency again records the new reason.
    s_expect (h, harness_triage (h, id, REGULAR, "checked again"), OK, NULL, NULL);
    assert_int_equal (s_view (h)->status, WAITING);
    //  The reply carries no personal text (it is stored); the case has it.
    assert_string_equal (s_view (h)->triage_reason, "");
    assert_string_equal (harness_view (h, id)->triage_reason, "checked again");
}

static void
test_triage_keeps_assigned_status (void **state)
{
    harness_t *h = *state;
    char id [24];
    s_case_in (h, ASSIGNED, "Anna de Vries", id);
    s_expect (h, harness_triage (h, id, URGENT, "worse"), OK, NULL, NULL);
    assert_int_equal (harness_event (h, 0)->case_triaged->status, ASSIGNED);
    assert_int_equal (s_view (h)->status, ASSIGNED);
    assert_int_equal (s_view (h)->urgency, URGENT);
    assert_string_equal (s_view (h)->worker_id, "w1");
}

static void
test_triage_errors (void **state)
{
    harness_t *h = *state;
    char id [24];
    harness_new_case (h, "Anna de Vries", NONE, id);
    const char *p = "command.intake.triage.";
    char field [96];
    snprintf (field, sizeof field, "%scase_id", p);
    s_expect (h, harness_triage (h, "", REGULAR, "x"), BAD, field, NULL);
    //  A well-formed id intake never issued is not found, like at any service.
    s_expect (h, harness_triage (h, "C42", REGULAR, "x"), MISSING, field, "no case C42");
    s_expect (h, harness_triage (h, "C 42", REGULAR, "x"), BAD, field,
              "case_id is not an id: " CF_ID_RULE);
    s_expect (h, harness_triage (h, "C000099", REGULAR, "x"), MISSING, field, "C000099");
    snprintf (field, sizeof field, "%surgency", p);
    s_expect (h, harness_triage (h, id, NONE, "x"), BAD, field, NULL);
    s_expect (h, harness_triage (h, id, (Caseflow__V1__Urgency) 9, "x"), BAD, field, NULL);
    snprintf (field, sizeof field, "%sreason", p);
    s_expect (h, harness_triage (h, id, REGULAR, ""), BAD, field, NULL);
    s_expect (h, harness_triage (h, id, REGULAR, "  "), BAD, field, NULL);
}

static void
test_callbacks (void **state)
{
    harness_t *h = *state;
    char id [24];
    harness_new_case (h, "Anna de Vries", REGULAR, id);
    s_expect (h, harness_callback (h, id, NOT_REACHED, ""), OK, NULL, NULL);
    assert_int_equal (harness_event (h, 0)->callback_recorded->consecutive_unanswered, 1);
    //  No note: nothing sealed.
    assert_null (harness_event (h, 0)->callback_recorded->personal);
    s_expect (h, harness_callback (h, id, NOT_REACHED, "voicemail"), OK, NULL, NULL);
    assert_string_equal (harness_event (h, 0)->callback_recorded->note, "");
    assert_string_equal (
        harness_text (h, harness_event (h, 0)->callback_recorded->personal, INTAKE_FIELD_CALLBACK),
        "voicemail");
    assert_int_equal (s_view (h)->consecutive_unanswered, 2);
    s_expect (h, harness_callback (h, id, REACHED, "still waiting, fine"), OK, NULL, NULL);
    assert_int_equal (s_view (h)->consecutive_unanswered, 0);
    assert_int_equal (s_view (h)->n_callbacks, 3);
    assert_int_equal (s_view (h)->callbacks [2]->outcome, REACHED);
    assert_string_equal (s_view (h)->callbacks [2]->note, "");
    assert_string_equal (harness_view (h, s_view (h)->case_id)->callbacks [2]->note,
                         "still waiting, fine");
    //  Changed: a re-triage is expected, the status waits for it.
    s_expect (h, harness_callback (h, id, CHANGED, "lost her job"), OK, NULL, NULL);
    assert_int_equal (s_view (h)->status, WAITING);
    assert_true (s_view (h)->awaiting_retriage);
    s_expect (h, harness_triage (h, id, URGENT, "lost her job"), OK, NULL, NULL);
    assert_false (s_view (h)->awaiting_retriage);
    assert_int_equal (s_view (h)->status, URGENT_S);
    //  An urgent case not yet assigned is still phoned.
    s_expect (h, harness_callback (h, id, NOT_REACHED, ""), OK, NULL, NULL);
    //  No longer needed: the callback, then the closure.
    s_expect (h, harness_callback (h, id, NO_LONGER, "found help elsewhere"), OK, NULL, NULL);
    assert_int_equal (harness_emitted (h), 2);
    assert_int_equal (harness_event (h, 0)->body_case, CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED);
    assert_int_equal (harness_event (h, 0)->callback_recorded->consecutive_unanswered, 0);
    const Caseflow__V1__Event *closed = harness_event (h, 1);
    assert_int_equal (closed->body_case, CASEFLOW__V1__EVENT__BODY_CASE_CLOSED);
    assert_int_equal (closed->case_closed->closure,
                      CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_NO_LONGER_NEEDED);
    assert_int_equal (s_view (h)->status, CLOSED);
    assert_int_equal (s_view (h)->closed_at, harness_now (h));
}

static void
test_callback_reminder_and_due_time (void **state)
{
    harness_t *h = *state;
    char id [24];
    harness_new_case (h, "Anna de Vries", REGULAR, id);
    Caseflow__V1__Intake__RecordCallback body = CASEFLOW__V1__INTAKE__RECORD_CALLBACK__INIT;
    body.case_id = id;
    body.outcome = REACHED;
    body.reminder_id = "01HREMINDER";
    body.due_at = harness_now (h) - 60000000;
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_RECORD_CALLBACK;
    command.record_callback = &body;
    s_expect (h, harness_command (h, &command), OK, NULL, NULL);
    assert_string_equal (s_view (h)->callbacks [0]->reminder_id, "01HREMINDER");
    assert_int_equal (s_view (h)->callbacks [0]->due_at, body.due_at);
    assert_int_equal (s_view (h)->callbacks [0]->recorded_at, harness_now (h));
    body.reminder_id = "not an id!";
    s_expect (h, harness_command (h, &command), BAD, "command.intake.record_callback.reminder_id",
              NULL);
    body.reminder_id = "";
    body.due_at = -1;
    s_expect (h, harness_command (h, &command), BAD, "command.intake.record_callback.due_at", NULL);
}

static void
test_callback_errors (void **state)
{
    harness_t *h = *state;
    char id [24];
    harness_new_case (h, "Anna de Vries", REGULAR, id);
    s_expect (h, harness_callback (h, "", REACHED, ""), BAD,
              "command.intake.record_callback.case_id", NULL);
    s_expect (h, harness_callback (h, "C000002", REACHED, ""), MISSING,
              "command.intake.record_callback.case_id", NULL);
    s_expect (h,
              harness_callback (
                  h, id, CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_UNSPECIFIED, ""),
              BAD, "command.intake.record_callback.outcome", NULL);
    s_expect (h, harness_callback (h, id, (Caseflow__V1__Intake__CallbackOutcome) 5, ""), BAD,
              "command.intake.record_callback.outcome", NULL);
    s_expect (h, harness_callback (h, id, REACHED, "bell\a"), BAD,
              "command.intake.record_callback.note", NULL);
}

static void
test_tracks (void **state)
{
    harness_t *h = *state;
    s_expect (h, harness_create_track (h, "T1", "Budget course", "wijkhuis-west", 2, "2022-02-01"),
              OK, NULL, NULL);
    const Caseflow__V1__Intake__CommandResult *result = harness_result (h);
    assert_int_equal (result->body_case, CASEFLOW__V1__INTAKE__COMMAND_RESULT__BODY_TRACK);
    assert_string_equal (result->track->track_id, "T1");
    assert_int_equal (result->track->capacity, 2);
    assert_int_equal (harness_event (h, 0)->body_case, CASEFLOW__V1__EVENT__BODY_TRACK_CREATED);
    s_expect (h, harness_create_track (h, "T1", "Again", "wijkhuis-west", 2, "2022-02-01"),
              CONFLICT, "command.intake.create_track.track_id", NULL);

    char a [24], b [24], c [24];
    harness_new_case (h, "Anna de Vries", REGULAR, a);
    harness_new_case (h, "Bram Jansen", REGULAR, b);
    harness_new_case (h, "Cor Smits", REGULAR, c);
    s_expect (h, harness_join_track (h, a, "T1"), OK, NULL, NULL);
    //  Joining keeps the case on the waiting list.
    assert_int_equal (s_view (h)->status, WAITING);
    assert_int_equal (s_view (h)->n_tracks, 1);
    assert_string_equal (s_view (h)->tracks [0], "T1");
    s_expect (h, harness_join_track (h, a, "T1"), CONFLICT, "command.intake.join_track.track_id",
              NULL);
    s_expect (h, harness_join_track (h, b, "T1"), OK, NULL, NULL);
    s_expect (h, harness_join_track (h, c, "T1"), PRECOND, "command.intake.join_track.track_id",
              "full");
    s_expect (h, harness_join_track (h, c, "T9"), MISSING, "command.intake.join_track.track_id",
              NULL);
    s_expect (h, harness_join_track (h, "C000099", "T1"), MISSING,
              "command.intake.join_track.case_id", NULL);
    s_expect (h, harness_join_track (h, c, ""), BAD, "command.intake.join_track.track_id", NULL);
    const intake_track_t *track = intake_state_track (harness_state (h), "T1");
    assert_int_equal (track->case_count, 2);
    assert_string_equal (track->case_ids [1], b);

    //  Tracks are kept in id order.
    s_expect (h, harness_create_track (h, "A0", "Parenting", "school-1", 10, "2022-03-01"), OK,
              NULL, NULL);
    assert_string_equal (intake_state_track_at (harness_state (h), 0)->id, "A0");
}

static void
test_track_errors (void **state)
{
    harness_t *h = *state;
    const char *p = "command.intake.create_track.";
    char field [96];
    snprintf (field, sizeof field, "%strack_id", p);
    s_expect (h, harness_create_track (h, "", "n", "loc", 1, "2022-02-01"), BAD, field, NULL);
    s_expect (h, harness_create_track (h, "T 1", "n", "loc", 1, "2022-02-01"), BAD, field, NULL);
    snprintf (field, sizeof field, "%sname", p);
    s_expect (h, harness_create_track (h, "T1", "", "loc", 1, "2022-02-01"), BAD, field, NULL);
    snprintf (field, sizeof field, "%slocation", p);
    s_expect (h, harness_create_track (h, "T1", "n", "", 1, "2022-02-01"), BAD, field, NULL);
    snprintf (field, sizeof field, "%scapacity", p);
    s_expect (h, harness_create_track (h, "T1", "n", "loc", 0, "2022-02-01"), BAD, field, NULL);
    s_expect (h, harness_create_track (h, "T1", "n", "loc", 10001, "2022-02-01"), BAD, field, NULL);
    snprintf (field, sizeof field, "%sstarts_on", p);
    s_expect (h, harness_create_track (h, "T1", "n", "loc", 1, ""), BAD, field, NULL);
    s_expect (h, harness_create_track (h, "T1", "n", "loc", 1, "2022-02-30"), BAD, field, NULL);
    assert_int_equal (intake_state_track_count (harness_state (h)), 0);
}

static void
test_closures (void **state)
{
    harness_t *h = *state;
    char a [24], b [24], c [24];
    harness_new_case (h, "Anna de Vries", NONE, a);
    s_expect (h, harness_advise (h, a, "referred to the food bank"), OK, NULL, NULL);
    assert_int_equal (harness_event (h, 0)->case_closed->closure,
                      CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_ADVISED);
    assert_string_equal (harness_event (h, 0)->case_closed->reason, "");
    assert_string_equal (
        harness_text (h, harness_event (h, 0)->case_closed->personal, INTAKE_FIELD_CLOSED),
        "referred to the food bank");
    assert_int_equal (s_view (h)->status, CLOSED);
    assert_string_equal (harness_view (h, a)->close_reason, "referred to the food bank");
    s_case_in (h, ACTIVE, "Bram Jansen", b);
    s_expect (h, harness_withdraw (h, b, "moved to Eindhoven"), OK, NULL, NULL);
    assert_int_equal (harness_event (h, 0)->case_closed->closure,
                      CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_WITHDRAWN);
    assert_string_equal (
        harness_text (h, harness_event (h, 0)->case_closed->personal, INTAKE_FIELD_CLOSED),
        "moved to Eindhoven");
    assert_string_equal (harness_view (h, b)->close_reason, "moved to Eindhoven");
    s_case_in (h, URGENT_S, "Cor Smits", c);
    s_expect (h, harness_close (h, c, "registered twice"), OK, NULL, NULL);
    assert_int_equal (harness_event (h, 0)->case_closed->closure,
                      CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_CLOSED);
    //  A closed case is no resident's open case any more.
    assert_null (intake_state_open_case (harness_state (h),
                                         intake_state_case (harness_state (h), c)->subject->id));

    char d [24];
    harness_new_case (h, "Dirk Bos", REGULAR, d);
    s_expect (h, harness_advise (h, d, ""), BAD, "command.intake.advise.note", NULL);
    s_expect (h, harness_withdraw (h, d, ""), BAD, "command.intake.withdraw.reason", NULL);
    s_expect (h, harness_close (h, d, " "), BAD, "command.intake.close.reason", NULL);
    s_expect (h, harness_close (h, "", "x"), BAD, "command.intake.close.case_id", NULL);
    s_expect (h, harness_close (h, "C000099", "x"), MISSING, "command.intake.close.case_id", NULL);
}

//  Every command against a case in every status.
typedef enum {
    S_TRIAGE,
    S_CALLBACK,
    S_JOIN,
    S_ADVISE,
    S_WITHDRAW,
    S_CLOSE,
    S_COMMANDS
} s_command_t;

static Caseflow__V1__Status__Code
s_run (harness_t *h, s_command_t command, const char *id)
{
    switch (command) {
        case S_TRIAGE: return harness_triage (h, id, REGULAR, "again");
        case S_CALLBACK: return harness_callback (h, id, REACHED, "");
        case S_JOIN: return harness_join_track (h, id, "T1");
        case S_ADVISE: return harness_advise (h, id, "advice");
        case S_WITHDRAW: return harness_withdraw (h, id, "withdrawn");
        default: return harness_close (h, id, "closed");
    }
}

static void
test_every_command_in_every_status (void **state)
{
    harness_t *h = *state;
    assert_int_equal (harness_create_track (h, "T1", "Course", "loc", 1000, "2022-02-01"), OK);
    const Caseflow__V1__CaseStatus statuses [] = { REGISTERED, WAITING, URGENT_S,
                                                   ASSIGNED,   ACTIVE,  CLOSED };
    //  1: allowed; 0: FAILED_PRECONDITION naming the status.
    static const int allowed [7][S_COMMANDS] = {
        //                triage callback join advise withdraw close
        [REGISTERED] = { 1, 0, 0, 1, 1, 1 }, [WAITING] = { 1, 1, 1, 1, 1, 1 },
        [URGENT_S] = { 1, 1, 0, 1, 1, 1 },   [ASSIGNED] = { 1, 0, 0, 1, 1, 1 },
        [ACTIVE] = { 1, 0, 0, 1, 1, 1 },     [CLOSED] = { 0, 0, 0, 0, 0, 0 },
    };
    int n = 0;
    for (size_t s = 0; s < sizeof statuses / sizeof statuses [0]; s++)
        for (int command = 0; command < S_COMMANDS; command++) {
            char name [32], id [24];
            snprintf (name, sizeof name, "Resident %d", n++);
            Caseflow__V1__CaseStatus status = statuses [s];
            s_case_in (h, status, name, id);
            Caseflow__V1__Status__Code code = s_run (h, (s_command_t) command, id);
            Caseflow__V1__Status__Code want = allowed [status][command] ? OK : PRECOND;
            if (code != want)
                fail_msg ("command %d on a %s case: expected %d, got %d (%s)", command,
                          cf_words_name (&cf_words_case_status, status), want, code,
                          harness_message (h));
            if (want == PRECOND) {
                assert_non_null (
                    strstr (harness_message (h), cf_words_name (&cf_words_case_status, status)));
                assert_non_null (strstr (harness_field (h), "case_id"));
                assert_int_equal (harness_emitted (h), 0);
                assert_int_equal (harness_status (h, id), status);
            }
        }
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_triage_moves, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_triage_keeps_assigned_status, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_triage_errors, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_callbacks, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_callback_reminder_and_due_time, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_callback_errors, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_tracks, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_track_errors, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_closures, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_every_command_in_every_status, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
