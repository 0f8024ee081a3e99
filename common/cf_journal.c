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
//    (cf_journal.h); the checksums are computed and compared by
//    cf_journal_chain, which knows nothing of the store. Appends chain each
//    record to the pending checksum; a commit that appended also rewrites
//    the chain head in meta. Reads check every record before a caller sees
//    it.
//  - The other files of the store call down into this one (see
//    cf_journal_private.h): making and opening a store is in
//    cf_journal_open.c, reading the journal in cf_journal_read.c, the
//    stored replies in cf_journal_requests.c, checking a whole store in
//    cf_journal_check.c.
#include "cf_journal_private.h"

#include "cf_error.h"
#include "cf_log.h"
#include "cf_store_file.h"

#include <assert.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

//  MDB_INTEGERKEY keys are unsigned int or size_t; ours are uint64_t.
_Static_assert(sizeof (size_t) == sizeof (uint64_t), "cf_journal needs a 64-bit size_t");

#define S_ROOM_FOR_A_COMMIT (256 * 1024)  //  a disk with less has no room for one

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
    //  A full disk (or quota) is a full map that frees itself: the same
    //  refusal of writes, and the runtime tries again once there is room.
    if (rc == ENOSPC || rc == EDQUOT) {
        cf_log_error ("%s: %s (%s): no space left on the store's disk; the transaction is "
                      "lost",
                      call, mdb_strerror (rc), what);
        return CF_ENOSPACE;
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

int
cf_journal_meta_text (cf_journal_t *self, MDB_txn *txn, const char *key, MDB_val *value_p)
{
    MDB_val name = { strlen (key), (void *) key };
    int rc = mdb_get (txn, self->meta, &name, value_p);
    if (rc == MDB_NOTFOUND)
        return CF_ENOTFOUND;
    return rc ? s_store_error ("mdb_get", "meta", rc) : 0;
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

//  ------------------------------------------------------------- the chain

int
cf_journal_damaged (cf_journal_t *self, uint64_t position, const char *problem)
{
    cf_log_error ("cf_journal: %s: journal damaged at position %llu: %s", self->dir,
                  (unsigned long long) position, problem);
    return CF_ECORRUPT;
}

int
cf_journal_stored_sum (cf_journal_t *self, MDB_txn *txn, uint64_t position, uint8_t *sum)
{
    if (position == 0) {
        memset (sum, 0, CF_JOURNAL_SUM);
        return 0;
    }
    MDB_val key = { sizeof position, &position }, value;
    int rc = mdb_get (txn, self->journal, &key, &value);
    if (rc == MDB_NOTFOUND)
        return cf_journal_damaged (self, position, "record missing");
    if (rc)
        return s_store_error ("mdb_get", "journal", rc);
    if (value.mv_size < CF_JOURNAL_SUM)
        return cf_journal_damaged (self, position, "record shorter than its checksum");
    memcpy (sum, value.mv_data, CF_JOURNAL_SUM);
    return 0;
}

int
cf_journal_check_head (cf_journal_t *self, MDB_txn *txn, uint64_t position, const uint8_t *sum)
{
    MDB_val key = { strlen (CF_JOURNAL_CHAIN_KEY), (void *) CF_JOURNAL_CHAIN_KEY }, head;
    int rc = mdb_get (txn, self->meta, &key, &head);
    if (rc && rc != MDB_NOTFOUND)
        return s_store_error ("mdb_get", "meta chain", rc);
    uint64_t at;
    const char *problem = cf_journal_chain_head_problem (rc ? NULL : &head, position, sum, &at);
    return problem ? cf_journal_damaged (self, at, problem) : 0;
}

//  Writes the chain head (the open transaction's last position and
//  checksum) into meta. Returns 0 or an LMDB error code.
static int
s_put_chain_head (cf_journal_t *self, MDB_txn *txn)
{
    uint8_t head [CF_JOURNAL_CHAIN_HEAD_SIZE];
    cf_journal_chain_head (self->pending_position, self->pending_sum, head);
    MDB_val key = { strlen (CF_JOURNAL_CHAIN_KEY), (void *) CF_JOURNAL_CHAIN_KEY };
    MDB_val value = { sizeof head, head };
    return mdb_put (txn, self->meta, &key, &value, 0);
}

//  ----------------------------------------------------------- transactions

void
cf_journal_destroy (cf_journal_t **self_p)
{
    assert (self_p);
    cf_journal_t *self = *self_p;
    if (!self)
        return;
    assert (!self->write_txn);
    if (self->env) {
        cf_store_file_unguard (self->env);
        mdb_env_close (self->env);
    }
    cf_store_lock_destroy (&self->lock);
    for (size_t i = 0; i < CF_JOURNAL_CURSORS_HELD; i++)
        free (self->cursors_held [i].stream);
    free (self->dir);
    free (self->service);
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

//  Writes the id of the event at `stream`'s cursor `seq` (its identity,
//  cf_journal.h) as meta "cursor-id.<stream>" = [seq][id].
static int
s_put_cursor_id (cf_journal_t *self, MDB_txn *txn, const char *stream, uint64_t seq, const char *id)
{
    char name [CF_JOURNAL_NAME_MAX];
    size_t id_size = strlen (id);
    uint8_t value [sizeof seq + CF_JOURNAL_EVENT_ID_MAX];
    //  A stream name too long for the key keeps no identity: its cursor
    //  reads as one older than identities.
    int length = snprintf (name, sizeof name, CF_JOURNAL_CURSOR_ID "%s", stream);
    if (length >= (int) sizeof name || (size_t) length > self->key_max)
        return 0;
    memcpy (value, &seq, sizeof seq);
    memcpy (value + sizeof seq, id, id_size);
    MDB_val key = { strlen (name), name };
    MDB_val data = { sizeof seq + id_size, value };
    return mdb_put (txn, self->meta, &key, &data, 0);
}

//  Writes the cursors the transaction moved, each with its identity.
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
        if (rc == 0)
            rc = s_put_cursor_id (self, txn, stream, self->cursors_held [i].seq,
                                  self->cursors_held [i].id);
        if (rc)
            return rc;
    }
    return 0;
}

//  The id of an encoded Event, copied into `id` (CF_JOURNAL_EVENT_ID_MAX
//  + 1 bytes; cut if longer, "" if it has none): field 1, which
//  protobuf-c writes first, as it writes fields in number order. A
//  journal record is never parsed further here.
static void
s_peek_event_id (const uint8_t *data, size_t size, char *id)
{
    id [0] = 0;
    if (size < 2 || data [0] != 0x0a)  //  field 1, length-delimited
        return;
    size_t length = 0, at = 1;
    for (unsigned shift = 0; at < size && shift < 28; shift += 7) {
        length |= (size_t) (data [at] & 0x7f) << shift;
        if (!(data [at++] & 0x80))
            break;
    }
    if (length > size - at)
        return;
    if (length > CF_JOURNAL_EVENT_ID_MAX)
        length = CF_JOURNAL_EVENT_ID_MAX;
    memcpy (id, data + at, length);
    id [length] = 0;
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
        rc = s_put_chain_head (self, txn);
    if (rc) {
        mdb_txn_abort (txn);
        return s_store_error ("mdb_put", "cursors and chain head at commit", rc);
    }
    rc = mdb_txn_commit (txn);
    //  LMDB reports a short write as EIO, and on a full disk the write
    //  that fails is often short: the disk says which it was.
    if (rc == EIO && cf_store_file_probe_room (self->dir, S_ROOM_FOR_A_COMMIT) == CF_ENOSPACE)
        rc = ENOSPC;
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

//  Moves `stream`'s cursor to `seq` (the event `data`) in the open
//  transaction: held for the commit to write (the journal record and the
//  cursor still commit together), or written at once when more streams
//  than can be held moved.
static int
s_hold_cursor (cf_journal_t *self, MDB_txn *txn, const char *stream, uint64_t seq, const void *data,
               size_t size)
{
    size_t slot = CF_JOURNAL_CURSORS_HELD;
    for (size_t i = 0; i < CF_JOURNAL_CURSORS_HELD && slot == CF_JOURNAL_CURSORS_HELD; i++)
        if (self->cursors_held [i].stream && strcmp (self->cursors_held [i].stream, stream) == 0)
            slot = i;
    for (size_t i = 0; i < CF_JOURNAL_CURSORS_HELD && slot == CF_JOURNAL_CURSORS_HELD; i++)
        if (!self->cursors_held [i].stream) {
            self->cursors_held [i].stream = strdup (stream);
            assert (self->cursors_held [i].stream);
            slot = i;
        }
    if (slot < CF_JOURNAL_CURSORS_HELD) {
        self->cursors_held [slot].seq = seq;
        self->cursors_held [slot].held = true;
        s_peek_event_id (data, size, self->cursors_held [slot].id);
        return 0;
    }
    char id [CF_JOURNAL_EVENT_ID_MAX + 1];
    s_peek_event_id (data, size, id);
    MDB_val key = { strlen (stream), (void *) stream };
    MDB_val value = { sizeof seq, &seq };
    int rc = cf_journal_put (self, txn, self->cursors, "cursors", &key, &value, 0);
    if (rc == 0 && (rc = s_put_cursor_id (self, txn, stream, seq, id)))
        rc = cf_journal_write_failed (self, "mdb_put", "meta cursor-id", rc);
    return rc;
}

int
cf_journal_set_cursor (cf_journal_t *self, MDB_txn *txn, const char *stream, uint64_t seq)
{
    int rc = cf_journal_write_ready (self, txn);
    if (rc == 0)
        rc = cf_journal_name_check (self, "stream name", stream, self->key_max);
    return rc ? rc : s_hold_cursor (self, txn, stream, seq, NULL, 0);
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
    if ((rc = s_hold_cursor (self, txn, stream, seq, data, size)))
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
    rc = cf_journal_meta_text (self, use, key, &value);
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

int
cf_journal_probe_room (cf_journal_t *self, size_t bytes)
{
    assert (self && !self->readonly);
    return cf_store_file_probe_room (self->dir, bytes);
}
