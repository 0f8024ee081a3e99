//  test_store_damage: a damaged store file is named, never a crash
//  (docs/operations.md, "A damaged store").
//
//  The test service journals some hundred notes and stops; the test then
//  damages its data.mdb as a disk, a careless copy or a hand would: cut by
//  20 KiB and more, cut into its meta pages and to nothing, a page zeroed,
//  bits flipped in a meta page and in a page header. Each time the service
//  must refuse to start, exit 1 (not a signal) and log a line naming the
//  file and what is wrong, and `--verify` must say DAMAGED (exit 1) and
//  name it the same way. Restored, the store opens again. Last, a store
//  cut while the service runs: the next read of it past the new end ends
//  the service with exit 1 and a line naming the store, not a bare SIGBUS.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testfixture.h"
#include "cf_testproc.h"

#include <czmq.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    cf_testfixture_t *fx;
    char data [700];  //  data.mdb
    char *pristine;   //  its bytes after the events
    size_t size;
    size_t psize;
} s_fixture_t;

static int
s_setup (void **state)
{
    s_fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->fx = cf_testfixture_new ("store-damage", "caseflow-testsvc");
    snprintf (f->data, sizeof f->data, "%s/data.mdb", f->fx->proc.data_dir);
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    s_fixture_t *f = *state;
    cf_testfixture_destroy (&f->fx);
    free (f->pristine);
    free (f);
    return 0;
}

static void
s_write (const s_fixture_t *f, const char *bytes, size_t size)
{
    FILE *file = fopen (f->data, "wb");
    assert_non_null (file);
    assert_int_equal (fwrite (bytes, 1, size, file), size);
    fclose (file);
}

static uint64_t
s_u64 (const char *p)
{
    uint64_t v;
    memcpy (&v, p, sizeof v);
    return v;
}

//  The main table's root page, from the newest meta page (LMDB 0.9: a
//  16-byte page header, then at 4+4+8+8 the free table's record (whose
//  first field is the page size) and the main table's, 48 bytes each,
//  md_root last; the transaction id at 128).
static uint64_t
s_main_root (const s_fixture_t *f)
{
    const char *meta [2] = { f->pristine + 16, f->pristine + f->psize + 16 };
    int newest = s_u64 (meta [1] + 128) > s_u64 (meta [0] + 128);
    return s_u64 (meta [newest] + 72 + 40);
}

//  Runs `--verify` on the store: its exit code; its output and error
//  lines in *out (free with free).
static int
s_verify (const s_fixture_t *f, char **out)
{
    char flag [600], err_path [700];
    snprintf (flag, sizeof flag, "--data-dir=%s", f->fx->proc.data_dir);
    snprintf (err_path, sizeof err_path, "%s/verify.err", f->fx->tmp);
    unlink (err_path);
    const char *argv [] = { f->fx->proc.binary, "--verify", flag, NULL };
    char output [8192];
    int rc = cf_test_run (argv, NULL, err_path, output, sizeof output);
    char *errors = cf_test_read_file (err_path, NULL);
    assert_non_null (errors);
    *out = zsys_sprintf ("%s%s", output, errors);
    free (errors);
    return rc;
}

//  Starts the service expecting it to refuse: its exit status (128 + the
//  signal if one ended it).
static int
s_start_refused (s_fixture_t *f)
{
    unlink (f->fx->proc.log_path);
    assert_int_equal (cf_testproc_start (&f->fx->proc, NULL), 0);
    for (int waited = 0; waited < CF_TESTFIXTURE_READY_MS; waited += 20) {
        int status;
        if (waitpid (f->fx->proc.pid, &status, WNOHANG) == f->fx->proc.pid) {
            f->fx->proc.pid = 0;
            return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
        }
        cf_test_sleep_ms (20);
    }
    fail_msg ("the service started on a damaged store");
    return -1;
}

//  Writes `bytes` as data.mdb; the service and --verify must refuse it,
//  naming the file and `problem`.
static void
s_assert_refused (s_fixture_t *f, const char *label, const char *bytes, size_t size,
                  const char *problem)
{
    print_message ("%s\n", label);
    s_write (f, bytes, size);
    char named [800];
    snprintf (named, sizeof named, "is damaged: %s: ", f->data);
    int status = s_start_refused (f);
    if (status != 1)
        fail_msg ("%s: the service ended with %d, not exit code 1", label, status);
    cf_test_assert_logged (f->fx->proc.log_path, named);
    cf_test_assert_logged (f->fx->proc.log_path, problem);
    char *out = NULL;
    assert_int_equal (s_verify (f, &out), 1);
    if (!strstr (out, "verify: DAMAGED") || !strstr (out, named) || !strstr (out, problem))
        fail_msg ("%s: --verify said\n%s", label, out);
    zstr_free (&out);
}

static void
test_damaged_file_refused (void **state)
{
    s_fixture_t *f = *state;
    cf_testfixture_start (f->fx);
    //  Notes of 300 bytes and of 4000 (LMDB's large values, on pages of
    //  their own), in several commits.
    for (int i = 0; i < 4; i++) {
        cf_testclient_generate (f->fx->client, NULL, 100, 300);
        cf_testclient_generate (f->fx->client, NULL, 10, 4000);
    }
    cf_testfixture_stop (f->fx, SIGTERM);
    f->pristine = cf_test_read_file (f->data, &f->size);
    assert_non_null (f->pristine);
    uint32_t psize;
    memcpy (&psize, f->pristine + 16 + 24, sizeof psize);
    f->psize = psize;
    assert_true (f->size >= 40 * f->psize);
    print_message ("data.mdb: %zu bytes, %zu-byte pages\n", f->size, f->psize);

    //  Cut: by 20 KiB and more, then into and below its meta pages.
    s_assert_refused (f, "cut by 20 KiB", f->pristine, f->size - 20 * 1024, "truncated");
    s_assert_refused (f, "cut by 64 KiB", f->pristine, f->size - 64 * 1024, "truncated");
    s_assert_refused (f, "cut to half a page more than half", f->pristine,
                      f->size / 2 + f->psize / 2, "truncated");
    s_assert_refused (f, "cut to one page", f->pristine, f->psize, "less than its two meta pages");
    s_assert_refused (f, "cut to 100 bytes", f->pristine, 100, "less than a meta page");
    s_assert_refused (f, "cut to nothing", f->pristine, 0, "it is empty (0 bytes)");

    char *copy = malloc (f->size);
    assert_non_null (copy);
    //  Zeroed: the first meta page; the main table's root page.
    memcpy (copy, f->pristine, f->size);
    memset (copy, 0, f->psize);
    s_assert_refused (f, "meta page 0 zeroed", copy, f->size,
                      "meta page 0 is not an LMDB meta page");
    uint64_t root = s_main_root (f);
    char problem [800];
    snprintf (problem, sizeof problem, "page %llu of table (main) says it is page 0",
              (unsigned long long) root);
    memcpy (copy, f->pristine, f->size);
    memset (copy + root * f->psize, 0, f->psize);
    s_assert_refused (f, "the main table's root zeroed", copy, f->size, problem);

    //  Flipped bits: the second meta page's version; the main root's
    //  bounds (its `lower`, at 12, made odd).
    memcpy (copy, f->pristine, f->size);
    copy [f->psize + 16 + 4] ^= 0x10;
    s_assert_refused (f, "a bit of meta page 1's version", copy, f->size,
                      "meta page 1 is of LMDB data version 17");
    memcpy (copy, f->pristine, f->size);
    copy [root * f->psize + 12] ^= 0x01;
    snprintf (problem, sizeof problem, "page %llu of table (main) has bounds",
              (unsigned long long) root);
    s_assert_refused (f, "a bit of the main root's bounds", copy, f->size, problem);
    free (copy);

    //  Restored: it opens, every event there.
    s_write (f, f->pristine, f->size);
    char *out = NULL;
    assert_int_equal (s_verify (f, &out), 0);
    assert_non_null (strstr (out, "verify: OK"));
    zstr_free (&out);
    cf_testfixture_start (f->fx);

    //  Cut under the running service: a replay reads past the new end.
    assert_int_equal (truncate (f->data, (off_t) (2 * f->psize)), 0);
    zsock_t *dealer = zsock_new_dealer (f->fx->proc.api);
    assert_non_null (dealer);
    cf_testreq_t request;
    cf_testreq_replay (&request, "testsvc", 1, 1000, 0);
    size_t size;
    void *bytes = cf_testreq_encode (&request, &size);
    zframe_t *frame = zframe_new (bytes, size);
    free (bytes);
    assert_int_equal (zframe_send (&frame, dealer, 0), 0);
    int status = cf_testproc_stop (&f->fx->proc, 0, CF_TESTFIXTURE_READY_MS);
    zsock_destroy (&dealer);
    if (status != 1)
        fail_msg ("cut while running: the service ended with %d, not exit code 1", status);
    snprintf (problem, sizeof problem, "reading %s faulted at byte offset", f->data);
    cf_test_assert_logged (f->fx->proc.log_path, problem);
    cf_test_assert_logged (f->fx->proc.log_path, "SIGBUS: past the end of the file");
    f->fx->passed = true;
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_damaged_file_refused, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
