//  handover_query: the handover queries (GetHandover, ListHandovers,
//  ListProviders, Progress). Read-only.
#ifndef HANDOVER_QUERY_H
#define HANDOVER_QUERY_H

#include "caseflow/v1/api.pb-c.h"
#include "handover_state.h"

#include <stdint.h>

//  Answers `query` at `now` (the service clock) into the reply's
//  QueryResult.handover, or sets its status: INVALID_ARGUMENT naming the
//  field, NOT_FOUND for an unknown handover or provider. Borrows all.
void
handover_query (const handover_state_t *state, int64_t now,
                const Caseflow__V1__Handover__Query *query, Caseflow__V1__Reply *reply);

//  A fresh view of `handover` as at `now`: the state's view
//  (handover_state_view) with the clock-derived flags overdue and at_risk
//  set. Free like handover_state_view's.
Caseflow__V1__Handover__HandoverView *
handover_query_view (const handover_state_t *state, const handover_t *handover, int64_t now);

//  The progress report as at `at` for one provider (`provider_id`) or all
//  (NULL or ""). Fresh (free with
//  caseflow__v1__handover__progress_report__free_unpacked (report, NULL)).
//  The provider, when named, must exist (asserted).
Caseflow__V1__Handover__ProgressReport *
handover_progress_report_new (const handover_state_t *state, const char *provider_id, int64_t at);

//  cf_service_def_t's handle_query: a handover query at the service clock,
//  each handover view in the answer recorded in the access log as a read
//  of its resident (cf_service_record_access); anything else is
//  INVALID_ARGUMENT ("not a query of the handover service").
void
handover_query_hook (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                     Caseflow__V1__Reply *reply);

#endif
