//  caseflow-assignment: the assignment service on the common runtime.
//
//  Owns the "assignment" stream and follows "intake". The logic lives in
//  the assignment_core library (state, policy, decide, query); this file
//  is the definition the runtime runs: configuration, and thin handlers
//  that bind the policy's decider to cf_service_emit and the clock.
#include "assignment_decide.h"
#include "assignment_policy.h"
#include "assignment_query.h"
#include "assignment_state.h"
#include "cf_api.h"
#include "cf_service.h"
#include "cf_time.h"

#include <assert.h>
#include <stdint.h>

static const cf_config_entry_t s_config [] = {
    { "caseload-per-fte", "CASEFLOW_ASSIGNMENT_CASELOAD_PER_FTE", CF_CONFIG_INT, "20",
      "caseload limit per 1.0 FTE for workers without a personal limit", NULL, 1, 1000 },
    { "continuity-margin", "CASEFLOW_ASSIGNMENT_CONTINUITY_MARGIN", CF_CONFIG_INT, "2",
      "cases a continuity worker may take above their limit", NULL, 0, 1000 },
    { "long-absence", "CASEFLOW_ASSIGNMENT_LONG_ABSENCE", CF_CONFIG_DURATION, "14d",
      "an absence longer than this (or without end date) reassigns regular cases too", NULL,
      CF_USEC_PER_HOUR, 3650 * CF_USEC_PER_DAY },
};

static void *
s_state_new (cf_service_t *service)
{
    cf_config_t *config = cf_service_config (service);
    assignment_config_t settings = {
        .caseload_per_fte = (uint32_t) cf_config_int (config, "caseload-per-fte"),
        .continuity_margin = (uint32_t) cf_config_int (config, "continuity-margin"),
        .long_absence = cf_config_int (config, "long-absence"),
    };
    return assignment_state_new (&settings);
}

static void
s_state_destroy (void **state_p)
{
    assignment_state_destroy ((assignment_state_t **) state_p);
}

static int
s_apply (void *state, const Caseflow__V1__Event *event)
{
    return assignment_state_apply (state, event);
}

static int
s_emit (void *ctx, Caseflow__V1__Event *event)
{
    return cf_service_emit (ctx, event);
}

//  Every decision may plan or end an absence: ask for the next wake-up.
static void
s_wake_next (assignment_state_t *state, cf_service_t *service)
{
    int64_t next = assignment_next_wake (state);
    if (next != INT64_MAX)
        cf_service_wake_at (service, next);
}

static void
s_handle_command (void *state, cf_service_t *service, const Caseflow__V1__Command *command,
                  Caseflow__V1__Reply *reply)
{
    if (command->body_case != CASEFLOW__V1__COMMAND__BODY_ASSIGNMENT) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "command",
                             "not a command of the assignment service");
        return;
    }
    assignment_decider_t decider;
    assignment_decider_init (&decider, state, cf_service_now (service), s_emit, service);
    assignment_handle_command (&decider, command->assignment, reply);
    s_wake_next (state, service);
}

static void
s_handle_query (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                Caseflow__V1__Reply *reply)
{
    if (query->body_case != CASEFLOW__V1__QUERY__BODY_ASSIGNMENT) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "query",
                             "not a query of the assignment service");
        return;
    }
    assignment_handle_query (state, cf_service_now (service), query->assignment, reply);
}

static void
s_handle_upstream (void *state, cf_service_t *service, const Caseflow__V1__Event *event)
{
    assignment_decider_t decider;
    assignment_decider_init (&decider, state, cf_service_now (service), s_emit, service);
    assignment_handle_upstream (&decider, event);
}

static void
s_on_clock (void *state, cf_service_t *service, int64_t now)
{
    assignment_decider_t decider;
    assignment_decider_init (&decider, state, now, s_emit, service);
    assignment_on_clock (&decider);
    s_wake_next (state, service);
}

static void
s_digest (void *state, crypto_hash_sha256_state *hash)
{
    assignment_state_digest (state, hash);
}

int
main (int argc, char **argv)
{
    static const char *const upstreams [] = { ASSIGNMENT_UPSTREAM, NULL };
    const cf_service_def_t def = {
        .name = ASSIGNMENT_STREAM,
        .summary = "the assignment service: roster, waiting list and the assignment policy",
        .upstreams = upstreams,
        .events_port = 5611,
        .api_port = 5612,
        .http_port = 8611,
        .config = s_config,
        .config_count = sizeof s_config / sizeof s_config [0],
        .state_new = s_state_new,
        .state_destroy = s_state_destroy,
        .apply = s_apply,
        .handle_command = s_handle_command,
        .handle_query = s_handle_query,
        .handle_upstream = s_handle_upstream,
        .on_clock = s_on_clock,
        .digest = s_digest,
    };
    return cf_service_main (&def, argc, argv);
}
