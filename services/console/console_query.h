//  console_query: the console's queries over the api (console.Query, api
//  Query field 700). docs/console.md defines each answer.
//
//  The lists (waiting, callbacks today, urgent cases without a worker,
//  caseload) are the projections as they are now (console_view). The
//  report and a case's timeline are folds of history up to a moment, and a
//  moment the console has not caught up to is answered UNAVAILABLE, never
//  with partial figures (console_view_behind).
#ifndef CONSOLE_QUERY_H
#define CONSOLE_QUERY_H

#include "console_state.h"

#include "caseflow/v1/api.pb-c.h"
#include "cf_service.h"

//  cf_service_def_t's handle_query: the console's own queries; the
//  runtime's (status, digest, clock, access log) never reach it.
void
console_query_hook (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                    Caseflow__V1__Reply *reply);

#endif
