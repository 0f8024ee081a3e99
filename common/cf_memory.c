//  cf_memory: huge pages for the memory a service's state grows into (see
//  cf_memory.h).
//
//  The heap is glibc's main arena, grown with brk; sbrk (0) reads the
//  current end without a system call. What lies between the end marked
//  last time and the end now is marked in one madvise call. The first
//  touch of each 2 MiB block inside it then maps a huge page, unless a
//  page of that block was touched before it was marked (it then stays in
//  small pages, which costs nothing extra). Growing in 64 MiB steps keeps
//  that to a sliver.
#include "cf_memory.h"

#include <assert.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define S_TOP_PAD   ((size_t) 64 << 20)  //  the heap grows by at least this
#define S_MMAP_MIN  ((size_t) 32 << 20)  //  malloc maps blocks this large apart
#define S_TABLE_MIN ((size_t) 4 << 20)   //  cf_memory_zalloc maps these itself

//  The heap is marked up to here: process-wide, like the heap itself, and
//  only ever touched by the thread that calls cf_memory_advise.
static uintptr_t s_marked;
static uintptr_t s_page_mask;

void
cf_memory_init (void)
{
    //  Setting any of these turns off malloc's own adjustment of the mmap
    //  threshold, so it is set too: blocks below 32 MiB (a replay reply,
    //  a hash table) stay on the heap instead of costing a fresh mapping,
    //  and the faults that come with it, each time.
    mallopt (M_TOP_PAD, (int) S_TOP_PAD);
    mallopt (M_TRIM_THRESHOLD, (int) (2 * S_TOP_PAD));
    mallopt (M_MMAP_THRESHOLD, (int) S_MMAP_MIN);
    long page = sysconf (_SC_PAGESIZE);
    uintptr_t end = (uintptr_t) sbrk (0);
    if (page <= 0 || end == (uintptr_t) -1)
        return;
    s_page_mask = (uintptr_t) page - 1;
    s_marked = (end + s_page_mask) & ~s_page_mask;
}

void
cf_memory_advise (void)
{
    if (!s_marked)
        return;  //  cf_memory_init was not called
    uintptr_t end = (uintptr_t) sbrk (0);
    if (end == (uintptr_t) -1)
        return;
    if (end <= s_marked) {
        //  Not grown; or trimmed, and what grows back is new and unmarked.
        s_marked = end < s_marked ? end & ~s_page_mask : s_marked;
        return;
    }
    //  A refusal (no THP in this kernel) is harmless: small pages it is.
    madvise ((void *) s_marked, end - s_marked, MADV_HUGEPAGE);
    s_marked = (end + s_page_mask) & ~s_page_mask;
}

int64_t
cf_memory_give_back (void)
{
    struct timespec start, end;
    clock_gettime (CLOCK_MONOTONIC, &start);
    //  The heap's top keeps its padding: the state grows into it.
    malloc_trim (S_TOP_PAD);
    clock_gettime (CLOCK_MONOTONIC, &end);
    return (int64_t) (end.tv_sec - start.tv_sec) * 1000000 + (end.tv_nsec - start.tv_nsec) / 1000;
}

void *
cf_memory_zalloc (size_t size)
{
    if (size < S_TABLE_MIN) {
        void *block = calloc (1, size ? size : 1);
        assert (block);
        return block;
    }
    void *block = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert (block != MAP_FAILED);
    madvise (block, size, MADV_HUGEPAGE);
    return block;
}

void
cf_memory_free (void *block, size_t size)
{
    if (!block)
        return;
    if (size < S_TABLE_MIN)
        free (block);
    else
        munmap (block, size);
}
