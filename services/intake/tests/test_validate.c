//  test_validate: intake's own checks: its case ids. The rules intake
//  shares with every service (ids, free text, BSN, dates, phone numbers,
//  enum words) are tested in tests/unit/test_domain.c; the lifecycle
//  table in test_lifecycle.c.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "intake_validate.h"

#include <string.h>

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

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_case_ids),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
