//  cf_service: the runtime every caseflow service runs on.
//
//  A service is a definition (cf_service_def_t: its name, upstream streams,
//  configuration, and its handlers) and one call, cf_service_main. The
//  runtime does the rest, the same way for every service:
//
//    - configuration: the common table (data dir, clock, endpoints, one
//      pair per upstream, map size, log level) plus the service's own;
//    - the store (cf_journal): state is rebuilt at start from the journal,
//      every entry through the service's `apply`, the only code that
//      changes state; decisions are never recomputed by a rebuild;
//    - one libuv loop that owns every ZeroMQ socket (edge-triggered
//      ZMQ_FD, drained until ZMQ_EVENTS says nothing is left), the signals,
//      the timers;
//    - the api ROUTER: commands (idempotent by request id, the reply stored
//      in the same transaction as the events), queries and replay;
//    - the events PUB with heartbeats, and one subscriber per upstream;
//    - group commit: everything that arrives together (commands, upstream
//      events, clock moves) is decided and applied into one batch, which a
//      writer thread stores as one LMDB write transaction, committed once,
//      while the next batch is decided; then that batch's replies are sent
//      and its events published. Nothing is answered or published that is
//      not committed;
//    - HTTP /healthz, /readyz and /metrics; the JSON logger; SIGTERM and
//      SIGINT stop taking commands, finish the transaction in hand, close
//      the store and exit 0.
//
//  Handlers decide and emit: cf_service_emit stamps an event, applies it
//  at once (so later decisions in the same batch see it), journals it and
//  queues it for publishing after the commit. A handler validates before
//  it emits anything: a command that fails after emitting is a programming
//  error.
#ifndef CF_SERVICE_H
#define CF_SERVICE_H

#include "caseflow/v1/api.pb-c.h"
#include "caseflow/v1/event.pb-c.h"
#include "cf_api_server.h"
#include "cf_config.h"
#include "cf_http_request.h"
#include "cf_keys.h"
#include "cf_keystore.h"
#include "cf_metrics.h"
#include "cf_roles.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

typedef struct _cf_service_t cf_service_t;

//  A route on the service's HTTP port (cf_http_route): `path` and every
//  path under it, with bodies of at most the value of the service's
//  configuration entry `max_body` (a CF_CONFIG_SIZE key) bytes. `handle`
//  runs on the loop thread like a command, deciding into the open batch;
//  it answers every request it is handed (cf_service_http_answer).
typedef struct {
    const char *path;
    const char *max_body;
    void (*handle) (void *state, cf_service_t *service, cf_http_request_t *request);
} cf_service_route_t;

typedef struct {
    //  Service name ("intake"), and the name of the stream it writes unless
    //  --stream names a shard; binaries are caseflow-<name>.
    const char *name;
    //  One line for --help.
    const char *summary;
    //  The kinds of upstream stream the service reacts to, NULL-terminated;
    //  NULL for none: the default of --follow (cf_streams.h), which may
    //  name these or shards of them. Each stream followed gets
    //  --<stream>-events / --<stream>-api (CASEFLOW_<STREAM>_EVENTS / _API).
    const char *const *upstreams;
    //  Default ports of events (PUB), api (ROUTER) and http.
    int events_port, api_port, http_port;
    //  The service's own configuration entries (may be NULL / 0).
    const cf_config_entry_t *config;
    size_t config_count;

    //  Makes fresh, empty state. The service's configuration is readable
    //  through cf_service_config. NULL refuses to start (a value of the
    //  service's configuration its table cannot check, e.g. notification's
    //  --holidays; the service wrote the line naming the flag): the runtime
    //  closes what it opened and exits 2, as for any bad configuration.
    void *(*state_new) (cf_service_t *service);
    //  Frees the state; nulls *state_p.
    void (*state_destroy) (void **state_p);
    //  Applies one journaled event (own or upstream) to the state. The only
    //  function that changes state; deterministic; never fails for an event
    //  the service itself decided (returns 0). A non-zero return for an
    //  upstream event means "not for me / ignored" and is not an error.
    int (*apply) (void *state, const Caseflow__V1__Event *event);
    //  Optional: called instead of apply, the same, also given the event's
    //  encoding as journaled (`size` bytes at `data`, what `event` decodes
    //  from; both borrowed for the call), for a state that keeps events
    //  encoded (the console) and would otherwise encode each one again.
    int (*apply_encoded) (void *state, const Caseflow__V1__Event *event, const void *data,
                          size_t size);
    //  Decides on a command: validate, then emit; fill the reply's status
    //  (cf_api_reply_status) and result (cf_api_reply_command). NULL: the
    //  service has no commands of its own.
    void (*handle_command) (void *state, cf_service_t *service,
                            const Caseflow__V1__Command *command, Caseflow__V1__Reply *reply);
    //  Answers a query into the reply (cf_api_reply_query). Must not emit.
    void (*handle_query) (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                          Caseflow__V1__Reply *reply);
    //  Reacts to an upstream event that has just been journaled and applied:
    //  may emit. NULL: nothing to decide.
    void (*handle_upstream) (void *state, cf_service_t *service, const Caseflow__V1__Event *event);
    //  Asked before an upstream event is journaled and applied (NULL: every
    //  event is taken at once): false when the service cannot take it yet
    //  (a key holder it must ask about the event does not answer). The
    //  event is then left as it was and offered again after the
    //  subscriber's retry interval (cf_bus_subscriber.h), the stream's
    //  order kept, so a holder briefly down never turns into an event
    //  rejected for good.
    bool (*upstream_ready) (void *state, cf_service_t *service, const Caseflow__V1__Event *event);
    //  Called after the clock moved (manual set/advance), when a wake-up the
    //  service asked for is due, and once after the start-up rebuild: emits what
    //  is due by `now`. NULL: the service has no timers.
    void (*on_clock) (void *state, cf_service_t *service, int64_t now);
    //  Called once when the subscriber of upstream `stream` diverged
    //  (cf_bus_subscriber.h: its producer's history is not its cursor's),
    //  at the next heartbeat tick, with the cursor's seq; again after a
    //  restart, when the divergence is found again (NULL: nothing to do;
    //  the runtime already logs it, counts it and is not ready). May emit:
    //  notification raises an operator alert.
    void (*on_diverged) (void *state, cf_service_t *service, const char *stream, uint64_t cursor);
    //  True for a service that holds keys (cf_keystore.h): the runtime opens
    //  its key store (--key-store, default <data-dir>-keys) before the
    //  state is made and makes the store's writes durable before each batch
    //  of the journal that depends on them.
    bool key_store;
    //  Called after the start-up rebuild and after each rebuild that
    //  follows a failed commit (NULL: none): reconciles the key store with
    //  the state (erasures the journal holds are carried out again; what
    //  the service kept beside the state, which a rebuild drops, is derived
    //  again). Returns NULL, or why the service cannot be ready (logged,
    //  and /readyz stays 503 until a restart, or until the service clears
    //  it with cf_service_set_unready).
    const char *(*check_keys) (void *state, cf_service_t *service);
    //  Called after each batch is stored and answered (NULL: none): work
    //  that must wait until the events deciding it are durable (destroying
    //  an erased resident's keys).
    void (*after_commit) (void *state, cf_service_t *service);
    //  Routes on the HTTP port beside /healthz, /readyz and /metrics (NULL
    //  / 0: none). Until the state is rebuilt, and once the service stops,
    //  they are answered 503 by the runtime.
    const cf_service_route_t *routes;
    size_t route_count;
    //  Feeds the canonical state (a deterministic serialisation, independent
    //  of memory addresses and hash-table order) into `hash`.
    void (*digest) (void *state, crypto_hash_sha256_state *hash);
} cf_service_def_t;

//  Runs the service until SIGTERM or SIGINT. Returns the process exit code:
//  0 after a clean stop (or --help, or --verify of an intact store), 2 for
//  bad configuration (a flag's value, or a store that the clock's flags
//  refuse: see --clock-force), 1 when the store cannot be opened or its
//  state rebuilt, a socket cannot be bound, or --verify finds damage.
int
cf_service_main (const cf_service_def_t *def, int argc, char **argv);

//  Stamps and records one event the service decided. Fills the envelope:
//  id (ULID), stream, seq (next), occurred_at (the clock, unless already
//  set, e.g. a reminder's due time), correlation and causation ids from the
//  command or event being handled (unless already set), schema_version 1.
//  The body and case_id are the caller's. Then applies the event to the
//  state, records its journal append in the open batch and queues it for
//  publishing after the batch is committed. `event` stays the caller's
//  (its strings are copied where needed). Returns 0, or CF_ESTOREFULL when
//  the store refuses writes: the handler must then stop deciding and
//  return.
int
cf_service_emit (cf_service_t *self, Caseflow__V1__Event *event);

//  Logs `line` (copied; info level) once what is being decided is stored,
//  and never if it is not (a full store): "case C000007 registered" is
//  said of a case that exists. Decisions call it through cf_decider_log.
void
cf_service_note (cf_service_t *self, const char *line);

//  Answers `request` (handed to a route's handle) with `status`,
//  `content_type` and `size` bytes of `body` (copied) once the own stream
//  is durable up to `seq`: at once when it is (seq 0: nothing to wait
//  for), else when the batch holding seq is committed, the moment the
//  commands decided with it get their replies. Should that batch not be
//  stored, the answer is 503 (application/problem+json) instead. The
//  request must not be used afterwards.
void
cf_service_http_answer (cf_service_t *self, cf_http_request_t *request, uint64_t seq,
                        unsigned status, const char *content_type, const char *body, size_t size);

//  The own stream's last seq, the open batch's events included (what a
//  decision just emitted).
uint64_t
cf_service_last_seq (cf_service_t *self);

//  The service's configuration (common and own entries). Borrowed.
cf_config_t *
cf_service_config (cf_service_t *self);

//  The service's metrics registry, to register its own metrics in
//  state_new. Borrowed.
cf_metrics_t *
cf_service_metrics (cf_service_t *self);

//  The service clock's current time (microseconds since the epoch).
int64_t
cf_service_now (cf_service_t *self);

//  Asks to be woken (on_clock) at `at`. The earliest request since the last
//  on_clock call wins; every on_clock call clears it, so a service asks
//  again for its next due time from inside on_clock.
void
cf_service_wake_at (cf_service_t *self, int64_t at);

//  The own stream's last committed (durable) seq.
uint64_t
cf_service_committed_seq (cf_service_t *self);

//  The seq of upstream `stream`'s last event the committed batches hold
//  (its cursor in the journal; 0 when none or on a store error): what
//  the service has made durable of that stream.
uint64_t
cf_service_committed_cursor (cf_service_t *self, const char *stream);

//  Records in the access log (cf_access.h) that the answer the service is
//  making to a query holds the personal data of `case_id`, `handover_id`
//  and/or `subject` (each may be NULL or ""), read by the query `action`
//  (its field name in the service's Query: "get_case"). Who asked, their
//  role, whom they asked for and when are the runtime's. Call it from
//  handle_query only, once per resident whose personal data the answer
//  holds. Returns 0, or CF_ESTOREFULL: the store refuses writes, and the
//  runtime answers UNAVAILABLE instead of the reply.
int
cf_service_record_access (cf_service_t *self, const char *action, const char *case_id,
                          const char *handover_id, const char *subject);

//  The service's key store (def->key_store), else NULL. Borrowed.
cf_keystore_t *
cf_service_keystore (cf_service_t *self);

//  The stream the service writes: its name, or a shard's (--stream,
//  cf_streams.h). Borrowed.
const char *
cf_service_name (cf_service_t *self);

//  The service's CURVE key pair (--keys-dir), for a client it opens on the
//  loop thread (one cf_keys_t serves one thread); NULL without keys.
//  Borrowed.
cf_keys_t *
cf_service_keys (cf_service_t *self);

//  In a command or query handler: the role of the caller's key
//  (cf_roles.h) when keys are on; CF_ROLE_NONE without keys (every caller
//  is local and unauthenticated: check cf_service_keys first) and outside
//  one.
cf_role_t
cf_service_caller_role (cf_service_t *self);

//  In a command or query handler: who sent the request (cf_api_server.h:
//  the key's name and role, whether keys are on, and the person a proxy
//  named, already checked against the role), for a decision that depends
//  on the person; NULL outside one. Borrowed for the handler's call.
const cf_api_caller_t *
cf_service_caller (cf_service_t *self);

//  Sets why the service cannot be ready (`reason`, borrowed: static or
//  living as long as it stays set), as check_keys's answer does, or clears
//  it (NULL) once the cause is resolved; logged when it changes.
void
cf_service_set_unready (cf_service_t *self, const char *reason);

//  True when every upstream stream the service follows is caught up: its
//  cursor is at the producer's head as last heard (heartbeats say it every
//  second; a gap, a restart or a replay under way makes it false). True
//  when the service follows none. The upstream half of /readyz.
bool
cf_service_caught_up (cf_service_t *self);

//  The service's libuv loop, for a module of the service that does its own
//  I/O on it (the gateway's outbound HTTP). Borrowed; use it on the loop
//  thread only, and close what you open on it in a stop function
//  (cf_service_on_stop).
uv_loop_t *
cf_service_loop (cf_service_t *self);

typedef void (cf_service_decision_fn) (void *state, cf_service_t *service, void *arg);

//  Runs `fn (state, service, arg)` as a decision of the service itself
//  now, for work that arrives outside a command, an upstream event or a
//  timer (an HTTP answer on the loop): `fn` may emit; the events are
//  committed and published as any batch's. Call it on the loop thread
//  from a libuv callback, never from inside a handler. Nothing runs while
//  the store refuses writes.
void
cf_service_decide (cf_service_t *self, cf_service_decision_fn *fn, void *arg);

//  Asks for `fn (arg)` to be called once when the service stops, on the
//  loop thread, after the last batch and before the loop's handles are
//  closed. One per service; a second call replaces the first.
void
cf_service_on_stop (cf_service_t *self, void (*fn) (void *arg), void *arg);

#endif
