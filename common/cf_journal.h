//  cf_journal: a service's durable store, one LMDB environment.
//
//  The journal is the ordered log of every event the service applied: the
//  events it produced on its own stream and the upstream events it consumed,
//  in the order applied. State is rebuilt from it at start. Named tables:
//
//      journal     position (uint64, 1, 2, ...) -> [checksum, 16 bytes][encoded Event]
//      produced    own-stream seq (uint64) -> position, to serve replay
//      cursors     upstream stream name -> last applied seq (uint64)
//      requests    request id -> [stored_at int64, native order][encoded Reply]
//      req_times   [stored_at int64 big-endian][request id] -> "" (expiry)
//      meta        text key -> bytes ("service", "format", "clock", "chain",
//                  "epoch", and per upstream "cursor-id.<stream>" and
//                  "cursor-epoch.<stream>": see "Stream identity" below)
//      access      [at int64 big-endian][number uint64 big-endian] -> an
//                  encoded AccessRecord (the access log: reads of personal
//                  data, cf_access.h; outside the journal and its chain,
//                  never replayed or published)
//
//  Integrity (since store format "2"): every journal record starts with a
//  checksum chained to the record before it,
//
//      checksum(n) = H (checksum(n - 1), event(n)),   checksum(0) = 16 zero bytes
//
//  (H: see cf_journal_chain.c), and meta "chain" holds the
//  last position and its checksum, written with every commit. A changed
//  byte in a record (or in its checksum) breaks the link at that position;
//  a missing record breaks the run of positions; lost records at the end
//  disagree with "chain". Replay and reads check every record they return,
//  so damaged bytes are never applied or served: they fail with
//  CF_ECORRUPT and a log line naming the position. This detects damage
//  (bit rot, torn or stray writes, hand edits), not deliberate forgery:
//  whoever can write the file can recompute the chain. Stores of format
//  "1" (no checksums) are refused; there is no migration (no format 1
//  store was ever in production). Stores of format "2" (the chain, with
//  residents' data in plain; today's is "3") are refused too: the offline
//  upgrade alone reads them (cf_journal_upgrade.h).
//
//  Stream identity (DESIGN.md, "Streams have an identity"): meta "epoch"
//  holds 8 random bytes made with the store (or at the first writable
//  open of a store older than epochs; the format stays "3"), which
//  cf_journal_epoch returns and the service sends with every heartbeat
//  and replay batch. An `mdb_copy` keeps it. Beside each upstream cursor
//  the store keeps the id of the event at the cursor ("cursor-id.<stream>":
//  [seq, 8 bytes native][id], written by the commit with the cursor, the
//  id read from the event's encoding) and the producer's epoch the cursor
//  belongs to ("cursor-epoch.<stream>", 8 bytes, written by the service
//  with cf_journal_meta_put's key from cf_journal_cursor_epoch_key). Both
//  are meta, so a binary that knows nothing of them ignores them.
//
//  Every change happens inside a write transaction the caller holds: one
//  transaction per step or, better, several steps per transaction (group
//  commit). Aborting a transaction leaves no trace. Values read are copied
//  out before the transaction ends, so nothing borrowed escapes.
//
//  A full map (MDB_MAP_FULL) is reported as CF_ESTOREFULL: the transaction
//  must be aborted, nothing already committed is lost, and reads keep
//  working. Reopen with a larger map size to resume writing.
//
//  One thread owns the writes: begin, the calls given its `txn`, commit or
//  abort. There is at most one write transaction at a time (asserted).
//  Calls given a NULL `txn` read what is committed in a read transaction of
//  their own (the store is opened with MDB_NOTLS), so they may also run on
//  another thread, or on the owner's while its write transaction is open.
//  A non-NULL `txn` is the one cf_journal_begin returned, or, for the
//  calls that only read, a read transaction from cf_journal_reader_begin.
//
//  Names are LMDB keys: stream names and meta keys are 1 to 511 bytes,
//  request ids 1 to 64 bytes; others are refused with CF_EINVAL (logged).
//  A stored value of a shape this module never writes is damage: any call
//  that meets one returns CF_ECORRUPT (logged) where CF_ESTORE is listed.
#ifndef CF_JOURNAL_H
#define CF_JOURNAL_H

#include <lmdb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _cf_journal_t cf_journal_t;

//  Opens (creating if needed) the store in directory `dir` (created if
//  missing, with every missing folder above it, each mode 0700) for
//  service `service`, with a map of `map_size` bytes (0: 1 GiB). Clears
//  stale reader slots. A store created by another service, or in another
//  format, is refused: returns NULL, sets *rc to CF_EMISMATCH and logs
//  both names. Other failures: NULL, *rc CF_ESTORE, CF_ESTOREFULL (no room
//  to stamp a new store), CF_EIO (a folder could not be made, or `dir` is
//  not a directory: logged with the folder and the system's reason) or
//  CF_EINVAL (empty dir or service), logged; CF_ELOCKED when another
//  process writes the store (cf_store_lock.h: the lock is held until
//  cf_journal_destroy; logged with the holder's pid). On success *rc is 0. `rc` may be NULL. Open a store
//  once per process: LMDB does not support two handles on one environment.
cf_journal_t *
cf_journal_open (const char *dir, const char *service, size_t map_size, int *rc);

//  Opens an existing store read-only, for checks (cf_journal_check.h) that
//  must not create or stamp anything, while its service runs or not. It
//  holds a shared lock when no writer does, so none starts under it.
//  Returns NULL and sets *rc to CF_ENOTFOUND when `dir` holds no store,
//  CF_EMISMATCH (another service's store, another format, not a caseflow
//  store) or CF_ESTORE, logged. Write calls are programming errors here.
cf_journal_t *
cf_journal_open_readonly (const char *dir, const char *service, int *rc);

//  Makes `dir` and every missing folder above it (mode 0700: a store
//  holds residents' data), as `mkdir -p` does. Returns 0, or CF_EIO,
//  logged with the folder that could not be made.
int
cf_journal_make_dir (const char *dir);

//  Closes the LMDB environment and opens it again on the same directory,
//  keeping the store's lock (no other process gets in between): after a
//  commit failed for want of disk space, when LMDB may have marked the
//  environment unusable (MDB_PANIC) until it is reopened. No transaction
//  may be open, readers included. Returns 0, or what cf_journal_open
//  returns (logged); on failure the store is unusable.
int
cf_journal_reopen (cf_journal_t *self);

//  Whether the store's disk has room for `bytes` more, tried by really
//  allocating them in a file beside the store (removed again), so a quota
//  counts too. Returns 0, CF_ENOSPACE (no room) or CF_EIO.
int
cf_journal_probe_room (cf_journal_t *self, size_t bytes);

//  Closes the store, safe on NULL; nulls *self_p. No transaction may be open.
void
cf_journal_destroy (cf_journal_t **self_p);

//  Begins the write transaction; none may be open already (asserted).
//  Returns 0 and sets *txn_p, or CF_ESTORE.
int
cf_journal_begin (cf_journal_t *self, MDB_txn **txn_p);

//  Commits `txn` (fsync by default). Returns 0, CF_ESTOREFULL, CF_ENOSPACE
//  (the disk or the quota is full: ENOSPC, EDQUOT) or CF_ESTORE (logged). The transaction is gone afterwards whatever the result. If a
//  write in `txn` already failed, the transaction is aborted and that
//  call's error returned again (not logged twice).
int
cf_journal_commit (cf_journal_t *self, MDB_txn *txn);

//  Aborts `txn`; everything it wrote is discarded.
void
cf_journal_abort (cf_journal_t *self, MDB_txn *txn);

//  A read transaction to keep for many reads (a read transaction begun per
//  read costs as much as the read): it sees what was committed when it
//  began or was last renewed. Keep it short-lived all the same (renew it
//  after each commit): LMDB cannot reuse pages an old one still sees.
//  Returns 0 or CF_ESTORE. Renew returns 0 or CF_ESTORE (the transaction
//  is then ended); end is safe on NULL.
int
cf_journal_reader_begin (cf_journal_t *self, MDB_txn **txn_p);
int
cf_journal_reader_renew (cf_journal_t *self, MDB_txn *txn);
void
cf_journal_reader_end (cf_journal_t *self, MDB_txn *txn);

//  Appends an event the service produced on its own stream with seq `seq`,
//  which must be the current last produced seq + 1 as seen in `txn`
//  (asserted). `data` is the encoded Event, copied. Sets *position_p if not
//  NULL. Returns 0, CF_ESTOREFULL or CF_ESTORE; after an error the caller
//  must abort `txn`, and every later write in it returns the same error.
int
cf_journal_append_produced (cf_journal_t *self, MDB_txn *txn, uint64_t seq, const void *data,
                            size_t size, uint64_t *position_p);

//  Appends an upstream event consumed from `stream` with seq `seq` and sets
//  that stream's cursor to `seq`, atomically within `txn`. Ordering is the
//  caller's business (the cursor is set, not checked). Sets *position_p if
//  not NULL. Returns 0, CF_EINVAL (bad stream name), CF_ESTOREFULL or
//  CF_ESTORE.
int
cf_journal_append_consumed (cf_journal_t *self, MDB_txn *txn, const char *stream, uint64_t seq,
                            const void *data, size_t size, uint64_t *position_p);

//  Sets upstream `stream`'s cursor to `seq` without an event (an
//  operator accepted the producer's new history): the cursor's event id
//  becomes unknown. Returns 0, CF_EINVAL, CF_ESTOREFULL or CF_ESTORE.
int
cf_journal_set_cursor (cf_journal_t *self, MDB_txn *txn, const char *stream, uint64_t seq);

//  Called once for each journal entry read, in position order.
//  `data` is borrowed for the duration of the call. Return 0 to go on,
//  anything else to stop (cf_journal_read_records then returns that value; pick
//  a value you can tell apart from CF_ESTORE).
typedef int (cf_journal_entry_fn) (void *ctx, uint64_t position, const void *data, size_t size);

//  Reads every journal record from `from_position` (1, or 0, for
//  everything) in one read transaction: what was committed when it began
//  (for the start-up rebuild of a service's state). Each record's checksum
//  is checked before the callback sees it, and a read that runs to the end
//  checks the chain head too. Returns 0 when all were visited,
//  the callback's non-zero value if it stopped, CF_ECORRUPT (logged with
//  the damaged position; nothing from there on was visited) or CF_ESTORE.
int
cf_journal_read_records (cf_journal_t *self, uint64_t from_position, cf_journal_entry_fn *fn,
                         void *ctx);

//  Reads produced events from own-stream seq `from_seq` (0 counts as 1)
//  upward, calling `fn` for each (its `position` argument is the seq),
//  stopping after `max_events`, or once `max_bytes` would be exceeded (at
//  least one event is always returned if there is one), or past `last_seq`
//  (inclusive; UINT64_MAX for no bound). `max_events` or `max_bytes` 0:
//  no limit. Uses `txn` if not NULL, else its own read transaction. Each
//  event's checksum is checked before the callback sees it. Returns 0, the
//  callback's value, CF_ECORRUPT (logged with the position) or CF_ESTORE.
int
cf_journal_read_produced (cf_journal_t *self, MDB_txn *txn, uint64_t from_seq, uint64_t last_seq,
                          size_t max_events, size_t max_bytes, cf_journal_entry_fn *fn, void *ctx);

//  Last produced seq (0 if none) and last journal position (0 if empty),
//  as committed or as seen in `txn` when not NULL.
uint64_t
cf_journal_last_seq (cf_journal_t *self, MDB_txn *txn);
uint64_t
cf_journal_last_position (cf_journal_t *self, MDB_txn *txn);

//  The longest event id a cursor's identity keeps (longer ones are cut).
#define CF_JOURNAL_EVENT_ID_MAX 64

//  The own stream's epoch: never 0 on a store opened for writing; 0 on a
//  store opened read-only that has none yet.
uint64_t
cf_journal_epoch (cf_journal_t *self);

//  The identity of upstream `stream`'s cursor, as committed (or as seen in
//  `txn`, when not NULL): its seq (0 if never set) in *seq_p, the
//  producer's epoch it belongs to (0: none recorded) in *epoch_p, and the
//  id of the event at that seq into `id` (`id_size` >=
//  CF_JOURNAL_EVENT_ID_MAX + 1; "" when unknown: no event applied, or a
//  cursor older than identities). Returns 0, CF_EINVAL, CF_ECORRUPT or
//  CF_ESTORE.
int
cf_journal_cursor_identity (cf_journal_t *self, MDB_txn *txn, const char *stream, uint64_t *seq_p,
                            uint64_t *epoch_p, char *id, size_t id_size);

//  Writes the meta key under which `stream`'s cursor epoch is kept into
//  `key` (`size` bytes); returns 0, or CF_EINVAL when it does not fit.
int
cf_journal_cursor_epoch_key (const char *stream, char *key, size_t size);

//  Reads the cursor of upstream `stream` into *seq_p (0 if never set).
//  Uses `txn` if not NULL. Returns 0, CF_EINVAL or CF_ESTORE.
int
cf_journal_cursor (cf_journal_t *self, MDB_txn *txn, const char *stream, uint64_t *seq_p);

//  Looks up the stored reply for `request_id` (as seen in `txn` if not
//  NULL). On success returns 0 and sets *reply_p to a fresh copy (free with
//  free) and *size_p. Returns CF_ENOTFOUND if none, CF_EINVAL (bad id),
//  or CF_ESTORE.
int
cf_journal_request_get (cf_journal_t *self, MDB_txn *txn, const char *request_id, void **reply_p,
                        size_t *size_p);

//  Stores the reply given to `request_id` at time `now` (microseconds
//  since the epoch, not negative), replacing any earlier reply and its
//  time. Returns 0, CF_EINVAL (bad id or time), CF_ESTOREFULL or
//  CF_ESTORE.
int
cf_journal_request_put (cf_journal_t *self, MDB_txn *txn, const char *request_id, const void *reply,
                        size_t size, int64_t now);

//  Deletes stored replies stored before `before` (microseconds), oldest
//  first, at most `max_count` of them (0: no limit). Sets *deleted_p if
//  not NULL. Returns 0, CF_ESTOREFULL or CF_ESTORE.
int
cf_journal_request_expire (cf_journal_t *self, MDB_txn *txn, int64_t before, size_t max_count,
                           size_t *deleted_p);

//  Reads meta value `key` (as seen in `txn` if not NULL) into a fresh
//  buffer (free with free), NUL terminated for convenience (not counted in
//  *size_p). Returns 0, CF_ENOTFOUND, CF_EINVAL or CF_ESTORE.
int
cf_journal_meta_get (cf_journal_t *self, MDB_txn *txn, const char *key, void **value_p,
                     size_t *size_p);

//  Sets meta value `key` (copied). "service" and "format" are the store's
//  own: do not change them. Returns 0, CF_EINVAL, CF_ESTOREFULL or
//  CF_ESTORE.
int
cf_journal_meta_put (cf_journal_t *self, MDB_txn *txn, const char *key, const void *value,
                     size_t size);

//  Adds an access record (`record`, `size` bytes, copied) at time `at`
//  (microseconds, not negative) numbered `number` (unique: the caller
//  counts on from cf_journal_access_last). Not on a store opened
//  read-only. Returns 0, CF_EINVAL (a negative time), CF_ESTOREFULL or
//  CF_ESTORE.
int
cf_journal_access_put (cf_journal_t *self, MDB_txn *txn, int64_t at, uint64_t number,
                       const void *record, size_t size);

//  The highest number of the access records committed (0 when none) in
//  *number_p. Returns 0, CF_ECORRUPT (a key of another shape) or
//  CF_ESTORE.
int
cf_journal_access_last (cf_journal_t *self, uint64_t *number_p);

//  Called for each access record read, in (time, number) order; `record`
//  is borrowed for the call. Return 0 to go on, anything else to stop.
typedef int (cf_journal_access_fn) (void *ctx, int64_t at, uint64_t number, const void *record,
                                    size_t size);

//  Reads the committed access records with a time in [from, to] (`to`
//  INT64_MAX: no bound) in one read transaction. Returns 0, the callback's
//  value if it stopped, CF_ECORRUPT or CF_ESTORE.
int
cf_journal_access_read (cf_journal_t *self, int64_t from, int64_t to, cf_journal_access_fn *fn,
                        void *ctx);

//  Number of journal entries and bytes in use by the store (committed:
//  pages up to the last one used, free pages inside included). 0 if the
//  store cannot be read (logged).
uint64_t
cf_journal_entries (cf_journal_t *self);
uint64_t
cf_journal_bytes (cf_journal_t *self);

//  Map size in bytes: the one asked for at open, or more if the store
//  already held more than that.
size_t
cf_journal_map_size (cf_journal_t *self);

#endif
