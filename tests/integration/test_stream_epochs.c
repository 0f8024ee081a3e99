//  test_stream_epochs: a producer that comes back with an older backup or
//  an empty store is never followed silently (issue 19, fault 1; DESIGN.md,
//  "Streams have an identity").
//
//  The fleet runs on its own ports. Three cases are registered, intake's
//  store is copied with `mdb_copy -c` while it runs, three more are
//  registered, intake is stopped, the copy put back and intake started
//  again, and two urgent cases are registered. Before stream epochs,
//  assignment dropped those two (their seqs were at or below its cursor),
//  stayed ready with lag 0 and said nothing. Now it must stop applying
//  intake's stream: /readyz 503 naming the stream and why, the metric
//  caseflow_upstream_diverged{service="assignment",stream="intake"} at 1,
//  and one log line. The second test does the same with an empty store (a
//  lost volume): another epoch.
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
#include <time.h>
#include <unistd.h>

#define S_WAIT_MS 20000

static cf_testfleet_t *s_fleet;

static int
s_teardown (void **unused)
{
    (void) unused;
    cf_testfleet_destroy (&s_fleet);
    return 0;
}

static void
s_register (cf_testfleet_t *env, const char *name, const char *urgency)
{
    int rc = cf_testfleet_ctl (env, "intake", "register", "--name", name, "--channel", "phone",
                               "--domain", "debt", "--location", "L1", "--urgency", urgency,
                               "--reason", "debts", NULL);
    if (rc != 0)
        fail_msg ("register %s exited %d: %s", name, rc, env->out);
}

static void
s_shell (const char *command)
{
    const char *argv [] = { "/bin/sh", "-c", command, NULL };
    char out [4096];
    int rc = cf_test_run (argv, NULL, NULL, out, sizeof out);
    if (rc != 0)
        fail_msg ("%s exited %d: %s", command, rc, out);
}

static void
s_sleep_ms (int ms)
{
    struct timespec pause = { ms / 1000, (long) (ms % 1000) * 1000000L };
    nanosleep (&pause, NULL);
}

//  Waits until GET `path` of `proc` answers `status` with a body holding
//  `text`; the last body is printed when it does not.
static void
s_wait_http (cf_testproc_t *proc, const char *path, int status, const char *text)
{
    char *body = NULL;
    for (int waited = 0; waited < S_WAIT_MS; waited += 100) {
        free (body);
        body = NULL;
        int got = cf_test_http_get (proc->http_port, path, &body);
        if (got == status && body && strstr (body, text)) {
            free (body);
            return;
        }
        s_sleep_ms (100);
    }
    fprintf (stderr, "%s: %s\n", path, body ? body : "(none)");
    free (body);
    cf_test_dump_log (proc->log_path);
    fail_msg ("%s never answered %d with \"%s\"", path, status, text);
}

static void
s_expect (cf_testfleet_t *env, const char *text)
{
    if (!strstr (env->out, text)) {
        fprintf (stderr, "output: %s\n", env->out);
        fail_msg ("expected %s (output above)", text);
    }
}

//  The number of lines of `path` holding `text`.
static size_t
s_lines_with (const char *path, const char *text)
{
    char *log = cf_test_read_file (path, NULL);
    assert_non_null (log);
    size_t count = 0;
    for (const char *at = log; (at = strstr (at, text)); at++)
        count++;
    free (log);
    return count;
}

//  The fleet with a location and a worker, and three cases registered.
static cf_testfleet_t *
s_start (const char *label)
{
    static const char *const flags [] = { "--clock=manual", "--clock-start=2022-01-03T08:00",
                                          NULL };
    cf_testfleet_t *env = cf_testfleet_new (label, flags);
    s_fleet = env;
    cf_testfleet_start (env, true);
    CF_FLEET_DO_SETTLED (env, "assignment", "location", "add", "--id", "L1", "--name",
                         "Wijkcentrum");
    CF_FLEET_DO_SETTLED (env, "assignment", "worker", "add", "--id", "w1", "--name", "Anna",
                         "--fte", "1.0", "--location", "L1", "--expertise", "debt",
                         "--max-caseload", "1");
    s_register (env, "Ria Aarts", "regular");
    s_register (env, "Kees Bakker", "regular");
    s_register (env, "Elif Yilmaz", "regular");
    assert_int_equal (cf_testfleet_ctl (env, "status", "--settle", NULL), 0);
    return env;
}

//  Assignment stops following intake and says so: /readyz, /metrics and
//  one log line naming the reason.
static void
s_expect_diverged (cf_testfleet_t *env, const char *reason)
{
    cf_testproc_t *assignment = &env->procs [CF_FLEET_ASSIGNMENT];
    s_wait_http (assignment, "/readyz", 503, "upstream intake diverged");
    s_wait_http (assignment, "/readyz", 503, reason);
    s_wait_http (assignment, "/metrics", 200,
                 "caseflow_upstream_diverged{service=\"assignment\",stream=\"intake\"} 1");
    assert_int_equal (s_lines_with (assignment->log_path, "upstream intake diverged"), 1);
    //  Notification follows intake too: it diverged as well, and raised
    //  an alert for the operators (fired at once: the manual clock).
    for (int waited = 0; waited < S_WAIT_MS; waited += 100) {
        assert_int_equal (cf_testfleet_ctl (env, "--json", "reminders", "--due", NULL), 0);
        if (strstr (env->out, "\"kind\":\"stream-diverged\""))
            break;
        s_sleep_ms (100);
    }
    s_expect (env, "\"reminder_id\":\"stream-diverged/notification/intake/");
    s_expect (env, "\"target\":\"operators\"");
}

static void
test_restored_backup (void **unused)
{
    (void) unused;
    cf_testfleet_t *env = s_start ("epochs_backup");
    cf_testproc_t *intake = &env->procs [CF_FLEET_INTAKE];
    char command [2048];
    snprintf (command, sizeof command, "mkdir -p %s/backup && mdb_copy -c %s %s/backup", env->dir,
              intake->data_dir, env->dir);
    s_shell (command);
    s_register (env, "Tom Vos", "regular");
    s_register (env, "Lotte Maas", "regular");
    s_register (env, "Piet Smits", "regular");
    assert_int_equal (cf_testfleet_ctl (env, "status", "--settle", NULL), 0);

    assert_int_equal (cf_testproc_stop (intake, SIGTERM, S_WAIT_MS), 0);
    snprintf (command, sizeof command, "cp %s/backup/data.mdb %s/data.mdb && rm -f %s/lock.mdb",
              env->dir, intake->data_dir, intake->data_dir);
    s_shell (command);
    assert_int_equal (cf_testproc_start (intake, env->argv [CF_FLEET_INTAKE]), 0);
    assert_true (cf_testproc_wait_ready (intake, S_WAIT_MS));
    s_register (env, "Noor Bos", "urgent");
    s_register (env, "Sem Kok", "urgent");

    s_expect_diverged (env, "producer behind cursor");
    //  stream status shows it: intake's last seq is behind assignment's
    //  cursor, and the other subscribers (handover and notification
    //  follow intake too) diverged the same way.
    assert_int_equal (cf_testfleet_ctl (env, "--json", "stream", "status", NULL), 0);
    s_expect (env, "{\"stream\":\"intake\",\"epoch\":\"");
    s_expect (env, "{\"service\":\"assignment\",\"epoch\":\"");
    s_expect (env, "\"state\":\"diverged\",\"reason\":\"behind\"");
    assert_int_equal (cf_testfleet_ctl (env, "stream", "status", NULL), 0);
    s_expect (env, "diverged: behind");

    //  Accepting: assignment follows intake's new history from intake's
    //  head; what it applied of the lost one stays (the three cases).
    //  Accepting a stream that did not diverge, or that the service does
    //  not follow, is refused.
    assert_int_equal (
        cf_testfleet_ctl (env, "stream", "accept", "assignment", "--subscriber", "intake", NULL),
        1);
    assert_int_equal (
        cf_testfleet_ctl (env, "stream", "accept", "handover", "--subscriber", "assignment", NULL),
        1);
    assert_int_equal (
        cf_testfleet_ctl (env, "stream", "accept", "intake", "--subscriber", "nobody", NULL), 2);
    assert_int_equal (cf_testfleet_ctl (env, "--json", "stream", "accept", "intake", "--subscriber",
                                        "assignment", NULL),
                      0);
    //  Intake's head now (what the restored copy held, and the two
    //  urgent cases), below the cursor assignment had.
    const char *at = strstr (env->out, "\"cursor\":");
    const char *was = strstr (env->out, "\"previous_cursor\":");
    assert_non_null (at);
    assert_non_null (was);
    unsigned long long cursor = strtoull (at + 9, NULL, 10);
    unsigned long long previous = strtoull (was + 18, NULL, 10);
    assert_true (cursor > 0 && cursor < previous);
    assert_int_equal (
        cf_testfleet_ctl (env, "stream", "accept", "intake", "--subscriber", "assignment", NULL),
        1);
    s_wait_http (&env->procs [CF_FLEET_ASSIGNMENT], "/metrics", 200,
                 "caseflow_upstream_diverged{service=\"assignment\",stream=\"intake\"} 0");
    //  The others accept too; then every cursor reaches every head again
    //  (settle), a new case included, and nothing is diverged.
    assert_int_equal (
        cf_testfleet_ctl (env, "stream", "accept", "intake", "--subscriber", "handover", NULL), 0);
    assert_int_equal (
        cf_testfleet_ctl (env, "stream", "accept", "intake", "--subscriber", "notification", NULL),
        0);
    s_register (env, "Daan Mol", "urgent");
    assert_int_equal (cf_testfleet_ctl (env, "status", "--settle", NULL), 0);
    assert_int_equal (cf_testfleet_ctl (env, "--json", "stream", "status", NULL), 0);
    assert_null (strstr (env->out, "diverged"));
    s_expect (env, "\"state\":\"following\"");
    cf_testfleet_destroy (&s_fleet);
}

static void
test_empty_store (void **unused)
{
    (void) unused;
    cf_testfleet_t *env = s_start ("epochs_empty");
    cf_testproc_t *intake = &env->procs [CF_FLEET_INTAKE];
    assert_int_equal (cf_testproc_stop (intake, SIGTERM, S_WAIT_MS), 0);
    cf_test_rmtree (intake->data_dir);
    assert_int_equal (cf_testproc_start (intake, env->argv [CF_FLEET_INTAKE]), 0);
    assert_true (cf_testproc_wait_ready (intake, S_WAIT_MS));
    s_register (env, "Noor Bos", "urgent");

    s_expect_diverged (env, "epoch changed");
    cf_testfleet_destroy (&s_fleet);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_teardown (test_restored_backup, s_teardown),
        cmocka_unit_test_teardown (test_empty_store, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
