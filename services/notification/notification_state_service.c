//  notification_state_service: the state as the runtime holds it (the
//  domain state, the kind of clock, the service's metrics), the runtime's
//  state hooks, and what every decision ends with (the next wake-up and
//  the gauges).
#include "notification_state.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t
notification_next_wake (const notification_state_t *state)
{
    const notification_reminder_t *next = notification_state_next_due (state);
    const notification_subject_t *subject =
        notification_retention_next (notification_state_retention (state));
    const notification_reminder_t *lease =
        notification_claims_next_lease (notification_state_claims (state));
    int64_t at = next ? next->due_at : INT64_MAX;
    if (lease && lease->claim->lease_until < at)
        at = lease->claim->lease_until;
    return subject && subject->due_at < at ? subject->due_at : at;
}

void
notification_service_settle (notification_service_t *self, cf_service_t *service, size_t fired)
{
    if (fired)
        cf_metric_add (self->fired, fired);
    //  Every on_clock call clears the wake-up asked for: ask again.
    cf_service_wake_at (service, notification_next_wake (self->state));
    cf_metric_set (self->pending, (double) notification_state_pending_count (self->state));
    cf_metric_set (self->due, (double) notification_state_due_count (self->state));
    const notification_claims_t *claims = notification_state_claims (self->state);
    cf_metric_set (self->claimed, (double) notification_claims_claimed_count (claims));
    cf_metric_set (self->parked, (double) notification_claims_parked_count (claims));
}

void *
notification_state_new_hook (cf_service_t *service)
{
    cf_config_t *config = cf_service_config (service);
    notification_config_t own = {
        .callback_interval = cf_config_int (config, "callback-interval"),
        .overdue_working_days = (uint32_t) cf_config_int (config, "callback-overdue-days"),
        .waiting_norm = cf_config_int (config, "waiting-norm"),
        .claim_lease = cf_config_int (config, "claim-lease"),
    };
    if (cf_retention_configure (&own.retention, config, "caseflow-notification"))
        return NULL;
    const char *bad = NULL;
    if (cf_calendar_parse (&own.calendar, cf_config_string (config, "holidays"), &bad)) {
        //  The configuration table has no check for a list of dates: the
        //  refusal is cf_config's kind of line, and the service does not
        //  start.
        fprintf (stderr,
                 "caseflow-notification: --holidays (CASEFLOW_NOTIFICATION_HOLIDAYS): "
                 "\"%.*s\" is neither a YYYY-MM-DD date nor nl\n",
                 (int) strcspn (bad, ","), bad);
        return NULL;
    }
    notification_service_t *self = calloc (1, sizeof *self);
    assert (self);
    self->state = notification_state_new (&own);
    cf_calendar_clear (&own.calendar);
    self->manual = strcmp (cf_config_string (config, "clock"), "manual") == 0;
    cf_metrics_t *metrics = cf_service_metrics (service);
    self->pending = cf_metrics_gauge (metrics, "reminders_pending",
                                      "Reminders scheduled that have not fired", NULL);
    self->due = cf_metrics_gauge (metrics, "reminders_due",
                                  "Reminders that fired and are not acknowledged", NULL);
    self->fired = cf_metrics_counter (metrics, "reminders_fired_total",
                                      "Reminders fired since the start", NULL);
    self->lateness = cf_metrics_gauge (metrics, "reminder_last_lateness_seconds",
                                       "How late the last fired reminder fired", NULL);
    self->claimed = cf_metrics_gauge (metrics, "reminders_claimed",
                                      "Due callbacks a caller holds under a lease", NULL);
    self->parked = cf_metrics_gauge (metrics, "reminders_parked",
                                     "Due callbacks parked for a team lead", NULL);
    return self;
}

void
notification_state_destroy_hook (void **state_p)
{
    notification_service_t *self = *state_p;
    if (self) {
        notification_state_destroy (&self->state);
        free (self);
    }
    *state_p = NULL;
}

int
notification_state_apply_hook (void *state, const Caseflow__V1__Event *event)
{
    return notification_state_apply (((notification_service_t *) state)->state, event);
}

void
notification_state_digest_hook (void *state, crypto_hash_sha256_state *hash)
{
    notification_state_digest (((notification_service_t *) state)->state, hash);
}
