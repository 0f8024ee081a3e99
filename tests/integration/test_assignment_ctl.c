//  test_assignment_ctl: `caseflowctl assignment …` against the real
//  caseflow-assignment, fed by the real caseflow-intake (`caseflowctl
//  waiting` asks the console: test_console_waiting).
//
//  Both services run on the manual clock, wired to each other (intake
//  follows assignment, assignment follows intake; intake's handover
//  upstream points at a port nobody serves). Cases are registered through
//  `caseflowctl intake register`, so the urgent one reaches assignment
//  through intake's stream and is assigned at once. The test runs
//  caseflowctl as a child process and checks the JSON keys CLI.md promises
//  (`assignment worker list`), the human output, and the exit
//  statuses (0 done, 1 refused, 2 usage, 3 unreachable).
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

#define S_WAIT_MS 20000

typedef struct {
    cf_testproc_t intake;
    cf_testproc_t assignment;
    char *dir;
    char intake_flag [128];
    char assignment_flag [128];
    char out [65536];
} s_fixture_t;

//  Runs caseflowctl --intake <api> --assignment <api> <args...> (NULL-
//  terminated); returns its exit status with its stdout in f->out.
static int
s_ctl (s_fixture_t *f, ...)
{
    const char *flags [] = { f->intake_flag, f->assignment_flag, NULL };
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

//  Runs `caseflowctl --json assignment show CASE` until its output has
//  `text` (the service applies intake's events asynchronously).
static void
s_wait_show (s_fixture_t *f, const char *case_id, const char *text)
{
    int64_t deadline = cf_test_now_ms () + S_WAIT_MS;
    while (cf_test_now_ms () < deadline) {
        if (s_ctl (f, "--json", "assignment", "show", case_id, NULL) == 0 && strstr (f->out, text))
            return;
        cf_test_sleep_ms (50);
    }
    fail_msg ("case %s never showed %s: %s", case_id, text, f->out);
}

static void
s_clock_advance (cf_testproc_t *proc, int64_t micros)
{
    cf_api_client_t *client = cf_testclient_new (proc->api);
    cf_testreq_t req;
    cf_testreq_clock_advance (&req, NULL, micros);
    Caseflow__V1__Reply *reply = cf_testclient_call (client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
}

static int
s_setup (void **state)
{
    s_fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->dir = cf_test_tmpdir ("assignment-ctl");
    char data_dir [512];
    snprintf (data_dir, sizeof data_dir, "%s/intake", f->dir);
    cf_testproc_init (&f->intake, cf_test_binary ("caseflow-intake"), data_dir);
    snprintf (data_dir, sizeof data_dir, "%s/assignment", f->dir);
    cf_testproc_init (&f->assignment, cf_test_binary ("caseflow-assignment"), data_dir);
    snprintf (f->intake_flag, sizeof f->intake_flag, "--intake=%s", f->intake.api);
    snprintf (f->assignment_flag, sizeof f->assignment_flag, "--assignment=%s", f->assignment.api);

    char flags [8][160];
    snprintf (flags [0], sizeof flags [0], "--assignment-events=%s", f->assignment.events);
    snprintf (flags [1], sizeof flags [1], "--assignment-api=%s", f->assignment.api);
    snprintf (flags [2], sizeof flags [2], "--handover-events=tcp://127.0.0.1:%d",
              cf_test_free_port ());
    snprintf (flags [3], sizeof flags [3], "--handover-api=tcp://127.0.0.1:%d",
              cf_test_free_port ());
    snprintf (flags [4], sizeof flags [4], "--intake-events=%s", f->intake.events);
    snprintf (flags [5], sizeof flags [5], "--intake-api=%s", f->intake.api);
    snprintf (flags [6], sizeof flags [6], "--notification-events=tcp://127.0.0.1:%d",
              cf_test_free_port ());
    snprintf (flags [7], sizeof flags [7], "--notification-api=tcp://127.0.0.1:%d",
              cf_test_free_port ());
    const char *intake_extra [] = { "--clock=manual",
                                    "--clock-start=2022-01-03T09:03",
                                    flags [0],
                                    flags [1],
                                    flags [2],
                                    flags [3],
                                    flags [6],
                                    flags [7],
                                    NULL };
    const char *assignment_extra [] = { "--clock=manual", "--clock-start=2022-01-03T09:03",
                                        flags [4], flags [5], NULL };
    //  Intake never gets ready (its handover upstream is nobody) but
    //  answers its api, replay included: assignment catches up with it.
    assert_int_equal (cf_testproc_start (&f->intake, intake_extra), 0);
    cf_api_client_t *client = cf_testclient_new (f->intake.api);
    Caseflow__V1__Reply *reply = cf_testclient_status (client);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
    assert_int_equal (cf_testproc_start (&f->assignment, assignment_extra), 0);
    assert_true (cf_testproc_wait_ready (&f->assignment, S_WAIT_MS));
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    s_fixture_t *f = *state;
    if (f->assignment.pid > 0)
        assert_int_equal (cf_testproc_stop (&f->assignment, SIGTERM, S_WAIT_MS), 0);
    if (f->intake.pid > 0)
        assert_int_equal (cf_testproc_stop (&f->intake, SIGTERM, S_WAIT_MS), 0);
    cf_testproc_destroy (&f->assignment);
    cf_testproc_destroy (&f->intake);
    cf_test_rmtree (f->dir);
    free (f->dir);
    free (f);
    return 0;
}

static void
test_assignment_verbs (void **state)
{
    s_fixture_t *f = *state;
    //  The roster.
    assert_int_equal (s_ctl (f, "assignment", "location", "add", "--id", "L1", "--name",
                             "Wijkhuis Noord", "--district", "Noord", "--district", "Brandevoort",
                             NULL),
                      0);
    s_expect_out (f, "L1 added");
    assert_int_equal (s_ctl (f, "--json", "assignment", "location", "add", "--id", "L2", "--name",
                             "De Vlinder", "--kind", "school", NULL),
                      0);
    s_expect_out (f, "\"location_id\":\"L2\"");
    s_expect_out (f, "\"kind\":\"school\"");
    assert_int_equal (s_ctl (f, "assignment", "worker", "add", "--id", "w1", "--name", "Anna",
                             "--fte", "0.8", "--location", "L1", "--expertise", "debt,housing",
                             "--max-caseload", "1", NULL),
                      0);
    s_expect_out (f, "w1 added");
    assert_int_equal (s_ctl (f, "--json", "assignment", "worker", "add", "--id", "w2", "--name",
                             "Bram", "--fte", "0.5", "--location", "L2", "--expertise", "youth",
                             NULL),
                      0);
    s_expect_out (f, "\"worker_id\":\"w2\"");
    s_expect_out (f, "\"capacity\":10");

    //  CLI.md's keys of `assignment worker list`.
    assert_int_equal (s_ctl (f, "--json", "assignment", "worker", "list", NULL), 0);
    s_expect_out (f, "[{\"worker_id\":\"w1\",\"fte\":0.8,\"locations\":[\"L1\"],"
                     "\"expertise\":[\"debt\",\"housing\"],\"absent\":false,\"caseload\":0,"
                     "\"capacity\":1,");
    assert_int_equal (s_ctl (f, "assignment", "worker", "list", NULL), 0);
    s_expect_out (f, "WORKER");
    s_expect_out (f, "debt,housing");

    //  An urgent registration at intake is assigned at once.
    assert_int_equal (s_ctl (f, "intake", "register", "--name", "Jan Jansen", "--channel",
                             "walk-in", "--location", "L1", "--domain", "debt", "--urgency",
                             "urgent", "--reason", "eviction next week", NULL),
                      0);
    s_expect_out (f, "C000001");
    s_wait_show (f, "C000001", "\"worker_id\":\"w1\"");
    s_expect_out (f, "\"rule\":\"best-match\"");
    s_expect_out (f, "\"trigger\":\"urgent\"");
    //  Regular ones wait: w1 is full.
    const char *names [] = { "Piet", "Kees", "Lies" };
    for (int i = 0; i < 3; i++)
        assert_int_equal (s_ctl (f, "intake", "register", "--name", names [i], "--channel", "phone",
                                 "--district", "Noord", "--domain", "housing", "--urgency",
                                 "regular", "--reason", "can wait", NULL),
                          0);
    s_wait_show (f, "C000004", "\"position\":3");

    //  Positions as assignment gives them (`caseflowctl waiting` asks the
    //  console: test_console_waiting).
    s_clock_advance (&f->assignment, 2 * INT64_C (86400000000));
    assert_int_equal (s_ctl (f, "--json", "assignment", "show", "C000002", NULL), 0);
    s_expect_out (f, "\"position\":1");
    assert_int_equal (s_ctl (f, "assignment", "explain", "C000003", NULL), 0);
    s_expect_out (f, "at their limit");

    //  Absence: the urgent case has nobody else (escalated, at the head of
    //  the list); the return brings it back by continuity.
    assert_int_equal (s_ctl (f, "assignment", "worker", "absent", "w1", "--from", "now", NULL), 0);
    s_expect_out (f, "absent since");
    assert_int_equal (s_ctl (f, "--json", "assignment", "show", "C000001", NULL), 0);
    s_expect_out (f, "\"position\":1");
    s_expect_out (f, "\"escalated\":true");
    assert_int_equal (s_ctl (f, "assignment", "worker", "return", "w1", NULL), 0);
    assert_int_equal (s_ctl (f, "--json", "assignment", "show", "C000001", NULL), 0);
    s_expect_out (f, "\"worker_id\":\"w1\"");
    s_expect_out (f, "\"rule\":\"continuity\"");

    //  Manual assignment, start, complete.
    assert_int_equal (s_ctl (f, "assignment", "assign", "C000002", "--worker", "w2", "--reason",
                             "knows the family", NULL),
                      0);
    s_expect_out (f, "C000002 assigned: assigned, worker w2");
    assert_int_equal (s_ctl (f, "assignment", "start", "C000002", NULL), 0);
    assert_int_equal (
        s_ctl (f, "--json", "assignment", "complete", "C000002", "--outcome", "helped", NULL), 0);
    s_expect_out (f, "\"status\":\"closed\"");
    s_expect_out (f, "\"outcome\":\"helped\"");
    assert_int_equal (s_ctl (f, "--json", "assignment", "location", "list", NULL), 0);
    s_expect_out (f, "\"location_id\":\"L1\"");
    assert_int_equal (s_ctl (f, "assignment", "worker", "leave", "w2", NULL), 0);
    s_expect_out (f, "w2 left");

    //  Exit statuses: refused (1), usage (2), unreachable (3).
    assert_int_equal (s_ctl (f, "assignment", "start", "C000999", NULL), 1);
    assert_int_equal (s_ctl (f, "assignment", "worker", "add", "--id", "w9", "--name", "X", "--fte",
                             "2", "--location", "L1", "--expertise", "debt", NULL),
                      1);
    assert_int_equal (s_ctl (f, "assignment", "worker", "add", "--id", "w9", "--name", "X", "--fte",
                             "abc", "--location", "L1", "--expertise", "debt", NULL),
                      2);
    assert_int_equal (s_ctl (f, "assignment", "worker", "absent", "w1", NULL), 2);
    assert_int_equal (s_ctl (f, "assignment", "nonsense", NULL), 2);
    assert_int_equal (s_ctl (f, "assignment", "worker", "list", "--limit", "0", NULL), 2);
    assert_int_equal (s_ctl (f, "assignment", "--help", NULL), 0);
    s_expect_out (f, "worker absent W --from TIME");
    char nobody [96];
    snprintf (nobody, sizeof nobody, "--assignment=tcp://127.0.0.1:%d", cf_test_free_port ());
    assert_int_equal (s_ctl (f, nobody, "--timeout", "200", "assignment", "worker", "list", NULL),
                      3);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_assignment_verbs, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
