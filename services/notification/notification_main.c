//  caseflow-notification: every timer in caseflow, as reminders.
//
//  Owns the "notification" stream and follows "intake", "assignment" and
//  "handover". The logic lives in the notification_core library (calendar,
//  state, decide, query); this file is the definition the runtime runs:
//  configuration, metrics, and thin handlers that bind the decider to
//  cf_service_emit and the clock, and that ask the runtime to wake the
//  service when the next pending reminder falls due.
#include "notification_decide.h"
#include "notification_query.h"
#include "notification_state.h"

#include "cf_api.h"
#include "cf_log.h"
#include "cf_service.h"
#include "cf_time.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Most reminders one wake-up fires with the system clock; the rest fire
//  at the next wake-up, right after this batch is committed.
#define S_FIRE_SLICE 10000

static const cf_config_entry_t s_config [] = {
    { "callback-interval", "CASEFLOW_NOTIFICATION_CALLBACK_INTERVAL", CF_CONFIG_DURATION, "14d",
      "a waiting case's next callback falls due this long after triage, the last recorded "
      "callback or the previous callback's due time",
      NULL, CF_USEC_PER_HOUR, 365 * CF_USEC_PER_DAY },
    { "callback-overdue-days", "CASEFLOW_NOTIFICATION_CALLBACK_OVERDUE_DAYS", CF_CONFIG_INT, "2",
      "working days after a callback fell due without being recorded before a "
      "callback-overdue reminder fires (0: none)",
      NULL, 0, 60 },
    { "waiting-norm", "CASEFLOW_NOTIFICATION_WAITING_NORM", CF_CONFIG_DURATION, "8w",
      "a case waiting longer than this gets a waiting-too-long reminder", NULL, CF_USEC_PER_HOUR,
      3650 * CF_USEC_PER_DAY },
    { "holidays", "CASEFLOW_NOTIFICATION_HOLIDAYS", CF_CONFIG_STRING, CF_CALENDAR_DEFAULT_HOLIDAYS,
      "public holidays, comma-separated: YYYY-MM-DD dates and nl (the Dutch public holidays "
      "of every year); callbacks due on them, or on a weekend, move to 09:00 on the next "
      "working day",
      NULL, 0, 0 },
};

//  What the runtime holds as the service's state: the domain state plus
//  the service's own metrics and clock mode.
typedef struct {
    notification_state_t *state;
    bool manual;
    cf_metric_t *pending, *due, *fired, *lateness;
} s_service_t;

static void *
s_state_new (cf_service_t *service)
{
    cf_config_t *config = cf_service_config (service);
    notification_config_t own = {
        .callback_interval = cf_config_int (config, "callback-interval"),
        .overdue_working_days = (uint32_t) cf_config_int (config, "callback-overdue-days"),
        .waiting_norm = cf_config_int (config, "waiting-norm"),
    };
    const char *bad = NULL;
    if (cf_calendar_parse (&own.calendar, cf_config_string (config, "holidays"), &bad)) {
        //  The runtime has no hook for checking a value's content: refuse
        //  to start here, as cf_config does for a bad value (exit status 2),
        //  before any event is replayed or written.
        fprintf (stderr,
                 "caseflow-notification: --holidays (CASEFLOW_NOTIFICATION_HOLIDAYS): "
                 "\"%.*s\" is neither a YYYY-MM-DD date nor nl\n",
                 (int) strcspn (bad, ","), bad);
        exit (2);
    }
    s_service_t *self = calloc (1, sizeof *self);
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
    return self;
}

static void
s_state_destroy (void **state_p)
{
    s_service_t *self = *state_p;
    if (self) {
        notification_state_destroy (&self->state);
        free (self);
    }
    *state_p = NULL;
}

static int
s_apply (void *state, const Caseflow__V1__Event *event)
{
    return notification_state_apply (((s_service_t *) state)->state, event);
}

static int
s_emit (void *ctx, Caseflow__V1__Event *event)
{
    return cf_service_emit (ctx, event);
}

static void
s_decider (s_service_t *self, cf_service_t *service, int64_t now, notification_decider_t *decider)
{
    notification_decider_init (decider, self->state, now, s_emit, service);
    decider->fire_after_react = self->manual;
    decider->fire_limit = self->manual ? 0 : S_FIRE_SLICE;
}

//  After every decision: ask to be woken for the next due reminder (at
//  once when a backlog is left) and refresh the gauges.
static void
s_after (s_service_t *self, cf_service_t *service, const notification_decider_t *decider)
{
    if (decider->fired)
        cf_metric_add (self->fired, decider->fired);
    int64_t next = notification_next_wake (self->state);
    if (next != INT64_MAX)
        cf_service_wake_at (service, next);
    cf_metric_set (self->pending, (double) notification_state_pending_count (self->state));
    cf_metric_set (self->due, (double) notification_state_due_count (self->state));
}

static void
s_handle_command (void *state, cf_service_t *service, const Caseflow__V1__Command *command,
                  Caseflow__V1__Reply *reply)
{
    s_service_t *self = state;
    if (command->body_case != CASEFLOW__V1__COMMAND__BODY_NOTIFICATION || !command->notification) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "command",
                             "not a command of the notification service");
        return;
    }
    notification_decider_t decider;
    s_decider (self, service, cf_service_now (service), &decider);
    notification_handle_command (&decider, command->notification, reply);
    s_after (self, service, &decider);
}

static void
s_handle_query (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                Caseflow__V1__Reply *reply)
{
    s_service_t *self = state;
    if (query->body_case != CASEFLOW__V1__QUERY__BODY_NOTIFICATION || !query->notification) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "query",
                             "not a query of the notification service");
        return;
    }
    notification_handle_query (self->state, cf_service_now (service), query->notification, reply);
}

static void
s_handle_upstream (void *state, cf_service_t *service, const Caseflow__V1__Event *event)
{
    s_service_t *self = state;
    notification_decider_t decider;
    s_decider (self, service, cf_service_now (service), &decider);
    notification_handle_upstream (&decider, event);
    s_after (self, service, &decider);
}

static void
s_on_clock (void *state, cf_service_t *service, int64_t now)
{
    s_service_t *self = state;
    notification_decider_t decider;
    s_decider (self, service, now, &decider);
    const notification_reminder_t *first = notification_state_next_due (self->state);
    int64_t first_due = first ? first->due_at : now;
    size_t fired = notification_fire_due (&decider);
    if (fired) {
        cf_metric_set (self->lateness, (double) (now - first_due) / 1e6);
        cf_log_debug ("fired %zu reminders", fired);
    }
    s_after (self, service, &decider);
}

static void
s_digest (void *state, crypto_hash_sha256_state *hash)
{
    notification_state_digest (((s_service_t *) state)->state, hash);
}

int
main (int argc, char **argv)
{
    static const char *const upstreams [] = { NOTIFICATION_INTAKE, NOTIFICATION_ASSIGNMENT,
                                              NOTIFICATION_HANDOVER, NULL };
    const cf_service_def_t def = {
        .name = NOTIFICATION_STREAM,
        .summary = "the notification service: callback reminders, alerts and deadlines, as "
                   "events consumers never miss",
        .upstreams = upstreams,
        .events_port = 5631,
        .api_port = 5632,
        .http_port = 8631,
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
