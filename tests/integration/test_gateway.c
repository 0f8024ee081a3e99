//  test_gateway: the real caseflow-gateway on loopback, with a real intake
//  and handover beside it (the streams it follows back).
//
//  Publishers through `caseflowctl gateway publisher …` (exit statuses,
//  the JSON keys, the refusals naming their field), tokens never in a
//  reply, a log line or the journal; a restart that keeps the publishers
//  and gives the same digest. POST /events over raw sockets: each answer
//  (202, 400 naming the attribute or data field, 401, 403, 405, 413, 415),
//  the three modes, a batch all or nothing, repeats applied once, 202 only
//  once durable (SIGKILL right after the 202s loses none), the dedup index
//  kept across restarts, a rotated-out token until its grace end, GET
//  /events/{source}/{id}; hostile requests (over the limit, truncated and
//  deeply nested JSON, invalid UTF-8, forged tokens, a slow client) get
//  their status and leave the service serving.
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

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#define S_TOKEN_A "front-office-token-0123456789abcdefghijkl"
#define S_TOKEN_B "front-office-token-rotated-0123456789abcd"
#define S_TOKEN_C "telephony-platform-token-0123456789abcdefg"
#define S_SOURCE  "urn:nld:oin:00000001823288444000:systeem:frontoffice"

typedef struct {
    cf_testproc_t proc;
    cf_testproc_t intake, handover;
    char intake_flags [2][128];
    char handover_flags [2][128];
    //  Stand-ins for the streams it follows for webhooks only.
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
    const char *flags [] = { f->gateway_flag, NULL };
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
    const char *extra [12] = { "--clock=manual",      "--clock-start=2022-03-01T09:00",
                               f->intake_flags [0],   f->intake_flags [1],
                               f->handover_flags [0], f->handover_flags [1] };
    cf_teststreams_add_flags (&f->streams, extra, 6);
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
    snprintf (data_dir, sizeof data_dir, "%s/intake", f->dir);
    cf_testclient_start_intake (&f->intake, data_dir, f->intake_flags);
    snprintf (data_dir, sizeof data_dir, "%s/handover", f->dir);
    cf_testproc_init (&f->handover, cf_test_binary ("caseflow-handover"), data_dir);
    const char *handover_extra [] = { f->intake_flags [0], f->intake_flags [1], NULL };
    assert_true (cf_testclient_start (&f->handover, handover_extra, true, 30000));
    snprintf (f->handover_flags [0], 128, "--handover-events=%s", f->handover.events);
    snprintf (f->handover_flags [1], 128, "--handover-api=%s", f->handover.api);
    snprintf (data_dir, sizeof data_dir, "%s/gateway", f->dir);
    cf_testproc_init (&f->proc, cf_test_binary ("caseflow-gateway"), data_dir);
    snprintf (f->token_a, sizeof f->token_a, "%s/token-a", f->dir);
    snprintf (f->token_b, sizeof f->token_b, "%s/token-b", f->dir);
    s_write (f->token_a, "  " S_TOKEN_A "  ");
    s_write (f->token_b, S_TOKEN_B);
    snprintf (f->token_c, sizeof f->token_c, "%s/token-c", f->dir);
    s_write (f->token_c, S_TOKEN_C);
    const char *const stand_ins [] = { "assignment", "notification", NULL };
    cf_teststreams_start (&f->streams, f->dir, stand_ins);
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
    if (f->handover.pid > 0)
        cf_testproc_stop (&f->handover, SIGTERM, 20000);
    if (f->intake.pid > 0)
        cf_testproc_stop (&f->intake, SIGTERM, 20000);
    cf_testproc_destroy (&f->proc);
    cf_testproc_destroy (&f->handover);
    cf_testproc_destroy (&f->intake);
    if (f->streams.count > 0 && f->streams.procs [0].pid > 0)
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

//  ------------------------------------------------------------------ HTTP

//  A connection to the gateway's HTTP port (-1 when refused).
static int
s_connect (s_fixture_t *f)
{
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    assert_true (fd >= 0);
    struct sockaddr_in addr = { .sin_family = AF_INET,
                                .sin_port = htons ((uint16_t) f->proc.http_port) };
    addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    struct timeval timeout = { 10, 0 };
    setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0) {
        close (fd);
        return -1;
    }
    return fd;
}

//  Sends `size` raw bytes, reads the answer to the end; returns the status
//  with the answer (headers and body) in f->out.
static int
s_raw (s_fixture_t *f, const char *data, size_t size)
{
    int fd = s_connect (f);
    assert_true (fd >= 0);
    for (size_t sent = 0; sent < size;) {
        ssize_t n = write (fd, data + sent, size - sent);
        if (n <= 0)
            break;  //  the server may answer 413 and close before all is sent
        sent += (size_t) n;
    }
    size_t got = 0;
    ssize_t n;
    while (got + 1 < sizeof f->out && (n = read (fd, f->out + got, sizeof f->out - 1 - got)) > 0)
        got += (size_t) n;
    f->out [got] = 0;
    close (fd);
    int status = 0;
    if (sscanf (f->out, "HTTP/1.1 %d", &status) != 1)
        status = 0;
    return status;
}

//  `method` `path` with `headers` ("Name: value\r\n" lines, may be "") and
//  `body` (may be NULL); returns the status with the whole answer in
//  f->out.
static int
s_http (s_fixture_t *f, const char *method, const char *path, const char *headers, const char *body)
{
    char *answer = NULL;
    int status = cf_test_http_answer (f->proc.http_port, method, path, headers, body, &answer);
    snprintf (f->out, sizeof f->out, "%s", answer ? answer : "");
    free (answer);
    return status;
}

#define S_AUTH_A     "Authorization: Bearer " S_TOKEN_A "\r\n"
#define S_AUTH_B     "Authorization: Bearer " S_TOKEN_B "\r\n"
#define S_STRUCTURED "Content-Type: application/cloudevents+json\r\n"
#define S_BATCH      "Content-Type: application/cloudevents-batch+json\r\n"
#define S_REFERRAL   "nl.sociaal-domein.verwijzing-ontvangen"

//  A structured referral with id `id` (data valid unless changed by the
//  caller's own text).
static char *
s_referral (const char *id, const char *source)
{
    char *text = NULL;
    int rc = asprintf (
        &text,
        "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"%s\",\"type\":\"" S_REFERRAL "\","
        "\"time\":\"2022-03-01T08:55:00+01:00\",\"datacontenttype\":\"application/json\","
        "\"data\":{\"resident\":{\"name\":\"Fatima el Amrani\",\"birth_date\":\"1984-05-12\","
        "\"bsn\":\"111222333\",\"phone\":\"0612345678\",\"district\":\"Noord\"},"
        "\"domains\":[\"debt\",\"housing\"],\"question\":\"rent arrears\",\"urgency\":\"urgent\","
        "\"reason\":\"eviction notice\",\"partner_reference\":\"R-77\"}}",
        id, source);
    assert_true (rc > 0);
    return text;
}

static void
s_expect_status (s_fixture_t *f, int expected, int status)
{
    if (status != expected)
        fail_msg ("expected HTTP %d, got %d: %s", expected, status, f->out);
}

//  Adds the front office (referrals and decisions) with token A.
static void
s_add_front_office (s_fixture_t *f)
{
    assert_int_equal (s_ctl (f, "gateway", "publisher", "add", "--id", "front-office", "--source",
                             S_SOURCE, "--type",
                             S_REFERRAL ",nl.sociaal-domein.beschikking-aangevraagd", "--channel",
                             "municipality", "--token-file", f->token_a, NULL),
                      0);
}

//  The number of events the front office had accepted, by the list.
static int
s_accepted (s_fixture_t *f)
{
    assert_int_equal (s_ctl (f, "--json", "gateway", "publisher", "list", NULL), 0);
    const char *at = strstr (f->out, "\"accepted\":");
    assert_non_null (at);
    return atoi (at + strlen ("\"accepted\":"));
}

static void
test_ingress (void **state)
{
    s_fixture_t *f = *state;
    s_add_front_office (f);
    char *event = s_referral ("ref-1", S_SOURCE);

    //  Structured: 202, then what became of it.
    s_expect_status (f, 202, s_http (f, "POST", "/events", S_AUTH_A S_STRUCTURED, event));
    s_expect_status (f, 200, s_http (f, "GET", "/events/" S_SOURCE "/ref-1", S_AUTH_A, NULL));
    assert_non_null (strstr (f->out, "\"state\":\"accepted\""));
    assert_non_null (strstr (f->out, "\"type\":\"" S_REFERRAL "\""));
    assert_int_equal (s_ctl (f, "--json", "gateway", "event", S_SOURCE, "ref-1", NULL), 0);
    s_expect_out (f, "\"source\":\"" S_SOURCE "\",\"id\":\"ref-1\"");
    s_expect_out (f, "\"state\":\"accepted\"");
    s_expect_out (f, "\"reason\":null");
    s_expect_out (f, "\"case_id\":null");
    //  A repeat: 202 again, applied once.
    s_expect_status (f, 202, s_http (f, "POST", "/events", S_AUTH_A S_STRUCTURED, event));
    assert_int_equal (s_accepted (f), 1);

    //  Batch: all or nothing; a repeat inside it and of an earlier one.
    char *second = s_referral ("ref-2", S_SOURCE), *third = s_referral ("ref-3", S_SOURCE);
    char *bad = s_referral ("ref-4", S_SOURCE);
    char *at = strstr (bad, "111222333");
    memcpy (at, "111222334", 9);  //  fails the eleven-test
    char batch [16384];
    snprintf (batch, sizeof batch, "[%s,%s,%s]", second, third, bad);
    s_expect_status (f, 400, s_http (f, "POST", "/events", S_AUTH_A S_BATCH, batch));
    assert_non_null (strstr (f->out, "application/problem+json"));
    assert_non_null (strstr (f->out, "\"attribute\":\"data.resident.bsn\""));
    assert_non_null (strstr (f->out, "\"index\":2"));
    assert_null (strstr (f->out, "111222334"));
    assert_int_equal (s_accepted (f), 1);
    snprintf (batch, sizeof batch, "[%s,%s,%s,%s]", second, third, second, event);
    s_expect_status (f, 202, s_http (f, "POST", "/events", S_AUTH_A S_BATCH, batch));
    assert_int_equal (s_accepted (f), 3);

    //  Binary mode.
    const char *binary_data =
        "{\"resident\":{\"bsn\":\"111222333\"},\"decision_id\":\"WMO-2022-1\","
        "\"law\":\"wmo\"}";
    s_expect_status (f, 202,
                     s_http (f, "POST", "/events",
                             S_AUTH_A "Content-Type: application/json\r\nce-specversion: 1.0\r\n"
                                      "ce-id: dec-1\r\nce-source: " S_SOURCE "\r\n"
                                      "ce-type: nl.sociaal-domein.beschikking-aangevraagd\r\n"
                                      "ce-time: 2022-03-01T08:00:00Z\r\n",
                             binary_data));
    s_expect_status (f, 415,
                     s_http (f, "POST", "/events",
                             S_AUTH_A "Content-Type: text/plain\r\nce-specversion: 1.0\r\n"
                                      "ce-id: dec-2\r\nce-source: " S_SOURCE "\r\n"
                                      "ce-type: nl.sociaal-domein.beschikking-aangevraagd\r\n"
                                      "ce-time: 2022-03-01T08:00:00Z\r\n",
                             binary_data));
    assert_int_equal (s_accepted (f), 4);

    //  The profile, attribute by attribute.
    struct {
        const char *from, *to, *attribute;
    } profile [] = {
        { "\"specversion\":\"1.0\"", "\"specversion\":\"0.3\"", "specversion" },
        { "\"source\":\"" S_SOURCE "\"", "\"source\":\"https://example.org\"", "source" },
        { "\"time\":\"2022-03-01T08:55:00+01:00\"", "\"time\":\"1 March 2022\"", "time" },
        { "\"time\":\"2022-03-01T08:55:00+01:00\",", "", "time" },
        { "\"type\":\"" S_REFERRAL "\"", "\"type\":\"nl.example.unknown\"", "type" },
        { "\"datacontenttype\":\"application/json\"", "\"subject\":\"Fatima\"", "subject" },
        { "\"birth_date\":\"1984-05-12\"", "\"birth_date\":\"2099-01-01\"",
          "data.resident.birth_date" },
        { "\"domains\":[\"debt\",\"housing\"]", "\"domains\":[\"debt\",\"gardening\"]",
          "data.domains[1]" },
        { ",\"reason\":\"eviction notice\"", "", "data.reason" },
    };
    for (size_t i = 0; i < sizeof profile / sizeof profile [0]; i++) {
        char *text = s_referral ("ref-p", S_SOURCE);
        char changed [4096];
        char *where = strstr (text, profile [i].from);
        assert_non_null (where);
        snprintf (changed, sizeof changed, "%.*s%s%s", (int) (where - text), text, profile [i].to,
                  where + strlen (profile [i].from));
        s_expect_status (f, 400, s_http (f, "POST", "/events", S_AUTH_A S_STRUCTURED, changed));
        char attribute [128];
        snprintf (attribute, sizeof attribute, "\"attribute\":\"%s\"", profile [i].attribute);
        if (!strstr (f->out, attribute))
            fail_msg ("case %zu: expected %s in %s", i, attribute, f->out);
        assert_null (strstr (f->out, "Fatima"));
        free (text);
    }
    //  A data type it may not send, a source not its own: 403.
    char *foreign = s_referral ("ref-x", "urn:nld:someone-else");
    s_expect_status (f, 403, s_http (f, "POST", "/events", S_AUTH_A S_STRUCTURED, foreign));
    assert_non_null (strstr (f->out, "\"attribute\":\"source\""));
    free (foreign);
    char *call = s_referral ("call-1", S_SOURCE);
    char *type = strstr (call, S_REFERRAL);
    char changed [4096];
    snprintf (changed, sizeof changed, "%.*snl.telefonie.gesprek-aangeboden%s", (int) (type - call),
              call, type + strlen (S_REFERRAL));
    s_expect_status (f, 403, s_http (f, "POST", "/events", S_AUTH_A S_STRUCTURED, changed));
    assert_non_null (strstr (f->out, "\"attribute\":\"type\""));
    free (call);
    //  No token, a forged one, another method, another content type.
    s_expect_status (f, 401, s_http (f, "POST", "/events", S_STRUCTURED, event));
    assert_non_null (strstr (f->out, "WWW-Authenticate: Bearer"));
    s_expect_status (
        f, 401,
        s_http (f, "POST", "/events",
                "Authorization: Bearer forged-token-forged-token-forged-token\r\n" S_STRUCTURED,
                event));
    s_expect_status (f, 401, s_http (f, "GET", "/events/" S_SOURCE "/ref-1", "", NULL));
    s_expect_status (f, 405, s_http (f, "PUT", "/events", S_AUTH_A S_STRUCTURED, event));
    s_expect_status (f, 415,
                     s_http (f, "POST", "/events", S_AUTH_A "Content-Type: text/plain\r\n", event));
    s_expect_status (f, 403, s_http (f, "GET", "/events/urn:nld:other/ref-1", S_AUTH_A, NULL));
    s_expect_status (f, 404, s_http (f, "GET", "/events/" S_SOURCE "/nope", S_AUTH_A, NULL));
    assert_int_equal (s_accepted (f), 4);

    //  The counters on /metrics.
    char *metrics = NULL;
    assert_int_equal (cf_test_http_get (f->proc.http_port, "/metrics", &metrics), 200);
    assert_non_null (strstr (metrics, "caseflow_gateway_inbound_total{"));
    const char *repeats = strstr (metrics, "outcome=\"repeat\"} ");
    assert_non_null (repeats);
    assert_int_equal (atoi (repeats + strlen ("outcome=\"repeat\"} ")), 3);
    assert_non_null (strstr (metrics, "status=\"403\"} 3"));
    free (metrics);

    //  202 only once durable: SIGKILL right after a run of 202s loses none.
    for (int i = 0; i < 20; i++) {
        char id [32];
        snprintf (id, sizeof id, "durable-%d", i);
        char *text = s_referral (id, S_SOURCE);
        s_expect_status (f, 202, s_http (f, "POST", "/events", S_AUTH_A S_STRUCTURED, text));
        free (text);
    }
    assert_int_equal (cf_testproc_stop (&f->proc, SIGKILL, 20000), 128 + SIGKILL);
    s_start (f, false);
    assert_int_equal (s_accepted (f), 24);
    s_expect_status (f, 200, s_http (f, "GET", "/events/" S_SOURCE "/durable-19", S_AUTH_A, NULL));
    //  The dedup index survived: repeats are applied once.
    s_expect_status (f, 202, s_http (f, "POST", "/events", S_AUTH_A S_BATCH, batch));
    s_expect_status (f, 202, s_http (f, "POST", "/events", S_AUTH_A S_STRUCTURED, event));
    assert_int_equal (s_accepted (f), 24);

    //  Rotation: the old token works until the grace end (manual clock).
    assert_int_equal (s_ctl (f, "gateway", "publisher", "rotate", "front-office", "--token-file",
                             f->token_b, "--grace", "1h", NULL),
                      0);
    char *late = s_referral ("late-1", S_SOURCE);
    s_expect_status (f, 202, s_http (f, "POST", "/events", S_AUTH_A S_STRUCTURED, late));
    cf_api_client_t *client = cf_testclient_new (f->proc.api);
    cf_testreq_t req;
    cf_testreq_clock_advance (&req, NULL, 2 * 3600 * INT64_C (1000000));
    caseflow__v1__reply__free_unpacked (cf_testclient_call (client, &req), NULL);
    cf_api_client_destroy (&client);
    s_expect_status (f, 401, s_http (f, "POST", "/events", S_AUTH_A S_STRUCTURED, late));
    s_expect_status (f, 202, s_http (f, "POST", "/events", S_AUTH_B S_STRUCTURED, late));
    assert_int_equal (s_accepted (f), 25);
    free (late);

    //  Personal data is sealed: not in the journal in plain.
    assert_int_equal (cf_testproc_stop (&f->proc, SIGTERM, 20000), 0);
    s_expect_nowhere (f, "Fatima el Amrani");
    s_expect_nowhere (f, "eviction notice");
    s_start (f, false);
    free (event);
    free (second);
    free (third);
    free (bad);
}

//  Sends `data`, then holds the connection without finishing the request.
static int
s_hold (s_fixture_t *f, const char *data)
{
    int fd = s_connect (f);
    assert_true (fd >= 0);
    assert_true (write (fd, data, strlen (data)) == (ssize_t) strlen (data));
    return fd;
}

static void
test_hostile (void **state)
{
    s_fixture_t *f = *state;
    s_add_front_office (f);
    //  Slow clients hold connections: others are still served.
    int slow [8];
    for (int i = 0; i < 8; i++)
        slow [i] = s_hold (f, "POST /events HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n"
                              "Authorization: Bearer " S_TOKEN_A "\r\n");
    char *event = s_referral ("hostile-ok", S_SOURCE);
    s_expect_status (f, 202, s_http (f, "POST", "/events", S_AUTH_A S_STRUCTURED, event));

    //  Over the limit: by Content-Length, and chunked (no length given).
    char *big = malloc (2 * 1024 * 1024 + 1);
    assert_non_null (big);
    memset (big, 'a', 2 * 1024 * 1024);
    big [2 * 1024 * 1024] = 0;
    s_expect_status (f, 413, s_http (f, "POST", "/events", S_AUTH_A S_STRUCTURED, big));
    size_t chunked_size = 2 * 1024 * 1024 + 4096;
    char *chunked = malloc (chunked_size);
    assert_non_null (chunked);
    int used =
        snprintf (chunked, chunked_size,
                  "POST /events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" S_AUTH_A S_STRUCTURED
                  "Transfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 32; i++)
        used += snprintf (chunked + used, chunked_size - (size_t) used, "10000\r\n%.*s\r\n", 65536,
                          big);
    used += snprintf (chunked + used, chunked_size - (size_t) used, "0\r\n\r\n");
    s_expect_status (f, 413, s_raw (f, chunked, (size_t) used));
    free (chunked);
    free (big);

    //  Truncated, deeply nested, invalid UTF-8, not an object.
    s_expect_status (f, 400, s_http (f, "POST", "/events", S_AUTH_A S_STRUCTURED, "{\"id\":\"x"));
    size_t depth = 100000;
    char *nested = malloc (2 * depth + 1);
    assert_non_null (nested);
    memset (nested, '[', depth);
    memset (nested + depth, ']', depth);
    nested [2 * depth] = 0;
    s_expect_status (f, 400, s_http (f, "POST", "/events", S_AUTH_A S_BATCH, nested));
    memset (nested, '{', 1);
    s_expect_status (f, 400, s_http (f, "POST", "/events", S_AUTH_A S_STRUCTURED, nested));
    free (nested);
    char *invalid = s_referral ("utf8", S_SOURCE);
    char *name = strstr (invalid, "Fatima");
    name [1] = (char) 0xc3;
    name [2] = (char) 0x28;
    s_expect_status (f, 400, s_http (f, "POST", "/events", S_AUTH_A S_STRUCTURED, invalid));
    free (invalid);
    s_expect_status (f, 400, s_http (f, "POST", "/events", S_AUTH_A S_STRUCTURED, "[1,2]"));
    s_expect_status (f, 400, s_http (f, "POST", "/events", S_AUTH_A S_BATCH, "[]"));
    //  Forged tokens of every shape.
    s_expect_status (f, 401, s_http (f, "POST", "/events", "Authorization: Bearer\r\n", event));
    s_expect_status (f, 401, s_http (f, "POST", "/events", "Authorization: Basic eDp5\r\n", event));
    char forged [2048] = "Authorization: Bearer ";
    memset (forged + strlen (forged), 'x', 1500);
    strcat (forged, "\r\n");
    s_expect_status (f, 401, s_http (f, "POST", "/events", forged, event));
    //  Binary mode with a header that does not decode.
    s_expect_status (f, 400,
                     s_http (f, "POST", "/events",
                             S_AUTH_A "Content-Type: application/json\r\nce-specversion: 1.0\r\n"
                                      "ce-id: %zz\r\nce-source: " S_SOURCE "\r\n"
                                      "ce-type: " S_REFERRAL
                                      "\r\nce-time: 2022-03-01T08:00:00Z\r\n",
                             "{}"));

    for (int i = 0; i < 8; i++)
        close (slow [i]);
    //  Still serving.
    assert_int_equal (cf_test_http_get (f->proc.http_port, "/healthz", NULL), 200);
    char *after = s_referral ("hostile-after", S_SOURCE);
    s_expect_status (f, 202, s_http (f, "POST", "/events", S_AUTH_A S_STRUCTURED, after));
    free (after);
    free (event);
    assert_int_equal (s_accepted (f), 2);
}

//  A store that fills up: the batch that does not fit is answered 503
//  (nothing accepted), later ones too, and the service keeps answering.
static void
test_store_full (void **state)
{
    s_fixture_t *f = *state;
    assert_int_equal (cf_testproc_stop (&f->proc, SIGTERM, 20000), 0);
    const char *extra [16] = { "--clock=manual",      "--clock-start=2022-03-01T09:00",
                               f->intake_flags [0],   f->intake_flags [1],
                               f->handover_flags [0], f->handover_flags [1],
                               "--map-size=1M" };
    cf_teststreams_add_flags (&f->streams, extra, 7);
    assert_true (cf_testclient_start (&f->proc, extra, false, 30000));
    s_add_front_office (f);
    size_t cap = 600 * 1024;
    char *batch = malloc (cap);
    assert_non_null (batch);
    int status = 202, requests = 0;
    for (; status == 202 && requests < 40; requests++) {
        size_t used = (size_t) snprintf (batch, cap, "[");
        for (int i = 0; i < 400; i++) {
            char id [32];
            snprintf (id, sizeof id, "full-%d-%d", requests, i);
            char *event = s_referral (id, S_SOURCE);
            used += (size_t) snprintf (batch + used, cap - used, "%s%s", i ? "," : "", event);
            free (event);
        }
        snprintf (batch + used, cap - used, "]");
        status = s_http (f, "POST", "/events", S_AUTH_A S_BATCH, batch);
    }
    s_expect_status (f, 503, status);
    assert_non_null (strstr (f->out, "application/problem+json"));
    //  Refused from then on, and still serving.
    char *event = s_referral ("after-full", S_SOURCE);
    s_expect_status (f, 503, s_http (f, "POST", "/events", S_AUTH_A S_STRUCTURED, event));
    assert_int_equal (cf_test_http_get (f->proc.http_port, "/healthz", NULL), 200);
    s_expect_status (f, 404, s_http (f, "GET", "/events/" S_SOURCE "/after-full", S_AUTH_A, NULL));
    //  What was answered 202 is there; the refused batch is not.
    char path [128];
    snprintf (path, sizeof path, "/events/" S_SOURCE "/full-%d-399", requests - 2);
    s_expect_status (f, 200, s_http (f, "GET", path, S_AUTH_A, NULL));
    snprintf (path, sizeof path, "/events/" S_SOURCE "/full-%d-0", requests - 1);
    s_expect_status (f, 404, s_http (f, "GET", path, S_AUTH_A, NULL));
    free (event);
    free (batch);
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_publishers, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_ingress, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_hostile, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_store_full, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
