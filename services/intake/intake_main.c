//  caseflow-intake: where a resident's request for help enters caseflow.
//
//  The service owns the `intake` stream: registrations from every channel,
//  triage, the 14-day callbacks' outcomes, group tracks, advice, withdrawal
//  and closure; it follows the `handover` stream (a completed handover that
//  continues here becomes a case) and the `assignment` stream (the case's
//  status follows assigned, started, unassigned and completed) and the
//  `notification` stream (a resident whose retention period is over is
//  erased: RetentionDue) and the `gateway` stream (a referral becomes a
//  registration, a decision is linked to its resident: intake_inbound).
//
//  This file is only the definition the runtime (cf_service.h) runs; the
//  logic is in the rooms, each testable without the runtime:
//      intake_state      the state, apply (the only code that changes it),
//                        the digest (intake_state_digest.c)
//      intake_lifecycle  the case transition table
//      intake_validate   intake's own checks: text limits, case ids (the
//                        shared rules are common/'s: docs/vocabulary.md)
//      intake_decide     the commands
//      intake_react      the reactions to upstream events
//      intake_inbound    the gateway's referrals and decisions
//      intake_query      the queries and the case and track views
//      intake_index      the open cases by resident (derived by apply)
//      intake_areas      the locations serving each district (applied)
//      intake_registry   the resident registry: subjects, keys, keyed hashes
//      intake_personal   what personal data is written (sealed) and read
//      intake_erase      erasing a resident (on request, when retention
//                        is over), holds
//      intake_retention  a resident's retention rule, the refusal of an
//                        early erasure request
//      intake_keys       the key store at run time: start-up check, erasures
//                        carried out once durable, transit keys adopted
//                        (fetched from handover or the gateway: cf_transit)
//  The design decisions (what the issue left open and how it was settled)
//  are in README.md next to this file.
#include "intake_decide.h"
#include "intake_keys.h"
#include "intake_query.h"
#include "intake_react.h"
#include "intake_state.h"

#include "cf_retention.h"
#include "cf_service.h"

int
main (int argc, char **argv)
{
    static const char *const upstreams [] = { "handover", "assignment", "notification", "gateway",
                                              NULL };
    static const cf_config_entry_t config [] = {
        { "match-secret", "CASEFLOW_MATCH_SECRET", CF_CONFIG_STRING, "",
          "file holding the deployment's matching secret (16 bytes or more), the key of the "
          "hashes that find a resident again; made (32 random bytes) when missing; default: "
          "<key-store>.secret. Keep it apart from the key store's backups (docs/privacy.md)",
          NULL, 0, 0 },
        { "shards", "CASEFLOW_INTAKE_SHARDS", CF_CONFIG_STRING, "",
          "the intake shards and the districts each serves, the same for every shard and "
          "client: intake-noord=Noord,Noord-Oost;intake-zuid=Zuid (cf_shards.h); what arrives "
          "for a district is taken in by its shard only, every other district by intake; "
          "default: no sharding",
          NULL, 0, 0 },
        CF_RETENTION_CONFIG_ENTRY,
    };
    static const cf_service_def_t def = {
        .name = INTAKE_STREAM,
        .summary = "intake: registrations, triage, callbacks, group tracks and closure",
        .upstreams = upstreams,
        .events_port = 5601,
        .api_port = 5602,
        .http_port = 8601,
        .config = config,
        .config_count = sizeof config / sizeof config [0],
        .state_new = intake_state_new_hook,
        .state_destroy = intake_state_destroy_hook,
        .apply = intake_state_apply_hook,
        .handle_command = intake_decide_hook,
        .handle_query = intake_query_hook,
        .handle_upstream = intake_react_hook,
        .upstream_ready = intake_upstream_ready_hook,
        .on_clock = intake_keys_clock_hook,
        .digest = intake_state_digest_hook,
        .key_store = true,
        .check_keys = intake_keys_check_hook,
        .after_commit = intake_keys_after_commit_hook,
    };
    return cf_service_main (&def, argc, argv);
}
