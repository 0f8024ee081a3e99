//  console_chart: SVG charts with a table beside them (see console_chart.h).
//
//  The drawing is in a fixed viewBox (S_WIDTH × S_HEIGHT) that the page's
//  CSS scales to the column's width; coordinates are written with one
//  decimal in the C locale, so a Dutch page still writes "12.5" in SVG.
#include "console_chart.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define S_WIDTH      640.0
#define S_HEIGHT     280.0
#define S_LEFT       56.0
#define S_RIGHT      16.0
#define S_TOP        16.0
#define S_BOTTOM     40.0
#define S_TICKS      4
#define S_MAX_XLABEL 8

//  Colours of at least 3:1 against white (checked by test_web_chart).
static const char *const s_palette [] = {
    "#1d4e89",  //  blue
    "#b0471a",  //  rust
    "#2d6a31",  //  green
    "#6b2c91",  //  purple
    "#7a5c00",  //  ochre
    "#b3261e",  //  red
};
#define S_COLOURS (sizeof s_palette / sizeof *s_palette)

const char *
console_chart_colour (size_t series)
{
    return s_palette [series % S_COLOURS];
}

double
console_chart_nice_max (double max)
{
    //  Four ticks of a round step: 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times
    //  a power of ten, never below 1 (the figures are counts, days and
    //  percentages).
    static const double steps [] = { 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 };
    double quarter = max / S_TICKS;
    for (double power = 1;; power *= 10)
        for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
            if (steps [i] * power >= quarter - 1e-9)
                return S_TICKS * steps [i] * power;
}

static double
s_data_max (const console_chart_t *chart)
{
    double max = 0;
    for (size_t i = 0; i < chart->count; i++) {
        double stacked = 0;
        for (size_t s = 0; s < chart->series_count; s++) {
            double value = chart->series [s].values [i];
            if (isnan (value))
                continue;
            if (chart->kind == CONSOLE_CHART_BARS)
                stacked += value > 0 ? value : 0;
            else if (value > max)
                max = value;
        }
        if (stacked > max)
            max = stacked;
    }
    return max;
}

static double
s_x (const console_chart_t *chart, size_t index)
{
    double plot = S_WIDTH - S_LEFT - S_RIGHT;
    double slot = plot / (double) chart->count;
    return S_LEFT + slot * ((double) index + 0.5);
}

static double
s_y (double value, double top)
{
    double plot = S_HEIGHT - S_TOP - S_BOTTOM;
    if (value < 0)
        value = 0;
    if (value > top)
        value = top;
    return S_TOP + plot * (1 - value / top);
}

static void
s_axes (console_html_t *html, const console_chart_t *chart, double top)
{
    char text [64];
    console_html_printf (html, "<g class=\"axis\" aria-hidden=\"true\">");
    for (int tick = 0; tick <= S_TICKS; tick++) {
        double value = top * tick / S_TICKS;
        double y = s_y (value, top);
        console_html_printf (html,
                             "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                             "class=\"grid\"/>",
                             S_LEFT, y, S_WIDTH - S_RIGHT, y);
        console_html_printf (
            html,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
            "dominant-baseline=\"middle\">%s</text>",
            S_LEFT - 6, y,
            console_decimal (chart->lang, value, top < 4 ? 1 : 0, text, sizeof text));
    }
    //  At most about S_MAX_XLABEL labels, evenly spread; the last is
    //  always shown, and the regular one just before it left out when the
    //  two would overlap.
    size_t every = (chart->count + S_MAX_XLABEL - 1) / S_MAX_XLABEL;
    for (size_t i = 0; i < chart->count; i++) {
        bool show = i % every == 0;
        if (i == chart->count - 1)
            show = true;
        else if (show && i && i + every > chart->count - 1 && chart->count - 1 - i <= every / 2)
            show = false;
        if (show)
            console_html_printf (html,
                                 "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
                                 s_x (chart, i), S_HEIGHT - S_BOTTOM + 18, chart->labels [i]);
    }
    console_html_printf (html,
                         "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"base\"/>",
                         S_LEFT, S_HEIGHT - S_BOTTOM, S_WIDTH - S_RIGHT, S_HEIGHT - S_BOTTOM);
    console_html_printf (html,
                         "<text x=\"12\" y=\"%.1f\" transform=\"rotate(-90 12 %.1f)\" "
                         "text-anchor=\"middle\">%s</text>",
                         S_TOP + (S_HEIGHT - S_TOP - S_BOTTOM) / 2,
                         S_TOP + (S_HEIGHT - S_TOP - S_BOTTOM) / 2, chart->y_label);
    console_html_printf (html, "</g>");
}

static void
s_lines (console_html_t *html, const console_chart_t *chart, double top)
{
    for (size_t s = 0; s < chart->series_count; s++) {
        const console_chart_series_t *series = &chart->series [s];
        const char *colour = s_palette [s % S_COLOURS];
        //  Markup is never a %s argument (it would be escaped): the dash is
        //  a literal of its own.
        console_html_printf (html, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"",
                             colour);
        if (series->dashed)
            console_html_printf (html, " stroke-dasharray=\"7 5\"");
        console_html_printf (html, " d=\"");
        bool pen_down = false;
        for (size_t i = 0; i < chart->count; i++) {
            double value = series->values [i];
            if (isnan (value)) {
                pen_down = false;
                continue;
            }
            console_html_printf (html, "%s%.1f %.1f ", pen_down ? "L" : "M", s_x (chart, i),
                                 s_y (value, top));
            pen_down = true;
        }
        console_html_printf (html, "\"/>");
        //  A point for each value, so a single week still shows.
        for (size_t i = 0; i < chart->count; i++)
            if (!isnan (series->values [i]))
                console_html_printf (html, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                                     s_x (chart, i), s_y (series->values [i], top), colour);
    }
}

static void
s_bars (console_html_t *html, const console_chart_t *chart, double top)
{
    double slot = (S_WIDTH - S_LEFT - S_RIGHT) / (double) chart->count;
    double width = slot * 0.7;
    for (size_t i = 0; i < chart->count; i++) {
        double base = 0;
        for (size_t s = 0; s < chart->series_count; s++) {
            double value = chart->series [s].values [i];
            if (isnan (value) || value <= 0)
                continue;
            double y_top = s_y (base + value, top);
            double y_bottom = s_y (base, top);
            console_html_printf (html,
                                 "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                                 "fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1\"/>",
                                 s_x (chart, i) - width / 2, y_top, width, y_bottom - y_top,
                                 s_palette [s % S_COLOURS]);
            base += value;
        }
    }
}

static void
s_marker (console_html_t *html, const console_chart_t *chart)
{
    if (!chart->marker_label || chart->marker_index >= chart->count)
        return;
    double x = s_x (chart, chart->marker_index);
    console_html_printf (html,
                         "<g class=\"marker\" aria-hidden=\"true\"><line x1=\"%.1f\" y1=\"%.1f\" "
                         "x2=\"%.1f\" y2=\"%.1f\" stroke=\"#3d3d3d\" stroke-width=\"1.5\" "
                         "stroke-dasharray=\"2 3\"/><text x=\"%.1f\" y=\"%.1f\" "
                         "text-anchor=\"end\">%s</text></g>",
                         x, S_TOP, x, S_HEIGHT - S_BOTTOM, x - 4, S_HEIGHT - S_BOTTOM - 6,
                         chart->marker_label);
}

static void
s_legend (console_html_t *html, const console_chart_t *chart)
{
    console_html_printf (html, "<ul class=\"legend\">");
    for (size_t s = 0; s < chart->series_count; s++) {
        console_html_printf (html,
                             "<li><svg width=\"28\" height=\"12\" aria-hidden=\"true\" "
                             "focusable=\"false\"><line x1=\"0\" y1=\"6\" x2=\"28\" y2=\"6\" "
                             "stroke=\"%s\" stroke-width=\"%d\"",
                             s_palette [s % S_COLOURS], chart->kind == CONSOLE_CHART_BARS ? 10 : 3);
        if (chart->series [s].dashed)
            console_html_printf (html, " stroke-dasharray=\"6 4\"");
        console_html_printf (html, "/></svg> %s</li>", chart->series [s].name);
    }
    console_html_printf (html, "</ul>");
}

static void
s_table (console_html_t *html, const console_chart_t *chart)
{
    char text [64];
    console_html_printf (html,
                         "<details><summary>%s</summary><table><caption>%s</caption><thead><tr>"
                         "<th scope=\"col\">%s</th>",
                         console_string (chart->lang, CS_CHART_TABLE), chart->title,
                         chart->x_label);
    for (size_t s = 0; s < chart->series_count; s++)
        console_html_printf (html, "<th scope=\"col\">%s</th>", chart->series [s].name);
    console_html_printf (html, "</tr></thead><tbody>");
    for (size_t i = 0; i < chart->count; i++) {
        console_html_printf (html, "<tr><th scope=\"row\">%s</th>", chart->labels [i]);
        for (size_t s = 0; s < chart->series_count; s++) {
            double value = chart->series [s].values [i];
            console_html_printf (
                html, "<td class=\"num\">%s</td>",
                isnan (value)
                    ? "–"
                    : console_decimal (chart->lang, value, chart->decimals, text, sizeof text));
        }
        console_html_printf (html, "</tr>");
    }
    console_html_printf (html, "</tbody></table></details>");
}

void
console_chart_render (console_html_t *html, const console_chart_t *chart, const char *id)
{
    assert (html && chart && id);
    console_html_printf (html, "<figure class=\"chart\" id=\"%s\"><figcaption>%s</figcaption>", id,
                         chart->title);
    if (chart->count == 0 || chart->series_count == 0) {
        console_html_printf (html, "<p>%s</p></figure>",
                             console_string (chart->lang, CS_CHART_NO_DATA));
        return;
    }
    double top = chart->y_max > 0 ? chart->y_max : console_chart_nice_max (s_data_max (chart));
    console_html_printf (html,
                         "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" focusable=\"false\" "
                         "aria-labelledby=\"%s-title %s-desc\"><title id=\"%s-title\">%s</title>"
                         "<desc id=\"%s-desc\">",
                         S_WIDTH, S_HEIGHT, id, id, id, chart->title, id);
    //  What the picture shows, in words: its span and where the figures are.
    console_html_printf (html, "%s %s – %s. %s.", chart->x_label, chart->labels [0],
                         chart->labels [chart->count - 1],
                         console_string (chart->lang, CS_CHART_TABLE));
    console_html_printf (html, "</desc>");
    s_axes (html, chart, top);
    if (chart->kind == CONSOLE_CHART_BARS)
        s_bars (html, chart, top);
    else
        s_lines (html, chart, top);
    s_marker (html, chart);
    console_html_printf (html, "</svg>");
    s_legend (html, chart);
    s_table (html, chart);
    console_html_printf (html, "</figure>");
}
