//  intake_state: the cases, the tracks and apply (see intake_state.h).
//
//  Apply trusts intake's own events: the decisions validated them against
//  this very state, so one that does not fit (an unknown case or track, a
//  case id out of order) is a programming error, logged and asserted.
//  Upstream events change nothing here (intake reacts with its own), and
//  an upstream event with one of intake's own types is not for intake.
//  Derived data (the status counts and the resident and handover indexes)
//  is never journaled; it is rebuilt here as events are applied, so replay
//  gives the same state as the live run, byte for byte.
#include "intake_state.h"

#include "cf_streams.h"
#include "cf_api.h"
#include "cf_case_id.h"
#include "cf_error.h"
#include "cf_hash.h"
#include "cf_log.h"
#include "cf_resident.h"
#include "intake_areas.h"
#include "intake_index.h"
#include "intake_lifecycle.h"
#include "intake_validate.h"

#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define S_STATUS_SLOTS (CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED + 1)

struct _intake_state_t {
    intake_case_t **cases;  //  by number, ascending
    size_t case_count, case_cap;
    uint64_t next_number;
    char *shard;              //  cf_case_id.h: "" for the default
    cf_shards_t *shards;      //  the shards' districts; NULL: no sharding
    intake_track_t **tracks;  //  by id, ascending
    size_t track_count, track_cap;
    intake_index_t *by_subject;  //  open cases by subject id
    cf_hash_t *handovers;        //  handover id (the case's copy) -> intake_case_t
    uint64_t status_counts [S_STATUS_SLOTS];
    intake_subject_t **subjects;  //  in the order first seen
    size_t subject_count, subject_cap;
    cf_hash_t *subject_ids;  //  id (the subject's own) -> intake_subject_t
    intake_areas_t *areas;   //  the locations serving each district (LocationAdded)
    struct _intake_registry_t *registry;
    cf_retention_t retention;
    cf_inbound_t *inbound;  //  the gateway's events handled (InboundOutcome)
};

//  ------------------------------------------------------------- helpers

//  Most of a case's text fields are empty (no location on the phone, no
//  worker yet, no handover...): they all point at this one empty string
//  instead of a malloc'd byte each (32 bytes with malloc's overhead; about
//  a fifth of an open case). The strings a registration brings are laid
//  out after the case in its one block (kase->text); only what changes
//  later is a string of its own. Free a case's strings with s_release,
//  other state strings with s_free, never with free.
static char s_empty [1] = "";

static char *
s_copy (const char *text)
{
    return text && *text ? cf_strdup (text) : s_empty;
}

static void
s_free (char *text)
{
    if (text != s_empty)
        free (text);
}

static void
s_release (const intake_case_t *kase, char *text)
{
    uintptr_t at = (uintptr_t) text, start = (uintptr_t) kase->text;
    if (at < start || at >= start + kase->text_size)
        s_free (text);
}

//  Copies before releasing: `text` may be the field's own value.
static void
s_replace (intake_case_t *kase, char **field_p, const char *text)
{
    char *copy = s_copy (text);
    s_release (kase, *field_p);
    *field_p = copy;
}

//  The index borrows the subject's own id, which lives as long as the state.
static void
s_index_add (intake_state_t *self, intake_case_t *kase)
{
    intake_index_add (self->by_subject, kase->subject->id, kase);
}

static void
s_index_remove (intake_state_t *self, intake_case_t *kase)
{
    intake_index_remove (self->by_subject, kase->subject->id, kase);
}

//  Copies the encoded Sealed of an event (NULL: none) into *out.
static void
s_seal_copy (intake_sealed_t *out, const Caseflow__V1__Sealed *sealed)
{
    out->data = NULL;
    out->size = 0;
    if (!sealed)
        return;
    out->size = caseflow__v1__sealed__get_packed_size (sealed);
    out->data = malloc (out->size ? out->size : 1);
    assert (out->data);
    caseflow__v1__sealed__pack (sealed, out->data);
}

static void
s_seal_free (intake_sealed_t *sealed)
{
    free (sealed->data);
    sealed->data = NULL;
    sealed->size = 0;
}

static void
s_set_status (intake_state_t *self, intake_case_t *kase, Caseflow__V1__CaseStatus status,
              int64_t at)
{
    if (status < CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED || status >= S_STATUS_SLOTS)
        return;
    if (kase->status == status)
        return;
    if (kase->status > 0 && kase->status < S_STATUS_SLOTS)
        self->status_counts [kase->status]--;
    self->status_counts [status]++;
    bool was_open = intake_lifecycle_is_open (kase->status);
    kase->status = status;
    kase->status_changed_at = at;
    if (was_open && !intake_lifecycle_is_open (status))
        s_index_remove (self, kase);
}

static void
s_case_free (intake_case_t *kase)
{
    char **fields [] = {
        &kase->location,    &kase->referred_by, &kase->preferred_worker,
        &kase->handover_id, &kase->provider_id, &kase->worker_id,
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields [0]; i++)
        s_release (kase, *fields [i]);
    s_seal_free (&kase->personal);
    s_seal_free (&kase->triage_reason);
    s_seal_free (&kase->close_reason);
    for (size_t i = 0; i < kase->area_count; i++)
        s_free (kase->areas [i]);
    free (kase->areas);
    for (size_t i = 0; i < kase->callback_count; i++) {
        s_seal_free (&kase->callbacks [i].note);
        s_free (kase->callbacks [i].reminder_id);
    }
    free (kase->callbacks);
    for (size_t i = 0; i < kase->track_count; i++)
        s_free (kase->tracks [i]);
    free (kase->tracks);
    for (size_t i = 0; i < kase->question_count; i++) {
        s_seal_free (&kase->questions [i].personal);
        s_free (kase->questions [i].referred_by);
        s_free (kase->questions [i].handover_id);
        s_free (kase->questions [i].provider_id);
    }
    free (kase->questions);
    free (kase);
}

static void
s_track_free (intake_track_t *track)
{
    s_free (track->id);
    s_free (track->name);
    s_free (track->location);
    s_free (track->starts_on);
    for (size_t i = 0; i < track->case_count; i++)
        s_free (track->case_ids [i]);
    free (track->case_ids);
    free (track);
}

//  Appends a copy of `text` to a growing string array.
static void
s_push_string (char ***array_p, size_t *count_p, const char *text)
{
    *array_p = realloc (*array_p, (*count_p + 1) * sizeof **array_p);
    assert (*array_p);
    (*array_p) [(*count_p)++] = s_copy (text);
}

//  ----------------------------------------------------------- lifetime

intake_state_t *
intake_state_new (void)
{
    intake_state_t *self = calloc (1, sizeof *self);
    assert (self);
    self->next_number = 1;
    self->shard = s_empty;
    self->by_subject = intake_index_new ();
    self->handovers = cf_hash_new ();
    self->subject_ids = cf_hash_new ();
    self->areas = intake_areas_new ();
    self->inbound = cf_inbound_new ();
    cf_retention_defaults (&self->retention);
    return self;
}

void
intake_state_destroy (intake_state_t **self_p)
{
    intake_state_t *self = *self_p;
    if (!self)
        return;
    intake_index_destroy (&self->by_subject);
    cf_hash_destroy (&self->handovers);
    for (size_t i = 0; i < self->subject_count; i++) {
        intake_subject_t *subject = self->subjects [i];
        for (size_t k = 0; k < subject->key_count; k++)
            free (subject->key_ids [k]);
        free (subject->key_ids);
        for (size_t k = 0; k < subject->case_count; k++)
            free (subject->case_ids [k]);
        free (subject->case_ids);
        free (subject);
    }
    free (self->subjects);
    cf_hash_destroy (&self->subject_ids);
    intake_areas_destroy (&self->areas);
    cf_inbound_destroy (&self->inbound);
    if (self->shard != s_empty)
        free (self->shard);
    cf_shards_destroy (&self->shards);
    for (size_t i = 0; i < self->case_count; i++)
        s_case_free (self->cases [i]);
    free (self->cases);
    for (size_t i = 0; i < self->track_count; i++)
        s_track_free (self->tracks [i]);
    free (self->tracks);
    free (self);
    *self_p = NULL;
}

//  -------------------------------------------------------------- lookups

static intake_case_t *
s_case (const intake_state_t *self, const char *case_id)
{
    uint64_t number;
    if (!case_id || !cf_case_id_parse (case_id, self->shard, &number))
        return NULL;
    //  Numbers are handed out one after another from 1, so case N is
    //  nearly always at N - 1; the search is for a journal with gaps.
    if (number <= self->case_count && self->cases [number - 1]->number == number)
        return self->cases [number - 1];
    size_t low = 0, high = self->case_count;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (self->cases [mid]->number < number)
            low = mid + 1;
        else
            high = mid;
    }
    if (low < self->case_count && self->cases [low]->number == number)
        return self->cases [low];
    return NULL;
}

const intake_case_t *
intake_state_case (const intake_state_t *self, const char *case_id)
{
    return s_case (self, case_id);
}

size_t
intake_state_case_count (const intake_state_t *self)
{
    return self->case_count;
}

const intake_case_t *
intake_state_case_at (const intake_state_t *self, size_t index)
{
    assert (index < self->case_count);
    return self->cases [index];
}

size_t
intake_state_case_index_after (const intake_state_t *self, uint64_t number)
{
    size_t low = 0, high = self->case_count;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (self->cases [mid]->number <= number)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

void
intake_state_set_shard (intake_state_t *self, const char *shard, cf_shards_t **shards_p)
{
    assert (self->case_count == 0 && self->shard == s_empty && !self->shards);
    if (shard && *shard) {
        self->shard = strdup (shard);
        assert (self->shard);
    }
    if (shards_p) {
        self->shards = *shards_p;
        *shards_p = NULL;
    }
}

bool
intake_state_serves (const intake_state_t *self, const char *district)
{
    if (!self->shards)
        return true;
    const char *shard = cf_case_id_shard_of (cf_shards_route (self->shards, district));
    return shard && strcmp (shard, self->shard) == 0;
}

bool
intake_state_sharded (const intake_state_t *self)
{
    return self->shards != NULL;
}

const char *
intake_state_route (const intake_state_t *self, const char *district)
{
    return cf_shards_route (self->shards, district);
}

const char *
intake_state_shard (const intake_state_t *self)
{
    return self->shard;
}

uint64_t
intake_state_next_number (const intake_state_t *self)
{
    return self->next_number;
}

const intake_subject_t *
intake_state_subject (const intake_state_t *self, const char *subject_id)
{
    return subject_id ? cf_hash_lookup (self->subject_ids, subject_id) : NULL;
}

size_t
intake_state_subject_count (const intake_state_t *self)
{
    return self->subject_count;
}

const intake_subject_t *
intake_state_subject_at (const intake_state_t *self, size_t index)
{
    assert (index < self->subject_count);
    return self->subjects [index];
}

const intake_case_t *
intake_state_open_case (const intake_state_t *self, const char *subject_id)
{
    intake_case_t *const *cases;
    if (!subject_id || !*subject_id)
        return NULL;
    return intake_index_get (self->by_subject, subject_id, &cases) ? cases [0] : NULL;
}

size_t
intake_state_areas (const intake_state_t *self, const char *district, char *const **ids_p)
{
    return intake_areas_of (self->areas, district, ids_p);
}

void
intake_state_set_registry (intake_state_t *self, struct _intake_registry_t *registry)
{
    self->registry = registry;
}

struct _intake_registry_t *
intake_state_registry (const intake_state_t *self)
{
    return self->registry;
}

void
intake_state_set_retention (intake_state_t *self, const cf_retention_t *retention)
{
    self->retention = *retention;
}

const cf_retention_t *
intake_state_retention (const intake_state_t *self)
{
    return &self->retention;
}

const cf_inbound_t *
intake_state_inbound (const intake_state_t *self)
{
    return self->inbound;
}

bool
intake_state_handover_seen (const intake_state_t *self, const char *handover_id)
{
    return handover_id && *handover_id && cf_hash_lookup (self->handovers, handover_id) != NULL;
}

static intake_track_t *
s_track (const intake_state_t *self, const char *track_id, size_t *insert_at_p)
{
    size_t low = 0, high = self->track_count;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (strcmp (self->tracks [mid]->id, track_id) < 0)
            low = mid + 1;
        else
            high = mid;
    }
    if (insert_at_p)
        *insert_at_p = low;
    if (low < self->track_count && strcmp (self->tracks [low]->id, track_id) == 0)
        return self->tracks [low];
    return NULL;
}

const intake_track_t *
intake_state_track (const intake_state_t *self, const char *track_id)
{
    return track_id ? s_track (self, track_id, NULL) : NULL;
}

size_t
intake_state_track_count (const intake_state_t *self)
{
    return self->track_count;
}

const intake_track_t *
intake_state_track_at (const intake_state_t *self, size_t index)
{
    assert (index < self->track_count);
    return self->tracks [index];
}

bool
intake_case_in_track (const intake_case_t *kase, const char *track_id)
{
    for (size_t i = 0; i < kase->track_count; i++)
        if (strcmp (kase->tracks [i], track_id) == 0)
            return true;
    return false;
}

uint64_t
intake_state_status_count (const intake_state_t *self, Caseflow__V1__CaseStatus status)
{
    if (status < 0 || status >= S_STATUS_SLOTS)
        return 0;
    return self->status_counts [status];
}

//  --------------------------------------------------------------- apply

//  An own event that does not fit the state: never returns.
static void
s_wrong (const Caseflow__V1__Event *event, const char *why) __attribute__ ((noreturn));

static void
s_wrong (const Caseflow__V1__Event *event, const char *why)
{
    cf_log_error ("intake seq %" PRIu64 " (%s) does not fit the state: %s", event->seq,
                  event->case_id ? event->case_id : "", why);
    assert (false && "an own event that does not fit the state");
    abort ();
}

//  Appends a copy of `id` to a growing id list unless it is there.
static void
s_push_unique (char ***array_p, size_t *count_p, const char *id)
{
    for (size_t i = 0; i < *count_p; i++)
        if (strcmp ((*array_p) [i], id) == 0)
            return;
    *array_p = realloc (*array_p, (*count_p + 1) * sizeof **array_p);
    assert (*array_p);
    (*array_p) [(*count_p)++] = cf_strdup (id);
}

//  The subject an own event names, made on first sight.
static intake_subject_t *
s_subject (intake_state_t *self, const Caseflow__V1__Event *event, const char *id)
{
    if (!cf_seal_id_valid (id, 'S'))
        s_wrong (event, "no subject id");
    intake_subject_t *subject = cf_hash_lookup (self->subject_ids, id);
    if (subject)
        return subject;
    subject = calloc (1, sizeof *subject);
    assert (subject);
    memcpy (subject->id, id, CF_SEAL_ID_SIZE);
    if (self->subject_count == self->subject_cap) {
        self->subject_cap = self->subject_cap ? self->subject_cap * 2 : 256;
        self->subjects = realloc (self->subjects, self->subject_cap * sizeof *self->subjects);
        assert (self->subjects);
    }
    self->subjects [self->subject_count++] = subject;
    cf_hash_insert (self->subject_ids, subject->id, subject);
    return subject;
}

//  A key of the subject's (one a value is sealed under, a handover's
//  transit key adopted) joins its key set; its first intake key ("K…") is
//  the one new values are sealed under.
static void
s_subject_key_id (intake_subject_t *subject, const char *key_id)
{
    if (!key_id || !*key_id)
        return;
    s_push_unique (&subject->key_ids, &subject->key_count, key_id);
    if (!*subject->key_id && key_id [0] == 'K')
        snprintf (subject->key_id, sizeof subject->key_id, "%s", key_id);
}

static void
s_subject_key (intake_subject_t *subject, const Caseflow__V1__Sealed *sealed)
{
    s_subject_key_id (subject, sealed ? sealed->key_id : NULL);
}

//  Lays `text` out at *cursor_p in a case's block, or gives the shared
//  empty string.
static char *
s_place (char **cursor_p, const char *text)
{
    if (!text || !*text)
        return s_empty;
    size_t size = strlen (text) + 1;
    char *at = *cursor_p;
    memcpy (at, text, size);
    *cursor_p += size;
    return at;
}

static int
s_apply_registered (intake_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__CaseRegistered *body = event->case_registered;
    uint64_t number;
    if (!cf_case_id_parse (body->case_id, self->shard, &number))
        s_wrong (event, "not a case id");
    if (number < self->next_number)
        s_wrong (event, "case id out of order");
    //  Personal data in plain is a format-2 event: never in a store this
    //  build opens (cf_journal checks the format).
    if (body->resident || (body->question && *body->question) || !body->personal)
        s_wrong (event, "personal data not sealed");
    intake_subject_t *subject = s_subject (self, event, body->subject);
    //  The case and every string the registration brings, in one block.
    const char *texts [] = {
        body->case_id,          body->location,    body->referred_by,
        body->preferred_worker, body->handover_id, body->provider_id,
    };
    size_t text_size = 0;
    for (size_t i = 0; i < sizeof texts / sizeof texts [0]; i++)
        text_size += texts [i] && *texts [i] ? strlen (texts [i]) + 1 : 0;
    intake_case_t *kase = calloc (1, sizeof *kase + text_size);
    assert (kase);
    kase->text_size = text_size;
    char *cursor = kase->text;
    kase->id = s_place (&cursor, body->case_id);
    kase->location = s_place (&cursor, body->location);
    kase->referred_by = s_place (&cursor, body->referred_by);
    kase->preferred_worker = s_place (&cursor, body->preferred_worker);
    kase->handover_id = s_place (&cursor, body->handover_id);
    kase->provider_id = s_place (&cursor, body->provider_id);
    assert (cursor == kase->text + text_size);
    kase->subject = subject;
    //  The intake key first: personal may be under a handover's transit key.
    s_subject_key_id (subject, body->subject_key_id);
    s_subject_key (subject, body->personal);
    s_subject_key_id (subject, body->transit_key_id);
    s_push_unique (&subject->case_ids, &subject->case_count, body->case_id);
    s_seal_copy (&kase->personal, body->personal);
    for (size_t i = 0; i < body->n_areas; i++)
        s_push_string (&kase->areas, &kase->area_count, body->areas [i]);
    kase->age_band = body->age_band;
    kase->number = number;
    kase->channel = body->channel;
    kase->domains = intake_domains_of (body->domains, body->n_domains);
    kase->registered_at = event->occurred_at;
    kase->worker_id = s_empty;
    if (self->case_count == self->case_cap) {
        self->case_cap = self->case_cap ? self->case_cap * 2 : 256;
        self->cases = realloc (self->cases, self->case_cap * sizeof *self->cases);
        assert (self->cases);
    }
    self->cases [self->case_count++] = kase;
    self->next_number = number + 1;
    s_set_status (self, kase, CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED,
                  event->occurred_at);
    s_index_add (self, kase);
    if (*kase->handover_id)
        cf_hash_insert (self->handovers, kase->handover_id, kase);
    return 0;
}

static int
s_apply_question_added (intake_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__QuestionAdded *body = event->question_added;
    intake_case_t *kase = s_case (self, body->case_id);
    if (!kase)
        s_wrong (event, "unknown case");
    kase->domains |= intake_domains_of (body->domains, body->n_domains);
    kase->questions =
        realloc (kase->questions, (kase->question_count + 1) * sizeof *kase->questions);
    assert (kase->questions);
    intake_question_t *question = &kase->questions [kase->question_count++];
    question->added_at = event->occurred_at;
    question->channel = body->channel;
    question->domains = intake_domains_of (body->domains, body->n_domains);
    if (body->resident || (body->question && *body->question))
        s_wrong (event, "personal data not sealed");
    s_seal_copy (&question->personal, body->personal);
    s_subject_key (kase->subject, body->personal);
    s_subject_key_id (kase->subject, body->transit_key_id);
    question->referred_by = s_copy (body->referred_by);
    question->handover_id = s_copy (body->handover_id);
    question->provider_id = s_copy (body->provider_id);
    if (!*kase->preferred_worker && *body->preferred_worker)
        s_replace (kase, &kase->preferred_worker, body->preferred_worker);
    //  Keyed by the question's own copy of the id, which lives as long.
    if (*question->handover_id)
        cf_hash_insert (self->handovers, question->handover_id, kase);
    return 0;
}

static int
s_apply_triaged (intake_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__CaseTriaged *body = event->case_triaged;
    intake_case_t *kase = s_case (self, body->case_id);
    if (!kase)
        s_wrong (event, "unknown case");
    kase->urgency = body->urgency;
    s_seal_free (&kase->triage_reason);
    s_seal_copy (&kase->triage_reason, body->personal);
    s_subject_key (kase->subject, body->personal);
    if (!kase->triaged_at)
        kase->triaged_at = event->occurred_at;
    kase->last_triaged_at = event->occurred_at;
    kase->awaiting_retriage = false;
    if (body->status)
        s_set_status (self, kase, body->status, event->occurred_at);
    return 0;
}

static int
s_apply_callback (intake_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__CallbackRecorded *body = event->callback_recorded;
    intake_case_t *kase = s_case (self, body->case_id);
    if (!kase)
        s_wrong (event, "unknown case");
    kase->callbacks =
        realloc (kase->callbacks, (kase->callback_count + 1) * sizeof *kase->callbacks);
    assert (kase->callbacks);
    intake_callback_t *callback = &kase->callbacks [kase->callback_count++];
    callback->recorded_at = event->occurred_at;
    callback->due_at = body->due_at;
    callback->outcome = body->outcome;
    s_seal_copy (&callback->note, body->personal);
    s_subject_key (kase->subject, body->personal);
    callback->reminder_id = s_copy (body->reminder_id);
    kase->consecutive_unanswered = body->consecutive_unanswered;
    if (body->outcome == CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_CHANGED)
        kase->awaiting_retriage = true;
    return 0;
}

static int
s_apply_track_created (intake_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__TrackCreated *body = event->track_created;
    size_t at;
    if (!*body->track_id || s_track (self, body->track_id, &at))
        s_wrong (event, "track id empty or already used");
    intake_track_t *track = calloc (1, sizeof *track);
    assert (track);
    track->id = s_copy (body->track_id);
    track->name = s_copy (body->name);
    track->location = s_copy (body->location);
    track->starts_on = s_copy (body->starts_on);
    track->capacity = body->capacity;
    if (self->track_count == self->track_cap) {
        self->track_cap = self->track_cap ? self->track_cap * 2 : 16;
        self->tracks = realloc (self->tracks, self->track_cap * sizeof *self->tracks);
        assert (self->tracks);
    }
    memmove (self->tracks + at + 1, self->tracks + at,
             (self->track_count - at) * sizeof *self->tracks);
    self->tracks [at] = track;
    self->track_count++;
    return 0;
}

static int
s_apply_track_joined (intake_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__TrackJoined *body = event->track_joined;
    intake_case_t *kase = s_case (self, body->case_id);
    intake_track_t *track = s_track (self, body->track_id, NULL);
    if (!kase || !track)
        s_wrong (event, "unknown case or track");
    s_push_string (&kase->tracks, &kase->track_count, track->id);
    s_push_string (&track->case_ids, &track->case_count, kase->id);
    return 0;
}

static int
s_apply_closed (intake_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__CaseClosed *body = event->case_closed;
    intake_case_t *kase = s_case (self, body->case_id);
    if (!kase)
        s_wrong (event, "unknown case");
    kase->closure = body->closure;
    s_seal_free (&kase->close_reason);
    s_seal_copy (&kase->close_reason, body->personal);
    s_subject_key (kase->subject, body->personal);
    kase->closed_at = event->occurred_at;
    s_set_status (self, kase, CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED, event->occurred_at);
    return 0;
}

static int
s_apply_status_changed (intake_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__CaseStatusChanged *body = event->case_status_changed;
    intake_case_t *kase = s_case (self, body->case_id);
    if (!kase)
        s_wrong (event, "unknown case");
    s_replace (kase, &kase->worker_id, body->worker_id);
    s_set_status (self, kase, body->status, event->occurred_at);
    return 0;
}

static int
s_apply_erased (intake_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__ResidentErased *body = event->resident_erased;
    intake_subject_t *subject = cf_hash_lookup (self->subject_ids, body->subject);
    if (!subject)
        s_wrong (event, "unknown subject");
    if (!subject->erased_at) {
        subject->erased_at = event->occurred_at;
        subject->erased_seq = event->seq;
    }
    return 0;
}

static int
s_apply_hold (intake_state_t *self, const Caseflow__V1__Event *event, const char *id, bool held)
{
    intake_subject_t *subject = cf_hash_lookup (self->subject_ids, id);
    if (!subject || intake_subject_apply_hold (subject, event, held))
        s_wrong (event, "a hold of an unknown subject, or one its table does not allow");
    return 0;
}

//  Upstream events intake reacts to (with events of its own) return 0;
//  the rest are not for intake.
static int
s_apply_upstream (intake_state_t *self, const Caseflow__V1__Event *event)
{
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_LOCATION_ADDED:
            //  A resident's district resolves to the locations serving it
            //  at registration (the case's areas).
            intake_areas_add (self->areas, event->location_added->location_id,
                              event->location_added->districts, event->location_added->n_districts);
            return 0;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED:
        case CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED:
        case CASEFLOW__V1__EVENT__BODY_CASE_STARTED:
        case CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED:
        case CASEFLOW__V1__EVENT__BODY_CASE_COMPLETED:
        case CASEFLOW__V1__EVENT__BODY_RETENTION_DUE:
        case CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED: return 0;
        default: return 1;
    }
}

int
intake_state_apply (intake_state_t *self, const Caseflow__V1__Event *event)
{
    if (!cf_stream_of (event->stream, INTAKE_STREAM))
        return s_apply_upstream (self, event);
    switch (event->body_case) {
        //  Own events; a body pointer is never NULL for a set oneof.
        case CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED: return s_apply_registered (self, event);
        case CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED: return s_apply_question_added (self, event);
        case CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED: return s_apply_triaged (self, event);
        case CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED: return s_apply_callback (self, event);
        case CASEFLOW__V1__EVENT__BODY_TRACK_CREATED: return s_apply_track_created (self, event);
        case CASEFLOW__V1__EVENT__BODY_TRACK_JOINED: return s_apply_track_joined (self, event);
        case CASEFLOW__V1__EVENT__BODY_CASE_CLOSED: return s_apply_closed (self, event);
        case CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED:
            return s_apply_status_changed (self, event);
        case CASEFLOW__V1__EVENT__BODY_RESIDENT_ERASED: return s_apply_erased (self, event);
        case CASEFLOW__V1__EVENT__BODY_RESIDENT_HELD:
            return s_apply_hold (self, event, event->resident_held->subject, true);
        case CASEFLOW__V1__EVENT__BODY_RESIDENT_RELEASED:
            return s_apply_hold (self, event, event->resident_released->subject, false);
        case CASEFLOW__V1__EVENT__BODY_INTAKE_INBOUND_OUTCOME:
            if (cf_inbound_record (self->inbound, event->intake_inbound_outcome))
                s_wrong (event, "a second outcome of one inbound event");
            return 0;
        case CASEFLOW__V1__EVENT__BODY_DECISION_LINKED: {
            intake_subject_t *subject =
                cf_hash_lookup (self->subject_ids, event->decision_linked->subject);
            if (subject)
                s_subject_key_id (subject, event->decision_linked->transit_key_id);
            return 0;
        }
        default: s_wrong (event, "not an intake event");
    }
}
