//  test_intake_shards: intake as two shards, `intake` and `intake-noord`, with
//  assignment and notification following both (docs/operations.md,
//  "Scaling: sharding streams").
//
//  Four real services on loopback, on the manual clock: the two intake
//  shards (one map, --shards intake-noord=Noord, given to both), and
//  assignment and notification, each told to follow both shards with
//  --follow. caseflowctl reaches the shard through the services' own
//  variables (CASEFLOW_INTAKE_NOORD_API, CASEFLOW_INTAKE_SHARDS). The test
//  checks that a registration is routed by its district (by caseflowctl,
//  and refused by the shard that does not serve it), that the two shards
//  mint distinct ids (the default shard's unchanged), that a shard's case
//  id reaches its shard, that assignment assigns and notification
//  schedules the cases of both, and that a bad --stream or --follow stops
//  a service at start naming the flag.
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

#define S_WAIT_MS 30000
#define S_MAP     "intake-noord=Noord,Noord-Oost"

enum { S_INTAKE, S_NOORD, S_ASSIGNMENT, S_NOTIFICATION, S_PROCS };

typedef struct {
    cf_testproc_t procs [S_PROCS];
    char *dir;
    char flags [3][160];  //  caseflowctl's endpoints
    char errors [300];    //  caseflowctl's stderr
    char out [65536];
} s_fixture_t;

static int
s_ctl (s_fixture_t *f, ...)
{
    const char *flags [] = { f->flags [0],     f->flags [1],     f->flags [2], "--handover=none",
                             "--gateway=none", "--console=none", NULL };
    FILE *truncate = fopen (f->errors, "w");
    if (truncate)
        fclose (truncate);
    va_list words;
    va_start (words, f);
    int status = cf_test_ctl (flags, f->errors, f->out, sizeof f->out, words);
    va_end (words);
    return status;
}

static void
s_expect (const char *text, const char *in)
{
    if (!strstr (in, text))
        fail_msg ("expected %s in: %s", text, in);
}

//  Runs caseflowctl with `words` until its output holds `text`.
static void
s_wait_for (s_fixture_t *f, const char *text, const char *const *words)
{
    const char *flags [] = { f->flags [0],     f->flags [1],     f->flags [2], "--handover=none",
                             "--gateway=none", "--console=none", NULL };
    const char *argv [64];
    size_t n = 0;
    argv [n++] = cf_test_binary ("caseflowctl");
    argv [n++] = "--timeout";
    argv [n++] = "3000";
    for (size_t i = 0; flags [i]; i++)
        argv [n++] = flags [i];
    for (size_t i = 0; words [i]; i++)
        argv [n++] = words [i];
    argv [n] = NULL;
    int64_t deadline = cf_test_now_ms () + S_WAIT_MS;
    while (cf_test_now_ms () < deadline) {
        if (cf_test_run (argv, NULL, NULL, f->out, sizeof f->out) == 0 && strstr (f->out, text))
            return;
        cf_test_sleep_ms (100);
    }
    fail_msg ("never saw %s: %s", text, f->out);
}

//  "--<stream>-events=E" and "--<stream>-api=A" of `proc` into two of `into`.
static void
s_wire (char into [][160], const char *stream, const cf_testproc_t *proc)
{
    snprintf (into [0], 160, "--%s-events=%s", stream, proc->events);
    snprintf (into [1], 160, "--%s-api=%s", stream, proc->api);
}

static int
s_setup (void **state)
{
    s_fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->dir = cf_test_tmpdir ("shards");
    const char *binaries [S_PROCS] = { "caseflow-intake", "caseflow-intake", "caseflow-assignment",
                                       "caseflow-notification" };
    const char *names [S_PROCS] = { "intake", "intake-noord", "assignment", "notification" };
    for (int p = 0; p < S_PROCS; p++) {
        char data_dir [512];
        snprintf (data_dir, sizeof data_dir, "%s/%s", f->dir, names [p]);
        cf_testproc_init (&f->procs [p], cf_test_binary (binaries [p]), data_dir);
    }
    snprintf (f->errors, sizeof f->errors, "%s/ctl.err", f->dir);
    snprintf (f->flags [0], sizeof f->flags [0], "--intake=%s", f->procs [S_INTAKE].api);
    snprintf (f->flags [1], sizeof f->flags [1], "--assignment=%s", f->procs [S_ASSIGNMENT].api);
    snprintf (f->flags [2], sizeof f->flags [2], "--notification=%s",
              f->procs [S_NOTIFICATION].api);

    static char wiring [10][160];
    s_wire (&wiring [0], "intake", &f->procs [S_INTAKE]);
    s_wire (&wiring [2], "intake-noord", &f->procs [S_NOORD]);
    s_wire (&wiring [4], "assignment", &f->procs [S_ASSIGNMENT]);
    s_wire (&wiring [6], "notification", &f->procs [S_NOTIFICATION]);
    //  Each shard follows assignment and notification; handover and the
    //  gateway are not run.
    const char *intake [] = { "--clock=manual",
                              "--clock-start=2022-01-03T09:00",
                              "--shards=" S_MAP,
                              wiring [4],
                              wiring [5],
                              wiring [6],
                              wiring [7],
                              "--handover-events=none",
                              "--gateway-events=none",
                              NULL };
    const char *noord [] = { "--stream=intake-noord",
                             "--clock=manual",
                             "--clock-start=2022-01-03T09:00",
                             "--shards=" S_MAP,
                             wiring [4],
                             wiring [5],
                             wiring [6],
                             wiring [7],
                             "--handover-events=none",
                             "--gateway-events=none",
                             NULL };
    const char *assignment [] = { "--clock=manual",
                                  "--clock-start=2022-01-03T09:00",
                                  "--follow=intake,intake-noord",
                                  wiring [0],
                                  wiring [1],
                                  wiring [2],
                                  wiring [3],
                                  NULL };
    const char *notification [] = { "--clock=manual",
                                    "--clock-start=2022-01-03T09:00",
                                    "--follow=intake,intake-noord,assignment",
                                    wiring [0],
                                    wiring [1],
                                    wiring [2],
                                    wiring [3],
                                    wiring [4],
                                    wiring [5],
                                    NULL };
    const char *const *extra [S_PROCS] = { intake, noord, assignment, notification };
    for (int p = 0; p < S_PROCS; p++)
        assert_int_equal (cf_testproc_start (&f->procs [p], extra [p]), 0);
    for (int p = 0; p < S_PROCS; p++)
        if (!cf_testproc_wait_ready (&f->procs [p], S_WAIT_MS))
            fail_msg ("%s is not ready (log %s)", names [p], f->procs [p].log_path);
    //  caseflowctl finds the shard by the services' own variables.
    setenv ("CASEFLOW_INTAKE_NOORD_API", f->procs [S_NOORD].api, 1);
    setenv ("CASEFLOW_INTAKE_SHARDS", S_MAP, 1);
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    s_fixture_t *f = *state;
    unsetenv ("CASEFLOW_INTAKE_NOORD_API");
    unsetenv ("CASEFLOW_INTAKE_SHARDS");
    for (int p = S_PROCS - 1; p >= 0; p--) {
        if (f->procs [p].pid > 0)
            assert_int_equal (cf_testproc_stop (&f->procs [p], SIGTERM, S_WAIT_MS), 0);
        cf_testproc_destroy (&f->procs [p]);
    }
    cf_test_rmtree (f->dir);
    free (f->dir);
    free (f);
    return 0;
}

//  Registers an urgent case for a resident of `district`; returns the
//  case id caseflowctl printed (static).
static const char *
s_register (s_fixture_t *f, const char *name, const char *district)
{
    if (s_ctl (f, "--json", "intake", "register", "--name", name, "--channel", "phone",
               "--district", district, "--domain", "debt", "--urgency", "urgent", "--reason",
               "eviction", NULL)) {
        char *errors = cf_test_read_file (f->errors, NULL);
        fail_msg ("register (%s): %s", district, errors ? errors : "");
        free (errors);
    }
    static char id [80];
    const char *at = strstr (f->out, "\"case_id\":\"");
    assert_non_null (at);
    at += strlen ("\"case_id\":\"");
    size_t len = strcspn (at, "\"");
    assert_true (len < sizeof id);
    memcpy (id, at, len);
    id [len] = 0;
    return id;
}

static void
test_two_shards (void **state)
{
    s_fixture_t *f = *state;
    //  A location and a worker for each shard's district.
    assert_int_equal (s_ctl (f, "assignment", "location", "add", "--id", "team-noord", "--name",
                             "Wijkteam Noord", "--district", "Noord", NULL),
                      0);
    assert_int_equal (s_ctl (f, "assignment", "location", "add", "--id", "team-zuid", "--name",
                             "Wijkteam Zuid", "--district", "Zuid", NULL),
                      0);
    assert_int_equal (s_ctl (f, "assignment", "worker", "add", "--id", "anna", "--name", "Anna",
                             "--fte", "1", "--location", "team-noord", "--expertise", "debt", NULL),
                      0);
    assert_int_equal (s_ctl (f, "assignment", "worker", "add", "--id", "bram", "--name", "Bram",
                             "--fte", "1", "--location", "team-zuid", "--expertise", "debt", NULL),
                      0);
    //  Both shards learn the districts' locations from assignment's stream
    //  (heard of at the next heartbeat, then caught up).
    cf_test_sleep_ms (1500);
    const char *noord_caught_up [] = { "--json", "--stream", "intake-noord", "status", NULL };
    s_wait_for (f, "\"upstream_lag\":{\"assignment\":0", noord_caught_up);
    const char *intake_caught_up [] = { "--json", "status", NULL };
    s_wait_for (f, "\"upstream_lag\":{\"assignment\":0", intake_caught_up);

    //  Routed by district: Zuid to the default shard, with the ids intake
    //  always minted; Noord (any case) to intake-noord, with its prefix.
    char zuid [80], noord [80], noord2 [80];
    snprintf (zuid, sizeof zuid, "%s", s_register (f, "Jan Jansen", "Zuid"));
    snprintf (noord, sizeof noord, "%s", s_register (f, "Piet Pietersen", "Noord"));
    snprintf (noord2, sizeof noord2, "%s", s_register (f, "Kees de Vries", "noord-oost"));
    assert_string_equal (zuid, "C000001");
    assert_string_equal (noord, "noord-C000001");
    assert_string_equal (noord2, "noord-C000002");
    //  No district: the default shard's.
    assert_string_equal (s_register (f, "Lies Bakker", ""), "C000002");

    //  The shard that does not serve a district refuses it, naming the
    //  field and the shard that does (exit 1).
    assert_int_equal (s_ctl (f, "--stream", "intake", "intake", "register", "--name", "Ad",
                             "--channel", "phone", "--district", "Noord", "--domain", "debt", NULL),
                      1);
    char *errors = cf_test_read_file (f->errors, NULL);
    assert_non_null (errors);
    s_expect ("command.intake.register.resident.district", errors);
    s_expect ("served by the intake shard intake-noord", errors);
    free (errors);

    //  A shard's case id goes to its shard; the default shard does not
    //  know it.
    assert_int_equal (s_ctl (f, "--json", "intake", "show", noord, NULL), 0);
    s_expect ("\"case_id\":\"noord-C000001\"", f->out);
    assert_int_equal (s_ctl (f, "--stream", "intake", "intake", "show", noord, NULL), 1);
    assert_int_equal (s_ctl (f, "--json", "--stream", "intake-noord", "intake", "list", NULL), 0);
    s_expect ("noord-C000001", f->out);
    s_expect ("noord-C000002", f->out);
    if (strstr (f->out, "\"C000001\""))
        fail_msg ("intake-noord lists the default shard's case: %s", f->out);

    //  Assignment follows both: each urgent case goes to its district's
    //  worker.
    const char *show_noord [] = { "--json", "assignment", "show", noord, NULL };
    s_wait_for (f, "\"worker_id\":\"anna\"", show_noord);
    const char *show_zuid [] = { "--json", "assignment", "show", zuid, NULL };
    s_wait_for (f, "\"worker_id\":\"bram\"", show_zuid);
    //  ... and each shard follows assignment back: the case is assigned.
    const char *noord_assigned [] = { "--json", "intake", "show", noord, NULL };
    s_wait_for (f, "\"status\":\"assigned\"", noord_assigned);

    //  Notification follows both: the urgent cases' reminders name both.
    const char *reminders [] = { "--json", "reminders", NULL };
    s_wait_for (f, "noord-C000001", reminders);
    s_wait_for (f, "\"case_id\":\"C000001\"", reminders);

    //  Each subscriber reports both streams caught up.
    const char *status [] = { "--json", "status", NULL };
    s_wait_for (f, "\"intake-noord\":0", status);

    //  A caseflowctl asked for a shard it has no endpoint for says which
    //  variable to set.
    unsetenv ("CASEFLOW_INTAKE_NOORD_API");
    assert_int_equal (s_ctl (f, "intake", "show", noord, NULL), 2);
    errors = cf_test_read_file (f->errors, NULL);
    s_expect ("set CASEFLOW_INTAKE_NOORD_API", errors);
    free (errors);
    assert_int_equal (s_ctl (f, "--stream", "assignment", "intake", "list", NULL), 2);
    setenv ("CASEFLOW_INTAKE_NOORD_API", f->procs [S_NOORD].api, 1);
}

//  A bad --stream, --follow or --shards stops a service at start (exit 2)
//  with one line naming the flag.
static void
test_bad_configuration (void **state)
{
    s_fixture_t *f = *state;
    struct {
        const char *binary, *flags [3], *says;
    } cases [] = {
        { "caseflow-intake",
          { "--stream=assignment", NULL },
          "--stream (CASEFLOW_STREAM): \"assignment\" is not a stream of intake" },
        { "caseflow-assignment",
          { "--follow=intake,handover", NULL },
          "--follow (CASEFLOW_FOLLOW): \"handover\" is not a stream of a kind" },
        { "caseflow-assignment",
          { "--follow=intake,intake-zuid", NULL },
          "--intake-zuid-events (CASEFLOW_INTAKE_ZUID_EVENTS)" },
        { "caseflow-intake",
          { "--stream=intake-zuid", "--shards=" S_MAP, NULL },
          "--shards (CASEFLOW_INTAKE_SHARDS) does not name the shard intake-zuid" },
        { "caseflow-intake",
          { "--shards=intake=Noord", NULL },
          "--shards (CASEFLOW_INTAKE_SHARDS): \"intake\" is not a shard of intake" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases [0]; i++) {
        char data_dir [600], out [4096], err_path [600], http [64];
        snprintf (data_dir, sizeof data_dir, "--data-dir=%s/bad%zu", f->dir, i);
        snprintf (err_path, sizeof err_path, "%s/bad%zu.err", f->dir, i);
        //  The HTTP port is bound before the state is made.
        snprintf (http, sizeof http, "--http-bind=127.0.0.1:%d", cf_test_free_port ());
        const char *argv [8] = { cf_test_binary (cases [i].binary), data_dir, http };
        size_t n = 3;
        for (size_t k = 0; cases [i].flags [k]; k++)
            argv [n++] = cases [i].flags [k];
        argv [n] = NULL;
        int status = cf_test_run (argv, NULL, err_path, out, sizeof out);
        char *err = cf_test_read_file (err_path, NULL);
        if (status != 2 || !err || !strstr (err, cases [i].says))
            fail_msg ("%s %s: exit %d, %s", cases [i].binary, cases [i].flags [0], status,
                      err ? err : "(no stderr)");
        free (err);
    }
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_two_shards),
        cmocka_unit_test (test_bad_configuration),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
