//  test_ulid: shape, order and uniqueness of ULIDs.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_time.h"
#include "cf_ulid.h"

#include <stdlib.h>
#include <string.h>

#define S_MANY 100000

static void
test_shape (void **state)
{
    (void) state;
    char id [CF_ULID_SIZE];
    assert_ptr_equal (cf_ulid_new (id, cf_time_system_now ()), id);
    assert_int_equal (strlen (id), 26);
    for (size_t index = 0; index < 26; index++)
        assert_non_null (strchr ("0123456789ABCDEFGHJKMNPQRSTVWXYZ", id [index]));
    //  At most 2^48 - 1 milliseconds: the first character is 0 to 7.
    assert_true (id [0] >= '0' && id [0] <= '7');

    //  The time part is the millisecond, big-endian: 1 ms is "0000000001".
    cf_ulid_new (id, 1000);
    assert_memory_equal (id, "0000000001", 10);
    cf_ulid_new (id, 0);
    assert_memory_equal (id, "0000000000", 10);
    //  The spec's example time: 1469918176385 ms is "01ARYZ6S41".
    cf_ulid_new (id, INT64_C (1469918176385) * 1000);
    assert_memory_equal (id, "01ARYZ6S41", 10);
}

static void
test_order_within_millisecond (void **state)
{
    (void) state;
    int64_t at = INT64_C (1641196980) * CF_USEC_PER_SEC;
    char previous [CF_ULID_SIZE], next [CF_ULID_SIZE];
    cf_ulid_new (previous, at);
    for (int index = 0; index < 1000; index++) {
        //  Different microseconds of the same millisecond count as one.
        cf_ulid_new (next, at + index % 1000);
        if (strcmp (previous, next) >= 0)
            fail_msg ("%s then %s: not increasing", previous, next);
        assert_memory_equal (previous, next, 10);
        memcpy (previous, next, sizeof next);
    }
}

static void
test_order_across_times (void **state)
{
    (void) state;
    int64_t at = INT64_C (1641196980) * CF_USEC_PER_SEC;
    char previous [CF_ULID_SIZE], next [CF_ULID_SIZE];
    cf_ulid_new (previous, at);
    for (int index = 1; index < 1000; index++) {
        //  Steps of 1 to 7 ms.
        at += 1000 * (index % 7 + 1);
        cf_ulid_new (next, at);
        if (strcmp (previous, next) >= 0)
            fail_msg ("%s then %s: not increasing", previous, next);
        memcpy (previous, next, sizeof next);
    }
}

static int
s_compare (const void *left, const void *right)
{
    return strcmp ((const char *) left, (const char *) right);
}

static void
test_unique (void **state)
{
    (void) state;
    char (*ids) [CF_ULID_SIZE] = malloc (S_MANY * sizeof *ids);
    assert_non_null (ids);
    //  The real clock, as the services use it: many ids per millisecond.
    cf_clock_t *clock = cf_clock_new_system ();
    for (size_t index = 0; index < S_MANY; index++)
        cf_ulid_new (ids [index], cf_clock_now (clock));
    cf_clock_destroy (&clock);
    for (size_t index = 1; index < S_MANY; index++)
        if (strcmp (ids [index - 1], ids [index]) >= 0)
            fail_msg ("%s then %s: not increasing", ids [index - 1], ids [index]);
    qsort (ids, S_MANY, sizeof *ids, s_compare);
    for (size_t index = 1; index < S_MANY; index++)
        assert_string_not_equal (ids [index - 1], ids [index]);
    free (ids);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_shape),
        cmocka_unit_test (test_order_within_millisecond),
        cmocka_unit_test (test_order_across_times),
        cmocka_unit_test (test_unique),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
