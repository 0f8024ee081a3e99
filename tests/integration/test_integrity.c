//  test_integrity: a service on a damaged store (journal integrity).
//
//  The test service (caseflow-testsvc, the runtime exactly as a production
//  service uses it) journals a few events and stops; the test then damages
//  the store behind its back with a raw LMDB write, as bit rot or a stray
//  edit would. The service must refuse to start, exit 1 and name the
//  damaged position in its log; `--verify` must say the same offline, and
//  say OK on an intact store. A store of format 1 (no checksums) is
//  refused with a line that says so.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testfixture.h"
#include "cf_testproc.h"

#include <fcntl.h>
#include <lmdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef cf_testfixture_t fixture_t;

static int
s_setup (void **state)
{
    *state = cf_testfixture_new ("integrity", "caseflow-testsvc");
    return 0;
}

//  Starts the service, journals `count` increments (positions 1..count),
//  and stops it cleanly.
static void
s_journal_events (fixture_t *fx, int count)
{
    cf_testfixture_start (fx);
    for (int i = 1; i <= count; i++)
        assert_int_equal (cf_testclient_increment (fx->client, NULL, "kept", 1), i);
    cf_testfixture_stop (fx, SIGTERM);
}

//  Runs `caseflow-testsvc --verify --data-dir=DIR`; returns its exit code
//  and its standard output (free with free).
static int
s_verify (fixture_t *fx, char **output_p)
{
    char out_path [600], flag [600];
    snprintf (out_path, sizeof out_path, "%s/verify.out", fx->tmp);
    snprintf (flag, sizeof flag, "--data-dir=%s", fx->proc.data_dir);
    pid_t pid = fork ();
    assert_true (pid >= 0);
    if (pid == 0) {
        int fd = open (out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int log = open (fx->proc.log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd < 0 || log < 0)
            _exit (127);
        dup2 (fd, STDOUT_FILENO);
        dup2 (log, STDERR_FILENO);
        execl (fx->proc.binary, fx->proc.binary, "--verify", flag, (char *) NULL);
        _exit (127);
    }
    int status = 0;
    assert_int_equal (waitpid (pid, &status, 0), pid);
    assert_true (WIFEXITED (status));
    FILE *file = fopen (out_path, "r");
    assert_non_null (file);
    char *output = calloc (1, 8192);
    assert_non_null (output);
    size_t size = fread (output, 1, 8191, file);
    output [size] = 0;
    fclose (file);
    fprintf (stderr, "--verify (exit %d):\n%s", WEXITSTATUS (status), output);
    *output_p = output;
    return WEXITSTATUS (status);
}

//  The raw store, behind the service's back.
static MDB_env *
s_raw_open (const char *dir, MDB_txn **txn_p)
{
    MDB_env *env;
    assert_int_equal (mdb_env_create (&env), 0);
    assert_int_equal (mdb_env_set_maxdbs (env, 8), 0);
    assert_int_equal (mdb_env_open (env, dir, 0, 0600), 0);
    assert_int_equal (mdb_txn_begin (env, NULL, 0, txn_p), 0);
    return env;
}

//  Flips one byte of the event stored at journal `position` (past the
//  record's 16-byte checksum).
static void
s_damage (const char *dir, uint64_t position)
{
    MDB_txn *txn;
    MDB_env *env = s_raw_open (dir, &txn);
    MDB_dbi dbi;
    assert_int_equal (mdb_dbi_open (txn, "journal", MDB_INTEGERKEY, &dbi), 0);
    MDB_val key = { sizeof position, &position }, value;
    assert_int_equal (mdb_get (txn, dbi, &key, &value), 0);
    uint8_t copy [1024];
    assert_true (value.mv_size > 20 && value.mv_size <= sizeof copy);
    memcpy (copy, value.mv_data, value.mv_size);
    copy [value.mv_size - 3] ^= 0x01;
    MDB_val changed = { value.mv_size, copy };
    assert_int_equal (mdb_put (txn, dbi, &key, &changed, 0), 0);
    assert_int_equal (mdb_txn_commit (txn), 0);
    mdb_env_close (env);
}

static void
s_set_format (const char *dir, const char *format)
{
    MDB_txn *txn;
    MDB_env *env = s_raw_open (dir, &txn);
    MDB_dbi dbi;
    assert_int_equal (mdb_dbi_open (txn, "meta", 0, &dbi), 0);
    MDB_val key = { 6, "format" }, value = { strlen (format), (void *) format };
    assert_int_equal (mdb_put (txn, dbi, &key, &value, 0), 0);
    assert_int_equal (mdb_txn_commit (txn), 0);
    mdb_env_close (env);
}

//  Starts the service expecting it to refuse: returns its exit code.
static int
s_start_refused (fixture_t *fx)
{
    assert_int_equal (cf_testproc_start (&fx->proc, NULL), 0);
    for (int waited = 0; waited < CF_TESTFIXTURE_READY_MS; waited += 20) {
        int status;
        if (waitpid (fx->proc.pid, &status, WNOHANG) == fx->proc.pid) {
            fx->proc.pid = 0;
            return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
        }
        cf_test_sleep_ms (20);
    }
    fail_msg ("the service started on a damaged store");
    return -1;
}

//  True when the service's log holds `text`.
static bool
s_log_has (fixture_t *fx, const char *text)
{
    FILE *file = fopen (fx->proc.log_path, "r");
    assert_non_null (file);
    char line [4096];
    bool found = false;
    while (!found && fgets (line, sizeof line, file))
        found = strstr (line, text) != NULL;
    fclose (file);
    return found;
}

//  ----------------------------------------------------------------- tests

static void
test_refuses_damaged_journal (void **state)
{
    fixture_t *fx = *state;
    s_journal_events (fx, 12);
    char *output = NULL;
    assert_int_equal (s_verify (fx, &output), 0);
    assert_non_null (strstr (output, "journal: 12 records"));
    assert_non_null (strstr (output, "verify: OK"));
    free (output);

    s_damage (fx->proc.data_dir, 7);
    assert_int_equal (s_start_refused (fx), 1);
    assert_true (s_log_has (fx, "journal damaged at position 7"));
    assert_true (s_log_has (fx, "refusing to start"));

    assert_int_equal (s_verify (fx, &output), 1);
    assert_non_null (strstr (output, "journal damaged at position 7: checksum mismatch"));
    assert_non_null (strstr (output, "verify: DAMAGED"));
    free (output);
    fx->passed = true;
}

static void
test_refuses_format_1 (void **state)
{
    fixture_t *fx = *state;
    s_journal_events (fx, 2);
    s_set_format (fx->proc.data_dir, "1");
    assert_int_equal (s_start_refused (fx), 1);
    assert_true (s_log_has (fx, "store format \\\"1\\\" has no record checksums"));
    char *output = NULL;
    assert_int_equal (s_verify (fx, &output), 1);
    assert_non_null (strstr (output, "verify: FAILED"));
    free (output);
    fx->passed = true;
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_refuses_damaged_journal, s_setup,
                                         cf_testfixture_teardown),
        cmocka_unit_test_setup_teardown (test_refuses_format_1, s_setup, cf_testfixture_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
