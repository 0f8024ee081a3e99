//  test_keystore_staged: a key store's writes stored on another thread
//  (cf_keystore_stage, cf_keystore_store_staged) as the journal writer
//  stores them, and the set of writes waiting for that
//  (cf_keystore_pending).
//
//  A second thread plays the journal writer. Checked: the loop reads its
//  own writes, staged or not, before and after they are stored; what was
//  staged is on disk once stored and what was not is not; an erasure made
//  while a batch's writes are on their way waits for them (else the
//  staged key would come back after its erasure); a store that fails
//  drops those writes and the ones made after them, the index included,
//  and the failure fails the next batch once.
#include "cf_error.h"
#include "cf_keystore.h"
#include "cf_keystore_pending.h"
#include "cf_test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

//  -------------------------------------------------------- pending set

static void
test_pending_set (void **state)
{
    (void) state;
    cf_keystore_pending_t *set = cf_keystore_pending_new ();
    char a [CF_SEAL_ID_SIZE], b [CF_SEAL_ID_SIZE];
    cf_seal_new_id (a, 'S');
    cf_seal_new_id (b, 'K');
    assert_null (cf_keystore_pending_find (set, CF_KEYSTORE_PENDING_SUBJECTS, a));
    uint8_t one [32], two [64];
    memset (one, 1, sizeof one);
    memset (two, 2, sizeof two);
    cf_keystore_pending_put (set, CF_KEYSTORE_PENDING_SUBJECTS, a, one, sizeof one);
    cf_keystore_pending_put (set, CF_KEYSTORE_PENDING_KEYS, b, two, 59);
    //  The same id in the other table is another record.
    assert_null (cf_keystore_pending_find (set, CF_KEYSTORE_PENDING_KEYS, a));
    //  A second write replaces the first in place, in first-written order.
    cf_keystore_pending_put (set, CF_KEYSTORE_PENDING_SUBJECTS, a, two, sizeof two);
    assert_int_equal (cf_keystore_pending_count (set), 2);
    const cf_keystore_pending_write_t *found =
        cf_keystore_pending_find (set, CF_KEYSTORE_PENDING_SUBJECTS, a);
    assert_ptr_equal (found, cf_keystore_pending_at (set, 0));
    assert_int_equal (found->size, sizeof two);
    assert_memory_equal (found->value, two, sizeof two);
    assert_string_equal (cf_keystore_pending_at (set, 1)->id, b);
    //  A value longer than a block of value bytes, and an empty one.
    size_t long_size = 100 * 1024;
    uint8_t *longer = malloc (long_size);
    assert_non_null (longer);
    memset (longer, 7, long_size);
    cf_keystore_pending_put (set, CF_KEYSTORE_PENDING_SUBJECTS, a, longer, long_size);
    found = cf_keystore_pending_find (set, CF_KEYSTORE_PENDING_SUBJECTS, a);
    assert_int_equal (found->size, long_size);
    assert_memory_equal (found->value, longer, long_size);
    cf_keystore_pending_put (set, CF_KEYSTORE_PENDING_SUBJECTS, a, NULL, 0);
    assert_int_equal (found->size, 0);
    //  Many records, across blocks; each found again.
    char ids [1000][CF_SEAL_ID_SIZE];
    for (int i = 0; i < 1000; i++) {
        snprintf (ids [i], sizeof ids [i], "S%026d", i);
        cf_keystore_pending_put (set, CF_KEYSTORE_PENDING_SUBJECTS, ids [i], &i, sizeof i);
    }
    assert_int_equal (cf_keystore_pending_count (set), 1002);
    for (int i = 0; i < 1000; i++) {
        found = cf_keystore_pending_find (set, CF_KEYSTORE_PENDING_SUBJECTS, ids [i]);
        assert_non_null (found);
        assert_memory_equal (found->value, &i, sizeof i);
    }
    //  Clearing wipes the values and finds nothing.
    const cf_keystore_pending_write_t *key = cf_keystore_pending_at (set, 1);
    const uint8_t *bytes = key->value;
    cf_keystore_pending_clear (set);
    assert_int_equal (cf_keystore_pending_count (set), 0);
    assert_null (cf_keystore_pending_find (set, CF_KEYSTORE_PENDING_KEYS, b));
    uint8_t zeros [59] = { 0 };
    assert_memory_equal (bytes, zeros, sizeof zeros);
    //  ... and takes writes again.
    cf_keystore_pending_put (set, CF_KEYSTORE_PENDING_KEYS, b, one, sizeof one);
    assert_int_equal (cf_keystore_pending_count (set), 1);
    free (longer);
    cf_keystore_pending_destroy (&set);
    assert_null (set);
    cf_keystore_pending_destroy (&set);  //  safe on NULL
}

//  -------------------------------------------------------- the writer

typedef struct {
    char subject [CF_SEAL_ID_SIZE];
    char key_id [CF_SEAL_ID_SIZE];
    uint8_t hashes [2][CF_KEYSTORE_HASH_BYTES];
} s_resident_t;

static void
s_resident_put (cf_keystore_t *store, s_resident_t *self)
{
    assert_int_equal (cf_keystore_new_key (store, 'K', self->subject, self->key_id), 0);
    randombytes_buf (self->hashes, sizeof self->hashes);
    for (int h = 0; h < 2; h++)
        assert_int_equal (cf_keystore_put_match (store, self->hashes [h], self->subject), 0);
}

//  True when the store finds the resident (key and both hashes).
static bool
s_found (cf_keystore_t *store, const s_resident_t *self)
{
    char subject [CF_SEAL_ID_SIZE];
    if (cf_keystore_get_key (store, self->key_id, NULL, subject) || strcmp (subject, self->subject))
        return false;
    for (int h = 0; h < 2; h++)
        if (cf_keystore_get_match (store, self->hashes [h], subject)
            || strcmp (subject, self->subject))
            return false;
    return true;
}

static bool
s_key_held (cf_keystore_t *store, const s_resident_t *self)
{
    return cf_keystore_get_key (store, self->key_id, NULL, NULL) == 0;
}

typedef struct {
    cf_keystore_t *store;
    int delay_ms;  //  before storing
    int rc;
} s_writer_t;

static void *
s_writer (void *arg)
{
    s_writer_t *self = arg;
    struct timespec pause = { 0, (long) self->delay_ms * 1000000L };
    nanosleep (&pause, NULL);
    self->rc = cf_keystore_store_staged (self->store);
    return NULL;
}

static cf_keystore_t *
s_open (const char *dir, size_t map_size)
{
    cf_keystore_t *store = NULL;
    assert_int_equal (cf_keystore_open (dir, "intake", map_size, &store), 0);
    return store;
}

static void
test_stored_by_the_writer (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("keystore-staged");
    cf_keystore_t *store = s_open (dir, 0);
    s_resident_t first, second, third;
    s_resident_put (store, &first);
    assert_true (cf_keystore_pending (store));
    assert_int_equal (cf_keystore_stage (store), 0);
    //  Still read while the writer has them, and while the next batch is
    //  decided.
    s_writer_t writer = { store, 50, -1 };
    pthread_t thread;
    assert_int_equal (pthread_create (&thread, NULL, s_writer, &writer), 0);
    assert_true (s_found (store, &first));
    s_resident_put (store, &second);
    assert_true (s_found (store, &second));
    pthread_join (thread, NULL);
    assert_int_equal (writer.rc, 0);
    assert_true (s_found (store, &first));
    assert_true (s_found (store, &second));
    //  Nothing staged: the writer's step does nothing.
    assert_int_equal (cf_keystore_store_staged (store), 0);
    //  The second batch's writes go with the second stage.
    assert_int_equal (cf_keystore_stage (store), 0);
    assert_int_equal (cf_keystore_store_staged (store), 0);
    //  An empty batch stages nothing.
    assert_int_equal (cf_keystore_stage (store), 0);
    assert_false (cf_keystore_pending (store));
    s_resident_put (store, &third);  //  never handed over
    cf_keystore_destroy (&store);
    store = s_open (dir, 0);
    assert_true (s_found (store, &first));
    assert_true (s_found (store, &second));
    assert_false (s_key_held (store, &third));
    cf_keystore_destroy (&store);
    cf_test_rmtree (dir);
    free (dir);
}

static void
test_erasure_waits_for_the_writer (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("keystore-staged-erase");
    cf_keystore_t *store = s_open (dir, 0);
    s_resident_t resident, other;
    s_resident_put (store, &resident);
    assert_int_equal (cf_keystore_stage (store), 0);
    s_writer_t writer = { store, 200, -1 };
    pthread_t thread;
    assert_int_equal (pthread_create (&thread, NULL, s_writer, &writer), 0);
    //  Decided after the staged batch, erased before the writer stored it:
    //  the erasure waits, or the staged key would be stored after it.
    s_resident_put (store, &other);
    const char *ids [] = { resident.key_id };
    size_t destroyed = 0;
    assert_int_equal (cf_keystore_erase (store, resident.subject, ids, 1, 1, &destroyed), 0);
    assert_int_equal (destroyed, 1);
    pthread_join (thread, NULL);
    assert_int_equal (writer.rc, 0);
    assert_false (s_key_held (store, &resident));
    assert_true (cf_keystore_erased (store, resident.subject));
    assert_true (s_found (store, &other));  //  stored with the erasure
    assert_int_equal (cf_keystore_compact (store), 0);
    cf_keystore_destroy (&store);
    store = s_open (dir, 0);
    assert_false (s_key_held (store, &resident));
    assert_true (cf_keystore_erased (store, resident.subject));
    assert_true (s_found (store, &other));
    cf_keystore_destroy (&store);
    cf_test_rmtree (dir);
    free (dir);
}

static void
test_failed_store (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("keystore-staged-full");
    cf_keystore_t *store = s_open (dir, 256 * 1024);
    s_resident_t kept;
    s_resident_put (store, &kept);
    assert_int_equal (cf_keystore_commit (store), 0);
    //  More than the map holds, staged as one batch.
    enum { S_MANY = 3000 };
    s_resident_t *many = calloc (S_MANY, sizeof *many);
    assert_non_null (many);
    for (int i = 0; i < S_MANY; i++)
        s_resident_put (store, &many [i]);
    assert_int_equal (cf_keystore_stage (store), 0);
    s_resident_t later;
    s_resident_put (store, &later);  //  the open batch, decided on top
    assert_int_equal (cf_keystore_store_staged (store), CF_ESTOREFULL);
    //  The next batch fails once with it; the writes of both batches and
    //  their hashes are gone, what was stored before is not.
    assert_int_equal (cf_keystore_stage (store), CF_ESTOREFULL);
    assert_int_equal (cf_keystore_stage (store), 0);
    assert_false (cf_keystore_pending (store));
    assert_true (s_found (store, &kept));
    char subject [CF_SEAL_ID_SIZE];
    for (int i = 0; i < S_MANY; i += 499) {
        assert_false (s_key_held (store, &many [i]));
        assert_int_equal (cf_keystore_get_match (store, many [i].hashes [0], subject),
                          CF_ENOTFOUND);
    }
    assert_false (s_key_held (store, &later));
    assert_int_equal (cf_keystore_get_match (store, later.hashes [1], subject), CF_ENOTFOUND);
    //  Writes fit again afterwards.
    s_resident_t next;
    s_resident_put (store, &next);
    assert_int_equal (cf_keystore_stage (store), 0);
    assert_int_equal (cf_keystore_store_staged (store), 0);
    cf_keystore_destroy (&store);
    store = s_open (dir, 256 * 1024);
    assert_true (s_found (store, &kept));
    assert_true (s_found (store, &next));
    cf_keystore_destroy (&store);
    free (many);
    cf_test_rmtree (dir);
    free (dir);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_pending_set),
        cmocka_unit_test (test_stored_by_the_writer),
        cmocka_unit_test (test_erasure_waits_for_the_writer),
        cmocka_unit_test (test_failed_store),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
