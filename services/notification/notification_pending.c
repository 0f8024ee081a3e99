//  notification_pending: the pending reminders' min-heap (see
//  notification_pending.h). A textbook binary heap in an array; the only
//  twist is that every move writes the reminder's heap_index and each item
//  carries its due time.
#include "notification_pending.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

int
notification_pending_compare (const notification_reminder_t *a, const notification_reminder_t *b)
{
    if (a->due_at != b->due_at)
        return a->due_at < b->due_at ? -1 : 1;
    return strcmp (a->id, b->id);
}

//  The same order on heap items, reading the reminders only on a tie.
static int
s_compare (const notification_pending_item_t *a, const notification_pending_item_t *b)
{
    if (a->due_at != b->due_at)
        return a->due_at < b->due_at ? -1 : 1;
    return strcmp (a->reminder->id, b->reminder->id);
}

static void
s_place (notification_pending_t *self, size_t index, notification_pending_item_t item)
{
    self->items [index] = item;
    item.reminder->heap_index = index;
}

static void
s_sift_up (notification_pending_t *self, size_t index)
{
    notification_pending_item_t moving = self->items [index];
    while (index > 0) {
        size_t parent = (index - 1) / 2;
        if (s_compare (&moving, &self->items [parent]) >= 0)
            break;
        s_place (self, index, self->items [parent]);
        index = parent;
    }
    s_place (self, index, moving);
}

static void
s_sift_down (notification_pending_t *self, size_t index)
{
    notification_pending_item_t moving = self->items [index];
    while (true) {
        size_t child = 2 * index + 1;
        if (child >= self->count)
            break;
        if (child + 1 < self->count
            && s_compare (&self->items [child + 1], &self->items [child]) < 0)
            child++;
        if (s_compare (&self->items [child], &moving) >= 0)
            break;
        s_place (self, index, self->items [child]);
        index = child;
    }
    s_place (self, index, moving);
}

void
notification_pending_clear (notification_pending_t *self)
{
    for (size_t i = 0; i < self->count; i++)
        self->items [i].reminder->heap_index = NOTIFICATION_NOT_PENDING;
    free (self->items);
    memset (self, 0, sizeof *self);
}

void
notification_pending_push (notification_pending_t *self, notification_reminder_t *reminder)
{
    assert (reminder->heap_index == NOTIFICATION_NOT_PENDING);
    if (self->count == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 1024;
        self->items = realloc (self->items, self->cap * sizeof *self->items);
        assert (self->items);
    }
    size_t index = self->count++;
    s_place (self, index, (notification_pending_item_t){ reminder->due_at, reminder });
    s_sift_up (self, index);
}

void
notification_pending_remove (notification_pending_t *self, notification_reminder_t *reminder)
{
    size_t index = reminder->heap_index;
    assert (index < self->count && self->items [index].reminder == reminder);
    reminder->heap_index = NOTIFICATION_NOT_PENDING;
    self->count--;
    if (index == self->count)
        return;
    s_place (self, index, self->items [self->count]);
    notification_pending_update (self, self->items [index].reminder);
}

void
notification_pending_update (notification_pending_t *self, notification_reminder_t *reminder)
{
    size_t index = reminder->heap_index;
    assert (index < self->count && self->items [index].reminder == reminder);
    self->items [index].due_at = reminder->due_at;
    if (index > 0 && s_compare (&self->items [index], &self->items [(index - 1) / 2]) < 0)
        s_sift_up (self, index);
    else
        s_sift_down (self, index);
}

notification_reminder_t *
notification_pending_first (const notification_pending_t *self)
{
    return self->count ? self->items [0].reminder : NULL;
}
