//  caseflowctl against a real service: the common commands (status, clock,
//  tail), the exit codes of CLI.md, and --json output. The test service is
//  started under the stream name "intake", so caseflowctl talks to it as it
//  would to the intake service.
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testproc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

typedef struct {
    char *dir;
    cf_testproc_t proc;
    char endpoints [512];  //  global options pointing caseflowctl at it
} s_fixture_t;

static int
s_setup (void **state)
{
    s_fixture_t *self = calloc (1, sizeof *self);
    self->dir = cf_test_tmpdir ("ctl");
    char data [512];
    snprintf (data, sizeof data, "%s/intake", self->dir);
    cf_testproc_init (&self->proc, cf_test_binary ("caseflow-testsvc"), data);
    cf_testproc_setenv (&self->proc, "CASEFLOW_TESTSVC_STREAM", "intake");
    const char *extra [] = { "--clock=manual", "--clock-start=2022-01-03T09:03", NULL };
    assert_true (cf_testclient_start (&self->proc, extra, true, 20000));
    //  Only intake runs: the other services point at ports nobody serves.
    snprintf (self->endpoints, sizeof self->endpoints,
              "--timeout 300 --intake %s --intake-events %s "
              "--assignment tcp://127.0.0.1:%d --handover tcp://127.0.0.1:%d "
              "--notification tcp://127.0.0.1:%d",
              self->proc.api, self->proc.events, cf_test_free_port (), cf_test_free_port (),
              cf_test_free_port ());
    *state = self;
    return 0;
}

static int
s_teardown (void **state)
{
    s_fixture_t *self = *state;
    assert_int_equal (cf_testproc_stop (&self->proc, SIGTERM, 10000), 0);
    cf_testproc_destroy (&self->proc);
    cf_test_rmtree (self->dir);
    free (self->dir);
    free (self);
    return 0;
}

//  Runs caseflowctl with `args` through the shell, `redirect` after them
//  (what goes to the pipe: stdout, or stderr with "2>&1 >/dev/null");
//  returns its exit status and what came through the pipe (free with free).
static int
s_run (s_fixture_t *self, char **out_p, const char *redirect, const char *args)
{
    char command [2048];
    snprintf (command, sizeof command, "%s %s %s %s", cf_test_binary ("caseflowctl"),
              self ? self->endpoints : "", args, redirect);
    FILE *pipe = popen (command, "r");
    assert_non_null (pipe);
    size_t cap = 4096, size = 0;
    char *out = malloc (cap);
    size_t got;
    while ((got = fread (out + size, 1, cap - size - 1, pipe)) > 0) {
        size += got;
        if (size + 1 == cap)
            out = realloc (out, cap *= 2);
    }
    out [size] = 0;
    int status = pclose (pipe);
    if (out_p)
        *out_p = out;
    else
        free (out);
    return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

//  Runs caseflowctl with `args`; returns its exit status and its stdout
//  (free with free).
static int
s_ctl (s_fixture_t *self, char **out_p, const char *fmt, ...)
{
    char args [1024];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (args, sizeof args, fmt, ap);
    va_end (ap);
    return s_run (self, out_p, "2>/dev/null", args);
}

static void
test_status_reports_each_service (void **state)
{
    s_fixture_t *self = *state;
    char *out = NULL;
    assert_int_equal (s_ctl (self, &out, "--json status"), 0);
    assert_non_null (strstr (out, "{\"service\":\"intake\",\"alive\":true,\"ready\":true"));
    assert_non_null (strstr (out, "{\"service\":\"handover\",\"alive\":false"));
    free (out);
    assert_int_equal (s_ctl (self, &out, "status"), 0);
    assert_non_null (strstr (out, "SERVICE"));
    assert_non_null (strstr (out, "intake"));
    free (out);
}

static void
test_clock_moves_only_by_command (void **state)
{
    s_fixture_t *self = *state;
    char *out = NULL;
    assert_int_equal (s_ctl (self, &out, "--json clock advance 14d --only intake"), 0);
    assert_non_null (strstr (out, "\"now\":\"2022-01-17T09:03:00+01:00\""));
    free (out);
    assert_int_equal (s_ctl (self, &out, "clock set 2022-03-07 --only intake"), 0);
    assert_non_null (strstr (out, "2022-03-07 00:00"));
    free (out);
    //  Backwards is refused by the service: exit 1.
    assert_int_equal (s_ctl (self, NULL, "clock set 2022-01-01 --only intake"), 1);
    //  Sent to all: the services that do not answer make it exit 3.
    assert_int_equal (s_ctl (self, NULL, "clock advance 1d"), 3);
}

static void
test_tail_prints_events_in_order (void **state)
{
    s_fixture_t *self = *state;
    cf_api_client_t *client = cf_testclient_new (self->proc.api);
    //  More than one replay batch, so tail follows the gap through replay.
    for (int i = 0; i < 3; i++)
        cf_testclient_generate (client, NULL, 5000, 10);
    cf_api_client_destroy (&client);
    char *out = NULL;
    assert_int_equal (s_ctl (self, &out, "--json tail intake --from 1 --count 15000"), 0);
    size_t lines = 0;
    char expected [64];
    for (char *line = out; *line; lines++) {
        snprintf (expected, sizeof expected, "{\"stream\":\"intake\",\"seq\":%zu,", lines + 1);
        assert_memory_equal (line, expected, strlen (expected));
        char *end = strchr (line, '\n');
        assert_non_null (end);
        line = end + 1;
    }
    assert_int_equal (lines, 15000);
    free (out);

    //  Reaching --count with more events to come ends tail quietly: no
    //  "delivery refused; retrying" warning (nor any other log line).
    char *errors = NULL;
    assert_int_equal (s_run (self, &errors, "2>&1 >/dev/null", "tail intake --from 1 --count 10"),
                      0);
    assert_null (strstr (errors, "\"level\":\"warn\""));
    assert_null (strstr (errors, "refused"));
    assert_string_equal (errors, "");
    free (errors);
}

static void
test_usage_errors_exit_2 (void **state)
{
    s_fixture_t *self = *state;
    assert_int_equal (s_ctl (self, NULL, "no-such-group"), 2);
    assert_int_equal (s_ctl (self, NULL, "clock advance 14x"), 2);
    assert_int_equal (s_ctl (self, NULL, "clock set"), 2);
    assert_int_equal (s_ctl (self, NULL, "tail --count zero"), 2);
    assert_int_equal (s_ctl (NULL, NULL, "--bogus status"), 2);
    char *out = NULL;
    assert_int_equal (s_ctl (NULL, &out, "--help"), 0);
    assert_non_null (strstr (out, "exit status"));
    free (out);
}

static void
test_unreachable_exits_3 (void **state)
{
    (void) state;
    char args [256];
    snprintf (args, sizeof args,
              "--timeout 200 --intake tcp://127.0.0.1:%d clock advance 1d "
              "--only intake",
              cf_test_free_port ());
    assert_int_equal (s_ctl (NULL, NULL, "%s", args), 3);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_status_reports_each_service, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_clock_moves_only_by_command, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_tail_prints_events_in_order, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_usage_errors_exit_2, s_setup, s_teardown),
        cmocka_unit_test (test_unreachable_exits_3),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
