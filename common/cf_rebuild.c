//  cf_rebuild: rebuilds a service's state from its journal on two threads
//  (see cf_rebuild.h).
//
//  A ring of S_SLOTS batches. The decoder (a thread of its own) fills the
//  batch at `produced % S_SLOTS` (taking the lock only to start a batch and
//  to hand it over) and hands it over by counting `produced` up; the
//  applier (the caller) applies the batch at `consumed % S_SLOTS`, resets
//  its arena and counts `consumed` up. Each side waits on the one
//  condition variable when the ring is full or empty. The decoder ends by
//  handing over its last, partial batch and setting `done` with its
//  result; the applier stops once it has applied everything handed over
//  and the decoder is done.
//
//  The work is shared out: the decoder walks and checks every record, but
//  leaves the decoding of the last `deferred` sixteenths of each batch to
//  the applier (it copies those records into the batch's arena: the
//  journal's pages are only the decoder's while its read transaction
//  lasts). Whoever waits for the other shows where the share should move:
//  an applier that finds the ring empty takes one sixteenth more, a
//  decoder that finds it full one less. So a rebuild takes as long as the
//  busier of two evenly loaded threads, whichever side a service's events
//  make heavier.
#include "cf_rebuild.h"

#include "cf_arena.h"
#include "cf_error.h"
#include "cf_log.h"
#include "cf_memory.h"

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define S_BATCH       1024           //  events per batch
#define S_SLOTS       4              //  batches in flight
#define S_ARENA_BLOCK (1024 * 1024)  //  a decoded batch fits in one block
#define S_SHARES      16             //  the deferred share moves in these steps
#define S_SHARE_START 4              //  a quarter deferred at first
#define S_SHARE_MAX   12

typedef struct {
    cf_arena_t *arena;
    //  An entry's record copied at raw, raw_size bytes (apply gets them),
    //  and decoded (event) or left to the applier to decode (event NULL).
    Caseflow__V1__Event *events [S_BATCH];
    const void *raw [S_BATCH];
    size_t raw_size [S_BATCH];
    uint64_t positions [S_BATCH];
    size_t count;
} s_batch_t;

typedef struct {
    cf_journal_t *journal;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    s_batch_t slots [S_SLOTS];
    uint64_t produced, consumed;  //  batches handed over, applied
    bool done;                    //  the decoder has finished
    int rc;                       //  and its result
    atomic_bool failed;           //  the applier met an undecodable record
    unsigned deferred;            //  sixteenths of each batch the applier decodes
    s_batch_t *filling;           //  decoder only: the batch it fills, or NULL
    size_t defer_from;            //  decoder only: index from which it defers
} s_ring_t;

//  Decoder: hands the batch being filled over to the applier; with
//  `done`, also says that it was the last, and the decoder's result.
static void
s_hand_over (s_ring_t *self, bool done, int rc)
{
    pthread_mutex_lock (&self->lock);
    if (self->filling)
        self->produced++;
    self->filling = NULL;
    if (done) {
        self->done = true;
        self->rc = rc;
    }
    pthread_cond_signal (&self->changed);
    pthread_mutex_unlock (&self->lock);
}

//  Decoder: the batch to fill, once the applier has freed a slot.
static s_batch_t *
s_batch_to_fill (s_ring_t *self)
{
    if (!self->filling) {
        pthread_mutex_lock (&self->lock);
        if (self->produced - self->consumed == S_SLOTS && self->deferred > 0)
            self->deferred--;  //  The applier is the slower: it decodes less
        while (self->produced - self->consumed == S_SLOTS)
            pthread_cond_wait (&self->changed, &self->lock);
        self->filling = &self->slots [self->produced % S_SLOTS];
        self->defer_from = S_BATCH - S_BATCH * self->deferred / S_SHARES;
        pthread_mutex_unlock (&self->lock);
    }
    return self->filling;
}

static void
s_refuse (uint64_t position)
{
    cf_log_error ("journal position %llu does not decode as an Event: refusing to start",
                  (unsigned long long) position);
}

static int
s_decode_entry (void *ctx, uint64_t position, const void *data, size_t size)
{
    s_ring_t *self = ctx;
    if (atomic_load_explicit (&self->failed, memory_order_relaxed))
        return CF_ESTORE;  //  The applier refused a record: stop here
    s_batch_t *batch = s_batch_to_fill (self);
    ProtobufCAllocator *allocator = cf_arena_allocator (batch->arena);
    size_t index = batch->count;
    void *copy = allocator->alloc (allocator->allocator_data, size ? size : 1);
    memcpy (copy, data, size);
    batch->raw [index] = copy;
    batch->raw_size [index] = size;
    if (index >= self->defer_from)
        batch->events [index] = NULL;
    else {
        batch->events [index] = caseflow__v1__event__unpack (allocator, size, data);
        if (!batch->events [index]) {
            s_refuse (position);
            return CF_ESTORE;
        }
    }
    batch->positions [index] = position;
    if (++batch->count == S_BATCH)
        s_hand_over (self, false, 0);
    return 0;
}

//  Applier: applies a batch, decoding the records the decoder left to it.
//  Returns false (logged) at the first that does not decode.
static bool
s_apply_batch (s_batch_t *batch, cf_rebuild_fn *fn, void *ctx)
{
    for (size_t i = 0; i < batch->count; i++) {
        const Caseflow__V1__Event *event = batch->events [i];
        if (!event) {
            event = caseflow__v1__event__unpack (cf_arena_allocator (batch->arena),
                                                 batch->raw_size [i], batch->raw [i]);
            if (!event) {
                s_refuse (batch->positions [i]);
                return false;
            }
        }
        fn (ctx, batch->positions [i], event, batch->raw [i], batch->raw_size [i]);
    }
    return true;
}

static void *
s_decoder (void *arg)
{
    s_ring_t *self = arg;
    int rc = cf_journal_read_records (self->journal, 1, s_decode_entry, self);
    //  The last, partial batch (what came before an error included) goes
    //  over with the result.
    s_hand_over (self, true, rc);
    return NULL;
}

int
cf_rebuild (cf_journal_t *journal, cf_rebuild_fn *fn, void *ctx)
{
    assert (journal);
    assert (fn);
    s_ring_t ring = { .journal = journal, .deferred = S_SHARE_START };
    pthread_mutex_init (&ring.lock, NULL);
    pthread_cond_init (&ring.changed, NULL);
    for (size_t i = 0; i < S_SLOTS; i++)
        ring.slots [i].arena = cf_arena_new (S_ARENA_BLOCK);
    pthread_t decoder;
    int rc = pthread_create (&decoder, NULL, s_decoder, &ring);
    assert (rc == 0);
    bool applied = true;
    while (applied) {
        pthread_mutex_lock (&ring.lock);
        if (ring.consumed == ring.produced && !ring.done && ring.deferred < S_SHARE_MAX)
            ring.deferred++;  //  The decoder is the slower: it decodes less
        while (ring.consumed == ring.produced && !ring.done)
            pthread_cond_wait (&ring.changed, &ring.lock);
        bool finished = ring.consumed == ring.produced;
        pthread_mutex_unlock (&ring.lock);
        if (finished)
            break;
        //  The batch is ours until `consumed` moves: the decoder waits.
        s_batch_t *batch = &ring.slots [ring.consumed % S_SLOTS];
        applied = s_apply_batch (batch, fn, ctx);
        if (!applied)
            atomic_store_explicit (&ring.failed, true, memory_order_relaxed);
        batch->count = 0;
        cf_arena_reset (batch->arena);
        cf_memory_advise ();
        pthread_mutex_lock (&ring.lock);
        ring.consumed++;
        pthread_cond_signal (&ring.changed);
        pthread_mutex_unlock (&ring.lock);
    }
    //  After a refusal the decoder stops at its next record; it may be
    //  waiting for a free slot meanwhile, which the loop above has freed.
    pthread_join (decoder, NULL);
    if (!applied)
        ring.rc = CF_ESTORE;
    for (size_t i = 0; i < S_SLOTS; i++)
        cf_arena_destroy (&ring.slots [i].arena);
    pthread_cond_destroy (&ring.changed);
    pthread_mutex_destroy (&ring.lock);
    return ring.rc;
}
