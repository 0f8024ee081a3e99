//  gateway_webhooks_lifecycle: a webhook subscription's lifecycle, as one
//  transition table (cf_lifecycle).
//
//      add ──▶ verifying ──handshake passed──▶ active   (failed: removed)
//
//              active ◀──resume── paused
//                │ ──pause──────▶   │
//                │ 410 Gone         │
//                ▼                  │
//             retired               │
//                │ remove           │ remove
//                ▼                  ▼
//             removed (from active too; final)
//
//  `deliver` is a row too: only an active subscription sends. `resend`
//  (parked events back in line) is taken while active or paused (they go
//  out once resumed); a retired subscription's sink is gone, so it takes
//  none.
#ifndef GATEWAY_WEBHOOKS_LIFECYCLE_H
#define GATEWAY_WEBHOOKS_LIFECYCLE_H

#include "caseflow/v1/api.pb-c.h"
#include "caseflow/v1/gateway.pb-c.h"

#include <stdbool.h>
#include <stddef.h>

typedef Caseflow__V1__Gateway__SubscriptionState gateway_subscription_state_t;
#define GATEWAY_SUBSCRIPTION_ACTIVE \
    CASEFLOW__V1__GATEWAY__SUBSCRIPTION_STATE__SUBSCRIPTION_STATE_ACTIVE
#define GATEWAY_SUBSCRIPTION_PAUSED \
    CASEFLOW__V1__GATEWAY__SUBSCRIPTION_STATE__SUBSCRIPTION_STATE_PAUSED
#define GATEWAY_SUBSCRIPTION_RETIRED \
    CASEFLOW__V1__GATEWAY__SUBSCRIPTION_STATE__SUBSCRIPTION_STATE_RETIRED
#define GATEWAY_SUBSCRIPTION_REMOVED \
    CASEFLOW__V1__GATEWAY__SUBSCRIPTION_STATE__SUBSCRIPTION_STATE_REMOVED
#define GATEWAY_SUBSCRIPTION_VERIFYING \
    CASEFLOW__V1__GATEWAY__SUBSCRIPTION_STATE__SUBSCRIPTION_STATE_VERIFYING

typedef enum {
    GATEWAY_WEBHOOK_PAUSE,
    GATEWAY_WEBHOOK_RESUME,
    GATEWAY_WEBHOOK_RETIRE,
    GATEWAY_WEBHOOK_REMOVE,
    GATEWAY_WEBHOOK_RESEND,
    GATEWAY_WEBHOOK_DELIVER,
    GATEWAY_WEBHOOK_VERIFY,
    GATEWAY_WEBHOOK_ACTION_COUNT
} gateway_webhook_action_t;

//  Where `action` takes a subscription in state `from`: 0 and *to_p (when
//  not NULL), or CF_ESTATE when the table has no such move.
int
gateway_webhooks_lifecycle_next (gateway_subscription_state_t from, gateway_webhook_action_t action,
                                 gateway_subscription_state_t *to_p);

//  True when the table lists `action` from `from`.
bool
gateway_webhooks_lifecycle_allows (gateway_subscription_state_t from,
                                   gateway_webhook_action_t action);

//  For a command: 0 and *to_p when allowed; else `reply` refused with
//  FAILED_PRECONDITION naming `field` ("subscription W… is retired; pause
//  needs it active") and CF_ESTATE.
int
gateway_webhooks_lifecycle_check (const char *subscription_id, gateway_subscription_state_t from,
                                  gateway_webhook_action_t action,
                                  gateway_subscription_state_t *to_p, Caseflow__V1__Reply *reply,
                                  const char *field);

//  The action's word ("pause", "resend"); "unknown" for others.
const char *
gateway_webhooks_action_name (gateway_webhook_action_t action);

#endif
