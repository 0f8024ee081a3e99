//  upgrade_handover: handover's events and stored replies in today's
//  format.
//
//  Handover's own format-2 events carry the resident, the support, the
//  meeting's location and participants, the decision's note, the documents'
//  titles and a cancellation's reason in plain. They are sealed the way
//  handover seals them today, by handover's own code (handover_transit over
//  a new key store): each HandoverAnnounced makes its handover's transit key
//  and seals the resident and support under it; every later event of that
//  handover seals its values under the same key, for its own field; the
//  plain fields are emptied, the envelope and every other field stay as
//  they were. The copies downstream (intake, notification) are replaced by
//  these bytes (upgrade_store.h).
//
//  A handover completed with CONTINUE became a case at intake: its transit
//  key is handed to intake's upgrade (upgrade_handover_key), which adopts
//  it into the resident's key set, so an erasure at intake names it and
//  handover destroys its copy, as for a handover completed after the
//  upgrade.
//
//  Stored replies: a format-2 command reply carried the whole handover view,
//  the resident included. Each is decoded and stripped
//  (handover_view_strip_personal); one that does not decode is dropped (a
//  retry of that command then acts again, as after its expiry).
#ifndef UPGRADE_HANDOVER_H
#define UPGRADE_HANDOVER_H

#include "cf_keystore.h"
#include "cf_seal.h"
#include "intake_registry.h"
#include "upgrade_store.h"

#include <stddef.h>
#include <stdint.h>

typedef struct _upgrade_handover_t upgrade_handover_t;

//  The rewrite over `keystore` (borrowed, a new and empty one). Never NULL.
upgrade_handover_t *
upgrade_handover_new (cf_keystore_t *keystore);

//  Frees it (not the key store); safe on NULL; nulls *self_p.
void
upgrade_handover_destroy (upgrade_handover_t **self_p);

//  The hooks for upgrade_store_write, bound to `self`.
upgrade_rewrite_t
upgrade_handover_rewrite (upgrade_handover_t *self);

//  The transit key of handover `handover_id` when it was completed with
//  CONTINUE: 0 with its id and key; CF_ENOTFOUND otherwise (and for any
//  other holder: a store older than the gateway holds none of its keys). Takes void *
//  to serve as intake's lookup (upgrade_intake_set_transit).
int
upgrade_handover_key (void *self, cf_transit_holder_t holder, const char *handover_id,
                      char key_id [CF_SEAL_ID_SIZE], uint8_t key [CF_SEAL_KEY_BYTES]);

//  What it did: handovers given a transit key, values sealed.
size_t
upgrade_handover_keys (const upgrade_handover_t *self);
uint64_t
upgrade_handover_sealed (const upgrade_handover_t *self);

#endif
