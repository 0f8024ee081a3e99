//  notification_claims: which due callbacks the callers hold, as the
//  claim events left them (README.md, "Claims").
//
//  Three derived indexes beside the claim of each reminder (kept in the
//  reminder, notification_claim_t, from its first claim event on):
//    - the open list: due callback and callback-overdue reminders of
//      waiting cases that nobody holds or parked, in (due time, id) order,
//      so a claim takes the oldest one the caller may take without a look
//      at every reminder;
//    - the leases: claimed reminders in (lease end, id) order, so the next
//      lease to end is at hand for the service's wake-up;
//    - the holders: caller -> the reminder they hold (a caller holds at
//      most one).
//  Both lists are sorted arrays: reminders fire, and leases are taken, in
//  nearly the order they are kept in, so an insert is a binary search and
//  (nearly always) an append.
//
//  Only notification_state's apply calls the functions that change them
//  (the decisions read). Nothing here is hashed but the claims themselves
//  (notification_claims_digest): a reminder never claimed hashes as before
//  claims existed.
#ifndef NOTIFICATION_CLAIMS_H
#define NOTIFICATION_CLAIMS_H

#include "caseflow/v1/event.pb-c.h"
#include "notification_lifecycle.h"

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct notification_reminder_s notification_reminder_t;

//  A reminder's claim, from its first claim event on (NULL before: open).
//  Strings are interned by the claims (callers, parkers) or owned (the
//  park reason).
typedef struct {
    uint8_t status;         //  notification_claim_status_t
    const char *caller;     //  the holder; kept when parked or completed ("" none)
    int64_t lease_until;    //  claimed: when the lease ends (0 otherwise)
    const char *parked_by;  //  parked: who parked it (NULL otherwise)
    char *park_reason;      //  parked: why (NULL otherwise)
    int64_t changed_at;     //  the last claim event's time
} notification_claim_t;

typedef struct _notification_claims_t notification_claims_t;

//  New, empty indexes. Never NULL.
notification_claims_t *
notification_claims_new (void);

//  Frees the indexes (not the reminders); safe on NULL; nulls *self_p.
void
notification_claims_destroy (notification_claims_t **self_p);

//  Frees a reminder's claim (when the reminder is freed).
void
notification_claims_free (notification_claim_t *claim);

//  True for the kinds callers claim: callback and callback-overdue.
bool
notification_claims_kind (int kind);

//  ------------------------------------------------ what apply tells them

//  `reminder` fell due (its ReminderDue applied): a callback of a waiting
//  case joins the open list.
void
notification_claims_fired (notification_claims_t *self, notification_reminder_t *reminder);

//  `reminder` was acknowledged: it leaves the open list (a claimed or
//  parked one leaves with its ReminderClaimCompleted).
void
notification_claims_acknowledged (notification_claims_t *self, notification_reminder_t *reminder);

//  The case of these reminders stopped waiting: its due callbacks leave
//  the open list (a claim held stays until released, expired or
//  completed, and then does not come back).
void
notification_claims_case_left (notification_claims_t *self,
                               notification_reminder_t *const *reminders, size_t count);

//  Applies a claim event (ReminderClaimed, ...Released, ...LeaseExpired,
//  ...Parked, ...ClaimCompleted; borrowed) to `reminder` (NULL: unknown).
//  Returns 0, or CF_ESTATE when the event does not fit (an unknown or
//  not-due reminder, a kind callers do not claim, a move the claim table
//  does not list, a caller who already holds another): decided wrongly.
int
notification_claims_apply (notification_claims_t *self, notification_reminder_t *reminder,
                           const Caseflow__V1__Event *event);

//  ---------------------------------------------------------------- reads

//  The claim status of `reminder` (open without a claim).
notification_claim_status_t
notification_claims_status (const notification_reminder_t *reminder);

//  The reminder `caller` holds, or NULL.
notification_reminder_t *
notification_claims_held_by (const notification_claims_t *self, const char *caller);

//  The open list: how many, and the i-th in (due time, id) order.
size_t
notification_claims_open_count (const notification_claims_t *self);
notification_reminder_t *
notification_claims_open_at (const notification_claims_t *self, size_t index);

//  The claimed reminder whose lease ends first (ties: smallest id), or
//  NULL.
notification_reminder_t *
notification_claims_next_lease (const notification_claims_t *self);

//  How many reminders are claimed, and parked.
size_t
notification_claims_claimed_count (const notification_claims_t *self);
size_t
notification_claims_parked_count (const notification_claims_t *self);

//  Feeds `claim` (not NULL) into `hash`, every field as text.
void
notification_claims_digest (const notification_claim_t *claim, crypto_hash_sha256_state *hash);

#endif
