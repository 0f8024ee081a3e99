//  cf_journal_identity: the store's stream identity (see cf_journal.h,
//  "Stream identity"): the own stream's epoch, and the identity kept
//  beside each upstream cursor (the producer's epoch, the id of the event
//  at the cursor). Part of cf_journal; calls down into cf_journal.c, whose
//  commit writes the event ids with the cursors.
#include "cf_journal_private.h"

#include "cf_error.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

uint64_t
cf_journal_epoch (cf_journal_t *self)
{
    assert (self);
    return self->epoch;
}

int
cf_journal_cursor_epoch_key (const char *stream, char *key, size_t size)
{
    int length = snprintf (key, size, CF_JOURNAL_CURSOR_EPOCH "%s", stream);
    return length < 0 || (size_t) length >= size ? CF_EINVAL : 0;
}

//  Reads meta `prefix` + `stream` within `use`; CF_ENOTFOUND when absent
//  (or when the name could not be a key: such a cursor keeps none).
static int
s_meta_of (cf_journal_t *self, MDB_txn *use, const char *prefix, const char *stream, MDB_val *value)
{
    char name [CF_JOURNAL_NAME_MAX];
    int length = snprintf (name, sizeof name, "%s%s", prefix, stream);
    if (length < 0 || length >= (int) sizeof name || (size_t) length > self->key_max)
        return CF_ENOTFOUND;
    return cf_journal_meta_text (self, use, name, value);
}

int
cf_journal_cursor_identity (cf_journal_t *self, MDB_txn *txn, const char *stream, uint64_t *seq_p,
                            uint64_t *epoch_p, char *id, size_t id_size)
{
    assert (self && seq_p && epoch_p && id);
    assert (id_size > CF_JOURNAL_EVENT_ID_MAX);
    *epoch_p = 0;
    id [0] = 0;
    int rc = cf_journal_cursor (self, txn, stream, seq_p);
    if (rc)
        return rc;
    //  The open transaction's own cursor moves are held, not yet in meta.
    if (txn && txn == self->write_txn)
        for (size_t i = 0; i < CF_JOURNAL_CURSORS_HELD; i++)
            if (self->cursors_held [i].held && strcmp (self->cursors_held [i].stream, stream) == 0)
                snprintf (id, id_size, "%s", self->cursors_held [i].id);
    MDB_txn *use;
    if ((rc = cf_journal_read_begin (self, txn, &use)))
        return rc;
    MDB_val value;
    if (!id [0] && (rc = s_meta_of (self, use, CF_JOURNAL_CURSOR_ID, stream, &value)) == 0) {
        uint64_t seq;
        size_t length = value.mv_size - sizeof seq;
        if (value.mv_size < sizeof seq || length > CF_JOURNAL_EVENT_ID_MAX)
            rc = cf_journal_corrupt ("meta cursor-id");
        else {
            memcpy (&seq, value.mv_data, sizeof seq);
            //  An identity of another seq is stale (written by a binary
            //  that kept identities, the cursor moved by one that did
            //  not): unknown.
            if (seq == *seq_p) {
                memcpy (id, (const uint8_t *) value.mv_data + sizeof seq, length);
                id [length] = 0;
            }
        }
    }
    if (rc == 0 || rc == CF_ENOTFOUND)
        rc = s_meta_of (self, use, CF_JOURNAL_CURSOR_EPOCH, stream, &value);
    if (rc == 0) {
        if (value.mv_size != sizeof *epoch_p)
            rc = cf_journal_corrupt ("meta cursor-epoch");
        else
            memcpy (epoch_p, value.mv_data, sizeof *epoch_p);
    }
    cf_journal_read_end (txn, use);
    return rc == CF_ENOTFOUND ? 0 : rc;
}
