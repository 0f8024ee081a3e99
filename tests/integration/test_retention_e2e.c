//  test_retention_e2e: retention end to end, with the four real services on
//  the manual clock (cf_testfleet) and caseflowctl.
//
//  Two residents register with a debt question. An erasure request while
//  the case is open is refused naming the rule (exit 1, the field on
//  stderr); one is held (`resident hold`). Both cases close; the clock
//  moves seven years on: notification fires RetentionDue for the one not
//  held, intake erases them (`intake show` reads "erased"), the held one
//  is kept. `resident release` erases them at once (their period is over).
//  Notification restarted: the same digest, and neither RetentionDue
//  again; the clock moving further fires nothing more. A bad --retention
//  keeps a service from starting (exit 2, a line naming the flag).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testfleet.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cf_testfleet_t *s_fleet;

static int
s_teardown (void **unused)
{
    (void) unused;
    cf_testfleet_destroy (&s_fleet);
    return 0;
}

//  How many events of `body_case` the stream of fleet service `which`
//  holds (read through its replay).
static size_t
s_count (cf_testfleet_t *env, cf_fleet_service_t which, int body_case)
{
    cf_api_client_t *client = cf_testclient_new (env->procs [which].api);
    size_t seen = 0, found = 0;
    while (true) {
        cf_testreq_t req;
        cf_testreq_replay (&req, cf_testfleet_name (which), seen + 1, 0, 0);
        Caseflow__V1__Reply *reply = cf_testclient_call (client, &req);
        cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
        const Caseflow__V1__ReplayBatch *batch = reply->replay;
        for (size_t i = 0; i < batch->n_events; i++)
            found += (int) batch->events [i]->body_case == body_case;
        seen += batch->n_events;
        bool done = batch->n_events == 0 || seen >= batch->last_seq;
        caseflow__v1__reply__free_unpacked (reply, NULL);
        if (done)
            break;
    }
    cf_api_client_destroy (&client);
    return found;
}

static void
s_digest (cf_testfleet_t *env, cf_fleet_service_t which, char sha [65])
{
    cf_api_client_t *client = cf_testclient_new (env->procs [which].api);
    cf_testclient_digest (client, sha);
    cf_api_client_destroy (&client);
}

static void
test_retention_erases_when_due (void **unused)
{
    (void) unused;
    static const char *const flags [] = { "--clock=manual", "--clock-start=2022-01-10T09:00",
                                          NULL };
    s_fleet = cf_testfleet_new ("retention", flags);
    cf_testfleet_t *env = s_fleet;
    char errors [600];
    snprintf (errors, sizeof errors, "%s/ctl.stderr", env->dir);
    env->stderr_path = errors;
    cf_testfleet_start (env, true);

    CF_FLEET_DO_SETTLED (env, "intake", "register", "--name", "Anna de Vries", "--birth-date",
                         "1980-05-17", "--channel", "phone", "--domain", "debt");
    CF_FLEET_DO_SETTLED (env, "intake", "register", "--name", "Bram Jansen", "--birth-date",
                         "1975-02-03", "--channel", "phone", "--domain", "debt");
    //  A debt case that is open: the request may be refused, and is.
    assert_int_equal (cf_testfleet_ctl (env, "resident", "erase", "C000001", "--reason",
                                        "request 2022-001", NULL),
                      1);
    cf_test_assert_logged (errors, "command.intake.erase.override_retention");
    cf_test_assert_logged (errors, "the retention rule of debt (7 years after the last case "
                                   "closed: Wgs; Archiefwet 1995 and the selectielijst)");
    assert_int_equal (cf_testfleet_ctl (env, "--json", "resident", "hold", "C000002", "--reason",
                                        "objection 2022-04", NULL),
                      0);
    cf_testfleet_expect (env, "\"held\":true");
    cf_testfleet_expect (env, "\"subject\":\"S");
    CF_FLEET_DO_SETTLED (env, "intake", "close", "C000001", "--reason", "debts settled");
    CF_FLEET_DO_SETTLED (env, "intake", "close", "C000002", "--reason", "debts settled");

    //  Seven years after the closures: the one not held is erased.
    CF_FLEET_DO_SETTLED (env, "clock", "set", "2029-01-10T08:59");
    assert_int_equal (s_count (env, CF_FLEET_NOTIFICATION, CASEFLOW__V1__EVENT__BODY_RETENTION_DUE),
                      0);
    CF_FLEET_DO_SETTLED (env, "clock", "set", "2029-01-10T09:00");
    assert_int_equal (s_count (env, CF_FLEET_NOTIFICATION, CASEFLOW__V1__EVENT__BODY_RETENTION_DUE),
                      1);
    assert_int_equal (cf_testfleet_ctl (env, "--json", "intake", "show", "C000001", NULL), 0);
    cf_testfleet_expect (env, "\"name\":\"erased\"");
    assert_int_equal (cf_testfleet_ctl (env, "--json", "intake", "show", "C000002", NULL), 0);
    cf_testfleet_expect (env, "\"name\":\"Bram Jansen\"");

    //  Released: their period is over, so at once.
    assert_int_equal (cf_testfleet_ctl (env, "--json", "resident", "release", "C000002", NULL), 0);
    cf_testfleet_expect (env, "\"held\":false");
    assert_int_equal (cf_testfleet_ctl (env, "status", "--settle", NULL), 0);
    assert_int_equal (cf_testfleet_ctl (env, "--json", "intake", "show", "C000002", NULL), 0);
    cf_testfleet_expect (env, "\"name\":\"erased\"");
    assert_int_equal (s_count (env, CF_FLEET_NOTIFICATION, CASEFLOW__V1__EVENT__BODY_RETENTION_DUE),
                      2);
    assert_int_equal (s_count (env, CF_FLEET_INTAKE, CASEFLOW__V1__EVENT__BODY_RESIDENT_ERASED), 2);
    //  Releasing again: erased, not held; refused naming the state.
    assert_int_equal (cf_testfleet_ctl (env, "resident", "release", "C000002", NULL), 1);
    cf_test_assert_logged (errors, "is erased; release needs it held");

    //  A restart neither loses nor repeats: the same digest, nothing fires.
    char before [65], after [65];
    s_digest (env, CF_FLEET_NOTIFICATION, before);
    cf_testproc_t *notification = &env->procs [CF_FLEET_NOTIFICATION];
    assert_int_equal (cf_testproc_stop (notification, SIGTERM, 20000), 0);
    assert_true (
        cf_testclient_start (notification, env->argv [CF_FLEET_NOTIFICATION], false, 30000));
    assert_int_equal (cf_testfleet_ctl (env, "status", "--settle", NULL), 0);
    s_digest (env, CF_FLEET_NOTIFICATION, after);
    assert_string_equal (before, after);
    CF_FLEET_DO_SETTLED (env, "clock", "set", "2040-01-01T09:00");
    assert_int_equal (s_count (env, CF_FLEET_NOTIFICATION, CASEFLOW__V1__EVENT__BODY_RETENTION_DUE),
                      2);
    assert_int_equal (s_count (env, CF_FLEET_INTAKE, CASEFLOW__V1__EVENT__BODY_RESIDENT_ERASED), 2);
    cf_testfleet_stop (env);
}

static void
test_bad_retention_refused (void **unused)
{
    (void) unused;
    char *dir = cf_test_tmpdir ("retention-flag");
    char data [600], log [600], out [4096];
    snprintf (data, sizeof data, "--data-dir=%s/notification", dir);
    snprintf (log, sizeof log, "%s/stderr", dir);
    const char *notification [] = { cf_test_binary ("caseflow-notification"), data,
                                    "--retention=debt=5", NULL };
    assert_int_equal (cf_test_run (notification, NULL, log, out, sizeof out), 2);
    cf_test_assert_logged (log, "caseflow-notification: --retention (CASEFLOW_RETENTION): "
                                "\"debt=5\": a period is whole years, such as 7y");
    snprintf (data, sizeof data, "--data-dir=%s/intake", dir);
    const char *intake [] = { cf_test_binary ("caseflow-intake"), data, "--retention=family=3y",
                              NULL };
    assert_int_equal (cf_test_run (intake, NULL, log, out, sizeof out), 2);
    cf_test_assert_logged (log, "caseflow-intake: --retention (CASEFLOW_RETENTION): "
                                "\"family=3y\": family is not a domain");
    cf_test_rmtree (dir);
    free (dir);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_teardown (test_retention_erases_when_due, s_teardown),
        cmocka_unit_test (test_bad_retention_refused),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
