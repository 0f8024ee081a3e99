//  ctl_report_output: the council figures as one JSON document (the keys
//  of CLI.md, then more), as key,value lines (--csv) or as a table, each
//  followed by handover's progress report (see ctl_report.h).
#include "ctl_output.h"
#include "ctl_report.h"

#include "cf_time.h"

#include <math.h>
#include <string.h>

//  One figure: its key, and its value as a number (NaN: none) or counts.
typedef struct {
    const char *key;
    double value;
    bool known;
    const ctl_report_count_t *counts;  //  a table of counts instead of a number
    size_t count;
} s_figure_t;

#define S_N(key, value, known)                \
    {                                         \
        key, (double) (value), known, NULL, 0 \
    }
#define S_C(key, counts, n, known) \
    {                              \
        key, NAN, known, counts, n \
    }

//  The figures in the order of CLI.md, then the ones it does not name;
//  *split_p: where the handover report goes among them.
static size_t
s_figures (const ctl_report_figures_t *f, s_figure_t *out, size_t *split_p)
{
    bool roster = f->have [CTL_ASSIGNMENT], calls = f->have [CTL_NOTIFICATION];
    const s_figure_t figures [] = {
        S_N ("registrations_total", f->registrations_total, true),
        S_C ("registrations_by_channel", f->by_channel, 6, true),
        S_N ("waiting", f->waiting, true),
        S_N ("wait_days_median", f->wait_days_median, true),
        S_N ("wait_days_p90", f->wait_days_p90, true),
        S_N ("urgent_total", f->urgent_total, true),
        S_N ("urgent_pickup_hours_median", f->urgent_pickup_hours_median, roster),
        S_N ("callbacks_due", f->callbacks_due, calls),
        S_N ("callbacks_on_time_pct", f->callbacks_on_time_pct, calls),
        S_N ("active_cases", f->active_cases, true),
        S_N ("closed_cases", f->closed_cases, true),
        S_N ("workers_active", f->workers_active, roster),
        S_N ("workers_absent", f->workers_absent, roster),
        S_N ("fte_active", (double) f->fte_active_milli / 1000.0, roster),
        S_C ("caseload_by_location", f->caseload_by_location, f->location_count, true),
        //  More than CLI.md promises: the parts of the figures above.
        S_N ("questions_added", f->questions_added, true),
        S_N ("open_cases", f->open_cases, true),
        S_C ("cases_by_status", f->by_status, 6, true),
        S_N ("urgent_waiting", f->urgent_waiting, true),
        S_N ("urgent_picked_up", f->urgent_picked_up, roster),
        S_N ("callbacks_on_time", f->callbacks_on_time, calls),
        S_N ("callbacks_late", f->callbacks_late, calls),
        S_N ("callbacks_open", f->callbacks_open, calls),
        S_C ("caseload_by_worker", f->caseload_by_worker, f->worker_count, true),
    };
    *split_p = 15;
    memcpy (out, figures, sizeof figures);
    return sizeof figures / sizeof figures [0];
}

static json_t *
s_json_figure (const s_figure_t *figure)
{
    if (!figure->known)
        return json_null ();
    if (!figure->counts)
        return ctl_json_number (figure->value);
    json_t *object = json_object ();
    for (size_t i = 0; i < figure->count; i++)
        json_object_set_new (object, figure->counts [i].key,
                             json_integer ((json_int_t) figure->counts [i].count));
    return object;
}

static void
s_json (const ctl_report_figures_t *f, const Caseflow__V1__Handover__ProgressReport *handovers)
{
    s_figure_t figures [32];
    size_t split = 0, count = s_figures (f, figures, &split);
    json_t *document = json_object ();
    json_object_set_new (document, "at", ctl_json_time (f->at));
    for (size_t i = 0; i < count; i++) {
        if (i == split)
            json_object_set_new (document, "handovers",
                                 handovers ? ctl_handover_progress_json (NULL, &handovers->base)
                                           : json_null ());
        json_object_set_new (document, figures [i].key, s_json_figure (&figures [i]));
    }
    json_t *left_out = json_array ();
    for (int s = 0; s < CTL_SERVICE_COUNT; s++)
        if (!f->have [s])
            json_array_append_new (left_out, json_string (ctl_service_name (s)));
    json_object_set_new (document, "streams_left_out", left_out);
    ctl_json_print (document);
}

//  A value in CSV: the shortest of six digits, empty when unknown.
static void
s_csv_value (const char *key, double value, bool known)
{
    if (known && !isnan (value))
        printf ("%s,%.6g\n", key, value);
    else
        printf ("%s,\n", key);
}

static void
s_csv_progress (const char *prefix, const Caseflow__V1__Handover__ProgressCounts *counts,
                const char *deadline_date)
{
    char key [160];
    printf ("%s.deadline,%s\n", prefix, deadline_date);
    static const char *const s_keys [] = { "total",     "completed", "decided", "in_progress",
                                           "cancelled", "overdue",   "at_risk" };
    for (size_t i = 0; i < sizeof s_keys / sizeof s_keys [0]; i++) {
        snprintf (key, sizeof key, "%s.%s", prefix, s_keys [i]);
        json_t *value = ctl_json_value (&counts->base, s_keys [i]);
        s_csv_value (key, (double) json_integer_value (value), true);
        json_decref (value);
    }
    printf ("%s.forecast_completion_date,%s\n", prefix, counts->forecast_completion_date);
    printf ("%s.on_track,%s\n", prefix, counts->on_track ? "true" : "false");
}

static void
s_csv (const ctl_report_figures_t *f, const Caseflow__V1__Handover__ProgressReport *handovers)
{
    s_figure_t figures [32];
    size_t split = 0;
    s_figures (f, figures, &split);
    char at [40], key [160];
    printf ("key,value\nat,%s\n", cf_time_format_local (f->at, at, sizeof at));
    //  The figures of CLI.md, nested keys dotted.
    for (size_t i = 0; i < split; i++)
        for (size_t c = 0; c < (figures [i].counts ? figures [i].count : 1); c++) {
            if (!figures [i].counts) {
                s_csv_value (figures [i].key, figures [i].value, figures [i].known);
                continue;
            }
            snprintf (key, sizeof key, "%s.%s", figures [i].key, figures [i].counts [c].key);
            s_csv_value (key, (double) figures [i].counts [c].count, true);
        }
    if (!handovers) {
        printf ("handovers,\n");
        return;
    }
    s_csv_progress ("handovers", handovers->totals, handovers->deadline_date);
    for (size_t i = 0; i < handovers->n_by_provider; i++)
        if (handovers->by_provider [i]->counts) {
            snprintf (key, sizeof key, "handovers.by_provider.%s",
                      handovers->by_provider [i]->provider_id);
            s_csv_progress (key, handovers->by_provider [i]->counts, handovers->deadline_date);
        }
}

//  A figure for people: "unknown", "-" (none), or its value.
static const char *
s_text (const s_figure_t *figure, const char *unit, char *buf, size_t size)
{
    if (!figure->known)
        snprintf (buf, size, "unknown");
    else if (isnan (figure->value))
        snprintf (buf, size, "-");
    else if (figure->value == floor (figure->value) && !*unit)
        snprintf (buf, size, "%.0f", figure->value);
    else
        snprintf (buf, size, "%.1f%s", figure->value, unit);
    return buf;
}

static void
s_table (const ctl_report_figures_t *f, const Caseflow__V1__Handover__ProgressReport *handovers)
{
    s_figure_t figures [32];
    size_t split = 0, count = s_figures (f, figures, &split);
    char at [40], a [64], b [64], c [64], text [512];
    printf ("caseflow report as at %s (Europe/Amsterdam)\n\n",
            ctl_time_text (f->at, at, sizeof at));
    ctl_table_t *table = ctl_table_new ("FIGURE VALUE");
    for (size_t i = 0; i < count; i++) {
        const s_figure_t *figure = &figures [i];
        const char *unit = strstr (figure->key, "pct") ? "%" : "";
        if (strcmp (figure->key, "wait_days_median") == 0
            || strcmp (figure->key, "wait_days_p90") == 0)
            unit = " days";
        else if (strstr (figure->key, "hours"))
            unit = " h";
        text [0] = 0;
        for (size_t n = 0; figure->counts && n < figure->count; n++) {
            size_t len = strlen (text);
            snprintf (text + len, sizeof text - len, "%s%s %llu", n ? ", " : "",
                      figure->counts [n].key, (unsigned long long) figure->counts [n].count);
        }
        ctl_table_cell (table, figure->key);
        ctl_table_cell (table, figure->counts ? text : s_text (figure, unit, a, sizeof a));
    }
    ctl_table_print (&table);
    //  The two figures the council letter asks for in words.
    printf ("\ndays waiting since triage (%s waiting): median %s, 90th percentile %s\n",
            s_text (&figures [2], "", c, sizeof c), s_text (&figures [3], "", a, sizeof a),
            s_text (&figures [4], "", b, sizeof b));
    printf ("callbacks made on time: %s (%llu on time, %llu late, %llu still open)\n\n",
            s_text (&figures [8], "%", a, sizeof a), (unsigned long long) f->callbacks_on_time,
            (unsigned long long) f->callbacks_late, (unsigned long long) f->callbacks_open);
    if (handovers)
        ctl_handover_progress_text (NULL, &handovers->base);
    else
        printf ("handover progress: unknown (handover is not running)\n");
}

void
ctl_report_print (const ctl_args_t *args, const ctl_report_figures_t *figures,
                  const Caseflow__V1__Handover__ProgressReport *handovers, bool csv)
{
    if (args->ctl->json)
        s_json (figures, handovers);
    else if (csv)
        s_csv (figures, handovers);
    else
        s_table (figures, handovers);
}
