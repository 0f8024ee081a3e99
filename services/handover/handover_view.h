//  handover_view: the protobuf views of providers and handovers (command
//  results and query answers), and the state's canonical digest.
#ifndef HANDOVER_VIEW_H
#define HANDOVER_VIEW_H

#include "caseflow/v1/handover.pb-c.h"
#include "handover_state.h"

#include <sodium.h>
#include <stdint.h>

//  A fresh view of `handover` (free with
//  caseflow__v1__handover__handover_view__free_unpacked (view, NULL); every
//  part is heap-allocated, so it can be attached to a reply). `now` sets
//  the derived overdue and at_risk flags; with now < 0 they stay false (the
//  digest's form, independent of the clock).
Caseflow__V1__Handover__HandoverView *
handover_view_new (const handover_state_t *state, const handover_t *handover, int64_t now);

//  A fresh view of `provider` (free with ..._provider_view__free_unpacked).
Caseflow__V1__Handover__ProviderView *
handover_provider_view_new (const handover_provider_t *provider);

//  Feeds the canonical state into `hash`: the number of events applied,
//  providers in id order, then handovers in id order, each as its encoded
//  view (protobuf-c encodes fields in number order, so equal states give
//  equal bytes).
void
handover_view_digest (const handover_state_t *state, crypto_hash_sha256_state *hash);

#endif
