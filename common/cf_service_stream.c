//  cf_service_stream: the runtime's side of stream identity (DESIGN.md,
//  "Streams have an identity"; see cf_service_private.h): the stream
//  status query (the own stream's epoch and head, each upstream cursor's
//  identity and state), the operator's `stream accept` command, the
//  cursor epochs stored with the batches, and /readyz's line for a
//  diverged upstream.
//
//  Accepting keeps what the service applied of the producer's lost
//  history: its journal holds those events and its state their effects,
//  and neither is rewritten (a journal is never edited, and the state is
//  what replaying the journal gives). The cursor moves to the lower of its
//  seq and the producer's head, under the producer's epoch, so every event
//  of the new history above that seq is applied; those at or below it are
//  not (docs/operations.md says what that means for an operator, and why
//  `stream recover`, which loses nothing, comes first).
#include "cf_service_private.h"

#include "cf_api.h"
#include "cf_bus_identity.h"
#include "cf_log.h"
#include "cf_time.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
cf_service_show_divergence (cf_service_t *self)
{
    const char *why = cf_upstreams_divergence (self->upstreams);
    if (why && strcmp (why, self->diverged) == 0)
        return;
    if (!why && !self->diverged [0])
        return;
    //  The HTTP thread reads the line: it is taken back before it changes
    //  (the readiness update that follows shows the new one).
    cf_http_set_unready_reason (self->http, self->unready_reason);
    snprintf (self->diverged, sizeof self->diverged, "%s", why ? why : "");
}

cf_bus_subscriber_t *
cf_service_next_divergence (cf_service_t *self)
{
    size_t count = self->upstreams ? cf_upstreams_count (self->upstreams) : 0;
    for (size_t i = 0; i < count && i < 64; i++) {
        cf_bus_subscriber_t *sub = cf_upstreams_subscriber (self->upstreams, i);
        uint64_t bit = UINT64_C (1) << i;
        if (!cf_bus_subscriber_divergence (sub))
            self->diverged_told &= ~bit;
        else if (!(self->diverged_told & bit)) {
            self->diverged_told |= bit;
            return sub;
        }
    }
    return NULL;
}

void
cf_service_store_cursor_epoch (cf_service_t *self, const char *stream, uint64_t epoch)
{
    char key [CF_JOURNAL_EVENT_ID_MAX + 600];
    if (cf_journal_cursor_epoch_key (stream, key, sizeof key) == 0)
        cf_commit_store_meta (self->commit, key, &epoch, sizeof epoch);
}

static const char *
s_state (cf_bus_subscriber_t *sub)
{
    if (cf_bus_subscriber_divergence (sub))
        return "diverged";
    return cf_bus_subscriber_caught_up (sub) ? "following" : "catching-up";
}

Caseflow__V1__StreamStatus *
cf_service_stream_status (cf_service_t *self)
{
    Caseflow__V1__StreamStatus *status = malloc (sizeof *status);
    assert (status);
    caseflow__v1__stream_status__init (status);
    status->stream = cf_strdup (self->def->name);
    status->epoch = cf_journal_epoch (self->journal);
    status->last_seq = cf_commit_committed_seq (self->commit);
    size_t count = self->upstreams ? cf_upstreams_count (self->upstreams) : 0;
    status->cursors = calloc (count + 1, sizeof *status->cursors);
    assert (status->cursors);
    for (size_t i = 0; i < count; i++) {
        cf_bus_subscriber_t *sub = cf_upstreams_subscriber (self->upstreams, i);
        Caseflow__V1__StreamCursor *cursor = malloc (sizeof *cursor);
        assert (cursor);
        caseflow__v1__stream_cursor__init (cursor);
        cursor->stream = cf_strdup (cf_bus_subscriber_stream (sub));
        cursor->epoch = cf_bus_subscriber_epoch (sub);
        cursor->cursor = cf_bus_subscriber_cursor (sub);
        cursor->last_id = cf_strdup (cf_bus_subscriber_last_id (sub));
        cursor->producer_epoch = cf_bus_subscriber_producer_epoch (sub);
        cursor->head = cf_bus_subscriber_head (sub);
        cursor->state = cf_strdup (s_state (sub));
        const char *why = cf_bus_subscriber_divergence (sub);
        cursor->reason = cf_strdup (cf_bus_verdict_word (cf_bus_subscriber_verdict (sub)));
        cursor->detail = cf_strdup (why ? why : "");
        status->cursors [status->n_cursors++] = cursor;
    }
    return status;
}

//  `stream accept STREAM` sent to this service.
static void
s_accept (cf_service_t *self, const Caseflow__V1__StreamAccept *accept,
          const cf_api_caller_t *caller, Caseflow__V1__Reply *reply)
{
    if (caller && caller->keys && caller->role != CF_ROLE_OPERATOR) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__PERMISSION_DENIED, NULL,
                             "only an operator's key may accept a stream's new history");
        return;
    }
    if (!accept->stream || !*accept->stream) {
        cf_api_reply_invalid (reply, "command.stream_accept.stream", "is empty");
        return;
    }
    cf_bus_subscriber_t *sub = NULL;
    size_t count = self->upstreams ? cf_upstreams_count (self->upstreams) : 0;
    for (size_t i = 0; i < count && !sub; i++)
        if (strcmp (cf_bus_subscriber_stream (cf_upstreams_subscriber (self->upstreams, i)),
                    accept->stream)
            == 0)
            sub = cf_upstreams_subscriber (self->upstreams, i);
    if (!sub) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND, "stream",
                             "%s does not follow stream %.100s", self->def->name, accept->stream);
        return;
    }
    uint64_t previous_cursor = cf_bus_subscriber_cursor (sub);
    uint64_t previous_epoch = cf_bus_subscriber_epoch (sub);
    uint64_t cursor, epoch;
    if (cf_bus_subscriber_accept (sub, cf_time_monotonic (), &cursor, &epoch)) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION, "stream",
                             "upstream %s has not diverged: there is nothing to accept",
                             accept->stream);
        return;
    }
    //  With this command's batch: if it is not stored, the rewind that
    //  follows finds the old cursor, and the divergence again.
    cf_commit_store_cursor (self->commit, accept->stream, cursor);
    cf_service_store_cursor_epoch (self, accept->stream, epoch);
    cf_service_show_divergence (self);
    Caseflow__V1__StreamAccepted *accepted = malloc (sizeof *accepted);
    assert (accepted);
    caseflow__v1__stream_accepted__init (accepted);
    accepted->stream = cf_strdup (accept->stream);
    accepted->epoch = epoch;
    accepted->cursor = cursor;
    accepted->previous_epoch = previous_epoch;
    accepted->previous_cursor = previous_cursor;
    Caseflow__V1__CommandResult *result = cf_api_reply_command (reply);
    result->body_case = CASEFLOW__V1__COMMAND_RESULT__BODY_STREAM_ACCEPTED;
    result->stream_accepted = accepted;
}

bool
cf_service_stream_command (cf_service_t *self, const Caseflow__V1__Command *command,
                           const cf_api_caller_t *caller, Caseflow__V1__Reply *reply)
{
    if (command->body_case != CASEFLOW__V1__COMMAND__BODY_STREAM_ACCEPT)
        return false;
    s_accept (self, command->stream_accept, caller, reply);
    return true;
}
