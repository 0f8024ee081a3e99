//  cf_inbound: what a consumer of the gateway's stream did with each
//  inbound event (docs/cloudevents.md, "What becomes of an event").
//
//  Every InboundAccepted a consumer handles (intake: referrals and
//  decisions; handover: announcements) gets one InboundOutcome in the
//  consumer's own stream, applied or rejected with a reason, so the
//  gateway, following it back, can tell the publisher; nothing it handles
//  is dropped without one. The outcomes are also the consumer's guard of
//  "exactly once": the runtime delivers each gateway seq once (the cursor
//  commits with the events decided from it), and the set of (source, id)
//  pairs the outcomes name, rebuilt by apply from the own journal, refuses
//  a second InboundAccepted of the same CloudEvent should the gateway ever
//  accept it twice (a lost deduplication after a restore).
#ifndef CF_INBOUND_H
#define CF_INBOUND_H

#include "caseflow/v1/event.pb-c.h"

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _cf_inbound_t cf_inbound_t;

//  A new, empty set. Never NULL.
cf_inbound_t *
cf_inbound_new (void);

//  Frees it; safe on NULL; nulls *self_p.
void
cf_inbound_destroy (cf_inbound_t **self_p);

//  Apply: remembers the CloudEvent `outcome` names (copied). A pair
//  already known stays as it was (the first outcome is the one that
//  counts). Returns 0, or CF_EEXIST for such a repeat.
int
cf_inbound_record (cf_inbound_t *self, const Caseflow__V1__InboundOutcome *outcome);

//  True when the CloudEvent (`source`, `ce_id`) has an outcome.
bool
cf_inbound_seen (const cf_inbound_t *self, const char *source, const char *ce_id);

//  How many CloudEvents have an outcome, and how many of them were
//  applied.
size_t
cf_inbound_count (const cf_inbound_t *self, size_t *applied_p);

//  Adds the set to a state digest: nothing while it is empty (a state
//  that never saw the gateway digests as it did before), else its size
//  and an order-free sum over its entries.
void
cf_inbound_digest (const cf_inbound_t *self, crypto_hash_sha256_state *hash);

//  Fills `outcome` (initialised here; its strings borrowed from the
//  arguments) for the InboundAccepted `accepted` at gateway seq `seq`:
//  applied when `reason` is NULL, else rejected with it. `case_id` and
//  `handover_id` may be NULL.
void
cf_inbound_outcome (Caseflow__V1__InboundOutcome *outcome, uint64_t seq,
                    const Caseflow__V1__Gateway__InboundAccepted *accepted, const char *reason,
                    const char *case_id, const char *handover_id);

#endif
