//  console_log: a stream's events as their encodings in large blocks (see
//  console_log.h).
//
//  A reference is (kind << 48) | (block << 32) | offset: the event's body
//  case (its oneof field number, under 2^16), then the block (at most
//  2^16 of them, 256 GiB of events) and the offset in it (a block is at
//  most 4 GiB). Beside the references, each event's occurred_at: with
//  the kind, what a fold needs to know to skip an event undecoded. An event goes whole into one block; one
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
#define S_MAX_BLOCKS ((size_t) 1 << 16)
#define S_MAX_KIND   ((uint64_t) 1 << 16)

typedef struct {
    uint8_t *data;
    size_t used, size;
} s_block_t;

struct _console_log_t {
    s_block_t *blocks;
    size_t block_count, block_cap;
    uint64_t *refs;
    int64_t *times;  //  occurred_at, by entry
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
    free (self->times);
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

//  Room for the next entry, `size` bytes of `event`'s encoding (its
//  references and time recorded): where to write them.
static uint8_t *
s_entry (console_log_t *self, const Caseflow__V1__Event *event, size_t size)
{
    assert (size <= UINT32_MAX);
    s_block_t *block = s_room (self, S_LENGTH + size);
    uint8_t *at = block->data + block->used;
    uint32_t length = (uint32_t) size;
    memcpy (at, &length, S_LENGTH);
    if (self->count == self->cap) {
        self->cap = self->cap ? 2 * self->cap : 1024;
        self->refs = realloc (self->refs, self->cap * sizeof *self->refs);
        self->times = realloc (self->times, self->cap * sizeof *self->times);
        assert (self->refs && self->times);
    }
    assert (self->block_count <= S_MAX_BLOCKS && (uint64_t) event->body_case < S_MAX_KIND);
    self->refs [self->count] = ((uint64_t) event->body_case << 48)
                               | ((uint64_t) (self->block_count - 1) << 32) | block->used;
    self->times [self->count] = event->occurred_at;
    block->used += S_LENGTH + size;
    self->count++;
    return at + S_LENGTH;
}

size_t
console_log_append (console_log_t *self, const Caseflow__V1__Event *event)
{
    assert (self && event);
    size_t size = protobuf_c_message_get_packed_size (&event->base);
    protobuf_c_message_pack (&event->base, s_entry (self, event, size));
    return self->count - 1;
}

size_t
console_log_append_encoded (console_log_t *self, const Caseflow__V1__Event *event, const void *data,
                            size_t size)
{
    assert (self && event && (data || !size));
    if (size)
        memcpy (s_entry (self, event, size), data, size);
    else
        s_entry (self, event, 0);
    return self->count - 1;
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
    const uint8_t *at = self->blocks [(ref >> 32) & UINT16_MAX].data + (ref & UINT32_MAX);
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
    //  The bytes are protobuf-c's own packing of a decoded event, or those
    //  an event was decoded from.
    assert (event);
    return event;
}

Caseflow__V1__Event__BodyCase
console_log_kind (const console_log_t *self, size_t index)
{
    assert (self && index < self->count);
    return (Caseflow__V1__Event__BodyCase) (self->refs [index] >> 48);
}

int64_t
console_log_occurred_at (const console_log_t *self, size_t index)
{
    assert (self && index < self->count);
    return self->times [index];
}

size_t
console_log_memory (const console_log_t *self)
{
    assert (self);
    size_t bytes = sizeof *self + self->cap * (sizeof *self->refs + sizeof *self->times)
                   + self->block_cap * sizeof *self->blocks;
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
