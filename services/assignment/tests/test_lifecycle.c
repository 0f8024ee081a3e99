//  test_lifecycle: assignment's two transition tables, cell by cell (every
//  legal move lands where the rules say, every illegal one is refused with
//  the one message naming the current status or presence), and the
//  tables asked through the commands.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "assignment_harness.h"
#include "assignment_lifecycle.h"
#include "cf_api.h"
#include "cf_error.h"
#include "cf_test.h"
#include "cf_words.h"

#include <stdio.h>
#include <string.h>

#define PRECONDITION CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION
#define DAY          INT64_C (86400000000)

#define R ASSIGNMENT_ST_REGISTERED
#define W ASSIGNMENT_ST_WAITING
#define U ASSIGNMENT_ST_URGENT
#define A ASSIGNMENT_ST_ASSIGNED
#define X ASSIGNMENT_ST_ACTIVE
#define C ASSIGNMENT_ST_CLOSED
#define N 0  //  refused

//  The rules, written out on their own: where each action takes a case in
//  each status (registered, waiting, urgent, assigned, active, closed).
static const int s_statuses [] = { R, W, U, A, X, C };
static const int s_case_expected [ASSIGNMENT_CASE_ACTION_COUNT][6] = {
    //                              R  W  U  A  X  C
    [ASSIGNMENT_TRIAGE_REGULAR] = { W, W, W, A, X, N },
    [ASSIGNMENT_TRIAGE_URGENT] = { U, U, U, A, X, N },
    [ASSIGNMENT_ASSIGN] = { N, A, A, A, A, N },
    [ASSIGNMENT_UNASSIGN_REGULAR] = { N, N, N, W, W, N },
    [ASSIGNMENT_UNASSIGN_URGENT] = { N, N, N, U, U, N },
    [ASSIGNMENT_ESCALATE] = { N, N, U, N, N, N },
    [ASSIGNMENT_START] = { N, N, N, X, N, N },
    [ASSIGNMENT_COMPLETE] = { N, N, N, N, C, N },
    [ASSIGNMENT_CLOSE] = { C, C, C, C, C, N },
};

#define P  ASSIGNMENT_PRESENT
#define PL ASSIGNMENT_ABSENCE_PLANNED
#define AB ASSIGNMENT_ABSENT
#define L  ASSIGNMENT_LEFT

static const int s_presences [] = { P, PL, AB, L };
static const int s_worker_expected [ASSIGNMENT_WORKER_ACTION_COUNT][4] = {
    //                            P   PL  AB  L
    [ASSIGNMENT_CHANGE] = { P, PL, AB, N },       [ASSIGNMENT_PLAN_ABSENCE] = { PL, PL, N, N },
    [ASSIGNMENT_MARK_ABSENT] = { PL, PL, AB, N }, [ASSIGNMENT_START_ABSENCE] = { N, AB, AB, N },
    [ASSIGNMENT_RETURN] = { N, P, P, N },         [ASSIGNMENT_LEAVE] = { L, L, L, N },
    [ASSIGNMENT_TAKE_CASE] = { P, PL, N, N },
};

static const char *
s_status_word (int status)
{
    return cf_words_name (&cf_words_case_status, status);
}

static const char *
s_presence_word (int presence)
{
    return assignment_presence_name ((assignment_presence_t) presence);
}

static void
test_case_table (void **state)
{
    (void) state;
    assignment_case_t kase = { .id = "C000007" };
    for (int action = 0; action < ASSIGNMENT_CASE_ACTION_COUNT; action++)
        for (size_t i = 0; i < 6; i++) {
            Caseflow__V1__CaseStatus to = 0;
            int rc = assignment_lifecycle_case_next ((Caseflow__V1__CaseStatus) s_statuses [i],
                                                     (assignment_case_action_t) action, &to);
            kase.status = (Caseflow__V1__CaseStatus) s_statuses [i];
            Caseflow__V1__Reply reply;
            cf_api_reply_init (&reply, "t");
            int checked = assignment_lifecycle_case_check (&kase, (assignment_case_action_t) action,
                                                           &reply, "f");
            const char *what = assignment_case_action_name ((assignment_case_action_t) action);
            if (s_case_expected [action][i] == N) {
                if (rc != CF_ESTATE || checked != CF_ESTATE)
                    fail_msg ("%s from %s: expected refused", what, s_status_word (s_statuses [i]));
                char allowed [160], want [256];
                cf_test_allowed_from (s_case_expected [action], s_statuses, 6, s_status_word,
                                      allowed, sizeof allowed);
                snprintf (want, sizeof want, "case C000007 is %s; %s needs it %s",
                          s_status_word (s_statuses [i]), what, allowed);
                assert_int_equal (cf_api_reply_code (&reply), PRECONDITION);
                assert_string_equal (reply.status->message, want);
            } else if (rc != 0 || (int) to != s_case_expected [action][i] || checked != 0)
                fail_msg ("%s from %s: expected %s", what, s_status_word (s_statuses [i]),
                          s_status_word (s_case_expected [action][i]));
            cf_api_reply_clear (&reply);
        }
    assert_int_equal (assignment_lifecycle_triage_action (ASSIGNMENT_URGENT),
                      ASSIGNMENT_TRIAGE_URGENT);
    assert_int_equal (assignment_lifecycle_unassign_action (ASSIGNMENT_REGULAR),
                      ASSIGNMENT_UNASSIGN_REGULAR);
}

static void
test_presence_table (void **state)
{
    (void) state;
    assignment_worker_t worker = { .id = "w3" };
    for (int action = 0; action < ASSIGNMENT_WORKER_ACTION_COUNT; action++)
        for (size_t i = 0; i < 4; i++) {
            assignment_presence_t to = 0;
            int rc = assignment_lifecycle_worker_next ((assignment_presence_t) s_presences [i],
                                                       (assignment_worker_action_t) action, &to);
            worker.left = s_presences [i] == L;
            worker.absent = s_presences [i] == AB;
            worker.absence_planned = s_presences [i] == PL;
            assert_int_equal (assignment_worker_presence (&worker), s_presences [i]);
            Caseflow__V1__Reply reply;
            cf_api_reply_init (&reply, "t");
            int checked = assignment_lifecycle_worker_check (
                &worker, (assignment_worker_action_t) action, &reply, "f");
            const char *what = assignment_worker_action_name ((assignment_worker_action_t) action);
            if (s_worker_expected [action][i] == N) {
                if (rc != CF_ESTATE || checked != CF_ESTATE)
                    fail_msg ("%s from %s: expected refused", what,
                              s_presence_word (s_presences [i]));
                char allowed [160], want [256];
                cf_test_allowed_from (s_worker_expected [action], s_presences, 4, s_presence_word,
                                      allowed, sizeof allowed);
                snprintf (want, sizeof want, "worker w3 is %s; %s needs it %s",
                          s_presence_word (s_presences [i]), what, allowed);
                assert_int_equal (cf_api_reply_code (&reply), PRECONDITION);
                assert_string_equal (reply.status->message, want);
            } else if (rc != 0 || (int) to != s_worker_expected [action][i] || checked != 0)
                fail_msg ("%s from %s: expected %s", what, s_presence_word (s_presences [i]),
                          s_presence_word (s_worker_expected [action][i]));
            //  The policy's quick test of presence agrees with the table.
            if (action == ASSIGNMENT_TAKE_CASE)
                assert_int_equal (assignment_present (&worker), rc == 0);
            cf_api_reply_clear (&reply);
        }
}

//  The commands ask the tables: each refusal is the table's, and the state
//  moves where the table says.
static void
test_commands_ask_the_tables (void **state)
{
    (void) state;
    ah_t *h = ah_new (NULL);
    assert_int_equal (ah_add_location (h, "L1", "North"), 0);
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L1", AH_D (DEBT), 0), 0);
    assert_int_equal (ah_add_worker (h, "w2", 1000, "L1", AH_D (DEBT), 0), 0);
    ah_register (h, "C1", AH_D (YOUTH), "L1", NULL, NULL);
    assert_int_equal (ah_start (h, "C1"), PRECONDITION);
    assert_string_equal (h->message, "case C1 is registered; start needs it assigned");
    assert_int_equal (ah_assign (h, "C1", "w1", "why"), PRECONDITION);
    assert_string_equal (
        h->message, "case C1 is registered; assign needs it waiting, urgent, assigned or active");
    ah_triage (h, "C1", ASSIGNMENT_REGULAR);
    assert_int_equal (ah_complete (h, "C1", "done"), PRECONDITION);
    assert_string_equal (h->message, "case C1 is waiting; complete needs it active");

    //  Presence: return from present, plan while absent, assign to the
    //  absent, anything of a worker who left.
    assert_int_equal (ah_returned (h, "w1"), PRECONDITION);
    assert_string_equal (h->message,
                         "worker w1 is present; return needs it absence-planned or absent");
    assert_int_equal (ah_absent (h, "w1", 0, 0), 0);
    assert_int_equal (ah_absent (h, "w1", h->now + DAY, 0), PRECONDITION);
    assert_string_equal (h->field, "command.assignment.mark_absent.from");
    assert_string_equal (h->message,
                         "worker w1 is absent; plan_absence needs it present or absence-planned");
    assert_int_equal (ah_assign (h, "C1", "w1", "why"), PRECONDITION);
    assert_string_equal (h->field, "command.assignment.assign.worker_id");
    assert_string_equal (h->message,
                         "worker w1 is absent; assign needs it present or absence-planned");
    assert_int_equal (ah_returned (h, "w1"), 0);
    assert_int_equal (ah_left (h, "w2"), 0);
    assert_int_equal (ah_change_worker (h, "w2", 500, 0), PRECONDITION);
    assert_string_equal (h->message,
                         "worker w2 is left; change needs it present, absence-planned or absent");
    assert_int_equal (ah_left (h, "w2"), PRECONDITION);

    //  A planned absence is called off by a return, before it starts.
    assert_int_equal (ah_absent (h, "w1", h->now + DAY, h->now + 3 * DAY), 0);
    assert_int_equal (assignment_worker_presence (assignment_state_worker (h->state, "w1")),
                      ASSIGNMENT_ABSENCE_PLANNED);
    assert_int_equal (ah_assign (h, "C1", "w1", "before the absence"), 0);
    assert_int_equal (ah_returned (h, "w1"), 0);
    assert_int_equal (assignment_worker_presence (assignment_state_worker (h->state, "w1")),
                      ASSIGNMENT_PRESENT);
    ah_assert_replay_equal (h);
    ah_destroy (&h);
}

//  An own event that does not fit the state was decided wrongly: apply
//  asserts (the decisions ask the same tables).
static void
s_apply_started (void *ctx)
{
    Caseflow__V1__Assignment__CaseStarted body = CASEFLOW__V1__ASSIGNMENT__CASE_STARTED__INIT;
    body.case_id = "C1";
    body.worker_id = "w1";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.stream = ASSIGNMENT_STREAM;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_STARTED;
    event.case_started = &body;
    assignment_state_apply (ctx, &event);
}

static void
s_apply_returned (void *ctx)
{
    Caseflow__V1__Assignment__WorkerReturned body = CASEFLOW__V1__ASSIGNMENT__WORKER_RETURNED__INIT;
    body.worker_id = "w1";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.stream = ASSIGNMENT_STREAM;
    event.body_case = CASEFLOW__V1__EVENT__BODY_WORKER_RETURNED;
    event.worker_returned = &body;
    assignment_state_apply (ctx, &event);
}

static void
test_apply_asserts_what_does_not_fit (void **state)
{
    (void) state;
    ah_t *h = ah_new (NULL);
    assert_int_equal (ah_add_location (h, "L1", "North"), 0);
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L1", AH_D (DEBT), 0), 0);
    ah_case (h, "C1", AH_D (YOUTH), "L1", ASSIGNMENT_REGULAR);  //  waits: nobody matches
    assert_true (cf_test_aborts (s_apply_started, h->state));   //  started while waiting
    assert_true (cf_test_aborts (s_apply_returned, h->state));  //  returned while present
    ah_destroy (&h);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_case_table),
        cmocka_unit_test (test_presence_table),
        cmocka_unit_test (test_commands_ask_the_tables),
        cmocka_unit_test (test_apply_asserts_what_does_not_fit),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
