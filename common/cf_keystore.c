//  cf_keystore: a service's key store, apart from its journal (see
//  cf_keystore.h).
#include "cf_keystore.h"

#include "cf_error.h"
#include "cf_journal.h"
#include "cf_keystore_index.h"
#include "cf_log.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <lmdb.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_FORMAT "1"
//  In meta while an erasure's bytes wait for cf_keystore_compact, so a
//  restart in between still compacts.
#define S_COMPACT     "compact"
#define S_DEFAULT_MAP ((size_t) 1 << 30)
#define S_ID          (CF_SEAL_ID_SIZE - 1)  //  an id's bytes, stored without the NUL
#define S_HASH        CF_KEYSTORE_HASH_BYTES
//  A subject keeps at most this many hashes (a BSN and a few names).
#define S_MAX_HASHES 16

enum { S_KEYS, S_SUBJECTS, S_ERASED, S_META, S_TABLES };
static const char *const s_table_names [S_TABLES] = { "keys", "subjects", "erased", "meta" };

struct _cf_keystore_t {
    char *dir;
    char *service;
    size_t map_size;
    MDB_env *env;
    MDB_dbi dbi [S_TABLES];
    MDB_txn *txn;  //  the open write transaction, or NULL
    bool needs_compaction;
    int lost;                   //  a commit failed since the last cf_keystore_commit returned it
    cf_keystore_index_t index;  //  keyed hash -> subject, built from `subjects` at open
    char unusable [600];        //  why env is NULL after a failed reopen ("" while open)
};

static int
s_store_error (const char *call, const char *dir, int rc);

//  (Re)builds the index from the `subjects` table as committed.
static int
s_index_load (cf_keystore_t *self)
{
    cf_keystore_index_free (&self->index);
    if (!self->env)
        return CF_ESTORE;
    MDB_txn *txn;
    int rc = mdb_txn_begin (self->env, NULL, MDB_RDONLY, &txn);
    if (rc)
        return s_store_error ("mdb_txn_begin", self->dir, rc);
    MDB_cursor *cursor;
    if ((rc = mdb_cursor_open (txn, self->dbi [S_SUBJECTS], &cursor))) {
        mdb_txn_abort (txn);
        return s_store_error ("mdb_cursor_open", self->dir, rc);
    }
    MDB_val k, v;
    for (int step = mdb_cursor_get (cursor, &k, &v, MDB_FIRST); step == 0;
         step = mdb_cursor_get (cursor, &k, &v, MDB_NEXT)) {
        if (k.mv_size != CF_SEAL_ID_SIZE - 1 || v.mv_size % CF_KEYSTORE_HASH_BYTES)
            continue;  //  not a record of ours: never trusted
        char subject [CF_SEAL_ID_SIZE];
        memcpy (subject, k.mv_data, k.mv_size);
        subject [k.mv_size] = '\0';
        uint32_t id = cf_keystore_index_id (&self->index, subject);
        for (size_t at = 0; at < v.mv_size; at += CF_KEYSTORE_HASH_BYTES)
            cf_keystore_index_put (&self->index, (const uint8_t *) v.mv_data + at, id);
    }
    mdb_cursor_close (cursor);
    mdb_txn_abort (txn);
    return 0;
}

//  ------------------------------------------------------------ the store

//  Logs a failed LMDB call; a file LMDB finds damaged (not one of its own,
//  a page out of place or missing) is CF_ECORRUPT, the rest CF_ESTORE.
static int
s_store_error (const char *call, const char *dir, int rc)
{
    cf_log_error ("%s: %s (key store %s)", call, mdb_strerror (rc), dir);
    if (rc == MDB_MAP_FULL)
        return CF_ESTOREFULL;
    if (rc == MDB_INVALID || rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND)
        return CF_ECORRUPT;
    return CF_ESTORE;
}

static bool
s_id_ok (const char *id)
{
    return id && strlen (id) == S_ID;
}

//  The write transaction, opened when none is.
static int
s_write (cf_keystore_t *self, MDB_txn **txn_p)
{
    if (!self->env)
        return CF_ESTORE;  //  closed after a failed reopen (cf_keystore_unusable)
    if (!self->txn) {
        int rc = mdb_txn_begin (self->env, NULL, 0, &self->txn);
        if (rc) {
            self->txn = NULL;
            return s_store_error ("mdb_txn_begin", self->dir, rc);
        }
    }
    *txn_p = self->txn;
    return 0;
}

//  Reads through the write transaction when one is open (so its writes
//  are seen), else through a read transaction the caller ends with s_end.
static int
s_read (cf_keystore_t *self, MDB_txn **txn_p)
{
    if (self->txn) {
        *txn_p = self->txn;
        return 0;
    }
    if (!self->env)
        return CF_ESTORE;  //  closed after a failed reopen (cf_keystore_unusable)
    int rc = mdb_txn_begin (self->env, NULL, MDB_RDONLY, txn_p);
    return rc ? s_store_error ("mdb_txn_begin", self->dir, rc) : 0;
}

static void
s_end (cf_keystore_t *self, MDB_txn *txn)
{
    if (txn != self->txn)
        mdb_txn_abort (txn);
}

static int
s_get (cf_keystore_t *self, int table, const void *key, size_t key_size, void *out, size_t out_size,
       size_t *size_p)
{
    MDB_txn *txn;
    int rc = s_read (self, &txn);
    if (rc)
        return rc;
    MDB_val k = { key_size, (void *) key }, v;
    rc = mdb_get (txn, self->dbi [table], &k, &v);
    if (rc == 0) {
        if (v.mv_size > out_size)
            rc = CF_ECORRUPT;
        else {
            if (out)
                memcpy (out, v.mv_data, v.mv_size);
            if (size_p)
                *size_p = v.mv_size;
        }
    } else
        rc = rc == MDB_NOTFOUND ? CF_ENOTFOUND : s_store_error ("mdb_get", self->dir, rc);
    s_end (self, txn);
    return rc;
}

static int
s_put (cf_keystore_t *self, int table, const void *key, size_t key_size, const void *value,
       size_t value_size, unsigned flags)
{
    MDB_txn *txn;
    int rc = s_write (self, &txn);
    if (rc)
        return rc;
    MDB_val k = { key_size, (void *) key }, v = { value_size, (void *) value };
    rc = mdb_put (txn, self->dbi [table], &k, &v, flags);
    if (rc == MDB_KEYEXIST)
        return CF_EEXIST;
    return rc ? s_store_error ("mdb_put", self->dir, rc) : 0;
}

static int
s_del (cf_keystore_t *self, int table, const void *key, size_t key_size)
{
    MDB_txn *txn;
    int rc = s_write (self, &txn);
    if (rc)
        return rc;
    MDB_val k = { key_size, (void *) key };
    rc = mdb_del (txn, self->dbi [table], &k, NULL);
    if (rc == MDB_NOTFOUND)
        return CF_ENOTFOUND;
    return rc ? s_store_error ("mdb_del", self->dir, rc) : 0;
}

//  The size of `dir`/data.mdb, or -1 when there is none.
static long long
s_data_size (const char *dir)
{
    char path [4096];
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    struct stat info;
    return stat (path, &info) ? -1 : (long long) info.st_size;
}

//  The bytes data.mdb must hold: every page up to the last one its newest
//  meta page names.
static uint64_t
s_needed (MDB_env *env)
{
    MDB_envinfo env_info;
    MDB_stat env_stat;
    mdb_env_info (env, &env_info);
    mdb_env_stat (env, &env_stat);
    return ((uint64_t) env_info.me_last_pgno + 1) * env_stat.ms_psize;
}

//  LMDB never writes a page that was made and freed again in the same
//  transaction (a "loose" page), so a commit can leave data.mdb shorter
//  than its last page when that page was the newest: nothing is lost (the
//  page is free), but the length check at open could not tell the file
//  from a cut one. After each commit the file is lengthened to its full
//  size (the free tail reads as zeros) and synced. Only logged when that
//  fails: the commit itself is durable.
static void
s_fill_tail (MDB_env *env, const char *dir)
{
    int fd;
    struct stat info;
    if (mdb_env_get_fd (env, &fd) || fstat (fd, &info))
        return;
    uint64_t needed = s_needed (env);
    if ((uint64_t) info.st_size >= needed)
        return;
    if (ftruncate (fd, (off_t) needed) || fsync (fd))
        cf_log_error ("lengthening %s/data.mdb to %llu bytes: %s (the next start may take it "
                      "for a truncated store)",
                      dir, (unsigned long long) needed, strerror (errno));
}

//  A store whose file is shorter than its last page would fault on the
//  first read past the end: refused before that.
static int
s_check_length (cf_keystore_t *self)
{
    long long size = s_data_size (self->dir);
    uint64_t needed = s_needed (self->env);
    if (size < 0 || (uint64_t) size < needed) {
        cf_log_error ("key store %s is truncated: data.mdb has %lld bytes, its records need "
                      "%llu; restore it from a backup (docs/privacy.md)",
                      self->dir, size, (unsigned long long) needed);
        return CF_ECORRUPT;
    }
    return 0;
}

//  The owner and format: stamped on a fresh store, checked on others
//  (CF_EMISMATCH, logged).
static int
s_stamp (cf_keystore_t *self, MDB_txn *txn)
{
    MDB_val k = { 7, "service" }, v;
    MDB_val fk = { 6, "format" }, fv = { strlen (S_FORMAT), S_FORMAT };
    int rc = mdb_get (txn, self->dbi [S_META], &k, &v);
    if (rc == MDB_NOTFOUND) {
        MDB_val owner = { strlen (self->service), self->service };
        rc = mdb_put (txn, self->dbi [S_META], &k, &owner, 0);
        if (rc == 0)
            rc = mdb_put (txn, self->dbi [S_META], &fk, &fv, 0);
        return rc ? s_store_error ("mdb_put", self->dir, rc) : 0;
    }
    if (rc)
        return s_store_error ("mdb_get", self->dir, rc);
    if (v.mv_size != strlen (self->service) || memcmp (v.mv_data, self->service, v.mv_size)) {
        cf_log_error ("key store %s belongs to service \"%.*s\", not %s", self->dir,
                      (int) (v.mv_size > 64 ? 64 : v.mv_size), (const char *) v.mv_data,
                      self->service);
        return CF_EMISMATCH;
    }
    rc = mdb_get (txn, self->dbi [S_META], &fk, &v);
    if (rc && rc != MDB_NOTFOUND)
        return s_store_error ("mdb_get", self->dir, rc);
    if (rc || v.mv_size != fv.mv_size || memcmp (v.mv_data, S_FORMAT, fv.mv_size)) {
        cf_log_error ("key store %s is not of format %s: not opened", self->dir, S_FORMAT);
        return CF_EMISMATCH;
    }
    return 0;
}

static int
s_open_env (cf_keystore_t *self)
{
    int rc = mdb_env_create (&self->env);
    if (rc)
        return s_store_error ("mdb_env_create", self->dir, rc);
    mdb_env_set_maxdbs (self->env, S_TABLES);
    if ((rc = mdb_env_set_mapsize (self->env, self->map_size)))
        return s_store_error ("mdb_env_set_mapsize", self->dir, rc);
    //  LMDB takes an empty file for a new store and would start it afresh:
    //  a store cut to nothing would come back empty, every key gone.
    if (s_data_size (self->dir) == 0) {
        cf_log_error ("key store %s is truncated: data.mdb is empty; restore it from a backup "
                      "(docs/privacy.md), or remove it if this store never held a key",
                      self->dir);
        return CF_ECORRUPT;
    }
    if ((rc = mdb_env_open (self->env, self->dir, MDB_NOTLS, 0600)))
        return s_store_error ("mdb_env_open", self->dir, rc);
    if ((rc = s_check_length (self)))
        return rc;
    int dead;
    mdb_reader_check (self->env, &dead);
    MDB_txn *txn;
    if ((rc = mdb_txn_begin (self->env, NULL, 0, &txn)))
        return s_store_error ("mdb_txn_begin", self->dir, rc);
    for (int t = 0; t < S_TABLES && rc == 0; t++)
        rc = mdb_dbi_open (txn, s_table_names [t], MDB_CREATE, &self->dbi [t]);
    if (rc) {
        mdb_txn_abort (txn);
        return s_store_error ("mdb_dbi_open", self->dir, rc);
    }
    //  Tables are made plain (no sorted duplicates, no integer keys): one
    //  with other flags was not written by this module, and LMDB would
    //  compare and copy its records by rules the code here does not expect.
    for (int t = 0; t < S_TABLES; t++) {
        unsigned flags = 0;
        mdb_dbi_flags (txn, self->dbi [t], &flags);
        if (flags) {
            cf_log_error ("key store %s: table %s has LMDB flags 0x%x it is never made with",
                          self->dir, s_table_names [t], flags);
            mdb_txn_abort (txn);
            return CF_ECORRUPT;
        }
    }
    if ((rc = s_stamp (self, txn))) {
        mdb_txn_abort (txn);
        return rc;
    }
    MDB_val ck = { strlen (S_COMPACT), S_COMPACT }, cv;
    self->needs_compaction = mdb_get (txn, self->dbi [S_META], &ck, &cv) == 0;
    if ((rc = mdb_txn_commit (txn)))
        return s_store_error ("mdb_txn_commit", self->dir, rc);
    s_fill_tail (self->env, self->dir);
    return s_index_load (self);
}

int
cf_keystore_open (const char *dir, const char *service, size_t map_size, cf_keystore_t **self_p)
{
    *self_p = NULL;
    if (sodium_init () < 0)
        return CF_ESTORE;
    int rc = cf_journal_make_dir (dir);
    if (rc)
        return rc;
    cf_keystore_t *self = calloc (1, sizeof *self);
    assert (self);
    self->dir = strdup (dir);
    self->service = strdup (service);
    assert (self->dir && self->service);
    self->map_size = map_size ? map_size : S_DEFAULT_MAP;
    if ((rc = s_open_env (self))) {
        cf_keystore_destroy (&self);
        return rc;
    }
    *self_p = self;
    return 0;
}

void
cf_keystore_destroy (cf_keystore_t **self_p)
{
    cf_keystore_t *self = *self_p;
    if (!self)
        return;
    if (self->txn)
        mdb_txn_abort (self->txn);
    if (self->env)
        mdb_env_close (self->env);
    cf_keystore_index_free (&self->index);
    free (self->dir);
    free (self->service);
    free (self);
    *self_p = NULL;
}

const char *
cf_keystore_dir (const cf_keystore_t *self)
{
    return self->dir;
}

void
cf_keystore_default_dir (const char *data_dir, char *out, size_t size)
{
    size_t length = strlen (data_dir);
    while (length > 1 && data_dir [length - 1] == '/')
        length--;
    snprintf (out, size, "%.*s-keys", (int) length, data_dir);
}

int
cf_keystore_put_key (cf_keystore_t *self, const char *key_id, const char *subject,
                     const uint8_t key [CF_SEAL_KEY_BYTES])
{
    if (!s_id_ok (key_id) || !s_id_ok (subject))
        return CF_EINVAL;
    uint8_t record [S_ID + CF_SEAL_KEY_BYTES];
    memcpy (record, subject, S_ID);
    memcpy (record + S_ID, key, CF_SEAL_KEY_BYTES);
    int rc = s_put (self, S_KEYS, key_id, S_ID, record, sizeof record, MDB_NOOVERWRITE);
    sodium_memzero (record, sizeof record);
    return rc;
}

int
cf_keystore_new_key (cf_keystore_t *self, char kind, char subject [CF_SEAL_ID_SIZE],
                     char key_id [CF_SEAL_ID_SIZE])
{
    uint8_t key [CF_SEAL_KEY_BYTES];
    cf_seal_new_key (key);
    cf_seal_new_id (subject, 'S');
    cf_seal_new_id (key_id, kind);
    int rc = cf_keystore_put_key (self, key_id, subject, key);
    sodium_memzero (key, sizeof key);
    return rc;
}

int
cf_keystore_seal (cf_keystore_t *self, const char *key_id, const char *field,
                  const Caseflow__V1__Personal *personal, cf_sealed_t *out)
{
    memset (out, 0, sizeof *out);
    uint8_t key [CF_SEAL_KEY_BYTES];
    int rc = cf_keystore_get_key (self, key_id, key, NULL);
    if (rc == 0)
        rc = cf_seal (out, key, key_id, field, personal);
    sodium_memzero (key, sizeof key);
    return rc;
}

int
cf_keystore_get_key (cf_keystore_t *self, const char *key_id, uint8_t key [CF_SEAL_KEY_BYTES],
                     char subject [CF_SEAL_ID_SIZE])
{
    if (!s_id_ok (key_id))
        return CF_ENOTFOUND;
    uint8_t record [S_ID + CF_SEAL_KEY_BYTES];
    size_t size = 0;
    int rc = s_get (self, S_KEYS, key_id, S_ID, record, sizeof record, &size);
    if (rc == 0 && size != sizeof record)
        rc = CF_ECORRUPT;
    if (rc == 0) {
        if (subject) {
            memcpy (subject, record, S_ID);
            subject [S_ID] = '\0';
        }
        if (key)
            memcpy (key, record + S_ID, CF_SEAL_KEY_BYTES);
    }
    sodium_memzero (record, sizeof record);
    return rc;
}

//  Takes `hash` off the list of `subject` (the list may end up empty).
static int
s_list_drop (cf_keystore_t *self, const char *subject, const uint8_t *hash)
{
    MDB_txn *txn;
    int rc = s_write (self, &txn);
    if (rc)
        return rc;
    MDB_val k = { S_ID, (void *) subject }, v;
    if ((rc = mdb_get (txn, self->dbi [S_SUBJECTS], &k, &v)))
        return rc == MDB_NOTFOUND ? 0 : s_store_error ("mdb_get", self->dir, rc);
    size_t listed = v.mv_size, size = 0;
    uint8_t *kept = malloc (listed ? listed : 1);
    assert (kept);
    for (size_t at = 0; at + S_HASH <= listed; at += S_HASH)
        if (memcmp ((const uint8_t *) v.mv_data + at, hash, S_HASH)) {
            memcpy (kept + size, (const uint8_t *) v.mv_data + at, S_HASH);
            size += S_HASH;
        }
    rc = s_put (self, S_SUBJECTS, subject, S_ID, kept, size, 0);
    sodium_memzero (kept, listed);
    free (kept);
    return rc;
}

int
cf_keystore_put_match (cf_keystore_t *self, const uint8_t hash [S_HASH], const char *subject)
{
    if (!s_id_ok (subject))
        return CF_EINVAL;
    uint8_t hashes [S_MAX_HASHES * S_HASH];
    size_t size = 0;
    int rc = s_get (self, S_SUBJECTS, subject, S_ID, hashes, sizeof hashes, &size);
    if (rc && rc != CF_ENOTFOUND)
        return rc;
    bool known = false;
    for (size_t at = 0; at + S_HASH <= size; at += S_HASH)
        known |= memcmp (hashes + at, hash, S_HASH) == 0;
    rc = 0;
    //  A match erasure would not find is never made.
    if (!known && size + S_HASH > sizeof hashes)
        rc = CF_ETOOBIG;
    else if (!known) {
        memcpy (hashes + size, hash, S_HASH);
        rc = s_put (self, S_SUBJECTS, subject, S_ID, hashes, size + S_HASH, 0);
    }
    sodium_memzero (hashes, sizeof hashes);
    //  A hash that found another subject moves off that subject's list: a
    //  hash is on one list only, so the index built at the next open finds
    //  whom it finds now, and erasing either subject leaves the other's
    //  hashes as they are.
    const char *found = rc ? NULL : cf_keystore_index_find (&self->index, hash);
    if (found && strcmp (found, subject) != 0) {
        char other [CF_SEAL_ID_SIZE];
        memcpy (other, found, sizeof other);
        rc = s_list_drop (self, other, hash);
    }
    if (rc == 0)
        cf_keystore_index_put (&self->index, hash, cf_keystore_index_id (&self->index, subject));
    return rc;
}

int
cf_keystore_get_match (cf_keystore_t *self, const uint8_t hash [S_HASH],
                       char subject [CF_SEAL_ID_SIZE])
{
    const char *found = cf_keystore_index_find (&self->index, hash);
    if (!found)
        return CF_ENOTFOUND;
    memcpy (subject, found, CF_SEAL_ID_SIZE);
    return 0;
}

bool
cf_keystore_erased (cf_keystore_t *self, const char *subject)
{
    return s_id_ok (subject) && s_get (self, S_ERASED, subject, S_ID, NULL, 8, NULL) == 0;
}

int
cf_keystore_commit (cf_keystore_t *self)
{
    //  Writes lost by a commit made in the middle of a batch (an adoption,
    //  an erasure) were also that batch's keys: the batch must fail too,
    //  or its events would be sealed under keys on no disk.
    if (!self->txn) {
        int lost = self->lost;
        self->lost = 0;
        return lost;
    }
    int rc = mdb_txn_commit (self->txn);
    self->txn = NULL;
    if (rc) {
        rc = s_store_error ("mdb_txn_commit", self->dir, rc);
        self->lost = rc;
        //  The index held what was not stored: back to what is.
        s_index_load (self);
    } else
        s_fill_tail (self->env, self->dir);
    return rc;
}

bool
cf_keystore_pending (const cf_keystore_t *self)
{
    return self->txn != NULL;
}

//  Deletes those of the keys `key_ids` that are here, whatever their
//  records hold; counts them in *destroyed_p.
static int
s_erase_keys (cf_keystore_t *self, const char *const *key_ids, size_t key_count,
              size_t *destroyed_p)
{
    for (size_t i = 0; i < key_count; i++) {
        if (!s_id_ok (key_ids [i]))
            continue;
        int rc = s_del (self, S_KEYS, key_ids [i], S_ID);
        if (rc == 0)
            (*destroyed_p)++;
        else if (rc != CF_ENOTFOUND)
            return rc;
    }
    return 0;
}

//  Takes every hash on `subject`'s list that still finds it out of the
//  index, then deletes the list; *deleted_p when there was one. The list
//  is read whole, whatever its length: a damaged record keeps no hash.
static int
s_erase_hashes (cf_keystore_t *self, const char *subject, bool *deleted_p)
{
    MDB_txn *txn;
    int rc = s_write (self, &txn);
    if (rc)
        return rc;
    MDB_val k = { S_ID, (void *) subject }, v;
    if ((rc = mdb_get (txn, self->dbi [S_SUBJECTS], &k, &v)))
        return rc == MDB_NOTFOUND ? 0 : s_store_error ("mdb_get", self->dir, rc);
    //  A hash now finding another subject (a later registration took it
    //  over) stays theirs.
    for (size_t at = 0; at + S_HASH <= v.mv_size; at += S_HASH)
        cf_keystore_index_remove (&self->index, (const uint8_t *) v.mv_data + at, subject);
    if ((rc = s_del (self, S_SUBJECTS, subject, S_ID)) == 0)
        *deleted_p = true;
    return rc;
}

int
cf_keystore_erase (cf_keystore_t *self, const char *subject, const char *const *key_ids,
                   size_t key_count, int64_t at, size_t *destroyed_p)
{
    size_t destroyed = 0;  //  keys
    bool deleted = false;  //  a list of hashes, so bytes to compact away
    if (destroyed_p)
        *destroyed_p = 0;
    if (!s_id_ok (subject))
        return CF_EINVAL;
    int rc = cf_keystore_commit (self);
    if (rc == 0)
        rc = s_erase_keys (self, key_ids, key_count, &destroyed);
    if (rc == 0)
        rc = s_erase_hashes (self, subject, &deleted);
    if (rc == 0 && !cf_keystore_erased (self, subject)) {
        uint8_t when [8];
        for (int b = 0; b < 8; b++)
            when [b] = (uint8_t) ((uint64_t) at >> (8 * b));
        rc = s_put (self, S_ERASED, subject, S_ID, when, sizeof when, 0);
    }
    if (rc == 0 && (destroyed || deleted))
        rc = s_put (self, S_META, S_COMPACT, strlen (S_COMPACT), "1", 1, 0);
    if (rc == 0)
        rc = cf_keystore_commit (self);
    else if (self->txn) {
        mdb_txn_abort (self->txn);
        self->txn = NULL;
        s_index_load (self);
    }
    if (rc == 0 && (destroyed || deleted))
        self->needs_compaction = true;
    if (destroyed_p)
        *destroyed_p = rc == 0 ? destroyed : 0;
    return rc;
}

bool
cf_keystore_needs_compaction (const cf_keystore_t *self)
{
    return self->needs_compaction;
}

//  Copies every live record into the fresh environment `to`, table by
//  table, in key order.
static int
s_copy_live (cf_keystore_t *self, MDB_env *to)
{
    MDB_txn *from_txn, *to_txn;
    int rc = mdb_txn_begin (self->env, NULL, MDB_RDONLY, &from_txn);
    if (rc)
        return s_store_error ("mdb_txn_begin", self->dir, rc);
    if ((rc = mdb_txn_begin (to, NULL, 0, &to_txn))) {
        mdb_txn_abort (from_txn);
        return s_store_error ("mdb_txn_begin", self->dir, rc);
    }
    for (int t = 0; t < S_TABLES && rc == 0; t++) {
        MDB_dbi to_dbi;
        MDB_cursor *cursor;
        if ((rc = mdb_dbi_open (to_txn, s_table_names [t], MDB_CREATE, &to_dbi)))
            break;
        if ((rc = mdb_cursor_open (from_txn, self->dbi [t], &cursor)))
            break;
        MDB_val k, v;
        int step = mdb_cursor_get (cursor, &k, &v, MDB_FIRST);
        for (; step == 0 && rc == 0; step = mdb_cursor_get (cursor, &k, &v, MDB_NEXT))
            //  The fresh file needs no compaction.
            if (t != S_META || k.mv_size != strlen (S_COMPACT)
                || memcmp (k.mv_data, S_COMPACT, k.mv_size))
                rc = mdb_put (to_txn, to_dbi, &k, &v, MDB_APPEND);
        //  A walk cut short by a damaged page is a failed copy, never a
        //  smaller store: the fresh file would replace the old one and
        //  every record past the damage would be gone.
        if (rc == 0 && step != MDB_NOTFOUND)
            rc = step;
        mdb_cursor_close (cursor);
    }
    mdb_txn_abort (from_txn);
    if (rc) {
        mdb_txn_abort (to_txn);
        return s_store_error ("copying the key store", self->dir, rc);
    }
    if ((rc = mdb_txn_commit (to_txn)))
        return s_store_error ("mdb_txn_commit", self->dir, rc);
    return 0;
}

static void
s_sync_dir (const char *dir)
{
    int fd = open (dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync (fd);
        close (fd);
    }
}

//  Opens the environment again after a compaction replaced its file. One
//  that does not open is closed, never left half-open: every call then
//  fails with CF_ESTORE and cf_keystore_unusable says why, until a later
//  cf_keystore_compact opens it.
static int
s_reopen (cf_keystore_t *self)
{
    int rc = s_open_env (self);
    if (rc == 0) {
        if (*self->unusable)
            cf_log_info ("key store %s is open again", self->dir);
        self->unusable [0] = '\0';
        return 0;
    }
    if (self->env)
        mdb_env_close (self->env);
    self->env = NULL;
    cf_keystore_index_free (&self->index);
    snprintf (self->unusable, sizeof self->unusable,
              "the key store %s did not open again after its compaction (%s): no key can be "
              "read or written until it does; it is tried again, and a restart opens it when "
              "it can be opened at all",
              self->dir, cf_strerror (rc));
    cf_log_error ("%s", self->unusable);
    return rc;
}

const char *
cf_keystore_unusable (const cf_keystore_t *self)
{
    return self->env ? NULL : self->unusable;
}

int
cf_keystore_compact (cf_keystore_t *self)
{
    //  Closed after a failed reopen: open it first; its file may be the
    //  compacted one already.
    if (!self->env) {
        int rc = s_reopen (self);
        if (rc || !self->needs_compaction)
            return rc;
    }
    int rc = cf_keystore_commit (self);
    if (rc)
        return rc;
    char fresh_dir [4096], fresh_data [4200], fresh_lock [4200], data [4200];
    snprintf (fresh_dir, sizeof fresh_dir, "%s/compacting", self->dir);
    snprintf (fresh_data, sizeof fresh_data, "%s/data.mdb", fresh_dir);
    snprintf (fresh_lock, sizeof fresh_lock, "%s/lock.mdb", fresh_dir);
    snprintf (data, sizeof data, "%s/data.mdb", self->dir);
    unlink (fresh_data);
    unlink (fresh_lock);
    if (mkdir (fresh_dir, 0700) && errno != EEXIST) {
        cf_log_error ("mkdir %s: %s", fresh_dir, strerror (errno));
        return CF_EIO;
    }
    MDB_env *fresh;
    if ((rc = mdb_env_create (&fresh)))
        return s_store_error ("mdb_env_create", fresh_dir, rc);
    mdb_env_set_maxdbs (fresh, S_TABLES);
    mdb_env_set_mapsize (fresh, self->map_size);
    if ((rc = mdb_env_open (fresh, fresh_dir, MDB_NOTLS, 0600)))
        rc = s_store_error ("mdb_env_open", fresh_dir, rc);
    else if ((rc = s_copy_live (self, fresh)) == 0)
        s_fill_tail (fresh, fresh_dir);
    if (rc == 0 && mdb_env_sync (fresh, 1))
        rc = CF_EIO;
    mdb_env_close (fresh);
    if (rc) {
        unlink (fresh_data);
        unlink (fresh_lock);
        rmdir (fresh_dir);
        return rc;
    }
    //  The fresh file takes the old one's place; the old one's blocks go
    //  back to the file system with the last descriptor, ours.
    mdb_env_close (self->env);
    self->env = NULL;
    if (rename (fresh_data, data)) {
        cf_log_error ("rename %s: %s", fresh_data, strerror (errno));
        rc = CF_EIO;
    }
    unlink (fresh_lock);
    rmdir (fresh_dir);
    s_sync_dir (self->dir);
    int reopen = s_reopen (self);
    if (rc == 0 && reopen == 0)
        self->needs_compaction = false;
    return rc ? rc : reopen;
}

int
cf_keystore_check_secret (cf_keystore_t *self, const uint8_t *secret, size_t size)
{
    uint8_t fingerprint [32];
    crypto_generichash (fingerprint, sizeof fingerprint, (const uint8_t *) "caseflow secret", 15,
                        secret, size);
    uint8_t stored [32];
    size_t stored_size = 0;
    int rc = s_get (self, S_META, "secret", 6, stored, sizeof stored, &stored_size);
    if (rc == CF_ENOTFOUND) {
        rc = s_put (self, S_META, "secret", 6, fingerprint, sizeof fingerprint, 0);
        return rc ? rc : cf_keystore_commit (self);
    }
    if (rc)
        return rc;
    if (stored_size != sizeof fingerprint || memcmp (stored, fingerprint, sizeof fingerprint)) {
        cf_log_error ("key store %s was made with another matching secret: residents would "
                      "not be found again; start with the secret it was made with",
                      self->dir);
        return CF_EMISMATCH;
    }
    return 0;
}

int
cf_keystore_counts (cf_keystore_t *self, size_t *keys, size_t *matches, size_t *erased)
{
    if (!self->env)
        return CF_ESTORE;
    MDB_txn *txn;
    int rc = mdb_txn_begin (self->env, NULL, MDB_RDONLY, &txn);
    if (rc)
        return s_store_error ("mdb_txn_begin", self->dir, rc);
    MDB_stat st;
    if (keys)
        *keys = mdb_stat (txn, self->dbi [S_KEYS], &st) == 0 ? st.ms_entries : 0;
    if (erased)
        *erased = mdb_stat (txn, self->dbi [S_ERASED], &st) == 0 ? st.ms_entries : 0;
    if (matches)
        *matches = self->index.live;
    mdb_txn_abort (txn);
    return 0;
}
