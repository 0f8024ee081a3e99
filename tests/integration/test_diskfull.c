//  test_diskfull: a full disk is a full map that frees itself
//  (docs/operations.md, "Full store").
//
//  Intake runs with its store and key store on a 4 MiB tmpfs (its map is
//  the default 1 GiB, far more than the disk), beside a 2 MiB filler file;
//  then again with its key store alone on the tmpfs (beside a 3.75 MiB
//  filler), its journal on the ordinary disk.
//  It registers residents, each with a long question, until a
//  registration is refused. Then: the refusal says the disk is full, so
//  does the status query, /metrics (caseflow_store_full 1) and the log;
//  the process still runs and answers queries with every acknowledged
//  registration; the refused registration's case id was never logged as
//  registered. The filler is removed, and without a restart (the same
//  process) writes resume within seconds: the refused request, retried
//  with its id, gets the next case id (the one nobody was given), a new
//  registration the one after.
//
//  Mounting a tmpfs needs root (as CI runs): skipped (77) otherwise.
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
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_OK        CASEFLOW__V1__STATUS__CODE__OK
#define S_MAX_CASES 3000
#define S_WAIT_MS   20000

typedef struct {
    bool keys_only;  //  only the key store on the small disk
    char *dir;
    char disk [300], filler [400];
    bool mounted;
    cf_testproc_t proc;
    cf_api_client_t *client;
    bool passed;
} s_fixture_t;

static int
s_setup_for (void **state, bool keys_only)
{
    s_fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->keys_only = keys_only;
    f->dir = cf_test_tmpdir ("diskfull");
    snprintf (f->disk, sizeof f->disk, "%s/disk", f->dir);
    snprintf (f->filler, sizeof f->filler, "%s/filler", f->disk);
    assert_int_equal (mkdir (f->disk, 0700), 0);
    if (mount ("tmpfs", f->disk, "tmpfs", 0, "size=4m,mode=0700") == 0)
        f->mounted = true;
    char data_dir [400];
    snprintf (data_dir, sizeof data_dir, "%s/intake", keys_only ? f->dir : f->disk);
    cf_testproc_init (&f->proc, cf_test_binary ("caseflow-intake"), data_dir);
    //  The log off the small disk: it must not fill it.
    snprintf (f->proc.log_path, sizeof f->proc.log_path, "%s/intake.log", f->dir);
    *state = f;
    return 0;
}

static int
s_setup (void **state)
{
    return s_setup_for (state, false);
}

static int
s_setup_keys (void **state)
{
    return s_setup_for (state, true);
}

static int
s_teardown (void **state)
{
    s_fixture_t *f = *state;
    cf_api_client_destroy (&f->client);
    if (f->proc.pid > 0)
        cf_testproc_stop (&f->proc, SIGKILL, S_WAIT_MS);
    if (!f->passed && f->mounted)
        cf_test_dump_log (f->proc.log_path);
    cf_testproc_destroy (&f->proc);
    if (f->mounted)
        umount (f->disk);
    cf_test_rmtree (f->dir);
    free (f->dir);
    free (f);
    return 0;
}

static Caseflow__V1__Reply *
s_register (s_fixture_t *f, const char *request_id, int number)
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
    return cf_testclient_command (f->client, request_id, &command);
}

//  The case number an OK registration was given.
static int
s_case_number (const Caseflow__V1__Reply *reply)
{
    cf_testclient_assert_status (reply, S_OK, NULL);
    return atoi (reply->command->intake->registered->case_id + 1);
}

static size_t
s_listed (s_fixture_t *f)
{
    Caseflow__V1__Intake__ListCases body = CASEFLOW__V1__INTAKE__LIST_CASES__INIT;
    body.limit = 1000;
    Caseflow__V1__Intake__Query intake = CASEFLOW__V1__INTAKE__QUERY__INIT;
    intake.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_LIST_CASES;
    intake.list_cases = &body;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_INTAKE;
    query.intake = &intake;
    Caseflow__V1__Reply *reply = cf_testclient_query (f->client, &query);
    cf_testclient_assert_status (reply, S_OK, NULL);
    size_t count = reply->query->intake->cases->n_cases;
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return count;
}

static void
s_assert_metric (s_fixture_t *f, const char *line)
{
    char *body = NULL;
    assert_int_equal (cf_test_http_get (f->proc.http_port, "/metrics", &body), 200);
    bool found = strstr (body, line) != NULL;
    if (!found)
        fprintf (stderr, "/metrics:\n%s", body);
    free (body);
    if (!found)
        fail_msg ("/metrics has no line \"%s\"", line);
}

static void
test_disk_full_then_free (void **state)
{
    s_fixture_t *f = *state;
    if (!f->mounted) {
        print_message ("skipped: mounting a tmpfs needs root\n");
        f->passed = true;
        exit (77);
    }
    //  The filler takes half the disk and the stores get the rest; the key
    //  store alone (a few hundred bytes a resident) gets a quarter MiB.
    FILE *filler = fopen (f->filler, "wb");
    assert_non_null (filler);
    static char block [64 * 1024];
    memset (block, 'f', sizeof block);
    for (int i = 0; i < (f->keys_only ? 60 : 32); i++)
        assert_int_equal (fwrite (block, 1, sizeof block, filler), sizeof block);
    assert_int_equal (fclose (filler), 0);

    char key_store [420];
    snprintf (key_store, sizeof key_store, "--key-store=%s/intake-keys", f->disk);
    const char *extra [] = { "--clock=manual",
                             "--clock-start=2022-01-03T09:00",
                             "--handover-events=none",
                             "--assignment-events=none",
                             "--notification-events=none",
                             key_store,
                             NULL };
    assert_int_equal (cf_testproc_start (&f->proc, extra), 0);
    assert_true (cf_testproc_wait_ready (&f->proc, S_WAIT_MS));
    pid_t pid = f->proc.pid;
    f->client = cf_testclient_new (f->proc.api);

    int acknowledged = 0, refused = -1;
    for (int number = 1; number <= S_MAX_CASES && refused < 0; number++) {
        char request_id [32];
        snprintf (request_id, sizeof request_id, "fill-%05d", number);
        Caseflow__V1__Reply *reply = s_register (f, request_id, number);
        if (cf_api_reply_code (reply) == CASEFLOW__V1__STATUS__CODE__UNAVAILABLE) {
            cf_testclient_assert_refused_full (reply);
            assert_non_null (strstr (reply->status->message, "no space left on the store's disk"));
            refused = number;
        } else
            assert_int_equal (s_case_number (reply), ++acknowledged);
        caseflow__v1__reply__free_unpacked (reply, NULL);
    }
    if (refused < 0)
        fail_msg ("%d registrations fitted on a 4 MiB disk", S_MAX_CASES);
    print_message ("%d registrations fitted beside the filler\n", acknowledged);
    assert_true (acknowledged > 10);

    //  Full: said everywhere, and still so after a few checks for room
    //  (on whichever disk was full); the process runs and answers queries.
    cf_test_sleep_ms (2500);
    cf_testclient_store_full (f->client, true);
    s_assert_metric (f, "caseflow_store_full{service=\"intake\"} 1");
    cf_test_assert_logged (f->proc.log_path, "No space left on device");
    cf_test_assert_logged (f->proc.log_path, "store full: no space left on the store's disk");
    assert_int_equal ((int) s_listed (f), acknowledged);
    char digest [65], after [65];
    uint64_t applied = cf_testclient_digest (f->client, digest);
    Caseflow__V1__Reply *reply = s_register (f, "while-full", S_MAX_CASES + 1);
    cf_testclient_assert_refused_full (reply);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    assert_int_equal (cf_testclient_digest (f->client, after), applied);
    assert_string_equal (after, digest);
    //  The refused registration's case id was nobody's: not logged.
    char next [64];
    snprintf (next, sizeof next, "case C%06d registered", acknowledged + 1);
    char *log = cf_test_read_file (f->proc.log_path, NULL);
    assert_non_null (log);
    if (strstr (log, next))
        fail_msg ("the log says \"%s\" of a registration that was refused", next);
    free (log);

    //  Room again: writes resume in the same process, by themselves.
    assert_int_equal (unlink (f->filler), 0);
    bool resumed = false;
    for (int waited = 0; waited < S_WAIT_MS && !resumed; waited += 200) {
        cf_test_sleep_ms (200);
        reply = cf_testclient_status (f->client);
        resumed = !reply->query->status->store_full;
        caseflow__v1__reply__free_unpacked (reply, NULL);
    }
    assert_true (resumed);
    assert_int_equal (f->proc.pid, pid);
    assert_int_equal (kill (pid, 0), 0);
    s_assert_metric (f, "caseflow_store_full{service=\"intake\"} 0");
    cf_test_assert_logged (f->proc.log_path, "room on the store's disk again: taking writes");
    char request_id [32];
    snprintf (request_id, sizeof request_id, "fill-%05d", refused);
    reply = s_register (f, request_id, refused);
    assert_int_equal (s_case_number (reply), acknowledged + 1);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_test_assert_logged (f->proc.log_path, next);
    reply = s_register (f, "after-room", S_MAX_CASES + 2);
    assert_int_equal (s_case_number (reply), acknowledged + 2);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    assert_int_equal ((int) s_listed (f), acknowledged + 2);
    assert_int_equal (cf_testproc_stop (&f->proc, SIGTERM, S_WAIT_MS), 0);
    f->passed = true;
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_disk_full_then_free, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_disk_full_then_free, s_setup_keys, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
