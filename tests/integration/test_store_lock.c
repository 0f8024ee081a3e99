//  test_store_lock: one writer per store (docs/operations.md, "One process
//  per store").
//
//  A second caseflow-intake on the data directory of one that runs (on
//  ports of its own) is refused at start, exit 1, with a log line naming
//  the first one's pid; so is one with a data directory of its own that
//  names the first one's key store. `--verify` still reads the store while
//  the service runs. Once the first is killed (SIGKILL: no clean close),
//  the lock is gone with it and the store opens again.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testproc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_WAIT_MS 20000

typedef struct {
    char *dir;
    char data [200], other [200], keys [200];
    cf_testproc_t first, second;
    bool passed;
} s_fixture_t;

static const char *s_alone [] = { "--handover-events=none", "--assignment-events=none",
                                  "--notification-events=none", NULL };

static int
s_setup (void **state)
{
    s_fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->dir = cf_test_tmpdir ("store-lock");
    snprintf (f->data, sizeof f->data, "%s/intake", f->dir);
    snprintf (f->other, sizeof f->other, "%s/other", f->dir);
    snprintf (f->keys, sizeof f->keys, "%s/intake-keys", f->dir);
    cf_testproc_init (&f->first, cf_test_binary ("caseflow-intake"), f->data);
    cf_testproc_init (&f->second, cf_test_binary ("caseflow-intake"), f->data);
    //  The second's log beside the first's, not over it.
    snprintf (f->second.log_path, sizeof f->second.log_path, "%s/second.log", f->dir);
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    s_fixture_t *f = *state;
    if (!f->passed) {
        cf_test_dump_log (f->first.log_path);
        cf_test_dump_log (f->second.log_path);
    }
    cf_testproc_destroy (&f->first);
    cf_testproc_destroy (&f->second);
    cf_test_rmtree (f->dir);
    free (f->dir);
    free (f);
    return 0;
}

//  Starts the second process with `extra` flags (after the upstreams) and
//  returns how it ended (it must end by itself).
static int
s_second_exit (s_fixture_t *f, const char *extra)
{
    const char *flags [] = { s_alone [0], s_alone [1], s_alone [2], extra, NULL };
    assert_int_equal (cf_testproc_start (&f->second, flags), 0);
    //  Signal 0: nothing sent, only the wait for its own exit.
    return cf_testproc_stop (&f->second, 0, S_WAIT_MS);
}

static void
test_second_writer_refused (void **state)
{
    s_fixture_t *f = *state;
    assert_int_equal (cf_testproc_start (&f->first, s_alone), 0);
    assert_true (cf_testproc_wait_ready (&f->first, S_WAIT_MS));
    char holder [128];
    snprintf (holder, sizeof holder, "in use by another process (pid %ld)", (long) f->first.pid);

    //  The same data directory: refused, naming the holder.
    assert_int_equal (s_second_exit (f, NULL), 1);
    cf_test_assert_logged (f->second.log_path, holder);
    cf_test_assert_logged (f->second.log_path, "the store in ");

    //  A data directory of its own, the first one's key store: refused too.
    char flag [600];
    snprintf (flag, sizeof flag, "--key-store=%s", f->keys);
    snprintf (f->second.data_dir, sizeof f->second.data_dir, "%s", f->other);
    snprintf (f->second.log_path, sizeof f->second.log_path, "%s/second-keys.log", f->dir);
    assert_int_equal (s_second_exit (f, flag), 1);
    cf_test_assert_logged (f->second.log_path, holder);
    cf_test_assert_logged (f->second.log_path, "the key store in ");

    //  The lock file says who holds it.
    char path [600];
    snprintf (path, sizeof path, "%s/caseflow.lock", f->data);
    char *text = cf_test_read_file (path, NULL);
    assert_non_null (text);
    assert_int_equal (atol (text), (long) f->first.pid);
    free (text);

    //  An offline check reads beside the running service.
    char data_flag [600], out [8192];
    snprintf (data_flag, sizeof data_flag, "--data-dir=%s", f->data);
    const char *verify [] = { f->first.binary, "--verify", data_flag, NULL };
    assert_int_equal (cf_test_run (verify, NULL, NULL, out, sizeof out), 0);
    assert_non_null (strstr (out, "verify: OK"));

    //  Killed, the first lets go: the store is the second's now.
    assert_int_equal (cf_testproc_stop (&f->first, SIGKILL, S_WAIT_MS), 128 + SIGKILL);
    snprintf (f->second.data_dir, sizeof f->second.data_dir, "%s", f->data);
    snprintf (f->second.log_path, sizeof f->second.log_path, "%s/second-after.log", f->dir);
    assert_int_equal (cf_testproc_start (&f->second, s_alone), 0);
    assert_true (cf_testproc_wait_ready (&f->second, S_WAIT_MS));
    assert_int_equal (cf_testproc_stop (&f->second, SIGTERM, S_WAIT_MS), 0);
    f->passed = true;
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_second_writer_refused, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
