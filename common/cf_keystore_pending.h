//  cf_keystore_pending: key store writes waiting to be stored, and the
//  lookup that answers reads of them meanwhile.
//
//  The key store (cf_keystore.h) no longer writes LMDB on the loop thread
//  while a batch is decided: each write of a key or of a subject's list of
//  hashes is recorded here instead, and the journal writer thread stores
//  the whole set in one synced transaction just before it commits the
//  journal batch that depends on it. Until then the loop reads what it
//  wrote from here. A set holds the latest value per record (a second
//  write of a subject's list replaces the first in place), in the order
//  the records were first written, which is the order they are stored in.
//
//  Records and their values are kept in blocks that never move, so a
//  lookup's answer and the ids the lookup is keyed by stay where they are
//  until the set is cleared; clearing wipes every value (keys are secret)
//  and keeps the memory for the next batch. A value takes the room it
//  needs (59 bytes for a key, 32 per hash of a list): a batch of thousands
//  of registrations touches a few hundred kilobytes. Nothing here touches
//  LMDB.
#ifndef CF_KEYSTORE_PENDING_H
#define CF_KEYSTORE_PENDING_H

#include "cf_seal.h"

#include <stddef.h>
#include <stdint.h>

typedef enum {
    CF_KEYSTORE_PENDING_KEYS,      //  key id -> subject and key
    CF_KEYSTORE_PENDING_SUBJECTS,  //  subject -> its hashes
    CF_KEYSTORE_PENDING_TABLES
} cf_keystore_pending_table_t;

typedef struct _cf_keystore_pending_t cf_keystore_pending_t;

//  One record to store. Borrowed from the set until it is cleared.
typedef struct {
    cf_keystore_pending_table_t table;
    char id [CF_SEAL_ID_SIZE];  //  the record's key, 27 characters
    size_t size;
    uint8_t *value;  //  `size` bytes
    size_t room;     //  bytes at `value` (a value written over may have been longer)
} cf_keystore_pending_write_t;

//  A new, empty set. Never NULL.
cf_keystore_pending_t *
cf_keystore_pending_new (void);

//  Wipes and frees the set; safe on NULL; nulls *self_p.
void
cf_keystore_pending_destroy (cf_keystore_pending_t **self_p);

//  Records `value` (`size` bytes, copied) for
//  record `id` (27 characters) of `table`, replacing a value recorded
//  before for it.
void
cf_keystore_pending_put (cf_keystore_pending_t *self, cf_keystore_pending_table_t table,
                         const char *id, const void *value, size_t size);

//  The write recorded for `id` of `table`, or NULL. Borrowed until the set
//  is cleared.
const cf_keystore_pending_write_t *
cf_keystore_pending_find (const cf_keystore_pending_t *self, cf_keystore_pending_table_t table,
                          const char *id);

//  The number of records, and record `index` of them (in the order they
//  were first written).
size_t
cf_keystore_pending_count (const cf_keystore_pending_t *self);
const cf_keystore_pending_write_t *
cf_keystore_pending_at (const cf_keystore_pending_t *self, size_t index);

//  Wipes every value and empties the set (keeping its memory).
void
cf_keystore_pending_clear (cf_keystore_pending_t *self);

#endif
