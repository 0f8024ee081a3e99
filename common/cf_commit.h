//  cf_commit: group commit, the way everything a service decides reaches
//  the store, its clients and its subscribers.
//
//  The loop decides into the open batch: journal appends of the events it
//  emits and consumes, stored replies, meta values, reply expiry, access
//  records (a cf_writes_t record), the replies to send and the events to
//  publish.
//  When the writer thread (cf_writer) is free, the open batch goes to it
//  and a fresh one opens; the writer makes one LMDB transaction of the
//  batch and commits it (fsync) while the loop decides the next. When the
//  writer is done the batch's replies are sent in arrival order on the api
//  socket and its events published: nothing is answered or published that
//  is not stored. The slower the disk, the more one fsync pays for.
//
//  A batch the store refuses (a full map, a store error) is answered
//  UNAVAILABLE, command by command, and so is the batch decided on top of
//  it; their events are not published. The owner is told (`failed`) and
//  must rebuild its state from the store, the one state that cannot
//  disagree with it. A full map leaves the batches refusing commands from
//  then on (cf_commit_store_full) until a restart with a larger map; a
//  full disk (ENOSPC, EDQUOT) too, but the store is reopened at once (LMDB
//  may have marked it unusable) and writes come back without a restart
//  once there is room (cf_commit_resume).
//
//  Everything here runs on the loop thread; the writer's callback comes
//  back on it through the loop.
#ifndef CF_COMMIT_H
#define CF_COMMIT_H

#include "caseflow/v1/event.pb-c.h"
#include "cf_api.h"
#include "cf_bus_publisher.h"
#include "cf_journal.h"
#include "cf_metrics.h"

#include <czmq.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

typedef struct _cf_commit_t cf_commit_t;

//  A ROUTER's routing id of a peer is at most 255 bytes.
#define CF_COMMIT_IDENTITY_MAX 255

//  A reply waiting for its batch to be stored.
typedef struct {
    uint8_t identity [CF_COMMIT_IDENTITY_MAX];  //  the client's routing id
    size_t identity_size;
    bool delimiter;  //  the client is a REQ socket: echo the empty frame
    void *data;      //  encoded Reply (NULL for replay: built once stored)
    size_t size;
    bool command;  //  replaced by UNAVAILABLE if the batch is not stored
    bool replay;   //  a replay request, answered from committed events
    char request_id [CF_API_MAX_REQUEST_ID + 1];
    uint64_t from_seq;
    uint32_t max_events;
    uint32_t max_bytes;
} cf_commit_reply_t;

//  The metrics group commit keeps (handles owned by the registry).
typedef struct {
    cf_metric_t *commits;           //  transactions committed
    cf_metric_t *events_published;  //  events sent on the events socket
    cf_metric_t *bus_singles;       //  messages on the events socket, by form
    cf_metric_t *bus_batches;
    cf_metric_t *store_full;  //  1 once the map is full
} cf_commit_metrics_t;

//  What the owner is told. `failed`: a batch was not stored (`rc`
//  CF_ESTOREFULL, CF_ESTORE or CF_ECORRUPT); both batches are answered
//  already and the own stream's seq is back at what is committed: rebuild
//  the state from the store. `done`: a batch is finished (stored or not):
//  input held back while the open batch was full may be read now.
//  `before_submit` (may be NULL): called on the loop as a batch goes to
//  the writer, to hand over with it what the batch depends on outside the
//  journal (a key store's writes). A non-zero return refuses the batch as
//  a store error would (`failed` follows). `store_first` (may be NULL):
//  called on the writer thread before each batch's journal transaction,
//  to make that durable first, so it is on disk before the batch is; a
//  non-zero return fails the batch as a failed journal commit would.
typedef struct {
    void (*failed) (void *ctx, int rc);
    void (*done) (void *ctx);
    int (*before_submit) (void *ctx);
    int (*store_first) (void *ctx);
} cf_commit_hooks_t;

//  Starts group commit for `journal` of stream `stream` (borrowed, as are
//  the api socket the replies go out on, the publisher, the metrics and
//  the hooks' context) and its writer thread, reporting on `loop`.
//  `last_seq` is the own stream's committed seq. Never NULL. From now on
//  only the writer writes the journal.
cf_commit_t *
cf_commit_new (cf_journal_t *journal, const char *stream, uv_loop_t *loop, zsock_t *api,
               cf_bus_publisher_t *publisher, const cf_commit_metrics_t *metrics, uint64_t last_seq,
               const cf_commit_hooks_t *hooks, void *ctx);

//  Stops the writer and frees everything; what was not finished is dropped
//  (cf_commit_finish first). Safe on NULL; nulls *self_p. The loop must run
//  once more afterwards for the writer's handle to close.
void
cf_commit_destroy (cf_commit_t **self_p);

//  True once the store refused a batch for want of room: no more writes
//  are taken until a restart (a full map) or until cf_commit_resume finds
//  room again (a full disk: ENOSPC, EDQUOT).
bool
cf_commit_store_full (const cf_commit_t *self);

//  The refusal a command gets while the store is full, saying which room
//  is missing and what brings writes back. Static text.
const char *
cf_commit_full_reason (const cf_commit_t *self);

//  While the store is full for want of disk space (and only then), tries
//  whether the disk has `room` bytes free again (cf_journal_probe_room);
//  if it has, writes are taken again: returns true. The state needs no
//  rebuild: it was rebuilt from the reopened store when the batch failed.
bool
cf_commit_resume (cf_commit_t *self, size_t room);

//  Logs `line` (copied; info level) once the open batch is stored, and
//  never if it is not: what a decision did is said only when it is done.
void
cf_commit_note (cf_commit_t *self, const char *line);

//  The own stream's last seq: committed, and including the open batch.
uint64_t
cf_commit_committed_seq (const cf_commit_t *self);
uint64_t
cf_commit_last_seq (const cf_commit_t *self);

//  Records the journal append of the own stream's next event (seq
//  cf_commit_last_seq + 1), `size` bytes of body `body_case`, and queues
//  it for publishing. Returns the room for its encoding, which the caller
//  fills at once. The store must not be full (asserted).
void *
cf_commit_produce (cf_commit_t *self, Caseflow__V1__Event__BodyCase body_case, size_t size);

//  Records the journal append of upstream `stream`'s event `seq` (its
//  encoding copied) with the move of that stream's cursor.
void
cf_commit_consume (cf_commit_t *self, const char *stream, uint64_t seq, const void *data,
                   size_t size);

//  Queues `reply` (copied; its data is taken) to be sent once the open
//  batch is stored.
void
cf_commit_queue_reply (cf_commit_t *self, const cf_commit_reply_t *reply);

//  The reply stored for `request_id`: in the open batch, in the batch
//  being written, or in the store. Returns 0 with a malloc'd copy in
//  *reply_p (the caller frees it), CF_ENOTFOUND, or a store error.
int
cf_commit_find_reply (cf_commit_t *self, const char *request_id, void **reply_p, size_t *size_p);

//  Stores `reply` (copied) for `request_id` with the open batch, as of `now`.
void
cf_commit_store_reply (cf_commit_t *self, const char *request_id, const void *reply, size_t size,
                       int64_t now);

//  Sets upstream `stream`'s cursor to `seq` with the open batch, without
//  an event (an operator's `stream accept`).
void
cf_commit_store_cursor (cf_commit_t *self, const char *stream, uint64_t seq);

//  Sets meta value `key` (copied) with the open batch.
void
cf_commit_store_meta (cf_commit_t *self, const char *key, const void *value, size_t size);

//  Adds access record `number` (copied; cf_access.h) read at `at` with the
//  open batch: the replies queued after it leave once it is stored. The
//  store must not be full (asserted).
void
cf_commit_store_access (cf_commit_t *self, int64_t at, uint64_t number, const void *record,
                        size_t size);

//  Drops up to `max_count` stored replies older than `before` with the
//  open batch.
void
cf_commit_expire (cf_commit_t *self, int64_t before, size_t max_count);

//  Hands the open batch to the writer if the writer is free and the batch
//  holds anything; a batch that stores nothing (queries, repeated
//  commands) is answered at once.
void
cf_commit_flush (cf_commit_t *self);

//  Takes the writer's result if it is done, then flushes: for a loop that
//  is busy for a while, so the writer need not idle until the loop looks
//  at its handles again.
void
cf_commit_hand_over (cf_commit_t *self);

//  True while the writer is busy and the open batch has grown to its
//  bound: input should wait in the sockets until the writer is done.
bool
cf_commit_open_full (const cf_commit_t *self);

//  Stores, answers and publishes everything decided so far, waiting for
//  the writer (at a stop).
void
cf_commit_finish (cf_commit_t *self);

#endif
