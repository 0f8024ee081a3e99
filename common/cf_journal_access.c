//  cf_journal_access: the access log's table (see cf_journal.h and
//  cf_access.h). Part of cf_journal; calls down into cf_journal.c.
//
//  A key is the record's time then its number, both big-endian, so LMDB's
//  byte order is time order and a period is one range: a read from `from`
//  starts with MDB_SET_RANGE at [from][0] and stops at the first key past
//  `to`. The number keeps two records of one microsecond apart (a manual
//  clock stands still between moves). The service clock never goes back
//  once a store holds events, and every read of personal data follows one,
//  so appends land at the end of the table.
#include "cf_journal_private.h"

#include "cf_error.h"
#include "cf_log.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#define S_KEY_SIZE 16

static void
s_put_be64 (uint8_t *out, uint64_t value)
{
    for (int i = 7; i >= 0; i--) {
        out [i] = (uint8_t) value;
        value >>= 8;
    }
}

static uint64_t
s_get_be64 (const uint8_t *in)
{
    uint64_t value = 0;
    for (int i = 0; i < 8; i++)
        value = value << 8 | in [i];
    return value;
}

static void
s_key (uint8_t key [S_KEY_SIZE], int64_t at, uint64_t number)
{
    s_put_be64 (key, (uint64_t) at);
    s_put_be64 (key + 8, number);
}

int
cf_journal_access_put (cf_journal_t *self, MDB_txn *txn, int64_t at, uint64_t number,
                       const void *record, size_t size)
{
    assert (!self->readonly);
    assert (record || size == 0);
    int rc = cf_journal_write_ready (self, txn);
    if (rc)
        return rc;
    if (at < 0) {
        cf_log_error ("cf_journal_access_put: negative time %lld", (long long) at);
        return CF_EINVAL;
    }
    uint8_t bytes [S_KEY_SIZE];
    s_key (bytes, at, number);
    MDB_val key = { sizeof bytes, bytes };
    MDB_val value = { size, size ? (void *) record : (void *) "" };
    return cf_journal_put (self, txn, self->access, "access", &key, &value, 0);
}

int
cf_journal_access_last (cf_journal_t *self, uint64_t *number_p)
{
    assert (!self->readonly);
    assert (number_p);
    *number_p = 0;
    MDB_txn *txn;
    int rc = cf_journal_read_begin (self, NULL, &txn);
    if (rc)
        return rc;
    MDB_cursor *cursor;
    if ((rc = mdb_cursor_open (txn, self->access, &cursor))) {
        cf_journal_read_end (NULL, txn);
        return cf_journal_store_error ("mdb_cursor_open", "access", rc);
    }
    MDB_val key, value;
    rc = mdb_cursor_get (cursor, &key, &value, MDB_LAST);
    if (rc == MDB_NOTFOUND)
        rc = 0;
    else if (rc)
        rc = cf_journal_store_error ("mdb_cursor_get", "access", rc);
    else if (key.mv_size != S_KEY_SIZE)
        rc = cf_journal_corrupt ("access key");
    else
        *number_p = s_get_be64 ((const uint8_t *) key.mv_data + 8);
    mdb_cursor_close (cursor);
    cf_journal_read_end (NULL, txn);
    return rc;
}

int
cf_journal_access_read (cf_journal_t *self, int64_t from, int64_t to, cf_journal_access_fn *fn,
                        void *ctx)
{
    assert (!self->readonly);
    assert (fn);
    if (from < 0)
        from = 0;
    MDB_txn *txn;
    int rc = cf_journal_read_begin (self, NULL, &txn);
    if (rc)
        return rc;
    MDB_cursor *cursor;
    if ((rc = mdb_cursor_open (txn, self->access, &cursor))) {
        cf_journal_read_end (NULL, txn);
        return cf_journal_store_error ("mdb_cursor_open", "access", rc);
    }
    uint8_t start [S_KEY_SIZE];
    s_key (start, from, 0);
    MDB_val key = { sizeof start, start }, value;
    //  LMDB's answers and the callback's are kept apart: either may be any
    //  non-zero int.
    int got = mdb_cursor_get (cursor, &key, &value, MDB_SET_RANGE);
    while (got == 0 && rc == 0) {
        if (key.mv_size != S_KEY_SIZE) {
            rc = cf_journal_corrupt ("access key");
            break;
        }
        uint64_t at = s_get_be64 (key.mv_data);
        if (at > (uint64_t) to)
            break;
        rc = fn (ctx, (int64_t) at, s_get_be64 ((const uint8_t *) key.mv_data + 8), value.mv_data,
                 value.mv_size);
        if (rc == 0)
            got = mdb_cursor_get (cursor, &key, &value, MDB_NEXT);
    }
    if (rc == 0 && got && got != MDB_NOTFOUND)
        rc = cf_journal_store_error ("mdb_cursor_get", "access", got);
    mdb_cursor_close (cursor);
    cf_journal_read_end (NULL, txn);
    return rc;
}
