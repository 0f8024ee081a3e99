//  cf_transit: fetching a transit key from the service that sealed a
//  resident under it (a key holder: handover, the gateway), for the
//  services that take the resident in (intake adopts the key: its
//  registry's fetcher, intake_registry.h; handover opens the gateway's
//  announcements with it).
//
//  A fetch is a GetTransitKey query to the holder's api (the
//  endpoint intake already follows the holder's stream at:
//  --handover-api, --gateway-api), with intake's CURVE key pair when keys
//  are on (a holder hands transit keys only to the role service). Each
//  holder names its keys its own way: handover by the handover they
//  belong to, the gateway by the key id itself. It runs on the loop
//  thread, as a reaction does, and blocks it for a bounded time:
//  CF_TRANSIT_TRIES tries of CF_TRANSIT_TIMEOUT_MS each (Lazy
//  Pirate, cf_api_client), so a holder that does not answer costs at most
//  1.5 s, after which the resident is taken in sealed as it came and the
//  key adopted later.
#ifndef CF_TRANSIT_H
#define CF_TRANSIT_H

#include "cf_keys.h"
#include "cf_seal.h"

#include <stdint.h>

#define CF_TRANSIT_TRIES      3
#define CF_TRANSIT_TIMEOUT_MS 500

//  The services that hand out transit keys (key holders).
typedef enum {
    CF_TRANSIT_HANDOVER,  //  a key is asked for by its handover's id
    CF_TRANSIT_GATEWAY,   //  a key is asked for by its own id
    CF_TRANSIT_HOLDERS
} cf_transit_holder_t;

//  The field the gateway seals an inbound event's personal values under
//  (gateway.proto, InboundAccepted.personal).
#define CF_TRANSIT_FIELD_GATEWAY "gateway.InboundAccepted"

//  Fetches from `holder` the transit key `id` names: 0 with its id and
//  key, or an error (see cf_transit_fetch). cf_transit_fetch is one; the
//  unit tests give fakes.
typedef int (cf_transit_fetch_fn) (void *ctx, cf_transit_holder_t holder, const char *id,
                                   char key_id [CF_SEAL_ID_SIZE], uint8_t key [CF_SEAL_KEY_BYTES]);

typedef struct _cf_transit_t cf_transit_t;

//  A fetcher of transit keys with `keys` (borrowed, the service's; NULL:
//  plaintext), asking no holder yet. Never NULL.
cf_transit_t *
cf_transit_new (cf_keys_t *keys);

//  Asks `holder` at `endpoint` (copied; "" or CF_CONFIG_NONE: the holder
//  is not run, every fetch is CF_EUNAVAILABLE).
void
cf_transit_set (cf_transit_t *self, cf_transit_holder_t holder, const char *endpoint);

//  Frees it; safe on NULL. Takes void * to serve as intake's registry's
//  free_ctx.
void
cf_transit_free (void *self);

//  Asks `holder` for the transit key `id` names (a
//  handover id, or a key id for the gateway). 0 with its id and key;
//  CF_EUNAVAILABLE when the holder does not answer in time or refuses
//  (PERMISSION_DENIED, UNAVAILABLE; logged with its status, never with the
//  key), CF_ENOTFOUND for NOT_FOUND or FAILED_PRECONDITION (it will not
//  hand this key over), CF_EPROTO for an answer that is not the key asked
//  for.
int
cf_transit_fetch (void *self, cf_transit_holder_t holder, const char *id,
                  char key_id [CF_SEAL_ID_SIZE], uint8_t key [CF_SEAL_KEY_BYTES]);

#endif
