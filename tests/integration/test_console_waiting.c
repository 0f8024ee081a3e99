//  test_console_waiting: `caseflowctl waiting` asks the console, as
//  `report` and `case show` do. The four real services and the console on
//  loopback with the manual clock; three cases registered through
//  caseflowctl at two locations with no worker to take them, so all three
//  wait (the urgent one first, escalated).
//
//  Then: CLI.md's keys of `waiting` (and the rest) with the days counted by
//  the services' clock and the positions assignment gives; the table for
//  people with its count line; --limit and --location (positions stay
//  those of the whole list); --csv, a header line of the keys and a line
//  per case; the exit statuses (2 for a usage error, 1 for a refusal, 3
//  for a console that does not answer); and a console that has not caught
//  up with a stream it follows (restarted while intake is stopped)
//  answers UNAVAILABLE: caseflowctl asks again for 5 s and exits 1 with
//  the console's message, never a partial list; once intake runs again
//  the list is back.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_test.h"
#include "cf_testfleet.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static cf_testfleet_t *s_fleet;

static int
s_teardown (void **unused)
{
    (void) unused;
    if (s_fleet && s_fleet->procs [CF_FLEET_INTAKE].pid > 0)
        kill (s_fleet->procs [CF_FLEET_INTAKE].pid, SIGCONT);
    cf_testfleet_destroy (&s_fleet);
    return 0;
}

static void
test_waiting_from_the_console (void **unused)
{
    (void) unused;
    static const char *const flags [] = { "--clock=manual", "--clock-start=2022-01-03T08:00",
                                          NULL };
    cf_testfleet_t *env = cf_testfleet_new ("console-waiting", flags);
    s_fleet = env;
    cf_testfleet_console (env);
    cf_testfleet_start (env, true);

    CF_FLEET_DO_SETTLED (env, "assignment", "location", "add", "--id", "L1", "--name", "Noord");
    CF_FLEET_DO_SETTLED (env, "assignment", "location", "add", "--id", "L2", "--name", "Zuid");
    CF_FLEET_DO_SETTLED (env, "intake", "register", "--name", "Anna", "--channel", "phone",
                         "--domain", "debt", "--location", "L1", "--urgency", "regular", "--reason",
                         "can wait");
    CF_FLEET_DO_SETTLED (env, "clock", "advance", "1h");
    CF_FLEET_DO_SETTLED (env, "intake", "register", "--name", "Bert", "--channel", "walk-in",
                         "--domain", "housing", "--location", "L2", "--urgency", "regular",
                         "--reason", "can wait");
    CF_FLEET_DO_SETTLED (env, "intake", "register", "--name", "Carla", "--channel", "phone",
                         "--domain", "debt,housing", "--location", "L1", "--urgency", "urgent",
                         "--reason", "eviction");
    CF_FLEET_DO_SETTLED (env, "clock", "advance", "2d");

    //  CLI.md's keys, then the rest; the urgent case nobody can take first.
    assert_int_equal (cf_testfleet_ctl (env, "--json", "waiting", NULL), 0);
    cf_testfleet_expect (env, "[{\"case_id\":\"C000003\",\"position\":1,\"urgency\":\"urgent\","
                              "\"registered_at\":\"2022-01-03T09:00:00+01:00\",\"waiting_days\":2,"
                              "\"triaged_at\":\"2022-01-03T09:00:00+01:00\",\"domains\":[\"debt\","
                              "\"housing\"],\"location\":\"L1\",\"escalated\":true}");
    cf_testfleet_expect (env,
                         "{\"case_id\":\"C000001\",\"position\":2,\"urgency\":\"regular\","
                         "\"registered_at\":\"2022-01-03T08:00:00+01:00\",\"waiting_days\":2,");
    cf_testfleet_expect (env, "{\"case_id\":\"C000002\",\"position\":3,");
    //  The positions are assignment's own.
    assert_int_equal (cf_testfleet_ctl (env, "--json", "assignment", "show", "C000002", NULL), 0);
    cf_testfleet_expect (env, "\"position\":3");

    //  For people: the table and the count line, by the services' clock.
    assert_int_equal (cf_testfleet_ctl (env, "waiting", NULL), 0);
    cf_testfleet_expect (env, "POS");
    cf_testfleet_expect (env, "3 waiting (1 urgent); as of 2022-01-05 09:00");
    assert_int_equal (cf_testfleet_ctl (env, "waiting", "--limit", "2", NULL), 0);
    cf_testfleet_expect (env, "3 waiting (1 urgent); use --limit for more; as of 2022-01-05 09:00");
    assert_null (strstr (env->out, "C000002"));
    //  A location's cases keep their places on the whole list.
    assert_int_equal (cf_testfleet_ctl (env, "--json", "waiting", "--location", "L2", NULL), 0);
    cf_testfleet_expect (env, "[{\"case_id\":\"C000002\",\"position\":3,");
    assert_null (strstr (env->out, "C000001"));

    //  --csv: a header line of the keys, a line per case, a list quoted.
    assert_int_equal (cf_testfleet_ctl (env, "waiting", "--csv", NULL), 0);
    cf_testfleet_expect (env,
                         "case_id,position,urgency,registered_at,waiting_days,triaged_at,domains,"
                         "location,escalated\n"
                         "C000003,1,urgent,2022-01-03T09:00:00+01:00,2,2022-01-03T09:00:00+01:00,"
                         "\"debt,housing\",L1,true\n"
                         "C000001,2,regular,2022-01-03T08:00:00+01:00,2,");
    assert_int_equal (cf_testfleet_ctl (env, "waiting", "--csv", "--location", "L9", NULL), 0);
    assert_string_equal (env->out, "case_id,position,urgency,registered_at,waiting_days,"
                                   "triaged_at,domains,location,escalated\n");

    //  Exit statuses: usage (2), refused (1), unreachable (3).
    assert_int_equal (cf_testfleet_ctl (env, "waiting", "--limit", "0", NULL), 2);
    assert_int_equal (cf_testfleet_ctl (env, "waiting", "--limit", "10001", NULL), 2);
    assert_int_equal (cf_testfleet_ctl (env, "--json", "waiting", "--csv", NULL), 2);
    assert_int_equal (cf_testfleet_ctl (env, "waiting", "extra", NULL), 2);
    assert_int_equal (cf_testfleet_ctl (env, "waiting", "--location", "no such place!", NULL), 1);
    char nobody [96];
    snprintf (nobody, sizeof nobody, "--console=tcp://127.0.0.1:%d", cf_test_free_port ());
    assert_int_equal (cf_testfleet_ctl (env, nobody, "--timeout", "200", "waiting", NULL), 3);

    //  A console that has not caught up answers no list: restarted while
    //  intake, a stream it follows, is stopped, it cannot know intake's
    //  head. caseflowctl asks for 5 s, then exits 1 naming why.
    pid_t intake = env->procs [CF_FLEET_INTAKE].pid;
    assert_int_equal (cf_testproc_stop (&env->console, SIGTERM, 10000), 0);
    assert_int_equal (kill (intake, SIGSTOP), 0);
    assert_int_equal (cf_testproc_start (&env->console, env->console_argv), 0);
    char errors [256];
    snprintf (errors, sizeof errors, "%s/waiting.stderr", env->dir);
    env->stderr_path = errors;
    assert_int_equal (cf_testfleet_ctl (env, "--json", "waiting", NULL), 1);
    assert_string_equal (env->out, "");
    char *said = cf_test_read_file (errors, NULL);
    assert_non_null (said);
    if (!strstr (said, "query.console.waiting") || !strstr (said, "caught up"))
        fail_msg ("caseflowctl said: %s", said);
    free (said);
    env->stderr_path = NULL;
    assert_int_equal (kill (intake, SIGCONT), 0);
    assert_true (cf_testproc_wait_ready (&env->console, 20000));
    assert_int_equal (cf_testfleet_ctl (env, "--json", "waiting", NULL), 0);
    cf_testfleet_expect (env, "[{\"case_id\":\"C000003\",\"position\":1,");
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_teardown (test_waiting_from_the_console, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
