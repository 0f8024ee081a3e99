//  test_calendar: dates, the Dutch public holidays (Easter-based ones,
//  King's Day moving off a Sunday), working days, the weekend/holiday shift
//  to 09:00 on the next working day, working-day and calendar-day
//  arithmetic across daylight saving time, and the --holidays parser.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_calendar.h"
#include "cf_time.h"

#include <string.h>

static cf_calendar_t s_calendar;

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
    return cf_calendar_parse (&s_calendar, CF_CALENDAR_DEFAULT_HOLIDAYS, NULL);
}

static int
s_teardown (void **state)
{
    (void) state;
    cf_calendar_clear (&s_calendar);
    return 0;
}

static void
test_working_days (void **state)
{
    (void) state;
    assert_true (cf_calendar_is_working_day (&s_calendar, s_at ("2022-01-10T10:00")));
    assert_false (cf_calendar_is_working_day (&s_calendar, s_at ("2022-01-15T10:00")));
    assert_false (cf_calendar_is_working_day (&s_calendar, s_at ("2022-01-16T23:59")));
    //  Holidays of the default list; Good Friday is not one.
    assert_false (cf_calendar_is_working_day (&s_calendar, s_at ("2022-04-18T12:00")));
    assert_false (cf_calendar_is_working_day (&s_calendar, s_at ("2022-04-27T08:00")));
    assert_false (cf_calendar_is_working_day (&s_calendar, s_at ("2022-05-26T08:00")));
    assert_false (cf_calendar_is_working_day (&s_calendar, s_at ("2022-12-26T08:00")));
    assert_true (cf_calendar_is_working_day (&s_calendar, s_at ("2022-04-15T12:00")));
    //  The local date counts, not the UTC one: 00:30 on Monday in
    //  Amsterdam is still Sunday in UTC.
    assert_true (cf_calendar_is_working_day (&s_calendar, s_at ("2022-01-17T00:30+01:00")));
}

static void
test_shift (void **state)
{
    (void) state;
    //  A working day keeps its time, whatever the hour.
    s_assert_time (cf_calendar_shift (&s_calendar, s_at ("2022-01-24T10:00")), "2022-01-24T10:00");
    s_assert_time (cf_calendar_shift (&s_calendar, s_at ("2022-01-21T23:30")), "2022-01-21T23:30");
    //  Saturday and Sunday go to Monday 09:00.
    s_assert_time (cf_calendar_shift (&s_calendar, s_at ("2022-01-15T10:00")), "2022-01-17T09:00");
    s_assert_time (cf_calendar_shift (&s_calendar, s_at ("2022-01-16T07:00")), "2022-01-17T09:00");
    //  Easter Monday to Tuesday; Easter Sunday over the Monday.
    s_assert_time (cf_calendar_shift (&s_calendar, s_at ("2022-04-18T10:00")), "2022-04-19T09:00");
    s_assert_time (cf_calendar_shift (&s_calendar, s_at ("2022-04-16T10:00")), "2022-04-19T09:00");
    //  King's Day (Wednesday) to Thursday; Christmas over both days.
    s_assert_time (cf_calendar_shift (&s_calendar, s_at ("2022-04-27T14:00")), "2022-04-28T09:00");
    s_assert_time (cf_calendar_shift (&s_calendar, s_at ("2022-12-24T14:00")), "2022-12-27T09:00");
    //  New Year's Day 2022 is a Saturday anyway.
    s_assert_time (cf_calendar_shift (&s_calendar, s_at ("2022-01-01T12:00")), "2022-01-03T09:00");
    //  Whit Sunday and Monday.
    s_assert_time (cf_calendar_shift (&s_calendar, s_at ("2022-06-05T12:00")), "2022-06-07T09:00");
    //  Summer time: 09:00 is 09:00 local, +02:00.
    s_assert_time (cf_calendar_shift (&s_calendar, s_at ("2022-03-26T12:00")),
                   "2022-03-28T09:00+02:00");
}

static void
test_working_day_arithmetic (void **state)
{
    (void) state;
    s_assert_time (cf_calendar_add_working_days (&s_calendar, s_at ("2022-01-24T10:00"), 2),
                   "2022-01-26T10:00");
    //  Friday + 2 working days is Tuesday.
    s_assert_time (cf_calendar_add_working_days (&s_calendar, s_at ("2022-01-21T09:00"), 2),
                   "2022-01-25T09:00");
    //  Thursday before Easter + 2: Good Friday, then (weekend, Easter
    //  Monday) Tuesday.
    s_assert_time (cf_calendar_add_working_days (&s_calendar, s_at ("2022-04-14T11:00"), 2),
                   "2022-04-19T11:00");
    s_assert_time (cf_calendar_add_working_days (&s_calendar, s_at ("2022-04-14T11:00"), 0),
                   "2022-04-14T11:00");
    //  Across the start of summer time the wall clock is kept.
    s_assert_time (cf_calendar_add_working_days (&s_calendar, s_at ("2022-03-25T10:00"), 1),
                   "2022-03-28T10:00+02:00");
}

static void
test_calendar_days (void **state)
{
    (void) state;
    s_assert_time (cf_calendar_add_days (s_at ("2022-07-01T00:00:00+02:00"), -14),
                   "2022-06-17T00:00:00+02:00");
    s_assert_time (cf_calendar_add_days (s_at ("2022-07-01T00:00:00+02:00"), -3),
                   "2022-06-28T00:00:00+02:00");
    //  Across daylight saving time: 14 days is not 14 x 24 hours.
    s_assert_time (cf_calendar_add_days (s_at ("2022-04-03T10:00"), -14), "2022-03-20T10:00+01:00");
    s_assert_time (cf_calendar_day_end (s_at ("2022-03-27T10:00")), "2022-03-28T00:00");
    s_assert_time (cf_calendar_day_start (s_at ("2022-03-27T10:00")), "2022-03-27T00:00");
    char date [16];
    assert_string_equal (cf_time_format_date (s_at ("2022-01-17T00:30+01:00"), date, sizeof date),
                         "2022-01-17");
}

static void
test_dates (void **state)
{
    (void) state;
    assert_true (cf_calendar_date_valid ("2022-01-03"));
    assert_true (cf_calendar_date_valid ("2020-02-29"));   //  leap year
    assert_true (cf_calendar_date_valid ("2000-02-29"));   //  divisible by 400
    assert_false (cf_calendar_date_valid ("1900-02-29"));  //  divisible by 100
    assert_false (cf_calendar_date_valid ("2021-02-29"));
    assert_false (cf_calendar_date_valid ("2022-04-31"));
    assert_false (cf_calendar_date_valid ("2022-13-01"));
    assert_false (cf_calendar_date_valid ("2022-00-10"));
    assert_false (cf_calendar_date_valid ("2022-01-00"));
    assert_false (cf_calendar_date_valid ("2022-01-32"));
    assert_false (cf_calendar_date_valid ("2022-1-03"));
    assert_false (cf_calendar_date_valid ("2022/01/03"));
    assert_false (cf_calendar_date_valid ("2022-01-03T09:00"));
    assert_false (cf_calendar_date_valid ("2022-0a-03"));
    assert_false (cf_calendar_date_valid (" 2022-01-03"));
    assert_false (cf_calendar_date_valid (""));
    assert_false (cf_calendar_date_valid (NULL));
    //  The years: 1900-9999.
    assert_true (cf_calendar_date_valid ("1900-01-01"));
    assert_false (cf_calendar_date_valid ("1899-12-31"));
    assert_false (cf_calendar_date_valid ("0999-01-01"));
    assert_true (cf_calendar_date_valid ("9999-12-31"));
    assert_int_equal (cf_calendar_date_key ("2022-12-31", 10), 20221231);
    assert_int_equal (cf_calendar_date_key ("2022-12-31,", 11), -1);
}

//  The Dutch public holidays of one year, in date order.
static void
s_assert_holidays (int year, const int32_t *expected, size_t count)
{
    size_t found = 0;
    for (int month = 1; month <= 12; month++)
        for (int day = 1; day <= 31; day++) {
            int32_t key = year * 10000 + month * 100 + day;
            if (!cf_calendar_dutch_holiday (key))
                continue;
            if (found >= count || expected [found] != key)
                fail_msg ("%d is a holiday, expected %d", key,
                          found < count ? expected [found] : 0);
            found++;
        }
    assert_int_equal (found, count);
}

static void
test_dutch_holidays (void **state)
{
    (void) state;
    //  2022: Easter 17 April, King's Day on a Wednesday. These are the
    //  dates the notification service listed by default before the rule.
    static const int32_t y2022 [] = { 20220101, 20220417, 20220418, 20220427, 20220505,
                                      20220526, 20220605, 20220606, 20221225, 20221226 };
    s_assert_holidays (2022, y2022, sizeof y2022 / sizeof y2022 [0]);
    //  2023: Easter 9 April, so Ascension 18 May and Whitsun 28-29 May.
    static const int32_t y2023 [] = { 20230101, 20230409, 20230410, 20230427, 20230505,
                                      20230518, 20230528, 20230529, 20231225, 20231226 };
    s_assert_holidays (2023, y2023, sizeof y2023 / sizeof y2023 [0]);
    //  2024: Easter on 31 March, Ascension on 9 May.
    static const int32_t y2024 [] = { 20240101, 20240331, 20240401, 20240427, 20240505,
                                      20240509, 20240519, 20240520, 20241225, 20241226 };
    s_assert_holidays (2024, y2024, sizeof y2024 / sizeof y2024 [0]);
    //  2025: 27 April is a Sunday, so King's Day is Saturday the 26th.
    static const int32_t y2025 [] = { 20250101, 20250420, 20250421, 20250426, 20250505,
                                      20250529, 20250608, 20250609, 20251225, 20251226 };
    s_assert_holidays (2025, y2025, sizeof y2025 / sizeof y2025 [0]);
    //  2014, the first King's Day, on a Sunday too; Queen's Day before.
    assert_true (cf_calendar_dutch_holiday (20140426));
    assert_false (cf_calendar_dutch_holiday (20140427));
    assert_true (cf_calendar_dutch_holiday (20130430));
    assert_false (cf_calendar_dutch_holiday (20130427));
    //  Good Friday is not a holiday.
    assert_false (cf_calendar_dutch_holiday (20230407));
    //  Easter's extremes: 22 March 2285, 25 April 2038 (with Whit Monday
    //  on 14 June).
    assert_true (cf_calendar_dutch_holiday (22850322));
    assert_true (cf_calendar_dutch_holiday (20380425));
    assert_true (cf_calendar_dutch_holiday (20380614));
    //  The default calendar is the Dutch one, on instants too.
    const cf_calendar_t *dutch = cf_calendar_default ();
    assert_true (cf_calendar_is_holiday (dutch, s_at ("2023-04-10T10:00")));
    assert_false (cf_calendar_is_holiday (dutch, s_at ("2023-04-11T10:00")));
    assert_true (cf_calendar_is_holiday (dutch, s_at ("2025-04-26T23:59")));
}

static void
test_dutch_working_days (void **state)
{
    (void) state;
    const cf_calendar_t *dutch = cf_calendar_default ();
    //  Thursday before Easter 2023 + 2: Good Friday, then (weekend, Easter
    //  Monday) Tuesday.
    s_assert_time (cf_calendar_add_working_days (dutch, s_at ("2023-04-06T11:00"), 2),
                   "2023-04-11T11:00");
    //  Ascension Day 2023 (Thursday) + 1 is Friday.
    s_assert_time (cf_calendar_add_working_days (dutch, s_at ("2023-05-17T09:00"), 1),
                   "2023-05-19T09:00");
    //  Christmas 2023 is Monday and Tuesday: Friday 22nd + 1 is Wednesday.
    s_assert_time (cf_calendar_add_working_days (dutch, s_at ("2023-12-22T15:00"), 1),
                   "2023-12-27T15:00");
    //  King's Day 2024 is a Saturday: nothing moves on Friday the 26th.
    assert_true (cf_calendar_is_working_day (dutch, s_at ("2024-04-26T10:00")));
    //  Whit Monday 2023 shifts to Tuesday 09:00 (summer time).
    s_assert_time (cf_calendar_shift (dutch, s_at ("2023-05-29T14:00")), "2023-05-30T09:00+02:00");
    //  A calendar without "nl" knows only its list.
    cf_calendar_t listed = { 0 };
    assert_int_equal (cf_calendar_parse (&listed, "2023-04-07", NULL), 0);
    assert_false (cf_calendar_is_working_day (&listed, s_at ("2023-04-07T10:00")));
    assert_true (cf_calendar_is_working_day (&listed, s_at ("2023-04-10T10:00")));
    cf_calendar_clear (&listed);
}

static void
test_parse (void **state)
{
    (void) state;
    cf_calendar_t calendar = { 0 };
    const char *bad = NULL;
    assert_int_equal (cf_calendar_parse (&calendar, " 2023-01-02 , 2022-12-30,", &bad), 0);
    assert_int_equal (calendar.holiday_count, 2);
    assert_int_equal (calendar.holidays [0], 20221230);
    assert_false (cf_calendar_is_working_day (&calendar, s_at ("2023-01-02T10:00")));
    assert_int_equal (cf_calendar_parse (&calendar, "", &bad), 0);
    assert_int_equal (calendar.holiday_count, 0);
    assert_int_equal (cf_calendar_parse (&calendar, "2022-01-01,2022-02-30", &bad), -1);
    assert_string_equal (bad, "2022-02-30");
    assert_int_equal (calendar.holiday_count, 0);
    assert_int_equal (cf_calendar_parse (&calendar, "2022/01/01", &bad), -1);
    assert_int_equal (cf_calendar_parse (&calendar, "tomorrow", &bad), -1);
    assert_int_equal (cf_calendar_parse (&calendar, "2022-1-1", &bad), -1);
    //  Duplicates collapse.
    assert_int_equal (cf_calendar_parse (&calendar, "2022-05-05,2022-05-05", &bad), 0);
    assert_int_equal (calendar.holiday_count, 1);
    assert_false (calendar.dutch);
    //  "nl" adds the Dutch holidays of every year to the listed ones.
    assert_int_equal (cf_calendar_parse (&calendar, "nl, 2023-04-07", &bad), 0);
    assert_true (calendar.dutch);
    assert_int_equal (calendar.holiday_count, 1);
    assert_false (cf_calendar_is_working_day (&calendar, s_at ("2023-04-07T10:00")));
    assert_false (cf_calendar_is_working_day (&calendar, s_at ("2023-04-10T10:00")));
    cf_calendar_t copy = { 0 };
    cf_calendar_copy (&copy, &calendar);
    assert_true (copy.dutch);
    assert_int_equal (copy.holiday_count, 1);
    cf_calendar_clear (&copy);
    assert_int_equal (cf_calendar_parse (&calendar, "nl,NL", &bad), -1);
    assert_string_equal (bad, "NL");
    assert_false (calendar.dutch);
    assert_int_equal (cf_calendar_parse (&calendar, "1899-12-31", &bad), -1);
    cf_calendar_clear (&calendar);
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
        cmocka_unit_test (test_dates),
        cmocka_unit_test (test_dutch_holidays),
        cmocka_unit_test (test_dutch_working_days),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
