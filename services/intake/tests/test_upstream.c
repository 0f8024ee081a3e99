//  test_upstream: intake's reactions to the handover and assignment
//  streams. A completed handover that continues becomes a case exactly
//  once (or joins the resident's open case); assignment's facts move the
//  case's status; events for unknown or closed cases and moves the
//  lifecycle does not allow are ignored without error.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "intake_harness.h"
#include "intake_personal.h"

#include <string.h>

#define OK         CASEFLOW__V1__STATUS__CODE__OK
#define NONE       CASEFLOW__V1__URGENCY__URGENCY_UNSPECIFIED
#define REGULAR    CASEFLOW__V1__URGENCY__URGENCY_REGULAR
#define URGENT     CASEFLOW__V1__URGENCY__URGENCY_URGENT
#define CONTINUE   CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE
#define REGISTERED CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED
#define WAITING    CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING
#define URGENT_S   CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT
#define ASSIGNED   CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED
#define ACTIVE     CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ACTIVE
#define CLOSED     CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED

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

static void
test_handover_becomes_a_case_once (void **state)
{
    harness_t *h = *state;
    harness_handover (h, 1, "H000001", CONTINUE, "Eva Mulder", "", REGULAR, "w7");
    assert_int_equal (harness_emitted (h), 2);
    const Caseflow__V1__Event *registered = harness_event (h, 0);
    assert_int_equal (registered->body_case, CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED);
    const Caseflow__V1__Intake__CaseRegistered *body = registered->case_registered;
    assert_string_equal (body->case_id, "C000001");
    assert_int_equal (body->channel, CASEFLOW__V1__CHANNEL__CHANNEL_HANDOVER);
    assert_string_equal (body->handover_id, "H000001");
    assert_string_equal (body->provider_id, "P01");
    assert_string_equal (body->referred_by, "P01");
    assert_string_equal (body->preferred_worker, "w7");
    const Caseflow__V1__Personal *personal =
        harness_open (h, body->personal, INTAKE_FIELD_REGISTERED);
    assert_string_equal (personal->text, "family support twice a week");
    assert_string_equal (personal->resident->name, "Eva Mulder");
    assert_null (body->resident);
    assert_int_equal (body->n_domains, 2);
    //  The decision's causation is the runtime's business; the body is ours.
    const Caseflow__V1__Event *triaged = harness_event (h, 1);
    assert_int_equal (triaged->body_case, CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED);
    assert_int_equal (triaged->case_triaged->urgency, REGULAR);
    assert_string_equal (harness_text (h, triaged->case_triaged->personal, INTAKE_FIELD_TRIAGED),
                         "handover");
    assert_int_equal (harness_status (h, "C000001"), WAITING);
    assert_true (intake_state_handover_seen (harness_state (h), "H000001"));

    //  The same handover again (a producer that completed it twice): nothing.
    harness_handover (h, 2, "H000001", CONTINUE, "Eva Mulder", "", REGULAR, "w7");
    assert_int_equal (harness_emitted (h), 0);
    assert_int_equal (intake_state_case_count (harness_state (h)), 1);

    //  An urgent handover is urgent at once; one without urgency waits.
    harness_handover (h, 3, "H000002", CONTINUE, "Frits Bakker", "", URGENT, "");
    assert_int_equal (harness_status (h, "C000002"), URGENT_S);
    harness_handover (h, 4, "H000003", CONTINUE, "Gerda Kok", "", NONE, "");
    assert_int_equal (harness_status (h, "C000003"), WAITING);
    assert_int_equal (intake_state_case (harness_state (h), "C000003")->urgency, REGULAR);
}

static void
test_handover_other_next_steps (void **state)
{
    harness_t *h = *state;
    harness_handover (h, 1, "H000001", CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_STAY,
                      "Eva Mulder", "", REGULAR, "");
    assert_int_equal (harness_emitted (h), 0);
    harness_handover (h, 2, "H000002", CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_END,
                      "Eva Mulder", "", REGULAR, "");
    harness_handover (h, 3, "H000003", CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_REFER,
                      "Eva Mulder", "", REGULAR, "");
    harness_handover (h, 4, "H000004", CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_UNSPECIFIED,
                      "Eva Mulder", "", REGULAR, "");
    //  Malformed completions are ignored too.
    harness_handover (h, 5, "", CONTINUE, "Eva Mulder", "", REGULAR, "");
    harness_handover (h, 6, "H000006", CONTINUE, "", "", REGULAR, "");
    assert_int_equal (harness_emitted (h), 0);
    assert_int_equal (intake_state_case_count (harness_state (h)), 0);
}

static void
test_handover_without_domains_or_resident (void **state)
{
    harness_t *h = *state;
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = "Hans Visser";
    Caseflow__V1__Domain unknown [] = { (Caseflow__V1__Domain) 77 };
    Caseflow__V1__Handover__HandoverCompleted body =
        CASEFLOW__V1__HANDOVER__HANDOVER_COMPLETED__INIT;
    body.handover_id = "H000009";
    body.next_step = CONTINUE;
    body.resident = &resident;
    body.domains = unknown;
    body.n_domains = 1;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED;
    event.handover_completed = &body;
    harness_upstream (h, "handover", 1, &event);
    assert_int_equal (harness_emitted (h), 2);
    assert_int_equal (harness_event (h, 0)->case_registered->n_domains, 1);
    assert_int_equal (harness_event (h, 0)->case_registered->domains [0],
                      CASEFLOW__V1__DOMAIN__DOMAIN_OTHER);
    //  No resident at all: ignored.
    body.handover_id = "H000010";
    body.resident = NULL;
    harness_upstream (h, "handover", 2, &event);
    assert_int_equal (harness_emitted (h), 0);
}

static void
test_handover_joins_open_case (void **state)
{
    harness_t *h = *state;
    harness_reg_t args = {
        .channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE,
        .name = "Eva Mulder",
        .bsn = "111222333",
        .domains = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT },
        .n_domains = 1,
        .urgency = REGULAR,
        .reason = "waits",
    };
    char id [24];
    assert_int_equal (harness_register (h, &args, id), OK);
    harness_handover (h, 1, "H000001", CONTINUE, "Eva Mulder-de Boer", "111222333", URGENT, "w7");
    assert_int_equal (harness_emitted (h), 2);
    const Caseflow__V1__Event *added = harness_event (h, 0);
    assert_int_equal (added->body_case, CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED);
    assert_string_equal (added->question_added->case_id, id);
    assert_string_equal (added->question_added->handover_id, "H000001");
    assert_int_equal (added->question_added->channel, CASEFLOW__V1__CHANNEL__CHANNEL_HANDOVER);
    const Caseflow__V1__Personal *personal =
        harness_open (h, added->question_added->personal, INTAKE_FIELD_QUESTION);
    assert_string_equal (personal->text, "family support twice a week");
    assert_string_equal (personal->resident->name, "Eva Mulder-de Boer");
    //  An urgent handover escalates the waiting case.
    assert_int_equal (harness_event (h, 1)->case_triaged->urgency, URGENT);
    const intake_case_t *kase = intake_state_case (harness_state (h), id);
    assert_int_equal (kase->status, URGENT_S);
    assert_string_equal (kase->preferred_worker, "w7");
    assert_int_equal (kase->question_count, 1);
    assert_true (intake_state_handover_seen (harness_state (h), "H000001"));
    harness_handover (h, 2, "H000001", CONTINUE, "Eva Mulder", "111222333", URGENT, "w7");
    assert_int_equal (harness_emitted (h), 0);
    assert_int_equal (kase->question_count, 1);
}

static void
test_assignment_moves_status (void **state)
{
    harness_t *h = *state;
    char id [24];
    harness_new_case (h, "Anna de Vries", REGULAR, id);
    harness_assigned (h, 1, id, "w1");
    assert_int_equal (harness_emitted (h), 1);
    const Caseflow__V1__Intake__CaseStatusChanged *changed =
        harness_event (h, 0)->case_status_changed;
    assert_int_equal (changed->status, ASSIGNED);
    assert_int_equal (changed->previous, WAITING);
    assert_string_equal (changed->worker_id, "w1");
    assert_string_equal (harness_event (h, 0)->case_id, id);
    harness_started (h, 2, id, "w1");
    assert_int_equal (harness_event (h, 0)->case_status_changed->status, ACTIVE);
    assert_int_equal (harness_status (h, id), ACTIVE);
    //  The worker falls ill: back to the waiting list, without a worker.
    harness_unassigned (h, 3, id, "w1");
    assert_int_equal (harness_event (h, 0)->case_status_changed->status, WAITING);
    assert_int_equal (harness_event (h, 0)->case_status_changed->previous, ACTIVE);
    assert_string_equal (intake_state_case (harness_state (h), id)->worker_id, "");
    harness_assigned (h, 4, id, "w2");
    assert_int_equal (harness_status (h, id), ASSIGNED);
    //  Reassigned to another worker: the status stays, the worker changes.
    harness_assigned (h, 5, id, "w3");
    assert_int_equal (harness_emitted (h), 1);
    assert_int_equal (harness_event (h, 0)->case_status_changed->previous, ASSIGNED);
    assert_string_equal (intake_state_case (harness_state (h), id)->worker_id, "w3");
    //  The same assignment again changes nothing.
    harness_assigned (h, 6, id, "w3");
    assert_int_equal (harness_emitted (h), 0);
    harness_started (h, 7, id, "");
    assert_string_equal (intake_state_case (harness_state (h), id)->worker_id, "w3");
    harness_completed (h, 8, id, "w3");
    assert_int_equal (harness_emitted (h), 1);
    const Caseflow__V1__Intake__CaseClosed *closed = harness_event (h, 0)->case_closed;
    assert_int_equal (closed->closure, CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_COMPLETED);
    assert_string_equal (closed->reason, "");
    assert_string_equal (harness_text (h, closed->personal, INTAKE_FIELD_CLOSED), "help completed");
    assert_string_equal (harness_view (h, id)->close_reason, "help completed");
    assert_int_equal (harness_status (h, id), CLOSED);
    //  The worker stays on record after closure.
    assert_string_equal (intake_state_case (harness_state (h), id)->worker_id, "w3");
}

static void
test_unassigned_urgent_case_stays_urgent (void **state)
{
    harness_t *h = *state;
    char id [24];
    harness_new_case (h, "Anna de Vries", URGENT, id);
    harness_assigned (h, 1, id, "w1");
    harness_unassigned (h, 2, id, "w1");
    assert_int_equal (harness_status (h, id), URGENT_S);
}

static void
test_ignored_assignment_events (void **state)
{
    harness_t *h = *state;
    char waiting [24], closed [24], registered [24];
    harness_new_case (h, "Anna de Vries", REGULAR, waiting);
    harness_new_case (h, "Bram Jansen", REGULAR, closed);
    assert_int_equal (harness_close (h, closed, "duplicate"), OK);
    harness_new_case (h, "Cor Smits", NONE, registered);
    char digest [65], after [65];
    harness_digest (h, digest);
    //  Unknown, malformed and closed cases.
    harness_assigned (h, 1, "C000099", "w1");
    assert_int_equal (harness_emitted (h), 0);
    harness_assigned (h, 2, "not-a-case", "w1");
    harness_assigned (h, 3, closed, "w1");
    harness_started (h, 4, closed, "w1");
    harness_unassigned (h, 5, closed, "w1");
    harness_completed (h, 6, closed, "w1");
    assert_int_equal (harness_emitted (h), 0);
    //  Moves the lifecycle does not allow: started while waiting, unassigned
    //  while not assigned.
    harness_started (h, 7, waiting, "w1");
    assert_int_equal (harness_emitted (h), 0);
    harness_unassigned (h, 8, waiting, "w1");
    assert_int_equal (harness_emitted (h), 0);
    harness_digest (h, after);
    assert_string_equal (digest, after);
    //  An operator may assign a case intake has not triaged.
    harness_assigned (h, 9, registered, "w1");
    assert_int_equal (harness_status (h, registered), ASSIGNED);
}

static void
test_other_upstream_events (void **state)
{
    harness_t *h = *state;
    Caseflow__V1__Assignment__WorkerJoined body = CASEFLOW__V1__ASSIGNMENT__WORKER_JOINED__INIT;
    body.worker_id = "w1";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_WORKER_JOINED;
    event.worker_joined = &body;
    assert_int_equal (intake_state_apply (harness_state (h), &event), 1);
    harness_upstream (h, "assignment", 1, &event);
    assert_int_equal (harness_emitted (h), 0);
    Caseflow__V1__Assignment__CaseAssigned assigned = CASEFLOW__V1__ASSIGNMENT__CASE_ASSIGNED__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED;
    event.case_assigned = &assigned;
    assert_int_equal (intake_state_apply (harness_state (h), &event), 0);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_handover_becomes_a_case_once, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_handover_other_next_steps, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_handover_without_domains_or_resident, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_handover_joins_open_case, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_assignment_moves_status, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_unassigned_urgent_case_stays_urgent, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_ignored_assignment_events, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_other_upstream_events, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
