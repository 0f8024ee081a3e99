//  cf_arena: a bump allocator for short-lived protobuf-c messages (see
//  cf_arena.h).
#include "cf_arena.h"

#include <assert.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>

#define S_DEFAULT_BLOCK (64 * 1024)
//  A reset keeps up to this many blocks' worth of memory for reuse (a
//  fresh block is a fresh mapping to fault in, page by page) and frees the
//  rest, so one huge message does not pin its memory for ever.
#define S_KEEP_BLOCKS 4
//  Every allocation is aligned for any type, as malloc's are.
#define S_ALIGN alignof (max_align_t)

typedef struct s_block_t {
    struct s_block_t *next;  //  the next block to fill, or NULL
    size_t cap, used;
    alignas (S_ALIGN) unsigned char data [];
} s_block_t;

struct _cf_arena_t {
    ProtobufCAllocator allocator;
    s_block_t *first;  //  blocks in the order they are filled
    s_block_t *head;   //  the block being filled
    size_t block_size;
};

static s_block_t *
s_block_new (size_t cap)
{
    s_block_t *block = malloc (sizeof *block + cap);
    assert (block);
    block->next = NULL;
    block->cap = cap;
    block->used = 0;
    return block;
}

static void *
s_alloc (void *data, size_t size)
{
    cf_arena_t *self = data;
    size = (size + S_ALIGN - 1) & ~(size_t) (S_ALIGN - 1);
    if (size == 0)
        size = S_ALIGN;
    s_block_t *head = self->head;
    while (size > head->cap - head->used) {
        //  On to the next block kept from before, or a new one (of its own
        //  size for an oversized request).
        if (!head->next || head->next->cap < size) {
            s_block_t *block = s_block_new (size > self->block_size ? size : self->block_size);
            block->next = head->next;
            head->next = block;
        }
        head = head->next;
        head->used = 0;
    }
    self->head = head;
    void *pointer = head->data + head->used;
    head->used += size;
    return pointer;
}

static void
s_free (void *data, void *pointer)
{
    (void) data;
    (void) pointer;
}

cf_arena_t *
cf_arena_new (size_t block_size)
{
    cf_arena_t *self = calloc (1, sizeof *self);
    assert (self);
    self->block_size = block_size ? block_size : S_DEFAULT_BLOCK;
    self->first = self->head = s_block_new (self->block_size);
    self->allocator =
        (ProtobufCAllocator){ .alloc = s_alloc, .free = s_free, .allocator_data = self };
    return self;
}

void
cf_arena_destroy (cf_arena_t **self_p)
{
    assert (self_p);
    cf_arena_t *self = *self_p;
    if (!self)
        return;
    while (self->first) {
        s_block_t *next = self->first->next;
        free (self->first);
        self->first = next;
    }
    free (self);
    *self_p = NULL;
}

ProtobufCAllocator *
cf_arena_allocator (cf_arena_t *self)
{
    assert (self);
    return &self->allocator;
}

void
cf_arena_reset (cf_arena_t *self)
{
    assert (self);
    //  Keep the first blocks up to the budget, free the others.
    size_t kept = self->first->cap;
    s_block_t *block = self->first;
    while (block->next && kept + block->next->cap <= S_KEEP_BLOCKS * self->block_size) {
        kept += block->next->cap;
        block = block->next;
    }
    s_block_t *rest = block->next;
    block->next = NULL;
    while (rest) {
        s_block_t *next = rest->next;
        free (rest);
        rest = next;
    }
    self->head = self->first;
    self->first->used = 0;
}
