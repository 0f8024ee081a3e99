//  cf_service_private: the runtime's struct, shared by its files and
//  nothing else. cf_service.c is the runtime (the loop, deciding, start and
//  stop); cf_service_store.c opens the store, rebuilds the state from it
//  and closes everything at stop; cf_service_query.c answers the queries
//  every service takes (status, digest, clock, the access log) and hands
//  the rest to the service. cf_service.c calls the others, never the other
//  way.
#ifndef CF_SERVICE_PRIVATE_H
#define CF_SERVICE_PRIVATE_H

#include "cf_access.h"
#include "cf_api_server.h"
#include "cf_bus_publisher.h"
#include "cf_commit.h"
#include "cf_http.h"
#include "cf_journal.h"
#include "cf_keys.h"
#include "cf_service.h"
#include "cf_service_setup.h"
#include "cf_streams.h"
#include "cf_time.h"
#include "cf_upstreams.h"
#include "cf_zwatch.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

typedef struct _cf_service_http_t cf_service_http_t;

struct _cf_service_t {
    const cf_service_def_t *def;
    cf_config_t *config;
    cf_streams_t *streams;  //  the stream written and those followed (cf_streams.h)
    cf_metrics_t *metrics;
    cf_service_metrics_t m;
    cf_clock_t *clock;
    cf_journal_t *journal;
    void *state;
    uint64_t events_applied;

    uv_loop_t loop;
    void (*stop_fn) (void *arg);  //  cf_service_on_stop
    void *stop_arg;
    zsock_t *api;
    cf_api_server_t *server;
    cf_api_server_limits_t limits;  //  from the configuration
    cf_commit_t *commit;
    cf_bus_publisher_t *publisher;
    cf_upstreams_t *upstreams;
    cf_zwatch_t **watches;
    size_t watch_count;
    cf_http_t *http;
    cf_service_http_t *http_in;  //  the routes' requests (cf_service_http.c); NULL: no routes
    cf_keys_t *keys;             //  NULL: plaintext (no --keys-dir)
    cf_access_t *access;         //  the access log, once serving
    cf_keystore_t *keystore;     //  def->key_store only
    const char *unready_reason;  //  check_keys said the service cannot be ready
    char diverged [320];         //  an upstream diverged: /readyz says this ("": none)
    uint64_t diverged_told;      //  bit i: on_diverged was called for upstream i
    //  A compaction left the key store closed (cf_service_watch_keystore):
    //  since when it was last tried, and the reason it pushed aside.
    bool keystore_down;
    int64_t keystore_tried;
    const char *unready_before_keystore;
    atomic_bool ready;
    bool rebuilt;  //  the start-up rebuild is done

    uv_signal_t sigterm, sigint;
    uv_timer_t heartbeat;  //  every second: heartbeat, gauges, expiry
    uv_timer_t tick;       //  subscriber deadlines (timeouts, retries)
    uv_timer_t wake;       //  the service's own wake-up (system clock)
    uv_idle_t idle;        //  keeps the loop spinning while input is left
    uv_prepare_t prepare;  //  re-checks ZMQ_EVENTS before the loop sleeps
    bool draining;
    bool stopping;
    int exit_code;

    //  What the current decision answers to (for the envelope), and who
    //  made it happen (NULL: the service itself).
    const char *correlation_id;
    const char *causation_id;
    const char *actor;
    const char *on_behalf_of;
    //  Who sent the command or query whose handler runs now (NULL between).
    const cf_api_caller_t *caller;
    size_t emitted;
    int64_t wake_at;  //  INT64_MAX: none asked
};

//  ------------------------- stream identity (cf_service_stream.c)

//  Keeps the line of the first diverged upstream in self->diverged (the
//  runtime's copy of the subscriber's, which outlives the subscriber), or
//  "" once a rewind or an operator's word ended it; the readiness update
//  shows it on /readyz.
void
cf_service_show_divergence (cf_service_t *self);

//  The subscriber of the next upstream that diverged since it was last
//  asked about (marked told now; a divergence that ended is forgotten),
//  or NULL: for the definition's on_diverged, called once per divergence.
cf_bus_subscriber_t *
cf_service_next_divergence (cf_service_t *self);

//  Stores upstream `stream`'s cursor epoch with the open batch.
void
cf_service_store_cursor_epoch (cf_service_t *self, const char *stream, uint64_t epoch);

//  The stream status query's result (fresh, freed with the reply).
Caseflow__V1__StreamStatus *
cf_service_stream_status (cf_service_t *self);

//  Answers `command` when it is the runtime's stream command (stream
//  accept, an operator's alone when keys are on) and returns true; false
//  for any other.
bool
cf_service_stream_command (cf_service_t *self, const Caseflow__V1__Command *command,
                           const cf_api_caller_t *caller, Caseflow__V1__Reply *reply);

//  ------------------------------------- the store (cf_service_store.c)

//  Opens the journal in `data_dir`, the clock (from the configuration and
//  the store) and, when the definition keeps one, the key store. Returns
//  0, or the exit code: 2 when the clock's flags refuse the store (the
//  reason is printed), 1 when a store cannot be opened or read (logged).
int
cf_service_open_store (cf_service_t *self, const char *data_dir);

//  Applies one event (its encoding, `size` bytes at `data`, beside it) to
//  self->state: the definition's apply_encoded when it has one, else its
//  apply. Counts it in events_applied.
void
cf_service_apply (cf_service_t *self, const Caseflow__V1__Event *event, const void *data,
                  size_t size);

//  Applies the whole journal to self->state (fresh from state_new) and
//  counts it in events_applied, the metrics and a log line. Returns 0, or
//  the error of cf_rebuild (CF_ECORRUPT logged with what to run next).
int
cf_service_rebuild (cf_service_t *self);

//  Takes every part of the service down (after the last batch is
//  finished, or when start-up stopped once the loop was initialised):
//  the watches, the server, group commit, the loop's handles, the sockets,
//  the state and the stores. Safe on parts never opened.
void
cf_service_close (cf_service_t *self);

//  Keeps the service not ready while its key store is closed after a
//  compaction could not open it again (cf_keystore_unusable), naming why;
//  tries to open it every few seconds; ready again once it opens. Called
//  after the start-up check, after each commit and every second.
void
cf_service_watch_keystore (cf_service_t *self);

//  cf_api_server's query handler: the runtime's own queries (status,
//  digest, clock, access log), then the service's, with the reads of
//  personal data it reports recorded in the access log (cf_access.h).
void
cf_service_answer_query (void *ctx, const Caseflow__V1__Request *request,
                         const cf_api_caller_t *caller, Caseflow__V1__Reply *reply);

//  ------------------------------------ the routes (cf_service_http.c)

//  Registers the definition's routes on the HTTP port as soon as it
//  listens, closed: their requests are answered 503 until
//  cf_service_http_start. Returns 0 or CF_EIO (too many routes).
int
cf_service_http_new (cf_service_t *self);

//  Opens the routes once the service serves: requests go to the loop.
void
cf_service_http_start (cf_service_t *self);

//  Hands up to `max` queued requests to their routes (loop thread), as
//  long as the open batch has room. Returns how many.
size_t
cf_service_http_drain (cf_service_t *self, size_t max);

//  A batch was stored (`committed`) or not (`failed`, after the state was
//  rebuilt): held answers go out, or are refused 503.
void
cf_service_http_committed (cf_service_t *self);
void
cf_service_http_failed (cf_service_t *self);

//  Takes no more requests: the queued and still-held ones are refused 503
//  (call after the last batch is finished). Then, once the loop's handles
//  are closed, cf_service_http_destroy frees what is left.
void
cf_service_http_stop (cf_service_t *self);
void
cf_service_http_destroy (cf_service_t *self);

#endif
