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

//  Longest park reason (bytes).
#define NOTIFICATION_MAX_REASON 200

//  Claim: the caller, when given, a person (cf_api_token_valid: 1-64
//  printable characters without spaces, as on_behalf_of); the location an
//  id (cf_id.h) when given; the kind UNSPECIFIED, CALLBACK or
//  CALLBACK_OVERDUE ("only callback and callback-overdue reminders are
//  claimed").
bool
notification_validate_claim (const Caseflow__V1__Notification__Claim *command,
                             Caseflow__V1__Reply *reply);

//  Release: a reminder id; the caller as Claim's.
bool
notification_validate_release (const Caseflow__V1__Notification__Release *command,
                               Caseflow__V1__Reply *reply);

//  Park: a reminder id; a reason of 1-NOTIFICATION_MAX_REASON bytes of
//  one-line text; the caller as Claim's.
bool
notification_validate_park (const Caseflow__V1__Notification__Park *command,
                            Caseflow__V1__Reply *reply);

#endif
