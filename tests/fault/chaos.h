//  chaos: the crash-fault test's shared declarations.
//
//  The test (tests/fault/chaos.c) runs the five real services on loopback,
//  drives them with a load generator (chaos_load.c) through pipelined Lazy
//  Pirate clients (chaos_client.c), kills a random service with SIGKILL at
//  random moments and restarts it (chaos_kill.c), follows the assignment
//  and notification streams like any consumer through all of it
//  (chaos_follow.c), and at the end checks the services against the
//  generator's own record of every acknowledged command (chaos_check.c,
//  chaos_streams.c) and each service's digest against a fresh replay of its
//  journal (chaos_procs.c). Publishers POST CloudEvents to the gateway
//  throughout (chaos_ingress.c), which intake and handover apply
//  (chaos_inbound.c checks each once), and the gateway delivers webhooks to
//  a sink (chaos_webhooks.c checks every subscribed event arrived).
//  docs/testing.md describes the whole.
#ifndef CHAOS_H
#define CHAOS_H

#include "caseflow/v1/api.pb-c.h"
#include "cf_testproc.h"
#include "cf_testpublisher.h"

#include <czmq.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  The services, in start order (upstreams first).
enum {
    CHAOS_HANDOVER,
    CHAOS_INTAKE,
    CHAOS_ASSIGNMENT,
    CHAOS_NOTIFICATION,
    CHAOS_GATEWAY,
    CHAOS_SERVICES
};

//  "handover", "intake", ... by index.
const char *
chaos_service_name (int service);

//  ------------------------------------------------------------- the PRNG

//  splitmix64: small, fast, and the same sequence on every machine, so a
//  seed names a run's choices (operations, kill moments, victims).
typedef struct {
    uint64_t state;
} chaos_rng_t;

static inline uint64_t
chaos_rng_next (chaos_rng_t *rng)
{
    uint64_t z = (rng->state += UINT64_C (0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C (0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C (0x94D049BB133111EB);
    return z ^ (z >> 31);
}

//  Uniform in [0, bound), bound > 0 (the modulo bias is irrelevant here).
static inline uint64_t
chaos_rng_below (chaos_rng_t *rng, uint64_t bound)
{
    return chaos_rng_next (rng) % bound;
}

//  True with probability percent / 100.
static inline bool
chaos_rng_percent (chaos_rng_t *rng, unsigned percent)
{
    return chaos_rng_below (rng, 100) < percent;
}

//  ------------------------------------------------------------- the run

typedef struct {
    uint64_t seed;
    size_t commands;      //  load commands to send (clock moves not counted)
    size_t kills;         //  SIGKILLs during the load
    int clients;          //  DEALER connections per service
    int window;           //  requests outstanding per service at most
    int days;             //  simulated days the manual clock covers
    int timeout_ms;       //  a request unanswered this long is resent
    const char *bin_dir;  //  where caseflow-<service> binaries are
    bool keep;            //  keep the work directory after a pass
} chaos_options_t;

//  Counts of what went wrong, by kind; the run passes when all are zero.
typedef struct {
    atomic_size_t lost;        //  acknowledged, but missing downstream
    atomic_size_t duplicated;  //  applied or delivered more than once
    atomic_size_t mismatched;  //  present, but not as acknowledged / inconsistent
    atomic_size_t failures;    //  the run itself broke (crash, no answer, bad reply)
} chaos_faults_t;

//  Prints one violation line ("chaos: LOST: ...") and counts it. At most
//  the first 40 lines of each kind are printed; all are counted.
void
chaos_report (chaos_faults_t *faults, atomic_size_t *counter, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

//  Total of all fault counters.
size_t
chaos_faults_total (chaos_faults_t *faults);

//  Item duplicator (strdup; out of memory aborts) and destructor (free)
//  for the zhashx and zlistx containers that own their items: copies of
//  strings, or structs allocated with malloc.
void *
chaos_string_dup (const void *item);
void
chaos_item_free (void **item_p);

//  Called for each event of a stream read back, in seq order (the event is
//  borrowed for the call).
typedef void (chaos_event_fn) (void *ctx, const Caseflow__V1__Event *event);

//  Reads `stream` of the service at api `endpoint` from seq 1 through
//  replay, as any late consumer would, and calls `fn` for each event.
//  Returns the events read; a replay left unanswered is reported as a
//  failure and ends the read.
size_t
chaos_replay (const char *endpoint, const char *stream, chaos_event_fn *fn, void *ctx,
              chaos_faults_t *faults);

//  ------------------------------------------------------- the processes

typedef struct {
    cf_testproc_t proc [CHAOS_SERVICES];
    char flags [CHAOS_SERVICES][16][160];
    const char *argv [CHAOS_SERVICES][20];
    char *dir;  //  work directory (stores and logs)
} chaos_procs_t;

//  Prepares the five services under `dir` (borrowed; stores in
//  dir/<service>, logs beside them) with fresh loopback ports, the manual
//  clock from `clock_start` and every upstream wired.
void
chaos_procs_init (chaos_procs_t *self, const char *bin_dir, char *dir, const char *clock_start);

//  Starts all five and waits until each is ready. Returns 0 or -1 (said
//  why on stderr). Ports taken by another program meanwhile are replaced.
int
chaos_procs_start_all (chaos_procs_t *self);

//  Starts one service again (same store, same ports); does not wait.
int
chaos_procs_restart (chaos_procs_t *self, int service);

//  SIGTERMs every running service (downstream first), frees; keeps `dir`.
void
chaos_procs_destroy (chaos_procs_t *self);

//  Compares each service's digest with the digest after a fresh replay:
//  queries it, stops it with SIGTERM (exit 0 expected), runs its offline
//  --verify on the store, starts it again, waits until ready and queries
//  again. Counts failures in `faults`; returns how many were equal.
int
chaos_procs_check_digests (chaos_procs_t *self, chaos_faults_t *faults);

//  --------------------------------------------------------- the clients

typedef struct _chaos_client_t chaos_client_t;

//  Called once per answered request with the tag given to send and the
//  decoded reply (borrowed for the call). UNAVAILABLE replies never come
//  here: the request is sent again.
typedef void (chaos_reply_fn) (void *ctx, void *tag, const Caseflow__V1__Reply *reply);

//  `connections` DEALER sockets to each service's api endpoint (copied).
//  A request without a reply after `timeout_ms` is sent again with the same
//  request id, on a fresh socket, for as long as it takes.
chaos_client_t *
chaos_client_new (chaos_procs_t *procs, int connections, int timeout_ms);

void
chaos_client_destroy (chaos_client_t **self_p);

//  Sends the encoded Request `data` (taken: freed when answered) with id
//  `request_id` to `service`; `tag` comes back with the reply. With `echo`
//  the same bytes also go out at once on another connection, as from a
//  client that retried too early: the service must act once.
void
chaos_client_send (chaos_client_t *self, int service, const char *request_id, uint8_t *data,
                   size_t size, void *tag, bool echo);

//  Requests sent a second time at once (echo).
uint64_t
chaos_client_echoes (chaos_client_t *self);

//  Waits up to `timeout_ms` for replies, calls `fn` for each, resends what
//  timed out. Returns the number of replies handled.
size_t
chaos_client_poll (chaos_client_t *self, int timeout_ms, chaos_reply_fn *fn, void *ctx);

//  Requests sent and not yet answered (to one service, or all with -1).
size_t
chaos_client_outstanding (chaos_client_t *self, int service);

//  Milliseconds since the last reply arrived (for stall detection).
int64_t
chaos_client_quiet_ms (chaos_client_t *self);

//  Requests sent again after a timeout or an UNAVAILABLE answer.
uint64_t
chaos_client_resends (chaos_client_t *self);

//  ------------------------------------------------------- the followers

//  What a follower keeps of one delivered event (the ones the generator
//  acts on: reminders that fell due, assignment facts).
typedef struct {
    uint64_t seq;
    int body;  //  Caseflow__V1__Event__BodyCase
    char case_id [24];
    char worker_id [32];
    char reminder_id [80];
    int kind;  //  reminder kind
    int64_t due_at;
} chaos_fact_t;

typedef struct _chaos_follower_t chaos_follower_t;

//  Follows `stream` of the service `service` of `procs` from seq 1 with a
//  cf_bus_subscriber in a thread of its own, through every kill.
chaos_follower_t *
chaos_follower_new (chaos_procs_t *procs, int service);

void
chaos_follower_destroy (chaos_follower_t **self_p);

//  Copies up to `max` facts from position `from` on into `out`; returns
//  how many.
size_t
chaos_follower_facts (chaos_follower_t *self, size_t from, chaos_fact_t *out, size_t max);

//  The last seq delivered, deliveries that were not last + 1, events
//  delivered in all.
uint64_t
chaos_follower_last_seq (chaos_follower_t *self);
uint64_t
chaos_follower_out_of_order (chaos_follower_t *self);
uint64_t
chaos_follower_delivered (chaos_follower_t *self);

//  How many times a ReminderDue with `reminder_id` was delivered.
size_t
chaos_follower_times (chaos_follower_t *self, const char *reminder_id);

//  Reminder ids delivered (a fresh list of strings the caller destroys with
//  zlistx_destroy).
zlistx_t *
chaos_follower_reminder_ids (chaos_follower_t *self);

//  ----------------------------------------------------- the kill driver

typedef struct _chaos_kill_t chaos_kill_t;

//  Starts the driver thread: `kills` SIGKILLs of a random service, each
//  up to 60 ms after `*progress` (commands answered, written by the
//  generator) passes a random point of `commands`, restarting the victim
//  after a random pause; one of the first half of the kills (drawn) is the
//  gateway's, so every run kills it while its publishers post. It also watches for a service that
//  exits on its own (a failure).
chaos_kill_t *
chaos_kill_new (chaos_procs_t *procs, uint64_t seed, size_t kills, size_t commands,
                atomic_size_t *progress, chaos_faults_t *faults);

//  True once every kill is done and its victim restarted.
bool
chaos_kill_done (chaos_kill_t *self);

//  Stops the thread (restarting a victim still down) and frees; fills
//  `per_service` (CHAOS_SERVICES counts) and returns the kills done.
size_t
chaos_kill_destroy (chaos_kill_t **self_p, size_t *per_service);

//  ------------------------------------------------------ the publishers

typedef struct _chaos_ingress_t chaos_ingress_t;

//  Four publishers of the gateway of `procs` (one of each kind) with plans
//  of `events` CloudEvents in all, drawn from `seed`, spread over the
//  load's `commands` as `*progress` (commands answered) passes them.
chaos_ingress_t *
chaos_ingress_new (chaos_procs_t *procs, uint64_t seed, size_t events, size_t commands,
                   atomic_size_t *progress, chaos_faults_t *faults);

//  Adds the publishers to the gateway and starts their threads. Returns 0,
//  or -1 when the gateway refused or did not answer (reported).
int
chaos_ingress_start (chaos_ingress_t *self);

//  Waits up to `timeout_ms` until every request was answered 202, then
//  stops the threads. Returns 0, or -1 when some were not (reported).
int
chaos_ingress_finish (chaos_ingress_t *self, int timeout_ms);

//  Reads the gateway's stream and checks every event answered 202 is in it
//  exactly once (LOST, DUPLICATED) and nothing else is; prints a summary
//  line. Returns the InboundAccepted read.
size_t
chaos_ingress_check (chaos_ingress_t *self);

//  Stops what still runs and frees; nulls *self_p. Safe on NULL.
void
chaos_ingress_destroy (chaos_ingress_t **self_p);

//  The publisher of `kind` (cf_testpublisher_kind_t: one publisher per
//  kind), with the events of its plan: *distinct_p event numbers, and for
//  each whether a request holding it was answered 202 (borrowed).
const cf_testpublisher_t *
chaos_ingress_publisher (chaos_ingress_t *self, int kind, const bool **acked_p, size_t *distinct_p);

//  ------------------------------------------------------ the webhook sink

//  What the gateway's events became downstream, for the summary.
typedef struct {
    size_t referrals, referrals_once;          //  answered 202; applied exactly once
    size_t announcements, announcements_once;  //  the same for announcements
    size_t duplicates;                         //  publishers' events applied twice
    size_t subscribed;                         //  events of subscribed types in the streams
    size_t deliveries;                         //  POSTs the sink got
    size_t missing;                            //  subscribed events that never arrived
} chaos_gateway_figures_t;

typedef struct _chaos_webhooks_t chaos_webhooks_t;

//  A webhook sink on loopback (cf_testsink, answering every POST 2xx) and
//  one subscription of the gateway of `procs` to it, for seven outbound
//  types of the five streams (chaos_webhooks.c), each stream from seq 1.
//  Returns NULL when the gateway refused the subscription or the
//  handshake failed (reported).
chaos_webhooks_t *
chaos_webhooks_new (chaos_procs_t *procs, chaos_faults_t *faults);

//  Once the services settled: reads every stream back, waits up to
//  `timeout_ms` until every event of a subscribed type reached the sink,
//  and checks the deliveries: each such event at least once (LOST when
//  not), with its stream's `id`, `type` and `sequence` (MISMATCHED
//  otherwise, or for a delivery of an event no stream has), first
//  arrivals in seq order per stream; then removes the subscription, so
//  nothing is delivered while the digests are checked. Prints a summary
//  line; fills the delivery figures of `figures`.
void
chaos_webhooks_check (chaos_webhooks_t *self, int timeout_ms, chaos_gateway_figures_t *figures);

//  Stops the sink and frees; nulls *self_p. Safe on NULL.
void
chaos_webhooks_destroy (chaos_webhooks_t **self_p);

#endif
