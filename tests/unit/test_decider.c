//  test_decider: cf_decider (the value every decision is handed) and
//  cf_lifecycle (the transition-table engine every lifecycle asks).
#include "cf_api.h"
#include "cf_decider.h"
#include "cf_error.h"
#include "cf_lifecycle.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

//  ------------------------------------------------------------ the decider

typedef struct {
    int calls;
    int fail_at;  //  the call (1-based) that fails; 0 never
    uint64_t last_seq;
} s_sink_t;

static int
s_emit (void *ctx, Caseflow__V1__Event *event)
{
    s_sink_t *sink = ctx;
    sink->calls++;
    if (sink->fail_at && sink->calls == sink->fail_at)
        return CF_ESTOREFULL;
    sink->last_seq = event->seq;
    return 0;
}

static void
test_emit_counts_and_stops_at_the_first_failure (void **state)
{
    (void) state;
    s_sink_t sink = { .fail_at = 3 };
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "r1");
    cf_decider_t decider;
    cf_decider_init (&decider, 42, &reply, s_emit, &sink);
    assert_int_equal (decider.now, 42);
    assert_ptr_equal (decider.reply, &reply);
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.seq = 7;
    assert_int_equal (cf_decider_emit (&decider, &event), 0);
    assert_int_equal (cf_decider_emit (&decider, &event), 0);
    assert_int_equal (decider.emitted, 2);
    assert_int_equal (sink.last_seq, 7);
    //  The third fails; after it nothing reaches the emitter any more.
    assert_int_equal (cf_decider_emit (&decider, &event), CF_ESTOREFULL);
    assert_int_equal (cf_decider_emit (&decider, &event), CF_ESTOREFULL);
    assert_int_equal (decider.rc, CF_ESTOREFULL);
    assert_int_equal (decider.emitted, 2);
    assert_int_equal (sink.calls, 3);
    cf_api_reply_clear (&reply);
}

static void
test_command_body (void **state)
{
    (void) state;
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "r1");
    Caseflow__V1__Intake__Command intake = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
    command.intake = &intake;
    assert_ptr_equal (
        cf_decider_command_body (&command, CASEFLOW__V1__COMMAND__BODY_INTAKE, "intake", &reply),
        &intake.base);
    assert_int_equal (cf_api_reply_code (&reply), CASEFLOW__V1__STATUS__CODE__OK);

    //  Another service's command, and none, are refused in one wording.
    assert_null (cf_decider_command_body (&command, CASEFLOW__V1__COMMAND__BODY_HANDOVER,
                                          "handover", &reply));
    assert_int_equal (cf_api_reply_code (&reply), CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
    assert_string_equal (reply.status->field, "command");
    assert_string_equal (reply.status->message, "not a command of the handover service");
    cf_api_reply_clear (&reply);
    command.body_case = CASEFLOW__V1__COMMAND__BODY__NOT_SET;
    assert_null (
        cf_decider_command_body (&command, CASEFLOW__V1__COMMAND__BODY_INTAKE, "intake", &reply));
    cf_api_reply_clear (&reply);
}

static void
test_query_body (void **state)
{
    (void) state;
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "r1");
    Caseflow__V1__Assignment__Query assignment = CASEFLOW__V1__ASSIGNMENT__QUERY__INIT;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_ASSIGNMENT;
    query.assignment = &assignment;
    assert_ptr_equal (
        cf_decider_query_body (&query, CASEFLOW__V1__QUERY__BODY_ASSIGNMENT, "assignment", &reply),
        &assignment.base);
    assert_null (
        cf_decider_query_body (&query, CASEFLOW__V1__QUERY__BODY_INTAKE, "intake", &reply));
    assert_string_equal (reply.status->field, "query");
    assert_string_equal (reply.status->message, "not a query of the intake service");
    cf_api_reply_clear (&reply);
}

//  ---------------------------------------------------------- the lifecycle

enum { S_OPEN = 1, S_SHUT, S_GONE };
enum { S_CLOSE = 1, S_REOPEN, S_TOUCH, S_NEVER };

static const char *
s_state_word (int state)
{
    return state == S_OPEN ? "open" : state == S_SHUT ? "shut" : state == S_GONE ? "gone" : "?";
}

static const char *
s_action_word (int action)
{
    static const char *words [] = { "?", "close", "reopen", "touch", "never" };
    return words [action];
}

static const cf_lifecycle_move_t s_moves [] = {
    { S_CLOSE, S_OPEN, S_SHUT }, { S_REOPEN, S_SHUT, S_OPEN }, { S_TOUCH, S_OPEN, S_OPEN },
    { S_TOUCH, S_SHUT, S_SHUT }, { S_TOUCH, S_GONE, S_GONE },
};
static const cf_lifecycle_t s_door = { "door", s_moves, sizeof s_moves / sizeof s_moves [0],
                                       s_state_word, s_action_word };

static void
test_lifecycle_next (void **state)
{
    (void) state;
    int to = 0;
    assert_int_equal (cf_lifecycle_next (&s_door, S_OPEN, S_CLOSE, &to), 0);
    assert_int_equal (to, S_SHUT);
    assert_int_equal (cf_lifecycle_next (&s_door, S_SHUT, S_TOUCH, &to), 0);
    assert_int_equal (to, S_SHUT);
    to = 0;
    assert_int_equal (cf_lifecycle_next (&s_door, S_SHUT, S_CLOSE, &to), CF_ESTATE);
    assert_int_equal (to, 0);  //  untouched on a refusal
    assert_int_equal (cf_lifecycle_next (&s_door, S_OPEN, S_CLOSE, NULL), 0);
    assert_true (cf_lifecycle_allows (&s_door, S_GONE, S_TOUCH));
    assert_false (cf_lifecycle_allows (&s_door, S_GONE, S_REOPEN));
    assert_false (cf_lifecycle_allows (&s_door, 0, S_TOUCH));
}

static void
test_lifecycle_words (void **state)
{
    (void) state;
    char buf [CF_LIFECYCLE_REFUSAL_SIZE];
    assert_string_equal (cf_lifecycle_allowed_from (&s_door, S_CLOSE, buf, sizeof buf), "open");
    assert_string_equal (cf_lifecycle_allowed_from (&s_door, S_TOUCH, buf, sizeof buf),
                         "open, shut or gone");
    assert_string_equal (cf_lifecycle_allowed_from (&s_door, S_NEVER, buf, sizeof buf), "nothing");
    assert_string_equal (cf_lifecycle_refusal (&s_door, "D1", S_SHUT, S_CLOSE, buf, sizeof buf),
                         "door D1 is shut; close needs it open");
    //  A short buffer is cut, never overrun.
    char tiny [8];
    assert_string_equal (cf_lifecycle_refusal (&s_door, "D1", S_SHUT, S_CLOSE, tiny, sizeof tiny),
                         "door D1");
}

static void
test_lifecycle_check (void **state)
{
    (void) state;
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "r1");
    int to = 0;
    assert_int_equal (cf_lifecycle_check (&s_door, "D1", S_SHUT, S_REOPEN, &to, &reply, "f"), 0);
    assert_int_equal (to, S_OPEN);
    assert_int_equal (cf_api_reply_code (&reply), CASEFLOW__V1__STATUS__CODE__OK);
    assert_int_equal (
        cf_lifecycle_check (&s_door, "D1", S_GONE, S_REOPEN, NULL, &reply, "command.door.id"),
        CF_ESTATE);
    assert_int_equal (cf_api_reply_code (&reply), CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION);
    assert_string_equal (reply.status->field, "command.door.id");
    assert_string_equal (reply.status->message, "door D1 is gone; reopen needs it shut");
    cf_api_reply_clear (&reply);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_emit_counts_and_stops_at_the_first_failure),
        cmocka_unit_test (test_command_body),
        cmocka_unit_test (test_query_body),
        cmocka_unit_test (test_lifecycle_next),
        cmocka_unit_test (test_lifecycle_words),
        cmocka_unit_test (test_lifecycle_check),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
