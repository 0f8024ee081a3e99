//  handover_state: the state and its one writer, apply.
//
//  Handovers live in an array indexed by their number (H000007 at [6]), so
//  lookups by id are direct and iteration is in id order without sorting.
//  Providers are few and live in a hash table; anything that lists them
//  sorts their ids first. A second index finds a handover by its transit
//  key id, for intake's ResidentErased. Which open handover a resident has
//  is no business of apply (it would have to open the sealed resident):
//  handover_transit keeps that index of keyed hashes at run time.
#include "handover_state.h"
#include "handover_lifecycle.h"

#include "cf_log.h"
#include "cf_sorted.h"

#include <assert.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *
s_dup (const char *text)
{
    char *copy = strdup (text ? text : "");
    assert (copy);
    return copy;
}

static void
s_provider_free (void **item_p)
{
    handover_provider_t *provider = *item_p;
    if (provider) {
        free (provider->provider_id);
        free (provider->name);
        free (provider);
    }
    *item_p = NULL;
}

//  The handover's plain text lives in the state's pool: only its arrays,
//  sealed values and own blocks are freed here.
static void
s_handover_free (handover_t *handover)
{
    free (handover->announced.data);
    free (handover->domains);
    for (size_t i = 0; i < handover->meeting_count; i++)
        free (handover->meetings [i].personal.data);
    free (handover->meetings);
    free (handover->decision.data);
    free (handover->documents);
    for (size_t i = 0; i < handover->file_batch_count; i++)
        free (handover->file_batches [i].data);
    free (handover->file_batches);
    free (handover->cancel.data);
    free (handover);
}

handover_state_t *
handover_state_new (const handover_config_t *config)
{
    handover_state_t *self = calloc (1, sizeof *self);
    assert (self);
    self->config = *config;
    self->providers = zhashx_new ();
    assert (self->providers);
    zhashx_set_destructor (self->providers, s_provider_free);
    self->by_key = cf_hash_new ();
    self->strings = cf_strings_new ();
    self->inbound = cf_inbound_new ();
    return self;
}

void
handover_state_destroy (handover_state_t **self_p)
{
    assert (self_p);
    handover_state_t *self = *self_p;
    if (!self)
        return;
    zhashx_destroy (&self->providers);
    cf_hash_destroy (&self->by_key);
    for (size_t i = 0; i < self->count; i++)
        s_handover_free (self->handovers [i]);
    free (self->handovers);
    cf_strings_destroy (&self->strings);
    cf_inbound_destroy (&self->inbound);
    free (self);
    *self_p = NULL;
}

handover_t *
handover_state_find (const handover_state_t *self, const char *id)
{
    //  "H" then digits only: anything else is no handover of ours.
    if (!id || id [0] != 'H' || !id [1] || strlen (id) >= HANDOVER_ID_SIZE)
        return NULL;
    uint64_t number = 0;
    for (const char *digit = id + 1; *digit; digit++) {
        if (!isdigit ((unsigned char) *digit))
            return NULL;
        number = number * 10 + (uint64_t) (*digit - '0');
    }
    if (number == 0 || number > self->count)
        return NULL;
    handover_t *handover = self->handovers [number - 1];
    return strcmp (handover->id, id) == 0 ? handover : NULL;
}

handover_provider_t *
handover_state_provider (const handover_state_t *self, const char *id)
{
    return id ? zhashx_lookup (self->providers, id) : NULL;
}

handover_provider_t **
handover_state_providers (const handover_state_t *self, size_t *count_p)
{
    //  By key: the key of every entry is its id.
    return (handover_provider_t **) cf_sorted_values (self->providers, count_p);
}

void
handover_state_next_id (const handover_state_t *self, char id [HANDOVER_ID_SIZE])
{
    snprintf (id, HANDOVER_ID_SIZE, "H%06" PRIu64, (uint64_t) self->count + 1);
}

handover_t *
handover_state_by_key (const handover_state_t *self, const char *key_id)
{
    return key_id ? cf_hash_lookup (self->by_key, key_id) : NULL;
}

void
handover_state_set_transit (handover_state_t *self, struct _handover_transit_t *transit)
{
    self->transit = transit;
}

//  ------------------------------------------------------------- appliers

static void
s_apply_provider_added (handover_state_t *self, const Caseflow__V1__Handover__ProviderAdded *body,
                        int64_t at)
{
    handover_provider_t *provider = calloc (1, sizeof *provider);
    assert (provider);
    provider->provider_id = s_dup (body->provider_id);
    provider->name = s_dup (body->name);
    provider->added_at = at;
    //  Decisions never add a provider twice (CONFLICT).
    int rc = zhashx_insert (self->providers, provider->provider_id, provider);
    assert (rc == 0);
}

static void
s_wrong (const Caseflow__V1__Event *event, const char *why) __attribute__ ((noreturn));

static void
s_wrong (const Caseflow__V1__Event *event, const char *why)
{
    cf_log_error ("handover seq %" PRIu64 " does not fit the state: %s", event->seq, why);
    assert (false && "an own event that does not fit the state");
    abort ();
}

//  An own event with personal data in plain in a store of format 3: main
//  wrote such stores between intake sealing its events (journal format 3)
//  and handover sealing its own, without a new format number. That is old
//  data, not a programming error: the start is refused, naming the event
//  and what to do (docs/operations.md, "Upgrading"), with exit code 1
//  rather than an abort. _exit: the loop's sockets are still open.
static void
s_refuse_plain (const Caseflow__V1__Event *event) __attribute__ ((noreturn));

static void
s_refuse_plain (const Caseflow__V1__Event *event)
{
    cf_log_error ("handover seq %" PRIu64 " holds personal data in plain: this store was written "
                  "by a build of store format 3 from before handover sealed its events, which "
                  "this build cannot replay and caseflow-upgrade does not convert (see "
                  "docs/operations.md, \"Upgrading\"); not started",
                  event->seq);
    _exit (1);
}

//  Keeps `sealed` as its encoding (none: size 0).
static void
s_seal_copy (handover_sealed_t *into, const Caseflow__V1__Sealed *sealed)
{
    into->data = NULL;
    into->size = 0;
    if (!sealed)
        return;
    into->size = caseflow__v1__sealed__get_packed_size (sealed);
    into->data = malloc (into->size ? into->size : 1);
    assert (into->data);
    caseflow__v1__sealed__pack (sealed, into->data);
}

static bool
s_has (const char *text)
{
    return text && *text;
}

static void
s_apply_announced (handover_state_t *self, const Caseflow__V1__Event *event, int64_t at)
{
    const Caseflow__V1__Handover__HandoverAnnounced *body = event->handover_announced;
    //  The id was decided from the count: it is the next one.
    char next_id [HANDOVER_ID_SIZE];
    handover_state_next_id (self, next_id);
    if (strcmp (body->handover_id, next_id) != 0)
        s_wrong (event, "handover id out of order");
    //  Personal data in plain: a format-2 event (cf_journal refuses that
    //  store), or one of format 3 from before handover sealed its events.
    if (body->resident || s_has (body->support))
        s_refuse_plain (event);
    if (!body->personal || !cf_seal_id_valid (body->personal->key_id, 'T'))
        s_wrong (event, "personal data not sealed under a transit key");
    if (handover_state_by_key (self, body->personal->key_id))
        s_wrong (event, "transit key used twice");
    handover_t *handover = calloc (1, sizeof *handover);
    assert (handover);
    memcpy (handover->id, next_id, sizeof handover->id);
    handover->provider_id = cf_strings_intern (self->strings, body->provider_id);
    snprintf (handover->transit_key_id, sizeof handover->transit_key_id, "%s",
              body->personal->key_id);
    s_seal_copy (&handover->announced, body->personal);
    if (body->n_domains) {
        handover->domains = calloc (body->n_domains, sizeof *handover->domains);
        assert (handover->domains);
        memcpy (handover->domains, body->domains, body->n_domains * sizeof *body->domains);
        handover->domain_count = body->n_domains;
    }
    handover->preferred_worker = cf_strings_intern (self->strings, body->preferred_worker);
    handover->caseload_worker = cf_strings_intern (self->strings, body->caseload_worker);
    handover->urgency = body->urgency;
    handover->deadline = body->deadline;
    handover->status = HANDOVER_ANNOUNCED;
    handover->announced_at = at;
    handover->next_step = CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_UNSPECIFIED;

    if (self->count == self->capacity) {
        self->capacity = self->capacity ? self->capacity * 2 : 64;
        self->handovers = realloc (self->handovers, self->capacity * sizeof *self->handovers);
        assert (self->handovers);
    }
    self->handovers [self->count++] = handover;
    cf_hash_insert (self->by_key, handover->transit_key_id, handover);
}

//  Moves `handover` by `action`. Every event of this stream was decided
//  against the table: a move it does not list is a programming error.
static void
s_move (handover_t *handover, handover_action_t action)
{
    handover_status_t next = HANDOVER_NONE;
    int rc = handover_lifecycle_next (handover->status, action, &next);
    assert (rc == 0);
    handover->status = next;
}

static void
s_apply_meeting_planned (handover_t *handover, const Caseflow__V1__Event *event, int64_t at)
{
    const Caseflow__V1__Handover__MeetingPlanned *body = event->meeting_planned;
    if (s_has (body->location) || body->n_participants || !body->personal)
        s_wrong (event, "personal data not sealed");
    handover->meetings =
        realloc (handover->meetings, (handover->meeting_count + 1) * sizeof *handover->meetings);
    assert (handover->meetings);
    handover_meeting_t *meeting = &handover->meetings [handover->meeting_count++];
    memset (meeting, 0, sizeof *meeting);
    meeting->planned_at = at;
    meeting->at = body->at;
    s_seal_copy (&meeting->personal, body->personal);
    s_move (handover, HANDOVER_PLAN);
}

static void
s_apply_files_transferred (handover_state_t *self, handover_t *handover,
                           const Caseflow__V1__Event *event, int64_t at)
{
    const Caseflow__V1__Handover__FilesTransferred *body = event->files_transferred;
    for (size_t i = 0; i < body->n_documents; i++)
        if (body->documents [i] && s_has (body->documents [i]->title))
            s_wrong (event, "personal data not sealed");
    if (body->n_documents && !body->personal)
        s_wrong (event, "document titles not sealed");
    if (body->n_documents) {
        size_t batch = handover->file_batch_count;
        handover->file_batches =
            realloc (handover->file_batches, (batch + 1) * sizeof *handover->file_batches);
        assert (handover->file_batches);
        s_seal_copy (&handover->file_batches [batch], body->personal);
        handover->file_batch_count++;
        handover->documents =
            realloc (handover->documents,
                     (handover->document_count + body->n_documents) * sizeof *handover->documents);
        assert (handover->documents);
        for (size_t i = 0; i < body->n_documents; i++) {
            const Caseflow__V1__Handover__Document *document = body->documents [i];
            handover_document_t *copy = &handover->documents [handover->document_count++];
            copy->type = cf_strings_intern (self->strings, document ? document->type : "");
            copy->received_at = document ? document->received_at : 0;
            copy->batch = batch;
            copy->position = i;
        }
    }
    if (body->waived)
        handover->files_waived = true;
    handover->files_recorded_at = at;
    s_move (handover, HANDOVER_RECORD_FILES);
}

//  Intake erased a resident: each handover whose transit key the event
//  names reads "erased" from now on (the keys go at run time,
//  handover_keys.h). Key ids of no handover here are intake's own.
static int
s_apply_resident_erased (handover_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__ResidentErased *body = event->resident_erased;
    bool named = false;
    for (size_t i = 0; i < body->n_key_ids; i++) {
        handover_t *handover = handover_state_by_key (self, body->key_ids [i]);
        if (!handover)
            continue;
        named = true;
        if (!handover->erased_at) {
            handover->erased_at = event->occurred_at;
            snprintf (handover->erased_subject, sizeof handover->erased_subject, "%s",
                      body->subject ? body->subject : "");
        }
    }
    if (!named)
        return 1;
    self->applied++;
    return 0;
}

//  The handover an event names, or NULL.
static handover_t *
s_target (handover_state_t *self, const Caseflow__V1__Event *event)
{
    const char *id = NULL;
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_MEETING_PLANNED:
            id = event->meeting_planned->handover_id;
            break;
        case CASEFLOW__V1__EVENT__BODY_MEETING_HELD: id = event->meeting_held->handover_id; break;
        case CASEFLOW__V1__EVENT__BODY_NEXT_STEP_DECIDED:
            id = event->next_step_decided->handover_id;
            break;
        case CASEFLOW__V1__EVENT__BODY_FILES_TRANSFERRED:
            id = event->files_transferred->handover_id;
            break;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED:
            id = event->handover_completed->handover_id;
            break;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_CANCELLED:
            id = event->handover_cancelled->handover_id;
            break;
        default: break;
    }
    return handover_state_find (self, id);
}

int
handover_state_apply (handover_state_t *self, const Caseflow__V1__Event *event)
{
    int64_t at = event->occurred_at;
    if (strcmp (event->stream, HANDOVER_STREAM) != 0) {
        if (event->body_case == CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED)
            return 0;  //  reacted to (handover_inbound.h); nothing kept
        return event->body_case == CASEFLOW__V1__EVENT__BODY_RESIDENT_ERASED
                   ? s_apply_resident_erased (self, event)
                   : 1;
    }
    if (event->body_case == CASEFLOW__V1__EVENT__BODY_HANDOVER_INBOUND_OUTCOME) {
        if (cf_inbound_record (self->inbound, event->handover_inbound_outcome))
            s_wrong (event, "a second outcome of one inbound event");
        self->applied++;
        return 0;
    }
    if (event->body_case == CASEFLOW__V1__EVENT__BODY_PROVIDER_ADDED) {
        s_apply_provider_added (self, event->provider_added, at);
        self->applied++;
        return 0;
    }
    if (event->body_case == CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED) {
        s_apply_announced (self, event, at);
        self->applied++;
        return 0;
    }
    //  Every event of this stream names a handover it decided on.
    handover_t *handover = s_target (self, event);
    if (!handover)
        s_wrong (event, "unknown handover or not a handover event");
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_MEETING_PLANNED:
            s_apply_meeting_planned (handover, event, at);
            break;
        case CASEFLOW__V1__EVENT__BODY_MEETING_HELD:
            handover->held_at = at;
            s_move (handover, HANDOVER_HOLD);
            break;
        case CASEFLOW__V1__EVENT__BODY_NEXT_STEP_DECIDED:
            if (s_has (event->next_step_decided->note))
                s_wrong (event, "personal data not sealed");
            handover->next_step = event->next_step_decided->next_step;
            s_seal_copy (&handover->decision, event->next_step_decided->personal);
            handover->decided_at = at;
            s_move (handover, HANDOVER_DECIDE);
            break;
        case CASEFLOW__V1__EVENT__BODY_FILES_TRANSFERRED:
            s_apply_files_transferred (self, handover, event, at);
            break;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED: {
            const Caseflow__V1__Handover__HandoverCompleted *body = event->handover_completed;
            if (body->resident || s_has (body->support) || s_has (body->note) || !body->personal)
                s_wrong (event, "personal data not sealed");
            handover->completed_at = at;
            s_move (handover, HANDOVER_COMPLETE);
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_CANCELLED:
            if (s_has (event->handover_cancelled->reason) || !event->handover_cancelled->personal)
                s_wrong (event, "personal data not sealed");
            s_seal_copy (&handover->cancel, event->handover_cancelled->personal);
            handover->cancelled_at = at;
            s_move (handover, HANDOVER_CANCEL);
            break;
        default: s_wrong (event, "not a handover event");
    }
    self->applied++;
    return 0;
}
