//  upgrade_intake: intake's events and stored replies in today's format.
//
//  Intake's own format-2 events carry the resident and free texts in
//  plain. They are sealed the way intake seals them today, by intake's own
//  code (intake_personal, intake_registry over a new key store with the
//  deployment's matching secret), while the events are applied in journal
//  order to an intake state, exactly as a running intake would have held
//  it: a registration finds its resident by the keyed hashes (a subject
//  whose earlier case is closed keeps its subject and key; one the old
//  release did not join, because the open case knew another BSN, gets a
//  subject of its own), a joined question seals under the case's subject,
//  and a later text (triage reason, callback note, closing reason) under
//  the case's. CaseRegistered also gets what it carries in plain today:
//  the subject, the areas (the locations serving the district, from the
//  LocationAdded events intake had applied by then) and the age band (the
//  birth date on the day of registration). The plain fields are emptied;
//  the envelope and every other field stay as they were.
//
//  Stored replies: a format-2 command reply carried the whole case view,
//  the resident included. Each is decoded and stripped by intake's own
//  intake_view_strip_personal; one that does not decode is dropped (a
//  retry of that command then acts again, as after its expiry).
#ifndef UPGRADE_INTAKE_H
#define UPGRADE_INTAKE_H

#include "cf_keystore.h"
#include "intake_registry.h"
#include "upgrade_store.h"

#include <stddef.h>
#include <stdint.h>

typedef struct _upgrade_intake_t upgrade_intake_t;

//  The rewrite over `keystore` (borrowed, a new and empty one) with the
//  matching secret `secret` (copied). Never NULL.
upgrade_intake_t *
upgrade_intake_new (cf_keystore_t *keystore, const uint8_t *secret, size_t size);

//  Frees it (not the key store); safe on NULL; nulls *self_p.
void
upgrade_intake_destroy (upgrade_intake_t **self_p);

//  Where the transit keys of handovers completed with CONTINUE come from
//  (upgrade_handover_key, in intake_fetch_fn's shape): a registration or a
//  joined question from such a handover adopts its key into the subject's
//  key set and names it (transit_key_id), as intake does today, so an
//  erasure names it. Unset: none is adopted.
void
upgrade_intake_set_transit (upgrade_intake_t *self, intake_fetch_fn *lookup, void *ctx);

//  The hooks for upgrade_store_write, bound to `self`.
upgrade_rewrite_t
upgrade_intake_rewrite (upgrade_intake_t *self);

//  What it did: values sealed, and subjects in the registry.
uint64_t
upgrade_intake_sealed (const upgrade_intake_t *self);
size_t
upgrade_intake_subjects (const upgrade_intake_t *self);

#endif
