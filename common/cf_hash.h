//  cf_hash: a hash table from text keys to pointers, for the indexes of a
//  service's state (cases, reminders, residents), which hold millions of
//  entries and are probed on every command and every event a rebuild applies.
//
//  Open addressing with linear probing in one array of slots, each holding
//  the key's 64-bit hash, the key and the value: a lookup costs one hash
//  of the key and, nearly always, one cache line, with no allocation per
//  entry. The table doubles when it is three quarters full and deletes
//  shift the following slots back (no tombstones), so it never slows down
//  with age. czmq's zhashx, which this replaces in the services' state,
//  allocates an item and a copy of the key per entry and rehashes the
//  whole table each time one chain grows long.
//
//  Keys are borrowed: the table keeps the caller's pointer, which must stay
//  valid and unchanged while the entry is in the table (a record's own id,
//  or a key stored with the value). The hash is seeded once per process at
//  random, so keys chosen from outside cannot be made to collide; the
//  order of iteration is therefore not the same from one run to the next,
//  and nothing may depend on it (sort what you show or digest).
#ifndef CF_HASH_H
#define CF_HASH_H

#include <stddef.h>

typedef struct _cf_hash_t cf_hash_t;

//  Frees a value the table lets go of (see cf_hash_set_destructor).
typedef void (cf_hash_free_fn) (void *value);

//  A new, empty table. Never NULL (aborts when out of memory).
cf_hash_t *
cf_hash_new (void);

//  Frees the table, calling the destructor (if one is set) on every value;
//  safe on NULL; nulls *self_p.
void
cf_hash_destroy (cf_hash_t **self_p);

//  Sets the function that frees a value when the table drops it: on
//  cf_hash_delete, on cf_hash_update of an existing key (the old value),
//  and on cf_hash_destroy. NULL (the default): values are the caller's.
void
cf_hash_set_destructor (cf_hash_t *self, cf_hash_free_fn *destructor);

//  Adds `key` -> `value` (`value` not NULL; `key` borrowed, see above).
//  Returns 0, or CF_EEXIST when the key is already there (nothing changes).
int
cf_hash_insert (cf_hash_t *self, const char *key, void *value);

//  Sets `key` -> `value` whether or not the key is there; an existing
//  entry takes the new key pointer and value, and its old value goes to
//  the destructor.
void
cf_hash_update (cf_hash_t *self, const char *key, void *value);

//  The value of `key`, or NULL.
void *
cf_hash_lookup (const cf_hash_t *self, const char *key);

//  Starts loading the slot where `key` would be from memory, so that a
//  cf_hash_lookup of it soon after does not wait for it. Lookups in big
//  tables wait mostly for memory: prefetching the slots of several
//  lookups first lets their waits overlap.
void
cf_hash_prefetch (const cf_hash_t *self, const char *key);

//  Removes `key` (passing its value to the destructor). Returns 0, or
//  CF_ENOTFOUND.
int
cf_hash_delete (cf_hash_t *self, const char *key);

//  Removes every entry (passing the values to the destructor); the table
//  keeps its size for what comes next.
void
cf_hash_clear (cf_hash_t *self);

//  The number of entries.
size_t
cf_hash_size (const cf_hash_t *self);

//  Iteration in no particular order: cf_hash_first gives some value (NULL
//  when the table is empty), each cf_hash_next the following one, NULL
//  after the last. The table must not change while it is walked.
void *
cf_hash_first (cf_hash_t *self);
void *
cf_hash_next (cf_hash_t *self);

#endif
