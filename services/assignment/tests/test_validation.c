//  test_validation: every command's refusals (status code and field), and
//  that a refused command emits nothing (the harness asserts it).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "assignment_harness.h"
#include "cf_log.h"
#include "cf_api.h"

#include <string.h>

#define INVALID      CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
#define NOT_FOUND    CASEFLOW__V1__STATUS__CODE__NOT_FOUND
#define CONFLICT     CASEFLOW__V1__STATUS__CODE__CONFLICT
#define PRECONDITION CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION
#define DAY          INT64_C (86400000000)

static int
s_setup (void **state)
{
    ah_t *h = ah_new (NULL);
    assert_int_equal (ah_add_location (h, "L1", "North"), 0);
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L1", AH_D (DEBT), 0), 0);
    *state = h;
    return 0;
}

static int
s_teardown (void **state)
{
    ah_t *h = *state;
    ah_assert_replay_equal (h);
    ah_destroy (&h);
    return 0;
}

static void
s_expect (ah_t *h, int code, int expected, const char *field)
{
    assert_int_equal (code, expected);
    assert_string_equal (h->field, field);
    assert_true (strlen (h->message) > 0);
}

static void
test_add_location (void **state)
{
    ah_t *h = *state;
    s_expect (h, ah_add_location (h, "", NULL), INVALID,
              "command.assignment.add_location.location_id");
    s_expect (h, ah_add_location (h, "bad id", NULL), INVALID,
              "command.assignment.add_location.location_id");
    s_expect (h, ah_add_location (h, "L1", NULL), CONFLICT,
              "command.assignment.add_location.location_id");
    s_expect (h, ah_add_location (h, "L2", "North,North"), INVALID,
              "command.assignment.add_location.districts");
    Caseflow__V1__Assignment__AddLocation body = CASEFLOW__V1__ASSIGNMENT__ADD_LOCATION__INIT;
    body.location_id = "L3";
    body.name = "";
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_LOCATION;
    command.add_location = &body;
    s_expect (h, ah_command (h, &command), INVALID, "command.assignment.add_location.name");
    body.name = "School";
    body.kind = 9;
    s_expect (h, ah_command (h, &command), INVALID, "command.assignment.add_location.kind");
    body.kind = CASEFLOW__V1__ASSIGNMENT__LOCATION_KIND__LOCATION_KIND_SCHOOL;
    assert_int_equal (ah_command (h, &command), 0);
    assert_int_equal (assignment_state_location (h->state, "L3")->kind, body.kind);
    //  Unspecified means a neighbourhood location.
    assert_int_equal (ah_add_location (h, "L4", NULL), 0);
    assert_int_equal (assignment_state_location (h->state, "L4")->kind,
                      CASEFLOW__V1__ASSIGNMENT__LOCATION_KIND__LOCATION_KIND_NEIGHBOURHOOD);
}

static void
test_add_worker (void **state)
{
    ah_t *h = *state;
    const char *field = "command.assignment.add_worker.";
    char name [128];
#define FIELD(f) (snprintf (name, sizeof name, "%s%s", field, f), name)
    s_expect (h, ah_add_worker (h, "w1", 1000, "L1", AH_D (DEBT), 0), CONFLICT,
              FIELD ("worker_id"));
    s_expect (h, ah_add_worker (h, "w/2", 1000, "L1", AH_D (DEBT), 0), INVALID,
              FIELD ("worker_id"));
    s_expect (h, ah_add_worker (h, "w2", 99, "L1", AH_D (DEBT), 0), INVALID, FIELD ("fte_milli"));
    s_expect (h, ah_add_worker (h, "w2", 1001, "L1", AH_D (DEBT), 0), INVALID, FIELD ("fte_milli"));
    s_expect (h, ah_add_worker (h, "w2", 1000, "", AH_D (DEBT), 0), INVALID, FIELD ("locations"));
    s_expect (h, ah_add_worker (h, "w2", 1000, "L9", AH_D (DEBT), 0), NOT_FOUND,
              FIELD ("locations"));
    s_expect (h, ah_add_worker (h, "w2", 1000, "L1,L1", AH_D (DEBT), 0), INVALID,
              FIELD ("locations"));
    s_expect (h, ah_add_worker (h, "w2", 1000, "L1", 0, 0), INVALID, FIELD ("expertise"));
    s_expect (h, ah_add_worker (h, "w2", 1000, "L1", AH_D (DEBT), 1001), INVALID,
              FIELD ("max_caseload"));
    //  An unknown domain value (protobuf-c accepts any number).
    Caseflow__V1__Domain domains [] = { 42 };
    char *locations [] = { "L1" };
    Caseflow__V1__Assignment__AddWorker body = CASEFLOW__V1__ASSIGNMENT__ADD_WORKER__INIT;
    body.worker_id = "w2";
    body.name = "B. Worker";
    body.fte_milli = 500;
    body.locations = locations;
    body.n_locations = 1;
    body.expertise = domains;
    body.n_expertise = 1;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_WORKER;
    command.add_worker = &body;
    s_expect (h, ah_command (h, &command), INVALID, FIELD ("expertise"));
    domains [0] = CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH;
    body.name = "";
    s_expect (h, ah_command (h, &command), INVALID, FIELD ("name"));
    body.name = "B. Worker";
    assert_int_equal (ah_command (h, &command), 0);
    //  0.5 FTE x 20 per FTE.
    assert_int_equal (assignment_capacity (h->state, assignment_state_worker (h->state, "w2")), 10);
#undef FIELD
}

static void
test_change_worker (void **state)
{
    ah_t *h = *state;
    s_expect (h, ah_change_worker (h, "w9", 500, 0), NOT_FOUND,
              "command.assignment.change_worker.worker_id");
    s_expect (h, ah_change_worker (h, "w1", 0, 0), INVALID, "command.assignment.change_worker");
    s_expect (h, ah_change_worker (h, "w1", 50, 0), INVALID,
              "command.assignment.change_worker.fte_milli");
    Caseflow__V1__Assignment__ChangeWorker body = CASEFLOW__V1__ASSIGNMENT__CHANGE_WORKER__INIT;
    body.worker_id = "w1";
    body.max_caseload = 5;
    body.default_max_caseload = true;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_CHANGE_WORKER;
    command.change_worker = &body;
    s_expect (h, ah_command (h, &command), INVALID,
              "command.assignment.change_worker.default_max_caseload");
    //  Changing FTE keeps everything else.
    assert_int_equal (ah_change_worker (h, "w1", 600, 0), 0);
    assignment_worker_t *worker = assignment_state_worker (h->state, "w1");
    assert_int_equal (worker->fte_milli, 600);
    assert_int_equal (worker->n_locations, 1);
    assert_int_equal (worker->expertise_mask, AH_D (DEBT));
    assert_int_equal (assignment_capacity (h->state, worker), 12);
    assert_int_equal (ah_change_worker (h, "w1", 0, 3), 0);
    assert_int_equal (assignment_capacity (h->state, worker), 3);
    body.max_caseload = 0;
    assert_int_equal (ah_command (h, &command), 0);
    assert_int_equal (assignment_capacity (h->state, worker), 12);
    assert_int_equal (ah_left (h, "w1"), 0);
    s_expect (h, ah_change_worker (h, "w1", 500, 0), PRECONDITION,
              "command.assignment.change_worker.worker_id");
}

static void
test_absence_commands (void **state)
{
    ah_t *h = *state;
    s_expect (h, ah_absent (h, "w9", 0, 0), NOT_FOUND, "command.assignment.mark_absent.worker_id");
    s_expect (h, ah_absent (h, "w1", -5, 0), INVALID, "command.assignment.mark_absent.from");
    s_expect (h, ah_absent (h, "w1", h->now + DAY, h->now + DAY), INVALID,
              "command.assignment.mark_absent.until");
    s_expect (h, ah_absent (h, "w1", h->now - 2 * DAY, h->now - DAY), INVALID,
              "command.assignment.mark_absent.until");
    s_expect (h, ah_returned (h, "w1"), PRECONDITION, "command.assignment.mark_returned.worker_id");
    assert_int_equal (ah_absent (h, "w1", 0, 0), 0);
    s_expect (h, ah_absent (h, "w1", h->now + DAY, 0), PRECONDITION,
              "command.assignment.mark_absent.from");
    assert_int_equal (ah_returned (h, "w1"), 0);
    s_expect (h, ah_left (h, "w9"), NOT_FOUND, "command.assignment.mark_left.worker_id");
    assert_int_equal (ah_left (h, "w1"), 0);
    s_expect (h, ah_left (h, "w1"), PRECONDITION, "command.assignment.mark_left.worker_id");
    s_expect (h, ah_absent (h, "w1", 0, 0), PRECONDITION,
              "command.assignment.mark_absent.worker_id");
}

static void
test_case_commands (void **state)
{
    ah_t *h = *state;
    s_expect (h, ah_assign (h, "C1", "w1", "why"), NOT_FOUND, "command.assignment.assign.case_id");
    ah_register (h, "C1", AH_D (YOUTH), "L1", NULL, NULL);
    s_expect (h, ah_assign (h, "C1", "w1", ""), INVALID, "command.assignment.assign.reason");
    s_expect (h, ah_assign (h, "C1", "w1", "line\nbreak"), INVALID,
              "command.assignment.assign.reason");
    s_expect (h, ah_assign (h, "C1", "w9", "why"), NOT_FOUND,
              "command.assignment.assign.worker_id");
    //  Registered but not triaged.
    s_expect (h, ah_assign (h, "C1", "w1", "why"), PRECONDITION,
              "command.assignment.assign.case_id");
    assert_non_null (strstr (h->message, "registered"));
    s_expect (h, ah_start (h, "C1"), PRECONDITION, "command.assignment.start.case_id");
    ah_triage (h, "C1", ASSIGNMENT_REGULAR);
    assert_null (ah_worker_of (h, "C1"));  //  youth: nobody
    s_expect (h, ah_start (h, "C1"), PRECONDITION, "command.assignment.start.case_id");
    assert_non_null (strstr (h->message, "waiting"));
    assert_int_equal (ah_assign (h, "C1", "w1", "only one around"), 0);
    s_expect (h, ah_assign (h, "C1", "w1", "again"), PRECONDITION,
              "command.assignment.assign.worker_id");
    s_expect (h, ah_complete (h, "C1", "done"), PRECONDITION,
              "command.assignment.complete.case_id");
    assert_int_equal (ah_start (h, "C1"), 0);
    s_expect (h, ah_complete (h, "C1", ""), INVALID, "command.assignment.complete.outcome");
    assert_int_equal (ah_complete (h, "C1", "done"), 0);
    s_expect (h, ah_assign (h, "C1", "w1", "reopen"), PRECONDITION,
              "command.assignment.assign.case_id");
    assert_non_null (strstr (h->message, "closed"));
    s_expect (h, ah_start (h, "bad id!"), INVALID, "command.assignment.start.case_id");
    //  No body at all.
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    s_expect (h, ah_command (h, &command), INVALID, "command.assignment");
}

//  Upstream input is not trusted: odd events are ignored, not applied.
static void
test_upstream_ignored (void **state)
{
    ah_t *h = *state;
    ah_triage (h, "C404", ASSIGNMENT_URGENT);  //  unknown case
    assert_int_equal (ah_step_count (h), 0);
    ah_register (h, "", AH_D (DEBT), "L1", NULL, NULL);  //  no id
    assert_int_equal (cf_hash_size (h->state->cases), 0);
    ah_register (h, "C1", AH_D (DEBT), "L1", NULL, NULL);
    ah_register (h, "C1", AH_D (YOUTH), "L1", NULL, NULL);  //  twice: the first stays
    assert_int_equal (ah_case_get (h, "C1")->domain_mask, AH_D (DEBT));
    //  An area that is not a location id makes the registration malformed
    //  (dropping it would widen the case's reach): ignored.
    ah_register (h, "C2", AH_D (DEBT), NULL, "L1,bad id", NULL);
    assert_null (assignment_state_case (h->state, "C2"));
    ah_triage (h, "C1", 7);  //  unknown urgency
    assert_int_equal (ah_case_get (h, "C1")->status, ASSIGNMENT_ST_REGISTERED);
    //  Intake's echo of our own decision changes nothing.
    Caseflow__V1__Intake__CaseStatusChanged body = CASEFLOW__V1__INTAKE__CASE_STATUS_CHANGED__INIT;
    body.case_id = "C1";
    body.status = ASSIGNMENT_ST_ASSIGNED;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.stream = ASSIGNMENT_UPSTREAM;
    event.seq = 99;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED;
    event.case_status_changed = &body;
    //  (Applied to a scratch state: the harness's journal must stay the
    //  whole story of h->state.)
    assignment_state_t *scratch = assignment_state_new (&h->state->config);
    assert_int_equal (assignment_state_apply (scratch, &event), -1);
    event.stream = "elsewhere";
    assert_int_equal (assignment_state_apply (scratch, &event), -1);
    assignment_state_destroy (&scratch);
}

static void
test_queries (void **state)
{
    ah_t *h = *state;
    Caseflow__V1__Reply reply;
    Caseflow__V1__Assignment__Query query = CASEFLOW__V1__ASSIGNMENT__QUERY__INIT;
    Caseflow__V1__Assignment__GetAssignment get = CASEFLOW__V1__ASSIGNMENT__GET_ASSIGNMENT__INIT;
    query.body_case = CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_GET_ASSIGNMENT;
    query.get_assignment = &get;
    get.case_id = "C9";
    cf_api_reply_init (&reply, "q");
    assignment_query (h->state, h->now, &query, &reply);
    assert_int_equal (cf_api_reply_code (&reply), NOT_FOUND);
    assert_string_equal (reply.status->field, "query.assignment.get_assignment.case_id");
    cf_api_reply_clear (&reply);

    ah_register (h, "C9", AH_D (DEBT), "L1", "L1", NULL);
    ah_triage (h, "C9", ASSIGNMENT_REGULAR);
    cf_api_reply_init (&reply, "q");
    assignment_query (h->state, h->now, &query, &reply);
    assert_null (reply.status);
    Caseflow__V1__Assignment__AssignmentView *view = reply.query->assignment->case_;
    assert_string_equal (view->worker_id, "w1");
    assert_int_equal (view->status, ASSIGNMENT_ST_ASSIGNED);
    assert_int_equal (view->n_history, 2);
    assert_int_equal (view->history [1]->kind, ASSIGNMENT_HISTORY_ASSIGNED);
    assert_true (strlen (view->history [1]->reason) > 10);
    cf_api_reply_clear (&reply);

    Caseflow__V1__Assignment__ListWorkers list = CASEFLOW__V1__ASSIGNMENT__LIST_WORKERS__INIT;
    query.body_case = CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_LIST_WORKERS;
    query.list_workers = &list;
    cf_api_reply_init (&reply, "q");
    assignment_query (h->state, h->now, &query, &reply);
    Caseflow__V1__Assignment__WorkerList *workers = reply.query->assignment->workers;
    assert_int_equal (workers->n_workers, 1);
    assert_int_equal (workers->workers [0]->caseload, 1);
    assert_int_equal (workers->workers [0]->capacity, 20);
    assert_int_equal (workers->workers [0]->utilisation_permille, 50);
    assert_int_equal (workers->workers [0]->n_cases, 1);
    cf_api_reply_clear (&reply);
    list.location = "L7";
    cf_api_reply_init (&reply, "q");
    assignment_query (h->state, h->now, &query, &reply);
    assert_int_equal (cf_api_reply_code (&reply), NOT_FOUND);
    cf_api_reply_clear (&reply);

    Caseflow__V1__Assignment__ListLocations locations =
        CASEFLOW__V1__ASSIGNMENT__LIST_LOCATIONS__INIT;
    query.body_case = CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_LIST_LOCATIONS;
    query.list_locations = &locations;
    ah_case (h, "P1", AH_D (YOUTH), NULL, ASSIGNMENT_REGULAR);
    cf_api_reply_init (&reply, "q");
    assignment_query (h->state, h->now, &query, &reply);
    Caseflow__V1__Assignment__LocationList *out = reply.query->assignment->locations;
    assert_int_equal (out->n_locations, 2);
    assert_string_equal (out->locations [0]->location_id, "L1");
    assert_int_equal (out->locations [0]->assigned, 1);
    assert_int_equal (out->locations [0]->workers_present, 1);
    assert_int_equal (out->locations [0]->fte_milli, 1000);
    assert_string_equal (out->locations [1]->location_id, "");
    assert_int_equal (out->locations [1]->waiting, 1);
    cf_api_reply_clear (&reply);

    Caseflow__V1__Assignment__ExplainWaiting explain =
        CASEFLOW__V1__ASSIGNMENT__EXPLAIN_WAITING__INIT;
    explain.case_id = "P1";
    query.body_case = CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_EXPLAIN_WAITING;
    query.explain_waiting = &explain;
    cf_api_reply_init (&reply, "q");
    assignment_query (h->state, h->now, &query, &reply);
    Caseflow__V1__Assignment__WaitExplanation *why = reply.query->assignment->explanation;
    assert_int_equal (why->position, 1);
    assert_int_equal (why->matching, 0);
    assert_non_null (strstr (why->text, "youth"));
    cf_api_reply_clear (&reply);

    Caseflow__V1__Assignment__Waiting waiting = CASEFLOW__V1__ASSIGNMENT__WAITING__INIT;
    waiting.limit = 10001;
    query.body_case = CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_WAITING;
    query.waiting = &waiting;
    cf_api_reply_init (&reply, "q");
    assignment_query (h->state, h->now, &query, &reply);
    assert_int_equal (cf_api_reply_code (&reply), INVALID);
    assert_string_equal (reply.status->field, "query.assignment.waiting.limit");
    cf_api_reply_clear (&reply);
}

int
main (void)
{
    cf_log_init ("assignment-test", CF_LOG_WARN);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_add_location, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_add_worker, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_change_worker, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_absence_commands, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_case_commands, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_upstream_ignored, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_queries, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
