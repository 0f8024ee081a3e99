//  notification_validate: the field checks of the notification commands.
//
//  A check returns true when every field is good, or fills `reply` with
//  INVALID_ARGUMENT naming the field
//  ("command.notification.acknowledge.reminder_id") and returns false.
#ifndef NOTIFICATION_VALIDATE_H
#define NOTIFICATION_VALIDATE_H

#include "caseflow/v1/api.pb-c.h"
#include "caseflow/v1/notification.pb-c.h"

#include <stdbool.h>
#include <stddef.h>

//  Longest `by` of an acknowledgement (bytes).
#define NOTIFICATION_MAX_BY 200

//  Acknowledge: a reminder id (cf_id.h: ids joined by '/'), and a `by` of
//  at most NOTIFICATION_MAX_BY bytes of one-line free text (cf_text.h).
bool
notification_validate_acknowledge (const Caseflow__V1__Notification__Acknowledge *command,
                                   Caseflow__V1__Reply *reply);

#endif
