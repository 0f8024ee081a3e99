//  gateway_webhooks_decide: the webhook commands (add, pause, resume,
//  remove, resend) and queries (list, status, parked) of the gateway.
//
//  Each command validates fully (a clear error naming the field), asks
//  the lifecycle table, then emits its event through the decider and fills
//  the reply's gateway CommandResult. `add` seals the sink's token under a
//  fresh key of the key store (never in an event in the clear) and starts
//  each stream the types name at its head as the gateway knows it, or at
//  --from; the new subscription is verifying until the sink passes the
//  handshake (gateway_webhooks_run).
#ifndef GATEWAY_WEBHOOKS_DECIDE_H
#define GATEWAY_WEBHOOKS_DECIDE_H

#include "caseflow/v1/api.pb-c.h"
#include "cf_decider.h"
#include "gateway_webhooks_run.h"
#include "gateway_webhooks_state.h"

//  Longest sink token taken, and the shortest.
#define GATEWAY_SINK_TOKEN_MIN 16
#define GATEWAY_SINK_TOKEN_MAX 4096
//  Most types one subscription names.
#define GATEWAY_TYPES_MAX 64

//  True for the webhook commands and queries (numbers 20-49).
bool
gateway_webhooks_is_command (const Caseflow__V1__Gateway__Command *command);
bool
gateway_webhooks_is_query (const Caseflow__V1__Gateway__Query *query);

//  Decides `command` (a webhook command) at decider->now into
//  decider->reply. `run` may be NULL (unit tests: no token can be sealed
//  and every stream's head is 0).
void
gateway_webhooks_decide (gateway_webhooks_t *webhooks, gateway_webhooks_run_t *run,
                         cf_decider_t *decider, const Caseflow__V1__Gateway__Command *command);

//  Answers `query` (a webhook query) into `reply`. `run` as above.
void
gateway_webhooks_query (gateway_webhooks_t *webhooks, gateway_webhooks_run_t *run,
                        const Caseflow__V1__Gateway__Query *query, Caseflow__V1__Reply *reply);

#endif
