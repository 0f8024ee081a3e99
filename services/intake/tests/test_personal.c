//  test_personal: what a registration puts in plain and what it seals
//  (docs/privacy.md). A CaseRegistered carries the resident's subject, the
//  resident and question sealed under the subject's key, the areas serving
//  the resident's district (from assignment's LocationAdded) and an age
//  band; and no personal value of a resident is anywhere in the encoded
//  bytes of an event intake emits, while the same search finds it in the
//  upstream event that brought it.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "cf_error.h"
#include "cf_seal.h"
#include "intake_harness.h"
#include "intake_personal.h"
#include "intake_registry.h"

#include <stdio.h>
#include <string.h>

#define OK       CASEFLOW__V1__STATUS__CODE__OK
#define PHONE    CASEFLOW__V1__CHANNEL__CHANNEL_PHONE
#define REGULAR  CASEFLOW__V1__URGENCY__URGENCY_REGULAR
#define URGENT   CASEFLOW__V1__URGENCY__URGENCY_URGENT
#define CONTINUE CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE

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

static harness_reg_t
s_args (const char *name, const char *birth_date, const char *district)
{
    return (harness_reg_t){
        .channel = PHONE,
        .name = name,
        .birth_date = birth_date,
        .phone = "0492 123456",
        .district = district,
        .bsn = "",
        .domains = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT },
        .n_domains = 1,
        .question = "Letters from the bailiff",
    };
}

//  The CaseRegistered of the last decision.
static const Caseflow__V1__Intake__CaseRegistered *
s_registered (harness_t *h)
{
    const Caseflow__V1__Event *event = harness_event (h, 0);
    assert_int_equal (event->body_case, CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED);
    return event->case_registered;
}

static void
test_registered_carries_subject_and_sealed_personal (void **state)
{
    harness_t *h = *state;
    harness_reg_t args = s_args ("Anna de Vries", "1980-05-17", "Noord");
    args.bsn = "111222333";
    char id [24];
    assert_int_equal (harness_register (h, &args, id), OK);
    const Caseflow__V1__Intake__CaseRegistered *body = s_registered (h);
    assert_true (cf_seal_id_valid (body->subject, 'S'));
    char subject [CF_SEAL_ID_SIZE];
    snprintf (subject, sizeof subject, "%s", body->subject);
    //  Sealed under a key of the key store, which belongs to the subject.
    assert_non_null (body->personal);
    assert_true (cf_seal_id_valid (body->personal->key_id, 'K'));
    char owner [CF_SEAL_ID_SIZE];
    assert_int_equal (
        cf_keystore_get_key (harness_keystore (h), body->personal->key_id, NULL, owner), 0);
    assert_string_equal (owner, subject);
    //  Nothing personal in plain fields.
    assert_null (body->resident);
    assert_string_equal (body->question, "");
    const Caseflow__V1__Personal *personal =
        harness_open (h, body->personal, INTAKE_FIELD_REGISTERED);
    assert_non_null (personal->resident);
    assert_string_equal (personal->resident->name, "Anna de Vries");
    assert_string_equal (personal->resident->birth_date, "1980-05-17");
    assert_string_equal (personal->resident->phone, "0492 123456");
    assert_string_equal (personal->resident->district, "Noord");
    assert_string_equal (personal->resident->bsn, "111222333");
    assert_string_equal (personal->text, "Letters from the bailiff");
    //  The box is bound to its field: it does not open as another one.
    size_t size = caseflow__v1__sealed__get_packed_size (body->personal);
    uint8_t packed [1024];
    assert_true (size <= sizeof packed);
    caseflow__v1__sealed__pack (body->personal, packed);
    Caseflow__V1__Personal *wrong = NULL;
    assert_int_equal (intake_registry_open (intake_state_registry (harness_state (h)), packed, size,
                                            INTAKE_FIELD_QUESTION, &wrong),
                      CF_ECORRUPT);
    assert_null (wrong);

    //  The view opens it; the state keeps the subject.
    const Caseflow__V1__Intake__CaseView *view = harness_view (h, id);
    assert_string_equal (view->subject, subject);
    assert_false (view->erased);
    assert_string_equal (view->resident->name, "Anna de Vries");
    assert_string_equal (view->resident->bsn, "111222333");
    assert_string_equal (view->question, "Letters from the bailiff");
    assert_string_equal (intake_state_case (harness_state (h), id)->subject->id, subject);

    //  The same resident's next case (after closing this one) has the same
    //  subject; another resident has another.
    assert_int_equal (harness_close (h, id, "done"), OK);
    char again [24];
    assert_int_equal (harness_register (h, &args, again), OK);
    assert_string_not_equal (again, id);
    assert_string_equal (s_registered (h)->subject, subject);
    assert_int_equal (intake_state_subject (harness_state (h), subject)->case_count, 2);
    args = s_args ("Bram Jansen", "1980-05-17", "Noord");
    assert_int_equal (harness_register (h, &args, NULL), OK);
    assert_true (cf_seal_id_valid (s_registered (h)->subject, 'S'));
    assert_string_not_equal (s_registered (h)->subject, subject);
    assert_int_equal (intake_state_subject_count (harness_state (h)), 2);
}

static void
test_areas_from_location_added (void **state)
{
    harness_t *h = *state;
    const char *noord [] = { "Noord" };
    harness_location (h, 1, "L1", noord, 1);
    assert_int_equal (harness_emitted (h), 0);
    const char *zuid [] = { "Zuid" };
    harness_location (h, 2, "L9", zuid, 1);
    char id [24];
    harness_reg_t args = s_args ("Anna de Vries", "1980-05-17", "Noord");
    assert_int_equal (harness_register (h, &args, id), OK);
    const Caseflow__V1__Intake__CaseRegistered *body = s_registered (h);
    assert_int_equal (body->n_areas, 1);
    assert_string_equal (body->areas [0], "L1");
    const Caseflow__V1__Intake__CaseView *view = harness_view (h, id);
    assert_int_equal (view->n_areas, 1);
    assert_string_equal (view->areas [0], "L1");

    //  A second location serving Noord (and a repeat of the first): both,
    //  in the order they were added, for registrations from now on; the
    //  case registered before keeps its areas.
    const char *both [] = { "Zuid", "Noord" };
    harness_location (h, 3, "L2", both, 2);
    harness_location (h, 4, "L1", noord, 1);
    args = s_args ("Bram Jansen", "1980-05-17", "Noord");
    assert_int_equal (harness_register (h, &args, NULL), OK);
    body = s_registered (h);
    assert_int_equal (body->n_areas, 2);
    assert_string_equal (body->areas [0], "L1");
    assert_string_equal (body->areas [1], "L2");
    assert_int_equal (harness_view (h, id)->n_areas, 1);

    //  A district no location serves, or none: no areas.
    args = s_args ("Cor Smits", "1980-05-17", "Oost");
    assert_int_equal (harness_register (h, &args, NULL), OK);
    assert_int_equal (s_registered (h)->n_areas, 0);
    args = s_args ("Dirk Bos", "1980-05-17", "");
    assert_int_equal (harness_register (h, &args, NULL), OK);
    assert_int_equal (s_registered (h)->n_areas, 0);
}

static void
test_age_band_at_registration (void **state)
{
    harness_t *h = *state;
    //  The harness's day is 2022-01-10.
    const struct {
        const char *birth_date;
        Caseflow__V1__AgeBand band;
    } cases [] = {
        { "2010-06-01", CASEFLOW__V1__AGE_BAND__AGE_BAND_0_17 },
        { "2004-01-11", CASEFLOW__V1__AGE_BAND__AGE_BAND_0_17 },  //  18 tomorrow
        { "2004-01-10", CASEFLOW__V1__AGE_BAND__AGE_BAND_18_26 },
        { "1995-01-11", CASEFLOW__V1__AGE_BAND__AGE_BAND_18_26 },
        { "1995-01-10", CASEFLOW__V1__AGE_BAND__AGE_BAND_27_66 },
        { "1955-01-11", CASEFLOW__V1__AGE_BAND__AGE_BAND_27_66 },
        { "1955-01-10", CASEFLOW__V1__AGE_BAND__AGE_BAND_67_PLUS },
        { "", CASEFLOW__V1__AGE_BAND__AGE_BAND_UNSPECIFIED },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases [0]; i++) {
        char name [32], id [24];
        snprintf (name, sizeof name, "Resident %zu", i);
        harness_reg_t args = s_args (name, cases [i].birth_date, "");
        assert_int_equal (harness_register (h, &args, id), OK);
        if (s_registered (h)->age_band != cases [i].band)
            fail_msg ("born %s: band %d, expected %d", cases [i].birth_date,
                      s_registered (h)->age_band, cases [i].band);
        assert_int_equal (harness_view (h, id)->age_band, cases [i].band);
    }
}

static void
test_no_plain_personal_value_in_emitted_events (void **state)
{
    harness_t *h = *state;
    static const char *const values [] = {
        "Wilhelmina Zwaneveld",  //  name
        "Zwaneveld",             //  a part of it
        "1961-03-04",            //  birth date
        "123456782",             //  BSN
        "06 1234 9876",          //  phone
        "Kruidenwijk",           //  district
        "rent arrears since March",
        "her son moved out",
        "left a voicemail for Wilhelmina",
        "sister answered the phone",
        "moved in with her sister",
    };
    harness_reg_t args = s_args (values [0], values [2], values [5]);
    args.bsn = values [3];
    args.phone = values [4];
    args.question = values [6];
    args.urgency = REGULAR;
    args.reason = "Zwaneveld can wait a week";
    char id [24];
    assert_int_equal (harness_register (h, &args, id), OK);
    //  A second registration joins with a question of its own.
    args.question = values [7];
    args.urgency = URGENT;
    args.reason = "Wilhelmina Zwaneveld is in crisis";
    assert_int_equal (harness_register (h, &args, NULL), OK);
    assert_int_equal (
        harness_callback (h, id,
                          CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_NOT_REACHED,
                          values [8]),
        OK);
    assert_int_equal (
        harness_callback (h, id, CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED,
                          values [9]),
        OK);
    assert_int_equal (harness_withdraw (h, id, values [10]), OK);
    //  And the resident arrives once more, from a handover.
    harness_handover (h, 1, "H000001", CONTINUE, values [0], values [3], REGULAR, "");
    assert_int_equal (harness_emitted (h), 2);
    assert_int_equal (harness_status (h, "C000002"),
                      CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING);

    for (size_t i = 0; i < sizeof values / sizeof values [0]; i++)
        if (harness_journal_holding (h, values [i], true))
            fail_msg ("\"%s\" is in plain in an event intake emitted", values [i]);
    assert_int_equal (harness_journal_holding (h, "is in crisis", true), 0);
    assert_int_equal (harness_journal_holding (h, "family support", true), 0);
    //  Controls: the search finds the resident's name and BSN in the
    //  handover's own event (upstream, in plain), and plain non-personal
    //  values in intake's events.
    assert_int_equal (harness_journal_holding (h, values [0], false), 1);
    assert_int_equal (harness_journal_holding (h, values [3], false), 1);
    assert_true (harness_journal_holding (h, id, true) > 0);
    assert_int_equal (harness_journal_holding (h, "H000001", true), 1);
    //  And every one of them opens for the key holder.
    const Caseflow__V1__Intake__CaseView *view = harness_view (h, id);
    assert_string_equal (view->resident->name, values [0]);
    assert_string_equal (view->resident->birth_date, values [2]);
    assert_string_equal (view->resident->bsn, values [3]);
    assert_string_equal (view->resident->phone, values [4]);
    assert_string_equal (view->resident->district, values [5]);
    assert_string_equal (view->question, values [6]);
    assert_string_equal (view->questions [0]->question, values [7]);
    assert_string_equal (view->triage_reason, "Wilhelmina Zwaneveld is in crisis");
    assert_string_equal (view->callbacks [0]->note, values [8]);
    assert_string_equal (view->callbacks [1]->note, values [9]);
    assert_string_equal (view->close_reason, values [10]);
    assert_string_equal (harness_view (h, "C000002")->question, "family support twice a week");
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_registered_carries_subject_and_sealed_personal,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_areas_from_location_added, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_age_band_at_registration, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_no_plain_personal_value_in_emitted_events, s_setup,
                                         s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
