//  notification_state: everything the notification service knows, and
//  `apply`, the only code that changes it.
//
//  Two kinds of records:
//    - reminders, by id: every reminder ever scheduled with its kind,
//      status (pending, due, acknowledged, cancelled), due time, target and
//      what it is about (a case or a handover). Pending reminders are also
//      in a min-heap by (due time, id): the next one to fire is always at
//      hand, also with a million pending (notification_pending.h);
//    - cases, by id: what the upstream streams said about a case that the
//      reminders depend on: its location, its status as intake last
//      reported it, its waiting periods and the callbacks recorded in them
//      (the history callback compliance is computed from), and its
//      reminders.
//    - residents (subjects), by id: what retention needs of them
//      (notification_retention.h), each case pointing at its resident;
//    - the claims of due callbacks, each in its reminder, with the open
//      list, the leases and the holders (notification_claims.h).
//  Handovers need no record: their reminders carry the handover id and the
//  deadline is in the announcement the decision reads.
//
//  The records are visible to the other notification modules read-only;
//  only apply writes them. Every string in them is owned by the state
//  (apply copies what it keeps: events are borrowed); targets, reasons and
//  acknowledgers are interned (few distinct values, many reminders).
#ifndef NOTIFICATION_STATE_H
#define NOTIFICATION_STATE_H

#include "caseflow/v1/event.pb-c.h"
#include "cf_calendar.h"
#include "cf_metrics.h"
#include "cf_service.h"
#include "notification_claims.h"
#include "notification_retention.h"

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  The stream notification writes, and the streams it follows.
#define NOTIFICATION_STREAM     "notification"
#define NOTIFICATION_INTAKE     "intake"
#define NOTIFICATION_ASSIGNMENT "assignment"
#define NOTIFICATION_HANDOVER   "handover"
#define NOTIFICATION_GATEWAY    "gateway"

//  heap_index of a reminder that is not pending.
#define NOTIFICATION_NOT_PENDING SIZE_MAX

typedef struct {
    int64_t callback_interval;      //  next callback this long after the last
    uint32_t overdue_working_days;  //  callback-overdue after this many working days
    int64_t waiting_norm;           //  waiting-too-long after this long waiting
    int64_t claim_lease;            //  a claimed callback is the caller's this long
    cf_calendar_t calendar;         //  public holidays (owned)
    cf_retention_t retention;       //  the retention periods (cf_retention_configure)
} notification_config_t;

//  One moment of a case's history that callback compliance needs.
typedef enum {
    NOTIFICATION_POINT_WAIT_START = 1,  //  entered the waiting list
    NOTIFICATION_POINT_CONTACT = 2,     //  a callback was recorded while waiting
    NOTIFICATION_POINT_WAIT_END = 3,    //  left the waiting list (status says where to)
} notification_point_kind_t;

typedef struct {
    int64_t at;
    uint8_t kind;    //  notification_point_kind_t
    uint8_t status;  //  WAIT_END: the Caseflow__V1__CaseStatus it moved to
} notification_point_t;

typedef struct notification_reminder_s notification_reminder_t;

//  How many points and reminders a case holds in itself before it needs a
//  block of its own for them: enough for a case that waits and is called.
#define NOTIFICATION_CASE_INLINE 2

typedef struct {
    char *id;
    const char *location;                 //  interned; "" when none is known
    int64_t waiting_since;                //  start of the current (or last) period
    int64_t last_contact_at;              //  last recorded callback (0: none)
    uint64_t callbacks;                   //  highest callback number scheduled
    notification_point_t *points;         //  history, in the order applied
    notification_reminder_t **reminders;  //  every reminder of the case, in schedule order
    uint32_t point_count, point_cap;
    uint32_t reminder_count, reminder_cap;
    notification_subject_t *subject;  //  its resident (NULL: not known)
    Caseflow__V1__CaseStatus status;  //  as intake last reported (UNSPECIFIED: unknown)
    uint32_t periods;                 //  waiting periods started so far
    bool waiting;                     //  in a waiting period now
    //  Where points and reminders live until there are more of them.
    notification_point_t first_points [NOTIFICATION_CASE_INLINE];
    notification_reminder_t *first_reminders [NOTIFICATION_CASE_INLINE];
} notification_case_t;

struct notification_reminder_s {
    char *id;
    uint8_t kind;               //  Caseflow__V1__Notification__ReminderKind
    uint8_t status;             //  Caseflow__V1__Notification__ReminderStatus
    uint64_t number;            //  see Reminder.number in notification.proto
    notification_case_t *kase;  //  the case, or NULL for a handover's reminder
    char *handover_id;          //  the handover, or NULL for a case's reminder
    //  A webhook-parked alert (neither case nor handover): the gateway's
    //  subscription and the parked event's stream (its seq is `number`).
    char *subscription_id;  //  NULL for the other kinds
    const char *stream;     //  interned; NULL for the other kinds
    const char *target;     //  interned
    int64_t due_at;
    int64_t scheduled_at;         //  when last (re)scheduled
    int64_t fired_at;             //  0 until due
    int64_t answer_by;            //  callbacks: end of the on-time window (0 until due)
    uint64_t answered_by;         //  callbacks: intake seq of the call that answered it (0: none)
    int64_t closed_at;            //  acknowledged or cancelled at (0: neither)
    const char *closed_by;        //  interned: who acknowledged, or why cancelled
    size_t heap_index;            //  NOTIFICATION_NOT_PENDING unless pending
    notification_claim_t *claim;  //  due callbacks: from the first claim event on (NULL: open)
};

typedef struct _notification_state_t notification_state_t;

//  A new, empty state with a copy of `config`. Never NULL.
notification_state_t *
notification_state_new (const notification_config_t *config);

//  Frees the state and every record; safe on NULL; nulls *self_p.
void
notification_state_destroy (notification_state_t **self_p);

//  The configuration the state was made with. Borrowed.
const notification_config_t *
notification_state_config (const notification_state_t *self);

//  Applies one journaled event. Own events (ReminderScheduled, ...Cancelled,
//  ...Due, ...Acknowledged, CallbackAnswered, the claim events;
//  RetentionDue counts a resident) change reminders and return
//  0; one that does not fit the state (a move the reminder table does not
//  list, an unknown reminder, an answer to a callback that is not fired or
//  is answered already) was decided wrongly: logged and asserted. Upstream
//  events the service follows update the cases and return 0 (also those
//  that change nothing but are decided on); other events return 1 ("not
//  for me"). `event` is borrowed.
int
notification_state_apply (notification_state_t *self, const Caseflow__V1__Event *event);

//  The reminder with id `id`, or NULL.
notification_reminder_t *
notification_state_reminder (const notification_state_t *self, const char *id);

//  The same as notification_state_reminder (self, id) for an `id` that
//  notification_reminder_id made of a case's kind (not a handover's), the
//  id of `kase` and a number; without a look into the big table when it
//  can be answered from the case's own reminders.
notification_reminder_t *
notification_state_case_reminder (const notification_state_t *self, const notification_case_t *kase,
                                  const char *id);

//  Starts loading the index slot of reminder `id` from memory: a decision
//  about to schedule it calls this before it encodes the event, so that
//  apply's look-up and insert do not wait for memory. Changes nothing.
void
notification_state_prefetch_reminder (const notification_state_t *self, const char *id);

//  The case with id `id`, or NULL.
notification_case_t *
notification_state_case (const notification_state_t *self, const char *id);

//  The pending reminder due first (ties: smallest id), or NULL.
notification_reminder_t *
notification_state_next_due (const notification_state_t *self);

//  Reminders that are pending, and due (fired, not acknowledged).
size_t
notification_state_pending_count (const notification_state_t *self);
size_t
notification_state_due_count (const notification_state_t *self);

//  Calls `fn` for every reminder (in no particular order) until it returns
//  non-zero; returns that value or 0.
int
notification_state_each_reminder (const notification_state_t *self,
                                  int (*fn) (void *ctx, notification_reminder_t *reminder),
                                  void *ctx);

//  The claims of due callbacks and their indexes (notification_claims.h).
const notification_claims_t *
notification_state_claims (const notification_state_t *self);

//  The residents retention erases, and when (notification_retention.h).
const notification_retention_t *
notification_state_retention (const notification_state_t *self);

//  Cases sorted by id: fills a fresh array (free with free) and the count.
notification_case_t **
notification_state_cases_sorted (const notification_state_t *self, size_t *count_p);

//  The case's pending reminder of `kind`, the first in schedule order, or
//  NULL.
notification_reminder_t *
notification_case_pending (const notification_case_t *kase,
                           Caseflow__V1__Notification__ReminderKind kind);

//  Feeds the canonical state (reminders in id order, cases in id order,
//  every field as text) into `hash`. The heap and counts are derived and
//  not hashed.
void
notification_state_digest (const notification_state_t *self, crypto_hash_sha256_state *hash);

//  -------------------------------------- what the runtime holds
//  (notification_state_service.c)

//  The service's state as the runtime holds it: the domain state, the kind
//  of clock, and the service's own metrics.
typedef struct {
    notification_state_t *state;
    bool manual;  //  the manual clock: due reminders fire after each reaction
    cf_metric_t *pending, *due, *fired, *lateness, *claimed, *parked;
} notification_service_t;

//  Most reminders one wake-up fires with the system clock; the rest fire
//  at the next wake-up, right after this batch is committed.
#define NOTIFICATION_FIRE_SLICE 10000

//  When the next pending reminder, claim's lease or resident's retention
//  falls due (INT64_MAX: none).
int64_t
notification_next_wake (const notification_state_t *state);

//  After every decision: counts the `fired` reminders, asks the runtime to
//  wake the service for the next one due, and refreshes the gauges.
void
notification_service_settle (notification_service_t *self, cf_service_t *service, size_t fired);

//  cf_service_def_t's state_new: the configuration read from `service`
//  (the holidays parsed by cf_calendar, the retention periods by
//  cf_retention), the metrics registered. A --holidays item that is
//  neither a date nor nl, or a bad --retention, is refused with a line
//  naming the flag, and NULL is returned (the runtime does not start: exit
//  status 2, bad configuration). state_destroy, apply and
//  digest: the domain state's, for the runtime.
void *
notification_state_new_hook (cf_service_t *service);
void
notification_state_destroy_hook (void **state_p);
int
notification_state_apply_hook (void *state, const Caseflow__V1__Event *event);
void
notification_state_digest_hook (void *state, crypto_hash_sha256_state *hash);

#endif
