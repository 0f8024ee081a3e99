//  cf_journal_chain: the integrity of a caseflow store (see cf_journal.h
//  for the record layout and cf_journal_private.h for how the two files
//  of cf_journal divide the work).
//
//  The chain function is SipHash-2-4 with a 128-bit output (libsodium's
//  crypto_shorthash_siphashx24) keyed with the previous record's checksum.
//  SipHash is a pseudo-random function: any change to a record, or to the
//  checksum before it, gives an unrelated value, so damage goes unnoticed
//  with odds of 2^-128. BLAKE2b (crypto_generichash), the first choice,
//  cost as much per record as decoding the event and took start-up replay
//  below its budget of a million events a second; SipHash costs a third
//  of that or less (docs/architecture.md has the figures). Neither would stop a
//  forger who can write the file, and that is not the job: whoever can
//  write it can recompute any unkeyed chain.
//
//  Checking a record needs only its predecessor's stored checksum, so a
//  replay from any position, or a read of scattered produced events, can
//  check exactly what it returns.
#include "cf_journal_private.h"

#include "cf_error.h"
#include "cf_log.h"

#include <assert.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

_Static_assert(crypto_shorthash_siphashx24_BYTES == CF_JOURNAL_SUM
                   && crypto_shorthash_siphashx24_KEYBYTES == CF_JOURNAL_SUM,
               "each record's checksum keys the next one's");

//  The checksum before position 1.
static const uint8_t s_genesis [CF_JOURNAL_SUM];

void
cf_journal_chain_sum (const uint8_t *previous, const void *data, size_t size, uint8_t *sum)
{
    static const uint8_t nothing [1];
    crypto_shorthash_siphashx24 (sum, size ? data : (const void *) nothing,
                                 (unsigned long long) size, previous);
}

const char *
cf_journal_chain_check (const MDB_val *record, const uint8_t *previous, uint8_t *sum)
{
    if (record->mv_size < CF_JOURNAL_SUM)
        return "record shorter than its checksum";
    cf_journal_chain_sum (previous, (const uint8_t *) record->mv_data + CF_JOURNAL_SUM,
                          record->mv_size - CF_JOURNAL_SUM, sum);
    if (memcmp (sum, record->mv_data, CF_JOURNAL_SUM) != 0)
        return "checksum mismatch: the record, or the checksum of the record before it, "
               "was changed";
    return NULL;
}

int
cf_journal_chain_damaged (cf_journal_t *self, uint64_t position, const char *problem)
{
    cf_log_error ("cf_journal: %s: journal damaged at position %llu: %s", self->dir,
                  (unsigned long long) position, problem);
    return CF_ECORRUPT;
}

int
cf_journal_chain_stored (cf_journal_t *self, MDB_txn *txn, uint64_t position, uint8_t *sum)
{
    if (position == 0) {
        memcpy (sum, s_genesis, CF_JOURNAL_SUM);
        return 0;
    }
    MDB_val key = { sizeof position, &position }, value;
    int rc = mdb_get (txn, self->journal, &key, &value);
    if (rc == MDB_NOTFOUND)
        return cf_journal_chain_damaged (self, position, "record missing");
    if (rc)
        return cf_journal_store_error ("mdb_get", "journal", rc);
    if (value.mv_size < CF_JOURNAL_SUM)
        return cf_journal_chain_damaged (self, position, "record shorter than its checksum");
    memcpy (sum, value.mv_data, CF_JOURNAL_SUM);
    return 0;
}

//  What is wrong with the chain head, given the last record's position
//  and checksum, and at which position (*at_p); NULL when nothing is (or
//  *rc_p is set: it could not be read).
static const char *
s_head_problem (cf_journal_t *self, MDB_txn *txn, uint64_t position, const uint8_t *sum,
                uint64_t *at_p, int *rc_p)
{
    *rc_p = 0;
    *at_p = position ? position : 1;
    MDB_val key = { strlen (CF_JOURNAL_CHAIN_KEY), (void *) CF_JOURNAL_CHAIN_KEY }, value;
    int rc = mdb_get (txn, self->meta, &key, &value);
    if (rc == MDB_NOTFOUND)
        return position ? "chain head missing from meta" : NULL;
    if (rc) {
        *rc_p = cf_journal_store_error ("mdb_get", "meta chain", rc);
        return NULL;
    }
    uint64_t head;
    if (value.mv_size != sizeof head + CF_JOURNAL_SUM)
        return "chain head in meta malformed";
    memcpy (&head, value.mv_data, sizeof head);
    if (head > position) {
        *at_p = position + 1;
        return "record missing: the journal ends before the last record committed";
    }
    if (head < position
        || memcmp ((const uint8_t *) value.mv_data + sizeof head, sum, CF_JOURNAL_SUM) != 0)
        return "the last record does not match the chain head";
    return NULL;
}

int
cf_journal_chain_check_head (cf_journal_t *self, MDB_txn *txn, uint64_t position,
                             const uint8_t *sum)
{
    int rc;
    uint64_t at;
    const char *problem = s_head_problem (self, txn, position, sum, &at, &rc);
    if (problem)
        return cf_journal_chain_damaged (self, at, problem);
    return rc;
}

int
cf_journal_chain_put_head (cf_journal_t *self, MDB_txn *txn)
{
    uint8_t head [sizeof (uint64_t) + CF_JOURNAL_SUM];
    memcpy (head, &self->pending_position, sizeof (uint64_t));
    memcpy (head + sizeof (uint64_t), self->pending_sum, CF_JOURNAL_SUM);
    MDB_val key = { strlen (CF_JOURNAL_CHAIN_KEY), (void *) CF_JOURNAL_CHAIN_KEY };
    MDB_val value = { sizeof head, head };
    return mdb_put (txn, self->meta, &key, &value, 0);
}

//  ------------------------------------------------------- whole store

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
    uint64_t at;
    const char *problem = s_head_problem (self, txn, check->last_position, previous, &at, &rc);
    if (rc)
        return rc;
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
