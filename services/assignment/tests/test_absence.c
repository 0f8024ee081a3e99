//  test_absence: the assignment policy when workers are away: short and
//  long absences, absences in the future and their end date, urgent cases
//  nobody can take meanwhile, and leaving (assignment_policy.h), through
//  the harness. Every test ends by replaying its journal into a fresh
//  state and comparing digests.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "assignment_harness.h"

#include <stdio.h>
#include <string.h>

#define DAY     INT64_C (86400000000)
#define URGENT  ASSIGNMENT_URGENT
#define REGULAR ASSIGNMENT_REGULAR

//  -------------------------------------------------------------- absence

//  w1 holds urgent U1 and regular R1, R2; w2 and w3 can take over.
static void
s_absence_setup (ah_t *h)
{
    ah_locations (h);
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L1", AH_D (DEBT), 3), 0);
    ah_case (h, "R1", AH_D (DEBT), "L1", REGULAR);
    h->now += 1000;
    ah_case (h, "R2", AH_D (DEBT), "L1", REGULAR);
    h->now += 1000;
    ah_case (h, "U1", AH_D (DEBT), "L1", URGENT);
    assert_string_equal (ah_worker_of (h, "U1"), "w1");
    h->now += 1000;
    ah_case (h, "R3", AH_D (DEBT), "L1", REGULAR);  //  waits: w1 is full
    assert_int_equal (ah_add_worker (h, "w2", 1000, "L1", AH_D (DEBT), 1), 0);
    assert_string_equal (ah_worker_of (h, "R3"), "w2");
    assert_int_equal (ah_add_worker (h, "w3", 1000, "L1", AH_D (DEBT), 1), 0);
}

static void
test_absence_short (void **state)
{
    ah_t *h = *state;
    s_absence_setup (h);
    //  Ten days: short. The urgent case moves at once, the others wait.
    assert_int_equal (ah_absent (h, "w1", 0, h->now + 10 * DAY), 0);
    const Caseflow__V1__Event *started =
        ah_step_event (h, CASEFLOW__V1__EVENT__BODY_WORKER_ABSENCE_STARTED, 0);
    assert_non_null (started);
    assert_false (started->worker_absence_started->long_absence);
    const Caseflow__V1__Assignment__CaseAssigned *assigned = ah_step_assigned (h, 0);
    assert_non_null (assigned);
    assert_string_equal (assigned->case_id, "U1");
    assert_string_equal (assigned->worker_id, "w3");
    assert_string_equal (assigned->previous_worker, "w1");
    assert_int_equal (assigned->trigger, ASSIGNMENT_TRIGGER_ABSENCE);
    assert_non_null (strstr (assigned->reason, "absence of w1"));
    assert_null (ah_step_assigned (h, 1));
    assert_null (ah_step_event (h, CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED, 0));
    assert_string_equal (ah_worker_of (h, "R1"), "w1");
    assert_string_equal (ah_worker_of (h, "R2"), "w1");
    assert_true (h->state->workers [0]->absent);
    //  R1 becomes urgent while w1 is away: it cannot wait for the return.
    ah_triage (h, "R1", URGENT);
    assigned = ah_step_assigned (h, 0);
    assert_non_null (assigned);
    assert_string_equal (assigned->case_id, "R1");
    assert_string_equal (assigned->worker_id, "w2");  //  all full: 100% each, by id
    assert_true (assigned->over_limit);
    assert_int_equal (assigned->trigger, ASSIGNMENT_TRIGGER_ABSENCE);
    assert_string_equal (assigned->previous_worker, "w1");
    //  Nothing new goes to an absent worker, not even manually.
    assert_int_equal (ah_assign (h, "R3", "w1", "try"),
                      CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION);
    //  The end date passes: back by itself.
    ah_clock (h, h->now + 10 * DAY);
    const Caseflow__V1__Event *returned =
        ah_step_event (h, CASEFLOW__V1__EVENT__BODY_WORKER_RETURNED, 0);
    assert_non_null (returned);
    assert_true (returned->worker_returned->planned_end);
    assert_false (h->state->workers [0]->absent);
    assert_int_equal (assignment_next_wake (h->state), INT64_MAX);
}

static void
test_absence_long (void **state)
{
    ah_t *h = *state;
    s_absence_setup (h);
    //  No end date: long. U1 is reassigned; R1 and R2 go back to the list
    //  at their original places, ahead of the later R4.
    h->now += 1000;
    ah_case (h, "R4", AH_D (YOUTH), "L1", REGULAR);  //  nobody can take it
    assert_int_equal (ah_position (h, "R4"), 1);
    assert_int_equal (ah_absent (h, "w1", 0, 0), 0);
    assert_true (ah_step_event (h, CASEFLOW__V1__EVENT__BODY_WORKER_ABSENCE_STARTED, 0)
                     ->worker_absence_started->long_absence);
    assert_string_equal (ah_worker_of (h, "U1"), "w3");
    const Caseflow__V1__Event *unassigned =
        ah_step_event (h, CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED, 0);
    assert_non_null (unassigned);
    assert_string_equal (unassigned->case_unassigned->case_id, "R1");
    assert_string_equal (unassigned->case_unassigned->worker_id, "w1");
    assert_int_equal (unassigned->case_unassigned->trigger, ASSIGNMENT_TRIGGER_ABSENCE);
    assert_int_equal (ah_position (h, "R1"), 1);
    assert_int_equal (ah_position (h, "R2"), 2);
    assert_int_equal (ah_position (h, "R4"), 3);
    assert_int_equal (ah_case_get (h, "R1")->status, ASSIGNMENT_ST_WAITING);
    //  Capacity frees at w2: R1, the head, is taken.
    assert_int_equal (ah_start (h, "R3"), 0);
    assert_int_equal (ah_complete (h, "R3", "done"), 0);
    assert_string_equal (ah_worker_of (h, "R1"), "w2");
    //  w1 returns: R2, still waiting, goes back to them (continuity).
    assert_int_equal (ah_returned (h, "w1"), 0);
    assert_string_equal (ah_worker_of (h, "R2"), "w1");
    assert_int_equal (ah_last_assigned (h, "R2")->rule, ASSIGNMENT_RULE_CONTINUITY);
    assert_non_null (strstr (ah_last_assigned (h, "R2")->reason, "before an absence"));
    assert_null (ah_worker_of (h, "R4"));
}

static void
test_absence_long_by_length (void **state)
{
    ah_t *h = *state;
    s_absence_setup (h);
    //  Fifteen days is longer than the configured fourteen.
    assert_int_equal (ah_absent (h, "w1", 0, h->now + 15 * DAY), 0);
    assert_null (ah_worker_of (h, "R1"));
    assert_null (ah_worker_of (h, "R2"));
    //  The absence is extended while it runs: still long, nothing to redo.
    assert_int_equal (ah_absent (h, "w1", h->now, h->now + 30 * DAY), 0);
    assert_null (ah_step_assigned (h, 0));
    assert_null (ah_step_event (h, CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED, 0));
}

static void
test_absence_in_the_future (void **state)
{
    ah_t *h = *state;
    s_absence_setup (h);
    int64_t from = h->now + 3 * DAY;
    assert_int_equal (ah_absent (h, "w1", from, 0), 0);
    //  Planned only: nothing moves yet, and the worker still takes cases.
    assert_int_equal (ah_step_count (h), 1);
    assert_false (h->state->workers [0]->absent);
    assert_int_equal (assignment_next_wake (h->state), from);
    ah_clock (h, from - 1);
    assert_int_equal (ah_step_count (h), 0);
    ah_clock (h, from);
    assert_non_null (ah_step_event (h, CASEFLOW__V1__EVENT__BODY_WORKER_ABSENCE_STARTED, 0));
    assert_true (h->state->workers [0]->absent);
    assert_string_equal (ah_worker_of (h, "U1"), "w3");
    assert_null (ah_worker_of (h, "R1"));
    //  A later clock move does nothing more.
    ah_clock (h, from + DAY);
    assert_int_equal (ah_step_count (h), 0);
    //  A planned absence can be cancelled by a return before it starts.
    assert_int_equal (ah_absent (h, "w2", h->now + DAY, 0), 0);
    assert_int_equal (ah_returned (h, "w2"), 0);
    ah_clock (h, h->now + 2 * DAY);
    assert_false (h->state->workers [1]->absent);
}

static void
test_absence_urgent_nobody_escalates (void **state)
{
    ah_t *h = *state;
    ah_locations (h);
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L1", AH_D (DEBT), 0), 0);
    ah_case (h, "U1", AH_D (DEBT), "L1", URGENT);
    assert_int_equal (ah_absent (h, "w1", 0, h->now + 2 * DAY), 0);
    const Caseflow__V1__Event *unassigned =
        ah_step_event (h, CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED, 0);
    const Caseflow__V1__Event *escalated =
        ah_step_event (h, CASEFLOW__V1__EVENT__BODY_ASSIGNMENT_ESCALATED, 0);
    assert_non_null (unassigned);
    assert_non_null (escalated);
    assert_string_equal (escalated->assignment_escalated->previous_worker, "w1");
    assert_int_equal (escalated->assignment_escalated->trigger, ASSIGNMENT_TRIGGER_ABSENCE);
    assert_int_equal (ah_position (h, "U1"), 1);
    //  The worker comes back: continuity returns the case to them.
    ah_clock (h, h->now + 2 * DAY);
    assert_string_equal (ah_worker_of (h, "U1"), "w1");
}

static void
test_leave_reassigns_all (void **state)
{
    ah_t *h = *state;
    s_absence_setup (h);
    assert_int_equal (ah_left (h, "w1"), 0);
    assert_non_null (ah_step_event (h, CASEFLOW__V1__EVENT__BODY_WORKER_LEFT, 0));
    //  Urgent first and at once; then the regular ones through the list,
    //  where nobody has room: they wait in their original order.
    assert_string_equal (ah_worker_of (h, "U1"), "w3");
    assert_int_equal (ah_last_assigned (h, "U1")->trigger, ASSIGNMENT_TRIGGER_LEAVE);
    assert_int_equal (ah_position (h, "R1"), 1);
    assert_int_equal (ah_position (h, "R2"), 2);
    assert_int_equal (h->state->workers [0]->n_cases, 0);
    assert_true (h->state->workers [0]->left);
    //  A worker who left is never chosen again, not even for continuity.
    ah_register (h, "C9", AH_D (DEBT), "L1", NULL, "w1");
    ah_triage (h, "C9", URGENT);
    assert_string_not_equal (ah_worker_of (h, "C9"), "w1");
    assert_int_equal (ah_left (h, "w1"), CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_absence_short, ah_setup, ah_teardown),
        cmocka_unit_test_setup_teardown (test_absence_long, ah_setup, ah_teardown),
        cmocka_unit_test_setup_teardown (test_absence_long_by_length, ah_setup, ah_teardown),
        cmocka_unit_test_setup_teardown (test_absence_in_the_future, ah_setup, ah_teardown),
        cmocka_unit_test_setup_teardown (test_absence_urgent_nobody_escalates, ah_setup,
                                         ah_teardown),
        cmocka_unit_test_setup_teardown (test_leave_reassigns_all, ah_setup, ah_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
