//  test_lifecycle: the reminder transition table and the claim table, cell
//  by cell (every legal move lands where the rules say, every illegal one
//  is refused with the one message naming the status), and the table
//  asked through the Acknowledge command.
#include "notification_testkit.h"

#include "cf_error.h"
#include "cf_test.h"

#define N 0  //  refused (and "no reminder yet" as a status)

static const int s_statuses [] = { N, KIT_STATUS (PENDING), KIT_STATUS (DUE),
                                   KIT_STATUS (ACKNOWLEDGED), KIT_STATUS (CANCELLED) };
#define S_STATUS_COUNT 5
#define S_ACTION_COUNT 5

//  The rules, written out on their own: where each action takes a
//  reminder in each status (none yet, pending, due, acknowledged,
//  cancelled).
static const int s_expected [S_ACTION_COUNT][S_STATUS_COUNT] = {
    [NOTIFICATION_SCHEDULE] = { KIT_STATUS (PENDING), N, N, N, N },
    [NOTIFICATION_RESCHEDULE] = { N, KIT_STATUS (PENDING), N, N, N },
    [NOTIFICATION_FIRE] = { N, KIT_STATUS (DUE), N, N, N },
    [NOTIFICATION_CANCEL] = { N, KIT_STATUS (CANCELLED), N, N, N },
    [NOTIFICATION_ACKNOWLEDGE] = { N, N, KIT_STATUS (ACKNOWLEDGED), KIT_STATUS (ACKNOWLEDGED), N },
};

static const char *
s_status_word (int status)
{
    return cf_words_name (&cf_words_reminder_status, status);
}

static void
test_every_cell (void **state)
{
    (void) state;
    for (int action = 0; action < S_ACTION_COUNT; action++)
        for (size_t i = 0; i < S_STATUS_COUNT; i++) {
            int status = s_statuses [i];
            int next = notification_lifecycle_next (status, (notification_action_t) action);
            assert_int_equal (next, s_expected [action][i]);
            Caseflow__V1__Reply reply;
            cf_api_reply_init (&reply, "t");
            int rc = notification_lifecycle_check ("callback/C000001/1", status,
                                                   (notification_action_t) action, &reply, "f");
            if (s_expected [action][i] == N) {
                assert_int_equal (rc, CF_ESTATE);
                assert_int_equal (cf_api_reply_code (&reply),
                                  CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION);
                char allowed [128], want [256];
                cf_test_allowed_from (s_expected [action], s_statuses, S_STATUS_COUNT,
                                      s_status_word, allowed, sizeof allowed);
                snprintf (want, sizeof want, "reminder callback/C000001/1 is %s; %s needs it %s",
                          cf_words_name (&cf_words_reminder_status, status),
                          notification_action_word ((notification_action_t) action), allowed);
                assert_string_equal (reply.status->message, want);
            } else
                assert_int_equal (rc, 0);
            cf_api_reply_clear (&reply);
        }
}

//  The claim table written out on its own: where each action takes a
//  claim in each status (open, claimed, parked, completed), as the next
//  status + 1 (0: refused), since "open" is 0.
#define O (NOTIFICATION_CLAIM_OPEN + 1)
#define C (NOTIFICATION_CLAIM_CLAIMED + 1)
#define P (NOTIFICATION_CLAIM_PARKED + 1)
#define D (NOTIFICATION_CLAIM_COMPLETED + 1)
static const int s_claim_statuses [] = { NOTIFICATION_CLAIM_OPEN, NOTIFICATION_CLAIM_CLAIMED,
                                         NOTIFICATION_CLAIM_PARKED, NOTIFICATION_CLAIM_COMPLETED };
static const int s_claim_expected [5][4] = {
    [NOTIFICATION_CLAIM] = { C, 0, 0, 0 },    [NOTIFICATION_RELEASE] = { 0, O, O, 0 },
    [NOTIFICATION_EXPIRE] = { 0, O, 0, 0 },   [NOTIFICATION_PARK] = { P, P, 0, 0 },
    [NOTIFICATION_COMPLETE] = { 0, D, D, 0 },
};

static const char *
s_claim_word (int status)
{
    return notification_claim_status_word ((notification_claim_status_t) status);
}

static void
test_every_claim_cell (void **state)
{
    (void) state;
    for (int action = 0; action < 5; action++)
        for (size_t i = 0; i < 4; i++) {
            notification_claim_status_t next = 99;
            int rc = notification_claim_next ((notification_claim_status_t) s_claim_statuses [i],
                                              (notification_claim_action_t) action, &next);
            int want = s_claim_expected [action][i];
            assert_int_equal (rc, want ? 0 : CF_ESTATE);
            if (want)
                assert_int_equal ((int) next + 1, want);
            Caseflow__V1__Reply reply;
            cf_api_reply_init (&reply, "t");
            rc = notification_claim_check ("callback/C000001/1",
                                           (notification_claim_status_t) s_claim_statuses [i],
                                           (notification_claim_action_t) action, &reply, "f");
            assert_int_equal (rc, want ? 0 : CF_ESTATE);
            if (!want) {
                char allowed [128], text [256];
                cf_test_allowed_from (s_claim_expected [action], s_claim_statuses, 4, s_claim_word,
                                      allowed, sizeof allowed);
                snprintf (text, sizeof text,
                          "claim of reminder callback/C000001/1 is %s; %s needs "
                          "it %s",
                          s_claim_word (s_claim_statuses [i]),
                          notification_claim_action_word ((notification_claim_action_t) action),
                          allowed);
                assert_string_equal (reply.status->message, text);
                assert_string_equal (reply.status->field, "f");
            }
            cf_api_reply_clear (&reply);
        }
}

//  The command asks the table: a pending reminder is refused in the
//  table's words; a due one is acknowledged, and again records nothing.
static void
test_acknowledge_asks_the_table (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    kit_waiting (&kit, "C000001", "", 0);
    size_t emitted = 0;
    Caseflow__V1__Notification__Acknowledge ack = CASEFLOW__V1__NOTIFICATION__ACKNOWLEDGE__INIT;
    ack.reminder_id = "callback/C000001/1";
    ack.by = "desk 3";
    Caseflow__V1__Notification__Command command = CASEFLOW__V1__NOTIFICATION__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__NOTIFICATION__COMMAND__BODY_ACKNOWLEDGE;
    command.acknowledge = &ack;
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "t");
    cf_decider_t decider;
    kit_decider (&kit, &decider, &reply);
    notification_decide (kit.state, &decider, &command);
    assert_int_equal (cf_api_reply_code (&reply), CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION);
    assert_string_equal (reply.status->field, "command.notification.acknowledge.reminder_id");
    assert_string_equal (reply.status->message,
                         "reminder callback/C000001/1 is pending; acknowledge needs it due or "
                         "acknowledged");
    assert_int_equal (decider.emitted, 0);
    cf_api_reply_clear (&reply);
    kit_clock (&kit, kit.now + 15 * KIT_DAY);
    assert_int_equal (kit_ack (&kit, "callback/C000001/1", "desk 3", &emitted), 0);
    assert_int_equal (emitted, 1);
    assert_int_equal (kit_ack (&kit, "callback/C000001/1", "desk 3", &emitted), 0);
    assert_int_equal (emitted, 0);
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

//  An own event that does not fit the state was decided wrongly: apply
//  asserts (the decisions ask the same table).
static void
s_apply_due (void *ctx)
{
    kit_t *kit = ctx;
    Caseflow__V1__Notification__Reminder reminder = CASEFLOW__V1__NOTIFICATION__REMINDER__INIT;
    reminder.reminder_id = "callback/C000001/1";
    Caseflow__V1__Notification__ReminderDue body = CASEFLOW__V1__NOTIFICATION__REMINDER_DUE__INIT;
    body.reminder = &reminder;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.stream = NOTIFICATION_STREAM;
    event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_DUE;
    event.reminder_due = &body;
    notification_state_apply (kit->state, &event);
}

static void
test_apply_asserts_what_does_not_fit (void **state)
{
    (void) state;
    kit_t kit;
    kit_init (&kit);
    assert_true (cf_test_aborts (s_apply_due, &kit));  //  no such reminder
    kit_waiting (&kit, "C000001", "", 0);
    assert_false (cf_test_aborts (s_apply_due, &kit));  //  pending: it may fire
    kit_clock (&kit, kit.now + 15 * KIT_DAY);
    assert_true (cf_test_aborts (s_apply_due, &kit));  //  fired already
    kit_destroy (&kit);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_every_cell),
        cmocka_unit_test (test_every_claim_cell),
        cmocka_unit_test (test_acknowledge_asks_the_table),
        cmocka_unit_test (test_apply_asserts_what_does_not_fit),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
