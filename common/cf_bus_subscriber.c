//  cf_bus_subscriber: follows one upstream stream without ever missing an
//  event.
//
//  One rule decides every delivery, whichever way an event arrived: seq N
//  is handed to the callback only when the cursor is N - 1. Live events
//  (SUB) and replay batches (DEALER) both go through it, so they can
//  interleave freely: a live event that fits is delivered even while a
//  replay request is out, and the replay's copy of it is then skipped as a
//  repeat. Anything that does not fit is a gap, and gaps are only ever
//  closed by replay; live events beyond a gap are dropped, not buffered,
//  because the replay that closes the gap serves them too.
//
//  The replay side is a small state machine:
//
//      IDLE ──gap──▶ WAITING ──reply, caught up──▶ IDLE
//                     │  ▲ │──reply, more to fetch──▶ WAITING (new request)
//                     │  │ └──timeout──▶ WAITING (resent with a new id)
//                     ▼  │
//                    RETRY   (status not OK, a bad or useless batch,
//                             a refused delivery, or a send that
//                             could not go out now)
//
//  Exactly one request id is current at a time; a reply to any other id is
//  stale and ignored, so a late answer to a request we gave up on can never
//  deliver anything twice (and it could not anyway: the seq rule holds).
//  A reply that made progress is followed at once by the next request; one
//  that made none waits the retry interval, so a misbehaving producer
//  cannot make us spin.
//
//  Silence: a producer heartbeats every second, so a subscriber that has
//  heard nothing from it (no heartbeat, event, batch or reply) for
//  CF_BUS_SILENCE_LIMIT cannot vouch for being caught up: the producer may
//  be down, stopped, or cut off by the network while it goes on taking
//  commands. It then says it is not caught up (the service is not ready,
//  docs/operations.md, "A partition between hosts") until it hears the
//  producer again and a replay answer confirms where the stream ends.
//  Before this, a subscriber cut from its producer stayed "caught up, lag
//  0" for as long as the cut lasted.
//
//  Times: `now` is CLOCK_MONOTONIC in microseconds (zclock_usecs,
//  cf_time_monotonic); cf_bus_subscriber_new reads that clock itself.
#include "cf_bus_subscriber_private.h"

#include "cf_error.h"
#include "cf_event.h"
#include "cf_frames.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void
s_send_replay (cf_bus_subscriber_t *self, int64_t now);
static void
s_follow_batches (cf_bus_subscriber_t *self, bool batches);

static int64_t
s_wall_now (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_REALTIME, &ts);
    return (int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

//  Logs a line at most once per interval and topic: a producer (or an
//  impostor) sending garbage, or one that is down, must not turn the log
//  into the bottleneck.
static void
s_complain (cf_bus_subscriber_t *self, int64_t now, cf_bus_topic_t topic, cf_log_level_t level,
            const char *fmt, ...) __attribute__ ((format (printf, 5, 6)));

static void
s_complain (cf_bus_subscriber_t *self, int64_t now, cf_bus_topic_t topic, cf_log_level_t level,
            const char *fmt, ...)
{
    if (!cf_log_enabled (level))
        return;
    if (now < self->quiet_until [topic]) {
        self->suppressed [topic]++;
        return;
    }
    char text [512];
    va_list args;
    va_start (args, fmt);
    vsnprintf (text, sizeof text, fmt, args);
    va_end (args);
    if (self->suppressed [topic])
        cf_log (level, "bus %s: %s (and %zu similar lines)", self->stream, text,
                self->suppressed [topic]);
    else
        cf_log (level, "bus %s: %s", self->stream, text);
    self->suppressed [topic] = 0;
    self->quiet_until [topic] = now + CF_BUS_COMPLAIN_INTERVAL;
}

//  Records a seq the producer is known to have reached.
static void
s_observe (cf_bus_subscriber_t *self, uint64_t seq)
{
    if (seq > self->head)
        self->head = seq;
    if (seq > self->seen)
        self->seen = seq;
}

static void
s_retry_later (cf_bus_subscriber_t *self, int64_t now)
{
    self->state = CF_BUS_SUB_RETRY;
    self->retry_at = now + CF_BUS_RETRY_INTERVAL;
    self->unsent = false;
    self->request_id [0] = 0;
}

//  A gap is known: make sure something is under way to close it.
static void
s_gap (cf_bus_subscriber_t *self, int64_t now)
{
    self->caught_up = false;
    if (self->state == CF_BUS_SUB_IDLE && !self->stopped)
        s_send_replay (self, now);
}

//  Hands the event with seq cursor + 1 to the callback. Returns true if it
//  was applied and the caller may go on delivering.
static bool
s_deliver (cf_bus_subscriber_t *self, const Caseflow__V1__Event *event, const void *data,
           size_t size, int64_t now)
{
    assert (event->seq == self->cursor + 1);
    unsigned generation = self->generation;
    int rc = self->deliver (self->ctx, self, event, data, size);
    //  The callback reset us: everything starts over from the new cursor,
    //  and this event does not count as applied.
    if (self->generation != generation)
        return false;
    if (rc == CF_BUS_STOP) {
        //  The follower is done: nothing more goes out or comes in, and a
        //  reply to the request out (if any) is stale from now on.
        s_observe (self, event->seq);
        self->caught_up = false;
        self->stalled = true;
        self->stopped = true;
        self->state = CF_BUS_SUB_IDLE;
        self->request_id [0] = 0;
        return false;
    }
    if (rc != 0) {
        //  Keep the event out of the way: it (and whatever follows) comes
        //  back through replay from the same seq after the retry interval.
        s_complain (self, now, CF_BUS_ABOUT_REFUSAL, CF_LOG_WARN,
                    "delivery of seq %" PRIu64 " refused (%d); retrying in %" PRId64 " ms",
                    event->seq, rc, CF_BUS_RETRY_INTERVAL / 1000);
        s_observe (self, event->seq);
        self->caught_up = false;
        self->stalled = true;
        s_retry_later (self, now);
        return false;
    }
    self->cursor = event->seq;
    snprintf (self->last_id, sizeof self->last_id, "%s", event->id);
    s_observe (self, event->seq);
    return true;
}

//  The producer's history is not the cursor's (cf_bus_identity.h): stop
//  applying and asking, say why once, and hold until reset.
static void
s_diverge (cf_bus_subscriber_t *self, cf_bus_verdict_t verdict, uint64_t producer_epoch,
           uint64_t producer_head)
{
    char ours [17], theirs [17];
    cf_bus_epoch_text (self->epoch, ours);
    cf_bus_epoch_text (producer_epoch, theirs);
    snprintf (self->divergence, sizeof self->divergence,
              "upstream %s diverged: %s (cursor seq %" PRIu64 " of epoch %s, event %s; producer "
              "epoch %s, head %" PRIu64 ")",
              self->stream, cf_bus_verdict_text (verdict), self->cursor, ours,
              *self->last_id ? self->last_id : "unknown", theirs, producer_head);
    self->verdict = verdict;
    cf_log_error ("bus %s: %s; not applying it until an operator runs `caseflowctl stream "
                  "recover %s` or `stream accept`",
                  self->stream, self->divergence, self->stream);
    self->head = producer_head;
    self->caught_up = false;
    self->stalled = true;
    self->stopped = true;
    self->state = CF_BUS_SUB_IDLE;
    self->request_id [0] = 0;
}

//  The producer may not be the one the cursor was checked against (a
//  heartbeat behind the cursor, a silence, another event at the cursor):
//  live events wait until a replay from the cursor's own seq compared
//  the event there. A cursor at 0 has nothing to compare.
static void
s_unverify (cf_bus_subscriber_t *self, int64_t now)
{
    if (self->cursor == 0 || self->stopped)
        return;
    self->verified = false;
    self->caught_up = false;
    if (self->state == CF_BUS_SUB_IDLE)
        s_send_replay (self, now);
}

//  Judges the producer's word in a batch against the cursor's identity.
//  Returns true when the batch may be walked; false when the stream
//  diverged, or another request went out instead.
static bool
s_judge_batch (cf_bus_subscriber_t *self, const Caseflow__V1__ReplayBatch *batch, int64_t now)
{
    if (batch->epoch)
        self->producer_epoch = batch->epoch;
    const char *at_cursor = NULL;
    for (size_t i = 0; self->request_verifies && i < batch->n_events && !at_cursor; i++)
        if (batch->events [i] && batch->events [i]->seq == self->request_cursor)
            at_cursor = batch->events [i]->id;
    //  The producer had at least request_cursor when it read the batch, if
    //  it is the one the cursor came from: events applied since asking do
    //  not count (they may be newer than the batch).
    cf_bus_verdict_t verdict = cf_bus_identity_check (
        self->epoch, self->request_cursor, self->last_id, batch->epoch, batch->last_seq, at_cursor);
    if (verdict != CF_BUS_AGREES) {
        s_diverge (self, verdict, batch->epoch, batch->last_seq);
        return false;
    }
    if (self->request_verifies && !at_cursor) {
        s_complain (self, now, CF_BUS_ABOUT_PEER, CF_LOG_WARN,
                    "replay from seq %" PRIu64 " lacks the event there; retrying",
                    self->request_cursor);
        s_retry_later (self, now);
        return false;
    }
    if (self->request_verifies)
        self->verified = true;
    else if (!self->verified) {
        //  A check was asked for while this request was out: ask again,
        //  from the cursor.
        s_send_replay (self, now);
        return false;
    }
    if (!self->epoch)
        self->epoch = batch->epoch;
    return true;
}

//  Sends a replay request for cursor + 1 onwards under a fresh id. A send
//  that cannot go out now (no producer connected: the DEALER has
//  ZMQ_IMMEDIATE; or its queue is full) is tried again on the next call,
//  at the latest after CF_BUS_RESEND_INTERVAL.
static void
s_send_replay (cf_bus_subscriber_t *self, int64_t now)
{
    self->sends++;
    Caseflow__V1__ReplayRequest replay = CASEFLOW__V1__REPLAY_REQUEST__INIT;
    replay.stream = self->stream;
    //  Unverified, the batch starts at the cursor itself, to compare the
    //  producer's event there with ours: one event more, once per connect.
    self->request_verifies = !self->verified && self->cursor > 0;
    replay.from_seq = self->request_verifies ? self->cursor : self->cursor + 1;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    cf_ulid_new (self->request_id, s_wall_now ());
    request.request_id = self->request_id;
    request.client = "cf_bus_subscriber";
    request.body_case = CASEFLOW__V1__REQUEST__BODY_REPLAY;
    request.replay = &replay;

    size_t size = caseflow__v1__request__get_packed_size (&request);
    uint8_t *buffer = malloc (size);
    assert (buffer);
    caseflow__v1__request__pack (&request, buffer);
    int rc = zmq_send (zsock_resolve (self->dealer), buffer, size, ZMQ_DONTWAIT);
    free (buffer);
    if (rc == -1) {
        s_complain (self, now, CF_BUS_ABOUT_SEND, CF_LOG_DEBUG,
                    "replay request not sent (%s); retrying", zmq_strerror (zmq_errno ()));
        s_retry_later (self, now);
        self->retry_at = now + CF_BUS_RESEND_INTERVAL;
        self->unsent = true;
        return;
    }
    cf_log_debug ("bus %s: replay request %s from seq %" PRIu64, self->stream, self->request_id,
                  replay.from_seq);
    self->state = CF_BUS_SUB_WAITING;
    self->unsent = false;
    self->request_cursor = self->cursor;
    self->request_deadline = now + CF_BUS_REPLAY_TIMEOUT;
    self->seen = 0;
}

typedef struct {
    cf_bus_subscriber_t *self;
    int64_t now;
    unsigned generation;
} s_batch_walk_t;

static int
s_deliver_from_batch (void *ctx, const Caseflow__V1__Event *event, const void *data, size_t size)
{
    s_batch_walk_t *walk = ctx;
    bool applied = s_deliver (walk->self, event, data, size, walk->now);
    //  A reset from the callback stops the walk too: it sent its own request.
    return applied && walk->self->generation == walk->generation ? 0 : -1;
}

//  Applies an OK batch that answers the current request.
static void
s_apply_batch (cf_bus_subscriber_t *self, const Caseflow__V1__ReplayBatch *batch, int64_t now)
{
    unsigned generation = self->generation;
    if (batch->last_seq > self->head)
        self->head = batch->last_seq;
    //  Settled: from here on a live gap may start a new request.
    self->state = CF_BUS_SUB_IDLE;
    self->request_id [0] = 0;
    self->last_heard = now;
    if (!s_judge_batch (self, batch, now))
        return;

    //  A replay reply may only turn batches on: a producer that answers
    //  replay without saying so may still publish them (its heartbeats
    //  tell), and a subscriber catching up at start learns it here first.
    if (batch->batches)
        s_follow_batches (self, true);
    s_batch_walk_t walk = { self, now, generation };
    const char *why = NULL;
    cf_bus_subscriber_check_batch (self->stream, self->cursor, batch, s_deliver_from_batch, &walk,
                                   &why);
    if (self->generation != generation)
        return;  //  Reset from the callback: it sent its own request
    if (why)
        s_complain (self, now, CF_BUS_ABOUT_PEER, CF_LOG_WARN,
                    "replay batch refused at seq %" PRIu64 ": %s", self->cursor + 1, why);
    if (self->state == CF_BUS_SUB_RETRY || self->stopped)
        return;  //  A refused delivery (the retry is set), or stopped

    //  The batch's last_seq is the producer's word on where its stream
    //  ends (it may even be lower than what we saw before, if it lost its
    //  journal); only what we saw live since asking can be newer.
    self->head = batch->last_seq > self->seen ? batch->last_seq : self->seen;
    if (self->cursor >= self->head) {
        if (self->cursor > batch->last_seq)
            s_complain (self, now, CF_BUS_ABOUT_PEER, CF_LOG_WARN,
                        "producer's last seq %" PRIu64 " is behind our cursor %" PRIu64,
                        batch->last_seq, self->cursor);
        if (!self->caught_up)
            cf_log_debug ("bus %s: caught up at seq %" PRIu64, self->stream, self->cursor);
        self->head = self->cursor;
        self->caught_up = true;
    } else if (self->cursor > self->request_cursor)
        //  Progress since we asked (from this batch or live): ask for the
        //  rest at once. Each round must move the cursor, so this cannot
        //  spin.
        s_send_replay (self, now);
    else {
        s_complain (self, now, CF_BUS_ABOUT_PEER, CF_LOG_WARN,
                    "replay from seq %" PRIu64 " brought nothing (producer at %" PRIu64
                    "); retrying",
                    self->request_cursor + 1, batch->last_seq);
        s_retry_later (self, now);
    }
}

//  One message from the DEALER: [Reply].
static void
s_handle_reply (cf_bus_subscriber_t *self, cf_frames_t *msg, int64_t now)
{
    if (msg->total != 1) {
        s_complain (self, now, CF_BUS_ABOUT_PEER, CF_LOG_WARN, "dropped api reply of %zu frames",
                    msg->total);
        return;
    }
    if (cf_frames_size (msg, 0) > CF_BUS_REPLY_MAX) {
        s_complain (self, now, CF_BUS_ABOUT_PEER, CF_LOG_WARN, "dropped api reply of %zu bytes",
                    cf_frames_size (msg, 0));
        return;
    }
    Caseflow__V1__Reply *reply =
        caseflow__v1__reply__unpack (NULL, cf_frames_size (msg, 0), cf_frames_data (msg, 0));
    if (!reply) {
        s_complain (self, now, CF_BUS_ABOUT_PEER, CF_LOG_WARN, "dropped undecodable api reply");
        return;
    }
    if (self->state != CF_BUS_SUB_WAITING || strcmp (reply->request_id, self->request_id) != 0) {
        //  An answer to a request we already gave up on: normal after a
        //  timeout.
        cf_log_debug ("bus %s: ignored stale reply %.64s", self->stream, reply->request_id);
        caseflow__v1__reply__free_unpacked (reply, NULL);
        return;
    }
    Caseflow__V1__Status__Code code =
        reply->status ? reply->status->code : CASEFLOW__V1__STATUS__CODE__OK;
    if (code != CASEFLOW__V1__STATUS__CODE__OK) {
        s_complain (self, now, CF_BUS_ABOUT_RETRY,
                    code == CASEFLOW__V1__STATUS__CODE__UNAVAILABLE ? CF_LOG_INFO : CF_LOG_WARN,
                    "replay refused: %s: %.200s; retrying", cf_api_code_name (code),
                    reply->status->message ? reply->status->message : "");
        s_retry_later (self, now);
    } else if (reply->result_case != CASEFLOW__V1__REPLY__RESULT_REPLAY || !reply->replay
               || strcmp (reply->replay->stream, self->stream) != 0) {
        s_complain (self, now, CF_BUS_ABOUT_PEER, CF_LOG_WARN,
                    "replay reply without a batch of this stream");
        s_retry_later (self, now);
    } else
        s_apply_batch (self, reply->replay, now);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

//  Follows the producer's batches (or its single events): a producer that
//  publishes batches gets our subscription to them instead of the one to
//  every single event, and back should it be replaced by one that does
//  not. libzmq applies the changes in order; what comes twice meanwhile is
//  dropped as a repeat, what is missed is a gap like any other.
static void
s_follow_batches (cf_bus_subscriber_t *self, bool batches)
{
    if (batches == self->batched)
        return;
    if (batches) {
        zsock_set_subscribe (self->sub, self->batch_topic);
        zsock_set_subscribe (self->sub, self->heartbeat_topic);
        zsock_set_unsubscribe (self->sub, self->prefix);
    } else {
        zsock_set_subscribe (self->sub, self->prefix);
        zsock_set_unsubscribe (self->sub, self->batch_topic);
        zsock_set_unsubscribe (self->sub, self->heartbeat_topic);
    }
    self->batched = batches;
    cf_log_debug ("bus %s: following %s", self->stream, batches ? "batches" : "single events");
}

static void
s_handle_heartbeat (cf_bus_subscriber_t *self, const void *body, size_t size, int64_t now)
{
    Caseflow__V1__Heartbeat *heartbeat = NULL;
    if (size <= CF_BUS_HEARTBEAT_MAX)
        heartbeat = caseflow__v1__heartbeat__unpack (NULL, size, body);
    if (!heartbeat || strcmp (heartbeat->stream, self->stream) != 0) {
        s_complain (self, now, CF_BUS_ABOUT_PEER, CF_LOG_WARN, "dropped invalid heartbeat");
        caseflow__v1__heartbeat__free_unpacked (heartbeat, NULL);
        return;
    }
    s_observe (self, heartbeat->last_seq);
    s_follow_batches (self, heartbeat->batches);
    if (!self->stopped) {
        if (heartbeat->epoch)
            self->producer_epoch = heartbeat->epoch;
        bool silent = now - self->last_heard > CF_BUS_SILENCE;
        self->last_heard = now;
        //  Another epoch is the producer's own word, whatever the order
        //  of messages; a head behind the cursor may be a heartbeat sent
        //  before events a reply brought, so a replay decides that.
        if (cf_bus_identity_check (self->epoch, 0, NULL, heartbeat->epoch, 0, NULL)
            != CF_BUS_AGREES) {
            s_diverge (self, CF_BUS_EPOCH_CHANGED, heartbeat->epoch, heartbeat->last_seq);
            caseflow__v1__heartbeat__free_unpacked (heartbeat, NULL);
            return;
        }
        if (silent || heartbeat->last_seq < self->cursor)
            s_unverify (self, now);
    }
    //  Events and heartbeats leave the producer's PUB in order: if we are
    //  still behind its last seq now, those events were lost on the way.
    if (heartbeat->last_seq > self->cursor)
        s_gap (self, now);
    caseflow__v1__heartbeat__free_unpacked (heartbeat, NULL);
}

//  One live event (its encoding, from a single or a batch) under the seq
//  rule. Returns false when delivery should stop here (the callback reset
//  the subscriber).
static bool
s_handle_event (cf_bus_subscriber_t *self, const void *body, size_t body_size, int64_t now)
{
    //  Decoded into the arena (the callback copies what it keeps) and
    //  forgotten with one reset, instead of a malloc and a free per field.
    const char *why = NULL;
    Caseflow__V1__Event *event = cf_event_decode_with (body, body_size, self->stream, &why,
                                                       cf_arena_allocator (self->arena));
    if (!event) {
        cf_arena_reset (self->arena);
        s_complain (self, now, CF_BUS_ABOUT_PEER, CF_LOG_WARN, "dropped live event: %s",
                    why ? why : "undecodable");
        return true;
    }
    unsigned generation = self->generation;
    //  Applied live only from a producer checked and heard of lately.
    bool trusted =
        self->verified && (self->cursor == 0 || now - self->last_heard <= CF_BUS_SILENCE);
    if (event->seq <= self->cursor) {
        //  A repeat (delivery is at-least-once), unless it contradicts the
        //  event we applied there.
        if (event->seq == self->cursor && *self->last_id && strcmp (event->id, self->last_id))
            s_unverify (self, now);
    } else if (event->seq == self->cursor + 1 && !self->stalled && trusted)
        s_deliver (self, event, body, body_size, now);
    else {
        s_observe (self, event->seq);
        if (!self->stalled && !trusted)
            s_unverify (self, now);
        if (!self->stalled)
            s_gap (self, now);
    }
    cf_arena_reset (self->arena);
    return self->generation == generation;
}

//  An EventBatch: each event is handled in place like a single one. A
//  malformed batch is dropped from where it goes wrong (what it held comes
//  back through replay: a later seq or heartbeat shows the gap). Returns
//  the number of events it held.
static size_t
s_handle_batch (cf_bus_subscriber_t *self, const void *body, size_t body_size, int64_t now)
{
    const uint8_t *cursor = body;
    const uint8_t *end = cursor + body_size;
    const uint8_t *event;
    size_t size, events = 0;
    int rc;
    while ((rc = cf_event_batch_next (&cursor, end, &event, &size)) == 1) {
        events++;
        if (!s_handle_event (self, event, size, now))
            return events;  //  Reset from the callback: it asked for replay
    }
    if (rc < 0)
        s_complain (self, now, CF_BUS_ABOUT_PEER, CF_LOG_WARN,
                    "dropped the rest of a malformed event batch after %zu events", events);
    return events;
}

//  One message from the SUB: [topic][Event], [topic][Heartbeat] or
//  [topic][EventBatch]. Returns the number of events it held.
static size_t
s_handle_live (cf_bus_subscriber_t *self, cf_frames_t *msg, int64_t now)
{
    if (msg->total != 2) {
        s_complain (self, now, CF_BUS_ABOUT_PEER, CF_LOG_WARN, "dropped live message of %zu frames",
                    msg->total);
        return 0;
    }
    const void *body = cf_frames_data (msg, 1);
    size_t body_size = cf_frames_size (msg, 1);
    const void *topic = cf_frames_data (msg, 0);
    size_t topic_size = cf_frames_size (msg, 0);
    if (topic_size == strlen (self->heartbeat_topic)
        && memcmp (topic, self->heartbeat_topic, topic_size) == 0) {
        s_handle_heartbeat (self, body, body_size, now);
        return 0;
    }
    if (topic_size == strlen (self->batch_topic)
        && memcmp (topic, self->batch_topic, topic_size) == 0)
        return s_handle_batch (self, body, body_size, now);
    s_handle_event (self, body, body_size, now);
    return 1;
}

//  Something came from the producer: it is not silent. After a silence
//  the stream is asked where it ends before it counts as caught up again
//  (a heartbeat at our cursor alone would never say so).
static void
s_heard (cf_bus_subscriber_t *self, int64_t now)
{
    self->heard_at = now;
    if (!self->silent)
        return;
    self->silent = false;
    cf_log_info ("bus %s: the producer is heard again; catching up", self->stream);
    s_gap (self, now);
}

static void
s_check_timers (cf_bus_subscriber_t *self, int64_t now)
{
    if (!self->silent && !self->stopped && now - self->heard_at >= CF_BUS_SILENCE_LIMIT) {
        self->silent = true;
        self->caught_up = false;
        cf_log_warn ("bus %s: nothing heard from the producer for %" PRId64
                     " s (no heartbeat): not caught up until it is heard again",
                     self->stream, (now - self->heard_at) / 1000000);
    }
    if (self->state == CF_BUS_SUB_WAITING && now >= self->request_deadline) {
        s_complain (self, now, CF_BUS_ABOUT_RETRY, CF_LOG_INFO,
                    "replay request %s timed out; resending", self->request_id);
        s_send_replay (self, now);
    } else if (self->state == CF_BUS_SUB_RETRY && (now >= self->retry_at || self->unsent)) {
        //  An unsent request is tried on every call: a call means input,
        //  which often means the producer is back.
        self->stalled = false;
        s_send_replay (self, now);
    }
}

size_t
cf_bus_subscriber_process (cf_bus_subscriber_t *self, int64_t now, size_t max_messages)
{
    assert (self);
    size_t count = 0;
    //  Alternate between the sockets so neither starves the other; replies
    //  first, as they move the cursor that makes live events fit.
    //  Receiving without waiting instead of asking ZMQ_EVENTS first spares
    //  two system calls per message (libzmq polls its mailbox and checks
    //  getpid for every ZMQ_EVENTS; a recv does so once per hundred, and
    //  when it finds nothing). So a socket that had nothing is not asked
    //  again in this call: the DEALER, which is empty nearly always, would
    //  otherwise cost those two calls for every live event.
    void *dealer = zsock_resolve (self->dealer);
    void *sub = zsock_resolve (self->sub);
    uint64_t sends = self->sends;
    cf_frames_t msg;
    while (count < max_messages && (dealer || sub)) {
        if (dealer) {
            if (cf_frames_recv (&msg, dealer)) {
                s_heard (self, now);
                s_handle_reply (self, &msg, now);
                cf_frames_close (&msg);
                count++;
            } else {
                dealer = NULL;
                sends = self->sends;
            }
        }
        if (sub && count < max_messages) {
            if (cf_frames_recv (&msg, sub)) {
                s_heard (self, now);
                size_t events = s_handle_live (self, &msg, now);
                cf_frames_close (&msg);
                count += events > 1 ? events : 1;
            } else
                sub = NULL;
        }
    }
    //  Timers last: a reply that arrived just before its deadline counts.
    s_check_timers (self, now);
    //  A send after the DEALER was last found empty may have taken its
    //  wake-up (libzmq reads the socket's commands on send too): read it
    //  once more, so the last word on it is a receive.
    if (self->sends != sends && count < max_messages
        && cf_frames_recv (&msg, zsock_resolve (self->dealer))) {
        s_heard (self, now);
        s_handle_reply (self, &msg, now);
        cf_frames_close (&msg);
        count++;
    }
    return count;
}

int64_t
cf_bus_subscriber_deadline (cf_bus_subscriber_t *self)
{
    assert (self);
    if (self->state == CF_BUS_SUB_WAITING)
        return self->request_deadline;
    if (self->state == CF_BUS_SUB_RETRY)
        return self->retry_at;
    return INT64_MAX;
}

void
cf_bus_subscriber_reset (cf_bus_subscriber_t *self, uint64_t cursor, int64_t now)
{
    assert (self);
    self->generation++;
    //  The id known is the one at the old cursor; set_identity may give
    //  the new one's.
    if (cursor != self->cursor)
        self->last_id [0] = 0;
    self->cursor = cursor;
    if (self->head < cursor)
        self->head = cursor;
    self->caught_up = false;
    self->stalled = false;
    self->stopped = false;
    //  The cursor is checked again (cf_bus_subscriber_set_identity gives
    //  its identity; a reset to another seq keeps no id).
    self->verified = cursor == 0;
    self->verdict = CF_BUS_AGREES;
    self->divergence [0] = 0;
    //  Whatever was out is stale from now on: the new request has a new id.
    s_send_replay (self, now);
}
