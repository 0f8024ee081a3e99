//  handover_transit: handover's transit keys, and what they let it do.
//
//  Handover receives a resident's personal data before intake knows the
//  resident, so it cannot seal it under the resident's key (intake is the
//  registry, DESIGN.md "Personal data"). Each handover gets a transit key
//  of its own at its announcement: a random 256-bit key with a random id
//  ("T…"), kept in handover's key store (cf_keystore.h) under a random
//  transit subject ("S…", never derived from the resident). Every personal
//  value of the handover's events is sealed under it (cf_seal.h); when the
//  handover completes with CONTINUE, intake fetches the key
//  (GetTransitKey) and adopts it into the resident's key set, so intake's
//  ResidentErased later names it and handover destroys its copy.
//
//  "One open handover per resident" must hold without the resident in
//  plain in state or events. This module keeps an index in memory only:
//  the keyed hash (libsodium generic hash) of the one key a resident is
//  recognised by (the BSN, or else the identity key of name and birth
//  date, cf_resident_name_key) -> the open handover's id. Its hashing key
//  is random per process and never stored: the index is rebuilt by opening
//  the open handovers (handover_transit_index_build), at start and
//  whenever a fresh state is made (after a failed commit), and kept up by
//  the decisions. A hash that finds a handover no longer open is stale and
//  finds nobody.
//
//  Not state: apply never calls it, so a replay needs no key.
#ifndef HANDOVER_TRANSIT_H
#define HANDOVER_TRANSIT_H

#include "caseflow/v1/common.pb-c.h"
#include "cf_keystore.h"
#include "cf_seal.h"
#include "cf_streams.h"
#include "handover_state.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _handover_transit_t handover_transit_t;

//  The hash a resident is recognised by, as hex text.
#define HANDOVER_RESIDENT_HASH_SIZE 65

//  What a personal field reads once the resident is erased, and when its
//  value does not open (a key store that lost the key).
#define HANDOVER_ERASED     "erased"
#define HANDOVER_UNREADABLE "unreadable"

//  The transit keys of `keystore` (borrowed; must outlive it), with a
//  fresh random hashing key for the resident index. Never NULL.
handover_transit_t *
handover_transit_new (cf_keystore_t *keystore);

//  Frees it (not the key store); safe on NULL; nulls *self_p.
void
handover_transit_destroy (handover_transit_t **self_p);

//  The key store. Borrowed.
cf_keystore_t *
handover_transit_keystore (handover_transit_t *self);

//  Makes a transit key under a fresh transit subject, written with the
//  open batch of the key store (durable before the journal batch that
//  uses it); its id into `key_id`. Returns 0 or a key store error.
int
handover_transit_make_key (handover_transit_t *self, char key_id [CF_SEAL_ID_SIZE]);

//  The key `key_id` into `key`: 0, CF_ENOTFOUND, or a key store error.
int
handover_transit_key (handover_transit_t *self, const char *key_id,
                      uint8_t key [CF_SEAL_KEY_BYTES]);

//  Seals `personal` for `field` under the transit key `key_id` into *out
//  (release with cf_sealed_release). CF_ENOTFOUND when the key is gone.
int
handover_transit_seal (handover_transit_t *self, const char *key_id, const char *field,
                       const Caseflow__V1__Personal *personal, cf_sealed_t *out);

//  Opens `sealed` (for `field`) of `handover`: 0 with *personal_p (free
//  with caseflow__v1__personal__free_unpacked); 1 when there is no value;
//  CF_ENOTFOUND when the handover is erased; CF_ECORRUPT when it does not
//  open (logged by handover id, never by content).
int
handover_transit_open (handover_transit_t *self, const handover_t *handover,
                       const handover_sealed_t *sealed, const char *field,
                       Caseflow__V1__Personal **personal_p);

//  ------------------------------------------------------ the resident index

//  The hash `resident` is recognised by into `hex`: true, or false when
//  the resident has neither a BSN nor both name and birth date.
bool
handover_transit_resident_hash (const handover_transit_t *self,
                                const Caseflow__V1__PersonalData *resident,
                                char hex [HANDOVER_RESIDENT_HASH_SIZE]);

//  The open handover the hash `hex` finds in `state`, or NULL. Borrowed.
handover_t *
handover_transit_find_open (handover_transit_t *self, const handover_state_t *state,
                            const char *hex);

//  Makes `hex` find the handover `handover_id` (copied).
void
handover_transit_index (handover_transit_t *self, const char *hex, const char *handover_id);

//  Builds the index of `state`'s open handovers unless it is built:
//  opens each one's announcement. Returns the number whose resident could
//  not be read (a key store that lost keys: the start-up check reports
//  them), 0 when all could.
size_t
handover_transit_index_build (handover_transit_t *self, const handover_state_t *state);

//  ---------------------------------------------------------------- erasure

//  Erasures to carry out once handover's journal holds the event that
//  decides them: intake's `subject` and the transit key of one handover
//  (copied), from the ResidentErased of the intake stream `stream` (a
//  shard's or intake's; copied) at its seq `seq` (0, stream "": an erasure
//  the journal already holds, as the start-up check finds them). Kept in
//  seq order.
void
handover_transit_queue_erasure (handover_transit_t *self, const char *stream, uint64_t seq,
                                const char *subject, const char *key_id);

//  The committed cursor on intake stream `stream`: how far handover's
//  journal holds it.
typedef uint64_t (handover_durable_fn) (void *ctx, const char *stream);

//  Takes the first queued erasure whose seq is at most `durable (ctx, its
//  stream)` into `subject`, `key_id`, `stream` (CF_STREAM_MAX + 1 bytes)
//  and *seq_p; false when none is left that is durable. The seqs of two
//  streams are never compared: each erasure waits for its own stream.
bool
handover_transit_next_erasure (handover_transit_t *self, handover_durable_fn *durable, void *ctx,
                               char subject [CF_SEAL_ID_SIZE], char key_id [CF_SEAL_ID_SIZE],
                               char *stream, uint64_t *seq_p);

#endif
