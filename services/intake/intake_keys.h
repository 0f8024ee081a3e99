//  intake_keys: intake's key store at run time (docs/privacy.md).
//
//  The runtime's hooks that bring the registry (intake_registry.h) along
//  with the state: made with it from the service's key store and matching
//  secret (--match-secret), gone with it; the start-up check that carries
//  out again every erasure the journal holds (a key store restored from an
//  older backup brings nobody back) and finds subjects with neither a key
//  nor an erasure record; after each commit, the destruction of the keys
//  of residents whose erasure is now durable, with the key store's
//  compaction (cf_keystore.h); and the adoption of handovers' transit keys
//  intake could not fetch when their case was registered.
#ifndef INTAKE_KEYS_H
#define INTAKE_KEYS_H

#include "cf_service.h"
#include "intake_state.h"

//  The matching secret's file: `configured` (--match-secret) when not
//  empty, else "<key store>.secret" beside the key store in
//  `keystore_dir`; into `out`.
void
intake_keys_secret_path (const char *configured, const char *keystore_dir, char *out, size_t size);

//  cf_service_def_t's state_new and state_destroy. state_new also reads
//  --retention (cf_retention_configure): a bad value refuses to start.
void *
intake_state_new_hook (cf_service_t *service);
void
intake_state_destroy_hook (void **state_p);

//  cf_service_def_t's check_keys, after_commit and on_clock. Besides the
//  erasures: the start-up check lists the transit keys of handovers a
//  subject names but the key store lacks (not adopted yet: handover could
//  not hand them over when the case was registered), tries to adopt them
//  once, and while any is left reports that the service is not ready;
//  after each commit (at most every INTAKE_ADOPT_RETRY) and on the clock
//  (waking every INTAKE_ADOPT_RETRY on the system clock; on the manual
//  clock when it moves) they are tried again, and once none is left the
//  service is ready again.
const char *
intake_keys_check_hook (void *state, cf_service_t *service);
void
intake_keys_after_commit_hook (void *state, cf_service_t *service);
void
intake_keys_clock_hook (void *state, cf_service_t *service, int64_t now);

//  Tries once to adopt every pending transit key (intake_registry.h): asks
//  handover for the key of each handover the subject came from, stores
//  the one that matches under the subject, learns the resident's hashes
//  when they find nobody yet, and commits the key store. Stops at the first
//  that finds handover away. Returns the number still pending.
size_t
intake_keys_adopt_pending (intake_state_t *state);

//  Carries out the erasure of `subject` in the key store: destroys its
//  keys and hashes, records the tombstone. Returns 0 or a key store error.
int
intake_keys_erase (intake_state_t *state, const intake_subject_t *subject);

#endif
