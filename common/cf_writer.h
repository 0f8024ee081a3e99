//  cf_writer: the thread that writes a service's store, so the loop can
//  decide the next batch while the last one is being synced.
//
//  A commit ends in fsync, which takes a millisecond or more on the disks
//  caseflow runs on; with the loop thread making the commit itself, it
//  decided nothing during that time. Here the loop records what a batch
//  writes (cf_writes_t: journal appends, the cursor moves that go with
//  consumed events, stored replies, meta values, reply expiry, access
//  records) and hands
//  the record to the writer thread, which makes one LMDB write
//  transaction of it and commits it, while the loop goes on deciding into
//  a fresh record. When the commit is done (synced) or failed, the loop
//  is called back and only then replies and publishes that batch. One
//  batch is in the writer's hands at a time, and batches are written in
//  the order they are handed over: the journal gets the events in the
//  order they were applied, and nothing is answered or published before
//  it is stored.
//
//  Everything in a record is copied into it (into an arena, so its
//  pointers stay put); the loop may read a record it has handed over (a
//  stored reply, an event's bytes to publish) but not change it.
#ifndef CF_WRITER_H
#define CF_WRITER_H

#include "cf_journal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

typedef struct _cf_writes_t cf_writes_t;
typedef struct _cf_writer_t cf_writer_t;

//  ------------------------------------------------------------- records

//  A new, empty record. Never NULL.
cf_writes_t *
cf_writes_new (void);

//  Frees a record; safe on NULL; nulls *self_p.
void
cf_writes_destroy (cf_writes_t **self_p);

//  Empties a record for the next batch (keeping its memory).
void
cf_writes_clear (cf_writes_t *self);

//  The number of writes recorded.
size_t
cf_writes_count (const cf_writes_t *self);

//  Records the journal append of an own event, seq `seq`, `size` bytes,
//  and returns the room for its encoding, to be filled by the caller
//  before the record is handed over (valid until cleared).
void *
cf_writes_produced (cf_writes_t *self, uint64_t seq, size_t size);

//  Records the journal append of upstream `stream`'s event `seq` (its
//  encoding copied) and the move of that stream's cursor.
void
cf_writes_consumed (cf_writes_t *self, const char *stream, uint64_t seq, const void *data,
                    size_t size);

//  Records the reply to `request_id`, stored at `now` (copied).
void
cf_writes_reply (cf_writes_t *self, const char *request_id, const void *reply, size_t size,
                 int64_t now);

//  The reply recorded for `request_id` (the latest, if several), or NULL;
//  *size_p is its size. Borrowed until the record is cleared.
const void *
cf_writes_find_reply (const cf_writes_t *self, const char *request_id, size_t *size_p);

//  Records setting upstream `stream`'s cursor to `seq` without an event
//  (cf_journal_set_cursor).
void
cf_writes_cursor (cf_writes_t *self, const char *stream, uint64_t seq);

//  Records setting meta value `key` (copied).
void
cf_writes_meta (cf_writes_t *self, const char *key, const void *value, size_t size);

//  Records dropping up to `max_count` stored replies older than `before`.
void
cf_writes_expire (cf_writes_t *self, int64_t before, size_t max_count);

//  Records adding access record `number` (an encoded AccessRecord, copied)
//  read at `at` (cf_journal_access_put).
void
cf_writes_access (cf_writes_t *self, int64_t at, uint64_t number, const void *record, size_t size);

//  -------------------------------------------------------------- writer

//  Called on the loop thread when the record handed over with
//  cf_writer_submit is committed and synced (rc 0) or was not stored at
//  all (CF_ESTOREFULL or CF_ESTORE, logged by cf_journal or by the
//  `first` step, cf_writer_set_first). The record is the caller's again.
typedef void (cf_writer_done_fn) (void *ctx, cf_writes_t *writes, int rc);

//  Starts the writer thread for `journal`, reporting on `loop` through
//  `done`. From now on only the writer writes the journal; the caller may
//  still read it (read transactions). Never NULL.
cf_writer_t *
cf_writer_new (cf_journal_t *journal, uv_loop_t *loop, cf_writer_done_fn *done, void *ctx);

//  Called on the writer thread before each record's journal transaction,
//  to store first what the record depends on outside the journal (a key
//  store's writes). A non-zero return (a CF_E… code) fails the record
//  with it: the journal transaction is not made and `done` gets that rc.
typedef int (cf_writer_first_fn) (void *ctx);

//  Sets the writer's `first` step (NULL: none). Only before the first
//  record is handed over.
void
cf_writer_set_first (cf_writer_t *self, cf_writer_first_fn *first, void *ctx);

//  Waits for the record in hand (its callback is called), stops the
//  thread and closes its loop handle; safe on NULL; nulls *self_p. The
//  loop must run once more afterwards for the handle to close (the
//  memory is freed by the close callback).
void
cf_writer_destroy (cf_writer_t **self_p);

//  True while a record is in the writer's hands (submitted, and its
//  callback not called yet).
bool
cf_writer_busy (const cf_writer_t *self);

//  Hands `writes` to the writer; the writer must not be busy. The record
//  comes back through the done callback.
void
cf_writer_submit (cf_writer_t *self, cf_writes_t *writes);

//  Blocks until the record in hand, if any, is written, and calls its done
//  callback before returning.
void
cf_writer_wait (cf_writer_t *self);

//  Calls the done callback now if the record in hand is written; returns
//  at once either way. For a loop that is busy for a while: the writer
//  need not stay idle until the loop looks at its handles again.
void
cf_writer_poll (cf_writer_t *self);

#endif
