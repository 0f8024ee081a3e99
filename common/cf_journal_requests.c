//  cf_journal_requests: the stored replies of commands (see cf_journal.h):
//  the requests table (request id -> [stored at][reply]) with its expiry
//  order in req_times, and the long-lived read transaction a service's
//  loop looks stored replies up in.
#include "cf_journal_private.h"

#include "cf_error.h"
#include "cf_log.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

//  LMDB copies values out of our buffers, but never needs a real pointer
//  for an empty one; this keeps NULL away from memcpy.
static const char s_empty [1] = "";

int
cf_journal_reader_begin (cf_journal_t *self, MDB_txn **txn_p)
{
    assert (self);
    assert (txn_p);
    int rc = mdb_txn_begin (self->env, NULL, MDB_RDONLY, txn_p);
    if (rc) {
        *txn_p = NULL;
        return cf_journal_store_error ("mdb_txn_begin", "reader", rc);
    }
    return 0;
}

int
cf_journal_reader_renew (cf_journal_t *self, MDB_txn *txn)
{
    assert (self);
    assert (txn);
    mdb_txn_reset (txn);
    int rc = mdb_txn_renew (txn);
    if (rc) {
        mdb_txn_abort (txn);
        return cf_journal_store_error ("mdb_txn_renew", "reader", rc);
    }
    return 0;
}

void
cf_journal_reader_end (cf_journal_t *self, MDB_txn *txn)
{
    assert (self);
    if (txn)
        mdb_txn_abort (txn);
}

int
cf_journal_request_get (cf_journal_t *self, MDB_txn *txn, const char *request_id, void **reply_p,
                        size_t *size_p)
{
    assert (reply_p);
    assert (size_p);
    int rc = cf_journal_name_check (self, "request id", request_id, CF_JOURNAL_REQUEST_ID_MAX);
    if (rc)
        return rc;
    MDB_txn *use;
    if ((rc = cf_journal_read_begin (self, txn, &use)))
        return rc;
    MDB_val key = { strlen (request_id), (void *) request_id }, value;
    rc = mdb_get (use, self->requests, &key, &value);
    if (rc == MDB_NOTFOUND)
        rc = CF_ENOTFOUND;
    else if (rc)
        rc = cf_journal_store_error ("mdb_get", "requests", rc);
    else if (value.mv_size < sizeof (int64_t))
        rc = cf_journal_corrupt ("request value");
    else {
        //  Copied out: LMDB's copy is gone when the transaction ends.
        size_t size = value.mv_size - sizeof (int64_t);
        void *reply = malloc (size ? size : 1);
        assert (reply);
        memcpy (reply, (const char *) value.mv_data + sizeof (int64_t), size);
        *reply_p = reply;
        *size_p = size;
    }
    cf_journal_read_end (txn, use);
    return rc;
}

int
cf_journal_request_put (cf_journal_t *self, MDB_txn *txn, const char *request_id, const void *reply,
                        size_t size, int64_t now)
{
    int rc = cf_journal_write_ready (self, txn);
    assert (reply || size == 0);
    if (rc)
        return rc;
    if ((rc = cf_journal_name_check (self, "request id", request_id, CF_JOURNAL_REQUEST_ID_MAX)))
        return rc;
    if (now < 0) {
        cf_log_warn ("cf_journal_request_put: time %lld before 1970 refused", (long long) now);
        return CF_EINVAL;
    }
    size_t id_len = strlen (request_id);
    uint8_t time_key [8 + CF_JOURNAL_REQUEST_ID_MAX];
    MDB_val key = { id_len, (void *) request_id };

    //  MDB_RESERVE lets us lay out [stored_at][reply] in place; a new id,
    //  the usual case, costs one search of the table (MDB_NOOVERWRITE
    //  hands back the value already there instead).
    MDB_val value = { sizeof now + size, NULL };
    rc = mdb_put (txn, self->requests, &key, &value, MDB_RESERVE | MDB_NOOVERWRITE);
    if (rc == MDB_KEYEXIST) {
        //  A reply stored again moves its expiry key, or expiry would find
        //  the old time and delete the new reply early.
        int64_t stored_at;
        if (value.mv_size < sizeof stored_at)
            return cf_journal_corrupt ("request value");
        memcpy (&stored_at, value.mv_data, sizeof stored_at);
        MDB_val old = { cf_journal_time_key (time_key, stored_at, request_id, id_len), time_key };
        rc = mdb_del (txn, self->req_times, &old, NULL);
        if (rc && rc != MDB_NOTFOUND)
            return cf_journal_write_failed (self, "mdb_del", "req_times", rc);
        value.mv_size = sizeof now + size;
        value.mv_data = NULL;
        rc = mdb_put (txn, self->requests, &key, &value, MDB_RESERVE);
    }
    if (rc)
        return cf_journal_write_failed (self, "mdb_put", "requests", rc);
    memcpy (value.mv_data, &now, sizeof now);
    if (size)
        memcpy ((char *) value.mv_data + sizeof now, reply, size);

    MDB_val when = { cf_journal_time_key (time_key, now, request_id, id_len), time_key };
    MDB_val nothing = { 0, (void *) s_empty };
    return cf_journal_put (self, txn, self->req_times, "req_times", &when, &nothing, 0);
}

int
cf_journal_request_expire (cf_journal_t *self, MDB_txn *txn, int64_t before, size_t max_count,
                           size_t *deleted_p)
{
    int rc = cf_journal_write_ready (self, txn);
    size_t deleted = 0;
    if (deleted_p)
        *deleted_p = 0;
    if (rc)
        return rc;
    MDB_cursor *cursor;
    if ((rc = mdb_cursor_open (txn, self->req_times, &cursor)))
        return cf_journal_write_failed (self, "mdb_cursor_open", "req_times", rc);
    while (max_count == 0 || deleted < max_count) {
        //  Always the oldest: what we delete is the head, so MDB_FIRST
        //  each round avoids reasoning about a cursor after a delete.
        MDB_val key, value;
        rc = mdb_cursor_get (cursor, &key, &value, MDB_FIRST);
        if (rc == MDB_NOTFOUND) {
            rc = 0;
            break;
        }
        if (rc) {
            rc = cf_journal_write_failed (self, "mdb_cursor_get", "req_times", rc);
            break;
        }
        size_t id_len = key.mv_size - 8;
        if (key.mv_size <= 8 || id_len > CF_JOURNAL_REQUEST_ID_MAX) {
            rc = cf_journal_corrupt ("req_times key");
            break;
        }
        const uint8_t *bytes = key.mv_data;
        uint64_t at = 0;
        for (int byte = 0; byte < 8; byte++)
            at = (at << 8) | bytes [byte];
        if ((int64_t) at >= before)
            break;
        //  Copied: the key points into a page the deletes may change.
        char id [CF_JOURNAL_REQUEST_ID_MAX];
        memcpy (id, bytes + 8, id_len);
        if ((rc = mdb_cursor_del (cursor, 0))) {
            rc = cf_journal_write_failed (self, "mdb_cursor_del", "req_times", rc);
            break;
        }
        MDB_val request = { id_len, id };
        rc = mdb_del (txn, self->requests, &request, NULL);
        if (rc && rc != MDB_NOTFOUND) {
            rc = cf_journal_write_failed (self, "mdb_del", "requests", rc);
            break;
        }
        rc = 0;
        deleted++;
    }
    mdb_cursor_close (cursor);
    if (deleted_p)
        *deleted_p = deleted;
    return rc;
}
