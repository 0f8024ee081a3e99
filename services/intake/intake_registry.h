//  intake_registry: intake as the resident registry (docs/privacy.md).
//
//  A resident is a subject: a random id, never derived from who they are,
//  with a data key in intake's key store (cf_keystore.h). Every personal
//  field and free text intake writes into an event is sealed under the
//  subject's key (cf_seal.h); this module seals and opens, makes subjects
//  and finds them again.
//
//  Finding a resident again ("one open case per resident") never needs
//  their data in plain: the key store maps keyed hashes (libsodium generic
//  hash, keyed with the deployment's matching secret) of the BSN and of
//  the identity key of name and birth date (cf_resident.h) to the subject.
//  The hashes live in the key store only, never in events: there are few
//  enough BSNs to try them all against an unkeyed hash. They go with the
//  subject's erasure.
//
//  A resident who comes from a handover was sealed by handover under a
//  transit key of its own (services/handover/README.md), one who comes
//  through the gateway under the gateway's. Intake fetches that key from
//  its holder (the fetcher the owner sets: cf_transit.h) and adopts
//  it: the key joins the subject's key set in intake's key
//  store, so the handover's values open here and ResidentErased names the
//  key for every holder to destroy. A transit key intake could not fetch
//  yet is pending: retried until adopted (intake_keys.h).
//
//  The registry is intake's runtime, not its state: apply never calls it
//  (state holds ciphertext and subject ids), so a replay needs no key.
#ifndef INTAKE_REGISTRY_H
#define INTAKE_REGISTRY_H

#include "caseflow/v1/common.pb-c.h"
#include "cf_keystore.h"
#include "cf_seal.h"
#include "cf_transit.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _intake_registry_t intake_registry_t;

//  The field handover seals a completion's resident under: a value intake
//  took in as handover sent it (sealed under a transit key, "T…") opens
//  with this field, whatever field intake's event names.
#define INTAKE_FIELD_HANDOVER "handover.HandoverCompleted"

//  Fetches from `holder` the transit key `id` names (cf_transit.h).
typedef cf_transit_fetch_fn intake_fetch_fn;

//  The hashes that find a resident: the BSN's (when given) first, then the
//  name and birth date's (when both are given).
typedef struct {
    uint8_t hash [2][CF_KEYSTORE_HASH_BYTES];
    size_t count;
    bool has_bsn;
} intake_hashes_t;

//  A registry over `keystore` (borrowed) with the matching secret
//  `secret` (copied). Never NULL.
intake_registry_t *
intake_registry_new (cf_keystore_t *keystore, const uint8_t *secret, size_t size);

//  Frees it (not the key store; the fetcher's context with its `free`);
//  safe on NULL; nulls *self_p.
void
intake_registry_destroy (intake_registry_t **self_p);

//  Sets how transit keys are fetched: `fetch` with `ctx`, which the
//  registry owns from now on and frees with `free_ctx` (may be NULL).
void
intake_registry_set_fetch (intake_registry_t *self, intake_fetch_fn *fetch, void *ctx,
                           void (*free_ctx) (void *ctx));

//  Fetches from `holder` the transit key `id` names (see intake_fetch_fn);
//  CF_EUNAVAILABLE when no fetcher is set.
int
intake_registry_fetch (intake_registry_t *self, cf_transit_holder_t holder, const char *id,
                       char key_id [CF_SEAL_ID_SIZE], uint8_t key [CF_SEAL_KEY_BYTES]);

//  Fetches the transit key `id` of `holder` ahead, for the next
//  intake_registry_fetch of the same key (which then asks nobody; any
//  fetch wipes what was kept). Returns the fetch's result: CF_EUNAVAILABLE
//  (the holder does not answer; nothing kept) tells the caller to wait.
int
intake_registry_prefetch (intake_registry_t *self, cf_transit_holder_t holder, const char *id);

//  Adopts the transit key `key_id` into `subject`'s key set (written with
//  the open batch). A key id already held is a repeat: 0.
int
intake_registry_adopt (intake_registry_t *self, const char *subject, const char *key_id,
                       const uint8_t key [CF_SEAL_KEY_BYTES]);

//  Transit keys intake has not adopted yet: its subject and key id
//  (copied); a pair already listed is not listed twice.
void
intake_registry_pend (intake_registry_t *self, const char *subject, const char *key_id);

//  The pending adoptions: the count, and the one at `index` (borrowed
//  until the list changes). intake_registry_unpend removes one.
size_t
intake_registry_pending (const intake_registry_t *self);
void
intake_registry_pending_at (const intake_registry_t *self, size_t index, const char **subject_p,
                            const char **key_id_p);
void
intake_registry_unpend (intake_registry_t *self, size_t index);

//  True when the pending adoptions are due to be tried again at monotonic
//  time `now` (microseconds): none tried yet, or the last try at least
//  INTAKE_ADOPT_RETRY ago; records `now` as the try when true.
#define INTAKE_ADOPT_RETRY (5 * 1000000)
bool
intake_registry_retry_due (intake_registry_t *self, int64_t now);

//  Whether the service's readiness waits for the pending adoptions (the
//  start-up check said so), to be cleared once they are done.
void
intake_registry_set_adoption_blocks (intake_registry_t *self, bool blocks);
bool
intake_registry_adoption_blocks (const intake_registry_t *self);

//  The key store. Borrowed.
cf_keystore_t *
intake_registry_keystore (intake_registry_t *self);

//  The hashes of `resident`.
void
intake_registry_hashes (const intake_registry_t *self, const Caseflow__V1__PersonalData *resident,
                        intake_hashes_t *out);

//  The subject the hashes find: by the BSN's first. *by_bsn_p (may be
//  NULL) tells which. CF_ENOTFOUND, or a key store error.
int
intake_registry_match (intake_registry_t *self, const intake_hashes_t *hashes,
                       char subject [CF_SEAL_ID_SIZE], bool *by_bsn_p);

//  Makes a subject and its data key (written with the open batch).
int
intake_registry_enroll (intake_registry_t *self, char subject [CF_SEAL_ID_SIZE],
                        char key_id [CF_SEAL_ID_SIZE]);

//  Undoes the enrolment of `subject` (intake_registry_enroll) for a
//  registration that failed after it, before any event named the subject:
//  destroys the keys `key_ids` (its data key; a transit key adopted for
//  it) and every hash that finds it, as an erasure does, so no key or
//  hash outlives the registration with nothing to erase it by. Commits
//  the key store (what the open batch wrote before goes to disk early,
//  which is harmless: keys before events). The subject keeps a tombstone
//  (at `at`) no event names. The bytes go at the next compaction
//  (intake_registry_take_compaction). Returns 0 or a key store error.
int
intake_registry_unenroll (intake_registry_t *self, const char *subject, const char *const *key_ids,
                          size_t key_count, int64_t at);

//  True, once, when an undone enrolment left bytes for the key store's
//  compaction to remove.
bool
intake_registry_take_compaction (intake_registry_t *self);

//  Makes the hashes find `subject` from now on.
int
intake_registry_learn (intake_registry_t *self, const char *subject, const intake_hashes_t *hashes);

//  Seals `personal` for `field` under key `key_id` into *out (release it
//  with cf_sealed_release). CF_ENOTFOUND when the key is not held.
int
intake_registry_seal (intake_registry_t *self, const char *key_id, const char *field,
                      const Caseflow__V1__Personal *personal, cf_sealed_t *out);

//  Opens the encoded Sealed `data` for `field` (one under a transit key:
//  the holder's field, INTAKE_FIELD_HANDOVER or CF_TRANSIT_FIELD_GATEWAY): *personal_p is new (free with
//  caseflow__v1__personal__free_unpacked). CF_ENOTFOUND when its key is
//  not held (erased, or not adopted yet), CF_ECORRUPT when it does not
//  open.
int
intake_registry_open (intake_registry_t *self, const uint8_t *data, size_t size, const char *field,
                      Caseflow__V1__Personal **personal_p);

//  Erasures decided but not yet carried out: the subject's keys are
//  destroyed only once the ResidentErased event (own stream seq `seq`) is
//  durable, so a crash in between leaves the journal's record to carry
//  it out again at start.
void
intake_registry_queue_erasure (intake_registry_t *self, uint64_t seq, const char *subject);

//  Takes the next queued erasure whose seq is at most `committed_seq` into
//  `subject`; false when there is none.
bool
intake_registry_next_erasure (intake_registry_t *self, uint64_t committed_seq,
                              char subject [CF_SEAL_ID_SIZE]);

//  Reads the matching secret from `path`, making it (32 random bytes,
//  mode 0600) when the file does not exist. Returns 0, or CF_EIO / CF_EINVAL
//  (fewer than 16 bytes), logged naming the file.
int
intake_registry_secret_load (const char *path, uint8_t *secret, size_t *size_p, size_t max);

#endif
