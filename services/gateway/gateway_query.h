//  gateway_query: the gateway's queries (publishers, what became of an
//  inbound event, a transit key). Read-only.
#ifndef GATEWAY_QUERY_H
#define GATEWAY_QUERY_H

#include "caseflow/v1/api.pb-c.h"
#include "gateway_state.h"

#include <stdbool.h>

//  Answers `query` into the reply's QueryResult.gateway, or sets its
//  status: INVALID_ARGUMENT naming the field; NOT_FOUND for an inbound
//  event the gateway never accepted or a transit key it does not hold (or
//  erased). The transit key is answered only when `key_holder` (a caller
//  with the role service when keys are on; any local caller without):
//  PERMISSION_DENIED otherwise. Borrows all.
void
gateway_query (const gateway_state_t *state, const Caseflow__V1__Gateway__Query *query,
               bool key_holder, Caseflow__V1__Reply *reply);

//  cf_service_def_t's handle_query: a gateway query; a transit key handed
//  over is recorded in the access log as a read (cf_service_record_access:
//  it opens a resident's personal data); anything else is INVALID_ARGUMENT
//  ("not a query of the gateway service").
void
gateway_query_hook (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                    Caseflow__V1__Reply *reply);

#endif
