//  test_security: CURVE keys and roles on the real services.
//
//  A key set is made with the real `caseflowctl keys generate`; handover,
//  assignment, intake and notification start with --keys-dir on loopback
//  (intake follows handover, assignment and notification, assignment and
//  handover follow intake, notification all three, so readiness already
//  needs subscriptions between services to pass the handshake).
//  Then, over ZeroMQ:
//    - the operator key commands, queries and replays;
//    - the consumer key subscribes and replays, and is refused commands
//      and queries with PERMISSION_DENIED naming the roles that may;
//    - a plaintext client and a key from another set get no answer at all
//      (on the api and the events socket), and the service goes on
//      serving the operator;
//    - through a recording TCP relay, a registration and its event carry
//      neither the resident's name nor the BSN in readable form, while the
//      same exchange with an intake started without keys does (so the
//      capture is shown to work);
//    - assignment follows intake with keys, and an assignment whose key is
//      not in intake's public/ folder never gets intake's events.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "caseflow/v1/api.pb-c.h"
#include "cf_api.h"
#include "cf_error.h"
#include "cf_keys.h"
#include "cf_log.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testproc.h"
#include "cf_testrelay.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define OK     CASEFLOW__V1__STATUS__CODE__OK
#define DENIED CASEFLOW__V1__STATUS__CODE__PERMISSION_DENIED

//  Distinctive enough that finding them in a capture is no accident.
#define S_WIRE_NAME "Quirina Zwaneveld-Oosterhout"
#define S_WIRE_BSN  "123456782"

enum { S_HANDOVER, S_ASSIGNMENT, S_INTAKE, S_NOTIFICATION, S_COUNT };
static const char *s_names [S_COUNT] = { "handover", "assignment", "intake", "notification" };

static struct {
    char *dir;
    char keys [300];      //  the deployment's key set
    char stranger [300];  //  another set; only intake's public cert is the real one
    cf_testproc_t procs [S_COUNT];
    char flags [S_COUNT][8][200];
    const char *argv [S_COUNT][10];
    cf_keys_t *operator_keys, *consumer_keys, *stranger_keys;
} s_env;

//  ---------------------------------------------------------------- helpers

//  Runs caseflowctl with `args` (a shell word list) and returns its exit
//  status; its output goes to the test's output.
static int
s_ctl (const char *args)
{
    char line [1200];
    snprintf (line, sizeof line, "%s %s >&2", cf_test_binary ("caseflowctl"), args);
    int status = system (line);
    return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static int
s_port (const char *endpoint)
{
    return atoi (strrchr (endpoint, ':') + 1);
}

static bool
s_wait_healthy (cf_testproc_t *proc)
{
    int64_t until = cf_test_now_ms () + 30000;
    while (cf_test_now_ms () < until) {
        if (cf_test_http_get (proc->http_port, "/healthz", NULL) == 200)
            return true;
        cf_test_sleep_ms (50);
    }
    return false;
}

static cf_api_client_t *
s_client (cf_keys_t *keys, const char *server, const char *endpoint)
{
    cf_api_client_t *client = cf_api_client_new_secure (endpoint, 3000, 2, keys, server);
    assert_non_null (client);
    return client;
}

static Caseflow__V1__Reply *
s_call (cf_api_client_t *client, Caseflow__V1__Request *request)
{
    request->request_id = "";
    Caseflow__V1__Reply *reply = cf_api_client_call (client, request, NULL);
    assert_non_null (reply);
    return reply;
}

//  Registers a resident by phone for debts; returns the reply.
static Caseflow__V1__Reply *
s_register (cf_api_client_t *client, const char *name, const char *bsn)
{
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = (char *) name;
    resident.bsn = (char *) bsn;
    Caseflow__V1__Domain domain = CASEFLOW__V1__DOMAIN__DOMAIN_DEBT;
    Caseflow__V1__Intake__Register registration = CASEFLOW__V1__INTAKE__REGISTER__INIT;
    registration.channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE;
    registration.resident = &resident;
    registration.domains = &domain;
    registration.n_domains = 1;
    Caseflow__V1__Intake__Command intake = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    intake.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_REGISTER;
    intake.register_ = &registration;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
    command.intake = &intake;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &command;
    return s_call (client, &request);
}

//  Registers and returns the new case id (free with free), asserting OK.
static char *
s_register_ok (cf_api_client_t *client, const char *name, const char *bsn)
{
    Caseflow__V1__Reply *reply = s_register (client, name, bsn);
    cf_testclient_assert_status (reply, OK, NULL);
    char *case_id = strdup (reply->command->intake->registered->case_id);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return case_id;
}

static Caseflow__V1__Reply *
s_get_case (cf_api_client_t *client, const char *case_id)
{
    Caseflow__V1__Intake__GetCase get = CASEFLOW__V1__INTAKE__GET_CASE__INIT;
    get.case_id = (char *) case_id;
    Caseflow__V1__Intake__Query intake = CASEFLOW__V1__INTAKE__QUERY__INIT;
    intake.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_GET_CASE;
    intake.get_case = &get;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_INTAKE;
    query.intake = &intake;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = &query;
    return s_call (client, &request);
}

static Caseflow__V1__Reply *
s_replay (cf_api_client_t *client, const char *stream)
{
    cf_testreq_t req;
    cf_testreq_replay (&req, stream, 1, 100, 0);
    return s_call (client, &req.request);
}

static Caseflow__V1__Reply *
s_status (cf_api_client_t *client)
{
    cf_testreq_t req;
    cf_testreq_status (&req);
    return s_call (client, &req.request);
}

//  A SUB on intake's events at `endpoint`, a CURVE client with `keys`
//  (NULL: plaintext).
static zsock_t *
s_subscriber (cf_keys_t *keys, const char *endpoint)
{
    zsock_t *sub = zsock_new (ZMQ_SUB);
    assert_non_null (sub);
    zsock_set_linger (sub, 0);
    zsock_set_subscribe (sub, "intake.");
    if (keys) {
        char server_key [CF_KEYS_Z85_SIZE];
        assert_int_equal (cf_keys_peer_key (keys, "intake", server_key), 0);
        cf_keys_set_client (keys, sub, server_key);
    }
    assert_int_equal (zsock_connect (sub, "%s", endpoint), 0);
    return sub;
}

//  Waits up to `ms` for a message whose topic is `topic`, or, when
//  `case_id` is given, for an event of that case. True when one came.
static bool
s_receive (zsock_t *sub, const char *topic, const char *case_id, int ms)
{
    int64_t until = cf_test_now_ms () + ms;
    while (cf_test_now_ms () < until) {
        zsock_set_rcvtimeo (sub, (int) (until - cf_test_now_ms ()) + 1);
        zmsg_t *msg = zmsg_recv (sub);
        if (!msg)
            return false;
        bool found = false;
        char *got = zmsg_popstr (msg);
        zframe_t *body = zmsg_pop (msg);
        if (got && topic && strcmp (got, topic) == 0)
            found = true;
        if (got && case_id && body && !strstr (got, "$heartbeat")) {
            Caseflow__V1__Event *event =
                caseflow__v1__event__unpack (NULL, zframe_size (body), zframe_data (body));
            found = event && strcmp (event->case_id, case_id) == 0;
            caseflow__v1__event__free_unpacked (event, NULL);
        }
        zstr_free (&got);
        zframe_destroy (&body);
        zmsg_destroy (&msg);
        if (found)
            return true;
    }
    return false;
}

//  ------------------------------------------------------------ fixture

static void
s_start (int which, const char *keys_dir)
{
    cf_testproc_t *procs = s_env.procs;
    char (*flags) [200] = s_env.flags [which];
    const char **argv = s_env.argv [which];
    size_t count = 0;
    int written = snprintf (flags [count], 200, "--keys-dir=%s", keys_dir);
    assert_true (written > 0 && written < 200);
    argv [count] = flags [count];
    count++;
    const char *const *upstreams = NULL;
    static const char *const intake_upstreams [] = { "handover", "assignment", "notification",
                                                     NULL };
    static const char *const assignment_upstreams [] = { "intake", NULL };
    static const char *const notification_upstreams [] = { "intake", "assignment", "handover",
                                                           NULL };
    static const char *const handover_upstreams [] = { "intake", NULL };
    if (which == S_INTAKE)
        upstreams = intake_upstreams;
    if (which == S_HANDOVER)
        upstreams = handover_upstreams;
    if (which == S_ASSIGNMENT)
        upstreams = assignment_upstreams;
    if (which == S_NOTIFICATION)
        upstreams = notification_upstreams;
    for (size_t u = 0; upstreams && upstreams [u]; u++) {
        int from = strcmp (upstreams [u], "handover") == 0       ? S_HANDOVER
                   : strcmp (upstreams [u], "assignment") == 0   ? S_ASSIGNMENT
                   : strcmp (upstreams [u], "notification") == 0 ? S_NOTIFICATION
                                                                 : S_INTAKE;
        snprintf (flags [count], 200, "--%s-events=%s", upstreams [u], procs [from].events);
        argv [count] = flags [count];
        count++;
        snprintf (flags [count], 200, "--%s-api=%s", upstreams [u], procs [from].api);
        argv [count] = flags [count];
        count++;
    }
    argv [count] = NULL;
    assert_int_equal (cf_testproc_start (&procs [which], argv), 0);
}

static int
s_setup (void **unused)
{
    (void) unused;
    s_env.dir = cf_test_tmpdir ("security");
    snprintf (s_env.keys, sizeof s_env.keys, "%s/keys", s_env.dir);
    snprintf (s_env.stranger, sizeof s_env.stranger, "%s/stranger", s_env.dir);
    char args [700];
    snprintf (args, sizeof args, "keys generate --dir %s", s_env.keys);
    assert_int_equal (s_ctl (args), 0);
    //  A second run would overwrite: refused, exit 1.
    assert_int_equal (s_ctl (args), 1);
    snprintf (args, sizeof args, "keys generate --dir %s", s_env.stranger);
    assert_int_equal (s_ctl (args), 0);
    //  The stranger set knows the real intake (so its clients reach the
    //  real server), but intake does not know any of its keys.
    char real [400], copy [400];
    snprintf (real, sizeof real, "%s/public/intake.cert", s_env.keys);
    snprintf (copy, sizeof copy, "%s/public/intake.cert", s_env.stranger);
    zcert_t *cert = zcert_load (real);
    assert_non_null (cert);
    unlink (copy);
    assert_int_equal (zcert_save_public (cert, copy), 0);
    zcert_destroy (&cert);

    s_env.operator_keys = cf_keys_load (s_env.keys, "operator", NULL);
    s_env.consumer_keys = cf_keys_load (s_env.keys, "consumer", NULL);
    s_env.stranger_keys = cf_keys_load (s_env.stranger, "operator", NULL);
    assert_true (s_env.operator_keys && s_env.consumer_keys && s_env.stranger_keys);

    for (int i = 0; i < S_COUNT; i++) {
        char data [400], binary [64];
        snprintf (data, sizeof data, "%s/%s", s_env.dir, s_names [i]);
        snprintf (binary, sizeof binary, "caseflow-%s", s_names [i]);
        cf_testproc_init (&s_env.procs [i], cf_test_binary (binary), data);
    }
    for (int i = 0; i < S_COUNT; i++)
        s_start (i, s_env.keys);
    //  Ready means every upstream caught up: over CURVE, between services.
    for (int i = 0; i < S_COUNT; i++)
        if (!cf_testproc_wait_ready (&s_env.procs [i], 60000)) {
            cf_test_dump_log (s_env.procs [i].log_path);
            fail_msg ("%s did not become ready with keys", s_names [i]);
        }
    return 0;
}

static int
s_teardown (void **unused)
{
    (void) unused;
    for (int i = 0; i < S_COUNT; i++) {
        if (s_env.procs [i].pid > 0)
            assert_int_equal (cf_testproc_stop (&s_env.procs [i], SIGTERM, 20000), 0);
        cf_testproc_destroy (&s_env.procs [i]);
    }
    cf_keys_destroy (&s_env.operator_keys);
    cf_keys_destroy (&s_env.consumer_keys);
    cf_keys_destroy (&s_env.stranger_keys);
    cf_test_rmtree (s_env.dir);
    free (s_env.dir);
    return 0;
}

//  ------------------------------------------------------------------ tests

static void
test_operator_commands_queries_and_replays (void **unused)
{
    (void) unused;
    cf_api_client_t *client = s_client (s_env.operator_keys, "intake", s_env.procs [S_INTAKE].api);
    char *case_id = s_register_ok (client, "Anna de Vries", "");
    Caseflow__V1__Reply *reply = s_get_case (client, case_id);
    cf_testclient_assert_status (reply, OK, NULL);
    assert_string_equal (reply->query->intake->case_->case_id, case_id);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    reply = s_replay (client, "intake");
    cf_testclient_assert_status (reply, OK, NULL);
    assert_true (reply->replay->n_events >= 1);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    free (case_id);
    cf_api_client_destroy (&client);
}

static void
test_consumer_reads_but_cannot_command (void **unused)
{
    (void) unused;
    cf_testproc_t *intake = &s_env.procs [S_INTAKE];
    zsock_t *sub = s_subscriber (s_env.consumer_keys, intake->events);
    //  A heartbeat shows the subscription is through the handshake.
    assert_true (s_receive (sub, "intake.$heartbeat", NULL, 5000));

    cf_api_client_t *consumer = s_client (s_env.consumer_keys, "intake", intake->api);
    Caseflow__V1__Reply *reply = s_register (consumer, "Bert Jansen", "");
    cf_testclient_assert_status (reply, DENIED, "command");
    assert_non_null (strstr (reply->status->message, "service, operator or proxy"));
    assert_non_null (strstr (reply->status->message, "consumer"));
    caseflow__v1__reply__free_unpacked (reply, NULL);
    reply = s_status (consumer);
    cf_testclient_assert_status (reply, DENIED, "query");
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  The operator registers; the consumer sees the event live and can
    //  fetch it through replay.
    cf_api_client_t *operator= s_client (s_env.operator_keys, "intake", intake->api);
    char *case_id = s_register_ok (operator, "Carla Smit", "");
    assert_true (s_receive (sub, NULL, case_id, 5000));
    reply = s_replay (consumer, "intake");
    cf_testclient_assert_status (reply, OK, NULL);
    bool found = false;
    for (size_t i = 0; i < reply->replay->n_events; i++)
        found = found || strcmp (reply->replay->events [i]->case_id, case_id) == 0;
    assert_true (found);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  Counted, and logged by key name.
    char *metrics = NULL;
    assert_int_equal (cf_test_http_get (intake->http_port, "/metrics", &metrics), 200);
    const char *line =
        strstr (metrics, "caseflow_requests_denied_total{service=\"intake\",action=\"command\"} ");
    assert_non_null (line);
    assert_true (atoi (strchr (line, '}') + 2) >= 1);
    free (metrics);
    char *log = NULL;
    FILE *file = fopen (intake->log_path, "r");
    assert_non_null (file);
    size_t size = 0;
    assert_true (getdelim (&log, &size, 0, file) > 0);
    fclose (file);
    assert_non_null (strstr (log, "refused a command from the key \\\"consumer\\\""));
    free (log);

    free (case_id);
    cf_api_client_destroy (&operator);
    cf_api_client_destroy (&consumer);
    zsock_destroy (&sub);
}

//  `caseflowctl status` with the consumer key: every service answers
//  (with PERMISSION_DENIED, notification too: the consumer may subscribe
//  to it, not query it), so it is alive, its readiness unknown, with a
//  note; a refusal makes the exit status 1 (CLI.md). The operator key sees
//  them ready and exits 0.
static void
test_ctl_status_with_a_consumer_key (void **unused)
{
    (void) unused;
    char flags [S_COUNT][400];
    const char *options [S_COUNT] = { "--handover", "--assignment", "--intake", "--notification" };
    for (int i = 0; i < S_COUNT; i++)
        snprintf (flags [i], sizeof flags [i], "%s=%s", options [i], s_env.procs [i].api);
    char keys [400], errors [400];
    snprintf (keys, sizeof keys, "--keys-dir=%s", s_env.keys);
    snprintf (errors, sizeof errors, "%s/ctl-status.log", s_env.dir);
    const char *argv [] = { cf_test_binary ("caseflowctl"),
                            keys,
                            "--key-name=consumer",
                            "--json",
                            flags [0],
                            flags [1],
                            flags [2],
                            flags [3],
                            "status",
                            NULL };
    char out [4096];
    assert_int_equal (cf_test_run (argv, NULL, errors, out, sizeof out), 1);
    for (int i = 0; i < S_COUNT; i++) {
        char expected [200];
        snprintf (expected, sizeof expected, "{\"service\":\"%s\",\"alive\":true,\"ready\":null,",
                  s_names [i]);
        assert_non_null (strstr (out, expected));
    }
    assert_non_null (strstr (out, "\"note\":\"this key may not query it\""));
    cf_test_assert_logged (errors, "permission_denied");

    //  The table: alive yes, ready "-", and the note under it.
    argv [3] = "--timeout=300";
    assert_int_equal (cf_test_run (argv, NULL, errors, out, sizeof out), 1);
    assert_non_null (strstr (out, "intake answered, but this key may not query it"));

    argv [2] = "--key-name=operator";
    argv [3] = "--json";
    assert_int_equal (cf_test_run (argv, NULL, errors, out, sizeof out), 0);
    assert_non_null (strstr (out, "{\"service\":\"intake\",\"alive\":true,\"ready\":true,"));
    assert_non_null (strstr (out, "\"note\":null"));
}

static void
test_unknown_keys_get_no_answer (void **unused)
{
    (void) unused;
    cf_testproc_t *intake = &s_env.procs [S_INTAKE];
    //  Both subscribers wait at the same time: neither gets a heartbeat.
    zsock_t *plain_sub = s_subscriber (NULL, intake->events);
    zsock_t *stranger_sub = s_subscriber (s_env.stranger_keys, intake->events);

    cf_testreq_t req;
    cf_testreq_status (&req);
    cf_api_client_t *plain = cf_api_client_new (intake->api, 1000, 0);
    int rc = 0;
    assert_null (cf_api_client_call (plain, &req.request, &rc));
    assert_int_equal (rc, CF_ETIMEOUT);
    cf_api_client_destroy (&plain);
    cf_api_client_t *stranger =
        cf_api_client_new_secure (intake->api, 1000, 0, s_env.stranger_keys, "intake");
    assert_non_null (stranger);
    cf_testreq_status (&req);
    assert_null (cf_api_client_call (stranger, &req.request, &rc));
    assert_int_equal (rc, CF_ETIMEOUT);
    cf_api_client_destroy (&stranger);

    assert_false (s_receive (plain_sub, "intake.$heartbeat", NULL, 500));
    assert_false (s_receive (stranger_sub, "intake.$heartbeat", NULL, 500));
    zsock_destroy (&plain_sub);
    zsock_destroy (&stranger_sub);

    //  The service goes on serving those it knows.
    cf_api_client_t *operator= s_client (s_env.operator_keys, "intake", intake->api);
    Caseflow__V1__Reply *reply = s_status (operator);
    cf_testclient_assert_status (reply, OK, NULL);
    assert_true (reply->query->status->ready);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&operator);
}

//  Registers S_WIRE_NAME through relays in front of `proc`'s api and
//  events sockets (with `operator`/`consumer` keys, or plaintext when
//  NULL) and returns whether the captures show the name and the BSN.
static void
s_capture (cf_testproc_t *proc, cf_keys_t *operator, cf_keys_t * consumer, bool *name_seen,
           bool *bsn_seen)
{
    cf_testrelay_t *api = cf_testrelay_new (s_port (proc->api));
    cf_testrelay_t *events = cf_testrelay_new (s_port (proc->events));
    zsock_t *sub = s_subscriber (consumer, cf_testrelay_endpoint (events));
    assert_true (s_receive (sub, "intake.$heartbeat", NULL, 5000));
    cf_api_client_t *client = operator? s_client (operator, "intake", cf_testrelay_endpoint (api))
                                      : cf_api_client_new (cf_testrelay_endpoint (api), 3000, 2);
    char *case_id = s_register_ok (client, S_WIRE_NAME, S_WIRE_BSN);
    //  The event went through the relay too.
    assert_true (s_receive (sub, NULL, case_id, 5000));
    Caseflow__V1__Reply *reply = s_get_case (client, case_id);
    cf_testclient_assert_status (reply, OK, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
    zsock_destroy (&sub);
    assert_true (cf_testrelay_size (api) > 200);
    assert_true (cf_testrelay_size (events) > 200);
    *name_seen = cf_testrelay_saw (api, S_WIRE_NAME) || cf_testrelay_saw (events, S_WIRE_NAME);
    *bsn_seen = cf_testrelay_saw (api, S_WIRE_BSN) || cf_testrelay_saw (events, S_WIRE_BSN);
    free (case_id);
    cf_testrelay_destroy (&api);
    cf_testrelay_destroy (&events);
}

static void
test_wire_shows_no_personal_data (void **unused)
{
    (void) unused;
    bool name_seen = true, bsn_seen = true;
    s_capture (&s_env.procs [S_INTAKE], s_env.operator_keys, s_env.consumer_keys, &name_seen,
               &bsn_seen);
    assert_false (name_seen);
    assert_false (bsn_seen);

    //  The control: the same exchange with an intake without keys (its
    //  upstreams are nowhere; it takes commands all the same).
    cf_testproc_t plain;
    char data [400];
    snprintf (data, sizeof data, "%s/intake-plain", s_env.dir);
    cf_testproc_init (&plain, cf_test_binary ("caseflow-intake"), data);
    char flags [4][64];
    snprintf (flags [0], sizeof flags [0], "--handover-events=tcp://127.0.0.1:%d",
              cf_test_free_port ());
    snprintf (flags [1], sizeof flags [1], "--handover-api=tcp://127.0.0.1:%d",
              cf_test_free_port ());
    snprintf (flags [2], sizeof flags [2], "--assignment-events=tcp://127.0.0.1:%d",
              cf_test_free_port ());
    snprintf (flags [3], sizeof flags [3], "--assignment-api=tcp://127.0.0.1:%d",
              cf_test_free_port ());
    const char *argv [] = { flags [0], flags [1], flags [2], flags [3], NULL };
    assert_int_equal (cf_testproc_start (&plain, argv), 0);
    assert_true (s_wait_healthy (&plain));
    s_capture (&plain, NULL, NULL, &name_seen, &bsn_seen);
    assert_int_equal (cf_testproc_stop (&plain, SIGTERM, 20000), 0);
    cf_testproc_destroy (&plain);
    assert_true (name_seen);
    assert_true (bsn_seen);
}

//  The upstream status of `stream` in `proc`'s status, asked with `keys`.
static void
s_upstream (cf_testproc_t *proc, cf_keys_t *keys, const char *stream, uint64_t *cursor_p,
            bool *caught_up_p)
{
    cf_api_client_t *client = s_client (keys, "assignment", proc->api);
    Caseflow__V1__Reply *reply = s_status (client);
    cf_testclient_assert_status (reply, OK, NULL);
    const Caseflow__V1__ServiceStatus *status = reply->query->status;
    bool found = false;
    for (size_t i = 0; i < status->n_upstreams; i++)
        if (strcmp (status->upstreams [i]->stream, stream) == 0) {
            *cursor_p = status->upstreams [i]->cursor;
            *caught_up_p = status->upstreams [i]->caught_up;
            found = true;
        }
    assert_true (found);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
}

static void
test_services_follow_each_other_with_keys (void **unused)
{
    (void) unused;
    cf_testproc_t *intake = &s_env.procs [S_INTAKE];
    cf_api_client_t *client = s_client (s_env.operator_keys, "intake", intake->api);
    free (s_register_ok (client, "Dirk Bakker", ""));
    Caseflow__V1__Reply *reply = s_status (client);
    cf_testclient_assert_status (reply, OK, NULL);
    uint64_t head = reply->query->status->last_seq;
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
    assert_true (head >= 1);

    //  The real assignment follows intake to its head.
    uint64_t cursor = 0;
    bool caught_up = false;
    int64_t until = cf_test_now_ms () + 15000;
    do {
        s_upstream (&s_env.procs [S_ASSIGNMENT], s_env.operator_keys, "intake", &cursor,
                    &caught_up);
        if (cursor < head)
            cf_test_sleep_ms (100);
    } while (cursor < head && cf_test_now_ms () < until);
    assert_true (cursor >= head);

    //  An assignment with a key intake does not know gets nothing: not
    //  live, not through replay.
    cf_testproc_t rogue;
    char data [400];
    snprintf (data, sizeof data, "%s/assignment-rogue", s_env.dir);
    cf_testproc_init (&rogue, cf_test_binary ("caseflow-assignment"), data);
    char flags [3][400];
    snprintf (flags [0], sizeof flags [0], "--keys-dir=%s", s_env.stranger);
    snprintf (flags [1], sizeof flags [1], "--intake-events=%s", intake->events);
    snprintf (flags [2], sizeof flags [2], "--intake-api=%s", intake->api);
    const char *argv [] = { flags [0], flags [1], flags [2], NULL };
    assert_int_equal (cf_testproc_start (&rogue, argv), 0);
    assert_true (s_wait_healthy (&rogue));
    //  Longer than a replay request's timeout and a heartbeat interval.
    cf_test_sleep_ms (2500);
    s_upstream (&rogue, s_env.stranger_keys, "intake", &cursor, &caught_up);
    assert_int_equal (cursor, 0);
    assert_false (caught_up);
    assert_int_equal (cf_test_http_get (rogue.http_port, "/readyz", NULL), 503);
    assert_int_equal (cf_testproc_stop (&rogue, SIGTERM, 20000), 0);
    cf_testproc_destroy (&rogue);
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    zsys_handler_set (NULL);
    signal (SIGPIPE, SIG_IGN);
    cf_log_init ("test_security", getenv ("CF_TEST_DEBUG") ? CF_LOG_DEBUG : CF_LOG_ERROR);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_operator_commands_queries_and_replays),
        cmocka_unit_test (test_consumer_reads_but_cannot_command),
        cmocka_unit_test (test_ctl_status_with_a_consumer_key),
        cmocka_unit_test (test_unknown_keys_get_no_answer),
        cmocka_unit_test (test_wire_shows_no_personal_data),
        cmocka_unit_test (test_services_follow_each_other_with_keys),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
