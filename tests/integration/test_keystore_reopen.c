//  test_keystore_reopen: a real caseflow-intake whose key store does not
//  open again after the compaction that follows an erasure.
//
//  Intake registers two residents, then the key store's lock.mdb is made a
//  directory while the store is open (the open environment keeps its own
//  lock file), so that opening the compacted file fails. The erasure of
//  the first is answered; then intake is not ready, naming the key store
//  and the cause in the log and on /readyz, and reads the other resident
//  as "unreadable" (never a crash, never a half-open store). Once the
//  cause is gone, the runtime opens the store again by itself: the other
//  resident reads as before, the erased one "erased", and SIGTERM stops
//  intake cleanly (exit 0).
//
//  Intake's upstreams point at ports nobody serves: it is never ready for
//  them, but answers its api, and /readyz names the key store while it is
//  closed.
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
#include <sys/stat.h>
#include <unistd.h>

#define S_OK      CASEFLOW__V1__STATUS__CODE__OK
#define S_CLOSED  "did not open again after its compaction"
#define S_WAIT_MS 15000
#define S_STOP_MS 20000

typedef struct {
    char *dir;
    cf_testproc_t proc;
    cf_api_client_t *client;
    bool passed;
} s_fixture_t;

static int
s_setup (void **state)
{
    s_fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->dir = cf_test_tmpdir ("keystore-reopen");
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
    if (!f->passed && *f->proc.log_path)
        cf_test_dump_log (f->proc.log_path);
    cf_testproc_destroy (&f->proc);
    cf_test_rmtree (f->dir);
    free (f->dir);
    free (f);
    return 0;
}

static Caseflow__V1__Reply *
s_command (s_fixture_t *f, const char *request_id, Caseflow__V1__Intake__Command *intake)
{
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
    command.intake = intake;
    return cf_testclient_command (f->client, request_id, &command);
}

static void
s_register (s_fixture_t *f, const char *request_id, const char *name, const char *bsn)
{
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = (char *) name;
    resident.bsn = (char *) bsn;
    resident.birth_date = "1980-05-17";
    Caseflow__V1__Domain domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING };
    Caseflow__V1__Intake__Register body = CASEFLOW__V1__INTAKE__REGISTER__INIT;
    body.channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE;
    body.resident = &resident;
    body.domains = domains;
    body.n_domains = 1;
    Caseflow__V1__Intake__Command intake = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    intake.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_REGISTER;
    intake.register_ = &body;
    Caseflow__V1__Reply *reply = s_command (f, request_id, &intake);
    cf_testclient_assert_status (reply, S_OK, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

//  The name `intake show` gives the resident of `case_id`.
static char *
s_name (s_fixture_t *f, const char *case_id)
{
    Caseflow__V1__Intake__GetCase body = CASEFLOW__V1__INTAKE__GET_CASE__INIT;
    body.case_id = (char *) case_id;
    Caseflow__V1__Intake__Query intake = CASEFLOW__V1__INTAKE__QUERY__INIT;
    intake.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_GET_CASE;
    intake.get_case = &body;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_INTAKE;
    query.intake = &intake;
    Caseflow__V1__Reply *reply = cf_testclient_query (f->client, &query);
    cf_testclient_assert_status (reply, S_OK, NULL);
    char *name = strdup (reply->query->intake->case_->resident->name);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return name;
}

//  True once the log holds `text`, within S_WAIT_MS.
static bool
s_wait_logged (s_fixture_t *f, const char *text)
{
    for (int waited = 0; waited < S_WAIT_MS; waited += 100) {
        char *log = cf_test_read_file (f->proc.log_path, NULL);
        bool found = log && strstr (log, text);
        free (log);
        if (found)
            return true;
        cf_test_sleep_ms (100);
    }
    return false;
}

static void
test_keystore_closed_after_compaction (void **state)
{
    s_fixture_t *f = *state;
    char data_dir [512], keys [600], lock [700], moved [700];
    snprintf (data_dir, sizeof data_dir, "%s/intake", f->dir);
    snprintf (keys, sizeof keys, "%s-keys", data_dir);
    snprintf (lock, sizeof lock, "%s/lock.mdb", keys);
    snprintf (moved, sizeof moved, "%s/lock.moved", keys);
    cf_testproc_init (&f->proc, cf_test_binary ("caseflow-intake"), data_dir);
    const char *names [] = { "handover-events", "handover-api",        "assignment-events",
                             "assignment-api",  "notification-events", "notification-api" };
    char upstreams [6][96];
    const char *extra [9] = { "--clock=manual", "--clock-start=2022-01-03T09:00" };
    for (int i = 0; i < 6; i++) {
        snprintf (upstreams [i], sizeof upstreams [i], "--%s=tcp://127.0.0.1:%d", names [i],
                  cf_test_free_port ());
        extra [2 + i] = upstreams [i];
    }
    assert_int_equal (cf_testproc_start (&f->proc, extra), 0);
    f->client = cf_testclient_new (f->proc.api);
    s_register (f, "reg-anna", "Anna de Vries", "111222333");
    s_register (f, "reg-bram", "Bram Jansen", "123456782");

    //  The open store keeps its lock file; a fresh open finds a directory.
    assert_int_equal (rename (lock, moved), 0);
    assert_int_equal (mkdir (lock, 0700), 0);
    Caseflow__V1__Intake__Erase erase = CASEFLOW__V1__INTAKE__ERASE__INIT;
    erase.case_id = "C000001";
    erase.reason = "request 2022-17";
    Caseflow__V1__Intake__Command intake = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    intake.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_ERASE;
    intake.erase = &erase;
    Caseflow__V1__Reply *reply = s_command (f, "erase-anna", &intake);
    cf_testclient_assert_status (reply, S_OK, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  Closed, never half-open: not ready, naming the store and the cause.
    assert_true (s_wait_logged (f, S_CLOSED));
    cf_test_assert_logged (f->proc.log_path, "not ready: the key store");
    char *body = NULL;
    assert_int_equal (cf_test_http_get (f->proc.http_port, "/readyz", &body), 503);
    assert_non_null (strstr (body, keys));
    assert_non_null (strstr (body, S_CLOSED));
    free (body);
    char *name = s_name (f, "C000002");
    assert_string_equal (name, "unreadable");
    free (name);

    //  The cause gone: open again by itself, every value as it should be.
    assert_int_equal (rmdir (lock), 0);
    assert_true (s_wait_logged (f, "the key store is open again"));
    name = s_name (f, "C000002");
    assert_string_equal (name, "Bram Jansen");
    free (name);
    name = s_name (f, "C000001");
    assert_string_equal (name, "erased");
    free (name);
    body = NULL;
    cf_test_http_get (f->proc.http_port, "/readyz", &body);
    assert_null (body ? strstr (body, S_CLOSED) : NULL);
    free (body);
    assert_int_equal (cf_testproc_stop (&f->proc, SIGTERM, S_STOP_MS), 0);
    unlink (moved);
    f->passed = true;
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_keystore_closed_after_compaction, s_setup,
                                         s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
