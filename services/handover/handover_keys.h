//  handover_keys: handover's key store at run time (README.md, "Personal
//  data").
//
//  The runtime's hooks that bring the transit keys (handover_transit.h)
//  along with the state: made with it over the service's key store, gone
//  with it; the start-up check, which carries out again every erasure the
//  journal holds (a key store restored from an older backup brings nobody
//  back), finds handovers with neither a transit key nor an erasure record
//  (the service is then not ready, naming the first), and builds the index
//  of open handovers' residents; and, after each commit, the destruction
//  of the transit keys intake's ResidentErased named, once handover's
//  journal holds that event, with the key store's compaction
//  (cf_keystore.h).
#ifndef HANDOVER_KEYS_H
#define HANDOVER_KEYS_H

#include "cf_service.h"
#include "handover_state.h"
#include "handover_transit.h"

//  cf_service_def_t's state_new and state_destroy: the state with the
//  configuration read from `service` and its transit keys.
void *
handover_state_new_hook (cf_service_t *service);
void
handover_state_destroy_hook (void **state_p);

//  cf_service_def_t's check_keys and after_commit.
const char *
handover_keys_check_hook (void *state, cf_service_t *service);
void
handover_keys_after_commit_hook (void *state, cf_service_t *service);

//  Carries out the erasures queued in the state's transit keys whose
//  ResidentErased is durable in handover's journal (its seq at most
//  `durable (ctx, stream)`, the committed cursor on the intake stream
//  that erased): destroys each named transit key and records intake's
//  subject as erased, then compacts the key store when anything went. One
//  that fails (logged) stays queued for the next commit. Returns the
//  number that failed.
size_t
handover_keys_erase_durable (handover_state_t *state, handover_durable_fn *durable, void *ctx);

//  The same with every intake stream durable up to `durable_seq`.
size_t
handover_keys_erase_queued (handover_state_t *state, uint64_t durable_seq);

#endif
