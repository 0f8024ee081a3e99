//  cf_keystore: a service's key store, apart from its journal (see
//  cf_keystore.h).
#include "cf_keystore.h"

#include "cf_error.h"
#include "cf_journal.h"
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

#define S_FORMAT      "1"
#define S_DEFAULT_MAP ((size_t) 1 << 30)
#define S_ID          (CF_SEAL_ID_SIZE - 1)  //  an id's bytes, stored without the NUL
#define S_HASH        CF_KEYSTORE_HASH_BYTES
//  A subject keeps at most this many hashes (a BSN and a few names).
#define S_MAX_HASHES 16

enum { S_KEYS, S_SUBJECTS, S_ERASED, S_META, S_TABLES };
static const char *const s_table_names [S_TABLES] = { "keys", "subjects", "erased", "meta" };

//  The match index: the first 16 bytes of each keyed hash (128 bits: a
//  chance collision between residents is out of reach) to the subject,
//  open addressing with linear probing. A subject's id is kept once in
//  `ids`; a freed slot is a tombstone so probes go on past it.
#define S_PREFIX  16
#define S_NONE    UINT32_MAX
#define S_DELETED (UINT32_MAX - 1)
typedef struct {
    uint8_t prefix [S_PREFIX];
    uint32_t subject;  //  index into ids, S_NONE (empty) or S_DELETED
} s_slot_t;

typedef struct {
    s_slot_t *slots;
    size_t cap, used, live;  //  cap a power of two; used counts tombstones too
    char (*ids) [CF_SEAL_ID_SIZE];
    size_t id_count, id_cap;
} s_index_t;

struct _cf_keystore_t {
    char *dir;
    char *service;
    size_t map_size;
    MDB_env *env;
    MDB_dbi dbi [S_TABLES];
    MDB_txn *txn;  //  the open write transaction, or NULL
    bool needs_compaction;
    s_index_t index;  //  keyed hash -> subject, built from `subjects` at open
};

//  ------------------------------------------------------ the match index

static uint64_t
s_slot_hash (const uint8_t *prefix)
{
    uint64_t h;
    memcpy (&h, prefix, sizeof h);  //  already a keyed hash: its bytes are uniform
    return h;
}

static void
s_index_free (s_index_t *index)
{
    free (index->slots);
    free (index->ids);
    memset (index, 0, sizeof *index);
}

static void
s_index_put (s_index_t *index, const uint8_t *hash, uint32_t subject);

static void
s_index_grow (s_index_t *index)
{
    s_index_t old = *index;
    index->cap = old.cap ? old.cap * 2 : 1024;
    index->slots = malloc (index->cap * sizeof *index->slots);
    assert (index->slots);
    for (size_t i = 0; i < index->cap; i++)
        index->slots [i].subject = S_NONE;
    index->used = index->live = 0;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots [i].subject < S_DELETED)
            s_index_put (index, old.slots [i].prefix, old.slots [i].subject);
    free (old.slots);
}

//  The slot of `hash`, or of the empty slot where it would go.
static s_slot_t *
s_index_find (const s_index_t *index, const uint8_t *hash, s_slot_t **free_p)
{
    if (free_p)
        *free_p = NULL;
    if (!index->cap)
        return NULL;
    size_t mask = index->cap - 1;
    for (size_t at = s_slot_hash (hash) & mask;; at = (at + 1) & mask) {
        s_slot_t *slot = &index->slots [at];
        if (slot->subject == S_NONE) {
            if (free_p && !*free_p)
                *free_p = slot;
            return NULL;
        }
        if (slot->subject == S_DELETED) {
            if (free_p && !*free_p)
                *free_p = slot;
            continue;
        }
        if (memcmp (slot->prefix, hash, S_PREFIX) == 0)
            return slot;
    }
}

static void
s_index_put (s_index_t *index, const uint8_t *hash, uint32_t subject)
{
    if ((index->used + 1) * 2 > index->cap)
        s_index_grow (index);
    s_slot_t *free_slot;
    s_slot_t *slot = s_index_find (index, hash, &free_slot);
    if (!slot) {
        slot = free_slot;
        if (slot->subject == S_NONE)
            index->used++;
        index->live++;
        memcpy (slot->prefix, hash, S_PREFIX);
    }
    slot->subject = subject;
}

//  The id number of `subject` in the index (added when new).
static uint32_t
s_index_id (s_index_t *index, const char *subject)
{
    //  Subjects are added in the order they were enrolled, so the newest
    //  is almost always the one asked for.
    for (size_t back = 0; back < 4 && back < index->id_count; back++)
        if (memcmp (index->ids [index->id_count - 1 - back], subject, CF_SEAL_ID_SIZE) == 0)
            return (uint32_t) (index->id_count - 1 - back);
    if (index->id_count == index->id_cap) {
        index->id_cap = index->id_cap ? index->id_cap * 2 : 1024;
        index->ids = realloc (index->ids, index->id_cap * sizeof *index->ids);
        assert (index->ids);
    }
    memcpy (index->ids [index->id_count], subject, CF_SEAL_ID_SIZE);
    return (uint32_t) index->id_count++;
}

static void
s_index_remove (s_index_t *index, const uint8_t *hash, const char *subject)
{
    s_slot_t *slot = s_index_find (index, hash, NULL);
    if (slot && strcmp (index->ids [slot->subject], subject) == 0) {
        slot->subject = S_DELETED;
        index->live--;
    }
}

static int
s_store_error (const char *call, const char *dir, int rc);

//  (Re)builds the index from the `subjects` table as committed.
static int
s_index_load (cf_keystore_t *self)
{
    s_index_free (&self->index);
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
        uint32_t id = s_index_id (&self->index, subject);
        for (size_t at = 0; at < v.mv_size; at += CF_KEYSTORE_HASH_BYTES)
            s_index_put (&self->index, (const uint8_t *) v.mv_data + at, id);
    }
    mdb_cursor_close (cursor);
    mdb_txn_abort (txn);
    return 0;
}

//  ------------------------------------------------------------ the store

static int
s_store_error (const char *call, const char *dir, int rc)
{
    cf_log_error ("%s: %s (key store %s)", call, mdb_strerror (rc), dir);
    return rc == MDB_MAP_FULL ? CF_ESTOREFULL : CF_ESTORE;
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

//  A store whose file is shorter than its last page would fault on the
//  first read past the end: refused before that.
static int
s_check_length (cf_keystore_t *self)
{
    char path [4096];
    snprintf (path, sizeof path, "%s/data.mdb", self->dir);
    struct stat info;
    if (stat (path, &info))
        return 0;  //  made by mdb_env_open below
    MDB_envinfo env_info;
    MDB_stat env_stat;
    mdb_env_info (self->env, &env_info);
    mdb_env_stat (self->env, &env_stat);
    uint64_t needed = ((uint64_t) env_info.me_last_pgno + 1) * env_stat.ms_psize;
    if ((uint64_t) info.st_size < needed) {
        cf_log_error ("key store %s is truncated: data.mdb has %lld bytes, its records need "
                      "%llu; restore it from a backup (docs/privacy.md)",
                      self->dir, (long long) info.st_size, (unsigned long long) needed);
        return CF_ECORRUPT;
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
    //  The owner and format: stamped on a fresh store, checked on others.
    MDB_val k = { 7, "service" }, v;
    rc = mdb_get (txn, self->dbi [S_META], &k, &v);
    if (rc == MDB_NOTFOUND) {
        MDB_val owner = { strlen (self->service), self->service };
        MDB_val fk = { 6, "format" }, fv = { strlen (S_FORMAT), S_FORMAT };
        rc = mdb_put (txn, self->dbi [S_META], &k, &owner, 0);
        if (rc == 0)
            rc = mdb_put (txn, self->dbi [S_META], &fk, &fv, 0);
    } else if (rc == 0
               && (v.mv_size != strlen (self->service)
                   || memcmp (v.mv_data, self->service, v.mv_size) != 0)) {
        cf_log_error ("key store %s belongs to service \"%.*s\", not %s", self->dir,
                      (int) (v.mv_size > 64 ? 64 : v.mv_size), (const char *) v.mv_data,
                      self->service);
        mdb_txn_abort (txn);
        return CF_EMISMATCH;
    }
    if (rc) {
        mdb_txn_abort (txn);
        return s_store_error ("mdb_put", self->dir, rc);
    }
    if ((rc = mdb_txn_commit (txn)))
        return s_store_error ("mdb_txn_commit", self->dir, rc);
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
    s_index_free (&self->index);
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
    if (!known && size + S_HASH <= sizeof hashes) {
        memcpy (hashes + size, hash, S_HASH);
        size += S_HASH;
        if ((rc = s_put (self, S_SUBJECTS, subject, S_ID, hashes, size, 0)))
            return rc;
    } else if (!known)
        return 0;  //  enough ways to find this subject already
    s_index_put (&self->index, hash, s_index_id (&self->index, subject));
    return 0;
}

int
cf_keystore_get_match (cf_keystore_t *self, const uint8_t hash [S_HASH],
                       char subject [CF_SEAL_ID_SIZE])
{
    const s_slot_t *slot = s_index_find (&self->index, hash, NULL);
    if (!slot)
        return CF_ENOTFOUND;
    memcpy (subject, self->index.ids [slot->subject], CF_SEAL_ID_SIZE);
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
    if (!self->txn)
        return 0;
    int rc = mdb_txn_commit (self->txn);
    self->txn = NULL;
    if (rc) {
        rc = s_store_error ("mdb_txn_commit", self->dir, rc);
        //  The index held what was not stored: back to what is.
        s_index_load (self);
    }
    return rc;
}

bool
cf_keystore_pending (const cf_keystore_t *self)
{
    return self->txn != NULL;
}

int
cf_keystore_erase (cf_keystore_t *self, const char *subject, const char *const *key_ids,
                   size_t key_count, int64_t at, size_t *destroyed_p)
{
    size_t destroyed = 0;
    if (destroyed_p)
        *destroyed_p = 0;
    if (!s_id_ok (subject))
        return CF_EINVAL;
    int rc = cf_keystore_commit (self);
    for (size_t i = 0; rc == 0 && i < key_count; i++) {
        char owner [CF_SEAL_ID_SIZE];
        if (!s_id_ok (key_ids [i]) || cf_keystore_get_key (self, key_ids [i], NULL, owner))
            continue;
        rc = s_del (self, S_KEYS, key_ids [i], S_ID);
        destroyed += rc == 0;
    }
    uint8_t hashes [S_MAX_HASHES * S_HASH];
    size_t size = 0;
    if (rc == 0 && s_get (self, S_SUBJECTS, subject, S_ID, hashes, sizeof hashes, &size) == 0) {
        //  A hash now finding another subject (a later registration took
        //  it over) stays theirs.
        for (size_t off = 0; off + S_HASH <= size; off += S_HASH)
            s_index_remove (&self->index, hashes + off, subject);
        rc = s_del (self, S_SUBJECTS, subject, S_ID);
    }
    sodium_memzero (hashes, sizeof hashes);
    if (rc == 0 && !cf_keystore_erased (self, subject)) {
        uint8_t when [8];
        for (int b = 0; b < 8; b++)
            when [b] = (uint8_t) ((uint64_t) at >> (8 * b));
        rc = s_put (self, S_ERASED, subject, S_ID, when, sizeof when, 0);
        destroyed += destroyed == 0;  //  the tombstone is new: compact once
    }
    if (rc == 0)
        rc = cf_keystore_commit (self);
    else if (self->txn) {
        mdb_txn_abort (self->txn);
        self->txn = NULL;
        s_index_load (self);
    }
    if (rc == 0 && destroyed)
        self->needs_compaction = true;
    if (destroyed_p)
        *destroyed_p = destroyed;
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
        for (int step = mdb_cursor_get (cursor, &k, &v, MDB_FIRST); step == 0 && rc == 0;
             step = mdb_cursor_get (cursor, &k, &v, MDB_NEXT))
            rc = mdb_put (to_txn, to_dbi, &k, &v, MDB_APPEND);
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

int
cf_keystore_compact (cf_keystore_t *self)
{
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
    rc = mdb_env_open (fresh, fresh_dir, MDB_NOTLS, 0600);
    if (rc == 0)
        rc = s_copy_live (self, fresh);
    else
        rc = s_store_error ("mdb_env_open", fresh_dir, rc);
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
    int reopen = s_open_env (self);
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
