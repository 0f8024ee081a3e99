//  test_gateway: the real caseflow-gateway on loopback.
//
//  Publishers through `caseflowctl gateway publisher …` (exit statuses,
//  the JSON keys, the refusals naming their field), tokens never in a
//  reply, a log line or the journal; and a restart that keeps the
//  publishers and gives the same digest.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testproc.h"
#include "cf_teststreams.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_TOKEN_A "front-office-token-0123456789abcdefghijkl"
#define S_TOKEN_B "front-office-token-rotated-0123456789abcd"
#define S_TOKEN_C "telephony-platform-token-0123456789abcdefg"
#define S_SOURCE  "urn:nld:oin:00000001823288444000:systeem:frontoffice"

typedef struct {
    cf_testproc_t proc;
    cf_teststreams_t streams;
    char *dir;
    char gateway_flag [128];
    char token_a [512], token_b [512], token_c [512];
    char out [65536];
} s_fixture_t;

static s_fixture_t *s_fixture;

//  Runs caseflowctl --gateway <api> <args...> (NULL-terminated); returns
//  its exit status with its stdout in f->out.
static int
s_ctl (s_fixture_t *f, ...)
{
    const char *argv [48] = { cf_test_binary ("caseflowctl"), f->gateway_flag, "--timeout",
                              "3000" };
    size_t argc = 4;
    va_list args;
    va_start (args, f);
    const char *word;
    while ((word = va_arg (args, const char *)) && argc < 47)
        argv [argc++] = word;
    va_end (args);
    argv [argc] = NULL;
    return cf_test_run (argv, NULL, NULL, f->out, sizeof f->out);
}

static void
s_expect_out (s_fixture_t *f, const char *text)
{
    if (!strstr (f->out, text))
        fail_msg ("expected %s in the output: %s", text, f->out);
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
s_start (s_fixture_t *f, bool first)
{
    //  The streams it follows (for webhooks): stand-ins, so it turns ready.
    const char *extra [12] = { "--clock=manual", "--clock-start=2022-03-01T09:00" };
    cf_teststreams_add_flags (&f->streams, extra, 2);
    assert_true (cf_testclient_start (&f->proc, extra, first, 30000));
    snprintf (f->gateway_flag, sizeof f->gateway_flag, "--gateway=%s", f->proc.api);
}

static int
s_setup (void **state)
{
    s_fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    s_fixture = f;
    f->dir = cf_test_tmpdir ("gateway");
    char data_dir [512];
    snprintf (data_dir, sizeof data_dir, "%s/gateway", f->dir);
    cf_testproc_init (&f->proc, cf_test_binary ("caseflow-gateway"), data_dir);
    snprintf (f->token_a, sizeof f->token_a, "%s/token-a", f->dir);
    snprintf (f->token_b, sizeof f->token_b, "%s/token-b", f->dir);
    s_write (f->token_a, "  " S_TOKEN_A "  ");
    s_write (f->token_b, S_TOKEN_B);
    snprintf (f->token_c, sizeof f->token_c, "%s/token-c", f->dir);
    s_write (f->token_c, S_TOKEN_C);
    cf_teststreams_start (&f->streams, f->dir);
    s_start (f, true);
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
    cf_testproc_destroy (&f->proc);
    if (f->streams.procs [0].pid > 0)
        cf_teststreams_stop (&f->streams);
    cf_test_rmtree (f->dir);
    free (f->dir);
    free (f);
    s_fixture = NULL;
    return 0;
}

static void
s_digest (s_fixture_t *f, char sha [65])
{
    cf_api_client_t *client = cf_testclient_new (f->proc.api);
    cf_testclient_digest (client, sha);
    cf_api_client_destroy (&client);
}

//  No file of the store, the key store or the log holds `text`.
static void
s_expect_nowhere (s_fixture_t *f, const char *text)
{
    char path [600];
    const char *files [] = { "gateway/data.mdb", "gateway-keys/data.mdb", "gateway.log" };
    for (size_t i = 0; i < sizeof files / sizeof files [0]; i++) {
        snprintf (path, sizeof path, "%s/%s", f->dir, files [i]);
        size_t size = 0;
        char *data = cf_test_read_file (path, &size);
        if (!data)
            continue;
        assert_null (memmem (data, size, text, strlen (text)));
        free (data);
    }
}

static void
test_publishers (void **state)
{
    s_fixture_t *f = *state;
    assert_int_equal (s_ctl (f, "--json", "gateway", "publisher", "add", "--id", "front-office",
                             "--source", S_SOURCE, "--type",
                             "nl.sociaal-domein.verwijzing-ontvangen,nl.sociaal-domein."
                             "beschikking-aangevraagd",
                             "--channel", "municipality", "--token-file", f->token_a, NULL),
                      0);
    s_expect_out (f, "\"publisher_id\":\"front-office\"");
    s_expect_out (f, "\"channel\":\"municipality\"");
    s_expect_out (f, "\"token_id\":\"S");
    assert_null (strstr (f->out, S_TOKEN_A));

    //  Refusals name their field; a token is one publisher's alone; a
    //  source too.
    assert_int_equal (s_ctl (f, "gateway", "publisher", "add", "--id", "phone", "--source",
                             "urn:nld:telefonie", "--type",
                             "nl.sociaal-domein.verwijzing-ontvangen", "--channel", "telephony",
                             "--token-file", f->token_b, NULL),
                      1);
    assert_int_equal (s_ctl (f, "gateway", "publisher", "add", "--id", "phone", "--source",
                             "http://example.org", "--type", "nl.telefonie.gesprek-aangeboden",
                             "--channel", "telephony", "--token-file", f->token_b, NULL),
                      1);
    assert_int_equal (s_ctl (f, "gateway", "publisher", "add", "--id", "phone", "--source",
                             "urn:nld:telefonie", "--type", "nl.telefonie.gesprek-aangeboden",
                             "--channel", "telephony", "--token-file", f->token_a, NULL),
                      1);
    assert_int_equal (s_ctl (f, "gateway", "publisher", "add", "--id", "other", "--source",
                             S_SOURCE, "--type", "nl.sociaal-domein.verwijzing-ontvangen",
                             "--channel", "partner", "--token-file", f->token_b, NULL),
                      1);
    assert_int_equal (s_ctl (f, "gateway", "publisher", "add", "--id", "bad id", "--source",
                             "urn:nld:x", "--type", "nl.sociaal-domein.verwijzing-ontvangen",
                             "--channel", "partner", "--token-file", f->token_b, NULL),
                      1);
    //  Usage: a channel that is no word, a missing token file.
    assert_int_equal (s_ctl (f, "gateway", "publisher", "add", "--id", "x", "--source", "urn:nld:x",
                             "--type", "nl.sociaal-domein.verwijzing-ontvangen", "--channel", "fax",
                             "--token-file", f->token_b, NULL),
                      2);
    assert_int_equal (s_ctl (f, "gateway", "publisher", "add", "--id", "x", "--source", "urn:nld:x",
                             "--type", "nl.sociaal-domein.verwijzing-ontvangen", "--channel",
                             "partner", "--token-file", "/nonexistent/token", NULL),
                      2);

    //  Rotation: the same token again is refused; a fresh one names the
    //  grace end.
    assert_int_equal (s_ctl (f, "gateway", "publisher", "rotate", "front-office", "--token-file",
                             f->token_a, NULL),
                      1);
    assert_int_equal (s_ctl (f, "--json", "gateway", "publisher", "rotate", "front-office",
                             "--token-file", f->token_b, "--grace", "2h", NULL),
                      0);
    s_expect_out (f, "\"previous_valid_until\":\"2022-03-01T11:00:00+01:00\"");
    assert_int_equal (
        s_ctl (f, "gateway", "publisher", "rotate", "nobody", "--token-file", f->token_b, NULL), 1);

    //  The rotated-out token is still in its grace: still taken.
    assert_int_equal (s_ctl (f, "gateway", "publisher", "add", "--id", "phone", "--source",
                             "urn:nld:telefonie", "--type",
                             "nl.telefonie.gesprek-aangeboden,nl.telefonie.gesprek-beantwoord",
                             "--channel", "telephony", "--token-file", f->token_a, NULL),
                      1);
    assert_int_equal (s_ctl (f, "gateway", "publisher", "add", "--id", "phone", "--source",
                             "urn:nld:telefonie", "--type",
                             "nl.telefonie.gesprek-aangeboden,nl.telefonie.gesprek-beantwoord",
                             "--channel", "telephony", "--token-file", f->token_c, NULL),
                      0);
    assert_int_equal (s_ctl (f, "--json", "gateway", "publisher", "list", NULL), 0);
    s_expect_out (f, "{\"publisher_id\":\"front-office\",\"source\":\"" S_SOURCE "\"");
    s_expect_out (f, "\"previous_token_valid_until\":\"2022-03-01T11:00:00+01:00\"");
    s_expect_out (f, "\"publisher_id\":\"phone\"");
    assert_int_equal (s_ctl (f, "--json", "gateway", "publisher", "remove", "phone", NULL), 0);
    assert_int_equal (s_ctl (f, "gateway", "publisher", "remove", "phone", NULL), 1);
    assert_int_equal (s_ctl (f, "--json", "gateway", "publisher", "list", NULL), 0);
    assert_null (strstr (f->out, "\"phone\""));

    //  Nothing the gateway asks about is known yet.
    assert_int_equal (s_ctl (f, "gateway", "event", S_SOURCE, "no-such-event", NULL), 1);

    //  A restart keeps the publishers, and the digest.
    char before [65], after [65];
    s_digest (f, before);
    assert_int_equal (cf_testproc_stop (&f->proc, SIGTERM, 20000), 0);
    s_start (f, false);
    s_digest (f, after);
    assert_string_equal (before, after);
    assert_int_equal (s_ctl (f, "--json", "gateway", "publisher", "list", NULL), 0);
    s_expect_out (f, "\"publisher_id\":\"front-office\"");
    assert_int_equal (cf_testproc_stop (&f->proc, SIGTERM, 20000), 0);
    s_expect_nowhere (f, S_TOKEN_A);
    s_expect_nowhere (f, S_TOKEN_B);
    s_expect_nowhere (f, S_TOKEN_C);
    s_start (f, false);
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_publishers, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
