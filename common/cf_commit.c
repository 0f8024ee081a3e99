//  cf_commit: group commit (see cf_commit.h).
//
//  There are two batches: the open one, which the loop decides into, and
//  the one the writer has in hand (NULL while the writer is idle). A batch
//  is a cf_writes_t record for the writer plus what to do once it is
//  stored: the replies, in arrival order, and the events to publish, whose
//  bytes are the very ones the record journals. The open batch goes to the
//  writer at the end of each drain round and every few hundred requests
//  (cf_commit_hand_over); while the writer is busy it grows, up to a
//  bound past which input waits in the sockets.
//
//  A retried command is looked up in the open batch, in the one being
//  written and in the store (through one read transaction renewed after
//  each commit), so it acts once wherever its first reply is.
#include "cf_commit.h"

#include "cf_error.h"
#include "cf_log.h"
#include "cf_replay.h"
#include "cf_writer.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define S_OPEN_BATCH_MAX 16384  //  input taken while the writer is busy

typedef struct {
    cf_writes_t *writes;
    cf_commit_reply_t *replies;
    size_t reply_count, reply_cap;
    cf_bus_outgoing_t *publishes;
    size_t publish_count, publish_cap;
    uint64_t last_seq;  //  own stream once it is stored
    size_t messages;    //  requests and upstream events taken in
    char **notes;       //  lines to log once it is stored (cf_commit_note)
    size_t note_count, note_cap;
} s_batch_t;

struct _cf_commit_t {
    cf_journal_t *journal;
    const char *stream;
    zsock_t *api;
    cf_bus_publisher_t *publisher;
    cf_commit_metrics_t m;
    cf_commit_hooks_t hooks;
    void *ctx;
    cf_writer_t *writer;
    s_batch_t batches [2];
    s_batch_t *open;
    s_batch_t *written;  //  NULL while the writer is idle
    MDB_txn *reader;     //  reads of stored replies (renewed per commit)
    uint64_t last_seq;   //  own stream, including the open batch
    uint64_t committed_seq;
    bool store_full;
    int full_rc;  //  why: CF_ESTOREFULL (the map) or CF_ENOSPACE (the disk)
};

static void
s_on_written (void *ctx, cf_writes_t *writes, int rc);

cf_commit_t *
cf_commit_new (cf_journal_t *journal, const char *stream, uv_loop_t *loop, zsock_t *api,
               cf_bus_publisher_t *publisher, const cf_commit_metrics_t *metrics, uint64_t last_seq,
               const cf_commit_hooks_t *hooks, void *ctx)
{
    assert (journal && stream && loop && api && publisher && metrics && hooks);
    cf_commit_t *self = calloc (1, sizeof *self);
    assert (self);
    self->journal = journal;
    self->stream = stream;
    self->api = api;
    self->publisher = publisher;
    self->m = *metrics;
    self->hooks = *hooks;
    self->ctx = ctx;
    for (size_t b = 0; b < 2; b++)
        self->batches [b].writes = cf_writes_new ();
    self->open = &self->batches [0];
    self->last_seq = self->committed_seq = last_seq;
    self->writer = cf_writer_new (journal, loop, s_on_written, self);
    if (hooks->store_first)
        cf_writer_set_first (self->writer, hooks->store_first, ctx);
    return self;
}

void
cf_commit_destroy (cf_commit_t **self_p)
{
    assert (self_p);
    cf_commit_t *self = *self_p;
    if (!self)
        return;
    cf_writer_destroy (&self->writer);
    for (size_t b = 0; b < 2; b++) {
        s_batch_t *batch = &self->batches [b];
        for (size_t i = 0; i < batch->reply_count; i++)
            free (batch->replies [i].data);
        for (size_t i = 0; i < batch->note_count; i++)
            free (batch->notes [i]);
        free (batch->notes);
        free (batch->replies);
        free (batch->publishes);
        cf_writes_destroy (&batch->writes);
    }
    cf_journal_reader_end (self->journal, self->reader);
    free (self);
    *self_p = NULL;
}

bool
cf_commit_store_full (const cf_commit_t *self)
{
    return self->store_full;
}

const char *
cf_commit_full_reason (const cf_commit_t *self)
{
    return self->full_rc == CF_ENOSPACE
               ? "store full: no space left on the store's disk; writes refused until there "
                 "is room again, then they resume by themselves"
               : "store full: writes refused until the service is restarted with a larger "
                 "--map-size";
}

uint64_t
cf_commit_committed_seq (const cf_commit_t *self)
{
    return self->committed_seq;
}

uint64_t
cf_commit_last_seq (const cf_commit_t *self)
{
    return self->last_seq;
}

//  ---------------------------------------------------------------- deciding

void *
cf_commit_produce (cf_commit_t *self, Caseflow__V1__Event__BodyCase body_case, size_t size)
{
    assert (!self->store_full);
    s_batch_t *batch = self->open;
    uint8_t *data = cf_writes_produced (batch->writes, ++self->last_seq, size);
    if (batch->publish_count == batch->publish_cap) {
        batch->publish_cap = batch->publish_cap ? batch->publish_cap * 2 : 256;
        batch->publishes =
            realloc (batch->publishes, batch->publish_cap * sizeof *batch->publishes);
        assert (batch->publishes);
    }
    batch->publishes [batch->publish_count++] =
        (cf_bus_outgoing_t){ .body_case = body_case, .data = data, .size = size };
    return data;
}

void
cf_commit_consume (cf_commit_t *self, const char *stream, uint64_t seq, const void *data,
                   size_t size)
{
    cf_writes_consumed (self->open->writes, stream, seq, data, size);
    self->open->messages++;
}

void
cf_commit_queue_reply (cf_commit_t *self, const cf_commit_reply_t *reply)
{
    s_batch_t *batch = self->open;
    if (batch->reply_count == batch->reply_cap) {
        batch->reply_cap = batch->reply_cap ? batch->reply_cap * 2 : 64;
        batch->replies = realloc (batch->replies, batch->reply_cap * sizeof *batch->replies);
        assert (batch->replies);
    }
    batch->replies [batch->reply_count++] = *reply;
    batch->messages++;
}

int
cf_commit_find_reply (cf_commit_t *self, const char *request_id, void **reply_p, size_t *size_p)
{
    //  The newest first: a reply stored again replaces the older one.
    const void *found = cf_writes_find_reply (self->open->writes, request_id, size_p);
    if (!found && self->written)
        found = cf_writes_find_reply (self->written->writes, request_id, size_p);
    if (!found) {
        if (!self->reader && cf_journal_reader_begin (self->journal, &self->reader))
            return CF_ESTORE;
        return cf_journal_request_get (self->journal, self->reader, request_id, reply_p, size_p);
    }
    *reply_p = malloc (*size_p ? *size_p : 1);
    assert (*reply_p);
    memcpy (*reply_p, found, *size_p);
    return 0;
}

void
cf_commit_store_reply (cf_commit_t *self, const char *request_id, const void *reply, size_t size,
                       int64_t now)
{
    cf_writes_reply (self->open->writes, request_id, reply, size, now);
}

void
cf_commit_store_cursor (cf_commit_t *self, const char *stream, uint64_t seq)
{
    cf_writes_cursor (self->open->writes, stream, seq);
}

void
cf_commit_store_meta (cf_commit_t *self, const char *key, const void *value, size_t size)
{
    cf_writes_meta (self->open->writes, key, value, size);
}

void
cf_commit_store_access (cf_commit_t *self, int64_t at, uint64_t number, const void *record,
                        size_t size)
{
    assert (!self->store_full);
    cf_writes_access (self->open->writes, at, number, record, size);
}

void
cf_commit_note (cf_commit_t *self, const char *line)
{
    s_batch_t *batch = self->open;
    if (batch->note_count == batch->note_cap) {
        batch->note_cap = batch->note_cap ? batch->note_cap * 2 : 16;
        batch->notes = realloc (batch->notes, batch->note_cap * sizeof *batch->notes);
        assert (batch->notes);
    }
    batch->notes [batch->note_count] = strdup (line);
    assert (batch->notes [batch->note_count]);
    batch->note_count++;
}

void
cf_commit_expire (cf_commit_t *self, int64_t before, size_t max_count)
{
    cf_writes_expire (self->open->writes, before, max_count);
}

//  ----------------------------------------------------------------- answers

static void
s_replace_with_unavailable (cf_commit_reply_t *pending, const char *why)
{
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, pending->request_id);
    cf_api_reply_status (&reply, CASEFLOW__V1__STATUS__CODE__UNAVAILABLE, NULL, "%s", why);
    free (pending->data);
    pending->data = cf_api_encode_reply (&reply, &pending->size);
    cf_api_reply_clear (&reply);
}

//  Sends a batch's replies in arrival order, publishes its events (unless
//  it was not stored: `stored` false) and empties it.
static void
s_batch_answer (cf_commit_t *self, s_batch_t *batch, bool stored)
{
    //  What was done is said once it is stored, never before: a batch
    //  that was not stored did nothing. Said before the replies leave, so
    //  whoever reads the log after a reply finds it.
    for (size_t i = 0; i < batch->note_count; i++) {
        if (stored)
            cf_log_info ("%s", batch->notes [i]);
        else
            cf_log_debug ("not stored, so not done: %s", batch->notes [i]);
        free (batch->notes [i]);
    }
    batch->note_count = 0;
    void *handle = zsock_resolve (self->api);
    for (size_t i = 0; i < batch->reply_count; i++) {
        cf_commit_reply_t *pending = &batch->replies [i];
        //  A replay is answered from committed events only.
        if (pending->replay)
            pending->data = cf_replay_reply (
                self->journal, self->stream, self->committed_seq, pending->request_id,
                pending->from_seq, pending->max_events, pending->max_bytes, &pending->size);
        //  [identity]([empty])[Reply] straight from our buffers: a zmsg
        //  would copy each frame into frames of its own first. A ROUTER
        //  never blocks on send (it drops for a peer at its high-water
        //  mark or gone), as zmsg_send did.
        zmq_send (handle, pending->identity, pending->identity_size, ZMQ_SNDMORE);
        if (pending->delimiter)
            zmq_send (handle, "", 0, ZMQ_SNDMORE);
        zmq_send (handle, pending->data, pending->size, 0);
        free (pending->data);
    }
    if (stored && batch->publish_count) {
        cf_bus_publisher_send_all (self->publisher, batch->publishes, batch->publish_count);
        cf_metric_add (self->m.events_published, batch->publish_count);
        //  The counters follow the publisher's own.
        uint64_t singles, batches;
        cf_bus_publisher_sent (self->publisher, &singles, &batches, NULL);
        cf_metric_add (self->m.bus_singles,
                       singles - (uint64_t) cf_metric_value (self->m.bus_singles));
        cf_metric_add (self->m.bus_batches,
                       batches - (uint64_t) cf_metric_value (self->m.bus_batches));
    }
    batch->reply_count = 0;
    batch->publish_count = 0;
    batch->messages = 0;
    cf_writes_clear (batch->writes);
}

//  A batch that was not stored: its commands are answered UNAVAILABLE (and
//  not remembered: a retry acts later), its events not published.
static void
s_batch_refuse (cf_commit_t *self, s_batch_t *batch, int rc)
{
    const char *why = rc == CF_ESTOREFULL || rc == CF_ENOSPACE
                          ? cf_commit_full_reason (self)
                          : "store error: the command was not recorded";
    for (size_t i = 0; i < batch->reply_count; i++)
        if (!batch->replies [i].replay)
            s_replace_with_unavailable (&batch->replies [i], why);
    s_batch_answer (self, batch, false);
}

//  After a commit failed for want of disk space LMDB may have marked the
//  environment unusable (MDB_PANIC, "fatal error") until it is closed:
//  it is reopened at once, before the owner rebuilds its state from it.
//  Returns CF_ENOSPACE, or the reopen's error (the owner then stops).
static int
s_reopen (cf_commit_t *self)
{
    cf_journal_reader_end (self->journal, self->reader);
    self->reader = NULL;
    int rc = cf_journal_reopen (self->journal);
    if (rc)
        cf_log_error ("reopening the store after a full disk failed (%s)", cf_strerror (rc));
    return rc ? rc : CF_ENOSPACE;
}

bool
cf_commit_resume (cf_commit_t *self, size_t room)
{
    if (!self->store_full || self->full_rc != CF_ENOSPACE || self->written)
        return false;
    int rc = cf_journal_probe_room (self->journal, room);
    if (rc)
        return false;
    self->store_full = false;
    self->full_rc = 0;
    cf_metric_set (self->m.store_full, 0);
    cf_log_info ("room on the store's disk again: taking writes");
    return true;
}

//  The writer is done with the batch it had: stored, it is answered and
//  published; not stored, it and the open batch (decided on top of it) are
//  refused and the owner rebuilds its state from what is stored.
static void
s_on_written (void *ctx, cf_writes_t *writes, int rc)
{
    cf_commit_t *self = ctx;
    s_batch_t *batch = self->written;
    assert (batch && batch->writes == writes);
    self->written = NULL;
    //  The reader moves on to what is stored now: the batch's replies are
    //  found there from here on, no longer in its writes.
    if (self->reader && cf_journal_reader_renew (self->journal, self->reader))
        self->reader = NULL;
    if (rc == 0) {
        if (cf_writes_count (writes))
            cf_metric_add (self->m.commits, 1);
        self->committed_seq = batch->last_seq;
        s_batch_answer (self, batch, true);
    } else {
        if ((rc == CF_ESTOREFULL || rc == CF_ENOSPACE) && !self->store_full) {
            self->store_full = true;
            self->full_rc = rc;
            cf_metric_set (self->m.store_full, 1);
            if (rc == CF_ESTOREFULL)
                cf_log_error ("store full (--map-size %zu bytes): refusing commands until "
                              "restarted with a larger --map-size; queries keep working",
                              cf_journal_map_size (self->journal));
            else
                cf_log_error ("store full: no space left on the store's disk; refusing "
                              "commands until there is room again (tried every few seconds); "
                              "queries keep working");
        }
        if (rc == CF_ENOSPACE)
            rc = s_reopen (self);
        s_batch_refuse (self, batch, rc);
        s_batch_refuse (self, self->open, rc);
        self->last_seq = self->committed_seq;
        self->hooks.failed (self->ctx, rc);
    }
    //  What was decided meanwhile goes next.
    cf_commit_flush (self);
    self->hooks.done (self->ctx);
}

void
cf_commit_flush (cf_commit_t *self)
{
    s_batch_t *batch = self->open;
    if (self->written)
        return;  //  s_on_written flushes again
    batch->last_seq = self->last_seq;
    if (cf_writes_count (batch->writes) == 0) {
        if (batch->reply_count || batch->publish_count)
            s_batch_answer (self, batch, true);
        return;
    }
    int rc = self->hooks.before_submit ? self->hooks.before_submit (self->ctx) : 0;
    if (rc) {
        s_batch_refuse (self, batch, rc);
        self->last_seq = self->committed_seq;
        self->hooks.failed (self->ctx, rc);
        return;
    }
    self->written = batch;
    self->open = batch == &self->batches [0] ? &self->batches [1] : &self->batches [0];
    cf_writer_submit (self->writer, batch->writes);
}

void
cf_commit_hand_over (cf_commit_t *self)
{
    if (self->written)
        cf_writer_poll (self->writer);
    if (!self->written)
        cf_commit_flush (self);
}

bool
cf_commit_open_full (const cf_commit_t *self)
{
    return self->written && self->open->messages >= S_OPEN_BATCH_MAX;
}

void
cf_commit_finish (cf_commit_t *self)
{
    while (self->written || cf_writes_count (self->open->writes) || self->open->reply_count) {
        if (self->written)
            cf_writer_wait (self->writer);
        else
            cf_commit_flush (self);
    }
}
