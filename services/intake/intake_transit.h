//  intake_transit: fetching a transit key from the service that sealed a
//  resident under it (a key holder: handover, the gateway).
//
//  The fetcher the registry is given (intake_registry.h,
//  intake_fetch_fn): a GetTransitKey query to the holder's api (the
//  endpoint intake already follows the holder's stream at:
//  --handover-api, --gateway-api), with intake's CURVE key pair when keys
//  are on (a holder hands transit keys only to the role service). Each
//  holder names its keys its own way: handover by the handover they
//  belong to, the gateway by the key id itself. It runs on the loop
//  thread, as a reaction does, and blocks it for a bounded time:
//  INTAKE_TRANSIT_TRIES tries of INTAKE_TRANSIT_TIMEOUT_MS each (Lazy
//  Pirate, cf_api_client), so a holder that does not answer costs at most
//  1.5 s, after which the resident is taken in sealed as it came and the
//  key adopted later.
#ifndef INTAKE_TRANSIT_H
#define INTAKE_TRANSIT_H

#include "cf_keys.h"
#include "cf_seal.h"
#include "intake_registry.h"

#include <stdint.h>

#define INTAKE_TRANSIT_TRIES      3
#define INTAKE_TRANSIT_TIMEOUT_MS 500

typedef struct _intake_transit_t intake_transit_t;

//  A fetcher of transit keys with `keys` (borrowed, the service's; NULL:
//  plaintext), asking no holder yet. Never NULL.
intake_transit_t *
intake_transit_new (cf_keys_t *keys);

//  Asks `holder` at `endpoint` (copied; "" or CF_CONFIG_NONE: the holder
//  is not run, every fetch is CF_EUNAVAILABLE).
void
intake_transit_set (intake_transit_t *self, intake_holder_t holder, const char *endpoint);

//  Frees it; safe on NULL. Takes void * to serve as the registry's
//  free_ctx.
void
intake_transit_free (void *self);

//  intake_fetch_fn: asks `holder` for the transit key `id` names (a
//  handover id, or a key id for the gateway). 0 with its id and key;
//  CF_EUNAVAILABLE when the holder does not answer in time or refuses
//  (PERMISSION_DENIED, UNAVAILABLE; logged with its status, never with the
//  key), CF_ENOTFOUND for NOT_FOUND or FAILED_PRECONDITION (it will not
//  hand this key over), CF_EPROTO for an answer that is not the key asked
//  for.
int
intake_transit_fetch (void *self, intake_holder_t holder, const char *id,
                      char key_id [CF_SEAL_ID_SIZE], uint8_t key [CF_SEAL_KEY_BYTES]);

#endif
