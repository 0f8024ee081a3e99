//  test_index: the open-case index (one case per key held in place, a
//  bucket once a key is shared), against what it must return.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "intake_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Cases numbered 1..count, each with its own copy of the key it is
//  indexed under (the index borrows it, as it borrows a case's field).
typedef struct {
    intake_case_t *cases [8];
    char keys [8][16];
} s_fixture_t;

static void
s_fixture (s_fixture_t *fixture, const char *key)
{
    for (size_t i = 0; i < 8; i++) {
        fixture->cases [i] = calloc (1, sizeof (intake_case_t));
        assert_non_null (fixture->cases [i]);
        fixture->cases [i]->number = i + 1;
        snprintf (fixture->keys [i], sizeof fixture->keys [i], "%s", key);
    }
}

static void
s_fixture_free (s_fixture_t *fixture)
{
    for (size_t i = 0; i < 8; i++)
        free (fixture->cases [i]);
}

static void
s_expect (intake_index_t *index, const char *key, const int *numbers, size_t count)
{
    intake_case_t *const *cases = NULL;
    assert_int_equal (intake_index_get (index, key, &cases), count);
    for (size_t i = 0; i < count; i++)
        assert_int_equal (cases [i]->number, numbers [i]);
}

static void
test_one_case_per_key (void **state)
{
    (void) state;
    s_fixture_t a, b;
    s_fixture (&a, "111222333");
    s_fixture (&b, "123456782");
    intake_index_t *index = intake_index_new ();
    intake_index_add (index, a.keys [0], a.cases [0]);
    intake_index_add (index, b.keys [1], b.cases [1]);
    //  Again: nothing changes.
    intake_index_add (index, a.keys [0], a.cases [0]);
    s_expect (index, "111222333", (int []){ 1 }, 1);
    s_expect (index, "123456782", (int []){ 2 }, 1);
    s_expect (index, "999999999", NULL, 0);
    //  The empty key indexes nothing.
    intake_index_add (index, "", a.cases [2]);
    s_expect (index, "", NULL, 0);
    //  Removing a case that is not under the key changes nothing.
    intake_index_remove (index, "111222333", a.cases [1]);
    s_expect (index, "111222333", (int []){ 1 }, 1);
    intake_index_remove (index, a.keys [0], a.cases [0]);
    s_expect (index, "111222333", NULL, 0);
    intake_index_remove (index, "111222333", a.cases [0]);
    intake_index_destroy (&index);
    assert_null (index);
    intake_index_destroy (&index);
    s_fixture_free (&a);
    s_fixture_free (&b);
}

static void
test_shared_key (void **state)
{
    (void) state;
    s_fixture_t f;
    s_fixture (&f, "anna\n1980-01-01");
    intake_index_t *index = intake_index_new ();
    //  Added out of order (a case that learns a key later): oldest first.
    intake_index_add (index, f.keys [4], f.cases [4]);
    intake_index_add (index, f.keys [1], f.cases [1]);
    intake_index_add (index, f.keys [6], f.cases [6]);
    intake_index_add (index, f.keys [0], f.cases [0]);
    intake_index_add (index, f.keys [1], f.cases [1]);
    for (size_t i = 2; i < 4; i++)
        intake_index_add (index, f.keys [i], f.cases [i]);
    s_expect (index, "anna\n1980-01-01", (int []){ 1, 2, 3, 4, 5, 7 }, 6);
    //  The first case's key string goes away with it: the shared entry
    //  no longer depends on it.
    intake_index_remove (index, f.keys [4], f.cases [4]);
    memset (f.keys [4], 'x', sizeof f.keys [4] - 1);
    s_expect (index, "anna\n1980-01-01", (int []){ 1, 2, 3, 4, 7 }, 5);
    for (size_t i = 0; i < 4; i++)
        intake_index_remove (index, "anna\n1980-01-01", f.cases [i]);
    s_expect (index, "anna\n1980-01-01", (int []){ 7 }, 1);
    intake_index_remove (index, "anna\n1980-01-01", f.cases [6]);
    s_expect (index, "anna\n1980-01-01", NULL, 0);
    //  The key can be used again from scratch.
    intake_index_add (index, f.keys [7], f.cases [7]);
    s_expect (index, "anna\n1980-01-01", (int []){ 8 }, 1);
    //  Destroyed with a bucket in it: freed (AddressSanitizer would tell).
    intake_index_add (index, f.keys [5], f.cases [5]);
    intake_index_destroy (&index);
    s_fixture_free (&f);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_one_case_per_key),
        cmocka_unit_test (test_shared_key),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
