//  handover_state: the state and its one writer, apply.
//
//  Handovers live in an array indexed by their number (H000007 at [6]), so
//  lookups by id are direct and iteration is in id order without sorting.
//  Providers are few and live in a hash table; anything that lists them
//  sorts their ids first. The open-resident index (resident key -> open
//  handover) is derived state: it is rebuilt by replay like everything
//  else and is not part of the digest.
#include "handover_state.h"
#include "handover_lifecycle.h"

#include "cf_resident.h"

#include <assert.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

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

//  The handover's text lives in the state's pool: only its arrays and
//  own blocks are freed here.
static void
s_handover_free (handover_t *handover)
{
    free (handover->resident);
    free (handover->domains);
    for (size_t i = 0; i < handover->meeting_count; i++)
        free (handover->meetings [i].participants);
    free (handover->meetings);
    free (handover->documents);
    free (handover->resident_key);
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
    self->open_residents = cf_hash_new ();
    self->strings = cf_strings_new ();
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
    cf_hash_destroy (&self->open_residents);
    for (size_t i = 0; i < self->count; i++)
        s_handover_free (self->handovers [i]);
    free (self->handovers);
    cf_strings_destroy (&self->strings);
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

static int
s_compare_providers (const void *a, const void *b)
{
    const handover_provider_t *pa = *(handover_provider_t *const *) a;
    const handover_provider_t *pb = *(handover_provider_t *const *) b;
    return strcmp (pa->provider_id, pb->provider_id);
}

handover_provider_t **
handover_state_providers (const handover_state_t *self, size_t *count_p)
{
    size_t count = zhashx_size (self->providers);
    *count_p = count;
    if (count == 0)
        return NULL;
    handover_provider_t **providers = calloc (count, sizeof *providers);
    assert (providers);
    size_t i = 0;
    for (handover_provider_t *provider = zhashx_first (self->providers); provider;
         provider = zhashx_next (self->providers))
        providers [i++] = provider;
    qsort (providers, count, sizeof *providers, s_compare_providers);
    return providers;
}

void
handover_state_next_id (const handover_state_t *self, char id [HANDOVER_ID_SIZE])
{
    snprintf (id, HANDOVER_ID_SIZE, "H%06" PRIu64, (uint64_t) self->count + 1);
}

char *
handover_resident_key (const Caseflow__V1__PersonalData *resident)
{
    if (!resident)
        return NULL;
    char *key = NULL;
    if (resident->bsn && *resident->bsn) {
        key = malloc (strlen (resident->bsn) + 5);
        assert (key);
        sprintf (key, "bsn:%s", resident->bsn);
    } else {
        //  Names are checked to CF_RESIDENT_NAME_MAX bytes: the key fits.
        char name_key [CF_RESIDENT_KEY_SIZE];
        if (cf_resident_name_key (resident->name, resident->birth_date, name_key,
                                  sizeof name_key)) {
            key = malloc (strlen (name_key) + 4);
            assert (key);
            sprintf (key, "nb:%s", name_key);
        }
    }
    return key;
}

handover_t *
handover_state_open_resident (const handover_state_t *self, const char *key)
{
    return key ? cf_hash_lookup (self->open_residents, key) : NULL;
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

//  Lays `text` out at *cursor_p (NULL reads as "").
static char *
s_place (char **cursor_p, const char *text)
{
    size_t size = strlen (text ? text : "") + 1;
    char *at = *cursor_p;
    memcpy (at, text ? text : "", size);
    *cursor_p += size;
    return at;
}

static Caseflow__V1__PersonalData *
s_copy_resident (const Caseflow__V1__PersonalData *resident)
{
    //  Field by field (an encode and decode round trip cost a quarter of a
    //  replay), the struct and its strings in one block (one malloc, not
    //  six). A field added to PersonalData must be copied here too.
    assert (caseflow__v1__personal_data__descriptor.n_fields == 5);
    Caseflow__V1__PersonalData empty = CASEFLOW__V1__PERSONAL_DATA__INIT;
    if (!resident)
        resident = &empty;
    const char *texts [] = { resident->name, resident->birth_date, resident->phone,
                             resident->district, resident->bsn };
    size_t size = 0;
    for (size_t i = 0; i < sizeof texts / sizeof texts [0]; i++)
        size += strlen (texts [i] ? texts [i] : "") + 1;
    Caseflow__V1__PersonalData *copy = malloc (sizeof *copy + size);
    assert (copy);
    caseflow__v1__personal_data__init (copy);
    char *cursor = (char *) (copy + 1);
    copy->name = s_place (&cursor, resident->name);
    copy->birth_date = s_place (&cursor, resident->birth_date);
    copy->phone = s_place (&cursor, resident->phone);
    copy->district = s_place (&cursor, resident->district);
    copy->bsn = s_place (&cursor, resident->bsn);
    return copy;
}

static void
s_index_resident (handover_state_t *self, handover_t *handover)
{
    handover->resident_key = handover_resident_key (handover->resident);
    //  A second open handover of one resident is refused by decisions; the
    //  index keeps the first.
    if (handover->resident_key)
        cf_hash_insert (self->open_residents, handover->resident_key, handover);
}

static void
s_unindex_resident (handover_state_t *self, handover_t *handover)
{
    if (handover->resident_key
        && cf_hash_lookup (self->open_residents, handover->resident_key) == handover)
        cf_hash_delete (self->open_residents, handover->resident_key);
    free (handover->resident_key);
    handover->resident_key = NULL;
}

static void
s_apply_announced (handover_state_t *self, const Caseflow__V1__Handover__HandoverAnnounced *body,
                   int64_t at)
{
    //  The id was decided from the count: it is the next one.
    char next_id [HANDOVER_ID_SIZE];
    handover_state_next_id (self, next_id);
    assert (strcmp (body->handover_id, next_id) == 0);
    handover_t *handover = calloc (1, sizeof *handover);
    assert (handover);
    memcpy (handover->id, next_id, sizeof handover->id);
    handover->provider_id = cf_strings_intern (self->strings, body->provider_id);
    handover->resident = s_copy_resident (body->resident);
    if (body->n_domains) {
        handover->domains = calloc (body->n_domains, sizeof *handover->domains);
        assert (handover->domains);
        memcpy (handover->domains, body->domains, body->n_domains * sizeof *body->domains);
        handover->domain_count = body->n_domains;
    }
    handover->support = cf_strings_intern (self->strings, body->support);
    handover->preferred_worker = cf_strings_intern (self->strings, body->preferred_worker);
    handover->caseload_worker = cf_strings_intern (self->strings, body->caseload_worker);
    handover->urgency = body->urgency;
    handover->deadline = body->deadline;
    handover->status = HANDOVER_ANNOUNCED;
    handover->announced_at = at;
    handover->next_step = CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_UNSPECIFIED;
    handover->decision_note = cf_strings_intern (self->strings, "");
    handover->cancel_reason = handover->decision_note;

    if (self->count == self->capacity) {
        self->capacity = self->capacity ? self->capacity * 2 : 64;
        self->handovers = realloc (self->handovers, self->capacity * sizeof *self->handovers);
        assert (self->handovers);
    }
    self->handovers [self->count++] = handover;
    s_index_resident (self, handover);
}

//  Moves `handover` by `action`. Every event of this stream was decided
//  against the table: a move it does not list is a programming error.
static void
s_move (handover_state_t *self, handover_t *handover, handover_action_t action)
{
    handover_status_t next = HANDOVER_NONE;
    int rc = handover_lifecycle_next (handover->status, action, &next);
    assert (rc == 0);
    handover->status = next;
    if (!handover_status_is_open (next))
        s_unindex_resident (self, handover);
}

static void
s_apply_meeting_planned (handover_state_t *self, handover_t *handover,
                         const Caseflow__V1__Handover__MeetingPlanned *body, int64_t at)
{
    handover->meetings =
        realloc (handover->meetings, (handover->meeting_count + 1) * sizeof *handover->meetings);
    assert (handover->meetings);
    handover_meeting_t *meeting = &handover->meetings [handover->meeting_count++];
    memset (meeting, 0, sizeof *meeting);
    meeting->planned_at = at;
    meeting->at = body->at;
    meeting->location = cf_strings_intern (self->strings, body->location);
    if (body->n_participants) {
        meeting->participants = calloc (body->n_participants, sizeof *meeting->participants);
        assert (meeting->participants);
        for (size_t i = 0; i < body->n_participants; i++)
            meeting->participants [i] = cf_strings_intern (self->strings, body->participants [i]);
        meeting->participant_count = body->n_participants;
    }
    s_move (self, handover, HANDOVER_PLAN);
}

static void
s_apply_files_transferred (handover_state_t *self, handover_t *handover,
                           const Caseflow__V1__Handover__FilesTransferred *body, int64_t at)
{
    if (body->n_documents) {
        handover->documents =
            realloc (handover->documents,
                     (handover->document_count + body->n_documents) * sizeof *handover->documents);
        assert (handover->documents);
        for (size_t i = 0; i < body->n_documents; i++) {
            const Caseflow__V1__Handover__Document *document = body->documents [i];
            handover_document_t *copy = &handover->documents [handover->document_count++];
            copy->title = cf_strings_intern (self->strings, document ? document->title : "");
            copy->type = cf_strings_intern (self->strings, document ? document->type : "");
            copy->received_at = document ? document->received_at : 0;
        }
    }
    if (body->waived)
        handover->files_waived = true;
    handover->files_recorded_at = at;
    s_move (self, handover, HANDOVER_RECORD_FILES);
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
    if (event->body_case == CASEFLOW__V1__EVENT__BODY_PROVIDER_ADDED) {
        s_apply_provider_added (self, event->provider_added, at);
        self->applied++;
        return 0;
    }
    if (event->body_case == CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED) {
        s_apply_announced (self, event->handover_announced, at);
        self->applied++;
        return 0;
    }
    //  Every event of this stream names a handover it decided on.
    handover_t *handover = s_target (self, event);
    assert (handover);
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_MEETING_PLANNED:
            s_apply_meeting_planned (self, handover, event->meeting_planned, at);
            break;
        case CASEFLOW__V1__EVENT__BODY_MEETING_HELD:
            handover->held_at = at;
            s_move (self, handover, HANDOVER_HOLD);
            break;
        case CASEFLOW__V1__EVENT__BODY_NEXT_STEP_DECIDED:
            handover->next_step = event->next_step_decided->next_step;
            handover->decision_note =
                cf_strings_intern (self->strings, event->next_step_decided->note);
            handover->decided_at = at;
            s_move (self, handover, HANDOVER_DECIDE);
            break;
        case CASEFLOW__V1__EVENT__BODY_FILES_TRANSFERRED:
            s_apply_files_transferred (self, handover, event->files_transferred, at);
            break;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED:
            handover->completed_at = at;
            s_move (self, handover, HANDOVER_COMPLETE);
            break;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_CANCELLED:
            handover->cancel_reason =
                cf_strings_intern (self->strings, event->handover_cancelled->reason);
            handover->cancelled_at = at;
            s_move (self, handover, HANDOVER_CANCEL);
            break;
        default: assert (false && "not a handover event");
    }
    self->applied++;
    return 0;
}
