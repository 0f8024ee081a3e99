//  assignment_query: the assignment service's views and queries.
//
//  Queries read the state and never emit. Views are fresh protobuf-c
//  messages built with malloc, so the reply frees them with the rest
//  (cf_api_reply_clear); the command handlers use the same views for
//  their results.
#ifndef ASSIGNMENT_QUERY_H
#define ASSIGNMENT_QUERY_H

#include "assignment_state.h"
#include "caseflow/v1/api.pb-c.h"

//  Fresh views (free with the generated __free_unpacked (view, NULL)).
Caseflow__V1__Assignment__WorkerView *
assignment_worker_view (const assignment_state_t *state, const assignment_worker_t *worker);
Caseflow__V1__Assignment__LocationView *
assignment_location_view (assignment_state_t *state, const assignment_location_t *location);
Caseflow__V1__Assignment__AssignmentView *
assignment_case_view (assignment_state_t *state, const assignment_case_t *kase);

//  Answers an assignment query (`query` borrowed) at `now` into `reply`:
//  the result, or a status naming the field (INVALID_ARGUMENT, NOT_FOUND).
void
assignment_query (assignment_state_t *state, int64_t now,
                  const Caseflow__V1__Assignment__Query *query, Caseflow__V1__Reply *reply);

//  Why the case waits (or does not), in words, at most `size` bytes into
//  buf; the same text as the ExplainWaiting query. Returns buf.
char *
assignment_explain_text (assignment_state_t *state, const assignment_case_t *kase, char *buf,
                         size_t size);

//  cf_service_def_t's handle_query: an assignment query at the service
//  clock; anything else is INVALID_ARGUMENT ("not a query of the
//  assignment service").
void
assignment_query_hook (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                       Caseflow__V1__Reply *reply);

#endif
