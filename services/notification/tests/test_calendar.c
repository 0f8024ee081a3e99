//  test_calendar: working days, holidays, the weekend/holiday shift to
//  09:00 on the next working day, working-day and calendar-day arithmetic
//  across daylight saving time, and the --holidays parser.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_time.h"
#include "notification_calendar.h"

#include <string.h>

static notification_calendar_t s_calendar;

static int64_t
s_at (const char *text)
{
    int64_t at = 0;
    assert_int_equal (cf_time_parse (text, &at), 0);
    return at;
}

static void
s_assert_time (int64_t got, const char *expected)
{
    if (got != s_at (expected)) {
        char text [40];
        fail_msg ("got %s, expected %s", cf_time_format_local (got, text, sizeof text), expected);
    }
}

static int
s_setup (void **state)
{
    (void) state;
    cf_time_init ();
    return notification_calendar_parse (&s_calendar, NOTIFICATION_DEFAULT_HOLIDAYS, NULL);
}

static int
s_teardown (void **state)
{
    (void) state;
    notification_calendar_clear (&s_calendar);
    return 0;
}

static void
test_working_days (void **state)
{
    (void) state;
    assert_true (notification_calendar_is_working_day (&s_calendar, s_at ("2022-01-10T10:00")));
    assert_false (notification_calendar_is_working_day (&s_calendar, s_at ("2022-01-15T10:00")));
    assert_false (notification_calendar_is_working_day (&s_calendar, s_at ("2022-01-16T23:59")));
    //  Holidays of the default list; Good Friday is not one.
    assert_false (notification_calendar_is_working_day (&s_calendar, s_at ("2022-04-18T12:00")));
    assert_false (notification_calendar_is_working_day (&s_calendar, s_at ("2022-04-27T08:00")));
    assert_false (notification_calendar_is_working_day (&s_calendar, s_at ("2022-05-26T08:00")));
    assert_false (notification_calendar_is_working_day (&s_calendar, s_at ("2022-12-26T08:00")));
    assert_true (notification_calendar_is_working_day (&s_calendar, s_at ("2022-04-15T12:00")));
    //  The local date counts, not the UTC one: 00:30 on Monday in
    //  Amsterdam is still Sunday in UTC.
    assert_true (
        notification_calendar_is_working_day (&s_calendar, s_at ("2022-01-17T00:30+01:00")));
}

static void
test_shift (void **state)
{
    (void) state;
    //  A working day keeps its time, whatever the hour.
    s_assert_time (notification_calendar_shift (&s_calendar, s_at ("2022-01-24T10:00")),
                   "2022-01-24T10:00");
    s_assert_time (notification_calendar_shift (&s_calendar, s_at ("2022-01-21T23:30")),
                   "2022-01-21T23:30");
    //  Saturday and Sunday go to Monday 09:00.
    s_assert_time (notification_calendar_shift (&s_calendar, s_at ("2022-01-15T10:00")),
                   "2022-01-17T09:00");
    s_assert_time (notification_calendar_shift (&s_calendar, s_at ("2022-01-16T07:00")),
                   "2022-01-17T09:00");
    //  Easter Monday to Tuesday; Easter Sunday over the Monday.
    s_assert_time (notification_calendar_shift (&s_calendar, s_at ("2022-04-18T10:00")),
                   "2022-04-19T09:00");
    s_assert_time (notification_calendar_shift (&s_calendar, s_at ("2022-04-16T10:00")),
                   "2022-04-19T09:00");
    //  King's Day (Wednesday) to Thursday; Christmas over both days.
    s_assert_time (notification_calendar_shift (&s_calendar, s_at ("2022-04-27T14:00")),
                   "2022-04-28T09:00");
    s_assert_time (notification_calendar_shift (&s_calendar, s_at ("2022-12-24T14:00")),
                   "2022-12-27T09:00");
    //  New Year's Day 2022 is a Saturday anyway.
    s_assert_time (notification_calendar_shift (&s_calendar, s_at ("2022-01-01T12:00")),
                   "2022-01-03T09:00");
    //  Whit Sunday and Monday.
    s_assert_time (notification_calendar_shift (&s_calendar, s_at ("2022-06-05T12:00")),
                   "2022-06-07T09:00");
    //  Summer time: 09:00 is 09:00 local, +02:00.
    s_assert_time (notification_calendar_shift (&s_calendar, s_at ("2022-03-26T12:00")),
                   "2022-03-28T09:00+02:00");
}

static void
test_working_day_arithmetic (void **state)
{
    (void) state;
    s_assert_time (
        notification_calendar_add_working_days (&s_calendar, s_at ("2022-01-24T10:00"), 2),
        "2022-01-26T10:00");
    //  Friday + 2 working days is Tuesday.
    s_assert_time (
        notification_calendar_add_working_days (&s_calendar, s_at ("2022-01-21T09:00"), 2),
        "2022-01-25T09:00");
    //  Thursday before Easter + 2: Good Friday, then (weekend, Easter
    //  Monday) Tuesday.
    s_assert_time (
        notification_calendar_add_working_days (&s_calendar, s_at ("2022-04-14T11:00"), 2),
        "2022-04-19T11:00");
    s_assert_time (
        notification_calendar_add_working_days (&s_calendar, s_at ("2022-04-14T11:00"), 0),
        "2022-04-14T11:00");
    //  Across the start of summer time the wall clock is kept.
    s_assert_time (
        notification_calendar_add_working_days (&s_calendar, s_at ("2022-03-25T10:00"), 1),
        "2022-03-28T10:00+02:00");
}

static void
test_calendar_days (void **state)
{
    (void) state;
    s_assert_time (notification_calendar_add_days (s_at ("2022-07-01T00:00:00+02:00"), -14),
                   "2022-06-17T00:00:00+02:00");
    s_assert_time (notification_calendar_add_days (s_at ("2022-07-01T00:00:00+02:00"), -3),
                   "2022-06-28T00:00:00+02:00");
    //  Across daylight saving time: 14 days is not 14 x 24 hours.
    s_assert_time (notification_calendar_add_days (s_at ("2022-04-03T10:00"), -14),
                   "2022-03-20T10:00+01:00");
    s_assert_time (notification_calendar_day_end (s_at ("2022-03-27T10:00")), "2022-03-28T00:00");
    s_assert_time (notification_calendar_day_start (s_at ("2022-03-27T10:00")), "2022-03-27T00:00");
    char date [16];
    assert_string_equal (
        notification_calendar_date (s_at ("2022-01-17T00:30+01:00"), date, sizeof date),
        "2022-01-17");
}

static void
test_parse (void **state)
{
    (void) state;
    notification_calendar_t calendar = { 0 };
    const char *bad = NULL;
    assert_int_equal (notification_calendar_parse (&calendar, " 2023-01-02 , 2022-12-30,", &bad),
                      0);
    assert_int_equal (calendar.holiday_count, 2);
    assert_int_equal (calendar.holidays [0], 20221230);
    assert_false (notification_calendar_is_working_day (&calendar, s_at ("2023-01-02T10:00")));
    assert_int_equal (notification_calendar_parse (&calendar, "", &bad), 0);
    assert_int_equal (calendar.holiday_count, 0);
    assert_int_equal (notification_calendar_parse (&calendar, "2022-01-01,2022-02-30", &bad), -1);
    assert_string_equal (bad, "2022-02-30");
    assert_int_equal (calendar.holiday_count, 0);
    assert_int_equal (notification_calendar_parse (&calendar, "2022/01/01", &bad), -1);
    assert_int_equal (notification_calendar_parse (&calendar, "tomorrow", &bad), -1);
    assert_int_equal (notification_calendar_parse (&calendar, "2022-1-1", &bad), -1);
    //  Duplicates collapse.
    assert_int_equal (notification_calendar_parse (&calendar, "2022-05-05,2022-05-05", &bad), 0);
    assert_int_equal (calendar.holiday_count, 1);
    notification_calendar_clear (&calendar);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_working_days),
        cmocka_unit_test (test_shift),
        cmocka_unit_test (test_working_day_arithmetic),
        cmocka_unit_test (test_calendar_days),
        cmocka_unit_test (test_parse),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
