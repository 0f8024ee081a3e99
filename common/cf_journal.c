//  cf_journal: a service's durable store, one LMDB environment.
//
//  The design, in the order it matters:
//
//  - One MDB_env per store, opened once, with MDB_NOTLS so a read
//    transaction is not tied to the thread that began it: the owner can read
//    (a replay, a cursor lookup) while its own write transaction is open,
//    and another thread may serve reads. Commits keep LMDB's default fsync:
//    group commit, not MDB_NOSYNC, is what makes durable writes fast.
//  - Journal positions and produced seqs are MDB_INTEGERKEY keys written
//    with MDB_APPEND: LMDB skips the search and fills pages to the brim,
//    so appending 1,000 events per commit costs little more than one fsync.
//  - The last position and last produced seq are read once at open and
//    cached. The one write transaction works on "pending" copies that a
//    commit adopts and an abort drops, so a caller sees its own appends
//    inside its transaction and everyone else sees only what is committed.
//  - Once a write fails, LMDB refuses everything in that transaction but
//    abort. We keep the error and return it again without another log line,
//    so a full map is logged once, by the call that hit it, and the caller
//    gets the same code from every later call until it aborts.
//  - Every journal record carries a checksum chained to the one before it
//    (cf_journal.h); computing and checking it, and checking a whole store,
//    live in cf_journal_chain.c. Appends chain each record to the pending
//    checksum; a commit that appended also rewrites the chain head in meta.
//    Replay and reads check every record before a caller sees it.
//  - Reading the journal (replay, produced events) is in cf_journal_read.c,
//    the stored replies in cf_journal_requests.c.
#include "cf_journal_private.h"

#include "cf_error.h"
#include "cf_log.h"

#include <assert.h>
#include <errno.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define CF_JOURNAL_DEFAULT_MAP ((size_t) 1 << 30)
#define CF_JOURNAL_TABLES      6

//  MDB_INTEGERKEY keys are unsigned int or size_t; ours are uint64_t.
_Static_assert(sizeof (size_t) == sizeof (uint64_t), "cf_journal needs a 64-bit size_t");

//  LMDB copies values out of our buffers, but never needs a real pointer
//  for an empty one; this keeps NULL away from memcpy.
static const char s_empty [1] = "";

//  Maps an LMDB error from `call` to a CF code and logs it. A full map
//  gets its own code and a line that says what to do about it.
static int
s_store_error (const char *call, const char *what, int rc)
{
    if (rc == MDB_MAP_FULL) {
        //  A failed commit has already discarded the transaction.
        bool committing =
            strcmp (call, "mdb_txn_commit") == 0 || strcmp (what, "meta chain at commit") == 0;
        cf_log_error ("%s: %s (%s): store full; %s, reopen with a larger map size "
                      "to write again",
                      call, mdb_strerror (rc), what,
                      committing ? "the transaction is lost" : "abort the transaction");
        return CF_ESTOREFULL;
    }
    cf_log_error ("%s: %s (%s)", call, mdb_strerror (rc), what);
    return CF_ESTORE;
}

int
cf_journal_store_error (const char *call, const char *what, int rc)
{
    return s_store_error (call, what, rc);
}

//  A value we wrote came back in a shape we never write: the file is
//  damaged or not ours. Logged, and reported as damage (CF_ECORRUPT).
int
cf_journal_corrupt (const char *what)
{
    cf_log_error ("cf_journal: corrupt %s", what);
    return CF_ECORRUPT;
}

//  Remembers the first failure of the open write transaction; see the
//  file comment.
int
cf_journal_write_failed (cf_journal_t *self, const char *call, const char *what, int rc)
{
    self->write_rc = s_store_error (call, what, rc);
    return self->write_rc;
}

int
cf_journal_put (cf_journal_t *self, MDB_txn *txn, MDB_dbi dbi, const char *what, MDB_val *key,
                MDB_val *value, unsigned flags)
{
    int rc = mdb_put (txn, dbi, key, value, flags);
    return rc ? cf_journal_write_failed (self, "mdb_put", what, rc) : 0;
}

//  Checks that `txn` is the open write transaction and still healthy.
int
cf_journal_write_ready (cf_journal_t *self, MDB_txn *txn)
{
    assert (self);
    assert (txn && txn == self->write_txn);
    return self->write_rc;
}

//  Uses the caller's transaction (our write transaction, or a reader the
//  caller keeps) or begins a read-only one; s_read_end ends only one we
//  began.
int
cf_journal_read_begin (cf_journal_t *self, MDB_txn *txn, MDB_txn **use_p)
{
    assert (self);
    if (txn) {
        *use_p = txn;
        return 0;
    }
    int rc = mdb_txn_begin (self->env, NULL, MDB_RDONLY, use_p);
    return rc ? s_store_error ("mdb_txn_begin", "read", rc) : 0;
}

void
cf_journal_read_end (MDB_txn *txn, MDB_txn *used)
{
    if (used && used != txn)
        mdb_txn_abort (used);
}

//  Names (streams, meta keys) are LMDB keys: not empty, not over its limit.
int
cf_journal_name_check (cf_journal_t *self, const char *what, const char *name, size_t max)
{
    assert (name);
    size_t len = strlen (name);
    if (len == 0 || len > max || len > self->key_max) {
        cf_log_warn ("cf_journal: %s of %zu bytes refused (1 to %zu)", what, len,
                     max < self->key_max ? max : self->key_max);
        return CF_EINVAL;
    }
    return 0;
}

int
cf_journal_get_u64 (const MDB_val *value, uint64_t *number_p, const char *what)
{
    if (value->mv_size != sizeof (uint64_t))
        return cf_journal_corrupt (what);
    //  LMDB values need not be aligned.
    memcpy (number_p, value->mv_data, sizeof (uint64_t));
    return 0;
}

//  Request expiry keys sort by time: [stored_at big-endian][request id].
//  `now` is never negative (checked), so the unsigned order is the
//  signed one.
static size_t
s_time_key (uint8_t *key, int64_t stored_at, const char *id, size_t id_len)
{
    uint64_t at = (uint64_t) stored_at;
    for (int byte = 0; byte < 8; byte++)
        key [byte] = (uint8_t) (at >> (56 - 8 * byte));
    memcpy (key + 8, id, id_len);
    return 8 + id_len;
}

size_t
cf_journal_time_key (uint8_t *key, int64_t stored_at, const char *id, size_t id_len)
{
    return s_time_key (key, stored_at, id, id_len);
}

static int
s_open_table (cf_journal_t *self, MDB_txn *txn, const char *name, unsigned flags, MDB_dbi *dbi_p)
{
    int rc = mdb_dbi_open (txn, name, flags | (self->readonly ? 0 : MDB_CREATE), dbi_p);
    if (rc == MDB_NOTFOUND) {
        cf_log_error ("cf_journal_open: %s: no table %s; not a caseflow store", self->dir, name);
        return CF_EMISMATCH;
    }
    if (rc == MDB_INCOMPATIBLE) {
        cf_log_error ("mdb_dbi_open: %s (table %s): not a caseflow store of format %s",
                      mdb_strerror (rc), name, CF_JOURNAL_FORMAT);
        return CF_EMISMATCH;
    }
    return rc ? s_store_error ("mdb_dbi_open", name, rc) : 0;
}

//  Reads text meta `key` within `txn`; *value_p is borrowed from LMDB.
static int
s_meta_text (cf_journal_t *self, MDB_txn *txn, const char *key, MDB_val *value_p)
{
    MDB_val name = { strlen (key), (void *) key };
    int rc = mdb_get (txn, self->meta, &name, value_p);
    if (rc == MDB_NOTFOUND)
        return CF_ENOTFOUND;
    return rc ? s_store_error ("mdb_get", "meta", rc) : 0;
}

static bool
s_meta_is (const MDB_val *value, const char *text)
{
    return value->mv_size == strlen (text) && memcmp (value->mv_data, text, value->mv_size) == 0;
}

//  A fresh store is stamped with its service and format; an existing one
//  must carry ours, or we would replay another service's history as our
//  own.
static int
s_check_meta (cf_journal_t *self, MDB_txn *txn, const char *dir, const char *service)
{
    MDB_val owner, format;
    int owner_rc = s_meta_text (self, txn, "service", &owner);
    if (owner_rc && owner_rc != CF_ENOTFOUND)
        return owner_rc;
    int format_rc = s_meta_text (self, txn, "format", &format);
    if (format_rc && format_rc != CF_ENOTFOUND)
        return format_rc;

    if (owner_rc == CF_ENOTFOUND && format_rc == CF_ENOTFOUND && self->readonly) {
        cf_log_error ("cf_journal_open: %s: an empty store, never stamped by a service", dir);
        return CF_EMISMATCH;
    }
    if (owner_rc == CF_ENOTFOUND && format_rc == CF_ENOTFOUND) {
        int rc = cf_journal_meta_put (self, txn, "service", service, strlen (service));
        if (rc == 0)
            rc = cf_journal_meta_put (self, txn, "format", CF_JOURNAL_FORMAT, 1);
        if (rc == 0)
            cf_log_info ("cf_journal_open: %s: new store for service %s, format %s", dir, service,
                         CF_JOURNAL_FORMAT);
        return rc;
    }
    //  The two are written in one transaction, so one without the other
    //  means the store is not ours.
    if (owner_rc || format_rc) {
        cf_log_error ("cf_journal_open: %s: meta has no %s; not a caseflow store", dir,
                      owner_rc ? "service" : "format");
        return CF_EMISMATCH;
    }
    if (!s_meta_is (&owner, service)) {
        int len = owner.mv_size > 64 ? 64 : (int) owner.mv_size;
        cf_log_error ("cf_journal_open: %s: store belongs to service \"%.*s\", not \"%s\"", dir,
                      len, (const char *) owner.mv_data, service);
        return CF_EMISMATCH;
    }
    if (s_meta_is (&format, "1")) {
        cf_log_error ("cf_journal_open: %s: store format \"1\" has no record checksums; this "
                      "build reads only format \"%s\". There is no migration: start the "
                      "service on an empty --data-dir",
                      dir, CF_JOURNAL_FORMAT);
        return CF_EMISMATCH;
    }
    if (!s_meta_is (&format, CF_JOURNAL_FORMAT)) {
        int len = format.mv_size > 64 ? 64 : (int) format.mv_size;
        cf_log_error ("cf_journal_open: %s: store format \"%.*s\", this build reads only \"%s\"",
                      dir, len, (const char *) format.mv_data, CF_JOURNAL_FORMAT);
        return CF_EMISMATCH;
    }
    return 0;
}

//  Last key of an integer-keyed table, 0 if it is empty.
int
cf_journal_last_key (MDB_txn *txn, MDB_dbi dbi, const char *what, uint64_t *last_p)
{
    MDB_cursor *cursor;
    int rc = mdb_cursor_open (txn, dbi, &cursor);
    if (rc)
        return s_store_error ("mdb_cursor_open", what, rc);
    MDB_val key, value;
    rc = mdb_cursor_get (cursor, &key, &value, MDB_LAST);
    mdb_cursor_close (cursor);
    *last_p = 0;
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc)
        return s_store_error ("mdb_cursor_get", what, rc);
    return cf_journal_get_u64 (&key, last_p, what);
}

static int
s_open (cf_journal_t *self, const char *dir, const char *service, size_t map_size)
{
    int rc = mdb_env_create (&self->env);
    if (rc) {
        self->env = NULL;
        return s_store_error ("mdb_env_create", dir, rc);
    }
    if ((rc = mdb_env_set_maxdbs (self->env, CF_JOURNAL_TABLES)))
        return s_store_error ("mdb_env_set_maxdbs", dir, rc);
    //  Read-only, the map is as large as the file says.
    if (map_size && (rc = mdb_env_set_mapsize (self->env, map_size)))
        return s_store_error ("mdb_env_set_mapsize", dir, rc);
    rc = mdb_env_open (self->env, dir, MDB_NOTLS | (self->readonly ? MDB_RDONLY : 0), 0600);
    if (rc == ENOENT && self->readonly) {
        cf_log_error ("cf_journal_open: %s: no store here", dir);
        return CF_ENOTFOUND;
    }
    if (rc)
        return s_store_error ("mdb_env_open", dir, rc);
    self->key_max = (size_t) mdb_env_get_maxkeysize (self->env);

    //  A process that died inside a read transaction keeps its reader slot,
    //  and with it every page that transaction could see, until cleared.
    int dead = 0;
    if ((rc = mdb_reader_check (self->env, &dead)))
        return s_store_error ("mdb_reader_check", dir, rc);
    if (dead)
        cf_log_info ("cf_journal_open: %s: cleared %d stale reader slot(s)", dir, dead);

    MDB_txn *txn;
    if ((rc = mdb_txn_begin (self->env, NULL, self->readonly ? MDB_RDONLY : 0, &txn)))
        return s_store_error ("mdb_txn_begin", dir, rc);
    //  meta_put checks it writes in the open write transaction.
    self->write_txn = txn;
    rc = s_open_table (self, txn, "journal", MDB_INTEGERKEY, &self->journal);
    if (rc == 0)
        rc = s_open_table (self, txn, "produced", MDB_INTEGERKEY, &self->produced);
    if (rc == 0)
        rc = s_open_table (self, txn, "cursors", 0, &self->cursors);
    if (rc == 0)
        rc = s_open_table (self, txn, "requests", 0, &self->requests);
    if (rc == 0)
        rc = s_open_table (self, txn, "req_times", 0, &self->req_times);
    if (rc == 0)
        rc = s_open_table (self, txn, "meta", 0, &self->meta);
    if (rc == 0)
        rc = s_check_meta (self, txn, dir, service);
    uint64_t last_position = 0, last_seq = 0;
    if (rc == 0)
        rc = cf_journal_last_key (txn, self->journal, "journal", &last_position);
    if (rc == 0)
        rc = cf_journal_last_key (txn, self->produced, "produced", &last_seq);
    //  The next append chains to the last record.
    if (rc == 0)
        rc = cf_journal_chain_stored (self, txn, last_position, self->last_sum);
    self->write_txn = NULL;
    if (rc) {
        mdb_txn_abort (txn);
        return rc;
    }
    //  Table handles opened in a transaction exist beyond it only once it
    //  commits (a read-only one too).
    if ((rc = mdb_txn_commit (txn)))
        return s_store_error ("mdb_txn_commit", dir, rc);
    atomic_store (&self->last_position, last_position);
    atomic_store (&self->last_seq, last_seq);
    return 0;
}

//  Makes `dir` and every missing folder above it, as `mkdir -p` does, each
//  with mode 0700: the store holds residents' personal data, and a folder
//  made for it is nobody else's business. Folders that exist are left as
//  they are. Returns 0, or CF_EIO, logged with the folder that could not
//  be made and the system's reason.
static int
s_make_dir (const char *dir)
{
    char *path = strdup (dir);
    assert (path);
    size_t length = strlen (path);
    int rc = 0;
    //  Each '/' past the first character ends a folder above dir (a
    //  repeated '/' ends none); the end of the string ends dir itself.
    for (size_t end = 1; end <= length && rc == 0; end++) {
        if ((path [end] != '/' && path [end] != 0) || path [end - 1] == '/')
            continue;
        char saved = path [end];
        path [end] = 0;
        if (mkdir (path, 0700) && errno != EEXIST) {
            cf_log_error ("mkdir %s: %s (making the store's directory %s)", path, strerror (errno),
                          dir);
            rc = CF_EIO;
        }
        path [end] = saved;
    }
    free (path);
    struct stat info;
    if (rc == 0 && stat (dir, &info)) {
        cf_log_error ("stat %s: %s", dir, strerror (errno));
        rc = CF_EIO;
    } else if (rc == 0 && !S_ISDIR (info.st_mode)) {
        cf_log_error ("%s is not a directory: it cannot hold the store", dir);
        rc = CF_EIO;
    }
    return rc;
}

static cf_journal_t *
s_new (const char *dir, const char *service, size_t map_size, bool readonly, int *rc_p)
{
    assert (dir);
    assert (service);
    int ignored;
    if (!rc_p)
        rc_p = &ignored;
    if (!*dir || !*service) {
        cf_log_error ("cf_journal_open: empty %s", *dir ? "service name" : "directory");
        *rc_p = CF_EINVAL;
        return NULL;
    }
    if (!readonly && (*rc_p = s_make_dir (dir)))
        return NULL;
    //  The checksums use libsodium's fastest code for this CPU, picked here.
    if (sodium_init () < 0) {
        cf_log_error ("sodium_init failed");
        *rc_p = CF_ESTORE;
        return NULL;
    }
    cf_journal_t *self = calloc (1, sizeof *self);
    assert (self);
    self->dir = strdup (dir);
    assert (self->dir);
    self->readonly = readonly;
    int rc = s_open (self, dir, service, map_size);
    if (rc) {
        cf_journal_destroy (&self);
        *rc_p = rc;
        return NULL;
    }
    *rc_p = 0;
    return self;
}

cf_journal_t *
cf_journal_open (const char *dir, const char *service, size_t map_size, int *rc_p)
{
    return s_new (dir, service, map_size ? map_size : CF_JOURNAL_DEFAULT_MAP, false, rc_p);
}

cf_journal_t *
cf_journal_open_readonly (const char *dir, const char *service, int *rc_p)
{
    return s_new (dir, service, 0, true, rc_p);
}

void
cf_journal_destroy (cf_journal_t **self_p)
{
    assert (self_p);
    cf_journal_t *self = *self_p;
    if (!self)
        return;
    assert (!self->write_txn);
    if (self->env)
        mdb_env_close (self->env);
    for (size_t i = 0; i < CF_JOURNAL_CURSORS_HELD; i++)
        free (self->cursors_held [i].stream);
    free (self->dir);
    free (self);
    *self_p = NULL;
}

int
cf_journal_begin (cf_journal_t *self, MDB_txn **txn_p)
{
    assert (self);
    assert (txn_p);
    //  One writer: a second write transaction would wait on LMDB's lock
    //  for ever, and the pending values below would be shared.
    assert (!self->write_txn);
    assert (!self->readonly);
    int rc = mdb_txn_begin (self->env, NULL, 0, txn_p);
    if (rc) {
        *txn_p = NULL;
        return s_store_error ("mdb_txn_begin", "write transaction", rc);
    }
    self->write_txn = *txn_p;
    self->pending_position = atomic_load (&self->last_position);
    self->pending_seq = atomic_load (&self->last_seq);
    memcpy (self->pending_sum, self->last_sum, CF_JOURNAL_SUM);
    self->write_rc = 0;
    for (size_t i = 0; i < CF_JOURNAL_CURSORS_HELD; i++)
        self->cursors_held [i].held = false;
    return 0;
}

//  Writes the cursors the transaction moved.
static int
s_put_cursors (cf_journal_t *self, MDB_txn *txn)
{
    for (size_t i = 0; i < CF_JOURNAL_CURSORS_HELD; i++) {
        if (!self->cursors_held [i].held)
            continue;
        const char *stream = self->cursors_held [i].stream;
        MDB_val key = { strlen (stream), (void *) stream };
        MDB_val value = { sizeof (uint64_t), &self->cursors_held [i].seq };
        int rc = mdb_put (txn, self->cursors, &key, &value, 0);
        if (rc)
            return rc;
    }
    return 0;
}

int
cf_journal_commit (cf_journal_t *self, MDB_txn *txn)
{
    assert (self);
    assert (txn && txn == self->write_txn);
    self->write_txn = NULL;
    if (self->write_rc) {
        //  Already logged; LMDB would only refuse the commit.
        mdb_txn_abort (txn);
        return self->write_rc;
    }
    //  The cursors and the chain's head move with the records, in the same
    //  transaction.
    int rc = s_put_cursors (self, txn);
    if (rc == 0 && self->pending_position != atomic_load (&self->last_position))
        rc = cf_journal_chain_put_head (self, txn);
    if (rc) {
        mdb_txn_abort (txn);
        return s_store_error ("mdb_put", "cursors and chain head at commit", rc);
    }
    rc = mdb_txn_commit (txn);
    if (rc)
        return s_store_error ("mdb_txn_commit", "write transaction", rc);
    atomic_store (&self->last_position, self->pending_position);
    atomic_store (&self->last_seq, self->pending_seq);
    memcpy (self->last_sum, self->pending_sum, CF_JOURNAL_SUM);
    return 0;
}

void
cf_journal_abort (cf_journal_t *self, MDB_txn *txn)
{
    assert (self);
    assert (txn && txn == self->write_txn);
    self->write_txn = NULL;
    mdb_txn_abort (txn);
}

//  Appends one record at the next position, [checksum][data], and sets
//  `sum` to its checksum; the caller adopts both once everything else in
//  its step has been written too.
static int
s_append_entry (cf_journal_t *self, MDB_txn *txn, uint64_t position, const void *data, size_t size,
                uint8_t *sum)
{
    cf_journal_chain_sum (self->pending_sum, data, size, sum);
    MDB_val key = { sizeof position, &position };
    //  MDB_RESERVE: laid out in place, no copy of the event to prefix it.
    MDB_val value = { CF_JOURNAL_SUM + size, NULL };
    int rc = cf_journal_put (self, txn, self->journal, "journal", &key, &value,
                             MDB_APPEND | MDB_RESERVE);
    if (rc)
        return rc;
    memcpy (value.mv_data, sum, CF_JOURNAL_SUM);
    if (size)
        memcpy ((uint8_t *) value.mv_data + CF_JOURNAL_SUM, data, size);
    return 0;
}

int
cf_journal_append_produced (cf_journal_t *self, MDB_txn *txn, uint64_t seq, const void *data,
                            size_t size, uint64_t *position_p)
{
    int rc = cf_journal_write_ready (self, txn);
    assert (seq == self->pending_seq + 1);
    assert (data || size == 0);
    if (rc)
        return rc;
    uint64_t position = self->pending_position + 1;
    uint8_t sum [CF_JOURNAL_SUM];
    rc = s_append_entry (self, txn, position, data, size, sum);
    if (rc)
        return rc;
    MDB_val key = { sizeof seq, &seq };
    MDB_val value = { sizeof position, &position };
    rc = cf_journal_put (self, txn, self->produced, "produced", &key, &value, MDB_APPEND);
    if (rc)
        return rc;
    self->pending_position = position;
    self->pending_seq = seq;
    memcpy (self->pending_sum, sum, CF_JOURNAL_SUM);
    if (position_p)
        *position_p = position;
    return 0;
}

//  Moves `stream`'s cursor to `seq` in the open transaction: held for the
//  commit to write (the journal record and the cursor still commit
//  together), or written at once when more streams than can be held moved.
static int
s_hold_cursor (cf_journal_t *self, MDB_txn *txn, const char *stream, uint64_t seq)
{
    size_t free_slot = CF_JOURNAL_CURSORS_HELD;
    for (size_t i = 0; i < CF_JOURNAL_CURSORS_HELD; i++) {
        if (self->cursors_held [i].stream && strcmp (self->cursors_held [i].stream, stream) == 0) {
            self->cursors_held [i].seq = seq;
            self->cursors_held [i].held = true;
            return 0;
        }
        if (!self->cursors_held [i].stream && free_slot == CF_JOURNAL_CURSORS_HELD)
            free_slot = i;
    }
    if (free_slot < CF_JOURNAL_CURSORS_HELD) {
        self->cursors_held [free_slot].stream = strdup (stream);
        assert (self->cursors_held [free_slot].stream);
        self->cursors_held [free_slot].seq = seq;
        self->cursors_held [free_slot].held = true;
        return 0;
    }
    MDB_val key = { strlen (stream), (void *) stream };
    MDB_val value = { sizeof seq, &seq };
    return cf_journal_put (self, txn, self->cursors, "cursors", &key, &value, 0);
}

int
cf_journal_append_consumed (cf_journal_t *self, MDB_txn *txn, const char *stream, uint64_t seq,
                            const void *data, size_t size, uint64_t *position_p)
{
    int rc = cf_journal_write_ready (self, txn);
    assert (data || size == 0);
    if (rc)
        return rc;
    if ((rc = cf_journal_name_check (self, "stream name", stream, self->key_max)))
        return rc;
    uint64_t position = self->pending_position + 1;
    uint8_t sum [CF_JOURNAL_SUM];
    rc = s_append_entry (self, txn, position, data, size, sum);
    if (rc)
        return rc;
    if ((rc = s_hold_cursor (self, txn, stream, seq)))
        return rc;
    self->pending_position = position;
    memcpy (self->pending_sum, sum, CF_JOURNAL_SUM);
    if (position_p)
        *position_p = position;
    return 0;
}

uint64_t
cf_journal_last_seq (cf_journal_t *self, MDB_txn *txn)
{
    assert (self);
    if (txn) {
        assert (txn == self->write_txn);
        return self->pending_seq;
    }
    return atomic_load (&self->last_seq);
}

uint64_t
cf_journal_last_position (cf_journal_t *self, MDB_txn *txn)
{
    assert (self);
    if (txn) {
        assert (txn == self->write_txn);
        return self->pending_position;
    }
    return atomic_load (&self->last_position);
}

int
cf_journal_cursor (cf_journal_t *self, MDB_txn *txn, const char *stream, uint64_t *seq_p)
{
    assert (seq_p);
    int rc = cf_journal_name_check (self, "stream name", stream, self->key_max);
    if (rc)
        return rc;
    //  The open transaction sees its own moves.
    if (txn && txn == self->write_txn)
        for (size_t i = 0; i < CF_JOURNAL_CURSORS_HELD; i++)
            if (self->cursors_held [i].held
                && strcmp (self->cursors_held [i].stream, stream) == 0) {
                *seq_p = self->cursors_held [i].seq;
                return 0;
            }
    MDB_txn *use;
    if ((rc = cf_journal_read_begin (self, txn, &use)))
        return rc;
    MDB_val key = { strlen (stream), (void *) stream }, value;
    rc = mdb_get (use, self->cursors, &key, &value);
    *seq_p = 0;
    if (rc == MDB_NOTFOUND)
        rc = 0;
    else if (rc)
        rc = s_store_error ("mdb_get", "cursors", rc);
    else
        rc = cf_journal_get_u64 (&value, seq_p, "cursor value");
    cf_journal_read_end (txn, use);
    return rc;
}

int
cf_journal_meta_get (cf_journal_t *self, MDB_txn *txn, const char *key, void **value_p,
                     size_t *size_p)
{
    assert (value_p);
    assert (size_p);
    int rc = cf_journal_name_check (self, "meta key", key, self->key_max);
    if (rc)
        return rc;
    MDB_txn *use;
    if ((rc = cf_journal_read_begin (self, txn, &use)))
        return rc;
    MDB_val value;
    rc = s_meta_text (self, use, key, &value);
    if (rc == 0) {
        char *copy = malloc (value.mv_size + 1);
        assert (copy);
        if (value.mv_size)
            memcpy (copy, value.mv_data, value.mv_size);
        copy [value.mv_size] = 0;
        *value_p = copy;
        *size_p = value.mv_size;
    }
    cf_journal_read_end (txn, use);
    return rc;
}

int
cf_journal_meta_put (cf_journal_t *self, MDB_txn *txn, const char *key, const void *value,
                     size_t size)
{
    int rc = cf_journal_write_ready (self, txn);
    assert (value || size == 0);
    if (rc)
        return rc;
    if ((rc = cf_journal_name_check (self, "meta key", key, self->key_max)))
        return rc;
    MDB_val name = { strlen (key), (void *) key };
    MDB_val data = { size, size ? (void *) value : (void *) s_empty };
    return cf_journal_put (self, txn, self->meta, "meta", &name, &data, 0);
}

uint64_t
cf_journal_entries (cf_journal_t *self)
{
    assert (self);
    MDB_txn *txn;
    int rc = mdb_txn_begin (self->env, NULL, MDB_RDONLY, &txn);
    if (rc) {
        s_store_error ("mdb_txn_begin", "entries", rc);
        return 0;
    }
    MDB_stat stat;
    rc = mdb_stat (txn, self->journal, &stat);
    mdb_txn_abort (txn);
    if (rc) {
        s_store_error ("mdb_stat", "journal", rc);
        return 0;
    }
    return stat.ms_entries;
}

uint64_t
cf_journal_bytes (cf_journal_t *self)
{
    assert (self);
    MDB_envinfo info;
    MDB_stat stat;
    int rc = mdb_env_info (self->env, &info);
    if (rc == 0)
        rc = mdb_env_stat (self->env, &stat);
    if (rc) {
        s_store_error ("mdb_env_info", "bytes", rc);
        return 0;
    }
    //  Pages up to the last one used by the last commit, free ones
    //  included: what the file needs, not what the events weigh.
    return ((uint64_t) info.me_last_pgno + 1) * stat.ms_psize;
}

size_t
cf_journal_map_size (cf_journal_t *self)
{
    assert (self);
    MDB_envinfo info;
    int rc = mdb_env_info (self->env, &info);
    if (rc) {
        s_store_error ("mdb_env_info", "map size", rc);
        return 0;
    }
    return info.me_mapsize;
}
