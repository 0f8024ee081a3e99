//  test_writer: cf_writer (the store's writer thread) and cf_writes (the
//  record of a batch's writes) against a real store and a real libuv
//  loop: what is handed over is stored in order, as one transaction, and
//  reported back on the loop; a batch the store cannot take, or whose
//  `first` step fails, is reported and leaves nothing behind.
#include "cf_error.h"
#include "cf_journal.h"
#include "cf_log.h"
#include "cf_test.h"
#include "cf_writer.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef struct {
    cf_writes_t *writes;  //  the last record given back
    int rc;
    int calls;
} s_done_t;

static void
s_done (void *ctx, cf_writes_t *writes, int rc)
{
    s_done_t *done = ctx;
    done->writes = writes;
    done->rc = rc;
    done->calls++;
}

//  Runs the loop until the writer has called back `calls` times in all.
static void
s_run_until (uv_loop_t *loop, s_done_t *done, int calls)
{
    for (int spins = 0; done->calls < calls && spins < 100000; spins++)
        uv_run (loop, UV_RUN_ONCE);
    assert_int_equal (done->calls, calls);
}

static void
s_produce (cf_writes_t *writes, uint64_t seq, const char *text)
{
    void *room = cf_writes_produced (writes, seq, strlen (text));
    memcpy (room, text, strlen (text));
}

typedef struct {
    size_t count;
    char data [16][32];
} s_seen_t;

static int
s_collect (void *ctx, uint64_t position, const void *data, size_t size)
{
    s_seen_t *seen = ctx;
    assert_int_equal (position, seen->count + 1);
    assert_true (seen->count < 16 && size < 32);
    memcpy (seen->data [seen->count], data, size);
    seen->data [seen->count][size] = 0;
    seen->count++;
    return 0;
}

static void
test_records (void **state)
{
    (void) state;
    cf_writes_t *writes = cf_writes_new ();
    assert_int_equal (cf_writes_count (writes), 0);
    size_t size = 0;
    assert_null (cf_writes_find_reply (writes, "r1", &size));
    char reply [8] = "first";
    cf_writes_reply (writes, "r1", reply, 5, 100);
    //  Copied: the caller's buffer may change.
    memcpy (reply, "xxxxx", 5);
    const char *found = cf_writes_find_reply (writes, "r1", &size);
    assert_int_equal (size, 5);
    assert_memory_equal (found, "first", 5);
    //  Stored again: the later reply is the one found.
    cf_writes_reply (writes, "r1", "second", 6, 200);
    found = cf_writes_find_reply (writes, "r1", &size);
    assert_int_equal (size, 6);
    assert_memory_equal (found, "second", 6);
    s_produce (writes, 1, "event");
    cf_writes_meta (writes, "clock", "42", 2);
    cf_writes_expire (writes, 50, 10);
    assert_int_equal (cf_writes_count (writes), 5);
    //  Many: the arena's blocks hold them where they were put.
    for (int i = 0; i < 20000; i++) {
        char id [16];
        snprintf (id, sizeof id, "many-%d", i);
        cf_writes_reply (writes, id, id, strlen (id), 300);
    }
    found = cf_writes_find_reply (writes, "many-7", &size);
    assert_int_equal (size, 6);
    assert_memory_equal (found, "many-7", 6);
    cf_writes_clear (writes);
    assert_int_equal (cf_writes_count (writes), 0);
    assert_null (cf_writes_find_reply (writes, "r1", &size));
    cf_writes_destroy (&writes);
    assert_null (writes);
    cf_writes_destroy (&writes);
}

static void
test_writes_in_order (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("writer");
    cf_journal_t *journal = cf_journal_open (dir, "testsvc", 0, NULL);
    assert_non_null (journal);
    uv_loop_t loop;
    uv_loop_init (&loop);
    s_done_t done = { 0 };
    cf_writer_t *writer = cf_writer_new (journal, &loop, s_done, &done);
    assert_false (cf_writer_busy (writer));

    //  Own and upstream events in the order applied, a cursor, a reply, a
    //  meta value: one transaction.
    cf_writes_t *first = cf_writes_new ();
    s_produce (first, 1, "own 1");
    cf_writes_consumed (first, "intake", 7, "intake 7", 8);
    s_produce (first, 2, "own 2");
    cf_writes_consumed (first, "intake", 8, "intake 8", 8);
    cf_writes_reply (first, "req-1", "ok", 2, 1000);
    cf_writes_meta (first, "clock", "12345", 5);
    cf_writer_submit (writer, first);
    assert_true (cf_writer_busy (writer));
    s_run_until (&loop, &done, 1);
    assert_false (cf_writer_busy (writer));
    assert_ptr_equal (done.writes, first);
    assert_int_equal (done.rc, 0);
    assert_int_equal (cf_journal_last_seq (journal, NULL), 2);
    uint64_t cursor = 0;
    assert_int_equal (cf_journal_cursor (journal, NULL, "intake", &cursor), 0);
    assert_int_equal (cursor, 8);
    void *value = NULL;
    size_t size = 0;
    assert_int_equal (cf_journal_request_get (journal, NULL, "req-1", &value, &size), 0);
    assert_int_equal (size, 2);
    assert_memory_equal (value, "ok", 2);
    free (value);
    assert_int_equal (cf_journal_meta_get (journal, NULL, "clock", &value, &size), 0);
    assert_memory_equal (value, "12345", 5);
    free (value);

    //  The next batch follows; cf_writer_wait gives it back without the loop.
    cf_writes_clear (first);
    s_produce (first, 3, "own 3");
    cf_writer_submit (writer, first);
    cf_writer_wait (writer);
    assert_int_equal (done.calls, 2);
    assert_int_equal (done.rc, 0);
    //  A record that writes nothing is given back as done.
    cf_writes_clear (first);
    cf_writer_submit (writer, first);
    cf_writer_wait (writer);
    assert_int_equal (done.calls, 3);
    assert_int_equal (done.rc, 0);
    //  Waiting with nothing in hand returns at once; the pending async
    //  wake-ups find nothing to give back.
    cf_writer_wait (writer);
    uv_run (&loop, UV_RUN_NOWAIT);
    assert_int_equal (done.calls, 3);

    s_seen_t seen = { 0 };
    assert_int_equal (cf_journal_read_records (journal, 1, s_collect, &seen), 0);
    assert_int_equal (seen.count, 5);
    const char *expected [] = { "own 1", "intake 7", "own 2", "intake 8", "own 3" };
    for (size_t i = 0; i < 5; i++)
        assert_string_equal (seen.data [i], expected [i]);

    cf_writer_destroy (&writer);
    assert_null (writer);
    cf_writer_destroy (&writer);
    uv_run (&loop, UV_RUN_DEFAULT);
    assert_int_equal (uv_loop_close (&loop), 0);
    cf_writes_destroy (&first);
    cf_journal_destroy (&journal);
    cf_test_rmtree (dir);
    free (dir);
}

static void
test_store_full (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("writer");
    cf_journal_t *journal = cf_journal_open (dir, "testsvc", (size_t) 1 << 20, NULL);
    assert_non_null (journal);
    uv_loop_t loop;
    uv_loop_init (&loop);
    s_done_t done = { 0 };
    cf_writer_t *writer = cf_writer_new (journal, &loop, s_done, &done);
    cf_writes_t *writes = cf_writes_new ();
    s_produce (writes, 1, "kept");
    cf_writer_submit (writer, writes);
    s_run_until (&loop, &done, 1);
    assert_int_equal (done.rc, 0);
    //  More than the map holds: refused as a whole, the first batch stays.
    cf_writes_clear (writes);
    char big [4096];
    memset (big, 'x', sizeof big);
    for (uint64_t seq = 2; seq < 2 + 1000; seq++)
        memcpy (cf_writes_produced (writes, seq, sizeof big), big, sizeof big);
    cf_writes_reply (writes, "req-2", "ok", 2, 1000);
    cf_writer_submit (writer, writes);
    s_run_until (&loop, &done, 2);
    assert_int_equal (done.rc, CF_ESTOREFULL);
    assert_int_equal (cf_journal_last_seq (journal, NULL), 1);
    void *value = NULL;
    size_t size = 0;
    assert_int_equal (cf_journal_request_get (journal, NULL, "req-2", &value, &size), CF_ENOTFOUND);
    cf_writer_destroy (&writer);
    uv_run (&loop, UV_RUN_DEFAULT);
    assert_int_equal (uv_loop_close (&loop), 0);
    cf_writes_destroy (&writes);
    cf_journal_destroy (&journal);
    cf_test_rmtree (dir);
    free (dir);
}

//  The `first` step (cf_writer_set_first): run on the writer thread
//  before each record's transaction; its failure fails the record, which
//  then leaves nothing in the journal.
typedef struct {
    int calls;
    int rc;  //  what the next call returns
} s_first_t;

static int
s_first (void *ctx)
{
    s_first_t *first = ctx;
    first->calls++;
    return first->rc;
}

static void
test_first_step (void **state)
{
    (void) state;
    char *dir = cf_test_tmpdir ("writer");
    cf_journal_t *journal = cf_journal_open (dir, "testsvc", 0, NULL);
    assert_non_null (journal);
    uv_loop_t loop;
    uv_loop_init (&loop);
    s_done_t done = { 0 };
    s_first_t first = { 0, 0 };
    cf_writer_t *writer = cf_writer_new (journal, &loop, s_done, &done);
    cf_writer_set_first (writer, s_first, &first);
    cf_writes_t *writes = cf_writes_new ();
    s_produce (writes, 1, "stored");
    cf_writer_submit (writer, writes);
    s_run_until (&loop, &done, 1);
    assert_int_equal (done.rc, 0);
    assert_int_equal (first.calls, 1);
    assert_int_equal (cf_journal_last_seq (journal, NULL), 1);
    //  The step fails: the record is refused with its code, unwritten.
    first.rc = CF_ESTORE;
    cf_writes_clear (writes);
    s_produce (writes, 2, "refused");
    cf_writes_reply (writes, "req-2", "ok", 2, 1000);
    cf_writer_submit (writer, writes);
    s_run_until (&loop, &done, 2);
    assert_int_equal (done.rc, CF_ESTORE);
    assert_int_equal (first.calls, 2);
    assert_int_equal (cf_journal_last_seq (journal, NULL), 1);
    void *value = NULL;
    size_t size = 0;
    assert_int_equal (cf_journal_request_get (journal, NULL, "req-2", &value, &size), CF_ENOTFOUND);
    cf_writer_destroy (&writer);
    uv_run (&loop, UV_RUN_DEFAULT);
    assert_int_equal (uv_loop_close (&loop), 0);
    cf_writes_destroy (&writes);
    cf_journal_destroy (&journal);
    cf_test_rmtree (dir);
    free (dir);
}

int
main (void)
{
    cf_log_init ("test", CF_LOG_ERROR);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_records),
        cmocka_unit_test (test_writes_in_order),
        cmocka_unit_test (test_store_full),
        cmocka_unit_test (test_first_step),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
