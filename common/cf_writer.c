//  cf_writer: the thread that writes a service's store (see cf_writer.h).
//
//  The hand-over is one slot under a mutex: the loop puts a record in and
//  signals; the writer writes it, puts the result next to it and wakes
//  the loop through a uv_async handle. The loop takes the record back in
//  the async callback, or in cf_writer_wait when it cannot go on without
//  it (a failed batch to undo, a stop).
#include "cf_writer.h"

#include "cf_arena.h"
#include "cf_error.h"
#include "cf_hash.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef enum { S_PRODUCED, S_CONSUMED, S_CURSOR, S_REPLY, S_META, S_EXPIRE, S_ACCESS } s_kind_t;

typedef struct {
    s_kind_t kind;
    const char *name;  //  stream, request id or meta key
    const void *data;
    size_t size;
    uint64_t seq;  //  S_PRODUCED, S_CONSUMED, S_CURSOR; S_ACCESS: the record's number
    int64_t at;    //  S_REPLY: stored at; S_EXPIRE: before; S_ACCESS: read at
} s_write_t;

//  A stored reply as the record finds it again.
typedef struct {
    const void *data;
    size_t size;
} s_reply_t;

struct _cf_writes_t {
    s_write_t *writes;
    size_t count, cap;
    cf_arena_t *arena;   //  every byte the writes point at
    cf_hash_t *replies;  //  request id -> s_reply_t (in the arena)
};

struct _cf_writer_t {
    cf_journal_t *journal;
    uv_async_t async;  //  the writer's "done" to the loop
    cf_writer_done_fn *done;
    void *ctx;
    cf_writer_first_fn *first;  //  run before each record's transaction, or NULL
    void *first_ctx;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    cf_writes_t *in_hand;  //  submitted, not yet given back
    bool written;          //  ... and written: rc is its result
    int rc;
    bool stop;
};

//  ------------------------------------------------------------- records

cf_writes_t *
cf_writes_new (void)
{
    cf_writes_t *self = calloc (1, sizeof *self);
    assert (self);
    self->arena = cf_arena_new (256 * 1024);
    self->replies = cf_hash_new ();
    return self;
}

void
cf_writes_destroy (cf_writes_t **self_p)
{
    assert (self_p);
    cf_writes_t *self = *self_p;
    if (!self)
        return;
    free (self->writes);
    cf_arena_destroy (&self->arena);
    cf_hash_destroy (&self->replies);
    free (self);
    *self_p = NULL;
}

void
cf_writes_clear (cf_writes_t *self)
{
    assert (self);
    self->count = 0;
    cf_hash_clear (self->replies);
    cf_arena_reset (self->arena);
}

size_t
cf_writes_count (const cf_writes_t *self)
{
    assert (self);
    return self->count;
}

static void *
s_alloc (cf_writes_t *self, size_t size)
{
    ProtobufCAllocator *allocator = cf_arena_allocator (self->arena);
    void *room = allocator->alloc (allocator->allocator_data, size ? size : 1);
    assert (room);
    return room;
}

static const void *
s_copy (cf_writes_t *self, const void *data, size_t size)
{
    void *copy = s_alloc (self, size);
    if (size)
        memcpy (copy, data, size);
    return copy;
}

static const char *
s_copy_text (cf_writes_t *self, const char *text)
{
    return s_copy (self, text, strlen (text) + 1);
}

static s_write_t *
s_add (cf_writes_t *self, s_kind_t kind)
{
    if (self->count == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 1024;
        self->writes = realloc (self->writes, self->cap * sizeof *self->writes);
        assert (self->writes);
    }
    s_write_t *write = &self->writes [self->count++];
    *write = (s_write_t){ .kind = kind };
    return write;
}

void *
cf_writes_produced (cf_writes_t *self, uint64_t seq, size_t size)
{
    assert (self);
    s_write_t *write = s_add (self, S_PRODUCED);
    void *room = s_alloc (self, size);
    write->data = room;
    write->size = size;
    write->seq = seq;
    return room;
}

void
cf_writes_consumed (cf_writes_t *self, const char *stream, uint64_t seq, const void *data,
                    size_t size)
{
    assert (self);
    assert (stream);
    s_write_t *write = s_add (self, S_CONSUMED);
    write->name = s_copy_text (self, stream);
    write->data = s_copy (self, data, size);
    write->size = size;
    write->seq = seq;
}

void
cf_writes_reply (cf_writes_t *self, const char *request_id, const void *reply, size_t size,
                 int64_t now)
{
    assert (self);
    assert (request_id);
    s_write_t *write = s_add (self, S_REPLY);
    write->name = s_copy_text (self, request_id);
    write->data = s_copy (self, reply, size);
    write->size = size;
    write->at = now;
    s_reply_t *found = s_alloc (self, sizeof *found);
    *found = (s_reply_t){ write->data, size };
    cf_hash_update (self->replies, write->name, found);
}

const void *
cf_writes_find_reply (const cf_writes_t *self, const char *request_id, size_t *size_p)
{
    assert (self);
    assert (size_p);
    const s_reply_t *found = cf_hash_lookup (self->replies, request_id);
    if (!found)
        return NULL;
    *size_p = found->size;
    return found->data;
}

void
cf_writes_cursor (cf_writes_t *self, const char *stream, uint64_t seq)
{
    assert (self);
    assert (stream);
    s_write_t *write = s_add (self, S_CURSOR);
    write->name = s_copy_text (self, stream);
    write->seq = seq;
}

void
cf_writes_meta (cf_writes_t *self, const char *key, const void *value, size_t size)
{
    assert (self);
    assert (key);
    s_write_t *write = s_add (self, S_META);
    write->name = s_copy_text (self, key);
    write->data = s_copy (self, value, size);
    write->size = size;
}

void
cf_writes_expire (cf_writes_t *self, int64_t before, size_t max_count)
{
    assert (self);
    s_write_t *write = s_add (self, S_EXPIRE);
    write->at = before;
    write->size = max_count;
}

void
cf_writes_access (cf_writes_t *self, int64_t at, uint64_t number, const void *record, size_t size)
{
    assert (self);
    s_write_t *write = s_add (self, S_ACCESS);
    write->data = s_copy (self, record, size);
    write->size = size;
    write->seq = number;
    write->at = at;
}

//  -------------------------------------------------------------- writer

//  The writer thread's one job: the record as one transaction.
static int
s_write (cf_journal_t *journal, const cf_writes_t *writes)
{
    if (writes->count == 0)
        return 0;
    MDB_txn *txn;
    int rc = cf_journal_begin (journal, &txn);
    if (rc)
        return rc;
    for (size_t i = 0; i < writes->count && rc == 0; i++) {
        const s_write_t *write = &writes->writes [i];
        switch (write->kind) {
            case S_PRODUCED:
                rc = cf_journal_append_produced (journal, txn, write->seq, write->data, write->size,
                                                 NULL);
                break;
            case S_CONSUMED:
                rc = cf_journal_append_consumed (journal, txn, write->name, write->seq, write->data,
                                                 write->size, NULL);
                break;
            case S_REPLY:
                rc = cf_journal_request_put (journal, txn, write->name, write->data, write->size,
                                             write->at);
                break;
            case S_CURSOR:
                rc = cf_journal_set_cursor (journal, txn, write->name, write->seq);
                break;
            case S_META:
                rc = cf_journal_meta_put (journal, txn, write->name, write->data, write->size);
                break;
            case S_EXPIRE:
                rc = cf_journal_request_expire (journal, txn, write->at, write->size, NULL);
                break;
            case S_ACCESS:
                rc = cf_journal_access_put (journal, txn, write->at, write->seq, write->data,
                                            write->size);
                break;
        }
    }
    if (rc) {
        cf_journal_abort (journal, txn);
        return rc;
    }
    return cf_journal_commit (journal, txn);
}

static void *
s_thread (void *arg)
{
    cf_writer_t *self = arg;
    pthread_mutex_lock (&self->lock);
    while (true) {
        while (!self->stop && (!self->in_hand || self->written))
            pthread_cond_wait (&self->changed, &self->lock);
        if (self->stop)
            break;
        cf_writes_t *writes = self->in_hand;
        pthread_mutex_unlock (&self->lock);
        //  What the record depends on outside the journal is stored
        //  first: failing that, the record is not written at all.
        int rc = self->first ? self->first (self->first_ctx) : 0;
        if (rc == 0)
            rc = s_write (self->journal, writes);
        pthread_mutex_lock (&self->lock);
        self->rc = rc;
        self->written = true;
        pthread_cond_broadcast (&self->changed);
        uv_async_send (&self->async);
    }
    pthread_mutex_unlock (&self->lock);
    return NULL;
}

//  On the loop thread: gives a written record back, if there is one.
static void
s_give_back (cf_writer_t *self)
{
    pthread_mutex_lock (&self->lock);
    cf_writes_t *writes = self->written ? self->in_hand : NULL;
    int rc = self->rc;
    if (writes) {
        self->in_hand = NULL;
        self->written = false;
    }
    pthread_mutex_unlock (&self->lock);
    if (writes)
        self->done (self->ctx, writes, rc);
}

static void
s_on_async (uv_async_t *handle)
{
    s_give_back (handle->data);
}

cf_writer_t *
cf_writer_new (cf_journal_t *journal, uv_loop_t *loop, cf_writer_done_fn *done, void *ctx)
{
    assert (journal);
    assert (loop);
    assert (done);
    cf_writer_t *self = calloc (1, sizeof *self);
    assert (self);
    self->journal = journal;
    self->done = done;
    self->ctx = ctx;
    pthread_mutex_init (&self->lock, NULL);
    pthread_cond_init (&self->changed, NULL);
    int rc = uv_async_init (loop, &self->async, s_on_async);
    assert (rc == 0);
    self->async.data = self;
    rc = pthread_create (&self->thread, NULL, s_thread, self);
    assert (rc == 0);
    return self;
}

void
cf_writer_set_first (cf_writer_t *self, cf_writer_first_fn *first, void *ctx)
{
    assert (self);
    //  Set before any record is handed over: the thread reads it after
    //  taking a record under the lock.
    pthread_mutex_lock (&self->lock);
    assert (!self->in_hand);
    self->first = first;
    self->first_ctx = ctx;
    pthread_mutex_unlock (&self->lock);
}

bool
cf_writer_busy (const cf_writer_t *self)
{
    assert (self);
    //  Only the loop thread hands records over and takes them back.
    return self->in_hand != NULL;
}

void
cf_writer_submit (cf_writer_t *self, cf_writes_t *writes)
{
    assert (self);
    assert (writes);
    pthread_mutex_lock (&self->lock);
    assert (!self->in_hand);
    self->in_hand = writes;
    self->written = false;
    pthread_cond_broadcast (&self->changed);
    pthread_mutex_unlock (&self->lock);
}

void
cf_writer_wait (cf_writer_t *self)
{
    assert (self);
    pthread_mutex_lock (&self->lock);
    while (self->in_hand && !self->written)
        pthread_cond_wait (&self->changed, &self->lock);
    pthread_mutex_unlock (&self->lock);
    //  The async callback may still come; it then finds nothing to give.
    s_give_back (self);
}

void
cf_writer_poll (cf_writer_t *self)
{
    assert (self);
    s_give_back (self);
}

static void
s_on_closed (uv_handle_t *handle)
{
    cf_writer_t *self = handle->data;
    pthread_cond_destroy (&self->changed);
    pthread_mutex_destroy (&self->lock);
    free (self);
}

void
cf_writer_destroy (cf_writer_t **self_p)
{
    assert (self_p);
    cf_writer_t *self = *self_p;
    if (!self)
        return;
    cf_writer_wait (self);
    pthread_mutex_lock (&self->lock);
    self->stop = true;
    pthread_cond_broadcast (&self->changed);
    pthread_mutex_unlock (&self->lock);
    pthread_join (self->thread, NULL);
    uv_close ((uv_handle_t *) &self->async, s_on_closed);
    *self_p = NULL;
}
