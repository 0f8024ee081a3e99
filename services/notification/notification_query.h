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
#ifndef NOTIFICATION_QUERY_H
#define NOTIFICATION_QUERY_H

#include "caseflow/v1/api.pb-c.h"
#include "notification_state.h"

#include <stdint.h>

//  Default and largest page of list_reminders.
#define NOTIFICATION_LIST_DEFAULT 100
#define NOTIFICATION_LIST_MAX     10000

//  Answers `query` (borrowed) at service time `now` into `reply`
//  (QueryResult.notification).
void
notification_handle_query (const notification_state_t *state, int64_t now,
                           const Caseflow__V1__Notification__Query *query,
                           Caseflow__V1__Reply *reply);

#endif
