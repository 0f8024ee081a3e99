//  test_console_demo: the console answers the demo's council reports as
//  they were made before it existed. The five services start on copies of
//  the demo fixture's stores (tests/fixtures/demo/stores: the Helmond demo
//  as it ended on 7 March 2022 09:00), a fresh console follows them from
//  seq 1, and `caseflowctl --json report --at T` (answered by the console)
//  must equal the golden report of every Monday of the demo and of its
//  end, byte for byte (tests/fixtures/demo/reports, made by caseflowctl
//  when it still replayed the streams itself). The console restarted
//  (rebuilt from its own journal) answers the same.
//
//  The what-if (docs/whatif.md) on the same console: with no changes both
//  sides are the golden report of the period's end, byte for byte; with
//  three more workers from 10 January fewer residents wait; bad changes
//  are refused naming the option; the forecast has a point a week.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testproc.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define S_DEMO CF_FIXTURE_DIR "/demo"

//  The services in the order they start; the console last.
enum { S_HANDOVER, S_INTAKE, S_ASSIGNMENT, S_NOTIFICATION, S_GATEWAY, S_CONSOLE, S_COUNT };
static const char *const s_names [S_COUNT] = { "handover",     "intake",  "assignment",
                                               "notification", "gateway", "console" };

//  Every golden report's moment (the file name writes ':' as '-').
static const char *const s_moments [] = {
    "2022-01-03", "2022-01-10", "2022-01-17", "2022-01-24", "2022-01-31",       "2022-02-07",
    "2022-02-14", "2022-02-21", "2022-02-28", "2022-03-07", "2022-03-07T09:00",
};
#define S_MOMENTS (sizeof s_moments / sizeof s_moments [0])

typedef struct {
    char *dir;
    cf_testproc_t procs [S_COUNT];
    //  Every upstream's pair of flags, for every service: --<s>-events, --<s>-api.
    char wiring [2 * S_GATEWAY + 2][160];
    const char *argv [2 * S_GATEWAY + 8];
    char clock_start [64], match_secret [700], console_flag [160];
    char out [1 << 16];
} s_fixture_t;

static s_fixture_t *s_fx;

static void
s_copy (const char *from, const char *to)
{
    size_t size = 0;
    char *data = cf_test_read_file (from, &size);
    assert_non_null (data);
    FILE *file = fopen (to, "wb");
    assert_non_null (file);
    assert_int_equal (fwrite (data, 1, size, file), size);
    assert_int_equal (fclose (file), 0);
    free (data);
}

//  Starts service `i` wired to its upstreams (a flag of a stream a service
//  does not follow would be refused, so each gets exactly its own list).
static void
s_start (s_fixture_t *f, int i)
{
    static const int s_upstreams [S_COUNT][S_GATEWAY + 1] = {
        [S_HANDOVER] = { S_INTAKE, S_GATEWAY, -1 },
        [S_INTAKE] = { S_HANDOVER, S_ASSIGNMENT, S_NOTIFICATION, S_GATEWAY, -1 },
        [S_ASSIGNMENT] = { S_INTAKE, -1 },
        [S_NOTIFICATION] = { S_INTAKE, S_ASSIGNMENT, S_HANDOVER, S_GATEWAY, -1 },
        [S_GATEWAY] = { S_INTAKE, S_ASSIGNMENT, S_HANDOVER, S_NOTIFICATION, -1 },
        [S_CONSOLE] = { S_INTAKE, S_ASSIGNMENT, S_HANDOVER, S_NOTIFICATION, S_GATEWAY },
    };
    size_t n = 0, w = 0;
    f->argv [n++] = "--clock=manual";
    //  The console's clock is set below, as the demo sets it.
    if (i != S_CONSOLE)
        f->argv [n++] = f->clock_start;
    for (int u = 0; u <= S_GATEWAY && s_upstreams [i][u] >= 0; u++) {
        int up = s_upstreams [i][u];
        snprintf (f->wiring [w], sizeof f->wiring [w], "--%s-events=%s", s_names [up],
                  f->procs [up].events);
        f->argv [n++] = f->wiring [w++];
        snprintf (f->wiring [w], sizeof f->wiring [w], "--%s-api=%s", s_names [up],
                  f->procs [up].api);
        f->argv [n++] = f->wiring [w++];
    }
    if (i == S_INTAKE)
        f->argv [n++] = f->match_secret;
    f->argv [n] = NULL;
    assert_int_equal (cf_testproc_start (&f->procs [i], f->argv), 0);
}

static int
s_ctl (s_fixture_t *f, const char *const *args)
{
    const char *argv [24] = { cf_test_binary ("caseflowctl"), "--timeout=5000", f->console_flag };
    size_t n = 3;
    for (size_t i = 0; args [i]; i++)
        argv [n++] = args [i];
    argv [n] = NULL;
    return cf_test_run (argv, NULL, NULL, f->out, sizeof f->out);
}

static void
s_wait_ready (cf_testproc_t *proc)
{
    if (!cf_testproc_wait_ready (proc, 60000)) {
        cf_test_dump_log (proc->log_path);
        fail_msg ("%s did not become ready", proc->binary);
    }
}

static int
s_setup (void **state)
{
    s_fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    s_fx = f;
    f->dir = cf_test_tmpdir ("console-demo");
    snprintf (f->clock_start, sizeof f->clock_start, "--clock-start=2022-01-03T08:00");
    char path [600], from [600];
    snprintf (path, sizeof path, "%s/match-secret", f->dir);
    FILE *file = fopen (path, "wb");
    assert_non_null (file);
    fputs ("a matching secret of this test only, 32+", file);
    fclose (file);
    chmod (path, 0600);
    snprintf (f->match_secret, sizeof f->match_secret, "--match-secret=%s", path);
    for (int i = 0; i < S_COUNT; i++) {
        char binary [64];
        snprintf (binary, sizeof binary, "caseflow-%s", s_names [i]);
        snprintf (path, sizeof path, "%s/%s", f->dir, s_names [i]);
        cf_testproc_init (&f->procs [i], cf_test_binary (binary), path);
        if (i == S_CONSOLE)
            continue;
        assert_int_equal (mkdir (path, 0700), 0);
        snprintf (from, sizeof from, "%s/stores/%s/data.mdb", S_DEMO, s_names [i]);
        snprintf (path, sizeof path, "%s/%s/data.mdb", f->dir, s_names [i]);
        s_copy (from, path);
    }
    snprintf (f->console_flag, sizeof f->console_flag, "--console=%s", f->procs [S_CONSOLE].api);
    for (int i = 0; i < S_COUNT; i++)
        s_start (f, i);
    //  Fresh key stores beside journals that name keys: the key holders
    //  are alive but not ready (docs/privacy.md); they serve their streams.
    s_wait_ready (&f->procs [S_CONSOLE]);
    const char *clock [] = { "clock", "set", "2022-03-07T09:00", "--only", "console", NULL };
    assert_int_equal (s_ctl (f, clock), 0);
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    s_fixture_t *f = *state ? *state : s_fx;
    if (!f)
        return 0;
    for (int i = S_COUNT - 1; i >= 0; i--) {
        if (f->procs [i].pid > 0)
            cf_testproc_stop (&f->procs [i], SIGTERM, 20000);
        cf_testproc_destroy (&f->procs [i]);
    }
    cf_test_rmtree (f->dir);
    free (f->dir);
    free (f);
    s_fx = NULL;
    return 0;
}

//  Every golden report, asked of the console.
static void
s_check_goldens (s_fixture_t *f)
{
    for (size_t m = 0; m < S_MOMENTS; m++) {
        char name [64], path [600];
        snprintf (name, sizeof name, "%s", s_moments [m]);
        for (char *c = name; *c; c++)
            if (*c == ':')
                *c = '-';
        snprintf (path, sizeof path, "%s/reports/%s.json", S_DEMO, name);
        char *golden = cf_test_read_file (path, NULL);
        assert_non_null (golden);
        const char *args [] = { "--json", "report", "--at", s_moments [m], NULL };
        assert_int_equal (s_ctl (f, args), 0);
        if (strcmp (f->out, golden) != 0)
            fail_msg ("the console's report at %s differs from %s:\n%s\nnot\n%s", s_moments [m],
                      path, f->out, golden);
        free (golden);
    }
}

static void
test_demo_reports (void **state)
{
    s_fixture_t *f = *state;
    s_check_goldens (f);
    //  The console restarted, rebuilt from its own journal (its clock
    //  stored in it): the same reports.
    assert_int_equal (cf_testproc_stop (&f->procs [S_CONSOLE], SIGTERM, 20000), 0);
    s_start (f, S_CONSOLE);
    s_wait_ready (&f->procs [S_CONSOLE]);
    s_check_goldens (f);
}

//  The document `caseflowctl --json ARGS` printed, parsed.
static json_t *
s_json (s_fixture_t *f, const char *const *args)
{
    int rc = s_ctl (f, args);
    if (rc != 0)
        fail_msg ("caseflowctl %s: exit %d\n%s", args [1], rc, f->out);
    json_error_t error;
    json_t *document = json_loads (f->out, 0, &error);
    assert_non_null (document);
    return document;
}

//  `caseflowctl ARGS` is refused (exit `code`, or any failure for -1)
//  with a message on stderr naming `word`.
static void
s_refused (s_fixture_t *f, const char *const *args, int code, const char *word)
{
    char path [600];
    snprintf (path, sizeof path, "%s/ctl-stderr", f->dir);
    remove (path);
    const char *argv [24] = { cf_test_binary ("caseflowctl"), "--timeout=5000", f->console_flag };
    size_t n = 3;
    for (size_t i = 0; args [i]; i++)
        argv [n++] = args [i];
    argv [n] = NULL;
    int rc = cf_test_run (argv, NULL, path, f->out, sizeof f->out);
    char *said = cf_test_read_file (path, NULL);
    assert_non_null (said);
    if ((code >= 0 ? rc != code : rc == 0) || !strstr (said, word))
        fail_msg ("caseflowctl %s: exit %d, not naming %s: %s", args [1], rc, word, said);
    free (said);
}

static void
test_demo_whatif (void **state)
{
    s_fixture_t *f = *state;
    char path [600];
    snprintf (path, sizeof path, "%s/reports/2022-03-07T09-00.json", S_DEMO);
    char *golden = cf_test_read_file (path, NULL);
    assert_non_null (golden);
    const char *plain [] = { "--json", "whatif",           "--from", "2022-01-03",
                             "--to",   "2022-03-07T09:00", NULL };
    json_t *answer = s_json (f, plain);
    for (int side = 0; side < 2; side++) {
        //  As caseflowctl prints a document.
        char *text = json_dumps (json_object_get (answer, side ? "whatif" : "actual"),
                                 JSON_COMPACT | JSON_REAL_PRECISION (6));
        size_t len = strlen (text);
        if (strncmp (text, golden, len) != 0
            || strspn (golden + len, "\n") != strlen (golden + len)) {
            fprintf (stderr, "the what-if's %s side is not the report:\n%s\nnot\n%s\n",
                     side ? "what-if" : "actual", text, golden);
            fail ();
        }
        free (text);
    }
    json_decref (answer);
    free (golden);
    const char *more [] = { "--json",
                            "whatif",
                            "--from",
                            "2022-01-03",
                            "--to",
                            "2022-03-07T09:00",
                            "--add-workers",
                            "3",
                            "--location",
                            "L-centrum",
                            "--expertise",
                            "youth,support,work-income,debt,housing,mental-health,other",
                            "--starting",
                            "2022-01-10",
                            NULL };
    answer = s_json (f, more);
    json_int_t actual =
        json_integer_value (json_object_get (json_object_get (answer, "actual"), "waiting"));
    json_int_t whatif =
        json_integer_value (json_object_get (json_object_get (answer, "whatif"), "waiting"));
    assert_true (whatif < actual);
    assert_int_equal (json_array_size (json_object_get (answer, "weeks")), 10);
    json_decref (answer);
    //  Bad changes, named.
    const char *backwards [] = { "whatif", "--from", "2022-02-01", "--to", "2022-01-01", NULL };
    s_refused (f, backwards, 2, "--to");
    const char *nowhere [] = { "whatif",     "--from",        "2022-01-03", "--to",
                               "2022-02-01", "--add-workers", "1",          "--location",
                               "L-zuid",     "--expertise",   "debt",       NULL };
    s_refused (f, nowhere, -1, "--location");
    const char *nobody [] = { "whatif",     "--from",           "2022-01-03", "--to",
                              "2022-02-01", "--remove-absence", "w99",        NULL };
    s_refused (f, nobody, -1, "--remove-absence");
    const char *negative [] = { "whatif",        "--from",      "2022-01-03", "--to", "2022-02-01",
                                "--add-workers", "1",           "--fte",      "-0.5", "--location",
                                "L-west",        "--expertise", "debt",       NULL };
    s_refused (f, negative, 2, "--fte");
    //  The forecast: a point now and one a week.
    const char *forecast [] = { "--json", "forecast", "--weeks", "6", "--window", "4", NULL };
    answer = s_json (f, forecast);
    assert_int_equal (json_array_size (json_object_get (answer, "points")), 7);
    json_decref (answer);
    const char *table [] = { "forecast",   "--weeks", "2",           "--add-workers", "2",
                             "--location", "L-noord", "--expertise", "debt",          NULL };
    assert_int_equal (s_ctl (f, table), 0);
    assert_non_null (strstr (f->out, "WHAT-IF WAITING"));
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_demo_whatif),
        cmocka_unit_test (test_demo_reports),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
