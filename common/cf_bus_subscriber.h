//  cf_bus_subscriber: follows one upstream stream without ever missing an
//  event (the zguide's Clone pattern with a durable cursor).
//
//  It holds a SUB socket on the producer's events endpoint and a DEALER on
//  the producer's api endpoint for replay. The SUB starts subscribed to
//  "<stream>." (every single event and the heartbeats); once a heartbeat
//  or a replay reply says the producer publishes batches, it follows
//  "$batch.<stream>" and "<stream>.$heartbeat" instead (and back, if a
//  heartbeat says otherwise).
//  It
//  delivers seq N only when its cursor is N-1:
//      - seq <= cursor: a duplicate, dropped;
//      - seq > cursor + 1, or a heartbeat with last_seq > cursor, or the
//        start: a gap, fetched through replay batches from cursor + 1 until
//        the batch's last_seq is reached, then live again.
//  The cursor has an identity (DESIGN.md, "Streams have an identity";
//  cf_bus_identity.h): the producer's epoch and the id of the event at
//  the cursor. Every heartbeat's epoch is compared with it; the first
//  replay after start, after a reset, after 2.5 s without a word from the
//  producer, after a heartbeat behind the cursor or a live event at the
//  cursor with another id asks from the cursor's own seq and compares the
//  producer's event there (live events wait meanwhile), and every replay
//  reply's epoch and head are compared too. A disagreement stops the
//  subscriber (diverged: it delivers nothing and asks nothing, logged
//  once) until cf_bus_subscriber_reset. A cursor without an epoch adopts
//  the producer's once its event at the cursor was compared.
//
//  Replay requests time out and are resent with a new request id (replies
//  to old ids are ignored); the DEALER has ZMQ_IMMEDIATE set so nothing
//  piles up for a producer that is down.
//
//  The subscriber owns no loop: the runtime watches its two sockets and
//  calls cf_bus_subscriber_process when either may be readable, and again
//  by cf_bus_subscriber_deadline for timeouts. The delivery callback runs
//  inside that call; the runtime commits what it applied afterwards.
//  Every call here may send on the api socket (new and reset included),
//  which may take the socket's ZMQ_FD wake-up: cf_bus_subscriber_process
//  ends with a receive on it after its own sends; after new and reset,
//  call cf_bus_subscriber_process before waiting on the sockets.
//  Times (`now`, deadlines) are CLOCK_MONOTONIC microseconds, the clock of
//  zclock_usecs and cf_time_monotonic. Timings: a replay request times out
//  after 2 s; a refused delivery, a status other than OK or a batch that
//  brought nothing is asked again after 500 ms; a request that could not
//  be sent (no producer connected) is tried again on the next call, at
//  the latest after 100 ms.
#ifndef CF_BUS_SUBSCRIBER_H
#define CF_BUS_SUBSCRIBER_H

#include "caseflow/v1/api.pb-c.h"
#include "caseflow/v1/event.pb-c.h"
#include "cf_bus_identity.h"
#include "cf_journal.h"
#include "cf_keys.h"

#include <czmq.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _cf_bus_subscriber_t cf_bus_subscriber_t;

//  Called for each upstream event in seq order (event->seq == cursor + 1).
//  `event` and `data` (its encoding) are borrowed for the call. Return 0
//  when applied: the cursor advances. CF_BUS_STOP says the follower has
//  all it wants (a `tail --count` that printed its count): the event is
//  not applied, and from then on the subscriber delivers nothing, sends
//  no request and logs nothing (it still reads and drops what arrives)
//  until cf_bus_subscriber_reset; destroy it when done. Any other value
//  refuses it: the subscriber stops delivering, logs a warning and retries
//  from the same seq after its retry interval. The callback may call
//  cf_bus_subscriber_reset (the event then counts as not applied) but
//  must not destroy the subscriber.
typedef int (cf_bus_deliver_fn) (void *ctx, cf_bus_subscriber_t *subscriber,
                                 const Caseflow__V1__Event *event, const void *data, size_t size);

//  What a deliver callback returns to stop following (see above); not a
//  CF_E code (those are negative and mean "refused, retry").
#define CF_BUS_STOP 1

//  Follows `stream` from `cursor` (the last seq already applied; 0 for
//  none) via `events_endpoint` and `api_endpoint`. Sends the first replay
//  request at once. Returns NULL (logged) if a socket cannot be made.
cf_bus_subscriber_t *
cf_bus_subscriber_new (const char *stream, const char *events_endpoint, const char *api_endpoint,
                       uint64_t cursor, cf_bus_deliver_fn *deliver, void *ctx);

//  The same, and with `keys` (borrowed; must outlive the subscriber) both
//  sockets are CURVE clients of the producer whose public certificate is
//  public/<stream>.cert in the key set (cf_keys.h). Returns NULL (logged)
//  also when that certificate cannot be read. NULL keys: plaintext, as
//  cf_bus_subscriber_new.
cf_bus_subscriber_t *
cf_bus_subscriber_new_secure (const char *stream, const char *events_endpoint,
                              const char *api_endpoint, uint64_t cursor, cf_bus_deliver_fn *deliver,
                              void *ctx, cf_keys_t *keys);

//  Closes the sockets and frees, safe on NULL; nulls *self_p.
void
cf_bus_subscriber_destroy (cf_bus_subscriber_t **self_p);

//  The two sockets the runtime must watch for readability. Borrowed.
zsock_t *
cf_bus_subscriber_events_socket (cf_bus_subscriber_t *self);
zsock_t *
cf_bus_subscriber_api_socket (cf_bus_subscriber_t *self);

//  Reads what is waiting on both sockets, each until it has nothing or
//  `max_messages` messages were read in all (a live batch counts as the
//  events it held), delivering events in order, handling heartbeats and
//  replay replies, and sending replay requests as needed. `now` is
//  monotonic microseconds. Returns that count; when it is not 0, more may
//  be waiting (a request sent may also have taken the socket's wake-up):
//  call again until it returns 0.
size_t
cf_bus_subscriber_process (cf_bus_subscriber_t *self, int64_t now, size_t max_messages);

//  The monotonic time by which cf_bus_subscriber_process must be called
//  again even without input (a replay timeout or retry), or INT64_MAX.
int64_t
cf_bus_subscriber_deadline (cf_bus_subscriber_t *self);

//  Resets the cursor (after the runtime rebuilt its state from the journal)
//  and starts a catch-up from cursor + 1.
void
cf_bus_subscriber_reset (cf_bus_subscriber_t *self, uint64_t cursor, int64_t now);

//  Called by cf_bus_subscriber_check_batch for each event that fits, with
//  the re-checked event and its encoding (both borrowed for the call).
//  Return 0 to take it (the walk's cursor moves on), non-zero to stop.
typedef int (cf_bus_batch_fn) (void *ctx, const Caseflow__V1__Event *event, const void *data,
                               size_t size);

//  The rule a subscriber applies to a replay batch, as a pure function (no
//  sockets, no subscriber): walks `batch`'s events as a subscriber of
//  `stream` whose cursor is `cursor` would. An event at or below the
//  cursor is a repeat and skipped; from there each must carry the next seq
//  and, re-encoded, pass cf_event_decode for `stream`; each that does goes
//  to `fn`. Stops at the first that does not (*why_p, if not NULL, then
//  says why; NULL when the walk ended otherwise) or when `fn` declines.
//  Returns the number of events `fn` took.
size_t
cf_bus_subscriber_check_batch (const char *stream, uint64_t cursor,
                               const Caseflow__V1__ReplayBatch *batch, cf_bus_batch_fn *fn,
                               void *ctx, const char **why_p);

//  The stream followed, the last seq applied, the highest seq the producer
//  is known to have, and whether the subscriber has caught up (a replay
//  reply confirmed cursor >= the producer's last seq, and no gap is known).
const char *
cf_bus_subscriber_stream (cf_bus_subscriber_t *self);
uint64_t
cf_bus_subscriber_cursor (cf_bus_subscriber_t *self);
uint64_t
cf_bus_subscriber_head (cf_bus_subscriber_t *self);
bool
cf_bus_subscriber_caught_up (cf_bus_subscriber_t *self);

//  When nothing was heard from the producer (no heartbeat, event, batch or
//  reply) for 3 s, as cf_bus_subscriber_process found at its last call:
//  the reason, for /readyz (borrowed, valid while the subscriber lives);
//  NULL otherwise. A silent subscriber is not caught up; once the
//  producer is heard again it asks for replay from its cursor and is
//  caught up when the answer confirms it. Noticed on a call to process:
//  the runtime makes one at least every second (its heartbeat).
const char *
cf_bus_subscriber_silent (cf_bus_subscriber_t *self);

//  The cursor's identity, from the store (cf_journal_cursor_identity):
//  the producer's epoch it belongs to (0: none yet) and the id of the
//  event at the cursor (NULL or "": unknown). Call right after new or
//  reset, before the next process.
void
cf_bus_subscriber_set_identity (cf_bus_subscriber_t *self, uint64_t epoch, const char *last_id);

//  The cursor's epoch (0: none yet), and the id of the event at the
//  cursor (borrowed; "" when unknown).
uint64_t
cf_bus_subscriber_epoch (cf_bus_subscriber_t *self);
const char *
cf_bus_subscriber_last_id (cf_bus_subscriber_t *self);

//  True once, with *epoch_p, when the cursor's epoch is not the one last
//  given by cf_bus_subscriber_set_identity or returned here: the caller
//  stores it with the events it applies (meta "cursor-epoch.<stream>").
bool
cf_bus_subscriber_epoch_to_store (cf_bus_subscriber_t *self, uint64_t *epoch_p);

//  The producer's epoch as last heard (0: none yet).
uint64_t
cf_bus_subscriber_producer_epoch (cf_bus_subscriber_t *self);

//  CF_BUS_AGREES while following; otherwise why the subscriber stopped.
//  cf_bus_subscriber_divergence says it in a line naming the stream
//  (borrowed, unchanged until the next reset), or NULL while following.
cf_bus_verdict_t
cf_bus_subscriber_verdict (cf_bus_subscriber_t *self);
const char *
cf_bus_subscriber_divergence (cf_bus_subscriber_t *self);

//  An operator accepts the producer's new history (the subscriber must
//  have diverged): the cursor moves to the lower of its seq and the
//  producer's head, under the producer's epoch, with no event id known,
//  and following starts again from there (logged). Sets *cursor_p and
//  *epoch_p for the caller to store (cursor, meta "cursor-epoch.<stream>").
//  Returns 0, or -1 when the subscriber had not diverged.
int
cf_bus_subscriber_accept (cf_bus_subscriber_t *self, int64_t now, uint64_t *cursor_p,
                          uint64_t *epoch_p);

#endif
