//  cf_service_api: the runtime's api socket, one request at a time.
//
//  Commands are decided in the open batch (a retried request id gets the
//  reply stored for it, in a batch not yet written or in the store, and
//  acts only once), queries are answered from the state as it is, replay
//  is answered after the commit so it serves committed events only. The clock commands and the status, digest and
//  clock queries are the runtime's own; every other body goes to the
//  service's handlers.
#include "cf_service_private.h"

#include "cf_error.h"
#include "cf_log.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
s_clock_state (cf_service_t *self, Caseflow__V1__ClockState **state_p)
{
    Caseflow__V1__ClockState *state = malloc (sizeof *state);
    assert (state);
    caseflow__v1__clock_state__init (state);
    state->now = cf_clock_now (self->clock);
    state->mode = cf_strdup (cf_clock_is_manual (self->clock) ? "manual" : "system");
    *state_p = state;
}

static void
s_handle_clock_command (cf_service_t *self, const Caseflow__V1__Command *command,
                        Caseflow__V1__Reply *reply)
{
    int rc;
    const char *field;
    if (command->body_case == CASEFLOW__V1__COMMAND__BODY_CLOCK_SET) {
        field = "command.clock_set.at";
        rc = cf_clock_set (self->clock, command->clock_set->at);
    } else {
        field = "command.clock_advance.micros";
        rc = cf_clock_advance (self->clock, command->clock_advance->micros);
    }
    if (rc == CF_ESTATE) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION, "command",
                             "the clock is the system clock; start with --clock=manual");
        return;
    }
    if (rc) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, field,
                             "the manual clock only moves forward");
        return;
    }
    //  The manual clock survives a restart: it is stored with the batch.
    char text [32];
    snprintf (text, sizeof text, "%lld", (long long) cf_clock_now (self->clock));
    if (cf_service_batch_begin (self) == 0)
        cf_service_store_meta (self, "clock", text, strlen (text));
    cf_service_call_on_clock (self);
    Caseflow__V1__CommandResult *result = cf_api_reply_command (reply);
    result->body_case = CASEFLOW__V1__COMMAND_RESULT__BODY_CLOCK;
    s_clock_state (self, &result->clock);
}

static void
s_handle_command (cf_service_t *self, const Caseflow__V1__Request *request,
                  cf_service_reply_t *pending, Caseflow__V1__Reply *reply)
{
    pending->command = true;
    if (self->stopping || self->store_full || cf_service_batch_begin (self)) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__UNAVAILABLE, NULL, "%s",
                             self->stopping ? "shutting down"
                                            : "store full: writes refused until the service is "
                                              "restarted with a larger --map-size");
        return;
    }
    //  A retried command gets the reply it was given, and acts only once.
    void *stored = NULL;
    size_t stored_size = 0;
    if (cf_service_stored_reply (self, request->request_id, &stored, &stored_size) == 0) {
        pending->data = stored;
        pending->size = stored_size;
        return;
    }
    cf_service_set_context (self, request->request_id, request->request_id, request->request_id);
    const Caseflow__V1__Command *command = request->command;
    if (command->body_case == CASEFLOW__V1__COMMAND__BODY_CLOCK_SET
        || command->body_case == CASEFLOW__V1__COMMAND__BODY_CLOCK_ADVANCE)
        s_handle_clock_command (self, command, reply);
    else if (self->def->handle_command)
        self->def->handle_command (self->state, self, command, reply);
    else
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "command",
                             "this service has no such command");
    Caseflow__V1__Status__Code code = cf_api_reply_code (reply);
    //  Decide, then emit: a refusal after emitting would leave applied
    //  events behind a failed command.
    assert (code == CASEFLOW__V1__STATUS__CODE__OK || self->emitted == 0);
    if (code == CASEFLOW__V1__STATUS__CODE__OK && self->emitted)
        cf_api_reply_command (reply)->last_seq = self->last_seq;
    cf_metric_add (self->m.commands [code], 1);
    cf_service_set_context (self, NULL, NULL, NULL);
}

static void
s_handle_query (cf_service_t *self, const Caseflow__V1__Query *query, Caseflow__V1__Reply *reply)
{
    cf_metric_add (self->m.queries, 1);
    if (query->body_case == CASEFLOW__V1__QUERY__BODY_STATUS) {
        Caseflow__V1__QueryResult *result = cf_api_reply_query (reply);
        Caseflow__V1__ServiceStatus *status = malloc (sizeof *status);
        assert (status);
        caseflow__v1__service_status__init (status);
        status->service = cf_strdup (self->def->name);
        status->ready = atomic_load (&self->ready);
        status->last_seq = self->committed_seq;
        status->journal_events = cf_journal_entries (self->journal);
        status->journal_bytes = cf_journal_bytes (self->journal);
        status->store_full = self->store_full;
        s_clock_state (self, &status->clock);
        status->n_upstreams = self->subscriber_count;
        status->upstreams = calloc (self->subscriber_count + 1, sizeof *status->upstreams);
        assert (status->upstreams);
        for (size_t i = 0; i < self->subscriber_count; i++) {
            cf_bus_subscriber_t *sub = self->subscribers [i];
            Caseflow__V1__UpstreamStatus *up = malloc (sizeof *up);
            assert (up);
            caseflow__v1__upstream_status__init (up);
            up->stream = cf_strdup (cf_bus_subscriber_stream (sub));
            up->cursor = cf_bus_subscriber_cursor (sub);
            up->head = cf_bus_subscriber_head (sub);
            up->lag = up->head > up->cursor ? up->head - up->cursor : 0;
            up->caught_up = cf_bus_subscriber_caught_up (sub);
            status->upstreams [i] = up;
        }
        result->body_case = CASEFLOW__V1__QUERY_RESULT__BODY_STATUS;
        result->status = status;
    } else if (query->body_case == CASEFLOW__V1__QUERY__BODY_DIGEST) {
        crypto_hash_sha256_state hash;
        crypto_hash_sha256_init (&hash);
        self->def->digest (self->state, &hash);
        unsigned char sum [crypto_hash_sha256_BYTES];
        crypto_hash_sha256_final (&hash, sum);
        Caseflow__V1__StateDigest *digest = malloc (sizeof *digest);
        assert (digest);
        caseflow__v1__state_digest__init (digest);
        digest->sha256 = malloc (2 * sizeof sum + 1);
        assert (digest->sha256);
        sodium_bin2hex (digest->sha256, 2 * sizeof sum + 1, sum, sizeof sum);
        digest->events_applied = self->events_applied;
        Caseflow__V1__QueryResult *result = cf_api_reply_query (reply);
        result->body_case = CASEFLOW__V1__QUERY_RESULT__BODY_DIGEST;
        result->digest = digest;
    } else if (query->body_case == CASEFLOW__V1__QUERY__BODY_CLOCK) {
        Caseflow__V1__QueryResult *result = cf_api_reply_query (reply);
        result->body_case = CASEFLOW__V1__QUERY_RESULT__BODY_CLOCK;
        s_clock_state (self, &result->clock);
    } else if (self->def->handle_query)
        self->def->handle_query (self->state, self, query, reply);
    else
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "query",
                             "this service has no such query");
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

//  Refuses a request the sender's role does not allow: PERMISSION_DENIED
//  naming the roles that may, counted, and logged by key name (never by
//  content) at most once a second, so a misconfigured client cannot flood
//  the log.
static void
s_deny (cf_service_t *self, Caseflow__V1__Reply *reply, cf_action_t action, cf_role_t role,
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
    cf_log_warn ("api: refused a %s from the key \"%s\" (role %s): it needs %s%s",
                 cf_action_name (action), key_name, cf_role_name (role), cf_action_roles (action),
                 more);
    self->denied_logged_at = now;
    self->denied_unlogged = 0;
}

//  One message from the api ROUTER: [identity]([empty])[Request].
void
cf_service_handle_api_message (cf_service_t *self, cf_frames_t *msg)
{
    size_t frames = msg->total;
    cf_service_reply_t pending = { .identity_size = 0 };
    size_t payload_index = 1;
    if (frames == 3 && cf_frames_size (msg, 1) == 0) {
        pending.delimiter = true;
        payload_index = 2;
    }
    if (frames < 2 || frames > 3 || payload_index + 1 != frames
        || cf_frames_size (msg, 0) > CF_SERVICE_IDENTITY_MAX) {
        cf_log_warn ("api: dropped a message of %zu frames (expected [Request])", frames);
        return;
    }
    pending.identity_size = cf_frames_size (msg, 0);
    memcpy (pending.identity, cf_frames_data (msg, 0), pending.identity_size);
    zmq_msg_t *payload = &msg->frames [payload_index];
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, NULL);
    //  The request is decoded into an arena and forgotten with one reset
    //  at the end (see cf_arena.h): nothing keeps a pointer into it (the
    //  id is copied, emitted events are encoded at once, replies are
    //  heap-allocated), and it spares protobuf-c's malloc/free per field.
    if (!self->request_arena)
        self->request_arena = cf_arena_new (0);
    Caseflow__V1__Request *request =
        cf_api_decode_request_with (zmq_msg_data (payload), zmq_msg_size (payload), &reply,
                                    cf_arena_allocator (self->request_arena));
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
        if (self->keys && !cf_role_allows (role, action))
            s_deny (self, &reply, action, role, key_name);
        else if (request->body_case == CASEFLOW__V1__REQUEST__BODY_COMMAND)
            s_handle_command (self, request, &pending, &reply);
        else if (request->body_case == CASEFLOW__V1__REQUEST__BODY_QUERY)
            s_handle_query (self, request->query, &reply);
        else if (strcmp (request->replay->stream, self->def->name) != 0)
            cf_api_reply_status (&reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND, "replay.stream",
                                 "this service serves only the stream \"%s\"", self->def->name);
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
            && code != CASEFLOW__V1__STATUS__CODE__INTERNAL && !self->store_full)
            cf_service_store_reply (self, request->request_id, pending.data, pending.size);
    }
    cf_api_reply_clear (&reply);
    cf_arena_reset (self->request_arena);
    cf_service_queue_reply (self, &pending);
}
