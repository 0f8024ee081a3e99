//  test_resend: honest timeouts. `caseflowctl` exits 3 when a service does
//  not answer, and for a command that silence does not mean "not applied":
//  the command may wait in the service's queue and be applied after the
//  client gave up (issue 19, fault 5). So exit 3 says the command may or
//  may not have been applied and prints its request id, and
//  `caseflowctl --request-id ID` resends it so that it acts once.
//
//  Against the real caseflow-intake (its upstreams at ports nobody serves:
//  its api answers while it waits for them): a command sent twice with the
//  same --request-id registers one case and answers the same both times;
//  a batch with one id for all its lines is refused;
//  then intake is stopped (SIGSTOP) while a register is sent, the CLI gives
//  up (exit 3, the lines and the id on stderr), intake resumes, and the
//  command resent with the printed id registers the resident once, whether
//  or not the first send was applied meanwhile (which of the two happened
//  is printed). Bad ids are usage errors.
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

typedef struct {
    cf_testproc_t proc;
    char *dir;
    char intake_flag [128];
    char err_path [512];
    char out [65536];
    cf_api_client_t *client;
} s_fixture_t;

//  Runs caseflowctl --intake <api> <words...> (NULL-terminated) with its
//  standard error in f->err_path (emptied first); returns its exit status
//  with its stdout in f->out.
static int
s_ctl (s_fixture_t *f, ...)
{
    const char *flags [] = { f->intake_flag, NULL };
    FILE *err = fopen (f->err_path, "w");
    assert_non_null (err);
    fclose (err);
    va_list words;
    va_start (words, f);
    int status = cf_test_ctl (flags, f->err_path, f->out, sizeof f->out, words);
    va_end (words);
    return status;
}

//  The standard error of the last run (free with free).
static char *
s_stderr (s_fixture_t *f)
{
    char *text = cf_test_read_file (f->err_path, NULL);
    assert_non_null (text);
    return text;
}

//  The journal's last seq of intake's own stream.
static uint64_t
s_last_seq (s_fixture_t *f)
{
    Caseflow__V1__Reply *reply = cf_testclient_status (f->client);
    uint64_t seq = reply->query->status->last_seq;
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return seq;
}

static int
s_setup (void **state)
{
    s_fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->dir = cf_test_tmpdir ("resend");
    char data_dir [512];
    snprintf (data_dir, sizeof data_dir, "%s/intake", f->dir);
    snprintf (f->err_path, sizeof f->err_path, "%s/ctl.err", f->dir);
    const char *clock [] = { "--clock=manual", "--clock-start=2022-01-03T09:03", NULL };
    cf_testclient_start_lone_intake (&f->proc, data_dir, clock);
    snprintf (f->intake_flag, sizeof f->intake_flag, "--intake=%s", f->proc.api);
    f->client = cf_testclient_new (f->proc.api);
    Caseflow__V1__Reply *reply = cf_testclient_status (f->client);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    s_fixture_t *f = *state;
    cf_api_client_destroy (&f->client);
    if (f->proc.pid > 0) {
        kill (f->proc.pid, SIGCONT);
        assert_int_equal (cf_testproc_stop (&f->proc, SIGTERM, 20000), 0);
    }
    cf_testproc_destroy (&f->proc);
    cf_test_rmtree (f->dir);
    free (f->dir);
    free (f);
    return 0;
}

//  The same --request-id twice: one case, the same answer.
static void
test_same_id_acts_once (void **state)
{
    s_fixture_t *f = *state;
    uint64_t before = s_last_seq (f);
    assert_int_equal (s_ctl (f, "--request-id", "script-0001", "--json", "intake", "register",
                             "--name", "Anna de Vries", "--channel", "phone", "--domain", "debt",
                             NULL),
                      0);
    assert_non_null (strstr (f->out, "\"case_id\":\"C000001\""));
    char first [sizeof f->out];
    snprintf (first, sizeof first, "%s", f->out);
    uint64_t after = s_last_seq (f);
    assert_true (after > before);
    assert_int_equal (s_ctl (f, "--request-id", "script-0001", "--json", "intake", "register",
                             "--name", "Anna de Vries", "--channel", "phone", "--domain", "debt",
                             NULL),
                      0);
    assert_string_equal (f->out, first);
    assert_int_equal (s_last_seq (f), after);
    printf ("resend: the same request id twice: one registration (%llu events), the same "
            "answer\n",
            (unsigned long long) (after - before));

    //  Ids outside the grammar, and one id for two commands (a batch).
    assert_int_equal (s_ctl (f, "--request-id", "has space", "intake", "show", "C000001", NULL), 2);
    char *usage = s_stderr (f);
    assert_non_null (strstr (usage, "--request-id"));
    free (usage);
    char long_id [80];
    memset (long_id, 'x', 65);
    long_id [65] = 0;
    assert_int_equal (s_ctl (f, "--request-id", long_id, "intake", "show", "C000001", NULL), 2);
    char input [512];
    snprintf (input, sizeof input, "%s/batch.in", f->dir);
    FILE *in = fopen (input, "w");
    assert_non_null (in);
    fputs ("intake advise C000001 --note one\nintake advise C000001 --note two\n", in);
    fclose (in);
    const char *argv [] = {
        cf_test_binary ("caseflowctl"), f->intake_flag, "--request-id", "batch-0001", "batch", NULL
    };
    uint64_t seq = s_last_seq (f);
    assert_int_equal (cf_test_run (argv, input, f->err_path, f->out, sizeof f->out), 2);
    char *err = s_stderr (f);
    assert_non_null (strstr (err, "names one command"));
    free (err);
    assert_int_equal (s_last_seq (f), seq);
}

//  No answer: exit 3 says so honestly; the printed id resends it once.
static void
test_timeout_then_resend (void **state)
{
    s_fixture_t *f = *state;
    uint64_t before = s_last_seq (f);
    assert_int_equal (kill (f->proc.pid, SIGSTOP), 0);
    int status = s_ctl (f, "--timeout", "300", "--json", "intake", "register", "--name",
                        "Bram Jansen", "--channel", "phone", "--domain", "housing", NULL);
    assert_int_equal (kill (f->proc.pid, SIGCONT), 0);
    assert_int_equal (status, 3);
    char *err = s_stderr (f);
    printf ("resend: caseflowctl's standard error after no answer:\n%s", err);
    assert_non_null (strstr (err, "did not answer"));
    assert_non_null (strstr (err, "may or may not have been applied"));
    const char *at = strstr (err, "its request id is ");
    assert_non_null (at);
    char id [72];
    assert_int_equal (sscanf (at + strlen ("its request id is "), "%71s", id), 1);
    char hint [128];
    snprintf (hint, sizeof hint, "--request-id %s", id);
    assert_non_null (strstr (err, hint));
    free (err);

    //  Give the service time to apply what reached it, then tell which of
    //  the two cases this run met.
    usleep (500 * 1000);
    uint64_t meanwhile = s_last_seq (f);
    printf ("resend: the first send was %s\n", meanwhile > before
                                                   ? "applied after caseflowctl gave up"
                                                   : "not applied (it never reached the service)");

    assert_int_equal (s_ctl (f, "--request-id", id, "--json", "intake", "register", "--name",
                             "Bram Jansen", "--channel", "phone", "--domain", "housing", NULL),
                      0);
    assert_non_null (strstr (f->out, "\"case_id\":\"C000002\""));
    uint64_t after = s_last_seq (f);
    if (meanwhile > before)
        assert_int_equal (after, meanwhile);
    //  A third send under the same id acts no more.
    assert_int_equal (s_ctl (f, "--request-id", id, "--json", "intake", "register", "--name",
                             "Bram Jansen", "--channel", "phone", "--domain", "housing", NULL),
                      0);
    assert_non_null (strstr (f->out, "\"case_id\":\"C000002\""));
    assert_int_equal (s_last_seq (f), after);
    printf ("resend: registered once (C000002, %llu events) after exit 3 and two resends\n",
            (unsigned long long) (after - before));
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_same_id_acts_once),
        cmocka_unit_test (test_timeout_then_resend),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
