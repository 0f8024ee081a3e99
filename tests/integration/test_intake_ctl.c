//  test_intake_ctl: `caseflowctl intake …` against the real caseflow-intake.
//
//  Runs the caseflowctl binary as a child process (its stdout captured,
//  its exit status checked) for every intake verb, and checks the JSON keys
//  CLI.md promises scripts and the exit statuses (0 done, 1 refused,
//  2 usage, 3 unreachable). The service's upstreams point at ports nobody
//  serves: intake answers its api while it waits for them.
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

typedef struct {
    cf_testproc_t proc;
    char *dir;
    char intake_flag [128];
    char out [65536];
} s_fixture_t;

//  Runs caseflowctl --intake <api> <args...> (NULL-terminated); returns its
//  exit status with its stdout in f->out.
static int
s_ctl (s_fixture_t *f, ...)
{
    const char *flags [] = { f->intake_flag, NULL };
    va_list words;
    va_start (words, f);
    int status = cf_test_ctl (flags, NULL, f->out, sizeof f->out, words);
    va_end (words);
    return status;
}

static void
s_expect_out (s_fixture_t *f, const char *text)
{
    if (!strstr (f->out, text))
        fail_msg ("expected %s in the output: %s", text, f->out);
}

static int
s_setup (void **state)
{
    s_fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->dir = cf_test_tmpdir ("intake-ctl");
    char data_dir [512];
    snprintf (data_dir, sizeof data_dir, "%s/intake", f->dir);
    const char *clock [] = { "--clock=manual", "--clock-start=2022-01-03T09:03", NULL };
    cf_testclient_start_lone_intake (&f->proc, data_dir, clock);
    snprintf (f->intake_flag, sizeof f->intake_flag, "--intake=%s", f->proc.api);
    //  Not ready (its upstreams never answer), but its api answers.
    cf_api_client_t *client = cf_testclient_new (f->proc.api);
    Caseflow__V1__Reply *reply = cf_testclient_status (client);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    s_fixture_t *f = *state;
    if (f->proc.pid > 0)
        assert_int_equal (cf_testproc_stop (&f->proc, SIGTERM, 20000), 0);
    cf_testproc_destroy (&f->proc);
    cf_test_rmtree (f->dir);
    free (f->dir);
    free (f);
    return 0;
}

static void
test_intake_verbs (void **state)
{
    s_fixture_t *f = *state;
    assert_int_equal (s_ctl (f, "--json", "intake", "register", "--name", "Anna de Vries",
                             "--channel", "phone", "--domain", "debt,housing", "--birth-date",
                             "1980-05-17", "--bsn", "111222333", "--question", "Bailiff letters",
                             "--urgency", "urgent", "--reason", "eviction next week", NULL),
                      0);
    s_expect_out (f, "\"case_id\":\"C000001\"");
    s_expect_out (f, "\"status\":\"urgent\"");
    s_expect_out (f, "\"urgency\":\"urgent\"");
    s_expect_out (f, "\"joined_existing\":false");

    assert_int_equal (s_ctl (f, "--json", "intake", "register", "--name", "A. de Vries",
                             "--channel", "web", "--domain", "debt", "--bsn", "111222333", NULL),
                      0);
    s_expect_out (f, "\"case_id\":\"C000001\"");
    s_expect_out (f, "\"joined_existing\":true");

    assert_int_equal (s_ctl (f, "intake", "register", "--name", "Bram Jansen", "--channel",
                             "walk-in", "--location", "wijkhuis-west", "--domain", "youth", NULL),
                      0);
    s_expect_out (f, "C000002 registered");

    //  Refusals (1) and usage errors (2).
    assert_int_equal (s_ctl (f, "intake", "register", "--name", "Cor", "--channel", "phone",
                             "--domain", "debt", "--bsn", "123456789", NULL),
                      1);
    assert_int_equal (s_ctl (f, "intake", "register", "--name", "Cor", "--channel", "fax",
                             "--domain", "debt", NULL),
                      2);
    assert_int_equal (s_ctl (f, "intake", "register", "--channel", "phone", NULL), 2);
    assert_int_equal (s_ctl (f, "intake", "callback", "C000002", "--outcome", "maybe", NULL), 2);
    assert_int_equal (s_ctl (f, "intake", "frobnicate", NULL), 2);
    assert_int_equal (s_ctl (f, "intake", "show", NULL), 2);

    assert_int_equal (s_ctl (f, "intake", "triage", "C000002", "--urgency", "regular", "--reason",
                             "can wait", NULL),
                      0);
    s_expect_out (f, "C000002 triaged: waiting");
    assert_int_equal (s_ctl (f, "--json", "intake", "callback", "C000002", "--outcome",
                             "not-reached", "--reminder", "R1", "--due", "2022-01-17T09:00", NULL),
                      0);
    s_expect_out (f, "\"consecutive_unanswered\":1");
    assert_int_equal (s_ctl (f, "--json", "intake", "track", "add", "--id", "T1", "--name",
                             "Budget course", "--location", "wijkhuis-west", "--capacity", "12",
                             "--starts", "2022-02-01", NULL),
                      0);
    s_expect_out (f, "\"track_id\":\"T1\"");
    s_expect_out (f, "\"capacity\":12");
    assert_int_equal (s_ctl (f, "intake", "track", "join", "C000002", "--track", "T1", NULL), 0);
    assert_int_equal (s_ctl (f, "intake", "track", "join", "C000002", "--track", "T1", NULL), 1);
    assert_int_equal (s_ctl (f, "intake", "track", "list", NULL), 0);
    s_expect_out (f, "Budget course");

    //  show: the keys of CLI.md.
    assert_int_equal (s_ctl (f, "--json", "intake", "show", "C000002", NULL), 0);
    s_expect_out (f, "\"case_id\":\"C000002\"");
    s_expect_out (f, "\"status\":\"waiting\"");
    s_expect_out (f, "\"urgency\":\"regular\"");
    s_expect_out (f, "\"channel\":\"walk-in\"");
    s_expect_out (f, "\"domains\":[\"youth\"]");
    s_expect_out (f, "\"registered_at\":\"2022-01-03T09:03:00+01:00\"");
    s_expect_out (f, "\"worker_id\":null");
    s_expect_out (f, "\"location\":\"wijkhuis-west\"");
    s_expect_out (f,
                  "\"callbacks\":[{\"reminder_id\":\"R1\",\"due_at\":\"2022-01-17T09:00:00+01:00\","
                  "\"outcome\":\"not-reached\"");
    s_expect_out (f, "\"tracks\":[\"T1\"]");
    assert_int_equal (s_ctl (f, "intake", "show", "C000002", NULL), 0);
    s_expect_out (f, "Bram Jansen");
    assert_int_equal (s_ctl (f, "intake", "show", "C000099", NULL), 1);

    //  Closures.
    assert_int_equal (
        s_ctl (f, "--json", "intake", "advise", "C000001", "--note", "budget course advised", NULL),
        0);
    s_expect_out (f, "\"closure\":\"advised\"");
    assert_int_equal (s_ctl (f, "intake", "advise", "C000001", "--note", "again", NULL), 1);
    assert_int_equal (s_ctl (f, "intake", "withdraw", "C000002", NULL), 2);
    assert_int_equal (s_ctl (f, "intake", "register", "--name", "Cor Smits", "--channel", "partner",
                             "--referred-by", "LEV groep", "--domain", "other", NULL),
                      0);
    assert_int_equal (s_ctl (f, "intake", "withdraw", "C000003", "--reason", "moved", NULL), 0);
    assert_int_equal (s_ctl (f, "intake", "register", "--name", "Dirk Bos", "--channel",
                             "municipality", "--domain", "work-income", NULL),
                      0);
    assert_int_equal (s_ctl (f, "intake", "close", "C000004", "--reason", "duplicate", NULL), 0);

    //  list, counts, find.
    assert_int_equal (s_ctl (f, "--json", "intake", "list", "--status", "waiting", NULL), 0);
    s_expect_out (f, "[{\"case_id\":\"C000002\"");
    assert_null (strstr (f->out, "C000001"));
    assert_null (strstr (f->out, "Bram"));  //  summaries carry no personal data
    assert_int_equal (s_ctl (f, "intake", "list", "--limit", "2", NULL), 0);
    s_expect_out (f, "C000002");
    assert_null (strstr (f->out, "C000003"));
    assert_int_equal (s_ctl (f, "intake", "list", "--status", "sleeping", NULL), 2);
    assert_int_equal (s_ctl (f, "--json", "intake", "counts", NULL), 0);
    s_expect_out (f, "\"waiting\":1");
    s_expect_out (f, "\"closed\":3");
    assert_int_equal (
        s_ctl (f, "intake", "find", "--name", "Bram Jansen", "--birth-date", "1980-01-01", NULL),
        1);
    assert_int_equal (s_ctl (f, "intake", "find", NULL), 2);

    //  Unreachable (3).
    char dead [64];
    snprintf (dead, sizeof dead, "--intake=tcp://127.0.0.1:%d", cf_test_free_port ());
    char flag [128];
    snprintf (flag, sizeof flag, "%s", f->intake_flag);
    snprintf (f->intake_flag, sizeof f->intake_flag, "%s", dead);
    assert_int_equal (s_ctl (f, "--timeout", "200", "intake", "show", "C000001", NULL), 3);
    snprintf (f->intake_flag, sizeof f->intake_flag, "%s", flag);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_intake_verbs, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
