//  notification_decide: the notification service's commands (Acknowledge,
//  and the claims of due callbacks: Claim, Release, Park), the
//  acknowledgement it shares with the reactions (a recorded callback
//  acknowledges the calls that fell due, and completes their claims), and
//  the end of the leases that ran out (on the clock).
//
//  A decision is handed a cf_decider_t (common/cf_decider.h): the clock
//  reading, the reply, and the emitter (cf_service_emit in the service, the
//  test kit's collector in the unit tests), which applies each event
//  before the next decision reads the state. Nothing here changes the
//  state directly.
#ifndef NOTIFICATION_DECIDE_H
#define NOTIFICATION_DECIDE_H

#include "caseflow/v1/api.pb-c.h"
#include "cf_decider.h"
#include "notification_state.h"

//  Who sent a command, as the claims need it (the runtime's
//  cf_api_caller_t): the key's name ("local" without keys), whether it is
//  the proxy role's (keys on), and the person the proxy named ("": none).
typedef struct {
    const char *actor;
    const char *on_behalf_of;
    bool proxy;
} notification_requester_t;

//  The requester of a command sent without keys and without a person (an
//  operator's caseflowctl on a local setup).
extern const notification_requester_t notification_local_requester;

//  Handles one notification command of `requester` at decider->now and
//  fills decider->reply: as notification_decide below, and for the claims
//  (README.md, "Claims"): INVALID_ARGUMENT naming the field;
//  PERMISSION_DENIED when the person may not make the move (field
//  "on_behalf_of" for a proxy request without one; the command's `caller`
//  when it names another person than on_behalf_of or is not the holder;
//  `team_lead` when only a team lead may); NOT_FOUND for an unknown
//  reminder; FAILED_PRECONDITION for a reminder of another kind or not
//  due, or a move the claim table refuses. Claim's result is
//  CommandResult.notification.claim (without a reminder when nothing is
//  due for the caller); Release's and Park's the reminder.
void
notification_decide_as (notification_state_t *state, cf_decider_t *decider,
                        const Caseflow__V1__Notification__Command *command,
                        const notification_requester_t *requester);

//  Handles one notification command at decider->now and fills
//  decider->reply: INVALID_ARGUMENT naming the field, NOT_FOUND for an
//  unknown reminder, FAILED_PRECONDITION with the reminder table's refusal
//  (a pending or cancelled reminder), or on success
//  CommandResult.notification.reminder. Acknowledging an acknowledged
//  reminder again is OK and records nothing. The requester is
//  notification_local_requester.
void
notification_decide (notification_state_t *state, cf_decider_t *decider,
                     const Caseflow__V1__Notification__Command *command);

//  Emits ReminderAcknowledged{reminder, by} when `reminder` is due, and
//  then, when it was claimed or parked, ReminderClaimCompleted; a
//  reminder in any other status records nothing. Returns decider->rc.
int
notification_decide_acknowledge (cf_decider_t *decider, const notification_reminder_t *reminder,
                                 const char *by);

//  Emits ReminderLeaseExpired for every claim whose lease ended by
//  decider->now, in (lease end, id) order. Returns how many.
size_t
notification_decide_expire_leases (notification_state_t *state, cf_decider_t *decider);

//  cf_service_def_t's handle_command (`state` is the
//  notification_service_t the runtime holds): the command decided at the
//  service clock with cf_service_emit, as the request's sender
//  (cf_service_caller), then the wake-up and gauges
//  brought up to date; anything else is INVALID_ARGUMENT ("not a command
//  of the notification service").
void
notification_decide_hook (void *state, cf_service_t *service, const Caseflow__V1__Command *command,
                          Caseflow__V1__Reply *reply);

#endif
