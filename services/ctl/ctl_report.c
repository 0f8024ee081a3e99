//  ctl_report: `report [--at TIME] [--csv]`: the council figures as they
//  were at TIME (default: now, by intake's clock).
//
//  The figures are folded from the four streams read through replay up to
//  TIME (ctl_report_figures.c), so a report for a past moment is the same
//  every time it is made. The handover figures are the handover service's
//  own progress report for TIME (Progress{at}), which that service
//  computes from the recorded history of each handover, equally the same
//  every time; `report` embeds it as `handovers` with the keys of
//  `handover progress`. docs/report.md defines every figure.
//
//  A service that is not running is named on stderr and its figures are
//  null; without intake there is no report (exit 3).
#include "ctl.h"
#include "ctl_handover.h"
#include "ctl_report.h"

#include "cf_time.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *s_usage =
    "usage: caseflowctl report [--at TIME] [--csv]\n"
    "\n"
    "The council figures as they were at TIME (default: now, by intake's clock):\n"
    "registrations in total and by channel, the waiting list and its wait in days\n"
    "(median, 90th percentile), urgent cases and their pickup time, callbacks due\n"
    "and made on time, active and closed cases, workers present and absent, FTE\n"
    "present, caseload by location, and handover progress against the deadline.\n"
    "Computed by replaying the streams up to TIME, so a past date always gives the\n"
    "same figures; docs/report.md defines each one. A table by default; --csv\n"
    "prints key,value lines, --json (global) one document. Services that are not\n"
    "running are named on stderr and their figures are null; intake must answer.\n"
    "TIME is ISO 8601; a date alone is 00:00 Europe/Amsterdam.\n"
    "Global options (--json, --timeout, the endpoints) go before the group: see\n"
    "caseflowctl --help.\n";

//  The handover service's progress report for `at` (NULL, reported, when
//  it cannot be had). *reply_p owns it.
static const Caseflow__V1__Handover__ProgressReport *
s_handover_progress (ctl_t *ctl, int64_t at, Caseflow__V1__Reply **reply_p)
{
    *reply_p = NULL;
    int64_t now = 0;
    //  Asked quickly: a service that is down should not hold the report.
    int timeout = ctl->timeout_ms;
    if (ctl->timeout_ms > 1000)
        ctl->timeout_ms = 1000;
    int rc = ctl_service_now (ctl, CTL_HANDOVER, &now);
    ctl->timeout_ms = timeout;
    if (rc != CTL_OK)
        return NULL;
    Caseflow__V1__Handover__Progress progress = CASEFLOW__V1__HANDOVER__PROGRESS__INIT;
    //  The service answers for no moment after its clock; by then every
    //  handover event it has is before `at` anyway.
    progress.at = at <= now ? at : 0;
    Caseflow__V1__Handover__Query inner = CASEFLOW__V1__HANDOVER__QUERY__INIT;
    inner.body_case = CASEFLOW__V1__HANDOVER__QUERY__BODY_PROGRESS;
    inner.progress = &progress;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_HANDOVER;
    query.handover = &inner;
    if (ctl_query (ctl, CTL_HANDOVER, &query, reply_p) != CTL_OK)
        return NULL;
    const Caseflow__V1__Reply *reply = *reply_p;
    if (!reply->query || !reply->query->handover || !reply->query->handover->progress
        || !reply->query->handover->progress->totals) {
        fprintf (stderr, "caseflowctl: handover: the reply carries no progress report\n");
        return NULL;
    }
    return reply->query->handover->progress;
}

//  ---------------------------------------------------------------- JSON

static void
s_json_counts (ctl_json_t *json, const char *key, const ctl_report_count_t *counts, size_t count,
               bool known)
{
    ctl_json_key (json, key);
    if (!known) {
        ctl_json_null (json);
        return;
    }
    ctl_json_object_begin (json);
    for (size_t i = 0; i < count; i++) {
        ctl_json_key (json, counts [i].key);
        ctl_json_uint (json, counts [i].count);
    }
    ctl_json_object_end (json);
}

static void
s_json_uint (ctl_json_t *json, const char *key, uint64_t value, bool known)
{
    ctl_json_key (json, key);
    if (known)
        ctl_json_uint (json, value);
    else
        ctl_json_null (json);
}

static void
s_json_double (ctl_json_t *json, const char *key, double value, bool known)
{
    ctl_json_key (json, key);
    ctl_json_double (json, known ? value : NAN);
}

static void
s_print_json (const ctl_report_figures_t *f,
              const Caseflow__V1__Handover__ProgressReport *handovers)
{
    bool roster = f->have [CTL_ASSIGNMENT], reminders = f->have [CTL_NOTIFICATION];
    ctl_json_t json;
    ctl_json_init (&json, stdout);
    ctl_json_object_begin (&json);
    ctl_json_key (&json, "at");
    ctl_json_time (&json, f->at);
    s_json_uint (&json, "registrations_total", f->registrations_total, true);
    s_json_counts (&json, "registrations_by_channel", f->by_channel, 6, true);
    s_json_uint (&json, "waiting", f->waiting, true);
    s_json_double (&json, "wait_days_median", f->wait_days_median, true);
    s_json_double (&json, "wait_days_p90", f->wait_days_p90, true);
    s_json_uint (&json, "urgent_total", f->urgent_total, true);
    s_json_double (&json, "urgent_pickup_hours_median", f->urgent_pickup_hours_median, roster);
    s_json_uint (&json, "callbacks_due", f->callbacks_due, reminders);
    s_json_double (&json, "callbacks_on_time_pct", f->callbacks_on_time_pct, reminders);
    s_json_uint (&json, "active_cases", f->active_cases, true);
    s_json_uint (&json, "closed_cases", f->closed_cases, true);
    s_json_uint (&json, "workers_active", f->workers_active, roster);
    s_json_uint (&json, "workers_absent", f->workers_absent, roster);
    s_json_double (&json, "fte_active", (double) f->fte_active_milli / 1000.0, roster);
    s_json_counts (&json, "caseload_by_location", f->caseload_by_location, f->location_count, true);
    ctl_json_key (&json, "handovers");
    if (handovers)
        ctl_handover_json_progress (&json, handovers);
    else
        ctl_json_null (&json);
    //  More than CLI.md promises: the parts of the figures above.
    s_json_uint (&json, "questions_added", f->questions_added, true);
    s_json_uint (&json, "open_cases", f->open_cases, true);
    s_json_counts (&json, "cases_by_status", f->by_status, 6, true);
    s_json_uint (&json, "urgent_waiting", f->urgent_waiting, true);
    s_json_uint (&json, "urgent_picked_up", f->urgent_picked_up, roster);
    s_json_uint (&json, "callbacks_on_time", f->callbacks_on_time, reminders);
    s_json_uint (&json, "callbacks_late", f->callbacks_late, reminders);
    s_json_uint (&json, "callbacks_open", f->callbacks_open, reminders);
    s_json_counts (&json, "caseload_by_worker", f->caseload_by_worker, f->worker_count, true);
    ctl_json_key (&json, "streams_left_out");
    ctl_json_array_begin (&json);
    for (int s = 0; s < CTL_SERVICE_COUNT; s++)
        if (!f->have [s])
            ctl_json_string (&json, ctl_service_name (s));
    ctl_json_array_end (&json);
    ctl_json_object_end (&json);
    ctl_json_finish (&json);
}

//  ----------------------------------------------------------------- CSV

static void
s_csv_uint (const char *key, uint64_t value, bool known)
{
    if (known)
        printf ("%s,%llu\n", key, (unsigned long long) value);
    else
        printf ("%s,\n", key);
}

static void
s_csv_double (const char *key, double value, bool known)
{
    if (known && !isnan (value))
        printf ("%s,%.6g\n", key, value);
    else
        printf ("%s,\n", key);
}

static void
s_csv_counts (const char *prefix, const ctl_report_count_t *counts, size_t count)
{
    for (size_t i = 0; i < count; i++)
        printf ("%s.%s,%llu\n", prefix, counts [i].key, (unsigned long long) counts [i].count);
}

static void
s_csv_progress (const char *prefix, const Caseflow__V1__Handover__ProgressCounts *counts,
                const char *deadline_date)
{
    printf ("%s.deadline,%s\n", prefix, deadline_date);
    const char *keys [] = { "total",     "completed", "decided", "in_progress",
                            "cancelled", "overdue",   "at_risk" };
    uint64_t values [] = { counts->total,       counts->completed, counts->decided,
                           counts->in_progress, counts->cancelled, counts->overdue,
                           counts->at_risk };
    for (size_t i = 0; i < sizeof keys / sizeof keys [0]; i++)
        printf ("%s.%s,%llu\n", prefix, keys [i], (unsigned long long) values [i]);
    printf ("%s.forecast_completion_date,%s\n", prefix, counts->forecast_completion_date);
    printf ("%s.on_track,%s\n", prefix, counts->on_track ? "true" : "false");
}

static void
s_print_csv (const ctl_report_figures_t *f, const Caseflow__V1__Handover__ProgressReport *handovers)
{
    bool roster = f->have [CTL_ASSIGNMENT], reminders = f->have [CTL_NOTIFICATION];
    char at [40];
    printf ("key,value\n");
    printf ("at,%s\n", cf_time_format_local (f->at, at, sizeof at));
    s_csv_uint ("registrations_total", f->registrations_total, true);
    s_csv_counts ("registrations_by_channel", f->by_channel, 6);
    s_csv_uint ("waiting", f->waiting, true);
    s_csv_double ("wait_days_median", f->wait_days_median, true);
    s_csv_double ("wait_days_p90", f->wait_days_p90, true);
    s_csv_uint ("urgent_total", f->urgent_total, true);
    s_csv_double ("urgent_pickup_hours_median", f->urgent_pickup_hours_median, roster);
    s_csv_uint ("callbacks_due", f->callbacks_due, reminders);
    s_csv_double ("callbacks_on_time_pct", f->callbacks_on_time_pct, reminders);
    s_csv_uint ("active_cases", f->active_cases, true);
    s_csv_uint ("closed_cases", f->closed_cases, true);
    s_csv_uint ("workers_active", f->workers_active, roster);
    s_csv_uint ("workers_absent", f->workers_absent, roster);
    s_csv_double ("fte_active", (double) f->fte_active_milli / 1000.0, roster);
    s_csv_counts ("caseload_by_location", f->caseload_by_location, f->location_count);
    if (handovers) {
        s_csv_progress ("handovers", handovers->totals, handovers->deadline_date);
        for (size_t i = 0; i < handovers->n_by_provider; i++) {
            const Caseflow__V1__Handover__ProviderProgress *provider = handovers->by_provider [i];
            char prefix [128];
            snprintf (prefix, sizeof prefix, "handovers.by_provider.%s", provider->provider_id);
            if (provider->counts)
                s_csv_progress (prefix, provider->counts, handovers->deadline_date);
        }
    } else
        printf ("handovers,\n");
}

//  --------------------------------------------------------------- table

static void
s_row (ctl_table_t *table, const char *figure, const char *value)
{
    ctl_table_row (table, (const char *[]){ figure, value });
}

static const char *
s_number (char *buf, size_t size, uint64_t value, bool known)
{
    if (known)
        snprintf (buf, size, "%llu", (unsigned long long) value);
    else
        snprintf (buf, size, "unknown");
    return buf;
}

static const char *
s_decimal (char *buf, size_t size, double value, bool known, const char *unit)
{
    if (!known)
        snprintf (buf, size, "unknown");
    else if (isnan (value))
        snprintf (buf, size, "-");
    else
        snprintf (buf, size, "%.1f%s", value, unit);
    return buf;
}

static void
s_print_table (ctl_t *ctl, const ctl_report_figures_t *f,
               const Caseflow__V1__Handover__ProgressReport *handovers)
{
    bool roster = f->have [CTL_ASSIGNMENT], reminders = f->have [CTL_NOTIFICATION];
    char at [40], a [64], b [64], text [512];
    printf ("caseflow report as at %s (Europe/Amsterdam)\n\n",
            ctl_time_text (f->at, at, sizeof at));
    ctl_table_t *table = ctl_table_new (2, (const char *[]){ "FIGURE", "VALUE" });
    s_row (table, "registrations", s_number (a, sizeof a, f->registrations_total, true));
    text [0] = 0;
    for (int i = 0; i < 6; i++) {
        size_t len = strlen (text);
        snprintf (text + len, sizeof text - len, "%s%s %llu", i ? ", " : "", f->by_channel [i].key,
                  (unsigned long long) f->by_channel [i].count);
    }
    s_row (table, "  by channel", text);
    s_row (table, "  joined an open case", s_number (a, sizeof a, f->questions_added, true));
    s_row (table, "waiting", s_number (a, sizeof a, f->waiting, true));
    snprintf (text, sizeof text, "median %s, 90th percentile %s",
              s_decimal (a, sizeof a, f->wait_days_median, true, ""),
              s_decimal (b, sizeof b, f->wait_days_p90, true, ""));
    s_row (table, "  days waiting since triage", text);
    s_row (table, "urgent cases", s_number (a, sizeof a, f->urgent_total, true));
    snprintf (text, sizeof text, "median %s h (%s picked up, %llu still without a worker)",
              s_decimal (a, sizeof a, f->urgent_pickup_hours_median, roster, ""),
              s_number (b, sizeof b, f->urgent_picked_up, roster),
              (unsigned long long) f->urgent_waiting);
    s_row (table, "  pickup time", text);
    s_row (table, "callbacks due", s_number (a, sizeof a, f->callbacks_due, reminders));
    if (reminders)
        snprintf (text, sizeof text, "%s (%llu on time, %llu late, %llu still open)",
                  s_decimal (a, sizeof a, f->callbacks_on_time_pct, true, "%"),
                  (unsigned long long) f->callbacks_on_time, (unsigned long long) f->callbacks_late,
                  (unsigned long long) f->callbacks_open);
    else
        snprintf (text, sizeof text, "unknown");
    s_row (table, "  made on time", text);
    s_row (table, "active cases (with a worker)", s_number (a, sizeof a, f->active_cases, true));
    s_row (table, "closed cases", s_number (a, sizeof a, f->closed_cases, true));
    s_row (table, "open cases", s_number (a, sizeof a, f->open_cases, true));
    s_row (table, "workers present", s_number (a, sizeof a, f->workers_active, roster));
    s_row (table, "workers absent", s_number (a, sizeof a, f->workers_absent, roster));
    s_row (table, "FTE present",
           s_decimal (a, sizeof a, (double) f->fte_active_milli / 1000.0, roster, ""));
    text [0] = 0;
    for (size_t i = 0; i < f->location_count; i++) {
        size_t len = strlen (text);
        snprintf (text + len, sizeof text - len, "%s%s %llu", i ? ", " : "",
                  f->caseload_by_location [i].key,
                  (unsigned long long) f->caseload_by_location [i].count);
    }
    s_row (table, "caseload by location", f->location_count ? text : "-");
    ctl_table_print (&table, stdout);
    printf ("\n");
    if (handovers)
        ctl_handover_print_progress (ctl, handovers);
    else
        printf ("handover progress: unknown (handover is not running)\n");
}

//  --------------------------------------------------------------- entry

int
ctl_report_main (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "at", true, false }, { "csv", false, false }, { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    bool csv = ctl_arg (&args, "csv") != NULL;
    if (csv && ctl->json)
        return ctl_usage_error ("report: --csv and --json exclude each other");
    int64_t now = 0, at = 0;
    if (ctl_arg (&args, "at") && ctl_parse_time ("at", ctl_arg (&args, "at"), &at))
        return CTL_USAGE;
    if ((rc = ctl_service_now (ctl, CTL_INTAKE, &now)) != CTL_OK)
        return rc;
    if (!at)
        at = now;
    else if (at > now) {
        char text [40];
        return ctl_usage_error ("--at: %s is after the services' clock (%s): a report looks "
                                "back, never ahead",
                                ctl_arg (&args, "at"), ctl_time_text (now, text, sizeof text));
    }
    ctl_history_t history;
    //  Handover's figures come from its own progress report.
    const bool wanted [CTL_SERVICE_COUNT] = { true, true, false, true };
    if ((rc = ctl_history_read (ctl, wanted, at, &history)) != CTL_OK)
        return rc;
    if (!history.streams [CTL_INTAKE].available) {
        ctl_history_free (&history);
        return CTL_UNREACHABLE;
    }
    ctl_report_figures_t figures;
    ctl_report_figures_compute (&figures, &history, at);
    ctl_history_free (&history);
    Caseflow__V1__Reply *reply = NULL;
    const Caseflow__V1__Handover__ProgressReport *handovers = s_handover_progress (ctl, at, &reply);
    figures.have [CTL_HANDOVER] = handovers != NULL;
    if (!handovers)
        fprintf (stderr, "caseflowctl: report: handover figures unknown\n");
    if (!figures.have [CTL_NOTIFICATION])
        fprintf (stderr, "caseflowctl: report: callback figures unknown (notification's stream "
                         "could not be read)\n");
    if (!figures.have [CTL_ASSIGNMENT])
        fprintf (stderr, "caseflowctl: report: worker and pickup figures unknown (assignment's "
                         "stream could not be read)\n");
    if (ctl->json)
        s_print_json (&figures, handovers);
    else if (csv)
        s_print_csv (&figures, handovers);
    else
        s_print_table (ctl, &figures, handovers);
    if (reply)
        caseflow__v1__reply__free_unpacked (reply, NULL);
    ctl_report_figures_free (&figures);
    return CTL_OK;
}
