//  cf_journal_upgrade: what the offline upgrade of a deployment
//  (services/upgrade, docs/privacy.md "Upgrading a deployment") needs of a
//  store, and nothing else does.
//
//  Store format "2" is the format before personal data was sealed: the
//  same tables, records and checksum chain as today's format "3", with
//  residents' data in plain inside intake's events (and in the copies of
//  them downstream). Every service refuses it (cf_journal_open); the
//  upgrade alone reads it, read-only, and writes a store of today's format
//  through cf_journal beside it. It carries over what is not events too:
//  the meta values, the cursors (checked: they follow from the copies
//  written again) and the stored replies with their times, read here
//  entry by entry.
#ifndef CF_JOURNAL_UPGRADE_H
#define CF_JOURNAL_UPGRADE_H

#include "cf_journal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  The format the upgrade reads.
#define CF_JOURNAL_PREVIOUS_FORMAT "2"

//  Opens the store of `service` in `dir`, which must be of format "2",
//  read-only. Returns NULL and sets *rc to CF_ENOTFOUND (no store),
//  CF_EMISMATCH (another service's, not a caseflow store, or another
//  format: today's included, logged with the format found) or CF_ESTORE,
//  logged. Read it with the calls of cf_journal.h that read; destroy it
//  with cf_journal_destroy.
cf_journal_t *
cf_journal_open_previous (const char *dir, const char *service, int *rc);

//  The format of the store of `service` in `dir` ("2", "3"), read-only,
//  into `format`. Returns 0, CF_ENOTFOUND (no store), CF_EMISMATCH
//  (another service's or not a caseflow store) or CF_ESTORE, logged.
int
cf_journal_format_of (const char *dir, const char *service, char *format, size_t size);

//  True when another process holds the store in `dir` open (LMDB keeps a
//  shared lock on its lock file for as long as an environment is open; a
//  process that died holds none). The upgrade runs only on stores no
//  service has open. False when `dir` has no lock file.
bool
cf_journal_open_elsewhere (const char *dir);

//  Called for each meta value: its key (NUL-terminated) and its bytes,
//  borrowed for the call. Return 0 to go on; anything else stops the walk
//  and is returned.
typedef int (cf_journal_meta_fn) (void *ctx, const char *key, const void *value, size_t size);

//  Called for each cursor: the upstream stream and its last applied seq.
typedef int (cf_journal_cursor_fn) (void *ctx, const char *stream, uint64_t seq);

//  Called for each stored reply: its request id, when it was stored
//  (microseconds since the epoch) and the encoded Reply, borrowed.
typedef int (cf_journal_request_fn) (void *ctx, const char *request_id, int64_t stored_at,
                                     const void *reply, size_t size);

//  Walk the committed meta values, cursors and stored replies, each in
//  key order, in one read transaction. Return 0, the callback's non-zero
//  value, CF_ECORRUPT (a value of a shape the store never writes, logged)
//  or CF_ESTORE.
int
cf_journal_each_meta (cf_journal_t *self, cf_journal_meta_fn *fn, void *ctx);
int
cf_journal_each_cursor (cf_journal_t *self, cf_journal_cursor_fn *fn, void *ctx);
int
cf_journal_each_request (cf_journal_t *self, cf_journal_request_fn *fn, void *ctx);

#endif
