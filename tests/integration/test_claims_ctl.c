//  test_claims_ctl: `caseflowctl reminders claim / release / park` against
//  the real caseflow-notification (manual clock) and fake upstreams.
//
//  - claim: the oldest due callback, the JSON keys of CLI.md, the location
//    and kind filters, null when nothing is due, the caller's own claim
//    back on a second claim; `reminders` shows claimed_by and lease_until;
//  - release: the holder's; another caller's (--on-behalf-of) refused with
//    exit 1 and the field; an operator's;
//  - park: the holder parks with a reason; `reminders --parked`; only a
//    team lead (an operator here) releases it;
//  - expiry: `clock advance` past the lease returns the reminder;
//  - completion: the callback recorded at intake completes the claim, once;
//  - a claim survives SIGKILL and restart;
//  - usage errors exit 2, bad fields exit 1 naming the field.
#include "test_notification_kit.h"

typedef struct {
    nk_fake_t *fake;
    nk_service_t service;
    char api_flag [160];
    char out [65536];
} s_fixture_t;

static s_fixture_t *s_fixture;

//  Runs caseflowctl --notification <api> <words...> (NULL-terminated);
//  returns its exit status with its stdout in f->out.
static int
s_ctl (s_fixture_t *f, ...)
{
    const char *flags [] = { f->api_flag, NULL };
    va_list words;
    va_start (words, f);
    int status = cf_test_ctl (flags, "/dev/null", f->out, sizeof f->out, words);
    va_end (words);
    return status;
}

static void
s_expect (s_fixture_t *f, const char *text)
{
    if (!strstr (f->out, text))
        fail_msg ("expected %s in the output: %s", text, f->out);
}

static void
s_expect_not (s_fixture_t *f, const char *text)
{
    if (strstr (f->out, text))
        fail_msg ("did not expect %s in the output: %s", text, f->out);
}

static int64_t
s_at (const char *text)
{
    int64_t at = 0;
    assert_int_equal (cf_time_parse (text, &at), 0);
    return at;
}

static int
s_setup (void **state)
{
    s_fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->fake = nk_fake_new (false);
    static const char *const more [] = { "--claim-lease=30m", NULL };
    nk_service_init (&f->service, f->fake, "claims-ctl", "2022-01-03T08:00", more);
    nk_service_start (&f->service, true);
    snprintf (f->api_flag, sizeof f->api_flag, "--notification=%s", f->service.proc.api);
    s_fixture = f;
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    s_fixture_t *f = *state;
    nk_service_destroy (&f->service);
    nk_fake_destroy (&f->fake);
    free (f);
    return 0;
}

//  How many events of `body` the service's stream holds for `id`.
static size_t
s_stream_count (s_fixture_t *f, Caseflow__V1__Event__BodyCase body, const char *id)
{
    size_t count = 0;
    uint64_t from = 1;
    while (true) {
        cf_testreq_t req;
        cf_testreq_replay (&req, "notification", from, 1000, 0);
        Caseflow__V1__Reply *reply = cf_testclient_call (f->service.client, &req);
        cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
        const Caseflow__V1__ReplayBatch *batch = reply->replay;
        for (size_t i = 0; i < batch->n_events; i++, from++) {
            const Caseflow__V1__Event *event = batch->events [i];
            if (event->body_case == body && event->reminder_claim_completed
                && strcmp (event->reminder_claim_completed->reminder_id, id) == 0)
                count++;
        }
        bool done = batch->n_events == 0 || from > batch->last_seq;
        caseflow__v1__reply__free_unpacked (reply, NULL);
        if (done)
            return count;
    }
}

static void
test_claims (void **state)
{
    s_fixture_t *f = *state;
    //  Three waiting cases; their first callbacks fall due on the 17th,
    //  18th and 19th (09:00), C1's overdue check on the 19th too.
    nk_register (f->fake, "C1", "L1", s_at ("2022-01-03T09:00"));
    nk_triage (f->fake, "C1", false, s_at ("2022-01-03T09:00"));
    nk_register (f->fake, "C2", "L2", s_at ("2022-01-04T09:00"));
    nk_triage (f->fake, "C2", false, s_at ("2022-01-04T09:00"));
    nk_register (f->fake, "C3", "L1", s_at ("2022-01-05T09:00"));
    nk_triage (f->fake, "C3", false, s_at ("2022-01-05T09:00"));
    nk_wait_applied (&f->service, f->fake);
    nk_clock_set (&f->service, s_at ("2022-01-19T12:00"));

    //  The oldest first, with the keys of CLI.md.
    assert_int_equal (s_ctl (f, "--json", "reminders", "claim", "--caller", "anna", NULL), 0);
    s_expect (f, "{\"reminder_id\":\"callback/C1/1\",\"case_id\":\"C1\",\"kind\":\"callback\","
                 "\"due_at\":\"2022-01-17T09:00:00+01:00\",\"claimed_by\":\"anna\","
                 "\"lease_until\":\"2022-01-19T12:30:00+01:00\"");
    //  Anna's second claim is the same reminder.
    assert_int_equal (s_ctl (f, "--json", "reminders", "claim", "--caller", "anna", NULL), 0);
    s_expect (f, "\"reminder_id\":\"callback/C1/1\"");
    //  C1's overdue check is not for bob: one caller per resident.
    assert_int_equal (
        s_ctl (f, "--json", "reminders", "claim", "--caller", "bob", "--location", "L1", NULL), 0);
    s_expect (f, "\"reminder_id\":\"callback/C3/1\"");
    assert_int_equal (s_ctl (f, "--json", "reminders", "claim", "--caller", "carla", "--kind",
                             "callback-overdue", NULL),
                      0);
    assert_string_equal (f->out, "null\n");
    assert_int_equal (
        s_ctl (f, "reminders", "claim", "--caller", "carla", "--kind", "callback-overdue", NULL),
        0);
    s_expect (f, "nothing due for carla");
    assert_int_equal (s_ctl (f, "reminders", "claim", "--caller", "carla", NULL), 0);
    s_expect (f, "callback/C2/1 claimed by carla until 2022-01-19 12:30");

    //  The list shows who holds what.
    assert_int_equal (s_ctl (f, "--json", "reminders", "--due", NULL), 0);
    s_expect (f, "\"claimed_by\":\"anna\",\"lease_until\":\"2022-01-19T12:30:00+01:00\","
                 "\"parked\":false");
    s_expect (f, "\"claimed_by\":null,\"lease_until\":null,\"parked\":false");
    assert_int_equal (s_ctl (f, "reminders", "--due", NULL), 0);
    s_expect (f, "CLAIMED BY");
    s_expect (f, "anna");

    //  Release: not bob's to give back; anna's is.
    assert_int_equal (
        s_ctl (f, "--on-behalf-of", "bob", "reminders", "release", "callback/C1/1", NULL), 1);
    assert_int_equal (s_ctl (f, "reminders", "release", "callback/C1/1", "--caller", "anna", NULL),
                      0);
    s_expect (f, "released callback/C1/1");
    assert_int_equal (s_ctl (f, "reminders", "release", "callback/C1/1", NULL), 1);

    //  Park: bob sets C3's aside for a team lead.
    assert_int_equal (s_ctl (f, "--on-behalf-of", "bob", "reminders", "park", "callback/C3/1",
                             "--reason", "number unknown", NULL),
                      0);
    s_expect (f, "parked callback/C3/1");
    assert_int_equal (s_ctl (f, "--json", "reminders", "--parked", NULL), 0);
    s_expect (f, "\"reminder_id\":\"callback/C3/1\"");
    s_expect (f, "\"parked\":true,\"parked_by\":\"bob\",\"park_reason\":\"number unknown\"");
    s_expect_not (f, "callback/C1/1");
    assert_int_equal (
        s_ctl (f, "--on-behalf-of", "bob", "reminders", "release", "callback/C3/1", NULL), 1);
    assert_int_equal (s_ctl (f, "reminders", "release", "callback/C3/1", NULL), 0);

    //  Expiry: anna claims C1's again and lets the lease run out.
    assert_int_equal (s_ctl (f, "--json", "reminders", "claim", "--caller", "anna", NULL), 0);
    s_expect (f, "\"reminder_id\":\"callback/C1/1\"");
    assert_int_equal (s_ctl (f, "clock", "advance", "29m", "--only", "notification", NULL), 0);
    assert_int_equal (s_ctl (f, "--json", "reminders", "show", "callback/C1/1", NULL), 0);
    s_expect (f, "\"claimed_by\":\"anna\"");
    assert_int_equal (s_ctl (f, "clock", "advance", "1m", "--only", "notification", NULL), 0);
    assert_int_equal (s_ctl (f, "--json", "reminders", "show", "callback/C1/1", NULL), 0);
    s_expect (f, "\"claimed_by\":null");

    //  A claim survives a crash: bob claims, the service is killed.
    assert_int_equal (s_ctl (f, "--json", "reminders", "claim", "--caller", "bob", NULL), 0);
    s_expect (f, "\"reminder_id\":\"callback/C1/1\"");
    nk_service_stop (&f->service, SIGKILL);
    nk_service_start (&f->service, false);
    assert_int_equal (s_ctl (f, "--json", "reminders", "show", "callback/C1/1", NULL), 0);
    s_expect (f, "\"claimed_by\":\"bob\"");

    //  Completion: the call bob made is recorded at intake.
    Caseflow__V1__Intake__CallbackRecorded body = CASEFLOW__V1__INTAKE__CALLBACK_RECORDED__INIT;
    body.case_id = "C1";
    body.outcome = CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED;
    body.reminder_id = "callback/C1/1";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED;
    event.callback_recorded = &body;
    nk_append (f->fake, NK_INTAKE, &event, "C1", s_at ("2022-01-19T12:40"));
    nk_wait_applied (&f->service, f->fake);
    assert_int_equal (s_ctl (f, "--json", "reminders", "show", "callback/C1/1", NULL), 0);
    s_expect (f, "\"acknowledged\":true");
    s_expect (f, "\"claimed_by\":null");
    s_expect (f, "\"completed_by\":\"bob\"");
    assert_int_equal (
        s_stream_count (f, CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIM_COMPLETED, "callback/C1/1"), 1);
    //  Bob is free for the next one: C2's, whose lease carla let run out.
    assert_int_equal (s_ctl (f, "--json", "reminders", "claim", "--caller", "bob", NULL), 0);
    s_expect (f, "\"reminder_id\":\"callback/C2/1\"");

    //  Usage errors and refused fields.
    assert_int_equal (s_ctl (f, "reminders", "claim", NULL), 2);
    assert_int_equal (s_ctl (f, "reminders", "park", "callback/C3/1", NULL), 2);
    assert_int_equal (s_ctl (f, "reminders", "claim", "--caller", "x", "--kind", "urgent", NULL),
                      1);
    assert_int_equal (s_ctl (f, "reminders", "release", "callback/C9/1", NULL), 1);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_claims, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
