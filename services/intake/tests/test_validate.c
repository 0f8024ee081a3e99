//  test_validate: the pure checks (BSN eleven-test, dates, ids, phone
//  numbers, free text, case ids) and the words of intake's enums. The
//  lifecycle table is tested in test_lifecycle.c.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "intake_lifecycle.h"
#include "intake_validate.h"

#include <string.h>

static void
test_bsn (void **state)
{
    (void) state;
    //  9+8+7+12+10+8+9+6-3 = 66 and 9+16+21+24+25+24+21+16-2 = 154: both 11-fold.
    assert_true (intake_bsn_valid ("111222333"));
    assert_true (intake_bsn_valid ("123456782"));
    assert_false (intake_bsn_valid ("123456789"));   //  fails the eleven-test
    assert_false (intake_bsn_valid ("000000000"));   //  all zeros
    assert_false (intake_bsn_valid ("11122233"));    //  8 digits
    assert_false (intake_bsn_valid ("1112223330"));  //  10 digits
    assert_false (intake_bsn_valid ("11122233a"));
    assert_false (intake_bsn_valid (" 11222333"));
    assert_false (intake_bsn_valid (""));
    //  Every single-digit change of a valid number is caught.
    char bsn [10] = "111222333";
    for (int i = 0; i < 9; i++) {
        char saved = bsn [i];
        for (char digit = '0'; digit <= '9'; digit++) {
            if (digit == saved)
                continue;
            bsn [i] = digit;
            assert_false (intake_bsn_valid (bsn));
        }
        bsn [i] = saved;
    }
}

static void
test_dates (void **state)
{
    (void) state;
    assert_true (intake_date_valid ("2022-01-03"));
    assert_true (intake_date_valid ("2020-02-29"));   //  leap year
    assert_true (intake_date_valid ("2000-02-29"));   //  divisible by 400
    assert_false (intake_date_valid ("1900-02-29"));  //  divisible by 100
    assert_false (intake_date_valid ("2021-02-29"));
    assert_false (intake_date_valid ("2022-04-31"));
    assert_false (intake_date_valid ("2022-13-01"));
    assert_false (intake_date_valid ("2022-00-10"));
    assert_false (intake_date_valid ("2022-01-00"));
    assert_false (intake_date_valid ("2022-1-03"));
    assert_false (intake_date_valid ("2022/01/03"));
    assert_false (intake_date_valid ("2022-01-03T09:00"));
    assert_false (intake_date_valid ("0999-01-01"));
    assert_false (intake_date_valid (""));
    assert_true (intake_date_valid ("2022-12-31"));
}

static void
test_ids_phone_text (void **state)
{
    (void) state;
    assert_true (intake_id_valid ("loc-centrum"));
    assert_true (intake_id_valid ("T1.a_b:c"));
    assert_false (intake_id_valid (""));
    assert_false (intake_id_valid ("with space"));
    assert_false (intake_id_valid ("slash/no"));
    assert_true (intake_reminder_id_valid ("callback/C000001/2"));
    assert_false (intake_reminder_id_valid ("with space"));
    char long_id [80];
    memset (long_id, 'x', 65);
    long_id [65] = 0;
    assert_false (intake_id_valid (long_id));
    long_id [64] = 0;
    assert_true (intake_id_valid (long_id));

    assert_true (intake_phone_valid ("+31 (0)492 123456"));
    assert_true (intake_phone_valid ("0492-123456"));
    assert_false (intake_phone_valid ("12345"));  //  too few digits
    assert_false (intake_phone_valid ("0492 12345x"));
    assert_false (intake_phone_valid (""));

    assert_null (intake_text_problem ("Schulden bij de energieleverancier", 100, false));
    assert_null (intake_text_problem ("Zoë en Chloé, 12 jaar", 100, false));
    assert_string_equal (intake_text_problem ("abc", 2, false), "too long");
    assert_string_equal (intake_text_problem ("a\nb", 10, false), "contains control characters");
    assert_null (intake_text_problem ("a\nb\tc", 10, true));
    assert_string_equal (intake_text_problem ("a\x01", 10, true), "contains control characters");
    assert_string_equal (intake_text_problem ("\xc3\x28", 10, false), "not valid UTF-8");
    assert_string_equal (intake_text_problem ("\xc0\xaf", 10, false), "not valid UTF-8");
    assert_string_equal (intake_text_problem ("\xed\xa0\x80", 10, false), "not valid UTF-8");
    assert_string_equal (intake_text_problem ("\xe2\x82", 10, false), "not valid UTF-8");
    assert_true (intake_text_blank (" \t\n"));
    assert_true (intake_text_blank (""));
    assert_false (intake_text_blank (" a "));
}

static void
test_case_ids (void **state)
{
    (void) state;
    char id [24];
    assert_string_equal (intake_case_id_format (1, id, sizeof id), "C000001");
    assert_string_equal (intake_case_id_format (999999, id, sizeof id), "C999999");
    assert_string_equal (intake_case_id_format (1000000, id, sizeof id), "C1000000");
    uint64_t number = 0;
    assert_true (intake_case_id_parse ("C000042", &number));
    assert_int_equal (number, 42);
    assert_true (intake_case_id_parse ("C1234567", &number));
    assert_int_equal (number, 1234567);
    assert_false (intake_case_id_parse ("C0000042", &number));  //  not canonical
    assert_false (intake_case_id_parse ("C00042", &number));    //  too short
    assert_false (intake_case_id_parse ("C000000", &number));   //  zero
    assert_false (intake_case_id_parse ("c000001", &number));
    assert_false (intake_case_id_parse ("C00000x", &number));
    assert_false (intake_case_id_parse ("", &number));
    assert_false (intake_case_id_parse ("C99999999999999999999", &number));
}

static void
test_names (void **state)
{
    (void) state;
    assert_string_equal (intake_status_name (CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING),
                         "waiting");
    assert_string_equal (intake_status_name ((Caseflow__V1__CaseStatus) 99), "unknown");
    assert_string_equal (intake_channel_name (CASEFLOW__V1__CHANNEL__CHANNEL_WALK_IN), "walk-in");
    assert_string_equal (intake_urgency_name (CASEFLOW__V1__URGENCY__URGENCY_URGENT), "urgent");
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_bsn),
        cmocka_unit_test (test_dates),
        cmocka_unit_test (test_ids_phone_text),
        cmocka_unit_test (test_case_ids),
        cmocka_unit_test (test_names),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
