//  upgrade_store: one store written again in today's format (see
//  upgrade_store.h).
//
//  The old journal is walked once, in one read transaction, while the new
//  one is written in transactions of S_BATCH records (a large store does
//  not need one transaction the size of the store). A copy is looked up in
//  its producer's final store by seq, through one read transaction per
//  producer kept for the whole walk, and must carry the copy's event id:
//  a downstream journal holds the producer's events in seq order, so the
//  seq finds it and the id proves it is the same event.
#include "upgrade_store.h"

#include "cf_error.h"
#include "cf_event.h"
#include "cf_journal_check.h"
#include "cf_journal_upgrade.h"
#include "cf_log.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_BATCH         4096
#define S_MAX_PRODUCERS 8

//  The walk's state.
typedef struct {
    upgrade_store_t *store;
    upgrade_store_t *const *producers;
    size_t count;
    const upgrade_rewrite_t *rewrite;
    MDB_txn *txn;  //  the new store's open write transaction
    size_t pending;
    MDB_txn *readers [S_MAX_PRODUCERS];
    uint64_t position;  //  of the old record in hand, for messages
} s_walk_t;

static int
s_fail (const upgrade_store_t *store, int rc, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

//  Reports what stops the upgrade of `store` on stderr; returns `rc`.
static int
s_fail (const upgrade_store_t *store, int rc, const char *fmt, ...)
{
    char text [512];
    va_list args;
    va_start (args, fmt);
    vsnprintf (text, sizeof text, fmt, args);
    va_end (args);
    fprintf (stderr, "caseflow-upgrade: %s store %s: %s\n", store->service, store->dir, text);
    return rc;
}

int
upgrade_store_open (upgrade_store_t *store)
{
    int rc;
    store->old = cf_journal_open_previous (store->dir, store->service, &rc);
    if (!store->old)
        return s_fail (store, rc, "cannot be opened as a store of format %s (%s)",
                       CF_JOURNAL_PREVIOUS_FORMAT, cf_strerror (rc));
    //  Events that stay as they were are final in the old store already.
    store->final = store->rewritten ? NULL : store->old;
    return 0;
}

void
upgrade_store_close (upgrade_store_t *store)
{
    cf_journal_destroy (&store->staged);
    cf_journal_destroy (&store->old);
    store->final = NULL;
}

//  ------------------------------------------------------- transactions

static int
s_begin (s_walk_t *walk)
{
    walk->pending = 0;
    return cf_journal_begin (walk->store->staged, &walk->txn);
}

//  Commits the open transaction, what it depends on first.
static int
s_commit (s_walk_t *walk)
{
    MDB_txn *txn = walk->txn;
    walk->txn = NULL;
    int rc = walk->rewrite && walk->rewrite->before_commit
                 ? walk->rewrite->before_commit (walk->rewrite->ctx)
                 : 0;
    if (rc) {
        cf_journal_abort (walk->store->staged, txn);
        return rc;
    }
    return cf_journal_commit (walk->store->staged, txn);
}

//  Counts a write; commits and begins again after S_BATCH of them.
static int
s_wrote (s_walk_t *walk)
{
    if (++walk->pending < S_BATCH)
        return 0;
    int rc = s_commit (walk);
    return rc ? rc : s_begin (walk);
}

//  ------------------------------------------------------------ records

typedef struct {
    uint8_t *data;
    size_t size;
} s_bytes_t;

static int
s_take (void *ctx, uint64_t seq, const void *data, size_t size)
{
    (void) seq;
    s_bytes_t *bytes = ctx;
    bytes->data = malloc (size ? size : 1);
    assert (bytes->data);
    memcpy (bytes->data, data, size);
    bytes->size = size;
    return 0;
}

static int
s_own (s_walk_t *walk, const Caseflow__V1__Event *event, const void *data, size_t size)
{
    upgrade_store_t *store = walk->store;
    uint64_t expected = cf_journal_last_seq (store->staged, walk->txn) + 1;
    if (event->seq != expected)
        return s_fail (store, CF_ECORRUPT,
                       "journal position %llu: own event %s has seq %llu, expected %llu",
                       (unsigned long long) walk->position, event->id,
                       (unsigned long long) event->seq, (unsigned long long) expected);
    uint8_t *out = NULL;
    size_t out_size = 0;
    int rc = 0;
    if (walk->rewrite && walk->rewrite->own)
        rc = walk->rewrite->own (walk->rewrite->ctx, event, data, size, &out, &out_size);
    if (rc == 0)
        rc = cf_journal_append_produced (store->staged, walk->txn, event->seq, out ? out : data,
                                         out ? out_size : size, NULL);
    store->own++;
    store->changed += out != NULL;
    free (out);
    return rc;
}

//  The store that produces `stream` and its index among the producers, or
//  NULL.
static upgrade_store_t *
s_producer (s_walk_t *walk, const char *stream, size_t *index_p)
{
    for (size_t i = 0; i < walk->count; i++)
        if (strcmp (walk->producers [i]->service, stream) == 0) {
            *index_p = i;
            return walk->producers [i];
        }
    return NULL;
}

static int
s_copy (s_walk_t *walk, const Caseflow__V1__Event *copy)
{
    upgrade_store_t *store = walk->store;
    size_t index;
    upgrade_store_t *producer = s_producer (walk, copy->stream, &index);
    if (!producer)
        return s_fail (store, CF_EINVAL,
                       "journal position %llu holds an event of stream %s (seq %llu), which "
                       "none of the stores upgraded together produces",
                       (unsigned long long) walk->position, copy->stream,
                       (unsigned long long) copy->seq);
    //  Stores are written producers first (upgrade_main.c).
    assert (producer->final);
    int rc = 0;
    if (!walk->readers [index]
        && (rc = cf_journal_reader_begin (producer->final, &walk->readers [index])))
        return rc;
    s_bytes_t bytes = { NULL, 0 };
    rc = cf_journal_read_produced (producer->final, walk->readers [index], copy->seq, copy->seq, 1,
                                   0, s_take, &bytes);
    if (rc)
        return rc;
    if (!bytes.data)
        return s_fail (store, CF_ENOTFOUND,
                       "the copy of stream %s seq %llu (event %s) is not in the %s store, "
                       "which ends at seq %llu",
                       copy->stream, (unsigned long long) copy->seq, copy->id, copy->stream,
                       (unsigned long long) cf_journal_last_seq (producer->final, NULL));
    const char *why = NULL;
    Caseflow__V1__Event *event = cf_event_decode (bytes.data, bytes.size, copy->stream, &why);
    if (!event)
        rc = s_fail (store, CF_ECORRUPT, "the %s store's seq %llu is not an event: %s",
                     copy->stream, (unsigned long long) copy->seq, why);
    else if (event->seq != copy->seq || strcmp (event->id, copy->id) != 0)
        rc = s_fail (store, CF_ENOTFOUND,
                     "the copy of stream %s seq %llu is event %s, but the %s store has event "
                     "%s at that seq: it does not have the copy's event",
                     copy->stream, (unsigned long long) copy->seq, copy->id, copy->stream,
                     event->id);
    if (rc == 0 && walk->rewrite && walk->rewrite->upstream)
        rc = walk->rewrite->upstream (walk->rewrite->ctx, event);
    if (rc == 0)
        rc = cf_journal_append_consumed (store->staged, walk->txn, copy->stream, copy->seq,
                                         bytes.data, bytes.size, NULL);
    store->copies++;
    if (event)
        caseflow__v1__event__free_unpacked (event, NULL);
    free (bytes.data);
    return rc;
}

static int
s_record (void *ctx, uint64_t position, const void *data, size_t size)
{
    s_walk_t *walk = ctx;
    walk->position = position;
    const char *why = NULL;
    Caseflow__V1__Event *event = cf_event_decode (data, size, NULL, &why);
    if (!event)
        return s_fail (walk->store, CF_ECORRUPT, "journal position %llu is not an event: %s",
                       (unsigned long long) position, why);
    int rc = strcmp (event->stream, walk->store->service) == 0 ? s_own (walk, event, data, size)
                                                               : s_copy (walk, event);
    caseflow__v1__event__free_unpacked (event, NULL);
    walk->store->records++;
    return rc ? rc : s_wrote (walk);
}

//  ------------------------------------------------ meta, replies, cursors

static int
s_meta (void *ctx, const char *key, const void *value, size_t size)
{
    s_walk_t *walk = ctx;
    //  The new store has its own identity and chain head; the rest (the
    //  clock's kind and reading) goes with it.
    if (strcmp (key, "service") == 0 || strcmp (key, "format") == 0 || strcmp (key, "chain") == 0)
        return 0;
    return cf_journal_meta_put (walk->store->staged, walk->txn, key, value, size);
}

static int
s_request (void *ctx, const char *request_id, int64_t stored_at, const void *reply, size_t size)
{
    s_walk_t *walk = ctx;
    upgrade_store_t *store = walk->store;
    store->replies++;
    uint8_t *out = NULL;
    size_t out_size = 0;
    int verdict = UPGRADE_REPLY_KEEP;
    if (walk->rewrite && walk->rewrite->reply)
        verdict =
            walk->rewrite->reply (walk->rewrite->ctx, request_id, reply, size, &out, &out_size);
    if (verdict < 0)
        return verdict;
    if (verdict == UPGRADE_REPLY_DROP) {
        store->dropped++;
        return 0;
    }
    store->stripped += verdict == UPGRADE_REPLY_REPLACE;
    int rc = cf_journal_request_put (store->staged, walk->txn, request_id, out ? out : reply,
                                     out ? out_size : size, stored_at < 0 ? 0 : stored_at);
    free (out);
    return rc ? rc : s_wrote (walk);
}

static int
s_cursor (void *ctx, const char *stream, uint64_t seq)
{
    s_walk_t *walk = ctx;
    uint64_t now = 0;
    int rc = cf_journal_cursor (walk->store->staged, NULL, stream, &now);
    if (rc)
        return rc;
    walk->store->cursors++;
    if (now != seq)
        return s_fail (walk->store, CF_ECORRUPT,
                       "the cursor of stream %s is %llu, but the copies of that stream in its "
                       "journal end at seq %llu",
                       stream, (unsigned long long) seq, (unsigned long long) now);
    return 0;
}

//  ------------------------------------------------------------- writing

//  Checks the new store as --verify would, and that it holds what the old
//  one did.
static int
s_check (upgrade_store_t *store)
{
    cf_journal_check_t check;
    int rc = cf_journal_verify (store->staged, &check);
    if (rc)
        return s_fail (store, rc, "the new store does not verify: %s", check.problem);
    if (check.records != store->records || check.produced != store->own
        || check.requests != store->replies - store->dropped || check.cursors != store->cursors)
        return s_fail (store, CF_ECORRUPT,
                       "the new store holds %llu records, %llu own events, %llu cursors and "
                       "%llu replies; the old one %llu, %llu, %llu and %llu (%llu dropped)",
                       (unsigned long long) check.records, (unsigned long long) check.produced,
                       (unsigned long long) check.cursors, (unsigned long long) check.requests,
                       (unsigned long long) store->records, (unsigned long long) store->own,
                       (unsigned long long) store->cursors, (unsigned long long) store->replies,
                       (unsigned long long) store->dropped);
    return 0;
}

//  Everything but the final check, inside `walk`.
static int
s_write (s_walk_t *walk)
{
    upgrade_store_t *store = walk->store;
    int rc = s_begin (walk);
    if (rc == 0)
        rc = cf_journal_each_meta (store->old, s_meta, walk);
    if (rc == 0)
        rc = cf_journal_read_records (store->old, 0, s_record, walk);
    if (rc == 0)
        rc = cf_journal_each_request (store->old, s_request, walk);
    if (rc == 0)
        rc = s_commit (walk);
    if (rc == 0)
        rc = cf_journal_each_cursor (store->old, s_cursor, walk);
    if (walk->txn) {
        cf_journal_abort (store->staged, walk->txn);
        walk->txn = NULL;
    }
    for (size_t i = 0; i < walk->count; i++)
        if (walk->readers [i])
            cf_journal_reader_end (walk->producers [i]->final, walk->readers [i]);
    return rc;
}

int
upgrade_store_write (upgrade_store_t *store, upgrade_store_t *const *producers, size_t count,
                     const upgrade_rewrite_t *rewrite)
{
    assert (store->old && !store->staged);
    assert (count <= S_MAX_PRODUCERS);
    //  Damage is not carried into the new store: it is restored first.
    cf_journal_check_t check;
    int rc = cf_journal_verify (store->old, &check);
    if (rc)
        return s_fail (store, rc,
                       "the store is damaged (%s): restore it from its backup before "
                       "upgrading",
                       check.problem);
    char data [4300];
    snprintf (data, sizeof data, "%s/data.mdb", store->staging);
    if (access (data, F_OK) == 0)
        return s_fail (store, CF_EEXIST, "%s already holds a store", store->staging);
    //  Sealed values are larger than plain ones: room for four times the
    //  old store, at least the services' default.
    size_t map = 4 * (size_t) cf_journal_bytes (store->old);
    if (map < ((size_t) 1 << 30))
        map = (size_t) 1 << 30;
    store->staged = cf_journal_open (store->staging, store->service, map, &rc);
    if (!store->staged)
        return s_fail (store, rc, "cannot make the new store in %s (%s)", store->staging,
                       cf_strerror (rc));
    assert (store->rewritten == (rewrite && rewrite->own));
    s_walk_t walk = { .store = store, .producers = producers, .count = count, .rewrite = rewrite };
    rc = s_write (&walk);
    if (rc == 0)
        rc = s_check (store);
    if (rc == 0 && store->rewritten)
        store->final = store->staged;
    return rc;
}

int
upgrade_reply_strip (const char *request_id, const uint8_t *data, size_t size,
                     bool (*strip) (Caseflow__V1__Reply *reply), uint8_t **out, size_t *out_size)
{
    Caseflow__V1__Reply *reply = caseflow__v1__reply__unpack (NULL, size, data);
    if (!reply) {
        cf_log_warn ("the stored reply to request %s does not decode: dropped", request_id);
        return UPGRADE_REPLY_DROP;
    }
    int verdict = UPGRADE_REPLY_KEEP;
    if (strip (reply)) {
        *out_size = caseflow__v1__reply__get_packed_size (reply);
        *out = malloc (*out_size ? *out_size : 1);
        assert (*out);
        caseflow__v1__reply__pack (reply, *out);
        verdict = UPGRADE_REPLY_REPLACE;
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return verdict;
}
