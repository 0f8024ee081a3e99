//  cf_service: the runtime every caseflow service runs on (see cf_service.h).
//
//  The loop's one rhythm is the drain: read what waits on every socket
//  (api requests, upstream events, replay replies) and decide and apply it
//  into the open batch of group commit (cf_commit), which stores it on the
//  writer thread and only then answers and publishes it. A drain reads a
//  bounded number of messages per socket per round and a bounded number of
//  rounds, then lets the loop breathe (timers, signals) with an idle handle
//  keeping it from sleeping while input is left.
//
//  The runtime is the top of common/: it calls down into the modules that
//  do the work and none of them calls back into it but through the hooks
//  it hands them. cf_api_server takes requests off the api socket and asks
//  the runtime what a command or query means (s_decide_command here: the
//  runtime's own clock commands, then the service's handler;
//  cf_service_query.c for queries: status, digest, clock and the access
//  log, then the service's handler); cf_commit stores, answers
//  and publishes, and says when a batch could not be stored, which this
//  file undoes the only way that cannot diverge from the journal: the state
//  is rebuilt from it (cf_service_store.c, which also opens the store at
//  start and closes everything at stop) and the subscribers rewind to
//  their stored cursors. cf_upstreams follows the upstream streams;
//  cf_service_clock decides the clock at start; cf_service_setup holds the
//  tables (configuration, metrics).
//
//  Every event carries who made it happen (Event.actor, on_behalf_of): the
//  caller of the command that decided it (its key's name, "local" without
//  keys, and the person a proxy named), or, for what the service decided
//  on its own (a reaction to an upstream event, a timer falling due), the
//  service's name. The runtime stamps it, so no service's decisions know.
#include "cf_service_private.h"

#include "cf_bus_subscriber.h"
#include "cf_error.h"
#include "cf_journal_check.h"
#include "cf_log.h"
#include "cf_memory.h"
#include "cf_service_clock.h"
#include "cf_ulid.h"

#include <assert.h>
#include <czmq.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#define S_MESSAGES_PER_ROUND 2048       //  per socket, before the batch is handed over
#define S_ROUNDS_PER_DRAIN   8          //  before timers and signals get a turn
#define S_DONE               (-1)       //  s_start: finished without running (--help, --verify OK)
#define S_ROOM_TO_RESUME     (1 << 20)  //  free bytes on a full disk before writes resume

static void
s_drain (cf_service_t *self);
static void
s_on_idle (uv_idle_t *handle);
static void
s_on_wake (uv_timer_t *handle);
static void
s_schedule_wake (cf_service_t *self);

//  --------------------------------------------------------------- deciding

//  Sets what the next emitted events answer to (borrowed until reset with
//  NULLs) and clears the count of events emitted. They are the service's
//  own doing until s_set_actor says whose they are.
static void
s_set_context (cf_service_t *self, const char *correlation_id, const char *causation_id)
{
    self->correlation_id = correlation_id;
    self->causation_id = causation_id;
    self->actor = NULL;
    self->on_behalf_of = NULL;
    self->emitted = 0;
}

//  The next emitted events are `caller`'s doing (NULL: the service's).
static void
s_set_actor (cf_service_t *self, const cf_api_caller_t *caller)
{
    self->actor = caller ? caller->actor : NULL;
    self->on_behalf_of = caller ? caller->on_behalf_of : NULL;
}

//  The manual clock's reading goes to the store with the open batch, so
//  it survives a restart.
static void
s_store_reading (cf_service_t *self)
{
    char text [24];
    size_t size = cf_service_clock_text (cf_clock_now (self->clock), text, sizeof text);
    cf_commit_store_meta (self->commit, CF_SERVICE_CLOCK_READING, text, size);
}

int
cf_service_emit (cf_service_t *self, Caseflow__V1__Event *event)
{
    if (cf_commit_store_full (self->commit))
        return CF_ESTOREFULL;
    //  The first event stamped by a provisional manual clock keeps its
    //  reading: from here on the clock moves only forward.
    if (cf_clock_is_provisional (self->clock)) {
        cf_clock_fix (self->clock);
        s_store_reading (self);
    }
    //  The envelope is stamped on the caller's struct for packing and
    //  applying, then the caller's own pointers are put back.
    Caseflow__V1__Event saved = *event;
    char id [CF_ULID_SIZE];
    int64_t now = cf_clock_now (self->clock);
    event->id = cf_ulid_new (id, now);
    event->stream = (char *) cf_streams_own (self->streams);
    event->seq = cf_commit_last_seq (self->commit) + 1;
    if (!event->occurred_at)
        event->occurred_at = now;
    if (!*event->correlation_id && self->correlation_id)
        event->correlation_id = (char *) self->correlation_id;
    if (!*event->causation_id && self->causation_id)
        event->causation_id = (char *) self->causation_id;
    if (!*event->actor)
        event->actor = (char *) (self->actor ? self->actor : cf_streams_own (self->streams));
    if (!*event->on_behalf_of && self->on_behalf_of)
        event->on_behalf_of = (char *) self->on_behalf_of;
    event->schema_version = 1;

    //  Encoded once, straight into the batch: the same bytes are journaled
    //  by the writer and published after the commit.
    size_t size = caseflow__v1__event__get_packed_size (event);
    uint8_t *data = cf_commit_produce (self->commit, event->body_case, size);
    caseflow__v1__event__pack (event, data);
    cf_service_apply (self, event, data, size);
    cf_metric_add (self->m.events_applied, 1);
    self->emitted++;
    //  Give the caller back its own envelope pointers.
    event->id = saved.id;
    event->stream = saved.stream;
    event->correlation_id = saved.correlation_id;
    event->causation_id = saved.causation_id;
    event->actor = saved.actor;
    event->on_behalf_of = saved.on_behalf_of;
    return 0;
}

void
cf_service_note (cf_service_t *self, const char *line)
{
    cf_commit_note (self->commit, line);
}

//  Clears the wake-up asked for and lets the service emit what is due now.
static void
s_call_on_clock (cf_service_t *self)
{
    self->wake_at = INT64_MAX;
    if (self->def->on_clock && !cf_commit_store_full (self->commit))
        self->def->on_clock (self->state, self, cf_clock_now (self->clock));
}

//  A new command (cf_api_server's handler): the runtime's clock commands,
//  or the service's. What it emits is the caller's doing.
static void
s_decide_command (void *ctx, const Caseflow__V1__Request *request, const cf_api_caller_t *caller,
                  Caseflow__V1__Reply *reply)
{
    cf_service_t *self = ctx;
    s_set_context (self, request->request_id, request->request_id);
    s_set_actor (self, caller);
    const Caseflow__V1__Command *command = request->command;
    if (cf_service_stream_command (self, command, caller, reply))
        ;
    else if (command->body_case == CASEFLOW__V1__COMMAND__BODY_CLOCK_SET
             || command->body_case == CASEFLOW__V1__COMMAND__BODY_CLOCK_ADVANCE) {
        if (cf_service_clock_command (self->clock, command, reply)) {
            s_store_reading (self);
            //  Timers that fall due are the service's doing, whoever moved
            //  the clock.
            s_set_actor (self, NULL);
            s_call_on_clock (self);
            Caseflow__V1__CommandResult *result = cf_api_reply_command (reply);
            result->body_case = CASEFLOW__V1__COMMAND_RESULT__BODY_CLOCK;
            result->clock = cf_service_clock_state (self->clock);
        }
    } else if (self->def->handle_command) {
        self->caller = caller;
        self->def->handle_command (self->state, self, command, reply);
        self->caller = NULL;
    } else
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "command",
                             "this service has no such command");
    Caseflow__V1__Status__Code code = cf_api_reply_code (reply);
    //  Decide, then emit: a refusal after emitting would leave applied
    //  events behind a failed command.
    assert (code == CASEFLOW__V1__STATUS__CODE__OK || self->emitted == 0);
    if (code == CASEFLOW__V1__STATUS__CODE__OK && self->emitted)
        cf_api_reply_command (reply)->last_seq = cf_commit_last_seq (self->commit);
    s_set_context (self, NULL, NULL);
}

//  An upstream event, in order: journal it with the cursor, apply it, and
//  let the service react.
static int
s_deliver (void *ctx, cf_bus_subscriber_t *subscriber, const Caseflow__V1__Event *event,
           const void *data, size_t size)
{
    cf_service_t *self = ctx;
    if (self->stopping || cf_commit_store_full (self->commit))
        return CF_EUNAVAILABLE;
    if (self->def->upstream_ready && !self->def->upstream_ready (self->state, self, event))
        return CF_EUNAVAILABLE;
    //  A cursor that adopted its producer's epoch keeps it with the
    //  first event it applies under it (the same transaction).
    uint64_t epoch;
    if (cf_bus_subscriber_epoch_to_store (subscriber, &epoch))
        cf_service_store_cursor_epoch (self, cf_bus_subscriber_stream (subscriber), epoch);
    cf_commit_consume (self->commit, cf_bus_subscriber_stream (subscriber), event->seq, data, size);
    cf_service_apply (self, event, data, size);
    cf_metric_add (self->m.events_applied, 1);
    if (self->def->handle_upstream) {
        s_set_context (self, *event->correlation_id ? event->correlation_id : event->id, event->id);
        self->def->handle_upstream (self->state, self, event);
        s_set_context (self, NULL, NULL);
    }
    return 0;
}

//  ------------------------------------------------------------- committing

//  A batch was not stored (cf_commit's `failed` hook): the state, which
//  holds its effects and those of the batch decided on top of it, is
//  rebuilt from what is stored, and the subscribers rewind to their stored
//  cursors. Anything but a full map stops the service.
static void
s_on_commit_failed (void *ctx, int rc)
{
    cf_service_t *self = ctx;
    //  The key store lets go of the refused batches' writes first.
    if (self->keystore)
        (void) cf_keystore_commit (self->keystore);
    self->def->state_destroy (&self->state);
    self->state = self->def->state_new (self);
    self->events_applied = 0;
    if (!self->state || cf_service_rebuild (self)) {
        cf_log_error ("rebuilding state after a failed commit failed: stopping");
        self->exit_code = 1;
        uv_stop (&self->loop);
        return;
    }
    //  What the runtime kept beside the old state (an erasure waiting for
    //  its batch, a key waiting to be adopted) went with it: the key check
    //  derives it again from the rebuilt state, as at start.
    if (self->def->check_keys)
        cf_service_set_unready (self, self->def->check_keys (self->state, self));
    cf_upstreams_rewind (self->upstreams, self->journal, cf_time_monotonic ());
    cf_service_http_failed (self);
    if (rc != CF_ESTOREFULL && rc != CF_ENOSPACE) {
        cf_log_error ("commit failed (%s): stopping", cf_strerror (rc));
        self->exit_code = 1;
        uv_stop (&self->loop);
    }
}

//  The open batch goes to the writer if that is free.
static void
s_flush (cf_service_t *self)
{
    //  The batch's decisions may have grown the state.
    cf_memory_advise ();
    cf_commit_flush (self->commit);
}

//  A batch is finished (cf_commit's `done` hook): input held back while
//  the open batch was full is read now.
static void
s_on_commit_done (void *ctx)
{
    cf_service_t *self = ctx;
    cf_service_http_committed (self);
    if (self->def->after_commit && self->state)
        self->def->after_commit (self->state, self);
    cf_service_watch_keystore (self);
    if (!self->stopping)
        s_drain (self);
}

//  A batch goes to the writer (cf_commit's `before_submit` hook) with the
//  key store's writes it depends on, which the writer thread makes durable
//  before the batch's journal commit (the `store_first` hook).
static int
s_on_commit_submit (void *ctx)
{
    cf_keystore_t *keystore = ((cf_service_t *) ctx)->keystore;
    return keystore ? cf_keystore_stage (keystore) : 0;
}

static int
s_on_commit_store_first (void *ctx)
{
    cf_keystore_t *keystore = ((cf_service_t *) ctx)->keystore;
    return keystore ? cf_keystore_store_staged (keystore) : 0;
}

//  ------------------------------------------------------------------ loop

static void
s_update_readiness (cf_service_t *self)
{
    cf_service_show_divergence (self);
    atomic_store (&self->ready, self->rebuilt && !self->stopping && !self->unready_reason
                                    && cf_upstreams_caught_up (self->upstreams));
    //  /readyz names a diverged upstream, else a producer nobody hears (a
    //  partition, a producer down), unless the service has a reason of its
    //  own, which goes first.
    if (!self->unready_reason && self->upstreams)
        cf_http_set_unready_reason (self->http, self->diverged [0]
                                                    ? self->diverged
                                                    : cf_upstreams_silent (self->upstreams));
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
        //  writer is done (s_on_commit_done drains again).
        if (cf_commit_open_full (self->commit))
            break;
        size_t handled =
            self->stopping ? 0 : cf_api_server_drain (self->server, S_MESSAGES_PER_ROUND);
        handled += self->stopping ? 0 : cf_service_http_drain (self, S_MESSAGES_PER_ROUND);
        //  Processing a subscriber receives until its sockets have nothing
        //  (which costs what asking ZMQ_EVENTS would) and runs its timers.
        if (!self->stopping)
            handled +=
                cf_upstreams_process (self->upstreams, cf_time_monotonic (), S_MESSAGES_PER_ROUND);
        s_flush (self);
        input_left = handled > 0;
        if (!input_left)
            break;
    }
    if (input_left)
        uv_idle_start (&self->idle, s_on_idle);
    else {
        uv_idle_stop (&self->idle);
        //  After a burst of refused requests, memory goes back now.
        if (self->server)
            cf_api_server_idle (self->server);
    }
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
    s_set_context (self, NULL, NULL);
    s_call_on_clock (self);
    s_flush (self);
    s_schedule_wake (self);
    s_drain (self);
}

static void
s_on_tick (uv_timer_t *handle)
{
    s_drain (handle->data);
}

static void
s_tell_divergence (void *state, cf_service_t *self, void *arg)
{
    cf_bus_subscriber_t *sub = arg;
    self->def->on_diverged (state, self, cf_bus_subscriber_stream (sub),
                            cf_bus_subscriber_cursor (sub));
}

static void
s_on_heartbeat (uv_timer_t *handle)
{
    cf_service_t *self = handle->data;
    int64_t now = cf_clock_now (self->clock);
    uint64_t committed = cf_commit_committed_seq (self->commit);
    cf_bus_publisher_heartbeat (self->publisher, committed, now);
    cf_metric_set (self->m.journal_events, (double) cf_journal_entries (self->journal));
    cf_metric_set (self->m.journal_bytes, (double) cf_journal_bytes (self->journal));
    cf_metric_set (self->m.last_seq, (double) committed);
    cf_upstreams_measure (self->upstreams, self->m.upstream_lag, self->m.upstream_diverged);
    cf_bus_subscriber_t *diverged;
    while ((diverged = cf_service_next_divergence (self)) && self->def->on_diverged)
        cf_service_decide (self, s_tell_divergence, diverged);
    cf_service_watch_keystore (self);
    //  A store full for want of disk space takes writes again once there
    //  is room, on the journal's disk and the key store's (either may
    //  have been the full one); what fell due meanwhile fires then.
    bool keys_room = !self->keystore || !cf_commit_store_full (self->commit)
                     || cf_keystore_probe_room (self->keystore, S_ROOM_TO_RESUME) == 0;
    if (keys_room && cf_commit_resume (self->commit, S_ROOM_TO_RESUME)) {
        s_set_context (self, NULL, NULL);
        s_call_on_clock (self);
        s_schedule_wake (self);
    }
    //  Stored replies are kept for --request-ttl; a few are dropped per
    //  second so expiry never makes a long transaction.
    if (!cf_commit_store_full (self->commit)) {
        int64_t ttl = cf_config_int (self->config, "request-ttl");
        cf_commit_expire (self->commit, now - ttl, 1000);
    }
    s_flush (self);
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
    cf_api_server_stop (self->server);
    atomic_store (&self->ready, false);
    uv_stop (&self->loop);
}

//  --------------------------------------------------------------- start-up

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
        cf_config_string (self->config, "events-bind"), cf_streams_own (self->streams),
        (int) cf_config_int (self->config, "pub-hwm"), self->keys);
    if (!self->publisher)
        return CF_EIO;
    cf_bus_publisher_set_epoch (self->publisher, cf_journal_epoch (self->journal));
    if (s_watch (self, self->api))
        return CF_EIO;
    if (cf_upstreams_new (cf_streams_followed (self->streams), self->config, self->journal,
                          self->keys, s_deliver, self, &self->upstreams))
        return CF_EIO;
    for (size_t i = 0; i < cf_upstreams_count (self->upstreams); i++) {
        cf_bus_subscriber_t *sub = cf_upstreams_subscriber (self->upstreams, i);
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

//  Group commit, the access log and the api server, once the sockets are
//  bound. From here on the writer thread alone writes the store. Returns
//  0, or CF_ESTORE when the access log cannot be read (logged).
static int
s_start_serving (cf_service_t *self)
{
    static const cf_commit_hooks_t hooks = { s_on_commit_failed, s_on_commit_done,
                                             s_on_commit_submit, s_on_commit_store_first };
    static const cf_api_handlers_t handlers = { s_decide_command, cf_service_answer_query };
    self->commit = cf_commit_new (self->journal, cf_streams_own (self->streams), &self->loop,
                                  self->api, self->publisher, &self->m.commit,
                                  cf_journal_last_seq (self->journal, NULL), &hooks, self);
    self->access =
        cf_access_new (self->journal, self->commit, cf_streams_own (self->streams), self->clock);
    if (!self->access)
        return CF_ESTORE;
    self->server =
        cf_api_server_new (self->api, cf_streams_own (self->streams), self->commit, self->keys,
                           self->clock, &handlers, self, &self->m.api, &self->limits);
    cf_service_http_start (self);
    return 0;
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

static void
s_log_started (cf_service_t *self)
{
    char now [40];
    cf_time_format_local (cf_clock_now (self->clock), now, sizeof now);
    if (cf_clock_is_provisional (self->clock))
        cf_log_info ("started: manual clock not set yet, reading %s until the first clock set "
                     "(to any time) or the first event",
                     now);
    else
        cf_log_info ("started: %s clock at %s",
                     cf_clock_is_manual (self->clock) ? "manual" : "system", now);
}

//  Everything from the configuration to a loop ready to run. Returns 0,
//  S_DONE when there is nothing to run (--help, an intact --verify), or
//  the exit code: 2 for bad configuration (printed naming the flag: a
//  value, a store the clock's flags refuse, a value state_new refused), 1
//  when the store cannot be opened or rebuilt or a socket bound (logged).
static int
s_start (cf_service_t *self, int argc, char **argv)
{
    const cf_service_def_t *def = self->def;
    char program [64];
    snprintf (program, sizeof program, "caseflow-%s", def->name);
    //  The streams decide which entries the table has (one pair of
    //  endpoints per stream followed), so they are read first.
    self->streams = cf_streams_new (program, def->name, def->upstreams, argc, argv, stderr);
    if (!self->streams)
        return 2;
    const char *stream = cf_streams_own (self->streams);
    self->config = cf_service_config_new (def, self->streams);
    int rc = cf_config_parse (self->config, argc, argv, stdout, stderr);
    if (rc)
        return rc == CF_EHELP ? S_DONE : 2;
    cf_log_level_t level = CF_LOG_INFO;
    cf_log_level_parse (cf_config_string (self->config, "log-level"), &level);
    cf_log_init (stream, level);
    const char *data_dir = cf_config_string (self->config, "data-dir");
    if (cf_config_bool (self->config, "verify"))
        //  Offline: no sockets, no rebuild, nothing written.
        return cf_journal_check_store (data_dir, stream, stdout) ? 1 : S_DONE;
    if (cf_service_read_limits (self->config, stream, &self->limits))
        return 2;
    const char *keys_dir = cf_config_string (self->config, "keys-dir");
    if (*keys_dir && !(self->keys = cf_keys_load (keys_dir, def->name, NULL))) {
        //  cf_keys logged which file; the flag is what to fix.
        fprintf (stderr,
                 "caseflow-%s: --keys-dir (CASEFLOW_KEYS_DIR): no usable key pair "
                 "%s/secret/%s.cert_secret\n",
                 def->name, keys_dir, def->name);
        return 2;
    }
    //  Huge pages for the state, which grows from here on (cf_memory.h).
    cf_memory_init ();
    uv_loop_init (&self->loop);
    s_init_handles (self);
    self->metrics = cf_metrics_new (stream);
    cf_service_metrics_register (&self->m, self->metrics, self->streams);

    //  HTTP first, so /healthz answers (and /readyz and the routes say 503)
    //  while the state is rebuilt.
    self->http =
        cf_http_new (cf_config_string (self->config, "http-bind"), self->metrics, &self->ready);
    if (!self->http || cf_service_http_new (self))
        return 1;
    if ((rc = cf_service_open_store (self, data_dir)))
        return rc;
    //  A service refuses to start with no state (a value of its own
    //  configuration that its table cannot check; it named the flag): bad
    //  configuration, exit 2 as cf_config's.
    self->state = def->state_new (self);
    if (!self->state)
        return 2;
    if (cf_service_rebuild (self) || s_open_sockets (self))
        return 1;
    if (def->check_keys && (self->unready_reason = def->check_keys (self->state, self))) {
        cf_log_error ("not ready: %s", self->unready_reason);
        cf_http_set_unready_reason (self->http, self->unready_reason);
    }
    cf_service_watch_keystore (self);
    self->rebuilt = true;
    if (s_start_serving (self))
        return 1;
    s_log_started (self);
    return 0;
}

int
cf_service_main (const cf_service_def_t *def, int argc, char **argv)
{
    //  libuv owns the signals; czmq must not install its own handler.
    zsys_handler_set (NULL);
    signal (SIGPIPE, SIG_IGN);
    //  Nonces, keys and ids come from libsodium's ChaCha20 generator seeded
    //  from the kernel, not from one getrandom call each: a registration
    //  draws five. Set before anything initialises libsodium.
    randombytes_set_implementation (&randombytes_internal_implementation);
    cf_time_init ();
    cf_service_t service = { .def = def, .wake_at = INT64_MAX, .exit_code = 0 };
    cf_service_t *self = &service;
    int rc = s_start (self, argc, argv);
    if (rc) {
        bool loop = self->metrics != NULL;
        if (loop)
            cf_service_close (self);
        else {
            cf_keys_destroy (&self->keys);
            cf_config_destroy (&self->config);
            cf_streams_destroy (&self->streams);
        }
        return rc == S_DONE ? 0 : rc;
    }
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
    cf_api_server_stop (self->server);
    cf_commit_finish (self->commit);
    cf_service_http_stop (self);
    int exit_code = self->exit_code;
    cf_log_info ("stopped: own stream at seq %llu",
                 (unsigned long long) cf_commit_committed_seq (self->commit));
    cf_service_close (self);
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

uint64_t
cf_service_last_seq (cf_service_t *self)
{
    return cf_commit_last_seq (self->commit);
}

uint64_t
cf_service_committed_seq (cf_service_t *self)
{
    return cf_commit_committed_seq (self->commit);
}

uint64_t
cf_service_committed_cursor (cf_service_t *self, const char *stream)
{
    //  Read outside any write: the store as the writer last committed it.
    uint64_t seq = 0;
    if (cf_journal_cursor (self->journal, NULL, stream, &seq))
        seq = 0;
    return seq;
}

cf_keystore_t *
cf_service_keystore (cf_service_t *self)
{
    return self->keystore;
}

const char *
cf_service_name (cf_service_t *self)
{
    return cf_streams_own (self->streams);
}

cf_keys_t *
cf_service_keys (cf_service_t *self)
{
    return self->keys;
}

const cf_api_caller_t *
cf_service_caller (cf_service_t *self)
{
    return self->caller;
}

cf_role_t
cf_service_caller_role (cf_service_t *self)
{
    return self->caller && self->caller->keys ? self->caller->role : CF_ROLE_NONE;
}

void
cf_service_set_unready (cf_service_t *self, const char *reason)
{
    if (reason && !self->unready_reason)
        cf_log_error ("not ready: %s", reason);
    else if (!reason && self->unready_reason)
        cf_log_info ("ready again: what kept the service from being ready is resolved");
    self->unready_reason = reason;
}

bool
cf_service_caught_up (cf_service_t *self)
{
    assert (self);
    return !self->upstreams || cf_upstreams_caught_up (self->upstreams);
}

uv_loop_t *
cf_service_loop (cf_service_t *self)
{
    return &self->loop;
}

void
cf_service_decide (cf_service_t *self, cf_service_decision_fn *fn, void *arg)
{
    s_set_context (self, NULL, NULL);
    if (!cf_commit_store_full (self->commit))
        fn (self->state, self, arg);
    s_flush (self);
    s_schedule_wake (self);
    s_drain (self);
}

void
cf_service_on_stop (cf_service_t *self, void (*fn) (void *arg), void *arg)
{
    self->stop_fn = fn;
    self->stop_arg = arg;
}
