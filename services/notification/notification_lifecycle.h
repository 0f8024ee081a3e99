//  notification_lifecycle: a reminder's lifecycle as one transition table
//  (with the words of its actions), and the reminder ids made of the
//  kinds' words (cf_words_reminder_kind; a status's word is
//  cf_words_reminder_status's).
//
//      (none) ──schedule──▶ pending ──fire──▶ due ──acknowledge──▶ acknowledged
//                           │  ▲                                    │  ▲
//                           │  └─reschedule                         └──┘ acknowledge (no-op)
//                           └──cancel──▶ cancelled
//
//  Every decision asks the table before emitting, and apply asks it before
//  changing a reminder (asserting: an own event was decided against it),
//  so an illegal move is refused in one place (common/cf_lifecycle.h), with
//  one message naming the reminder's status: "reminder callback/C000001/1
//  is pending; acknowledge needs it due or acknowledged".
#ifndef NOTIFICATION_LIFECYCLE_H
#define NOTIFICATION_LIFECYCLE_H

#include "caseflow/v1/api.pb-c.h"
#include "caseflow/v1/notification.pb-c.h"
#include "cf_id.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    NOTIFICATION_SCHEDULE,    //  a new reminder
    NOTIFICATION_RESCHEDULE,  //  same id, new due time (or target)
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

//  Asks the table for a command on reminder `reminder_id` in `status`:
//  returns 0 when `action` is allowed; else refuses `reply` with
//  FAILED_PRECONDITION naming `field` and the status, and returns
//  CF_ESTATE.
int
notification_lifecycle_check (const char *reminder_id,
                              Caseflow__V1__Notification__ReminderStatus status,
                              notification_action_t action, Caseflow__V1__Reply *reply,
                              const char *field);

//  ------------------------------------------------------------- claims
//
//  A due callback's claim, shared by the callers (README.md, "Claims"):
//
//      open ──claim──▶ claimed ──complete──▶ completed
//       ▲  ◀──release──┘  │ │ ▲
//       │  ◀──expire──────┘ │ │
//       │                park └─complete
//       │                   ▼ │
//       └────release──── parked
//      open ──park──▶ parked
//
//  "open" is every due callback nobody holds (also one that never was
//  claimed). Who may make a move (the holder, a team lead) is the
//  decision's rule on top of the table; the table says which moves exist.
typedef enum {
    NOTIFICATION_CLAIM_OPEN = 0,
    NOTIFICATION_CLAIM_CLAIMED = 1,
    NOTIFICATION_CLAIM_PARKED = 2,
    NOTIFICATION_CLAIM_COMPLETED = 3,
} notification_claim_status_t;

typedef enum {
    NOTIFICATION_CLAIM,
    NOTIFICATION_RELEASE,
    NOTIFICATION_EXPIRE,
    NOTIFICATION_PARK,
    NOTIFICATION_COMPLETE,
} notification_claim_action_t;

//  The claim status after `action` from `status`, and 0 (true) when the
//  table lists the move; CF_ESTATE otherwise.
int
notification_claim_next (notification_claim_status_t status, notification_claim_action_t action,
                         notification_claim_status_t *next_p);

//  Asks the claim table for a command on reminder `reminder_id`: 0 when
//  allowed; else refuses `reply` with FAILED_PRECONDITION naming `field`
//  ("claim of reminder callback/C000001/1 is parked; claim needs it
//  open") and returns CF_ESTATE.
int
notification_claim_check (const char *reminder_id, notification_claim_status_t status,
                          notification_claim_action_t action, Caseflow__V1__Reply *reply,
                          const char *field);

//  The words of claim statuses ("open", "claimed", "parked", "completed")
//  and actions ("claim", "release", "expire", "park", "complete").
const char *
notification_claim_status_word (notification_claim_status_t status);
const char *
notification_claim_action_word (notification_claim_action_t action);

//  The word of an action in refusals: "schedule", "reschedule", "fire",
//  "cancel", "acknowledge" ("unknown" otherwise). A status's word is
//  cf_words_reminder_status's, a kind's cf_words_reminder_kind's.
const char *
notification_action_word (notification_action_t action);

//  Reminder ids, derived from their cause so that a replay or retry gives
//  the same id: "callback/C000001/2", "callback-overdue/C000001/2",
//  "urgent/C000001/17" (intake seq), "no-worker/C000001/9" (assignment
//  seq), "handover-deadline/H000001/14d" (or 3d, overdue),
//  "waiting-too-long/C000001/1" (waiting period); webhook-parked alerts
//  below. Writes into `buf`
//  (>= CF_REMINDER_ID_MAX + 1 bytes) and returns it.
char *
notification_reminder_id (char *buf, size_t size, int kind, const char *subject, uint64_t number);

//  The id of a webhook-parked alert: "webhook-parked/<subscription>/
//  <stream>/<seq>" (the gateway's subscription, the parked event's stream
//  and seq), so a replayed or repeated EventParked raises it once. Writes
//  into `buf` (>= CF_REMINDER_ID_MAX + 1 bytes) and returns it.
char *
notification_webhook_reminder_id (char *buf, size_t size, const char *subscription_id,
                                  const char *stream, uint64_t seq);

//  The id of an operator alert of `kind` (webhook-parked, stream-diverged):
//  "<kind>/<subscription>/<stream>/<seq>"; a stream-diverged alert's
//  subscription is the subscriber that diverged and its seq the cursor's.
char *
notification_alert_reminder_id (char *buf, size_t size, int kind, const char *subscription_id,
                                const char *stream, uint64_t seq);

#endif
