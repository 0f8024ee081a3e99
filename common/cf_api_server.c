//  cf_api_server: a service's api socket (see cf_api_server.h).
//
//  The request is decoded into an arena and forgotten with one reset at
//  the end (see cf_arena.h): nothing keeps a pointer into it (the id is
//  copied, emitted events are encoded at once, replies are
//  heap-allocated), and it spares protobuf-c a malloc and a free per
//  field.
#include "cf_api_server.h"

#include "cf_api_budget.h"
#include "cf_arena.h"
#include "cf_error.h"
#include "cf_frames.h"
#include "cf_log.h"
#include "cf_memory.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_HAND_OVER_EVERY 256  //  requests between looks at the writer
//  Memory is given back once this many bytes of requests were refused
//  undecoded, when the loop is idle, at most once a second.
#define S_TRIM_AFTER_BYTES ((size_t) 16 << 20)
#define S_TRIM_EVERY_US    1000000

struct _cf_api_server_t {
    zsock_t *api;
    const char *stream;
    cf_commit_t *commit;
    cf_keys_t *keys;  //  NULL: plaintext
    cf_clock_t *clock;
    cf_api_handlers_t handlers;
    void *ctx;
    cf_api_server_metrics_t m;
    cf_arena_t *arena;         //  decodes requests
    size_t max_request;        //  bytes; larger requests are refused
    cf_api_budget_t *budget;   //  bytes taken per round
    size_t refused_bytes;      //  refused undecoded since memory was last given back
    int64_t trimmed_at;        //  monotonic: when memory was last given back
    int64_t denied_logged_at;  //  monotonic; refusals are logged once a second
    size_t denied_unlogged;
    bool stopping;
};

cf_api_server_t *
cf_api_server_new (zsock_t *api, const char *stream, cf_commit_t *commit, cf_keys_t *keys,
                   cf_clock_t *clock, const cf_api_handlers_t *handlers, void *ctx,
                   const cf_api_server_metrics_t *metrics, const cf_api_server_limits_t *limits)
{
    assert (api && stream && commit && clock && handlers && metrics && limits);
    assert (limits->max_request <= limits->per_connection);
    cf_api_server_t *self = calloc (1, sizeof *self);
    assert (self);
    self->api = api;
    self->stream = stream;
    self->commit = commit;
    self->keys = keys;
    self->clock = clock;
    self->handlers = *handlers;
    self->ctx = ctx;
    self->m = *metrics;
    self->arena = cf_arena_new (0);
    self->max_request = limits->max_request;
    self->budget = cf_api_budget_new (limits->per_connection, limits->total);
    return self;
}

void
cf_api_server_destroy (cf_api_server_t **self_p)
{
    assert (self_p);
    cf_api_server_t *self = *self_p;
    if (!self)
        return;
    cf_arena_destroy (&self->arena);
    cf_api_budget_destroy (&self->budget);
    free (self);
    *self_p = NULL;
}

void
cf_api_server_stop (cf_api_server_t *self)
{
    self->stopping = true;
}

//  A command: refused while stopping or full, answered from the stored
//  reply when retried, else decided by the owner.
static void
s_handle_command (cf_api_server_t *self, const Caseflow__V1__Request *request,
                  const cf_api_caller_t *caller, cf_commit_reply_t *pending,
                  Caseflow__V1__Reply *reply)
{
    pending->command = true;
    if (self->stopping || cf_commit_store_full (self->commit)) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__UNAVAILABLE, NULL, "%s",
                             self->stopping ? "shutting down"
                                            : cf_commit_full_reason (self->commit));
        return;
    }
    //  A retried command gets the reply it was given, and acts only once.
    void *stored = NULL;
    size_t stored_size = 0;
    if (cf_commit_find_reply (self->commit, request->request_id, &stored, &stored_size) == 0) {
        pending->data = stored;
        pending->size = stored_size;
        return;
    }
    self->handlers.command (self->ctx, request, caller, reply);
    cf_metric_add (self->m.commands [cf_api_reply_code (reply)], 1);
}

static cf_action_t
s_action (const Caseflow__V1__Request *request)
{
    if (request->body_case == CASEFLOW__V1__REQUEST__BODY_COMMAND)
        return CF_ACTION_COMMAND;
    if (request->body_case == CASEFLOW__V1__REQUEST__BODY_QUERY)
        return CF_ACTION_QUERY;
    return CF_ACTION_REPLAY;
}

//  Counts a refusal by role and logs it by key name (never by content) at
//  most once a second, so a misconfigured client cannot flood the log.
static void
s_count_denied (cf_api_server_t *self, cf_action_t action, cf_role_t role, const char *key_name,
                const char *needs)
{
    cf_metric_add (self->m.denied [action], 1);
    if (action == CF_ACTION_COMMAND)
        cf_metric_add (self->m.commands [CASEFLOW__V1__STATUS__CODE__PERMISSION_DENIED], 1);
    int64_t now = cf_time_monotonic ();
    if (self->denied_logged_at && now - self->denied_logged_at < 1000000) {
        self->denied_unlogged++;
        return;
    }
    char more [96] = "";
    if (self->denied_unlogged)
        snprintf (more, sizeof more, " (and %zu refusals not logged since the last line)",
                  self->denied_unlogged);
    cf_log_warn ("api: refused a %s from the key \"%s\" (role %s): %s%s", cf_action_name (action),
                 key_name, cf_role_name (role), needs, more);
    self->denied_logged_at = now;
    self->denied_unlogged = 0;
}

//  Refuses a request the sender's role does not allow: PERMISSION_DENIED
//  naming the roles that may.
static void
s_deny (cf_api_server_t *self, Caseflow__V1__Reply *reply, cf_action_t action, cf_role_t role,
        const char *key_name)
{
    //  Role none: the key's certificate left public/ after the handshake
    //  (or never had a role), which the operator should recognise.
    cf_api_reply_status (
        reply, CASEFLOW__V1__STATUS__CODE__PERMISSION_DENIED, cf_action_name (action),
        "the key \"%s\" %s%s; a %s needs the role %s", key_name,
        role == CF_ROLE_NONE ? "is no longer in public/ or has no role" : "has the role ",
        role == CF_ROLE_NONE ? "" : cf_role_name (role), cf_action_name (action),
        cf_action_roles (action));
    char needs [96];
    snprintf (needs, sizeof needs, "it needs %s", cf_action_roles (action));
    s_count_denied (self, action, role, key_name, needs);
}

//  Refuses a request that names the person it acts for from a key that is
//  no proxy's: an operator's or a service's key cannot speak for someone
//  else (the events and the access log would name a person who did not
//  ask).
static void
s_deny_on_behalf (cf_api_server_t *self, Caseflow__V1__Reply *reply, cf_action_t action,
                  cf_role_t role, const char *key_name)
{
    cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__PERMISSION_DENIED, "on_behalf_of",
                         "the key \"%s\" has the role %s; only a proxy may name on_behalf_of",
                         key_name, cf_role_name (role));
    s_count_denied (self, action, role, key_name, "only a proxy may name on_behalf_of");
}

//  Weighs a request before it is decoded: over the size limit, or beyond
//  its connection's or everyone's budget this round, fills `reply` with
//  the refusal (under the id read from the request's first bytes, so its
//  sender can match it) and returns true. Neither refusal is stored: the
//  request was never read as a command, and a retry of it may well fit.
static bool
s_weigh (cf_api_server_t *self, cf_frames_t *msg, zmq_msg_t *payload, cf_commit_reply_t *pending,
         Caseflow__V1__Reply *reply)
{
    size_t size = zmq_msg_size (payload);
    bool too_large = size > self->max_request;
    cf_api_budget_verdict_t verdict =
        too_large ? CF_API_BUDGET_OK
                  : cf_api_budget_take (self->budget, cf_frames_data (msg, 0),
                                        cf_frames_size (msg, 0), size);
    if (!too_large && verdict == CF_API_BUDGET_OK)
        return false;
    self->refused_bytes += size;
    char id [CF_API_MAX_REQUEST_ID + 1];
    if (cf_api_peek_request_id (zmq_msg_data (payload), size, id)) {
        reply->request_id = cf_strdup (id);
        memcpy (pending->request_id, id, strlen (id) + 1);
    }
    if (too_large) {
        cf_metric_add (self->m.too_large, 1);
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "request",
                             "request of %zu bytes is over the limit of %zu bytes "
                             "(--max-request-bytes)",
                             size, self->max_request);
    } else {
        cf_metric_add (self->m.busy, 1);
        bool mine = verdict == CF_API_BUDGET_CONNECTION;
        cf_api_reply_status (
            reply, CASEFLOW__V1__STATUS__CODE__UNAVAILABLE, "request",
            "busy: %s sent more than %zu bytes of requests since the service last looked "
            "(%s); not handled, retry later",
            mine ? "this connection" : "all connections together",
            mine ? cf_api_budget_per_connection (self->budget) : cf_api_budget_total (self->budget),
            mine ? "--max-inbound-per-connection" : "--max-inbound");
    }
    return true;
}

//  One message from the api ROUTER: [identity]([empty])[Request].
static void
s_handle_message (cf_api_server_t *self, cf_frames_t *msg)
{
    size_t frames = msg->total;
    cf_commit_reply_t pending = { .identity_size = 0 };
    size_t payload_index = 1;
    if (frames == 3 && cf_frames_size (msg, 1) == 0) {
        pending.delimiter = true;
        payload_index = 2;
    }
    if (frames < 2 || frames > 3 || payload_index + 1 != frames
        || cf_frames_size (msg, 0) > CF_COMMIT_IDENTITY_MAX) {
        cf_log_warn ("api: dropped a message of %zu frames (expected [Request])", frames);
        return;
    }
    pending.identity_size = cf_frames_size (msg, 0);
    memcpy (pending.identity, cf_frames_data (msg, 0), pending.identity_size);
    zmq_msg_t *payload = &msg->frames [payload_index];
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, NULL);
    if (s_weigh (self, msg, payload, &pending, &reply)) {
        pending.data = cf_api_encode_reply (&reply, &pending.size);
        cf_api_reply_clear (&reply);
        cf_commit_queue_reply (self->commit, &pending);
        return;
    }
    Caseflow__V1__Request *request = cf_api_decode_request_with (
        zmq_msg_data (payload), zmq_msg_size (payload), &reply, cf_arena_allocator (self->arena));
    //  With keys, the handshake admitted the sender; its role says what it
    //  may ask (read from the frame's metadata, so before it goes).
    cf_role_t role = CF_ROLE_NONE;
    const char *key_name = NULL;
    if (self->keys)
        role = cf_keys_message_role (self->keys, payload, &key_name);
    if (request) {
        //  cf_api_decode_request checked the id: 1 to CF_API_MAX_REQUEST_ID
        //  characters, so it fits.
        memcpy (pending.request_id, request->request_id, strlen (request->request_id) + 1);
        cf_action_t action = s_action (request);
        cf_api_caller_t caller = { .actor = self->keys ? key_name : CF_API_LOCAL_ACTOR,
                                   .role = role,
                                   .keys = self->keys != NULL,
                                   .on_behalf_of = request->on_behalf_of };
        if (self->keys && !cf_role_allows (role, action))
            s_deny (self, &reply, action, role, key_name);
        else if (self->keys && *request->on_behalf_of && !cf_role_may_act_for (role))
            s_deny_on_behalf (self, &reply, action, role, key_name);
        else if (request->body_case == CASEFLOW__V1__REQUEST__BODY_COMMAND)
            s_handle_command (self, request, &caller, &pending, &reply);
        else if (request->body_case == CASEFLOW__V1__REQUEST__BODY_QUERY) {
            cf_metric_add (self->m.queries, 1);
            self->handlers.query (self->ctx, request, &caller, &reply);
        } else if (strcmp (request->replay->stream, self->stream) != 0)
            cf_api_reply_status (&reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND, "replay.stream",
                                 "this service serves only the stream \"%s\"", self->stream);
        else {
            cf_metric_add (self->m.replays, 1);
            pending.replay = true;
            pending.from_seq = request->replay->from_seq;
            pending.max_events = request->replay->max_events;
            pending.max_bytes = request->replay->max_bytes;
        }
    } else
        cf_metric_add (self->m.commands [CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT], 1);
    if (!pending.replay && !pending.data) {
        pending.data = cf_api_encode_reply (&reply, &pending.size);
        Caseflow__V1__Status__Code code = cf_api_reply_code (&reply);
        //  Transient refusals are not remembered: a retry may succeed.
        if (request && pending.command && code != CASEFLOW__V1__STATUS__CODE__UNAVAILABLE
            && code != CASEFLOW__V1__STATUS__CODE__INTERNAL && !cf_commit_store_full (self->commit))
            cf_commit_store_reply (self->commit, request->request_id, pending.data, pending.size,
                                   cf_clock_now (self->clock));
    }
    cf_api_reply_clear (&reply);
    cf_arena_reset (self->arena);
    cf_commit_queue_reply (self->commit, &pending);
}

size_t
cf_api_server_drain (cf_api_server_t *self, size_t max)
{
    size_t handled = 0;
    cf_api_budget_start_round (self->budget);
    //  Receive until nothing is left rather than asking ZMQ_EVENTS before
    //  each message: every ZMQ_EVENTS costs libzmq a poll() and a getpid()
    //  system call, a recv only every hundredth message and at the end.
    //  The frames stay in libzmq's messages: no zmsg, no copies.
    while (handled < max) {
        cf_frames_t msg;
        if (!cf_frames_recv (&msg, zsock_resolve (self->api)))
            break;
        s_handle_message (self, &msg);
        cf_frames_close (&msg);
        handled++;
        //  A writer that is done gets the next batch now rather than when
        //  the round is over: otherwise a long round decides one big batch
        //  while the writer idles, then a small one, and clients that wait
        //  for their answers wait longer.
        if (handled % S_HAND_OVER_EVERY == 0)
            cf_commit_hand_over (self->commit);
    }
    return handled;
}

//  After a burst of large requests, libzmq's I/O thread has allocated
//  them in its own malloc arena, and glibc keeps what they freed there
//  (the flood left intake at 960 MB). Once the burst is over (the
//  loop has nothing left to read) that memory is given back; not more
//  often than once a second, since the walk costs a little, which also
//  keeps its log line to one a second under a flood.
void
cf_api_server_idle (cf_api_server_t *self)
{
    if (self->refused_bytes < S_TRIM_AFTER_BYTES)
        return;
    int64_t now = cf_time_monotonic ();
    if (self->trimmed_at && now - self->trimmed_at < S_TRIM_EVERY_US)
        return;
    int64_t took = cf_memory_give_back ();
    cf_log_info ("api: %zu MiB of requests refused undecoded (too large or over a budget); "
                 "gave free memory back in %lld us",
                 self->refused_bytes >> 20, (long long) took);
    cf_metric_add (self->m.memory_trims, 1);
    self->refused_bytes = 0;
    self->trimmed_at = now;
}
