//  console_page_report: the council figures at any date, and the charts
//  over the weeks before it.
//
//  The charts are drawn from reports at the end of each week (`weeks`,
//  oldest first, the first one the week before the first drawn), so every
//  point is a figure the report itself would give at that moment: weekly
//  registrations are the difference of the channel totals, waiting and
//  median wait are read at each week's end, callbacks on time and calls
//  answered are the report's percentages up to that week. Handover
//  completion adds a forecast: from the last week drawn, straight to 100%
//  at the report's forecast completion date, drawn over the weeks after
//  it up to the deadline (marked) or the forecast, whichever is later.
#include "console_page.h"
#include "console_series.h"

#include "console_chart.h"

#include "cf_time.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

//  The most future weeks a forecast is drawn over.
#define S_FORECAST_WEEKS 26

static const struct {
    console_string_t label;
    const char *key;
    int decimals;
} s_figures [] = {
    { CS_REGISTRATIONS_TOTAL, "registrations_total", 0 },
    { CS_WAITING, "waiting", 0 },
    { CS_WAIT_MEDIAN, "wait_days_median", 1 },
    { CS_WAIT_P90, "wait_days_p90", 1 },
    { CS_URGENT_TOTAL, "urgent_total", 0 },
    { CS_URGENT_PICKUP, "urgent_pickup_hours_median", 1 },
    { CS_CALLBACKS_DUE, "callbacks_due", 0 },
    { CS_CALLBACKS_ON_TIME, "callbacks_on_time_pct", 1 },
    { CS_ACTIVE_CASES, "active_cases", 0 },
    { CS_CLOSED_CASES, "closed_cases", 0 },
    { CS_WORKERS_ACTIVE, "workers_active", 0 },
    { CS_WORKERS_ABSENT, "workers_absent", 0 },
    { CS_FTE_ACTIVE, "fte_active", 1 },
    { CS_CALLS_OFFERED, "calls_offered", 0 },
    { CS_CALLS_ANSWERED, "calls_answered_pct", 1 },
    { CS_CALL_ANSWER_SECONDS, "call_answer_seconds_median", 1 },
    //  The decision backlog (the gateway's stream: docs/report.md).
    { CS_DECISIONS_PENDING, "decisions_pending", 0 },
    { CS_DECISIONS_PENDING_DAYS, "decisions_pending_days_median", 1 },
};

//  A table of an object's numbers by name (registrations by channel,
//  caseload by location).
static void
s_breakdown (console_page_t *page, const json_t *object, console_string_t caption,
             console_string_t key_label, bool words)
{
    console_lang_t lang = page->lang;
    if (!json_is_object (object) || json_object_size (object) == 0)
        return;
    console_html_printf (page->html,
                         "<table><caption>%s</caption><thead><tr><th scope=\"col\">%s</th>"
                         "<th scope=\"col\">%s</th></tr></thead><tbody>",
                         console_string (lang, caption), console_string (lang, key_label),
                         console_string (lang, CS_NUMBER));
    const char *key;
    const json_t *value;
    json_object_foreach ((json_t *) object, key, value)
    {
        char text [64];
        console_html_printf (
            page->html, "<tr><th scope=\"row\">%s</th><td class=\"num\">%s</td></tr>",
            words ? console_word (lang, key) : key,
            json_is_number (value)
                ? console_decimal (lang, json_number_value (value), 0, text, sizeof text)
                : "–");
    }
    console_html_printf (page->html, "</tbody></table>");
}

static double
s_number (const json_t *object, const char *key)
{
    double value;
    return console_json_number (object, key, &value) ? value : NAN;
}

//  The charts over the weekly series (console_series.h).
static void
s_charts (console_page_t *page, const json_t *series)
{
    console_lang_t lang = page->lang;
    const json_t *weeks = console_json_array (series, "weeks");
    size_t count = json_array_size (weeks);
    //  The drawn weeks, then room for the forecast's.
    size_t room = count + S_FORECAST_WEEKS;
    char (*label_text) [16] = calloc (room ? room : 1, sizeof *label_text);
    const char **labels = calloc (room ? room : 1, sizeof *labels);
    double *values = calloc ((room ? room : 1) * 12, sizeof *values);
    if (!label_text || !labels || !values)
        abort ();
    for (size_t i = 0; i < count; i++) {
        const char *at = console_json_text (json_array_get (weeks, i), "week_end");
        snprintf (label_text [i], sizeof label_text [i], "%.10s", at ? at : "");
        labels [i] = label_text [i];
    }

    //  Registrations per week by channel: one bar series per channel the
    //  last week knows.
    const json_t *channels =
        count ? json_object_get (json_array_get (weeks, count - 1), "registrations_by_channel")
              : NULL;
    size_t channel_count = json_is_object (channels) ? json_object_size (channels) : 0;
    if (channel_count > 6)
        channel_count = 6;
    console_chart_series_t series_of [6];
    double *by_channel =
        calloc ((count ? count : 1) * (channel_count ? channel_count : 1), sizeof *by_channel);
    if (!by_channel)
        abort ();
    size_t c = 0;
    const char *channel;
    const json_t *ignored;
    json_object_foreach ((json_t *) channels, channel, ignored)
    {
        if (c == channel_count)
            break;
        for (size_t i = 0; i < count; i++)
            by_channel [c * count + i] = s_number (
                json_object_get (json_array_get (weeks, i), "registrations_by_channel"), channel);
        series_of [c] = (console_chart_series_t){ console_word (lang, channel),
                                                  &by_channel [c * count], false };
        c++;
    }
    console_chart_t chart = {
        .kind = CONSOLE_CHART_BARS,
        .title = console_string (lang, CS_CHART_REGISTRATIONS),
        .x_label = console_string (lang, CS_WEEK),
        .y_label = console_string (lang, CS_NUMBER),
        .labels = labels,
        .count = count,
        .series = series_of,
        .series_count = channel_count,
        .lang = lang,
    };
    console_chart_render (page->html, &chart, "chart-registrations");
    free (by_channel);

    //  The lines read one figure at each week's end.
    double *line = values;
    static const struct {
        console_string_t title, series, y;
        const char *key;
        const char *id;
        double y_max;
    } lines [] = {
        { CS_CHART_WAITING, CS_WAITING_LENGTH, CS_NUMBER, "waiting", "chart-waiting", 0 },
        { CS_CHART_WAITING, CS_MEDIAN_WAIT_DAYS, CS_DAYS, "wait_days_median", "chart-wait", 0 },
        { CS_CHART_CALLBACKS, CS_ON_TIME_PCT, CS_PERCENT, "callbacks_on_time_pct",
          "chart-callbacks", 100 },
        { CS_CHART_CALLS, CS_ANSWERED_PCT, CS_PERCENT, "calls_answered_pct", "chart-calls", 100 },
    };
    for (size_t l = 0; l < sizeof lines / sizeof *lines; l++) {
        for (size_t i = 0; i < count; i++)
            line [i] = s_number (json_array_get (weeks, i), lines [l].key);
        console_chart_series_t one = { console_string (lang, lines [l].series), line, false };
        chart = (console_chart_t){
            .kind = CONSOLE_CHART_LINE,
            .title = l == 1 ? console_string (lang, CS_MEDIAN_WAIT_DAYS)
                            : console_string (lang, lines [l].title),
            .x_label = console_string (lang, CS_WEEK),
            .y_label = console_string (lang, lines [l].y),
            .labels = labels,
            .count = count,
            .series = &one,
            .series_count = 1,
            .y_max = lines [l].y_max,
            .decimals = lines [l].y_max > 0 || l == 1 ? 1 : 0,
            .lang = lang,
        };
        console_chart_render (page->html, &chart, lines [l].id);
    }

    //  Handovers completed (%) per week, and the forecast after the last.
    double *done = values + room, *forecast = values + 2 * room;
    for (size_t i = 0; i < room; i++)
        done [i] = forecast [i] = NAN;
    for (size_t i = 0; i < count; i++)
        done [i] = s_number (json_array_get (weeks, i), "handovers_completed_pct");
    size_t drawn = count;
    const char *deadline_text = console_json_text (series, "deadline");
    const char *forecast_text = console_json_text (series, "forecast_completion_date");
    int64_t last_at, deadline = 0, forecast_at = 0;
    const char *marker = NULL;
    size_t marker_index = 0;
    if (count && cf_time_parse (labels [count - 1], &last_at) == 0) {
        bool has_deadline = deadline_text && cf_time_parse (deadline_text, &deadline) == 0;
        bool has_forecast = forecast_text && cf_time_parse (forecast_text, &forecast_at) == 0;
        int64_t until = has_deadline ? deadline : last_at;
        if (has_forecast && forecast_at > until)
            until = forecast_at;
        double start = done [count - 1];
        if (has_forecast && !isnan (start))
            forecast [count - 1] = start;
        for (size_t i = count;
             i < room && last_at + (int64_t) (i - count) * 7 * CF_USEC_PER_DAY < until; i++) {
            int64_t at = last_at + (int64_t) (i - count + 1) * 7 * CF_USEC_PER_DAY;
            cf_time_format_date (at, label_text [i], sizeof label_text [i]);
            labels [i] = label_text [i];
            if (has_forecast && !isnan (start)) {
                double span = (double) (forecast_at - last_at);
                double share = span > 0 ? (double) (at - last_at) / span : 1;
                forecast [i] = share >= 1 ? 100 : start + (100 - start) * share;
            }
            drawn = i + 1;
        }
        if (has_deadline)
            for (size_t i = 0; i < drawn; i++)
                if (strncmp (labels [i], deadline_text, 10) >= 0) {
                    marker = console_string (lang, CS_DEADLINE);
                    marker_index = i;
                    break;
                }
    }
    console_chart_series_t pair [2] = {
        { console_string (lang, CS_COMPLETED_PCT), done, false },
        { console_string (lang, CS_FORECAST_LINE), forecast, true },
    };
    chart = (console_chart_t){
        .kind = CONSOLE_CHART_LINE,
        .title = console_string (lang, CS_CHART_HANDOVERS),
        .x_label = console_string (lang, CS_WEEK),
        .y_label = console_string (lang, CS_PERCENT),
        .labels = labels,
        .count = drawn,
        .series = pair,
        .series_count = forecast_text ? 2 : 1,
        .y_max = 100,
        .decimals = 1,
        .marker_label = marker,
        .marker_index = marker_index,
        .lang = lang,
    };
    console_chart_render (page->html, &chart, "chart-handovers");
    free (values);
    free (labels);
    free (label_text);
}

void
console_page_report (console_page_t *page, const char *at_text, const json_t *report,
                     const json_t *weeks)
{
    console_lang_t lang = page->lang;
    console_page_begin (page, console_string (lang, CS_REPORT_TITLE), CONSOLE_MENU_REPORT);
    console_html_printf (page->html,
                         "<form method=\"get\" action=\"/report\"><p><label for=\"at\">%s</label> "
                         "<input id=\"at\" name=\"at\" type=\"date\" value=\"%s\" required> "
                         "<button type=\"submit\">%s</button></p></form>",
                         console_string (lang, CS_REPORT_AT), at_text,
                         console_string (lang, CS_REPORT_SHOW));
    console_html_printf (page->html,
                         "<h2 id=\"figures\">%s</h2><table aria-labelledby=\"figures\"><thead><tr>"
                         "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
                         console_string (lang, CS_REPORT_FIGURES), console_string (lang, CS_FIGURE),
                         console_string (lang, CS_VALUE));
    for (size_t i = 0; i < sizeof s_figures / sizeof *s_figures; i++) {
        console_html_printf (page->html,
                             "<tr><th scope=\"row\">%s</th><td class=\"num\" data-key=\"%s\">",
                             console_string (lang, s_figures [i].label), s_figures [i].key);
        console_page_figure (page, report, s_figures [i].key, s_figures [i].decimals);
        console_html_printf (page->html, "</td></tr>");
    }
    console_html_printf (page->html, "</tbody></table>");
    s_breakdown (page, json_object_get (report, "registrations_by_channel"),
                 CS_REGISTRATIONS_BY_CHANNEL, CS_CHANNEL, true);
    s_breakdown (page, json_object_get (report, "caseload_by_location"), CS_CASELOAD_BY_LOCATION,
                 CS_LOCATION, false);
    s_breakdown (page, json_object_get (report, "caseload_by_worker"), CS_CASELOAD_BY_WORKER,
                 CS_WORKER, false);
    s_breakdown (page, json_object_get (report, "decisions_pending_by_law"), CS_DECISIONS_BY_LAW,
                 CS_LAW, true);
    json_t *series = console_series_new (weeks);
    s_charts (page, series);
    json_decref (series);
    console_page_end (page);
}
