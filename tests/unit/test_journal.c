//  test_journal: cf_journal against a real LMDB store in a temp directory.
//
//  Each test opens its own store, so they run in any order. The events are
//  opaque bytes here: the journal never looks inside them. The integrity
//  tests damage a store behind the journal's back with raw LMDB writes, as
//  bit rot or a stray edit would, and check that replay, reads and
//  cf_journal_verify name the damaged position.
#include "cf_error.h"
#include "cf_journal.h"
#include "cf_journal_check.h"
#include "cf_log.h"
#include "cf_test.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#define MIB ((size_t) 1 << 20)

//  What a callback saw: positions (or seqs) and the bytes, copied.
typedef struct {
    size_t count;
    uint64_t positions [4096];
    char data [4096][64];
    size_t stop_after;  //  return 99 after this many (0: never)
} seen_t;

static int
s_collect (void *ctx, uint64_t position, const void *data, size_t size)
{
    seen_t *seen = ctx;
    assert_true (seen->count < 4096);
    assert_true (size < 64);
    seen->positions [seen->count] = position;
    memcpy (seen->data [seen->count], data, size);
    seen->data [seen->count][size] = 0;
    seen->count++;
    if (seen->stop_after && seen->count == seen->stop_after)
        return 99;
    return 0;
}

static void
s_produce (cf_journal_t *journal, MDB_txn *txn, uint64_t seq, const char *text)
{
    uint64_t position = 0;
    assert_int_equal (
        cf_journal_append_produced (journal, txn, seq, text, strlen (text), &position), 0);
    assert_int_equal (position, cf_journal_last_position (journal, txn));
}

static void
s_consume (cf_journal_t *journal, MDB_txn *txn, const char *stream, uint64_t seq, const char *text)
{
    assert_int_equal (
        cf_journal_append_consumed (journal, txn, stream, seq, text, strlen (text), NULL), 0);
}

static uint64_t
s_cursor (cf_journal_t *journal, MDB_txn *txn, const char *stream)
{
    uint64_t seq = 12345;
    assert_int_equal (cf_journal_cursor (journal, txn, stream, &seq), 0);
    return seq;
}

static seen_t *
s_replay (cf_journal_t *journal, uint64_t from)
{
    seen_t *seen = calloc (1, sizeof *seen);
    assert_non_null (seen);
    assert_int_equal (cf_journal_read_records (journal, from, s_collect, seen), 0);
    return seen;
}

//  The five entries s_fill writes, in journal order.
static const char *s_texts [] = { "p1", "u7", "p2", "u8", "p3" };

//  p1 u7 p2 u8 p3: produced seqs 1-3 and upstream seqs 7-8, interleaved.
static void
s_fill (cf_journal_t *journal)
{
    MDB_txn *txn;
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    s_produce (journal, txn, 1, "p1");
    s_consume (journal, txn, "upstream", 7, "u7");
    s_produce (journal, txn, 2, "p2");
    s_consume (journal, txn, "upstream", 8, "u8");
    s_produce (journal, txn, 3, "p3");
    assert_int_equal (cf_journal_commit (journal, txn), 0);
}

static void
s_check_filled (cf_journal_t *journal)
{
    assert_int_equal (cf_journal_last_seq (journal, NULL), 3);
    assert_int_equal (cf_journal_last_position (journal, NULL), 5);
    assert_int_equal (cf_journal_entries (journal), 5);
    assert_int_equal (s_cursor (journal, NULL, "upstream"), 8);
    assert_int_equal (s_cursor (journal, NULL, "elsewhere"), 0);
    seen_t *seen = s_replay (journal, 1);
    assert_int_equal (seen->count, 5);
    for (size_t index = 0; index < 5; index++) {
        assert_int_equal (seen->positions [index], index + 1);
        assert_string_equal (seen->data [index], s_texts [index]);
    }
    free (seen);
}

static void
test_append_and_replay (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("journal");
    int rc = -100;
    cf_journal_t *journal = cf_journal_open (dir, "testsvc", 8 * MIB, &rc);
    assert_non_null (journal);
    assert_int_equal (rc, 0);
    assert_int_equal (cf_journal_last_seq (journal, NULL), 0);
    assert_int_equal (cf_journal_last_position (journal, NULL), 0);
    assert_int_equal (cf_journal_entries (journal), 0);
    assert_true (cf_journal_bytes (journal) > 0);
    assert_true (cf_journal_map_size (journal) >= 8 * MIB);

    s_fill (journal);
    s_check_filled (journal);

    //  From the middle, and a callback that stops.
    seen_t *seen = s_replay (journal, 3);
    assert_int_equal (seen->count, 3);
    assert_int_equal (seen->positions [0], 3);
    assert_string_equal (seen->data [0], "p2");
    free (seen);
    seen = calloc (1, sizeof *seen);
    seen->stop_after = 2;
    assert_int_equal (cf_journal_read_records (journal, 1, s_collect, seen), 99);
    assert_int_equal (seen->count, 2);
    free (seen);
    seen = s_replay (journal, 6);
    assert_int_equal (seen->count, 0);
    free (seen);

    //  Meta was stamped at creation.
    void *value;
    size_t size;
    assert_int_equal (cf_journal_meta_get (journal, NULL, "service", &value, &size), 0);
    assert_int_equal (size, 7);
    assert_string_equal (value, "testsvc");
    free (value);
    assert_int_equal (cf_journal_meta_get (journal, NULL, "format", &value, &size), 0);
    assert_string_equal (value, "3");
    free (value);
    assert_int_equal (cf_journal_meta_get (journal, NULL, "clock", &value, &size), CF_ENOTFOUND);

    //  Bad names are refused before they reach LMDB.
    MDB_txn *txn;
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    assert_int_equal (cf_journal_append_consumed (journal, txn, "", 1, "x", 1, NULL), CF_EINVAL);
    assert_int_equal (cf_journal_last_position (journal, txn), 5);
    cf_journal_abort (journal, txn);

    cf_journal_destroy (&journal);
    assert_null (journal);
    cf_journal_destroy (&journal);
    cf_test_rmtree (dir);
    free (dir);
}

static void
test_reopen (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("journal");
    cf_journal_t *journal = cf_journal_open (dir, "testsvc", 0, NULL);
    assert_non_null (journal);
    assert_int_equal (cf_journal_map_size (journal), (size_t) 1 << 30);
    s_fill (journal);
    MDB_txn *txn;
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    assert_int_equal (cf_journal_request_put (journal, txn, "req-1", "ok", 2, 1000), 0);
    assert_int_equal (cf_journal_meta_put (journal, txn, "clock", "42", 2), 0);
    assert_int_equal (cf_journal_commit (journal, txn), 0);
    cf_journal_destroy (&journal);

    int rc = -100;
    journal = cf_journal_open (dir, "testsvc", 0, &rc);
    assert_non_null (journal);
    assert_int_equal (rc, 0);
    s_check_filled (journal);
    void *value;
    size_t size;
    assert_int_equal (cf_journal_request_get (journal, NULL, "req-1", &value, &size), 0);
    assert_int_equal (size, 2);
    assert_memory_equal (value, "ok", 2);
    free (value);
    assert_int_equal (cf_journal_meta_get (journal, NULL, "clock", &value, &size), 0);
    assert_string_equal (value, "42");
    free (value);

    //  Appending goes on where it left off.
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    s_produce (journal, txn, 4, "p4");
    assert_int_equal (cf_journal_last_position (journal, txn), 6);
    assert_int_equal (cf_journal_commit (journal, txn), 0);
    assert_int_equal (cf_journal_last_seq (journal, NULL), 4);
    cf_journal_destroy (&journal);
    cf_test_rmtree (dir);
    free (dir);
}

static void
test_abort_leaves_no_trace (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("journal");
    cf_journal_t *journal = cf_journal_open (dir, "testsvc", 8 * MIB, NULL);
    assert_non_null (journal);
    s_fill (journal);
    uint64_t bytes = cf_journal_bytes (journal);

    MDB_txn *txn;
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    s_produce (journal, txn, 4, "p4");
    s_consume (journal, txn, "upstream", 9, "u9");
    s_consume (journal, txn, "other", 1, "o1");
    assert_int_equal (cf_journal_request_put (journal, txn, "req-1", "ok", 2, 1000), 0);
    assert_int_equal (cf_journal_meta_put (journal, txn, "clock", "42", 2), 0);

    //  Inside the transaction its own writes show; outside they do not.
    assert_int_equal (cf_journal_last_seq (journal, txn), 4);
    assert_int_equal (cf_journal_last_position (journal, txn), 8);
    assert_int_equal (cf_journal_last_seq (journal, NULL), 3);
    assert_int_equal (cf_journal_last_position (journal, NULL), 5);
    assert_int_equal (s_cursor (journal, txn, "upstream"), 9);
    assert_int_equal (s_cursor (journal, NULL, "upstream"), 8);
    void *value;
    size_t size;
    assert_int_equal (cf_journal_request_get (journal, txn, "req-1", &value, &size), 0);
    free (value);
    assert_int_equal (cf_journal_request_get (journal, NULL, "req-1", &value, &size), CF_ENOTFOUND);
    assert_int_equal (cf_journal_meta_get (journal, txn, "clock", &value, &size), 0);
    free (value);
    seen_t *seen = s_replay (journal, 1);
    assert_int_equal (seen->count, 5);
    free (seen);
    cf_journal_abort (journal, txn);

    s_check_filled (journal);
    assert_int_equal (s_cursor (journal, NULL, "other"), 0);
    assert_int_equal (cf_journal_request_get (journal, NULL, "req-1", &value, &size), CF_ENOTFOUND);
    assert_int_equal (cf_journal_meta_get (journal, NULL, "clock", &value, &size), CF_ENOTFOUND);
    assert_int_equal (cf_journal_bytes (journal), bytes);

    //  The aborted seq is free again, and the next transaction starts from
    //  what is committed.
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    assert_int_equal (cf_journal_last_seq (journal, txn), 3);
    s_produce (journal, txn, 4, "p4bis");
    assert_int_equal (cf_journal_last_position (journal, txn), 6);
    cf_journal_abort (journal, txn);

    cf_journal_destroy (&journal);
    journal = cf_journal_open (dir, "testsvc", 8 * MIB, NULL);
    assert_non_null (journal);
    s_check_filled (journal);
    cf_journal_destroy (&journal);
    cf_test_rmtree (dir);
    free (dir);
}

static void
test_cursor_and_journal_atomic (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("journal");
    cf_journal_t *journal = cf_journal_open (dir, "testsvc", 8 * MIB, NULL);
    assert_non_null (journal);

    //  Committed: the entry and the cursor appear together.
    MDB_txn *txn;
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    uint64_t position = 0;
    assert_int_equal (cf_journal_append_consumed (journal, txn, "intake", 1, "i1", 2, &position),
                      0);
    assert_int_equal (position, 1);
    assert_int_equal (s_cursor (journal, NULL, "intake"), 0);
    assert_int_equal (cf_journal_entries (journal), 0);
    assert_int_equal (cf_journal_commit (journal, txn), 0);
    assert_int_equal (s_cursor (journal, NULL, "intake"), 1);
    assert_int_equal (cf_journal_entries (journal), 1);
    assert_int_equal (cf_journal_last_position (journal, NULL), 1);
    //  Consuming does not move the own stream.
    assert_int_equal (cf_journal_last_seq (journal, NULL), 0);

    //  Aborted: neither.
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    s_consume (journal, txn, "intake", 2, "i2");
    cf_journal_abort (journal, txn);
    assert_int_equal (s_cursor (journal, NULL, "intake"), 1);
    assert_int_equal (cf_journal_entries (journal), 1);

    //  Several streams in one transaction (group commit).
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    s_consume (journal, txn, "intake", 2, "i2");
    s_consume (journal, txn, "assignment", 5, "a5");
    s_consume (journal, txn, "intake", 3, "i3");
    assert_int_equal (cf_journal_commit (journal, txn), 0);
    assert_int_equal (s_cursor (journal, NULL, "intake"), 3);
    assert_int_equal (s_cursor (journal, NULL, "assignment"), 5);
    seen_t *seen = s_replay (journal, 1);
    assert_int_equal (seen->count, 4);
    assert_string_equal (seen->data [3], "i3");
    free (seen);

    cf_journal_destroy (&journal);
    cf_test_rmtree (dir);
    free (dir);
}

static void
s_request_absent (cf_journal_t *journal, const char *id)
{
    void *value;
    size_t size;
    assert_int_equal (cf_journal_request_get (journal, NULL, id, &value, &size), CF_ENOTFOUND);
}

static void
s_request_is (cf_journal_t *journal, const char *id, const char *reply)
{
    void *value = NULL;
    size_t size = 0;
    assert_int_equal (cf_journal_request_get (journal, NULL, id, &value, &size), 0);
    assert_int_equal (size, strlen (reply));
    assert_memory_equal (value, reply, size);
    free (value);
}

static void
test_requests (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("journal");
    cf_journal_t *journal = cf_journal_open (dir, "testsvc", 8 * MIB, NULL);
    assert_non_null (journal);

    char longest [65], too_long [66];
    memset (longest, 'l', 64);
    longest [64] = 0;
    memset (too_long, 't', 65);
    too_long [65] = 0;

    MDB_txn *txn;
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    assert_int_equal (cf_journal_request_put (journal, txn, "a", "reply-a", 7, 100), 0);
    assert_int_equal (cf_journal_request_put (journal, txn, "b", "reply-b", 7, 200), 0);
    assert_int_equal (cf_journal_request_put (journal, txn, "c", "", 0, 300), 0);
    assert_int_equal (cf_journal_request_put (journal, txn, longest, "L", 1, 400), 0);
    assert_int_equal (cf_journal_request_put (journal, txn, too_long, "T", 1, 400), CF_EINVAL);
    assert_int_equal (cf_journal_request_put (journal, txn, "", "E", 1, 400), CF_EINVAL);
    assert_int_equal (cf_journal_request_put (journal, txn, "neg", "N", 1, -1), CF_EINVAL);
    assert_int_equal (cf_journal_commit (journal, txn), 0);

    s_request_is (journal, "a", "reply-a");
    s_request_is (journal, "b", "reply-b");
    s_request_is (journal, "c", "");
    s_request_is (journal, longest, "L");
    s_request_absent (journal, "d");
    void *value;
    size_t size;
    assert_int_equal (cf_journal_request_get (journal, NULL, too_long, &value, &size), CF_EINVAL);

    //  Stored again later: the new reply and time replace the old ones.
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    assert_int_equal (cf_journal_request_put (journal, txn, "a", "again", 5, 500), 0);
    assert_int_equal (cf_journal_commit (journal, txn), 0);
    s_request_is (journal, "a", "again");

    //  Expiry by age, oldest first, bounded by max_count.
    size_t deleted = 99;
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    assert_int_equal (cf_journal_request_expire (journal, txn, 100, 0, &deleted), 0);
    assert_int_equal (deleted, 0);
    assert_int_equal (cf_journal_request_expire (journal, txn, 450, 1, &deleted), 0);
    assert_int_equal (deleted, 1);
    assert_int_equal (cf_journal_commit (journal, txn), 0);
    s_request_absent (journal, "b");
    s_request_is (journal, "c", "");

    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    assert_int_equal (cf_journal_request_expire (journal, txn, 450, 0, &deleted), 0);
    assert_int_equal (deleted, 2);
    assert_int_equal (cf_journal_commit (journal, txn), 0);
    s_request_absent (journal, "c");
    s_request_absent (journal, longest);
    //  "a" was stored again at 500, so its first time no longer counts.
    s_request_is (journal, "a", "again");

    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    assert_int_equal (cf_journal_request_expire (journal, txn, 501, 0, &deleted), 0);
    assert_int_equal (deleted, 1);
    assert_int_equal (cf_journal_request_expire (journal, txn, INT64_MAX, 0, NULL), 0);
    assert_int_equal (cf_journal_commit (journal, txn), 0);
    s_request_absent (journal, "a");

    cf_journal_destroy (&journal);
    cf_test_rmtree (dir);
    free (dir);
}

static seen_t *
s_read (cf_journal_t *journal, MDB_txn *txn, uint64_t from, uint64_t last, size_t max_events,
        size_t max_bytes)
{
    seen_t *seen = calloc (1, sizeof *seen);
    assert_non_null (seen);
    assert_int_equal (
        cf_journal_read_produced (journal, txn, from, last, max_events, max_bytes, s_collect, seen),
        0);
    return seen;
}

static void
test_read_produced (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("journal");
    cf_journal_t *journal = cf_journal_open (dir, "testsvc", 8 * MIB, NULL);
    assert_non_null (journal);

    //  Produced seqs 1-10, each 10 bytes, with upstream events between.
    MDB_txn *txn;
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    for (uint64_t seq = 1; seq <= 10; seq++) {
        char text [16];
        snprintf (text, sizeof text, "event-%04d", (int) seq);
        s_produce (journal, txn, seq, text);
        s_consume (journal, txn, "upstream", seq, "upstream");
    }
    assert_int_equal (cf_journal_commit (journal, txn), 0);

    seen_t *seen = s_read (journal, NULL, 1, UINT64_MAX, 0, 0);
    assert_int_equal (seen->count, 10);
    for (size_t index = 0; index < 10; index++) {
        char text [16];
        snprintf (text, sizeof text, "event-%04d", (int) index + 1);
        assert_int_equal (seen->positions [index], index + 1);
        assert_string_equal (seen->data [index], text);
    }
    free (seen);

    seen = s_read (journal, NULL, 3, UINT64_MAX, 4, 0);
    assert_int_equal (seen->count, 4);
    assert_int_equal (seen->positions [0], 3);
    assert_int_equal (seen->positions [3], 6);
    free (seen);

    //  A byte limit below one event still gives that one event.
    seen = s_read (journal, NULL, 3, UINT64_MAX, 0, 1);
    assert_int_equal (seen->count, 1);
    assert_int_equal (seen->positions [0], 3);
    free (seen);
    seen = s_read (journal, NULL, 3, UINT64_MAX, 0, 25);
    assert_int_equal (seen->count, 2);
    free (seen);
    seen = s_read (journal, NULL, 3, UINT64_MAX, 0, 30);
    assert_int_equal (seen->count, 3);
    free (seen);

    seen = s_read (journal, NULL, 3, 5, 100, 1000);
    assert_int_equal (seen->count, 3);
    assert_int_equal (seen->positions [2], 5);
    free (seen);
    seen = s_read (journal, NULL, 0, 2, 0, 0);
    assert_int_equal (seen->count, 2);
    assert_int_equal (seen->positions [0], 1);
    free (seen);
    seen = s_read (journal, NULL, 11, UINT64_MAX, 0, 0);
    assert_int_equal (seen->count, 0);
    free (seen);
    seen = s_read (journal, NULL, 6, 5, 0, 0);
    assert_int_equal (seen->count, 0);
    free (seen);

    //  The writer sees its uncommitted events; other readers do not.
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    s_produce (journal, txn, 11, "event-0011");
    seen = s_read (journal, txn, 10, UINT64_MAX, 0, 0);
    assert_int_equal (seen->count, 2);
    assert_string_equal (seen->data [1], "event-0011");
    free (seen);
    seen = s_read (journal, NULL, 10, UINT64_MAX, 0, 0);
    assert_int_equal (seen->count, 1);
    free (seen);
    cf_journal_abort (journal, txn);

    //  A callback that stops.
    seen = calloc (1, sizeof *seen);
    seen->stop_after = 1;
    assert_int_equal (
        cf_journal_read_produced (journal, NULL, 1, UINT64_MAX, 0, 0, s_collect, seen), 99);
    assert_int_equal (seen->count, 1);
    free (seen);

    cf_journal_destroy (&journal);
    cf_test_rmtree (dir);
    free (dir);
}

static void
s_raw_put_meta (const char *dir, const char *key, const char *text);

static void
test_mismatch_refused (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("journal");
    cf_journal_t *journal = cf_journal_open (dir, "intake", 8 * MIB, NULL);
    assert_non_null (journal);
    s_fill (journal);
    cf_journal_destroy (&journal);

    int rc = 0;
    journal = cf_journal_open (dir, "assignment", 8 * MIB, &rc);
    assert_null (journal);
    assert_int_equal (rc, CF_EMISMATCH);
    journal = cf_journal_open (dir, "intakes", 8 * MIB, &rc);
    assert_null (journal);
    assert_int_equal (rc, CF_EMISMATCH);

    //  A format this build does not know is refused too, and so are format
    //  1 (records without checksums) and 2 (personal data in plain),
    //  read-only as well.
    const char *formats [] = { "4", "1", "2" };
    for (int i = 0; i < 3; i++) {
        journal = cf_journal_open (dir, "intake", 8 * MIB, &rc);
        assert_non_null (journal);
        MDB_txn *txn;
        assert_int_equal (cf_journal_begin (journal, &txn), 0);
        assert_int_equal (cf_journal_meta_put (journal, txn, "format", formats [i], 1), 0);
        assert_int_equal (cf_journal_commit (journal, txn), 0);
        cf_journal_destroy (&journal);
        journal = cf_journal_open (dir, "intake", 8 * MIB, &rc);
        assert_null (journal);
        assert_int_equal (rc, CF_EMISMATCH);
        journal = cf_journal_open_readonly (dir, "intake", &rc);
        assert_null (journal);
        assert_int_equal (rc, CF_EMISMATCH);
        //  Back to this build's format for the next round.
        s_raw_put_meta (dir, "format", "3");
    }

    cf_test_rmtree (dir);
    free (dir);
}

static void
test_open_creates_dir (void **state)
{
    (void) state;
    char *base = cf_test_tmpdir ("journal");
    char path [512];
    snprintf (path, sizeof path, "%s/store", base);
    cf_journal_t *journal = cf_journal_open (path, "testsvc", 8 * MIB, NULL);
    assert_non_null (journal);
    struct stat st;
    assert_int_equal (stat (path, &st), 0);
    assert_true (S_ISDIR (st.st_mode));
    assert_int_equal (st.st_mode & 0777, 0700);
    cf_journal_destroy (&journal);

    //  Missing folders above it are made too, each 0700; a repeated or
    //  trailing '/' changes nothing.
    snprintf (path, sizeof path, "%s/missing//deeper/store/", base);
    journal = cf_journal_open (path, "testsvc", 8 * MIB, NULL);
    assert_non_null (journal);
    cf_journal_destroy (&journal);
    const char *made [] = { "missing", "missing/deeper", "missing/deeper/store" };
    for (size_t i = 0; i < sizeof made / sizeof made [0]; i++) {
        snprintf (path, sizeof path, "%s/%s", base, made [i]);
        assert_int_equal (stat (path, &st), 0);
        assert_true (S_ISDIR (st.st_mode));
        assert_int_equal (st.st_mode & 0777, 0700);
    }

    //  A file in the way, above the directory or as the directory: CF_EIO.
    snprintf (path, sizeof path, "%s/file", base);
    FILE *file = fopen (path, "w");
    assert_non_null (file);
    fclose (file);
    int rc = 0;
    assert_null (cf_journal_open (path, "testsvc", 8 * MIB, &rc));
    assert_int_equal (rc, CF_EIO);
    snprintf (path, sizeof path, "%s/file/store", base);
    rc = 0;
    assert_null (cf_journal_open (path, "testsvc", 8 * MIB, &rc));
    assert_int_equal (rc, CF_EIO);
    assert_null (cf_journal_open (base, "", 8 * MIB, &rc));
    assert_int_equal (rc, CF_EINVAL);

    cf_test_rmtree (base);
    free (base);
}

//  A ~200-byte event whose text names its seq, so content can be checked.
static size_t
s_big_event (char *buffer, uint64_t seq)
{
    int len = snprintf (buffer, 256, "event %08llu ", (unsigned long long) seq);
    memset (buffer + len, 'x', 200 - (size_t) len);
    return 200;
}

static int
s_check_big (void *ctx, uint64_t position, const void *data, size_t size)
{
    uint64_t *count = ctx;
    char expected [256];
    size_t expected_size = s_big_event (expected, position);
    assert_int_equal (size, expected_size);
    assert_memory_equal (data, expected, size);
    assert_int_equal (position, *count + 1);
    (*count)++;
    return 0;
}

//  Appends big events in transactions of `per_txn` until the map is full;
//  returns the last seq committed. Sets *in_append_p to whether the append
//  (mdb_put) rather than the commit ran out of room.
static uint64_t
s_fill_until_full (cf_journal_t *journal, int per_txn, bool *in_append_p)
{
    uint64_t seq = cf_journal_last_seq (journal, NULL);
    while (true) {
        MDB_txn *txn;
        assert_int_equal (cf_journal_begin (journal, &txn), 0);
        int rc = 0;
        for (int count = 0; count < per_txn && rc == 0; count++) {
            char event [256];
            size_t size = s_big_event (event, seq + 1);
            rc = cf_journal_append_produced (journal, txn, seq + 1, event, size, NULL);
            if (rc == 0)
                seq++;
        }
        if (rc) {
            assert_int_equal (rc, CF_ESTOREFULL);
            //  The spoiled transaction keeps saying so, and cannot commit.
            char event [256];
            size_t size = s_big_event (event, cf_journal_last_seq (journal, txn) + 1);
            assert_int_equal (cf_journal_append_produced (journal, txn,
                                                          cf_journal_last_seq (journal, txn) + 1,
                                                          event, size, NULL),
                              CF_ESTOREFULL);
            cf_journal_abort (journal, txn);
            *in_append_p = true;
            return cf_journal_last_seq (journal, NULL);
        }
        rc = cf_journal_commit (journal, txn);
        if (rc) {
            assert_int_equal (rc, CF_ESTOREFULL);
            *in_append_p = false;
            return cf_journal_last_seq (journal, NULL);
        }
        assert_int_equal (cf_journal_last_seq (journal, NULL), seq);
        assert_true (seq < 1000000);
    }
}

static void
test_map_full (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("journal");
    cf_journal_t *journal = cf_journal_open (dir, "testsvc", 1 * MIB, NULL);
    assert_non_null (journal);
    //  One transaction bigger than the map fails in mdb_put, and leaves
    //  nothing behind.
    bool in_append = false;
    assert_int_equal (s_fill_until_full (journal, 100000, &in_append), 0);
    assert_true (in_append);
    assert_int_equal (cf_journal_entries (journal), 0);
    //  Small transactions fill it to the brim (the last one fails in
    //  mdb_put or in the commit, as LMDB's page accounting falls).
    uint64_t committed = s_fill_until_full (journal, 100, &in_append);
    assert_true (committed > 100);

    //  Reads still work and nothing committed is lost.
    uint64_t count = 0;
    assert_int_equal (cf_journal_read_records (journal, 1, s_check_big, &count), 0);
    assert_int_equal (count, committed);
    assert_int_equal (cf_journal_entries (journal), committed);
    assert_true (cf_journal_bytes (journal) <= 1 * MIB);
    void *value;
    size_t size;
    assert_int_equal (cf_journal_meta_get (journal, NULL, "service", &value, &size), 0);
    free (value);
    cf_journal_destroy (&journal);

    //  A bigger map lets writing resume where it stopped.
    journal = cf_journal_open (dir, "testsvc", 4 * MIB, NULL);
    assert_non_null (journal);
    assert_true (cf_journal_map_size (journal) >= 4 * MIB);
    assert_int_equal (cf_journal_last_seq (journal, NULL), committed);
    MDB_txn *txn;
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    for (uint64_t seq = committed + 1; seq <= committed + 100; seq++) {
        char event [256];
        size_t size = s_big_event (event, seq);
        assert_int_equal (cf_journal_append_produced (journal, txn, seq, event, size, NULL), 0);
    }
    assert_int_equal (cf_journal_commit (journal, txn), 0);
    count = 0;
    assert_int_equal (cf_journal_read_records (journal, 1, s_check_big, &count), 0);
    assert_int_equal (count, committed + 100);
    cf_journal_destroy (&journal);

    cf_test_rmtree (dir);
    free (dir);
}

//  ------------------------------------------------------------ integrity

//  The store's raw LMDB environment, as the journal opened it.
static MDB_env *
s_raw_open (const char *dir)
{
    MDB_env *env;
    assert_int_equal (mdb_env_create (&env), 0);
    assert_int_equal (mdb_env_set_maxdbs (env, 8), 0);
    assert_int_equal (mdb_env_open (env, dir, MDB_NOTLS, 0600), 0);
    return env;
}

//  Writes meta `key` = `text` behind the journal's back.
static void
s_raw_put_meta (const char *dir, const char *key, const char *text)
{
    MDB_env *env = s_raw_open (dir);
    MDB_txn *txn;
    MDB_dbi dbi;
    assert_int_equal (mdb_txn_begin (env, NULL, 0, &txn), 0);
    assert_int_equal (mdb_dbi_open (txn, "meta", 0, &dbi), 0);
    MDB_val name = { strlen (key), (void *) key }, value = { strlen (text), (void *) text };
    assert_int_equal (mdb_put (txn, dbi, &name, &value, 0), 0);
    assert_int_equal (mdb_txn_commit (txn), 0);
    mdb_env_close (env);
}

//  Flips the bits of byte `offset` of the stored journal record at
//  `position` (offset 0-15: its checksum; 16 on: the event's bytes), or
//  deletes the record when `offset` is negative.
static void
s_raw_damage (const char *dir, uint64_t position, int offset)
{
    MDB_env *env = s_raw_open (dir);
    MDB_txn *txn;
    MDB_dbi dbi;
    assert_int_equal (mdb_txn_begin (env, NULL, 0, &txn), 0);
    assert_int_equal (mdb_dbi_open (txn, "journal", MDB_INTEGERKEY, &dbi), 0);
    MDB_val key = { sizeof position, &position }, value;
    if (offset < 0)
        assert_int_equal (mdb_del (txn, dbi, &key, NULL), 0);
    else {
        assert_int_equal (mdb_get (txn, dbi, &key, &value), 0);
        assert_true ((size_t) offset < value.mv_size);
        uint8_t copy [256];
        assert_true (value.mv_size <= sizeof copy);
        memcpy (copy, value.mv_data, value.mv_size);
        copy [offset] ^= 0xff;
        MDB_val changed = { value.mv_size, copy };
        assert_int_equal (mdb_put (txn, dbi, &key, &changed, 0), 0);
    }
    assert_int_equal (mdb_txn_commit (txn), 0);
    mdb_env_close (env);
}

//  A filled store (s_fill, plus a stored reply) in a fresh directory.
static char *
s_filled_store (void)
{
    char *dir = cf_test_tmpdir ("journal");
    cf_journal_t *journal = cf_journal_open (dir, "testsvc", 8 * MIB, NULL);
    assert_non_null (journal);
    s_fill (journal);
    MDB_txn *txn;
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    assert_int_equal (cf_journal_request_put (journal, txn, "req-1", "ok", 2, 1000), 0);
    assert_int_equal (cf_journal_commit (journal, txn), 0);
    cf_journal_destroy (&journal);
    return dir;
}

//  Verifies the store read-only: returns the result, fills *check.
static int
s_verify (const char *dir, cf_journal_check_t *check)
{
    int rc = -100;
    cf_journal_t *journal = cf_journal_open_readonly (dir, "testsvc", &rc);
    assert_non_null (journal);
    assert_int_equal (rc, 0);
    rc = cf_journal_verify (journal, check);
    cf_journal_destroy (&journal);
    return rc;
}

static void
test_verify_intact (void **state)
{
    (void) state;
    char *dir = s_filled_store ();
    cf_journal_check_t check;
    assert_int_equal (s_verify (dir, &check), 0);
    assert_int_equal (check.records, 5);
    assert_int_equal (check.last_position, 5);
    assert_int_equal (check.produced, 3);
    assert_int_equal (check.cursors, 1);
    assert_int_equal (check.requests, 1);
    assert_int_equal (check.damaged_at, 0);
    assert_string_equal (check.problem, "");

    //  Appends after a reopen chain on from the stored last checksum.
    cf_journal_t *journal = cf_journal_open (dir, "testsvc", 8 * MIB, NULL);
    assert_non_null (journal);
    MDB_txn *txn;
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    s_produce (journal, txn, 4, "p4");
    s_consume (journal, txn, "upstream", 9, "u9");
    assert_int_equal (cf_journal_commit (journal, txn), 0);
    //  An aborted batch leaves the chain where it was.
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    s_produce (journal, txn, 5, "p5-aborted");
    cf_journal_abort (journal, txn);
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    s_produce (journal, txn, 5, "p5");
    assert_int_equal (cf_journal_commit (journal, txn), 0);
    assert_int_equal (cf_journal_verify (journal, &check), 0);
    assert_int_equal (check.records, 8);
    assert_int_equal (check.produced, 5);
    cf_journal_destroy (&journal);

    //  An empty store is intact too; a missing one is not a store.
    char *empty = cf_test_tmpdir ("journal");
    journal = cf_journal_open (empty, "testsvc", 8 * MIB, NULL);
    assert_int_equal (cf_journal_verify (journal, &check), 0);
    assert_int_equal (check.records, 0);
    cf_journal_destroy (&journal);
    char missing [600];
    snprintf (missing, sizeof missing, "%s/none", empty);
    int rc = 0;
    assert_null (cf_journal_open_readonly (missing, "testsvc", &rc));
    assert_int_equal (rc, CF_ENOTFOUND);
    assert_null (cf_journal_open_readonly (dir, "intake", &rc));
    assert_int_equal (rc, CF_EMISMATCH);

    cf_test_rmtree (empty);
    free (empty);
    cf_test_rmtree (dir);
    free (dir);
}

//  A byte flipped in the event bytes of record 3 (produced seq 2).
static void
test_damaged_record (void **state)
{
    (void) state;
    char *dir = s_filled_store ();
    s_raw_damage (dir, 3, 16);

    cf_journal_check_t check;
    assert_int_equal (s_verify (dir, &check), CF_ECORRUPT);
    assert_int_equal (check.damaged_at, 3);
    assert_int_equal (check.records, 2);
    assert_non_null (strstr (check.problem, "checksum mismatch"));

    //  Replay stops before the damage: the callback never sees it.
    cf_journal_t *journal = cf_journal_open (dir, "testsvc", 8 * MIB, NULL);
    assert_non_null (journal);
    seen_t *seen = calloc (1, sizeof *seen);
    assert_non_null (seen);
    assert_int_equal (cf_journal_read_records (journal, 1, s_collect, seen), CF_ECORRUPT);
    assert_int_equal (seen->count, 2);
    assert_int_equal (seen->positions [1], 2);
    free (seen);
    seen = calloc (1, sizeof *seen);
    assert_int_equal (cf_journal_read_records (journal, 3, s_collect, seen), CF_ECORRUPT);
    assert_int_equal (seen->count, 0);
    free (seen);
    //  From after it, the chain is intact (record 4 checks against the
    //  stored checksum of record 3, which was not touched).
    seen = calloc (1, sizeof *seen);
    assert_int_equal (cf_journal_read_records (journal, 4, s_collect, seen), 0);
    assert_int_equal (seen->count, 2);
    free (seen);

    //  Reads of produced events for replay to subscribers check too.
    seen = calloc (1, sizeof *seen);
    assert_int_equal (
        cf_journal_read_produced (journal, NULL, 1, UINT64_MAX, 0, 0, s_collect, seen),
        CF_ECORRUPT);
    assert_int_equal (seen->count, 1);
    assert_string_equal (seen->data [0], "p1");
    free (seen);
    seen = calloc (1, sizeof *seen);
    assert_int_equal (
        cf_journal_read_produced (journal, NULL, 3, UINT64_MAX, 0, 0, s_collect, seen), 0);
    assert_int_equal (seen->count, 1);
    assert_string_equal (seen->data [0], "p3");
    free (seen);
    cf_journal_destroy (&journal);
    cf_test_rmtree (dir);
    free (dir);
}

//  A byte flipped in the stored checksum of record 2: that record no
//  longer matches (and neither would record 3's link, but 2 comes first).
static void
test_damaged_checksum (void **state)
{
    (void) state;
    char *dir = s_filled_store ();
    s_raw_damage (dir, 2, 5);
    cf_journal_check_t check;
    assert_int_equal (s_verify (dir, &check), CF_ECORRUPT);
    assert_int_equal (check.damaged_at, 2);
    cf_test_rmtree (dir);
    free (dir);

    //  The last record: the chain head in meta disagrees with nothing
    //  else, but the record itself no longer matches.
    dir = s_filled_store ();
    s_raw_damage (dir, 5, 17);
    assert_int_equal (s_verify (dir, &check), CF_ECORRUPT);
    assert_int_equal (check.damaged_at, 5);
    cf_test_rmtree (dir);
    free (dir);
}

//  Records deleted: in the middle (a hole in the positions) and at the
//  end (the chain head names a later position).
static void
test_missing_records (void **state)
{
    (void) state;
    char *dir = s_filled_store ();
    s_raw_damage (dir, 4, -1);
    cf_journal_check_t check;
    assert_int_equal (s_verify (dir, &check), CF_ECORRUPT);
    assert_int_equal (check.damaged_at, 4);
    assert_non_null (strstr (check.problem, "record missing"));
    cf_journal_t *journal = cf_journal_open (dir, "testsvc", 8 * MIB, NULL);
    assert_non_null (journal);
    seen_t *seen = calloc (1, sizeof *seen);
    assert_int_equal (cf_journal_read_records (journal, 1, s_collect, seen), CF_ECORRUPT);
    assert_int_equal (seen->count, 3);
    free (seen);
    cf_journal_destroy (&journal);
    cf_test_rmtree (dir);
    free (dir);

    dir = s_filled_store ();
    s_raw_damage (dir, 5, -1);
    assert_int_equal (s_verify (dir, &check), CF_ECORRUPT);
    assert_int_equal (check.records, 4);
    assert_int_equal (check.damaged_at, 5);
    assert_non_null (strstr (check.problem, "journal ends before"));
    journal = cf_journal_open (dir, "testsvc", 8 * MIB, NULL);
    assert_non_null (journal);
    seen = calloc (1, sizeof *seen);
    assert_int_equal (cf_journal_read_records (journal, 1, s_collect, seen), CF_ECORRUPT);
    assert_int_equal (seen->count, 4);
    free (seen);
    cf_journal_destroy (&journal);
    cf_test_rmtree (dir);
    free (dir);
}

int
main (void)
{
    //  The refusals tested here log errors; keep them, they show the lines
    //  an operator would see.
    cf_log_init ("test_journal", CF_LOG_INFO);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_append_and_replay),
        cmocka_unit_test (test_reopen),
        cmocka_unit_test (test_abort_leaves_no_trace),
        cmocka_unit_test (test_cursor_and_journal_atomic),
        cmocka_unit_test (test_requests),
        cmocka_unit_test (test_read_produced),
        cmocka_unit_test (test_mismatch_refused),
        cmocka_unit_test (test_open_creates_dir),
        cmocka_unit_test (test_map_full),
        cmocka_unit_test (test_verify_intact),
        cmocka_unit_test (test_damaged_record),
        cmocka_unit_test (test_damaged_checksum),
        cmocka_unit_test (test_missing_records),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
