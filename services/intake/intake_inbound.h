//  intake_inbound: what intake does with the gateway's stream
//  (docs/cloudevents.md): a referral becomes a registration, a decision of
//  the back office is linked to its resident; announcements (handover's)
//  and calls (the figures') are not intake's.
//
//  Each referral or decision gets exactly one InboundOutcome in intake's
//  stream (cf_inbound.h): applied with the case it touched, or rejected
//  with a reason that names the field and never quotes a personal value.
//
//  A referral is checked as a Register command is (intake_register_check):
//  channel partner or municipality from the publisher, referred by the
//  publisher's id, the domains, urgency and location of its plain part,
//  the resident, question and urgency reason opened with the gateway's
//  transit key (fetched from the gateway's api, cf_transit.h). The
//  key is adopted into the subject's key set as a handover's is, so the
//  gateway's copy goes with the resident's erasure. When the gateway
//  cannot hand the key over, the referral is not lost: it is registered
//  with the values sealed as they came and the key adopted later
//  (intake_keys.h), as for a handover.
//
//  A decision is matched to a resident by BSN, else name and birth date
//  (the registry's keyed hashes) and recorded as DecisionLinked (the
//  resident's open case, or none); the gateway's key is adopted into the
//  subject's key set. A decision no resident intake knows matches, or
//  whose key the gateway will not hand over, is rejected: intake records
//  no decision it cannot link. A gateway that does not answer (down,
//  restarting) is no refusal: the runtime asks intake_inbound_ready
//  first, and the decision waits in the stream until the gateway hands
//  the key over, so a 202'd decision is never rejected for an outage.
#ifndef INTAKE_INBOUND_H
#define INTAKE_INBOUND_H

#include "caseflow/v1/event.pb-c.h"
#include "cf_decider.h"
#include "intake_state.h"

//  Reacts to the gateway's `event` (borrowed; InboundAccepted, anything
//  else is ignored) through the decider. Returns 0 (an outcome recorded,
//  or nothing for intake to do: a key store that failed is recorded as a
//  rejection, "send it again"), or an emit's error.
int
intake_inbound_react (intake_state_t *state, cf_decider_t *decider,
                      const Caseflow__V1__Event *event);

//  Before the gateway's `event` is applied (cf_service_def_t's
//  upstream_ready): for a decision intake will open, fetches the gateway's
//  transit key ahead (intake_registry_prefetch) for the reaction. False
//  when the gateway does not answer: the event is offered again later.
//  True for every other event (a referral is registered sealed instead).
bool
intake_inbound_ready (intake_state_t *state, const Caseflow__V1__Event *event);

#endif
