//  cf_keystore: a service's key store, apart from its journal.
//
//  Personal data in events is sealed (cf_seal.h) under keys that live here
//  only: their own LMDB environment (its own directory, backed up on its
//  own schedule, docs/privacy.md), never in an event, a log or a reply.
//  Tables:
//      keys      key id → the subject it belongs to and the 32-byte key
//      subjects  subject → its keyed hashes (the BSN's, the name and birth
//                date's: intake finds a resident again without keeping
//                either in plain)
//      erased    subject → when it was erased (a tombstone: no keys)
//      meta      the owning service, the format, a deployment secret's
//                fingerprint
//  Ids are time-ordered (cf_seal_new_id), so new keys and subjects are
//  appended to their tables. The lookup by hash is an index in memory
//  (16 bytes of each hash to its subject, cf_keystore_index.h), built from
//  `subjects` when the store is opened: a random hash as an LMDB key would
//  make every registration rewrite pages all over a table.
//
//  Writes of keys and hashes are recorded in memory as a batch is decided
//  and become durable on the journal writer's thread: the runtime hands
//  them over with the batch (cf_keystore_stage) and the writer stores and
//  syncs them (cf_keystore_store_staged) before it commits the journal
//  batch that depends on them, so a key is on disk before any event sealed
//  with it and the loop never waits for the key store's disk. Without a
//  writer (tools, tests, an adoption, an erasure) cf_keystore_commit
//  stores them at once. Reads see every write made, stored or not
//  (cf_keystore_durable.c).
//
//  Erasure deletes a subject's keys and hashes and records the tombstone;
//  LMDB keeps deleted bytes in freed pages and in the slack of live ones,
//  so cf_keystore_compact then rewrites the store from its live records
//  into a fresh file that replaces the old one: no byte of an erased key
//  or hash is in any file of the store afterwards.
#ifndef CF_KEYSTORE_H
#define CF_KEYSTORE_H

#include "cf_seal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _cf_keystore_t cf_keystore_t;

#define CF_KEYSTORE_HASH_BYTES 32

//  Opens (making it when missing) the key store in `dir` for `service`.
//  CF_EMISMATCH: another service's, or of another format; CF_ECORRUPT: its
//  file is shorter than its own record of it (a truncated copy, an empty
//  data.mdb included), is not an LMDB file, has a page in use that is not
//  well-formed (cf_store_file.h), or holds a table this module never
//  makes; both logged; CF_ELOCKED: another process holds the key store
//  (cf_store_lock.h; logged with its pid); CF_ESTORE, CF_EIO. Any call
//  below may return CF_ECORRUPT when LMDB meets a damaged page. A changed
//  byte inside a record is not caught: LMDB keeps no checksums of its
//  pages (tests/fuzz/fuzz_keystore.c).
int
cf_keystore_open (const char *dir, const char *service, size_t map_size, cf_keystore_t **self_p);

//  The key store's directory when none is configured: the store's
//  sibling "<data-dir>-keys" (trailing slashes of `data_dir` dropped),
//  into `out`.
void
cf_keystore_default_dir (const char *data_dir, char *out, size_t size);

//  Closes it, dropping uncommitted writes; safe on NULL; nulls *self_p.
void
cf_keystore_destroy (cf_keystore_t **self_p);

//  The directory. Borrowed.
const char *
cf_keystore_dir (const cf_keystore_t *self);

//  Stores `key` (id `key_id`) for `subject`. CF_EEXIST when the id is taken.
int
cf_keystore_put_key (cf_keystore_t *self, const char *key_id, const char *subject,
                     const uint8_t key [CF_SEAL_KEY_BYTES]);

//  Makes a fresh random key with a fresh id of kind `kind` ('K' intake's,
//  'T' a transit key) for a new subject, stored like cf_keystore_put_key;
//  the ids into `subject` and `key_id`.
int
cf_keystore_new_key (cf_keystore_t *self, char kind, char subject [CF_SEAL_ID_SIZE],
                     char key_id [CF_SEAL_ID_SIZE]);

//  Seals `personal` for `field` under the key `key_id` into *out (release
//  it with cf_sealed_release). CF_ENOTFOUND when the key is not held.
int
cf_keystore_seal (cf_keystore_t *self, const char *key_id, const char *field,
                  const Caseflow__V1__Personal *personal, cf_sealed_t *out);

//  The key `key_id` and its subject (either may be NULL). CF_ENOTFOUND.
int
cf_keystore_get_key (cf_keystore_t *self, const char *key_id, uint8_t key [CF_SEAL_KEY_BYTES],
                     char subject [CF_SEAL_ID_SIZE]);

//  Makes `hash` find `subject` (replacing what it found before: the hash
//  leaves that subject's list). CF_ETOOBIG when `subject` already has 16
//  hashes (erasure finds a subject's hashes through its list: none is kept
//  outside it).
int
cf_keystore_put_match (cf_keystore_t *self, const uint8_t hash [CF_KEYSTORE_HASH_BYTES],
                       const char *subject);

//  The subject `hash` finds. CF_ENOTFOUND.
int
cf_keystore_get_match (cf_keystore_t *self, const uint8_t hash [CF_KEYSTORE_HASH_BYTES],
                       char subject [CF_SEAL_ID_SIZE]);

//  True when `subject` was erased here.
bool
cf_keystore_erased (cf_keystore_t *self, const char *subject);

//  Makes every write not stored yet durable (synced) on the calling
//  thread, after waiting for the writes handed to the writer thread (if
//  any) to be stored. 0 when there were none. CF_ESTOREFULL / CF_ESTORE:
//  they are dropped, logged; the next call (or cf_keystore_stage) returns
//  that error once more (even with nothing to write), so the batch that
//  counted on them fails as well.
int
cf_keystore_commit (cf_keystore_t *self);

//  On the loop, as a journal batch goes to the writer thread: hands the
//  writes made since the last stage or commit over with it, for
//  cf_keystore_store_staged. The writes handed over before must be stored
//  already (one batch at a time). Returns 0, or the error of writes lost
//  before (see cf_keystore_commit), or of the failed store of the batch
//  before: this batch must then be refused.
int
cf_keystore_stage (cf_keystore_t *self);

//  On the journal writer's thread, before the batch's journal
//  transaction: stores the staged writes in one transaction and syncs it.
//  0 (also when nothing was staged); CF_ESTOREFULL / CF_ESTORE (logged):
//  the batch must not be committed; the loop drops the writes decided on
//  top of them and rebuilds the index from the store.
int
cf_keystore_store_staged (cf_keystore_t *self);

//  True when writes are not stored yet.
bool
cf_keystore_pending (const cf_keystore_t *self);

//  Erases `subject`: destroys the keys `key_ids` (those not here are
//  skipped) and every hash that finds it, records the tombstone at `at`,
//  commits. Harmless when repeated. The bytes stay in the file until
//  cf_keystore_compact. *destroyed_p (may be NULL): keys destroyed now.
//  A listed key is destroyed whichever subject it was stored for.
int
cf_keystore_erase (cf_keystore_t *self, const char *subject, const char *const *key_ids,
                   size_t key_count, int64_t at, size_t *destroyed_p);

//  True when an erasure waits for cf_keystore_compact (recorded in the
//  store with the erasure, so still true after a restart).
bool
cf_keystore_needs_compaction (const cf_keystore_t *self);

//  Rewrites the store from its live records into a fresh file that
//  replaces the old one (commits pending writes first). A record that
//  cannot be read (CF_ECORRUPT) fails the compaction and leaves the old
//  file as it was. When the store does not open again on its file
//  afterwards, it is left closed (cf_keystore_unusable) and the error
//  returned; called again, it first tries to open it (0 once open, and
//  compacts when that is still owed).
int
cf_keystore_compact (cf_keystore_t *self);

//  NULL while the store is open; after a compaction after which it did
//  not open again, why (naming the directory and the error): every call
//  but cf_keystore_compact and cf_keystore_destroy then fails with
//  CF_ESTORE (cf_keystore_get_match finds nobody). Borrowed.
const char *
cf_keystore_unusable (const cf_keystore_t *self);

//  0 when the disk of the key store's directory has `bytes` free (a file
//  of that size is allocated and removed), CF_ENOSPACE when it has not,
//  CF_EIO otherwise: a service whose key store ran out of disk takes
//  writes again only once this is 0 (its journal may be on another disk).
int
cf_keystore_probe_room (const cf_keystore_t *self, size_t bytes);

//  Deployment secret checks: the first call stores the fingerprint of
//  `secret`; later ones return CF_EMISMATCH when the fingerprint differs
//  (hashes made under another secret would find nobody).
int
cf_keystore_check_secret (cf_keystore_t *self, const uint8_t *secret, size_t size);

//  Number of keys, hashes and tombstones held (committed).
int
cf_keystore_counts (cf_keystore_t *self, size_t *keys, size_t *matches, size_t *erased);

#endif
