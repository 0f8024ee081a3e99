//  intake_index: open cases by a text key (a BSN; a normalised name with a
//  birth date), several cases per key, oldest first. Derived state: only
//  intake_state's apply changes it.
//
//  Nearly every key has one open case, so the table holds that case
//  itself, keyed by the case's own copy of the key: no allocation per
//  entry. Only a key shared by a second case gets a bucket, which holds a
//  copy of the key and the cases in case-number order.
#ifndef INTAKE_INDEX_H
#define INTAKE_INDEX_H

#include "intake_state.h"

#include <stddef.h>

typedef struct _intake_index_t intake_index_t;

//  A new, empty index. Never NULL.
intake_index_t *
intake_index_new (void);

//  Frees the index (not the cases); safe on NULL; nulls *self_p.
void
intake_index_destroy (intake_index_t **self_p);

//  Adds `kase` under `key` (nothing for ""; nothing when it is there
//  already). `key` must stay valid and unchanged until the case is
//  removed from under it: pass the case's own string.
void
intake_index_add (intake_index_t *self, const char *key, intake_case_t *kase);

//  Removes `kase` from under `key`, if it is there.
void
intake_index_remove (intake_index_t *self, const char *key, const intake_case_t *kase);

//  Starts loading what intake_index_get of `key` will read (see
//  cf_hash_prefetch).
void
intake_index_prefetch (const intake_index_t *self, const char *key);

//  The cases under `key`, oldest first: sets *cases_p (borrowed until the
//  index next changes) and returns their count (0 for "" or an unknown
//  key).
size_t
intake_index_get (intake_index_t *self, const char *key, intake_case_t *const **cases_p);

#endif
