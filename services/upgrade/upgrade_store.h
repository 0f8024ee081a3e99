//  upgrade_store: one store of a deployment written again in today's
//  format, beside the old one.
//
//  The old store (format 2, read-only) is read record by record, in
//  journal order, and a new store (format 3) is written through cf_journal
//  in its staging directory, so the checksum chain is the new bytes'. At
//  every position the new journal holds the same event: the service's own
//  events keep their seq (and, the body aside, every envelope field: id,
//  occurred_at, case, correlation and causation ids), as rewritten by the
//  service's rewrite hook or byte for byte without one; a copy of an
//  upstream event is replaced by the producer's final bytes for that seq,
//  whose event id must be the copy's. Meta values (the clock's kind and
//  reading) and stored replies (with their times, through the reply hook)
//  are carried over; the cursors follow from the copies and are checked
//  against the old ones. The new store is verified (cf_journal_verify)
//  before anyone reads it.
#ifndef UPGRADE_STORE_H
#define UPGRADE_STORE_H

#include "caseflow/v1/api.pb-c.h"
#include "caseflow/v1/event.pb-c.h"
#include "cf_journal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  How a service's own events and stored replies change. A NULL hook keeps
//  them as they are. Hooks log what went wrong and return a CF_E… code,
//  which stops the upgrade.
typedef struct {
    void *ctx;
    //  An own event, decoded (`event`) from `data`: 0 with *out NULL keeps
    //  its bytes; 0 with *out (malloc'd) and *out_size replaces them.
    int (*own) (void *ctx, const Caseflow__V1__Event *event, const uint8_t *data, size_t size,
                uint8_t **out, size_t *out_size);
    //  Every upstream event copied, as its producer's final bytes decoded,
    //  in journal order (a rewrite that keeps state sees what it applied).
    int (*upstream) (void *ctx, const Caseflow__V1__Event *event);
    //  A stored reply: UPGRADE_REPLY_KEEP, UPGRADE_REPLY_REPLACE (*out,
    //  malloc'd) or UPGRADE_REPLY_DROP.
    int (*reply) (void *ctx, const char *request_id, const uint8_t *data, size_t size,
                  uint8_t **out, size_t *out_size);
    //  Before each commit of the new journal: what its events depend on
    //  (the key store) is made durable first. 0 or an error.
    int (*before_commit) (void *ctx);
} upgrade_rewrite_t;

enum { UPGRADE_REPLY_KEEP = 0, UPGRADE_REPLY_REPLACE = 1, UPGRADE_REPLY_DROP = 2 };

//  A rewrite's `reply` for a service whose stored replies may carry
//  personal data: decodes the reply `data` (one that does not decode is
//  dropped, logged by `request_id`), lets `strip` take the personal data
//  out (true when it changed the reply), and encodes a changed reply into
//  *out (malloc'd) and *out_size. Returns an UPGRADE_REPLY_* verdict.
int
upgrade_reply_strip (const char *request_id, const uint8_t *data, size_t size,
                     bool (*strip) (Caseflow__V1__Reply *reply), uint8_t **out, size_t *out_size);

typedef struct upgrade_store upgrade_store_t;

//  One store: set service, dir, staging and rewritten; upgrade_store_open
//  and upgrade_store_write fill the rest.
struct upgrade_store {
    const char *service;  //  also its stream's name
    char dir [4096];
    char staging [4200];
    bool rewritten;        //  its own events change (it has an own hook)
    cf_journal_t *old;     //  format 2, read-only
    cf_journal_t *staged;  //  format 3, in `staging`
    //  Where its events' final bytes are, for the copies downstream: the
    //  old store when they do not change, else the new one once written
    //  (NULL until then).
    cf_journal_t *final;
    //  What was done.
    uint64_t records, own, changed, copies, replies, stripped, dropped, cursors;
};

//  Opens the old store in store->dir read-only (format 2). Returns 0 or
//  the error, logged.
int
upgrade_store_open (upgrade_store_t *store);

//  Writes the new store into store->staging (made; it must hold no store)
//  with `rewrite` (NULL: nothing changes), looking copies up in
//  `producers` (`count` stores, this one among them or not) by stream
//  name. Sets store->final. Returns 0, or the error, reported on stderr
//  naming the store and what is wrong (a copy of an event its producer
//  does not have names the stream and seq).
int
upgrade_store_write (upgrade_store_t *store, upgrade_store_t *const *producers, size_t count,
                     const upgrade_rewrite_t *rewrite);

//  Closes both journals; safe when they are not open.
void
upgrade_store_close (upgrade_store_t *store);

#endif
