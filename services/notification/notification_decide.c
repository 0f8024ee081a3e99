//  notification_decide: the Acknowledge command (see notification_decide.h).
//  Checks run in the house order: the fields (notification_validate), the
//  reminder they name (NOT_FOUND), the reminder table
//  (FAILED_PRECONDITION); only then does it emit.
#include "notification_decide.h"

#include "cf_api.h"
#include "notification_lifecycle.h"
#include "notification_query.h"
#include "notification_validate.h"

#include <assert.h>
#include <stdlib.h>

#define S_FIELD "command.notification.acknowledge.reminder_id"

int
notification_decide_acknowledge (cf_decider_t *decider, const notification_reminder_t *reminder,
                                 const char *by)
{
    if (reminder->status != CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_DUE)
        return decider->rc;
    Caseflow__V1__Notification__ReminderAcknowledged body =
        CASEFLOW__V1__NOTIFICATION__REMINDER_ACKNOWLEDGED__INIT;
    body.reminder_id = reminder->id;
    body.by = (char *) by;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = reminder->kase ? reminder->kase->id : "";
    event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_ACKNOWLEDGED;
    event.reminder_acknowledged = &body;
    return cf_decider_emit (decider, &event);
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
    Caseflow__V1__Notification__CommandResult *result = malloc (sizeof *result);
    assert (result);
    caseflow__v1__notification__command_result__init (result);
    result->body_case = CASEFLOW__V1__NOTIFICATION__COMMAND_RESULT__BODY_REMINDER;
    result->reminder = notification_query_view (reminder);
    Caseflow__V1__CommandResult *outer = cf_api_reply_command (reply);
    outer->body_case = CASEFLOW__V1__COMMAND_RESULT__BODY_NOTIFICATION;
    outer->notification = result;
}

void
notification_decide (notification_state_t *state, cf_decider_t *decider,
                     const Caseflow__V1__Notification__Command *command)
{
    assert (state && decider && decider->reply && command);
    switch (command->body_case) {
        case CASEFLOW__V1__NOTIFICATION__COMMAND__BODY_ACKNOWLEDGE:
            s_acknowledge (state, decider, command->acknowledge, decider->reply);
            break;
        default:
            cf_api_reply_status (decider->reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 "command.notification", "not a notification command");
    }
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
    cf_decider_t decider;
    cf_decider_init_service (&decider, service, cf_service_now (service), reply);
    notification_decide (self->state, &decider, (const Caseflow__V1__Notification__Command *) own);
    notification_service_settle (self, service, 0);
}
