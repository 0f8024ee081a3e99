//  test_handover: the real caseflow-handover binary, driven over ZeroMQ on
//  the manual clock.
//
//  A provider is added; one resident is announced, the joint meeting
//  planned and held, "continue" decided, completion refused until the case
//  files are recorded, then completed; a worker's caseload of two residents
//  is announced and one of them cancelled. Illegal moves and retries are
//  checked on the wire. A SUB socket on the events endpoint (topic prefix
//  "handover.") sees HandoverCompleted with everything intake needs,
//  sealed: no plain personal value in its bytes, and the transit key that
//  GetTransitKey hands a local caller (keys off) opens it. Handover follows
//  intake's stream (for ResidentErased): a real caseflow-intake that writes
//  nothing runs beside it as that upstream. The
//  progress figures and forecast are checked, the service is stopped and
//  restarted on the same data, and the digest, the figures and the id
//  sequence carry on unchanged.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "caseflow/v1/api.pb-c.h"
#include "cf_api.h"
#include "cf_event.h"
#include "cf_seal.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testproc.h"
#include "cf_time.h"

#include <czmq.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OK CASEFLOW__V1__STATUS__CODE__OK

typedef struct {
    char *dir;
    cf_testproc_t proc;
    cf_testproc_t intake;  //  the upstream handover follows
    char intake_flags [2][128];
    cf_api_client_t *client;
    zsock_t *sub;
} s_env_t;

static int64_t
s_time (const char *text)
{
    int64_t at = 0;
    assert_int_equal (cf_time_parse (text, &at), 0);
    return at;
}

//  Sends a handover command with `request_id` (NULL: fresh) and returns
//  the reply (free with caseflow__v1__reply__free_unpacked).
static Caseflow__V1__Reply *
s_command (s_env_t *env, Caseflow__V1__Handover__Command *handover, const char *request_id)
{
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_HANDOVER;
    command.handover = handover;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = (char *) (request_id ? request_id : "");
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &command;
    Caseflow__V1__Reply *reply = cf_api_client_call (env->client, &request, NULL);
    assert_non_null (reply);
    return reply;
}

static Caseflow__V1__Reply *
s_query (s_env_t *env, Caseflow__V1__Handover__Query *handover)
{
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_HANDOVER;
    query.handover = handover;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = "";
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = &query;
    Caseflow__V1__Reply *reply = cf_api_client_call (env->client, &request, NULL);
    assert_non_null (reply);
    cf_testclient_assert_status (reply, OK, NULL);
    return reply;
}

//  Runs a command, asserts `code` (and `fragment` in the message), frees.
static void
s_expect (s_env_t *env, Caseflow__V1__Handover__Command *command, Caseflow__V1__Status__Code code,
          const char *fragment)
{
    Caseflow__V1__Reply *reply = s_command (env, command, NULL);
    cf_testclient_assert_status (reply, code, NULL);
    if (fragment) {
        assert_non_null (reply->status);
        if (!strstr (reply->status->message, fragment))
            fail_msg ("'%s' not in '%s'", fragment, reply->status->message);
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

static void
s_clock_set (s_env_t *env, const char *when)
{
    cf_testreq_t req;
    cf_testreq_clock_set (&req, NULL, s_time (when));
    Caseflow__V1__Reply *reply = cf_testclient_call (env->client, &req);
    cf_testclient_assert_status (reply, OK, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

//  ------------------------------------------------------ command builders

#define S_CMD(var, field, case_, type, init)                                     \
    type var##_body = init;                                                      \
    Caseflow__V1__Handover__Command var = CASEFLOW__V1__HANDOVER__COMMAND__INIT; \
    var.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_##case_;               \
    var.field = &var##_body

static void
s_add_provider (s_env_t *env)
{
    S_CMD (add, add_provider, ADD_PROVIDER, Caseflow__V1__Handover__AddProvider,
           CASEFLOW__V1__HANDOVER__ADD_PROVIDER__INIT);
    add_body.provider_id = "ggz-oost";
    add_body.name = "GGZ Oost Brabant";
    s_expect (env, &add, OK, NULL);
    s_expect (env, &add, CASEFLOW__V1__STATUS__CODE__CONFLICT, "already exists");
}

//  The single announcement, the meeting, the decision, the files and the
//  completion of H000001.
static void
s_lifecycle (s_env_t *env)
{
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = "Fatima el Amrani";
    resident.birth_date = "1979-11-02";
    resident.bsn = "111222333";
    resident.district = "Brandevoort";
    Caseflow__V1__Domain domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_MENTAL_HEALTH,
                                        CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING };
    S_CMD (announce, announce, ANNOUNCE, Caseflow__V1__Handover__Announce,
           CASEFLOW__V1__HANDOVER__ANNOUNCE__INIT);
    announce_body.provider_id = "ggz-oost";
    announce_body.resident = &resident;
    announce_body.domains = domains;
    announce_body.n_domains = 2;
    announce_body.support = "ambulant support at home";
    announce_body.preferred_worker = "w12";
    announce_body.urgency = CASEFLOW__V1__URGENCY__URGENCY_URGENT;
    Caseflow__V1__Reply *reply = s_command (env, &announce, NULL);
    cf_testclient_assert_status (reply, OK, NULL);
    Caseflow__V1__Handover__HandoverView *view = reply->command->handover->handover;
    assert_string_equal (view->handover_id, "H000001");
    assert_int_equal (view->deadline, s_time ("2022-07-01T00:00:00+02:00"));
    assert_int_equal (reply->command->last_seq, 2);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    //  The same resident again while open.
    s_expect (env, &announce, CASEFLOW__V1__STATUS__CODE__CONFLICT, "H000001");

    //  An illegal move names the current state.
    S_CMD (held, held, HELD, Caseflow__V1__Handover__Held, CASEFLOW__V1__HANDOVER__HELD__INIT);
    held_body.handover_id = "H000001";
    s_expect (env, &held, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION,
              "handover H000001 is announced");

    char *participants [] = { "provider:J. Jansen", "resident", "worker:w12" };
    S_CMD (plan, plan, PLAN, Caseflow__V1__Handover__Plan, CASEFLOW__V1__HANDOVER__PLAN__INIT);
    plan_body.handover_id = "H000001";
    plan_body.at = s_time ("2022-03-08T10:00");
    plan_body.location = "Wijkcentrum Brandevoort";
    plan_body.participants = participants;
    plan_body.n_participants = 3;
    s_expect (env, &plan, OK, NULL);
    s_clock_set (env, "2022-03-08T11:30");
    s_expect (env, &held, OK, NULL);

    S_CMD (decide, decide, DECIDE, Caseflow__V1__Handover__Decide,
           CASEFLOW__V1__HANDOVER__DECIDE__INIT);
    decide_body.handover_id = "H000001";
    decide_body.next_step = CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE;
    decide_body.note = "continue with w12";
    s_expect (env, &decide, OK, NULL);

    S_CMD (complete, complete, COMPLETE, Caseflow__V1__Handover__Complete,
           CASEFLOW__V1__HANDOVER__COMPLETE__INIT);
    complete_body.handover_id = "H000001";
    s_expect (env, &complete, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION,
              "without a case-file transfer");

    Caseflow__V1__Handover__Document plan_doc = CASEFLOW__V1__HANDOVER__DOCUMENT__INIT;
    plan_doc.title = "support plan 2021";
    plan_doc.type = "plan";
    plan_doc.received_at = s_time ("2022-03-01");
    Caseflow__V1__Handover__Document *documents [] = { &plan_doc };
    S_CMD (files, record_files, RECORD_FILES, Caseflow__V1__Handover__RecordFiles,
           CASEFLOW__V1__HANDOVER__RECORD_FILES__INIT);
    files_body.handover_id = "H000001";
    files_body.documents = documents;
    files_body.n_documents = 1;
    s_expect (env, &files, OK, NULL);

    s_clock_set (env, "2022-03-09T09:00");
    //  Completed once; the retry of the same request gets the same reply
    //  and records nothing twice.
    Caseflow__V1__Reply *first = s_command (env, &complete, "complete-H000001");
    cf_testclient_assert_status (first, OK, NULL);
    assert_int_equal (first->command->handover->handover->state,
                      CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_COMPLETED);
    Caseflow__V1__Reply *retry = s_command (env, &complete, "complete-H000001");
    cf_testclient_assert_status (retry, OK, NULL);
    assert_int_equal (retry->command->last_seq, first->command->last_seq);
    assert_int_equal (retry->command->handover->handover->completed_at,
                      s_time ("2022-03-09T09:00"));
    caseflow__v1__reply__free_unpacked (first, NULL);
    caseflow__v1__reply__free_unpacked (retry, NULL);
    s_expect (env, &complete, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION, "is completed");
}

//  A worker's caseload of two: H000002 and H000003; H000003 cancelled.
static void
s_caseload (s_env_t *env)
{
    Caseflow__V1__PersonalData people [2] = { CASEFLOW__V1__PERSONAL_DATA__INIT,
                                              CASEFLOW__V1__PERSONAL_DATA__INIT };
    people [0].name = "Jan Smits";
    people [1].name = "Lotte Bakker";
    people [1].birth_date = "2008-04-12";
    Caseflow__V1__Domain youth = CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH;
    Caseflow__V1__Handover__CaseloadResident entries [2] = {
        CASEFLOW__V1__HANDOVER__CASELOAD_RESIDENT__INIT,
        CASEFLOW__V1__HANDOVER__CASELOAD_RESIDENT__INIT
    };
    Caseflow__V1__Handover__CaseloadResident *pointers [2] = { &entries [0], &entries [1] };
    for (int i = 0; i < 2; i++) {
        entries [i].resident = &people [i];
        entries [i].domains = &youth;
        entries [i].n_domains = 1;
    }
    S_CMD (caseload, announce_caseload, ANNOUNCE_CASELOAD, Caseflow__V1__Handover__AnnounceCaseload,
           CASEFLOW__V1__HANDOVER__ANNOUNCE_CASELOAD__INIT);
    caseload_body.provider_id = "ggz-oost";
    caseload_body.worker_id = "w30";
    caseload_body.residents = pointers;
    caseload_body.n_residents = 2;
    Caseflow__V1__Reply *reply = s_command (env, &caseload, NULL);
    cf_testclient_assert_status (reply, OK, NULL);
    Caseflow__V1__Handover__HandoverIds *ids = reply->command->handover->caseload;
    assert_int_equal (ids->n_handover_ids, 2);
    assert_string_equal (ids->handover_ids [0], "H000002");
    assert_string_equal (ids->handover_ids [1], "H000003");
    caseflow__v1__reply__free_unpacked (reply, NULL);

    S_CMD (cancel, cancel, CANCEL, Caseflow__V1__Handover__Cancel,
           CASEFLOW__V1__HANDOVER__CANCEL__INIT);
    cancel_body.handover_id = "H000003";
    cancel_body.reason = "stays with the youth provider";
    s_expect (env, &cancel, OK, NULL);

    Caseflow__V1__Handover__GetHandover get = CASEFLOW__V1__HANDOVER__GET_HANDOVER__INIT;
    get.handover_id = "H000002";
    Caseflow__V1__Handover__Query query = CASEFLOW__V1__HANDOVER__QUERY__INIT;
    query.body_case = CASEFLOW__V1__HANDOVER__QUERY__BODY_GET_HANDOVER;
    query.get_handover = &get;
    reply = s_query (env, &query);
    Caseflow__V1__Handover__HandoverView *view = reply->query->handover->handover;
    assert_string_equal (view->preferred_worker, "w30");
    assert_string_equal (view->caseload_worker, "w30");
    assert_string_equal (view->resident->name, "Jan Smits");
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

//  The progress report, encoded, for comparing before and after restart.
static void
s_progress (s_env_t *env, int64_t at, uint8_t **encoded_p, size_t *size_p)
{
    Caseflow__V1__Handover__Progress progress = CASEFLOW__V1__HANDOVER__PROGRESS__INIT;
    progress.at = at;
    Caseflow__V1__Handover__Query query = CASEFLOW__V1__HANDOVER__QUERY__INIT;
    query.body_case = CASEFLOW__V1__HANDOVER__QUERY__BODY_PROGRESS;
    query.progress = &progress;
    Caseflow__V1__Reply *reply = s_query (env, &query);
    Caseflow__V1__Handover__ProgressReport *report = reply->query->handover->progress;
    Caseflow__V1__Handover__ProgressCounts *totals = report->totals;
    //  At 10 March 09:00: H000001 completed (9 March), H000002 announced,
    //  H000003 cancelled. One completion in 28 days, one remaining: 28
    //  days on, 7 April.
    assert_int_equal (totals->total, 3);
    assert_int_equal (totals->completed, 1);
    assert_int_equal (totals->cancelled, 1);
    assert_int_equal (totals->in_progress, 1);
    assert_int_equal (totals->decided, 0);
    assert_int_equal (totals->overdue, 0);
    assert_int_equal (totals->remaining, 1);
    assert_string_equal (totals->forecast_completion_date, "2022-04-07");
    assert_true (totals->on_track);
    assert_string_equal (report->deadline_date, "2022-06-30");
    assert_int_equal (report->n_by_provider, 1);
    assert_string_equal (report->by_provider [0]->provider_id, "ggz-oost");
    assert_int_equal (report->by_provider [0]->counts->total, 3);
    *size_p = caseflow__v1__handover__progress_report__get_packed_size (report);
    *encoded_p = malloc (*size_p + 1);
    assert_non_null (*encoded_p);
    caseflow__v1__handover__progress_report__pack (report, *encoded_p);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

//  Asks for the transit key of the completion's handover (keys off: any
//  local caller may) and opens what the completion carries with it.
static void
s_expect_opens (s_env_t *env, const Caseflow__V1__Handover__HandoverCompleted *done)
{
    Caseflow__V1__Handover__GetTransitKey get = CASEFLOW__V1__HANDOVER__GET_TRANSIT_KEY__INIT;
    get.handover_id = done->handover_id;
    Caseflow__V1__Handover__Query query = CASEFLOW__V1__HANDOVER__QUERY__INIT;
    query.body_case = CASEFLOW__V1__HANDOVER__QUERY__BODY_GET_TRANSIT_KEY;
    query.get_transit_key = &get;
    Caseflow__V1__Reply *reply = s_query (env, &query);
    cf_testclient_assert_status (reply, OK, NULL);
    const Caseflow__V1__Handover__TransitKey *key = reply->query->handover->transit_key;
    assert_string_equal (key->key_id, done->personal->key_id);
    assert_int_equal (key->key.len, CF_SEAL_KEY_BYTES);
    Caseflow__V1__Personal *personal = NULL;
    assert_int_equal (
        cf_seal_open (key->key.data, done->personal, "handover.HandoverCompleted", &personal), 0);
    assert_string_equal (personal->resident->name, "Fatima el Amrani");
    assert_string_equal (personal->resident->bsn, "111222333");
    assert_string_equal (personal->text, "ambulant support at home");
    caseflow__v1__personal__free_unpacked (personal, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

//  Reads the events socket until HandoverCompleted arrives (30 s at most).
static void
s_expect_completed_published (s_env_t *env)
{
    int64_t until = cf_test_now_ms () + 30000;
    zpoller_t *poller = zpoller_new (env->sub, NULL);
    bool seen = false;
    while (!seen && cf_test_now_ms () < until) {
        if (!zpoller_wait (poller, 500))
            continue;
        zmsg_t *msg = zmsg_recv (env->sub);
        assert_non_null (msg);
        char *topic = zmsg_popstr (msg);
        zframe_t *body = zmsg_pop (msg);
        assert_non_null (topic);
        assert_int_equal (strncmp (topic, "handover.", 9), 0);
        //  Topics carry the stream and type only, never personal data.
        assert_null (strstr (topic, "Fatima"));
        if (strcmp (topic, "handover.HandoverCompleted") == 0) {
            Caseflow__V1__Event *event =
                cf_event_decode (zframe_data (body), zframe_size (body), "handover", NULL);
            assert_non_null (event);
            Caseflow__V1__Handover__HandoverCompleted *done = event->handover_completed;
            assert_non_null (done);
            assert_string_equal (done->handover_id, "H000001");
            assert_string_equal (done->provider_id, "ggz-oost");
            assert_int_equal (done->next_step,
                              CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE);
            //  The resident travels sealed only: not in the bytes.
            assert_null (done->resident);
            assert_null (memmem (zframe_data (body), zframe_size (body), "Fatima", 6));
            assert_null (memmem (zframe_data (body), zframe_size (body), "111222333", 9));
            s_expect_opens (env, done);
            assert_int_equal (done->n_domains, 2);
            assert_string_equal (done->preferred_worker, "w12");
            assert_int_equal (done->urgency, CASEFLOW__V1__URGENCY__URGENCY_URGENT);
            assert_int_equal (event->occurred_at, s_time ("2022-03-09T09:00"));
            caseflow__v1__event__free_unpacked (event, NULL);
            seen = true;
        }
        zstr_free (&topic);
        zframe_destroy (&body);
        zmsg_destroy (&msg);
    }
    zpoller_destroy (&poller);
    assert_true (seen);
}

//  Waits until the subscription carries messages (the first heartbeat).
static void
s_wait_subscribed (s_env_t *env)
{
    int64_t until = cf_test_now_ms () + 10000;
    zpoller_t *poller = zpoller_new (env->sub, NULL);
    bool heard = false;
    while (!heard && cf_test_now_ms () < until)
        if (zpoller_wait (poller, 500)) {
            zmsg_t *msg = zmsg_recv (env->sub);
            char *topic = zmsg_popstr (msg);
            heard = topic && strcmp (topic, "handover.$heartbeat") == 0;
            zstr_free (&topic);
            zmsg_destroy (&msg);
        }
    zpoller_destroy (&poller);
    assert_true (heard);
}

//  The environment of the running test, so a failed assertion (which
//  leaves the test function) still stops the service and cleans up.
static s_env_t s_env;

static int
s_teardown (void **unused)
{
    (void) unused;
    cf_api_client_destroy (&s_env.client);
    zsock_destroy (&s_env.sub);
    if (s_env.proc.pid > 0)
        cf_testproc_stop (&s_env.proc, SIGKILL, 10000);
    if (s_env.intake.pid > 0)
        cf_testproc_stop (&s_env.intake, SIGKILL, 10000);
    if (s_env.dir) {
        cf_testproc_destroy (&s_env.intake);
        cf_testproc_destroy (&s_env.proc);
        cf_test_rmtree (s_env.dir);
        free (s_env.dir);
    }
    memset (&s_env, 0, sizeof s_env);
    return 0;
}

static void
test_handover_lifecycle_over_the_wire (void **unused)
{
    (void) unused;
    s_env_t *env = &s_env;
    cf_time_init ();
    env->dir = cf_test_tmpdir ("handover");
    char data [300];
    snprintf (data, sizeof data, "%s/data", env->dir);
    cf_testproc_init (&env->proc, cf_test_binary ("caseflow-handover"), data);
    snprintf (data, sizeof data, "%s/intake", env->dir);
    cf_testclient_start_intake (&env->intake, data, env->intake_flags);
    const char *flags [] = { "--clock=manual", "--clock-start=2022-03-01T09:00",
                             env->intake_flags [0], env->intake_flags [1], NULL };
    assert_true (cf_testclient_start (&env->proc, flags, true, 30000));
    env->client = cf_testclient_new (env->proc.api);
    env->sub = zsock_new_sub (env->proc.events, "handover.");
    assert_non_null (env->sub);
    s_wait_subscribed (env);

    s_add_provider (env);
    s_lifecycle (env);
    s_expect_completed_published (env);
    s_caseload (env);
    s_clock_set (env, "2022-03-10T09:00");

    uint8_t *before_report, *after_report;
    size_t before_size, after_size;
    s_progress (env, 0, &before_report, &before_size);
    char before [65], after [65];
    uint64_t applied_before = cf_testclient_digest (env->client, before);
    assert_int_equal (applied_before, 10);

    //  Stop cleanly and start again on the same data.
    cf_api_client_destroy (&env->client);
    zsock_destroy (&env->sub);
    assert_int_equal (cf_testproc_stop (&env->proc, SIGTERM, 20000), 0);
    assert_true (cf_testclient_start (&env->proc, flags, false, 30000));
    env->client = cf_testclient_new (env->proc.api);
    uint64_t applied_after = cf_testclient_digest (env->client, after);
    assert_int_equal (applied_after, applied_before);
    assert_string_equal (before, after);
    //  The manual clock came back where it was; the figures for that
    //  moment are byte for byte the same.
    assert_int_equal (cf_testclient_clock (env->client), s_time ("2022-03-10T09:00"));
    s_progress (env, s_time ("2022-03-10T09:00"), &after_report, &after_size);
    assert_int_equal (before_size, after_size);
    assert_memory_equal (before_report, after_report, before_size);
    free (before_report);
    free (after_report);

    //  Ids carry on from the journal.
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = "Kees Verhoeven";
    Caseflow__V1__Domain debt = CASEFLOW__V1__DOMAIN__DOMAIN_DEBT;
    S_CMD (announce, announce, ANNOUNCE, Caseflow__V1__Handover__Announce,
           CASEFLOW__V1__HANDOVER__ANNOUNCE__INIT);
    announce_body.provider_id = "ggz-oost";
    announce_body.resident = &resident;
    announce_body.domains = &debt;
    announce_body.n_domains = 1;
    Caseflow__V1__Reply *reply = s_command (env, &announce, NULL);
    cf_testclient_assert_status (reply, OK, NULL);
    assert_string_equal (reply->command->handover->handover->handover_id, "H000004");
    caseflow__v1__reply__free_unpacked (reply, NULL);

    cf_api_client_destroy (&env->client);
    assert_int_equal (cf_testproc_stop (&env->proc, SIGTERM, 20000), 0);
    //  Personal data never reaches the log.
    FILE *log = fopen (env->proc.log_path, "r");
    assert_non_null (log);
    char line [4096];
    while (fgets (line, sizeof line, log)) {
        assert_null (strstr (line, "Fatima"));
        assert_null (strstr (line, "111222333"));
        assert_null (strstr (line, "Jan Smits"));
    }
    fclose (log);
    assert_int_equal (cf_testproc_stop (&env->intake, SIGTERM, 20000), 0);
    cf_testproc_destroy (&env->intake);
    cf_testproc_destroy (&env->proc);
    cf_test_rmtree (env->dir);
    free (env->dir);
    memset (env, 0, sizeof *env);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_teardown (test_handover_lifecycle_over_the_wire, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
