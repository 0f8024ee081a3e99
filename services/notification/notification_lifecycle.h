//  notification_lifecycle: a reminder's lifecycle as one transition table,
//  and the words for kinds, statuses and actions (reminder ids, the CLI,
//  logs).
//
//      (none) ──schedule──▶ pending ──fire──▶ due ──acknowledge──▶ acknowledged
//                           │  ▲                                    │  ▲
//                           │  └─reschedule                         └──┘ acknowledge (no-op)
//                           └──cancel──▶ cancelled
//
//  Every decision asks the table before emitting, and apply asks it before
//  changing a reminder, so an illegal move is refused in one place.
#ifndef NOTIFICATION_LIFECYCLE_H
#define NOTIFICATION_LIFECYCLE_H

#include "caseflow/v1/notification.pb-c.h"

#include <stdbool.h>

typedef enum {
    NOTIFICATION_SCHEDULE,      //  a new reminder
    NOTIFICATION_RESCHEDULE,    //  same id, new due time (or target)
    NOTIFICATION_FIRE,
    NOTIFICATION_CANCEL,
    NOTIFICATION_ACKNOWLEDGE,
} notification_action_t;

//  The status after `action` on a reminder in `status` (UNSPECIFIED: the
//  reminder does not exist yet), or UNSPECIFIED when the move is not
//  allowed. Acknowledging an acknowledged reminder is allowed and leaves
//  it acknowledged (the decision then records nothing).
Caseflow__V1__Notification__ReminderStatus
    notification_lifecycle_next (Caseflow__V1__Notification__ReminderStatus status,
                                 notification_action_t action);

//  Id words of the kinds: "callback", "callback-overdue", "urgent",
//  "no-worker", "handover-deadline", "waiting-too-long"; "unspecified"
//  otherwise. And back: the kind, or -1 when `word` is not one.
const char *
    notification_kind_word (int kind);
int
    notification_kind_parse (const char *word);

//  "pending", "due", "acknowledged", "cancelled" ("unspecified" otherwise).
const char *
    notification_status_word (int status);

//  "schedule", "reschedule", "fire", "cancel", "acknowledge".
const char *
    notification_action_word (notification_action_t action);

#endif
