//  cf_journal_private: the store's struct and the helpers of cf_journal.c
//  that the other files of the store use; nothing outside the store
//  includes it. cf_journal.c is the store's core (transactions, appends,
//  cursors, meta, the chain's stored checksums); the others call down into
//  it and never the other way: cf_journal_open.c makes and opens a store,
//  cf_journal_read.c reads the journal (every record, produced events),
//  cf_journal_requests.c keeps the stored replies, cf_journal_access.c the
//  access log, cf_journal_check.c checks a whole store. The checksums themselves are cf_journal_chain's.
#ifndef CF_JOURNAL_PRIVATE_H
#define CF_JOURNAL_PRIVATE_H

#include "cf_journal.h"
#include "cf_journal_chain.h"
#include "cf_store_lock.h"

#include <lmdb.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CF_JOURNAL_FORMAT         "3"
#define CF_JOURNAL_CHAIN_KEY      "chain"  //  meta: the chain head (cf_journal_chain.h)
#define CF_JOURNAL_EPOCH_KEY      "epoch"  //  meta: the stream's epoch, 8 bytes, never 0
#define CF_JOURNAL_TABLES         7
#define CF_JOURNAL_REQUEST_ID_MAX 64
#define CF_JOURNAL_CURSORS_HELD   16               //  upstreams whose cursor a commit writes
#define CF_JOURNAL_NAME_MAX       512              //  a meta key or stream name and its NUL
#define CF_JOURNAL_CURSOR_ID      "cursor-id."     //  meta + stream: [seq][id of the event at seq]
#define CF_JOURNAL_CURSOR_EPOCH   "cursor-epoch."  //  meta + stream: the producer's epoch

struct _cf_journal_t {
    MDB_env *env;
    char *dir;              //  for log lines
    cf_store_lock_t *lock;  //  held while open: exclusive to write, shared to check
    char *service;          //  the owner, and the map size asked for: to reopen
    size_t map_size;
    bool readonly;
    uint64_t epoch;      //  the own stream's epoch (0: a read-only store without one)
    const char *format;  //  the one format this handle accepts (static; NULL: any)
    size_t key_max;      //  LMDB's longest key, for names
    MDB_dbi journal;
    MDB_dbi produced;
    MDB_dbi cursors;
    MDB_dbi requests;
    MDB_dbi req_times;
    MDB_dbi meta;
    MDB_dbi access;  //  not opened read-only (nothing that checks a store reads it)
    //  What is committed. Atomic because readers on other threads may ask
    //  for it while the owner commits.
    _Atomic uint64_t last_position;
    _Atomic uint64_t last_seq;
    //  The one open write transaction, what it appended, and the error
    //  that spoiled it (0 while it is healthy).
    MDB_txn *write_txn;
    uint64_t pending_position;
    uint64_t pending_seq;
    int write_rc;
    //  Checksum of the last record, committed and in the open write
    //  transaction. The owner thread's alone: only appends use them.
    uint8_t last_sum [CF_JOURNAL_SUM];
    uint8_t pending_sum [CF_JOURNAL_SUM];
    //  The open write transaction's cursor moves, written once by the
    //  commit rather than once per consumed event. The names are kept
    //  (malloc'd) from one transaction to the next; `held` marks the ones
    //  this transaction moved.
    struct {
        char *stream;
        uint64_t seq;
        bool held;
        char id [CF_JOURNAL_EVENT_ID_MAX + 1];  //  the event at seq ("": it had none)
    } cursors_held [CF_JOURNAL_CURSORS_HELD];
};

//  Opens an existing store of `format` (and no other) read-only, as
//  cf_journal_open_readonly does for the current format: for the upgrade
//  (cf_journal_upgrade.c). `format` is a static string, or NULL for a
//  store of any format (to read which).
cf_journal_t *
cf_journal_open_format (const char *dir, const char *service, const char *format, int *rc);

//  Maps an LMDB error from `call` to CF_ESTOREFULL or CF_ESTORE, logged.
int
cf_journal_store_error (const char *call, const char *what, int rc);

//  A stored value of a shape this module never writes: logged, CF_ECORRUPT.
int
cf_journal_corrupt (const char *what);

//  A write of the open transaction failed: logged, and kept as the error
//  every later call in the transaction returns.
int
cf_journal_write_failed (cf_journal_t *self, const char *call, const char *what, int rc);

//  mdb_put, its failure through cf_journal_write_failed.
int
cf_journal_put (cf_journal_t *self, MDB_txn *txn, MDB_dbi dbi, const char *what, MDB_val *key,
                MDB_val *value, unsigned flags);

//  Checks that `txn` is the open write transaction; returns the error that
//  spoiled it, or 0.
int
cf_journal_write_ready (cf_journal_t *self, MDB_txn *txn);

//  The transaction to read in: the caller's `txn`, or a read transaction
//  begun here, which cf_journal_read_end ends (and only that one).
int
cf_journal_read_begin (cf_journal_t *self, MDB_txn *txn, MDB_txn **use_p);
void
cf_journal_read_end (MDB_txn *txn, MDB_txn *used);

//  Checks a name used as a key (1 to `max` bytes); CF_EINVAL (logged).
int
cf_journal_name_check (cf_journal_t *self, const char *what, const char *name, size_t max);

//  Reads an 8-byte integer key or value (unaligned); CF_ECORRUPT if it is
//  not one.
int
cf_journal_get_u64 (const MDB_val *value, uint64_t *number_p, const char *what);

//  The last integer key of table `dbi` in *last_p (0 when empty).
int
cf_journal_last_key (MDB_txn *txn, MDB_dbi dbi, const char *what, uint64_t *last_p);

//  Writes the expiry key of a stored reply, [stored_at big-endian][id],
//  into `key` (8 + CF_JOURNAL_REQUEST_ID_MAX bytes); returns its length.
size_t
cf_journal_time_key (uint8_t *key, int64_t stored_at, const char *id, size_t id_len);

//  Reads meta `key` within `txn`; *value_p is borrowed from LMDB until
//  the transaction ends. Returns 0, CF_ENOTFOUND or CF_ESTORE (logged).
int
cf_journal_meta_text (cf_journal_t *self, MDB_txn *txn, const char *key, MDB_val *value_p);

//  Reads the stored checksum of the record at `position` into `sum` (the
//  chain's start, zeros, for position 0). Returns 0, CF_ECORRUPT (logged
//  with the position) or CF_ESTORE.
int
cf_journal_stored_sum (cf_journal_t *self, MDB_txn *txn, uint64_t position, uint8_t *sum);

//  Checks that the chain head in meta names `position` (the last record;
//  0 for an empty journal) with checksum `sum`. Returns 0, CF_ECORRUPT
//  (logged) or CF_ESTORE.
int
cf_journal_check_head (cf_journal_t *self, MDB_txn *txn, uint64_t position, const uint8_t *sum);

//  Logs damage found at `position` and returns CF_ECORRUPT.
int
cf_journal_damaged (cf_journal_t *self, uint64_t position, const char *problem);

#endif
