//  test_hostile: hostile requests against the real intake service.
//
//  caseflow-intake runs on loopback with its upstreams (handover and
//  assignment) pointed at ports nobody listens on: it is never ready, but
//  commands and queries do not wait for readiness. After one good case and
//  one group track, the test sends request after request built to break it:
//  wrong frame counts, messages over ZMQ_MAXMSGSIZE, random bytes, unknown
//  enum values and oneof cases, missing ids, strings of 32 KiB, requests
//  over the request size limit, unknown fields and overlong repeated
//  fields, invalid UTF-8, dates out of range, commands for cases and
//  tracks that do not exist. Each that gets an answer must get a clear status naming the
//  field; after each group the service must still serve; at the end its
//  state digest (and events applied) must be what it was before the first
//  hostile request. It prints how many hostile requests it sent.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testproc.h"

#include <czmq.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define READY_TIMEOUT_MS 20000
#define STOP_TIMEOUT_MS  15000
#define MB               (1024 * 1024)
#define KB32             (32 * 1024)  //  over every field's limit, under the request's

#define OK        CASEFLOW__V1__STATUS__CODE__OK
#define INVALID   CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
#define NOT_FOUND CASEFLOW__V1__STATUS__CODE__NOT_FOUND

typedef struct {
    char *tmp;
    cf_testproc_t proc;
    cf_api_client_t *client;
    size_t sent;  //  hostile requests sent
    bool passed;
} fixture_t;

static fixture_t s_fx;

//  ------------------------------------------------------------ requests

//  Wraps an intake command into a Request with `request_id`.
typedef struct {
    Caseflow__V1__Request request;
    Caseflow__V1__Command command;
    char id [80];
} s_req_t;

static Caseflow__V1__Request *
s_wrap (s_req_t *req, Caseflow__V1__Intake__Command *intake)
{
    static unsigned next = 0;
    snprintf (req->id, sizeof req->id, "hostile-%u", ++next);
    caseflow__v1__command__init (&req->command);
    req->command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
    req->command.intake = intake;
    caseflow__v1__request__init (&req->request);
    req->request.request_id = req->id;
    req->request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    req->request.command = &req->command;
    return &req->request;
}

//  Asserts the reply's code and that its field is `field` (exactly), with
//  a message.
static void
s_assert_reply (const Caseflow__V1__Reply *reply, Caseflow__V1__Status__Code code,
                const char *field, const char *what)
{
    Caseflow__V1__Status__Code got = cf_api_reply_code (reply);
    const char *got_field = reply->status ? reply->status->field : "";
    if (got != code || (field && strcmp (got_field, field) != 0))
        fail_msg ("%s: got %s field \"%s\" (%s), want %s field \"%s\"", what,
                  cf_api_code_name (got), got_field, reply->status ? reply->status->message : "",
                  cf_api_code_name (code), field ? field : "*");
    if (code != OK)
        assert_true (reply->status->message && *reply->status->message);
}

//  Sends a hostile request through the client and checks the answer.
static void
s_expect (Caseflow__V1__Request *request, Caseflow__V1__Status__Code code, const char *field,
          const char *what)
{
    s_fx.sent++;
    int rc = 0;
    Caseflow__V1__Reply *reply = cf_api_client_call (s_fx.client, request, &rc);
    if (!reply)
        fail_msg ("%s: no reply (%d)", what, rc);
    s_assert_reply (reply, code, field, what);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

static void
s_expect_command (Caseflow__V1__Intake__Command *intake, Caseflow__V1__Status__Code code,
                  const char *field, const char *what)
{
    s_req_t req;
    s_expect (s_wrap (&req, intake), code, field, what);
}

//  Sends raw bytes as one frame; checks the answer.
static void
s_expect_raw (const void *data, size_t size, Caseflow__V1__Status__Code code, const char *field,
              const char *what)
{
    s_fx.sent++;
    size_t answer_size = 0;
    void *answer = cf_api_client_call_raw (s_fx.client, data, size, &answer_size);
    if (!answer)
        fail_msg ("%s: no answer", what);
    Caseflow__V1__Reply *reply = caseflow__v1__reply__unpack (NULL, answer_size, answer);
    free (answer);
    assert_non_null (reply);
    s_assert_reply (reply, code, field, what);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

//  The service still answers a query and knows the good case.
static void
s_assert_serving (void)
{
    Caseflow__V1__Intake__GetCase get = CASEFLOW__V1__INTAKE__GET_CASE__INIT;
    get.case_id = "C000001";
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_INTAKE;
    Caseflow__V1__Intake__Query intake = CASEFLOW__V1__INTAKE__QUERY__INIT;
    intake.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_GET_CASE;
    intake.get_case = &get;
    query.intake = &intake;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = "";
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = &query;
    Caseflow__V1__Reply *reply = cf_api_client_call (s_fx.client, &request, NULL);
    assert_non_null (reply);
    s_assert_reply (reply, OK, NULL, "the service still serves");
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

//  A register command with good values, for the tests to spoil one field.
typedef struct {
    Caseflow__V1__Intake__Command command;
    Caseflow__V1__Intake__Register reg;
    Caseflow__V1__PersonalData resident;
    Caseflow__V1__Domain domains [2];
} s_register_t;

static Caseflow__V1__Intake__Command *
s_register (s_register_t *r)
{
    caseflow__v1__personal_data__init (&r->resident);
    r->resident.name = "Hostile Test Resident";
    r->resident.birth_date = "1980-05-17";
    r->resident.phone = "06 1234 5678";
    r->resident.district = "Noord";
    r->resident.bsn = "111222333";
    r->domains [0] = CASEFLOW__V1__DOMAIN__DOMAIN_DEBT;
    caseflow__v1__intake__register__init (&r->reg);
    r->reg.channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE;
    r->reg.resident = &r->resident;
    r->reg.domains = r->domains;
    r->reg.n_domains = 1;
    r->reg.question = "Help with debts";
    caseflow__v1__intake__command__init (&r->command);
    r->command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_REGISTER;
    r->command.register_ = &r->reg;
    return &r->command;
}

#define F_REG "command.intake.register"

//  ------------------------------------------------------------ fixture

static int
s_setup (void **state)
{
    (void) state;
    memset (&s_fx, 0, sizeof s_fx);
    s_fx.tmp = cf_test_tmpdir ("hostile");
    char data_dir [512];
    snprintf (data_dir, sizeof data_dir, "%s/intake", s_fx.tmp);
    cf_testproc_init (&s_fx.proc, cf_test_binary ("caseflow-intake"), data_dir);
    //  Upstreams nobody serves: commands need no readiness.
    char value [64];
    const char *names [] = { "CASEFLOW_HANDOVER_EVENTS",     "CASEFLOW_HANDOVER_API",
                             "CASEFLOW_ASSIGNMENT_EVENTS",   "CASEFLOW_ASSIGNMENT_API",
                             "CASEFLOW_NOTIFICATION_EVENTS", "CASEFLOW_NOTIFICATION_API" };
    for (int i = 0; i < 6; i++) {
        snprintf (value, sizeof value, "tcp://127.0.0.1:%d", cf_test_free_port ());
        cf_testproc_setenv (&s_fx.proc, names [i], value);
    }
    static const char *const flags [] = { "--clock=manual", "--clock-start=2022-03-01", NULL };
    assert_int_equal (cf_testproc_start (&s_fx.proc, flags), 0);
    s_fx.client = cf_testclient_new (s_fx.proc.api);
    //  Up once the api answers (it binds after the start-up replay).
    Caseflow__V1__Reply *reply = cf_testclient_status (s_fx.client);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return 0;
}

static int
s_teardown (void **state)
{
    (void) state;
    cf_api_client_destroy (&s_fx.client);
    if (s_fx.proc.pid > 0)
        cf_testproc_stop (&s_fx.proc, SIGKILL, STOP_TIMEOUT_MS);
    if (!s_fx.passed)
        cf_test_dump_log (s_fx.proc.log_path);
    cf_testproc_destroy (&s_fx.proc);
    if (getenv ("CF_TEST_KEEP"))
        fprintf (stderr, "kept %s\n", s_fx.tmp);
    else
        cf_test_rmtree (s_fx.tmp);
    free (s_fx.tmp);
    return 0;
}

//  ------------------------------------------------------- hostile groups

//  Envelopes that are not [Request] or [empty][Request]: dropped, no answer.
static void
s_wrong_frames (void)
{
    s_register_t r;
    s_req_t req;
    size_t size = caseflow__v1__request__get_packed_size (s_wrap (&req, s_register (&r)));
    uint8_t *data = malloc (size);
    assert_non_null (data);
    caseflow__v1__request__pack (&req.request, data);
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    assert_non_null (dealer);
    zsock_set_linger (dealer, 0);
    assert_int_equal (zsock_connect (dealer, "%s", s_fx.proc.api), 0);
    const int shapes = 6;
    for (int shape = 0; shape < shapes; shape++) {
        zmsg_t *msg = zmsg_new ();
        switch (shape) {
            case 0:  //  three frames of text
                zmsg_addstr (msg, "one");
                zmsg_addstr (msg, "two");
                zmsg_addstr (msg, "three");
                break;
            case 1:  //  a good request with a trailer
                zmsg_addmem (msg, data, size);
                zmsg_addstr (msg, "trailer");
                break;
            case 2:  //  REQ envelope with two trailers
                zmsg_addmem (msg, "", 0);
                zmsg_addmem (msg, data, size);
                zmsg_addstr (msg, "x");
                zmsg_addstr (msg, "y");
                break;
            case 3:  //  a non-empty "delimiter"
                zmsg_addstr (msg, "not-empty");
                zmsg_addmem (msg, data, size);
                break;
            case 4:  //  twenty empty frames
                for (int i = 0; i < 20; i++)
                    zmsg_addmem (msg, "", 0);
                break;
            default:  //  an empty delimiter and nothing else
                zmsg_addmem (msg, "", 0);
                zmsg_addmem (msg, "", 0);
                zmsg_addmem (msg, "", 0);
                break;
        }
        assert_int_equal (zmsg_send (&msg, dealer), 0);
        s_fx.sent++;
    }
    //  None of them is answered, and none was acted on (the digest at the
    //  end says so).
    zsock_set_rcvtimeo (dealer, 1000);
    zmsg_t *msg = zmsg_recv (dealer);
    assert_null (msg);
    zsock_destroy (&dealer);
    free (data);
}

//  Over ZMQ_MAXMSGSIZE: libzmq cuts the peer off; the service never sees
//  it. A fresh DEALER sends 4 MiB + 64 KiB and 16 MiB.
static void
s_oversized (void)
{
    size_t sizes [] = { CF_API_MAX_MESSAGE + 65536, 16 * MB };
    for (int i = 0; i < 2; i++) {
        zsock_t *dealer = zsock_new (ZMQ_DEALER);
        assert_non_null (dealer);
        zsock_set_linger (dealer, 0);
        assert_int_equal (zsock_connect (dealer, "%s", s_fx.proc.api), 0);
        uint8_t *big = malloc (sizes [i]);
        assert_non_null (big);
        memset (big, 0x0a, sizes [i]);
        assert_int_equal (zmq_send (zsock_resolve (dealer), big, sizes [i], 0), (int) sizes [i]);
        s_fx.sent++;
        zsock_set_rcvtimeo (dealer, 1000);
        zmsg_t *msg = zmsg_recv (dealer);
        if (msg) {
            //  Had it reached the service, it is refused, never acted on.
            zframe_t *frame = zmsg_first (msg);
            Caseflow__V1__Reply *reply =
                caseflow__v1__reply__unpack (NULL, zframe_size (frame), zframe_data (frame));
            assert_non_null (reply);
            s_assert_reply (reply, INVALID, "request", "oversized");
            caseflow__v1__reply__free_unpacked (reply, NULL);
            zmsg_destroy (&msg);
        }
        free (big);
        zsock_destroy (&dealer);
    }
}

//  Bytes that are no Request, and Requests without meaning.
static void
s_malformed (void)
{
    unsigned seed = 9;
    uint8_t noise [512];
    for (int round = 0; round < 50; round++) {
        size_t size = 1 + (size_t) (rand_r (&seed) % (int) sizeof noise);
        for (size_t i = 0; i < size; i++)
            noise [i] = (uint8_t) rand_r (&seed);
        //  A few random byte strings decode as protobuf; all are refused.
        s_fx.sent++;
        size_t answer_size = 0;
        void *answer = cf_api_client_call_raw (s_fx.client, noise, size, &answer_size);
        assert_non_null (answer);
        Caseflow__V1__Reply *reply = caseflow__v1__reply__unpack (NULL, answer_size, answer);
        free (answer);
        assert_non_null (reply);
        assert_int_equal (cf_api_reply_code (reply), INVALID);
        assert_true (*reply->status->field);
        caseflow__v1__reply__free_unpacked (reply, NULL);
    }
    s_expect_raw ("", 0, INVALID, "request_id", "an empty frame");

    //  A request id of 32 KiB, one with a space, one of invalid UTF-8.
    Caseflow__V1__StatusQuery status = CASEFLOW__V1__STATUS_QUERY__INIT;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_STATUS;
    query.status = &status;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = &query;
    char *long_id = malloc (KB32 + 1);
    assert_non_null (long_id);
    memset (long_id, 'r', KB32);
    long_id [KB32] = 0;
    const char *ids [] = { long_id, "has space", "\xff\xfe-id", "\x01\x02" };
    for (int i = 0; i < 4; i++) {
        request.request_id = (char *) ids [i];
        size_t size = caseflow__v1__request__get_packed_size (&request);
        uint8_t *data = malloc (size);
        assert_non_null (data);
        caseflow__v1__request__pack (&request, data);
        s_expect_raw (data, size, INVALID, "request_id", "a bad request id");
        free (data);
    }
    free (long_id);

    //  No body; a command without a body; an unknown command oneof case
    //  (field 77 of Command); an intake command without a body.
    request.request_id = "no-body";
    request.body_case = CASEFLOW__V1__REQUEST__BODY__NOT_SET;
    size_t size = caseflow__v1__request__get_packed_size (&request);
    uint8_t data [256];
    caseflow__v1__request__pack (&request, data);
    s_expect_raw (data, size, INVALID, "body", "a request without a body");

    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    request.request_id = "empty-command";
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &command;
    size = caseflow__v1__request__get_packed_size (&request);
    caseflow__v1__request__pack (&request, data);
    s_expect_raw (data, size, INVALID, "command", "a command without a body");
    //  [Request: 1 = id, 10 = command { 77 = {} }]: a oneof case this build
    //  does not know.
    static const uint8_t unknown [] = { 0x0a, 0x03, 'u', 'n', 'k', 0x52, 0x03, 0xea, 0x04, 0x00 };
    s_expect_raw (unknown, sizeof unknown, INVALID, "command", "an unknown command");

    Caseflow__V1__Intake__Command empty = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    s_expect_command (&empty, INVALID, "command.intake", "an intake command without a body");

    //  Replays: of another stream, from seq 0.
    Caseflow__V1__ReplayRequest replay = CASEFLOW__V1__REPLAY_REQUEST__INIT;
    replay.stream = "assignment";
    replay.from_seq = 1;
    request.request_id = "replay-other";
    request.body_case = CASEFLOW__V1__REQUEST__BODY_REPLAY;
    request.replay = &replay;
    s_expect (&request, NOT_FOUND, "replay.stream", "a replay of another stream");
    replay.stream = "intake";
    replay.from_seq = 0;
    request.request_id = "replay-zero";
    size = caseflow__v1__request__get_packed_size (&request);
    caseflow__v1__request__pack (&request, data);
    s_expect_raw (data, size, INVALID, "replay.from_seq", "a replay from seq 0");
}

//  Enum values this build does not know.
static void
s_unknown_enums (void)
{
    s_register_t r;
    Caseflow__V1__Intake__Command *command = s_register (&r);
    r.reg.channel = 99;
    s_expect_command (command, INVALID, F_REG ".channel", "channel 99");
    r.reg.channel = -5;
    s_expect_command (command, INVALID, F_REG ".channel", "channel -5");
    r.reg.channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE;
    r.domains [0] = 42;
    s_expect_command (command, INVALID, F_REG ".domains", "domain 42");
    r.domains [0] = CASEFLOW__V1__DOMAIN__DOMAIN_UNSPECIFIED;
    s_expect_command (command, INVALID, F_REG ".domains", "domain 0");
    r.domains [0] = CASEFLOW__V1__DOMAIN__DOMAIN_DEBT;
    r.reg.urgency = 7;
    r.reg.reason = "because";
    s_expect_command (command, INVALID, F_REG ".urgency", "urgency 7");

    Caseflow__V1__Intake__Triage triage = CASEFLOW__V1__INTAKE__TRIAGE__INIT;
    triage.case_id = "C000001";
    triage.urgency = 3;
    triage.reason = "why not";
    Caseflow__V1__Intake__Command wrap = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    wrap.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_TRIAGE;
    wrap.triage = &triage;
    s_expect_command (&wrap, INVALID, "command.intake.triage.urgency", "triage urgency 3");

    Caseflow__V1__Intake__RecordCallback callback = CASEFLOW__V1__INTAKE__RECORD_CALLBACK__INIT;
    callback.case_id = "C000001";
    callback.outcome = 17;
    wrap.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_RECORD_CALLBACK;
    wrap.record_callback = &callback;
    s_expect_command (&wrap, INVALID, "command.intake.record_callback.outcome", "outcome 17");
}

//  Ids that are missing or malformed.
static void
s_missing_ids (void)
{
    Caseflow__V1__Intake__Command wrap = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    Caseflow__V1__Intake__Triage triage = CASEFLOW__V1__INTAKE__TRIAGE__INIT;
    triage.urgency = CASEFLOW__V1__URGENCY__URGENCY_URGENT;
    triage.reason = "no id";
    wrap.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_TRIAGE;
    wrap.triage = &triage;
    triage.case_id = "";
    s_expect_command (&wrap, INVALID, "command.intake.triage.case_id", "triage without a case");
    //  Outside the id grammar (common/cf_id.h): refused as malformed.
    const char *bad [] = { "C000001 ", "C 1", "C/1", "C\tx", "Cé01" };
    for (size_t i = 0; i < sizeof bad / sizeof bad [0]; i++) {
        triage.case_id = (char *) bad [i];
        s_expect_command (&wrap, INVALID, "command.intake.triage.case_id", "a malformed id");
    }
    //  Ids of the grammar that intake never issued: not found, as at any
    //  service.
    const char *unknown [] = { "C1", "c000001", "C0000001", "C000000", "C00000X" };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown [0]; i++) {
        triage.case_id = (char *) unknown [i];
        s_expect_command (&wrap, NOT_FOUND, "command.intake.triage.case_id", "an unknown id");
    }
    Caseflow__V1__Intake__JoinTrack join = CASEFLOW__V1__INTAKE__JOIN_TRACK__INIT;
    join.case_id = "C000001";
    join.track_id = "";
    wrap.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_JOIN_TRACK;
    wrap.join_track = &join;
    s_expect_command (&wrap, INVALID, "command.intake.join_track.track_id", "no track id");
    join.track_id = "money matters";
    s_expect_command (&wrap, INVALID, "command.intake.join_track.track_id",
                      "a track id with a space");

    s_register_t r;
    Caseflow__V1__Intake__Command *command = s_register (&r);
    r.reg.resident = NULL;
    s_expect_command (command, INVALID, F_REG ".resident", "no resident");
    r.reg.resident = &r.resident;
    r.reg.n_domains = 0;
    s_expect_command (command, INVALID, F_REG ".domains", "no domains");
    r.reg.n_domains = 1;
    r.reg.channel = CASEFLOW__V1__CHANNEL__CHANNEL_WALK_IN;
    s_expect_command (command, INVALID, F_REG ".location", "a walk-in without a location");
    r.reg.location = "../../etc/passwd";
    s_expect_command (command, INVALID, F_REG ".location", "a location that is no id");
}

//  Strings of 32 KiB in every kind of field: within the request size
//  limit, so each is refused by its field's own limit.
static void
s_huge_strings (void)
{
    char *huge = malloc (KB32 + 1);
    assert_non_null (huge);
    memset (huge, 'a', KB32);
    huge [KB32] = 0;
    s_register_t r;
    Caseflow__V1__Intake__Command *command = s_register (&r);
    r.resident.name = huge;
    s_expect_command (command, INVALID, F_REG ".resident.name", "a 32 KiB name");
    r.resident.name = "Hostile Test Resident";
    r.resident.district = huge;
    s_expect_command (command, INVALID, F_REG ".resident.district", "a 32 KiB district");
    r.resident.district = "Noord";
    r.resident.phone = huge;
    s_expect_command (command, INVALID, F_REG ".resident.phone", "a 32 KiB phone");
    r.resident.phone = "";
    r.resident.bsn = huge;
    s_expect_command (command, INVALID, F_REG ".resident.bsn", "a 32 KiB BSN");
    r.resident.bsn = "";
    r.reg.question = huge;
    s_expect_command (command, INVALID, F_REG ".question", "a 32 KiB question");
    r.reg.question = "";
    r.reg.location = huge;
    s_expect_command (command, INVALID, F_REG ".location", "a 32 KiB location");

    Caseflow__V1__Intake__Command wrap = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    Caseflow__V1__Intake__Close close = CASEFLOW__V1__INTAKE__CLOSE__INIT;
    close.case_id = "C000001";
    close.reason = huge;
    wrap.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_CLOSE;
    wrap.close = &close;
    s_expect_command (&wrap, INVALID, "command.intake.close.reason", "a 32 KiB reason");
    close.case_id = huge;
    close.reason = "gone";
    s_expect_command (&wrap, INVALID, "command.intake.close.case_id", "a 32 KiB case id");
    free (huge);
}

//  Requests over the request size limit (--max-request-bytes, 64 KiB by
//  default), far below the transport's: refused undecoded, field
//  "request", the message naming the limit, under the request's own id.
static void
s_over_size_limit (void)
{
    size_t sizes [] = { 65536 + 1024, MB, CF_API_MAX_MESSAGE - 4096 };
    for (int i = 0; i < 3; i++) {
        char *huge = malloc (sizes [i] + 1);
        assert_non_null (huge);
        memset (huge, 'q', sizes [i]);
        huge [sizes [i]] = 0;
        s_register_t r;
        Caseflow__V1__Intake__Command *command = s_register (&r);
        r.reg.question = huge;
        s_req_t req;
        Caseflow__V1__Request *request = s_wrap (&req, command);
        s_fx.sent++;
        int rc = 0;
        Caseflow__V1__Reply *reply = cf_api_client_call (s_fx.client, request, &rc);
        if (!reply)
            fail_msg ("a request of %zu bytes: no reply (%d)", sizes [i], rc);
        s_assert_reply (reply, INVALID, "request", "over the size limit");
        assert_string_equal (reply->request_id, req.id);
        assert_non_null (strstr (reply->status->message, "--max-request-bytes"));
        assert_non_null (strstr (reply->status->message, "65536"));
        caseflow__v1__reply__free_unpacked (reply, NULL);
        free (huge);
    }
}

//  Fields this build does not know (protobuf-c keeps every one it meets)
//  and repeated fields with too many items.
static void
s_unknown_and_repeated (void)
{
    uint8_t one = 1;
    ProtobufCMessageUnknownField unknown [CF_API_MAX_UNKNOWN + 1];
    for (int i = 0; i <= CF_API_MAX_UNKNOWN; i++)
        unknown [i] = (ProtobufCMessageUnknownField){ .tag = 3000 + (uint32_t) i,
                                                      .wire_type = PROTOBUF_C_WIRE_TYPE_VARINT,
                                                      .len = 1,
                                                      .data = &one };
    //  In a command: one is too many, wherever it is.
    s_register_t r;
    Caseflow__V1__Intake__Command *command = s_register (&r);
    r.reg.base.n_unknown_fields = 1;
    r.reg.base.unknown_fields = unknown;
    s_expect_command (command, INVALID, F_REG, "an unknown field in a register");
    r.reg.base.n_unknown_fields = 0;
    r.resident.base.n_unknown_fields = 1;
    r.resident.base.unknown_fields = unknown;
    s_expect_command (command, INVALID, F_REG ".resident", "an unknown field in a resident");
    r.resident.base.n_unknown_fields = 0;
    s_req_t req;
    Caseflow__V1__Request *request = s_wrap (&req, command);
    request->base.n_unknown_fields = 1;
    request->base.unknown_fields = unknown;
    s_expect (request, INVALID, "request", "an unknown field in a command's request");
    //  In a query: a few are a newer client's, too many are refused.
    Caseflow__V1__StatusQuery status = CASEFLOW__V1__STATUS_QUERY__INIT;
    status.base.n_unknown_fields = CF_API_MAX_UNKNOWN;
    status.base.unknown_fields = unknown;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_STATUS;
    query.status = &status;
    Caseflow__V1__Request ask = CASEFLOW__V1__REQUEST__INIT;
    ask.request_id = "status-unknown";
    ask.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    ask.query = &query;
    s_expect (&ask, OK, NULL, "a query with a few unknown fields");
    status.base.n_unknown_fields = CF_API_MAX_UNKNOWN + 1;
    s_expect (&ask, INVALID, "query.status", "a query with too many unknown fields");
    //  Repeated: more items than any list needs.
    Caseflow__V1__Domain *domains = calloc (CF_API_MAX_REPEATED + 1, sizeof *domains);
    assert_non_null (domains);
    for (int i = 0; i <= CF_API_MAX_REPEATED; i++)
        domains [i] = CASEFLOW__V1__DOMAIN__DOMAIN_DEBT;
    command = s_register (&r);
    r.reg.domains = domains;
    r.reg.n_domains = CF_API_MAX_REPEATED + 1;
    s_expect_command (command, INVALID, F_REG ".domains", "a register with 1025 domains");
    free (domains);
}

//  Invalid UTF-8 (protobuf-c does not check it; the service must).
static void
s_invalid_utf8 (void)
{
    static const char *bad [] = {
        "Jan \xff Jansen",         //  a byte never in UTF-8
        "Zo\xc3",                  //  cut short
        "\xc0\xaf etc",            //  overlong '/'
        "\xed\xa0\x80 surrogate",  //  a UTF-16 surrogate
        "\xf4\x90\x80\x80 big",    //  above U+10FFFF
        "Chlo\x80",                //  a stray continuation byte
    };
    s_register_t r;
    Caseflow__V1__Intake__Command *command = s_register (&r);
    for (int i = 0; i < 6; i++) {
        r.resident.name = (char *) bad [i];
        s_expect_command (command, INVALID, F_REG ".resident.name", "a name of bad UTF-8");
    }
    r.resident.name = "Hostile Test Resident";
    r.resident.district = (char *) bad [0];
    s_expect_command (command, INVALID, F_REG ".resident.district", "a district of bad UTF-8");
    r.resident.district = "Noord";
    r.reg.question = (char *) bad [3];
    s_expect_command (command, INVALID, F_REG ".question", "a question of bad UTF-8");
    r.reg.question = "";
    r.reg.referred_by = (char *) bad [1];
    s_expect_command (command, INVALID, F_REG ".referred_by", "a referrer of bad UTF-8");
    r.reg.referred_by = "";
    r.resident.bsn = "11122233\xc3";
    s_expect_command (command, INVALID, F_REG ".resident.bsn", "a BSN with bad UTF-8");

    Caseflow__V1__Intake__Command wrap = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    Caseflow__V1__Intake__Withdraw withdraw = CASEFLOW__V1__INTAKE__WITHDRAW__INIT;
    withdraw.case_id = "C000001";
    withdraw.reason = (char *) bad [2];
    wrap.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_WITHDRAW;
    wrap.withdraw = &withdraw;
    s_expect_command (&wrap, INVALID, "command.intake.withdraw.reason", "a reason of bad UTF-8");
    Caseflow__V1__Intake__CreateTrack track = CASEFLOW__V1__INTAKE__CREATE_TRACK__INIT;
    track.track_id = "t\xc3\xa9";
    track.name = "Money";
    track.location = "loc-north";
    track.capacity = 10;
    track.starts_on = "2022-04-01";
    wrap.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_CREATE_TRACK;
    wrap.create_track = &track;
    s_expect_command (&wrap, INVALID, "command.intake.create_track.track_id", "a non-ASCII id");
    track.track_id = "money-2";
    track.name = (char *) bad [4];
    s_expect_command (&wrap, INVALID, "command.intake.create_track.name",
                      "a track name of bad UTF-8");
}

//  Dates and times out of range, and other values out of bounds.
static void
s_out_of_range (void)
{
    static const char *dates [] = { "2022-02-30", "2021-02-29", "0999-01-01", "2022-13-01",
                                    "2022-00-10", "1980-5-17",  "17-05-1980", "2100-01-01",
                                    "9999-12-32", "+2022-01-01" };
    s_register_t r;
    Caseflow__V1__Intake__Command *command = s_register (&r);
    for (int i = 0; i < 10; i++) {
        r.resident.birth_date = (char *) dates [i];
        s_expect_command (command, INVALID, F_REG ".resident.birth_date", "a bad birth date");
    }
    r.resident.birth_date = "1980-05-17";
    r.resident.bsn = "123456789";
    s_expect_command (command, INVALID, F_REG ".resident.bsn", "a BSN failing the eleven-test");
    r.resident.bsn = "111222333";
    r.resident.phone = "12";
    s_expect_command (command, INVALID, F_REG ".resident.phone", "a phone of two digits");

    Caseflow__V1__Intake__Command wrap = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    Caseflow__V1__Intake__CreateTrack track = CASEFLOW__V1__INTAKE__CREATE_TRACK__INIT;
    track.track_id = "money-3";
    track.name = "Money";
    track.location = "loc-north";
    track.capacity = 10;
    wrap.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_CREATE_TRACK;
    wrap.create_track = &track;
    for (int i = 0; i < 5; i++) {
        track.starts_on = (char *) dates [i];
        s_expect_command (&wrap, INVALID, "command.intake.create_track.starts_on", "a bad start");
    }
    track.starts_on = "2022-04-01";
    track.capacity = 0;
    s_expect_command (&wrap, INVALID, "command.intake.create_track.capacity", "no places");
    track.capacity = 4000000000u;
    s_expect_command (&wrap, INVALID, "command.intake.create_track.capacity", "4e9 places");

    Caseflow__V1__Intake__RecordCallback callback = CASEFLOW__V1__INTAKE__RECORD_CALLBACK__INIT;
    callback.case_id = "C000001";
    callback.outcome = CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED;
    callback.due_at = INT64_MIN;
    wrap.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_RECORD_CALLBACK;
    wrap.record_callback = &callback;
    s_expect_command (&wrap, INVALID, "command.intake.record_callback.due_at", "due before 1970");

    //  The clock: moved backwards, or by a negative amount.
    Caseflow__V1__ClockSet set = CASEFLOW__V1__CLOCK_SET__INIT;
    set.at = 0;
    Caseflow__V1__Command clock = CASEFLOW__V1__COMMAND__INIT;
    clock.body_case = CASEFLOW__V1__COMMAND__BODY_CLOCK_SET;
    clock.clock_set = &set;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = "clock-back";
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &clock;
    s_expect (&request, INVALID, "command.clock_set.at", "the clock set back to 1970");
    Caseflow__V1__ClockAdvance advance = CASEFLOW__V1__CLOCK_ADVANCE__INIT;
    advance.micros = -1;
    clock.body_case = CASEFLOW__V1__COMMAND__BODY_CLOCK_ADVANCE;
    clock.clock_advance = &advance;
    request.request_id = "clock-minus";
    s_expect (&request, INVALID, "command.clock_advance.micros", "the clock moved by -1");
}

//  Commands for cases and tracks that do not exist.
static void
s_unknown_entities (void)
{
    Caseflow__V1__Intake__Command wrap = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    Caseflow__V1__Intake__Triage triage = CASEFLOW__V1__INTAKE__TRIAGE__INIT;
    triage.urgency = CASEFLOW__V1__URGENCY__URGENCY_URGENT;
    triage.reason = "unknown";
    wrap.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_TRIAGE;
    wrap.triage = &triage;
    //  A number past uint64 is an id of the grammar too: not found.
    const char *unknown [] = { "C000002", "C999999", "C18446744073709551615" };
    for (int i = 0; i < 3; i++) {
        triage.case_id = (char *) unknown [i];
        s_expect_command (&wrap, NOT_FOUND, "command.intake.triage.case_id", "an unknown case");
    }
    Caseflow__V1__Intake__RecordCallback callback = CASEFLOW__V1__INTAKE__RECORD_CALLBACK__INIT;
    callback.case_id = "C000777";
    callback.outcome = CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED;
    wrap.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_RECORD_CALLBACK;
    wrap.record_callback = &callback;
    s_expect_command (&wrap, NOT_FOUND, "command.intake.record_callback.case_id", "callback");
    Caseflow__V1__Intake__Advise advise = CASEFLOW__V1__INTAKE__ADVISE__INIT;
    advise.case_id = "C000003";
    advise.note = "advice";
    wrap.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_ADVISE;
    wrap.advise = &advise;
    s_expect_command (&wrap, NOT_FOUND, "command.intake.advise.case_id", "advise");
    Caseflow__V1__Intake__Close close = CASEFLOW__V1__INTAKE__CLOSE__INIT;
    close.case_id = "C000004";
    close.reason = "gone";
    wrap.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_CLOSE;
    wrap.close = &close;
    s_expect_command (&wrap, NOT_FOUND, "command.intake.close.case_id", "close");
    Caseflow__V1__Intake__JoinTrack join = CASEFLOW__V1__INTAKE__JOIN_TRACK__INIT;
    join.case_id = "C000001";
    join.track_id = "no-such-track";
    wrap.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_JOIN_TRACK;
    wrap.join_track = &join;
    s_expect_command (&wrap, NOT_FOUND, "command.intake.join_track.track_id", "a track");
    join.case_id = "C000005";
    join.track_id = "money";
    s_expect_command (&wrap, NOT_FOUND, "command.intake.join_track.case_id", "join, no case");
}

//  ----------------------------------------------------------------- test

static void
test_hostile_requests (void **state)
{
    (void) state;
    //  The good state: one case, triaged, and one track.
    s_register_t r;
    s_req_t req;
    Caseflow__V1__Reply *reply =
        cf_api_client_call (s_fx.client, s_wrap (&req, s_register (&r)), NULL);
    assert_non_null (reply);
    s_assert_reply (reply, OK, NULL, "the good registration");
    assert_string_equal (reply->command->intake->registered->case_id, "C000001");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    Caseflow__V1__Intake__Command wrap = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    Caseflow__V1__Intake__CreateTrack track = CASEFLOW__V1__INTAKE__CREATE_TRACK__INIT;
    track.track_id = "money";
    track.name = "Money matters";
    track.location = "loc-north";
    track.capacity = 10;
    track.starts_on = "2022-04-01";
    wrap.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_CREATE_TRACK;
    wrap.create_track = &track;
    reply = cf_api_client_call (s_fx.client, s_wrap (&req, &wrap), NULL);
    assert_non_null (reply);
    s_assert_reply (reply, OK, NULL, "the good track");
    caseflow__v1__reply__free_unpacked (reply, NULL);

    char before [65], after [65];
    uint64_t applied = cf_testclient_digest (s_fx.client, before);
    Caseflow__V1__Reply *status = cf_testclient_status (s_fx.client);
    uint64_t last_seq = status->query->status->last_seq;
    caseflow__v1__reply__free_unpacked (status, NULL);

    void (*groups []) (
        void) = { s_wrong_frames, s_oversized,    s_malformed,       s_unknown_enums,
                  s_missing_ids,  s_huge_strings, s_over_size_limit, s_unknown_and_repeated,
                  s_invalid_utf8, s_out_of_range, s_unknown_entities };
    const char *names [] = { "wrong frame counts",  "oversized",        "malformed",
                             "unknown enums",       "missing ids",      "32 KiB strings",
                             "over the size limit", "unknown/repeated", "invalid UTF-8",
                             "out of range",        "unknown cases" };
    for (size_t i = 0; i < sizeof groups / sizeof groups [0]; i++) {
        size_t sent = s_fx.sent;
        groups [i]();
        s_assert_serving ();
        printf ("hostile: %-20s %3zu requests, still serving\n", names [i], s_fx.sent - sent);
    }

    //  Nothing hostile was acted on: the same state, the same events.
    assert_int_equal (cf_testclient_digest (s_fx.client, after), applied);
    assert_string_equal (after, before);
    status = cf_testclient_status (s_fx.client);
    assert_int_equal (status->query->status->last_seq, last_seq);
    caseflow__v1__reply__free_unpacked (status, NULL);
    printf ("hostile requests sent: %zu; state digest unchanged (%.16s..., %llu events)\n",
            s_fx.sent, after, (unsigned long long) applied);

    //  And a good command still acts.
    Caseflow__V1__Intake__Command *second = s_register (&r);
    r.resident.name = "Second Resident";
    r.resident.bsn = "";
    reply = cf_api_client_call (s_fx.client, s_wrap (&req, second), NULL);
    assert_non_null (reply);
    s_assert_reply (reply, OK, NULL, "a good registration after it all");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    assert_int_equal (cf_testproc_stop (&s_fx.proc, SIGTERM, STOP_TIMEOUT_MS), 0);
    s_fx.passed = true;
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_hostile_requests, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
