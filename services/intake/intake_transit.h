//  intake_transit: fetching a handover's transit key from handover's api.
//
//  The fetcher the registry is given (intake_registry.h,
//  intake_fetch_fn): a GetTransitKey query to the endpoint intake already
//  follows handover's stream at (--handover-api), with intake's CURVE key
//  pair when keys are on (handover hands transit keys only to the role
//  service). It runs on the loop thread, as a reaction does, and blocks
//  it for a bounded time: INTAKE_TRANSIT_TRIES tries of
//  INTAKE_TRANSIT_TIMEOUT_MS each (Lazy Pirate, cf_api_client), so a
//  handover that does not answer costs at most 1.5 s, after which the case
//  is registered sealed as it came and the key adopted later.
#ifndef INTAKE_TRANSIT_H
#define INTAKE_TRANSIT_H

#include "cf_keys.h"
#include "cf_seal.h"

#include <stdint.h>

#define INTAKE_TRANSIT_TRIES      3
#define INTAKE_TRANSIT_TIMEOUT_MS 500

typedef struct _intake_transit_t intake_transit_t;

//  A fetcher of transit keys from handover's api at `endpoint` (copied),
//  with `keys` (borrowed, the service's; NULL: plaintext). Never NULL.
intake_transit_t *
intake_transit_new (const char *endpoint, cf_keys_t *keys);

//  Frees it; safe on NULL. Takes void * to serve as the registry's
//  free_ctx.
void
intake_transit_free (void *self);

//  intake_fetch_fn: asks handover for `handover_id`'s transit key. 0 with
//  its id and key; CF_EUNAVAILABLE when handover does not answer in time
//  or refuses (PERMISSION_DENIED, UNAVAILABLE; logged with its status,
//  never with the key), CF_ENOTFOUND for NOT_FOUND or FAILED_PRECONDITION
//  (it will not hand this key over), CF_EPROTO for an answer that is not a
//  key.
int
intake_transit_fetch (void *self, const char *handover_id, char key_id [CF_SEAL_ID_SIZE],
                      uint8_t key [CF_SEAL_KEY_BYTES]);

#endif
