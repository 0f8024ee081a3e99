//  cf_keystore_durable: making a key store's writes durable, erasing and
//  compacting (see cf_keystore.h, cf_keystore_private.h).
//
//  Where a batch's writes are stored. Until they were, the loop thread
//  committed them itself as the batch went to the journal writer: one
//  synced LMDB commit per batch on the loop, which waited for its
//  fsyncs and decided nothing meanwhile (and spent about 5% of its CPU
//  on the commit's page writes, docs/performance.md). Now the loop only
//  records them (cf_keystore_pending.h) and cf_keystore_stage hands the
//  set over with the batch; the journal writer thread, before it begins
//  the batch's journal transaction, stores the set in one transaction of
//  the key store's environment and commits it synced
//  (cf_keystore_store_staged). A journal batch is therefore never durable
//  before the key store writes it depends on: the writer commits the key
//  store first, and a failure there fails the batch, which is refused as
//  a failed journal commit is. The loop reads its own writes from the two
//  sets (the open batch's, the staged batch's) until they are stored; the
//  writer thread only reads the staged set, which the loop no longer
//  changes, so the two threads share nothing they both write but the
//  staged set's state (under `lock`).
//
//  Erasure and compaction stay on the loop, after the batch that records
//  the erasure is durable (from the services' after-commit hooks, and at
//  start), and first wait for the staged set to be stored and store the
//  open one (cf_keystore_commit). Routing them through the writer would
//  save nothing that matters (erasures are rare) and would need the key
//  store to be able to delete, count what it destroyed and close and
//  reopen its environment from another thread while the loop reads it;
//  waiting instead keeps every LMDB write transaction on one thread at a
//  time, in the order the loop made the writes: a key registered in the
//  staged batch is stored before an erasure of its subject can delete it,
//  and a compaction never copies a store the writer is changing. The wait
//  is at most one commit of the key store.
//
//  Not chosen: opening the key store MDB_NOSYNC, committing on the loop
//  as before and having the writer thread call mdb_env_sync before the
//  journal commit. It is less code, but the loop would still make the
//  key store's B-tree and page writes, and it is not safe against a power
//  cut: without its own syncs LMDB may get the new meta page onto the
//  disk before the pages it points to (LMDB keeps only atomicity, not
//  integrity, under MDB_NOSYNC unless the file system keeps the order of
//  writes), and a key store that opens onto missing pages loses keys.
//
//  Adoptions of transit keys (intake) and the secret's fingerprint made
//  at the first start are stored the same way at once: they come with no
//  journal batch.
#include "cf_keystore_private.h"

#include "cf_error.h"
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

//  ------------------------------------------------------ storing writes

//  Puts every write of `writes` in `txn`. A key's id is never written
//  twice (cf_keystore_put_key checks): finding it taken is a store error.
static int
s_apply (cf_keystore_t *self, MDB_txn *txn, const cf_keystore_pending_t *writes)
{
    for (size_t i = 0; i < cf_keystore_pending_count (writes); i++) {
        const cf_keystore_pending_write_t *write = cf_keystore_pending_at (writes, i);
        bool key = write->table == CF_KEYSTORE_PENDING_KEYS;
        MDB_val k = { CF_KEYSTORE_ID, (void *) write->id }, v = { write->size, write->value };
        int rc = mdb_put (txn, self->dbi [key ? CF_KEYSTORE_KEYS : CF_KEYSTORE_SUBJECTS], &k, &v,
                          key ? MDB_NOOVERWRITE : 0);
        if (rc)
            return cf_keystore_store_error ("mdb_put", self->dir, rc);
    }
    return 0;
}

int
cf_keystore_stage (cf_keystore_t *self)
{
    //  The writer is done with the last set: its batch came back before
    //  this one could go.
    int rc = cf_keystore_settle (self);
    assert (atomic_load (&self->state) == CF_KEYSTORE_IDLE);
    assert (!self->txn);
    //  Writes lost by a commit made in the middle of the batch (an
    //  adoption, an erasure), or by the failed store of the batch before
    //  it, were also this batch's keys: it fails too, or its events would
    //  be sealed under keys on no disk.
    int lost = self->lost;
    self->lost = 0;
    if (rc || lost)
        return rc ? rc : lost;
    if (cf_keystore_pending_count (self->open) == 0)
        return 0;
    cf_keystore_pending_t *staged = self->staged;
    self->staged = self->open;
    self->open = staged;
    //  The writer thread takes the set with the batch, under its own lock.
    atomic_store (&self->state, CF_KEYSTORE_STAGED);
    return 0;
}

int
cf_keystore_store_staged (cf_keystore_t *self)
{
    if (atomic_load (&self->state) != CF_KEYSTORE_STAGED)
        return 0;
    MDB_txn *txn;
    int rc;
    //  Closed after a failed reopen: the loop stages nothing then (every
    //  write is refused), but a batch must not go on if it did.
    if (!self->env)
        rc = CF_ESTORE;
    else if ((rc = mdb_txn_begin (self->env, NULL, 0, &txn)))
        rc = cf_keystore_store_error ("mdb_txn_begin", self->dir, rc);
    else if ((rc = s_apply (self, txn, self->staged)))
        mdb_txn_abort (txn);
    else if ((rc = mdb_txn_commit (txn)))
        rc = cf_keystore_store_error ("mdb_txn_commit", self->dir, rc);
    else
        cf_keystore_fill_tail (self->env, self->dir);
    pthread_mutex_lock (&self->lock);
    self->staged_rc = rc;
    atomic_store (&self->state, CF_KEYSTORE_STORED);
    pthread_cond_broadcast (&self->stored);
    pthread_mutex_unlock (&self->lock);
    return rc;
}

//  Waits until the writer thread has stored the staged set, if there is
//  one, and settles it.
static int
s_wait_stored (cf_keystore_t *self)
{
    pthread_mutex_lock (&self->lock);
    while (atomic_load (&self->state) == CF_KEYSTORE_STAGED)
        pthread_cond_wait (&self->stored, &self->lock);
    pthread_mutex_unlock (&self->lock);
    return cf_keystore_settle (self);
}

int
cf_keystore_commit (cf_keystore_t *self)
{
    int rc = s_wait_stored (self);
    if (rc)
        return rc;
    if (!self->txn && cf_keystore_pending_count (self->open) == 0) {
        //  Writes lost by a commit made in the middle of a batch (see
        //  cf_keystore_stage) fail the batch's own commit.
        int lost = self->lost;
        self->lost = 0;
        return lost;
    }
    MDB_txn *txn;
    rc = cf_keystore_write_txn (self, &txn);
    if (rc == 0)
        rc = s_apply (self, txn, self->open);
    if (rc == 0) {
        rc = mdb_txn_commit (txn);
        self->txn = NULL;
        if (rc)
            rc = cf_keystore_store_error ("mdb_txn_commit", self->dir, rc);
    } else if (self->txn) {
        mdb_txn_abort (self->txn);
        self->txn = NULL;
    }
    cf_keystore_pending_clear (self->open);
    if (rc) {
        self->lost = rc;
        //  The index held what was not stored: back to what is.
        cf_keystore_load_index (self);
    } else
        cf_keystore_fill_tail (self->env, self->dir);
    return rc;
}

bool
cf_keystore_pending (const cf_keystore_t *self)
{
    cf_keystore_t *mutable = (cf_keystore_t *) self;  //  an atomic read only
    return self->txn || cf_keystore_pending_count (self->open)
           || atomic_load (&mutable->state) == CF_KEYSTORE_STAGED;
}

int
cf_keystore_check_secret (cf_keystore_t *self, const uint8_t *secret, size_t size)
{
    uint8_t fingerprint [32];
    crypto_generichash (fingerprint, sizeof fingerprint, (const uint8_t *) "caseflow secret", 15,
                        secret, size);
    uint8_t stored [32];
    size_t stored_size = 0;
    int rc = cf_keystore_record_get (self, CF_KEYSTORE_META, "secret", 6, stored, sizeof stored,
                                     &stored_size);
    if (rc == CF_ENOTFOUND) {
        rc = cf_keystore_record_put (self, CF_KEYSTORE_META, "secret", 6, fingerprint,
                                     sizeof fingerprint, 0);
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

//  ------------------------------------------------------------- erasure

//  Deletes those of the keys `key_ids` that are here, whatever their
//  records hold; counts them in *destroyed_p.
static int
s_erase_keys (cf_keystore_t *self, const char *const *key_ids, size_t key_count,
              size_t *destroyed_p)
{
    for (size_t i = 0; i < key_count; i++) {
        if (!cf_keystore_id_ok (key_ids [i]))
            continue;
        int rc = cf_keystore_record_del (self, CF_KEYSTORE_KEYS, key_ids [i], CF_KEYSTORE_ID);
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
    int rc = cf_keystore_write_txn (self, &txn);
    if (rc)
        return rc;
    MDB_val k = { CF_KEYSTORE_ID, (void *) subject }, v;
    if ((rc = mdb_get (txn, self->dbi [CF_KEYSTORE_SUBJECTS], &k, &v)))
        return rc == MDB_NOTFOUND ? 0 : cf_keystore_store_error ("mdb_get", self->dir, rc);
    //  A hash now finding another subject (a later registration took it
    //  over) stays theirs.
    for (size_t at = 0; at + CF_KEYSTORE_HASH_BYTES <= v.mv_size; at += CF_KEYSTORE_HASH_BYTES)
        cf_keystore_index_remove (&self->index, (const uint8_t *) v.mv_data + at, subject);
    if ((rc = cf_keystore_record_del (self, CF_KEYSTORE_SUBJECTS, subject, CF_KEYSTORE_ID)) == 0)
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
    if (!cf_keystore_id_ok (subject))
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
        rc = cf_keystore_record_put (self, CF_KEYSTORE_ERASED, subject, CF_KEYSTORE_ID, when,
                                     sizeof when, 0);
    }
    if (rc == 0 && (destroyed || deleted))
        rc = cf_keystore_record_put (self, CF_KEYSTORE_META, CF_KEYSTORE_COMPACT,
                                     strlen (CF_KEYSTORE_COMPACT), "1", 1, 0);
    if (rc == 0)
        rc = cf_keystore_commit (self);
    else if (self->txn) {
        mdb_txn_abort (self->txn);
        self->txn = NULL;
        cf_keystore_load_index (self);
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
        return cf_keystore_store_error ("mdb_txn_begin", self->dir, rc);
    if ((rc = mdb_txn_begin (to, NULL, 0, &to_txn))) {
        mdb_txn_abort (from_txn);
        return cf_keystore_store_error ("mdb_txn_begin", self->dir, rc);
    }
    for (int t = 0; t < CF_KEYSTORE_TABLES && rc == 0; t++) {
        MDB_dbi to_dbi;
        MDB_cursor *cursor;
        if ((rc = mdb_dbi_open (to_txn, cf_keystore_table_names [t], MDB_CREATE, &to_dbi)))
            break;
        if ((rc = mdb_cursor_open (from_txn, self->dbi [t], &cursor)))
            break;
        MDB_val k, v;
        int step = mdb_cursor_get (cursor, &k, &v, MDB_FIRST);
        for (; step == 0 && rc == 0; step = mdb_cursor_get (cursor, &k, &v, MDB_NEXT))
            //  The fresh file needs no compaction.
            if (t != CF_KEYSTORE_META || k.mv_size != strlen (CF_KEYSTORE_COMPACT)
                || memcmp (k.mv_data, CF_KEYSTORE_COMPACT, k.mv_size))
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
        return cf_keystore_store_error ("copying the key store", self->dir, rc);
    }
    if ((rc = mdb_txn_commit (to_txn)))
        return cf_keystore_store_error ("mdb_txn_commit", self->dir, rc);
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
    int rc = cf_keystore_open_env (self);
    if (rc == 0) {
        if (*self->unusable)
            cf_log_info ("key store %s is open again", self->dir);
        self->unusable [0] = '\0';
        return 0;
    }
    if (self->env) {
        cf_store_file_unguard (self->env);
        mdb_env_close (self->env);
    }
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
cf_keystore_probe_room (const cf_keystore_t *self, size_t bytes)
{
    return cf_store_file_probe_room (self->dir, bytes);
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
        return cf_keystore_store_error ("mdb_env_create", fresh_dir, rc);
    mdb_env_set_maxdbs (fresh, CF_KEYSTORE_TABLES);
    mdb_env_set_mapsize (fresh, self->map_size);
    if ((rc = mdb_env_open (fresh, fresh_dir, MDB_NOTLS, 0600)))
        rc = cf_keystore_store_error ("mdb_env_open", fresh_dir, rc);
    else if ((rc = s_copy_live (self, fresh)) == 0)
        cf_keystore_fill_tail (fresh, fresh_dir);
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
    cf_keystore_reader_drop (self, true);
    cf_store_file_unguard (self->env);
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
