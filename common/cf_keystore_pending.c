//  cf_keystore_pending: key store writes waiting to be stored (see
//  cf_keystore_pending.h).
#include "cf_keystore_pending.h"

#include "cf_hash.h"

#include <assert.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

//  Records per block: a batch of a few thousand registrations fits in a
//  handful, allocated once and kept.
#define S_BLOCK 256

struct _cf_keystore_pending_t {
    cf_keystore_pending_write_t **blocks;
    size_t block_count;
    size_t count;
    cf_hash_t *found [CF_KEYSTORE_PENDING_TABLES];  //  id -> its write (keyed by its id)
};

cf_keystore_pending_t *
cf_keystore_pending_new (void)
{
    cf_keystore_pending_t *self = calloc (1, sizeof *self);
    assert (self);
    for (int t = 0; t < CF_KEYSTORE_PENDING_TABLES; t++)
        self->found [t] = cf_hash_new ();
    return self;
}

void
cf_keystore_pending_destroy (cf_keystore_pending_t **self_p)
{
    assert (self_p);
    cf_keystore_pending_t *self = *self_p;
    if (!self)
        return;
    cf_keystore_pending_clear (self);
    for (size_t b = 0; b < self->block_count; b++)
        free (self->blocks [b]);
    free (self->blocks);
    for (int t = 0; t < CF_KEYSTORE_PENDING_TABLES; t++)
        cf_hash_destroy (&self->found [t]);
    free (self);
    *self_p = NULL;
}

void
cf_keystore_pending_put (cf_keystore_pending_t *self, cf_keystore_pending_table_t table,
                         const char *id, const void *value, size_t size)
{
    assert (table < CF_KEYSTORE_PENDING_TABLES);
    assert (strlen (id) == CF_SEAL_ID_SIZE - 1);
    cf_keystore_pending_write_t *write = cf_hash_lookup (self->found [table], id);
    if (!write) {
        if (self->count == self->block_count * S_BLOCK) {
            self->blocks = realloc (self->blocks, (self->block_count + 1) * sizeof *self->blocks);
            assert (self->blocks);
            self->blocks [self->block_count] = malloc (S_BLOCK * sizeof **self->blocks);
            assert (self->blocks [self->block_count]);
            self->block_count++;
        }
        write = &self->blocks [self->count / S_BLOCK][self->count % S_BLOCK];
        self->count++;
        write->table = table;
        memcpy (write->id, id, CF_SEAL_ID_SIZE);
        write->size = 0;
        write->value = write->room;
        int rc = cf_hash_insert (self->found [table], write->id, write);
        assert (rc == 0);
    }
    //  A shorter value leaves no byte of the longer one behind.
    sodium_memzero (write->value, write->size);
    if (write->value != write->room && size <= sizeof write->room) {
        free (write->value);
        write->value = write->room;
    }
    if (size > sizeof write->room) {
        write->value = write->value == write->room ? malloc (size) : realloc (write->value, size);
        assert (write->value);
    }
    if (size)
        memcpy (write->value, value, size);
    write->size = size;
}

const cf_keystore_pending_write_t *
cf_keystore_pending_find (const cf_keystore_pending_t *self, cf_keystore_pending_table_t table,
                          const char *id)
{
    assert (table < CF_KEYSTORE_PENDING_TABLES);
    return self->count ? cf_hash_lookup (self->found [table], id) : NULL;
}

size_t
cf_keystore_pending_count (const cf_keystore_pending_t *self)
{
    return self->count;
}

const cf_keystore_pending_write_t *
cf_keystore_pending_at (const cf_keystore_pending_t *self, size_t index)
{
    assert (index < self->count);
    return &self->blocks [index / S_BLOCK][index % S_BLOCK];
}

void
cf_keystore_pending_clear (cf_keystore_pending_t *self)
{
    for (size_t i = 0; i < self->count; i++) {
        cf_keystore_pending_write_t *write = &self->blocks [i / S_BLOCK][i % S_BLOCK];
        sodium_memzero (write->value, write->size);
        if (write->value != write->room)
            free (write->value);
        write->value = write->room;
        write->size = 0;
    }
    self->count = 0;
    for (int t = 0; t < CF_KEYSTORE_PENDING_TABLES; t++)
        cf_hash_clear (self->found [t]);
}
