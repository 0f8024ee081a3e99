//  test_claims: the claims of due callbacks, decided without the runtime.
//
//  - claim order: the oldest due callback first (due time, then id), the
//    location and kind filters, one caller one reminder (a second claim
//    gives back the one held), one caller per case, nothing due is a
//    result without a reminder;
//  - leases: held until the lease ends, then open again (at the wake-up
//    the service asks for), not a moment earlier;
//  - release and park: the holder, a team lead, an operator; refusals with
//    the field and the claim table's words; a parked one is claimed by
//    nobody until a team lead releases it;
//  - completion: the callback recorded at intake completes the claim once,
//    and the caller takes the next;
//  - who asks: a proxy must name the person, and claims as that person;
//  - every scenario replayed into the same digest; the indexes a replay
//    rebuilds (open list, leases, holders) equal the live ones.
#include "notification_testkit.h"

#include "cf_error.h"

#define S_OK      CASEFLOW__V1__STATUS__CODE__OK
#define S_INVALID CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
#define S_DENIED  CASEFLOW__V1__STATUS__CODE__PERMISSION_DENIED
#define S_STATE   CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION
#define S_MISSING CASEFLOW__V1__STATUS__CODE__NOT_FOUND

static const notification_requester_t s_operator = { "operator", "", false };

//  A requester the console's proxy key sends for `person` ("" none).
static notification_requester_t
s_proxy (const char *person)
{
    return (notification_requester_t){ "console", person, true };
}

//  What a command answered: its status, field and message, the reminder it
//  returned ("" none) and how many events it emitted.
typedef struct {
    Caseflow__V1__Status__Code code;
    char field [96], message [256], reminder [201];
    size_t emitted;
} s_answer_t;

static s_answer_t
s_run (kit_t *kit, Caseflow__V1__Notification__Command *command,
       const notification_requester_t *requester)
{
    s_answer_t answer = { 0 };
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "req");
    cf_decider_t decider;
    kit_decider (kit, &decider, &reply);
    notification_decide_as (kit->state, &decider, command, requester ? requester : &s_operator);
    answer.code = cf_api_reply_code (&reply);
    answer.emitted = decider.emitted;
    if (reply.status) {
        snprintf (answer.field, sizeof answer.field, "%s", reply.status->field);
        snprintf (answer.message, sizeof answer.message, "%s", reply.status->message);
    }
    if (answer.code != S_OK)
        assert_int_equal (decider.emitted, 0);
    else {
        const Caseflow__V1__Notification__CommandResult *result = reply.command->notification;
        const Caseflow__V1__Notification__ReminderView *view =
            result->body_case == CASEFLOW__V1__NOTIFICATION__COMMAND_RESULT__BODY_CLAIM
                ? result->claim->reminder
                : result->reminder;
        if (view)
            snprintf (answer.reminder, sizeof answer.reminder, "%s", view->reminder->reminder_id);
    }
    cf_api_reply_clear (&reply);
    return answer;
}

static s_answer_t
s_claim_as (kit_t *kit, const char *caller, const char *location, int kind,
            const notification_requester_t *requester)
{
    Caseflow__V1__Notification__Claim claim = CASEFLOW__V1__NOTIFICATION__CLAIM__INIT;
    claim.caller = (char *) caller;
    claim.location = (char *) (location ? location : "");
    claim.kind = kind;
    Caseflow__V1__Notification__Command command = CASEFLOW__V1__NOTIFICATION__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__NOTIFICATION__COMMAND__BODY_CLAIM;
    command.claim = &claim;
    return s_run (kit, &command, requester);
}

static s_answer_t
s_claim (kit_t *kit, const char *caller)
{
    return s_claim_as (kit, caller, NULL, 0, NULL);
}

static s_answer_t
s_release (kit_t *kit, const char *id, const char *caller, bool lead,
           const notification_requester_t *requester)
{
    Caseflow__V1__Notification__Release release = CASEFLOW__V1__NOTIFICATION__RELEASE__INIT;
    release.reminder_id = (char *) id;
    release.caller = (char *) (caller ? caller : "");
    release.team_lead = lead;
    Caseflow__V1__Notification__Command command = CASEFLOW__V1__NOTIFICATION__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__NOTIFICATION__COMMAND__BODY_RELEASE;
    command.release = &release;
    return s_run (kit, &command, requester);
}

static s_answer_t
s_park (kit_t *kit, const char *id, const char *reason, bool lead,
        const notification_requester_t *requester)
{
    Caseflow__V1__Notification__Park park = CASEFLOW__V1__NOTIFICATION__PARK__INIT;
    park.reminder_id = (char *) id;
    park.reason = (char *) reason;
    park.team_lead = lead;
    Caseflow__V1__Notification__Command command = CASEFLOW__V1__NOTIFICATION__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__NOTIFICATION__COMMAND__BODY_PARK;
    command.park = &park;
    return s_run (kit, &command, requester);
}

static notification_claim_status_t
s_status (kit_t *kit, const char *id)
{
    return notification_claims_status (kit_reminder (kit, id));
}

//  How many events of `body` the journal holds for reminder `id`.
static size_t
s_count (kit_t *kit, Caseflow__V1__Event__BodyCase body, const char *id)
{
    size_t count = 0;
    for (size_t i = 0; i < kit->count; i++) {
        Caseflow__V1__Event *event =
            caseflow__v1__event__unpack (NULL, kit->journal_size [i], kit->journal [i]);
        assert_non_null (event);
        const char *named =
            body == CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIMED
                ? (event->reminder_claimed ? event->reminder_claimed->reminder_id : NULL)
            : body == CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIM_COMPLETED
                ? (event->reminder_claim_completed ? event->reminder_claim_completed->reminder_id
                                                   : NULL)
            : body == CASEFLOW__V1__EVENT__BODY_REMINDER_LEASE_EXPIRED ? (
                  event->reminder_lease_expired ? event->reminder_lease_expired->reminder_id : NULL)
                                                                       : NULL;
        if (event->body_case == body && named && strcmp (named, id) == 0)
            count++;
        caseflow__v1__event__free_unpacked (event, NULL);
    }
    return count;
}

//  Three waiting cases registered a day apart (C3 first), their first
//  callbacks fired (due 2022-01-21..25 after the weekend shift).
static void
s_three_due (kit_t *kit)
{
    kit_waiting (kit, "C3", "L1", kit_time ("2022-01-06T10:00"));
    kit_waiting (kit, "C1", "L2", kit_time ("2022-01-07T10:00"));
    kit_waiting (kit, "C2", "L1", kit_time ("2022-01-10T10:00"));
    kit_clock (kit, kit_time ("2022-01-24T12:00"));
    kit_assert_status (kit, "callback/C3/1", KIT_STATUS (DUE));
    kit_assert_status (kit, "callback/C1/1", KIT_STATUS (DUE));
    kit_assert_status (kit, "callback/C2/1", KIT_STATUS (DUE));
}

static void
test_claim_order (void **unused)
{
    (void) unused;
    kit_t kit;
    kit_init (&kit);
    s_three_due (&kit);
    //  Oldest due first, whatever the ids.
    s_answer_t a = s_claim (&kit, "anna");
    assert_int_equal (a.code, S_OK);
    assert_string_equal (a.reminder, "callback/C3/1");
    assert_int_equal (a.emitted, 1);
    //  Anna holds one: claiming again gives it back, records nothing.
    a = s_claim (&kit, "anna");
    assert_string_equal (a.reminder, "callback/C3/1");
    assert_int_equal (a.emitted, 0);
    //  Location and kind filters.
    s_answer_t b = s_claim_as (&kit, "bob", "L1", 0, NULL);
    assert_string_equal (b.reminder, "callback/C2/1");
    b = s_claim_as (&kit, "carla", NULL, KIT_KIND (CALLBACK_OVERDUE), NULL);
    assert_int_equal (b.code, S_OK);
    assert_string_equal (b.reminder, "");
    assert_int_equal (b.emitted, 0);
    b = s_claim (&kit, "carla");
    assert_string_equal (b.reminder, "callback/C1/1");
    //  Nothing left for a fourth caller.
    b = s_claim (&kit, "dirk");
    assert_int_equal (b.code, S_OK);
    assert_string_equal (b.reminder, "");
    //  Bad input names the field.
    b = s_claim (&kit, "");
    assert_int_equal (b.code, S_INVALID);
    assert_string_equal (b.field, "command.notification.claim.caller");
    b = s_claim (&kit, "two words");
    assert_string_equal (b.field, "command.notification.claim.caller");
    b = s_claim_as (&kit, "dirk", NULL, KIT_KIND (URGENT), NULL);
    assert_int_equal (b.code, S_INVALID);
    assert_string_equal (b.field, "command.notification.claim.kind");
    b = s_claim_as (&kit, "dirk", "not a location", 0, NULL);
    assert_string_equal (b.field, "command.notification.claim.location");
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

static void
test_one_caller_per_case (void **unused)
{
    (void) unused;
    kit_t kit;
    kit_init (&kit);
    kit_waiting (&kit, "C1", "L1", kit_time ("2022-01-06T10:00"));
    //  Callback 1 due 2022-01-20 10:00, its overdue check two working days
    //  later: both due by the 25th.
    kit_clock (&kit, kit_time ("2022-01-25T12:00"));
    kit_assert_status (&kit, "callback-overdue/C1/1", KIT_STATUS (DUE));
    assert_string_equal (s_claim (&kit, "anna").reminder, "callback/C1/1");
    //  The overdue reminder of the same resident is not for bob.
    assert_string_equal (s_claim (&kit, "bob").reminder, "");
    //  Released, bob takes the oldest of the two.
    assert_int_equal (s_release (&kit, "callback/C1/1", "anna", false, NULL).code, S_OK);
    assert_string_equal (s_claim (&kit, "bob").reminder, "callback/C1/1");
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

static void
test_lease (void **unused)
{
    (void) unused;
    kit_t kit;
    kit_init (&kit);
    s_three_due (&kit);
    int64_t claimed_at = kit.now;
    assert_string_equal (s_claim (&kit, "anna").reminder, "callback/C3/1");
    notification_reminder_t *held = kit_reminder (&kit, "callback/C3/1");
    assert_int_equal (held->claim->lease_until, claimed_at + kit.config.claim_lease);
    //  The service asks to be woken when the lease ends (nothing else is
    //  pending before it).
    assert_true (notification_next_wake (kit.state) <= held->claim->lease_until);
    kit_clock (&kit, claimed_at + kit.config.claim_lease - 1);
    assert_int_equal (s_status (&kit, "callback/C3/1"), NOTIFICATION_CLAIM_CLAIMED);
    assert_string_equal (s_claim (&kit, "bob").reminder, "callback/C1/1");
    kit_clock (&kit, claimed_at + kit.config.claim_lease);
    assert_int_equal (s_status (&kit, "callback/C3/1"), NOTIFICATION_CLAIM_OPEN);
    assert_int_equal (
        s_count (&kit, CASEFLOW__V1__EVENT__BODY_REMINDER_LEASE_EXPIRED, "callback/C3/1"), 1);
    //  Bob still holds his (claimed later); carla gets the expired one,
    //  the oldest open again; anna, holding nothing, the last.
    assert_int_equal (s_status (&kit, "callback/C1/1"), NOTIFICATION_CLAIM_CLAIMED);
    assert_string_equal (s_claim (&kit, "carla").reminder, "callback/C3/1");
    assert_string_equal (s_claim (&kit, "anna").reminder, "callback/C2/1");
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

static void
test_release_and_park (void **unused)
{
    (void) unused;
    kit_t kit;
    kit_init (&kit);
    s_three_due (&kit);
    notification_requester_t anna = s_proxy ("anna"), bob = s_proxy ("bob");
    assert_string_equal (s_claim_as (&kit, "", NULL, 0, &anna).reminder, "callback/C3/1");
    //  Bob may not release anna's claim; a team lead may.
    s_answer_t a = s_release (&kit, "callback/C3/1", "", false, &bob);
    assert_int_equal (a.code, S_DENIED);
    assert_string_equal (a.field, "command.notification.release.caller");
    assert_string_equal (a.message, "reminder callback/C3/1 is claimed by anna: only anna or a "
                                    "team lead releases it");
    assert_int_equal (s_release (&kit, "callback/C3/1", "", true, &bob).code, S_OK);
    //  Releasing an open one: the claim table's refusal.
    a = s_release (&kit, "callback/C3/1", "", true, &bob);
    assert_int_equal (a.code, S_STATE);
    assert_string_equal (a.field, "command.notification.release.reminder_id");
    assert_string_equal (a.message, "claim of reminder callback/C3/1 is open; release needs it "
                                    "claimed or parked");
    //  Anna claims it again and parks it: nobody claims it after that.
    assert_string_equal (s_claim_as (&kit, "", NULL, 0, &anna).reminder, "callback/C3/1");
    a = s_park (&kit, "callback/C3/1", "", false, &anna);
    assert_int_equal (a.code, S_INVALID);
    assert_string_equal (a.field, "command.notification.park.reason");
    a = s_park (&kit, "callback/C3/1", "number unknown", false, &anna);
    assert_int_equal (a.code, S_OK);
    assert_int_equal (s_status (&kit, "callback/C3/1"), NOTIFICATION_CLAIM_PARKED);
    assert_string_equal (kit_reminder (&kit, "callback/C3/1")->claim->park_reason,
                         "number unknown");
    //  Anna is free again: she gets the next one, never the parked one.
    assert_string_equal (s_claim_as (&kit, "", NULL, 0, &anna).reminder, "callback/C1/1");
    assert_string_equal (s_claim_as (&kit, "", NULL, 0, &bob).reminder, "callback/C2/1");
    a = s_park (&kit, "callback/C3/1", "again", true, &bob);
    assert_int_equal (a.code, S_STATE);
    assert_string_equal (a.message, "claim of reminder callback/C3/1 is parked; park needs it "
                                    "open or claimed");
    //  Only a team lead releases a parked one.
    a = s_release (&kit, "callback/C3/1", "", false, &anna);
    assert_int_equal (a.code, S_DENIED);
    assert_string_equal (a.field, "command.notification.release.team_lead");
    assert_int_equal (s_release (&kit, "callback/C3/1", "", true, &bob).code, S_OK);
    assert_int_equal (s_status (&kit, "callback/C3/1"), NOTIFICATION_CLAIM_OPEN);
    //  An open one: a caller may not park it, a team lead or an operator may.
    a = s_park (&kit, "callback/C3/1", "needs an interpreter", false, &bob);
    assert_int_equal (a.code, S_DENIED);
    assert_string_equal (a.field, "command.notification.park.team_lead");
    assert_int_equal (s_park (&kit, "callback/C3/1", "needs an interpreter", false, NULL).code,
                      S_OK);
    //  Unknown reminders, other kinds, pending callbacks.
    assert_int_equal (s_release (&kit, "callback/C9/1", "", true, NULL).code, S_MISSING);
    char urgent [64], want [160];
    snprintf (
        urgent, sizeof urgent, "urgent/C4/%llu",
        (unsigned long long) kit_triage (&kit, "C4", CASEFLOW__V1__URGENCY__URGENCY_URGENT, 0));
    a = s_park (&kit, urgent, "no", true, NULL);
    assert_int_equal (a.code, S_STATE);
    snprintf (want, sizeof want,
              "reminder %s is of kind urgent; only callback and callback-overdue reminders are "
              "claimed",
              urgent);
    assert_string_equal (a.message, want);
    a = s_park (&kit, "callback/C3/2", "not yet", true, NULL);
    assert_int_equal (a.code, S_STATE);
    assert_string_equal (a.message, "reminder callback/C3/2 is pending; park needs it due");
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

static void
test_completion (void **unused)
{
    (void) unused;
    kit_t kit;
    kit_init (&kit);
    s_three_due (&kit);
    assert_string_equal (s_claim (&kit, "anna").reminder, "callback/C3/1");
    assert_string_equal (s_claim (&kit, "bob").reminder, "callback/C1/1");
    //  The call anna made is recorded at intake: her claim is completed.
    kit_callback_naming (&kit, "C3",
                         CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED,
                         "callback/C3/1", 0, 0);
    kit_assert_status (&kit, "callback/C3/1", KIT_STATUS (ACKNOWLEDGED));
    assert_int_equal (s_status (&kit, "callback/C3/1"), NOTIFICATION_CLAIM_COMPLETED);
    assert_string_equal (kit_reminder (&kit, "callback/C3/1")->claim->caller, "anna");
    assert_int_equal (
        s_count (&kit, CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIM_COMPLETED, "callback/C3/1"), 1);
    //  A second recording of the same call completes nothing again.
    kit_callback_naming (&kit, "C3",
                         CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED,
                         "callback/C3/1", 0, 0);
    assert_int_equal (
        s_count (&kit, CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIM_COMPLETED, "callback/C3/1"), 1);
    //  Anna takes the next; an operator's acknowledgement completes bob's.
    assert_string_equal (s_claim (&kit, "anna").reminder, "callback/C2/1");
    assert_int_equal (kit_ack (&kit, "callback/C1/1", "team lead", NULL), S_OK);
    assert_int_equal (s_status (&kit, "callback/C1/1"), NOTIFICATION_CLAIM_COMPLETED);
    assert_null (notification_claims_held_by (notification_state_claims (kit.state), "bob"));
    //  No lease is left to expire for a completed claim.
    kit_clock (&kit, kit.now + 2 * kit.config.claim_lease);
    assert_int_equal (
        s_count (&kit, CASEFLOW__V1__EVENT__BODY_REMINDER_LEASE_EXPIRED, "callback/C1/1"), 0);
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

static void
test_who_asks (void **unused)
{
    (void) unused;
    kit_t kit;
    kit_init (&kit);
    s_three_due (&kit);
    //  A proxy request names the person it acts for.
    notification_requester_t nobody = s_proxy ("");
    s_answer_t a = s_claim_as (&kit, "anna", NULL, 0, &nobody);
    assert_int_equal (a.code, S_DENIED);
    assert_string_equal (a.field, "on_behalf_of");
    //  ... and claims as that person, never as a name typed in a form.
    notification_requester_t anna = s_proxy ("anna");
    a = s_claim_as (&kit, "bob", NULL, 0, &anna);
    assert_int_equal (a.code, S_DENIED);
    assert_string_equal (a.field, "command.notification.claim.caller");
    assert_string_equal (a.message, "a request on behalf of anna acts as anna, not as bob");
    a = s_claim_as (&kit, "anna", NULL, 0, &anna);
    assert_string_equal (a.reminder, "callback/C3/1");
    assert_string_equal (kit_reminder (&kit, "callback/C3/1")->claim->caller, "anna");
    //  Without keys a request may still name its person: the same rules.
    notification_requester_t local = { "local", "bob", false };
    assert_string_equal (s_claim_as (&kit, "", NULL, 0, &local).reminder, "callback/C1/1");
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

static void
test_case_stops_waiting (void **unused)
{
    (void) unused;
    kit_t kit;
    kit_init (&kit);
    s_three_due (&kit);
    assert_string_equal (s_claim (&kit, "anna").reminder, "callback/C3/1");
    //  C3 is assigned while anna holds its callback; C1 too, unclaimed.
    kit_status (&kit, "C3", CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED, 0);
    kit_status (&kit, "C1", CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED, 0);
    assert_int_equal (notification_claims_open_count (notification_state_claims (kit.state)), 1);
    //  Anna's next claim lets go of the stale one and takes C2's.
    s_answer_t a = s_claim (&kit, "anna");
    assert_string_equal (a.reminder, "callback/C2/1");
    assert_int_equal (a.emitted, 2);
    assert_int_equal (s_status (&kit, "callback/C3/1"), NOTIFICATION_CLAIM_OPEN);
    //  Neither assigned case's callback is anyone's to claim.
    assert_string_equal (s_claim (&kit, "bob").reminder, "");
    kit_replay_digest (&kit);
    kit_destroy (&kit);
}

//  A fresh state from the kit's journal: what a restart rebuilds.
static notification_state_t *
s_replayed (kit_t *kit)
{
    notification_state_t *fresh = notification_state_new (&kit->config);
    for (size_t i = 0; i < kit->count; i++) {
        Caseflow__V1__Event *event =
            caseflow__v1__event__unpack (NULL, kit->journal_size [i], kit->journal [i]);
        assert_non_null (event);
        notification_state_apply (fresh, event);
        caseflow__v1__event__free_unpacked (event, NULL);
    }
    return fresh;
}

static void
test_replay_rebuilds_the_indexes (void **unused)
{
    (void) unused;
    kit_t kit;
    kit_init (&kit);
    s_three_due (&kit);
    assert_string_equal (s_claim (&kit, "anna").reminder, "callback/C3/1");
    kit.now += 60 * 1000000;
    assert_string_equal (s_claim (&kit, "bob").reminder, "callback/C1/1");
    assert_int_equal (s_park (&kit, "callback/C1/1", "needs a team lead", false, NULL).code, S_OK);
    notification_state_t *fresh = s_replayed (&kit);
    const notification_claims_t *live = notification_state_claims (kit.state),
                                *rebuilt = notification_state_claims (fresh);
    assert_int_equal (notification_claims_open_count (rebuilt),
                      notification_claims_open_count (live));
    for (size_t i = 0; i < notification_claims_open_count (live); i++)
        assert_string_equal (notification_claims_open_at (rebuilt, i)->id,
                             notification_claims_open_at (live, i)->id);
    assert_string_equal (notification_claims_next_lease (rebuilt)->id, "callback/C3/1");
    assert_int_equal (notification_claims_next_lease (rebuilt)->claim->lease_until,
                      notification_claims_next_lease (live)->claim->lease_until);
    assert_string_equal (notification_claims_held_by (rebuilt, "anna")->id, "callback/C3/1");
    assert_null (notification_claims_held_by (rebuilt, "bob"));
    assert_int_equal (notification_claims_claimed_count (rebuilt), 1);
    assert_int_equal (notification_claims_parked_count (rebuilt), 1);
    assert_int_equal (notification_next_wake (fresh), notification_next_wake (kit.state));
    notification_state_destroy (&fresh);
    kit_destroy (&kit);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_claim_order),
        cmocka_unit_test (test_one_caller_per_case),
        cmocka_unit_test (test_lease),
        cmocka_unit_test (test_release_and_park),
        cmocka_unit_test (test_completion),
        cmocka_unit_test (test_who_asks),
        cmocka_unit_test (test_case_stops_waiting),
        cmocka_unit_test (test_replay_rebuilds_the_indexes),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
