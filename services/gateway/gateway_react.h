//  gateway_react: the gateway's reaction to the streams it follows back.
//
//  Intake's and handover's InboundOutcome need nothing but apply (the
//  inbound event is settled: gateway_state). Intake's ResidentErased names
//  the keys of an erased resident: each transit key of the gateway's it
//  names (intake adopted it when it took the resident in) is queued for
//  destruction, carried out after the batch that journals the erasure is
//  durable (gateway_keys.h), as intake's own keys are. Were the gateway to
//  stop before its copy is durable, the event comes again and is carried
//  out again, harmlessly. The gateway emits nothing in return.
#ifndef GATEWAY_REACT_H
#define GATEWAY_REACT_H

#include "caseflow/v1/event.pb-c.h"
#include "cf_service.h"
#include "gateway_state.h"

//  Reacts to `event` (borrowed), which has just been journaled and applied.
void
gateway_react (gateway_state_t *state, const Caseflow__V1__Event *event);

//  cf_service_def_t's handle_upstream: gateway_react.
void
gateway_react_hook (void *state, cf_service_t *service, const Caseflow__V1__Event *event);

#endif
