//  notification_decide: the notification service's one command,
//  Acknowledge, and the acknowledgement it shares with the reactions (a
//  recorded callback acknowledges the calls that fell due).
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

//  Handles one notification command at decider->now and fills
//  decider->reply: INVALID_ARGUMENT naming the field, NOT_FOUND for an
//  unknown reminder, FAILED_PRECONDITION with the reminder table's refusal
//  (a pending or cancelled reminder), or on success
//  CommandResult.notification.reminder. Acknowledging an acknowledged
//  reminder again is OK and records nothing.
void
notification_decide (notification_state_t *state, cf_decider_t *decider,
                     const Caseflow__V1__Notification__Command *command);

//  Emits ReminderAcknowledged{reminder, by} when `reminder` is due; a
//  reminder in any other status records nothing. Returns decider->rc.
int
notification_decide_acknowledge (cf_decider_t *decider, const notification_reminder_t *reminder,
                                 const char *by);

//  cf_service_def_t's handle_command (`state` is the
//  notification_service_t the runtime holds): the command decided at the
//  service clock with cf_service_emit, then the wake-up and gauges
//  brought up to date; anything else is INVALID_ARGUMENT ("not a command
//  of the notification service").
void
notification_decide_hook (void *state, cf_service_t *service, const Caseflow__V1__Command *command,
                          Caseflow__V1__Reply *reply);

#endif
