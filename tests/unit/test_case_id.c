//  test_case_id: intake's case ids, the default shard's and a shard's
//  (cf_case_id), and the shard of an intake stream.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_case_id.h"
#include "cf_id.h"

#include <string.h>

static void
test_default_shard (void **state)
{
    (void) state;
    char id [CF_CASE_ID_SIZE];
    assert_string_equal (cf_case_id_format ("", 1, id, sizeof id), "C000001");
    assert_string_equal (cf_case_id_format (NULL, 999999, id, sizeof id), "C999999");
    assert_string_equal (cf_case_id_format ("", 1000000, id, sizeof id), "C1000000");
    uint64_t number = 0;
    assert_true (cf_case_id_parse ("C000042", "", &number));
    assert_int_equal (number, 42);
    assert_true (cf_case_id_parse ("C1234567", NULL, &number));
    assert_int_equal (number, 1234567);
    assert_false (cf_case_id_parse ("C0000042", "", &number));  //  not canonical
    assert_false (cf_case_id_parse ("C00042", "", &number));    //  too short
    assert_false (cf_case_id_parse ("C000000", "", &number));   //  zero
    assert_false (cf_case_id_parse ("c000001", "", &number));
    assert_false (cf_case_id_parse ("C00000x", "", &number));
    assert_false (cf_case_id_parse ("", "", &number));
    assert_false (cf_case_id_parse ("C99999999999999999999", "", &number));
    //  Another shard's id is not the default shard's.
    assert_false (cf_case_id_parse ("noord-C000001", "", &number));
}

static void
test_a_shard (void **state)
{
    (void) state;
    char id [CF_CASE_ID_SIZE];
    assert_string_equal (cf_case_id_format ("noord", 7, id, sizeof id), "noord-C000007");
    assert_string_equal (cf_case_id_format ("noord-oost", 1234567, id, sizeof id),
                         "noord-oost-C1234567");
    uint64_t number = 0;
    assert_true (cf_case_id_parse ("noord-C000007", "noord", &number));
    assert_int_equal (number, 7);
    assert_false (cf_case_id_parse ("C000007", "noord", &number));
    assert_false (cf_case_id_parse ("noord-oost-C000007", "noord", &number));
    assert_false (cf_case_id_parse ("noordC000007", "noord", &number));
    assert_false (cf_case_id_parse ("noord-C0000007", "noord", &number));
    //  Cut as snprintf cuts.
    char small [6];
    assert_string_equal (cf_case_id_format ("noord", 7, small, sizeof small), "noord");
    //  The longest shard's largest id is still an id.
    char shard [CF_CASE_ID_SIZE];
    memset (shard, 'a', 41);
    shard [41] = 0;
    cf_case_id_format (shard, UINT64_C (9999999999999999999), id, sizeof id);
    assert_true (cf_id_valid (id));
    assert_true (cf_case_id_valid (id, NULL, 0));
}

static void
test_any_shard (void **state)
{
    (void) state;
    char shard [CF_CASE_ID_SIZE] = "x";
    assert_true (cf_case_id_valid ("C000001", shard, sizeof shard));
    assert_string_equal (shard, "");
    assert_true (cf_case_id_valid ("noord-oost-C000001", shard, sizeof shard));
    assert_string_equal (shard, "noord-oost");
    assert_false (cf_case_id_valid ("-C000001", shard, sizeof shard));
    assert_false (cf_case_id_valid ("Noord-C000001", shard, sizeof shard));
    assert_false (cf_case_id_valid ("noord--C000001", shard, sizeof shard));
    assert_false (cf_case_id_valid ("noord-C00001", shard, sizeof shard));
    assert_false (cf_case_id_valid ("noord-", shard, sizeof shard));
    assert_false (cf_case_id_valid ("900000000", shard, sizeof shard));
    assert_false (cf_case_id_valid (NULL, shard, sizeof shard));
}

static void
test_shard_of_a_stream (void **state)
{
    (void) state;
    assert_string_equal (cf_case_id_shard_of ("intake"), "");
    assert_string_equal (cf_case_id_shard_of ("intake-noord"), "noord");
    assert_null (cf_case_id_shard_of ("assignment"));
    assert_null (cf_case_id_shard_of ("intakes"));
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_default_shard),
        cmocka_unit_test (test_a_shard),
        cmocka_unit_test (test_any_shard),
        cmocka_unit_test (test_shard_of_a_stream),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
