//  cf_testclient: requests to the test service for integration tests.
#include "cf_testclient.h"

#include "cf_test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

//  Generous: a service under AddressSanitizer on a busy 2-core CI machine
//  may take a while to answer a command that writes a thousand events.
#define S_CALL_TIMEOUT_MS 5000
#define S_CALL_RETRIES    3

static void
s_init (cf_testreq_t *self, const char *request_id)
{
    memset (self, 0, sizeof *self);
    caseflow__v1__request__init (&self->request);
    caseflow__v1__command__init (&self->command);
    caseflow__v1__query__init (&self->query);
    caseflow__v1__replay_request__init (&self->replay);
    caseflow__v1__clock_set__init (&self->clock_set);
    caseflow__v1__clock_advance__init (&self->clock_advance);
    caseflow__v1__testing__increment__init (&self->increment);
    caseflow__v1__testing__generate__init (&self->generate);
    caseflow__v1__testing__stall__init (&self->stall);
    caseflow__v1__status_query__init (&self->status);
    caseflow__v1__digest_query__init (&self->digest);
    caseflow__v1__clock_query__init (&self->clock);
    caseflow__v1__testing__get_counter__init (&self->get_counter);
    caseflow__v1__testing__get_summary__init (&self->get_summary);
    snprintf (self->request_id, sizeof self->request_id, "%s", request_id ? request_id : "");
    self->request.request_id = self->request_id;
    self->request.client = "cf_testclient";
}

static void
s_command (cf_testreq_t *self, const char *request_id, Caseflow__V1__Command__BodyCase body)
{
    s_init (self, request_id);
    self->request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    self->request.command = &self->command;
    self->command.body_case = body;
}

//  Queries and replay get an id of their own, unique in this process, so
//  they can be sent raw as well.
static const char *
s_fresh_id (char *buffer, size_t size)
{
    static unsigned count = 0;
    snprintf (buffer, size, "testclient-%ld-%u", (long) getpid (), ++count);
    return buffer;
}

static void
s_query (cf_testreq_t *self, Caseflow__V1__Query__BodyCase body)
{
    char id [CF_API_MAX_REQUEST_ID + 1];
    s_init (self, s_fresh_id (id, sizeof id));
    self->request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    self->request.query = &self->query;
    self->query.body_case = body;
}

void
cf_testreq_increment (cf_testreq_t *self, const char *request_id, const char *counter,
                      int64_t amount)
{
    s_command (self, request_id, CASEFLOW__V1__COMMAND__BODY_INCREMENT);
    snprintf (self->name, sizeof self->name, "%s", counter);
    self->increment.counter = self->name;
    self->increment.amount = amount;
    self->command.increment = &self->increment;
}

void
cf_testreq_generate (cf_testreq_t *self, const char *request_id, uint32_t count, uint32_t size)
{
    s_command (self, request_id, CASEFLOW__V1__COMMAND__BODY_GENERATE);
    self->generate.count = count;
    self->generate.size = size;
    self->command.generate = &self->generate;
}

void
cf_testreq_stall (cf_testreq_t *self, const char *request_id, uint32_t millis)
{
    s_command (self, request_id, CASEFLOW__V1__COMMAND__BODY_STALL);
    self->stall.millis = millis;
    self->command.stall = &self->stall;
}

void
cf_testreq_clock_set (cf_testreq_t *self, const char *request_id, int64_t at)
{
    s_command (self, request_id, CASEFLOW__V1__COMMAND__BODY_CLOCK_SET);
    self->clock_set.at = at;
    self->command.clock_set = &self->clock_set;
}

void
cf_testreq_clock_advance (cf_testreq_t *self, const char *request_id, int64_t micros)
{
    s_command (self, request_id, CASEFLOW__V1__COMMAND__BODY_CLOCK_ADVANCE);
    self->clock_advance.micros = micros;
    self->command.clock_advance = &self->clock_advance;
}

void
cf_testreq_status (cf_testreq_t *self)
{
    s_query (self, CASEFLOW__V1__QUERY__BODY_STATUS);
    self->query.status = &self->status;
}

void
cf_testreq_digest (cf_testreq_t *self)
{
    s_query (self, CASEFLOW__V1__QUERY__BODY_DIGEST);
    self->query.digest = &self->digest;
}

void
cf_testreq_clock (cf_testreq_t *self)
{
    s_query (self, CASEFLOW__V1__QUERY__BODY_CLOCK);
    self->query.clock = &self->clock;
}

void
cf_testreq_get_counter (cf_testreq_t *self, const char *counter)
{
    s_query (self, CASEFLOW__V1__QUERY__BODY_GET_COUNTER);
    snprintf (self->name, sizeof self->name, "%s", counter);
    self->get_counter.counter = self->name;
    self->query.get_counter = &self->get_counter;
}

void
cf_testreq_summary (cf_testreq_t *self)
{
    s_query (self, CASEFLOW__V1__QUERY__BODY_GET_SUMMARY);
    self->query.get_summary = &self->get_summary;
}

void
cf_testreq_replay (cf_testreq_t *self, const char *stream, uint64_t from_seq, uint32_t max_events,
                   uint32_t max_bytes)
{
    char id [CF_API_MAX_REQUEST_ID + 1];
    s_init (self, s_fresh_id (id, sizeof id));
    self->request.body_case = CASEFLOW__V1__REQUEST__BODY_REPLAY;
    self->request.replay = &self->replay;
    snprintf (self->name, sizeof self->name, "%s", stream);
    self->replay.stream = self->name;
    self->replay.from_seq = from_seq;
    self->replay.max_events = max_events;
    self->replay.max_bytes = max_bytes;
}

void *
cf_testreq_encode (const cf_testreq_t *self, size_t *size_p)
{
    size_t size = caseflow__v1__request__get_packed_size (&self->request);
    uint8_t *data = malloc (size ? size : 1);
    assert (data);
    caseflow__v1__request__pack (&self->request, data);
    *size_p = size;
    return data;
}

cf_api_client_t *
cf_testclient_new (const char *endpoint)
{
    cf_api_client_t *client = cf_api_client_new (endpoint, S_CALL_TIMEOUT_MS, S_CALL_RETRIES);
    assert_non_null (client);
    return client;
}

static const char *
s_describe (const cf_testreq_t *req)
{
    static char text [160];
    const char *kind = "request";
    if (req->request.body_case == CASEFLOW__V1__REQUEST__BODY_COMMAND)
        kind = "command";
    else if (req->request.body_case == CASEFLOW__V1__REQUEST__BODY_QUERY)
        kind = "query";
    else if (req->request.body_case == CASEFLOW__V1__REQUEST__BODY_REPLAY)
        kind = "replay";
    snprintf (text, sizeof text, "%s %s", kind, *req->request_id ? req->request_id : "(fresh id)");
    return text;
}

Caseflow__V1__Reply *
cf_testclient_call (cf_api_client_t *client, cf_testreq_t *req)
{
    int rc = 0;
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &req->request, &rc);
    if (!reply)
        fail_msg ("%s: no reply (rc %d)", s_describe (req), rc);
    return reply;
}

Caseflow__V1__Reply *
cf_testclient_command (cf_api_client_t *client, const char *request_id,
                       Caseflow__V1__Command *command)
{
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = (char *) (request_id ? request_id : "");
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = command;
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &request, NULL);
    if (!reply)
        fail_msg ("no reply to command %s", request.request_id);
    return reply;
}

Caseflow__V1__Reply *
cf_testclient_query (cf_api_client_t *client, Caseflow__V1__Query *query)
{
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = "";
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = query;
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &request, NULL);
    if (!reply)
        fail_msg ("no reply to a query");
    return reply;
}

void
cf_testclient_assert_status (const Caseflow__V1__Reply *reply, Caseflow__V1__Status__Code code,
                             const char *field)
{
    Caseflow__V1__Status__Code got =
        reply->status ? reply->status->code : CASEFLOW__V1__STATUS__CODE__OK;
    if (got != code)
        fail_msg ("reply %s: status %s (%s: %s), expected %s", reply->request_id,
                  cf_api_code_name (got), reply->status ? reply->status->field : "",
                  reply->status ? reply->status->message : "", cf_api_code_name (code));
    if (field) {
        assert_non_null (reply->status);
        assert_string_equal (reply->status->field, field);
    }
}

//  Sends `req`, asserts OK and the result kind, returns the reply.
static Caseflow__V1__Reply *
s_call_ok (cf_api_client_t *client, cf_testreq_t *req, Caseflow__V1__Reply__ResultCase result)
{
    Caseflow__V1__Reply *reply = cf_testclient_call (client, req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    assert_int_equal (reply->result_case, result);
    return reply;
}

int64_t
cf_testclient_increment (cf_api_client_t *client, const char *request_id, const char *counter,
                         int64_t amount)
{
    cf_testreq_t req;
    cf_testreq_increment (&req, request_id, counter, amount);
    Caseflow__V1__Reply *reply = s_call_ok (client, &req, CASEFLOW__V1__REPLY__RESULT_COMMAND);
    assert_int_equal (reply->command->body_case, CASEFLOW__V1__COMMAND_RESULT__BODY_COUNTER);
    assert_string_equal (reply->command->counter->counter, counter);
    int64_t value = reply->command->counter->value;
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return value;
}

uint64_t
cf_testclient_generate (cf_api_client_t *client, const char *request_id, uint32_t count,
                        uint32_t size)
{
    cf_testreq_t req;
    cf_testreq_generate (&req, request_id, count, size);
    Caseflow__V1__Reply *reply = s_call_ok (client, &req, CASEFLOW__V1__REPLY__RESULT_COMMAND);
    uint64_t last_seq = reply->command->last_seq;
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return last_seq;
}

int64_t
cf_testclient_counter (cf_api_client_t *client, const char *counter)
{
    cf_testreq_t req;
    cf_testreq_get_counter (&req, counter);
    Caseflow__V1__Reply *reply = s_call_ok (client, &req, CASEFLOW__V1__REPLY__RESULT_QUERY);
    assert_int_equal (reply->query->body_case, CASEFLOW__V1__QUERY_RESULT__BODY_COUNTER);
    int64_t value = reply->query->counter->value;
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return value;
}

uint64_t
cf_testclient_digest (cf_api_client_t *client, char sha [65])
{
    cf_testreq_t req;
    cf_testreq_digest (&req);
    Caseflow__V1__Reply *reply = s_call_ok (client, &req, CASEFLOW__V1__REPLY__RESULT_QUERY);
    assert_int_equal (reply->query->body_case, CASEFLOW__V1__QUERY_RESULT__BODY_DIGEST);
    assert_int_equal (strlen (reply->query->digest->sha256), 64);
    memcpy (sha, reply->query->digest->sha256, 65);
    uint64_t applied = reply->query->digest->events_applied;
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return applied;
}

int64_t
cf_testclient_clock (cf_api_client_t *client)
{
    cf_testreq_t req;
    cf_testreq_clock (&req);
    Caseflow__V1__Reply *reply = s_call_ok (client, &req, CASEFLOW__V1__REPLY__RESULT_QUERY);
    assert_int_equal (reply->query->body_case, CASEFLOW__V1__QUERY_RESULT__BODY_CLOCK);
    int64_t now = reply->query->clock->now;
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return now;
}

Caseflow__V1__Reply *
cf_testclient_status (cf_api_client_t *client)
{
    cf_testreq_t req;
    cf_testreq_status (&req);
    Caseflow__V1__Reply *reply = s_call_ok (client, &req, CASEFLOW__V1__REPLY__RESULT_QUERY);
    assert_int_equal (reply->query->body_case, CASEFLOW__V1__QUERY_RESULT__BODY_STATUS);
    return reply;
}

uint64_t
cf_testclient_store_full (cf_api_client_t *client, bool full)
{
    Caseflow__V1__Reply *reply = cf_testclient_status (client);
    bool store_full = reply->query->status->store_full;
    uint64_t last_seq = reply->query->status->last_seq;
    caseflow__v1__reply__free_unpacked (reply, NULL);
    if (store_full != full)
        fail_msg ("the service says its store is %sfull", store_full ? "" : "not ");
    return last_seq;
}

Caseflow__V1__Reply *
cf_testclient_register_bulky (cf_api_client_t *client, const char *request_id, int number)
{
    static char question [3901];
    memset (question, 'q', sizeof question - 1);
    char name [64];
    snprintf (name, sizeof name, "Resident %05d", number);
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = name;
    resident.birth_date = "1980-05-17";
    Caseflow__V1__Domain domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT };
    Caseflow__V1__Intake__Register body = CASEFLOW__V1__INTAKE__REGISTER__INIT;
    body.channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE;
    body.resident = &resident;
    body.domains = domains;
    body.n_domains = 1;
    body.question = question;
    Caseflow__V1__Intake__Command intake = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    intake.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_REGISTER;
    intake.register_ = &body;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
    command.intake = &intake;
    return cf_testclient_command (client, request_id, &command);
}

void
cf_testclient_assert_refused_full (const Caseflow__V1__Reply *reply)
{
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__UNAVAILABLE, NULL);
    if (!strstr (reply->status->message, "store full"))
        fail_msg ("refused UNAVAILABLE, but not for a full store: %s", reply->status->message);
}

void
cf_test_assert_logged (const char *path, const char *text)
{
    char *log = cf_test_read_file (path, NULL);
    if (!log)
        fail_msg ("cannot read the log %s", path);
    bool found = strstr (log, text) != NULL;
    free (log);
    if (!found) {
        cf_test_dump_log (path);
        fail_msg ("no line of %s holds \"%s\"", path, text);
    }
}

int
cf_testclient_summary (cf_api_client_t *client, Caseflow__V1__Testing__Summary *summary)
{
    cf_testreq_t req;
    cf_testreq_summary (&req);
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &req.request, NULL);
    int rc = -1;
    if (reply && !reply->status && reply->result_case == CASEFLOW__V1__REPLY__RESULT_QUERY
        && reply->query->body_case == CASEFLOW__V1__QUERY_RESULT__BODY_SUMMARY) {
        *summary = *reply->query->summary;
        summary->base.unknown_fields = NULL;
        summary->base.n_unknown_fields = 0;
        rc = 0;
    }
    if (reply)
        caseflow__v1__reply__free_unpacked (reply, NULL);
    return rc;
}

bool
cf_testclient_start (cf_testproc_t *proc, const char *const *extra, bool first, int timeout_ms)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        if (attempt > 0) {
            fprintf (stderr, "%s exited at start; retrying on fresh ports\n", proc->binary);
            proc->http_port = cf_test_free_port ();
            snprintf (proc->api, sizeof proc->api, "tcp://%s:%d", proc->host, cf_test_free_port ());
            snprintf (proc->events, sizeof proc->events, "tcp://%s:%d", proc->host,
                      cf_test_free_port ());
        }
        if (cf_testproc_start (proc, extra) != 0)
            return false;
        if (cf_testproc_wait_ready (proc, timeout_ms))
            return true;
        if (proc->pid > 0 || !first)
            return false;  //  Still running (not ready in time), or a restart
    }
    return false;
}

void
cf_testclient_start_lone_intake (cf_testproc_t *intake, const char *data_dir,
                                 const char *const *extra)
{
    cf_testproc_init (intake, cf_test_binary ("caseflow-intake"), data_dir);
    char upstream [6][128];
    const char *names [] = { "--handover-events", "--handover-api",        "--assignment-events",
                             "--assignment-api",  "--notification-events", "--notification-api" };
    const char *flags [15] = { NULL };
    size_t count = 0;
    for (int i = 0; i < 6; i++) {
        snprintf (upstream [i], sizeof upstream [i], "%s=tcp://127.0.0.1:%d", names [i],
                  cf_test_free_port ());
        flags [count++] = upstream [i];
    }
    for (size_t i = 0; extra && extra [i]; i++) {
        assert_true (count < 14);
        flags [count++] = extra [i];
    }
    assert_int_equal (cf_testproc_start (intake, flags), 0);
    int64_t until = cf_test_now_ms () + 30000;
    while (cf_test_http_get (intake->http_port, "/healthz", NULL) != 200) {
        if (cf_test_now_ms () > until)
            fail_msg ("caseflow-intake did not start");
        cf_test_sleep_ms (20);
    }
}

void
cf_testclient_start_intake (cf_testproc_t *intake, const char *data_dir, char flags [2][128])
{
    cf_testclient_start_lone_intake (intake, data_dir, NULL);
    snprintf (flags [0], 128, "--intake-events=%s", intake->events);
    snprintf (flags [1], 128, "--intake-api=%s", intake->api);
}

extern char **environ;

void
cf_test_clear_caseflow_env (void)
{
    bool removed = true;
    //  unsetenv reshuffles environ: start over after each removal.
    while (removed) {
        removed = false;
        for (char **entry = environ; entry && *entry; entry++) {
            if (strncmp (*entry, "CASEFLOW_", 9) != 0
                || strncmp (*entry, "CASEFLOW_LOG_LEVEL=", 19) == 0)
                continue;
            char name [256];
            size_t len = strcspn (*entry, "=");
            if (len >= sizeof name)
                continue;
            memcpy (name, *entry, len);
            name [len] = 0;
            unsetenv (name);
            removed = true;
            break;
        }
    }
}

void
cf_test_dump_log (const char *path)
{
    FILE *file = fopen (path, "r");
    if (!file)
        return;
    static char lines [40][1024];
    size_t count = 0;
    while (fgets (lines [count % 40], sizeof lines [0], file))
        count++;
    fclose (file);
    fprintf (stderr, "---- last lines of %s\n", path);
    for (size_t i = count > 40 ? count - 40 : 0; i < count; i++)
        fputs (lines [i % 40], stderr);
}

void
cf_test_sleep_ms (int ms)
{
    struct timespec pause = { ms / 1000, (long) (ms % 1000) * 1000000L };
    while (nanosleep (&pause, &pause) == -1)
        ;
}

int64_t
cf_test_now_ms (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
