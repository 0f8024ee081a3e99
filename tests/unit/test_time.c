//  test_time: ISO 8601 parsing and formatting, durations, and the clocks.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_error.h"
#include "cf_time.h"

#include <string.h>

//  Parses `text`, which must be valid, and returns its UTC form.
static const char *
s_utc_of (const char *text)
{
    static char buf [64];
    int64_t at = 0;
    int rc = cf_time_parse (text, &at);
    if (rc != 0)
        fail_msg ("cf_time_parse (\"%s\") = %d", text, rc);
    return cf_time_format_utc (at, buf, sizeof buf);
}

static void
test_parse_forms (void **state)
{
    (void) state;
    //  A date alone is midnight in Amsterdam (CET, UTC+1 in winter).
    assert_string_equal (s_utc_of ("2022-01-03"), "2022-01-02T23:00:00Z");
    assert_string_equal (s_utc_of ("2022-01-03T09:03"), "2022-01-03T08:03:00Z");
    assert_string_equal (s_utc_of ("2022-01-03T09:03:00"), "2022-01-03T08:03:00Z");
    assert_string_equal (s_utc_of ("2022-01-03T09:03:00.250"), "2022-01-03T08:03:00.250Z");
    assert_string_equal (s_utc_of ("2022-01-03 09:03"), "2022-01-03T08:03:00Z");
    //  Explicit offsets, in each spelling.
    assert_string_equal (s_utc_of ("2022-01-03T09:03:00Z"), "2022-01-03T09:03:00Z");
    assert_string_equal (s_utc_of ("2022-01-03T09:03:00+01:00"), "2022-01-03T08:03:00Z");
    assert_string_equal (s_utc_of ("2022-01-03T09:03:00-0500"), "2022-01-03T14:03:00Z");
    assert_string_equal (s_utc_of ("2022-01-03T09:03+05:30"), "2022-01-03T03:33:00Z");
    assert_string_equal (s_utc_of ("2022-01-03T00:30:00+02"), "2022-01-02T22:30:00Z");
    assert_string_equal (s_utc_of ("2024-02-29T12:00:00Z"), "2024-02-29T12:00:00Z");

    int64_t at;
    assert_int_equal (cf_time_parse ("1970-01-01T00:00:00Z", &at), 0);
    assert_int_equal (at, 0);
    assert_int_equal (cf_time_parse ("1970-01-01T00:00:01.5Z", &at), 0);
    assert_int_equal (at, 1500000);
    assert_int_equal (cf_time_parse ("1970-01-01T00:00:00.000001Z", &at), 0);
    assert_int_equal (at, 1);
}

static void
test_parse_summer_time (void **state)
{
    (void) state;
    //  CEST is UTC+2.
    assert_string_equal (s_utc_of ("2022-07-01"), "2022-06-30T22:00:00Z");
    assert_string_equal (s_utc_of ("2022-07-01T12:00"), "2022-07-01T10:00:00Z");
    //  The last hour of winter time and the first of summer time.
    assert_string_equal (s_utc_of ("2022-03-27T01:59"), "2022-03-27T00:59:00Z");
    assert_string_equal (s_utc_of ("2022-03-27T03:00"), "2022-03-27T01:00:00Z");
    //  A time in the skipped hour is normalised by mktime, not refused.
    int64_t at;
    assert_int_equal (cf_time_parse ("2022-03-27T02:30", &at), 0);

    char buf [64];
    assert_int_equal (cf_time_parse ("2022-07-01T10:00:00Z", &at), 0);
    assert_string_equal (cf_time_format_local (at, buf, sizeof buf), "2022-07-01T12:00:00+02:00");
    assert_int_equal (cf_time_parse ("2022-01-03T08:03:00Z", &at), 0);
    assert_string_equal (cf_time_format_local (at, buf, sizeof buf), "2022-01-03T09:03:00+01:00");
}

static void
test_parse_invalid (void **state)
{
    (void) state;
    const char *invalid [] = {
        "",
        "2022",
        "2022-01",
        "2022-1-3",
        "22-01-03",
        "2022-02-30",
        "2022-02-29",
        "2022-13-01",
        "2022-00-10",
        "2022-04-31",
        "2022-01-00",
        "0000-01-01",
        "2022-01-03T",
        "2022-01-03T9:03",
        "2022-01-03T09",
        "2022-01-03T24:00",
        "2022-01-03T09:60",
        "2022-01-03T09:03:60",
        "2022-01-03T09:03:00.",
        "2022-01-03T09:03:00+1",
        "2022-01-03T09:03:00+25:00",
        "2022-01-03T09:03:00+01:60",
        "2022-01-03T09:03:00ZZ",
        "2022-01-03Z",
        "2022-01-03x",
        " 2022-01-03",
        "2022-01-03T09:03 ",
        "yesterday",
        "2022/01/03",
        "2022-01-03T09:03:00.1234567890",
    };
    for (size_t index = 0; index < sizeof invalid / sizeof invalid [0]; index++) {
        int64_t at = 42;
        int rc = cf_time_parse (invalid [index], &at);
        if (rc != CF_EINVAL)
            fail_msg ("cf_time_parse (\"%s\") = %d, expected CF_EINVAL", invalid [index], rc);
        assert_int_equal (at, 42);
    }
    int64_t at;
    assert_int_equal (cf_time_parse (NULL, &at), CF_EINVAL);
}

static void
test_format_round_trip (void **state)
{
    (void) state;
    const char *utc [] = {
        "2022-01-03T08:03:00Z", "2022-01-03T08:03:00.250Z", "1999-12-31T23:59:59.999Z",
        "2022-10-30T01:30:00Z", "1970-01-01T00:00:00Z",     "1969-12-31T23:59:59.500Z",
    };
    for (size_t index = 0; index < sizeof utc / sizeof utc [0]; index++) {
        char buf [64];
        int64_t at, again;
        assert_int_equal (cf_time_parse (utc [index], &at), 0);
        assert_string_equal (cf_time_format_utc (at, buf, sizeof buf), utc [index]);
        //  The local form reads back as the same instant, winter or summer.
        cf_time_format_local (at, buf, sizeof buf);
        assert_int_equal (cf_time_parse (buf, &again), 0);
        assert_int_equal (again, at);
    }

    //  Sub-millisecond parts are not shown.
    char buf [64];
    assert_string_equal (cf_time_format_utc (1001, buf, sizeof buf), "1970-01-01T00:00:00.001Z");
    assert_string_equal (cf_time_format_utc (999, buf, sizeof buf), "1970-01-01T00:00:00Z");

    int64_t at;
    assert_int_equal (cf_time_parse ("2022-01-02T23:30:00Z", &at), 0);
    assert_string_equal (cf_time_format_date (at, buf, sizeof buf), "2022-01-03");
    assert_int_equal (cf_time_parse ("2022-01-03", &at), 0);
    assert_string_equal (cf_time_format_date (at, buf, sizeof buf), "2022-01-03");
    assert_int_equal (cf_time_parse ("2022-07-01T21:59:59Z", &at), 0);
    assert_string_equal (cf_time_format_date (at, buf, sizeof buf), "2022-07-01");
    assert_int_equal (cf_time_parse ("2022-07-01T22:00:00Z", &at), 0);
    assert_string_equal (cf_time_format_date (at, buf, sizeof buf), "2022-07-02");
}

static void
test_durations (void **state)
{
    (void) state;
    struct {
        const char *text;
        int64_t micros;
    } valid [] = {
        { "14d", 14 * CF_USEC_PER_DAY },
        { "3h", 3 * CF_USEC_PER_HOUR },
        { "90m", 90 * CF_USEC_PER_MIN },
        { "2w", 14 * CF_USEC_PER_DAY },
        { "30s", 30 * CF_USEC_PER_SEC },
        { "250ms", 250000 },
        { "1d12h", CF_USEC_PER_DAY + 12 * CF_USEC_PER_HOUR },
        { "1h30m15s", CF_USEC_PER_HOUR + 30 * CF_USEC_PER_MIN + 15 * CF_USEC_PER_SEC },
        { "1m500ms", CF_USEC_PER_MIN + 500000 },
        { "1s0ms", CF_USEC_PER_SEC },
    };
    for (size_t index = 0; index < sizeof valid / sizeof valid [0]; index++) {
        int64_t micros = 0;
        int rc = cf_duration_parse (valid [index].text, &micros);
        if (rc != 0)
            fail_msg ("cf_duration_parse (\"%s\") = %d", valid [index].text, rc);
        assert_int_equal (micros, valid [index].micros);
    }

    const char *invalid [] = {
        "",
        "14",
        "3x",
        "-1d",
        "d",
        "0d",
        "0s0ms",
        "1.5h",
        "14 d",
        " 14d",
        "14d ",
        "14D",
        "12h1d",
        "1h1h",
        "1ms1s",
        "99999999999999999999d",
        "9999999999999w",
    };
    for (size_t index = 0; index < sizeof invalid / sizeof invalid [0]; index++) {
        int64_t micros = 42;
        int rc = cf_duration_parse (invalid [index], &micros);
        if (rc != CF_EINVAL)
            fail_msg ("cf_duration_parse (\"%s\") = %d, expected CF_EINVAL", invalid [index], rc);
        assert_int_equal (micros, 42);
    }
    int64_t micros;
    assert_int_equal (cf_duration_parse (NULL, &micros), CF_EINVAL);
}

static void
test_manual_clock (void **state)
{
    (void) state;
    int64_t start;
    assert_int_equal (cf_time_parse ("2022-01-03T09:00", &start), 0);
    cf_clock_t *clock = cf_clock_new_manual (start);
    assert_true (cf_clock_is_manual (clock));
    assert_int_equal (cf_clock_now (clock), start);
    assert_int_equal (cf_clock_now (clock), start);

    assert_int_equal (cf_clock_advance (clock, 14 * CF_USEC_PER_DAY), 0);
    assert_int_equal (cf_clock_now (clock), start + 14 * CF_USEC_PER_DAY);
    assert_int_equal (cf_clock_advance (clock, 0), CF_EINVAL);
    assert_int_equal (cf_clock_advance (clock, -1), CF_EINVAL);
    assert_int_equal (cf_clock_advance (clock, INT64_MAX), CF_EINVAL);

    //  Backwards is refused; standing still is allowed.
    assert_int_equal (cf_clock_set (clock, start), CF_EINVAL);
    assert_int_equal (cf_clock_now (clock), start + 14 * CF_USEC_PER_DAY);
    assert_int_equal (cf_clock_set (clock, start + 14 * CF_USEC_PER_DAY), 0);
    assert_int_equal (cf_clock_set (clock, start + 20 * CF_USEC_PER_DAY), 0);
    assert_int_equal (cf_clock_now (clock), start + 20 * CF_USEC_PER_DAY);

    cf_clock_destroy (&clock);
    assert_null (clock);
    cf_clock_destroy (&clock);
}

static void
test_system_clock (void **state)
{
    (void) state;
    cf_clock_t *clock = cf_clock_new_system ();
    assert_false (cf_clock_is_manual (clock));
    int64_t before = cf_time_system_now ();
    int64_t now = cf_clock_now (clock);
    //  Any machine running this test is past 2022.
    assert_true (now > INT64_C (1640995200) * CF_USEC_PER_SEC);
    assert_true (now >= before - CF_USEC_PER_SEC);
    assert_true (cf_clock_now (clock) >= now);
    assert_int_equal (cf_clock_set (clock, now + CF_USEC_PER_DAY), CF_ESTATE);
    assert_int_equal (cf_clock_advance (clock, CF_USEC_PER_DAY), CF_ESTATE);
    cf_clock_destroy (&clock);

    int64_t first = cf_time_monotonic ();
    assert_true (cf_time_monotonic () >= first);
}

int
main (void)
{
    cf_time_init ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_parse_forms),   cmocka_unit_test (test_parse_summer_time),
        cmocka_unit_test (test_parse_invalid), cmocka_unit_test (test_format_round_trip),
        cmocka_unit_test (test_durations),     cmocka_unit_test (test_manual_clock),
        cmocka_unit_test (test_system_clock),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
