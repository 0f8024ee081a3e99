//  cf_journal_check: checking a whole store offline (see cf_journal_check.h).
//
//  Everything is read in one read transaction, so the check sees one
//  committed state while the service may go on writing. The first damage
//  found ends the check: past a broken link nothing that follows can be
//  trusted to say where the next damage is.
#include "cf_journal_check.h"

#include "cf_error.h"
#include "cf_journal_chain.h"
#include "cf_journal_private.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

//  Records the first damage found; returns CF_ECORRUPT.
static int
s_found (cf_journal_check_t *check, uint64_t position, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

static int
s_found (cf_journal_check_t *check, uint64_t position, const char *fmt, ...)
{
    check->damaged_at = position;
    va_list args;
    va_start (args, fmt);
    vsnprintf (check->problem, sizeof check->problem, fmt, args);
    va_end (args);
    return CF_ECORRUPT;
}

//  Walks `dbi` from its first entry, calling `step` for each; stops at the
//  first non-zero return.
typedef int (s_step_fn) (cf_journal_t *self, MDB_txn *txn, cf_journal_check_t *check,
                         const MDB_val *key, const MDB_val *value, void *ctx);

static int
s_walk (cf_journal_t *self, MDB_txn *txn, MDB_dbi dbi, const char *what, cf_journal_check_t *check,
        s_step_fn *step, void *ctx)
{
    MDB_cursor *cursor;
    int rc = mdb_cursor_open (txn, dbi, &cursor);
    if (rc)
        return cf_journal_store_error ("mdb_cursor_open", what, rc);
    MDB_val key, value;
    int result = 0;
    rc = mdb_cursor_get (cursor, &key, &value, MDB_FIRST);
    while (rc == 0 && result == 0) {
        result = step (self, txn, check, &key, &value, ctx);
        if (result == 0)
            rc = mdb_cursor_get (cursor, &key, &value, MDB_NEXT);
    }
    mdb_cursor_close (cursor);
    if (result == 0 && rc != MDB_NOTFOUND)
        result = cf_journal_store_error ("mdb_cursor_get", what, rc);
    return result;
}

//  The chain: positions 1, 2, ... each record matching its checksum.
static int
s_verify_record (cf_journal_t *self, MDB_txn *txn, cf_journal_check_t *check, const MDB_val *key,
                 const MDB_val *value, void *ctx)
{
    (void) self;
    (void) txn;
    uint8_t *previous = ctx, sum [CF_JOURNAL_SUM];
    uint64_t expected = check->records + 1, position;
    if (key->mv_size != sizeof position)
        return s_found (check, expected, "journal key of %zu bytes", key->mv_size);
    memcpy (&position, key->mv_data, sizeof position);
    if (position != expected)
        return s_found (check, expected,
                        "record missing (the next record is at position "
                        "%llu)",
                        (unsigned long long) position);
    const char *problem = cf_journal_chain_check (value, previous, sum);
    if (problem)
        return s_found (check, position, "%s", problem);
    memcpy (previous, sum, CF_JOURNAL_SUM);
    check->records = position;
    check->last_position = position;
    return 0;
}

//  The produced index: seqs 1, 2, ... at rising positions of the journal.
static int
s_verify_produced (cf_journal_t *self, MDB_txn *txn, cf_journal_check_t *check, const MDB_val *key,
                   const MDB_val *value, void *ctx)
{
    (void) self;
    (void) txn;
    uint64_t *last_position = ctx, seq, position;
    if (key->mv_size != sizeof seq || value->mv_size != sizeof position)
        return s_found (check, 0, "produced index: malformed entry after seq %llu",
                        (unsigned long long) check->produced);
    memcpy (&seq, key->mv_data, sizeof seq);
    memcpy (&position, value->mv_data, sizeof position);
    if (seq != check->produced + 1)
        return s_found (check, 0, "produced index: seq %llu missing (the next is %llu)",
                        (unsigned long long) check->produced + 1, (unsigned long long) seq);
    if (position <= *last_position || position > check->last_position)
        return s_found (check, 0,
                        "produced index: seq %llu points at position %llu, not "
                        "after %llu within the journal's %llu",
                        (unsigned long long) seq, (unsigned long long) position,
                        (unsigned long long) *last_position,
                        (unsigned long long) check->last_position);
    *last_position = position;
    check->produced = seq;
    return 0;
}

static int
s_verify_cursor (cf_journal_t *self, MDB_txn *txn, cf_journal_check_t *check, const MDB_val *key,
                 const MDB_val *value, void *ctx)
{
    (void) self;
    (void) txn;
    (void) ctx;
    if (key->mv_size == 0 || value->mv_size != sizeof (uint64_t))
        return s_found (check, 0, "cursors: malformed entry after %llu good ones",
                        (unsigned long long) check->cursors);
    check->cursors++;
    return 0;
}

//  Each stored reply has its expiry entry (and, counted after, no more).
static int
s_verify_request (cf_journal_t *self, MDB_txn *txn, cf_journal_check_t *check, const MDB_val *key,
                  const MDB_val *value, void *ctx)
{
    (void) ctx;
    int64_t stored_at;
    if (key->mv_size == 0 || key->mv_size > CF_JOURNAL_REQUEST_ID_MAX
        || value->mv_size < sizeof stored_at)
        return s_found (check, 0, "requests: malformed entry after %llu good ones",
                        (unsigned long long) check->requests);
    memcpy (&stored_at, value->mv_data, sizeof stored_at);
    uint8_t time_key [8 + CF_JOURNAL_REQUEST_ID_MAX];
    MDB_val when = { cf_journal_time_key (time_key, stored_at, key->mv_data, key->mv_size),
                     time_key };
    MDB_val nothing;
    int rc = mdb_get (txn, self->req_times, &when, &nothing);
    if (rc == MDB_NOTFOUND)
        return s_found (check, 0, "requests: a stored reply has no expiry entry");
    if (rc)
        return cf_journal_store_error ("mdb_get", "req_times", rc);
    check->requests++;
    return 0;
}

static int
s_verify (cf_journal_t *self, MDB_txn *txn, cf_journal_check_t *check)
{
    uint8_t previous [CF_JOURNAL_SUM] = { 0 };
    int rc = s_walk (self, txn, self->journal, "journal", check, s_verify_record, previous);
    if (rc)
        return rc;
    MDB_val key = { strlen (CF_JOURNAL_CHAIN_KEY), (void *) CF_JOURNAL_CHAIN_KEY }, head;
    rc = mdb_get (txn, self->meta, &key, &head);
    if (rc && rc != MDB_NOTFOUND)
        return cf_journal_store_error ("mdb_get", "meta chain", rc);
    uint64_t at;
    const char *problem =
        cf_journal_chain_head_problem (rc ? NULL : &head, check->last_position, previous, &at);
    if (problem)
        return s_found (check, at, "%s", problem);
    uint64_t last_position = 0;
    if ((rc = s_walk (self, txn, self->produced, "produced", check, s_verify_produced,
                      &last_position))
        || (rc = s_walk (self, txn, self->cursors, "cursors", check, s_verify_cursor, NULL))
        || (rc = s_walk (self, txn, self->requests, "requests", check, s_verify_request, NULL)))
        return rc;
    MDB_stat stat;
    if ((rc = mdb_stat (txn, self->req_times, &stat)))
        return cf_journal_store_error ("mdb_stat", "req_times", rc);
    if (stat.ms_entries != check->requests)
        return s_found (check, 0, "requests: %llu stored replies but %llu expiry entries",
                        (unsigned long long) check->requests, (unsigned long long) stat.ms_entries);
    return 0;
}

int
cf_journal_verify (cf_journal_t *self, cf_journal_check_t *check)
{
    assert (self);
    assert (check);
    memset (check, 0, sizeof *check);
    MDB_txn *txn;
    int rc = mdb_txn_begin (self->env, NULL, MDB_RDONLY, &txn);
    if (rc)
        return cf_journal_store_error ("mdb_txn_begin", "verify", rc);
    rc = s_verify (self, txn, check);
    mdb_txn_abort (txn);
    return rc;
}

int
cf_journal_check_store (const char *dir, const char *service, FILE *out)
{
    assert (out);
    fprintf (out, "store %s (service %s; this build reads format %s)\n", dir, service,
             CF_JOURNAL_FORMAT);
    int rc = 0;
    cf_journal_t *self = cf_journal_open_readonly (dir, service, &rc);
    if (!self && rc == CF_ECORRUPT) {
        //  Its file: what and where is in the error line on stderr.
        fprintf (out, "the store's file is damaged (the error line names the page and what is "
                      "wrong with it)\nverify: DAMAGED\n");
        return rc;
    }
    if (!self) {
        fprintf (out, "cannot open the store: %s\nverify: FAILED\n", cf_strerror (rc));
        return rc;
    }
    cf_journal_check_t check;
    rc = cf_journal_verify (self, &check);
    cf_journal_destroy (&self);
    fprintf (out, "journal: %llu records, each matching its chained checksum\n",
             (unsigned long long) check.records);
    if (rc == 0)
        fprintf (out,
                 "journal: chain head matches the last record\n"
                 "produced: seqs 1-%llu indexed in journal order\n"
                 "cursors: %llu upstream streams\n"
                 "requests: %llu stored replies, each with its expiry entry\n"
                 "verify: OK\n",
                 (unsigned long long) check.produced, (unsigned long long) check.cursors,
                 (unsigned long long) check.requests);
    else if (rc == CF_ECORRUPT && check.damaged_at)
        fprintf (out, "journal damaged at position %llu: %s\nverify: DAMAGED\n",
                 (unsigned long long) check.damaged_at, check.problem);
    else if (rc == CF_ECORRUPT)
        fprintf (out, "%s\nverify: DAMAGED\n", check.problem);
    else
        fprintf (out, "reading the store failed: %s\nverify: FAILED\n", cf_strerror (rc));
    return rc;
}
