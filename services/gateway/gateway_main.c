//  caseflow-gateway: caseflow's HTTP edge, for the systems around the
//  social teams that do not speak ZeroMQ (DESIGN.md, "gateway").
//
//  The service owns the "gateway" stream: its publishers (bearer tokens
//  per publishing system, kept as keyed hashes in its key store) and every
//  CloudEvent it accepted (POST /events on its HTTP port). It follows
//  intake's and handover's streams back: their InboundOutcome says what
//  became of each event, intake's ResidentErased which transit keys go.
//  This file is only the definition the runtime
//  (cf_service.h) runs: configuration and the hooks of the rooms that do
//  the work (README.md lists them):
//      gateway_state      the state, apply (the only code that changes
//                         it), the views and the digest
//      gateway_lifecycle  the transition tables (publisher, inbound event)
//      gateway_validate   field checks and the catalogue of types
//      gateway_decide     the commands
//      gateway_react      intake's ResidentErased
//      gateway_query      the queries
//      gateway_ingress    the HTTP routes: POST /events, GET /events/…
//      gateway_cloudevent the three HTTP modes and the NL GOV profile
//      gateway_data       the catalogue's data fields
//      gateway_secrets    the key store's tokens and transit keys
//      gateway_keys       the key store at run time: start-up check,
//                         erasures carried out after the commit
#include "gateway_decide.h"
#include "gateway_ingress.h"
#include "gateway_keys.h"
#include "gateway_query.h"
#include "gateway_react.h"
#include "gateway_state.h"

#include "cf_service.h"
#include "cf_time.h"

int
main (int argc, char **argv)
{
    static const cf_config_entry_t config [] = {
        { "rotation-grace", "CASEFLOW_GATEWAY_ROTATION_GRACE", CF_CONFIG_DURATION, "24h",
          "how long a rotated-out publisher token keeps working when the rotation names no "
          "grace period",
          NULL, CF_USEC_PER_MIN, 30 * CF_USEC_PER_DAY },
        { "max-body", "CASEFLOW_GATEWAY_MAX_BODY", CF_CONFIG_SIZE, "1M",
          "largest request body POST /events takes (larger: 413)", NULL, 1024, 64 * 1024 * 1024 },
    };
    static const char *const upstreams [] = { GATEWAY_INTAKE, GATEWAY_HANDOVER, NULL };
    static const cf_service_route_t routes [] = {
        { "/events", "max-body", gateway_ingress_hook },
    };
    static const cf_service_def_t def = {
        .name = GATEWAY_STREAM,
        .summary = "gateway: CloudEvents in over HTTP from the systems around the social teams",
        .upstreams = upstreams,
        .events_port = 5641,
        .api_port = 5642,
        .http_port = 8641,
        .config = config,
        .config_count = sizeof config / sizeof config [0],
        .state_new = gateway_state_new_hook,
        .state_destroy = gateway_state_destroy_hook,
        .apply = gateway_state_apply_hook,
        .handle_command = gateway_decide_hook,
        .handle_query = gateway_query_hook,
        .handle_upstream = gateway_react_hook,
        .digest = gateway_state_digest_hook,
        .key_store = true,
        .check_keys = gateway_keys_check_hook,
        .after_commit = gateway_keys_after_commit_hook,
        .routes = routes,
        .route_count = sizeof routes / sizeof routes [0],
    };
    return cf_service_main (&def, argc, argv);
}
