//  gateway_decide: the gateway's commands (publisher add, rotate,
//  remove). Each validates fully, then emits its event, then fills the
//  reply's result.
//
//  A decision is handed a cf_decider_t (common/cf_decider.h): the service
//  clock's reading, the reply, and the emitter (cf_service_emit in the
//  service, the test kit's collector in the unit tests), which applies
//  each event to the state before the next decision reads it. The token a
//  command carries goes to the key store as a keyed hash only
//  (gateway_secrets.h), written with the key store's open batch, which the
//  runtime makes durable before the journal batch that names it; the
//  event and the stored reply name the token's record id, never the token.
#ifndef GATEWAY_DECIDE_H
#define GATEWAY_DECIDE_H

#include "caseflow/v1/api.pb-c.h"
#include "cf_decider.h"
#include "gateway_cloudevent.h"
#include "gateway_data.h"
#include "gateway_state.h"

//  The longest grace a rotated-out token may be given (30 days).
#define GATEWAY_GRACE_MAX_SECONDS (30u * 24 * 3600)

//  Decides on `command` at decider->now and fills decider->reply: its
//  status (INVALID_ARGUMENT naming the field, NOT_FOUND for an unknown
//  publisher, CONFLICT for a source or token another publisher holds,
//  FAILED_PRECONDITION naming the publisher's state, UNAVAILABLE when the
//  key store fails) or, when accepted, its CommandResult.gateway: the
//  event decided. Borrows all; the state changes only through the
//  decider's emitter.
void
gateway_decide (gateway_state_t *state, cf_decider_t *decider,
                const Caseflow__V1__Gateway__Command *command);

//  Accepts inbound CloudEvents of `publisher` (borrowed; active), all
//  validated already: `events` with their `data` read (gateway_data.h),
//  `count` of each. A repeat of an accepted (source, id), or of an
//  earlier event of the same call, is not accepted again. Every new event
//  gets a transit key (when it has personal values), its personal values
//  sealed under it, and one InboundAccepted, emitted through `decider`
//  (its reply is NULL) with the publisher as actor. *wait_seq_p is the
//  gateway seq the answer must wait for to be durable: the last one
//  emitted, or the repeats' own. Keys are made and sealed for all events
//  before the first is emitted, so a key store failure records nothing.
//  Returns 0, CF_EUNAVAILABLE when the key store fails (logged), or the
//  decider's failure.
int
gateway_decide_inbound (gateway_state_t *state, cf_decider_t *decider,
                        const gateway_publisher_t *publisher, const gateway_ce_t *events,
                        const gateway_data_t *data, size_t count, uint64_t *wait_seq_p);

//  cf_service_def_t's handle_command: a gateway command decided at the
//  service clock with cf_service_emit; anything else is INVALID_ARGUMENT
//  ("not a command of the gateway service").
void
gateway_decide_hook (void *state, cf_service_t *service, const Caseflow__V1__Command *command,
                     Caseflow__V1__Reply *reply);

#endif
