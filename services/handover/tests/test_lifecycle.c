//  test_lifecycle: the transition table, cell by cell, and every illegal
//  move refused through the real command handlers with the current state
//  named.
#include "handover_testkit.h"
#include "handover_lifecycle.h"

#include "cf_error.h"
#include "cf_test.h"
#include "cf_words.h"

static const handover_status_t s_states [] = {
    HANDOVER_ANNOUNCED, HANDOVER_MEETING_PLANNED, HANDOVER_MEETING_HELD,
    HANDOVER_DECIDED,   HANDOVER_COMPLETED,       HANDOVER_CANCELLED,
};
#define S_STATE_COUNT 6

//  The expected table: the state each action leads to, or NONE (refused).
static handover_status_t
s_expected (handover_status_t from, handover_action_t action)
{
    bool open = from != HANDOVER_COMPLETED && from != HANDOVER_CANCELLED;
    switch (action) {
        case HANDOVER_PLAN:
            return from == HANDOVER_ANNOUNCED || from == HANDOVER_MEETING_PLANNED
                       ? HANDOVER_MEETING_PLANNED
                       : HANDOVER_NONE;
        case HANDOVER_HOLD:
            return from == HANDOVER_MEETING_PLANNED ? HANDOVER_MEETING_HELD : HANDOVER_NONE;
        case HANDOVER_DECIDE:
            return from == HANDOVER_MEETING_HELD ? HANDOVER_DECIDED : HANDOVER_NONE;
        case HANDOVER_RECORD_FILES: return open ? from : HANDOVER_NONE;
        case HANDOVER_COMPLETE:
            return from == HANDOVER_DECIDED ? HANDOVER_COMPLETED : HANDOVER_NONE;
        case HANDOVER_CANCEL: return open ? HANDOVER_CANCELLED : HANDOVER_NONE;
        default: return HANDOVER_NONE;
    }
}

static void
test_table (void **unused)
{
    (void) unused;
    for (size_t i = 0; i < S_STATE_COUNT; i++)
        for (int action = 0; action < HANDOVER_ACTION_COUNT; action++) {
            handover_status_t next = HANDOVER_NONE;
            int rc = handover_lifecycle_next (s_states [i], action, &next);
            handover_status_t expected = s_expected (s_states [i], action);
            if (expected == HANDOVER_NONE)
                assert_int_equal (rc, CF_ESTATE);
            else {
                assert_int_equal (rc, 0);
                assert_int_equal (next, expected);
            }
        }
    //  Nothing moves a handover that does not exist.
    handover_status_t next;
    assert_int_equal (handover_lifecycle_next (HANDOVER_NONE, HANDOVER_CANCEL, &next), CF_ESTATE);
}

static void
test_names (void **unused)
{
    (void) unused;
    assert_string_equal (handover_action_name (HANDOVER_RECORD_FILES), "record_files");
    char buf [128];
    assert_string_equal (handover_lifecycle_allowed_from (HANDOVER_PLAN, buf, sizeof buf),
                         "announced or meeting-planned");
    assert_string_equal (handover_lifecycle_allowed_from (HANDOVER_CANCEL, buf, sizeof buf),
                         "announced, meeting-planned, meeting-held or decided");
    assert_string_equal (handover_lifecycle_allowed_from (HANDOVER_HOLD, buf, sizeof buf),
                         "meeting-planned");
    assert_true (handover_status_is_open (HANDOVER_DECIDED));
    assert_false (handover_status_is_open (HANDOVER_COMPLETED));
    assert_false (handover_status_is_open (HANDOVER_CANCELLED));
}

//  Takes `action` on handover `id` through the command handler.
static Caseflow__V1__Status__Code
s_act (kit_t *kit, const char *id, handover_action_t action)
{
    switch (action) {
        case HANDOVER_PLAN: return kit_plan (kit, id, kit->now + CF_USEC_PER_DAY);
        case HANDOVER_HOLD: return kit_held (kit, id);
        case HANDOVER_DECIDE: return kit_decide (kit, id, HANDOVER_NEXT_STAY);
        case HANDOVER_RECORD_FILES: return kit_files (kit, id, "intake report");
        case HANDOVER_COMPLETE: return kit_complete (kit, id);
        case HANDOVER_CANCEL: return kit_cancel (kit, id, "resident moved away");
        default: fail (); return CASEFLOW__V1__STATUS__CODE__INTERNAL;
    }
}

//  For every state and every action, a fresh handover is brought to the
//  state and the action tried: allowed moves land where the table says,
//  illegal ones are FAILED_PRECONDITION naming the current state.
static void
test_every_move_through_commands (void **unused)
{
    (void) unused;
    kit_t kit;
    kit_init (&kit);
    assert_int_equal (kit_add_provider (&kit, "P1", "Provider One"), 0);
    int serial = 0;
    for (size_t i = 0; i < S_STATE_COUNT; i++)
        for (int action = 0; action < HANDOVER_ACTION_COUNT; action++) {
            char name [32], id [HANDOVER_ID_SIZE];
            snprintf (name, sizeof name, "Resident %d", ++serial);
            kit_drive (&kit, "P1", name, s_states [i], id);
            assert_int_equal (handover_state_find (kit.state, id)->status, s_states [i]);
            //  kit_drive decides "continue", which also needs the files.
            if (s_states [i] == HANDOVER_DECIDED && action == HANDOVER_COMPLETE)
                assert_int_equal (kit_files (&kit, id, "care plan"), 0);
            size_t events = kit.count;
            Caseflow__V1__Status__Code code = s_act (&kit, id, action);
            handover_status_t expected = s_expected (s_states [i], action);
            if (expected == HANDOVER_NONE) {
                char fragment [128];
                snprintf (fragment, sizeof fragment, "handover %s is %s; %s needs it", id,
                          cf_words_name (&cf_words_handover_state, s_states [i]),
                          handover_action_name (action));
                char field [96];
                snprintf (field, sizeof field, "command.handover.%s.handover_id",
                          handover_action_name (action));
                kit_expect (&kit, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION, field, fragment);
                assert_int_equal (kit.count, events);
                assert_int_equal (handover_state_find (kit.state, id)->status, s_states [i]);
            } else {
                assert_int_equal (code, CASEFLOW__V1__STATUS__CODE__OK);
                assert_int_equal (kit.count, events + 1);
                assert_int_equal (kit.status, expected);
                assert_string_equal (kit.handover_id, id);
            }
        }
    kit_destroy (&kit);
}

//  A meeting can be re-planned; every planning is kept, the last counts.
static void
test_replan_keeps_history (void **unused)
{
    (void) unused;
    kit_t kit;
    kit_init (&kit);
    assert_int_equal (kit_add_provider (&kit, "P1", "Provider One"), 0);
    assert_int_equal (kit_announce (&kit, "P1", "Anna", "", 0), 0);
    assert_int_equal (kit_plan (&kit, "H000001", kit_time ("2022-03-10T10:00")), 0);
    kit.now += CF_USEC_PER_HOUR;
    assert_int_equal (kit_plan (&kit, "H000001", kit_time ("2022-03-17T10:00")), 0);
    handover_t *handover = handover_state_find (kit.state, "H000001");
    assert_int_equal (handover->meeting_count, 2);
    assert_int_equal (handover->meetings [1].at, kit_time ("2022-03-17T10:00"));
    assert_int_equal (handover->meetings [1].planned_at, kit.now);
    Caseflow__V1__Handover__HandoverView *view = kit_view (&kit, "H000001");
    assert_int_equal (view->meetings [0]->n_participants, 3);
    assert_string_equal (view->meetings [0]->participants [2], "worker:w12");
    assert_string_equal (view->meetings [1]->location, "Centrum");
    caseflow__v1__handover__handover_view__free_unpacked (view, NULL);
    assert_int_equal (handover->status, HANDOVER_MEETING_PLANNED);
    kit_destroy (&kit);
}

//  An event of this stream that does not fit the state was decided
//  wrongly: apply asserts (the decisions ask the same table).
static void
s_apply_held (void *ctx)
{
    kit_t *kit = ctx;
    Caseflow__V1__Handover__MeetingHeld body = CASEFLOW__V1__HANDOVER__MEETING_HELD__INIT;
    body.handover_id = kit->handover_id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.stream = "handover";
    event.body_case = CASEFLOW__V1__EVENT__BODY_MEETING_HELD;
    event.meeting_held = &body;
    handover_state_apply (kit->state, &event);
}

static void
test_apply_asserts_what_does_not_fit (void **unused)
{
    (void) unused;
    kit_t kit;
    kit_init (&kit);
    assert_int_equal (kit_add_provider (&kit, "P1", "Provider One"), 0);
    assert_int_equal (kit_announce (&kit, "P1", "Anna", "", 0), 0);
    //  Held while only announced: a move the table does not list.
    assert_true (cf_test_aborts (s_apply_held, &kit));
    //  A handover nobody announced.
    snprintf (kit.handover_id, sizeof kit.handover_id, "H000099");
    assert_true (cf_test_aborts (s_apply_held, &kit));
    //  The same event where the table allows it applies.
    snprintf (kit.handover_id, sizeof kit.handover_id, "H000001");
    assert_int_equal (kit_plan (&kit, "H000001", kit.now + CF_USEC_PER_DAY), 0);
    assert_false (cf_test_aborts (s_apply_held, &kit));
    kit_destroy (&kit);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_table),
        cmocka_unit_test (test_names),
        cmocka_unit_test (test_every_move_through_commands),
        cmocka_unit_test (test_replan_keeps_history),
        cmocka_unit_test (test_apply_asserts_what_does_not_fit),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
