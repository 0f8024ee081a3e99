//  test_lifecycle: intake's case transition table, cell by cell (every
//  legal move lands where the rules say, every illegal one is refused with
//  the one message naming the case's status), and the same table asked
//  through the commands and the reactions to assignment's facts.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_error.h"
#include "cf_test.h"
#include "intake_harness.h"
#include "intake_lifecycle.h"
#include "cf_words.h"

#include <stdio.h>
#include <string.h>

#define R CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED
#define W CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING
#define U CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT
#define A CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED
#define X CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ACTIVE
#define C CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED
#define N 0  //  refused

static const int s_statuses [] = { R, W, U, A, X, C };
#define S_STATUS_COUNT 6

//  The rules, written out on their own: where each action takes a case in
//  each status (registered, waiting, urgent, assigned, active, closed).
static const int s_expected [INTAKE_ACTION_COUNT][S_STATUS_COUNT] = {
    //                          R  W  U  A  X  C
    [INTAKE_TRIAGE_REGULAR] = { W, W, W, A, X, N },
    [INTAKE_TRIAGE_URGENT] = { U, U, U, A, X, N },
    [INTAKE_RECORD_CALLBACK] = { N, W, U, N, N, N },
    [INTAKE_NO_LONGER_NEEDED] = { N, C, C, N, N, N },
    [INTAKE_JOIN_TRACK] = { N, W, N, N, N, N },
    [INTAKE_ADVISE] = { C, C, C, C, C, N },
    [INTAKE_WITHDRAW] = { C, C, C, C, C, N },
    [INTAKE_CLOSE] = { C, C, C, C, C, N },
    [INTAKE_ASSIGNED] = { A, A, A, A, A, N },
    [INTAKE_STARTED] = { N, N, N, X, X, N },
    [INTAKE_UNASSIGNED_REGULAR] = { N, N, N, W, W, N },
    [INTAKE_UNASSIGNED_URGENT] = { N, N, N, U, U, N },
    [INTAKE_COMPLETED] = { C, C, C, C, C, N },
};

static const char *
s_status_word (int status)
{
    return cf_words_name (&cf_words_case_status, status);
}

static void
test_every_cell (void **state)
{
    (void) state;
    for (int action = 0; action < INTAKE_ACTION_COUNT; action++)
        for (size_t i = 0; i < S_STATUS_COUNT; i++) {
            Caseflow__V1__CaseStatus from = s_statuses [i], to = 0;
            int rc = intake_lifecycle_next (from, (intake_action_t) action, &to);
            Caseflow__V1__Reply reply;
            cf_api_reply_init (&reply, "t");
            int checked = intake_lifecycle_check ("C000007", from, (intake_action_t) action, NULL,
                                                  &reply, "command.intake.x.case_id");
            if (s_expected [action][i] == N) {
                if (rc != CF_ESTATE || checked != CF_ESTATE)
                    fail_msg ("%s from %s: expected refused",
                              intake_action_name ((intake_action_t) action),
                              cf_words_name (&cf_words_case_status, from));
                char allowed [160], want [256];
                cf_test_allowed_from (s_expected [action], s_statuses, S_STATUS_COUNT,
                                      s_status_word, allowed, sizeof allowed);
                snprintf (want, sizeof want, "case C000007 is %s; %s needs it %s",
                          cf_words_name (&cf_words_case_status, from),
                          intake_action_name ((intake_action_t) action), allowed);
                assert_int_equal (cf_api_reply_code (&reply),
                                  CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION);
                assert_string_equal (reply.status->message, want);
                assert_string_equal (reply.status->field, "command.intake.x.case_id");
            } else {
                if (rc != 0 || (int) to != s_expected [action][i] || checked != 0)
                    fail_msg ("%s from %s: expected %s",
                              intake_action_name ((intake_action_t) action),
                              cf_words_name (&cf_words_case_status, from),
                              cf_words_name (&cf_words_case_status,
                                             (Caseflow__V1__CaseStatus) s_expected [action][i]));
                assert_int_equal (cf_api_reply_code (&reply), CASEFLOW__V1__STATUS__CODE__OK);
            }
            cf_api_reply_clear (&reply);
        }
    //  Nothing moves a case that does not exist, nor a closed one.
    assert_int_equal (intake_lifecycle_next (0, INTAKE_CLOSE, NULL), CF_ESTATE);
    assert_int_equal (intake_lifecycle_next ((Caseflow__V1__CaseStatus) 99, INTAKE_CLOSE, NULL),
                      CF_ESTATE);
}

static void
test_helpers (void **state)
{
    (void) state;
    assert_int_equal (intake_lifecycle_triage_action (CASEFLOW__V1__URGENCY__URGENCY_URGENT),
                      INTAKE_TRIAGE_URGENT);
    assert_int_equal (intake_lifecycle_triage_action (CASEFLOW__V1__URGENCY__URGENCY_REGULAR),
                      INTAKE_TRIAGE_REGULAR);
    assert_int_equal (intake_lifecycle_unassigned_action (CASEFLOW__V1__URGENCY__URGENCY_URGENT),
                      INTAKE_UNASSIGNED_URGENT);
    assert_int_equal (
        intake_lifecycle_unassigned_action (CASEFLOW__V1__URGENCY__URGENCY_UNSPECIFIED),
        INTAKE_UNASSIGNED_REGULAR);
    assert_true (intake_lifecycle_is_open (R));
    assert_true (intake_lifecycle_is_open (X));
    assert_false (intake_lifecycle_is_open (C));
    assert_false (intake_lifecycle_is_open (CASEFLOW__V1__CASE_STATUS__CASE_STATUS_UNSPECIFIED));
    char refusal [256];
    assert_string_equal (
        intake_lifecycle_refusal ("C000001", C, INTAKE_TRIAGE_URGENT, refusal, sizeof refusal),
        "case C000001 is closed; triage needs it registered, waiting, urgent, "
        "assigned or active");
    assert_string_equal (intake_action_name (INTAKE_UNASSIGNED_URGENT), "unassigned");
    assert_string_equal (intake_action_name (INTAKE_ACTION_COUNT), "unknown");
}

//  The commands ask the table: a callback for an assigned case and a
//  track for an urgent one are refused with the table's words, and emit
//  nothing.
static void
test_commands_refused_with_the_tables_words (void **state)
{
    (void) state;
    harness_t *h = harness_new ();
    char id [24];
    harness_new_case (h, "Anna de Vries", CASEFLOW__V1__URGENCY__URGENCY_URGENT, id);
    assert_int_equal (harness_create_track (h, "T1", "Course", "loc", 10, "2022-02-01"), 0);
    assert_int_equal (harness_join_track (h, id, "T1"),
                      CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION);
    char want [256];
    snprintf (want, sizeof want, "case %s is urgent; join_track needs it waiting", id);
    assert_string_equal (harness_message (h), want);
    assert_string_equal (harness_field (h), "command.intake.join_track.case_id");
    harness_assigned (h, 1, id, "w1");
    assert_int_equal (
        harness_callback (h, id, CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED,
                          ""),
        CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION);
    snprintf (want, sizeof want, "case %s is assigned; record_callback needs it waiting or urgent",
              id);
    assert_string_equal (harness_message (h), want);
    assert_int_equal (harness_emitted (h), 0);
    harness_assert_replay (h);
    harness_destroy (&h);
}

//  Assignment's facts ask the table too: a move it does not list changes
//  nothing, the ones it lists land where it says.
static void
test_reactions_follow_the_table (void **state)
{
    (void) state;
    harness_t *h = harness_new ();
    char id [24];
    harness_new_case (h, "Bram Jansen", CASEFLOW__V1__URGENCY__URGENCY_URGENT, id);
    harness_started (h, 1, id, "w1");  //  not assigned yet: ignored
    assert_int_equal (harness_emitted (h), 0);
    assert_int_equal (harness_status (h, id), U);
    harness_unassigned (h, 2, id, "w1");  //  has no worker: ignored
    assert_int_equal (harness_emitted (h), 0);
    harness_assigned (h, 3, id, "w1");
    assert_int_equal (harness_status (h, id), A);
    harness_started (h, 4, id, "w1");
    assert_int_equal (harness_status (h, id), X);
    harness_unassigned (h, 5, id, "w1");  //  urgent: back to urgent
    assert_int_equal (harness_status (h, id), U);
    harness_completed (h, 6, id, "w1");
    assert_int_equal (harness_status (h, id), C);
    harness_assert_replay (h);
    harness_destroy (&h);
}

//  An own event that does not fit the state was decided wrongly: apply
//  asserts. An upstream event of one of intake's own types is not for
//  intake.
static void
s_apply_triaged (void *ctx)
{
    Caseflow__V1__Intake__CaseTriaged body = CASEFLOW__V1__INTAKE__CASE_TRIAGED__INIT;
    body.case_id = "C000099";
    body.urgency = CASEFLOW__V1__URGENCY__URGENCY_URGENT;
    body.status = U;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.stream = INTAKE_STREAM;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED;
    event.case_triaged = &body;
    intake_state_apply (ctx, &event);
}

static void
test_apply_asserts_what_does_not_fit (void **state)
{
    (void) state;
    harness_t *h = harness_new ();
    assert_true (cf_test_aborts (s_apply_triaged, harness_state (h)));
    //  The same shape from an upstream stream is not intake's own.
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = "Someone Else";
    Caseflow__V1__Intake__CaseRegistered body = CASEFLOW__V1__INTAKE__CASE_REGISTERED__INIT;
    body.case_id = "C000001";
    body.resident = &resident;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.stream = "handover";
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED;
    event.case_registered = &body;
    assert_int_equal (intake_state_apply (harness_state (h), &event), 1);
    assert_int_equal (intake_state_case_count (harness_state (h)), 0);
    harness_destroy (&h);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_every_cell),
        cmocka_unit_test (test_helpers),
        cmocka_unit_test (test_commands_refused_with_the_tables_words),
        cmocka_unit_test (test_reactions_follow_the_table),
        cmocka_unit_test (test_apply_asserts_what_does_not_fit),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
