//  handover_inbound: what handover does with the gateway's stream
//  (docs/cloudevents.md): an announcement from a care provider
//  (nl.sociaal-domein.overdracht-aangekondigd) becomes a handover of that
//  provider, exactly once, with one InboundOutcome in handover's stream
//  (cf_inbound.h): applied with the handover id, or rejected with a reason
//  naming the field and never quoting a personal value. Referrals and
//  decisions are intake's, calls the figures'.
//
//  The announcement is decided as the Announce command is (the same
//  handover_decide, so one set of rules): provider_id is the publisher's
//  id, and a provider handover does not know is rejected ("no provider
//  P"), as is a resident who already has an open handover. The resident
//  and the support are opened with the gateway's transit key (fetched from
//  the gateway's api by key id, cf_transit.h) and sealed again under a new
//  transit key of handover's own, as every announcement is: a handover has
//  one key for all its values, the one intake adopts at completion and
//  ResidentErased names. Handover keeps nothing of the gateway's key. An
//  announcement whose key the gateway will not hand over (NOT_FOUND) is
//  rejected with that reason (the provider sends it again); it is never taken in
//  unread, because a handover needs its resident to be planned. A gateway
//  that does not answer (down, restarting; or refusing handover's key
//  pair, a configuration to mend) is no refusal: the runtime asks
//  handover_inbound_ready first, and the announcement waits in the stream
//  until the gateway hands the key over, so a 202'd announcement is never
//  rejected for an outage (the chaos run kills the gateway to show it).
#ifndef HANDOVER_INBOUND_H
#define HANDOVER_INBOUND_H

#include "caseflow/v1/event.pb-c.h"
#include "cf_decider.h"
#include "handover_state.h"

//  Reacts to the gateway's `event` (borrowed; InboundAccepted with an
//  announcement, anything else is ignored) through the decider (its reply
//  unused). Returns 0 (an outcome recorded, or nothing to do), or the
//  emit's error.
int
handover_inbound_react (handover_state_t *state, cf_decider_t *decider,
                        const Caseflow__V1__Event *event);

//  Before the gateway's `event` is applied (cf_service_def_t's
//  upstream_ready): for an announcement handover will open, fetches the
//  gateway's transit key, kept for the reaction. False when the gateway
//  does not answer (CF_EUNAVAILABLE): the event is offered again later.
//  True for every other event, and for a key the gateway refuses (the
//  reaction rejects the announcement with that reason).
bool
handover_inbound_ready (handover_state_t *state, const Caseflow__V1__Event *event);

#endif
