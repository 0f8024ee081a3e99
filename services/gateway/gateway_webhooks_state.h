//  gateway_webhooks_state: the webhook subscriptions as the journal tells
//  them, and the apply of events 620-659 (the only code that changes them).
//
//  Per subscription: its sink, types, token key id, lifecycle state, and
//  per stream it covers the journaled cursor (the last seq it is done
//  with); the events parked for it (in the order parked), each either
//  waiting for an operator or resent and on its way again; and the count
//  of deliveries journaled. What happens between two journal writes (a
//  cursor that has moved since, attempts, back-off) is the delivery
//  runtime's (gateway_webhooks_delivery), never here: replaying the
//  journal gives this state byte for byte, attempts or not.
//
//  A subscription's streams are those its types name:
//  "nl.sociaal-domein.<stream>.<event-in-kebab-case>", or
//  "nl.sociaal-domein.<stream>.*" for all of a stream's events.
#ifndef GATEWAY_WEBHOOKS_STATE_H
#define GATEWAY_WEBHOOKS_STATE_H

#include "caseflow/v1/event.pb-c.h"
#include "gateway_webhooks_lifecycle.h"

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  Every type's prefix; the stream follows it.
#define GATEWAY_TYPE_PREFIX "nl.sociaal-domein."
//  Longest stream name, type, sink URL, reason kept.
#define GATEWAY_STREAM_MAX 64
#define GATEWAY_TYPE_MAX   160
#define GATEWAY_SINK_MAX   2048
#define GATEWAY_REASON_MAX 128
//  "W" and 26 base32 characters.
#define GATEWAY_SUBSCRIPTION_ID_SIZE 28

typedef struct {
    char stream [GATEWAY_STREAM_MAX + 1];
    uint64_t seq;
} gateway_cursor_t;

typedef struct {
    char stream [GATEWAY_STREAM_MAX + 1];
    uint64_t seq;
    char event_id [65];
    char reason [GATEWAY_REASON_MAX];
    uint32_t attempts;
    int64_t parked_at;  //  the envelope's occurred_at of the EventParked
    bool resending;
} gateway_parked_t;

typedef struct {
    char id [GATEWAY_SUBSCRIPTION_ID_SIZE];
    char *sink;
    char **types;
    size_t n_types;
    char token_key_id [65];
    gateway_subscription_state_t state;
    int64_t added_at;
    gateway_cursor_t *cursors;
    size_t n_cursors;
    gateway_parked_t *parked;
    size_t n_parked;
    uint64_t delivered;  //  journaled deliveries (cursor moves and resent ones)
    //  The sink's token, sealed (SubscriptionAdded.token); NULL for none.
    Caseflow__V1__Sealed *token;
    char removed_reason [GATEWAY_REASON_MAX];  //  why the gateway removed it ("" none)
} gateway_subscription_t;

typedef struct _gateway_webhooks_t gateway_webhooks_t;

gateway_webhooks_t *
gateway_webhooks_new (void);

void
gateway_webhooks_destroy (gateway_webhooks_t **self_p);

//  Applies `event` when its body is a webhook event (620-659): returns 1
//  when applied, 0 when the body is not a webhook's (nothing done), or
//  CF_ENOTFOUND when it names a subscription this state does not know
//  (nothing done; the caller logs it: a journal that says so is damaged).
int
gateway_webhooks_apply (gateway_webhooks_t *self, const Caseflow__V1__Event *event);

//  Subscriptions in the order added (removed ones included), borrowed
//  until the next apply.
size_t
gateway_webhooks_count (const gateway_webhooks_t *self);
gateway_subscription_t *
gateway_webhooks_at (const gateway_webhooks_t *self, size_t index);

//  The subscription called `id`, or NULL. Borrowed until the next apply.
gateway_subscription_t *
gateway_webhooks_find (const gateway_webhooks_t *self, const char *id);

//  The journaled cursor of `stream` in `subscription`, or NULL when the
//  subscription does not cover that stream.
gateway_cursor_t *
gateway_subscription_cursor (const gateway_subscription_t *subscription, const char *stream);

//  True when `type` is one of the subscription's types (or its stream's
//  "*").
bool
gateway_subscription_wants (const gateway_subscription_t *subscription, const char *type);

//  The parked entry (stream, seq), or NULL.
gateway_parked_t *
gateway_subscription_parked (const gateway_subscription_t *subscription, const char *stream,
                             uint64_t seq);

//  Writes the stream a type names into `stream` (GATEWAY_STREAM_MAX + 1
//  bytes). Returns 0, or CF_EINVAL when `type` is not
//  "nl.sociaal-domein.<stream>.<name>" with a stream of [a-z0-9-] and a
//  name of [a-z0-9-] or "*".
int
gateway_webhooks_type_stream (const char *type, char stream [GATEWAY_STREAM_MAX + 1]);

//  Feeds the state into a digest (the gateway's state digest), in a fixed
//  order.
void
gateway_webhooks_digest (const gateway_webhooks_t *self, crypto_hash_sha256_state *hash);

#endif
