//  caseflow-intake: where a resident's request for help enters caseflow.
//
//  The service owns the `intake` stream: registrations from every channel,
//  triage, the 14-day callbacks' outcomes, group tracks, advice, withdrawal
//  and closure; it follows the `handover` stream (a completed handover that
//  continues here becomes a case) and the `assignment` stream (the case's
//  status follows assigned, started, unassigned and completed).
//
//  This file is only the definition the runtime (cf_service.h) runs; the
//  logic is in the modules, each testable without the runtime:
//      intake_state      the state and apply (the only code that changes it)
//      intake_lifecycle  the case transition table
//      intake_decide     the command handlers
//      intake_react      the reactions to upstream events
//      intake_query      the queries and the case and track views
//      intake_validate   BSN eleven-test, dates, ids, free text, case ids
//  The design decisions (what the issue left open and how it was settled)
//  are in README.md next to this file.
#include "caseflow/v1/api.pb-c.h"
#include "cf_api.h"
#include "cf_service.h"
#include "intake_decide.h"
#include "intake_query.h"
#include "intake_state.h"

static void *
s_state_new (cf_service_t *service)
{
    (void) service;
    return intake_state_new ();
}

static void
s_state_destroy (void **state_p)
{
    intake_state_t *state = *state_p;
    intake_state_destroy (&state);
    *state_p = NULL;
}

static int
s_apply (void *state, const Caseflow__V1__Event *event)
{
    return intake_state_apply (state, event);
}

static int
s_emit (void *ctx, Caseflow__V1__Event *event)
{
    return cf_service_emit ((cf_service_t *) ctx, event);
}

static void
s_handle_command (void *state, cf_service_t *service, const Caseflow__V1__Command *command,
                  Caseflow__V1__Reply *reply)
{
    if (command->body_case != CASEFLOW__V1__COMMAND__BODY_INTAKE) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "command",
                             "not a command of the intake service");
        return;
    }
    intake_sink_t sink = { .emit = s_emit, .ctx = service, .now = cf_service_now (service) };
    intake_decide_command (state, &sink, command->intake, reply);
}

static void
s_handle_query (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                Caseflow__V1__Reply *reply)
{
    (void) service;
    if (query->body_case != CASEFLOW__V1__QUERY__BODY_INTAKE) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "query",
                             "not a query of the intake service");
        return;
    }
    intake_query (state, query->intake, reply);
}

static void
s_handle_upstream (void *state, cf_service_t *service, const Caseflow__V1__Event *event)
{
    intake_sink_t sink = { .emit = s_emit, .ctx = service, .now = cf_service_now (service) };
    intake_decide_upstream (state, &sink, event);
}

static void
s_digest (void *state, crypto_hash_sha256_state *hash)
{
    intake_state_digest (state, hash);
}

int
main (int argc, char **argv)
{
    static const char *const upstreams [] = { "handover", "assignment", NULL };
    static const cf_service_def_t def = {
        .name = INTAKE_STREAM,
        .summary = "intake: registrations, triage, callbacks, group tracks and closure",
        .upstreams = upstreams,
        .events_port = 5601,
        .api_port = 5602,
        .http_port = 8601,
        .config = NULL,
        .config_count = 0,
        .state_new = s_state_new,
        .state_destroy = s_state_destroy,
        .apply = s_apply,
        .handle_command = s_handle_command,
        .handle_query = s_handle_query,
        .handle_upstream = s_handle_upstream,
        .on_clock = NULL,
        .digest = s_digest,
    };
    return cf_service_main (&def, argc, argv);
}
