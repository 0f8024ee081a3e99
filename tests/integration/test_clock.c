//  test_clock: the service clock at start, as docs/architecture.md ("Time")
//  says, and the configuration a service refuses before it opens a store.
//
//  Each test starts the real test service (caseflow-testsvc) on loopback
//  with a fresh data directory, restarts it on the same store with other
//  clock flags, and reads the clock through the api:
//
//    - on a fresh store without --clock-start the first clock set goes to
//      any date, earlier than the wall clock too;
//    - until then the first event keeps the provisional reading (and a set
//      before it is refused afterwards);
//    - the stored reading survives a restart without --clock-start; a
//      later --clock-start moves it forward, an earlier one does not;
//    - a store with events written under the other kind of clock, and one
//      whose last event is later than the clock, is refused (exit 2, a
//      line naming the flags) unless --clock-force (or its environment
//      twin);
//    - endpoints and times are refused at parse time (exit 2, naming the
//      flag and its variable) before any store is made.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testfixture.h"
#include "cf_testproc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

//  2022-01-03T00:00 in Europe/Amsterdam (the services' zone), 23:00Z before.
#define JAN_3_2022 (INT64_C (1641164400) * 1000000)
#define HOUR_US    (INT64_C (3600) * 1000000)
#define DAY_US     (24 * HOUR_US)

typedef cf_testfixture_t fixture_t;

static int
s_setup (void **state)
{
    fixture_t *fx = cf_testfixture_new ("clock", "caseflow-testsvc");
    //  A test that fails hard must not leave a service holding its output.
    fx->proc.die_with_parent = true;
    *state = fx;
    return 0;
}

//  Starts the service with `flags` (NULL-terminated) and waits until it
//  is ready.
static void
s_start (fixture_t *fx, const char *const *flags)
{
    fx->flags = flags;
    cf_testfixture_start (fx);
}

static void
s_stop (fixture_t *fx)
{
    cf_testfixture_stop (fx, SIGTERM);
}

//  Starts the service with `flags`, expects it to exit 2 on its own, and
//  returns what it wrote on stderr in this start (free with free).
static char *
s_start_refused (fixture_t *fx, const char *const *flags)
{
    size_t before = 0;
    char *old = cf_test_read_file (fx->proc.log_path, &before);
    free (old);
    assert_int_equal (cf_testproc_start (&fx->proc, flags), 0);
    //  Signal 0 only waits: the process ends by itself.
    assert_int_equal (cf_testproc_stop (&fx->proc, 0, CF_TESTFIXTURE_STOP_MS), 2);
    size_t size = 0;
    char *log = cf_test_read_file (fx->proc.log_path, &size);
    assert_non_null (log);
    char *mine = strdup (log + (before <= size ? before : 0));
    free (log);
    return mine;
}

//  Sends clock set `at`; returns the reply's status code.
static Caseflow__V1__Status__Code
s_clock_set (fixture_t *fx, int64_t at)
{
    cf_testreq_t req;
    cf_testreq_clock_set (&req, NULL, at);
    Caseflow__V1__Reply *reply = cf_testclient_call (fx->client, &req);
    Caseflow__V1__Status__Code code = cf_api_reply_code (reply);
    if (code == CASEFLOW__V1__STATUS__CODE__OK)
        assert_int_equal (reply->command->clock->now, at);
    else
        assert_string_equal (reply->status->field, "command.clock_set.at");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return code;
}

static void
s_assert_mentions (const char *text, const char *what)
{
    if (!strstr (text, what))
        fail_msg ("expected \"%s\" in: %s", what, text);
}

static void
test_fresh_store_first_set_any_date (void **state)
{
    fixture_t *fx = *state;
    static const char *const manual [] = { "--clock=manual", NULL };
    s_start (fx, manual);
    //  Not set yet: the wall clock of the start, standing still.
    int64_t provisional = cf_testclient_clock (fx->client);
    int64_t wall = (int64_t) time (NULL) * 1000000;
    assert_true (provisional > wall - 60 * INT64_C (1000000) && provisional <= wall + 1000000);
    cf_test_sleep_ms (200);
    assert_int_equal (cf_testclient_clock (fx->client), provisional);

    //  The first set goes back years; from then on the clock moves only
    //  forward.
    assert_int_equal (s_clock_set (fx, JAN_3_2022), CASEFLOW__V1__STATUS__CODE__OK);
    assert_int_equal (cf_testclient_clock (fx->client), JAN_3_2022);
    assert_int_equal (s_clock_set (fx, JAN_3_2022 - DAY_US),
                      CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
    assert_int_equal (s_clock_set (fx, JAN_3_2022 + HOUR_US), CASEFLOW__V1__STATUS__CODE__OK);
    cf_testclient_increment (fx->client, NULL, "n", 1);

    //  The reading survives a restart without --clock-start.
    s_stop (fx);
    s_start (fx, manual);
    assert_int_equal (cf_testclient_clock (fx->client), JAN_3_2022 + HOUR_US);
    assert_int_equal (s_clock_set (fx, JAN_3_2022), CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
    s_stop (fx);
    fx->passed = true;
}

static void
test_first_event_keeps_the_provisional_reading (void **state)
{
    fixture_t *fx = *state;
    static const char *const manual [] = { "--clock=manual", NULL };
    s_start (fx, manual);
    int64_t provisional = cf_testclient_clock (fx->client);
    cf_testclient_increment (fx->client, NULL, "n", 1);
    //  The event is stamped with the provisional reading, which is now the
    //  clock's own: no going back before the event.
    assert_int_equal (s_clock_set (fx, JAN_3_2022), CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
    s_stop (fx);
    s_start (fx, manual);
    assert_int_equal (cf_testclient_clock (fx->client), provisional);
    s_stop (fx);
    fx->passed = true;
}

static void
test_stored_reading_and_clock_start (void **state)
{
    fixture_t *fx = *state;
    static const char *const jan_3 [] = { "--clock=manual", "--clock-start=2022-01-03", NULL };
    s_start (fx, jan_3);
    assert_int_equal (cf_testclient_clock (fx->client), JAN_3_2022);
    //  A store whose first reading came from --clock-start keeps it, even
    //  before any event or move.
    s_stop (fx);
    static const char *const manual [] = { "--clock=manual", NULL };
    s_start (fx, manual);
    assert_int_equal (cf_testclient_clock (fx->client), JAN_3_2022);
    cf_testreq_t req;
    cf_testreq_clock_advance (&req, NULL, DAY_US);
    Caseflow__V1__Reply *reply = cf_testclient_call (fx->client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_testclient_increment (fx->client, NULL, "n", 1);
    s_stop (fx);

    //  Without --clock-start, and with an earlier one: where it was.
    s_start (fx, manual);
    assert_int_equal (cf_testclient_clock (fx->client), JAN_3_2022 + DAY_US);
    s_stop (fx);
    s_start (fx, jan_3);
    assert_int_equal (cf_testclient_clock (fx->client), JAN_3_2022 + DAY_US);
    s_stop (fx);
    //  A later one moves it forward.
    static const char *const feb_1 [] = { "--clock=manual", "--clock-start=2022-02-01T00:00+01:00",
                                          NULL };
    s_start (fx, feb_1);
    assert_int_equal (cf_testclient_clock (fx->client), JAN_3_2022 + 29 * DAY_US);
    s_stop (fx);
    fx->passed = true;
}

static void
test_other_kind_of_clock_refused (void **state)
{
    fixture_t *fx = *state;
    static const char *const manual [] = { "--clock=manual", "--clock-start=2022-01-03", NULL };
    s_start (fx, manual);
    cf_testclient_increment (fx->client, NULL, "n", 1);
    s_stop (fx);

    //  The system clock on a manual store: refused, naming the flags.
    char *err = s_start_refused (fx, NULL);
    s_assert_mentions (err, "--clock (CASEFLOW_CLOCK)");
    s_assert_mentions (err, "written under the manual clock, not the system clock");
    s_assert_mentions (err, "--clock-force (CASEFLOW_CLOCK_FORCE)");
    free (err);

    //  Forced (here by the environment twin), it starts on the system
    //  clock and records it; the manual clock is then the other kind.
    cf_testproc_setenv (&fx->proc, "CASEFLOW_CLOCK_FORCE", "true");
    s_start (fx, NULL);
    int64_t wall = (int64_t) time (NULL) * 1000000;
    int64_t now = cf_testclient_clock (fx->client);
    assert_true (now > wall - 60 * INT64_C (1000000) && now < wall + 60 * INT64_C (1000000));
    assert_int_equal (cf_testclient_counter (fx->client, "n"), 1);
    s_stop (fx);
    cf_testproc_destroy (&fx->proc);  //  drops the environment entry
    static const char *const manual_again [] = { "--clock=manual", NULL };
    err = s_start_refused (fx, manual_again);
    s_assert_mentions (err, "written under the system clock, not the manual clock");
    free (err);
    fx->passed = true;
}

static void
test_empty_store_takes_either_kind (void **state)
{
    fixture_t *fx = *state;
    static const char *const manual [] = { "--clock=manual", NULL };
    s_start (fx, manual);
    s_stop (fx);
    //  No events: nothing to keep consistent.
    s_start (fx, NULL);
    s_stop (fx);
    s_start (fx, manual);
    s_stop (fx);
    fx->passed = true;
}

static void
test_last_event_later_than_clock_refused (void **state)
{
    fixture_t *fx = *state;
    static const char *const march [] = { "--clock=manual", "--clock-start=2022-03-01", NULL };
    s_start (fx, march);
    cf_testclient_increment (fx->client, NULL, "n", 1);
    s_stop (fx);
    //  An earlier --clock-start does not move the clock back...
    static const char *const jan_3 [] = { "--clock=manual", "--clock-start=2022-01-03", NULL };
    s_start (fx, jan_3);
    assert_true (cf_testclient_clock (fx->client) > JAN_3_2022 + 50 * DAY_US);
    s_stop (fx);
    //  ... unless forced, which then stamps events before the last one.
    static const char *const forced [] = { "--clock=manual", "--clock-start=2022-01-03",
                                           "--clock-force", NULL };
    s_start (fx, forced);
    assert_int_equal (cf_testclient_clock (fx->client), JAN_3_2022);
    s_stop (fx);
    //  Now the clock reads earlier than the store's last event: refused.
    static const char *const manual [] = { "--clock=manual", NULL };
    char *err = s_start_refused (fx, manual);
    s_assert_mentions (err, "last event (seq 1) is at 2022-03-01T00:00:00+01:00");
    s_assert_mentions (err, "later than the manual clock's reading 2022-01-03T00:00:00+01:00");
    s_assert_mentions (err, "--clock-force (CASEFLOW_CLOCK_FORCE)");
    free (err);
    //  A --clock-start at or after the event is the way on.
    static const char *const later [] = { "--clock=manual", "--clock-start=2022-03-02", NULL };
    s_start (fx, later);
    assert_int_equal (cf_testclient_counter (fx->client, "n"), 1);
    s_stop (fx);
    fx->passed = true;
}

static void
test_bad_configuration_before_the_store (void **state)
{
    fixture_t *fx = *state;
    struct {
        const char *flag, *names;
    } bad [] = {
        { "--events-bind=garbage", "--events-bind (CASEFLOW_EVENTS_BIND): \"garbage\"" },
        { "--api-bind=tcp://127.0.0.1:99999",
          "--api-bind (CASEFLOW_API_BIND): \"tcp://127.0.0.1:99999\" has port \"99999\"" },
        { "--clock-start=2022-02-30", "--clock-start (CASEFLOW_CLOCK_START): \"2022-02-30\"" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad [0]; i++) {
        const char *flags [] = { bad [i].flag, NULL };
        char *err = s_start_refused (fx, flags);
        s_assert_mentions (err, bad [i].names);
        free (err);
        //  Refused before the store is opened: nothing was made.
        struct stat info;
        assert_int_not_equal (stat (fx->proc.data_dir, &info), 0);
    }
    fx->passed = true;
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_fresh_store_first_set_any_date, s_setup,
                                         cf_testfixture_teardown),
        cmocka_unit_test_setup_teardown (test_first_event_keeps_the_provisional_reading, s_setup,
                                         cf_testfixture_teardown),
        cmocka_unit_test_setup_teardown (test_stored_reading_and_clock_start, s_setup,
                                         cf_testfixture_teardown),
        cmocka_unit_test_setup_teardown (test_other_kind_of_clock_refused, s_setup,
                                         cf_testfixture_teardown),
        cmocka_unit_test_setup_teardown (test_empty_store_takes_either_kind, s_setup,
                                         cf_testfixture_teardown),
        cmocka_unit_test_setup_teardown (test_last_event_later_than_clock_refused, s_setup,
                                         cf_testfixture_teardown),
        cmocka_unit_test_setup_teardown (test_bad_configuration_before_the_store, s_setup,
                                         cf_testfixture_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
