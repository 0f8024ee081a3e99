//  test_answers: which callback a recorded call answers, and whether it
//  was made on time (CallbackAnswered; ReminderDue.answer_by): the facts
//  `caseflowctl report` reads instead of re-deriving them.
#include "notification_testkit.h"

//  A reached call at `at` (0: now) naming a due time (0: none) and a
//  reminder ("" none).
static void
s_call (kit_t *kit, const char *case_id, const char *reminder_id, int64_t due_at, int64_t at)
{
    kit_callback_naming (kit, case_id,
                         CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED,
                         reminder_id, due_at, at);
}

//  The CallbackAnswered facts since the mark: "<reminder>@<intake seq>:
//  on-time|late" each, joined with spaces, into buf.
static const char *
s_answers (kit_t *kit, char *buf, size_t size)
{
    buf [0] = 0;
    for (size_t i = kit->mark; i < kit->count; i++) {
        Caseflow__V1__Event *event =
            caseflow__v1__event__unpack (NULL, kit->journal_size [i], kit->journal [i]);
        assert_non_null (event);
        if (event->body_case == CASEFLOW__V1__EVENT__BODY_CALLBACK_ANSWERED) {
            const Caseflow__V1__Notification__CallbackAnswered *body = event->callback_answered;
            assert_string_equal (event->case_id, body->case_id);
            size_t len = strlen (buf);
            snprintf (buf + len, size - len, "%s%s@%llu:%s", len ? " " : "", body->reminder_id,
                      (unsigned long long) body->intake_seq, body->on_time ? "on-time" : "late");
        }
        caseflow__v1__event__free_unpacked (event, NULL);
    }
    return buf;
}

//  The on-time window counts working days with the public holidays:
//  callback 1 falls due on Tuesday 26 April 2022 10:00, Wednesday 27 April
//  is King's Day, so the window ends on Friday 29 April 10:00 (Monday to
//  Friday alone would end it on Thursday). A call on Thursday is on time.
static void
test_window_skips_public_holidays (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    kit.now = kit_time ("2022-04-12T10:00");
    kit_waiting (&kit, "C000001", "L1", 0);
    kit_clock (&kit, kit_time ("2022-04-26T10:00"));
    notification_reminder_t *callback = kit_reminder (&kit, "callback/C000001/1");
    assert_int_equal (callback->answer_by, kit_time ("2022-04-29T10:00"));
    kit_assert_due_at (&kit, "callback-overdue/C000001/1", "2022-04-29T10:00");
    kit_mark (&kit);
    kit_clock (&kit, kit_time ("2022-04-28T12:00"));
    s_call (&kit, "C000001", "", 0, 0);
    char answers [512];
    assert_string_equal (s_answers (&kit, answers, sizeof answers), "callback/C000001/1@3:on-time");
    assert_int_equal (callback->answered_by, 3);
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

//  Without the holidays the same call is a day late.
static void
test_window_without_holidays (void **state)
{
    (void) state;
    kit_t kit;
    kit_init_with (&kit, "");
    kit.now = kit_time ("2022-04-12T10:00");
    kit_waiting (&kit, "C000001", "L1", 0);
    kit_clock (&kit, kit_time ("2022-04-26T10:00"));
    assert_int_equal (kit_reminder (&kit, "callback/C000001/1")->answer_by,
                      kit_time ("2022-04-28T10:00"));
    kit_mark (&kit);
    kit_clock (&kit, kit_time ("2022-04-28T12:00"));
    s_call (&kit, "C000001", "", 0, 0);
    char answers [512];
    assert_string_equal (s_answers (&kit, answers, sizeof answers), "callback/C000001/1@3:late");
    kit_destroy (&kit);
}

//  Two callbacks fell due without a call. A call naming the second one's
//  due time answers the second; the next call answers the earliest left;
//  a third answers nothing (each reminder is answered once), and a call
//  before anything fell due answers nothing either.
static void
test_which_call_answers_which (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    kit.now = kit_time ("2022-01-03T10:00");
    kit_waiting (&kit, "C000001", "L1", 0);
    kit_mark (&kit);
    s_call (&kit, "C000001", "", 0, kit_time ("2022-01-05T10:00"));
    char answers [512];
    assert_string_equal (s_answers (&kit, answers, sizeof answers), "");
    //  That call moved callback 1 to 19 January; it and callback 2 fire.
    kit_clock (&kit, kit_time ("2022-02-03T10:00"));
    int64_t second = kit_reminder (&kit, "callback/C000001/2")->due_at;
    assert_int_equal (kit_reminder (&kit, "callback/C000001/1")->due_at,
                      kit_time ("2022-01-19T10:00"));
    kit_mark (&kit);
    s_call (&kit, "C000001", "", second, 0);
    s_call (&kit, "C000001", "", 0, 0);
    s_call (&kit, "C000001", "", 0, 0);
    assert_string_equal (s_answers (&kit, answers, sizeof answers),
                         "callback/C000001/2@4:on-time callback/C000001/1@5:late");
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

//  A call that names its reminder answers that one, not an earlier one.
static void
test_named_reminder_first (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    kit.now = kit_time ("2022-01-03T10:00");
    kit_waiting (&kit, "C000001", "L1", 0);
    kit_clock (&kit, kit_time ("2022-02-01T10:00"));
    kit_mark (&kit);
    s_call (&kit, "C000001", "callback/C000001/2", 0, 0);
    char answers [512];
    assert_string_equal (s_answers (&kit, answers, sizeof answers), "callback/C000001/2@3:on-time");
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

//  A callback that fired before the store recorded on-time windows (its
//  ReminderDue has no answer_by, as in a journal written before) is no
//  candidate: a call recorded now must not count against it as late.
static void
test_callback_without_window_is_left_alone (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    kit.now = kit_time ("2022-01-03T10:00");
    kit_waiting (&kit, "C000001", "L1", 0);
    kit_clock (&kit, kit_time ("2022-01-18T10:00"));
    //  As an older journal's ReminderDue leaves it.
    kit_reminder (&kit, "callback/C000001/1")->answer_by = 0;
    kit_mark (&kit);
    s_call (&kit, "C000001", "", 0, 0);
    char answers [512];
    assert_string_equal (s_answers (&kit, answers, sizeof answers), "");
    assert_int_equal (kit_reminder (&kit, "callback/C000001/1")->answered_by, 0);
    kit_destroy (&kit);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_window_skips_public_holidays),
        cmocka_unit_test (test_window_without_holidays),
        cmocka_unit_test (test_which_call_answers_which),
        cmocka_unit_test (test_named_reminder_first),
        cmocka_unit_test (test_callback_without_window_is_left_alone),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
