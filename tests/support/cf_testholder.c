//  cf_testholder: a fake transit key holder (see cf_testholder.h).
#include "cf_testholder.h"

#include "cf_error.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

void
cf_testholder_init (cf_testholder_t *self, cf_transit_holder_t holder)
{
    memset (self, 0, sizeof *self);
    self->holder = holder;
}

size_t
cf_testholder_add (cf_testholder_t *self, const char *id, char key_id [CF_SEAL_ID_SIZE])
{
    assert (self->count < CF_TESTHOLDER_KEYS);
    size_t index = self->count++;
    cf_seal_new_id (self->key_id [index], 'T');
    cf_seal_new_key (self->key [index]);
    snprintf (self->id [index], sizeof self->id [index], "%s", id ? id : self->key_id [index]);
    if (key_id)
        memcpy (key_id, self->key_id [index], CF_SEAL_ID_SIZE);
    return index;
}

int
cf_testholder_fetch (void *ctx, cf_transit_holder_t holder, const char *id,
                     char key_id [CF_SEAL_ID_SIZE], uint8_t key [CF_SEAL_KEY_BYTES])
{
    cf_testholder_t *self = ctx;
    self->asked++;
    if (holder != self->holder)
        return CF_ENOTFOUND;
    if (self->away)
        return CF_EUNAVAILABLE;
    for (size_t i = 0; i < self->count; i++)
        if (strcmp (self->id [i], id) == 0) {
            memcpy (key_id, self->key_id [i], CF_SEAL_ID_SIZE);
            memcpy (key, self->key [i], CF_SEAL_KEY_BYTES);
            return 0;
        }
    return CF_ENOTFOUND;
}
