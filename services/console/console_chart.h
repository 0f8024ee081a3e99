//  console_chart: line and bar charts drawn on the server as inline SVG,
//  each with its figures as a table beside it.
//
//  No script draws them and nothing is fetched: a page with charts is one
//  HTML document. Each chart is a <figure>: the SVG (role="img", named by
//  its <title> and described by a <desc> that says what it shows and that
//  the table holds the figures), a legend in HTML text (each series' name
//  beside its colour and its line style, so colour is never the only
//  cue), and a <details> with the same figures as a table with headers,
//  for screen readers and for copying into the council letter. The
//  colours have at least 3:1 contrast against the white page (WCAG 2.1
//  1.4.11); a forecast series is dashed.
#ifndef CONSOLE_CHART_H
#define CONSOLE_CHART_H

#include "console_html.h"
#include "console_strings.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    CONSOLE_CHART_LINE,  //  one line per series; a NAN value breaks the line
    CONSOLE_CHART_BARS,  //  stacked bars, the series bottom up
} console_chart_kind_t;

typedef struct {
    const char *name;      //  legend and table header
    const double *values;  //  `count` of them (the chart's); NAN: no value
    bool dashed;           //  drawn dashed (a forecast)
} console_chart_series_t;

typedef struct {
    console_chart_kind_t kind;
    const char *title;          //  the chart's name (figure caption, SVG title, table caption)
    const char *x_label;        //  the table's first column ("Week")
    const char *y_label;        //  the y axis' name ("Number", "Percent")
    const char *const *labels;  //  `count` x labels, in order
    size_t count;
    const console_chart_series_t *series;
    size_t series_count;
    double y_max;  //  the axis' top; 0: from the data
    int decimals;  //  digits after the separator in the table
    //  A vertical line at label `marker_index` named `marker_label` (the
    //  handover deadline); NULL: none.
    const char *marker_label;
    size_t marker_index;
    console_lang_t lang;
} console_chart_t;

//  Appends the chart as a <figure> to `html`; `id` (a literal, unique on
//  the page, letters and '-') names its parts for aria references. A
//  chart without labels or series says "no data" (its table is then left
//  out). Everything from `chart` is escaped.
void
console_chart_render (console_html_t *html, const console_chart_t *chart, const char *id);

//  The top of an axis for `max`: four times the smallest round step
//  (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten, at least 1)
//  that reaches it, so every quarter tick is a round number.
double
console_chart_nice_max (double max);

//  The colour of series `series` ("#rrggbb"; the palette repeats).
const char *
console_chart_colour (size_t series);

#endif
