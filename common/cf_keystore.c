//  cf_keystore: a service's key store, apart from its journal (see
//  cf_keystore.h): opening it, its records, and letting go of the writes
//  the writer thread has stored. cf_keystore_durable.c makes the records
//  durable, erases and compacts.
#include "cf_keystore_private.h"

#include "cf_error.h"
#include "cf_journal.h"
#include "cf_log.h"
#include "cf_store_file.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_FORMAT      "1"
#define S_DEFAULT_MAP ((size_t) 1 << 30)
#define S_ID          CF_KEYSTORE_ID
#define S_HASH        CF_KEYSTORE_HASH_BYTES
//  A subject keeps at most this many hashes (a BSN and a few names).
#define S_MAX_HASHES 16
#define S_KEYS       CF_KEYSTORE_KEYS
#define S_SUBJECTS   CF_KEYSTORE_SUBJECTS
#define S_ERASED     CF_KEYSTORE_ERASED
#define S_META       CF_KEYSTORE_META
#define S_TABLES     CF_KEYSTORE_TABLES
const char *const cf_keystore_table_names [S_TABLES] = { "keys", "subjects", "erased", "meta" };

//  (Re)builds the index from the `subjects` table as committed.
int
cf_keystore_load_index (cf_keystore_t *self)
{
    cf_keystore_index_free (&self->index);
    if (!self->env)
        return CF_ESTORE;
    MDB_txn *txn;
    int rc = mdb_txn_begin (self->env, NULL, MDB_RDONLY, &txn);
    if (rc)
        return cf_keystore_store_error ("mdb_txn_begin", self->dir, rc);
    MDB_cursor *cursor;
    if ((rc = mdb_cursor_open (txn, self->dbi [S_SUBJECTS], &cursor))) {
        mdb_txn_abort (txn);
        return cf_keystore_store_error ("mdb_cursor_open", self->dir, rc);
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
int
cf_keystore_store_error (const char *call, const char *dir, int rc)
{
    //  A short write (EIO from LMDB) on a full disk is a full disk, and is
    //  logged as one.
    if (rc == EIO && cf_store_file_probe_room (dir, 256 * 1024) == CF_ENOSPACE)
        rc = ENOSPC;
    cf_log_error ("%s: %s (key store %s)", call, mdb_strerror (rc), dir);
    if (rc == MDB_MAP_FULL)
        return CF_ESTOREFULL;
    if (rc == ENOSPC || rc == EDQUOT)
        return CF_ENOSPACE;
    if (rc == MDB_INVALID || rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND)
        return CF_ECORRUPT;
    return CF_ESTORE;
}

bool
cf_keystore_id_ok (const char *id)
{
    return id && strlen (id) == S_ID;
}

//  The write transaction, opened when none is.
int
cf_keystore_write_txn (cf_keystore_t *self, MDB_txn **txn_p)
{
    if (!self->env)
        return CF_ESTORE;  //  closed after a failed reopen (cf_keystore_unusable)
    if (!self->txn) {
        //  The loop's reads go through the write transaction while it is
        //  open; the reader sees the outcome afresh afterwards.
        cf_keystore_reader_drop (self, false);
        int rc = mdb_txn_begin (self->env, NULL, 0, &self->txn);
        if (rc) {
            self->txn = NULL;
            return cf_keystore_store_error ("mdb_txn_begin", self->dir, rc);
        }
    }
    *txn_p = self->txn;
    return 0;
}

//  Reads through the write transaction when one is open (so its writes
//  are seen), else through the loop's reader, begun once and renewed
//  after its snapshot was dropped (cf_keystore_reader_drop): beginning a
//  read transaction for each of a registration's reads cost more than
//  the reads.
static int
s_read (cf_keystore_t *self, MDB_txn **txn_p)
{
    if (self->txn) {
        *txn_p = self->txn;
        return 0;
    }
    if (!self->env)
        return CF_ESTORE;  //  closed after a failed reopen (cf_keystore_unusable)
    int rc = 0;
    if (!self->reader)
        rc = mdb_txn_begin (self->env, NULL, MDB_RDONLY, &self->reader);
    else if (self->reader_reset)
        rc = mdb_txn_renew (self->reader);
    if (rc) {
        if (self->reader)
            mdb_txn_abort (self->reader);
        self->reader = NULL;
        return cf_keystore_store_error ("mdb_txn_begin", self->dir, rc);
    }
    self->reader_reset = false;
    *txn_p = self->reader;
    return 0;
}

void
cf_keystore_reader_drop (cf_keystore_t *self, bool abort)
{
    if (!self->reader)
        return;
    if (abort) {
        mdb_txn_abort (self->reader);
        self->reader = NULL;
    } else if (!self->reader_reset)
        mdb_txn_reset (self->reader);
    self->reader_reset = !abort;
}

int
cf_keystore_record_get (cf_keystore_t *self, int table, const void *key, size_t key_size, void *out,
                        size_t out_size, size_t *size_p)
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
        rc = rc == MDB_NOTFOUND ? CF_ENOTFOUND : cf_keystore_store_error ("mdb_get", self->dir, rc);
    return rc;
}

int
cf_keystore_record_put (cf_keystore_t *self, int table, const void *key, size_t key_size,
                        const void *value, size_t value_size, unsigned flags)
{
    MDB_txn *txn;
    int rc = cf_keystore_write_txn (self, &txn);
    if (rc)
        return rc;
    MDB_val k = { key_size, (void *) key }, v = { value_size, (void *) value };
    rc = mdb_put (txn, self->dbi [table], &k, &v, flags);
    if (rc == MDB_KEYEXIST)
        return CF_EEXIST;
    return rc ? cf_keystore_store_error ("mdb_put", self->dir, rc) : 0;
}

int
cf_keystore_record_del (cf_keystore_t *self, int table, const void *key, size_t key_size)
{
    MDB_txn *txn;
    int rc = cf_keystore_write_txn (self, &txn);
    if (rc)
        return rc;
    MDB_val k = { key_size, (void *) key };
    rc = mdb_del (txn, self->dbi [table], &k, NULL);
    if (rc == MDB_NOTFOUND)
        return CF_ENOTFOUND;
    return rc ? cf_keystore_store_error ("mdb_del", self->dir, rc) : 0;
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
void
cf_keystore_fill_tail (MDB_env *env, const char *dir)
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
        return rc ? cf_keystore_store_error ("mdb_put", self->dir, rc) : 0;
    }
    if (rc)
        return cf_keystore_store_error ("mdb_get", self->dir, rc);
    if (v.mv_size != strlen (self->service) || memcmp (v.mv_data, self->service, v.mv_size)) {
        cf_log_error ("key store %s belongs to service \"%.*s\", not %s", self->dir,
                      (int) (v.mv_size > 64 ? 64 : v.mv_size), (const char *) v.mv_data,
                      self->service);
        return CF_EMISMATCH;
    }
    rc = mdb_get (txn, self->dbi [S_META], &fk, &v);
    if (rc && rc != MDB_NOTFOUND)
        return cf_keystore_store_error ("mdb_get", self->dir, rc);
    if (rc || v.mv_size != fv.mv_size || memcmp (v.mv_data, S_FORMAT, fv.mv_size)) {
        cf_log_error ("key store %s is not of format %s: not opened", self->dir, S_FORMAT);
        return CF_EMISMATCH;
    }
    return 0;
}

int
cf_keystore_open_env (cf_keystore_t *self)
{
    int rc = mdb_env_create (&self->env);
    if (rc)
        return cf_keystore_store_error ("mdb_env_create", self->dir, rc);
    mdb_env_set_maxdbs (self->env, S_TABLES);
    if ((rc = mdb_env_set_mapsize (self->env, self->map_size)))
        return cf_keystore_store_error ("mdb_env_set_mapsize", self->dir, rc);
    //  Checked before LMDB maps it (cf_store_file.h): a file cut short,
    //  to nothing included (LMDB would start an empty one afresh, every key
    //  gone), or with pages that are not pages, is refused, never a fault.
    //  The file is whole after every commit (cf_keystore_fill_tail).
    if ((rc = cf_store_file_check (self->dir, "key store", true)))
        return rc;
    if ((rc = mdb_env_open (self->env, self->dir, MDB_NOTLS, 0600)))
        return cf_keystore_store_error ("mdb_env_open", self->dir, rc);
    cf_store_file_guard (self->env, self->dir);
    int dead;
    mdb_reader_check (self->env, &dead);
    MDB_txn *txn;
    if ((rc = mdb_txn_begin (self->env, NULL, 0, &txn)))
        return cf_keystore_store_error ("mdb_txn_begin", self->dir, rc);
    for (int t = 0; t < S_TABLES && rc == 0; t++)
        rc = mdb_dbi_open (txn, cf_keystore_table_names [t], MDB_CREATE, &self->dbi [t]);
    if (rc) {
        mdb_txn_abort (txn);
        return cf_keystore_store_error ("mdb_dbi_open", self->dir, rc);
    }
    //  Tables are made plain (no sorted duplicates, no integer keys): one
    //  with other flags was not written by this module, and LMDB would
    //  compare and copy its records by rules the code here does not expect.
    for (int t = 0; t < S_TABLES; t++) {
        unsigned flags = 0;
        mdb_dbi_flags (txn, self->dbi [t], &flags);
        if (flags) {
            cf_log_error ("key store %s: table %s has LMDB flags 0x%x it is never made with",
                          self->dir, cf_keystore_table_names [t], flags);
            mdb_txn_abort (txn);
            return CF_ECORRUPT;
        }
    }
    if ((rc = s_stamp (self, txn))) {
        mdb_txn_abort (txn);
        return rc;
    }
    MDB_val ck = { strlen (CF_KEYSTORE_COMPACT), CF_KEYSTORE_COMPACT }, cv;
    self->needs_compaction = mdb_get (txn, self->dbi [S_META], &ck, &cv) == 0;
    if ((rc = mdb_txn_commit (txn)))
        return cf_keystore_store_error ("mdb_txn_commit", self->dir, rc);
    cf_keystore_fill_tail (self->env, self->dir);
    return cf_keystore_load_index (self);
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
    self->open = cf_keystore_pending_new ();
    self->staged = cf_keystore_pending_new ();
    pthread_mutex_init (&self->lock, NULL);
    pthread_cond_init (&self->stored, NULL);
    atomic_init (&self->state, CF_KEYSTORE_IDLE);
    //  One writer per key store (cf_store_lock.h), held through every
    //  reopen of the environment (compaction) until destroy.
    self->writer_lock = cf_store_lock_new (dir, "key store", &rc);
    if (rc == 0)
        rc = cf_keystore_open_env (self);
    if (rc) {
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
    //  Whoever stores staged writes is done with them by now (the
    //  service stops its writer first).
    assert (atomic_load (&self->state) != CF_KEYSTORE_STAGED);
    if (self->txn)
        mdb_txn_abort (self->txn);
    cf_keystore_reader_drop (self, true);
    if (self->env) {
        cf_store_file_unguard (self->env);
        mdb_env_close (self->env);
    }
    cf_keystore_index_free (&self->index);
    cf_keystore_pending_destroy (&self->open);
    cf_keystore_pending_destroy (&self->staged);
    pthread_cond_destroy (&self->stored);
    pthread_mutex_destroy (&self->lock);
    cf_store_lock_destroy (&self->writer_lock);
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
cf_keystore_settle (cf_keystore_t *self)
{
    if (atomic_load (&self->state) != CF_KEYSTORE_STORED)
        return 0;
    pthread_mutex_lock (&self->lock);
    int rc = self->staged_rc;
    self->staged_rc = 0;
    atomic_store (&self->state, CF_KEYSTORE_IDLE);
    pthread_mutex_unlock (&self->lock);
    //  The reader's snapshot may predate the writer's commit.
    cf_keystore_reader_drop (self, false);
    cf_keystore_pending_clear (self->staged);
    if (rc) {
        //  The open batch was decided on top of the failed one and is
        //  refused with it; the index held what was not stored.
        cf_keystore_pending_clear (self->open);
        cf_keystore_load_index (self);
    }
    return rc;
}

//  The record `id` of `table` (keys or subjects) written and not stored
//  yet, the open batch's before the staged one's, or NULL.
static const cf_keystore_pending_write_t *
s_pending (const cf_keystore_t *self, int table, const char *id)
{
    cf_keystore_pending_table_t t =
        table == S_KEYS ? CF_KEYSTORE_PENDING_KEYS : CF_KEYSTORE_PENDING_SUBJECTS;
    const cf_keystore_pending_write_t *write = cf_keystore_pending_find (self->open, t, id);
    return write ? write : cf_keystore_pending_find (self->staged, t, id);
}

//  Reads record `id` of `table` as the loop last wrote it: not stored yet,
//  else stored. Like cf_keystore_record_get otherwise.
static int
s_latest (cf_keystore_t *self, int table, const char *id, void *out, size_t out_size,
          size_t *size_p)
{
    const cf_keystore_pending_write_t *write = s_pending (self, table, id);
    if (!write)
        return cf_keystore_record_get (self, table, id, S_ID, out, out_size, size_p);
    if (write->size > out_size)
        return CF_ECORRUPT;
    if (out && write->size)
        memcpy (out, write->value, write->size);
    if (size_p)
        *size_p = write->size;
    return 0;
}

//  Records a write of record `id` of `table` for the open batch.
static void
s_stage_put (cf_keystore_t *self, int table, const char *id, const void *value, size_t size)
{
    cf_keystore_pending_put (
        self->open, table == S_KEYS ? CF_KEYSTORE_PENDING_KEYS : CF_KEYSTORE_PENDING_SUBJECTS, id,
        value, size);
}

int
cf_keystore_put_key (cf_keystore_t *self, const char *key_id, const char *subject,
                     const uint8_t key [CF_SEAL_KEY_BYTES])
{
    if (!cf_keystore_id_ok (key_id) || !cf_keystore_id_ok (subject))
        return CF_EINVAL;
    cf_keystore_settle (self);
    int rc = s_latest (self, S_KEYS, key_id, NULL, S_ID + CF_SEAL_KEY_BYTES, NULL);
    if (rc == 0 || rc == CF_ECORRUPT)
        return CF_EEXIST;
    if (rc != CF_ENOTFOUND)
        return rc;
    uint8_t record [S_ID + CF_SEAL_KEY_BYTES];
    memcpy (record, subject, S_ID);
    memcpy (record + S_ID, key, CF_SEAL_KEY_BYTES);
    s_stage_put (self, S_KEYS, key_id, record, sizeof record);
    sodium_memzero (record, sizeof record);
    return 0;
}

int
cf_keystore_new_key (cf_keystore_t *self, char kind, char subject [CF_SEAL_ID_SIZE],
                     char key_id [CF_SEAL_ID_SIZE])
{
    uint8_t record [S_ID + CF_SEAL_KEY_BYTES];
    cf_seal_new_subject (record + S_ID, subject, key_id, kind);
    memcpy (record, subject, S_ID);
    cf_keystore_settle (self);
    if (!self->env) {
        sodium_memzero (record, sizeof record);
        return CF_ESTORE;  //  closed after a failed reopen (cf_keystore_unusable)
    }
    //  Not looked up first as cf_keystore_put_key does: an id made now
    //  (the time and 80 random bits) is taken by no other key, and the
    //  store refuses to write over one all the same (cf_keystore_durable.c).
    s_stage_put (self, S_KEYS, key_id, record, sizeof record);
    sodium_memzero (record, sizeof record);
    return 0;
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
    if (!cf_keystore_id_ok (key_id))
        return CF_ENOTFOUND;
    uint8_t record [S_ID + CF_SEAL_KEY_BYTES];
    size_t size = 0;
    int rc = s_latest (self, S_KEYS, key_id, record, sizeof record, &size);
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
//  The list is read whole, whatever its length: a damaged record keeps
//  its other hashes.
static int
s_list_drop (cf_keystore_t *self, const char *subject, const uint8_t *hash)
{
    const void *listed = NULL;
    size_t listed_size = 0;
    MDB_txn *txn = NULL;
    const cf_keystore_pending_write_t *write = s_pending (self, S_SUBJECTS, subject);
    if (write) {
        listed = write->value;
        listed_size = write->size;
    } else {
        int rc = s_read (self, &txn);
        if (rc)
            return rc;
        MDB_val k = { S_ID, (void *) subject }, v;
        if ((rc = mdb_get (txn, self->dbi [S_SUBJECTS], &k, &v)))
            return rc == MDB_NOTFOUND ? 0 : cf_keystore_store_error ("mdb_get", self->dir, rc);
        listed = v.mv_data;
        listed_size = v.mv_size;
    }
    size_t size = 0;
    uint8_t *kept = malloc (listed_size ? listed_size : 1);
    assert (kept);
    for (size_t at = 0; at + S_HASH <= listed_size; at += S_HASH)
        if (memcmp ((const uint8_t *) listed + at, hash, S_HASH)) {
            memcpy (kept + size, (const uint8_t *) listed + at, S_HASH);
            size += S_HASH;
        }
    //  `listed` may be the very record written over here.
    s_stage_put (self, S_SUBJECTS, subject, kept, size);
    sodium_memzero (kept, listed_size);
    free (kept);
    return 0;
}

int
cf_keystore_put_match (cf_keystore_t *self, const uint8_t hash [S_HASH], const char *subject)
{
    if (!cf_keystore_id_ok (subject))
        return CF_EINVAL;
    uint8_t hashes [S_MAX_HASHES * S_HASH];
    size_t size = 0;
    cf_keystore_settle (self);
    int rc = s_latest (self, S_SUBJECTS, subject, hashes, sizeof hashes, &size);
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
        s_stage_put (self, S_SUBJECTS, subject, hashes, size + S_HASH);
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
    return cf_keystore_id_ok (subject)
           && cf_keystore_record_get (self, S_ERASED, subject, S_ID, NULL, 8, NULL) == 0;
}

int
cf_keystore_counts (cf_keystore_t *self, size_t *keys, size_t *matches, size_t *erased)
{
    if (!self->env)
        return CF_ESTORE;
    MDB_txn *txn;
    int rc = mdb_txn_begin (self->env, NULL, MDB_RDONLY, &txn);
    if (rc)
        return cf_keystore_store_error ("mdb_txn_begin", self->dir, rc);
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
