//  cf_api_server: a service's api socket, the way of one request from the
//  ROUTER to its reply.
//
//  Each message, [identity]([empty])[Request], is first weighed: one over
//  the request size limit is refused INVALID_ARGUMENT (field "request",
//  the message naming the limit), and one beyond its connection's or
//  everyone's budget of bytes for this round (cf_api_budget.h) is refused
//  UNAVAILABLE, both without being decoded and answered under the request
//  id read from its first bytes. The others are decoded (into an arena,
//  forgotten at once; cf_api_decode_request checks their shape), checked
//  against the sender's role when keys are on
//  (PERMISSION_DENIED, counted, logged at most once a second; so is an
//  on_behalf_of from a key that is no proxy's), and then:
//
//    - a command: refused UNAVAILABLE while the service stops or its store
//      is full; a retried request id gets the reply stored for it and acts
//      only once; a new one goes to the owner's `command` handler, and its
//      reply is stored with the open batch (unless it is UNAVAILABLE or
//      INTERNAL: a retry may do better);
//    - a query: to the owner's `query` handler, answered from the state as
//      it is;
//    - a replay of the own stream: answered once the open batch is stored,
//      from committed events only.
//
//  Every reply is queued with the open batch of group commit (cf_commit),
//  which sends it once everything before it is stored. The server knows
//  nothing of what a command or query means: that is the owner's.
#ifndef CF_API_SERVER_H
#define CF_API_SERVER_H

#include "caseflow/v1/api.pb-c.h"
#include "cf_commit.h"
#include "cf_keys.h"
#include "cf_metrics.h"
#include "cf_roles.h"
#include "cf_time.h"

#include <czmq.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct _cf_api_server_t cf_api_server_t;

//  The actor of a request sent without keys (every client is trusted then).
#define CF_API_LOCAL_ACTOR "local"

//  Who sent a request, as far as the server knows: with keys the name and
//  role of the key the handshake proved; without keys CF_API_LOCAL_ACTOR
//  and CF_ROLE_NONE. `on_behalf_of` is the person a proxy acts for ("" when
//  none), already checked against the role. Borrowed for the call.
typedef struct {
    const char *actor;
    cf_role_t role;
    bool keys;  //  false: plaintext, `role` means nothing
    const char *on_behalf_of;
} cf_api_caller_t;

//  What the owner does with a request. `command` decides a command whose
//  request id is new (validate, then emit) and fills `reply`; `query`
//  answers the request's query into `reply` and must not emit. Both are
//  told who asked.
typedef struct {
    void (*command) (void *ctx, const Caseflow__V1__Request *request, const cf_api_caller_t *caller,
                     Caseflow__V1__Reply *reply);
    void (*query) (void *ctx, const Caseflow__V1__Request *request, const cf_api_caller_t *caller,
                   Caseflow__V1__Reply *reply);
} cf_api_handlers_t;

//  The metrics the server keeps (handles owned by the registry).
typedef struct {
    cf_metric_t *commands [CASEFLOW__V1__STATUS__CODE__INTERNAL + 1];  //  by reply status
    cf_metric_t *queries;
    cf_metric_t *replays;
    cf_metric_t *denied [CF_ACTION_REPLAY + 1];  //  by action (cf_roles.h)
    cf_metric_t *too_large;                      //  refused over the size limit
    cf_metric_t *busy;                           //  refused over a budget
    cf_metric_t *memory_trims;                   //  memory given back after a burst
} cf_api_server_metrics_t;

//  The limits on what the server takes in (--max-request-bytes,
//  --max-inbound-per-connection, --max-inbound): the largest request, and
//  the bytes of requests taken per drain round from one connection and
//  from all. max_request <= per_connection <= total.
typedef struct {
    size_t max_request;
    size_t per_connection;
    size_t total;
} cf_api_server_limits_t;

//  Serves requests arriving on `api` (a bound ROUTER) for stream `stream`,
//  queueing replies with `commit`. `keys` (NULL: plaintext) tell each
//  sender's role; `clock` stamps stored replies; `limits` (copied) bound
//  what it takes in. Everything else is borrowed and must outlive the
//  server. Never NULL.
cf_api_server_t *
cf_api_server_new (zsock_t *api, const char *stream, cf_commit_t *commit, cf_keys_t *keys,
                   cf_clock_t *clock, const cf_api_handlers_t *handlers, void *ctx,
                   const cf_api_server_metrics_t *metrics, const cf_api_server_limits_t *limits);

//  Frees the server; safe on NULL; nulls *self_p.
void
cf_api_server_destroy (cf_api_server_t **self_p);

//  Handles up to `max` messages waiting on the socket, receiving until it
//  has nothing (which ends the edge-triggered wake-up of ZMQ_FD as asking
//  ZMQ_EVENTS would); each call is a round of the budgets. Every few
//  hundred requests the open batch goes to the writer if that is free
//  (cf_commit_hand_over). Returns how many messages were handled.
size_t
cf_api_server_drain (cf_api_server_t *self, size_t max);

//  Tells the server the loop has nothing left to read. After a burst of
//  requests refused undecoded (16 MiB or more since the last time), it
//  gives free memory back (cf_memory_give_back), at most once a second,
//  counted and logged with the time it took.
void
cf_api_server_idle (cf_api_server_t *self);

//  From now on commands are refused UNAVAILABLE ("shutting down").
void
cf_api_server_stop (cf_api_server_t *self);

#endif
