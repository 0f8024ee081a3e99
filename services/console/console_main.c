//  caseflow-console: the read side. It follows every stream (intake,
//  assignment, handover, notification, gateway) and answers cross-stream
//  questions: the council report at any moment, a case's timeline, the
//  waiting list, the callbacks to make today, urgent cases without a
//  worker, caseload. It decides nothing and emits nothing; it holds no
//  keys (a person's details stay with the service that owns them).
//
//  This file is only the definition the runtime (cf_service.h) runs:
//  configuration and the hooks of the rooms (README.md lists them):
//      console_log    one stream's events, compact, decoded on demand
//      console_state  the state, apply (the only code that changes it),
//                     the projections and the digest
//      console_view   the projections as answers (the api and HTTP)
//      console_query  the queries
//  The handover figures are handover's own fold (handover_progress) over
//  handover's own state type, fed the handover stream: one definition. Its
//  deadline and windows are read from the same environment variables as
//  the handover service's (CASEFLOW_HANDOVER_DEADLINE, ...), so a
//  deployment sets them once for both.
#include "console_auth.h"
#include "console_query.h"
#include "console_state.h"
#include "console_web_source.h"

#include "cf_service.h"
#include "cf_time.h"

int
main (int argc, char **argv)
{
    static const char *const upstreams [] = { "intake",       "assignment", "handover",
                                              "notification", "gateway",    NULL };
    static const cf_config_entry_t config [] = {
        { "handover-deadline", "CASEFLOW_HANDOVER_DEADLINE", CF_CONFIG_TIME,
          "2022-07-01T00:00:00+02:00",
          "the handover deadline the progress figures are measured against (the handover "
          "service's --deadline: the same environment variable sets both)",
          NULL, 0, 0 },
        { "handover-at-risk-window", "CASEFLOW_HANDOVER_AT_RISK_WINDOW", CF_CONFIG_DURATION, "14d",
          "the handover service's --at-risk-window, for the progress figures", NULL,
          CF_USEC_PER_HOUR, 365 * CF_USEC_PER_DAY },
        { "handover-forecast-window", "CASEFLOW_HANDOVER_FORECAST_WINDOW", CF_CONFIG_DURATION,
          "28d", "the handover service's --forecast-window, for the progress forecast", NULL,
          CF_USEC_PER_DAY, 365 * CF_USEC_PER_DAY },
        //  The web page's people and forms (console_auth.h).
        CONSOLE_AUTH_CONFIG_ENTRIES,
    };
    static const cf_service_def_t def = {
        .name = "console",
        .summary = "console: the read side; follows every stream and answers the report, "
                   "case timelines, the waiting list, today's callbacks and caseload",
        .upstreams = upstreams,
        .events_port = 5651,
        .api_port = 5652,
        .http_port = 8651,
        .config = config,
        .config_count = sizeof config / sizeof config [0],
        .state_new = console_web_state_new_hook,
        .state_destroy = console_web_state_destroy_hook,
        .apply_encoded = console_state_apply_hook,
        .handle_query = console_query_hook,
        .digest = console_state_digest_hook,
        .routes = console_web_routes,
        .route_count = CONSOLE_WEB_ROUTE_COUNT,
    };
    return cf_service_main (&def, argc, argv);
}
