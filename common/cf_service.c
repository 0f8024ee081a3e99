//  cf_service: the runtime every caseflow service runs on (see cf_service.h).
//
//  The loop's one rhythm is the drain: read what waits on every socket
//  (api requests, upstream events, replay replies) and decide and apply it
//  into the open batch, which records what it writes (cf_writer.h). At the
//  end of each round, and every 256 requests, the open batch goes to the
//  writer thread if that is free; the writer makes one transaction of it
//  and commits it, and only then does the loop send the batch's replies in
//  arrival order and publish its events. Meanwhile the loop decides the
//  next batch, which grows until the writer is free again: the slower the
//  disk, the more one fsync pays for. A drain reads a bounded number of messages per
//  socket per round and a bounded number of rounds, then lets the loop
//  breathe (timers, signals) with an idle handle keeping it from sleeping
//  while input is left.
//
//  When a batch cannot be stored (the map is full), its in-memory effects,
//  and those of the batch decided on top of it, are undone the only way
//  that cannot diverge from the journal: the state is rebuilt by replaying
//  the journal, the subscribers rewind to their stored cursors, and both
//  batches' command replies become UNAVAILABLE. A full store then refuses
//  commands until restarted with a larger map; queries and replay keep
//  working.
//
//  Requests on the api socket are handled in cf_service_api.c; the state
//  both files share is in cf_service_private.h.
#include "cf_service_private.h"

#include "cf_error.h"
#include "cf_event.h"
#include "cf_log.h"
#include "cf_memory.h"
#include "cf_journal_check.h"
#include "cf_rebuild.h"
#include "cf_replay.h"
#include "cf_ulid.h"

#include <assert.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define S_MESSAGES_PER_ROUND 2048   //  per socket, before the batch is handed over
#define S_ROUNDS_PER_DRAIN   8      //  before timers and signals get a turn
#define S_OPEN_BATCH_MAX     16384  //  input taken while the writer is busy
#define S_HAND_OVER_EVERY    256    //  requests between looks at the writer

static void
s_drain (cf_service_t *self);
static void
s_on_idle (uv_idle_t *handle);
static void
s_on_wake (uv_timer_t *handle);

//  ------------------------------------------------------------------ batch

static void
s_batch_flush (cf_service_t *self);

int
cf_service_batch_begin (cf_service_t *self)
{
    return self->store_full ? CF_ESTOREFULL : 0;
}

void
cf_service_queue_reply (cf_service_t *self, cf_service_reply_t *reply)
{
    cf_service_batch_t *batch = self->open;
    if (batch->reply_count == batch->reply_cap) {
        batch->reply_cap = batch->reply_cap ? batch->reply_cap * 2 : 64;
        batch->replies = realloc (batch->replies, batch->reply_cap * sizeof *batch->replies);
        assert (batch->replies);
    }
    batch->replies [batch->reply_count++] = *reply;
    batch->messages++;
}

int
cf_service_stored_reply (cf_service_t *self, const char *request_id, void **reply_p, size_t *size_p)
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
cf_service_store_reply (cf_service_t *self, const char *request_id, const void *reply, size_t size)
{
    cf_writes_reply (self->open->writes, request_id, reply, size, cf_clock_now (self->clock));
}

void
cf_service_store_meta (cf_service_t *self, const char *key, const void *value, size_t size)
{
    cf_writes_meta (self->open->writes, key, value, size);
}

int
cf_service_emit (cf_service_t *self, Caseflow__V1__Event *event)
{
    int rc = cf_service_batch_begin (self);
    if (rc)
        return rc;
    //  The envelope is stamped on the caller's struct for packing and
    //  applying, then the caller's own pointers are put back.
    Caseflow__V1__Event saved = *event;
    char id [CF_ULID_SIZE];
    int64_t now = cf_clock_now (self->clock);
    event->id = cf_ulid_new (id, now);
    event->stream = (char *) self->def->name;
    event->seq = self->last_seq + 1;
    if (!event->occurred_at)
        event->occurred_at = now;
    if (!*event->correlation_id && self->correlation_id)
        event->correlation_id = (char *) self->correlation_id;
    if (!*event->causation_id && self->causation_id)
        event->causation_id = (char *) self->causation_id;
    event->schema_version = 1;

    //  Encoded once, straight into the batch's writes: the same bytes are
    //  journaled by the writer and published after the commit.
    cf_service_batch_t *batch = self->open;
    size_t size = caseflow__v1__event__get_packed_size (event);
    uint8_t *data = cf_writes_produced (batch->writes, event->seq, size);
    caseflow__v1__event__pack (event, data);
    self->def->apply (self->state, event);
    self->events_applied++;
    cf_metric_add (self->m.events_applied, 1);
    self->last_seq = event->seq;
    self->emitted++;
    if (batch->publish_count == batch->publish_cap) {
        batch->publish_cap = batch->publish_cap ? batch->publish_cap * 2 : 256;
        batch->publishes =
            realloc (batch->publishes, batch->publish_cap * sizeof *batch->publishes);
        assert (batch->publishes);
    }
    batch->publishes [batch->publish_count++] =
        (cf_service_publish_t){ .body_case = event->body_case, .data = data, .size = size };
    //  Give the caller back its own envelope pointers.
    event->id = saved.id;
    event->stream = saved.stream;
    event->correlation_id = saved.correlation_id;
    event->causation_id = saved.causation_id;
    return 0;
}

//  Rebuilds the state from the journal: the one way to undo batches that
//  were not stored without the state ever disagreeing with what is.
static int
s_replay (cf_service_t *self);

static void
s_rewind (cf_service_t *self)
{
    self->def->state_destroy (&self->state);
    self->state = self->def->state_new (self);
    self->events_applied = 0;
    if (s_replay (self)) {
        cf_log_error ("rebuilding state after a failed commit failed: stopping");
        self->exit_code = 1;
        uv_stop (&self->loop);
        return;
    }
    int64_t now = cf_time_monotonic ();
    for (size_t i = 0; i < self->subscriber_count; i++) {
        uint64_t cursor = 0;
        cf_journal_cursor (self->journal, NULL, cf_bus_subscriber_stream (self->subscribers [i]),
                           &cursor);
        cf_bus_subscriber_reset (self->subscribers [i], cursor, now);
    }
}

//  Answers a replay request from committed events only.
static void
s_build_replay_reply (cf_service_t *self, cf_service_reply_t *pending)
{
    pending->data = cf_replay_reply (self->journal, self->def->name, self->committed_seq,
                                     pending->request_id, pending->from_seq, pending->max_events,
                                     pending->max_bytes, &pending->size);
}

static void
s_replace_with_unavailable (cf_service_reply_t *pending, const char *why)
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
s_batch_answer (cf_service_t *self, cf_service_batch_t *batch, bool stored)
{
    for (size_t i = 0; i < batch->reply_count; i++) {
        cf_service_reply_t *pending = &batch->replies [i];
        if (pending->replay)
            s_build_replay_reply (self, pending);
        //  [identity]([empty])[Reply] straight from our buffers: a zmsg
        //  would copy each frame into frames of its own first. A ROUTER
        //  never blocks on send (it drops for a peer at its high-water
        //  mark or gone), as zmsg_send did.
        if (self->api) {
            void *handle = zsock_resolve (self->api);
            zmq_send (handle, pending->identity, pending->identity_size, ZMQ_SNDMORE);
            if (pending->delimiter)
                zmq_send (handle, "", 0, ZMQ_SNDMORE);
            zmq_send (handle, pending->data, pending->size, 0);
        }
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
s_batch_refuse (cf_service_t *self, cf_service_batch_t *batch, int rc)
{
    const char *why = rc == CF_ESTOREFULL
                          ? "store full: writes refused until the service is restarted "
                            "with a larger --map-size"
                          : "store error: the command was not recorded";
    for (size_t i = 0; i < batch->reply_count; i++)
        if (!batch->replies [i].replay)
            s_replace_with_unavailable (&batch->replies [i], why);
    s_batch_answer (self, batch, false);
}

//  The writer is done with the batch it had (the callback of cf_writer):
//  stored, it is answered and published; not stored, it and the open batch
//  (decided on top of it) are refused and the state is rebuilt from what
//  is stored.
static void
s_on_written (void *ctx, cf_writes_t *writes, int rc)
{
    cf_service_t *self = ctx;
    cf_service_batch_t *batch = self->written;
    assert (batch && batch->writes == writes);
    self->written = NULL;
    //  The loop's reader moves on to what is stored now: the batch's replies
    //  are found there from here on, no longer in its writes.
    if (self->reader && cf_journal_reader_renew (self->journal, self->reader))
        self->reader = NULL;
    if (rc == 0) {
        if (cf_writes_count (writes))
            cf_metric_add (self->m.commits, 1);
        self->committed_seq = batch->last_seq;
        s_batch_answer (self, batch, true);
    } else {
        if (rc == CF_ESTOREFULL && !self->store_full) {
            self->store_full = true;
            cf_metric_set (self->m.store_full, 1);
            cf_log_error ("store full (--map-size %zu bytes): refusing commands until "
                          "restarted with a larger --map-size; queries keep working",
                          cf_journal_map_size (self->journal));
        }
        s_batch_refuse (self, batch, rc);
        s_batch_refuse (self, self->open, rc);
        s_rewind (self);
        if (rc != CF_ESTOREFULL) {
            cf_log_error ("commit failed (%s): stopping", cf_strerror (rc));
            self->exit_code = 1;
            uv_stop (&self->loop);
        }
    }
    //  What was decided meanwhile goes next; input held back while the
    //  open batch was full is read now.
    s_batch_flush (self);
    if (!self->stopping)
        s_drain (self);
}

//  Hands the open batch to the writer if the writer is free and the batch
//  holds anything; a batch that stores nothing (queries, repeated
//  commands) is answered at once.
static void
s_batch_flush (cf_service_t *self)
{
    //  The batch's decisions may have grown the state.
    cf_memory_advise ();
    cf_service_batch_t *batch = self->open;
    if (self->written)
        return;  //  s_on_written calls again
    batch->last_seq = self->last_seq;
    if (cf_writes_count (batch->writes) == 0) {
        if (batch->reply_count || batch->publish_count)
            s_batch_answer (self, batch, true);
        return;
    }
    self->written = batch;
    self->open = batch == &self->batches [0] ? &self->batches [1] : &self->batches [0];
    cf_writer_submit (self->writer, batch->writes);
}

//  Stores, answers and publishes everything decided so far, waiting for
//  the writer (at a stop).
static void
s_batch_finish_all (cf_service_t *self)
{
    while (self->writer
           && (self->written || cf_writes_count (self->open->writes) || self->open->reply_count)) {
        if (self->written)
            cf_writer_wait (self->writer);
        else
            s_batch_flush (self);
    }
}

//  ------------------------------------------------------------- decisions

void
cf_service_set_context (cf_service_t *self, const char *request_id, const char *correlation_id,
                        const char *causation_id)
{
    self->request_id = request_id;
    self->correlation_id = correlation_id;
    self->causation_id = causation_id;
    self->emitted = 0;
}

void
cf_service_call_on_clock (cf_service_t *self)
{
    self->wake_at = INT64_MAX;
    if (self->def->on_clock && !self->store_full)
        self->def->on_clock (self->state, self, cf_clock_now (self->clock));
}

//  An upstream event, in order: journal it with the cursor, apply it, and
//  let the service react.
static int
s_deliver (void *ctx, cf_bus_subscriber_t *subscriber, const Caseflow__V1__Event *event,
           const void *data, size_t size)
{
    cf_service_t *self = ctx;
    if (self->store_full || self->stopping || cf_service_batch_begin (self))
        return CF_EUNAVAILABLE;
    cf_writes_consumed (self->open->writes, cf_bus_subscriber_stream (subscriber), event->seq, data,
                        size);
    self->open->messages++;
    self->def->apply (self->state, event);
    self->events_applied++;
    cf_metric_add (self->m.events_applied, 1);
    if (self->def->handle_upstream) {
        cf_service_set_context (
            self, NULL, *event->correlation_id ? event->correlation_id : event->id, event->id);
        self->def->handle_upstream (self->state, self, event);
        cf_service_set_context (self, NULL, NULL, NULL);
    }
    return 0;
}

//  ------------------------------------------------------------------ loop

static void
s_update_readiness (cf_service_t *self)
{
    bool ready = self->replayed && !self->stopping;
    for (size_t i = 0; ready && i < self->subscriber_count; i++)
        ready = cf_bus_subscriber_caught_up (self->subscribers [i]);
    atomic_store (&self->ready, ready);
}

static void
s_drain (cf_service_t *self)
{
    if (self->draining)
        return;
    self->draining = true;
    //  Input is left when the last round still found some: every socket
    //  was read until it had nothing only in a round that handled nothing.
    bool input_left = false;
    for (int round = 0; round < S_ROUNDS_PER_DRAIN; round++) {
        //  While the writer is busy the open batch grows (that is the group
        //  commit); past a bound, input waits in the sockets until the
        //  writer is done (s_on_written drains again).
        if (self->written && self->open->messages >= S_OPEN_BATCH_MAX)
            break;
        size_t handled = 0;
        //  Receive until nothing is left rather than asking ZMQ_EVENTS
        //  before each message: every ZMQ_EVENTS costs libzmq a poll() and
        //  a getpid() system call, a recv only every hundredth message and
        //  at the end (what ends the edge-triggered wake-up the same way).
        //  The frames stay in libzmq's messages: no zmsg, no copies.
        while (!self->stopping && handled < S_MESSAGES_PER_ROUND && self->api) {
            cf_frames_t msg;
            if (!cf_frames_recv (&msg, zsock_resolve (self->api)))
                break;
            cf_service_handle_api_message (self, &msg);
            cf_frames_close (&msg);
            handled++;
            //  A writer that is done gets the next batch now rather than
            //  when the round is over: otherwise a long round decides one
            //  big batch while the writer idles, then a small one, and
            //  clients that wait for their answers wait longer.
            if (handled % S_HAND_OVER_EVERY == 0) {
                if (self->written)
                    cf_writer_poll (self->writer);
                if (!self->written)
                    s_batch_flush (self);
            }
        }
        //  Processing a subscriber receives until its sockets have nothing
        //  (which costs what asking ZMQ_EVENTS would) and runs its timers.
        int64_t now = cf_time_monotonic ();
        for (size_t i = 0; i < self->subscriber_count && !self->stopping; i++)
            handled += cf_bus_subscriber_process (self->subscribers [i], now, S_MESSAGES_PER_ROUND);
        s_batch_flush (self);
        input_left = handled > 0;
        if (!input_left)
            break;
    }
    if (input_left)
        uv_idle_start (&self->idle, s_on_idle);
    else
        uv_idle_stop (&self->idle);
    s_update_readiness (self);
    self->draining = false;
}

static void
s_on_socket (void *ctx)
{
    s_drain ((cf_service_t *) ctx);
}

static void
s_on_idle (uv_idle_t *handle)
{
    s_drain (handle->data);
}

static void
s_on_prepare (uv_prepare_t *handle)
{
    s_drain (handle->data);
}

static void
s_schedule_wake (cf_service_t *self)
{
    if (self->wake_at == INT64_MAX || cf_clock_is_manual (self->clock)) {
        uv_timer_stop (&self->wake);
        return;
    }
    int64_t delay_us = self->wake_at - cf_clock_now (self->clock);
    uint64_t delay_ms = delay_us > 0 ? (uint64_t) ((delay_us + 999) / 1000) : 0;
    uv_timer_start (&self->wake, s_on_wake, delay_ms, 0);
}

static void
s_on_wake (uv_timer_t *handle)
{
    cf_service_t *self = handle->data;
    cf_service_set_context (self, NULL, NULL, NULL);
    cf_service_call_on_clock (self);
    s_batch_flush (self);
    s_schedule_wake (self);
    s_drain (self);
}

static void
s_on_tick (uv_timer_t *handle)
{
    s_drain (handle->data);
}

static void
s_on_heartbeat (uv_timer_t *handle)
{
    cf_service_t *self = handle->data;
    int64_t now = cf_clock_now (self->clock);
    cf_bus_publisher_heartbeat (self->publisher, self->committed_seq, now);
    cf_metric_set (self->m.journal_events, (double) cf_journal_entries (self->journal));
    cf_metric_set (self->m.journal_bytes, (double) cf_journal_bytes (self->journal));
    cf_metric_set (self->m.last_seq, (double) self->committed_seq);
    for (size_t i = 0; i < self->subscriber_count; i++) {
        uint64_t head = cf_bus_subscriber_head (self->subscribers [i]);
        uint64_t cursor = cf_bus_subscriber_cursor (self->subscribers [i]);
        cf_metric_set (self->m.upstream_lag [i], head > cursor ? (double) (head - cursor) : 0);
    }
    //  Stored replies are kept for --request-ttl; a few are dropped per
    //  second so expiry never makes a long transaction.
    if (!self->store_full && cf_service_batch_begin (self) == 0) {
        int64_t ttl = cf_config_int (self->config, "request-ttl");
        cf_writes_expire (self->open->writes, now - ttl, 1000);
    }
    s_batch_flush (self);
    s_drain (self);
}

static void
s_on_signal (uv_signal_t *handle, int signum)
{
    cf_service_t *self = handle->data;
    cf_log_info ("received %s: stopping", signum == SIGTERM ? "SIGTERM" : "SIGINT");
    //  Every batch is finished before the loop gets here, so nothing is in
    //  hand: stop taking commands and leave the loop.
    self->stopping = true;
    atomic_store (&self->ready, false);
    uv_stop (&self->loop);
}

//  --------------------------------------------------------------- start-up

//  Applies one event while the state is rebuilt (cf_rebuild decodes the
//  journal on a second thread meanwhile).
static void
s_replay_entry (void *ctx, uint64_t position, const Caseflow__V1__Event *event)
{
    (void) position;
    cf_service_t *self = ctx;
    self->def->apply (self->state, event);
    self->events_applied++;
}

static int
s_replay (cf_service_t *self)
{
    int64_t started = cf_time_monotonic ();
    int rc = cf_rebuild (self->journal, s_replay_entry, self);
    if (rc == CF_ECORRUPT)
        //  cf_journal logged the damaged position; say what follows.
        cf_log_error ("refusing to start: the journal in %s is damaged (position in the line "
                      "above); caseflow-%s --verify --data-dir=%s checks the whole store",
                      cf_config_string (self->config, "data-dir"), self->def->name,
                      cf_config_string (self->config, "data-dir"));
    if (rc)
        return rc;
    cf_metric_add (self->m.events_applied, self->events_applied);
    self->last_seq = self->committed_seq = cf_journal_last_seq (self->journal, NULL);
    double seconds = (double) (cf_time_monotonic () - started) / 1e6;
    cf_metric_set (self->m.replay_seconds, seconds);
    cf_log_info ("replayed %llu events in %.3f s; own stream at seq %llu",
                 (unsigned long long) self->events_applied, seconds,
                 (unsigned long long) self->last_seq);
    return 0;
}

static cf_clock_t *
s_clock_new (cf_service_t *self)
{
    if (strcmp (cf_config_string (self->config, "clock"), "manual") != 0)
        return cf_clock_new_system ();
    int64_t start = cf_time_system_now ();
    const char *configured = cf_config_string (self->config, "clock-start");
    if (*configured && cf_time_parse (configured, &start)) {
        fprintf (stderr,
                 "caseflow-%s: --clock-start (CASEFLOW_CLOCK_START): \"%s\" is not "
                 "an ISO 8601 time\n",
                 self->def->name, configured);
        return NULL;
    }
    void *stored = NULL;
    size_t size = 0;
    if (cf_journal_meta_get (self->journal, NULL, "clock", &stored, &size) == 0) {
        long long at = strtoll (stored, NULL, 10);
        if (at > start)
            start = at;
    }
    free (stored);
    return cf_clock_new_manual (start);
}

static int
s_watch (cf_service_t *self, zsock_t *socket)
{
    cf_zwatch_t *watch = cf_zwatch_new (&self->loop, socket, s_on_socket, self);
    if (!watch)
        return CF_EIO;
    self->watches = realloc (self->watches, (self->watch_count + 1) * sizeof *self->watches);
    assert (self->watches);
    self->watches [self->watch_count++] = watch;
    return 0;
}

static int
s_open_sockets (cf_service_t *self)
{
    const char *api = cf_config_string (self->config, "api-bind");
    self->api = zsock_new (ZMQ_ROUTER);
    assert (self->api);
    zsock_set_linger (self->api, 1000);
    zsock_set_rcvhwm (self->api, 100000);
    zsock_set_sndhwm (self->api, 100000);
    zsock_set_maxmsgsize (self->api, CF_API_MAX_MESSAGE);
    //  The authenticator must be up before anything binds: a CURVE server
    //  with no ZAP handler in the process would admit every key.
    if (self->keys) {
        if (cf_keys_start_auth (self->keys))
            return CF_EIO;
        cf_keys_set_server (self->keys, self->api);
    }
    if (zsock_bind (self->api, "%s", api) < 0) {
        cf_log_error ("zsock_bind api %s: %s", api, zmq_strerror (zmq_errno ()));
        return CF_EIO;
    }
    self->publisher = cf_bus_publisher_new_secure (
        cf_config_string (self->config, "events-bind"), self->def->name,
        (int) cf_config_int (self->config, "pub-hwm"), self->keys);
    if (!self->publisher)
        return CF_EIO;
    if (s_watch (self, self->api))
        return CF_EIO;
    for (size_t i = 0; self->def->upstreams && self->def->upstreams [i]; i++) {
        const char *stream = self->def->upstreams [i];
        char name [96];
        snprintf (name, sizeof name, "%s-events", stream);
        const char *events = cf_config_string (self->config, name);
        snprintf (name, sizeof name, "%s-api", stream);
        const char *api_endpoint = cf_config_string (self->config, name);
        uint64_t cursor = 0;
        if (cf_journal_cursor (self->journal, NULL, stream, &cursor))
            return CF_ESTORE;
        cf_bus_subscriber_t *sub = cf_bus_subscriber_new_secure (
            stream, events, api_endpoint, cursor, s_deliver, self, self->keys);
        if (!sub)
            return CF_EIO;
        self->subscribers =
            realloc (self->subscribers, (self->subscriber_count + 1) * sizeof *self->subscribers);
        assert (self->subscribers);
        self->subscribers [self->subscriber_count++] = sub;
        if (s_watch (self, cf_bus_subscriber_events_socket (sub))
            || s_watch (self, cf_bus_subscriber_api_socket (sub)))
            return CF_EIO;
    }
    cf_log_info ("serving: api %s, events %s, http %s; %s", api,
                 cf_bus_publisher_endpoint (self->publisher),
                 cf_config_string (self->config, "http-bind"),
                 self->keys ? "CURVE with the keys of --keys-dir" : "plaintext (no --keys-dir)");
    return 0;
}

static void
s_close_handle (uv_handle_t *handle, void *arg)
{
    (void) arg;
    if (!uv_is_closing (handle))
        uv_close (handle, NULL);
}

static void
s_destroy (cf_service_t *self)
{
    for (size_t i = 0; i < self->watch_count; i++)
        cf_zwatch_destroy (&self->watches [i]);
    //  Idle by now (everything decided was finished); its handle closes
    //  with the others.
    cf_writer_destroy (&self->writer);
    uv_walk (&self->loop, s_close_handle, NULL);
    uv_run (&self->loop, UV_RUN_DEFAULT);
    uv_loop_close (&self->loop);
    free (self->watches);
    for (size_t i = 0; i < self->subscriber_count; i++)
        cf_bus_subscriber_destroy (&self->subscribers [i]);
    free (self->subscribers);
    zsock_destroy (&self->api);
    cf_bus_publisher_destroy (&self->publisher);
    cf_keys_destroy (&self->keys);
    cf_http_destroy (&self->http);
    if (self->state)
        self->def->state_destroy (&self->state);
    for (size_t b = 0; b < 2; b++) {
        cf_service_batch_t *batch = &self->batches [b];
        for (size_t i = 0; i < batch->reply_count; i++)
            free (batch->replies [i].data);
        free (batch->replies);
        free (batch->publishes);
        cf_writes_destroy (&batch->writes);
    }
    cf_arena_destroy (&self->request_arena);
    if (self->journal)
        cf_journal_reader_end (self->journal, self->reader);
    cf_journal_destroy (&self->journal);
    cf_clock_destroy (&self->clock);
    free (self->m.upstream_lag);
    cf_metrics_destroy (&self->metrics);
    cf_config_destroy (&self->config);
}

static void
s_init_handles (cf_service_t *self)
{
    uv_signal_init (&self->loop, &self->sigterm);
    uv_signal_init (&self->loop, &self->sigint);
    uv_timer_init (&self->loop, &self->heartbeat);
    uv_timer_init (&self->loop, &self->tick);
    uv_timer_init (&self->loop, &self->wake);
    uv_idle_init (&self->loop, &self->idle);
    uv_prepare_init (&self->loop, &self->prepare);
    self->sigterm.data = self->sigint.data = self->heartbeat.data = self->tick.data = self;
    self->wake.data = self->idle.data = self->prepare.data = self;
}

static void
s_on_started (uv_timer_t *handle)
{
    //  Reminders that fell due while the service was down fire now.
    s_on_wake (handle);
}

int
cf_service_main (const cf_service_def_t *def, int argc, char **argv)
{
    //  libuv owns the signals; czmq must not install its own handler.
    zsys_handler_set (NULL);
    signal (SIGPIPE, SIG_IGN);
    cf_time_init ();
    cf_service_t service = { .def = def, .wake_at = INT64_MAX, .exit_code = 0 };
    cf_service_t *self = &service;
    self->config = cf_service_config_new (def);
    int rc = cf_config_parse (self->config, argc, argv, stdout, stderr);
    if (rc) {
        cf_config_destroy (&self->config);
        return rc == CF_EHELP ? 0 : 2;
    }
    cf_log_level_t level = CF_LOG_INFO;
    cf_log_level_parse (cf_config_string (self->config, "log-level"), &level);
    cf_log_init (def->name, level);
    const char *keys_dir = cf_config_string (self->config, "keys-dir");
    if (*keys_dir && !cf_config_bool (self->config, "verify")
        && !(self->keys = cf_keys_load (keys_dir, def->name, NULL))) {
        //  cf_keys logged which file; the flag is what to fix.
        fprintf (stderr,
                 "caseflow-%s: --keys-dir (CASEFLOW_KEYS_DIR): no usable key pair "
                 "%s/secret/%s.cert_secret\n",
                 def->name, keys_dir, def->name);
        cf_config_destroy (&self->config);
        return 2;
    }
    if (cf_config_bool (self->config, "verify")) {
        //  Offline: no sockets, no replay, nothing written.
        int code =
            cf_journal_check_store (cf_config_string (self->config, "data-dir"), def->name, stdout)
                ? 1
                : 0;
        cf_config_destroy (&self->config);
        return code;
    }
    //  Huge pages for the state, which grows from here on (cf_memory.h).
    cf_memory_init ();
    uv_loop_init (&self->loop);
    s_init_handles (self);
    self->metrics = cf_metrics_new (def->name);
    cf_service_metrics_register (&self->m, self->metrics, def);

    //  HTTP first, so /healthz answers (and /readyz says 503) during replay.
    self->http =
        cf_http_new (cf_config_string (self->config, "http-bind"), self->metrics, &self->ready);
    const char *data_dir = cf_config_string (self->config, "data-dir");
    if (self->http) {
        self->journal = cf_journal_open (data_dir, def->name,
                                         (size_t) cf_config_int (self->config, "map-size"), &rc);
        if (!self->journal)
            cf_log_error ("cannot open the store in %s: %s", data_dir, cf_strerror (rc));
    }
    for (size_t b = 0; b < 2; b++)
        self->batches [b].writes = cf_writes_new ();
    self->open = &self->batches [0];
    if (self->journal) {
        self->clock = s_clock_new (self);
        self->state = self->clock ? def->state_new (self) : NULL;
    }
    if (!self->state || s_replay (self) || s_open_sockets (self)) {
        s_destroy (self);
        return self->clock || !self->journal ? 1 : 2;
    }
    self->replayed = true;
    //  From here on the writer thread alone writes the store.
    self->writer = cf_writer_new (self->journal, &self->loop, s_on_written, self);
    cf_log_info ("started: %s clock at %lld",
                 cf_clock_is_manual (self->clock) ? "manual" : "system",
                 (long long) cf_clock_now (self->clock));

    uv_signal_start (&self->sigterm, s_on_signal, SIGTERM);
    uv_signal_start (&self->sigint, s_on_signal, SIGINT);
    uv_timer_start (&self->heartbeat, s_on_heartbeat, 0, 1000);
    uv_timer_start (&self->tick, s_on_tick, 100, 100);
    uv_timer_start (&self->wake, s_on_started, 0, 0);
    uv_prepare_start (&self->prepare, s_on_prepare);
    uv_run (&self->loop, UV_RUN_DEFAULT);

    //  Whatever was decided before the signal is committed and answered;
    //  nothing new is taken in.
    self->stopping = true;
    s_batch_finish_all (self);
    int exit_code = self->exit_code;
    cf_log_info ("stopped: own stream at seq %llu", (unsigned long long) self->committed_seq);
    s_destroy (self);
    return exit_code;
}

//  ------------------------------------------------------------- accessors

cf_config_t *
cf_service_config (cf_service_t *self)
{
    return self->config;
}

cf_metrics_t *
cf_service_metrics (cf_service_t *self)
{
    return self->metrics;
}

int64_t
cf_service_now (cf_service_t *self)
{
    return cf_clock_now (self->clock);
}

void
cf_service_wake_at (cf_service_t *self, int64_t at)
{
    if (at < self->wake_at)
        self->wake_at = at;
    s_schedule_wake (self);
}

const char *
cf_service_name (cf_service_t *self)
{
    return self->def->name;
}

const char *
cf_service_request_id (cf_service_t *self)
{
    return self->request_id;
}
