//  assignment_state_roster: the roster part of the state: locations and
//  workers (kept in id order), their lookups, interning of location ids,
//  and the apply of the roster's events (locations
//  added; workers joined, changed, absent, returned, left), each move of a
//  worker's presence asked of the presence table (asserted: the events
//  were decided against it). Called by assignment_state.c only.
#include "assignment_state.h"

#include "assignment_lifecycle.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

//  ------------------------------------------------------------- helpers

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

int
assignment_state_location_index (assignment_state_t *self, const char *id)
{
    void *found = zhashx_lookup (self->location_names, id);
    if (found)
        return (int) ((intptr_t) found - 1);
    if (self->n_location_ids == self->cap_location_ids) {
        self->cap_location_ids = self->cap_location_ids ? self->cap_location_ids * 2 : 16;
        self->location_ids =
            realloc (self->location_ids, self->cap_location_ids * sizeof *self->location_ids);
        assert (self->location_ids);
    }
    int index = (int) self->n_location_ids;
    self->location_ids [self->n_location_ids++] = cf_strings_intern (self->texts, id);
    zhashx_insert (self->location_names, id, (void *) (intptr_t) (index + 1));
    return index;
}

uint32_t
assignment_domain_mask (const Caseflow__V1__Domain *domains, size_t count)
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

//  ------------------------------------------------------------ records

static void
s_worker_free (assignment_worker_t *worker)
{
    free (worker->id);
    free (worker->name);
    s_strings_free (worker->locations, worker->n_locations);
    free (worker->location_ids);
    free (worker->cases);
    free (worker);
}

static void
s_location_free (assignment_location_t *location)
{
    free (location->id);
    free (location->name);
    s_strings_free (location->districts, location->n_districts);
    free (location);
}

void
assignment_state_roster_free (assignment_state_t *self)
{
    for (size_t i = 0; i < self->n_locations; i++)
        s_location_free (self->locations [i]);
    free (self->locations);
    for (size_t i = 0; i < self->n_workers; i++)
        s_worker_free (self->workers [i]);
    free (self->workers);
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

//  ------------------------------------------------------------- applying

//  Own events were decided against the presence table: a move it does not
//  list is a programming error.
static void
s_worker_move (const assignment_worker_t *worker, assignment_worker_action_t action)
{
    int rc = assignment_lifecycle_worker_next (assignment_worker_presence (worker), action, NULL);
    assert (rc == 0);
}

static void
s_apply_location_added (assignment_state_t *self,
                        const Caseflow__V1__Assignment__LocationAdded *body)
{
    bool found;
    size_t at =
        s_search ((void *const *) self->locations, self->n_locations, body->location_id, &found);
    assert (!found);  //  a second one is refused (CONFLICT)
    assignment_location_t *location = calloc (1, sizeof *location);
    assert (location);
    location->id = strdup (body->location_id);
    location->name = strdup (body->name);
    assert (location->id && location->name);
    location->districts = s_strings_copy (body->districts, body->n_districts);
    location->n_districts = body->n_districts;
    location->kind = body->kind;
    location->index = assignment_state_location_index (self, body->location_id);
    s_array_insert ((void ***) &self->locations, &self->n_locations, &self->cap_locations, at,
                    location);
}

//  Sets a worker's details (joined or changed): every field is the full
//  new value.
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
    for (size_t i = 0; i < n_locations; i++)
        worker->location_ids [i] = assignment_state_location_index (self, locations [i]);
    worker->expertise_mask = assignment_domain_mask (expertise, n_expertise);
    worker->max_caseload = max_caseload;
}

static void
s_apply_worker_joined (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Assignment__WorkerJoined *body = event->worker_joined;
    bool found;
    size_t at = s_search ((void *const *) self->workers, self->n_workers, body->worker_id, &found);
    assert (!found);  //  a second one is refused (CONFLICT)
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

void
assignment_state_apply_roster (assignment_state_t *self, const Caseflow__V1__Event *event)
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
            s_worker_move (worker, ASSIGNMENT_CHANGE);
            s_worker_set (self, worker, body->name, body->fte_milli, body->locations,
                          body->n_locations, body->expertise, body->n_expertise,
                          body->max_caseload);
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_WORKER_ABSENT:
            worker = assignment_state_worker (self, event->worker_absent->worker_id);
            assert (worker);
            s_worker_move (worker, ASSIGNMENT_MARK_ABSENT);
            s_apply_worker_absent (worker, event->worker_absent);
            break;
        case CASEFLOW__V1__EVENT__BODY_WORKER_ABSENCE_STARTED:
            worker = assignment_state_worker (self, event->worker_absence_started->worker_id);
            assert (worker);
            s_worker_move (worker, ASSIGNMENT_START_ABSENCE);
            s_apply_absence_started (worker, event->worker_absence_started);
            break;
        case CASEFLOW__V1__EVENT__BODY_WORKER_RETURNED:
            worker = assignment_state_worker (self, event->worker_returned->worker_id);
            assert (worker);
            s_worker_move (worker, ASSIGNMENT_RETURN);
            s_apply_worker_returned (worker);
            break;
        case CASEFLOW__V1__EVENT__BODY_WORKER_LEFT:
            worker = assignment_state_worker (self, event->worker_left->worker_id);
            assert (worker);
            s_worker_move (worker, ASSIGNMENT_LEAVE);
            worker->left = true;
            worker->left_at = event->occurred_at;
            s_apply_worker_returned (worker);
            break;
        default: assert (false && "not an assignment event");
    }
}
