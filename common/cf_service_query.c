//  cf_service_query: the queries of the runtime (see cf_service_private.h).
//
//  Every service answers status, digest, clock and the access log the
//  same way; anything else is the service's own query. Around the
//  service's handler the access log knows who is asking, so the reads of
//  personal data the service reports (cf_service_record_access) are
//  recorded under the caller's name, role and on_behalf_of; a reply whose
//  reads could not be recorded (the store is full) leaves as UNAVAILABLE
//  instead, without the data.
#include "cf_service_private.h"

#include "cf_api.h"
#include "cf_error.h"
#include "cf_service_clock.h"

#include <assert.h>
#include <sodium.h>
#include <stdlib.h>

static Caseflow__V1__ServiceStatus *
s_status (cf_service_t *self)
{
    Caseflow__V1__ServiceStatus *status = malloc (sizeof *status);
    assert (status);
    caseflow__v1__service_status__init (status);
    status->service = cf_strdup (cf_streams_own (self->streams));
    status->ready = atomic_load (&self->ready);
    status->last_seq = cf_commit_committed_seq (self->commit);
    status->journal_events = cf_journal_entries (self->journal);
    status->journal_bytes = cf_journal_bytes (self->journal);
    status->store_full = cf_commit_store_full (self->commit);
    status->clock = cf_service_clock_state (self->clock);
    cf_upstreams_status (self->upstreams, status);
    return status;
}

static Caseflow__V1__StateDigest *
s_digest (cf_service_t *self)
{
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
    return digest;
}

//  The service's own query, with its reads of personal data accounted for.
static void
s_service_query (cf_service_t *self, const Caseflow__V1__Request *request,
                 const cf_api_caller_t *caller, Caseflow__V1__Reply *reply)
{
    if (!self->def->handle_query) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "query",
                             "this service has no such query");
        return;
    }
    cf_access_begin (self->access, request->request_id, caller);
    self->caller = caller;
    self->def->handle_query (self->state, self, request->query, reply);
    self->caller = NULL;
    if (!cf_access_end (self->access)) {
        cf_api_reply_clear (reply);
        cf_api_reply_init (reply, request->request_id);
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__UNAVAILABLE, NULL,
                             "store full: a read of personal data cannot be recorded, so it is "
                             "not answered until the service is restarted with a larger "
                             "--map-size");
    }
}

void
cf_service_answer_query (void *ctx, const Caseflow__V1__Request *request,
                         const cf_api_caller_t *caller, Caseflow__V1__Reply *reply)
{
    cf_service_t *self = ctx;
    const Caseflow__V1__Query *query = request->query;
    if (query->body_case == CASEFLOW__V1__QUERY__BODY_STATUS) {
        Caseflow__V1__QueryResult *result = cf_api_reply_query (reply);
        result->body_case = CASEFLOW__V1__QUERY_RESULT__BODY_STATUS;
        result->status = s_status (self);
    } else if (query->body_case == CASEFLOW__V1__QUERY__BODY_DIGEST) {
        Caseflow__V1__QueryResult *result = cf_api_reply_query (reply);
        result->body_case = CASEFLOW__V1__QUERY_RESULT__BODY_DIGEST;
        result->digest = s_digest (self);
    } else if (query->body_case == CASEFLOW__V1__QUERY__BODY_CLOCK) {
        Caseflow__V1__QueryResult *result = cf_api_reply_query (reply);
        result->body_case = CASEFLOW__V1__QUERY_RESULT__BODY_CLOCK;
        result->clock = cf_service_clock_state (self->clock);
    } else if (query->body_case == CASEFLOW__V1__QUERY__BODY_STREAM_STATUS) {
        Caseflow__V1__QueryResult *result = cf_api_reply_query (reply);
        result->body_case = CASEFLOW__V1__QUERY_RESULT__BODY_STREAM_STATUS;
        result->stream_status = cf_service_stream_status (self);
    } else if (query->body_case == CASEFLOW__V1__QUERY__BODY_ACCESS_LOG)
        cf_access_answer (self->access, query->access_log, reply);
    else
        s_service_query (self, request, caller, reply);
}

int
cf_service_record_access (cf_service_t *self, const char *action, const char *case_id,
                          const char *handover_id, const char *subject)
{
    return cf_access_record (self->access, action, case_id, handover_id, subject);
}
