//  test_handover_intake: the handover-to-intake path with the real
//  binaries, and what the transit keys of handover do on it.
//
//  Four real services on the manual clock: handover (upstream intake, for
//  ResidentErased); intake (upstreams handover, assignment and
//  notification); assignment (upstream intake) and notification (upstreams
//  intake, assignment, handover), which intake needs to be ready.
//
//  - A completed "continue" handover becomes exactly one intake case that
//    keeps the preferred worker, also across restarts of either service.
//    The case shows the resident's name: intake fetched the handover's
//    transit key (GetTransitKey) and adopted it. A second handover
//    completed with "stay" makes no case. Intake erases the resident by
//    the handover's id: handover follows the ResidentErased, its view of
//    the handover reads "erased", and the transit key's bytes are in no
//    file of handover's key store (nor of intake's). Neither journal holds
//    a resident's name or BSN in plain.
//  - With CURVE keys on, intake (role service) adopts the key over CURVE;
//    an operator key asking handover for a transit key is refused
//    PERMISSION_DENIED, another service's key is answered.
//  - When handover cannot be reached as the completion arrives (intake
//    reaches handover's api through a relay that is then shut), the case
//    is not lost: it is registered with the resident sealed as handover
//    sent it (its name reads "unreadable"); intake restarted with a way to
//    handover adopts the key at start and the name reads again.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "caseflow/v1/api.pb-c.h"
#include "cf_api.h"
#include "cf_keys.h"
#include "cf_seal.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testproc.h"
#include "cf_testrelay.h"
#include "cf_time.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define OK        CASEFLOW__V1__STATUS__CODE__OK
#define DENIED    CASEFLOW__V1__STATUS__CODE__PERMISSION_DENIED
#define NOT_FOUND CASEFLOW__V1__STATUS__CODE__NOT_FOUND

#define S_NAME       "Wim de Groot"
#define S_BSN        "123456782"
#define S_OTHER_NAME "Anja Vos"
#define S_OTHER_BSN  "111222333"

enum { S_HANDOVER, S_INTAKE, S_ASSIGNMENT, S_NOTIFICATION, S_COUNT };
static const char *s_names [S_COUNT] = { "handover", "intake", "assignment", "notification" };

typedef struct {
    char *dir;
    char keys [300];  //  the key set, when keys are on ("" otherwise)
    cf_testproc_t procs [S_COUNT];
    char flags [S_COUNT][8][320];
    const char *argv [S_COUNT][12];
    cf_keys_t *client_keys;  //  the test's own (operator) with keys on
    cf_testrelay_t *relay;   //  intake's way to handover's api, when relayed
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
    cf_testrelay_destroy (&s_env.relay);
    cf_keys_destroy (&s_env.client_keys);
    if (s_env.dir) {
        cf_test_rmtree (s_env.dir);
        free (s_env.dir);
    }
    memset (&s_env, 0, sizeof s_env);
    return 0;
}

static cf_api_client_t *
s_client (int which)
{
    if (!s_env.client_keys)
        return cf_testclient_new (s_env.procs [which].api);
    cf_api_client_t *client = cf_api_client_new_secure (s_env.procs [which].api, 5000, 3,
                                                        s_env.client_keys, s_names [which]);
    assert_non_null (client);
    return client;
}

//  Sends one handover command (fresh request id) and asserts OK.
static void
s_handover (Caseflow__V1__Handover__Command *handover)
{
    cf_api_client_t *client = s_client (S_HANDOVER);
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_HANDOVER;
    command.handover = handover;
    Caseflow__V1__Reply *reply = cf_testclient_command (client, NULL, &command);
    cf_testclient_assert_status (reply, OK, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
}

static void
s_add_provider (void)
{
    Caseflow__V1__Handover__AddProvider add = CASEFLOW__V1__HANDOVER__ADD_PROVIDER__INIT;
    add.provider_id = "ggz";
    add.name = "GGZ Oost Brabant";
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ADD_PROVIDER;
    command.add_provider = &add;
    s_handover (&command);
}

//  Announces `name` (with `bsn`), plans, holds and decides `step`, waives
//  the files; completes unless `complete` is false, after calling
//  `before_complete` (may be NULL): the handover gets id `id`.
static void
s_drive_handover (const char *id, const char *name, const char *bsn,
                  Caseflow__V1__Handover__NextStep step, void (*before_complete) (void))
{
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = (char *) name;
    resident.bsn = (char *) bsn;
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
    if (before_complete)
        before_complete ();
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_COMPLETE;
    command.complete = &complete;
    s_handover (&command);
}

//  An intake query's reply (free it), asserted OK.
static Caseflow__V1__Reply *
s_intake_query (Caseflow__V1__Intake__Query *intake)
{
    cf_api_client_t *client = s_client (S_INTAKE);
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_INTAKE;
    query.intake = intake;
    Caseflow__V1__Reply *reply = cf_testclient_query (client, &query);
    cf_testclient_assert_status (reply, OK, NULL);
    cf_api_client_destroy (&client);
    return reply;
}

//  Intake's cases of channel HANDOVER: returns the count; checks each
//  came from H000001 with the preferred worker.
static int
s_handover_cases (void)
{
    Caseflow__V1__Intake__ListCases list = CASEFLOW__V1__INTAKE__LIST_CASES__INIT;
    list.channel = CASEFLOW__V1__CHANNEL__CHANNEL_HANDOVER;
    Caseflow__V1__Intake__Query intake = CASEFLOW__V1__INTAKE__QUERY__INIT;
    intake.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_LIST_CASES;
    intake.list_cases = &list;
    Caseflow__V1__Reply *reply = s_intake_query (&intake);
    Caseflow__V1__Intake__CaseList *cases = reply->query->intake->cases;
    int count = (int) cases->n_cases;
    for (int i = 0; i < count; i++) {
        const Caseflow__V1__Intake__CaseView *view = cases->cases [i];
        assert_string_equal (view->handover_id, "H000001");
        assert_string_equal (view->provider_id, "ggz");
        assert_string_equal (view->preferred_worker, "w12");
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return count;
}

//  The name intake's case `case_id` shows (fresh: free it).
static char *
s_case_name (const char *case_id)
{
    Caseflow__V1__Intake__GetCase get = CASEFLOW__V1__INTAKE__GET_CASE__INIT;
    get.case_id = (char *) case_id;
    Caseflow__V1__Intake__Query intake = CASEFLOW__V1__INTAKE__QUERY__INIT;
    intake.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_GET_CASE;
    intake.get_case = &get;
    Caseflow__V1__Reply *reply = s_intake_query (&intake);
    char *name = strdup (reply->query->intake->case_->resident->name);
    assert_non_null (name);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return name;
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

//  Handover's view of `id` (free the reply); its handover is
//  reply->query->handover->handover.
static Caseflow__V1__Reply *
s_get_handover (const char *id)
{
    cf_api_client_t *client = s_client (S_HANDOVER);
    Caseflow__V1__Handover__GetHandover get = CASEFLOW__V1__HANDOVER__GET_HANDOVER__INIT;
    get.handover_id = (char *) id;
    Caseflow__V1__Handover__Query inner = CASEFLOW__V1__HANDOVER__QUERY__INIT;
    inner.body_case = CASEFLOW__V1__HANDOVER__QUERY__BODY_GET_HANDOVER;
    inner.get_handover = &get;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_HANDOVER;
    query.handover = &inner;
    Caseflow__V1__Reply *reply = cf_testclient_query (client, &query);
    cf_testclient_assert_status (reply, OK, NULL);
    cf_api_client_destroy (&client);
    return reply;
}

//  Asks handover for `id`'s transit key with `keys` (NULL: the test's
//  client); returns the status, the key in `key` when OK.
static Caseflow__V1__Status__Code
s_transit_key (const char *id, cf_keys_t *keys, uint8_t key [CF_SEAL_KEY_BYTES])
{
    cf_api_client_t *client =
        keys ? cf_api_client_new_secure (s_env.procs [S_HANDOVER].api, 5000, 3, keys, "handover")
             : s_client (S_HANDOVER);
    assert_non_null (client);
    Caseflow__V1__Handover__GetTransitKey get = CASEFLOW__V1__HANDOVER__GET_TRANSIT_KEY__INIT;
    get.handover_id = (char *) id;
    Caseflow__V1__Handover__Query inner = CASEFLOW__V1__HANDOVER__QUERY__INIT;
    inner.body_case = CASEFLOW__V1__HANDOVER__QUERY__BODY_GET_TRANSIT_KEY;
    inner.get_transit_key = &get;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_HANDOVER;
    query.handover = &inner;
    Caseflow__V1__Reply *reply = cf_testclient_query (client, &query);
    Caseflow__V1__Status__Code code = cf_api_reply_code (reply);
    if (code == OK) {
        assert_int_equal (reply->query->handover->transit_key->key.len, CF_SEAL_KEY_BYTES);
        memcpy (key, reply->query->handover->transit_key->key.data, CF_SEAL_KEY_BYTES);
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
    return code;
}

//  True when `needle` is in the file `<dir>/<name>/data.mdb`.
static bool
s_store_has (const char *name, const void *needle, size_t size)
{
    char path [600];
    snprintf (path, sizeof path, "%s/%s/data.mdb", s_env.dir, name);
    size_t length = 0;
    char *data = cf_test_read_file (path, &length);
    assert_non_null (data);
    bool found = memmem (data, length, needle, size) != NULL;
    free (data);
    return found;
}

//  --------------------------------------------------------- the fixture

//  Prepares the three services in a fresh directory `label`, with keys
//  when `keys`, intake reaching handover's api through a relay when
//  `relayed`.
static void
s_prepare (const char *label, bool keys, bool relayed)
{
    cf_time_init ();
    s_env.dir = cf_test_tmpdir (label);
    for (int i = 0; i < S_COUNT; i++) {
        char data [300], binary [64];
        snprintf (data, sizeof data, "%s/%s", s_env.dir, s_names [i]);
        snprintf (binary, sizeof binary, "caseflow-%s", s_names [i]);
        cf_testproc_init (&s_env.procs [i], cf_test_binary (binary), data);
    }
    if (keys) {
        snprintf (s_env.keys, sizeof s_env.keys, "%s/keys", s_env.dir);
        char line [700];
        snprintf (line, sizeof line, "%s keys generate --dir %s >&2",
                  cf_test_binary ("caseflowctl"), s_env.keys);
        int status = system (line);
        assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
        s_env.client_keys = cf_keys_load (s_env.keys, "operator", NULL);
        assert_non_null (s_env.client_keys);
    }
    if (relayed) {
        const char *api = s_env.procs [S_HANDOVER].api;
        s_env.relay = cf_testrelay_new (atoi (strrchr (api, ':') + 1));
    }
    //  Which stream each follows, from whom.
    static const int upstreams [S_COUNT][4] = {
        [S_HANDOVER] = { S_INTAKE, -1 },
        [S_INTAKE] = { S_HANDOVER, S_ASSIGNMENT, S_NOTIFICATION, -1 },
        [S_ASSIGNMENT] = { S_INTAKE, -1 },
        [S_NOTIFICATION] = { S_INTAKE, S_ASSIGNMENT, S_HANDOVER, -1 },
    };
    for (int i = 0; i < S_COUNT; i++) {
        size_t argc = 0;
        s_env.argv [i][argc++] = "--clock=manual";
        s_env.argv [i][argc++] = "--clock-start=2022-03-01T09:00";
        size_t f = 0;
        if (keys) {
            snprintf (s_env.flags [i][f], 320, "--keys-dir=%s", s_env.keys);
            s_env.argv [i][argc++] = s_env.flags [i][f++];
        }
        for (int u = 0; upstreams [i][u] >= 0; u++) {
            const cf_testproc_t *from = &s_env.procs [upstreams [i][u]];
            const char *api = from->api;
            if (i == S_INTAKE && upstreams [i][u] == S_HANDOVER && s_env.relay)
                api = cf_testrelay_endpoint (s_env.relay);
            snprintf (s_env.flags [i][f], 320, "--%s-events=%s", s_names [upstreams [i][u]],
                      from->events);
            s_env.argv [i][argc++] = s_env.flags [i][f++];
            snprintf (s_env.flags [i][f], 320, "--%s-api=%s", s_names [upstreams [i][u]], api);
            s_env.argv [i][argc++] = s_env.flags [i][f++];
        }
        s_env.argv [i][argc] = NULL;
    }
}

static void
s_start (int which)
{
    assert_int_equal (cf_testproc_start (&s_env.procs [which], s_env.argv [which]), 0);
}

static void
s_wait_ready (int which)
{
    if (!cf_testproc_wait_ready (&s_env.procs [which], 30000)) {
        cf_test_dump_log (s_env.procs [which].log_path);
        fail_msg ("%s did not become ready", s_names [which]);
    }
}

//  Each follows another started after it: all start, then all are awaited.
static void
s_start_all (void)
{
    for (int i = 0; i < S_COUNT; i++)
        s_start (i);
    for (int i = 0; i < S_COUNT; i++)
        s_wait_ready (i);
}

static void
s_restart (int which)
{
    assert_int_equal (cf_testproc_stop (&s_env.procs [which], SIGTERM, 20000), 0);
    s_start (which);
    s_wait_ready (which);
}

static void
s_stop_all (void)
{
    for (int i = S_COUNT - 1; i >= 0; i--)
        assert_int_equal (cf_testproc_stop (&s_env.procs [i], SIGTERM, 20000), 0);
}

//  ---------------------------------------------------------------- tests

static void
test_completed_handover_becomes_one_case (void **unused)
{
    (void) unused;
    s_prepare ("handover-intake", false, false);
    s_start_all ();
    s_add_provider ();
    s_drive_handover ("H000001", S_NAME, S_BSN,
                      CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE, NULL);
    s_expect_cases (1);
    //  Intake opened the resident with the adopted transit key.
    char *name = s_case_name ("C000001");
    assert_string_equal (name, S_NAME);
    free (name);

    //  Handover restarts: its stream is replayed, intake takes nothing twice.
    s_restart (S_HANDOVER);
    //  "stay": completed, but no case; its key stays with handover.
    s_drive_handover ("H000002", S_OTHER_NAME, S_OTHER_BSN,
                      CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_STAY, NULL);
    s_expect_cases (1);

    //  Intake restarts: it replays its journal and catches up; still one,
    //  and still readable (the adopted key is in intake's key store).
    s_restart (S_INTAKE);
    s_expect_cases (1);
    name = s_case_name ("C000001");
    assert_string_equal (name, S_NAME);
    free (name);

    //  Intake erases the resident; handover follows the ResidentErased.
    uint8_t key [CF_SEAL_KEY_BYTES];
    assert_int_equal (s_transit_key ("H000001", NULL, key), OK);
    Caseflow__V1__Intake__Erase erase = CASEFLOW__V1__INTAKE__ERASE__INIT;
    erase.handover_id = "H000001";
    //  The support domain's retention rule lets caseflow refuse it while
    //  the case is open: this request overrides it.
    erase.reason = "request 2022-031: the resident moved abroad, nothing left to keep";
    erase.override_retention = true;
    Caseflow__V1__Intake__Command intake = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    intake.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_ERASE;
    intake.erase = &erase;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
    command.intake = &intake;
    cf_api_client_t *client = s_client (S_INTAKE);
    Caseflow__V1__Reply *reply = cf_testclient_command (client, NULL, &command);
    cf_testclient_assert_status (reply, OK, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
    int64_t until = cf_test_now_ms () + 30000;
    bool erased = false;
    while (!erased && cf_test_now_ms () < until) {
        reply = s_get_handover ("H000001");
        const Caseflow__V1__Handover__HandoverView *view = reply->query->handover->handover;
        erased = view->erased;
        if (erased) {
            assert_string_equal (view->resident->name, "erased");
            assert_string_equal (view->support, "erased");
            assert_int_equal (view->state,
                              CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_COMPLETED);
        }
        caseflow__v1__reply__free_unpacked (reply, NULL);
        if (!erased)
            cf_test_sleep_ms (100);
    }
    assert_true (erased);
    assert_int_equal (s_transit_key ("H000001", NULL, key), NOT_FOUND);
    //  The other handover is untouched.
    reply = s_get_handover ("H000002");
    assert_string_equal (reply->query->handover->handover->resident->name, S_OTHER_NAME);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    name = s_case_name ("C000001");
    assert_string_equal (name, "erased");
    free (name);

    //  Restarted, handover carries the erasure out again; still erased.
    s_restart (S_HANDOVER);
    reply = s_get_handover ("H000001");
    assert_true (reply->query->handover->handover->erased);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    s_stop_all ();
    //  The key's bytes are in no key store; no journal holds a name or a
    //  BSN in plain (the controls: the provider's name is there).
    assert_false (s_store_has ("handover-keys", key, sizeof key));
    assert_false (s_store_has ("intake-keys", key, sizeof key));
    const char *secrets [] = { S_NAME, S_BSN, S_OTHER_NAME, S_OTHER_BSN, "support at home" };
    const char *stores [] = { "handover", "intake", "assignment", "notification" };
    for (size_t s = 0; s < 4; s++) {
        assert_true (s_store_has (stores [s], "H000001", 7));
        for (size_t i = 0; i < sizeof secrets / sizeof secrets [0]; i++)
            if (s_store_has (stores [s], secrets [i], strlen (secrets [i])))
                fail_msg ("%s's journal holds \"%s\" in plain", stores [s], secrets [i]);
    }
    assert_true (s_store_has ("handover", "GGZ Oost Brabant", 16));
}

//  With keys: intake takes the key over CURVE as a service; an operator
//  may not.
static void
test_transit_keys_only_to_services (void **unused)
{
    (void) unused;
    s_prepare ("handover-intake-keys", true, false);
    s_start_all ();
    s_add_provider ();
    s_drive_handover ("H000001", S_NAME, S_BSN,
                      CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE, NULL);
    s_expect_cases (1);
    char *name = s_case_name ("C000001");
    assert_string_equal (name, S_NAME);
    free (name);
    uint8_t key [CF_SEAL_KEY_BYTES];
    //  The operator's key: refused, whatever the handover.
    assert_int_equal (s_transit_key ("H000001", NULL, key), DENIED);
    assert_int_equal (s_transit_key ("H000404", NULL, key), DENIED);
    //  Another service's key (role service): answered.
    cf_keys_t *service = cf_keys_load (s_env.keys, "assignment", NULL);
    assert_non_null (service);
    assert_int_equal (s_transit_key ("H000001", service, key), OK);
    assert_int_equal (s_transit_key ("H000404", service, key), NOT_FOUND);
    cf_keys_destroy (&service);
    s_stop_all ();
}

//  Shuts intake's way to handover's api just before the completion.
//  Shuts intake's way to handover's api once intake has every handover
//  event so far: then the completion, published live, is all that is left,
//  and it finds the key out of reach (a subscriber that still had a gap to
//  fill would wait for the api instead, and never see the completion).
//  intake's upstream lag behind handover on its /metrics (-1: not read).
static double
s_handover_lag (void)
{
    char *body = NULL;
    double lag = -1;
    if (cf_test_http_get (s_env.procs [S_INTAKE].http_port, "/metrics", &body) == 200 && body)
        for (const char *line = strstr (body, "caseflow_upstream_lag{"); line;
             line = strstr (line + 1, "caseflow_upstream_lag{")) {
            const char *end = strchr (line, '}');
            const char *stream = strstr (line, "stream=\"handover\"");
            if (end && stream && stream < end)
                lag = atof (end + 1);
        }
    free (body);
    return lag;
}

static void
s_cut_relay (void)
{
    int64_t until = cf_test_now_ms () + 15000;
    bool caught_up = false;
    while (!caught_up && cf_test_now_ms () < until) {
        //  The lag is measured once a second: wait for a fresh reading.
        cf_test_sleep_ms (1200);
        caught_up = s_handover_lag () == 0;
    }
    assert_true (caught_up);
    cf_testrelay_destroy (&s_env.relay);
}

static void
test_case_kept_when_handover_is_away (void **unused)
{
    (void) unused;
    s_prepare ("handover-intake-away", false, true);
    s_start_all ();
    s_add_provider ();
    s_drive_handover ("H000001", S_NAME, S_BSN,
                      CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE, s_cut_relay);
    //  The completion arrives live; the key cannot be had: the case is
    //  registered all the same, its resident unread.
    s_expect_cases (1);
    char *name = s_case_name ("C000001");
    assert_string_equal (name, "unreadable");
    free (name);
    cf_test_assert_logged (s_env.procs [S_INTAKE].log_path, "adopted later");
    //  Restarted with a way to handover, intake adopts the key at start.
    snprintf (s_env.flags [S_INTAKE][1], 320, "--handover-api=%s", s_env.procs [S_HANDOVER].api);
    s_restart (S_INTAKE);
    name = s_case_name ("C000001");
    assert_string_equal (name, S_NAME);
    free (name);
    cf_test_assert_logged (s_env.procs [S_INTAKE].log_path, "is adopted");
    s_stop_all ();
    assert_false (s_store_has ("intake", S_NAME, strlen (S_NAME)));
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_teardown (test_completed_handover_becomes_one_case, s_teardown),
        cmocka_unit_test_teardown (test_transit_keys_only_to_services, s_teardown),
        cmocka_unit_test_teardown (test_case_kept_when_handover_is_away, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
