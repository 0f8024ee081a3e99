//  notification_state: the state and `apply` (see notification_state.h).
//
//  Apply asks the lifecycle table before moving a reminder: an own event
//  that makes a move the table does not list was decided wrongly, and is
//  asserted rather than left to corrupt the heap. Upstream events are facts: apply records what the reminders
//  depend on (location, status, waiting periods, contacts) and never
//  decides anything; handle_upstream decides afterwards on the updated
//  state.
#include "notification_state.h"

#include "cf_streams.h"
#include "cf_digest.h"
#include "cf_error.h"
#include "cf_hash.h"
#include "cf_id.h"
#include "cf_log.h"
#include "cf_strings.h"
#include "cf_words.h"
#include "notification_lifecycle.h"
#include "notification_pending.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define S_PENDING       CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_PENDING
#define S_DUE           CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_DUE
#define S_ACKED         CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_ACKNOWLEDGED
#define S_CANCELLED     CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_CANCELLED
#define S_KIND_CALLBACK CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK
#define S_KIND_PARKED   CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_WEBHOOK_PARKED
#define S_KIND_DIVERGED CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_STREAM_DIVERGED
//  An operator alert: about a subscription and a stream, no case.
#define S_OPERATOR_ALERT(kind) ((kind) == S_KIND_PARKED || (kind) == S_KIND_DIVERGED)

struct _notification_state_t {
    notification_config_t config;
    cf_hash_t *reminders;   //  id -> notification_reminder_t * (key borrowed from it)
    cf_hash_t *cases;       //  id -> notification_case_t * (key borrowed from it)
    cf_strings_t *strings;  //  interned text (targets, reasons, locations)
    notification_pending_t pending;
    size_t due_count;
    //  The case found or made last: an upstream event, the decision on it
    //  and the reminders it schedules all name the same case, one after
    //  another. Cases are never removed, so the pointer stays good.
    notification_case_t *last_case;
    //  Reminders whose id is not the one their kind, case and number give
    //  (notification_reminder_id), or of a case kind without a case. The
    //  decisions never make one; while there are none, a case's reminder
    //  is found in the case's own short list instead of the big table.
    size_t odd_reminders;
    notification_retention_t *retention;
    notification_claims_t *claims;
};

//  ---------------------------------------------------------------- records

//  A record's id is laid out right after it, in the same block.
static void
s_reminder_free (void *item)
{
    notification_reminder_t *reminder = item;
    free (reminder->handover_id);
    free (reminder->subscription_id);
    notification_claims_free (reminder->claim);
    free (reminder);
}

static void
s_case_free (void *item)
{
    notification_case_t *kase = item;
    if (kase->points != kase->first_points)
        free (kase->points);
    if (kase->reminders != kase->first_reminders)
        free (kase->reminders);
    free (kase);
}

//  A zeroed record of `size` bytes with a copy of `id` after it, which
//  *id_p is set to.
static void *
s_record_new (size_t size, const char *id, char **id_p)
{
    size_t id_size = strlen (id) + 1;
    char *record = calloc (1, size + id_size);
    assert (record);
    *id_p = memcpy (record + size, id, id_size);
    return record;
}

static char *
s_strdup (const char *text)
{
    char *copy = strdup (text ? text : "");
    assert (copy);
    return copy;
}

//  The one copy of `text` the state keeps.
static const char *
s_intern (notification_state_t *self, const char *text)
{
    return cf_strings_intern (self->strings, text);
}

//  The case with id `id`, or NULL; remembered for the next look.
static notification_case_t *
s_case_find (notification_state_t *self, const char *id)
{
    notification_case_t *kase = self->last_case;
    if (kase && strcmp (kase->id, id) == 0)
        return kase;
    kase = cf_hash_lookup (self->cases, id);
    if (kase)
        self->last_case = kase;
    return kase;
}

static notification_case_t *
s_case_require (notification_state_t *self, const char *id)
{
    notification_case_t *kase = s_case_find (self, id);
    if (kase)
        return kase;
    char *copy;
    kase = s_record_new (sizeof *kase, id, &copy);
    kase->id = copy;
    kase->location = s_intern (self, "");
    kase->points = kase->first_points;
    kase->point_cap = NOTIFICATION_CASE_INLINE;
    kase->reminders = kase->first_reminders;
    kase->reminder_cap = NOTIFICATION_CASE_INLINE;
    cf_hash_insert (self->cases, kase->id, kase);
    self->last_case = kase;
    return kase;
}

//  A full list of a case, twice as big: moved out of the case (`in_case`)
//  the first time, reallocated after that.
static void *
s_grow_list (void *items, void *in_case, uint32_t *cap_p, size_t item_size)
{
    uint32_t cap = *cap_p;
    void *grown =
        items == in_case ? malloc (2 * cap * item_size) : realloc (items, 2 * cap * item_size);
    assert (grown);
    if (items == in_case)
        memcpy (grown, in_case, cap * item_size);
    *cap_p = 2 * cap;
    return grown;
}

static void
s_case_point (notification_case_t *kase, int64_t at, notification_point_kind_t kind,
              Caseflow__V1__CaseStatus status)
{
    if (kase->point_count == kase->point_cap)
        kase->points =
            s_grow_list (kase->points, kase->first_points, &kase->point_cap, sizeof *kase->points);
    kase->points [kase->point_count++] =
        (notification_point_t){ .at = at, .kind = (uint8_t) kind, .status = (uint8_t) status };
}

static void
s_case_add_reminder (notification_case_t *kase, notification_reminder_t *reminder)
{
    if (kase->reminder_count == kase->reminder_cap)
        kase->reminders = s_grow_list (kase->reminders, kase->first_reminders, &kase->reminder_cap,
                                       sizeof *kase->reminders);
    kase->reminders [kase->reminder_count++] = reminder;
}

//  The case's status moved: a waiting period starts or ends with it (and
//  its due callbacks are no longer for the callers to claim).
static void
s_case_status (notification_state_t *self, notification_case_t *kase,
               Caseflow__V1__CaseStatus status, int64_t at)
{
    if (status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_UNSPECIFIED)
        return;
    bool waiting = status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING;
    kase->status = status;
    if (waiting && !kase->waiting) {
        kase->waiting = true;
        kase->periods++;
        kase->waiting_since = at;
        s_case_point (kase, at, NOTIFICATION_POINT_WAIT_START, status);
    } else if (!waiting && kase->waiting) {
        kase->waiting = false;
        s_case_point (kase, at, NOTIFICATION_POINT_WAIT_END, status);
        notification_claims_case_left (self->claims, kase->reminders, kase->reminder_count);
    }
}

//  ------------------------------------------------------------------ new

notification_state_t *
notification_state_new (const notification_config_t *config)
{
    notification_state_t *self = calloc (1, sizeof *self);
    assert (self);
    self->config = *config;
    memset (&self->config.calendar, 0, sizeof self->config.calendar);
    cf_calendar_copy (&self->config.calendar, &config->calendar);
    //  Records are keyed by their own id: no second copy of a million keys.
    self->reminders = cf_hash_new ();
    self->cases = cf_hash_new ();
    self->strings = cf_strings_new ();
    cf_hash_set_destructor (self->reminders, s_reminder_free);
    cf_hash_set_destructor (self->cases, s_case_free);
    self->retention = notification_retention_new (&config->retention);
    self->claims = notification_claims_new ();
    return self;
}

void
notification_state_destroy (notification_state_t **self_p)
{
    notification_state_t *self = *self_p;
    if (!self)
        return;
    notification_pending_clear (&self->pending);
    cf_hash_destroy (&self->reminders);
    cf_hash_destroy (&self->cases);
    cf_strings_destroy (&self->strings);
    notification_retention_destroy (&self->retention);
    notification_claims_destroy (&self->claims);
    cf_calendar_clear (&self->config.calendar);
    free (self);
    *self_p = NULL;
}

const notification_config_t *
notification_state_config (const notification_state_t *self)
{
    return &self->config;
}

//  ----------------------------------------------------------- own events

//  An own event that does not fit the state was decided wrongly (the
//  decisions ask the same table): logged, then asserted. Never returns.
static int
s_refuse (const Caseflow__V1__Event *event, const char *id, const char *why)
    __attribute__ ((noreturn));

static int
s_refuse (const Caseflow__V1__Event *event, const char *id, const char *why)
{
    cf_log_error ("apply: %s seq %llu (reminder %s) does not fit the state: %s", event->stream,
                  (unsigned long long) event->seq, id ? id : "?", why);
    assert (false && "an own event that does not fit the state");
    abort ();
}

static bool
s_move (notification_reminder_t *reminder, notification_action_t action)
{
    int status = reminder ? reminder->status : 0;
    return notification_lifecycle_next (status, action) != 0;
}

//  True unless the reminder's id is the one notification_reminder_id gives
//  for its kind, subject and number, with a case for a case's kind and a
//  subject that cannot blur where the parts of the id meet (no '/').
static bool
s_odd (const notification_reminder_t *reminder)
{
    char id [CF_REMINDER_ID_MAX + 1];
    if (S_OPERATOR_ALERT (reminder->kind)) {
        //  apply checked both parts are ids, so neither holds a '/'.
        notification_alert_reminder_id (id, sizeof id, reminder->kind, reminder->subscription_id,
                                        reminder->stream, reminder->number);
        return strcmp (id, reminder->id) != 0;
    }
    const char *subject = reminder->kase ? reminder->kase->id : reminder->handover_id;
    bool case_kind = reminder->kind
                     != CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_HANDOVER_DEADLINE;
    if (!cf_id_valid (subject) || (case_kind && !reminder->kase))
        return true;
    notification_reminder_id (id, sizeof id, reminder->kind, subject, reminder->number);
    return strcmp (id, reminder->id) != 0;
}

static int
s_apply_scheduled (notification_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Notification__Reminder *body =
        event->reminder_scheduled ? event->reminder_scheduled->reminder : NULL;
    if (!body || !*body->reminder_id || strlen (body->reminder_id) > CF_REMINDER_ID_MAX
        || !cf_words_find (&cf_words_reminder_kind, body->kind))
        return s_refuse (event, body ? body->reminder_id : NULL, "not a valid reminder");
    notification_reminder_t *reminder = cf_hash_lookup (self->reminders, body->reminder_id);
    if (reminder) {
        if (!s_move (reminder, NOTIFICATION_RESCHEDULE))
            return s_refuse (event, body->reminder_id, "rescheduled but not pending");
        reminder->due_at = body->due_at;
        reminder->target = s_intern (self, body->target);
        reminder->scheduled_at = event->occurred_at;
        notification_pending_update (&self->pending, reminder);
        return 0;
    }
    bool for_case = *body->case_id != 0, for_handover = *body->handover_id != 0;
    bool parked = S_OPERATOR_ALERT (body->kind);
    if (parked
        && (for_case || for_handover || !cf_id_valid (body->subscription_id)
            || !cf_id_valid (body->stream)))
        return s_refuse (event, body->reminder_id,
                         "an operator alert needs a subscription and a stream, no case");
    if (!parked && for_case == for_handover)
        return s_refuse (event, body->reminder_id, "needs a case or a handover, not both");
    char *copy;
    reminder = s_record_new (sizeof *reminder, body->reminder_id, &copy);
    reminder->id = copy;
    reminder->kind = (uint8_t) body->kind;
    reminder->status = S_PENDING;
    reminder->number = body->number;
    reminder->target = s_intern (self, body->target);
    reminder->due_at = body->due_at;
    reminder->scheduled_at = event->occurred_at;
    reminder->heap_index = NOTIFICATION_NOT_PENDING;
    if (for_case) {
        reminder->kase = s_case_require (self, body->case_id);
        s_case_add_reminder (reminder->kase, reminder);
        if (reminder->kind == S_KIND_CALLBACK && reminder->number > reminder->kase->callbacks)
            reminder->kase->callbacks = reminder->number;
    } else if (parked) {
        reminder->subscription_id = s_strdup (body->subscription_id);
        reminder->stream = s_intern (self, body->stream);
    } else
        reminder->handover_id = s_strdup (body->handover_id);
    if (s_odd (reminder))
        self->odd_reminders++;
    cf_hash_insert (self->reminders, reminder->id, reminder);
    notification_pending_push (&self->pending, reminder);
    return 0;
}

static int
s_apply_cancelled (notification_state_t *self, const Caseflow__V1__Event *event)
{
    const char *id = event->reminder_cancelled->reminder_id;
    notification_reminder_t *reminder = cf_hash_lookup (self->reminders, id);
    if (!s_move (reminder, NOTIFICATION_CANCEL))
        return s_refuse (event, id, "cancelled but not pending");
    notification_pending_remove (&self->pending, reminder);
    reminder->status = S_CANCELLED;
    reminder->closed_at = event->occurred_at;
    reminder->closed_by = s_intern (self, event->reminder_cancelled->reason);
    return 0;
}

static int
s_apply_due (notification_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Notification__ReminderDue *body = event->reminder_due;
    const char *id = body->reminder ? body->reminder->reminder_id : NULL;
    notification_reminder_t *reminder = id ? cf_hash_lookup (self->reminders, id) : NULL;
    if (!s_move (reminder, NOTIFICATION_FIRE))
        return s_refuse (event, id, "fired but not pending");
    notification_pending_remove (&self->pending, reminder);
    reminder->status = S_DUE;
    reminder->fired_at = body->fired_at ? body->fired_at : event->occurred_at;
    reminder->answer_by = body->answer_by;
    self->due_count++;
    notification_claims_fired (self->claims, reminder);
    return 0;
}

//  A recorded call answered a callback that had fallen due, once.
static int
s_apply_answered (notification_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Notification__CallbackAnswered *body = event->callback_answered;
    notification_reminder_t *reminder = cf_hash_lookup (self->reminders, body->reminder_id);
    if (!reminder || reminder->kind != S_KIND_CALLBACK || !reminder->fired_at
        || reminder->answered_by || !body->intake_seq)
        return s_refuse (event, body->reminder_id, "answered but not a fired, open callback");
    reminder->answered_by = body->intake_seq;
    return 0;
}

static int
s_apply_acknowledged (notification_state_t *self, const Caseflow__V1__Event *event)
{
    const char *id = event->reminder_acknowledged->reminder_id;
    notification_reminder_t *reminder = cf_hash_lookup (self->reminders, id);
    if (!s_move (reminder, NOTIFICATION_ACKNOWLEDGE))
        return s_refuse (event, id, "acknowledged but not due");
    if (reminder->status == S_ACKED)
        return 0;
    reminder->status = S_ACKED;
    reminder->closed_at = event->occurred_at;
    reminder->closed_by = s_intern (self, event->reminder_acknowledged->by);
    self->due_count--;
    notification_claims_acknowledged (self->claims, reminder);
    return 0;
}

//  A claim event: the reminder it names moves as the claim table says.
static int
s_apply_claim (notification_state_t *self, const Caseflow__V1__Event *event, const char *id)
{
    notification_reminder_t *reminder = id ? cf_hash_lookup (self->reminders, id) : NULL;
    if (notification_claims_apply (self->claims, reminder, event))
        return s_refuse (event, id, "a claim move the claim table or the holders refuse");
    return 0;
}

//  ------------------------------------------------------ upstream events

//  The case an upstream event is about, created on first mention; NULL
//  (with a warning) when the id cannot be used in reminder ids.
static notification_case_t *
s_upstream_case (notification_state_t *self, const Caseflow__V1__Event *event, const char *case_id)
{
    if (!cf_id_valid (case_id)) {
        cf_log_warn ("apply: %s seq %llu ignored: unusable case id", event->stream,
                     (unsigned long long) event->seq);
        return NULL;
    }
    return s_case_require (self, case_id);
}

static int
s_apply_intake (notification_state_t *self, const Caseflow__V1__Event *event)
{
    int64_t at = event->occurred_at;
    notification_case_t *kase;
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED:
            kase = s_upstream_case (self, event, event->case_registered->case_id);
            if (!kase)
                return 1;
            if (*event->case_registered->location)
                kase->location = s_intern (self, event->case_registered->location);
            if (kase->status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_UNSPECIFIED)
                kase->status = CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED;
            if (!kase->subject)
                kase->subject = notification_retention_registered (
                    self->retention, event->case_registered->subject,
                    cf_retention_domain_set (event->case_registered->domains,
                                             event->case_registered->n_domains),
                    kase->status != CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED);
            return 0;
        case CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED:
            kase = cf_id_valid (event->question_added->case_id)
                       ? s_case_find (self, event->question_added->case_id)
                       : NULL;
            if (!kase || !kase->subject)
                return 1;
            notification_retention_domains (
                self->retention, kase->subject,
                cf_retention_domain_set (event->question_added->domains,
                                         event->question_added->n_domains));
            return 0;
        case CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED:
            kase = s_upstream_case (self, event, event->case_triaged->case_id);
            if (!kase)
                return 1;
            s_case_status (self, kase, event->case_triaged->status, at);
            return 0;
        case CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED:
            kase = s_upstream_case (self, event, event->case_status_changed->case_id);
            if (!kase)
                return 1;
            s_case_status (self, kase, event->case_status_changed->status, at);
            return 0;
        case CASEFLOW__V1__EVENT__BODY_CASE_CLOSED:
            kase = s_upstream_case (self, event, event->case_closed->case_id);
            if (!kase)
                return 1;
            if (kase->subject && kase->status != CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED)
                notification_retention_closed (self->retention, kase->subject, at);
            s_case_status (self, kase, CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED, at);
            return 0;
        case CASEFLOW__V1__EVENT__BODY_RESIDENT_HELD:
            notification_retention_held (self->retention, event->resident_held->subject, true);
            return 0;
        case CASEFLOW__V1__EVENT__BODY_RESIDENT_RELEASED:
            notification_retention_held (self->retention, event->resident_released->subject, false);
            return 0;
        case CASEFLOW__V1__EVENT__BODY_RESIDENT_ERASED:
            notification_retention_erased (self->retention, event->resident_erased->subject);
            return 0;
        case CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED:
            kase = s_upstream_case (self, event, event->callback_recorded->case_id);
            if (!kase)
                return 1;
            kase->last_contact_at = at;
            //  Compliance is about waiting cases: a call to an urgent case
            //  is not part of any waiting period.
            if (kase->waiting)
                s_case_point (kase, at, NOTIFICATION_POINT_CONTACT, kase->status);
            return 0;
        default: return 1;
    }
}

int
notification_state_apply (notification_state_t *self, const Caseflow__V1__Event *event)
{
    if (cf_stream_of (event->stream, NOTIFICATION_STREAM)) {
        switch (event->body_case) {
            case CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED:
                return s_apply_scheduled (self, event);
            case CASEFLOW__V1__EVENT__BODY_REMINDER_CANCELLED:
                return s_apply_cancelled (self, event);
            case CASEFLOW__V1__EVENT__BODY_REMINDER_DUE: return s_apply_due (self, event);
            case CASEFLOW__V1__EVENT__BODY_REMINDER_ACKNOWLEDGED:
                return s_apply_acknowledged (self, event);
            case CASEFLOW__V1__EVENT__BODY_CALLBACK_ANSWERED: return s_apply_answered (self, event);
            case CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIMED:
                return s_apply_claim (self, event, event->reminder_claimed->reminder_id);
            case CASEFLOW__V1__EVENT__BODY_REMINDER_RELEASED:
                return s_apply_claim (self, event, event->reminder_released->reminder_id);
            case CASEFLOW__V1__EVENT__BODY_REMINDER_LEASE_EXPIRED:
                return s_apply_claim (self, event, event->reminder_lease_expired->reminder_id);
            case CASEFLOW__V1__EVENT__BODY_REMINDER_PARKED:
                return s_apply_claim (self, event, event->reminder_parked->reminder_id);
            case CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIM_COMPLETED:
                return s_apply_claim (self, event, event->reminder_claim_completed->reminder_id);
            case CASEFLOW__V1__EVENT__BODY_RETENTION_DUE:
                if (notification_retention_fired (self->retention, event->retention_due))
                    return s_refuse (event, event->retention_due->retention_id,
                                     "a retention that is not due");
                return 0;
            default: return s_refuse (event, NULL, "not a notification event");
        }
    }
    if (cf_stream_of (event->stream, NOTIFICATION_INTAKE))
        return s_apply_intake (self, event);
    //  Decided on, but nothing to remember: the escalation and the
    //  handover facts travel in the events themselves.
    if (cf_stream_of (event->stream, NOTIFICATION_ASSIGNMENT))
        return event->body_case == CASEFLOW__V1__EVENT__BODY_ASSIGNMENT_ESCALATED ? 0 : 1;
    if (cf_stream_of (event->stream, NOTIFICATION_HANDOVER))
        return event->body_case == CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED
                       || event->body_case == CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED
                       || event->body_case == CASEFLOW__V1__EVENT__BODY_HANDOVER_CANCELLED
                   ? 0
                   : 1;
    //  The gateway's parked webhook events: an alert, decided on alone.
    if (cf_stream_of (event->stream, NOTIFICATION_GATEWAY))
        return event->body_case == CASEFLOW__V1__EVENT__BODY_EVENT_PARKED ? 0 : 1;
    return 1;
}

//  ---------------------------------------------------------------- reads

notification_reminder_t *
notification_state_reminder (const notification_state_t *self, const char *id)
{
    return id ? cf_hash_lookup (self->reminders, id) : NULL;
}

notification_case_t *
notification_state_case (const notification_state_t *self, const char *id)
{
    if (!id)
        return NULL;
    //  Decisions read the case the event just applied: apply remembered it.
    if (self->last_case && strcmp (self->last_case->id, id) == 0)
        return self->last_case;
    return cf_hash_lookup (self->cases, id);
}

notification_reminder_t *
notification_state_case_reminder (const notification_state_t *self, const notification_case_t *kase,
                                  const char *id)
{
    if (self->odd_reminders)
        return cf_hash_lookup (self->reminders, id);
    //  Every reminder's id is made of its kind, case and number, and a
    //  case's kind has a case: one with this id is on this case's list.
    for (size_t i = 0; i < kase->reminder_count; i++)
        if (strcmp (kase->reminders [i]->id, id) == 0)
            return kase->reminders [i];
    return NULL;
}

void
notification_state_prefetch_reminder (const notification_state_t *self, const char *id)
{
    cf_hash_prefetch (self->reminders, id);
}

notification_reminder_t *
notification_state_next_due (const notification_state_t *self)
{
    return notification_pending_first (&self->pending);
}

size_t
notification_state_pending_count (const notification_state_t *self)
{
    return self->pending.count;
}

size_t
notification_state_due_count (const notification_state_t *self)
{
    return self->due_count;
}

int
notification_state_each_reminder (const notification_state_t *self,
                                  int (*fn) (void *ctx, notification_reminder_t *reminder),
                                  void *ctx)
{
    for (notification_reminder_t *reminder = cf_hash_first (self->reminders); reminder;
         reminder = cf_hash_next (self->reminders)) {
        int rc = fn (ctx, reminder);
        if (rc)
            return rc;
    }
    return 0;
}

static int
s_compare_cases (const void *a, const void *b)
{
    return strcmp ((*(notification_case_t *const *) a)->id,
                   (*(notification_case_t *const *) b)->id);
}

const notification_claims_t *
notification_state_claims (const notification_state_t *self)
{
    return self->claims;
}

const notification_retention_t *
notification_state_retention (const notification_state_t *self)
{
    return self->retention;
}

notification_case_t **
notification_state_cases_sorted (const notification_state_t *self, size_t *count_p)
{
    size_t count = cf_hash_size (self->cases);
    notification_case_t **cases = malloc ((count + 1) * sizeof *cases);
    assert (cases);
    size_t i = 0;
    for (notification_case_t *kase = cf_hash_first (self->cases); kase;
         kase = cf_hash_next (self->cases))
        cases [i++] = kase;
    qsort (cases, count, sizeof *cases, s_compare_cases);
    *count_p = count;
    return cases;
}

notification_reminder_t *
notification_case_pending (const notification_case_t *kase,
                           Caseflow__V1__Notification__ReminderKind kind)
{
    for (size_t i = 0; i < kase->reminder_count; i++)
        if (kase->reminders [i]->kind == kind && kase->reminders [i]->status == S_PENDING)
            return kase->reminders [i];
    return NULL;
}

//  --------------------------------------------------------------- digest

static int
s_compare_reminders (const void *a, const void *b)
{
    return strcmp ((*(notification_reminder_t *const *) a)->id,
                   (*(notification_reminder_t *const *) b)->id);
}

void
notification_state_digest (const notification_state_t *self, crypto_hash_sha256_state *hash)
{
    size_t count = cf_hash_size (self->reminders);
    notification_reminder_t **reminders = malloc ((count + 1) * sizeof *reminders);
    assert (reminders);
    size_t i = 0;
    for (notification_reminder_t *reminder = cf_hash_first (self->reminders); reminder;
         reminder = cf_hash_next (self->reminders))
        reminders [i++] = reminder;
    qsort (reminders, count, sizeof *reminders, s_compare_reminders);
    for (i = 0; i < count; i++) {
        const notification_reminder_t *r = reminders [i];
        cf_digest_counted_text (hash, "reminder");
        cf_digest_counted_text (hash, r->id);
        cf_digest_counted_number (hash, r->kind);
        cf_digest_counted_number (hash, r->status);
        cf_digest_counted_number (hash, (long long) r->number);
        cf_digest_counted_text (hash, r->kase ? r->kase->id : "");
        cf_digest_counted_text (hash, r->handover_id);
        cf_digest_counted_text (hash, r->target);
        cf_digest_counted_number (hash, r->due_at);
        cf_digest_counted_number (hash, r->scheduled_at);
        cf_digest_counted_number (hash, r->fired_at);
        cf_digest_counted_number (hash, r->closed_at);
        cf_digest_counted_text (hash, r->closed_by);
        //  Added with the on-time facts; absent (as before them) until set.
        if (r->answer_by || r->answered_by) {
            cf_digest_counted_number (hash, r->answer_by);
            cf_digest_counted_number (hash, (long long) r->answered_by);
        }
        //  Added with webhook-parked alerts; absent for the other kinds.
        if (r->subscription_id) {
            cf_digest_counted_text (hash, r->subscription_id);
            cf_digest_counted_text (hash, r->stream);
        }
        //  Added with claims; absent for a reminder never claimed or parked.
        if (r->claim)
            notification_claims_digest (r->claim, hash);
    }
    free (reminders);

    size_t case_count = 0;
    notification_case_t **cases = notification_state_cases_sorted (self, &case_count);
    for (i = 0; i < case_count; i++) {
        const notification_case_t *c = cases [i];
        cf_digest_counted_text (hash, "case");
        cf_digest_counted_text (hash, c->id);
        cf_digest_counted_text (hash, c->location);
        cf_digest_counted_number (hash, c->status);
        cf_digest_counted_number (hash, c->waiting);
        cf_digest_counted_number (hash, c->periods);
        cf_digest_counted_number (hash, c->waiting_since);
        cf_digest_counted_number (hash, c->last_contact_at);
        cf_digest_counted_number (hash, (long long) c->callbacks);
        cf_digest_counted_number (hash, (long long) c->point_count);
        for (size_t p = 0; p < c->point_count; p++) {
            cf_digest_counted_number (hash, c->points [p].at);
            cf_digest_counted_number (hash, c->points [p].kind);
            cf_digest_counted_number (hash, c->points [p].status);
        }
        //  The case's reminders are hashed above; their order here is the
        //  schedule order, which replay reproduces.
        cf_digest_counted_number (hash, (long long) c->reminder_count);
        for (size_t r = 0; r < c->reminder_count; r++)
            cf_digest_counted_text (hash, c->reminders [r]->id);
    }
    free (cases);
    notification_retention_digest (self->retention, hash);
}
