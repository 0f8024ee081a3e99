//  console_series: the weekly series of the charts (see console_series.h).
#include "console_series.h"

#include <assert.h>
#include <math.h>

//  A report's number `key` (NAN when absent or null).
static double
s_number (const json_t *object, const char *key)
{
    const json_t *value = json_object_get (object, key);
    return json_is_number (value) ? json_number_value (value) : NAN;
}

//  A figure as the report gives it: a copy of its number, or null.
static json_t *
s_figure (const json_t *report, const char *key)
{
    const json_t *value = json_object_get (report, key);
    return json_is_number (value) ? json_deep_copy (value) : json_null ();
}

//  A number that is one, else null.
static json_t *
s_real_or_null (double value)
{
    return isnan (value) ? json_null () : json_real (value);
}

//  The difference of `key` between two objects, a missing or null one
//  counted as none (a channel that had no registration yet).
static json_t *
s_difference (const json_t *before, const json_t *after, const char *key)
{
    double was = s_number (before, key), is = s_number (after, key);
    return json_integer ((json_int_t) ((isnan (is) ? 0 : is) - (isnan (was) ? 0 : was)));
}

json_t *
console_series_new (const json_t *reports)
{
    size_t count = json_array_size (reports);
    const json_t *last = count ? json_array_get (reports, count - 1) : NULL;
    const json_t *handovers = json_object_get (last, "handovers");
    const json_t *channels = json_object_get (last, "registrations_by_channel");
    json_t *weeks = json_array ();
    for (size_t i = 1; i < count; i++) {
        const json_t *before = json_array_get (reports, i - 1);
        const json_t *after = json_array_get (reports, i);
        json_t *by_channel = json_object ();
        const char *channel;
        const json_t *ignored;
        json_object_foreach ((json_t *) channels, channel, ignored)
        {
            json_object_set_new (by_channel, channel,
                                 s_difference (json_object_get (before, "registrations_by_channel"),
                                               json_object_get (after, "registrations_by_channel"),
                                               channel));
        }
        const json_t *progress = json_object_get (after, "handovers");
        double total = s_number (progress, "total"), completed = s_number (progress, "completed");
        const json_t *at = json_object_get (after, "at");
        json_t *week = json_pack (
            "{s:O, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "week_end", at ? at : json_null (),
            "registrations", s_difference (before, after, "registrations_total"),
            "registrations_by_channel", by_channel, "waiting", s_figure (after, "waiting"),
            "wait_days_median", s_figure (after, "wait_days_median"), "callbacks_on_time_pct",
            s_figure (after, "callbacks_on_time_pct"), "calls_answered_pct",
            s_figure (after, "calls_answered_pct"), "handovers_completed_pct",
            s_real_or_null (total > 0 ? 100 * completed / total : NAN));
        assert (week);
        json_array_append_new (weeks, week);
    }
    const json_t *at = json_object_get (last, "at");
    const json_t *deadline = json_object_get (handovers, "deadline");
    const json_t *forecast = json_object_get (handovers, "forecast_completion_date");
    json_t *series = json_pack ("{s:O, s:O, s:O, s:o}", "at", at ? at : json_null (), "deadline",
                                deadline ? deadline : json_null (), "forecast_completion_date",
                                forecast ? forecast : json_null (), "weeks", weeks);
    assert (series);
    return series;
}
