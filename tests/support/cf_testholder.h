//  cf_testholder: a stand-in for the service that holds transit keys (the
//  gateway, asked by key id; handover, asked by handover id), for the unit
//  tests of the services that fetch them (intake, handover).
//
//  It holds the keys a test made, each handed out by the id it is asked
//  by, while `away` is false; `asked` counts the fetches. Tests read and
//  change its fields directly (a key handed out under another id, the
//  holder away for a while).
#ifndef CF_TESTHOLDER_H
#define CF_TESTHOLDER_H

#include "cf_seal.h"
#include "cf_transit.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CF_TESTHOLDER_KEYS 8

typedef struct {
    cf_transit_holder_t holder;
    char id [CF_TESTHOLDER_KEYS][CF_SEAL_ID_SIZE];
    char key_id [CF_TESTHOLDER_KEYS][CF_SEAL_ID_SIZE];
    uint8_t key [CF_TESTHOLDER_KEYS][CF_SEAL_KEY_BYTES];
    size_t count;
    bool away;
    size_t asked;
} cf_testholder_t;

//  Empties `self` to stand in for `holder`.
void
cf_testholder_init (cf_testholder_t *self, cf_transit_holder_t holder);

//  A new transit key, handed out when asked by `id` (NULL: by its own key
//  id); its key id into `key_id` when not NULL. Returns its index.
//  Asserts there is room.
size_t
cf_testholder_add (cf_testholder_t *self, const char *id, char key_id [CF_SEAL_ID_SIZE]);

//  A cf_transit_fetch_fn over `ctx`, a cf_testholder_t: the key asked by
//  `id`; CF_EUNAVAILABLE while away, CF_ENOTFOUND for another holder or
//  an id it does not know.
int
cf_testholder_fetch (void *ctx, cf_transit_holder_t holder, const char *id,
                     char key_id [CF_SEAL_ID_SIZE], uint8_t key [CF_SEAL_KEY_BYTES]);

#endif
