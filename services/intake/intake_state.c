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

#include "cf_api.h"
#include "cf_error.h"
#include "cf_hash.h"
#include "cf_log.h"
#include "cf_resident.h"
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
    intake_track_t **tracks;  //  by id, ascending
    size_t track_count, track_cap;
    intake_index_t *by_bsn;   //  open cases by bsn
    intake_index_t *by_name;  //  open cases by name_key
    cf_hash_t *handovers;     //  handover id (the case's copy) -> intake_case_t
    uint64_t status_counts [S_STATUS_SLOTS];
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

intake_domains_t
intake_domain_bit (int domain)
{
    if (domain < CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH || domain > CASEFLOW__V1__DOMAIN__DOMAIN_OTHER)
        return 0;
    return (intake_domains_t) 1 << domain;
}

intake_domains_t
intake_domains_of (const Caseflow__V1__Domain *domains, size_t count)
{
    intake_domains_t set = 0;
    for (size_t i = 0; i < count; i++)
        set |= intake_domain_bit (domains [i]);
    return set;
}

size_t
intake_domains_list (intake_domains_t set, Caseflow__V1__Domain *out)
{
    size_t count = 0;
    for (int domain = CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH;
         domain <= CASEFLOW__V1__DOMAIN__DOMAIN_OTHER; domain++)
        if (set & intake_domain_bit (domain))
            out [count++] = (Caseflow__V1__Domain) domain;
    return count;
}

//  The case's name key, kept up to date with its name and birth date.
static void
s_update_name_key (intake_case_t *kase)
{
    char key [INTAKE_MAX_NAME * 2 + 32];
    cf_resident_name_key (kase->resident.name, kase->resident.birth_date, key, sizeof key);
    if (strcmp (key, kase->name_key) != 0)
        s_replace (kase, &kase->name_key, key);
}

//  The indexes borrow the case's own strings: a case is taken out before
//  its BSN or name key changes, and put back after.
static void
s_index_add (intake_state_t *self, intake_case_t *kase)
{
    intake_index_add (self->by_bsn, kase->resident.bsn, kase);
    intake_index_add (self->by_name, kase->name_key, kase);
}

static void
s_index_remove (intake_state_t *self, intake_case_t *kase)
{
    intake_index_remove (self->by_bsn, kase->resident.bsn, kase);
    intake_index_remove (self->by_name, kase->name_key, kase);
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
        &kase->location,       &kase->resident.name,     &kase->resident.birth_date,
        &kase->resident.phone, &kase->resident.district, &kase->resident.bsn,
        &kase->question,       &kase->referred_by,       &kase->preferred_worker,
        &kase->handover_id,    &kase->provider_id,       &kase->triage_reason,
        &kase->worker_id,      &kase->close_reason,      &kase->name_key,
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields [0]; i++)
        s_release (kase, *fields [i]);
    for (size_t i = 0; i < kase->callback_count; i++) {
        s_free (kase->callbacks [i].note);
        s_free (kase->callbacks [i].reminder_id);
    }
    free (kase->callbacks);
    for (size_t i = 0; i < kase->track_count; i++)
        s_free (kase->tracks [i]);
    free (kase->tracks);
    for (size_t i = 0; i < kase->question_count; i++) {
        s_free (kase->questions [i].question);
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
    self->by_bsn = intake_index_new ();
    self->by_name = intake_index_new ();
    self->handovers = cf_hash_new ();
    return self;
}

void
intake_state_destroy (intake_state_t **self_p)
{
    intake_state_t *self = *self_p;
    if (!self)
        return;
    intake_index_destroy (&self->by_bsn);
    intake_index_destroy (&self->by_name);
    cf_hash_destroy (&self->handovers);
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
    if (!case_id || !intake_case_id_parse (case_id, &number))
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

uint64_t
intake_state_next_number (const intake_state_t *self)
{
    return self->next_number;
}

const intake_case_t *
intake_state_find_open (const intake_state_t *self, const char *bsn, const char *name,
                        const char *birth_date)
{
    //  Both indexes are asked for a new resident: their waits for memory
    //  overlap when both slots are fetched first.
    char key [INTAKE_MAX_NAME * 2 + 32];
    cf_resident_name_key (name, birth_date, key, sizeof key);
    if (bsn && *bsn)
        intake_index_prefetch (self->by_bsn, bsn);
    intake_index_prefetch (self->by_name, key);
    intake_case_t *const *cases;
    if (bsn && *bsn && intake_index_get (self->by_bsn, bsn, &cases))
        return cases [0];
    size_t count = intake_index_get (self->by_name, key, &cases);
    for (size_t i = 0; i < count; i++) {
        const intake_case_t *kase = cases [i];
        if (!bsn || !*bsn || !*kase->resident.bsn || strcmp (kase->resident.bsn, bsn) == 0)
            return kase;
    }
    return NULL;
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

//  Fills the resident's empty fields from `data`.
static void
s_fill_resident (intake_case_t *kase, const Caseflow__V1__PersonalData *data)
{
    intake_resident_t *resident = &kase->resident;
    struct {
        char **field;
        const char *value;
    } fields [] = {
        { &resident->name, data->name },   { &resident->birth_date, data->birth_date },
        { &resident->phone, data->phone }, { &resident->district, data->district },
        { &resident->bsn, data->bsn },
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields [0]; i++)
        if (!**fields [i].field && fields [i].value && *fields [i].value)
            s_replace (kase, fields [i].field, fields [i].value);
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
    if (!intake_case_id_parse (body->case_id, &number))
        s_wrong (event, "not a case id");
    if (number < self->next_number)
        s_wrong (event, "case id out of order");
    //  The case and every string the registration brings, in one block.
    const Caseflow__V1__PersonalData no_resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    const Caseflow__V1__PersonalData *resident = body->resident ? body->resident : &no_resident;
    char name_key [INTAKE_MAX_NAME * 2 + 32];
    cf_resident_name_key (resident->name, resident->birth_date, name_key, sizeof name_key);
    const char *texts [] = {
        body->location,         resident->name,    resident->birth_date, resident->phone,
        resident->district,     resident->bsn,     body->question,       body->referred_by,
        body->preferred_worker, body->handover_id, body->provider_id,    name_key,
    };
    size_t text_size = 0;
    for (size_t i = 0; i < sizeof texts / sizeof texts [0]; i++)
        text_size += texts [i] && *texts [i] ? strlen (texts [i]) + 1 : 0;
    intake_case_t *kase = calloc (1, sizeof *kase + text_size);
    assert (kase);
    kase->text_size = text_size;
    char *cursor = kase->text;
    kase->location = s_place (&cursor, body->location);
    kase->resident.name = s_place (&cursor, resident->name);
    kase->resident.birth_date = s_place (&cursor, resident->birth_date);
    kase->resident.phone = s_place (&cursor, resident->phone);
    kase->resident.district = s_place (&cursor, resident->district);
    kase->resident.bsn = s_place (&cursor, resident->bsn);
    kase->question = s_place (&cursor, body->question);
    kase->referred_by = s_place (&cursor, body->referred_by);
    kase->preferred_worker = s_place (&cursor, body->preferred_worker);
    kase->handover_id = s_place (&cursor, body->handover_id);
    kase->provider_id = s_place (&cursor, body->provider_id);
    kase->name_key = s_place (&cursor, name_key);
    assert (cursor == kase->text + text_size);
    kase->number = number;
    //  A parsed case id is at most 20 characters: it fits.
    memcpy (kase->id, body->case_id, strlen (body->case_id) + 1);
    kase->channel = body->channel;
    kase->domains = intake_domains_of (body->domains, body->n_domains);
    kase->registered_at = event->occurred_at;
    kase->triage_reason = s_empty;
    kase->worker_id = s_empty;
    kase->close_reason = s_empty;
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
    question->question = s_copy (body->question);
    question->referred_by = s_copy (body->referred_by);
    question->handover_id = s_copy (body->handover_id);
    question->provider_id = s_copy (body->provider_id);
    if (!*kase->preferred_worker && *body->preferred_worker)
        s_replace (kase, &kase->preferred_worker, body->preferred_worker);
    if (body->resident) {
        //  Fill what was missing, and index the case under what it learnt.
        bool open = intake_lifecycle_is_open (kase->status);
        if (open)
            s_index_remove (self, kase);
        s_fill_resident (kase, body->resident);
        s_update_name_key (kase);
        if (open)
            s_index_add (self, kase);
    }
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
    s_replace (kase, &kase->triage_reason, body->reason);
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
    callback->note = s_copy (body->note);
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
    s_replace (kase, &kase->close_reason, body->reason);
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

//  Upstream events intake reacts to (with events of its own) return 0;
//  the rest are not for intake.
static int
s_apply_upstream (const Caseflow__V1__Event *event)
{
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED:
        case CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED:
        case CASEFLOW__V1__EVENT__BODY_CASE_STARTED:
        case CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED:
        case CASEFLOW__V1__EVENT__BODY_CASE_COMPLETED: return 0;
        default: return 1;
    }
}

int
intake_state_apply (intake_state_t *self, const Caseflow__V1__Event *event)
{
    if (strcmp (event->stream, INTAKE_STREAM) != 0)
        return s_apply_upstream (event);
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
        default: s_wrong (event, "not an intake event");
    }
}
