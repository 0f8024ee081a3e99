//  cf_report_fold: intake's and assignment's passes of the council report,
//  folded event by event into a state that can be copied and folded on
//  (see cf_report.h, "the case fold", and cf_report_private.h).
//
//  Intake gives every case its status history, first triage, urgency,
//  location, areas, age band and worker (the areas and the age band are
//  plain fields: no personal data is read), and counts the registrations
//  by channel and the questions added; assignment gives the roster, the
//  locations added and when urgent cases got a worker. Every text kept is
//  interned and the areas copied, so the state outlives the events.
#include "cf_report_private.h"

#include "caseflow/v1/assignment.pb-c.h"
#include "caseflow/v1/intake.pb-c.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define S_STATUS(name) CASEFLOW__V1__CASE_STATUS__CASE_STATUS_##name
//  The top bit of a transition reference: in the fold's own pool (a fork's).
#define S_FORKED ((uint32_t) 1 << 31)

static void *
s_worker_dup (const void *item)
{
    cf_report_worker_t *copy = malloc (sizeof *copy);
    assert (copy);
    memcpy (copy, item, sizeof *copy);
    return copy;
}

static void
s_worker_free (void **item)
{
    free (*item);
    *item = NULL;
}

//  A fold with nothing in it.
static cf_report_fold_t *
s_new (cf_strings_t *strings)
{
    cf_report_fold_t *self = calloc (1, sizeof *self);
    assert (self);
    self->own_strings = strings == NULL;
    self->strings = strings ? strings : cf_strings_new ();
    self->arena = cf_arena_new (0);
    self->index = cf_hash_new ();
    self->workers = zhashx_new ();
    zhashx_set_destructor (self->workers, s_worker_free);
    self->locations = zhashx_new ();
    return self;
}

cf_report_fold_t *
cf_report_fold_new (cf_strings_t *strings)
{
    return s_new (strings);
}

void
cf_report_fold_destroy (cf_report_fold_t **self_p)
{
    assert (self_p);
    cf_report_fold_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i * CF_REPORT_CHUNK < self->count; i++)
        if (--self->chunks [i]->refs == 0)
            free (self->chunks [i]);
    free (self->chunks);
    free (self->own.items);
    cf_hash_destroy (&self->index);
    zhashx_destroy (&self->workers);
    zhashx_destroy (&self->locations);
    cf_arena_destroy (&self->arena);
    if (self->own_strings)
        cf_strings_destroy (&self->strings);
    free (self);
    *self_p = NULL;
}

cf_report_fold_t *
cf_report_fold_fork (const cf_report_fold_t *base)
{
    assert (base);
    //  A fork reads one pool and one index beside its own: its base may
    //  not have added to either of its own.
    assert (!base->base_pool || (base->own.count == 0 && cf_hash_size (base->index) == 0));
    //  A pool of its own: it must never write into the strings its base
    //  reads (that fold is borrowed read-only).
    cf_report_fold_t *self = s_new (NULL);
    self->base_pool = base->base_pool ? base->base_pool : &base->own;
    self->base_index = base->base_index ? base->base_index : base->index;
    self->base_count = base->count;
    self->count = base->count;
    self->chunk_cap = base->chunk_cap;
    self->chunks = malloc ((self->chunk_cap + 1) * sizeof *self->chunks);
    assert (self->chunks);
    for (size_t i = 0; i * CF_REPORT_CHUNK < base->count; i++) {
        self->chunks [i] = base->chunks [i];
        self->chunks [i]->refs++;
    }
    for (cf_report_worker_t *worker = zhashx_first (base->workers); worker;
         worker = zhashx_next (base->workers))
        zhashx_insert (self->workers, zhashx_cursor (base->workers), s_worker_dup (worker));
    for (void *item = zhashx_first (base->locations); item; item = zhashx_next (base->locations))
        zhashx_insert (self->locations, zhashx_cursor (base->locations), item);
    self->registrations = base->registrations;
    self->questions = base->questions;
    memcpy (self->channels, base->channels, sizeof self->channels);
    self->folded = base->folded;
    return self;
}

size_t
cf_report_fold_cases (const cf_report_fold_t *self)
{
    assert (self);
    return self->count;
}

//  The position + 1 of case `id` in the fold, 0 when it has none.
static size_t
s_position (const cf_report_fold_t *self, const char *id)
{
    if (!id || !*id)
        return 0;
    uintptr_t position = (uintptr_t) cf_hash_lookup (self->index, id);
    if (!position && self->base_index) {
        position = (uintptr_t) cf_hash_lookup (self->base_index, id);
        if (position > self->base_count)
            position = 0;
    }
    return position;
}

const cf_report_case_t *
cf_report_fold_case (const cf_report_fold_t *self, const char *id)
{
    size_t position = s_position (self, id);
    return position ? cf_report_fold_at (self, position - 1) : NULL;
}

//  The case at `position` (< count), for changing: its chunk is copied
//  first when another fold holds it too.
static cf_report_case_t *
s_writable (cf_report_fold_t *self, size_t position)
{
    cf_report_chunk_t **chunk = &self->chunks [position / CF_REPORT_CHUNK];
    if ((*chunk)->refs > 1) {
        cf_report_chunk_t *copy = malloc (sizeof *copy);
        assert (copy);
        memcpy (copy, *chunk, sizeof *copy);
        copy->refs = 1;
        (*chunk)->refs--;
        *chunk = copy;
    }
    return &(*chunk)->items [position % CF_REPORT_CHUNK];
}

//  The case `id` of the fold for changing, or NULL.
static cf_report_case_t *
s_case (cf_report_fold_t *self, const char *id)
{
    size_t position = s_position (self, id);
    return position ? s_writable (self, position - 1) : NULL;
}

static const cf_report_transition_t *
s_transition (const cf_report_fold_t *self, uint32_t ref)
{
    if (ref & S_FORKED)
        return &self->own.items [ref & ~S_FORKED];
    return &(self->base_pool ? self->base_pool : &self->own)->items [ref];
}

Caseflow__V1__CaseStatus
cf_report_fold_status_at (const cf_report_fold_t *self, const cf_report_case_t *kase, int64_t when)
{
    //  The chain runs newest first; the status is read oldest first, up to
    //  the first transition after `when`, as the history was recorded.
    const cf_report_transition_t *chain [16], **items = chain;
    if (kase->transition_count > 16) {
        items = malloc (kase->transition_count * sizeof *items);
        assert (items);
    }
    uint32_t count = 0;
    for (uint32_t ref = kase->last; ref != CF_REPORT_NONE; ref = items [count - 1]->prev)
        items [count++] = s_transition (self, ref);
    assert (count == kase->transition_count);
    Caseflow__V1__CaseStatus status = S_STATUS (UNSPECIFIED);
    for (uint32_t i = count; i > 0 && items [i - 1]->at <= when; i--)
        status = items [i - 1]->status;
    if (items != chain)
        free (items);
    return status;
}

static void
s_push_transition (cf_report_fold_t *self, cf_report_case_t *kase, int64_t at,
                   Caseflow__V1__CaseStatus status)
{
    cf_report_pool_t *pool = &self->own;
    if (pool->count == pool->cap) {
        pool->cap = pool->cap ? pool->cap * 2 : 4096;
        pool->items = realloc (pool->items, pool->cap * sizeof *pool->items);
        assert (pool->items);
    }
    assert (pool->count < S_FORKED);
    pool->items [pool->count] =
        (cf_report_transition_t){ .at = at, .prev = kase->last, .status = (uint8_t) status };
    kase->last = (uint32_t) pool->count++ | (self->base_pool ? S_FORKED : 0);
    kase->transition_count++;
    kase->status = (uint8_t) status;
}

//  --------------------------------------------------------------- intake

static cf_report_case_t *
s_register (cf_report_fold_t *self, const char *id,
            const Caseflow__V1__Intake__CaseRegistered *body)
{
    if (self->count % CF_REPORT_CHUNK == 0) {
        size_t chunk = self->count / CF_REPORT_CHUNK;
        if (chunk == self->chunk_cap) {
            self->chunk_cap = self->chunk_cap ? self->chunk_cap * 2 : 64;
            self->chunks = realloc (self->chunks, self->chunk_cap * sizeof *self->chunks);
            assert (self->chunks);
        }
        self->chunks [chunk] = malloc (sizeof **self->chunks);
        assert (self->chunks [chunk]);
        self->chunks [chunk]->refs = 1;
    }
    cf_report_case_t *kase = s_writable (self, self->count++);
    memset (kase, 0, sizeof *kase);
    kase->location = cf_strings_intern (self->strings, body->location);
    kase->worker = cf_strings_intern (self->strings, "");
    kase->age_band = (uint8_t) body->age_band;
    kase->last = CF_REPORT_NONE;
    if (body->n_areas) {
        ProtobufCAllocator *allocator = cf_arena_allocator (self->arena);
        const char **areas =
            allocator->alloc (allocator->allocator_data, body->n_areas * sizeof *areas);
        for (size_t i = 0; i < body->n_areas; i++)
            areas [i] = cf_strings_intern (self->strings, body->areas [i]);
        kase->areas = areas;
        kase->area_count = (uint32_t) body->n_areas;
    }
    //  The index keeps the interned id (a key must outlive its entry).
    cf_hash_insert (self->index, cf_strings_intern (self->strings, id),
                    (void *) (uintptr_t) self->count);
    self->registrations++;
    Caseflow__V1__Channel channel = body->channel;
    self->channels [channel > 0 && channel < CF_REPORT_CHANNELS ? channel : 0]++;
    return kase;
}

static void
s_intake (cf_report_fold_t *self, const Caseflow__V1__Event *event)
{
    const char *id = cf_fold_event_case_id (event);
    cf_report_case_t *kase = s_case (self, id);
    if (event->body_case == CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED && !kase && *id)
        kase = s_register (self, id, event->case_registered);
    if (!kase)
        return;
    Caseflow__V1__CaseStatus status = cf_fold_status_after (kase->status, event);
    if (status != kase->status)
        s_push_transition (self, kase, event->occurred_at, status);
    if (event->body_case == CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED)
        self->questions++;
    else if (event->body_case == CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED)
        kase->worker = cf_strings_intern (self->strings, event->case_status_changed->worker_id);
    else if (event->body_case == CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED) {
        const Caseflow__V1__Intake__CaseTriaged *body = event->case_triaged;
        if (!kase->first_triaged_at)
            kase->first_triaged_at = event->occurred_at;
        kase->ever_urgent |= body->urgency == CASEFLOW__V1__URGENCY__URGENCY_URGENT;
        if (kase->ever_urgent && !kase->urgent_at && body->status == S_STATUS (URGENT))
            kase->urgent_at = event->occurred_at;
    }
}

//  ----------------------------------------------------------- assignment

//  The worker `id` of the roster, added when `join`; NULL when unknown.
static cf_report_worker_t *
s_worker (cf_report_fold_t *self, const char *id, bool join)
{
    cf_report_worker_t *worker = zhashx_lookup (self->workers, id);
    if (!worker && join) {
        worker = calloc (1, sizeof *worker);
        assert (worker);
        zhashx_insert (self->workers, id, worker);
    }
    return worker;
}

static void
s_assignment (cf_report_fold_t *self, const Caseflow__V1__Event *event)
{
    static int s_marker;
    const char *id = cf_fold_event_text (event, "worker_id");
    cf_report_worker_t *worker =
        s_worker (self, id, event->body_case == CASEFLOW__V1__EVENT__BODY_WORKER_JOINED);
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_LOCATION_ADDED:
            zhashx_update (self->locations, event->location_added->location_id, &s_marker);
            break;
        case CASEFLOW__V1__EVENT__BODY_WORKER_JOINED:
            worker->fte_milli = event->worker_joined->fte_milli;
            break;
        case CASEFLOW__V1__EVENT__BODY_WORKER_CHANGED:
            if (worker && event->worker_changed->fte_milli)
                worker->fte_milli = event->worker_changed->fte_milli;
            break;
        case CASEFLOW__V1__EVENT__BODY_WORKER_ABSENCE_STARTED:
        case CASEFLOW__V1__EVENT__BODY_WORKER_RETURNED:
            if (worker)
                worker->absent =
                    event->body_case == CASEFLOW__V1__EVENT__BODY_WORKER_ABSENCE_STARTED;
            break;
        case CASEFLOW__V1__EVENT__BODY_WORKER_LEFT:
            if (worker)
                worker->left = true;
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED: {
            size_t position = s_position (self, event->case_assigned->case_id);
            const cf_report_case_t *kase = position ? cf_report_fold_at (self, position - 1) : NULL;
            if (kase && kase->urgent_at && !kase->picked_up_at
                && event->occurred_at >= kase->urgent_at)
                s_writable (self, position - 1)->picked_up_at = event->occurred_at;
            break;
        }
        default: break;
    }
}

void
cf_report_fold_apply (cf_report_fold_t *self, cf_fold_stream_id_t stream,
                      const Caseflow__V1__Event *event, int64_t at)
{
    assert (self && event);
    if (event->occurred_at > at)
        return;
    if (stream == CF_FOLD_INTAKE)
        s_intake (self, event);
    else if (stream == CF_FOLD_ASSIGNMENT)
        s_assignment (self, event);
    else
        return;
    self->folded++;
}
