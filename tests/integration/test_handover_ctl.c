//  test_handover_ctl: `caseflowctl handover …` against the real
//  caseflow-handover on the manual clock.
//
//  Runs the caseflowctl binary as a child process (stdout captured, exit
//  status checked) through every handover verb, and checks the JSON keys
//  CLI.md promises scripts (`handover progress`: deadline, total,
//  completed, decided, in_progress, cancelled, overdue,
//  forecast_completion_date, by_provider) and the exit statuses (0 done,
//  1 refused, 2 usage, 3 unreachable). Handover follows intake's stream
//  (for ResidentErased): a real caseflow-intake runs beside it.
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
    cf_testproc_t intake;  //  the upstream handover follows
    char intake_flags [2][128];
    char *dir;
    char handover_flag [128];
    char out [65536];
} s_fixture_t;

static s_fixture_t *s_fixture;

//  Runs caseflowctl --handover <api> <args...> (NULL-terminated); returns
//  its exit status with its stdout in f->out.
static int
s_ctl (s_fixture_t *f, ...)
{
    const char *flags [] = { f->handover_flag, NULL };
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

static void
s_expect_not_out (s_fixture_t *f, const char *text)
{
    if (strstr (f->out, text))
        fail_msg ("did not expect %s in the output: %s", text, f->out);
}

static int
s_setup (void **state)
{
    s_fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    s_fixture = f;
    f->dir = cf_test_tmpdir ("handover-ctl");
    char data_dir [512];
    snprintf (data_dir, sizeof data_dir, "%s/handover", f->dir);
    cf_testproc_init (&f->proc, cf_test_binary ("caseflow-handover"), data_dir);
    snprintf (f->handover_flag, sizeof f->handover_flag, "--handover=%s", f->proc.api);
    snprintf (data_dir, sizeof data_dir, "%s/intake", f->dir);
    cf_testclient_start_intake (&f->intake, data_dir, f->intake_flags);
    const char *extra [] = { "--clock=manual", "--clock-start=2022-03-01T09:00",
                             f->intake_flags [0], f->intake_flags [1], NULL };
    assert_true (cf_testclient_start (&f->proc, extra, true, 30000));
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    s_fixture_t *f = *state ? *state : s_fixture;
    if (!f)
        return 0;
    if (f->proc.pid > 0)
        cf_testproc_stop (&f->proc, SIGTERM, 20000);
    if (f->intake.pid > 0)
        cf_testproc_stop (&f->intake, SIGTERM, 20000);
    cf_testproc_destroy (&f->proc);
    cf_testproc_destroy (&f->intake);
    cf_test_rmtree (f->dir);
    free (f->dir);
    free (f);
    s_fixture = NULL;
    return 0;
}

static void
test_handover_verbs (void **state)
{
    s_fixture_t *f = *state;
    assert_int_equal (
        s_ctl (f, "handover", "provider", "add", "--id", "ggz", "--name", "GGZ Oost Brabant", NULL),
        0);
    s_expect_out (f, "provider ggz added");
    assert_int_equal (s_ctl (f, "--json", "handover", "provider", "list", NULL), 0);
    s_expect_out (f, "{\"provider_id\":\"ggz\",\"name\":\"GGZ Oost Brabant\"}");
    assert_int_equal (s_ctl (f, "handover", "provider", "add", "--id", "ggz", "--name", "X", NULL),
                      1);

    //  Announce: the reply names ids and dates, never the resident.
    assert_int_equal (s_ctl (f, "--json", "handover", "announce", "--provider", "ggz", "--name",
                             "Fatima el Amrani", "--domain", "mental-health,housing", "--bsn",
                             "111222333", "--preferred-worker", "w12", "--urgency", "urgent", NULL),
                      0);
    s_expect_out (f, "\"handover_id\":\"H000001\"");
    s_expect_out (f, "\"state\":\"announced\"");
    s_expect_out (f, "\"domains\":[\"mental-health\",\"housing\"]");
    s_expect_out (f, "\"urgency\":\"urgent\"");
    s_expect_out (f, "\"preferred_worker\":\"w12\"");
    s_expect_out (f, "\"deadline\":\"2022-07-01T00:00:00+02:00\"");
    s_expect_not_out (f, "Fatima");
    s_expect_not_out (f, "111222333");
    //  A deadline given as a date is due by the end of that day.
    assert_int_equal (s_ctl (f, "--json", "handover", "announce", "--provider", "ggz", "--name",
                             "Piet", "--domain", "youth", "--deadline", "2022-05-31", NULL),
                      0);
    s_expect_out (f, "\"handover_id\":\"H000002\"");
    s_expect_out (f, "\"deadline\":\"2022-06-01T00:00:00+02:00\"");
    assert_int_equal (s_ctl (f, "--json", "handover", "caseload", "--provider", "ggz", "--worker",
                             "w30", "--resident", "Jan Smits;youth", "--resident",
                             "Lotte Bakker;debt,housing;2008-04-12", NULL),
                      0);
    s_expect_out (f, "\"handover_ids\":[\"H000003\",\"H000004\"]");

    //  The lifecycle, with its refusals.
    assert_int_equal (s_ctl (f, "handover", "held", "H000001", NULL), 1);
    assert_int_equal (s_ctl (f, "handover", "plan", "H000001", "--at", "2022-03-08T10:00",
                             "--location", "Wijkcentrum", "--participant", "resident",
                             "--participant", "worker:w12", NULL),
                      0);
    s_expect_out (f, "meeting-planned");
    assert_int_equal (s_ctl (f, "clock", "set", "2022-03-08T12:00", "--only", "handover", NULL), 0);
    assert_int_equal (s_ctl (f, "handover", "held", "H000001", NULL), 0);
    assert_int_equal (s_ctl (f, "--json", "handover", "decide", "H000001", "--next", "continue",
                             "--note", "stays with w12", NULL),
                      0);
    s_expect_out (f, "\"next_step\":\"continue\"");
    assert_int_equal (s_ctl (f, "handover", "complete", "H000001", NULL), 1);
    assert_int_equal (s_ctl (f, "--json", "handover", "files", "H000001", "--document",
                             "support plan", "--document", "letter", "--type", "plan", NULL),
                      0);
    //  A command's reply holds no title (it may name the resident);
    //  `show` has them.
    s_expect_out (f, "\"documents\":[{\"type\":\"plan\",");
    s_expect_not_out (f, "letter");
    assert_int_equal (s_ctl (f, "--json", "handover", "show", "H000001", NULL), 0);
    s_expect_out (f, "\"title\":\"letter\",\"type\":\"plan\"");
    assert_int_equal (s_ctl (f, "clock", "set", "2022-03-09T09:00", "--only", "handover", NULL), 0);
    assert_int_equal (s_ctl (f, "--json", "handover", "complete", "H000001", NULL), 0);
    s_expect_out (f, "\"state\":\"completed\"");
    s_expect_out (f, "\"completed_at\":\"2022-03-09T09:00:00+01:00\"");
    assert_int_equal (
        s_ctl (f, "handover", "cancel", "H000004", "--reason", "stays with the provider", NULL), 0);
    s_expect_out (f, "cancelled");

    //  show has the resident; list filters by state.
    assert_int_equal (s_ctl (f, "--json", "handover", "show", "H000003", NULL), 0);
    s_expect_out (f, "\"resident\":{\"name\":\"Jan Smits\"");
    s_expect_out (f, "\"caseload_worker\":\"w30\"");
    assert_int_equal (s_ctl (f, "--json", "handover", "list", "--state", "announced", NULL), 0);
    s_expect_out (f, "\"handover_id\":\"H000002\"");
    s_expect_out (f, "\"handover_id\":\"H000003\"");
    s_expect_not_out (f, "\"handover_id\":\"H000001\"");
    assert_int_equal (s_ctl (f, "handover", "list", NULL), 0);
    s_expect_out (f, "2022-05-31 (end of day)");
    assert_int_equal (s_ctl (f, "handover", "show", "H000099", NULL), 1);

    //  Progress at 10 March 09:00: one completion in 28 days, two open
    //  (H000002, H000003): 56 days on, 5 May.
    assert_int_equal (s_ctl (f, "clock", "set", "2022-03-10T09:00", "--only", "handover", NULL), 0);
    assert_int_equal (s_ctl (f, "--json", "handover", "progress", NULL), 0);
    s_expect_out (f, "\"deadline\":\"2022-06-30\",\"total\":4,\"completed\":1,\"decided\":0,"
                     "\"in_progress\":2,\"cancelled\":1,\"overdue\":0");
    s_expect_out (f, "\"forecast_completion_date\":\"2022-05-05\",\"on_track\":true");
    s_expect_out (f, "\"by_provider\":{\"ggz\":{\"name\":\"GGZ Oost Brabant\","
                     "\"deadline\":\"2022-06-30\",\"total\":4,\"completed\":1");
    //  As it was before anything was completed: no rate, no forecast.
    assert_int_equal (s_ctl (f, "--json", "handover", "progress", "--provider", "ggz", "--at",
                             "2022-03-05", NULL),
                      0);
    s_expect_out (f, "\"total\":4,\"completed\":0");
    s_expect_out (f, "\"forecast_completion_date\":null,\"on_track\":false");
    assert_int_equal (s_ctl (f, "handover", "progress", NULL), 0);
    s_expect_out (f, "deadline 2022-06-30 (end of day)");
    s_expect_out (f, "2022-05-05");
    assert_int_equal (s_ctl (f, "handover", "progress", "--provider", "nope", NULL), 1);
    assert_int_equal (s_ctl (f, "handover", "progress", "--at", "2023-01-01", NULL), 1);
}

static void
test_usage_and_unreachable (void **state)
{
    s_fixture_t *f = *state;
    assert_int_equal (s_ctl (f, "handover", NULL), 2);
    assert_int_equal (s_ctl (f, "handover", "bogus", NULL), 2);
    assert_int_equal (s_ctl (f, "handover", "--help", NULL), 0);
    s_expect_out (f, "progress [--provider P] [--at TIME]");
    assert_int_equal (s_ctl (f, "handover", "announce", "--provider", "ggz", "--name", "X", NULL),
                      2);
    assert_int_equal (s_ctl (f, "handover", "announce", "--provider", "ggz", "--name", "X",
                             "--domain", "nonsense", NULL),
                      2);
    assert_int_equal (s_ctl (f, "handover", "decide", "H000001", "--next", "maybe", NULL), 2);
    assert_int_equal (s_ctl (f, "handover", "files", "H000001", NULL), 2);
    assert_int_equal (s_ctl (f, "handover", "files", "H000001", "--waive", "--document", "x", NULL),
                      2);
    assert_int_equal (s_ctl (f, "handover", "plan", "H000001", "--at", "someday", NULL), 2);
    assert_int_equal (s_ctl (f, "handover", "list", "--state", "sleeping", NULL), 2);
    char nobody [64];
    snprintf (nobody, sizeof nobody, "--handover=tcp://127.0.0.1:%d", cf_test_free_port ());
    assert_int_equal (s_ctl (f, nobody, "--timeout", "200", "handover", "progress", NULL), 3);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_handover_verbs, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_usage_and_unreachable, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
