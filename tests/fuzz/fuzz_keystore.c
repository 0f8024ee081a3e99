//  fuzz_keystore: a key store's data.mdb as it may come back from a disk or
//  a backup, opened and read by cf_keystore.
//
//  LMDB trusts the pages of its file: a page of random bytes makes it read
//  out of bounds or fail its own asserts, and no check in cf_keystore can
//  stop that short of parsing LMDB's pages itself. So this target does not
//  feed random bytes as data.mdb. What it fuzzes is what cf_keystore does
//  guarantee (cf_keystore.h): a file cut short anywhere is refused
//  (CF_ECORRUPT) before a page is read, and whatever records a store of
//  valid LMDB structure holds (any table, key and value bytes, foreign
//  table flags, a table that is a plain record) are answered with results
//  or errors, never a crash. The input (format in cf_fuzz_fixed.h) is
//  written with raw LMDB, the file cut as it says, then opened and every
//  record read through cf_keystore; on a store that opened, every subject
//  is erased, a resident added, the store compacted and reopened, and the
//  answers are checked against the records written:
//    - a cut file: CF_ECORRUPT; foreign table flags: CF_ECORRUPT; a table
//      made as a plain record: CF_ESTORE; another owner or format:
//      CF_EMISMATCH; anything else opens;
//    - a key, a tombstone reads back as written, or CF_ECORRUPT when its
//      record has the wrong size; every hash of a list the index loads
//      finds a subject whose list holds it; the counts are the records';
//    - after erasing a subject: its tombstone is there, no listed key and
//      no hash of its list finds it;
//    - a compaction succeeds, needs no other, and keeps every count and
//      the resident added; the compacted store opens again with the same
//      keys and tombstones. (Its count of hashes may grow: a hash on two
//      lists, which only a store written behind cf_keystore's back has,
//      finds the other subject again once the index is rebuilt.)
#include "cf_error.h"
#include "cf_fuzz.h"
#include "cf_fuzz_fixed.h"
#include "cf_keystore.h"

#include <errno.h>
#include <lmdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_MAP         ((size_t) 16 << 20)
#define S_MAX_RECORDS 256
#define S_ID          (CF_SEAL_ID_SIZE - 1)

static const char *const s_tables [CF_FUZZ_STORE_TABLES] = { "keys", "subjects", "erased", "meta" };
enum { S_KEYS, S_SUBJECTS, S_ERASED, S_META };

typedef struct {
    int table;
    const uint8_t *key, *value;
    size_t key_size, value_size;
    bool written;  //  LMDB took it
    bool final;    //  no later written record of its table has its key
} s_record_t;

typedef struct {
    size_t cut;
    unsigned shape;
    unsigned dupsort;  //  the tables LMDB made with MDB_DUPSORT
    s_record_t records [S_MAX_RECORDS];
    size_t count;
} s_input_t;

static char s_dir [256];

static void
s_remove_store (void)
{
    char path [512];
    const char *files [] = { "data.mdb", "lock.mdb", "compacting/data.mdb", "compacting/lock.mdb" };
    for (size_t i = 0; i < sizeof files / sizeof files [0]; i++) {
        snprintf (path, sizeof path, "%s/%s", s_dir, files [i]);
        unlink (path);
    }
    snprintf (path, sizeof path, "%s/compacting", s_dir);
    rmdir (path);
}

static void
s_at_exit (void)
{
    s_remove_store ();
    rmdir (s_dir);
}

//  A directory of our own, in memory where there is one (the key store
//  syncs on every commit).
static void
s_make_dir (void)
{
    if (*s_dir)
        return;
    const char *base = access ("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv ("TMPDIR");
    snprintf (s_dir, sizeof s_dir, "%s/cf-fuzz-keystore-XXXXXX", base && *base ? base : "/tmp");
    CF_FUZZ_CHECK (mkdtemp (s_dir), "cannot make a directory");
    atexit (s_at_exit);
}

static void
s_parse (s_input_t *input, const uint8_t *data, size_t size)
{
    memset (input, 0, sizeof *input);
    if (size < 3)
        return;
    input->cut = ((size_t) data [0] | (size_t) data [1] << 8) * CF_FUZZ_STORE_UNIT;
    input->shape = data [2];
    size_t at = 3;
    while (at + 3 <= size && input->count < S_MAX_RECORDS) {
        s_record_t *record = &input->records [input->count];
        record->table = data [at] % CF_FUZZ_STORE_TABLES;
        record->key_size = data [at + 1];
        record->value_size = data [at + 2];
        at += 3;
        if (at + record->key_size + record->value_size > size)
            break;
        record->key = data + at;
        record->value = data + at + record->key_size;
        at += record->key_size + record->value_size;
        input->count++;
    }
}

static bool
s_plain_erased (const s_input_t *input)
{
    return input->shape & (1u << CF_FUZZ_STORE_PLAIN_BIT);
}

//  Writes the records with raw LMDB, lengthens the file to its last page
//  (a raw commit may leave it short: cf_keystore's own commits never do),
//  then cuts it as the input says.
static void
s_write (s_input_t *input)
{
    s_remove_store ();
    MDB_env *env;
    CF_FUZZ_CHECK (mdb_env_create (&env) == 0, "mdb_env_create");
    mdb_env_set_maxdbs (env, 8);
    mdb_env_set_mapsize (env, S_MAP);
    CF_FUZZ_CHECK (mdb_env_open (env, s_dir, MDB_NOSYNC, 0600) == 0, "mdb_env_open");
    MDB_txn *txn;
    CF_FUZZ_CHECK (mdb_txn_begin (env, NULL, 0, &txn) == 0, "mdb_txn_begin");
    MDB_dbi dbi [CF_FUZZ_STORE_TABLES];
    bool open [CF_FUZZ_STORE_TABLES] = { false };
    for (int t = 0; t < CF_FUZZ_STORE_TABLES; t++) {
        if (t == S_ERASED && s_plain_erased (input))
            continue;
        unsigned flags = MDB_CREATE | ((input->shape >> t) & 1 ? MDB_DUPSORT : 0);
        open [t] = mdb_dbi_open (txn, s_tables [t], flags, &dbi [t]) == 0;
        if (open [t] && (flags & MDB_DUPSORT))
            input->dupsort |= 1u << t;
    }
    if (s_plain_erased (input)) {
        MDB_dbi main_dbi;
        MDB_val k = { 6, "erased" }, v = { 4, "junk" };
        CF_FUZZ_CHECK (mdb_dbi_open (txn, NULL, 0, &main_dbi) == 0
                           && mdb_put (txn, main_dbi, &k, &v, 0) == 0,
                       "a plain record in the main table");
    }
    for (size_t i = 0; i < input->count; i++) {
        s_record_t *record = &input->records [i];
        if (!open [record->table])
            continue;
        MDB_val k = { record->key_size, (void *) record->key };
        MDB_val v = { record->value_size, (void *) record->value };
        record->written = mdb_put (txn, dbi [record->table], &k, &v, 0) == 0;
    }
    CF_FUZZ_CHECK (mdb_txn_commit (txn) == 0, "mdb_txn_commit");
    MDB_envinfo info;
    MDB_stat env_stat;
    mdb_env_info (env, &info);
    mdb_env_stat (env, &env_stat);
    off_t needed = (off_t) (info.me_last_pgno + 1) * (off_t) env_stat.ms_psize;
    mdb_env_close (env);

    char path [512];
    snprintf (path, sizeof path, "%s/data.mdb", s_dir);
    struct stat file;
    CF_FUZZ_CHECK (stat (path, &file) == 0, "stat data.mdb");
    if (file.st_size < needed) {
        CF_FUZZ_CHECK (truncate (path, needed) == 0, "lengthening data.mdb");
        file.st_size = needed;
    }
    if (input->cut)
        CF_FUZZ_CHECK (truncate (path, input->cut >= (size_t) file.st_size
                                           ? 0
                                           : file.st_size - (off_t) input->cut)
                           == 0,
                       "cutting data.mdb");
    //  The last written record of each key is the one LMDB keeps.
    for (size_t i = 0; i < input->count; i++) {
        s_record_t *record = &input->records [i];
        record->final = record->written;
        for (size_t j = i + 1; j < input->count && record->final; j++) {
            const s_record_t *later = &input->records [j];
            if (later->written && later->table == record->table
                && later->key_size == record->key_size
                && memcmp (later->key, record->key, record->key_size) == 0)
                record->final = false;
        }
    }
}

//  The value of the final record of `key` in `table`, or NULL.
static const s_record_t *
s_find (const s_input_t *input, int table, const void *key, size_t key_size)
{
    for (size_t i = 0; i < input->count; i++) {
        const s_record_t *record = &input->records [i];
        if (record->final && record->table == table && record->key_size == key_size
            && memcmp (record->key, key, key_size) == 0)
            return record;
    }
    return NULL;
}

static bool
s_meta_is (const s_input_t *input, const char *key, const char *value)
{
    const s_record_t *record = s_find (input, S_META, key, strlen (key));
    return record && record->value_size == strlen (value)
           && memcmp (record->value, value, record->value_size) == 0;
}

//  What cf_keystore_open must answer for this input.
static int
s_expected_open (const s_input_t *input)
{
    if (input->cut)
        return CF_ECORRUPT;
    if (s_plain_erased (input))
        return CF_ESTORE;  //  mdb_dbi_open: MDB_INCOMPATIBLE
    if (input->dupsort)
        return CF_ECORRUPT;
    if (!s_find (input, S_META, "service", 7))
        return 0;  //  stamped now
    if (!s_meta_is (input, "service", "intake") || !s_meta_is (input, "format", "1"))
        return CF_EMISMATCH;
    return 0;
}

//  An id as cf_keystore takes it: 27 bytes without a NUL.
static bool
s_id (const uint8_t *bytes, size_t size, char out [CF_SEAL_ID_SIZE])
{
    if (size != S_ID || memchr (bytes, 0, size))
        return false;
    memcpy (out, bytes, S_ID);
    out [S_ID] = '\0';
    return true;
}

//  True when a list the index loads is `subject`'s and holds a hash with
//  the first 16 bytes of `hash` (the index keys on those).
static bool
s_lists (const s_input_t *input, const char subject [CF_SEAL_ID_SIZE], const uint8_t *hash)
{
    for (size_t i = 0; i < input->count; i++) {
        const s_record_t *list = &input->records [i];
        if (!list->final || list->table != S_SUBJECTS || list->key_size != S_ID
            || list->value_size % CF_KEYSTORE_HASH_BYTES || memcmp (subject, list->key, S_ID))
            continue;
        for (size_t at = 0; at < list->value_size; at += CF_KEYSTORE_HASH_BYTES)
            if (memcmp (list->value + at, hash, 16) == 0)
                return true;
    }
    return false;
}

//  How many distinct hashes (by their first 16 bytes) the loaded lists
//  hold: what the index counts.
static size_t
s_prefixes (const s_input_t *input)
{
    size_t count = 0;
    for (size_t i = 0; i < input->count; i++) {
        const s_record_t *list = &input->records [i];
        if (!list->final || list->table != S_SUBJECTS || list->key_size != S_ID
            || list->value_size % CF_KEYSTORE_HASH_BYTES)
            continue;
        for (size_t at = 0; at < list->value_size; at += CF_KEYSTORE_HASH_BYTES) {
            bool seen = false;
            //  Counted at its first place: earlier in this list, or in an
            //  earlier list.
            for (size_t j = 0; j <= i && !seen; j++) {
                const s_record_t *other = &input->records [j];
                if (!other->final || other->table != S_SUBJECTS || other->key_size != S_ID
                    || other->value_size % CF_KEYSTORE_HASH_BYTES)
                    continue;
                size_t end = j == i ? at : other->value_size;
                for (size_t o = 0; o < end && !seen; o += CF_KEYSTORE_HASH_BYTES)
                    seen = memcmp (other->value + o, list->value + at, 16) == 0;
            }
            count += !seen;
        }
    }
    return count;
}

//  Every record reads back as written, or CF_ECORRUPT for a wrong size.
static void
s_check_reads (cf_keystore_t *store, const s_input_t *input)
{
    size_t keys = 0, erased = 0;
    for (size_t i = 0; i < input->count; i++) {
        const s_record_t *record = &input->records [i];
        if (!record->final)
            continue;
        char id [CF_SEAL_ID_SIZE];
        if (record->table == S_KEYS) {
            keys++;
            if (!s_id (record->key, record->key_size, id))
                continue;
            uint8_t key [CF_SEAL_KEY_BYTES];
            char subject [CF_SEAL_ID_SIZE];
            int rc = cf_keystore_get_key (store, id, key, subject);
            if (record->value_size == S_ID + CF_SEAL_KEY_BYTES)
                CF_FUZZ_CHECK (rc == 0 && memcmp (subject, record->value, S_ID) == 0
                                   && memcmp (key, record->value + S_ID, sizeof key) == 0,
                               "a key does not read back as written");
            else
                CF_FUZZ_CHECK (rc == CF_ECORRUPT, "a key record of the wrong size was read");
        } else if (record->table == S_SUBJECTS) {
            //  The index loads a list under a 27-byte key whose length is
            //  a multiple of a hash's; a hash on two lists finds one of
            //  the two.
            if (record->key_size != S_ID || record->value_size % CF_KEYSTORE_HASH_BYTES)
                continue;
            for (size_t at = 0; at < record->value_size; at += CF_KEYSTORE_HASH_BYTES) {
                char subject [CF_SEAL_ID_SIZE];
                CF_FUZZ_CHECK (cf_keystore_get_match (store, record->value + at, subject) == 0,
                               "a listed hash finds nobody");
                CF_FUZZ_CHECK (s_lists (input, subject, record->value + at),
                               "a hash finds a subject whose list does not hold it");
            }
        } else if (record->table == S_ERASED) {
            erased++;
            if (s_id (record->key, record->key_size, id))
                CF_FUZZ_CHECK (cf_keystore_erased (store, id) == (record->value_size <= 8),
                               "a tombstone reads otherwise than written");
        }
    }
    size_t k = 0, m = 0, e = 0;
    CF_FUZZ_CHECK (cf_keystore_counts (store, &k, &m, &e) == 0, "cf_keystore_counts");
    CF_FUZZ_CHECK (k == keys && m == s_prefixes (input) && e == erased,
                   "counts are not the records'");
}

//  Erases every subject with a list of hashes, listing the keys stored
//  for it, and checks nothing of it is found afterwards.
static void
s_check_erase (cf_keystore_t *store, const s_input_t *input)
{
    for (size_t i = 0; i < input->count; i++) {
        const s_record_t *list = &input->records [i];
        char subject [CF_SEAL_ID_SIZE];
        if (!list->final || list->table != S_SUBJECTS || !s_id (list->key, list->key_size, subject))
            continue;
        const char *ids [S_MAX_RECORDS];
        char storage [S_MAX_RECORDS][CF_SEAL_ID_SIZE];
        size_t count = 0;
        for (size_t j = 0; j < input->count; j++) {
            const s_record_t *key = &input->records [j];
            if (key->final && key->table == S_KEYS && key->value_size >= S_ID
                && memcmp (key->value, subject, S_ID) == 0
                && s_id (key->key, key->key_size, storage [count])) {
                ids [count] = storage [count];
                count++;
            }
        }
        int rc = cf_keystore_erase (store, subject, ids, count, 1, NULL);
        CF_FUZZ_CHECK (rc == 0, "cf_keystore_erase failed on a store that opened");
        CF_FUZZ_CHECK (cf_keystore_erased (store, subject), "no tombstone after an erasure");
        for (size_t j = 0; j < count; j++)
            CF_FUZZ_CHECK (cf_keystore_get_key (store, ids [j], NULL, NULL) == CF_ENOTFOUND,
                           "a listed key survived its erasure");
        for (size_t at = 0; at + CF_KEYSTORE_HASH_BYTES <= list->value_size;
             at += CF_KEYSTORE_HASH_BYTES) {
            char found [CF_SEAL_ID_SIZE];
            int got = cf_keystore_get_match (store, list->value + at, found);
            CF_FUZZ_CHECK (got == CF_ENOTFOUND || (got == 0 && strcmp (found, subject) != 0),
                           "a hash of an erased subject's list still finds it");
        }
    }
}

//  Adds a resident, compacts, reopens: nothing live is lost.
static void
s_check_compact (cf_keystore_t **store_p)
{
    cf_keystore_t *store = *store_p;
    static const char key_id [] = "KZZZZZZZZZZZZZZZZZZZZZZZZZZ";
    static const char subject [] = "SZZZZZZZZZZZZZZZZZZZZZZZZZZ";
    uint8_t key [CF_SEAL_KEY_BYTES], hash [CF_KEYSTORE_HASH_BYTES];
    memset (key, 0x4b, sizeof key);
    memset (hash, 0x48, sizeof hash);
    int put = cf_keystore_put_key (store, key_id, subject, key);
    CF_FUZZ_CHECK (put == 0 || put == CF_EEXIST, "cf_keystore_put_key");
    int match = cf_keystore_put_match (store, hash, subject);
    CF_FUZZ_CHECK (match == 0 || match == CF_ETOOBIG, "cf_keystore_put_match");
    CF_FUZZ_CHECK (cf_keystore_commit (store) == 0, "cf_keystore_commit");
    size_t before [3], after [3];
    CF_FUZZ_CHECK (cf_keystore_counts (store, &before [0], &before [1], &before [2]) == 0,
                   "cf_keystore_counts");
    CF_FUZZ_CHECK (cf_keystore_compact (store) == 0, "a compaction failed");
    CF_FUZZ_CHECK (!cf_keystore_needs_compaction (store), "a compaction left one to do");
    CF_FUZZ_CHECK (cf_keystore_counts (store, &after [0], &after [1], &after [2]) == 0
                       && before [0] == after [0] && before [2] == after [2],
                   "a compaction changed the counts");
    uint8_t read [CF_SEAL_KEY_BYTES];
    if (put == 0)
        CF_FUZZ_CHECK (cf_keystore_get_key (store, key_id, read, NULL) == 0
                           && memcmp (read, key, sizeof key) == 0,
                       "a compaction lost a key");
    cf_keystore_destroy (store_p);
    CF_FUZZ_CHECK (cf_keystore_open (s_dir, "intake", S_MAP, store_p) == 0,
                   "a compacted store does not open");
    CF_FUZZ_CHECK (cf_keystore_counts (*store_p, &after [0], &after [1], &after [2]) == 0
                       && before [0] == after [0] && before [2] == after [2],
                   "a reopened compacted store has other counts");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    cf_fuzz_init ();
    s_make_dir ();
    static s_input_t input;
    s_parse (&input, data, size);
    s_write (&input);
    cf_keystore_t *store = NULL;
    int rc = cf_keystore_open (s_dir, "intake", S_MAP, &store);
    CF_FUZZ_CHECK (rc == s_expected_open (&input), "cf_keystore_open answered unexpectedly");
    CF_FUZZ_CHECK ((rc == 0) == (store != NULL), "a store without success, or none with it");
    if (rc == 0) {
        bool flagged = s_find (&input, S_META, "compact", 7) != NULL;
        CF_FUZZ_CHECK (cf_keystore_needs_compaction (store) == flagged,
                       "the compaction owed is not the one recorded");
        uint8_t secret [32] = { 0 };
        int checked = cf_keystore_check_secret (store, secret, sizeof secret);
        CF_FUZZ_CHECK (checked == 0 || checked == CF_EMISMATCH || checked == CF_ECORRUPT,
                       "cf_keystore_check_secret");
        CF_FUZZ_CHECK (checked == 0 || s_find (&input, S_META, "secret", 6),
                       "a secret refused where none was stored");
        s_check_reads (store, &input);
        s_check_erase (store, &input);
        s_check_compact (&store);
        cf_keystore_destroy (&store);
    }
    s_remove_store ();
    return 0;
}
