//  notification_query: the notification service's queries.
//
//  - list_reminders: upcoming and due reminders, by kind, case or
//    handover, in due order (a bounded selection: listing the first 100 of
//    a million pending reminders does not sort a million);
//  - get_reminder: one reminder;
//  - callbacks_due_today: the calls to make today, per location;
//  - callback_compliance: for a period, every waiting case whose time
//    between contacts exceeded the callback interval, with the gaps.
//  Queries only read the state. Field errors are INVALID_ARGUMENT naming
//  "query.notification.<query>.<field>"; an unknown reminder is NOT_FOUND.
//
//  Here too are the views of a reminder: the Reminder message events carry
//  (borrowed pointers into the state, built on the stack by the decisions)
//  and the ReminderView replies carry (fresh heap copies the reply owns).
#ifndef NOTIFICATION_QUERY_H
#define NOTIFICATION_QUERY_H

#include "caseflow/v1/api.pb-c.h"
#include "caseflow/v1/notification.pb-c.h"
#include "notification_state.h"

#include <stddef.h>
#include <stdint.h>

//  Room for any summary text.
#define NOTIFICATION_SUMMARY_SIZE 160

//  The short human text of a reminder ("callback 2 for C000001") from its
//  kind, number and subject, into `buf`. Returns buf.
char *
notification_query_summary (int kind, uint64_t number, const char *case_id, const char *handover_id,
                            char *buf, size_t size);

//  Fills `message` (initialised by the caller) from `reminder`: its strings
//  point into the state and into `summary` (NOTIFICATION_SUMMARY_SIZE
//  bytes, written here), so `message` is valid as long as both are.
void
notification_query_reminder (const notification_reminder_t *reminder,
                             Caseflow__V1__Notification__Reminder *message, char *summary);

//  A fresh ReminderView of `reminder` (free with
//  caseflow__v1__notification__reminder_view__free_unpacked (view, NULL),
//  or let the reply that holds it free it).
Caseflow__V1__Notification__ReminderView *
notification_query_view (const notification_reminder_t *reminder);

//  Default and largest page of list_reminders.
#define NOTIFICATION_LIST_DEFAULT 100
#define NOTIFICATION_LIST_MAX     10000

//  Answers `query` (borrowed) at service time `now` into `reply`
//  (QueryResult.notification).
void
notification_query (const notification_state_t *state, int64_t now,
                    const Caseflow__V1__Notification__Query *query, Caseflow__V1__Reply *reply);

//  cf_service_def_t's handle_query (`state` is the notification_service_t
//  the runtime holds): a notification query at the service clock; anything
//  else is INVALID_ARGUMENT ("not a query of the notification service").
void
notification_query_hook (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                         Caseflow__V1__Reply *reply);

#endif
