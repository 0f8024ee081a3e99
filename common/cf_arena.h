//  cf_arena: a bump allocator for protobuf-c messages that live for one
//  short step (a journal entry while the state is rebuilt).
//
//  protobuf-c allocates every sub-message, string and repeated array of a
//  decoded message on its own, and free_unpacked walks the message again to
//  free them: for a ~200-byte event a dozen malloc/free pairs and a second
//  walk, about a third of what applying one event in a rebuild costs. An arena hands
//  out memory from a reused block and forgets all of it at once. Decode
//  with cf_arena_allocator, use the message, then cf_arena_reset; never
//  call free_unpacked on such a message (nothing it points to was
//  malloc'd). Whoever keeps part of the message must copy it, as apply
//  already must (events are borrowed). One arena per thread.
#ifndef CF_ARENA_H
#define CF_ARENA_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>

typedef struct _cf_arena_t cf_arena_t;

//  A new arena whose blocks hold `block_size` bytes (0: 64 KiB). Never
//  NULL (aborts when out of memory, like the rest of caseflow).
cf_arena_t *
cf_arena_new (size_t block_size);

//  Frees the arena and everything allocated from it, safe on NULL; nulls
//  *self_p.
void
cf_arena_destroy (cf_arena_t **self_p);

//  The protobuf-c allocator drawing from the arena (its free does nothing).
//  Borrowed; valid as long as the arena.
ProtobufCAllocator *
cf_arena_allocator (cf_arena_t *self);

//  Forgets everything allocated since the last reset; keeps up to four
//  blocks for reuse (a block reused costs no page faults), frees the rest.
void
cf_arena_reset (cf_arena_t *self);

#endif
