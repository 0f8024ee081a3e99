//  intake_query: intake's read side. Answers the intake queries (get a case,
//  list cases with filters and paging, find a resident's open case, counts
//  by status, list tracks, export everything about a resident) and builds
//  the case and track views that command results carry too. Never changes
//  the state. The reads of personal data its answers hold are recorded in
//  the access log by the runtime's hook (intake_query_hook,
//  intake_query_account).
#ifndef INTAKE_QUERY_H
#define INTAKE_QUERY_H

#include "caseflow/v1/api.pb-c.h"
#include "intake_state.h"

#include <stdbool.h>

//  Default and largest page of list_cases.
#define INTAKE_LIST_DEFAULT 100
#define INTAKE_LIST_MAX     1000

//  A view of one case, every piece heap-allocated (free with
//  caseflow__v1__intake__case_view__free_unpacked (view, NULL), or attach
//  it to a reply). `full`: with personal data (opened with the resident's
//  key; "erased" once erased), question text, reasons, callbacks and joined
//  questions; otherwise the summary list_cases returns, with no personal
//  data and no free text.
Caseflow__V1__Intake__CaseView *
intake_view_case (const intake_state_t *state, const intake_case_t *kase, bool full);

//  Takes every personal value out of a full view (the resident, the
//  question, reasons, notes, joined questions' texts: empty), keeping the
//  facts: what a command's reply carries, since replies are stored. Also
//  for a view decoded with protobuf-c's default allocator (the upgrade
//  strips the replies a format-2 store kept).
void
intake_view_strip_personal (Caseflow__V1__Intake__CaseView *view);

//  A view of one track, heap-allocated like intake_view_case.
Caseflow__V1__Intake__TrackView *
intake_view_track (const intake_track_t *track);

//  Answers `query` into `reply`: the result (QueryResult.intake) on
//  success, or a status naming the field (INVALID_ARGUMENT, NOT_FOUND).
//  Field paths start with "query.intake.".
void
intake_query (const intake_state_t *state, const Caseflow__V1__Intake__Query *query,
              Caseflow__V1__Reply *reply);

//  The resident a request names by exactly one of `case_id`, `handover_id`
//  (a handover that became or joined a case; NULL for a request that has
//  no such field) and `subject_id` (each "" when not given), or NULL with
//  the reply's refusal: INVALID_ARGUMENT for none or several, a malformed
//  id or subject; NOT_FOUND for an unknown one. Field paths are
//  "<prefix>.case_id" and so on ("command.intake.erase").
const intake_subject_t *
intake_query_named_subject (const intake_state_t *state, const char *prefix, const char *case_id,
                            const char *handover_id, const char *subject_id,
                            Caseflow__V1__Reply *reply);

//  Records in `service`'s access log each resident whose personal data the
//  answer to `query` in `reply` holds (nothing for a refusal, a summary, a
//  count). Returns 0, or what cf_service_record_access returned.
int
intake_query_account (cf_service_t *service, const Caseflow__V1__Intake__Query *query,
                      const Caseflow__V1__Reply *reply);

//  cf_service_def_t's handle_query: an intake query, its reads of personal
//  data accounted for; anything else is INVALID_ARGUMENT ("not a query of
//  the intake service").
void
intake_query_hook (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                   Caseflow__V1__Reply *reply);

#endif
