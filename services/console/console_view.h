//  console_view: the console's projections as answers, for the api
//  (console_query) and the HTTP side alike.
//
//  Every function reads the state (borrowed, on the loop thread: the state
//  changes only there) and returns a fresh protobuf-c message whose parts
//  are all heap-allocated: free it with its ..._free_unpacked (msg, NULL),
//  or attach it to a reply, which frees it. They never fail: an empty
//  projection is an empty list. None holds personal data (ids, times,
//  locations, domains, counts): the console holds no keys.
//
//  `now` is the console's clock (cf_service_now): "today" and "days
//  waiting" are measured from it, never from the wall clock.
//
//  The report and a case's timeline fold history up to a moment; whether
//  the console has caught up to that moment is console_view_behind's
//  question, which the caller asks first (docs/console.md, "Catching up").
#ifndef CONSOLE_VIEW_H
#define CONSOLE_VIEW_H

#include "console_state.h"

#include "caseflow/v1/console.pb-c.h"
#include "cf_service.h"

#include <stdint.h>

//  The waiting list at `now` in its order (cf_waiting.h): each entry's
//  position is its place on the whole list; `filter` (may be NULL) keeps
//  the entries of its location and domain, at most its limit (0: all).
Caseflow__V1__Console__WaitingList *
console_view_waiting (const console_state_t *state, int64_t now,
                      const Caseflow__V1__Console__Waiting *filter);

//  One page of it: the entries `filter` keeps (as above) that are also of
//  `urgency` (0: any), skipping the first `skip` of them, at most the
//  filter's limit (0: all). With `matched_p`, *matched_p is the number
//  of entries kept in all (the page's `total` stays the whole list's).
Caseflow__V1__Console__WaitingList *
console_view_waiting_page (const console_state_t *state, int64_t now,
                           const Caseflow__V1__Console__Waiting *filter, int urgency, size_t skip,
                           size_t *matched_p);

//  The callbacks to make today: fired callback reminders not yet answered,
//  cancelled or acknowledged, due before the end of `now`'s day
//  (Europe/Amsterdam), oldest due first (then by reminder id); `location`
//  (NULL or "": all) keeps those of cases registered at that location.
Caseflow__V1__Console__CallbackList *
console_view_callbacks_today (const console_state_t *state, int64_t now, const char *location);

//  Urgent open cases without a worker, the longest urgent first (then by
//  case id).
Caseflow__V1__Console__UrgentList *
console_view_urgent_unassigned (const console_state_t *state, int64_t now);

//  Open cases (with a worker) per worker and per location, each in id
//  order; workers and locations with none left are left out.
Caseflow__V1__Console__CaseloadReport *
console_view_caseload (const console_state_t *state, int64_t now);

//  Why the console cannot answer for moment `at` yet, or NULL when it can
//  (docs/console.md, "Catching up"): every followed stream is caught up
//  with its producer's head, and `at` is not after the console's clock.
//  The text is static.
const char *
console_view_behind (cf_service_t *service, int64_t at);

#endif
