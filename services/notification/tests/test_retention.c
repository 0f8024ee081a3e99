//  test_retention: the retention timer. A resident is due the longest
//  period of their domains (questions that joined included) after their
//  last case closed, once all are closed; RetentionDue fires once at that
//  moment with its stable id, never while held or after erasure; a release
//  or a new closure counts again; the wake-up includes it; --retention's
//  periods are used; many residents fire in due order, each once; and a
//  state rebuilt from the journal has the same digest and fires nothing
//  that fired before.
#include "notification_testkit.h"

#define S_YOUTH   CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH
#define S_DEBT    CASEFLOW__V1__DOMAIN__DOMAIN_DEBT
#define S_HOUSING CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING

//  Two residents' subject ids (the shape intake gives them).
#define S_ANNA "S00000000000000000000000001"
#define S_BRAM "S00000000000000000000000002"

static int
s_setup (void **state)
{
    kit_t *kit = calloc (1, sizeof *kit);
    assert_non_null (kit);
    kit_init (kit);
    *state = kit;
    return 0;
}

static int
s_teardown (void **state)
{
    kit_t *kit = *state;
    kit_replay_digest (kit);
    kit_destroy (kit);
    free (kit);
    return 0;
}

static void
s_registered (kit_t *kit, const char *case_id, const char *subject, Caseflow__V1__Domain domain,
              int64_t at)
{
    Caseflow__V1__Intake__CaseRegistered body = CASEFLOW__V1__INTAKE__CASE_REGISTERED__INIT;
    body.case_id = (char *) case_id;
    body.channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE;
    body.subject = (char *) subject;
    body.domains = &domain;
    body.n_domains = 1;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED;
    event.case_registered = &body;
    kit_upstream (kit, NOTIFICATION_INTAKE, &event, case_id, at);
}

static void
s_question (kit_t *kit, const char *case_id, Caseflow__V1__Domain domain)
{
    Caseflow__V1__Intake__QuestionAdded body = CASEFLOW__V1__INTAKE__QUESTION_ADDED__INIT;
    body.case_id = (char *) case_id;
    body.domains = &domain;
    body.n_domains = 1;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED;
    event.question_added = &body;
    kit_upstream (kit, NOTIFICATION_INTAKE, &event, case_id, 0);
}

//  ResidentHeld (`held`) or ResidentReleased of `subject`.
static void
s_hold (kit_t *kit, const char *subject, bool held)
{
    Caseflow__V1__Intake__ResidentHeld hold = CASEFLOW__V1__INTAKE__RESIDENT_HELD__INIT;
    Caseflow__V1__Intake__ResidentReleased release = CASEFLOW__V1__INTAKE__RESIDENT_RELEASED__INIT;
    hold.subject = release.subject = (char *) subject;
    hold.reason = "objection";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    if (held) {
        event.body_case = CASEFLOW__V1__EVENT__BODY_RESIDENT_HELD;
        event.resident_held = &hold;
    } else {
        event.body_case = CASEFLOW__V1__EVENT__BODY_RESIDENT_RELEASED;
        event.resident_released = &release;
    }
    kit_upstream (kit, NOTIFICATION_INTAKE, &event, NULL, 0);
}

static void
s_erased (kit_t *kit, const char *subject)
{
    Caseflow__V1__Intake__ResidentErased body = CASEFLOW__V1__INTAKE__RESIDENT_ERASED__INIT;
    body.subject = (char *) subject;
    body.basis = CASEFLOW__V1__INTAKE__ERASURE_BASIS__ERASURE_BASIS_REQUEST;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_RESIDENT_ERASED;
    event.resident_erased = &body;
    kit_upstream (kit, NOTIFICATION_INTAKE, &event, NULL, 0);
}

//  The RetentionDue events since the mark, in journal order (decoded;
//  free each with caseflow__v1__event__free_unpacked). Returns the count.
static size_t
s_fired (kit_t *kit, Caseflow__V1__Event **out, size_t max)
{
    size_t count = 0;
    for (size_t i = kit->mark; i < kit->count; i++) {
        Caseflow__V1__Event *event =
            caseflow__v1__event__unpack (NULL, kit->journal_size [i], kit->journal [i]);
        assert_non_null (event);
        if (event->body_case == CASEFLOW__V1__EVENT__BODY_RETENTION_DUE && count < max)
            out [count++] = event;
        else
            caseflow__v1__event__free_unpacked (event, NULL);
    }
    return count;
}

static void
s_free (Caseflow__V1__Event **events, size_t count)
{
    for (size_t i = 0; i < count; i++)
        caseflow__v1__event__free_unpacked (events [i], NULL);
}

//  Asserts that exactly one RetentionDue fired since the mark, with id
//  `id`, for `subject`, due `due`, counted from `closed`, under the
//  rule of `domain` of `years`; then marks.
static void
s_expect_one (kit_t *kit, const char *id, const char *subject, const char *due, const char *closed,
              int domain, uint32_t years)
{
    Caseflow__V1__Event *events [4];
    size_t count = s_fired (kit, events, 4);
    if (count != 1)
        fail_msg ("expected one RetentionDue (%s), %zu fired", id, count);
    const Caseflow__V1__Notification__RetentionDue *body = events [0]->retention_due;
    assert_string_equal (body->retention_id, id);
    assert_string_equal (body->subject, subject);
    assert_int_equal (body->due_at, kit_time (due));
    assert_int_equal (body->last_closed_at, kit_time (closed));
    assert_int_equal (body->domain, domain);
    assert_int_equal (body->years, years);
    assert_string_equal (events [0]->stream, NOTIFICATION_STREAM);
    assert_string_equal (events [0]->case_id, "");
    s_free (events, count);
    kit_mark (kit);
}

static void
s_expect_none (kit_t *kit)
{
    Caseflow__V1__Event *events [4];
    size_t count = s_fired (kit, events, 4);
    s_free (events, count);
    assert_int_equal (count, 0);
}

static void
test_due_after_the_period (void **state)
{
    kit_t *kit = *state;
    s_registered (kit, "C000001", S_ANNA, S_DEBT, kit_time ("2022-01-10T10:00"));
    kit_clock (kit, kit_time ("2022-03-01T10:00"));
    kit_close (kit, "C000001", kit_time ("2022-03-01T10:00"));
    const notification_subject_t *subject =
        notification_retention_subject (notification_state_retention (kit->state), S_ANNA);
    assert_non_null (subject);
    assert_int_equal (subject->due_at, kit_time ("2029-03-01T10:00"));
    assert_int_equal (notification_next_wake (kit->state), kit_time ("2029-03-01T10:00"));
    kit_mark (kit);
    kit_clock (kit, kit_time ("2029-03-01T09:59"));
    s_expect_none (kit);
    kit_clock (kit, kit_time ("2029-03-01T10:00"));
    s_expect_one (kit, "retention/" S_ANNA "/1", S_ANNA, "2029-03-01T10:00", "2022-03-01T10:00",
                  S_DEBT, 7);
    assert_int_equal (notification_next_wake (kit->state), INT64_MAX);
    //  Once.
    kit_clock (kit, kit_time ("2040-01-01T00:00"));
    s_expect_none (kit);
}

static void
test_all_cases_and_their_domains (void **state)
{
    kit_t *kit = *state;
    //  Two cases: not due while one is open; the later closure counts,
    //  and a question that joined brings its domain's longer period.
    s_registered (kit, "C000001", S_ANNA, S_HOUSING, kit_time ("2022-01-10T10:00"));
    s_registered (kit, "C000002", S_ANNA, S_DEBT, kit_time ("2022-01-11T10:00"));
    kit_close (kit, "C000001", kit_time ("2022-02-01T10:00"));
    kit_mark (kit);
    kit_clock (kit, kit_time ("2030-01-01T00:00"));
    s_expect_none (kit);
    s_question (kit, "C000002", S_YOUTH);
    kit_close (kit, "C000002", kit_time ("2030-01-02T10:00"));
    //  A second closure of the same case changes nothing.
    kit_close (kit, "C000002", kit_time ("2030-01-03T10:00"));
    kit_clock (kit, kit_time ("2037-01-02T10:00"));
    s_expect_none (kit);
    kit_clock (kit, kit_time ("2050-01-02T10:00"));
    s_expect_one (kit, "retention/" S_ANNA "/1", S_ANNA, "2050-01-02T10:00", "2030-01-02T10:00",
                  S_YOUTH, 20);
}

static void
test_held_and_released (void **state)
{
    kit_t *kit = *state;
    s_registered (kit, "C000001", S_ANNA, S_HOUSING, kit_time ("2022-01-10T10:00"));
    kit_close (kit, "C000001", kit_time ("2022-01-10T12:00"));
    s_hold (kit, S_ANNA, true);
    assert_int_equal (notification_next_wake (kit->state), INT64_MAX);
    kit_mark (kit);
    kit_clock (kit, kit_time ("2025-01-01T00:00"));
    s_expect_none (kit);
    //  Released after the period: due at once (the manual clock fires
    //  after the reaction), with the due time the period gave.
    s_hold (kit, S_ANNA, false);
    s_expect_one (kit, "retention/" S_ANNA "/1", S_ANNA, "2024-01-10T12:00", "2022-01-10T12:00",
                  S_HOUSING, 2);
    //  Intake let it pass (the resident was held again meanwhile, say):
    //  the next release counts again, under the next id.
    s_hold (kit, S_ANNA, true);
    s_hold (kit, S_ANNA, false);
    s_expect_one (kit, "retention/" S_ANNA "/2", S_ANNA, "2024-01-10T12:00", "2022-01-10T12:00",
                  S_HOUSING, 2);
}

static void
test_erased_or_back (void **state)
{
    kit_t *kit = *state;
    s_registered (kit, "C000001", S_ANNA, S_HOUSING, kit_time ("2022-01-10T10:00"));
    s_registered (kit, "C000002", S_BRAM, S_HOUSING, kit_time ("2022-01-10T10:00"));
    kit_close (kit, "C000001", kit_time ("2022-01-10T12:00"));
    kit_close (kit, "C000002", kit_time ("2022-01-10T12:00"));
    s_erased (kit, S_ANNA);
    kit_mark (kit);
    kit_clock (kit, kit_time ("2024-01-10T12:00"));
    s_expect_one (kit, "retention/" S_BRAM "/1", S_BRAM, "2024-01-10T12:00", "2022-01-10T12:00",
                  S_HOUSING, 2);
    //  Bram came back before intake acted: the next closure counts.
    s_registered (kit, "C000003", S_BRAM, S_HOUSING, kit_time ("2024-01-10T12:00"));
    kit_close (kit, "C000003", kit_time ("2024-02-01T09:00"));
    kit_clock (kit, kit_time ("2026-02-01T09:00"));
    s_expect_one (kit, "retention/" S_BRAM "/2", S_BRAM, "2026-02-01T09:00", "2024-02-01T09:00",
                  S_HOUSING, 2);
    //  Unknown subjects and events without one change nothing.
    s_hold (kit, S_ANNA "9", true);
    s_erased (kit, "not a subject");
    kit_register (kit, "C000004", NULL, 0);
    kit_close (kit, "C000004", 0);
    kit_clock (kit, kit_time ("2060-01-01T00:00"));
    s_expect_none (kit);
    assert_int_equal (notification_retention_count (notification_state_retention (kit->state)), 2);
}

//  The emitter of a state rebuilt from the journal: nothing may fire.
static int
s_refuse_emit (void *ctx, Caseflow__V1__Event *event)
{
    (void) ctx;
    fail_msg ("a rebuilt state fired %d again", (int) event->body_case);
    return 0;
}

static void
test_rebuilt_fires_nothing_again (void **state)
{
    kit_t *kit = *state;
    s_registered (kit, "C000001", S_ANNA, S_DEBT, kit_time ("2022-01-10T10:00"));
    kit_close (kit, "C000001", kit_time ("2022-01-10T12:00"));
    s_registered (kit, "C000002", S_BRAM, S_DEBT, kit_time ("2022-01-10T10:00"));
    kit_close (kit, "C000002", kit_time ("2022-06-10T12:00"));
    kit_mark (kit);
    kit_clock (kit, kit_time ("2029-02-01T00:00"));
    s_expect_one (kit, "retention/" S_ANNA "/1", S_ANNA, "2029-01-10T12:00", "2022-01-10T12:00",
                  S_DEBT, 7);
    notification_state_t *fresh = notification_state_new (&kit->config);
    for (size_t i = 0; i < kit->count; i++) {
        Caseflow__V1__Event *event =
            caseflow__v1__event__unpack (NULL, kit->journal_size [i], kit->journal [i]);
        notification_state_apply (fresh, event);
        caseflow__v1__event__free_unpacked (event, NULL);
    }
    cf_decider_t decider;
    cf_decider_init (&decider, kit->now, NULL, s_refuse_emit, NULL);
    notification_fire_due (fresh, &decider, 0);
    //  What is still ahead stays ahead.
    assert_int_equal (notification_next_wake (fresh), kit_time ("2029-06-10T12:00"));
    notification_state_destroy (&fresh);
}

static void
test_configured_periods (void **state)
{
    kit_t *kit = *state;
    //  A state under --retention debt=1y.
    kit_destroy (kit);
    kit_init (kit);
    char why [200];
    assert_int_equal (cf_retention_parse (&kit->config.retention, "debt=1y", why, sizeof why), 0);
    notification_state_destroy (&kit->state);
    kit->state = notification_state_new (&kit->config);
    s_registered (kit, "C000001", S_ANNA, S_DEBT, kit_time ("2022-01-10T10:00"));
    kit_close (kit, "C000001", kit_time ("2022-01-10T12:00"));
    kit_mark (kit);
    kit_clock (kit, kit_time ("2023-01-10T12:00"));
    s_expect_one (kit, "retention/" S_ANNA "/1", S_ANNA, "2023-01-10T12:00", "2022-01-10T12:00",
                  S_DEBT, 1);
}

static void
test_many_in_due_order (void **state)
{
    kit_t *kit = *state;
    //  60 residents closing in a shuffled order, some held for good: each
    //  of the others fires once, in (due time, subject) order.
    enum { COUNT = 60 };
    char subjects [COUNT][32], cases [COUNT][16];
    for (int i = 0; i < COUNT; i++) {
        snprintf (subjects [i], sizeof subjects [i], "S000000000000000000000001%02d", i);
        snprintf (cases [i], sizeof cases [i], "C%06d", i + 1);
        s_registered (kit, cases [i], subjects [i], S_HOUSING, kit_time ("2022-01-03T09:00"));
    }
    for (int step = 0; step < COUNT; step++) {
        int i = (step * 37) % COUNT;
        //  Two closures a day, in the shuffled order.
        kit_close (kit, cases [i], kit_time ("2022-02-01T09:00") + (int64_t) (step / 2) * KIT_DAY);
        if (i % 7 == 3)
            s_hold (kit, subjects [i], true);
    }
    kit_mark (kit);
    for (int day = 0; day < COUNT; day++)
        kit_clock (kit, kit_time ("2024-02-01T09:00") + (int64_t) day * KIT_DAY);
    Caseflow__V1__Event *events [COUNT];
    size_t count = s_fired (kit, events, COUNT);
    size_t held = 0;
    for (int i = 0; i < COUNT; i++)
        held += i % 7 == 3;
    assert_int_equal (count, COUNT - held);
    for (size_t k = 1; k < count; k++) {
        const Caseflow__V1__Notification__RetentionDue *a = events [k - 1]->retention_due,
                                                       *b = events [k]->retention_due;
        assert_true (a->due_at < b->due_at
                     || (a->due_at == b->due_at && strcmp (a->subject, b->subject) < 0));
        assert_non_null (strstr (a->retention_id, "/1"));
    }
    s_free (events, count);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_due_after_the_period, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_all_cases_and_their_domains, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_held_and_released, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_erased_or_back, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_rebuilt_fires_nothing_again, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_configured_periods, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_many_in_due_order, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
