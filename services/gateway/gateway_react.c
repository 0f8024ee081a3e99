//  gateway_react: intake's ResidentErased (see gateway_react.h).
#include "gateway_react.h"
#include "gateway_secrets.h"

#include "cf_log.h"

void
gateway_react (gateway_state_t *state, const Caseflow__V1__Event *event)
{
    if (event->body_case != CASEFLOW__V1__EVENT__BODY_RESIDENT_ERASED || !state->secrets)
        return;
    const Caseflow__V1__Intake__ResidentErased *body = event->resident_erased;
    for (size_t i = 0; i < body->n_key_ids; i++) {
        const gateway_inbound_t *inbound = gateway_state_by_key (state, body->key_ids [i]);
        if (!inbound)
            continue;  //  intake's own keys, or another holder's
        gateway_secrets_queue_erasure (state->secrets, inbound->erased_subject,
                                       inbound->transit_key_id);
        cf_log_info ("inbound event seq %llu: intake erased the resident; its transit key goes "
                     "at the next commit",
                     (unsigned long long) inbound->seq);
    }
}

void
gateway_react_hook (void *state, cf_service_t *service, const Caseflow__V1__Event *event)
{
    (void) service;
    gateway_react (state, event);
}
