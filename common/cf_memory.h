//  cf_memory: huge pages for the memory a service's state grows into.
//
//  A service's state is millions of small records on the heap, and it only
//  grows: every new 4 KiB page is touched for the first time, and each
//  first touch is a page fault. On the virtual machines caseflow runs on a
//  fault costs 10-18 microseconds (the hypervisor takes part in it), so a
//  state that grows by 1 KiB per case paid 3-4 microseconds per
//  registration, and a replay of ten million events seconds, in faults
//  alone. With transparent huge pages one fault maps 2 MiB instead of 4 KiB.
//
//  The kernel gives them to memory marked with madvise (MADV_HUGEPAGE) when
//  its setting is "madvise" (the usual default; "always" needs nothing,
//  "never" makes this a no-op). glibc's malloc marks its heap only when
//  told to by an environment variable read at exec (GLIBC_TUNABLES=
//  glibc.malloc.hugetlb=1), so the runtime does it itself: the heap grows
//  in large steps (M_TOP_PAD), and after each piece of work that may have
//  grown it, the part added since the last look is marked. Large zeroed
//  tables (a hash table's slots) get pages of their own, marked at once.
//  Under AddressSanitizer, whose allocator is not glibc's, this changes
//  nothing but costs nothing either.
#ifndef CF_MEMORY_H
#define CF_MEMORY_H

#include <stddef.h>
#include <stdint.h>

//  Sets malloc up to grow the heap in large steps and marks the heap as
//  it is. Call once at start, before the state grows.
void
cf_memory_init (void);

//  Marks the part of the heap added since the last call (a comparison and
//  nothing else when it has not grown). Call after each piece of work that
//  may have grown the state: a batch, a batch of the rebuild. One thread only.
void
cf_memory_advise (void);

//  Gives the memory malloc holds free back to the system (malloc_trim):
//  the pages of free blocks in every arena, and the heap's top beyond
//  the padding cf_memory_init set. For after a burst of large messages,
//  which libzmq's I/O thread allocates in an arena of its own that glibc
//  never shrinks by itself. Costs a walk of the free blocks (measured in
//  docs/performance.md): not for every batch. Returns the time it took,
//  in microseconds.
int64_t
cf_memory_give_back (void);

//  A zeroed block of `size` bytes for a large table. Never NULL (aborts
//  when out of memory). Free with cf_memory_free and the same size.
void *
cf_memory_zalloc (size_t size);

//  Frees a block from cf_memory_zalloc; safe on NULL.
void
cf_memory_free (void *block, size_t size);

#endif
