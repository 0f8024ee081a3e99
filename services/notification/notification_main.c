//  caseflow-notification: every timer in caseflow, as reminders (and the
//  end of each resident's retention period, as RetentionDue).
//
//  Owns the "notification" stream and follows "intake", "assignment",
//  "handover" and "gateway" (its EventParked: an operator alert). This file is only the definition the runtime (cf_service.h)
//  runs: the configuration and the hooks of the rooms that do the work
//  (README.md lists them):
//      notification_state      the state and apply; what the runtime holds
//                              (the metrics, the clock's kind) and the
//                              wake-up after every decision
//                              (notification_state_service.c)
//      notification_lifecycle  the reminder transition table; reminder ids
//      notification_validate   field checks
//      notification_decide     the commands: Acknowledge, and the claims
//                              (Claim, Release, Park); leases that end
//      notification_claims     who holds which due callback, the open
//                              list and the leases
//      notification_react      reactions to upstream events, and firing
//      notification_query      the queries and the reminder views
//      notification_pending    the pending reminders as a heap
//      notification_retention  the residents retention erases, and when
//  Working days and public holidays are common/cf_calendar's (the
//  --holidays calendar), the words of kinds and statuses common/cf_words's.
#include "notification_decide.h"
#include "notification_query.h"
#include "notification_react.h"
#include "notification_state.h"

#include "cf_calendar.h"
#include "cf_retention.h"
#include "cf_service.h"
#include "cf_time.h"

int
main (int argc, char **argv)
{
    static const cf_config_entry_t config [] = {
        { "callback-interval", "CASEFLOW_NOTIFICATION_CALLBACK_INTERVAL", CF_CONFIG_DURATION, "14d",
          "a waiting case's next callback falls due this long after triage, the last recorded "
          "callback or the previous callback's due time",
          NULL, CF_USEC_PER_HOUR, 365 * CF_USEC_PER_DAY },
        { "callback-overdue-days", "CASEFLOW_NOTIFICATION_CALLBACK_OVERDUE_DAYS", CF_CONFIG_INT,
          "2",
          "working days after a callback fell due without being recorded before a "
          "callback-overdue reminder fires (0: none)",
          NULL, 0, 60 },
        { "waiting-norm", "CASEFLOW_NOTIFICATION_WAITING_NORM", CF_CONFIG_DURATION, "8w",
          "a case waiting longer than this gets a waiting-too-long reminder", NULL,
          CF_USEC_PER_HOUR, 3650 * CF_USEC_PER_DAY },
        { "claim-lease", "CASEFLOW_NOTIFICATION_CLAIM_LEASE", CF_CONFIG_DURATION, "30m",
          "a caller who claims a due callback holds it this long (on the services' clock); then "
          "it is open to the other callers again",
          NULL, CF_USEC_PER_MIN, CF_USEC_PER_DAY },
        { "holidays", "CASEFLOW_NOTIFICATION_HOLIDAYS", CF_CONFIG_STRING,
          CF_CALENDAR_DEFAULT_HOLIDAYS,
          "public holidays, comma-separated: YYYY-MM-DD dates and nl (the Dutch public holidays "
          "of every year); callbacks due on them, or on a weekend, move to 09:00 on the next "
          "working day",
          NULL, 0, 0 },
        CF_RETENTION_CONFIG_ENTRY,
    };
    static const char *const upstreams [] = { NOTIFICATION_INTAKE, NOTIFICATION_ASSIGNMENT,
                                              NOTIFICATION_HANDOVER, NOTIFICATION_GATEWAY, NULL };
    static const cf_service_def_t def = {
        .name = NOTIFICATION_STREAM,
        .summary = "the notification service: callback reminders, alerts and deadlines, as "
                   "events consumers never miss",
        .upstreams = upstreams,
        .events_port = 5631,
        .api_port = 5632,
        .http_port = 8631,
        .config = config,
        .config_count = sizeof config / sizeof config [0],
        .state_new = notification_state_new_hook,
        .state_destroy = notification_state_destroy_hook,
        .apply = notification_state_apply_hook,
        .handle_command = notification_decide_hook,
        .handle_query = notification_query_hook,
        .handle_upstream = notification_react_hook,
        .on_clock = notification_react_clock_hook,
        .on_diverged = notification_react_diverged_hook,
        .digest = notification_state_digest_hook,
    };
    return cf_service_main (&def, argc, argv);
}
