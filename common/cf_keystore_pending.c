//  cf_keystore_pending: key store writes waiting to be stored (see
//  cf_keystore_pending.h).
#include "cf_keystore_pending.h"

#include "cf_hash.h"

#include <assert.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

//  Records per block, and bytes per block of values: a batch of a few
//  thousand registrations fits in a handful of each, allocated once and
//  kept.
#define S_BLOCK      256
#define S_VALUE_SIZE (64 * 1024)

//  Blocks of value bytes, filled in turn; a value longer than a block gets
//  one of its own size.
typedef struct {
    uint8_t *data;
    size_t size;
} s_chunk_t;

struct _cf_keystore_pending_t {
    cf_keystore_pending_write_t **blocks;
    size_t block_count;
    size_t count;
    s_chunk_t *chunks;
    size_t chunk_count;
    size_t chunk;                                   //  the chunk being filled
    size_t used;                                    //  ... its bytes taken
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
    for (size_t c = 0; c < self->chunk_count; c++)
        free (self->chunks [c].data);
    free (self->chunks);
    for (int t = 0; t < CF_KEYSTORE_PENDING_TABLES; t++)
        cf_hash_destroy (&self->found [t]);
    free (self);
    *self_p = NULL;
}

//  `size` bytes of value room that stay where they are until cleared.
static uint8_t *
s_room (cf_keystore_pending_t *self, size_t size)
{
    while (self->chunk < self->chunk_count) {
        s_chunk_t *chunk = &self->chunks [self->chunk];
        if (chunk->size - self->used >= size) {
            uint8_t *room = chunk->data + self->used;
            self->used += size;
            return room;
        }
        self->chunk++;
        self->used = 0;
    }
    self->chunks = realloc (self->chunks, (self->chunk_count + 1) * sizeof *self->chunks);
    assert (self->chunks);
    s_chunk_t *chunk = &self->chunks [self->chunk_count++];
    chunk->size = size > S_VALUE_SIZE ? size : S_VALUE_SIZE;
    chunk->data = malloc (chunk->size);
    assert (chunk->data);
    self->chunk = self->chunk_count - 1;
    self->used = size;
    return chunk->data;
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
        *write = (cf_keystore_pending_write_t){ .table = table };
        memcpy (write->id, id, CF_SEAL_ID_SIZE);
        int rc = cf_hash_insert (self->found [table], write->id, write);
        assert (rc == 0);
    }
    //  The value written over leaves no byte behind; a longer one moves
    //  to fresh room (a subject's list grows by a hash or two, once).
    if (write->size)
        sodium_memzero (write->value, write->size);
    if (size > write->room) {
        write->value = s_room (self, size);
        write->room = size;
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
        if (write->size)
            sodium_memzero (write->value, write->size);
    }
    self->count = 0;
    self->chunk = 0;
    self->used = 0;
    for (int t = 0; t < CF_KEYSTORE_PENDING_TABLES; t++)
        cf_hash_clear (self->found [t]);
}
