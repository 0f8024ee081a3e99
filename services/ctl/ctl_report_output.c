//  ctl_report_output: the council figures as one JSON document (the keys
//  of CLI.md, then more), as key,value lines (--csv) or as a table, each
//  with handover's progress report (see ctl_report.h).
#include "ctl_output.h"
#include "ctl_report.h"

#include <math.h>
#include <string.h>

//  The last key CLI.md names; the rest are in --json only.
#define S_CSV_LAST "call_answer_seconds_median"

//  Of handover's progress report (a key CLI.md names) CSV
//  shows these, for the totals and for each provider.
#define S_CSV_HANDOVERS                                                        \
    " deadline total completed decided in_progress cancelled overdue at_risk " \
    "forecast_completion_date on_track by_provider "

//  A value as text: numbers in their shortest form (as JSON prints them),
//  text as it is, null as `null_text`. Returns buf.
static const char *
s_text (const json_t *value, const char *null_text, char *buf, size_t size)
{
    if (json_is_string (value))
        snprintf (buf, size, "%s", json_string_value (value));
    else if (json_is_real (value))
        snprintf (buf, size, "%.6g", json_real_value (value));
    else if (json_is_null (value) || !value)
        snprintf (buf, size, "%s", null_text);
    else {
        char *text = json_dumps (value, JSON_ENCODE_ANY | JSON_COMPACT);
        snprintf (buf, size, "%s", text);
        free (text);
    }
    return buf;
}

//  key,value lines, nested objects as dotted keys, up to the figures
//  CLI.md names. `filter`: the keys to print (NULL: all; "": all, and
//  S_CSV_HANDOVERS of each: the providers of the progress report).
static void
s_csv (const char *prefix, json_t *object, const char *filter)
{
    const char *key;
    json_t *value;
    json_object_foreach (object, key, value)
    {
        char dotted [256], text [256], word [80];
        snprintf (word, sizeof word, " %s ", key);
        if (filter && *filter && !strstr (filter, word))
            continue;
        snprintf (dotted, sizeof dotted, "%s%s%s", prefix, *prefix ? "." : "", key);
        if (json_is_object (value))
            s_csv (dotted, value,
                   strcmp (key, "handovers") == 0 || (filter && !*filter) ? S_CSV_HANDOVERS
                   : strcmp (key, "by_provider") == 0                     ? ""
                                                                          : NULL);
        else
            printf ("%s,%s\n", dotted, s_text (value, "", text, sizeof text));
        if (!*prefix && strcmp (key, S_CSV_LAST) == 0)
            break;
    }
}

//  A whole count, or "unknown" when its stream could not be read (null).
static const char *
s_count (json_t *figures, const char *key, char *buf, size_t size)
{
    json_t *value = json_object_get (figures, key);
    if (json_is_integer (value))
        snprintf (buf, size, "%lld", (long long) json_integer_value (value));
    else
        snprintf (buf, size, "unknown");
    return buf;
}

//  A count of the gateway's events, "-" when none came in (null).
static const char *
s_number (json_t *figures, const char *key, char *buf, size_t size)
{
    json_t *value = json_object_get (figures, key);
    if (json_is_integer (value))
        snprintf (buf, size, "%lld", (long long) json_integer_value (value));
    else
        snprintf (buf, size, "-");
    return buf;
}

//  A figure with one decimal and `unit`; "-" when there is nothing to
//  measure (null from a stream that was read), "unknown" when `known` is
//  false (the stream could not be read).
static const char *
s_decimal (json_t *figures, const char *key, bool known, const char *unit, char *buf, size_t size)
{
    json_t *value = json_object_get (figures, key);
    if (!known)
        snprintf (buf, size, "unknown");
    else if (json_is_number (value))
        snprintf (buf, size, "%.1f%s", json_number_value (value), unit);
    else
        snprintf (buf, size, "-");
    return buf;
}

//  "key count, key count, ..." of a map of counts; "-" when empty.
static const char *
s_counts (json_t *figures, const char *key, char *buf, size_t size)
{
    const char *part;
    json_t *count;
    buf [0] = 0;
    json_object_foreach (json_object_get (figures, key), part, count)
    {
        size_t len = strlen (buf);
        snprintf (buf + len, size - len, "%s%s %lld", len ? ", " : "", part,
                  (long long) json_integer_value (count));
    }
    if (!buf [0])
        snprintf (buf, size, "-");
    return buf;
}

static void
s_row (ctl_table_t *table, const char *figure, const char *value)
{
    ctl_table_cell (table, figure);
    ctl_table_cell (table, value);
}

//  The figures for people: one row a figure, its details indented below
//  it, in the order of docs/report.md; then handover's progress report.
static void
s_table (json_t *figures, const ProtobufCMessage *handovers)
{
    char a [64], b [64], c [64], d [64], text [512];
    const char *at = json_string_value (json_object_get (figures, "at"));
    bool roster = json_is_integer (json_object_get (figures, "workers_active"));
    bool reminders = json_is_integer (json_object_get (figures, "callbacks_due"));
    //  "2022-03-07T09:00:00+01:00" reads "2022-03-07 09:00".
    printf ("caseflow report as at %.10s %.5s (Europe/Amsterdam)\n\n", at, at + 11);
    ctl_table_t *table = ctl_table_new ("FIGURE VALUE");
    s_row (table, "registrations", s_count (figures, "registrations_total", a, sizeof a));
    s_row (table, "  by channel",
           s_counts (figures, "registrations_by_channel", text, sizeof text));
    s_row (table, "  joined an open case", s_count (figures, "questions_added", a, sizeof a));
    s_row (table, "waiting", s_count (figures, "waiting", a, sizeof a));
    snprintf (text, sizeof text, "median %s, 90th percentile %s",
              s_decimal (figures, "wait_days_median", true, "", a, sizeof a),
              s_decimal (figures, "wait_days_p90", true, "", b, sizeof b));
    s_row (table, "  days waiting since triage", text);
    s_row (table, "urgent cases", s_count (figures, "urgent_total", a, sizeof a));
    snprintf (text, sizeof text, "median %s h (%s picked up, %s still without a worker)",
              s_decimal (figures, "urgent_pickup_hours_median", roster, "", a, sizeof a),
              s_count (figures, "urgent_picked_up", b, sizeof b),
              s_count (figures, "urgent_waiting", c, sizeof c));
    s_row (table, "  pickup time", text);
    s_row (table, "callbacks due", s_count (figures, "callbacks_due", a, sizeof a));
    if (reminders) {
        snprintf (text, sizeof text, "%s (%s on time, %s late, %s still open)",
                  s_decimal (figures, "callbacks_on_time_pct", true, "%", a, sizeof a),
                  s_count (figures, "callbacks_on_time", b, sizeof b),
                  s_count (figures, "callbacks_late", c, sizeof c),
                  s_count (figures, "callbacks_open", d, sizeof d));
    } else
        snprintf (text, sizeof text, "unknown");
    s_row (table, "  made on time", text);
    s_row (table, "active cases (with a worker)", s_count (figures, "active_cases", a, sizeof a));
    s_row (table, "closed cases", s_count (figures, "closed_cases", a, sizeof a));
    s_row (table, "open cases", s_count (figures, "open_cases", a, sizeof a));
    s_row (table, "workers present", s_count (figures, "workers_active", a, sizeof a));
    s_row (table, "workers absent", s_count (figures, "workers_absent", a, sizeof a));
    s_row (table, "FTE present", s_decimal (figures, "fte_active", roster, "", a, sizeof a));
    s_row (table, "caseload by location",
           s_counts (figures, "caseload_by_location", text, sizeof text));
    //  The gateway's figures: one row each while no such event came in.
    bool decisions = json_is_integer (json_object_get (figures, "decisions_pending"));
    s_row (table, "decisions pending",
           decisions ? s_number (figures, "decisions_pending", a, sizeof a) : "none came in");
    if (decisions) {
        snprintf (text, sizeof text, "median %s (%s requested, %s issued)",
                  s_decimal (figures, "decisions_pending_days_median", true, "", a, sizeof a),
                  s_number (figures, "decisions_requested", b, sizeof b),
                  s_number (figures, "decisions_issued", c, sizeof c));
        s_row (table, "  days since the request", text);
    }
    bool calls = json_is_integer (json_object_get (figures, "calls_offered"));
    s_row (table, "calls offered",
           calls ? s_number (figures, "calls_offered", a, sizeof a) : "none came in");
    if (calls) {
        snprintf (text, sizeof text, "%s (%s answered, %s abandoned, %s waiting)",
                  s_decimal (figures, "calls_answered_pct", true, "%", a, sizeof a),
                  s_number (figures, "calls_answered", b, sizeof b),
                  s_number (figures, "calls_abandoned", c, sizeof c),
                  s_number (figures, "calls_waiting", d, sizeof d));
        s_row (table, "  answered", text);
        s_row (table, "  seconds to answer (median)",
               s_decimal (figures, "call_answer_seconds_median", true, "", a, sizeof a));
    }
    ctl_table_print (&table);
    printf ("\n");
    if (handovers)
        ctl_handover_progress_text (NULL, handovers);
    else
        printf ("handover progress: unknown (handover is not running)\n");
}

void
ctl_report_print (const ctl_args_t *args, json_t *figures, const ProtobufCMessage *handovers,
                  bool csv)
{
    if (args->ctl->json)
        ctl_json_print (json_incref (figures));
    else if (csv) {
        printf ("key,value\n");
        s_csv ("", figures, NULL);
    } else
        s_table (figures, handovers);
}
