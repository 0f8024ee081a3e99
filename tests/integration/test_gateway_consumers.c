//  test_gateway_consumers: the real caseflow-gateway, intake and handover
//  on loopback, each following the others as in production (intake and
//  handover follow the gateway's stream; the gateway follows their
//  outcomes back).
//
//  CloudEvents POSTed to the gateway become what they mean downstream, and
//  the publisher reads it back with `caseflowctl gateway event`: every
//  referral exactly one case (a repeat, and intake killed and restarted,
//  add none), a decision linked to the resident's case, an announcement
//  of a provider handover knows a handover, one of a provider it does not
//  know rejected with the reason. `caseflowctl report` (answered by the
//  console, which follows the three) shows the gateway's figures at two
//  moments: before anything came in (null) and after.
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

#define S_FRONT   "urn:nld:oin:00000001823288444000:systeem:frontoffice"
#define S_GGZ     "urn:nld:oin:00000009876543210000:systeem:ggz"
#define S_OTHER   "urn:nld:oin:00000005555555550000:systeem:onbekend"
#define S_PHONE   "urn:nld:oin:00000001823288444000:systeem:telefonie"
#define S_TOKEN_F "front-office-token-0123456789abcdefghijkl"
#define S_TOKEN_G "ggz-provider-token-0123456789abcdefghijkl"
#define S_TOKEN_O "unknown-provider-token-0123456789abcdefgh"
#define S_TOKEN_T "telephony-platform-token-0123456789abcdef"

typedef struct {
    cf_testproc_t gateway, intake, handover, console;
    char *dir;
    char flags [4][8][160];
    const char *argv [4][10];
    char gateway_flag [160], intake_flag [160], handover_flag [160], console_flag [160];
    char out [65536];
} s_fixture_t;

static s_fixture_t *s_fixture;

//  Runs caseflowctl against the three (assignment and notification: not
//  run); returns its exit status with its stdout in f->out.
static int
s_ctl (s_fixture_t *f, ...)
{
    const char *flags [] = { f->gateway_flag,
                             f->intake_flag,
                             f->handover_flag,
                             f->console_flag,
                             "--assignment=none",
                             "--notification=none",
                             NULL };
    va_list words;
    va_start (words, f);
    int status = cf_test_ctl (flags, "/dev/null", f->out, sizeof f->out, words);
    va_end (words);
    return status;
}

static void
s_flag (char *out, const char *name, const char *value)
{
    snprintf (out, 160, "--%s=%s", name, value);
}

//  Wires each to the others' endpoints (chosen by cf_testproc_init).
static void
s_wire (s_fixture_t *f)
{
    //  The gateway follows intake and handover (assignment and notification
    //  are not run); intake and handover follow the gateway (and intake
    //  handover).
    s_flag (f->flags [0][0], "intake-events", f->intake.events);
    s_flag (f->flags [0][1], "intake-api", f->intake.api);
    s_flag (f->flags [0][2], "handover-events", f->handover.events);
    s_flag (f->flags [0][3], "handover-api", f->handover.api);
    s_flag (f->flags [0][4], "assignment-events", "none");
    s_flag (f->flags [0][5], "notification-events", "none");
    s_flag (f->flags [1][0], "gateway-events", f->gateway.events);
    s_flag (f->flags [1][1], "gateway-api", f->gateway.api);
    s_flag (f->flags [1][2], "handover-events", f->handover.events);
    s_flag (f->flags [1][3], "handover-api", f->handover.api);
    s_flag (f->flags [1][4], "assignment-events", "none");
    s_flag (f->flags [1][5], "notification-events", "none");
    s_flag (f->flags [2][0], "gateway-events", f->gateway.events);
    s_flag (f->flags [2][1], "gateway-api", f->gateway.api);
    s_flag (f->flags [2][2], "intake-events", f->intake.events);
    s_flag (f->flags [2][3], "intake-api", f->intake.api);
    //  The console follows the three.
    s_flag (f->flags [3][0], "gateway-events", f->gateway.events);
    s_flag (f->flags [3][1], "gateway-api", f->gateway.api);
    s_flag (f->flags [3][2], "intake-events", f->intake.events);
    s_flag (f->flags [3][3], "intake-api", f->intake.api);
    s_flag (f->flags [3][4], "handover-events", f->handover.events);
    s_flag (f->flags [3][5], "handover-api", f->handover.api);
    s_flag (f->flags [3][6], "assignment-events", "none");
    s_flag (f->flags [3][7], "notification-events", "none");
    size_t counts [4] = { 6, 6, 4, 8 };
    for (int p = 0; p < 4; p++) {
        size_t n = 0;
        if (p == 0) {
            f->argv [p][n++] = "--clock=manual";
            f->argv [p][n++] = "--clock-start=2022-03-01T09:00";
        }
        for (size_t i = 0; i < counts [p] && n < 9; i++)
            f->argv [p][n++] = f->flags [p][i];
        f->argv [p][n] = NULL;
    }
    s_flag (f->gateway_flag, "gateway", f->gateway.api);
    s_flag (f->intake_flag, "intake", f->intake.api);
    s_flag (f->handover_flag, "handover", f->handover.api);
    s_flag (f->console_flag, "console", f->console.api);
}

static void
s_start (s_fixture_t *f, cf_testproc_t *proc, int index)
{
    assert_int_equal (cf_testproc_start (proc, f->argv [index]), 0);
}

static void
s_wait_ready (cf_testproc_t *proc)
{
    if (!cf_testproc_wait_ready (proc, 30000)) {
        cf_test_dump_log (proc->log_path);
        fail_msg ("%s did not become ready", proc->binary);
    }
}

static void
s_write (const char *path, const char *text)
{
    FILE *file = fopen (path, "w");
    assert_non_null (file);
    fprintf (file, "%s\n", text);
    fclose (file);
}

static void
s_publisher (s_fixture_t *f, const char *id, const char *source, const char *types,
             const char *channel, const char *token)
{
    char path [600];
    snprintf (path, sizeof path, "%s/token-%s", f->dir, id);
    s_write (path, token);
    if (s_ctl (f, "gateway", "publisher", "add", "--id", id, "--source", source, "--type", types,
               "--channel", channel, "--token-file", path, NULL)
        != 0)
        fail_msg ("publisher add %s failed: %s", id, f->out);
}

//  POSTs one structured CloudEvent with `token`; asserts 202.
static void
s_post (s_fixture_t *f, const char *token, const char *id, const char *source, const char *type,
        const char *data)
{
    char headers [256], *event = NULL, *answer = NULL;
    snprintf (headers, sizeof headers,
              "Authorization: Bearer %s\r\nContent-Type: application/cloudevents+json\r\n", token);
    assert_true (asprintf (&event,
                           "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"%s\",\"type\":"
                           "\"%s\",\"time\":\"2022-03-01T08:55:00+01:00\",\"data\":%s}",
                           id, source, type, data)
                 > 0);
    int status =
        cf_test_http_request (f->gateway.http_port, "POST", "/events", headers, event, &answer);
    if (status != 202)
        fail_msg ("POST %s: HTTP %d: %s", id, status, answer ? answer : "");
    free (answer);
    free (event);
}

//  Waits until the gateway says what became of (source, id): its state
//  ("applied" or "rejected") with the answer in f->out.
static void
s_outcome (s_fixture_t *f, const char *source, const char *id, const char *state)
{
    char want [64];
    snprintf (want, sizeof want, "\"state\":\"%s\"", state);
    int64_t until = cf_test_now_ms () + 20000;
    while (true) {
        if (s_ctl (f, "--json", "gateway", "event", source, id, NULL) == 0 && strstr (f->out, want))
            return;
        if (cf_test_now_ms () > until)
            fail_msg ("event %s of %s did not become %s: %s", id, source, state, f->out);
        cf_test_sleep_ms (100);
    }
}

//  The text of JSON key `key` in f->out into `value`.
static void
s_value (s_fixture_t *f, const char *key, char *value, size_t size)
{
    char pattern [64];
    snprintf (pattern, sizeof pattern, "\"%s\":\"", key);
    const char *at = strstr (f->out, pattern);
    if (!at)
        fail_msg ("no %s in %s", key, f->out);
    at += strlen (pattern);
    snprintf (value, size, "%.*s", (int) strcspn (at, "\""), at);
}

static void
s_expect (s_fixture_t *f, const char *text)
{
    if (!strstr (f->out, text))
        fail_msg ("expected %s in: %s", text, f->out);
}

//  How many cases intake holds (all statuses, from `intake counts`).
static int
s_cases (s_fixture_t *f)
{
    assert_int_equal (s_ctl (f, "--json", "intake", "counts", NULL), 0);
    int total = 0;
    const char *keys [] = { "registered", "waiting", "urgent", "assigned", "active", "closed" };
    for (size_t i = 0; i < 6; i++) {
        char pattern [32];
        snprintf (pattern, sizeof pattern, "\"%s\":", keys [i]);
        const char *at = strstr (f->out, pattern);
        assert_non_null (at);
        total += atoi (at + strlen (pattern));
    }
    return total;
}

static const char *
s_referral (const char *name, const char *bsn)
{
    static char data [512];
    snprintf (data, sizeof data,
              "{\"resident\":{\"name\":\"%s\",\"birth_date\":\"1984-05-12\",\"bsn\":\"%s\","
              "\"district\":\"Noord\"},\"domains\":[\"debt\"],\"question\":\"rent arrears\"}",
              name, bsn);
    return data;
}

static int
s_setup (void **state)
{
    s_fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    s_fixture = f;
    f->dir = cf_test_tmpdir ("gateway-consumers");
    char data_dir [512];
    snprintf (data_dir, sizeof data_dir, "%s/gateway", f->dir);
    cf_testproc_init (&f->gateway, cf_test_binary ("caseflow-gateway"), data_dir);
    snprintf (data_dir, sizeof data_dir, "%s/intake", f->dir);
    cf_testproc_init (&f->intake, cf_test_binary ("caseflow-intake"), data_dir);
    snprintf (data_dir, sizeof data_dir, "%s/handover", f->dir);
    cf_testproc_init (&f->handover, cf_test_binary ("caseflow-handover"), data_dir);
    snprintf (data_dir, sizeof data_dir, "%s/console", f->dir);
    cf_testproc_init (&f->console, cf_test_binary ("caseflow-console"), data_dir);
    s_wire (f);
    //  Each follows another, so none is ready before the others run.
    s_start (f, &f->gateway, 0);
    s_start (f, &f->intake, 1);
    s_start (f, &f->handover, 2);
    s_start (f, &f->console, 3);
    s_wait_ready (&f->gateway);
    s_wait_ready (&f->intake);
    s_wait_ready (&f->handover);
    s_wait_ready (&f->console);
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    s_fixture_t *f = *state ? *state : s_fixture;
    if (!f)
        return 0;
    cf_testproc_t *procs [4] = { &f->console, &f->gateway, &f->intake, &f->handover };
    for (int p = 0; p < 4; p++) {
        if (procs [p]->pid > 0)
            cf_testproc_stop (procs [p], SIGTERM, 20000);
        cf_testproc_destroy (procs [p]);
    }
    cf_test_rmtree (f->dir);
    free (f->dir);
    free (f);
    s_fixture = NULL;
    return 0;
}

static void
test_followed (void **state)
{
    s_fixture_t *f = *state;
    //  Before anything came in, the gateway's figures are null.
    assert_int_equal (s_ctl (f, "--json", "report", "--at", "2022-03-01T08:00", NULL), 0);
    s_expect (f, "\"decisions_pending\":null");
    s_expect (f, "\"calls_offered\":null");

    s_publisher (f, "front-office", S_FRONT,
                 "nl.sociaal-domein.verwijzing-ontvangen,nl.sociaal-domein.beschikking-aangevraagd",
                 "municipality", S_TOKEN_F);
    s_publisher (f, "P01", S_GGZ, "nl.sociaal-domein.overdracht-aangekondigd", "provider",
                 S_TOKEN_G);
    s_publisher (f, "P99", S_OTHER, "nl.sociaal-domein.overdracht-aangekondigd", "provider",
                 S_TOKEN_O);
    s_publisher (f, "phone", S_PHONE, "nl.telefonie.gesprek-beantwoord", "telephony", S_TOKEN_T);
    assert_int_equal (
        s_ctl (f, "handover", "provider", "add", "--id", "P01", "--name", "GGZ Noord", NULL), 0);

    //  A referral, and its repeat: one case.
    s_post (f, S_TOKEN_F, "ref-1", S_FRONT, "nl.sociaal-domein.verwijzing-ontvangen",
            s_referral ("Fatima el Amrani", "111222333"));
    s_post (f, S_TOKEN_F, "ref-1", S_FRONT, "nl.sociaal-domein.verwijzing-ontvangen",
            s_referral ("Fatima el Amrani", "111222333"));
    s_outcome (f, S_FRONT, "ref-1", "applied");
    char first [32];
    s_value (f, "case_id", first, sizeof first);
    assert_int_equal (s_cases (f), 1);
    assert_int_equal (s_ctl (f, "--json", "intake", "show", first, NULL), 0);
    s_expect (f, "\"channel\":\"municipality\"");
    s_expect (f, "\"referred_by\":\"front-office\"");
    s_expect (f, "Fatima el Amrani");

    //  Intake killed and started again: the referrals after it become one
    //  case each, the earlier ones none again.
    assert_int_equal (cf_testproc_stop (&f->intake, SIGKILL, 5000), 128 + SIGKILL);
    s_post (f, S_TOKEN_F, "ref-2", S_FRONT, "nl.sociaal-domein.verwijzing-ontvangen",
            s_referral ("Jan de Vries", "123456782"));
    s_start (f, &f->intake, 1);
    s_wait_ready (&f->intake);
    s_outcome (f, S_FRONT, "ref-2", "applied");
    char second [32];
    s_value (f, "case_id", second, sizeof second);
    assert_string_not_equal (first, second);
    assert_int_equal (s_cases (f), 2);

    //  A decision for the first resident (by BSN) links to her case.
    s_post (f, S_TOKEN_F, "dec-1", S_FRONT, "nl.sociaal-domein.beschikking-aangevraagd",
            "{\"resident\":{\"bsn\":\"111222333\"},\"decision_id\":\"WMO-2022-1\","
            "\"law\":\"wmo\"}");
    s_outcome (f, S_FRONT, "dec-1", "applied");
    char linked [32];
    s_value (f, "case_id", linked, sizeof linked);
    assert_string_equal (linked, first);

    //  Announcements: a provider handover knows, one it does not.
    const char *announcement =
        "{\"resident\":{\"name\":\"Piet Jansen\",\"birth_date\":\"1970-01-01\"},"
        "\"domains\":[\"mental-health\"],\"support\":\"weekly visits\"}";
    s_post (f, S_TOKEN_G, "ann-1", S_GGZ, "nl.sociaal-domein.overdracht-aangekondigd",
            announcement);
    s_outcome (f, S_GGZ, "ann-1", "applied");
    assert_int_equal (s_ctl (f, "--json", "handover", "list", NULL), 0);
    s_expect (f, "\"provider_id\":\"P01\"");
    s_post (f, S_TOKEN_O, "ann-2", S_OTHER, "nl.sociaal-domein.overdracht-aangekondigd",
            announcement);
    s_outcome (f, S_OTHER, "ann-2", "rejected");
    s_expect (f, "no provider P99");
    assert_null (strstr (f->out, "Piet"));

    //  A call, and the report after all of it.
    s_post (f, S_TOKEN_T, "call-1", S_PHONE, "nl.telefonie.gesprek-beantwoord",
            "{\"call_id\":\"c1\",\"line\":\"main\",\"queued_at\":\"2022-03-01T08:58:00+01:00\","
            "\"answered_at\":\"2022-03-01T08:59:30+01:00\"}");
    int64_t until = cf_test_now_ms () + 10000;
    do {
        assert_int_equal (s_ctl (f, "--json", "report", "--at", "2022-03-02", NULL), 0);
        if (strstr (f->out, "\"calls_offered\":1"))
            break;
        cf_test_sleep_ms (100);
    } while (cf_test_now_ms () < until);
    s_expect (f, "\"decisions_pending\":1");
    s_expect (f, "\"calls_offered\":1");
    s_expect (f, "\"calls_answered_pct\":100");
    s_expect (f, "\"call_answer_seconds_median\":90");
    //  The earlier moment is as it was.
    assert_int_equal (s_ctl (f, "--json", "report", "--at", "2022-03-01T08:00", NULL), 0);
    s_expect (f, "\"decisions_pending\":null");
    s_expect (f, "\"calls_offered\":null");
    assert_int_equal (s_cases (f), 2);

    //  All three stopped and started again: what was applied is not
    //  applied again, a repeat after the restart neither; a new referral
    //  is one more case.
    cf_testproc_t *procs [3] = { &f->gateway, &f->intake, &f->handover };
    for (int p = 0; p < 3; p++)
        assert_int_equal (cf_testproc_stop (procs [p], SIGTERM, 20000), 0);
    for (int p = 0; p < 3; p++)
        s_start (f, procs [p], p);
    for (int p = 0; p < 3; p++)
        s_wait_ready (procs [p]);
    s_post (f, S_TOKEN_F, "ref-1", S_FRONT, "nl.sociaal-domein.verwijzing-ontvangen",
            s_referral ("Fatima el Amrani", "111222333"));
    s_post (f, S_TOKEN_G, "ann-1", S_GGZ, "nl.sociaal-domein.overdracht-aangekondigd",
            announcement);
    s_post (f, S_TOKEN_F, "ref-3", S_FRONT, "nl.sociaal-domein.verwijzing-ontvangen",
            s_referral ("Henk Bos", "111222345"));
    s_outcome (f, S_FRONT, "ref-3", "applied");
    assert_int_equal (s_cases (f), 3);
    s_outcome (f, S_FRONT, "ref-1", "applied");
    s_value (f, "case_id", linked, sizeof linked);
    assert_string_equal (linked, first);
    assert_int_equal (s_ctl (f, "--json", "handover", "list", NULL), 0);
    const char *one = strstr (f->out, "\"provider_id\":\"P01\"");
    assert_non_null (one);
    assert_null (strstr (one + 1, "\"provider_id\":\"P01\""));
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_followed, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
