//  notification_decide: the commands (see notification_decide.h).
//  Checks run in the house order: the fields (notification_validate), who
//  asks (the person, and whether a team lead), the reminder they name
//  (NOT_FOUND), the transition tables (FAILED_PRECONDITION), whether that
//  person may make the move (PERMISSION_DENIED); only then does it emit.
//
//  The claims are decided here, on the service's one loop, and the reply
//  leaves only after the events are committed (the runtime's order: commit,
//  reply, publish): two callers never hold the same reminder, and a claim
//  that was answered survives any crash.
#include "notification_decide.h"

#include "cf_api.h"
#include "cf_words.h"
#include "notification_lifecycle.h"
#include "notification_query.h"
#include "notification_validate.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_FIELD  "command.notification.acknowledge.reminder_id"
#define S_DUE    CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_DUE
#define S_DENIED CASEFLOW__V1__STATUS__CODE__PERMISSION_DENIED

const notification_requester_t notification_local_requester = { "local", "", false };

int
notification_decide_acknowledge (cf_decider_t *decider, const notification_reminder_t *reminder,
                                 const char *by)
{
    if (reminder->status != S_DUE)
        return decider->rc;
    notification_claim_status_t claim = notification_claims_status (reminder);
    const char *holder = reminder->claim ? reminder->claim->caller : "";
    Caseflow__V1__Notification__ReminderAcknowledged body =
        CASEFLOW__V1__NOTIFICATION__REMINDER_ACKNOWLEDGED__INIT;
    body.reminder_id = reminder->id;
    body.by = (char *) by;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = reminder->kase ? reminder->kase->id : "";
    event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_ACKNOWLEDGED;
    event.reminder_acknowledged = &body;
    if (cf_decider_emit (decider, &event))
        return decider->rc;
    if (claim != NOTIFICATION_CLAIM_CLAIMED && claim != NOTIFICATION_CLAIM_PARKED)
        return decider->rc;
    //  The call was made (or the reminder handled): the claim is done.
    Caseflow__V1__Notification__ReminderClaimCompleted done =
        CASEFLOW__V1__NOTIFICATION__REMINDER_CLAIM_COMPLETED__INIT;
    done.reminder_id = reminder->id;
    done.caller = (char *) holder;
    done.by = (char *) (by ? by : "");
    Caseflow__V1__Event completed = CASEFLOW__V1__EVENT__INIT;
    completed.case_id = event.case_id;
    completed.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIM_COMPLETED;
    completed.reminder_claim_completed = &done;
    return cf_decider_emit (decider, &completed);
}

//  Puts the view of `reminder` in the reply (CommandResult.notification).
static void
s_reply_view (Caseflow__V1__Reply *reply, const notification_reminder_t *reminder)
{
    Caseflow__V1__Notification__CommandResult *result = malloc (sizeof *result);
    assert (result);
    caseflow__v1__notification__command_result__init (result);
    result->body_case = CASEFLOW__V1__NOTIFICATION__COMMAND_RESULT__BODY_REMINDER;
    result->reminder = notification_query_view (reminder);
    Caseflow__V1__CommandResult *outer = cf_api_reply_command (reply);
    outer->body_case = CASEFLOW__V1__COMMAND_RESULT__BODY_NOTIFICATION;
    outer->notification = result;
}

static void
s_acknowledge (notification_state_t *state, cf_decider_t *decider,
               const Caseflow__V1__Notification__Acknowledge *command, Caseflow__V1__Reply *reply)
{
    if (!notification_validate_acknowledge (command, reply))
        return;
    const char *id = command->reminder_id;
    notification_reminder_t *reminder = notification_state_reminder (state, id);
    if (!reminder) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND, S_FIELD,
                             "no reminder %s", id);
        return;
    }
    if (notification_lifecycle_check (reminder->id, reminder->status, NOTIFICATION_ACKNOWLEDGE,
                                      reply, S_FIELD))
        return;
    //  Acknowledging twice is fine and records nothing the second time.
    if (notification_decide_acknowledge (decider, reminder, command->by))
        return;
    s_reply_view (reply, reminder);
}

//  --------------------------------------------------------------- claims

//  Who a claim command is for, and with what authority.
typedef struct {
    const char *person;  //  "" when an operator named nobody
    const char *by;      //  who made the move, for the events: the person, else the key
    bool lead;           //  may release and park any reminder
} s_who_t;

//  The person behind a claim command (README.md, "Claims"): the proxy's
//  on_behalf_of (the command's `caller` empty or the same), vouched for as
//  a team lead by `team_lead`; else the caller an operator names, with an
//  operator's authority (a team lead's). A proxy request without a person
//  is refused. Returns false with `reply` refused.
static bool
s_who (const notification_requester_t *requester, const char *command, const char *caller,
       bool team_lead, Caseflow__V1__Reply *reply, s_who_t *who)
{
    char field [64];
    snprintf (field, sizeof field, "command.notification.%s.caller", command);
    if (*requester->on_behalf_of) {
        if (*caller && strcmp (caller, requester->on_behalf_of) != 0) {
            cf_api_reply_status (reply, S_DENIED, field,
                                 "a request on behalf of %s acts as %s, not as %s",
                                 requester->on_behalf_of, requester->on_behalf_of, caller);
            return false;
        }
        *who = (s_who_t){ requester->on_behalf_of, requester->on_behalf_of, team_lead };
        return true;
    }
    if (requester->proxy) {
        cf_api_reply_status (reply, S_DENIED, "on_behalf_of",
                             "a proxy's %s names the person it acts for (on_behalf_of)", command);
        return false;
    }
    *who = (s_who_t){ caller, *caller ? caller : requester->actor, true };
    return true;
}

//  The reminder a release or park names, a due callback; else refused
//  (NOT_FOUND, FAILED_PRECONDITION) and NULL.
static notification_reminder_t *
s_claimable (notification_state_t *state, const char *id, const char *field,
             Caseflow__V1__Reply *reply)
{
    notification_reminder_t *reminder = notification_state_reminder (state, id);
    if (!reminder) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND, field, "no reminder %s",
                             id);
        return NULL;
    }
    if (!notification_claims_kind (reminder->kind)) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION, field,
                             "reminder %s is of kind %s; only callback and callback-overdue "
                             "reminders are claimed",
                             id, cf_words_name (&cf_words_reminder_kind, reminder->kind));
        return NULL;
    }
    return reminder;
}

//  True when another reminder of the case is held or parked: one caller
//  at a time phones a resident.
static bool
s_case_busy (const notification_case_t *kase, const notification_reminder_t *except)
{
    for (size_t i = 0; i < kase->reminder_count; i++) {
        notification_claim_status_t status = notification_claims_status (kase->reminders [i]);
        if (kase->reminders [i] != except
            && (status == NOTIFICATION_CLAIM_CLAIMED || status == NOTIFICATION_CLAIM_PARKED))
            return true;
    }
    return false;
}

//  The oldest open reminder `command` lets the caller take (README.md,
//  "Claims"), or NULL.
static notification_reminder_t *
s_oldest (const notification_claims_t *claims, const Caseflow__V1__Notification__Claim *command)
{
    size_t count = notification_claims_open_count (claims);
    for (size_t i = 0; i < count; i++) {
        notification_reminder_t *reminder = notification_claims_open_at (claims, i);
        const notification_case_t *kase = reminder->kase;
        if ((command->kind && reminder->kind != (uint8_t) command->kind) || !kase->waiting
            || (*command->location && strcmp (kase->location, command->location) != 0)
            || s_case_busy (kase, reminder))
            continue;
        return reminder;
    }
    return NULL;
}

static int
s_emit_released (cf_decider_t *decider, const notification_reminder_t *reminder, const char *by)
{
    Caseflow__V1__Notification__ReminderReleased body =
        CASEFLOW__V1__NOTIFICATION__REMINDER_RELEASED__INIT;
    body.reminder_id = reminder->id;
    body.caller = (char *) reminder->claim->caller;
    body.by = (char *) by;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = reminder->kase ? reminder->kase->id : "";
    event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_RELEASED;
    event.reminder_released = &body;
    return cf_decider_emit (decider, &event);
}

static void
s_claim (notification_state_t *state, cf_decider_t *decider,
         const Caseflow__V1__Notification__Claim *command,
         const notification_requester_t *requester, Caseflow__V1__Reply *reply)
{
    s_who_t who;
    if (!notification_validate_claim (command, reply)
        || !s_who (requester, "claim", command->caller, false, reply, &who))
        return;
    if (!*who.person) {
        cf_api_reply_invalid (reply, "command.notification.claim.caller",
                              "is required: the person who takes the call");
        return;
    }
    const notification_claims_t *claims = notification_state_claims (state);
    notification_reminder_t *reminder = notification_claims_held_by (claims, who.person);
    //  One call at a time: the caller gets back what they hold, unless its
    //  case stopped waiting meanwhile (then it is let go, and a new one
    //  taken).
    if (reminder && !reminder->kase->waiting) {
        if (s_emit_released (decider, reminder, who.by))
            return;
        reminder = NULL;
    }
    if (!reminder && (reminder = s_oldest (claims, command))) {
        Caseflow__V1__Notification__ReminderClaimed body =
            CASEFLOW__V1__NOTIFICATION__REMINDER_CLAIMED__INIT;
        body.reminder_id = reminder->id;
        body.caller = (char *) who.person;
        body.lease_until = decider->now + notification_state_config (state)->claim_lease;
        Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
        event.case_id = reminder->kase->id;
        event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIMED;
        event.reminder_claimed = &body;
        if (cf_decider_emit (decider, &event))
            return;
    }
    Caseflow__V1__Notification__ClaimResult *claim = malloc (sizeof *claim);
    assert (claim);
    caseflow__v1__notification__claim_result__init (claim);
    claim->reminder = reminder ? notification_query_view (reminder) : NULL;
    Caseflow__V1__Notification__CommandResult *result = malloc (sizeof *result);
    assert (result);
    caseflow__v1__notification__command_result__init (result);
    result->body_case = CASEFLOW__V1__NOTIFICATION__COMMAND_RESULT__BODY_CLAIM;
    result->claim = claim;
    Caseflow__V1__CommandResult *outer = cf_api_reply_command (reply);
    outer->body_case = CASEFLOW__V1__COMMAND_RESULT__BODY_NOTIFICATION;
    outer->notification = result;
}

//  PERMISSION_DENIED unless `who` holds the claimed `reminder` or is a
//  team lead. Returns true when allowed.
static bool
s_holder_or_lead (const notification_reminder_t *reminder, const s_who_t *who, const char *command,
                  const char *verb, Caseflow__V1__Reply *reply)
{
    const char *holder = reminder->claim->caller;
    if (who->lead || strcmp (who->person, holder) == 0)
        return true;
    char field [64];
    snprintf (field, sizeof field, "command.notification.%s.caller", command);
    cf_api_reply_status (reply, S_DENIED, field,
                         "reminder %s is claimed by %s: only %s or a team lead %s it", reminder->id,
                         holder, holder, verb);
    return false;
}

static void
s_release (notification_state_t *state, cf_decider_t *decider,
           const Caseflow__V1__Notification__Release *command,
           const notification_requester_t *requester, Caseflow__V1__Reply *reply)
{
    static const char *field = "command.notification.release.reminder_id";
    s_who_t who;
    notification_reminder_t *reminder;
    if (!notification_validate_release (command, reply)
        || !s_who (requester, "release", command->caller, command->team_lead, reply, &who)
        || !(reminder = s_claimable (state, command->reminder_id, field, reply)))
        return;
    notification_claim_status_t status = notification_claims_status (reminder);
    if (notification_claim_check (reminder->id, status, NOTIFICATION_RELEASE, reply, field))
        return;
    if (status == NOTIFICATION_CLAIM_CLAIMED
        && !s_holder_or_lead (reminder, &who, "release", "releases", reply))
        return;
    if (status == NOTIFICATION_CLAIM_PARKED && !who.lead) {
        cf_api_reply_status (reply, S_DENIED, "command.notification.release.team_lead",
                             "reminder %s is parked: only a team lead releases it", reminder->id);
        return;
    }
    if (s_emit_released (decider, reminder, who.by))
        return;
    s_reply_view (reply, reminder);
}

static void
s_park (notification_state_t *state, cf_decider_t *decider,
        const Caseflow__V1__Notification__Park *command, const notification_requester_t *requester,
        Caseflow__V1__Reply *reply)
{
    static const char *field = "command.notification.park.reminder_id";
    s_who_t who;
    notification_reminder_t *reminder;
    if (!notification_validate_park (command, reply)
        || !s_who (requester, "park", command->caller, command->team_lead, reply, &who)
        || !(reminder = s_claimable (state, command->reminder_id, field, reply)))
        return;
    if (reminder->status != S_DUE) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION, field,
                             "reminder %s is %s; park needs it due", reminder->id,
                             cf_words_name (&cf_words_reminder_status, reminder->status));
        return;
    }
    notification_claim_status_t status = notification_claims_status (reminder);
    if (notification_claim_check (reminder->id, status, NOTIFICATION_PARK, reply, field))
        return;
    if (status == NOTIFICATION_CLAIM_CLAIMED
        && !s_holder_or_lead (reminder, &who, "park", "parks", reply))
        return;
    if (status == NOTIFICATION_CLAIM_OPEN && !who.lead) {
        cf_api_reply_status (reply, S_DENIED, "command.notification.park.team_lead",
                             "reminder %s is open: a caller parks the reminder they hold, only a "
                             "team lead an open one",
                             reminder->id);
        return;
    }
    Caseflow__V1__Notification__ReminderParked body =
        CASEFLOW__V1__NOTIFICATION__REMINDER_PARKED__INIT;
    body.reminder_id = reminder->id;
    body.caller = (char *) (status == NOTIFICATION_CLAIM_CLAIMED ? reminder->claim->caller : "");
    body.by = (char *) who.by;
    body.reason = command->reason;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = reminder->kase ? reminder->kase->id : "";
    event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_PARKED;
    event.reminder_parked = &body;
    if (cf_decider_emit (decider, &event))
        return;
    s_reply_view (reply, reminder);
}

size_t
notification_decide_expire_leases (notification_state_t *state, cf_decider_t *decider)
{
    const notification_claims_t *claims = notification_state_claims (state);
    size_t expired = 0;
    notification_reminder_t *reminder;
    while (!decider->rc && (reminder = notification_claims_next_lease (claims))
           && reminder->claim->lease_until <= decider->now) {
        Caseflow__V1__Notification__ReminderLeaseExpired body =
            CASEFLOW__V1__NOTIFICATION__REMINDER_LEASE_EXPIRED__INIT;
        body.reminder_id = reminder->id;
        body.caller = (char *) reminder->claim->caller;
        body.lease_until = reminder->claim->lease_until;
        Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
        event.case_id = reminder->kase ? reminder->kase->id : "";
        event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_LEASE_EXPIRED;
        event.reminder_lease_expired = &body;
        if (cf_decider_emit (decider, &event))
            break;
        expired++;
    }
    return expired;
}

//  ------------------------------------------------------------- dispatch

void
notification_decide_as (notification_state_t *state, cf_decider_t *decider,
                        const Caseflow__V1__Notification__Command *command,
                        const notification_requester_t *requester)
{
    assert (state && decider && decider->reply && command && requester);
    switch (command->body_case) {
        case CASEFLOW__V1__NOTIFICATION__COMMAND__BODY_ACKNOWLEDGE:
            s_acknowledge (state, decider, command->acknowledge, decider->reply);
            break;
        case CASEFLOW__V1__NOTIFICATION__COMMAND__BODY_CLAIM:
            s_claim (state, decider, command->claim, requester, decider->reply);
            break;
        case CASEFLOW__V1__NOTIFICATION__COMMAND__BODY_RELEASE:
            s_release (state, decider, command->release, requester, decider->reply);
            break;
        case CASEFLOW__V1__NOTIFICATION__COMMAND__BODY_PARK:
            s_park (state, decider, command->park, requester, decider->reply);
            break;
        default:
            cf_api_reply_status (decider->reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 "command.notification", "not a notification command");
    }
}

void
notification_decide (notification_state_t *state, cf_decider_t *decider,
                     const Caseflow__V1__Notification__Command *command)
{
    notification_decide_as (state, decider, command, &notification_local_requester);
}

void
notification_decide_hook (void *state, cf_service_t *service, const Caseflow__V1__Command *command,
                          Caseflow__V1__Reply *reply)
{
    notification_service_t *self = state;
    const ProtobufCMessage *own = cf_decider_command_body (
        command, CASEFLOW__V1__COMMAND__BODY_NOTIFICATION, NOTIFICATION_STREAM, reply);
    if (!own)
        return;
    const cf_api_caller_t *caller = cf_service_caller (service);
    notification_requester_t requester = notification_local_requester;
    if (caller) {
        requester.actor = caller->actor ? caller->actor : "local";
        requester.on_behalf_of = caller->on_behalf_of ? caller->on_behalf_of : "";
        requester.proxy = caller->keys && caller->role == CF_ROLE_PROXY;
    }
    cf_decider_t decider;
    cf_decider_init_service (&decider, service, cf_service_now (service), reply);
    notification_decide_as (self->state, &decider,
                            (const Caseflow__V1__Notification__Command *) own, &requester);
    notification_service_settle (self, service, 0);
}
