//  handover_react: handover's reaction to intake's ResidentErased (see
//  handover_react.h).
#include "handover_react.h"
#include "handover_inbound.h"
#include "handover_transit.h"

#include "cf_log.h"

void
handover_react (handover_state_t *state, const Caseflow__V1__Event *event)
{
    if (event->body_case != CASEFLOW__V1__EVENT__BODY_RESIDENT_ERASED || !state->transit)
        return;
    const Caseflow__V1__Intake__ResidentErased *body = event->resident_erased;
    for (size_t i = 0; i < body->n_key_ids; i++) {
        const handover_t *handover = handover_state_by_key (state, body->key_ids [i]);
        if (!handover)
            continue;  //  intake's own keys, or another holder's
        handover_transit_queue_erasure (state->transit, event->stream, event->seq,
                                        handover->erased_subject, handover->transit_key_id);
        cf_log_info ("handover %s: intake erased the resident; its transit key goes once the "
                     "erasure is in handover's journal",
                     handover->id);
    }
}

bool
handover_upstream_ready_hook (void *state, cf_service_t *service, const Caseflow__V1__Event *event)
{
    (void) service;
    return handover_inbound_ready (state, event);
}

void
handover_react_hook (void *state, cf_service_t *service, const Caseflow__V1__Event *event)
{
    if (event->body_case == CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED) {
        cf_decider_t decider;
        cf_decider_init_service (&decider, service, cf_service_now (service), NULL);
        handover_inbound_react (state, &decider, event);
        return;
    }
    handover_react (state, event);
}
