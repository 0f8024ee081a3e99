//  handover_react: handover's reaction to intake's stream, which it follows
//  for one fact only: ResidentErased (the gateway's stream, which it also
//  follows, is handover_inbound.h's). Handover is a key holder (its
//  transit keys, handover_transit.h): each transit key the erasure names
//  is queued for destruction, carried out only once the batch that
//  journals the erasure is committed (handover_keys.h): a key destroyed
//  before would leave, after a crash, a journal naming a transit key the
//  key store lacks without the erasure record (not ready until intake's
//  event came again). Were handover to stop before its copy is durable,
//  the event comes again and is carried out again, harmlessly.
//  Handover emits nothing in return.
#ifndef HANDOVER_REACT_H
#define HANDOVER_REACT_H

#include "caseflow/v1/event.pb-c.h"
#include "cf_service.h"
#include "handover_state.h"

//  Reacts to `event` (borrowed), which has just been journaled and applied.
//  Events other than ResidentErased need nothing.
void
handover_react (handover_state_t *state, const Caseflow__V1__Event *event);

//  The runtime's upstream_ready: handover_inbound_ready on the state.
bool
handover_upstream_ready_hook (void *state, cf_service_t *service, const Caseflow__V1__Event *event);

//  cf_service_def_t's handle_upstream: handover_react, and the gateway's
//  announcements (handover_inbound.h) at the service clock.
void
handover_react_hook (void *state, cf_service_t *service, const Caseflow__V1__Event *event);

#endif
