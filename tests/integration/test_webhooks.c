//  test_webhooks: the gateway delivers the events of a stream it follows
//  to a webhook sink on loopback, and loses none.
//
//  A real caseflow-gateway follows four stand-in streams (cf_teststreams);
//  "intake" makes CounterIncremented events on command. The sink
//  (cf_testsink) first answers the NL GOV handshake, then misbehaves:
//  500s, a 429 with Retry-After in seconds and as an HTTP-date, an answer
//  slower than the gateway's time limit, a while down (longer than several
//  back-off rounds), and the gateway is SIGKILLed in the middle of
//  deliveries and started again. Throughout: every event arrives, each
//  first arrival in seq order, every id answered 2xx at least once, with
//  the bearer token and the CloudEvents content type; `webhooks status`'s
//  figures and the parked list are checked, and nothing is parked.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "caseflow/v1/api.pb-c.h"
#include "cf_api.h"
#include "cf_error.h"
#include "cf_keystore.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testproc.h"
#include "cf_testsearch.h"
#include "cf_testsink.h"
#include "cf_teststreams.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_TOKEN "Xq7vR2mK9pL4wZ8nB3cT6yH1dF5sJ0gA"
#define S_TYPE  "nl.sociaal-domein.intake.counter-incremented"

typedef struct {
    char *dir;
    cf_teststreams_t streams;
    cf_testproc_t gateway;
    cf_testsink_t *sink;
    cf_api_client_t *intake;
    int made;   //  events made on "intake"
    int first;  //  the first one the subscription covers
} s_world_t;

static void
s_start_gateway (s_world_t *world, bool first)
{
    const char *extra [24] = { "--webhook-retry-base-ms=40", "--webhook-retry-cap-ms=200",
                               "--webhook-timeout-ms=400", "--webhook-attempts=100000",
                               "--webhook-max-age-ms=600000" };
    cf_teststreams_add_flags (&world->streams, extra, 5);
    if (!cf_testclient_start (&world->gateway, extra, first, 30000)) {
        cf_test_dump_log (world->gateway.log_path);
        fail_msg ("caseflow-gateway did not turn ready");
    }
}

static Caseflow__V1__Reply *
s_command (s_world_t *world, Caseflow__V1__Gateway__Command *own)
{
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_GATEWAY;
    command.gateway = own;
    cf_api_client_t *client = cf_testclient_new (world->gateway.api);
    Caseflow__V1__Reply *reply = cf_testclient_command (client, NULL, &command);
    cf_api_client_destroy (&client);
    return reply;
}

static Caseflow__V1__Reply *
s_query (s_world_t *world, Caseflow__V1__Gateway__Query *own)
{
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_GATEWAY;
    query.gateway = own;
    cf_api_client_t *client = cf_testclient_new (world->gateway.api);
    Caseflow__V1__Reply *reply = cf_testclient_query (client, &query);
    cf_api_client_destroy (&client);
    return reply;
}

//  The subscription's status (free with ..._free_unpacked).
static Caseflow__V1__Gateway__WebhookStatus *
s_status (s_world_t *world, const char *id)
{
    Caseflow__V1__Gateway__WebhookStatusQuery status =
        CASEFLOW__V1__GATEWAY__WEBHOOK_STATUS_QUERY__INIT;
    status.subscription_id = (char *) id;
    Caseflow__V1__Gateway__Query query = CASEFLOW__V1__GATEWAY__QUERY__INIT;
    query.body_case = CASEFLOW__V1__GATEWAY__QUERY__BODY_WEBHOOK_STATUS;
    query.webhook_status = &status;
    Caseflow__V1__Reply *reply = s_query (world, &query);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    Caseflow__V1__Gateway__WebhookStatus *copy = reply->query->gateway->webhook_status;
    reply->query->gateway->webhook_status = NULL;
    reply->query->gateway->body_case = CASEFLOW__V1__GATEWAY__QUERY_RESULT__BODY__NOT_SET;
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return copy;
}

//  caseflowctl --gateway <api> [--json] <args...>; its exit status, its
//  stdout in `out`.
static int
s_ctl (s_world_t *world, char *out, size_t size, bool json, ...)
{
    char endpoint [128];
    snprintf (endpoint, sizeof endpoint, "--gateway=%s", world->gateway.api);
    const char *argv [24] = { cf_test_binary ("caseflowctl"), endpoint, "--timeout", "3000" };
    size_t argc = 4;
    if (json)
        argv [argc++] = "--json";
    va_list args;
    va_start (args, json);
    const char *word;
    while ((word = va_arg (args, const char *)) && argc < 23)
        argv [argc++] = word;
    va_end (args);
    argv [argc] = NULL;
    return cf_test_run (argv, NULL, NULL, out, size);
}

static void
s_make (s_world_t *world, int count)
{
    for (int i = 0; i < count; i++) {
        char request [32];
        snprintf (request, sizeof request, "inc-%d", world->made + 1);
        cf_testclient_increment (world->intake, request, "c", 1);
        world->made++;
    }
}

//  What the sink has seen so far: per seq (1..made), whether a 2xx
//  answered it; checks every POST's attributes, headers and order.
static int
s_check (s_world_t *world, bool *acked, bool strict_order)
{
    size_t count = cf_testsink_count (world->sink);
    uint64_t highest_first = (uint64_t) world->first - 1;
    int delivered = 0;
    for (size_t i = 0; i < count; i++) {
        cf_testsink_request_t *request = cf_testsink_request (world->sink, i);
        if (strcmp (request->method, "POST") != 0) {
            cf_testsink_request_free (&request);
            continue;
        }
        assert_string_equal (request->authorization, "Bearer " S_TOKEN);
        assert_string_equal (request->content_type, "application/cloudevents+json");
        assert_string_equal (request->origin, "caseflow-gateway");
        json_t *root = json_loads (request->body, 0, NULL);
        assert_non_null (root);
        assert_string_equal (json_string_value (json_object_get (root, "type")), S_TYPE);
        assert_string_equal (json_string_value (json_object_get (root, "specversion")), "1.0");
        assert_string_equal (json_string_value (json_object_get (root, "source")),
                             "urn:nld:caseflow:intake");
        const char *sequence = json_string_value (json_object_get (root, "sequence"));
        assert_int_equal (strlen (sequence), 20);
        uint64_t seq = strtoull (sequence, NULL, 10);
        //  Nothing from before the subscription (it starts at the head).
        assert_true (seq >= (uint64_t) world->first && seq <= (uint64_t) world->made);
        //  In order: an event is first sent only after every one before it.
        if (!acked [seq] && seq > highest_first) {
            if (strict_order)
                assert_int_equal (seq, highest_first + 1);
            highest_first = seq;
        }
        if (request->status >= 200 && request->status < 300 && !acked [seq]) {
            acked [seq] = true;
            delivered++;
        }
        json_decref (root);
        cf_testsink_request_free (&request);
    }
    return delivered;
}

//  Waits until every event made was answered 2xx.
static void
s_wait_all (s_world_t *world, int timeout_ms)
{
    int64_t until = cf_test_now_ms () + timeout_ms;
    while (true) {
        bool acked [1024] = { false };
        s_check (world, acked, false);
        int missing = 0;
        for (int seq = world->first; seq <= world->made; seq++)
            missing += !acked [seq];
        if (missing == 0)
            return;
        if (cf_test_now_ms () > until) {
            cf_test_dump_log (world->gateway.log_path);
            fail_msg ("%d of %d events not delivered", missing, world->made);
        }
        cf_test_sleep_ms (50);
    }
}

static void
test_never_lost (void **state)
{
    (void) state;
    s_world_t *world = calloc (1, sizeof *world);
    world->dir = cf_test_tmpdir ("webhooks");
    cf_teststreams_start (&world->streams, world->dir, NULL);
    world->intake = cf_testclient_new (world->streams.procs [0].api);
    char data_dir [512];
    snprintf (data_dir, sizeof data_dir, "%s/gateway", world->dir);
    cf_testproc_init (&world->gateway, cf_test_binary ("caseflow-gateway"), data_dir);
    world->gateway.die_with_parent = true;
    s_start_gateway (world, true);
    world->sink = cf_testsink_new ();
    //  Two events before the subscription: it starts at the head.
    s_make (world, 2);
    cf_test_sleep_ms (1000);

    //  A sink that refuses the handshake is removed, with the reason.
    cf_testsink_refuse_handshake (world->sink, true);
    char *types [] = { S_TYPE };
    Caseflow__V1__Gateway__WebhookAdd add = CASEFLOW__V1__GATEWAY__WEBHOOK_ADD__INIT;
    add.sink = (char *) cf_testsink_url (world->sink);
    add.types = types;
    add.n_types = 1;
    add.token = S_TOKEN;
    Caseflow__V1__Gateway__Command command = CASEFLOW__V1__GATEWAY__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__GATEWAY__COMMAND__BODY_WEBHOOK_ADD;
    command.webhook_add = &add;
    Caseflow__V1__Reply *reply = s_command (world, &command);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    char refused [64], refused_key [64];
    snprintf (refused, sizeof refused, "%s",
              reply->command->gateway->subscription_added->subscription_id);
    snprintf (refused_key, sizeof refused_key, "%s",
              reply->command->gateway->subscription_added->token_key_id);
    assert_int_equal (strlen (refused_key), 27);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    Caseflow__V1__Gateway__WebhookStatus *status = NULL;
    for (int i = 0; i < 100; i++) {
        status = s_status (world, refused);
        if (status->state
            != CASEFLOW__V1__GATEWAY__SUBSCRIPTION_STATE__SUBSCRIPTION_STATE_VERIFYING)
            break;
        caseflow__v1__gateway__webhook_status__free_unpacked (status, NULL);
        status = NULL;
        cf_test_sleep_ms (50);
    }
    assert_non_null (status);
    assert_int_equal (status->state,
                      CASEFLOW__V1__GATEWAY__SUBSCRIPTION_STATE__SUBSCRIPTION_STATE_REMOVED);
    assert_non_null (strstr (status->last_error, "handshake failed"));
    caseflow__v1__gateway__webhook_status__free_unpacked (status, NULL);

    //  Bad input names the field.
    add.types [0] = "nl.sociaal-domein.intake.Counter";
    reply = s_command (world, &command);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 "command.gateway.webhook_add.types");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    add.types [0] = S_TYPE;

    //  The one that passes, with a sink that fails in every way.
    cf_testsink_refuse_handshake (world->sink, false);
    cf_testsink_script (world->sink, "500,500,429:1,503,429:date:1,slow:1500,500");
    reply = s_command (world, &command);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    char id [64], id_key [64];
    snprintf (id, sizeof id, "%s", reply->command->gateway->subscription_added->subscription_id);
    snprintf (id_key, sizeof id_key, "%s",
              reply->command->gateway->subscription_added->token_key_id);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    world->first = world->made + 1;
    s_make (world, 8);
    s_wait_all (world, 30000);
    bool acked [1024] = { false };
    s_check (world, acked, true);

    //  Down for a while: longer than several back-off rounds.
    cf_testsink_down (world->sink);
    s_make (world, 6);
    cf_test_sleep_ms (1500);
    cf_testsink_up (world->sink);
    s_wait_all (world, 30000);

    //  SIGKILL while deliveries are slow, then start again: the rest
    //  arrives (some perhaps twice), in order.
    cf_testsink_script (world->sink, "slow:300,slow:300,slow:300,slow:300");
    s_make (world, 10);
    while (cf_testsink_count (world->sink) < 3)
        cf_test_sleep_ms (20);
    cf_test_sleep_ms (400);
    assert_int_equal (cf_testproc_stop (&world->gateway, SIGKILL, 5000), 128 + SIGKILL);
    s_make (world, 4);
    s_start_gateway (world, false);
    s_wait_all (world, 30000);

    status = s_status (world, id);
    assert_int_equal (status->state,
                      CASEFLOW__V1__GATEWAY__SUBSCRIPTION_STATE__SUBSCRIPTION_STATE_ACTIVE);
    assert_int_equal (status->parked, 0);
    assert_int_equal (status->pending, 0);
    assert_int_equal (status->n_cursors, 1);
    assert_string_equal (status->cursors [0]->stream, "intake");
    assert_int_equal (status->cursors [0]->seq, (uint64_t) world->made);
    caseflow__v1__gateway__webhook_status__free_unpacked (status, NULL);

    //  Per-subscription figures on /metrics.
    char *metrics = NULL;
    assert_int_equal (cf_test_http_get (world->gateway.http_port, "/metrics", &metrics), 200);
    char line [160];
    snprintf (line, sizeof line,
              "caseflow_webhook_delivered_total{service=\"gateway\",subscription=\"%s\"} ", id);
    assert_non_null (strstr (metrics, line));
    snprintf (line, sizeof line,
              "caseflow_webhook_parked{service=\"gateway\",subscription=\"%s\"} 0", id);
    assert_non_null (strstr (metrics, line));
    free (metrics);

    //  Pause: nothing goes out; resume: it does.
    Caseflow__V1__Gateway__WebhookPause pause = CASEFLOW__V1__GATEWAY__WEBHOOK_PAUSE__INIT;
    pause.subscription_id = id;
    Caseflow__V1__Gateway__Command pause_command = CASEFLOW__V1__GATEWAY__COMMAND__INIT;
    pause_command.body_case = CASEFLOW__V1__GATEWAY__COMMAND__BODY_WEBHOOK_PAUSE;
    pause_command.webhook_pause = &pause;
    reply = s_command (world, &pause_command);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    size_t seen = cf_testsink_count (world->sink);
    s_make (world, 2);
    cf_test_sleep_ms (500);
    assert_int_equal (cf_testsink_count (world->sink), seen);
    Caseflow__V1__Gateway__WebhookResume resume = CASEFLOW__V1__GATEWAY__WEBHOOK_RESUME__INIT;
    resume.subscription_id = id;
    Caseflow__V1__Gateway__Command resume_command = CASEFLOW__V1__GATEWAY__COMMAND__INIT;
    resume_command.body_case = CASEFLOW__V1__GATEWAY__COMMAND__BODY_WEBHOOK_RESUME;
    resume_command.webhook_resume = &resume;
    reply = s_command (world, &resume_command);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    s_wait_all (world, 30000);
    //  A second pause of a paused one is refused by the table.
    reply = s_command (world, &resume_command);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION,
                                 "command.gateway.webhook_resume.subscription_id");
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  caseflowctl: status with CLI.md's keys, list, parked, a refused
    //  resend, and an add from a given seq with the token from a file.
    char out [65536];
    assert_int_equal (s_ctl (world, out, sizeof out, true, "webhooks", "status", id, NULL), 0);
    json_t *root = json_loads (out, 0, NULL);
    assert_non_null (root);
    assert_string_equal (json_string_value (json_object_get (root, "subscription_id")), id);
    assert_string_equal (json_string_value (json_object_get (root, "sink")),
                         cf_testsink_url (world->sink));
    assert_string_equal (json_string_value (json_array_get (json_object_get (root, "types"), 0)),
                         S_TYPE);
    assert_true (json_is_false (json_object_get (root, "paused")));
    assert_string_equal (json_string_value (json_object_get (root, "state")), "active");
    assert_int_equal (json_integer_value (json_object_get (root, "parked")), 0);
    assert_int_equal (json_integer_value (json_object_get (root, "pending")), 0);
    assert_int_equal (json_integer_value (json_object_get (root, "retrying")), 0);
    assert_true (json_integer_value (json_object_get (root, "delivered")) >= 20);
    assert_true (json_is_null (json_object_get (root, "last_error")));
    assert_int_equal (
        json_integer_value (json_object_get (json_object_get (root, "cursor"), "intake")),
        world->made);
    json_decref (root);
    assert_int_equal (s_ctl (world, out, sizeof out, false, "webhooks", "list", NULL), 0);
    assert_non_null (strstr (out, id));
    assert_non_null (strstr (out, "removed"));
    assert_int_equal (s_ctl (world, out, sizeof out, true, "webhooks", "parked", NULL), 0);
    assert_string_equal (out, "[]\n");
    assert_int_equal (s_ctl (world, out, sizeof out, false, "webhooks", "resend", id, "--stream",
                             "intake", "--seq", "3", NULL),
                      1);
    //  Nothing parked: no oldest to resend.
    assert_int_equal (s_ctl (world, out, sizeof out, false, "webhooks", "resend", id, NULL), 1);
    assert_int_equal (
        s_ctl (world, out, sizeof out, false, "webhooks", "resend", id, "--seq", "3", NULL), 2);
    char token_file [600];
    snprintf (token_file, sizeof token_file, "%s/token", world->dir);
    FILE *file = fopen (token_file, "w");
    fprintf (file, "%s\n", S_TOKEN);
    fclose (file);
    assert_int_equal (s_ctl (world, out, sizeof out, true, "webhooks", "add", "--sink",
                             cf_testsink_url (world->sink), "--type", S_TYPE, "--token-file",
                             token_file, "--from", "intake:3", NULL),
                      0);
    root = json_loads (out, 0, NULL);
    assert_non_null (root);
    const char *second = json_string_value (json_object_get (root, "subscription_id"));
    assert_non_null (second);
    assert_int_equal (strlen (second), 27);
    json_decref (root);
    assert_int_equal (s_ctl (world, out, sizeof out, false, "webhooks", "add", "--sink", "ftp://x",
                             "--type", S_TYPE, NULL),
                      1);
    assert_int_equal (s_ctl (world, out, sizeof out, false, "webhooks", "add", "--sink",
                             cf_testsink_url (world->sink), "--type", S_TYPE, "--from", "intake",
                             NULL),
                      2);

    //  The token is in no file of the gateway's store, key store or log
    //  (the operator's token file aside).
    unlink (token_file);
    cf_testsearch_t *search = cf_testsearch_new ();
    cf_testsearch_add (search, S_TOKEN);
    cf_testsearch_tally_t tally = { 0 };
    cf_testsearch_tree (search, world->dir, &tally);
    assert_true (tally.files > 3);
    assert_int_equal (tally.hits, 0);
    cf_testsearch_destroy (&search);

    assert_int_equal (cf_testproc_stop (&world->gateway, SIGTERM, 20000), 0);
    cf_testproc_destroy (&world->gateway);
    //  The removed subscription's token key is destroyed; the active one's
    //  is there.
    char keys_dir [600];
    snprintf (keys_dir, sizeof keys_dir, "%s-keys", data_dir);
    cf_keystore_t *keystore = NULL;
    assert_int_equal (cf_keystore_open (keys_dir, "gateway", 0, &keystore), 0);
    uint8_t key [CF_SEAL_KEY_BYTES];
    assert_int_equal (cf_keystore_get_key (keystore, refused_key, key, NULL), CF_ENOTFOUND);
    assert_int_equal (cf_keystore_get_key (keystore, id_key, key, NULL), 0);
    cf_keystore_destroy (&keystore);
    cf_api_client_destroy (&world->intake);
    cf_teststreams_stop (&world->streams);
    cf_testsink_destroy (&world->sink);
    cf_test_rmtree (world->dir);
    free (world->dir);
    free (world);
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_never_lost),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
