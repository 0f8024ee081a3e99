//  test_register: the register decision. New cases and their ids,
//  immediate triage, one open case per resident (joins by BSN or by name
//  plus birth date), and every validation error naming its field.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "intake_harness.h"
#include "intake_personal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OK      CASEFLOW__V1__STATUS__CODE__OK
#define BAD     CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
#define PHONE   CASEFLOW__V1__CHANNEL__CHANNEL_PHONE
#define REGULAR CASEFLOW__V1__URGENCY__URGENCY_REGULAR
#define URGENT  CASEFLOW__V1__URGENCY__URGENCY_URGENT
#define DEBT    CASEFLOW__V1__DOMAIN__DOMAIN_DEBT
#define HOUSING CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING

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
s_args (const char *name)
{
    return (harness_reg_t){
        .channel = PHONE,
        .name = name,
        .birth_date = "1980-05-17",
        .phone = "0492 123456",
        .district = "Brandevoort",
        .domains = { DEBT },
        .n_domains = 1,
        .question = "Letters from the bailiff",
    };
}

static const Caseflow__V1__Intake__RegisterResult *
s_registered (harness_t *h)
{
    const Caseflow__V1__Intake__CommandResult *result = harness_result (h);
    assert_int_equal (result->body_case, CASEFLOW__V1__INTAKE__COMMAND_RESULT__BODY_REGISTERED);
    return result->registered;
}

static void
test_new_cases_get_ids_in_order (void **state)
{
    harness_t *h = *state;
    harness_reg_t args = s_args ("Anna de Vries");
    char id [24];
    assert_int_equal (harness_register (h, &args, id), OK);
    assert_string_equal (id, "C000001");
    assert_int_equal (harness_emitted (h), 1);
    const Caseflow__V1__Event *event = harness_event (h, 0);
    assert_int_equal (event->body_case, CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED);
    assert_string_equal (event->case_id, "C000001");
    assert_string_equal (event->case_registered->case_id, "C000001");
    assert_int_equal (event->case_registered->channel, PHONE);
    //  The resident and the question travel sealed, never in plain fields.
    assert_null (event->case_registered->resident);
    assert_string_equal (event->case_registered->question, "");
    const Caseflow__V1__Personal *personal =
        harness_open (h, event->case_registered->personal, INTAKE_FIELD_REGISTERED);
    assert_string_equal (personal->resident->name, "Anna de Vries");
    assert_string_equal (personal->resident->district, "Brandevoort");
    assert_string_equal (personal->text, "Letters from the bailiff");
    assert_int_equal (event->case_registered->n_domains, 1);
    const Caseflow__V1__Intake__RegisterResult *result = s_registered (h);
    assert_int_equal (result->status, CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED);
    assert_int_equal (result->urgency, CASEFLOW__V1__URGENCY__URGENCY_UNSPECIFIED);
    assert_false (result->joined_existing);

    args = s_args ("Bram Jansen");
    assert_int_equal (harness_register (h, &args, id), OK);
    assert_string_equal (id, "C000002");
    assert_int_equal (intake_state_next_number (harness_state (h)), 3);
}

static void
test_immediate_triage (void **state)
{
    harness_t *h = *state;
    harness_reg_t args = s_args ("Anna de Vries");
    args.urgency = URGENT;
    args.reason = "eviction next week";
    //  Repeated domains collapse into one, listed in domain order.
    args.domains [0] = HOUSING;
    args.domains [1] = DEBT;
    args.domains [2] = HOUSING;
    args.n_domains = 3;
    char id [24];
    assert_int_equal (harness_register (h, &args, id), OK);
    assert_int_equal (harness_emitted (h), 2);
    const Caseflow__V1__Event *registered = harness_event (h, 0);
    assert_int_equal (registered->case_registered->n_domains, 2);
    assert_int_equal (registered->case_registered->domains [0], DEBT);
    assert_int_equal (registered->case_registered->domains [1], HOUSING);
    const Caseflow__V1__Event *triaged = harness_event (h, 1);
    assert_int_equal (triaged->body_case, CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED);
    assert_int_equal (triaged->case_triaged->urgency, URGENT);
    assert_int_equal (triaged->case_triaged->previous, CASEFLOW__V1__URGENCY__URGENCY_UNSPECIFIED);
    assert_int_equal (triaged->case_triaged->status, CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT);
    assert_string_equal (harness_text (h, triaged->case_triaged->personal, INTAKE_FIELD_TRIAGED),
                         "eviction next week");
    const Caseflow__V1__Intake__RegisterResult *result = s_registered (h);
    assert_int_equal (result->status, CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT);
    assert_int_equal (result->urgency, URGENT);

    args = s_args ("Bram Jansen");
    args.urgency = REGULAR;
    args.reason = "can wait";
    assert_int_equal (harness_register (h, &args, id), OK);
    assert_int_equal (s_registered (h)->status, CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING);
    const intake_case_t *kase = intake_state_case (harness_state (h), id);
    assert_int_equal (kase->triaged_at, harness_now (h));
    assert_string_equal (harness_view (h, id)->triage_reason, "can wait");
}

static void
test_walk_in_needs_location (void **state)
{
    harness_t *h = *state;
    harness_reg_t args = s_args ("Anna de Vries");
    args.channel = CASEFLOW__V1__CHANNEL__CHANNEL_WALK_IN;
    assert_int_equal (harness_register (h, &args, NULL), BAD);
    assert_string_equal (harness_field (h), "command.intake.register.location");
    args.location = "wijkhuis-west";
    char id [24];
    assert_int_equal (harness_register (h, &args, id), OK);
    assert_string_equal (intake_state_case (harness_state (h), id)->location, "wijkhuis-west");
}

static void
test_join_by_bsn (void **state)
{
    harness_t *h = *state;
    harness_reg_t args = s_args ("Anna de Vries");
    args.bsn = "111222333";
    char first [24], second [24];
    assert_int_equal (harness_register (h, &args, first), OK);
    //  Same BSN, the name spelt differently, another channel and domain.
    args = s_args ("A. de Vries");
    args.bsn = "111222333";
    args.birth_date = "";
    args.channel = CASEFLOW__V1__CHANNEL__CHANNEL_PARTNER;
    args.referred_by = "LEV groep";
    args.domains [0] = HOUSING;
    args.question = "Also a housing question";
    assert_int_equal (harness_register (h, &args, second), OK);
    assert_string_equal (second, first);
    assert_true (s_registered (h)->joined_existing);
    assert_int_equal (harness_emitted (h), 1);
    const Caseflow__V1__Event *event = harness_event (h, 0);
    assert_int_equal (event->body_case, CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED);
    assert_string_equal (event->question_added->case_id, first);
    assert_string_equal (event->question_added->referred_by, "LEV groep");
    assert_null (event->question_added->resident);
    assert_string_equal (event->question_added->question, "");
    const Caseflow__V1__Personal *personal =
        harness_open (h, event->question_added->personal, INTAKE_FIELD_QUESTION);
    assert_string_equal (personal->text, "Also a housing question");
    assert_string_equal (personal->resident->name, "A. de Vries");
    const intake_case_t *kase = intake_state_case (harness_state (h), first);
    assert_int_equal (kase->question_count, 1);
    assert_int_equal (kase->domains, intake_domain_bit (DEBT) | intake_domain_bit (HOUSING));
    //  The first registration's personal data is kept, not overwritten.
    assert_string_equal (harness_view (h, first)->resident->name, "Anna de Vries");
    assert_int_equal (intake_state_case_count (harness_state (h)), 1);
}

static void
test_join_by_name_and_birth_date (void **state)
{
    harness_t *h = *state;
    harness_reg_t args = s_args ("Anna de Vries");
    char first [24], id [24];
    assert_int_equal (harness_register (h, &args, first), OK);
    //  Case and spacing do not matter.
    args = s_args ("  anna  DE vries ");
    assert_int_equal (harness_register (h, &args, id), OK);
    assert_string_equal (id, first);
    assert_true (s_registered (h)->joined_existing);
    //  The join taught the case a BSN: a later registration by BSN alone matches.
    args = s_args ("Anna de Vries");
    args.bsn = "123456782";
    assert_int_equal (harness_register (h, &args, id), OK);
    assert_string_equal (id, first);
    args = s_args ("Anna Maria de Vries");
    args.birth_date = "";
    args.bsn = "123456782";
    assert_int_equal (harness_register (h, &args, id), OK);
    assert_string_equal (id, first);
    //  Another birth date, or none: another resident.
    args = s_args ("Anna de Vries");
    args.birth_date = "1981-05-17";
    assert_int_equal (harness_register (h, &args, id), OK);
    assert_string_equal (id, "C000002");
    args = s_args ("Anna de Vries");
    args.birth_date = "";
    assert_int_equal (harness_register (h, &args, id), OK);
    assert_string_equal (id, "C000003");
    //  Same name and birth date but another BSN: another person.
    args = s_args ("Anna de Vries");
    args.bsn = "111222333";
    assert_int_equal (harness_register (h, &args, id), OK);
    assert_string_equal (id, "C000004");
    assert_false (s_registered (h)->joined_existing);
}

//  The subject of case `case_id`.
static const char *
s_subject (harness_t *h, const char *case_id)
{
    const intake_case_t *kase = intake_state_case (harness_state (h), case_id);
    assert_non_null (kase);
    return kase->subject->id;
}

static void
test_same_name_and_birth_date_other_bsn_is_another_person (void **state)
{
    harness_t *h = *state;
    harness_reg_t args = s_args ("Anna de Vries");
    args.bsn = "111222333";
    char first [24], second [24], id [24];
    assert_int_equal (harness_register (h, &args, first), OK);
    //  The name and birth date find Anna's open case, but its BSN is
    //  another: a namesake born the same day, a new case and subject.
    args.bsn = "123456782";
    args.question = "A question of her own";
    assert_int_equal (harness_register (h, &args, second), OK);
    assert_string_not_equal (second, first);
    assert_false (s_registered (h)->joined_existing);
    assert_int_equal (harness_event (h, 0)->body_case, CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED);
    assert_string_not_equal (s_subject (h, second), s_subject (h, first));
    assert_int_equal (intake_state_case (harness_state (h), first)->question_count, 0);
    assert_string_equal (harness_view (h, first)->resident->bsn, "111222333");
    assert_string_equal (harness_view (h, second)->resident->bsn, "123456782");
    assert_string_equal (harness_view (h, second)->question, "A question of her own");
    //  Each BSN keeps finding its own resident's case.
    args.bsn = "111222333";
    assert_int_equal (harness_register (h, &args, id), OK);
    assert_string_equal (id, first);
    assert_true (s_registered (h)->joined_existing);
    args.bsn = "123456782";
    assert_int_equal (harness_register (h, &args, id), OK);
    assert_string_equal (id, second);
    assert_true (s_registered (h)->joined_existing);
    assert_int_equal (intake_state_case_count (harness_state (h)), 2);
}

static void
test_join_escalates_never_lowers (void **state)
{
    harness_t *h = *state;
    char id [24], joined [24];
    harness_new_case (h, "Anna de Vries", REGULAR, id);
    harness_reg_t args = s_args ("Anna de Vries");
    args.urgency = URGENT;
    args.reason = "now in crisis";
    assert_int_equal (harness_register (h, &args, joined), OK);
    assert_string_equal (joined, id);
    assert_int_equal (harness_emitted (h), 2);
    assert_int_equal (harness_event (h, 1)->case_triaged->urgency, URGENT);
    assert_int_equal (harness_event (h, 1)->case_triaged->previous, REGULAR);
    assert_int_equal (s_registered (h)->status, CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT);
    //  A regular triage with a later registration does not lower it.
    args.urgency = REGULAR;
    args.reason = "calm";
    assert_int_equal (harness_register (h, &args, joined), OK);
    assert_int_equal (harness_emitted (h), 1);
    assert_int_equal (harness_status (h, id), CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT);
    //  A case not triaged yet takes the joining registration's triage.
    char other [24];
    harness_new_case (h, "Bram Jansen", CASEFLOW__V1__URGENCY__URGENCY_UNSPECIFIED, other);
    args = s_args ("Bram Jansen");
    args.urgency = REGULAR;
    args.reason = "waits";
    assert_int_equal (harness_register (h, &args, joined), OK);
    assert_string_equal (joined, other);
    assert_int_equal (harness_emitted (h), 2);
    assert_int_equal (harness_status (h, other), CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING);
}

static void
test_closed_case_is_not_joined (void **state)
{
    harness_t *h = *state;
    char id [24], again [24];
    harness_new_case (h, "Anna de Vries", REGULAR, id);
    assert_int_equal (harness_withdraw (h, id, "moved away"), OK);
    harness_reg_t args = s_args ("Anna de Vries");
    assert_int_equal (harness_register (h, &args, again), OK);
    assert_string_not_equal (again, id);
    assert_false (s_registered (h)->joined_existing);
}

static void
test_emit_failure_stops (void **state)
{
    harness_t *h = *state;
    harness_fail_emit (h, 1);
    harness_reg_t args = s_args ("Anna de Vries");
    assert_int_equal (harness_register (h, &args, NULL), OK);
    assert_int_equal (harness_emitted (h), 0);
    assert_int_equal (intake_state_case_count (harness_state (h)), 0);
    //  A failure after the first event: the decision stops there.
    harness_fail_emit (h, 2);
    args.urgency = URGENT;
    args.reason = "crisis";
    assert_int_equal (harness_register (h, &args, NULL), OK);
    assert_int_equal (harness_emitted (h), 1);
}

//  A registration that fails after its resident was enrolled leaves no key
//  and no hash in the key store: nothing would ever erase them (no event
//  names the subject), and the hashes would outlive the resident.
static void
test_failed_registration_leaves_no_key (void **state)
{
    harness_t *h = *state;
    cf_keystore_t *keystore = harness_keystore (h);
    harness_fail_emit (h, 1);
    harness_reg_t args = s_args ("Anna de Vries");
    args.bsn = "123456782";
    assert_int_equal (harness_register (h, &args, NULL), OK);
    assert_int_equal (harness_emitted (h), 0);
    //  What the runtime does as the batch goes to the writer.
    assert_int_equal (cf_keystore_commit (keystore), 0);
    size_t keys = 9, matches = 9;
    assert_int_equal (cf_keystore_counts (keystore, &keys, &matches, NULL), 0);
    assert_int_equal (keys, 0);
    assert_int_equal (matches, 0);
    //  Registered again, she is a new resident with one key and her hashes.
    char id [24];
    assert_int_equal (harness_register (h, &args, id), OK);
    assert_false (s_registered (h)->joined_existing);
    assert_int_equal (cf_keystore_commit (keystore), 0);
    assert_int_equal (cf_keystore_counts (keystore, &keys, &matches, NULL), 0);
    assert_int_equal (keys, 1);
    assert_int_equal (matches, 2);
}

//  Every validation error: a registration, one change, the field named.
typedef struct {
    const char *label;
    void (*change) (harness_reg_t *args);
    const char *field;
} s_invalid_t;

static char s_long [5000];

static void
c_no_channel (harness_reg_t *a)
{
    a->channel = CASEFLOW__V1__CHANNEL__CHANNEL_UNSPECIFIED;
}
static void
c_handover (harness_reg_t *a)
{
    a->channel = CASEFLOW__V1__CHANNEL__CHANNEL_HANDOVER;
}
static void
c_bad_channel (harness_reg_t *a)
{
    a->channel = (Caseflow__V1__Channel) 42;
}
static void
c_bad_location (harness_reg_t *a)
{
    a->location = "wijkhuis west";
}
static void
c_no_resident (harness_reg_t *a)
{
    a->no_resident = true;
}
static void
c_no_name (harness_reg_t *a)
{
    a->name = "";
}
static void
c_blank_name (harness_reg_t *a)
{
    a->name = "   ";
}
static void
c_long_name (harness_reg_t *a)
{
    s_long [201] = 0;
    a->name = s_long;
}
static void
c_control_name (harness_reg_t *a)
{
    a->name = "Anna\x1b[31m";
}
static void
c_bad_utf8_name (harness_reg_t *a)
{
    a->name = "Anna \xff";
}
static void
c_bad_date (harness_reg_t *a)
{
    a->birth_date = "1980-02-30";
}
static void
c_date_format (harness_reg_t *a)
{
    a->birth_date = "17-05-1980";
}
static void
c_future_date (harness_reg_t *a)
{
    a->birth_date = "2022-01-11";
}
static void
c_old_date (harness_reg_t *a)
{
    a->birth_date = "1899-12-31";
}
static void
c_short_phone (harness_reg_t *a)
{
    a->phone = "12345";
}
static void
c_bad_phone (harness_reg_t *a)
{
    a->phone = "call me";
}
static void
c_long_district (harness_reg_t *a)
{
    s_long [201] = 0;
    a->district = s_long;
}
static void
c_bad_bsn (harness_reg_t *a)
{
    a->bsn = "123456789";
}
static void
c_zero_bsn (harness_reg_t *a)
{
    a->bsn = "000000000";
}
static void
c_short_bsn (harness_reg_t *a)
{
    a->bsn = "11122233";
}
static void
c_no_domain (harness_reg_t *a)
{
    a->n_domains = 0;
}
static void
c_unspecified_domain (harness_reg_t *a)
{
    a->domains [0] = CASEFLOW__V1__DOMAIN__DOMAIN_UNSPECIFIED;
}
static void
c_unknown_domain (harness_reg_t *a)
{
    a->domains [1] = (Caseflow__V1__Domain) 42;
    a->n_domains = 2;
}
static void
c_long_question (harness_reg_t *a)
{
    s_long [4001] = 0;
    a->question = s_long;
}
static void
c_bad_referrer (harness_reg_t *a)
{
    a->referred_by = "LEV\ngroep";
}
static void
c_reason_only (harness_reg_t *a)
{
    a->reason = "urgent?";
}
static void
c_urgency_only (harness_reg_t *a)
{
    a->urgency = URGENT;
}
static void
c_blank_reason (harness_reg_t *a)
{
    a->urgency = REGULAR;
    a->reason = " ";
}
static void
c_bad_urgency (harness_reg_t *a)
{
    a->urgency = (Caseflow__V1__Urgency) 7;
    a->reason = "x";
}

static void
test_validation_errors (void **state)
{
    harness_t *h = *state;
    const s_invalid_t cases [] = {
        { "no channel", c_no_channel, "channel" },
        { "handover channel", c_handover, "channel" },
        { "unknown channel", c_bad_channel, "channel" },
        { "malformed location", c_bad_location, "location" },
        { "no resident", c_no_resident, "resident" },
        { "no name", c_no_name, "resident.name" },
        { "blank name", c_blank_name, "resident.name" },
        { "long name", c_long_name, "resident.name" },
        { "control characters", c_control_name, "resident.name" },
        { "not UTF-8", c_bad_utf8_name, "resident.name" },
        { "impossible date", c_bad_date, "resident.birth_date" },
        { "date format", c_date_format, "resident.birth_date" },
        { "birth date in the future", c_future_date, "resident.birth_date" },
        { "birth date before 1900", c_old_date, "resident.birth_date" },
        { "phone", c_bad_phone, "resident.phone" },
        { "phone of five digits", c_short_phone, "resident.phone" },
        { "long district", c_long_district, "resident.district" },
        { "BSN eleven-test", c_bad_bsn, "resident.bsn" },
        { "BSN zeros", c_zero_bsn, "resident.bsn" },
        { "BSN length", c_short_bsn, "resident.bsn" },
        { "no domain", c_no_domain, "domains" },
        { "unspecified domain", c_unspecified_domain, "domains" },
        { "unknown domain", c_unknown_domain, "domains" },
        { "long question", c_long_question, "question" },
        { "referrer with newline", c_bad_referrer, "referred_by" },
        { "reason without urgency", c_reason_only, "urgency" },
        { "urgency without reason", c_urgency_only, "reason" },
        { "blank reason", c_blank_reason, "reason" },
        { "unknown urgency", c_bad_urgency, "urgency" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases [0]; i++) {
        memset (s_long, 'x', sizeof s_long - 1);
        s_long [sizeof s_long - 1] = 0;
        harness_reg_t args = s_args ("Anna de Vries");
        cases [i].change (&args);
        char field [128];
        snprintf (field, sizeof field, "command.intake.register.%s", cases [i].field);
        Caseflow__V1__Status__Code code = harness_register (h, &args, NULL);
        if (code != BAD || strcmp (harness_field (h), field) != 0)
            fail_msg ("%s: expected invalid_argument on %s, got %d on %s (%s)", cases [i].label,
                      field, code, harness_field (h), harness_message (h));
        assert_int_equal (harness_emitted (h), 0);
    }
    assert_int_equal (intake_state_case_count (harness_state (h)), 0);
    //  The limits themselves are fine: today's birth date, the first day of
    //  1900, 200-byte name.
    harness_reg_t args = s_args ("Anna de Vries");
    args.birth_date = "2022-01-10";
    assert_int_equal (harness_register (h, &args, NULL), OK);
    args = s_args ("Bep de Vries");
    args.birth_date = "1900-01-01";
    assert_int_equal (harness_register (h, &args, NULL), OK);
    memset (s_long, 'y', 200);
    s_long [200] = 0;
    args = s_args (s_long);
    assert_int_equal (harness_register (h, &args, NULL), OK);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_new_cases_get_ids_in_order, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_immediate_triage, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_walk_in_needs_location, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_join_by_bsn, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_join_by_name_and_birth_date, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_same_name_and_birth_date_other_bsn_is_another_person,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_join_escalates_never_lowers, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_closed_case_is_not_joined, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_failed_registration_leaves_no_key, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_emit_failure_stops, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_validation_errors, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
