//  test_journal_upgrade: what the offline upgrade reads of a store
//  (cf_journal_upgrade.h): a store of format 2 opened read-only by the
//  upgrade alone, the format of a store, the meta values, cursors and
//  stored replies walked in key order, and a store another process holds
//  open. A format-2 store is made here as one of today's whose meta says
//  "2": the two formats differ only in what intake's events hold.
#include "cf_error.h"
#include "cf_journal.h"
#include "cf_journal_upgrade.h"
#include "cf_test.h"

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define MIB ((size_t) 1 << 20)

//  A store of `service` in a fresh directory: two own events, a copy of
//  upstream seq 4, a clock reading, two stored replies; its meta format
//  set to `format`. Returns the directory (free it).
static char *
s_store (const char *service, const char *format)
{
    char *dir = cf_test_tmpdir ("journal_upgrade");
    cf_journal_t *journal = cf_journal_open (dir, service, 8 * MIB, NULL);
    assert_non_null (journal);
    MDB_txn *txn;
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    assert_int_equal (cf_journal_append_produced (journal, txn, 1, "e1", 2, NULL), 0);
    assert_int_equal (cf_journal_append_consumed (journal, txn, "upstream", 4, "u4", 2, NULL), 0);
    assert_int_equal (cf_journal_append_produced (journal, txn, 2, "e2", 2, NULL), 0);
    assert_int_equal (cf_journal_meta_put (journal, txn, "clock", "1000", 4), 0);
    assert_int_equal (cf_journal_request_put (journal, txn, "req-b", "Rb", 2, 20), 0);
    assert_int_equal (cf_journal_request_put (journal, txn, "req-a", "Ra", 2, 10), 0);
    assert_int_equal (cf_journal_meta_put (journal, txn, "format", format, strlen (format)), 0);
    assert_int_equal (cf_journal_commit (journal, txn), 0);
    cf_journal_destroy (&journal);
    return dir;
}

static void
test_previous_format_only (void **state)
{
    (void) state;
    char *dir = s_store ("intake", "2");
    char format [16];
    assert_int_equal (cf_journal_format_of (dir, "intake", format, sizeof format), 0);
    assert_string_equal (format, "2");
    //  The services refuse it; the upgrade reads it, records checked.
    int rc = 0;
    assert_null (cf_journal_open (dir, "intake", 8 * MIB, &rc));
    assert_int_equal (rc, CF_EMISMATCH);
    cf_journal_t *journal = cf_journal_open_previous (dir, "intake", &rc);
    assert_non_null (journal);
    assert_int_equal (rc, 0);
    assert_int_equal (cf_journal_last_seq (journal, NULL), 2);
    assert_int_equal (cf_journal_last_position (journal, NULL), 3);
    cf_journal_destroy (&journal);
    //  Another service's store, or none, is not read.
    assert_null (cf_journal_open_previous (dir, "assignment", &rc));
    assert_int_equal (rc, CF_EMISMATCH);
    assert_int_equal (cf_journal_format_of (dir, "assignment", format, sizeof format),
                      CF_EMISMATCH);
    char missing [600];
    snprintf (missing, sizeof missing, "%s/none", dir);
    assert_null (cf_journal_open_previous (missing, "intake", &rc));
    assert_int_equal (rc, CF_ENOTFOUND);
    assert_int_equal (cf_journal_format_of (missing, "intake", format, sizeof format),
                      CF_ENOTFOUND);
    cf_test_rmtree (dir);
    free (dir);

    //  Today's format is not the upgrade's to read.
    dir = s_store ("intake", "3");
    assert_int_equal (cf_journal_format_of (dir, "intake", format, sizeof format), 0);
    assert_string_equal (format, "3");
    assert_null (cf_journal_open_previous (dir, "intake", &rc));
    assert_int_equal (rc, CF_EMISMATCH);
    cf_test_rmtree (dir);
    free (dir);
}

//  What the walks saw, as text lines.
typedef struct {
    char lines [8][64];
    size_t count;
    size_t stop_after;  //  return 99 after this many (0: never)
} s_seen_t;

static int
s_line (s_seen_t *seen, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static int
s_line (s_seen_t *seen, const char *fmt, ...)
{
    assert_true (seen->count < 8);
    va_list args;
    va_start (args, fmt);
    vsnprintf (seen->lines [seen->count++], sizeof seen->lines [0], fmt, args);
    va_end (args);
    return seen->stop_after && seen->count == seen->stop_after ? 99 : 0;
}

static int
s_meta (void *ctx, const char *key, const void *value, size_t size)
{
    return s_line (ctx, "%s=%.*s", key, (int) size, (const char *) value);
}

static int
s_cursor (void *ctx, const char *stream, uint64_t seq)
{
    return s_line (ctx, "%s@%llu", stream, (unsigned long long) seq);
}

static int
s_request (void *ctx, const char *request_id, int64_t stored_at, const void *reply, size_t size)
{
    return s_line (ctx, "%s:%lld:%.*s", request_id, (long long) stored_at, (int) size,
                   (const char *) reply);
}

static void
test_walks (void **state)
{
    (void) state;
    char *dir = s_store ("notification", "2");
    cf_journal_t *journal = cf_journal_open_previous (dir, "notification", NULL);
    assert_non_null (journal);

    s_seen_t seen = { .count = 0 };
    assert_int_equal (cf_journal_each_meta (journal, s_meta, &seen), 0);
    //  Key order: chain (binary: only its key is compared), clock, the
    //  upstream cursor's event id and the stream's epoch (binary; this
    //  fixture is made by today's build: a real format "2" store has
    //  neither), format, service.
    assert_int_equal (seen.count, 6);
    assert_memory_equal (seen.lines [0], "chain=", 6);
    assert_string_equal (seen.lines [1], "clock=1000");
    assert_memory_equal (seen.lines [2], "cursor-id.upstream=", 19);
    assert_memory_equal (seen.lines [3], "epoch=", 6);
    assert_string_equal (seen.lines [4], "format=2");
    assert_string_equal (seen.lines [5], "service=notification");

    memset (&seen, 0, sizeof seen);
    assert_int_equal (cf_journal_each_cursor (journal, s_cursor, &seen), 0);
    assert_int_equal (seen.count, 1);
    assert_string_equal (seen.lines [0], "upstream@4");

    memset (&seen, 0, sizeof seen);
    assert_int_equal (cf_journal_each_request (journal, s_request, &seen), 0);
    assert_int_equal (seen.count, 2);
    assert_string_equal (seen.lines [0], "req-a:10:Ra");
    assert_string_equal (seen.lines [1], "req-b:20:Rb");

    //  A callback that stops ends the walk with its value.
    memset (&seen, 0, sizeof seen);
    seen.stop_after = 1;
    assert_int_equal (cf_journal_each_request (journal, s_request, &seen), 99);
    assert_int_equal (seen.count, 1);

    cf_journal_destroy (&journal);
    cf_test_rmtree (dir);
    free (dir);
}

static void
test_open_elsewhere (void **state)
{
    (void) state;
    char *dir = s_store ("handover", "2");
    //  Closed everywhere (its lock file is left behind): free.
    assert_false (cf_journal_open_elsewhere (dir));
    //  Open in this process only: free too (our own lock is no other's).
    cf_journal_t *journal = cf_journal_open_previous (dir, "handover", NULL);
    assert_non_null (journal);
    assert_false (cf_journal_open_elsewhere (dir));
    cf_journal_destroy (&journal);

    //  Open in another process, as a running service holds its store.
    int ready [2];
    assert_int_equal (pipe (ready), 0);
    pid_t child = fork ();
    assert_true (child >= 0);
    if (child == 0) {
        cf_journal_t *held = cf_journal_open_previous (dir, "handover", NULL);
        char byte = held ? 'y' : 'n';
        if (write (ready [1], &byte, 1) != 1)
            _exit (1);
        pause ();
        _exit (0);
    }
    char byte = 0;
    assert_int_equal (read (ready [0], &byte, 1), 1);
    assert_int_equal (byte, 'y');
    assert_true (cf_journal_open_elsewhere (dir));
    kill (child, SIGKILL);
    int status;
    assert_int_equal (waitpid (child, &status, 0), child);
    //  A process that died holds nothing.
    assert_false (cf_journal_open_elsewhere (dir));
    close (ready [0]);
    close (ready [1]);

    //  No lock file: nobody has it open.
    char missing [600];
    snprintf (missing, sizeof missing, "%s/none", dir);
    assert_false (cf_journal_open_elsewhere (missing));
    cf_test_rmtree (dir);
    free (dir);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_previous_format_only),
        cmocka_unit_test (test_walks),
        cmocka_unit_test (test_open_elsewhere),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
