//  test_handover_intake: a completed "continue" handover becomes exactly
//  one intake case that keeps the preferred worker, also across restarts
//  of either service (the handover-to-intake path, with the real binaries).
//
//  Four real services on the manual clock: handover; intake (upstreams
//  handover, assignment and notification); assignment (upstream intake)
//  and notification (upstreams intake, assignment, handover), which intake
//  needs to be ready. The handover is driven to completion over ZeroMQ;
//  intake's cases of channel HANDOVER are then counted: one, with the
//  handover's id, provider and preferred worker. Handover is restarted,
//  then intake, and the count stays one. A second handover completed with
//  "stay" makes no case.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "caseflow/v1/api.pb-c.h"
#include "cf_api.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testproc.h"
#include "cf_time.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OK CASEFLOW__V1__STATUS__CODE__OK

enum { S_HANDOVER, S_INTAKE, S_ASSIGNMENT, S_NOTIFICATION, S_COUNT };
static const char *s_names [S_COUNT] = { "handover", "intake", "assignment", "notification" };

typedef struct {
    char *dir;
    cf_testproc_t procs [S_COUNT];
    char flags [S_COUNT][6][128];
    const char *argv [S_COUNT][10];
} s_env_t;

static s_env_t s_env;

static int
s_teardown (void **unused)
{
    (void) unused;
    for (int i = 0; i < S_COUNT; i++) {
        if (s_env.procs [i].pid > 0)
            cf_testproc_stop (&s_env.procs [i], SIGKILL, 10000);
        if (s_env.dir)
            cf_testproc_destroy (&s_env.procs [i]);
    }
    if (s_env.dir) {
        cf_test_rmtree (s_env.dir);
        free (s_env.dir);
    }
    memset (&s_env, 0, sizeof s_env);
    return 0;
}

//  Sends one handover command (fresh request id) and asserts OK.
static void
s_handover (Caseflow__V1__Handover__Command *handover)
{
    cf_api_client_t *client = cf_testclient_new (s_env.procs [S_HANDOVER].api);
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_HANDOVER;
    command.handover = handover;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = "";
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &command;
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &request, NULL);
    assert_non_null (reply);
    cf_testclient_assert_status (reply, OK, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
}

//  Announces `name`, plans, holds, decides `step`, waives the files and
//  completes: the handover gets id `id`.
static void
s_complete_handover (const char *id, const char *name, Caseflow__V1__Handover__NextStep step)
{
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = (char *) name;
    resident.birth_date = "1975-06-15";
    Caseflow__V1__Domain domain = CASEFLOW__V1__DOMAIN__DOMAIN_SUPPORT;
    Caseflow__V1__Handover__Announce announce = CASEFLOW__V1__HANDOVER__ANNOUNCE__INIT;
    announce.provider_id = "ggz";
    announce.resident = &resident;
    announce.domains = &domain;
    announce.n_domains = 1;
    announce.support = "support at home";
    announce.preferred_worker = "w12";
    Caseflow__V1__Handover__Plan plan = CASEFLOW__V1__HANDOVER__PLAN__INIT;
    plan.handover_id = (char *) id;
    plan.at = 1;
    Caseflow__V1__Handover__Held held = CASEFLOW__V1__HANDOVER__HELD__INIT;
    held.handover_id = (char *) id;
    Caseflow__V1__Handover__Decide decide = CASEFLOW__V1__HANDOVER__DECIDE__INIT;
    decide.handover_id = (char *) id;
    decide.next_step = step;
    Caseflow__V1__Handover__RecordFiles files = CASEFLOW__V1__HANDOVER__RECORD_FILES__INIT;
    files.handover_id = (char *) id;
    files.waive = true;
    Caseflow__V1__Handover__Complete complete = CASEFLOW__V1__HANDOVER__COMPLETE__INIT;
    complete.handover_id = (char *) id;

    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ANNOUNCE;
    command.announce = &announce;
    s_handover (&command);
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_PLAN;
    command.plan = &plan;
    s_handover (&command);
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_HELD;
    command.held = &held;
    s_handover (&command);
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_DECIDE;
    command.decide = &decide;
    s_handover (&command);
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_RECORD_FILES;
    command.record_files = &files;
    s_handover (&command);
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_COMPLETE;
    command.complete = &complete;
    s_handover (&command);
}

//  Intake's cases of channel HANDOVER: returns the count; checks each
//  came from H000001 with the preferred worker.
static int
s_handover_cases (void)
{
    cf_api_client_t *client = cf_testclient_new (s_env.procs [S_INTAKE].api);
    Caseflow__V1__Intake__ListCases list = CASEFLOW__V1__INTAKE__LIST_CASES__INIT;
    list.channel = CASEFLOW__V1__CHANNEL__CHANNEL_HANDOVER;
    Caseflow__V1__Intake__Query intake = CASEFLOW__V1__INTAKE__QUERY__INIT;
    intake.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_LIST_CASES;
    intake.list_cases = &list;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_INTAKE;
    query.intake = &intake;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = "";
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = &query;
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &request, NULL);
    assert_non_null (reply);
    cf_testclient_assert_status (reply, OK, NULL);
    Caseflow__V1__Intake__CaseList *cases = reply->query->intake->cases;
    int count = (int) cases->n_cases;
    for (int i = 0; i < count; i++) {
        const Caseflow__V1__Intake__CaseView *view = cases->cases [i];
        assert_string_equal (view->handover_id, "H000001");
        assert_string_equal (view->provider_id, "ggz");
        assert_string_equal (view->preferred_worker, "w12");
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
    return count;
}

//  Waits up to 30 s for intake to show `count` handover cases, then holds
//  it there for a moment (a duplicate would show up late, not never).
static void
s_expect_cases (int count)
{
    int64_t until = cf_test_now_ms () + 30000;
    while (s_handover_cases () != count && cf_test_now_ms () < until)
        cf_test_sleep_ms (100);
    assert_int_equal (s_handover_cases (), count);
    cf_test_sleep_ms (1500);
    assert_int_equal (s_handover_cases (), count);
}

static void
s_start (int which, bool wait)
{
    assert_int_equal (cf_testproc_start (&s_env.procs [which], s_env.argv [which]), 0);
    if (wait && !cf_testproc_wait_ready (&s_env.procs [which], 30000))
        fail_msg ("%s did not become ready", s_names [which]);
}

static void
test_completed_handover_becomes_one_case (void **unused)
{
    (void) unused;
    cf_time_init ();
    s_env.dir = cf_test_tmpdir ("handover-intake");
    for (int i = 0; i < S_COUNT; i++) {
        char data [300];
        snprintf (data, sizeof data, "%s/%s", s_env.dir, s_names [i]);
        char binary [64];
        snprintf (binary, sizeof binary, "caseflow-%s", s_names [i]);
        cf_testproc_init (&s_env.procs [i], cf_test_binary (binary), data);
    }
    //  Every process: the manual clock; intake and assignment: upstreams.
    cf_testproc_t *p = s_env.procs;
    for (int i = 0; i < S_COUNT; i++) {
        s_env.argv [i][0] = "--clock=manual";
        s_env.argv [i][1] = "--clock-start=2022-03-01T09:00";
    }
    //  Each process's upstreams, in flag order.
    static const int upstreams [S_COUNT][4] = {
        [S_HANDOVER] = { -1 },
        [S_INTAKE] = { S_HANDOVER, S_ASSIGNMENT, S_NOTIFICATION, -1 },
        [S_ASSIGNMENT] = { S_INTAKE, -1 },
        [S_NOTIFICATION] = { S_INTAKE, S_ASSIGNMENT, S_HANDOVER, -1 },
    };
    for (int i = 0; i < S_COUNT; i++) {
        int f = 0;
        for (int u = 0; upstreams [i][u] >= 0; u++) {
            int up = upstreams [i][u];
            snprintf (s_env.flags [i][f++], 128, "--%s-events=%s", s_names [up], p [up].events);
            snprintf (s_env.flags [i][f++], 128, "--%s-api=%s", s_names [up], p [up].api);
        }
        for (int k = 0; k < f; k++)
            s_env.argv [i][2 + k] = s_env.flags [i][k];
    }

    s_start (S_HANDOVER, true);
    s_start (S_INTAKE, false);
    s_start (S_ASSIGNMENT, false);
    s_start (S_NOTIFICATION, true);
    assert_true (cf_testproc_wait_ready (&p [S_ASSIGNMENT], 30000));
    assert_true (cf_testproc_wait_ready (&p [S_INTAKE], 30000));

    Caseflow__V1__Handover__AddProvider add = CASEFLOW__V1__HANDOVER__ADD_PROVIDER__INIT;
    add.provider_id = "ggz";
    add.name = "GGZ Oost Brabant";
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ADD_PROVIDER;
    command.add_provider = &add;
    s_handover (&command);
    s_complete_handover ("H000001", "Wim de Groot",
                         CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE);
    s_expect_cases (1);

    //  Handover restarts: its stream is replayed, intake takes nothing twice.
    assert_int_equal (cf_testproc_stop (&p [S_HANDOVER], SIGTERM, 20000), 0);
    s_start (S_HANDOVER, true);
    //  "stay": completed, but no case.
    s_complete_handover ("H000002", "Anja Vos", CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_STAY);
    s_expect_cases (1);

    //  Intake restarts: it replays its journal and catches up; still one.
    assert_int_equal (cf_testproc_stop (&p [S_INTAKE], SIGTERM, 20000), 0);
    s_start (S_INTAKE, true);
    s_expect_cases (1);

    for (int i = S_COUNT - 1; i >= 0; i--)
        assert_int_equal (cf_testproc_stop (&p [i], SIGTERM, 20000), 0);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_teardown (test_completed_handover_becomes_one_case, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
