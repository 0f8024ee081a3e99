//  test_web_series: the weekly series of the Report page's charts, read
//  from reports at consecutive week ends: a week's registrations are the
//  difference of its two ends (a channel first seen later counts from
//  none), the other points are the week end's figures as they are (null
//  stays null), handovers completed is a share of the total (null without
//  handovers or without any), and the forecast is the last report's.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "console_series.h"

#include <stdlib.h>
#include <string.h>

static void
test_weeks_from_reports (void **state)
{
    (void) state;
    json_t *reports = json_loads (
        "[{\"at\":\"2022-01-07T00:00:00+01:00\",\"registrations_total\":3,"
        "\"registrations_by_channel\":{\"phone\":3},\"waiting\":2,\"wait_days_median\":null,"
        "\"callbacks_on_time_pct\":null,\"handovers\":null},"
        "{\"at\":\"2022-01-14T00:00:00+01:00\",\"registrations_total\":7,"
        "\"registrations_by_channel\":{\"phone\":5,\"web\":2},\"waiting\":4,"
        "\"wait_days_median\":2.5,\"callbacks_on_time_pct\":50,\"calls_answered_pct\":80.5,"
        "\"handovers\":{\"total\":0,\"completed\":0}},"
        "{\"at\":\"2022-01-21T00:00:00+01:00\",\"registrations_total\":8,"
        "\"registrations_by_channel\":{\"phone\":6,\"web\":2},\"waiting\":3,"
        "\"wait_days_median\":3.5,\"callbacks_on_time_pct\":75,\"calls_answered_pct\":null,"
        "\"handovers\":{\"total\":8,\"completed\":2,\"deadline\":\"2022-06-30\","
        "\"forecast_completion_date\":\"2022-05-27\"}}]",
        0, NULL);
    assert_non_null (reports);
    json_t *series = console_series_new (reports);
    char *text = json_dumps (series, JSON_COMPACT | JSON_REAL_PRECISION (6));
    assert_string_equal (text, "{\"at\":\"2022-01-21T00:00:00+01:00\",\"deadline\":\"2022-06-30\","
                               "\"forecast_completion_date\":\"2022-05-27\",\"weeks\":["
                               "{\"week_end\":\"2022-01-14T00:00:00+01:00\",\"registrations\":4,"
                               "\"registrations_by_channel\":{\"phone\":2,\"web\":2},\"waiting\":4,"
                               "\"wait_days_median\":2.5,\"callbacks_on_time_pct\":50,"
                               "\"calls_answered_pct\":80.5,\"handovers_completed_pct\":null},"
                               "{\"week_end\":\"2022-01-21T00:00:00+01:00\",\"registrations\":1,"
                               "\"registrations_by_channel\":{\"phone\":1,\"web\":0},\"waiting\":3,"
                               "\"wait_days_median\":3.5,\"callbacks_on_time_pct\":75,"
                               "\"calls_answered_pct\":null,\"handovers_completed_pct\":25.0}]}");
    free (text);
    json_decref (series);
    json_decref (reports);
}

static void
test_too_few_reports (void **state)
{
    (void) state;
    json_t *none = json_array ();
    json_t *series = console_series_new (none);
    char *text = json_dumps (series, JSON_COMPACT);
    assert_string_equal (text, "{\"at\":null,\"deadline\":null,\"forecast_completion_date\":null,"
                               "\"weeks\":[]}");
    free (text);
    json_decref (series);
    json_array_append_new (none, json_pack ("{s:s}", "at", "2022-01-21T00:00:00+01:00"));
    series = console_series_new (none);
    assert_int_equal (json_array_size (json_object_get (series, "weeks")), 0);
    assert_string_equal (json_string_value (json_object_get (series, "at")),
                         "2022-01-21T00:00:00+01:00");
    json_decref (series);
    json_decref (none);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_weeks_from_reports),
        cmocka_unit_test (test_too_few_reports),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
