//  notification_claims: the claims of due callbacks and their indexes (see
//  notification_claims.h).
//
//  Apply checks every claim event against the claim table and against the
//  indexes (a caller holds one reminder at most) before it changes
//  anything: the decisions ask the same questions, so an event that does
//  not fit was decided wrongly and the state's apply asserts on it.
#include "notification_claims.h"

#include "cf_digest.h"
#include "cf_error.h"
#include "cf_hash.h"
#include "cf_strings.h"
#include "notification_state.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define S_DUE CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_DUE

//  A list of reminders sorted by (key, id); the key is read through `key`.
typedef struct {
    notification_reminder_t **items;
    size_t count, cap;
    int64_t (*key) (const notification_reminder_t *reminder);
} s_list_t;

struct _notification_claims_t {
    s_list_t open;          //  by due time
    s_list_t leases;        //  by lease end
    cf_hash_t *holders;     //  caller (interned) -> reminder
    cf_strings_t *strings;  //  callers and parkers
    size_t parked;
};

static int64_t
s_due_key (const notification_reminder_t *reminder)
{
    return reminder->due_at;
}

static int64_t
s_lease_key (const notification_reminder_t *reminder)
{
    return reminder->claim->lease_until;
}

//  Negative, zero or positive as `a` sorts before, with or after `b`.
static int
s_compare (const s_list_t *list, const notification_reminder_t *a, const notification_reminder_t *b)
{
    int64_t ka = list->key (a), kb = list->key (b);
    if (ka != kb)
        return ka < kb ? -1 : 1;
    return strcmp (a->id, b->id);
}

//  The first position whose item does not sort before `reminder`.
static size_t
s_lower_bound (const s_list_t *list, const notification_reminder_t *reminder)
{
    size_t low = 0, high = list->count;
    //  Nearly every insert goes at the end: check that first.
    if (high && s_compare (list, list->items [high - 1], reminder) < 0)
        return high;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (s_compare (list, list->items [middle], reminder) < 0)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

static void
s_list_insert (s_list_t *list, notification_reminder_t *reminder)
{
    size_t at = s_lower_bound (list, reminder);
    if (at < list->count && list->items [at] == reminder)
        return;
    if (list->count == list->cap) {
        list->cap = list->cap ? 2 * list->cap : 64;
        list->items = realloc (list->items, list->cap * sizeof *list->items);
        assert (list->items);
    }
    memmove (list->items + at + 1, list->items + at, (list->count - at) * sizeof *list->items);
    list->items [at] = reminder;
    list->count++;
}

//  Removes `reminder` when it is in the list (its key unchanged since it
//  went in); returns whether it was.
static bool
s_list_remove (s_list_t *list, notification_reminder_t *reminder)
{
    size_t at = s_lower_bound (list, reminder);
    if (at == list->count || list->items [at] != reminder)
        return false;
    memmove (list->items + at, list->items + at + 1, (list->count - at - 1) * sizeof *list->items);
    list->count--;
    return true;
}

notification_claims_t *
notification_claims_new (void)
{
    notification_claims_t *self = calloc (1, sizeof *self);
    assert (self);
    self->open.key = s_due_key;
    self->leases.key = s_lease_key;
    self->holders = cf_hash_new ();
    self->strings = cf_strings_new ();
    return self;
}

void
notification_claims_destroy (notification_claims_t **self_p)
{
    notification_claims_t *self = *self_p;
    if (!self)
        return;
    free (self->open.items);
    free (self->leases.items);
    cf_hash_destroy (&self->holders);
    cf_strings_destroy (&self->strings);
    free (self);
    *self_p = NULL;
}

void
notification_claims_free (notification_claim_t *claim)
{
    if (claim) {
        free (claim->park_reason);
        free (claim);
    }
}

bool
notification_claims_kind (int kind)
{
    return kind == CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK
           || kind == CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK_OVERDUE;
}

notification_claim_status_t
notification_claims_status (const notification_reminder_t *reminder)
{
    return reminder->claim ? (notification_claim_status_t) reminder->claim->status
                           : NOTIFICATION_CLAIM_OPEN;
}

//  An open due callback of a waiting case belongs on the open list.
static void
s_open (notification_claims_t *self, notification_reminder_t *reminder)
{
    if (reminder->status == S_DUE && notification_claims_kind (reminder->kind) && reminder->kase
        && reminder->kase->waiting
        && notification_claims_status (reminder) == NOTIFICATION_CLAIM_OPEN)
        s_list_insert (&self->open, reminder);
}

void
notification_claims_fired (notification_claims_t *self, notification_reminder_t *reminder)
{
    s_open (self, reminder);
}

void
notification_claims_acknowledged (notification_claims_t *self, notification_reminder_t *reminder)
{
    if (notification_claims_kind (reminder->kind))
        s_list_remove (&self->open, reminder);
}

void
notification_claims_case_left (notification_claims_t *self,
                               notification_reminder_t *const *reminders, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (reminders [i]->status == S_DUE && notification_claims_kind (reminders [i]->kind))
            s_list_remove (&self->open, reminders [i]);
}

//  ---------------------------------------------------------------- apply

//  The claim of `reminder`, made open on its first claim event.
static notification_claim_t *
s_claim (notification_reminder_t *reminder)
{
    if (!reminder->claim) {
        reminder->claim = calloc (1, sizeof *reminder->claim);
        assert (reminder->claim);
        reminder->claim->status = NOTIFICATION_CLAIM_OPEN;
        reminder->claim->caller = "";
    }
    return reminder->claim;
}

//  The holder of a claimed reminder lets go of it: off the leases and the
//  holders.
static void
s_let_go (notification_claims_t *self, notification_reminder_t *reminder)
{
    notification_claim_t *claim = reminder->claim;
    if (claim->status != NOTIFICATION_CLAIM_CLAIMED)
        return;
    s_list_remove (&self->leases, reminder);
    cf_hash_delete (self->holders, claim->caller);
    claim->lease_until = 0;
}

static void
s_unpark (notification_claims_t *self, notification_claim_t *claim)
{
    if (claim->status != NOTIFICATION_CLAIM_PARKED)
        return;
    self->parked--;
    free (claim->park_reason);
    claim->park_reason = NULL;
    claim->parked_by = NULL;
}

//  The claim moves by `action` to the table's next status; CF_ESTATE when
//  the table does not list the move.
static int
s_move (notification_reminder_t *reminder, notification_claim_action_t action,
        notification_claim_status_t *next_p)
{
    return notification_claim_next (notification_claims_status (reminder), action, next_p);
}

int
notification_claims_apply (notification_claims_t *self, notification_reminder_t *reminder,
                           const Caseflow__V1__Event *event)
{
    notification_claim_status_t next;
    if (!reminder || !notification_claims_kind (reminder->kind))
        return CF_ESTATE;
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIMED: {
            const char *caller = event->reminder_claimed->caller;
            if (reminder->status != S_DUE || s_move (reminder, NOTIFICATION_CLAIM, &next)
                || !*caller || cf_hash_lookup (self->holders, caller))
                return CF_ESTATE;
            notification_claim_t *claim = s_claim (reminder);
            s_list_remove (&self->open, reminder);
            claim->status = (uint8_t) next;
            claim->caller = cf_strings_intern (self->strings, caller);
            claim->lease_until = event->reminder_claimed->lease_until;
            cf_hash_insert (self->holders, claim->caller, reminder);
            s_list_insert (&self->leases, reminder);
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_REMINDER_RELEASED:
        case CASEFLOW__V1__EVENT__BODY_REMINDER_LEASE_EXPIRED: {
            bool expired = event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_LEASE_EXPIRED;
            if (reminder->status != S_DUE
                || s_move (reminder, expired ? NOTIFICATION_EXPIRE : NOTIFICATION_RELEASE, &next))
                return CF_ESTATE;
            s_let_go (self, reminder);
            s_unpark (self, reminder->claim);
            reminder->claim->status = (uint8_t) next;
            s_open (self, reminder);
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_REMINDER_PARKED: {
            if (reminder->status != S_DUE || s_move (reminder, NOTIFICATION_PARK, &next))
                return CF_ESTATE;
            notification_claim_t *claim = s_claim (reminder);
            s_list_remove (&self->open, reminder);
            s_let_go (self, reminder);
            claim->status = (uint8_t) next;
            claim->parked_by = cf_strings_intern (self->strings, event->reminder_parked->by);
            claim->park_reason = strdup (event->reminder_parked->reason);
            assert (claim->park_reason);
            self->parked++;
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIM_COMPLETED: {
            if (reminder->status == S_DUE || s_move (reminder, NOTIFICATION_COMPLETE, &next))
                return CF_ESTATE;
            s_let_go (self, reminder);
            s_unpark (self, reminder->claim);
            reminder->claim->status = (uint8_t) next;
            break;
        }
        default: return CF_ESTATE;
    }
    reminder->claim->changed_at = event->occurred_at;
    return 0;
}

//  ---------------------------------------------------------------- reads

notification_reminder_t *
notification_claims_held_by (const notification_claims_t *self, const char *caller)
{
    return caller && *caller ? cf_hash_lookup (self->holders, caller) : NULL;
}

size_t
notification_claims_open_count (const notification_claims_t *self)
{
    return self->open.count;
}

notification_reminder_t *
notification_claims_open_at (const notification_claims_t *self, size_t index)
{
    return index < self->open.count ? self->open.items [index] : NULL;
}

notification_reminder_t *
notification_claims_next_lease (const notification_claims_t *self)
{
    return self->leases.count ? self->leases.items [0] : NULL;
}

size_t
notification_claims_claimed_count (const notification_claims_t *self)
{
    return self->leases.count;
}

size_t
notification_claims_parked_count (const notification_claims_t *self)
{
    return self->parked;
}

void
notification_claims_digest (const notification_claim_t *claim, crypto_hash_sha256_state *hash)
{
    cf_digest_counted_text (hash, "claim");
    cf_digest_counted_number (hash, claim->status);
    cf_digest_counted_text (hash, claim->caller);
    cf_digest_counted_number (hash, claim->lease_until);
    cf_digest_counted_text (hash, claim->parked_by);
    cf_digest_counted_text (hash, claim->park_reason);
    cf_digest_counted_number (hash, claim->changed_at);
}
