//  cf_journal_read: reading the journal (see cf_journal.h): every record
//  from a position, for the start-up rebuild (cf_journal_read_records),
//  and a service's own events from a seq on, to answer a subscriber's
//  replay (cf_journal_read_produced).
//  Both walk the records with one LMDB cursor and check each record's
//  checksum before the caller sees it.
#include "cf_journal_private.h"

#include "cf_error.h"
#include "cf_log.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

//  The body of cf_journal_read_records, within `cursor`'s read transaction.
static int
s_read_records (cf_journal_t *self, MDB_txn *txn, MDB_cursor *cursor, uint64_t from_position,
                cf_journal_entry_fn *fn, void *ctx)
{
    uint64_t expected = from_position ? from_position : 1;
    uint64_t position = expected;
    uint8_t sum [CF_JOURNAL_SUM], previous [CF_JOURNAL_SUM];
    MDB_val key = { sizeof position, &position }, value;
    int rc = mdb_cursor_get (cursor, &key, &value, MDB_SET_RANGE);
    if (rc && rc != MDB_NOTFOUND)
        return cf_journal_store_error ("mdb_cursor_get", "read records", rc);
    //  Beyond the position after the last: nothing to visit or check.
    if (rc == MDB_NOTFOUND && expected > 1) {
        uint64_t last;
        if ((rc = cf_journal_last_key (txn, self->journal, "journal", &last)))
            return rc;
        if (expected > last + 1)
            return 0;
        rc = MDB_NOTFOUND;
    }
    //  The chain resumes from the checksum stored before the first record.
    int result = cf_journal_stored_sum (self, txn, expected - 1, previous);
    if (result)
        return result;
    //  One cursor walking the leaves in order: no search per entry, no copy.
    while (rc == 0) {
        if (key.mv_size != sizeof position)
            return cf_journal_corrupt ("journal key");
        memcpy (&position, key.mv_data, sizeof position);
        if (position != expected)
            return cf_journal_damaged (self, expected, "record missing");
        const char *problem = cf_journal_chain_check (&value, previous, sum);
        if (problem)
            return cf_journal_damaged (self, position, problem);
        result = fn (ctx, position, (const uint8_t *) value.mv_data + CF_JOURNAL_SUM,
                     value.mv_size - CF_JOURNAL_SUM);
        if (result)
            return result;
        memcpy (previous, sum, CF_JOURNAL_SUM);
        expected++;
        rc = mdb_cursor_get (cursor, &key, &value, MDB_NEXT);
    }
    if (rc != MDB_NOTFOUND)
        return cf_journal_store_error ("mdb_cursor_get", "read records", rc);
    //  Run to the end: the last record must be the one the chain names.
    return cf_journal_check_head (self, txn, expected - 1, previous);
}

//  A rebuild reads the whole journal once, and every page of the map it
//  touched then stays in the process's resident set (as file pages) until
//  memory runs short: for a big journal more than the state itself. They
//  are clean pages of the file (LMDB writes with pwrite, the map is read
//  only), so dropping them from our mapping loses nothing: the page cache
//  keeps them and a later read maps them again. LMDB tells the map's
//  address only for MDB_FIXEDMAP, so the read notes the span of the
//  records it handed out (they point into the map) and drops that.
typedef struct {
    cf_journal_entry_fn *fn;
    void *ctx;
    uintptr_t low, high;  //  span of the records seen
} s_span_t;

static int
s_span_entry (void *ctx, uint64_t position, const void *data, size_t size)
{
    s_span_t *span = ctx;
    uintptr_t at = (uintptr_t) data;
    if (at < span->low)
        span->low = at;
    if (at + size > span->high)
        span->high = at + size;
    return span->fn (span->ctx, position, data, size);
}

static void
s_release_span (const s_span_t *span)
{
    if (span->high <= span->low)
        return;
    uintptr_t page = (uintptr_t) sysconf (_SC_PAGESIZE);
    uintptr_t low = span->low & ~(page - 1);
    uintptr_t high = (span->high + page - 1) & ~(page - 1);
    madvise ((void *) low, high - low, MADV_DONTNEED);
}

int
cf_journal_read_records (cf_journal_t *self, uint64_t from_position, cf_journal_entry_fn *fn,
                         void *ctx)
{
    assert (self);
    assert (fn);
    MDB_txn *txn;
    int rc = mdb_txn_begin (self->env, NULL, MDB_RDONLY, &txn);
    if (rc)
        return cf_journal_store_error ("mdb_txn_begin", "read records", rc);
    MDB_cursor *cursor;
    if ((rc = mdb_cursor_open (txn, self->journal, &cursor))) {
        mdb_txn_abort (txn);
        return cf_journal_store_error ("mdb_cursor_open", "read records", rc);
    }
    s_span_t span = { fn, ctx, UINTPTR_MAX, 0 };
    rc = s_read_records (self, txn, cursor, from_position, s_span_entry, &span);
    mdb_cursor_close (cursor);
    mdb_txn_abort (txn);
    s_release_span (&span);
    return rc;
}

//  The body of cf_journal_read_produced, within `txn`.
static int
s_read_produced (cf_journal_t *self, MDB_txn *txn, uint64_t from_seq, uint64_t last_seq,
                 size_t max_events, size_t max_bytes, cf_journal_entry_fn *fn, void *ctx)
{
    MDB_cursor *cursor;
    int rc = mdb_cursor_open (txn, self->produced, &cursor);
    if (rc)
        return cf_journal_store_error ("mdb_cursor_open", "produced", rc);
    uint64_t seq = from_seq;
    MDB_val key = { sizeof seq, &seq }, value;
    size_t events = 0, bytes = 0;
    int result = 0;
    //  The last record checked and its checksum: consecutive produced
    //  events chain to each other without another lookup.
    uint64_t checked = UINT64_MAX;
    uint8_t previous [CF_JOURNAL_SUM], sum [CF_JOURNAL_SUM];
    rc = mdb_cursor_get (cursor, &key, &value, MDB_SET_RANGE);
    while (rc == 0) {
        uint64_t position;
        if ((result = cf_journal_get_u64 (&key, &seq, "produced key")))
            break;
        if ((result = cf_journal_get_u64 (&value, &position, "produced position")))
            break;
        if (seq > last_seq)
            break;
        MDB_val entry_key = { sizeof position, &position }, entry;
        rc = mdb_get (txn, self->journal, &entry_key, &entry);
        if (rc) {
            result = rc == MDB_NOTFOUND
                         ? cf_journal_corrupt ("produced index: position missing from journal")
                         : cf_journal_store_error ("mdb_get", "journal", rc);
            rc = 0;
            break;
        }
        if (position == 0) {
            result = cf_journal_corrupt ("produced index: position 0");
            break;
        }
        if (position - 1 != checked
            && (result = cf_journal_stored_sum (self, txn, position - 1, previous)))
            break;
        const char *problem = cf_journal_chain_check (&entry, previous, sum);
        if (problem) {
            result = cf_journal_damaged (self, position, problem);
            break;
        }
        memcpy (previous, sum, CF_JOURNAL_SUM);
        checked = position;
        const uint8_t *data = (const uint8_t *) entry.mv_data + CF_JOURNAL_SUM;
        size_t size = entry.mv_size - CF_JOURNAL_SUM;
        //  The first event goes out whatever its size, or a reader with a
        //  small limit could never get past a big event.
        if (events > 0 && max_bytes && bytes + size > max_bytes)
            break;
        if ((result = fn (ctx, seq, data, size)))
            break;
        events++;
        bytes += size;
        if (max_events && events >= max_events)
            break;
        rc = mdb_cursor_get (cursor, &key, &value, MDB_NEXT);
    }
    if (rc && rc != MDB_NOTFOUND)
        result = cf_journal_store_error ("mdb_cursor_get", "produced", rc);
    mdb_cursor_close (cursor);
    return result;
}

int
cf_journal_read_produced (cf_journal_t *self, MDB_txn *txn, uint64_t from_seq, uint64_t last_seq,
                          size_t max_events, size_t max_bytes, cf_journal_entry_fn *fn, void *ctx)
{
    assert (fn);
    if (from_seq == 0)
        from_seq = 1;
    if (from_seq > last_seq)
        return 0;
    MDB_txn *use;
    int rc = cf_journal_read_begin (self, txn, &use);
    if (rc)
        return rc;
    rc = s_read_produced (self, use, from_seq, last_seq, max_events, max_bytes, fn, ctx);
    cf_journal_read_end (txn, use);
    return rc;
}

//  ------------------------------------------------------------- accessors
