//  caseflow-handover: residents moving from specialist care providers to
//  the social teams, before the deadline.
//
//  The service owns the "handover" stream and follows intake's for one
//  fact: ResidentErased (it holds the transit keys personal data is sealed
//  under until intake adopts them), and the gateway's for care providers'
//  announcements (handover_inbound). This file is only the definition the
//  runtime (cf_service.h) runs: configuration and the hooks of the rooms
//  that do the work (README.md lists them):
//      handover_state      the state, apply (the only code that changes
//                          it), the canonical views and the digest
//      handover_lifecycle  the one transition table
//      handover_validate   field checks
//      handover_decide     the commands
//      handover_react      intake's ResidentErased
//      handover_inbound    the gateway's announcements, with their outcomes
//      handover_query      the queries
//      handover_progress   figures and forecast for any moment
//      handover_transit    the transit keys: sealing, opening, the open
//                          residents' keyed hashes
//      handover_keys       the key store at run time: start-up check,
//                          erasures carried out after the commit
//  It has no timers: deadlines are facts in the events (notification turns
//  them into reminders) and "overdue" is computed when asked.
#include "handover_decide.h"
#include "handover_keys.h"
#include "handover_query.h"
#include "handover_react.h"
#include "handover_state.h"

#include "cf_service.h"
#include "cf_time.h"

int
main (int argc, char **argv)
{
    static const char *const upstreams [] = { HANDOVER_INTAKE, "gateway", NULL };
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
    static const cf_service_def_t def = {
        .name = HANDOVER_STREAM,
        .summary = "handover: residents moving from specialist care providers to the social "
                   "teams, and progress against the deadline",
        .upstreams = upstreams,
        .events_port = 5621,
        .api_port = 5622,
        .http_port = 8621,
        .config = config,
        .config_count = sizeof config / sizeof config [0],
        .state_new = handover_state_new_hook,
        .state_destroy = handover_state_destroy_hook,
        .apply = handover_state_apply_hook,
        .handle_command = handover_decide_hook,
        .handle_query = handover_query_hook,
        .handle_upstream = handover_react_hook,
        .upstream_ready = handover_upstream_ready_hook,
        .digest = handover_state_digest_hook,
        .key_store = true,
        .check_keys = handover_keys_check_hook,
        .after_commit = handover_keys_after_commit_hook,
    };
    return cf_service_main (&def, argc, argv);
}
