//  console_log: a stream's events as their encodings in large blocks (see
//  console_log.h).
//
//  A reference is (block << 32) | offset: a block is at most 4 GiB and
//  there are at most 2^32 of them. An event goes whole into one block; one
//  larger than a block gets a block of its own size. Blocks are never
//  moved (a reference stays valid), and each reference array grows by
//  doubling, the only memory that is ever copied.
#include "console_log.h"

#include "cf_digest.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

//  4 MiB: small against a million events, large against one.
#define S_BLOCK_SIZE ((size_t) 4 << 20)
#define S_LENGTH     4

typedef struct {
    uint8_t *data;
    size_t used, size;
} s_block_t;

struct _console_log_t {
    s_block_t *blocks;
    size_t block_count, block_cap;
    uint64_t *refs;
    size_t count, cap;
};

console_log_t *
console_log_new (void)
{
    console_log_t *self = calloc (1, sizeof *self);
    assert (self);
    return self;
}

void
console_log_destroy (console_log_t **self_p)
{
    assert (self_p);
    console_log_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->block_count; i++)
        free (self->blocks [i].data);
    free (self->blocks);
    free (self->refs);
    free (self);
    *self_p = NULL;
}

//  A block with room for `need` bytes: the last one, or a new one.
static s_block_t *
s_room (console_log_t *self, size_t need)
{
    if (self->block_count) {
        s_block_t *last = &self->blocks [self->block_count - 1];
        if (last->size - last->used >= need)
            return last;
    }
    if (self->block_count == self->block_cap) {
        self->block_cap = self->block_cap ? 2 * self->block_cap : 16;
        self->blocks = realloc (self->blocks, self->block_cap * sizeof *self->blocks);
        assert (self->blocks);
    }
    s_block_t *block = &self->blocks [self->block_count++];
    block->size = need > S_BLOCK_SIZE ? need : S_BLOCK_SIZE;
    block->used = 0;
    block->data = malloc (block->size);
    assert (block->data);
    return block;
}

size_t
console_log_append (console_log_t *self, const Caseflow__V1__Event *event)
{
    assert (self && event);
    size_t size = protobuf_c_message_get_packed_size (&event->base);
    assert (size <= UINT32_MAX);
    s_block_t *block = s_room (self, S_LENGTH + size);
    uint8_t *at = block->data + block->used;
    uint32_t length = (uint32_t) size;
    memcpy (at, &length, S_LENGTH);
    protobuf_c_message_pack (&event->base, at + S_LENGTH);
    if (self->count == self->cap) {
        self->cap = self->cap ? 2 * self->cap : 1024;
        self->refs = realloc (self->refs, self->cap * sizeof *self->refs);
        assert (self->refs);
    }
    self->refs [self->count] = ((uint64_t) (self->block_count - 1) << 32) | block->used;
    block->used += S_LENGTH + size;
    return self->count++;
}

size_t
console_log_count (const console_log_t *self)
{
    assert (self);
    return self->count;
}

const uint8_t *
console_log_bytes (const console_log_t *self, size_t index, size_t *size_p)
{
    assert (self && size_p && index < self->count);
    uint64_t ref = self->refs [index];
    const uint8_t *at = self->blocks [ref >> 32].data + (ref & UINT32_MAX);
    uint32_t length;
    memcpy (&length, at, S_LENGTH);
    *size_p = length;
    return at + S_LENGTH;
}

Caseflow__V1__Event *
console_log_decode (const console_log_t *self, size_t index, ProtobufCAllocator *allocator)
{
    size_t size = 0;
    const uint8_t *data = console_log_bytes (self, index, &size);
    Caseflow__V1__Event *event = caseflow__v1__event__unpack (allocator, size, data);
    //  The bytes are protobuf-c's own packing of a decoded event.
    assert (event);
    return event;
}

size_t
console_log_memory (const console_log_t *self)
{
    assert (self);
    size_t bytes =
        sizeof *self + self->cap * sizeof *self->refs + self->block_cap * sizeof *self->blocks;
    for (size_t i = 0; i < self->block_count; i++)
        bytes += self->blocks [i].size;
    return bytes;
}

void
console_log_digest (const console_log_t *self, crypto_hash_sha256_state *hash)
{
    assert (self && hash);
    uint64_t count = self->count;
    uint8_t number [8];
    for (int i = 0; i < 8; i++)
        number [i] = (uint8_t) (count >> (56 - 8 * i));
    crypto_hash_sha256_update (hash, number, sizeof number);
    for (size_t i = 0; i < self->count; i++) {
        size_t size = 0;
        const uint8_t *data = console_log_bytes (self, i, &size);
        cf_digest_bytes (hash, data, size);
    }
}
