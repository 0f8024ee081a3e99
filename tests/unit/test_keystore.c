//  test_keystore: cf_keystore against real LMDB stores in temp directories.
//
//  Each test opens its own store. Beyond reads and writes, two promises
//  are checked on the files themselves: after an erasure and a compaction
//  no file under the store's directory holds an erased key's or hash's
//  bytes (while a live resident's still are, and the erased ones still are
//  before compacting: the search can fail); and a truncated data.mdb is a
//  clear error, never a fault (the truncated stores are opened in a child
//  process, so a SIGBUS would show as the child's death).
#include "cf_error.h"
#include "cf_keystore.h"
#include "cf_log.h"
#include "cf_test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <lmdb.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define S_MANY   2000  //  residents in the compaction proof
#define S_ERASED 5

static cf_keystore_t *
s_open (const char *dir, const char *service)
{
    cf_keystore_t *store = NULL;
    int rc = cf_keystore_open (dir, service, 0, &store);
    if (rc)
        fail_msg ("cf_keystore_open %s: %s", dir, cf_strerror (rc));
    return store;
}

//  One resident as intake holds it: a subject, one data key, two hashes.
typedef struct {
    char subject [CF_SEAL_ID_SIZE];
    char key_id [CF_SEAL_ID_SIZE];
    uint8_t key [CF_SEAL_KEY_BYTES];
    uint8_t hashes [2][CF_KEYSTORE_HASH_BYTES];
} s_resident_t;

static void
s_resident_new (s_resident_t *self)
{
    cf_seal_new_id (self->subject, 'S');
    cf_seal_new_id (self->key_id, 'K');
    cf_seal_new_key (self->key);
    randombytes_buf (self->hashes, sizeof self->hashes);
}

static void
s_resident_put (cf_keystore_t *store, const s_resident_t *self)
{
    assert_int_equal (cf_keystore_put_key (store, self->key_id, self->subject, self->key), 0);
    for (int h = 0; h < 2; h++)
        assert_int_equal (cf_keystore_put_match (store, self->hashes [h], self->subject), 0);
}

//  The resident reads back whole: key, its subject, both hashes.
static void
s_assert_resident (cf_keystore_t *store, const s_resident_t *self)
{
    uint8_t key [CF_SEAL_KEY_BYTES];
    char subject [CF_SEAL_ID_SIZE];
    assert_int_equal (cf_keystore_get_key (store, self->key_id, key, subject), 0);
    assert_memory_equal (key, self->key, sizeof key);
    assert_string_equal (subject, self->subject);
    for (int h = 0; h < 2; h++) {
        assert_int_equal (cf_keystore_get_match (store, self->hashes [h], subject), 0);
        assert_string_equal (subject, self->subject);
    }
    assert_false (cf_keystore_erased (store, self->subject));
}

static void
s_assert_gone (cf_keystore_t *store, const s_resident_t *self)
{
    char subject [CF_SEAL_ID_SIZE];
    uint8_t key [CF_SEAL_KEY_BYTES];
    assert_int_equal (cf_keystore_get_key (store, self->key_id, key, subject), CF_ENOTFOUND);
    for (int h = 0; h < 2; h++)
        assert_int_equal (cf_keystore_get_match (store, self->hashes [h], subject), CF_ENOTFOUND);
    assert_true (cf_keystore_erased (store, self->subject));
}

static void
s_assert_counts (cf_keystore_t *store, size_t keys, size_t matches, size_t erased)
{
    size_t k = 99, m = 99, e = 99;
    assert_int_equal (cf_keystore_counts (store, &k, &m, &e), 0);
    assert_int_equal (k, keys);
    assert_int_equal (m, matches);
    assert_int_equal (e, erased);
}

static int
s_erase (cf_keystore_t *store, const s_resident_t *self, size_t *destroyed)
{
    const char *ids [] = { self->key_id };
    return cf_keystore_erase (store, self->subject, ids, 1, 1700000000000000, destroyed);
}

//  How many of the files under `dir` (recursively) hold `needle`.
static int
s_files_holding (const char *dir, const void *needle, size_t length)
{
    int holding = 0;
    DIR *folder = opendir (dir);
    assert_non_null (folder);
    struct dirent *entry;
    while ((entry = readdir (folder))) {
        if (strcmp (entry->d_name, ".") == 0 || strcmp (entry->d_name, "..") == 0)
            continue;
        char path [4096];
        snprintf (path, sizeof path, "%s/%s", dir, entry->d_name);
        struct stat info;
        assert_int_equal (lstat (path, &info), 0);
        if (S_ISDIR (info.st_mode)) {
            holding += s_files_holding (path, needle, length);
            continue;
        }
        size_t size = 0;
        uint8_t *data = (uint8_t *) cf_test_read_file (path, &size);
        assert_non_null (data);
        for (size_t at = 0; at + length <= size; at++)
            if (memcmp (data + at, needle, length) == 0) {
                holding++;
                break;
            }
        free (data);
    }
    closedir (folder);
    return holding;
}

static void
test_keys (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("keystore-keys");
    cf_keystore_t *store = s_open (dir, "intake");
    assert_string_equal (cf_keystore_dir (store), dir);
    assert_false (cf_keystore_pending (store));
    s_assert_counts (store, 0, 0, 0);

    s_resident_t one;
    s_resident_new (&one);
    assert_int_equal (cf_keystore_put_key (store, one.key_id, one.subject, one.key), 0);
    assert_true (cf_keystore_pending (store));
    //  Reads see the open transaction; counts are of what is committed.
    uint8_t key [CF_SEAL_KEY_BYTES];
    char subject [CF_SEAL_ID_SIZE];
    assert_int_equal (cf_keystore_get_key (store, one.key_id, key, subject), 0);
    assert_memory_equal (key, one.key, sizeof key);
    assert_string_equal (subject, one.subject);
    assert_int_equal (cf_keystore_get_key (store, one.key_id, NULL, NULL), 0);
    s_assert_counts (store, 0, 0, 0);
    //  A taken id, before and after the commit.
    uint8_t other [CF_SEAL_KEY_BYTES];
    cf_seal_new_key (other);
    assert_int_equal (cf_keystore_put_key (store, one.key_id, one.subject, other), CF_EEXIST);
    assert_int_equal (cf_keystore_commit (store), 0);
    assert_false (cf_keystore_pending (store));
    assert_int_equal (cf_keystore_commit (store), 0);  //  nothing to commit
    s_assert_counts (store, 1, 0, 0);
    assert_int_equal (cf_keystore_put_key (store, one.key_id, one.subject, other), CF_EEXIST);
    //  The refused write changed nothing.
    assert_int_equal (cf_keystore_get_key (store, one.key_id, key, NULL), 0);
    assert_memory_equal (key, one.key, sizeof key);

    //  Unknown and malformed ids.
    char unknown [CF_SEAL_ID_SIZE];
    cf_seal_new_id (unknown, 'K');
    assert_int_equal (cf_keystore_get_key (store, unknown, key, subject), CF_ENOTFOUND);
    assert_int_equal (cf_keystore_get_key (store, "K123", key, subject), CF_ENOTFOUND);
    assert_int_equal (cf_keystore_get_key (store, NULL, key, subject), CF_ENOTFOUND);
    assert_int_equal (cf_keystore_put_key (store, "K123", one.subject, one.key), CF_EINVAL);
    assert_int_equal (cf_keystore_put_key (store, unknown, "S1", one.key), CF_EINVAL);
    assert_int_equal (cf_keystore_put_key (store, NULL, one.subject, one.key), CF_EINVAL);
    cf_keystore_destroy (&store);
    assert_null (store);
    cf_keystore_destroy (&store);  //  safe on NULL
    cf_test_rmtree (dir);
    free (dir);
}

static void
test_matches (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("keystore-matches");
    cf_keystore_t *store = s_open (dir, "intake");
    char a [CF_SEAL_ID_SIZE], b [CF_SEAL_ID_SIZE], found [CF_SEAL_ID_SIZE];
    cf_seal_new_id (a, 'S');
    cf_seal_new_id (b, 'S');
    uint8_t bsn [CF_KEYSTORE_HASH_BYTES], name [CF_KEYSTORE_HASH_BYTES];
    randombytes_buf (bsn, sizeof bsn);
    randombytes_buf (name, sizeof name);
    assert_int_equal (cf_keystore_get_match (store, bsn, found), CF_ENOTFOUND);
    assert_int_equal (cf_keystore_put_match (store, bsn, a), 0);
    assert_int_equal (cf_keystore_put_match (store, name, a), 0);
    assert_int_equal (cf_keystore_get_match (store, bsn, found), 0);
    assert_string_equal (found, a);
    //  Putting it again is harmless; putting it for b re-points it.
    assert_int_equal (cf_keystore_put_match (store, bsn, a), 0);
    assert_int_equal (cf_keystore_put_match (store, name, b), 0);
    assert_int_equal (cf_keystore_get_match (store, name, found), 0);
    assert_string_equal (found, b);
    assert_int_equal (cf_keystore_commit (store), 0);
    s_assert_counts (store, 0, 2, 0);
    assert_int_equal (cf_keystore_put_match (store, bsn, "S-not-an-id"), CF_EINVAL);
    assert_int_equal (cf_keystore_put_match (store, bsn, NULL), CF_EINVAL);

    //  A subject finds at most 16 hashes (b has the name's and 15 more);
    //  the 17th is refused, not made (erasure finds a subject's hashes
    //  through that list only).
    uint8_t many [16][CF_KEYSTORE_HASH_BYTES];
    randombytes_buf (many, sizeof many);
    for (int i = 0; i < 15; i++)
        assert_int_equal (cf_keystore_put_match (store, many [i], b), 0);
    assert_int_equal (cf_keystore_put_match (store, many [15], b), CF_ETOOBIG);
    assert_int_equal (cf_keystore_get_match (store, many [15], found), CF_ENOTFOUND);
    //  One it already has still re-points.
    assert_int_equal (cf_keystore_put_match (store, many [3], b), 0);
    assert_int_equal (cf_keystore_commit (store), 0);
    //  Erasing b removes all 16 (the name hash re-pointed to b included).
    size_t destroyed = 99;
    assert_int_equal (cf_keystore_erase (store, b, NULL, 0, 1, &destroyed), 0);
    assert_int_equal (destroyed, 0);
    for (int i = 0; i < 16; i++)
        assert_int_equal (cf_keystore_get_match (store, many [i], found), CF_ENOTFOUND);
    assert_int_equal (cf_keystore_get_match (store, name, found), CF_ENOTFOUND);
    assert_int_equal (cf_keystore_get_match (store, bsn, found), 0);
    assert_string_equal (found, a);
    s_assert_counts (store, 0, 1, 1);
    cf_keystore_destroy (&store);
    cf_test_rmtree (dir);
    free (dir);
}

static void
test_commit_durability (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("keystore-durable");
    cf_keystore_t *store = s_open (dir, "intake");
    s_resident_t kept, dropped;
    s_resident_new (&kept);
    s_resident_new (&dropped);
    s_resident_put (store, &kept);
    assert_int_equal (cf_keystore_commit (store), 0);
    s_resident_put (store, &dropped);
    s_assert_resident (store, &dropped);  //  its own writes, not committed
    cf_keystore_destroy (&store);         //  drops them

    store = s_open (dir, "intake");
    s_assert_resident (store, &kept);
    uint8_t key [CF_SEAL_KEY_BYTES];
    char subject [CF_SEAL_ID_SIZE];
    assert_int_equal (cf_keystore_get_key (store, dropped.key_id, key, NULL), CF_ENOTFOUND);
    assert_int_equal (cf_keystore_get_match (store, dropped.hashes [0], subject), CF_ENOTFOUND);
    s_assert_counts (store, 1, 2, 0);
    //  The dropped id is free again.
    assert_int_equal (cf_keystore_put_key (store, dropped.key_id, dropped.subject, dropped.key), 0);
    assert_int_equal (cf_keystore_commit (store), 0);
    cf_keystore_destroy (&store);
    store = s_open (dir, "intake");
    assert_int_equal (cf_keystore_get_key (store, dropped.key_id, key, NULL), 0);
    assert_memory_equal (key, dropped.key, sizeof key);
    cf_keystore_destroy (&store);
    cf_test_rmtree (dir);
    free (dir);
}

//  Writes (or with `value` NULL deletes) one record of `table` behind the
//  key store's back, as another program or a stray edit would.
static void
s_raw_write (const char *dir, const char *table, const void *key, size_t key_size,
             const void *value, size_t value_size)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    assert_int_equal (mdb_env_create (&env), 0);
    assert_int_equal (mdb_env_set_maxdbs (env, 8), 0);
    assert_int_equal (mdb_env_open (env, dir, 0, 0600), 0);
    assert_int_equal (mdb_txn_begin (env, NULL, 0, &txn), 0);
    assert_int_equal (mdb_dbi_open (txn, table, MDB_CREATE, &dbi), 0);
    MDB_val k = { key_size, (void *) key };
    if (value) {
        MDB_val v = { value_size, (void *) value };
        assert_int_equal (mdb_put (txn, dbi, &k, &v, 0), 0);
    } else
        assert_int_equal (mdb_del (txn, dbi, &k, NULL), 0);
    assert_int_equal (mdb_txn_commit (txn), 0);
    mdb_env_close (env);
}

static void
s_raw_put (const char *dir, const char *table, const char *key, const char *value)
{
    s_raw_write (dir, table, key, strlen (key), value, value ? strlen (value) : 0);
}

static void
test_owner_and_format (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("keystore-owner");
    cf_keystore_t *store = s_open (dir, "intake");
    cf_keystore_destroy (&store);
    store = (cf_keystore_t *) 1;
    assert_int_equal (cf_keystore_open (dir, "handover", 0, &store), CF_EMISMATCH);
    assert_null (store);
    //  A prefix of the owner is another service too.
    assert_int_equal (cf_keystore_open (dir, "intak", 0, &store), CF_EMISMATCH);
    assert_int_equal (cf_keystore_open (dir, "intake2", 0, &store), CF_EMISMATCH);
    store = s_open (dir, "intake");
    cf_keystore_destroy (&store);
    //  Another format (a later release's store), or none, is not opened.
    s_raw_put (dir, "meta", "format", "2");
    assert_int_equal (cf_keystore_open (dir, "intake", 0, &store), CF_EMISMATCH);
    s_raw_put (dir, "meta", "format", NULL);
    assert_int_equal (cf_keystore_open (dir, "intake", 0, &store), CF_EMISMATCH);
    s_raw_put (dir, "meta", "format", "1");
    store = s_open (dir, "intake");
    cf_keystore_destroy (&store);
    cf_test_rmtree (dir);
    free (dir);
}

static void
test_secret (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("keystore-secret");
    cf_keystore_t *store = s_open (dir, "intake");
    uint8_t secret [32], other [32];
    randombytes_buf (secret, sizeof secret);
    memcpy (other, secret, sizeof other);
    other [31] ^= 1;
    //  The first call stores the fingerprint (committed at once).
    assert_int_equal (cf_keystore_check_secret (store, secret, sizeof secret), 0);
    assert_false (cf_keystore_pending (store));
    assert_int_equal (cf_keystore_check_secret (store, secret, sizeof secret), 0);
    assert_int_equal (cf_keystore_check_secret (store, other, sizeof other), CF_EMISMATCH);
    assert_int_equal (cf_keystore_check_secret (store, secret, 31), CF_EMISMATCH);
    cf_keystore_destroy (&store);
    store = s_open (dir, "intake");
    assert_int_equal (cf_keystore_check_secret (store, other, sizeof other), CF_EMISMATCH);
    assert_int_equal (cf_keystore_check_secret (store, secret, sizeof secret), 0);
    //  The fingerprint is not the secret: its bytes are in no file.
    char path [4096];
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    size_t size = 0;
    uint8_t *data = (uint8_t *) cf_test_read_file (path, &size);
    assert_non_null (data);
    for (size_t at = 0; at + sizeof secret <= size; at++)
        assert_memory_not_equal (data + at, secret, sizeof secret);
    free (data);
    cf_keystore_destroy (&store);
    cf_test_rmtree (dir);
    free (dir);
}

static void
test_erase (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("keystore-erase");
    cf_keystore_t *store = s_open (dir, "intake");
    s_resident_t a, b;
    s_resident_new (&a);
    s_resident_new (&b);
    s_resident_put (store, &a);
    s_resident_put (store, &b);
    //  A second key of a (a transit key adopted), and one of a's hashes
    //  taken over by b (a later registration with that BSN).
    char transit [CF_SEAL_ID_SIZE];
    uint8_t transit_key [CF_SEAL_KEY_BYTES];
    cf_seal_new_id (transit, 'T');
    cf_seal_new_key (transit_key);
    assert_int_equal (cf_keystore_put_key (store, transit, a.subject, transit_key), 0);
    assert_int_equal (cf_keystore_put_match (store, a.hashes [1], b.subject), 0);
    assert_false (cf_keystore_needs_compaction (store));
    //  Not committed yet: erase commits what waits first.
    assert_true (cf_keystore_pending (store));

    char unknown [CF_SEAL_ID_SIZE];
    cf_seal_new_id (unknown, 'K');
    const char *ids [] = { a.key_id, transit, unknown, "K-short", a.key_id };
    size_t destroyed = 99;
    assert_int_equal (cf_keystore_erase (store, a.subject, ids, 5, 1700000000000000, &destroyed),
                      0);
    assert_int_equal (destroyed, 2);
    assert_false (cf_keystore_pending (store));
    assert_true (cf_keystore_needs_compaction (store));
    uint8_t key [CF_SEAL_KEY_BYTES];
    char found [CF_SEAL_ID_SIZE];
    assert_int_equal (cf_keystore_get_key (store, a.key_id, key, NULL), CF_ENOTFOUND);
    assert_int_equal (cf_keystore_get_key (store, transit, key, NULL), CF_ENOTFOUND);
    assert_int_equal (cf_keystore_get_match (store, a.hashes [0], found), CF_ENOTFOUND);
    assert_true (cf_keystore_erased (store, a.subject));
    //  The hash b took over stays b's; b is untouched.
    assert_int_equal (cf_keystore_get_match (store, a.hashes [1], found), 0);
    assert_string_equal (found, b.subject);
    s_assert_resident (store, &b);
    s_assert_counts (store, 1, 3, 1);

    //  Durable: closed and reopened (b's writes were committed by erase),
    //  and the compaction it owes is still owed after a restart.
    cf_keystore_destroy (&store);
    store = s_open (dir, "intake");
    assert_true (cf_keystore_needs_compaction (store));
    assert_true (cf_keystore_erased (store, a.subject));
    assert_int_equal (cf_keystore_get_key (store, a.key_id, key, NULL), CF_ENOTFOUND);
    s_assert_resident (store, &b);
    s_assert_counts (store, 1, 3, 1);

    assert_int_equal (cf_keystore_compact (store), 0);
    assert_false (cf_keystore_needs_compaction (store));
    cf_keystore_destroy (&store);
    store = s_open (dir, "intake");
    assert_false (cf_keystore_needs_compaction (store));

    //  Twice is harmless: nothing destroyed, nothing to compact, one
    //  tombstone.
    assert_int_equal (cf_keystore_erase (store, a.subject, ids, 5, 1700000000000001, &destroyed),
                      0);
    assert_int_equal (destroyed, 0);
    assert_false (cf_keystore_needs_compaction (store));
    s_assert_counts (store, 1, 3, 1);

    //  A subject with hashes and no key: no key destroyed, yet its hashes
    //  went, so the file needs compacting.
    char c [CF_SEAL_ID_SIZE];
    uint8_t c_hash [CF_KEYSTORE_HASH_BYTES];
    cf_seal_new_id (c, 'S');
    randombytes_buf (c_hash, sizeof c_hash);
    assert_int_equal (cf_keystore_put_match (store, c_hash, c), 0);
    assert_int_equal (cf_keystore_erase (store, c, NULL, 0, 1, &destroyed), 0);
    assert_int_equal (destroyed, 0);
    assert_true (cf_keystore_needs_compaction (store));
    assert_int_equal (cf_keystore_compact (store), 0);
    assert_false (cf_keystore_needs_compaction (store));

    //  A hash written for an erased subject (a late write) goes on the
    //  next erasure, and that erasure asks for a compaction again.
    assert_int_equal (cf_keystore_put_match (store, c_hash, c), 0);
    assert_int_equal (cf_keystore_erase (store, c, NULL, 0, 2, &destroyed), 0);
    assert_int_equal (cf_keystore_get_match (store, c_hash, found), CF_ENOTFOUND);
    assert_true (cf_keystore_needs_compaction (store));

    //  A subject never seen gets its tombstone; a malformed one is refused.
    char never [CF_SEAL_ID_SIZE];
    cf_seal_new_id (never, 'S');
    assert_int_equal (cf_keystore_erase (store, never, NULL, 0, 3, NULL), 0);
    assert_true (cf_keystore_erased (store, never));
    assert_int_equal (cf_keystore_erase (store, "S1", NULL, 0, 3, &destroyed), CF_EINVAL);
    assert_int_equal (destroyed, 0);
    assert_false (cf_keystore_erased (store, "S1"));
    s_assert_counts (store, 1, 3, 3);
    cf_keystore_destroy (&store);
    cf_test_rmtree (dir);
    free (dir);
}

//  Damaged records never keep a key or a hash alive through an erasure: a
//  key record of the wrong size, a subject's list longer than the 16 the
//  module writes, a list whose length is no multiple of a hash's (which
//  the index never loads, but whose bytes must still go).
static void
test_erase_damaged_records (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("keystore-erase-damaged");
    cf_keystore_t *store = s_open (dir, "intake");
    s_resident_t a, b, c;
    s_resident_new (&a);
    s_resident_new (&b);
    s_resident_new (&c);
    s_resident_put (store, &a);
    s_resident_put (store, &b);
    s_resident_put (store, &c);
    assert_int_equal (cf_keystore_commit (store), 0);
    cf_keystore_destroy (&store);

    //  a's key record loses its last byte; a's list grows to 20 hashes;
    //  c's list gets 5 bytes too many.
    uint8_t record [CF_SEAL_ID_SIZE - 1 + CF_SEAL_KEY_BYTES - 1];
    memcpy (record, a.subject, CF_SEAL_ID_SIZE - 1);
    memcpy (record + CF_SEAL_ID_SIZE - 1, a.key, CF_SEAL_KEY_BYTES - 1);
    s_raw_write (dir, "keys", a.key_id, CF_SEAL_ID_SIZE - 1, record, sizeof record);
    uint8_t list [20][CF_KEYSTORE_HASH_BYTES];
    memcpy (list [0], a.hashes [0], CF_KEYSTORE_HASH_BYTES);
    memcpy (list [1], a.hashes [1], CF_KEYSTORE_HASH_BYTES);
    randombytes_buf (list [2], 18 * CF_KEYSTORE_HASH_BYTES);
    s_raw_write (dir, "subjects", a.subject, CF_SEAL_ID_SIZE - 1, list, sizeof list);
    uint8_t odd [2 * CF_KEYSTORE_HASH_BYTES + 5] = { 0 };
    memcpy (odd, c.hashes, sizeof c.hashes);
    s_raw_write (dir, "subjects", c.subject, CF_SEAL_ID_SIZE - 1, odd, sizeof odd);

    store = s_open (dir, "intake");
    uint8_t key [CF_SEAL_KEY_BYTES];
    char found [CF_SEAL_ID_SIZE];
    assert_int_equal (cf_keystore_get_key (store, a.key_id, key, found), CF_ECORRUPT);
    assert_int_equal (cf_keystore_get_match (store, list [10], found), 0);
    assert_string_equal (found, a.subject);
    assert_int_equal (cf_keystore_get_match (store, c.hashes [0], found), CF_ENOTFOUND);
    s_assert_counts (store, 3, 20 + 2, 0);
    size_t destroyed = 0;
    assert_int_equal (s_erase (store, &a, &destroyed), 0);
    assert_int_equal (destroyed, 1);
    assert_int_equal (s_erase (store, &c, &destroyed), 0);
    assert_int_equal (destroyed, 1);
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 20; i++)
            assert_int_equal (cf_keystore_get_match (store, list [i], found), CF_ENOTFOUND);
        s_assert_gone (store, &a);
        s_assert_gone (store, &c);
        s_assert_resident (store, &b);
        s_assert_counts (store, 1, 2, 2);
        //  Compacted, the damaged records' bytes are in no file either.
        assert_int_equal (cf_keystore_compact (store), 0);
        assert_int_equal (s_files_holding (dir, list [10], CF_KEYSTORE_HASH_BYTES), 0);
        assert_int_equal (s_files_holding (dir, c.hashes [1], CF_KEYSTORE_HASH_BYTES), 0);
        assert_int_equal (s_files_holding (dir, a.key, CF_SEAL_KEY_BYTES - 1), 0);
        cf_keystore_destroy (&store);
        store = s_open (dir, "intake");
    }
    cf_keystore_destroy (&store);
    cf_test_rmtree (dir);
    free (dir);
}

//  A hash taken over by another subject leaves the first one's list, so a
//  restart (which rebuilds the index from the lists) finds whom the live
//  store found, and erasing the new owner does not give the hash back to
//  the first after a restart.
static void
test_taken_over_hash_after_restart (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("keystore-taken-over");
    cf_keystore_t *store = s_open (dir, "intake");
    s_resident_t old, young;
    s_resident_new (&old);
    struct timespec pause = { 0, 3 * 1000000 };
    nanosleep (&pause, NULL);
    s_resident_new (&young);
    //  Ids sort by time: `young` was made later and sorts after `old`.
    assert_true (strcmp (old.subject, young.subject) < 0);
    uint8_t shared [CF_KEYSTORE_HASH_BYTES], other [CF_KEYSTORE_HASH_BYTES];
    randombytes_buf (shared, sizeof shared);
    randombytes_buf (other, sizeof other);
    char found [CF_SEAL_ID_SIZE];
    //  The younger subject has it first, then the older takes it over.
    assert_int_equal (cf_keystore_put_match (store, shared, young.subject), 0);
    assert_int_equal (cf_keystore_put_match (store, other, young.subject), 0);
    assert_int_equal (cf_keystore_put_match (store, shared, old.subject), 0);
    assert_int_equal (cf_keystore_commit (store), 0);
    for (int round = 0; round < 2; round++) {
        assert_int_equal (cf_keystore_get_match (store, shared, found), 0);
        assert_string_equal (found, old.subject);
        assert_int_equal (cf_keystore_get_match (store, other, found), 0);
        assert_string_equal (found, young.subject);
        s_assert_counts (store, 0, 2, 0);
        cf_keystore_destroy (&store);
        store = s_open (dir, "intake");
    }
    //  Erasing its owner: the hash finds nobody, before and after a
    //  restart; the other subject keeps its own hash.
    assert_int_equal (cf_keystore_erase (store, old.subject, NULL, 0, 1, NULL), 0);
    for (int round = 0; round < 2; round++) {
        assert_int_equal (cf_keystore_get_match (store, shared, found), CF_ENOTFOUND);
        assert_int_equal (cf_keystore_get_match (store, other, found), 0);
        assert_string_equal (found, young.subject);
        cf_keystore_destroy (&store);
        store = s_open (dir, "intake");
    }
    cf_keystore_destroy (&store);
    cf_test_rmtree (dir);
    free (dir);
}

//  Of the residents `list [at]` for the indexes in `which`, how many
//  secrets (keys and hashes) some file under `dir` still holds.
static int
s_secrets_found (const char *dir, const s_resident_t *list, const size_t *which, size_t count)
{
    int found = 0;
    for (size_t i = 0; i < count; i++) {
        const s_resident_t *resident = &list [which [i]];
        found += s_files_holding (dir, resident->key, CF_SEAL_KEY_BYTES) > 0;
        for (int h = 0; h < 2; h++)
            found += s_files_holding (dir, resident->hashes [h], CF_KEYSTORE_HASH_BYTES) > 0;
    }
    return found;
}

//  THE PROOF: 2,000 residents, a few erased; before compacting, their
//  bytes are still in data.mdb (so the search below can fail); after it,
//  in no file under the store's directory, while a live resident's key
//  and hashes are found there and every live resident reads back.
static void
test_erased_bytes_in_no_file (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("keystore-proof");
    cf_keystore_t *store = s_open (dir, "intake");
    uint8_t secret [32];
    randombytes_buf (secret, sizeof secret);
    assert_int_equal (cf_keystore_check_secret (store, secret, sizeof secret), 0);
    s_resident_t *all = calloc (S_MANY, sizeof *all);
    assert_non_null (all);
    //  Registered in batches, as a service commits them.
    for (size_t i = 0; i < S_MANY; i++) {
        s_resident_new (&all [i]);
        s_resident_put (store, &all [i]);
        if (i % 50 == 49)
            assert_int_equal (cf_keystore_commit (store), 0);
    }
    assert_int_equal (cf_keystore_commit (store), 0);
    s_assert_counts (store, S_MANY, 2 * S_MANY, 0);

    //  First, last, and some between (leaves of every part of the trees).
    const size_t erased [S_ERASED] = { 0, 613, 1024, 1500, S_MANY - 1 };
    const size_t live [] = { 1, 700, S_MANY - 2 };
    for (size_t i = 0; i < S_ERASED; i++) {
        size_t destroyed = 0;
        assert_int_equal (s_erase (store, &all [erased [i]], &destroyed), 0);
        assert_int_equal (destroyed, 1);
        s_assert_gone (store, &all [erased [i]]);
    }
    s_assert_counts (store, S_MANY - S_ERASED, 2 * (S_MANY - S_ERASED), S_ERASED);
    assert_true (cf_keystore_needs_compaction (store));

    //  Without compaction the erased bytes are still there: LMDB copies on
    //  write and keeps the old pages.
    int before = s_secrets_found (dir, all, erased, S_ERASED);
    printf ("before compaction: %d of %d erased keys and hashes still in the store's files\n",
            before, 3 * S_ERASED);
    assert_true (before > 0);
    assert_int_equal (s_secrets_found (dir, all, live, 3), 3 * 3);

    assert_int_equal (cf_keystore_compact (store), 0);
    assert_false (cf_keystore_needs_compaction (store));
    int after = s_secrets_found (dir, all, erased, S_ERASED);
    printf ("after compaction: %d of %d\n", after, 3 * S_ERASED);
    assert_int_equal (after, 0);
    //  The control: the same search finds the live residents' bytes.
    assert_int_equal (s_secrets_found (dir, all, live, 3), 3 * 3);
    //  Nothing left of the compaction but the store's own files: LMDB's
    //  two and its writer's lock (cf_store_lock.h).
    DIR *folder = opendir (dir);
    assert_non_null (folder);
    struct dirent *entry;
    int files = 0;
    while ((entry = readdir (folder)))
        if (entry->d_name [0] != '.') {
            files++;
            assert_true (strcmp (entry->d_name, "data.mdb") == 0
                         || strcmp (entry->d_name, "lock.mdb") == 0
                         || strcmp (entry->d_name, "caseflow.lock") == 0);
        }
    closedir (folder);
    assert_int_equal (files, 3);

    //  Everything live reads back, in this process and after a reopen;
    //  the secret's fingerprint and the owner came along.
    for (int round = 0; round < 2; round++) {
        size_t next = 0;
        for (size_t i = 0; i < S_MANY; i++) {
            if (next < S_ERASED && erased [next] == i) {
                s_assert_gone (store, &all [i]);
                next++;
            } else
                s_assert_resident (store, &all [i]);
        }
        s_assert_counts (store, S_MANY - S_ERASED, 2 * (S_MANY - S_ERASED), S_ERASED);
        assert_int_equal (cf_keystore_check_secret (store, secret, sizeof secret), 0);
        cf_keystore_destroy (&store);
        if (round == 0)
            store = s_open (dir, "intake");
    }
    assert_int_equal (cf_keystore_open (dir, "handover", 0, &store), CF_EMISMATCH);
    free (all);
    cf_test_rmtree (dir);
    free (dir);
}

//  A compaction after which the store does not open again (here its
//  lock.mdb became a directory while it was open) leaves it closed, never
//  half-open: every call fails with CF_ESTORE, cf_keystore_unusable names
//  the directory, and the next cf_keystore_compact opens it again, with
//  the compaction done and the live keys there.
static void
test_compact_reopen_fails (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("keystore-reopen");
    cf_keystore_t *store = s_open (dir, "intake");
    s_resident_t a, b;
    s_resident_new (&a);
    s_resident_new (&b);
    s_resident_put (store, &a);
    s_resident_put (store, &b);
    const char *ids [] = { a.key_id };
    assert_int_equal (cf_keystore_erase (store, a.subject, ids, 1, 1, NULL), 0);
    assert_null (cf_keystore_unusable (store));
    char lock [4200], moved [4200];
    snprintf (lock, sizeof lock, "%s/lock.mdb", dir);
    snprintf (moved, sizeof moved, "%s/lock.moved", dir);
    assert_int_equal (rename (lock, moved), 0);
    assert_int_equal (mkdir (lock, 0700), 0);

    assert_int_not_equal (cf_keystore_compact (store), 0);
    const char *why = cf_keystore_unusable (store);
    assert_non_null (why);
    assert_non_null (strstr (why, dir));
    assert_non_null (strstr (why, "did not open again after its compaction"));
    uint8_t key [CF_SEAL_KEY_BYTES];
    char found [CF_SEAL_ID_SIZE];
    assert_int_equal (cf_keystore_get_key (store, b.key_id, key, NULL), CF_ESTORE);
    assert_int_equal (cf_keystore_get_match (store, b.hashes [0], found), CF_ENOTFOUND);
    assert_int_equal (cf_keystore_put_key (store, a.key_id, a.subject, key), CF_ESTORE);
    assert_int_equal (cf_keystore_commit (store), 0);
    assert_false (cf_keystore_erased (store, a.subject));
    size_t keys;
    assert_int_equal (cf_keystore_counts (store, &keys, NULL, NULL), CF_ESTORE);
    //  Still closed while the cause stays.
    assert_int_not_equal (cf_keystore_compact (store), 0);
    assert_non_null (cf_keystore_unusable (store));

    assert_int_equal (rmdir (lock), 0);
    assert_int_equal (cf_keystore_compact (store), 0);
    assert_null (cf_keystore_unusable (store));
    assert_false (cf_keystore_needs_compaction (store));
    s_assert_resident (store, &b);
    assert_true (cf_keystore_erased (store, a.subject));
    assert_int_equal (cf_keystore_get_key (store, a.key_id, key, NULL), CF_ENOTFOUND);
    cf_keystore_destroy (&store);
    unlink (moved);
    cf_test_rmtree (dir);
    free (dir);
}

//  A damaged page in the middle of a table: compaction must fail and keep
//  the old file, not write a smaller store that loses every record past
//  the damage. The damage is made by hand in LMDB 0.9's page layout: the
//  second child of the keys table's root (a branch page) is pointed past
//  the end of the file.
static void
test_compact_refuses_damage (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("keystore-damage");
    cf_keystore_t *store = s_open (dir, "intake");
    s_resident_t *all = calloc (S_MANY / 4, sizeof *all);
    assert_non_null (all);
    for (size_t i = 0; i < S_MANY / 4; i++) {
        s_resident_new (&all [i]);
        s_resident_put (store, &all [i]);
    }
    assert_int_equal (cf_keystore_commit (store), 0);
    cf_keystore_destroy (&store);

    //  The keys table's root page, from its record in the main table
    //  (MDB_db: md_flags at 4, md_depth at 6, md_root at 40).
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi main_dbi;
    assert_int_equal (mdb_env_create (&env), 0);
    assert_int_equal (mdb_env_set_maxdbs (env, 8), 0);
    assert_int_equal (mdb_env_open (env, dir, 0, 0600), 0);
    assert_int_equal (mdb_txn_begin (env, NULL, MDB_RDONLY, &txn), 0);
    assert_int_equal (mdb_dbi_open (txn, NULL, 0, &main_dbi), 0);
    MDB_val name = { 4, "keys" }, record;
    assert_int_equal (mdb_get (txn, main_dbi, &name, &record), 0);
    assert_int_equal (record.mv_size, 48);
    uint16_t depth;
    uint64_t root;
    memcpy (&depth, (uint8_t *) record.mv_data + 6, sizeof depth);
    memcpy (&root, (uint8_t *) record.mv_data + 40, sizeof root);
    MDB_stat stat;
    assert_int_equal (mdb_env_stat (env, &stat), 0);
    mdb_txn_abort (txn);
    mdb_env_close (env);
    assert_true (depth >= 2);  //  the root is a branch page

    //  Damaged while open (opened again, the check of the file refuses
    //  it: below).
    store = s_open (dir, "intake");

    //  The page: header (pgno 8, pad 2, flags 2, lower 2, upper 2), then
    //  node offsets; a branch node starts with its child's page number
    //  (two 16-bit halves).
    char path [4096];
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    FILE *file = fopen (path, "r+b");
    assert_non_null (file);
    long page = (long) root * (long) stat.ms_psize;
    uint8_t header [20];
    assert_int_equal (fseek (file, page, SEEK_SET), 0);
    assert_int_equal (fread (header, 1, sizeof header, file), sizeof header);
    uint16_t flags, second;
    memcpy (&flags, header + 10, sizeof flags);
    memcpy (&second, header + 18, sizeof second);
    assert_int_equal (flags & 0x01, 0x01);  //  P_BRANCH
    const uint8_t far [4] = { 0xff, 0xff, 0xff, 0x7f };
    assert_int_equal (fseek (file, page + second, SEEK_SET), 0);
    assert_int_equal (fwrite (far, 1, sizeof far, file), sizeof far);
    fclose (file);
    size_t size_before = 0;
    char *before = cf_test_read_file (path, &size_before);
    assert_non_null (before);

    assert_true (cf_keystore_needs_compaction (store) == false);
    assert_int_equal (cf_keystore_compact (store), CF_ECORRUPT);
    //  The old file is kept, byte for byte, and still answers what it can.
    size_t size_after = 0;
    char *after = cf_test_read_file (path, &size_after);
    assert_non_null (after);
    assert_int_equal (size_after, size_before);
    assert_memory_equal (after, before, size_before);
    size_t keys = 0;
    assert_int_equal (cf_keystore_counts (store, &keys, NULL, NULL), 0);
    assert_int_equal (keys, S_MANY / 4);
    free (before);
    free (after);
    cf_keystore_destroy (&store);
    //  Opened again, the branch that names a page outside the file is
    //  found before LMDB maps it.
    assert_int_equal (cf_keystore_open (dir, "intake", 0, &store), CF_ECORRUPT);
    assert_null (store);
    free (all);
    cf_test_rmtree (dir);
    free (dir);
}

//  In a child: opens the store in `dir` and reads every resident of
//  `list`; exits with -rc of the open (0 when it opened and every read
//  answered). A fault kills the child instead.
static int
s_open_in_child (const char *dir, const s_resident_t *list, size_t count)
{
    fflush (NULL);
    pid_t pid = fork ();
    assert_true (pid >= 0);
    if (pid == 0) {
        cf_keystore_t *store = NULL;
        int rc = cf_keystore_open (dir, "intake", 0, &store);
        if (rc == 0) {
            for (size_t i = 0; i < count; i++) {
                uint8_t key [CF_SEAL_KEY_BYTES];
                char subject [CF_SEAL_ID_SIZE];
                int read = cf_keystore_get_key (store, list [i].key_id, key, subject);
                if (read != 0 && read != CF_ENOTFOUND && read != CF_ECORRUPT)
                    _exit (100);
            }
            size_t keys;
            cf_keystore_counts (store, &keys, NULL, NULL);
            cf_keystore_destroy (&store);
        }
        _exit (-rc);
    }
    int status = 0;
    assert_int_equal (waitpid (pid, &status, 0), pid);
    if (WIFSIGNALED (status))
        fail_msg ("opening the store in %s killed the child with signal %d (%s)", dir,
                  WTERMSIG (status), strsignal (WTERMSIG (status)));
    assert_true (WIFEXITED (status));
    return -WEXITSTATUS (status);
}

//  Copies `from`/data.mdb to a fresh `to`/data.mdb cut to `size` bytes.
static void
s_copy_cut (const char *from, const char *to, size_t size)
{
    char path [4096];
    snprintf (path, sizeof path, "%s/data.mdb", from);
    size_t total = 0;
    char *data = cf_test_read_file (path, &total);
    assert_non_null (data);
    assert_true (size <= total);
    cf_test_rmtree (to);
    assert_int_equal (mkdir (to, 0700), 0);
    snprintf (path, sizeof path, "%s/data.mdb", to);
    FILE *file = fopen (path, "wb");
    assert_non_null (file);
    assert_int_equal (fwrite (data, 1, size, file), size);
    fclose (file);
    free (data);
}

static void
test_truncated (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("keystore-whole");
    cf_keystore_t *store = s_open (dir, "intake");
    s_resident_t *all = calloc (S_MANY, sizeof *all);
    assert_non_null (all);
    for (size_t i = 0; i < S_MANY; i++) {
        s_resident_new (&all [i]);
        s_resident_put (store, &all [i]);
        if (i % 100 == 99)
            assert_int_equal (cf_keystore_commit (store), 0);
    }
    assert_int_equal (cf_keystore_commit (store), 0);
    cf_keystore_destroy (&store);
    char path [4096];
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    struct stat info;
    assert_int_equal (stat (path, &info), 0);
    size_t whole = (size_t) info.st_size;
    assert_true (whole > 200 * 1024);

    char *cut = cf_test_tmpdir ("keystore-cut");
    //  The whole copy opens and reads (the control).
    s_copy_cut (dir, cut, whole);
    assert_int_equal (s_open_in_child (cut, all, S_MANY), 0);
    //  Cut by 20 KiB, by half, by one byte, into its meta pages, to one
    //  byte, to nothing.
    const size_t sizes [] = { whole - 20 * 1024, whole / 2, whole - 1, 6000, 4096, 1, 0 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes [0]; i++) {
        s_copy_cut (dir, cut, sizes [i]);
        int rc = s_open_in_child (cut, all, S_MANY);
        if (rc != CF_ECORRUPT)
            fail_msg ("data.mdb cut to %zu of %zu bytes: %s, not CF_ECORRUPT", sizes [i], whole,
                      cf_strerror (rc));
        //  Refused again: nothing was repaired or made afresh.
        assert_int_equal (s_open_in_child (cut, all, S_MANY), CF_ECORRUPT);
    }
    free (all);
    cf_test_rmtree (cut);
    free (cut);
    cf_test_rmtree (dir);
    free (dir);
}

//  A store made by another program with flags cf_keystore never uses.
static void
test_foreign_tables (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("keystore-foreign");
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    assert_int_equal (mdb_env_create (&env), 0);
    assert_int_equal (mdb_env_set_maxdbs (env, 8), 0);
    assert_int_equal (mdb_env_open (env, dir, 0, 0600), 0);
    assert_int_equal (mdb_txn_begin (env, NULL, 0, &txn), 0);
    assert_int_equal (mdb_dbi_open (txn, "keys", MDB_CREATE | MDB_DUPSORT, &dbi), 0);
    assert_int_equal (mdb_txn_commit (txn), 0);
    mdb_env_close (env);
    cf_keystore_t *store = NULL;
    assert_int_equal (cf_keystore_open (dir, "intake", 0, &store), CF_ECORRUPT);
    assert_null (store);
    cf_test_rmtree (dir);
    free (dir);
}

//  The length data.mdb must have by its newest meta page (LMDB 0.9's
//  layout: two meta pages, each a 16-byte page header and then magic,
//  version, address, map size, two table records of 48 bytes, the first
//  of which starts with the page size, the last page number and the
//  transaction id); its actual length in *size_p.
static uint64_t
s_needed_bytes (const char *dir, uint64_t *size_p)
{
    char path [4096];
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    FILE *file = fopen (path, "rb");
    assert_non_null (file);
    uint8_t meta [2][152];
    assert_int_equal (fread (meta [0], 1, sizeof meta [0], file), sizeof meta [0]);
    uint32_t psize;
    memcpy (&psize, meta [0] + 40, sizeof psize);
    assert_int_equal (fseek (file, (long) psize, SEEK_SET), 0);
    assert_int_equal (fread (meta [1], 1, sizeof meta [1], file), sizeof meta [1]);
    assert_int_equal (fseek (file, 0, SEEK_END), 0);
    *size_p = (uint64_t) ftell (file);
    fclose (file);
    uint64_t last [2], txnid [2];
    for (int m = 0; m < 2; m++) {
        memcpy (&last [m], meta [m] + 136, sizeof last [m]);
        memcpy (&txnid [m], meta [m] + 144, sizeof txnid [m]);
    }
    int newest = txnid [1] > txnid [0];
    assert_true (psize >= 4096 && last [newest] >= 1);
    return (last [newest] + 1) * psize;
}

static void
s_assert_full_length (const char *dir, const char *after)
{
    uint64_t size = 0, needed = s_needed_bytes (dir, &size);
    if (size < needed)
        fail_msg ("after %s data.mdb has %llu bytes, its meta page names %llu", after,
                  (unsigned long long) size, (unsigned long long) needed);
}

//  LMDB does not write a page made and freed in one transaction, which can
//  leave data.mdb shorter than its last page (a raw LMDB run that inserts
//  and deletes the same records in one transaction does it); the length
//  check at open would then refuse a healthy store as truncated. Every
//  commit of cf_keystore leaves the file whole: checked after each one of
//  a mixed run (registrations, keys that sort together, erasures of many
//  keys at once, compactions).
static void
test_full_length_after_every_commit (void **state)
{
    (void) state;
    srand (16);
    char *dir = cf_test_tmpdir ("keystore-length");
    cf_keystore_t *store = s_open (dir, "intake");
    s_assert_full_length (dir, "open");
    int serial = 0;
    for (int round = 0; round < 120; round++) {
        char subject [CF_SEAL_ID_SIZE];
        cf_seal_new_id (subject, 'S');
        int count = 1 + rand () % 200;
        char (*ids) [CF_SEAL_ID_SIZE] = calloc ((size_t) count, sizeof *ids);
        const char **list = calloc ((size_t) count, sizeof *list);
        assert_true (ids && list);
        int base = rand () % 1000;
        for (int i = 0; i < count; i++) {
            snprintf (ids [i], CF_SEAL_ID_SIZE, "K%08d%018d", base, serial++);
            list [i] = ids [i];
            uint8_t key [CF_SEAL_KEY_BYTES], hash [CF_KEYSTORE_HASH_BYTES];
            cf_seal_new_key (key);
            assert_int_equal (cf_keystore_put_key (store, ids [i], subject, key), 0);
            randombytes_buf (hash, sizeof hash);
            if (i < 16)
                assert_int_equal (cf_keystore_put_match (store, hash, subject), 0);
        }
        if (rand () % 2) {
            assert_int_equal (cf_keystore_commit (store), 0);
            s_assert_full_length (dir, "a commit");
        }
        if (rand () % 3) {
            int from = rand () % count;
            assert_int_equal (
                cf_keystore_erase (store, subject, list + from, (size_t) (count - from), 1, NULL),
                0);
            s_assert_full_length (dir, "an erasure");
        }
        if (rand () % 10 == 0) {
            assert_int_equal (cf_keystore_compact (store), 0);
            s_assert_full_length (dir, "a compaction");
        }
        free (ids);
        free (list);
    }
    cf_keystore_destroy (&store);
    cf_test_rmtree (dir);
    free (dir);
}

int
main (void)
{
    cf_log_init ("test_keystore", CF_LOG_ERROR);
    if (sodium_init () < 0)
        return 1;
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_keys),
        cmocka_unit_test (test_matches),
        cmocka_unit_test (test_commit_durability),
        cmocka_unit_test (test_owner_and_format),
        cmocka_unit_test (test_secret),
        cmocka_unit_test (test_erase),
        cmocka_unit_test (test_erase_damaged_records),
        cmocka_unit_test (test_taken_over_hash_after_restart),
        cmocka_unit_test (test_erased_bytes_in_no_file),
        cmocka_unit_test (test_compact_refuses_damage),
        cmocka_unit_test (test_compact_reopen_fails),
        cmocka_unit_test (test_truncated),
        cmocka_unit_test (test_foreign_tables),
        cmocka_unit_test (test_full_length_after_every_commit),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
