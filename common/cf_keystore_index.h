//  cf_keystore_index: the key store's lookup by keyed hash, in memory.
//
//  The first 16 bytes of each keyed hash (128 bits: a chance collision
//  between residents is out of reach) to the subject, open addressing with
//  linear probing. A subject's id is kept once in `ids`; a freed slot is a
//  tombstone so probes go on past it. cf_keystore builds it from its
//  `subjects` table when a store is opened and keeps it in step with its
//  writes; nothing here touches the store.
#ifndef CF_KEYSTORE_INDEX_H
#define CF_KEYSTORE_INDEX_H

#include "cf_seal.h"

#include <stddef.h>
#include <stdint.h>

#define CF_KEYSTORE_PREFIX       16
#define CF_KEYSTORE_SLOT_NONE    UINT32_MAX
#define CF_KEYSTORE_SLOT_DELETED (UINT32_MAX - 1)
typedef struct {
    uint8_t prefix [CF_KEYSTORE_PREFIX];
    uint32_t subject;  //  index into ids, CF_KEYSTORE_SLOT_NONE (empty) or CF_KEYSTORE_SLOT_DELETED
} cf_keystore_slot_t;

typedef struct {
    cf_keystore_slot_t *slots;
    size_t cap, used, live;  //  cap a power of two; used counts tombstones too
    char (*ids) [CF_SEAL_ID_SIZE];
    size_t id_count, id_cap;
} cf_keystore_index_t;

//  Frees what the index holds and leaves it empty (a zeroed index is an
//  empty one).
void
cf_keystore_index_free (cf_keystore_index_t *self);

//  Makes `hash` find subject number `subject` (cf_keystore_index_id).
void
cf_keystore_index_put (cf_keystore_index_t *self, const uint8_t *hash, uint32_t subject);

//  The subject `hash` finds (borrowed, valid until the next put or free),
//  or NULL.
const char *
cf_keystore_index_find (const cf_keystore_index_t *self, const uint8_t *hash);

//  The number of `subject` in the index (added when new).
uint32_t
cf_keystore_index_id (cf_keystore_index_t *self, const char *subject);

//  `hash` finds nobody, when it found `subject`.
void
cf_keystore_index_remove (cf_keystore_index_t *self, const uint8_t *hash, const char *subject);

#endif
