//  notification_pending: the pending reminders as a binary min-heap ordered
//  by (due time, reminder id), so the next reminder to fire is found in
//  O(1) and every insert, removal and reschedule is O(log n): firing stays
//  prompt with a million reminders pending.
//
//  The heap stores borrowed reminder pointers, each with a copy of its due
//  time (comparing with a parent then reads no reminder: one cache miss
//  less per step), and keeps each reminder's heap_index up to date
//  (NOTIFICATION_NOT_PENDING once removed), so a reminder is removed or
//  moved without a search.
#ifndef NOTIFICATION_PENDING_H
#define NOTIFICATION_PENDING_H

#include "notification_state.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t due_at;  //  the reminder's, as of its last move
    notification_reminder_t *reminder;
} notification_pending_item_t;

typedef struct {
    notification_pending_item_t *items;
    size_t count, cap;
} notification_pending_t;

//  Frees the array (not the reminders); leaves the heap empty.
void
notification_pending_clear (notification_pending_t *self);

//  Adds `reminder` (not yet in the heap).
void
notification_pending_push (notification_pending_t *self, notification_reminder_t *reminder);

//  Removes `reminder` (in the heap).
void
notification_pending_remove (notification_pending_t *self, notification_reminder_t *reminder);

//  Restores the order after `reminder`'s due time changed.
void
notification_pending_update (notification_pending_t *self, notification_reminder_t *reminder);

//  The first reminder (earliest due, then smallest id), or NULL.
notification_reminder_t *
notification_pending_first (const notification_pending_t *self);

//  Negative, zero or positive as `a` fires before, with, or after `b`:
//  by due time, then by id.
int
notification_pending_compare (const notification_reminder_t *a, const notification_reminder_t *b);

#endif
