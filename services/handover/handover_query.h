//  handover_query: the handover queries (GetHandover, ListHandovers,
//  ListProviders, Progress, GetTransitKey). Read-only.
#ifndef HANDOVER_QUERY_H
#define HANDOVER_QUERY_H

#include "caseflow/v1/api.pb-c.h"
#include "handover_state.h"

#include <stdbool.h>
#include <stdint.h>

//  Answers `query` at `now` (the service clock) into the reply's
//  QueryResult.handover, or sets its status: INVALID_ARGUMENT naming the
//  field, NOT_FOUND for an unknown handover or provider. GetTransitKey is
//  answered only when `key_holder` (the caller may take keys: a service
//  with CURVE on, any local caller without): PERMISSION_DENIED otherwise;
//  FAILED_PRECONDITION for a handover not completed with CONTINUE,
//  NOT_FOUND for an erased key. Borrows all.
void
handover_query (const handover_state_t *state, int64_t now,
                const Caseflow__V1__Handover__Query *query, bool key_holder,
                Caseflow__V1__Reply *reply);

//  A fresh view of `handover` as at `now`: the state's view
//  (handover_state_view) with the clock-derived flags overdue and at_risk
//  set, and with `personal` its personal fields opened (handover_transit:
//  "erased" or "unreadable" when they do not open). Free like
//  handover_state_view's.
Caseflow__V1__Handover__HandoverView *
handover_query_view (const handover_state_t *state, const handover_t *handover, int64_t now,
                     bool personal);

//  The progress report as at `at` for one provider (`provider_id`) or all
//  (NULL or ""). Fresh (free with
//  caseflow__v1__handover__progress_report__free_unpacked (report, NULL)).
//  The provider, when named, must exist (asserted).
Caseflow__V1__Handover__ProgressReport *
handover_progress_report_new (const handover_state_t *state, const char *provider_id, int64_t at);

//  Empties the personal fields of `view` (the resident, the texts, the
//  meetings' locations and participants, the documents' titles), freeing
//  what they held: the form a command's reply has. For a view decoded by
//  protobuf-c or made by handover_query_view (the upgrade strips stored
//  replies of format 2 with it).
void
handover_view_strip_personal (Caseflow__V1__Handover__HandoverView *view);

//  cf_service_def_t's handle_query: a handover query at the service clock,
//  each handover view in the answer (and each transit key handed over)
//  recorded in the access log as a read of its resident
//  (cf_service_record_access); the caller a key holder when keys are off
//  or its key's role is service; anything else is INVALID_ARGUMENT ("not a
//  query of the handover service").
void
handover_query_hook (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                     Caseflow__V1__Reply *reply);

#endif
