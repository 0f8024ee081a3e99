//  assignment_state: the state, its lookups, and apply (see the header).
//
//  Apply follows two streams. Intake's events bring the facts about cases
//  (registered with domains, location, district and a preferred worker;
//  triaged; more domains; closed); a first triage puts the case on the
//  waiting list, urgent or not, because until a CaseAssigned says
//  otherwise that is where an unassigned case is. Own events are the
//  roster and the policy's decisions. Upstream events that do not fit the
//  state (unknown case, malformed) are ignored, never trusted: protobuf-c
//  accepts many byte strings as messages.
#include "assignment_state.h"

#include "cf_id.h"
#include "cf_words.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  ------------------------------------------------------------- helpers

static char *
s_strdup_or_null (const char *text)
{
    if (!text || !*text)
        return NULL;
    char *copy = strdup (text);
    assert (copy);
    return copy;
}

//  The state's one copy of `text`, or NULL for none or "".
static const char *
s_pooled_or_null (assignment_state_t *self, const char *text)
{
    return text && *text ? cf_strings_intern (self->texts, text) : NULL;
}

static char **
s_strings_copy (char *const *strings, size_t count)
{
    char **copy = calloc (count + 1, sizeof *copy);
    assert (copy);
    for (size_t i = 0; i < count; i++) {
        copy [i] = strdup (strings [i] ? strings [i] : "");
        assert (copy [i]);
    }
    return copy;
}

static void
s_strings_free (char **strings, size_t count)
{
    for (size_t i = 0; strings && i < count; i++)
        free (strings [i]);
    free (strings);
}

//  Interns `name` in `table` (name -> index + 1); returns the index.
static int
s_intern (zhashx_t *table, const char *name)
{
    void *found = zhashx_lookup (table, name);
    if (found)
        return (int) ((intptr_t) found - 1);
    int index = (int) zhashx_size (table);
    zhashx_insert (table, name, (void *) (intptr_t) (index + 1));
    return index;
}

static uint32_t
s_domain_mask (const Caseflow__V1__Domain *domains, size_t count)
{
    uint32_t mask = 0;
    for (size_t i = 0; i < count; i++)
        if (domains [i] > CASEFLOW__V1__DOMAIN__DOMAIN_UNSPECIFIED
            && domains [i] <= CASEFLOW__V1__DOMAIN__DOMAIN_OTHER)
            mask |= 1u << domains [i];
    return mask;
}

//  Binary search in an array of pointers to structs whose first member is
//  `char *id`, sorted by id. Returns the index where `id` is or would go;
//  *found_p tells which.
static size_t
s_search (void *const *items, size_t count, const char *id, bool *found_p)
{
    size_t low = 0, high = count;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        int cmp = strcmp (*(char *const *) items [mid], id);
        if (cmp == 0) {
            *found_p = true;
            return mid;
        }
        if (cmp < 0)
            low = mid + 1;
        else
            high = mid;
    }
    *found_p = false;
    return low;
}

//  Inserts `item` at `at` in a growing array of pointers.
static void
s_array_insert (void ***items_p, size_t *count_p, size_t *cap_p, size_t at, void *item)
{
    if (*count_p == *cap_p) {
        *cap_p = *cap_p ? *cap_p * 2 : 16;
        *items_p = realloc (*items_p, *cap_p * sizeof **items_p);
        assert (*items_p);
    }
    memmove (*items_p + at + 1, *items_p + at, (*count_p - at) * sizeof **items_p);
    (*items_p) [at] = item;
    (*count_p)++;
}

//  ------------------------------------------------------------ lifecycle

static void
s_case_free (void *item)
{
    assignment_case_t *kase = item;
    free (kase->preferred_worker);
    free (kase->previous_worker);
    free (kase->outcome);
    free (kase->history);
    free (kase);
}

static void
s_worker_free (assignment_worker_t *worker)
{
    free (worker->id);
    free (worker->name);
    s_strings_free (worker->locations, worker->n_locations);
    free (worker->location_ids);
    free (worker->district_ids);
    free (worker->cases);
    free (worker);
}

static void
s_location_free (assignment_location_t *location)
{
    free (location->id);
    free (location->name);
    s_strings_free (location->districts, location->n_districts);
    free (location->district_ids);
    free (location);
}

assignment_state_t *
assignment_state_new (const assignment_config_t *config)
{
    assignment_state_t *self = calloc (1, sizeof *self);
    assert (self);
    self->config = *config;
    self->cases = cf_hash_new ();
    cf_hash_set_destructor (self->cases, s_case_free);
    self->texts = cf_strings_new ();
    self->location_names = zhashx_new ();
    self->district_names = zhashx_new ();
    assert (self->location_names && self->district_names);
    return self;
}

void
assignment_state_destroy (assignment_state_t **self_p)
{
    assert (self_p);
    assignment_state_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->n_locations; i++)
        s_location_free (self->locations [i]);
    free (self->locations);
    for (size_t i = 0; i < self->n_workers; i++)
        s_worker_free (self->workers [i]);
    free (self->workers);
    cf_hash_destroy (&self->cases);
    cf_strings_destroy (&self->texts);
    zhashx_destroy (&self->location_names);
    zhashx_destroy (&self->district_names);
    assignment_waiting_free (&self->waiting);
    free (self);
    *self_p = NULL;
}

//  ------------------------------------------------------------- lookups

assignment_location_t *
assignment_state_location (assignment_state_t *self, const char *id)
{
    bool found;
    size_t at = s_search ((void *const *) self->locations, self->n_locations, id, &found);
    return found ? self->locations [at] : NULL;
}

assignment_worker_t *
assignment_state_worker (assignment_state_t *self, const char *id)
{
    bool found;
    size_t at = s_search ((void *const *) self->workers, self->n_workers, id, &found);
    return found ? self->workers [at] : NULL;
}

assignment_case_t *
assignment_state_case (assignment_state_t *self, const char *id)
{
    if (!id)
        return NULL;
    if (self->last_case && strcmp (self->last_case->id, id) == 0)
        return self->last_case;
    assignment_case_t *kase = cf_hash_lookup (self->cases, id);
    if (kase)
        self->last_case = kase;
    return kase;
}

uint32_t
assignment_capacity (const assignment_state_t *self, const assignment_worker_t *worker)
{
    if (worker->max_caseload)
        return worker->max_caseload;
    uint64_t limit = (uint64_t) self->config.caseload_per_fte * worker->fte_milli / 1000;
    return limit ? (uint32_t) limit : 1;
}

bool
assignment_serves (const assignment_worker_t *worker, const assignment_case_t *kase)
{
    if (kase->location_id < 0 && kase->district_id < 0)
        return true;
    for (size_t i = 0; i < worker->n_locations; i++)
        if (worker->location_ids [i] == kase->location_id)
            return true;
    if (kase->district_id >= 0)
        for (size_t i = 0; i < worker->n_district_ids; i++)
            if (worker->district_ids [i] == kase->district_id)
                return true;
    return false;
}

bool
assignment_matches (const assignment_worker_t *worker, const assignment_case_t *kase)
{
    return (worker->expertise_mask & kase->domain_mask) && assignment_serves (worker, kase);
}

assignment_worker_t *
assignment_continuity_worker (assignment_state_t *self, const assignment_case_t *kase)
{
    if (kase->preferred_worker) {
        assignment_worker_t *worker = assignment_state_worker (self, kase->preferred_worker);
        if (worker)
            return worker;
    }
    return kase->previous_worker ? assignment_state_worker (self, kase->previous_worker) : NULL;
}

//  --------------------------------------------------- applying: the cases

static void
s_history_add (assignment_state_t *self, assignment_case_t *kase, const Caseflow__V1__Event *event,
               Caseflow__V1__Assignment__HistoryKind kind, const char *worker_id,
               Caseflow__V1__Assignment__AssignmentRule rule,
               Caseflow__V1__Assignment__AssignmentTrigger trigger, const char *reason,
               bool over_limit)
{
    if (kase->n_history == kase->cap_history) {
        //  Most cases see two or three entries: start small.
        kase->cap_history = kase->cap_history ? kase->cap_history * 2 : 2;
        kase->history = realloc (kase->history, kase->cap_history * sizeof *kase->history);
        assert (kase->history);
    }
    kase->history [kase->n_history++] = (assignment_history_t){
        .at = event->occurred_at,
        .seq = event->seq,
        .kind = kind,
        .worker_id = s_pooled_or_null (self, worker_id),
        .rule = rule,
        .trigger = trigger,
        .reason = s_pooled_or_null (self, reason),
        .over_limit = over_limit,
    };
}

static void
s_worker_add_case (assignment_worker_t *worker, assignment_case_t *kase)
{
    if (worker->n_cases == worker->cap_cases) {
        worker->cap_cases = worker->cap_cases ? worker->cap_cases * 2 : 16;
        worker->cases = realloc (worker->cases, worker->cap_cases * sizeof *worker->cases);
        assert (worker->cases);
    }
    worker->cases [worker->n_cases++] = kase;
}

static void
s_worker_remove_case (assignment_worker_t *worker, assignment_case_t *kase)
{
    for (size_t i = 0; i < worker->n_cases; i++)
        if (worker->cases [i] == kase) {
            worker->cases [i] = worker->cases [--worker->n_cases];
            return;
        }
    assert (false);
}

//  Takes the case off the waiting list or away from its worker.
static void
s_case_detach (assignment_state_t *self, assignment_case_t *kase)
{
    if (kase->waiting)
        assignment_waiting_remove (&self->waiting, kase);
    if (assignment_case_has_worker (kase) && kase->worker)
        s_worker_remove_case (kase->worker, kase);
}

static void
s_case_queue (assignment_state_t *self, assignment_case_t *kase)
{
    kase->status =
        kase->urgency == ASSIGNMENT_URGENT ? ASSIGNMENT_ST_URGENT : ASSIGNMENT_ST_WAITING;
    assignment_waiting_insert (&self->waiting, kase);
}

static int
s_apply_registered (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__CaseRegistered *body = event->case_registered;
    if (!cf_id_valid (body->case_id) || cf_hash_lookup (self->cases, body->case_id))
        return -1;
    //  The id lives right after the case, in the same block.
    size_t id_size = strlen (body->case_id) + 1;
    assignment_case_t *kase = calloc (1, sizeof *kase + id_size);
    assert (kase);
    kase->id = memcpy ((char *) (kase + 1), body->case_id, id_size);
    kase->status = ASSIGNMENT_ST_REGISTERED;
    kase->channel = body->channel;
    kase->domain_mask = s_domain_mask (body->domains, body->n_domains);
    kase->location = s_pooled_or_null (self, body->location);
    kase->location_id = kase->location ? s_intern (self->location_names, kase->location) : -1;
    const char *district = body->resident ? body->resident->district : NULL;
    kase->district = s_pooled_or_null (self, district);
    kase->district_id = kase->district ? s_intern (self->district_names, kase->district) : -1;
    kase->preferred_worker = s_strdup_or_null (body->preferred_worker);
    kase->registered_at = event->occurred_at;
    cf_hash_insert (self->cases, kase->id, kase);
    self->last_case = kase;
    return 0;
}

static int
s_apply_question_added (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__QuestionAdded *body = event->question_added;
    assignment_case_t *kase = assignment_state_case (self, body->case_id);
    if (!kase || kase->status == ASSIGNMENT_ST_CLOSED)
        return -1;
    kase->domain_mask |= s_domain_mask (body->domains, body->n_domains);
    return 0;
}

static int
s_apply_triaged (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__CaseTriaged *body = event->case_triaged;
    assignment_case_t *kase = assignment_state_case (self, body->case_id);
    if (!kase || kase->status == ASSIGNMENT_ST_CLOSED
        || (body->urgency != ASSIGNMENT_REGULAR && body->urgency != ASSIGNMENT_URGENT))
        return -1;
    if (kase->status == ASSIGNMENT_ST_REGISTERED) {
        kase->urgency = body->urgency;
        kase->triaged_at = event->occurred_at;
        s_case_queue (self, kase);
        s_history_add (self, kase, event, ASSIGNMENT_HISTORY_QUEUED, NULL, 0, 0, body->reason,
                       false);
    } else if (kase->waiting) {
        //  Re-triage of a waiting case: it moves to its new place (the
        //  first triage time stays: a re-triage never sends anyone back).
        assignment_waiting_remove (&self->waiting, kase);
        kase->escalated = kase->escalated && body->urgency == ASSIGNMENT_URGENT;
        kase->urgency = body->urgency;
        s_case_queue (self, kase);
    } else
        kase->urgency = body->urgency;
    return 0;
}

static int
s_apply_closed (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__CaseClosed *body = event->case_closed;
    assignment_case_t *kase = assignment_state_case (self, body->case_id);
    if (!kase || kase->status == ASSIGNMENT_ST_CLOSED)
        return -1;
    s_case_detach (self, kase);
    kase->status = ASSIGNMENT_ST_CLOSED;
    kase->escalated = false;
    s_history_add (self, kase, event, ASSIGNMENT_HISTORY_CLOSED, NULL, 0, 0, body->reason, false);
    return 0;
}

static int
s_apply_intake (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED: return s_apply_registered (self, event);
        case CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED: return s_apply_question_added (self, event);
        case CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED: return s_apply_triaged (self, event);
        case CASEFLOW__V1__EVENT__BODY_CASE_CLOSED: return s_apply_closed (self, event);
        default:
            //  CaseStatusChanged is intake's echo of our own decisions.
            return -1;
    }
}

//  ------------------------------------------------- applying: the roster

static void
s_apply_location_added (assignment_state_t *self,
                        const Caseflow__V1__Assignment__LocationAdded *body)
{
    bool found;
    size_t at =
        s_search ((void *const *) self->locations, self->n_locations, body->location_id, &found);
    if (found)
        return;
    assignment_location_t *location = calloc (1, sizeof *location);
    assert (location);
    location->id = strdup (body->location_id);
    location->name = strdup (body->name);
    assert (location->id && location->name);
    location->districts = s_strings_copy (body->districts, body->n_districts);
    location->n_districts = body->n_districts;
    location->district_ids = calloc (body->n_districts + 1, sizeof *location->district_ids);
    assert (location->district_ids);
    for (size_t i = 0; i < body->n_districts; i++)
        location->district_ids [i] = s_intern (self->district_names, body->districts [i]);
    location->kind = body->kind;
    location->index = s_intern (self->location_names, body->location_id);
    s_array_insert ((void ***) &self->locations, &self->n_locations, &self->cap_locations, at,
                    location);
}

//  Sets a worker's details (joined or changed): every field is the full
//  new value. The districts it reaches follow from its locations.
static void
s_worker_set (assignment_state_t *self, assignment_worker_t *worker, const char *name,
              uint32_t fte_milli, char *const *locations, size_t n_locations,
              const Caseflow__V1__Domain *expertise, size_t n_expertise, uint32_t max_caseload)
{
    //  The new values may be the worker's own (a change that keeps them):
    //  copy before freeing.
    char *new_name = strdup (name);
    assert (new_name);
    char **new_locations = s_strings_copy (locations, n_locations);
    free (worker->name);
    worker->name = new_name;
    worker->fte_milli = fte_milli;
    s_strings_free (worker->locations, worker->n_locations);
    worker->locations = new_locations;
    worker->n_locations = n_locations;
    locations = new_locations;
    free (worker->location_ids);
    worker->location_ids = calloc (n_locations + 1, sizeof *worker->location_ids);
    assert (worker->location_ids);
    size_t n_districts = 0;
    for (size_t i = 0; i < n_locations; i++) {
        worker->location_ids [i] = s_intern (self->location_names, locations [i]);
        assignment_location_t *location = assignment_state_location (self, locations [i]);
        n_districts += location ? location->n_districts : 0;
    }
    free (worker->district_ids);
    worker->district_ids = calloc (n_districts + 1, sizeof *worker->district_ids);
    assert (worker->district_ids);
    worker->n_district_ids = 0;
    for (size_t i = 0; i < n_locations; i++) {
        assignment_location_t *location = assignment_state_location (self, locations [i]);
        for (size_t k = 0; location && k < location->n_districts; k++)
            worker->district_ids [worker->n_district_ids++] = location->district_ids [k];
    }
    worker->expertise_mask = s_domain_mask (expertise, n_expertise);
    worker->max_caseload = max_caseload;
}

static void
s_apply_worker_joined (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Assignment__WorkerJoined *body = event->worker_joined;
    bool found;
    size_t at = s_search ((void *const *) self->workers, self->n_workers, body->worker_id, &found);
    if (found)
        return;
    assignment_worker_t *worker = calloc (1, sizeof *worker);
    assert (worker);
    worker->id = strdup (body->worker_id);
    assert (worker->id);
    s_worker_set (self, worker, body->name, body->fte_milli, body->locations, body->n_locations,
                  body->expertise, body->n_expertise, body->max_caseload);
    worker->joined_at = event->occurred_at;
    s_array_insert ((void ***) &self->workers, &self->n_workers, &self->cap_workers, at, worker);
}

static void
s_apply_worker_absent (assignment_worker_t *worker,
                       const Caseflow__V1__Assignment__WorkerAbsent *body)
{
    worker->absent_from = body->from;
    worker->absent_until = body->until;
    //  A worker already absent has the absence replaced (extended, say):
    //  it stays started.
    if (!worker->absent)
        worker->absence_planned = true;
}

static void
s_apply_absence_started (assignment_worker_t *worker,
                         const Caseflow__V1__Assignment__WorkerAbsenceStarted *body)
{
    worker->absence_planned = false;
    worker->absent = true;
    worker->absent_from = body->from;
    worker->absent_until = body->until;
    worker->long_absence = body->long_absence;
}

static void
s_apply_worker_returned (assignment_worker_t *worker)
{
    worker->absence_planned = false;
    worker->absent = false;
    worker->long_absence = false;
    worker->absent_from = 0;
    worker->absent_until = 0;
}

//  --------------------------------------------- applying: the decisions

static void
s_apply_case_assigned (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Assignment__CaseAssigned *body = event->case_assigned;
    assignment_case_t *kase = assignment_state_case (self, body->case_id);
    assignment_worker_t *worker = assignment_state_worker (self, body->worker_id);
    assert (kase && worker);
    s_case_detach (self, kase);
    kase->worker = worker;
    kase->status = ASSIGNMENT_ST_ASSIGNED;
    kase->escalated = false;
    s_worker_add_case (worker, kase);
    s_history_add (self, kase, event, ASSIGNMENT_HISTORY_ASSIGNED, body->worker_id, body->rule,
                   body->trigger, body->reason, body->over_limit);
}

static void
s_apply_case_unassigned (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Assignment__CaseUnassigned *body = event->case_unassigned;
    assignment_case_t *kase = assignment_state_case (self, body->case_id);
    assert (kase && assignment_case_has_worker (kase));
    s_case_detach (self, kase);
    //  The worker it was taken from is the resident's worker: continuity
    //  brings the case back to them if it still waits when they return.
    free (kase->previous_worker);
    kase->previous_worker = s_strdup_or_null (kase->worker->id);
    kase->worker = NULL;
    s_case_queue (self, kase);
    s_history_add (self, kase, event, ASSIGNMENT_HISTORY_UNASSIGNED, body->worker_id, 0,
                   body->trigger, body->reason, false);
}

static void
s_apply_case_started (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Assignment__CaseStarted *body = event->case_started;
    assignment_case_t *kase = assignment_state_case (self, body->case_id);
    assert (kase);
    kase->status = ASSIGNMENT_ST_ACTIVE;
    s_history_add (self, kase, event, ASSIGNMENT_HISTORY_STARTED, body->worker_id, 0, 0, NULL,
                   false);
}

static void
s_apply_case_completed (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Assignment__CaseCompleted *body = event->case_completed;
    assignment_case_t *kase = assignment_state_case (self, body->case_id);
    assert (kase);
    s_case_detach (self, kase);
    kase->status = ASSIGNMENT_ST_CLOSED;
    free (kase->outcome);
    kase->outcome = s_strdup_or_null (body->outcome);
    s_history_add (self, kase, event, ASSIGNMENT_HISTORY_COMPLETED, body->worker_id, 0, 0,
                   body->outcome, false);
}

static void
s_apply_escalated (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Assignment__AssignmentEscalated *body = event->assignment_escalated;
    assignment_case_t *kase = assignment_state_case (self, body->case_id);
    assert (kase);
    kase->escalated = true;
    s_history_add (self, kase, event, ASSIGNMENT_HISTORY_ESCALATED, NULL, 0, body->trigger,
                   body->reason, false);
}

//  Own events were decided against this state: anything that does not fit
//  is a programming error (asserted), not input to tolerate.
static int
s_apply_own (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    assignment_worker_t *worker;
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_LOCATION_ADDED:
            s_apply_location_added (self, event->location_added);
            break;
        case CASEFLOW__V1__EVENT__BODY_WORKER_JOINED: s_apply_worker_joined (self, event); break;
        case CASEFLOW__V1__EVENT__BODY_WORKER_CHANGED: {
            const Caseflow__V1__Assignment__WorkerChanged *body = event->worker_changed;
            worker = assignment_state_worker (self, body->worker_id);
            assert (worker);
            s_worker_set (self, worker, body->name, body->fte_milli, body->locations,
                          body->n_locations, body->expertise, body->n_expertise,
                          body->max_caseload);
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_WORKER_ABSENT:
            worker = assignment_state_worker (self, event->worker_absent->worker_id);
            assert (worker);
            s_apply_worker_absent (worker, event->worker_absent);
            break;
        case CASEFLOW__V1__EVENT__BODY_WORKER_ABSENCE_STARTED:
            worker = assignment_state_worker (self, event->worker_absence_started->worker_id);
            assert (worker);
            s_apply_absence_started (worker, event->worker_absence_started);
            break;
        case CASEFLOW__V1__EVENT__BODY_WORKER_RETURNED:
            worker = assignment_state_worker (self, event->worker_returned->worker_id);
            assert (worker);
            s_apply_worker_returned (worker);
            break;
        case CASEFLOW__V1__EVENT__BODY_WORKER_LEFT:
            worker = assignment_state_worker (self, event->worker_left->worker_id);
            assert (worker);
            worker->left = true;
            worker->left_at = event->occurred_at;
            s_apply_worker_returned (worker);
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED: s_apply_case_assigned (self, event); break;
        case CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED:
            s_apply_case_unassigned (self, event);
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_STARTED: s_apply_case_started (self, event); break;
        case CASEFLOW__V1__EVENT__BODY_CASE_COMPLETED: s_apply_case_completed (self, event); break;
        case CASEFLOW__V1__EVENT__BODY_ASSIGNMENT_ESCALATED: s_apply_escalated (self, event); break;
        default: return -1;
    }
    return 0;
}

int
assignment_state_apply (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    if (!event->stream)
        return -1;
    if (strcmp (event->stream, ASSIGNMENT_STREAM) == 0) {
        self->own_events++;
        return s_apply_own (self, event);
    }
    if (strcmp (event->stream, ASSIGNMENT_UPSTREAM) == 0) {
        self->upstream_events++;
        return s_apply_intake (self, event);
    }
    return -1;
}

//  ---------------------------------------------------------------- words

char *
assignment_domains_text (uint32_t mask, char *buf, size_t size)
{
    size_t len = 0;
    buf [0] = 0;
    for (int domain = ASSIGNMENT_DOMAIN_FIRST; domain <= ASSIGNMENT_DOMAIN_LAST; domain++)
        if (mask & (1u << domain)) {
            int written = snprintf (buf + len, size - len, "%s%s", len ? ", " : "",
                                    cf_words_name (&cf_words_domain, domain));
            if (written < 0 || (size_t) written >= size - len)
                break;
            len += (size_t) written;
        }
    if (!len)
        snprintf (buf, size, "no domain");
    return buf;
}
