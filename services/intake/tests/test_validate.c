//  test_validate: intake's case ids and the lifecycle table. The rules
//  intake shares with every service (ids, free text, BSN, dates, phone
//  numbers, enum words) are tested in tests/unit/test_domain.c.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "intake_lifecycle.h"
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

static void
test_lifecycle_table (void **state)
{
    (void) state;
#define R CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED
#define W CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING
#define U CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT
#define A CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED
#define X CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ACTIVE
#define C CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED
    //  The whole table, row by row: 1 where the move is legal.
    static const int expected [7][7] = {
        //        -  R  W  U  A  X  C
        [R] = { 0, 0, 1, 1, 1, 0, 1 }, [W] = { 0, 0, 1, 1, 1, 0, 1 }, [U] = { 0, 0, 1, 1, 1, 0, 1 },
        [A] = { 0, 0, 1, 1, 1, 1, 1 }, [X] = { 0, 0, 1, 1, 1, 1, 1 }, [C] = { 0, 0, 0, 0, 0, 0, 0 },
    };
    for (int from = 0; from <= C + 1; from++)
        for (int to = 0; to <= C + 1; to++) {
            int want = from <= C && to <= C ? expected [from][to] : 0;
            if (intake_lifecycle_allows ((Caseflow__V1__CaseStatus) from,
                                         (Caseflow__V1__CaseStatus) to)
                != (want == 1))
                fail_msg ("move %d -> %d: expected %s", from, to, want ? "legal" : "illegal");
        }
    assert_true (intake_lifecycle_is_open (R));
    assert_true (intake_lifecycle_is_open (X));
    assert_false (intake_lifecycle_is_open (C));
    assert_false (intake_lifecycle_is_open (CASEFLOW__V1__CASE_STATUS__CASE_STATUS_UNSPECIFIED));
    assert_true (intake_lifecycle_is_unassigned (U));
    assert_false (intake_lifecycle_is_unassigned (A));
    assert_int_equal (intake_lifecycle_status_for (CASEFLOW__V1__URGENCY__URGENCY_URGENT), U);
    assert_int_equal (intake_lifecycle_status_for (CASEFLOW__V1__URGENCY__URGENCY_REGULAR), W);
#undef R
#undef W
#undef U
#undef A
#undef X
#undef C
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_case_ids),
        cmocka_unit_test (test_lifecycle_table),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
