//  cf_rebuild: replays a journal on two threads (see cf_rebuild.h).
//
//  A ring of S_SLOTS batches. The decoder (a thread of its own) fills the
//  batch at `produced % S_SLOTS` (taking the lock only to start a batch and
//  to hand it over) and hands it over by counting `produced` up; the applier (the caller) applies the batch at `consumed % S_SLOTS`,
//  resets its arena and counts `consumed` up. Each side waits on the one
//  condition variable when the ring is full or empty. The decoder ends by
//  handing over its last, partial batch and setting `done` with its
//  result; the applier stops once it has applied everything handed over
//  and the decoder is done.
#include "cf_rebuild.h"

#include "cf_arena.h"
#include "cf_error.h"
#include "cf_log.h"
#include "cf_memory.h"

#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#define S_BATCH 1024                //  events per batch
#define S_SLOTS 4                   //  batches in flight
#define S_ARENA_BLOCK (1024 * 1024) //  a decoded batch fits in one block

typedef struct {
    cf_arena_t *arena;
    Caseflow__V1__Event *events [S_BATCH];
    uint64_t positions [S_BATCH];
    size_t count;
} s_batch_t;

typedef struct {
    cf_journal_t *journal;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    s_batch_t slots [S_SLOTS];
    uint64_t produced, consumed;    //  batches handed over, applied
    bool done;                      //  the decoder has finished
    int rc;                         //  and its result
    s_batch_t *filling;             //  decoder only: the batch it fills, or NULL
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
        while (self->produced - self->consumed == S_SLOTS)
            pthread_cond_wait (&self->changed, &self->lock);
        self->filling = &self->slots [self->produced % S_SLOTS];
        pthread_mutex_unlock (&self->lock);
    }
    return self->filling;
}

static int
s_decode_entry (void *ctx, uint64_t position, const void *data, size_t size)
{
    s_ring_t *self = ctx;
    s_batch_t *batch = s_batch_to_fill (self);
    Caseflow__V1__Event *event =
        caseflow__v1__event__unpack (cf_arena_allocator (batch->arena), size, data);
    if (!event) {
        cf_log_error ("journal position %llu does not decode as an Event: refusing to start",
                      (unsigned long long) position);
        return CF_ESTORE;
    }
    batch->events [batch->count] = event;
    batch->positions [batch->count] = position;
    if (++batch->count == S_BATCH)
        s_hand_over (self, false, 0);
    return 0;
}

static void *
s_decoder (void *arg)
{
    s_ring_t *self = arg;
    int rc = cf_journal_replay (self->journal, 1, s_decode_entry, self);
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
    s_ring_t ring = { .journal = journal };
    pthread_mutex_init (&ring.lock, NULL);
    pthread_cond_init (&ring.changed, NULL);
    for (size_t i = 0; i < S_SLOTS; i++)
        ring.slots [i].arena = cf_arena_new (S_ARENA_BLOCK);
    pthread_t decoder;
    int rc = pthread_create (&decoder, NULL, s_decoder, &ring);
    assert (rc == 0);
    while (true) {
        pthread_mutex_lock (&ring.lock);
        while (ring.consumed == ring.produced && !ring.done)
            pthread_cond_wait (&ring.changed, &ring.lock);
        bool finished = ring.consumed == ring.produced;
        pthread_mutex_unlock (&ring.lock);
        if (finished)
            break;
        //  The batch is ours until `consumed` moves: the decoder waits.
        s_batch_t *batch = &ring.slots [ring.consumed % S_SLOTS];
        for (size_t i = 0; i < batch->count; i++)
            fn (ctx, batch->positions [i], batch->events [i]);
        batch->count = 0;
        cf_arena_reset (batch->arena);
        cf_memory_advise ();
        pthread_mutex_lock (&ring.lock);
        ring.consumed++;
        pthread_cond_signal (&ring.changed);
        pthread_mutex_unlock (&ring.lock);
    }
    pthread_join (decoder, NULL);
    for (size_t i = 0; i < S_SLOTS; i++)
        cf_arena_destroy (&ring.slots [i].arena);
    pthread_cond_destroy (&ring.changed);
    pthread_mutex_destroy (&ring.lock);
    return ring.rc;
}
