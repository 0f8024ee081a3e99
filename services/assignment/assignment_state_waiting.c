//  assignment_state_waiting: the waiting list as one sorted array of cases.
//
//  Order: cf_waiting.h's rule (urgent first, then by the time the case was
//  first triaged, then by case id), which the console shows too. A case that goes back to
//  the list (its worker became absent or left) takes its original place.
//  Insert and remove find the place by binary search and shift the tail:
//  with 50,000 waiting cases that is a memmove of at most 400 KB, far
//  cheaper than a tree and simpler.
#include "assignment_state.h"

#include "cf_waiting.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

int
assignment_waiting_compare (const assignment_case_t *a, const assignment_case_t *b)
{
    cf_waiting_key_t ka = { a->urgency == ASSIGNMENT_URGENT, a->triaged_at, a->id };
    cf_waiting_key_t kb = { b->urgency == ASSIGNMENT_URGENT, b->triaged_at, b->id };
    return cf_waiting_compare (&ka, &kb);
}

//  The first index whose case does not go before `kase`.
static size_t
s_lower_bound (const assignment_waiting_t *self, const assignment_case_t *kase)
{
    size_t low = 0, high = self->count;
    //  Cases mostly join in the order they were triaged, at the end: one
    //  comparison with the last (recent, so in the cache) instead of a
    //  search that touches a case far back at each step.
    if (high && assignment_waiting_compare (self->items [high - 1], kase) < 0)
        return high;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (assignment_waiting_compare (self->items [mid], kase) < 0)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

static void
s_count (assignment_waiting_t *self, const assignment_case_t *kase, int delta)
{
    if (kase->urgency == ASSIGNMENT_URGENT)
        self->urgent += (size_t) delta;
    if (kase->preferred_worker || kase->previous_worker)
        self->with_continuity += (size_t) delta;
}

void
assignment_waiting_insert (assignment_waiting_t *self, assignment_case_t *kase)
{
    assert (!kase->waiting);
    if (self->count == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 256;
        self->items = realloc (self->items, self->cap * sizeof *self->items);
        assert (self->items);
    }
    size_t at = s_lower_bound (self, kase);
    memmove (self->items + at + 1, self->items + at, (self->count - at) * sizeof *self->items);
    self->items [at] = kase;
    self->count++;
    kase->waiting = true;
    s_count (self, kase, 1);
}

long
assignment_waiting_index (const assignment_waiting_t *self, const assignment_case_t *kase)
{
    if (!kase->waiting)
        return -1;
    if (self->count && self->items [self->count - 1] == kase)
        return (long) self->count - 1;
    size_t at = s_lower_bound (self, kase);
    assert (at < self->count && self->items [at] == kase);
    return (long) at;
}

void
assignment_waiting_remove (assignment_waiting_t *self, assignment_case_t *kase)
{
    long at = assignment_waiting_index (self, kase);
    assert (at >= 0);
    memmove (self->items + at, self->items + at + 1,
             (self->count - (size_t) at - 1) * sizeof *self->items);
    self->count--;
    kase->waiting = false;
    s_count (self, kase, -1);
}

void
assignment_waiting_free (assignment_waiting_t *self)
{
    free (self->items);
    memset (self, 0, sizeof *self);
}
