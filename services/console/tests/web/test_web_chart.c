//  test_web_chart: the SVG charts: named and described for screen readers,
//  a legend and a table of the same figures, values escaped, gaps in
//  lines, stacked bars, round axis tops, and colours with at least 3:1
//  contrast against the white page.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "console_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t
s_count (const char *haystack, const char *needle)
{
    size_t count = 0;
    for (const char *p = strstr (haystack, needle); p; p = strstr (p + 1, needle))
        count++;
    return count;
}

static void
test_line_chart (void **state)
{
    (void) state;
    const char *labels [] = { "2022-W01", "2022-W02", "2022-W03" };
    const double waiting [] = { 10, NAN, 30 };
    const double forecast [] = { NAN, 20, 25 };
    const console_chart_series_t series [] = {
        { "Wachtenden <b>", waiting, false },
        { "Voorspelling", forecast, true },
    };
    console_chart_t chart = {
        .kind = CONSOLE_CHART_LINE,
        .title = "Wachtlijst & wachttijd",
        .x_label = "Week",
        .y_label = "Aantal",
        .labels = labels,
        .count = 3,
        .series = series,
        .series_count = 2,
        .decimals = 1,
        .marker_label = "30 juni",
        .marker_index = 2,
        .lang = CONSOLE_LANG_NL,
    };
    console_html_t *html = console_html_new ();
    console_chart_render (html, &chart, "chart-waiting");
    const char *page = console_html_data (html, NULL);
    assert_non_null (strstr (page, "role=\"img\""));
    assert_non_null (strstr (page, "aria-labelledby=\"chart-waiting-title chart-waiting-desc\""));
    assert_non_null (strstr (page, "<title id=\"chart-waiting-title\">Wachtlijst &amp; wachttijd"));
    assert_non_null (strstr (page, "<desc id=\"chart-waiting-desc\">Week 2022-W01 – 2022-W03."));
    assert_null (strstr (page, "<b>"));
    assert_non_null (strstr (page, "Wachtenden &lt;b&gt;"));
    //  The gap breaks the first line (two moves, no line to it); the
    //  forecast is dashed.
    assert_int_equal (s_count (page, "d=\"M"), 2);
    assert_int_equal (s_count (page, "stroke-dasharray=\"7 5\""), 1);
    //  The table: a caption, column and row headers, Dutch decimals, a
    //  dash for no value.
    assert_non_null (strstr (page, "<caption>Wachtlijst &amp; wachttijd</caption>"));
    assert_int_equal (s_count (page, "<th scope=\"col\">"), 3);
    assert_int_equal (s_count (page, "<th scope=\"row\">"), 3);
    assert_non_null (strstr (page, "<td class=\"num\">10,0</td>"));
    assert_non_null (strstr (page, "<td class=\"num\">–</td>"));
    assert_non_null (strstr (page, ">30 juni</text>"));
    //  The axis goes to the round number above 30, in quarters.
    assert_non_null (strstr (page, ">32</text>"));
    assert_non_null (strstr (page, ">8</text>"));
    console_html_destroy (&html);
}

static void
test_bars_and_empty (void **state)
{
    (void) state;
    const char *labels [20];
    double phone [20], web [20];
    char names [20][12];
    for (int i = 0; i < 20; i++) {
        snprintf (names [i], sizeof names [i], "W%02d", i + 1);
        labels [i] = names [i];
        phone [i] = i;
        web [i] = 2;
    }
    const console_chart_series_t series [] = { { "telefoon", phone, false },
                                               { "web", web, false } };
    console_chart_t chart = {
        .kind = CONSOLE_CHART_BARS,
        .title = "Aanmeldingen",
        .x_label = "Week",
        .y_label = "Aantal",
        .labels = labels,
        .count = 20,
        .series = series,
        .series_count = 2,
        .lang = CONSOLE_LANG_EN,
    };
    console_html_t *html = console_html_new ();
    console_chart_render (html, &chart, "chart-registrations");
    const char *page = console_html_data (html, NULL);
    //  Bars for every positive value (phone's first week is 0).
    assert_int_equal (s_count (page, "<rect "), 39);
    //  The stacked top is 19 + 2 = 21: the axis goes to 24.
    assert_non_null (strstr (page, ">24</text>"));
    //  No more than about eight x labels, the last among them.
    size_t shown = 0;
    for (int i = 0; i < 20; i++) {
        char text [32];
        snprintf (text, sizeof text, ">%s</text>", names [i]);
        shown += s_count (page, text);
    }
    assert_in_range (shown, 6, 9);
    assert_non_null (strstr (page, ">W20</text>"));
    console_html_destroy (&html);

    html = console_html_new ();
    chart.count = 0;
    console_chart_render (html, &chart, "chart-empty");
    page = console_html_data (html, NULL);
    assert_non_null (strstr (page, "No data for this chart yet."));
    assert_null (strstr (page, "<svg"));
    console_html_destroy (&html);
}

static double
s_luminance (const char *hex)
{
    double channel [3];
    for (int i = 0; i < 3; i++) {
        char part [3] = { hex [1 + 2 * i], hex [2 + 2 * i], 0 };
        double c = strtol (part, NULL, 16) / 255.0;
        channel [i] = c <= 0.03928 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * channel [0] + 0.7152 * channel [1] + 0.0722 * channel [2];
}

static void
test_palette_and_axis (void **state)
{
    (void) state;
    for (size_t i = 0; i < 6; i++) {
        double ratio = 1.05 / (s_luminance (console_chart_colour (i)) + 0.05);
        if (ratio < 4.5)
            fail_msg ("colour %s has contrast %.2f against white", console_chart_colour (i), ratio);
    }
    assert_true (console_chart_nice_max (0) == 4);
    assert_true (console_chart_nice_max (3) == 4);
    assert_true (console_chart_nice_max (5) == 6);
    assert_true (console_chart_nice_max (21) == 24);
    assert_true (console_chart_nice_max (30) == 32);
    assert_true (console_chart_nice_max (100) == 100);
    assert_true (console_chart_nice_max (101) == 120);
    assert_true (console_chart_nice_max (0.3) == 4);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_line_chart),
        cmocka_unit_test (test_bars_and_empty),
        cmocka_unit_test (test_palette_and_axis),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
