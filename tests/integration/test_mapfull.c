//  test_mapfull: a real service (caseflow-intake) whose store fills up.
//
//  Intake starts with the smallest map (--map-size=1M) and registers
//  residents, each with a long question, until a registration is refused
//  UNAVAILABLE. Then: the refusal says the store is full, and so does a
//  log line and the status query; queries still answer (the list holds
//  every registration that was acknowledged, the digest query works and
//  does not change), but a read of a case's personal data is refused
//  UNAVAILABLE, since its access record cannot be stored
//  (docs/privacy.md, "Accountability"); commands are refused. SIGTERM
//  stops it cleanly (exit 0); on a
//  larger map every acknowledged registration is there with the same
//  digest, the refused one, retried with its request id, now acts, and new
//  registrations succeed. The runtime's own test of the same rules, on the
//  test service, is test_store_full in test_runtime.c.
//
//  Intake's upstreams (handover, assignment) point at ports nobody
//  serves: it is never ready, but answers its api.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testproc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_OK        CASEFLOW__V1__STATUS__CODE__OK
#define S_MAX_CASES 900  //  within one ListCases page of 1000
#define S_STOP_MS   20000

typedef struct {
    char *dir;
    cf_testproc_t proc;
    cf_api_client_t *client;
    char upstreams [6][96];
    bool passed;
} s_fixture_t;

static int
s_setup (void **state)
{
    s_fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->dir = cf_test_tmpdir ("mapfull");
    char data_dir [512];
    snprintf (data_dir, sizeof data_dir, "%s/intake", f->dir);
    cf_testproc_init (&f->proc, cf_test_binary ("caseflow-intake"), data_dir);
    const char *names [] = { "handover-events", "handover-api",        "assignment-events",
                             "assignment-api",  "notification-events", "notification-api" };
    for (int i = 0; i < 6; i++)
        snprintf (f->upstreams [i], sizeof f->upstreams [i], "--%s=tcp://127.0.0.1:%d", names [i],
                  cf_test_free_port ());
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    s_fixture_t *f = *state;
    cf_api_client_destroy (&f->client);
    if (f->proc.pid > 0)
        cf_testproc_stop (&f->proc, SIGKILL, S_STOP_MS);
    if (!f->passed)
        cf_test_dump_log (f->proc.log_path);
    cf_testproc_destroy (&f->proc);
    //  CF_TEST_KEEP=1 keeps the store and the log to look at.
    if (getenv ("CF_TEST_KEEP"))
        fprintf (stderr, "kept %s\n", f->dir);
    else
        cf_test_rmtree (f->dir);
    free (f->dir);
    free (f);
    return 0;
}

//  Starts intake with `map_size` and waits for its api (it is not ready:
//  its upstreams never answer).
static void
s_start (s_fixture_t *f, const char *map_size)
{
    char map_flag [64];
    snprintf (map_flag, sizeof map_flag, "--map-size=%s", map_size);
    const char *extra [] = { "--clock=manual", "--clock-start=2022-01-03T09:00",
                             map_flag,         f->upstreams [0],
                             f->upstreams [1], f->upstreams [2],
                             f->upstreams [3], f->upstreams [4],
                             f->upstreams [5], NULL };
    assert_int_equal (cf_testproc_start (&f->proc, extra), 0);
    if (!f->client)
        f->client = cf_testclient_new (f->proc.api);
    Caseflow__V1__Reply *reply = cf_testclient_status (f->client);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

//  Registers resident `number`: asserts OK and returns the case number.
static int
s_register_ok (s_fixture_t *f, const char *request_id, int number)
{
    Caseflow__V1__Reply *reply = cf_testclient_register_bulky (f->client, request_id, number);
    cf_testclient_assert_status (reply, S_OK, NULL);
    int case_number = atoi (reply->command->intake->registered->case_id + 1);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return case_number;
}

static Caseflow__V1__Reply *
s_query (s_fixture_t *f, Caseflow__V1__Intake__Query *intake)
{
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_INTAKE;
    query.intake = intake;
    return cf_testclient_query (f->client, &query);
}

//  Asserts that cases C000001 .. C<count> are there, each the resident
//  `numbers [i]` registered, and no other. With the store `full`, reading
//  a case's personal data is refused instead (nothing can record it).
static void
s_assert_cases (s_fixture_t *f, const int *numbers, int count, bool full)
{
    for (int i = 0; i < count; i++) {
        char case_id [16], name [64];
        snprintf (case_id, sizeof case_id, "C%06d", i + 1);
        snprintf (name, sizeof name, "Resident %05d", numbers [i]);
        Caseflow__V1__Intake__GetCase body = CASEFLOW__V1__INTAKE__GET_CASE__INIT;
        body.case_id = case_id;
        Caseflow__V1__Intake__Query query = CASEFLOW__V1__INTAKE__QUERY__INIT;
        query.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_GET_CASE;
        query.get_case = &body;
        Caseflow__V1__Reply *reply = s_query (f, &query);
        if (full) {
            cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__UNAVAILABLE, NULL);
            assert_non_null (strstr (reply->status->message, "cannot be recorded"));
            assert_null (reply->query);
        } else {
            cf_testclient_assert_status (reply, S_OK, NULL);
            assert_string_equal (reply->query->intake->case_->resident->name, name);
        }
        caseflow__v1__reply__free_unpacked (reply, NULL);
    }
    Caseflow__V1__Intake__ListCases body = CASEFLOW__V1__INTAKE__LIST_CASES__INIT;
    body.limit = 1000;
    Caseflow__V1__Intake__Query query = CASEFLOW__V1__INTAKE__QUERY__INIT;
    query.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_LIST_CASES;
    query.list_cases = &body;
    Caseflow__V1__Reply *reply = s_query (f, &query);
    cf_testclient_assert_status (reply, S_OK, NULL);
    assert_int_equal (reply->query->intake->cases->n_cases, count);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

static void
test_intake_store_full (void **state)
{
    s_fixture_t *f = *state;
    s_start (f, "1M");
    //  Fill: every acknowledged registration is remembered (resident
    //  number by case), until one is refused for want of room.
    int numbers [S_MAX_CASES + 2];
    int acknowledged = 0, refused = -1;
    char digest [65], after [65];
    uint64_t applied = 0;
    for (int number = 1; number <= S_MAX_CASES && refused < 0; number++) {
        char request_id [32];
        snprintf (request_id, sizeof request_id, "fill-%05d", number);
        Caseflow__V1__Reply *reply = cf_testclient_register_bulky (f->client, request_id, number);
        if (cf_api_reply_code (reply) == CASEFLOW__V1__STATUS__CODE__UNAVAILABLE) {
            cf_testclient_assert_refused_full (reply);
            refused = number;
        } else {
            cf_testclient_assert_status (reply, S_OK, NULL);
            assert_int_equal (atoi (reply->command->intake->registered->case_id + 1),
                              acknowledged + 1);
            numbers [acknowledged++] = number;
        }
        caseflow__v1__reply__free_unpacked (reply, NULL);
    }
    if (refused < 0)
        fail_msg ("%d registrations fitted in a 1 MB map", S_MAX_CASES);
    print_message ("%d registrations fitted in a 1 MB map\n", acknowledged);
    assert_true (acknowledged > 10);

    //  Full: said by the status query and the log; queries answer, the
    //  state is what was acknowledged, and commands are refused.
    applied = cf_testclient_store_full (f->client, true);
    cf_test_assert_logged (f->proc.log_path, "store full (--map-size 1048576 bytes)");
    assert_int_equal (cf_testclient_digest (f->client, digest), applied);
    s_assert_cases (f, numbers, acknowledged, true);
    Caseflow__V1__Reply *reply =
        cf_testclient_register_bulky (f->client, "while-full", S_MAX_CASES + 1);
    cf_testclient_assert_refused_full (reply);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    assert_int_equal (cf_testclient_digest (f->client, after), applied);
    assert_string_equal (after, digest);
    assert_int_equal (cf_testproc_stop (&f->proc, SIGTERM, S_STOP_MS), 0);

    //  A larger map: the same state, and writes again. The refused
    //  registration was not remembered: retried with its id, it acts now.
    s_start (f, "64M");
    cf_testclient_store_full (f->client, false);
    assert_int_equal (cf_testclient_digest (f->client, after), applied);
    assert_string_equal (after, digest);
    s_assert_cases (f, numbers, acknowledged, false);
    char request_id [32];
    snprintf (request_id, sizeof request_id, "fill-%05d", refused);
    assert_int_equal (s_register_ok (f, request_id, refused), acknowledged + 1);
    numbers [acknowledged++] = refused;
    assert_int_equal (s_register_ok (f, "after-restart", S_MAX_CASES + 2), acknowledged + 1);
    numbers [acknowledged++] = S_MAX_CASES + 2;
    s_assert_cases (f, numbers, acknowledged, false);
    assert_int_equal (cf_testproc_stop (&f->proc, SIGTERM, S_STOP_MS), 0);
    f->passed = true;
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_intake_store_full, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
