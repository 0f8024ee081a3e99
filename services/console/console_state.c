//  console_state: the state and its one writer, apply (see console_state.h).
//
//  apply first packs the event into its stream's log, then updates the
//  projections it touches: a case's record and its event references, the
//  waiting list, the open callbacks, the caseload counts, the handovers.
//  Upstream facts are taken as the producers recorded them; an event that
//  does not fit (a case never registered, a reminder never fired) changes
//  the log and nothing else: the console reports what the streams say and
//  never refuses them.
#include "console_state.h"

#include "cf_digest.h"
#include "cf_fold.h"
#include "cf_log.h"
#include "cf_waiting.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

console_stream_t
console_stream_of (const char *name)
{
    for (int s = 0; s < CONSOLE_STREAM_COUNT; s++)
        if (name && strcmp (name, cf_fold_stream_name ((console_stream_t) s)) == 0)
            return (console_stream_t) s;
    return CONSOLE_STREAM_COUNT;
}

static void
s_case_free (void *value)
{
    console_case_t *kase = value;
    free (kase->events.refs);
    free (kase);
}

static void
s_refs_free (void *value)
{
    console_refs_t *refs = value;
    free (refs->refs);
    free (refs);
}

//  The report's fold moves on every S_FOLD_STEP events and keeps a
//  checkpoint every S_CHECKPOINT_SPACING events folded: a report at any
//  moment decodes and folds at most about that many of intake's and
//  assignment's events, and a checkpoint costs a pointer per 256 cases
//  and the cases changed since the last (cf_report_private.h).
#define S_FOLD_STEP          4096
#define S_CHECKPOINT_SPACING 131072

static size_t
s_source_count (void *ctx, cf_fold_stream_id_t stream)
{
    return console_log_count (((console_state_t *) ctx)->logs [stream]);
}

static int64_t
s_source_occurred_at (void *ctx, cf_fold_stream_id_t stream, size_t index)
{
    return console_log_occurred_at (((console_state_t *) ctx)->logs [stream], index);
}

static Caseflow__V1__Event__BodyCase
s_source_kind (void *ctx, cf_fold_stream_id_t stream, size_t index)
{
    return console_log_kind (((console_state_t *) ctx)->logs [stream], index);
}

static const Caseflow__V1__Event *
s_source_decode (void *ctx, cf_fold_stream_id_t stream, size_t index, ProtobufCAllocator *allocator)
{
    return console_log_decode (((console_state_t *) ctx)->logs [stream], index, allocator);
}

console_state_t *
console_state_new (const handover_config_t *handover)
{
    assert (handover);
    console_state_t *self = calloc (1, sizeof *self);
    assert (self);
    for (int s = 0; s < CONSOLE_STREAM_COUNT; s++)
        self->logs [s] = console_log_new ();
    self->strings = cf_strings_new ();
    self->cases = cf_hash_new ();
    cf_hash_set_destructor (self->cases, s_case_free);
    self->handover_events = cf_hash_new ();
    cf_hash_set_destructor (self->handover_events, s_refs_free);
    self->handover_reminders = cf_hash_new ();
    self->callbacks = cf_hash_new ();
    cf_hash_set_destructor (self->callbacks, free);
    self->workers = cf_hash_new ();
    cf_hash_set_destructor (self->workers, free);
    self->locations = cf_hash_new ();
    cf_hash_set_destructor (self->locations, free);
    self->handovers = handover_state_new (handover);
    cf_report_source_t source = { self, s_source_count, s_source_occurred_at, s_source_kind,
                                  s_source_decode };
    self->checkpoints =
        cf_report_checkpoints_new (&source, self->strings, S_FOLD_STEP, S_CHECKPOINT_SPACING);
    for (int s = 0; s < CONSOLE_STREAM_COUNT; s++)
        self->followed [s] = true;
    return self;
}

void
console_state_destroy (console_state_t **self_p)
{
    assert (self_p);
    console_state_t *self = *self_p;
    if (!self)
        return;
    cf_report_checkpoints_destroy (&self->checkpoints);
    for (int s = 0; s < CONSOLE_STREAM_COUNT; s++)
        console_log_destroy (&self->logs [s]);
    cf_hash_destroy (&self->cases);
    cf_hash_destroy (&self->handover_reminders);
    cf_hash_destroy (&self->handover_events);
    cf_hash_destroy (&self->callbacks);
    cf_hash_destroy (&self->workers);
    cf_hash_destroy (&self->locations);
    handover_state_destroy (&self->handovers);
    free (self->waiting);
    cf_strings_destroy (&self->strings);
    free (self);
    *self_p = NULL;
}

const console_case_t *
console_state_case (const console_state_t *self, const char *id)
{
    assert (self);
    return id ? cf_hash_lookup (self->cases, id) : NULL;
}

const console_refs_t *
console_state_handover_events (const console_state_t *self, const char *id)
{
    assert (self);
    return id && *id ? cf_hash_lookup (self->handover_events, id) : NULL;
}

size_t
console_state_log_memory (const console_state_t *self)
{
    size_t bytes = 0;
    for (int s = 0; s < CONSOLE_STREAM_COUNT; s++)
        bytes += console_log_memory (self->logs [s]);
    return bytes;
}

//  --------------------------------------------------------- the case index

static console_case_t *
s_case (console_state_t *self, const char *id)
{
    return id && *id ? cf_hash_lookup (self->cases, id) : NULL;
}

static void
s_ref (console_refs_t *refs, console_ref_t ref)
{
    if (refs->count == refs->cap) {
        //  Most open cases have a handful of events: start small.
        refs->cap = refs->cap ? 2 * refs->cap : 4;
        refs->refs = realloc (refs->refs, refs->cap * sizeof *refs->refs);
        assert (refs->refs);
    }
    refs->refs [refs->count++] = ref;
}

//  The event list of handover `id` (made on first use), NULL for "".
static console_refs_t *
s_handover_refs (console_state_t *self, const char *id)
{
    if (!id || !*id)
        return NULL;
    console_refs_t *refs = cf_hash_lookup (self->handover_events, id);
    if (!refs) {
        refs = calloc (1, sizeof *refs);
        assert (refs);
        cf_hash_insert (self->handover_events, cf_strings_intern (self->strings, id), refs);
    }
    return refs;
}

//  Indexes a notification event about a handover's reminder (one that
//  names no case) under the handover.
static void
s_handover_reminder_ref (console_state_t *self, const Caseflow__V1__Event *event, console_ref_t ref)
{
    const Caseflow__V1__Notification__Reminder *reminder =
        event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED
            ? event->reminder_scheduled->reminder
        : event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_DUE ? event->reminder_due->reminder
                                                                     : NULL;
    const char *reminder_id =
        reminder ? reminder->reminder_id : cf_fold_event_text (event, "reminder_id");
    console_refs_t *refs = NULL;
    if (reminder && reminder->handover_id && *reminder->handover_id && reminder_id
        && *reminder_id) {
        refs = s_handover_refs (self, reminder->handover_id);
        if (!cf_hash_lookup (self->handover_reminders, reminder_id))
            cf_hash_insert (self->handover_reminders,
                            cf_strings_intern (self->strings, reminder_id), refs);
    } else if (reminder_id && *reminder_id)
        refs = cf_hash_lookup (self->handover_reminders, reminder_id);
    if (refs)
        s_ref (refs, ref);
}

//  -------------------------------------------------------- the waiting list

static cf_waiting_key_t
s_key (const console_case_t *kase)
{
    return (cf_waiting_key_t){ kase->urgency == CASEFLOW__V1__URGENCY__URGENCY_URGENT,
                               kase->triaged_at, kase->id };
}

//  The first index whose case does not go before `kase`.
static size_t
s_waiting_bound (const console_state_t *self, const console_case_t *kase)
{
    cf_waiting_key_t key = s_key (kase);
    size_t low = 0, high = self->waiting_count;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        cf_waiting_key_t other = s_key (self->waiting [mid]);
        if (cf_waiting_compare (&other, &key) < 0)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

static void
s_waiting_add (console_state_t *self, console_case_t *kase)
{
    if (kase->listed)
        return;
    if (self->waiting_count == self->waiting_cap) {
        self->waiting_cap = self->waiting_cap ? 2 * self->waiting_cap : 256;
        self->waiting = realloc (self->waiting, self->waiting_cap * sizeof *self->waiting);
        assert (self->waiting);
    }
    size_t at = s_waiting_bound (self, kase);
    memmove (&self->waiting [at + 1], &self->waiting [at],
             (self->waiting_count - at) * sizeof *self->waiting);
    self->waiting [at] = kase;
    self->waiting_count++;
    kase->listed = true;
}

static void
s_waiting_remove (console_state_t *self, console_case_t *kase)
{
    if (!kase->listed)
        return;
    size_t at = s_waiting_bound (self, kase);
    assert (at < self->waiting_count && self->waiting [at] == kase);
    memmove (&self->waiting [at], &self->waiting [at + 1],
             (self->waiting_count - at - 1) * sizeof *self->waiting);
    self->waiting_count--;
    kase->listed = false;
}

//  ------------------------------------------------------------ the caseload

static void
s_count (console_state_t *self, cf_hash_t *table, const char *id, int delta)
{
    if (!id || !*id)
        return;
    console_count_t *count = cf_hash_lookup (table, id);
    if (!count) {
        if (delta < 0)
            return;
        count = calloc (1, sizeof *count);
        assert (count);
        count->id = cf_strings_intern (self->strings, id);
        cf_hash_insert (table, count->id, count);
    }
    if (delta < 0 && count->open == 0)
        return;
    count->open = (uint32_t) ((int64_t) count->open + delta);
}

//  Gives the case to `worker` ("" none): the caseload moves with it.
static void
s_set_worker (console_state_t *self, console_case_t *kase, const char *worker)
{
    if (strcmp (kase->worker, worker ? worker : "") == 0)
        return;
    if (*kase->worker) {
        s_count (self, self->workers, kase->worker, -1);
        s_count (self, self->locations, kase->location, -1);
    }
    kase->worker = cf_strings_intern (self->strings, worker);
    if (*kase->worker) {
        s_count (self, self->workers, kase->worker, 1);
        s_count (self, self->locations, kase->location, 1);
    }
}

//  Puts the case on the waiting list or takes it off, after any change:
//  open, triaged and without a worker is waiting.
static void
s_place (console_state_t *self, console_case_t *kase)
{
    bool open = kase->status != CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED;
    if (open && kase->triaged_at && !*kase->worker)
        s_waiting_add (self, kase);
    else
        s_waiting_remove (self, kase);
    if (!open || *kase->worker)
        kase->escalated = false;
}

//  -------------------------------------------------------------- applying

static uint16_t
s_domains (const Caseflow__V1__Domain *domains, size_t count)
{
    uint16_t mask = 0;
    for (size_t i = 0; i < count; i++)
        if (domains [i] > 0 && domains [i] < 16)
            mask |= (uint16_t) (1u << domains [i]);
    return mask;
}

static console_case_t *
s_registered (console_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__CaseRegistered *body = event->case_registered;
    if (!body->case_id || !*body->case_id || s_case (self, body->case_id))
        return s_case (self, body->case_id);
    console_case_t *kase = calloc (1, sizeof *kase);
    assert (kase);
    kase->id = cf_strings_intern (self->strings, body->case_id);
    kase->location = cf_strings_intern (self->strings, body->location);
    kase->worker = cf_strings_intern (self->strings, "");
    kase->registered_at = event->occurred_at;
    kase->domains = s_domains (body->domains, body->n_domains);
    kase->status = CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED;
    cf_hash_insert (self->cases, kase->id, kase);
    self->case_count++;
    return kase;
}

static void
s_apply_intake (console_state_t *self, console_case_t *kase, const Caseflow__V1__Event *event)
{
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED:
            kase->domains |=
                s_domains (event->question_added->domains, event->question_added->n_domains);
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED: {
            const Caseflow__V1__Intake__CaseTriaged *body = event->case_triaged;
            if (kase->status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED)
                break;
            //  A re-triage keeps the place of the first: cf_waiting.h.
            bool listed = kase->listed;
            if (listed)
                s_waiting_remove (self, kase);
            if (!kase->triaged_at)
                kase->triaged_at = event->occurred_at;
            if (body->urgency == CASEFLOW__V1__URGENCY__URGENCY_URGENT
                && kase->urgency != CASEFLOW__V1__URGENCY__URGENCY_URGENT)
                kase->urgent_since = event->occurred_at;
            if (body->urgency != CASEFLOW__V1__URGENCY__URGENCY_URGENT)
                kase->escalated = false;
            kase->urgency = (uint8_t) body->urgency;
            if (body->status)
                kase->status = (uint8_t) body->status;
            s_place (self, kase);
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED:
            if (event->case_status_changed->status)
                kase->status = (uint8_t) event->case_status_changed->status;
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_CLOSED:
            kase->status = CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED;
            s_set_worker (self, kase, "");
            s_place (self, kase);
            break;
        default: break;
    }
}

static void
s_apply_assignment (console_state_t *self, console_case_t *kase, const Caseflow__V1__Event *event)
{
    if (kase->status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED)
        return;
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED:
            s_set_worker (self, kase, event->case_assigned->worker_id);
            s_place (self, kase);
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED:
            s_set_worker (self, kase, "");
            s_place (self, kase);
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_COMPLETED: s_set_worker (self, kase, ""); break;
        case CASEFLOW__V1__EVENT__BODY_ASSIGNMENT_ESCALATED:
            s_set_worker (self, kase, "");
            kase->escalated = true;
            s_place (self, kase);
            break;
        default: break;
    }
}

static void
s_apply_notification (console_state_t *self, console_case_t *kase, const Caseflow__V1__Event *event)
{
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_REMINDER_DUE: {
            const Caseflow__V1__Notification__ReminderDue *due = event->reminder_due;
            const Caseflow__V1__Notification__Reminder *reminder = due->reminder;
            if (!kase || !reminder || !reminder->reminder_id || !*reminder->reminder_id
                || reminder->kind
                       != CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK
                || cf_hash_lookup (self->callbacks, reminder->reminder_id))
                break;
            console_callback_t *callback = calloc (1, sizeof *callback);
            assert (callback);
            callback->id = cf_strings_intern (self->strings, reminder->reminder_id);
            callback->kase = kase;
            callback->due_at = reminder->due_at;
            callback->answer_by = due->answer_by;
            callback->number = reminder->number;
            callback->claimed_by = cf_strings_intern (self->strings, "");
            cf_hash_insert (self->callbacks, callback->id, callback);
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIMED: {
            console_callback_t *callback =
                cf_hash_lookup (self->callbacks, event->reminder_claimed->reminder_id);
            if (callback) {
                callback->claimed_by =
                    cf_strings_intern (self->strings, event->reminder_claimed->caller);
                callback->lease_until = event->reminder_claimed->lease_until;
                callback->parked = false;
            }
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_REMINDER_RELEASED:
        case CASEFLOW__V1__EVENT__BODY_REMINDER_LEASE_EXPIRED:
        case CASEFLOW__V1__EVENT__BODY_REMINDER_PARKED: {
            console_callback_t *callback =
                cf_hash_lookup (self->callbacks, cf_fold_event_text (event, "reminder_id"));
            if (callback) {
                callback->claimed_by = cf_strings_intern (self->strings, "");
                callback->lease_until = 0;
                callback->parked = event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_PARKED;
            }
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIM_COMPLETED:
            cf_hash_delete (self->callbacks, event->reminder_claim_completed->reminder_id);
            break;
        case CASEFLOW__V1__EVENT__BODY_REMINDER_CANCELLED:
            cf_hash_delete (self->callbacks, event->reminder_cancelled->reminder_id);
            break;
        case CASEFLOW__V1__EVENT__BODY_REMINDER_ACKNOWLEDGED:
            cf_hash_delete (self->callbacks, event->reminder_acknowledged->reminder_id);
            break;
        case CASEFLOW__V1__EVENT__BODY_CALLBACK_ANSWERED:
            cf_hash_delete (self->callbacks, event->callback_answered->reminder_id);
            break;
        default: break;
    }
}

//  Applies `event`, appended to its stream's log at `index`.
static void
s_apply (console_state_t *self, const Caseflow__V1__Event *event, console_stream_t stream,
         size_t index)
{
    cf_report_checkpoints_appended (self->checkpoints, stream);
    self->applied++;
    console_case_t *kase =
        stream == CONSOLE_INTAKE && event->body_case == CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED
            ? s_registered (self, event)
            : s_case (self, cf_fold_event_case_id (event));
    if (kase)
        s_ref (&kase->events, CONSOLE_REF (stream, index));
    switch (stream) {
        case CONSOLE_INTAKE:
            if (kase)
                s_apply_intake (self, kase, event);
            //  The handovers hold the transit keys intake's erasures name.
            if (event->body_case == CASEFLOW__V1__EVENT__BODY_RESIDENT_ERASED)
                handover_state_apply (self->handovers, event);
            break;
        case CONSOLE_ASSIGNMENT:
            if (kase)
                s_apply_assignment (self, kase, event);
            break;
        case CONSOLE_HANDOVER: {
            console_refs_t *refs =
                s_handover_refs (self, cf_fold_event_text (event, "handover_id"));
            if (refs)
                s_ref (refs, CONSOLE_REF (stream, index));
            //  Handover's own apply: it asserts on what its service never
            //  decides, which a stream it wrote cannot hold.
            handover_state_apply (self->handovers, event);
            break;
        }
        case CONSOLE_NOTIFICATION:
            if (!kase)
                s_handover_reminder_ref (self, event, CONSOLE_REF (stream, index));
            s_apply_notification (self, kase, event);
            break;
        default: break;
    }
}

int
console_state_apply (console_state_t *self, const Caseflow__V1__Event *event)
{
    assert (self && event);
    console_stream_t stream = console_stream_of (event->stream);
    if (stream == CONSOLE_STREAM_COUNT)
        return 1;
    s_apply (self, event, stream, console_log_append (self->logs [stream], event));
    return 0;
}

int
console_state_apply_encoded (console_state_t *self, const Caseflow__V1__Event *event,
                             const void *data, size_t size)
{
    assert (self && event);
    console_stream_t stream = console_stream_of (event->stream);
    if (stream == CONSOLE_STREAM_COUNT)
        return 1;
    s_apply (self, event, stream,
             console_log_append_encoded (self->logs [stream], event, data, size));
    return 0;
}

//  ---------------------------------------------------------------- digest

static int
s_compare_cases (const void *a, const void *b)
{
    return strcmp ((*(console_case_t *const *) a)->id, (*(console_case_t *const *) b)->id);
}

static int
s_compare_callbacks (const void *a, const void *b)
{
    return strcmp ((*(console_callback_t *const *) a)->id, (*(console_callback_t *const *) b)->id);
}

static void
s_digest_u64 (crypto_hash_sha256_state *hash, uint64_t value)
{
    uint8_t bytes [8];
    for (int i = 0; i < 8; i++)
        bytes [i] = (uint8_t) (value >> (56 - 8 * i));
    crypto_hash_sha256_update (hash, bytes, sizeof bytes);
}

void
console_state_digest (const console_state_t *self, crypto_hash_sha256_state *hash)
{
    assert (self && hash);
    s_digest_u64 (hash, self->applied);
    for (int s = 0; s < CONSOLE_STREAM_COUNT; s++) {
        cf_digest_text (hash, cf_fold_stream_name ((console_stream_t) s));
        console_log_digest (self->logs [s], hash);
    }
    size_t count = cf_hash_size (self->cases), n = 0;
    console_case_t **cases = calloc (count + 1, sizeof *cases);
    assert (cases);
    for (console_case_t *kase = cf_hash_first (self->cases); kase;
         kase = cf_hash_next (self->cases))
        cases [n++] = kase;
    qsort (cases, n, sizeof *cases, s_compare_cases);
    s_digest_u64 (hash, n);
    for (size_t i = 0; i < n; i++) {
        const console_case_t *kase = cases [i];
        cf_digest_text (hash, kase->id);
        cf_digest_text (hash, kase->location);
        cf_digest_text (hash, kase->worker);
        s_digest_u64 (hash, (uint64_t) kase->registered_at);
        s_digest_u64 (hash, (uint64_t) kase->triaged_at);
        s_digest_u64 (hash, (uint64_t) kase->urgent_since);
        s_digest_u64 (hash, kase->domains);
        s_digest_u64 (hash, kase->status);
        s_digest_u64 (hash, kase->urgency);
        s_digest_u64 (hash, kase->escalated);
        s_digest_u64 (hash, kase->events.count);
        for (uint32_t r = 0; r < kase->events.count; r++)
            s_digest_u64 (hash, kase->events.refs [r]);
    }
    free (cases);
    s_digest_u64 (hash, self->waiting_count);
    for (size_t i = 0; i < self->waiting_count; i++)
        cf_digest_text (hash, self->waiting [i]->id);
    count = cf_hash_size (self->callbacks);
    n = 0;
    console_callback_t **callbacks = calloc (count + 1, sizeof *callbacks);
    assert (callbacks);
    for (console_callback_t *callback = cf_hash_first (self->callbacks); callback;
         callback = cf_hash_next (self->callbacks))
        callbacks [n++] = callback;
    qsort (callbacks, n, sizeof *callbacks, s_compare_callbacks);
    s_digest_u64 (hash, n);
    for (size_t i = 0; i < n; i++) {
        cf_digest_text (hash, callbacks [i]->id);
        cf_digest_text (hash, callbacks [i]->kase->id);
        s_digest_u64 (hash, (uint64_t) callbacks [i]->due_at);
        s_digest_u64 (hash, (uint64_t) callbacks [i]->answer_by);
        s_digest_u64 (hash, callbacks [i]->number);
        cf_digest_text (hash, callbacks [i]->claimed_by);
        s_digest_u64 (hash, (uint64_t) callbacks [i]->lease_until);
        s_digest_u64 (hash, callbacks [i]->parked);
    }
    free (callbacks);
    handover_state_digest (self->handovers, hash);
}

//  ---------------------------------------------------- the runtime's hooks

void *
console_state_new_hook (cf_service_t *service)
{
    cf_config_t *config = cf_service_config (service);
    handover_config_t handover = {
        .default_deadline = cf_config_int (config, "handover-deadline"),
        .at_risk_window = cf_config_int (config, "handover-at-risk-window"),
        .forecast_window = cf_config_int (config, "handover-forecast-window"),
    };
    console_state_t *state = console_state_new (&handover);
    for (int s = 0; s < CONSOLE_STREAM_COUNT; s++) {
        char name [64];
        snprintf (name, sizeof name, "%s-events", cf_fold_stream_name ((console_stream_t) s));
        state->followed [s] = strcmp (cf_config_string (config, name), CF_CONFIG_NONE) != 0;
    }
    return state;
}

void
console_state_destroy_hook (void **state_p)
{
    console_state_t *state = *state_p;
    console_state_destroy (&state);
    *state_p = NULL;
}

int
console_state_apply_hook (void *state, const Caseflow__V1__Event *event, const void *data,
                          size_t size)
{
    return console_state_apply_encoded (state, event, data, size);
}

void
console_state_digest_hook (void *state, crypto_hash_sha256_state *hash)
{
    console_state_digest (state, hash);
}
