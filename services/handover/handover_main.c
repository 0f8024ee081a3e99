//  caseflow-handover: residents moving from specialist care providers to
//  the social teams, before the deadline.
//
//  The service owns the "handover" stream and has no upstreams. It is the
//  runtime's definition (cf_service_def_t) plus thin glue: commands go to
//  handover_decide with cf_service_emit as the emitter, queries to
//  handover_query, the digest to handover_view_digest. It has no timers:
//  deadlines are facts in the events (notification turns them into
//  reminders) and "overdue" is computed when asked.
#include "handover_decide.h"
#include "handover_query.h"
#include "handover_state.h"
#include "handover_view.h"

#include "cf_api.h"
#include "cf_service.h"
#include "cf_time.h"

#include <assert.h>

static void *
s_state_new (cf_service_t *service)
{
    cf_config_t *config = cf_service_config (service);
    handover_config_t own = {
        .default_deadline = cf_config_int (config, "deadline"),
        .at_risk_window = cf_config_int (config, "at-risk-window"),
        .forecast_window = cf_config_int (config, "forecast-window"),
    };
    return handover_state_new (&own);
}

static void
s_state_destroy (void **state_p)
{
    handover_state_t *state = *state_p;
    handover_state_destroy (&state);
    *state_p = NULL;
}

static int
s_apply (void *state, const Caseflow__V1__Event *event)
{
    return handover_state_apply (state, event);
}

static int
s_emit (void *ctx, Caseflow__V1__Event *event)
{
    return cf_service_emit (ctx, event);
}

static void
s_handle_command (void *state, cf_service_t *service, const Caseflow__V1__Command *command,
                  Caseflow__V1__Reply *reply)
{
    if (command->body_case != CASEFLOW__V1__COMMAND__BODY_HANDOVER || !command->handover) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "command",
                             "not a command of the handover service");
        return;
    }
    handover_decide (state, cf_service_now (service), command->handover, reply, s_emit, service);
}

static void
s_handle_query (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                Caseflow__V1__Reply *reply)
{
    if (query->body_case != CASEFLOW__V1__QUERY__BODY_HANDOVER || !query->handover) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "query",
                             "not a query of the handover service");
        return;
    }
    handover_query (state, cf_service_now (service), query->handover, reply);
}

static void
s_digest (void *state, crypto_hash_sha256_state *hash)
{
    handover_view_digest (state, hash);
}

int
main (int argc, char **argv)
{
    static const cf_config_entry_t config [] = {
        { "deadline", "CASEFLOW_HANDOVER_DEADLINE", CF_CONFIG_TIME, "2022-07-01T00:00:00+02:00",
          "default handover deadline, the instant handovers are due before; the first "
          "cohort's \"before 30 June 2022\" is the end of that day in Europe/Amsterdam",
          NULL, 0, 0 },
        { "at-risk-window", "CASEFLOW_HANDOVER_AT_RISK_WINDOW", CF_CONFIG_DURATION, "14d",
          "an open handover with no meeting planned this close to its deadline is at risk", NULL,
          CF_USEC_PER_HOUR, 365 * CF_USEC_PER_DAY },
        { "forecast-window", "CASEFLOW_HANDOVER_FORECAST_WINDOW", CF_CONFIG_DURATION, "28d",
          "the forecast uses the completion rate over this many recent days", NULL, CF_USEC_PER_DAY,
          365 * CF_USEC_PER_DAY },
    };
    cf_service_def_t def = {
        .name = "handover",
        .summary = "handover: residents moving from specialist care providers to the social "
                   "teams, and progress against the deadline",
        .upstreams = NULL,
        .events_port = 5621,
        .api_port = 5622,
        .http_port = 8621,
        .config = config,
        .config_count = sizeof config / sizeof config [0],
        .state_new = s_state_new,
        .state_destroy = s_state_destroy,
        .apply = s_apply,
        .handle_command = s_handle_command,
        .handle_query = s_handle_query,
        .digest = s_digest,
    };
    return cf_service_main (&def, argc, argv);
}
