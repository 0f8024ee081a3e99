//  test_retention: holds and releases (events, repeats, the resident's
//  table refusing what it does not list, every bad request naming its
//  field), an erasure request refused while a refusable domain's period
//  runs or the resident is held, the override recorded, the requests that
//  are never refused, and the reaction to notification's RetentionDue:
//  erased with basis RETENTION, or not when held, erased, registered again
//  or closed again since. Every test ends with a replay of the journal
//  into a fresh state giving the same digest.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "cf_time.h"
#include "intake_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OK        CASEFLOW__V1__STATUS__CODE__OK
#define BAD       CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
#define MISSING   CASEFLOW__V1__STATUS__CODE__NOT_FOUND
#define STATE     CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION
#define PHONE     CASEFLOW__V1__CHANNEL__CHANNEL_PHONE
#define YOUTH     CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH
#define DEBT      CASEFLOW__V1__DOMAIN__DOMAIN_DEBT
#define HOUSING   CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING
#define REQUEST   CASEFLOW__V1__INTAKE__ERASURE_BASIS__ERASURE_BASIS_REQUEST
#define RETENTION CASEFLOW__V1__INTAKE__ERASURE_BASIS__ERASURE_BASIS_RETENTION
#define UNUSED    CASEFLOW__V1__URGENCY__URGENCY_UNSPECIFIED
#define NO_NAME   "S00000000000000000000000000"

static int
s_setup (void **state)
{
    *state = harness_new ();
    return 0;
}

static int
s_teardown (void **state)
{
    harness_t *h = *state;
    harness_assert_replay (h);
    harness_destroy (&h);
    return 0;
}

static int64_t
s_at (const char *text)
{
    int64_t at = 0;
    assert_int_equal (cf_time_parse (text, &at), 0);
    return at;
}

//  A phone registration of `name` with one or two domains (0: none).
static void
s_register (harness_t *h, const char *name, Caseflow__V1__Domain a, Caseflow__V1__Domain b,
            char case_id [24])
{
    harness_reg_t args = {
        .channel = PHONE,
        .name = name,
        .birth_date = "1980-05-17",
        .domains = { a, b },
        .n_domains = b ? 2 : 1,
    };
    assert_int_equal (harness_register (h, &args, case_id), OK);
}

static const char *
s_subject (harness_t *h, const char *case_id)
{
    const intake_case_t *kase = intake_state_case (harness_state (h), case_id);
    assert_non_null (kase);
    return kase->subject->id;
}

static Caseflow__V1__Status__Code
s_hold (harness_t *h, const char *case_id, const char *subject, const char *reason)
{
    Caseflow__V1__Intake__Hold body = CASEFLOW__V1__INTAKE__HOLD__INIT;
    body.case_id = (char *) (case_id ? case_id : "");
    body.subject = (char *) (subject ? subject : "");
    body.reason = (char *) (reason ? reason : "");
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_HOLD;
    command.hold = &body;
    return harness_command (h, &command);
}

static Caseflow__V1__Status__Code
s_release (harness_t *h, const char *case_id, const char *subject)
{
    Caseflow__V1__Intake__Release body = CASEFLOW__V1__INTAKE__RELEASE__INIT;
    body.case_id = (char *) (case_id ? case_id : "");
    body.subject = (char *) (subject ? subject : "");
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_RELEASE;
    command.release = &body;
    return harness_command (h, &command);
}

static Caseflow__V1__Status__Code
s_erase (harness_t *h, const char *case_id, const char *reason, bool override)
{
    Caseflow__V1__Intake__Erase body = CASEFLOW__V1__INTAKE__ERASE__INIT;
    body.case_id = (char *) case_id;
    body.reason = (char *) reason;
    body.override_retention = override;
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_ERASE;
    command.erase = &body;
    return harness_command (h, &command);
}

//  Notification's RetentionDue for `subject` with seq `seq`.
static void
s_due (harness_t *h, uint64_t seq, const char *subject, int64_t last_closed_at,
       Caseflow__V1__Domain domain, uint32_t years)
{
    char id [64];
    snprintf (id, sizeof id, "retention/%s/%llu", subject, (unsigned long long) seq);
    Caseflow__V1__Notification__RetentionDue body = CASEFLOW__V1__NOTIFICATION__RETENTION_DUE__INIT;
    body.retention_id = id;
    body.subject = (char *) subject;
    body.last_closed_at = last_closed_at;
    body.due_at = last_closed_at + 1;
    body.domain = domain;
    body.years = years;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_RETENTION_DUE;
    event.retention_due = &body;
    harness_upstream (h, "notification", seq, &event);
}

static void
s_expect_message (harness_t *h, const char *part)
{
    if (!strstr (harness_message (h), part))
        fail_msg ("expected \"%s\" in \"%s\"", part, harness_message (h));
}

static const intake_subject_t *
s_subject_of (harness_t *h, const char *case_id)
{
    return intake_state_subject (harness_state (h), s_subject (h, case_id));
}

static void
test_hold_and_release (void **state)
{
    harness_t *h = *state;
    char id [24];
    s_register (h, "Anna de Vries", DEBT, 0, id);
    char subject [CF_SEAL_ID_SIZE];
    snprintf (subject, sizeof subject, "%s", s_subject (h, id));
    char before [65], held [65], released [65];
    harness_digest (h, before);

    assert_int_equal (s_hold (h, id, NULL, "objection 2022-07"), OK);
    assert_int_equal (harness_emitted (h), 1);
    const Caseflow__V1__Event *event = harness_event (h, 0);
    assert_int_equal (event->body_case, CASEFLOW__V1__EVENT__BODY_RESIDENT_HELD);
    assert_string_equal (event->resident_held->subject, subject);
    assert_string_equal (event->resident_held->reason, "objection 2022-07");
    assert_string_equal (event->case_id, "");
    const Caseflow__V1__Intake__CommandResult *result = harness_result (h);
    assert_int_equal (result->body_case, CASEFLOW__V1__INTAKE__COMMAND_RESULT__BODY_HOLD);
    assert_string_equal (result->hold->subject, subject);
    assert_true (result->hold->held);
    assert_true (s_subject_of (h, id)->held);
    assert_int_equal (s_subject_of (h, id)->held_at, harness_now (h));
    harness_digest (h, held);
    assert_string_not_equal (before, held);

    //  Held again: OK, nothing recorded.
    assert_int_equal (s_hold (h, NULL, subject, "court case 12"), OK);
    assert_int_equal (harness_emitted (h), 0);
    assert_true (harness_result (h)->hold->held);

    assert_int_equal (s_release (h, NULL, subject), OK);
    assert_int_equal (harness_emitted (h), 1);
    event = harness_event (h, 0);
    assert_int_equal (event->body_case, CASEFLOW__V1__EVENT__BODY_RESIDENT_RELEASED);
    assert_string_equal (event->resident_released->subject, subject);
    assert_false (harness_result (h)->hold->held);
    assert_false (s_subject_of (h, id)->held);
    harness_digest (h, released);
    assert_string_not_equal (released, held);
    //  The digest remembers that the resident was held once.
    assert_string_not_equal (released, before);

    //  Not held: the table names the state.
    assert_int_equal (s_release (h, id, NULL), STATE);
    assert_string_equal (harness_field (h), "command.intake.release.case_id");
    char expected [160];
    snprintf (expected, sizeof expected, "resident %s is kept; release needs it held", subject);
    assert_string_equal (harness_message (h), expected);
    assert_int_equal (s_release (h, NULL, subject), STATE);
    assert_string_equal (harness_field (h), "command.intake.release.subject");
}

static void
test_bad_holds (void **state)
{
    harness_t *h = *state;
    char id [24];
    s_register (h, "Anna de Vries", DEBT, 0, id);
    const char *subject = s_subject (h, id);
    assert_int_equal (s_hold (h, NULL, NULL, "x"), BAD);
    assert_string_equal (harness_field (h), "command.intake.hold.case_id");
    s_expect_message (h, "exactly one of case_id and subject");
    assert_int_equal (s_hold (h, id, subject, "x"), BAD);
    assert_string_equal (harness_field (h), "command.intake.hold.case_id");
    assert_int_equal (s_hold (h, id, NULL, ""), BAD);
    assert_string_equal (harness_field (h), "command.intake.hold.reason");
    assert_int_equal (s_hold (h, id, NULL, "two\nlines"), BAD);
    assert_string_equal (harness_field (h), "command.intake.hold.reason");
    assert_int_equal (s_hold (h, "C000099", NULL, "x"), MISSING);
    assert_string_equal (harness_field (h), "command.intake.hold.case_id");
    assert_int_equal (s_hold (h, "no such id!", NULL, "x"), BAD);
    assert_string_equal (harness_field (h), "command.intake.hold.case_id");
    assert_int_equal (s_hold (h, NULL, NO_NAME, "x"), MISSING);
    assert_string_equal (harness_field (h), "command.intake.hold.subject");
    assert_int_equal (s_hold (h, NULL, "not a subject", "x"), BAD);
    assert_string_equal (harness_field (h), "command.intake.hold.subject");
    assert_int_equal (s_release (h, NULL, NULL), BAD);
    assert_string_equal (harness_field (h), "command.intake.release.case_id");
    assert_int_equal (s_release (h, "C000099", NULL), MISSING);
    assert_int_equal (s_release (h, NULL, NO_NAME), MISSING);
    assert_string_equal (harness_field (h), "command.intake.release.subject");
}

static void
test_refused_while_the_period_runs (void **state)
{
    harness_t *h = *state;
    char id [24];
    s_register (h, "Anna de Vries", DEBT, 0, id);
    //  Open: refused, naming the rule.
    assert_int_equal (s_erase (h, id, "request 2022-031", false), STATE);
    assert_string_equal (harness_field (h), "command.intake.erase.override_retention");
    s_expect_message (h, "the retention rule of debt (7 years after the last case closed: Wgs; "
                         "Archiefwet 1995 and the selectielijst)");
    s_expect_message (h, "AVG art. 17(3)(b)");
    s_expect_message (h, "case C000001 is open");
    //  Closed a year ago: refused until seven years after the closure.
    assert_int_equal (harness_close (h, id, "done"), OK);
    harness_set_now (h, s_at ("2023-01-10T10:00"));
    assert_int_equal (s_erase (h, id, "request 2023-001", false), STATE);
    s_expect_message (h, "the last case closed on 2022-01-10, so it runs until 2029-01-10");
    harness_set_now (h, s_at ("2029-01-10T09:59"));
    assert_int_equal (s_erase (h, id, "request 2029-001", false), STATE);
    //  Over: honoured, nothing overridden.
    harness_set_now (h, s_at ("2029-01-10T10:00"));
    assert_int_equal (s_erase (h, id, "request 2029-002", false), OK);
    assert_int_equal (harness_emitted (h), 1);
    const Caseflow__V1__Intake__ResidentErased *erased = harness_event (h, 0)->resident_erased;
    assert_int_equal (erased->basis, REQUEST);
    assert_false (erased->retention_overridden);
    assert_string_equal (erased->reason, "request 2029-002");
}

static void
test_override_is_recorded (void **state)
{
    harness_t *h = *state;
    char id [24];
    s_register (h, "Anna de Vries", DEBT, 0, id);
    assert_int_equal (s_erase (h, id, "court order 2022-17 overrides the selectielijst", true), OK);
    assert_int_equal (harness_emitted (h), 1);
    const Caseflow__V1__Intake__ResidentErased *erased = harness_event (h, 0)->resident_erased;
    assert_int_equal (erased->basis, REQUEST);
    assert_true (erased->retention_overridden);
    assert_string_equal (erased->reason, "court order 2022-17 overrides the selectielijst");
    assert_int_equal (harness_result (h)->erased->erased_at, harness_now (h));
    //  A repeat answers the first erasure, also without the override.
    assert_int_equal (s_erase (h, id, "again", false), OK);
    assert_int_equal (harness_emitted (h), 0);
}

static void
test_requests_never_refused (void **state)
{
    harness_t *h = *state;
    char housing [24], youth [24], both [24];
    //  No duty to keep: honoured while the case is open, and an override
    //  of nothing is not recorded as one.
    s_register (h, "Anna de Vries", HOUSING, 0, housing);
    assert_int_equal (s_erase (h, housing, "request 1", true), OK);
    assert_false (harness_event (h, 0)->resident_erased->retention_overridden);
    //  The young person may ask (Jeugdwet art. 7.3.9).
    s_register (h, "Bram Jansen", YOUTH, 0, youth);
    assert_int_equal (s_erase (h, youth, "request 2", false), OK);
    assert_int_equal (harness_emitted (h), 1);
    //  Youth and debt: refused for the debt question's 7 years, not for
    //  the youth rule's 20.
    s_register (h, "Cor Smit", YOUTH, DEBT, both);
    assert_int_equal (harness_close (h, both, "done"), OK);
    harness_set_now (h, s_at ("2025-01-10T10:00"));
    assert_int_equal (s_erase (h, both, "request 3", false), STATE);
    s_expect_message (h, "the retention rule of debt (7 years");
    harness_set_now (h, s_at ("2029-02-01T10:00"));
    assert_int_equal (s_erase (h, both, "request 4", false), OK);
    assert_false (harness_event (h, 0)->resident_erased->retention_overridden);
}

static void
test_held_resident (void **state)
{
    harness_t *h = *state;
    char id [24];
    s_register (h, "Anna de Vries", HOUSING, 0, id);
    assert_int_equal (s_hold (h, id, NULL, "complaint 2022-12"), OK);
    assert_int_equal (s_erase (h, id, "request 5", false), STATE);
    assert_string_equal (harness_field (h), "command.intake.erase.override_retention");
    char expected [200];
    snprintf (expected, sizeof expected, "resident %s is held (since 2022-01-10)",
              s_subject (h, id));
    s_expect_message (h, expected);
    assert_int_equal (s_erase (h, id, "request 5, the complaint is withdrawn", true), OK);
    assert_true (harness_event (h, 0)->resident_erased->retention_overridden);
    //  Erased: no hold any more; release still ends the one there was.
    assert_int_equal (s_hold (h, id, NULL, "again"), STATE);
    snprintf (expected, sizeof expected, "resident %s is erased; hold needs it kept or held",
              s_subject (h, id));
    assert_string_equal (harness_message (h), expected);
}

static void
test_retention_due (void **state)
{
    harness_t *h = *state;
    char id [24];
    s_register (h, "Anna de Vries", DEBT, 0, id);
    assert_int_equal (harness_close (h, id, "done"), OK);
    int64_t closed = harness_now (h);
    char subject [CF_SEAL_ID_SIZE];
    snprintf (subject, sizeof subject, "%s", s_subject (h, id));
    harness_set_now (h, s_at ("2029-01-10T10:00"));
    s_due (h, 1, subject, closed, DEBT, 7);
    assert_int_equal (harness_emitted (h), 1);
    const Caseflow__V1__Event *event = harness_event (h, 0);
    assert_int_equal (event->body_case, CASEFLOW__V1__EVENT__BODY_RESIDENT_ERASED);
    assert_string_equal (event->resident_erased->subject, subject);
    assert_int_equal (event->resident_erased->basis, RETENTION);
    assert_false (event->resident_erased->retention_overridden);
    assert_string_equal (event->resident_erased->reason,
                         "retention: 7 years after the last case closed (Wgs; Archiefwet 1995 "
                         "and the selectielijst)");
    assert_int_equal (event->resident_erased->n_case_ids, 1);
    assert_string_equal (event->resident_erased->case_ids [0], id);
    assert_string_equal (harness_view (h, id)->resident->name, "erased");
    //  Erased already: nothing.
    s_due (h, 2, subject, closed, DEBT, 7);
    assert_int_equal (harness_emitted (h), 0);
    //  Unknown: nothing.
    s_due (h, 3, NO_NAME, closed, DEBT, 7);
    assert_int_equal (harness_emitted (h), 0);
}

static void
test_retention_due_not_erased (void **state)
{
    harness_t *h = *state;
    char first [24], second [24];
    s_register (h, "Anna de Vries", DEBT, 0, first);
    assert_int_equal (harness_close (h, first, "done"), OK);
    int64_t closed = harness_now (h);
    char subject [CF_SEAL_ID_SIZE];
    snprintf (subject, sizeof subject, "%s", s_subject (h, first));

    //  Held: nothing; the timer counts again on release.
    assert_int_equal (s_hold (h, first, NULL, "objection"), OK);
    s_due (h, 1, subject, closed, DEBT, 7);
    assert_int_equal (harness_emitted (h), 0);
    assert_int_equal (s_release (h, first, NULL), OK);

    //  Registered again: the same subject, an open case: nothing.
    harness_set_now (h, s_at ("2028-06-01T10:00"));
    s_register (h, "Anna de Vries", HOUSING, 0, second);
    assert_string_not_equal (first, second);
    assert_string_equal (s_subject (h, second), subject);
    s_due (h, 2, subject, closed, DEBT, 7);
    assert_int_equal (harness_emitted (h), 0);
    //  Closed again after the closure the timer counted from: nothing.
    assert_int_equal (harness_close (h, second, "done"), OK);
    s_due (h, 3, subject, closed, DEBT, 7);
    assert_int_equal (harness_emitted (h), 0);
    //  Counted from the last closure: erased, with the rule it names.
    s_due (h, 4, subject, harness_now (h), DEBT, 7);
    assert_int_equal (harness_emitted (h), 1);
    const Caseflow__V1__Intake__ResidentErased *erased = harness_event (h, 0)->resident_erased;
    assert_int_equal (erased->basis, RETENTION);
    assert_int_equal (erased->n_case_ids, 2);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_hold_and_release, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_bad_holds, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_refused_while_the_period_runs, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_override_is_recorded, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_requests_never_refused, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_held_resident, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_retention_due, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_retention_due_not_erased, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
