//  notification_view: reminders as protobuf messages, for events (borrowed
//  pointers into the state, built on the stack) and for replies (fresh
//  heap copies the reply owns).
#ifndef NOTIFICATION_VIEW_H
#define NOTIFICATION_VIEW_H

#include "caseflow/v1/notification.pb-c.h"
#include "notification_state.h"

#include <stddef.h>

//  Room for any summary text.
#define NOTIFICATION_SUMMARY_SIZE 160

//  The short human text of a reminder ("callback 2 for C000001") from its
//  kind, number and subject, into `buf`. Returns buf.
char *
notification_view_summary (int kind, uint64_t number, const char *case_id, const char *handover_id,
                           char *buf, size_t size);

//  Fills `message` (initialised by the caller) from `reminder`: its strings
//  point into the state and into `summary` (NOTIFICATION_SUMMARY_SIZE
//  bytes, written here), so `message` is valid as long as both are.
void
notification_view_fill (const notification_reminder_t *reminder,
                        Caseflow__V1__Notification__Reminder *message, char *summary);

//  A fresh ReminderView of `reminder` (free with
//  caseflow__v1__notification__reminder_view__free_unpacked (view, NULL),
//  or let the reply that holds it free it).
Caseflow__V1__Notification__ReminderView *
notification_view_new (const notification_reminder_t *reminder);

#endif
