//  cf_testfleet: the four services wired together, the console when asked
//  for, and caseflowctl.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_testfleet.h"

#include "cf_test.h"
#include "cf_testclient.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_READY_MS           30000
#define S_BEFORE_UPSTREAM_MS 2000
#define S_STOP_MS            20000

static const char *const s_names [CF_FLEET_COUNT] = { "handover", "intake", "assignment",
                                                      "notification" };

const char *
cf_testfleet_name (cf_fleet_service_t service)
{
    assert_true (service < CF_FLEET_COUNT);
    return s_names [service];
}

static int
s_port (const char *endpoint)
{
    return atoi (strrchr (endpoint, ':') + 1);
}

//  Where the others reach service `i`'s api (kind 0) or events (kind 1)
//  socket: the service itself, or its relay.
static const char *
s_reach (cf_testfleet_t *self, int i, int kind)
{
    if (self->relays [i][kind])
        return cf_testrelay_endpoint (self->relays [i][kind]);
    return kind == 0 ? self->procs [i].api : self->procs [i].events;
}

//  Adds the endpoints of `upstream` to the flags of `service`.
static void
s_upstream (cf_testfleet_t *self, int service, int upstream, size_t *count)
{
    const char *kinds [2] = { "events", "api" };
    const char *endpoints [2] = { s_reach (self, upstream, 1), s_reach (self, upstream, 0) };
    for (int k = 0; k < 2; k++) {
        char *flag = self->wiring [service][*count];
        snprintf (flag, sizeof self->wiring [service][0], "--%s-%s=%s", s_names [upstream],
                  kinds [k], endpoints [k]);
        self->argv [service][self->flag_count + *count] = flag;
        (*count)++;
    }
}

//  Points service `i` at its upstreams and caseflowctl at it, with the
//  ports as they are now: a first start that lost its ports to another
//  program moves to fresh ones, and everything after it must follow.
static void
s_wire (cf_testfleet_t *self, int i)
{
    if (self->relays [i][0]) {
        cf_testrelay_retarget (self->relays [i][0], s_port (self->procs [i].api));
        cf_testrelay_retarget (self->relays [i][1], s_port (self->procs [i].events));
    }
    size_t count = 0;
    if (i == CF_FLEET_HANDOVER)
        s_upstream (self, i, CF_FLEET_INTAKE, &count);
    else if (i == CF_FLEET_INTAKE) {
        s_upstream (self, i, CF_FLEET_HANDOVER, &count);
        s_upstream (self, i, CF_FLEET_ASSIGNMENT, &count);
        s_upstream (self, i, CF_FLEET_NOTIFICATION, &count);
    } else if (i == CF_FLEET_ASSIGNMENT)
        s_upstream (self, i, CF_FLEET_INTAKE, &count);
    else if (i == CF_FLEET_NOTIFICATION) {
        s_upstream (self, i, CF_FLEET_INTAKE, &count);
        s_upstream (self, i, CF_FLEET_ASSIGNMENT, &count);
        s_upstream (self, i, CF_FLEET_HANDOVER, &count);
    }
    self->argv [i][self->flag_count + count] = NULL;
    //  Through a local buffer: both strings live in *self, and the
    //  compiler cannot tell they do not overlap.
    char flag [sizeof self->endpoints [i]];
    snprintf (flag, sizeof flag, "--%s=%s", s_names [i], s_reach (self, i, 0));
    memcpy (self->endpoints [i], flag, sizeof flag);
}

//  Points the console at the four and caseflowctl at the console.
static void
s_wire_console (cf_testfleet_t *self)
{
    if (!self->with_console) {
        snprintf (self->console_endpoint, sizeof self->console_endpoint, "--console=none");
        return;
    }
    size_t count = self->flag_count;
    const char *kinds [2] = { "events", "api" };
    for (int i = 0; i < CF_FLEET_COUNT; i++)
        for (int k = 0; k < 2; k++) {
            char *flag = self->console_wiring [2 * i + k];
            snprintf (flag, sizeof self->console_wiring [0], "--%s-%s=%s", s_names [i], kinds [k],
                      s_reach (self, i, k == 0 ? 1 : 0));
            self->console_argv [count++] = flag;
        }
    self->console_argv [count] = NULL;
    snprintf (self->console_endpoint, sizeof self->console_endpoint, "--console=%s",
              self->console.api);
}

cf_testfleet_t *
cf_testfleet_new (const char *label, const char *const *flags)
{
    for (int i = 0; i < CF_FLEET_COUNT; i++) {
        char binary [64];
        snprintf (binary, sizeof binary, "caseflow-%s", s_names [i]);
        if (access (cf_test_binary (binary), X_OK) != 0)
            fail_msg ("%s is not built (%s)", binary, cf_test_binary (binary));
    }
    cf_testfleet_t *self = calloc (1, sizeof *self);
    assert_non_null (self);
    self->timeout = "3000";
    self->dir = cf_test_tmpdir (label);
    while (flags && flags [self->flag_count]) {
        assert_true (self->flag_count < CF_FLEET_MAX_FLAGS);
        self->flag_count++;
    }
    for (int i = 0; i < CF_FLEET_COUNT; i++) {
        char binary [64], data [512];
        snprintf (binary, sizeof binary, "caseflow-%s", s_names [i]);
        snprintf (data, sizeof data, "%s/%s", self->dir, s_names [i]);
        cf_testproc_init (&self->procs [i], cf_test_binary (binary), data);
        for (size_t f = 0; f < self->flag_count; f++)
            self->argv [i][f] = flags [f];
    }
    for (int i = 0; i < CF_FLEET_COUNT; i++)
        s_wire (self, i);
    s_wire_console (self);
    return self;
}

void
cf_testfleet_console (cf_testfleet_t *self)
{
    if (access (cf_test_binary ("caseflow-console"), X_OK) != 0)
        fail_msg ("caseflow-console is not built (%s)", cf_test_binary ("caseflow-console"));
    assert_false (self->with_console);
    char data [512];
    snprintf (data, sizeof data, "%s/console", self->dir);
    cf_testproc_init (&self->console, cf_test_binary ("caseflow-console"), data);
    for (size_t f = 0; f < self->flag_count; f++)
        self->console_argv [f] = self->argv [0][f];
    self->with_console = true;
    s_wire_console (self);
}

//  Restarts `follower` towards `upstream` when the upstream's api is no
//  longer `was`, the one the follower was started towards.
static void
s_follow_moved (cf_testfleet_t *self, int follower, int upstream, const char *was)
{
    cf_testproc_t *proc = &self->procs [follower];
    if (strcmp (was, self->procs [upstream].api) == 0 || proc->pid <= 0)
        return;
    assert_int_equal (cf_testproc_stop (proc, SIGTERM, S_STOP_MS), 0);
    s_wire (self, follower);
    assert_int_equal (cf_testproc_start (proc, self->argv [follower]), 0);
}

void
cf_testfleet_relay (cf_testfleet_t *self)
{
    for (int i = 0; i < CF_FLEET_COUNT; i++) {
        assert_null (self->relays [i][0]);
        self->relays [i][0] = cf_testrelay_new (s_port (self->procs [i].api));
        self->relays [i][1] = cf_testrelay_new (s_port (self->procs [i].events));
    }
    for (int i = 0; i < CF_FLEET_COUNT; i++)
        s_wire (self, i);
}

void
cf_testfleet_start (cf_testfleet_t *self, bool first)
{
    //  Handover follows intake, intake follows assignment and notification,
    //  all started after them: all have their ports before any starts, and
    //  those two turn ready only once their upstreams run. So they are given
    //  a moment (long enough to see one exit at once for a taken port) and
    //  waited for below with the others.
    char intake_api [sizeof self->procs [0].api] = "";
    char assignment_api [sizeof self->procs [0].api] = "";
    for (int i = 0; i < CF_FLEET_COUNT; i++) {
        s_wire (self, i);
        if (i == CF_FLEET_HANDOVER)
            snprintf (intake_api, sizeof intake_api, "%s", self->procs [CF_FLEET_INTAKE].api);
        if (i == CF_FLEET_INTAKE)
            snprintf (assignment_api, sizeof assignment_api, "%s",
                      self->procs [CF_FLEET_ASSIGNMENT].api);
        bool early = i == CF_FLEET_HANDOVER || i == CF_FLEET_INTAKE;
        int patience = early ? S_BEFORE_UPSTREAM_MS : S_READY_MS;
        bool started = cf_testclient_start (&self->procs [i], self->argv [i], first, patience);
        s_wire (self, i);
        if (!started && !early) {
            cf_test_dump_log (self->procs [i].log_path);
            fail_msg ("%s did not become ready", s_names [i]);
        }
    }
    //  Assignment (intake) lost its ports to another program and moved after
    //  intake (handover) was started towards them: it is followed only once
    //  its follower is restarted.
    s_follow_moved (self, CF_FLEET_INTAKE, CF_FLEET_ASSIGNMENT, assignment_api);
    s_follow_moved (self, CF_FLEET_HANDOVER, CF_FLEET_INTAKE, intake_api);
    for (int i = 0; i < CF_FLEET_COUNT; i++)
        if (!cf_testproc_wait_ready (&self->procs [i], S_READY_MS)) {
            cf_test_dump_log (self->procs [i].log_path);
            fail_msg ("%s did not become ready", s_names [i]);
        }
    if (self->with_console) {
        s_wire_console (self);
        if (!cf_testclient_start (&self->console, self->console_argv, first, S_READY_MS)) {
            cf_test_dump_log (self->console.log_path);
            fail_msg ("console did not become ready");
        }
        s_wire_console (self);
    }
}

void
cf_testfleet_stop (cf_testfleet_t *self)
{
    if (self->with_console && self->console.pid > 0)
        assert_int_equal (cf_testproc_stop (&self->console, SIGTERM, S_STOP_MS), 0);
    for (int i = CF_FLEET_COUNT - 1; i >= 0; i--)
        if (self->procs [i].pid > 0)
            assert_int_equal (cf_testproc_stop (&self->procs [i], SIGTERM, S_STOP_MS), 0);
}

void
cf_testfleet_destroy (cf_testfleet_t **self_p)
{
    cf_testfleet_t *self = *self_p;
    if (!self)
        return;
    if (self->with_console) {
        if (self->console.pid > 0)
            cf_testproc_stop (&self->console, SIGKILL, S_STOP_MS);
        cf_testproc_destroy (&self->console);
    }
    for (int i = 0; i < CF_FLEET_COUNT; i++) {
        if (self->procs [i].pid > 0)
            cf_testproc_stop (&self->procs [i], SIGKILL, S_STOP_MS);
        cf_testproc_destroy (&self->procs [i]);
    }
    for (int i = 0; i < CF_FLEET_COUNT; i++) {
        cf_testrelay_destroy (&self->relays [i][0]);
        cf_testrelay_destroy (&self->relays [i][1]);
    }
    if (getenv ("CF_TEST_KEEP"))
        fprintf (stderr, "kept %s\n", self->dir);
    else
        cf_test_rmtree (self->dir);
    free (self->dir);
    free (self);
    *self_p = NULL;
}

//  caseflowctl with the fleet's endpoints and `args`.
static int
s_ctl (cf_testfleet_t *self, const char *const *args)
{
    const char *argv [96] = { cf_test_binary ("caseflowctl"), "--timeout", self->timeout };
    size_t argc = 3;
    for (int i = 0; i < CF_FLEET_COUNT; i++)
        argv [argc++] = self->endpoints [i];
    //  The fleet runs no gateway: none is asked (never one on the default
    //  port that another test may run); nor a console unless it has one.
    argv [argc++] = "--gateway=none";
    argv [argc++] = self->console_endpoint;
    for (size_t i = 0; args [i]; i++) {
        assert_true (argc < 95);
        argv [argc++] = args [i];
    }
    argv [argc] = NULL;
    return cf_test_run (argv, self->stdin_path, self->stderr_path, self->out, sizeof self->out);
}

int
cf_testfleet_ctlv (cf_testfleet_t *self, const char *const *args)
{
    int rc = s_ctl (self, args);
    if (rc != 0 || !self->with_console)
        return rc;
    //  The console's clock moves with the others' (see the header).
    size_t count = 0, clock = SIZE_MAX;
    bool only = false;
    for (; args [count]; count++) {
        if (strcmp (args [count], "clock") == 0 && clock == SIZE_MAX)
            clock = count;
        only |= strncmp (args [count], "--only", 6) == 0;
    }
    if (clock == SIZE_MAX || only)
        return rc;
    const char *again [96];
    size_t n = 0;
    for (size_t i = 0; i < count && n < 92; i++)
        again [n++] = args [i];
    again [n++] = "--only";
    again [n++] = "console";
    again [n] = NULL;
    //  What the test reads is the first command's output.
    char *out = malloc (sizeof self->out);
    assert_non_null (out);
    memcpy (out, self->out, sizeof self->out);
    rc = s_ctl (self, again);
    memcpy (self->out, out, sizeof self->out);
    free (out);
    return rc;
}

int
cf_testfleet_ctl (cf_testfleet_t *self, ...)
{
    const char *args [92];
    size_t count = 0;
    va_list list;
    va_start (list, self);
    const char *word;
    while ((word = va_arg (list, const char *))) {
        assert_true (count < 91);
        args [count++] = word;
    }
    va_end (list);
    args [count] = NULL;
    return cf_testfleet_ctlv (self, args);
}

void
cf_testfleet_must (cf_testfleet_t *self, const char *command, int status)
{
    if (status == 0)
        return;
    if (self->stderr_path)
        cf_test_dump_log (self->stderr_path);
    fail_msg ("caseflowctl %s exited %d: %s", command, status, self->out);
}

void
cf_testfleet_expect (const cf_testfleet_t *self, const char *text)
{
    if (!strstr (self->out, text)) {
        fprintf (stderr, "output: %s\n", self->out);
        fail_msg ("expected %s (output above)", text);
    }
}
