//  test_hash: cf_hash, the services' index table, against a plain array
//  that knows the right answer; and cf_strings, the pool built on it, with
//  its formatting helpers.
#include "cf_error.h"
#include "cf_hash.h"
#include "cf_strings.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

//  A value that knows its own key, as the services' records do.
typedef struct {
    char key [24];
    int freed;
} s_record_t;

static size_t s_freed;

static void
s_record_free (void *value)
{
    s_record_t *record = value;
    record->freed++;
    s_freed++;
}

static void
test_basics (void **state)
{
    (void) state;
    cf_hash_t *hash = cf_hash_new ();
    assert_int_equal (cf_hash_size (hash), 0);
    assert_null (cf_hash_lookup (hash, "missing"));
    assert_int_equal (cf_hash_delete (hash, "missing"), CF_ENOTFOUND);
    assert_null (cf_hash_first (hash));

    s_record_t a = { .key = "a" }, b = { .key = "bsn 111222333" }, b2 = { .key = "bsn 111222333" };
    assert_int_equal (cf_hash_insert (hash, a.key, &a), 0);
    assert_int_equal (cf_hash_insert (hash, b.key, &b), 0);
    //  The key is compared, not the pointer.
    assert_int_equal (cf_hash_insert (hash, b2.key, &b2), CF_EEXIST);
    assert_ptr_equal (cf_hash_lookup (hash, "bsn 111222333"), &b);
    assert_ptr_equal (cf_hash_lookup (hash, "a"), &a);
    assert_null (cf_hash_lookup (hash, ""));
    assert_int_equal (cf_hash_size (hash), 2);

    //  Update replaces the value (and the key pointer) and frees the old one.
    s_freed = 0;
    cf_hash_set_destructor (hash, s_record_free);
    cf_hash_update (hash, b2.key, &b2);
    assert_int_equal (b.freed, 1);
    assert_int_equal (cf_hash_size (hash), 2);
    assert_ptr_equal (cf_hash_lookup (hash, "bsn 111222333"), &b2);
    //  Updating with the same value frees nothing.
    cf_hash_update (hash, b2.key, &b2);
    assert_int_equal (b2.freed, 0);

    assert_int_equal (cf_hash_delete (hash, "a"), 0);
    assert_int_equal (a.freed, 1);
    assert_null (cf_hash_lookup (hash, "a"));
    assert_int_equal (cf_hash_size (hash), 1);

    cf_hash_destroy (&hash);
    assert_null (hash);
    assert_int_equal (b2.freed, 1);
    assert_int_equal (s_freed, 3);
    cf_hash_destroy (&hash);
}

//  Keys of every length around the 8-byte steps of the hash, and keys
//  that differ only in their last byte.
static void
test_key_shapes (void **state)
{
    (void) state;
    static char keys [40][40];
    cf_hash_t *hash = cf_hash_new ();
    for (int i = 0; i < 40; i++) {
        memset (keys [i], 'k', (size_t) i);
        keys [i][i] = 0;
        assert_int_equal (cf_hash_insert (hash, keys [i], keys [i]), 0);
    }
    for (int i = 0; i < 40; i++)
        assert_ptr_equal (cf_hash_lookup (hash, keys [i]), keys [i]);
    static char near [256][4];
    for (int i = 1; i < 256; i++) {
        snprintf (near [i], sizeof near [i], "x%c", (char) i);
        assert_int_equal (cf_hash_insert (hash, near [i], near [i]), 0);
    }
    for (int i = 1; i < 256; i++)
        assert_ptr_equal (cf_hash_lookup (hash, near [i]), near [i]);
    assert_int_equal (cf_hash_size (hash), 40 + 255);
    cf_hash_destroy (&hash);
}

//  Random inserts, updates and deletes on a few hundred keys (so runs of
//  slots wrap around the end of the array and deletes shift them back),
//  checked after every step against an array of what should be there.
static void
test_against_reference (void **state)
{
    (void) state;
    enum { KEYS = 600, STEPS = 200000 };
    static s_record_t records [KEYS];
    static bool present [KEYS];
    for (int i = 0; i < KEYS; i++)
        snprintf (records [i].key, sizeof records [i].key, "C%06d", i * 7919 % 1000003);
    cf_hash_t *hash = cf_hash_new ();
    size_t expected = 0;
    srand (42);
    for (int step = 0; step < STEPS; step++) {
        int i = rand () % KEYS;
        int op = rand () % 3;
        if (op == 0) {
            int rc = cf_hash_insert (hash, records [i].key, &records [i]);
            assert_int_equal (rc, present [i] ? CF_EEXIST : 0);
            if (!present [i])
                expected++;
            present [i] = true;
        } else if (op == 1) {
            int rc = cf_hash_delete (hash, records [i].key);
            assert_int_equal (rc, present [i] ? 0 : CF_ENOTFOUND);
            if (present [i])
                expected--;
            present [i] = false;
        } else {
            int probe = rand () % KEYS;
            assert_ptr_equal (cf_hash_lookup (hash, records [probe].key),
                              present [probe] ? &records [probe] : NULL);
        }
        assert_int_equal (cf_hash_size (hash), expected);
        //  Now and then every key, and the walk over all entries.
        if (step % 10000 == 0) {
            for (int k = 0; k < KEYS; k++)
                assert_ptr_equal (cf_hash_lookup (hash, records [k].key),
                                  present [k] ? &records [k] : NULL);
            static bool seen [KEYS];
            memset (seen, 0, sizeof seen);
            size_t walked = 0;
            for (s_record_t *record = cf_hash_first (hash); record; record = cf_hash_next (hash)) {
                size_t index = (size_t) (record - records);
                assert_true (index < KEYS && present [index] && !seen [index]);
                seen [index] = true;
                walked++;
            }
            assert_int_equal (walked, expected);
        }
    }
    cf_hash_destroy (&hash);
}

//  Growth from empty to a million entries keeps every one findable.
static void
test_growth (void **state)
{
    (void) state;
    enum { COUNT = 1000000 };
    char (*keys) [12] = malloc ((size_t) COUNT * sizeof *keys);
    assert_non_null (keys);
    cf_hash_t *hash = cf_hash_new ();
    for (int i = 0; i < COUNT; i++) {
        snprintf (keys [i], sizeof keys [i], "R%d", i);
        assert_int_equal (cf_hash_insert (hash, keys [i], keys [i]), 0);
    }
    assert_int_equal (cf_hash_size (hash), COUNT);
    for (int i = 0; i < COUNT; i += 7)
        assert_ptr_equal (cf_hash_lookup (hash, keys [i]), keys [i]);
    for (int i = 0; i < COUNT; i += 2)
        assert_int_equal (cf_hash_delete (hash, keys [i]), 0);
    for (int i = 0; i < COUNT; i++)
        assert_ptr_equal (cf_hash_lookup (hash, keys [i]), i % 2 ? keys [i] : NULL);
    cf_hash_destroy (&hash);
    free (keys);
}

static void
test_strings (void **state)
{
    (void) state;
    cf_strings_t *pool = cf_strings_new ();
    char text [32];
    snprintf (text, sizeof text, "continue at STH");
    const char *first = cf_strings_intern (pool, text);
    //  A copy, not the caller's buffer; equal text gives the same copy.
    assert_ptr_not_equal (first, text);
    assert_string_equal (first, "continue at STH");
    memset (text, 0, sizeof text);
    assert_ptr_equal (cf_strings_intern (pool, "continue at STH"), first);
    assert_string_equal (cf_strings_intern (pool, NULL), "");
    assert_ptr_equal (cf_strings_intern (pool, NULL), cf_strings_intern (pool, ""));
    //  Many strings (several blocks) and one longer than a block: each
    //  stays where it was put.
    static char keys [5000][12];
    const char *copies [5000];
    for (int i = 0; i < 5000; i++) {
        snprintf (keys [i], sizeof keys [i], "w%d", i * 31);
        copies [i] = cf_strings_intern (pool, keys [i]);
    }
    size_t long_size = 200 * 1024;
    char *long_text = malloc (long_size + 1);
    assert_non_null (long_text);
    memset (long_text, 'a', long_size);
    long_text [long_size] = 0;
    const char *long_copy = cf_strings_intern (pool, long_text);
    assert_string_equal (long_copy, long_text);
    assert_ptr_equal (cf_strings_intern (pool, "w31"), copies [1]);
    for (int i = 0; i < 5000; i++) {
        assert_string_equal (copies [i], keys [i]);
        assert_ptr_equal (cf_strings_intern (pool, keys [i]), copies [i]);
    }
    assert_ptr_equal (cf_strings_intern (pool, "continue at STH"), first);
    free (long_text);
    cf_strings_destroy (&pool);
    assert_null (pool);
    cf_strings_destroy (&pool);
}

//  The formatting helpers give what snprintf would, truncation included.
static void
test_strings_format (void **state)
{
    (void) state;
    char room [CF_STRINGS_U64_SIZE], expected [CF_STRINGS_U64_SIZE];
    const uint64_t values [] = { 0, 7, 10, 99, 1234567, UINT64_MAX };
    for (size_t i = 0; i < sizeof values / sizeof values [0]; i++) {
        snprintf (expected, sizeof expected, "%llu", (unsigned long long) values [i]);
        assert_string_equal (cf_strings_u64 (room, values [i]), expected);
    }
    char buf [32];
    assert_string_equal (cf_strings_concat (buf, sizeof buf, "callback/", "C1", "/", "3", NULL),
                         "callback/C1/3");
    assert_string_equal (cf_strings_concat (buf, 12, "abcdefgh", "ijklmnop", NULL), "abcdefghijk");
    assert_string_equal (cf_strings_concat (buf, 1, "abc", NULL), "");
    assert_string_equal (cf_strings_concat (buf, sizeof buf, NULL), "");
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_basics),
        cmocka_unit_test (test_key_shapes),
        cmocka_unit_test (test_against_reference),
        cmocka_unit_test (test_growth),
        cmocka_unit_test (test_strings),
        cmocka_unit_test (test_strings_format),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
