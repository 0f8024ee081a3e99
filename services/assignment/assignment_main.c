//  caseflow-assignment: the roster, the waiting list and the assignment
//  policy, on the common runtime.
//
//  Owns the "assignment" stream and follows "intake". This file is only
//  the definition the runtime (cf_service.h) runs: the configuration and
//  the hooks of the rooms that do the work (README.md lists them):
//      assignment_state      the state and apply (the roster, the waiting
//                            list and the digest in assignment_state_*.c)
//      assignment_lifecycle  the case and presence transition tables
//      assignment_validate   field checks
//      assignment_decide     the commands
//      assignment_react      the reactions to intake's events and the clock
//      assignment_query      the queries and views
//      assignment_policy     who gets which case, and why
#include "assignment_decide.h"
#include "assignment_query.h"
#include "assignment_react.h"
#include "assignment_state.h"

#include "cf_service.h"
#include "cf_time.h"

int
main (int argc, char **argv)
{
    static const cf_config_entry_t config [] = {
        ASSIGNMENT_CONFIG_ENTRIES (""),
    };
    static const char *const upstreams [] = { ASSIGNMENT_UPSTREAM, NULL };
    static const cf_service_def_t def = {
        .name = ASSIGNMENT_STREAM,
        .summary = "the assignment service: roster, waiting list and the assignment policy",
        .upstreams = upstreams,
        .events_port = 5611,
        .api_port = 5612,
        .http_port = 8611,
        .config = config,
        .config_count = sizeof config / sizeof config [0],
        .state_new = assignment_state_new_hook,
        .state_destroy = assignment_state_destroy_hook,
        .apply = assignment_state_apply_hook,
        .handle_command = assignment_decide_hook,
        .handle_query = assignment_query_hook,
        .handle_upstream = assignment_react_hook,
        .on_clock = assignment_react_clock_hook,
        .digest = assignment_state_digest_hook,
    };
    return cf_service_main (&def, argc, argv);
}
