//  test_erase: the Erase command and what follows it (docs/privacy.md).
//  A resident named by a case, a handover or their subject is erased with
//  one ResidentErased (subject, key ids, cases, reason; nothing personal);
//  the digest is the same before and after the keys are destroyed and
//  after a replay; once destroyed, every personal field reads "erased",
//  nothing else changes, the keyed hashes find nobody; erasing again emits
//  nothing and answers the first erasure; bad requests name their field.
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
#include <stdlib.h>
#include <string.h>

#define OK       CASEFLOW__V1__STATUS__CODE__OK
#define BAD      CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
#define MISSING  CASEFLOW__V1__STATUS__CODE__NOT_FOUND
#define PHONE    CASEFLOW__V1__CHANNEL__CHANNEL_PHONE
#define REGULAR  CASEFLOW__V1__URGENCY__URGENCY_REGULAR
#define URGENT   CASEFLOW__V1__URGENCY__URGENCY_URGENT
#define CONTINUE CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE
#define P        "command.intake.erase."

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

//  A housing question: no law asks to keep it, so an erasure request is
//  honoured while the case is open (the refusals are test_retention's).
static harness_reg_t
s_args (const char *name, const char *bsn)
{
    return (harness_reg_t){
        .channel = PHONE,
        .name = name,
        .birth_date = "1980-05-17",
        .phone = "0492 123456",
        .district = "Noord",
        .bsn = bsn,
        .domains = { CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING },
        .n_domains = 1,
        .question = "Mould in the flat, the landlord does not answer",
        .urgency = REGULAR,
        .reason = "can wait",
    };
}

static void
s_expect (harness_t *h, Caseflow__V1__Status__Code got, Caseflow__V1__Status__Code code,
          const char *field, const char *in_message)
{
    if (got != code)
        fail_msg ("expected status %d, got %d (%s: %s)", code, got, harness_field (h),
                  harness_message (h));
    if (field)
        assert_string_equal (harness_field (h), field);
    if (in_message && !strstr (harness_message (h), in_message))
        fail_msg ("message \"%s\" does not mention \"%s\"", harness_message (h), in_message);
    if (code != OK)
        assert_int_equal (harness_emitted (h), 0);
}

static const Caseflow__V1__Intake__ErasureResult *
s_erased (harness_t *h)
{
    const Caseflow__V1__Intake__CommandResult *result = harness_result (h);
    assert_int_equal (result->body_case, CASEFLOW__V1__INTAKE__COMMAND_RESULT__BODY_ERASED);
    return result->erased;
}

//  The subject of case `case_id`, into `out`.
static void
s_subject_of (harness_t *h, const char *case_id, char out [CF_SEAL_ID_SIZE])
{
    const intake_case_t *kase = intake_state_case (harness_state (h), case_id);
    assert_non_null (kase);
    snprintf (out, CF_SEAL_ID_SIZE, "%s", kase->subject->id);
}

//  What a view shows apart from personal data: an erasure changes none of it.
typedef struct {
    Caseflow__V1__CaseStatus status;
    Caseflow__V1__Urgency urgency;
    Caseflow__V1__Channel channel;
    size_t domains, areas, tracks, callbacks, questions;
    uint32_t questions_added, unanswered;
    Caseflow__V1__AgeBand age_band;
    Caseflow__V1__Intake__Closure closure;
    int64_t registered_at, triaged_at, closed_at, status_changed_at;
    char worker [32], location [32], subject [CF_SEAL_ID_SIZE];
} s_facts_t;

//  Filled through a pointer, padding zeroed, so two compare with memcmp.
static void
s_facts (harness_t *h, const char *case_id, s_facts_t *out)
{
    const Caseflow__V1__Intake__CaseView *view = harness_view (h, case_id);
    memset (out, 0, sizeof *out);
    out->status = view->status;
    out->urgency = view->urgency;
    out->channel = view->channel;
    out->domains = view->n_domains;
    out->areas = view->n_areas;
    out->tracks = view->n_tracks;
    out->callbacks = view->n_callbacks;
    out->questions = view->n_questions;
    out->questions_added = view->questions_added;
    out->unanswered = view->consecutive_unanswered;
    out->age_band = view->age_band;
    out->closure = view->closure;
    out->registered_at = view->registered_at;
    out->triaged_at = view->triaged_at;
    out->closed_at = view->closed_at;
    out->status_changed_at = view->status_changed_at;
    snprintf (out->worker, sizeof out->worker, "%s", view->worker_id);
    snprintf (out->location, sizeof out->location, "%s", view->location);
    snprintf (out->subject, sizeof out->subject, "%s", view->subject);
}

//  Every personal field of the case's full view reads `text`.
static void
s_assert_personal_reads (harness_t *h, const char *case_id, const char *text)
{
    const Caseflow__V1__Intake__CaseView *view = harness_view (h, case_id);
    const char *const fields [] = { view->resident->name,  view->resident->birth_date,
                                    view->resident->phone, view->resident->district,
                                    view->resident->bsn,   view->question,
                                    view->triage_reason };
    for (size_t i = 0; i < sizeof fields / sizeof fields [0]; i++)
        if (strcmp (fields [i], text) != 0)
            fail_msg ("case %s: personal field %zu reads \"%s\", not \"%s\"", case_id, i,
                      fields [i], text);
    if (view->closed_at)
        assert_string_equal (view->close_reason, text);
    for (size_t i = 0; i < view->n_callbacks; i++)
        if (*view->callbacks [i]->note)
            assert_string_equal (view->callbacks [i]->note, text);
    for (size_t i = 0; i < view->n_questions; i++)
        assert_string_equal (view->questions [i]->question, text);
}

static Caseflow__V1__Status__Code
s_find_by_bsn (harness_t *h, const char *bsn)
{
    Caseflow__V1__Intake__FindResident body = CASEFLOW__V1__INTAKE__FIND_RESIDENT__INIT;
    body.bsn = (char *) bsn;
    Caseflow__V1__Intake__Query query = CASEFLOW__V1__INTAKE__QUERY__INIT;
    query.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_FIND_RESIDENT;
    query.find_resident = &body;
    return harness_query (h, &query);
}

static void
s_status_counts (harness_t *h, uint64_t counts [7])
{
    for (int status = 0; status < 7; status++)
        counts [status] = intake_state_status_count (harness_state (h), status);
}

static void
test_erase_by_case (void **state)
{
    harness_t *h = *state;
    //  Another resident, who stays readable.
    char other [24];
    harness_reg_t args = s_args ("Bram Jansen", "");
    assert_int_equal (harness_register (h, &args, other), OK);
    //  Anna: a closed case, then an open one with a joined question, two
    //  callbacks and a track.
    char first [24], second [24];
    args = s_args ("Anna de Vries", "111222333");
    assert_int_equal (harness_register (h, &args, first), OK);
    uint8_t packed [1024];
    const Caseflow__V1__Sealed *sealed = harness_event (h, 0)->case_registered->personal;
    size_t packed_size = caseflow__v1__sealed__get_packed_size (sealed);
    assert_true (packed_size <= sizeof packed);
    caseflow__v1__sealed__pack (sealed, packed);
    char key_id [CF_SEAL_ID_SIZE];
    snprintf (key_id, sizeof key_id, "%s", sealed->key_id);
    assert_int_equal (harness_close (h, first, "registered by mistake"), OK);
    assert_int_equal (harness_register (h, &args, second), OK);
    args.question = "And the rent";
    args.domains [0] = CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING;
    assert_int_equal (harness_register (h, &args, NULL), OK);
    assert_true (harness_result (h)->registered->joined_existing);
    assert_int_equal (
        harness_callback (h, second,
                          CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_NOT_REACHED, ""),
        OK);
    assert_int_equal (
        harness_callback (h, second,
                          CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED,
                          "spoke to Anna"),
        OK);
    assert_int_equal (harness_create_track (h, "T1", "Budget course", "west", 5, "2022-02-01"), OK);
    assert_int_equal (harness_join_track (h, second, "T1"), OK);
    char subject [CF_SEAL_ID_SIZE];
    s_subject_of (h, second, subject);
    assert_string_equal (harness_view (h, other)->resident->name, "Bram Jansen");
    assert_string_equal (harness_view (h, first)->resident->name, "Anna de Vries");
    assert_string_equal (harness_view (h, second)->callbacks [1]->note, "spoke to Anna");
    s_facts_t before_first, before_second, after_first, after_second;
    s_facts (h, first, &before_first);
    s_facts (h, second, &before_second);
    uint64_t counts [7], counts_after [7];
    s_status_counts (h, counts);
    size_t case_count = intake_state_case_count (harness_state (h));

    harness_set_now (h, harness_now (h) + 3600000000LL);
    int64_t erased_at = harness_now (h);
    s_expect (h, harness_erase (h, second, NULL, NULL, "request 2022-0042"), OK, NULL, NULL);
    assert_int_equal (harness_emitted (h), 1);
    const Caseflow__V1__Event *event = harness_event (h, 0);
    assert_int_equal (event->body_case, CASEFLOW__V1__EVENT__BODY_RESIDENT_ERASED);
    assert_string_equal (event->case_id, "");
    const Caseflow__V1__Intake__ResidentErased *body = event->resident_erased;
    assert_string_equal (body->subject, subject);
    assert_int_equal (body->n_key_ids, 1);
    assert_string_equal (body->key_ids [0], key_id);
    assert_int_equal (body->n_case_ids, 2);
    assert_string_equal (body->case_ids [0], first);
    assert_string_equal (body->case_ids [1], second);
    assert_string_equal (body->reason, "request 2022-0042");
    assert_int_equal (body->basis, CASEFLOW__V1__INTAKE__ERASURE_BASIS__ERASURE_BASIS_REQUEST);
    assert_false (body->retention_overridden);
    const Caseflow__V1__Intake__ErasureResult *result = s_erased (h);
    assert_string_equal (result->subject, subject);
    assert_int_equal (result->erased_at, erased_at);
    assert_int_equal (result->n_case_ids, 2);
    assert_string_equal (result->case_ids [1], second);
    //  Nothing personal in it (nor in any event intake wrote).
    assert_int_equal (harness_journal_holding (h, "Anna", true), 0);
    assert_int_equal (harness_journal_holding (h, "111222333", true), 0);

    //  The keys go once the event is durable, and the digest does not move.
    char digest [65], after [65];
    harness_digest (h, digest);
    assert_int_equal (cf_keystore_get_key (harness_keystore (h), key_id, NULL, NULL), 0);
    assert_int_equal (harness_carry_out_erasures (h), 1);
    harness_digest (h, after);
    assert_string_equal (digest, after);
    harness_assert_replay (h);
    assert_int_equal (cf_keystore_get_key (harness_keystore (h), key_id, NULL, NULL), CF_ENOTFOUND);
    assert_true (cf_keystore_erased (harness_keystore (h), subject));
    Caseflow__V1__Personal *opened = NULL;
    assert_int_equal (intake_registry_open (intake_state_registry (harness_state (h)), packed,
                                            packed_size, INTAKE_FIELD_REGISTERED, &opened),
                      CF_ENOTFOUND);
    assert_null (opened);
    size_t keys, matches, erased;
    assert_int_equal (cf_keystore_counts (harness_keystore (h), &keys, &matches, &erased), 0);
    assert_int_equal (keys, 1);     //  Bram's
    assert_int_equal (matches, 1);  //  Bram's name and birth date
    assert_int_equal (erased, 1);

    //  Every personal field reads "erased"; nothing else changed.
    s_assert_personal_reads (h, first, INTAKE_ERASED);
    s_assert_personal_reads (h, second, INTAKE_ERASED);
    assert_true (harness_view (h, second)->erased);
    s_facts (h, first, &after_first);
    s_facts (h, second, &after_second);
    assert_memory_equal (&before_first, &after_first, sizeof before_first);
    assert_memory_equal (&before_second, &after_second, sizeof before_second);
    s_status_counts (h, counts_after);
    assert_memory_equal (counts, counts_after, sizeof counts);
    assert_int_equal (intake_state_case_count (harness_state (h)), case_count);
    assert_false (harness_view (h, other)->erased);
    assert_string_equal (harness_view (h, other)->resident->name, "Bram Jansen");

    //  Erasing again (by another name for the same resident) emits nothing
    //  and answers the first erasure.
    harness_set_now (h, harness_now (h) + 3600000000LL);
    s_expect (h, harness_erase (h, first, NULL, NULL, "request 2022-0043"), OK, NULL, NULL);
    assert_int_equal (harness_emitted (h), 0);
    assert_int_equal (s_erased (h)->erased_at, erased_at);
    s_expect (h, harness_erase (h, NULL, NULL, subject, "again"), OK, NULL, NULL);
    assert_int_equal (harness_emitted (h), 0);
    assert_string_equal (s_erased (h)->subject, subject);
    assert_int_equal (s_erased (h)->erased_at, erased_at);
    assert_int_equal (harness_carry_out_erasures (h), 0);
    harness_digest (h, after);
    assert_string_equal (digest, after);

    //  The hashes find nobody: the BSN finds no case, and the resident
    //  registering again is a new subject with a new case.
    assert_int_equal (s_find_by_bsn (h, "111222333"), MISSING);
    char again [24];
    args = s_args ("Anna de Vries", "111222333");
    assert_int_equal (harness_register (h, &args, again), OK);
    assert_false (harness_result (h)->registered->joined_existing);
    assert_string_not_equal (again, second);
    assert_string_not_equal (harness_event (h, 0)->case_registered->subject, subject);
    assert_string_equal (harness_view (h, again)->resident->name, "Anna de Vries");
}

static void
test_commands_after_erasure_record_no_text (void **state)
{
    harness_t *h = *state;
    char id [24];
    harness_reg_t args = s_args ("Anna de Vries", "111222333");
    assert_int_equal (harness_register (h, &args, id), OK);
    s_expect (h, harness_erase (h, id, NULL, NULL, "request 7"), OK, NULL, NULL);
    assert_int_equal (harness_carry_out_erasures (h), 1);
    //  The case still moves through its lifecycle; what would be personal
    //  text is not written down any more.
    s_expect (h, harness_triage (h, id, URGENT, "Anna called again"), OK, NULL, NULL);
    assert_null (harness_event (h, 0)->case_triaged->personal);
    assert_string_equal (harness_event (h, 0)->case_triaged->reason, "");
    assert_int_equal (harness_status (h, id), CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT);
    s_expect (h, harness_close (h, id, "Anna moved away"), OK, NULL, NULL);
    assert_null (harness_event (h, 0)->case_closed->personal);
    assert_int_equal (harness_journal_holding (h, "Anna", true), 0);
}

static void
test_erase_by_handover (void **state)
{
    harness_t *h = *state;
    //  A handover that became a case.
    harness_handover (h, 1, "H000001", CONTINUE, "Eva Mulder", "", REGULAR, "");
    char subject [CF_SEAL_ID_SIZE];
    s_subject_of (h, "C000001", subject);
    //  A handover that joined another resident's open case.
    char frits [24];
    harness_reg_t args = s_args ("Frits Bakker", "111222333");
    assert_int_equal (harness_register (h, &args, frits), OK);
    harness_handover (h, 2, "H000002", CONTINUE, "Frits Bakker", "111222333", REGULAR, "");
    assert_int_equal (intake_state_case (harness_state (h), frits)->question_count, 1);
    char frits_subject [CF_SEAL_ID_SIZE];
    s_subject_of (h, frits, frits_subject);

    s_expect (h, harness_erase (h, NULL, "H000001", NULL, "request 8"), OK, NULL, NULL);
    assert_string_equal (harness_event (h, 0)->resident_erased->subject, subject);
    assert_string_equal (s_erased (h)->subject, subject);
    assert_int_equal (s_erased (h)->n_case_ids, 1);
    assert_string_equal (s_erased (h)->case_ids [0], "C000001");
    s_expect (h, harness_erase (h, NULL, "H000002", NULL, "request 9"), OK, NULL, NULL);
    assert_string_equal (harness_event (h, 0)->resident_erased->subject, frits_subject);
    assert_string_equal (s_erased (h)->case_ids [0], frits);
    assert_int_equal (harness_carry_out_erasures (h), 2);
    assert_true (cf_keystore_erased (harness_keystore (h), subject));
    assert_true (cf_keystore_erased (harness_keystore (h), frits_subject));
    s_assert_personal_reads (h, "C000001", INTAKE_ERASED);
    s_assert_personal_reads (h, frits, INTAKE_ERASED);

    s_expect (h, harness_erase (h, NULL, "H000099", NULL, "request"), MISSING, P "handover_id",
              "H000099");
    s_expect (h, harness_erase (h, NULL, "H 1", NULL, "request"), BAD, P "handover_id", NULL);
}

static void
test_erase_by_subject (void **state)
{
    harness_t *h = *state;
    char id [24];
    harness_reg_t args = s_args ("Anna de Vries", "");
    assert_int_equal (harness_register (h, &args, id), OK);
    char subject [CF_SEAL_ID_SIZE];
    snprintf (subject, sizeof subject, "%s", harness_view (h, id)->subject);
    s_expect (h, harness_erase (h, NULL, NULL, subject, "request 10"), OK, NULL, NULL);
    assert_string_equal (harness_event (h, 0)->resident_erased->subject, subject);
    assert_string_equal (harness_event (h, 0)->resident_erased->case_ids [0], id);
    assert_int_equal (harness_carry_out_erasures (h), 1);
    assert_true (cf_keystore_erased (harness_keystore (h), subject));
    s_assert_personal_reads (h, id, INTAKE_ERASED);
    //  A well-formed subject id intake never made.
    char unknown [CF_SEAL_ID_SIZE];
    cf_seal_new_id (unknown, 'S');
    s_expect (h, harness_erase (h, NULL, NULL, unknown, "request"), MISSING, P "subject", NULL);
}

static void
test_erase_errors (void **state)
{
    harness_t *h = *state;
    char id [24];
    harness_reg_t args = s_args ("Anna de Vries", "");
    assert_int_equal (harness_register (h, &args, id), OK);
    char subject [CF_SEAL_ID_SIZE];
    s_subject_of (h, id, subject);
    //  None, or more than one, of case, handover and subject.
    s_expect (h, harness_erase (h, NULL, NULL, NULL, "request"), BAD, P "case_id", "exactly one");
    s_expect (h, harness_erase (h, id, NULL, subject, "request"), BAD, P "case_id", "exactly one");
    s_expect (h, harness_erase (h, id, "H000001", NULL, "request"), BAD, P "case_id", NULL);
    s_expect (h, harness_erase (h, NULL, "H000001", subject, "request"), BAD, P "case_id", NULL);
    //  An unknown or malformed case.
    s_expect (h, harness_erase (h, "C000099", NULL, NULL, "request"), MISSING, P "case_id",
              "C000099");
    s_expect (h, harness_erase (h, "C 1", NULL, NULL, "request"), BAD, P "case_id", NULL);
    //  No reason, or one that is no text.
    s_expect (h, harness_erase (h, id, NULL, NULL, ""), BAD, P "reason", NULL);
    s_expect (h, harness_erase (h, id, NULL, NULL, "   "), BAD, P "reason", NULL);
    s_expect (h, harness_erase (h, id, NULL, NULL, "request\n7"), BAD, P "reason", NULL);
    //  None of them erased anybody.
    assert_int_equal (harness_carry_out_erasures (h), 0);
    assert_int_equal (intake_state_subject (harness_state (h), subject)->erased_at, 0);
    assert_string_equal (harness_view (h, id)->resident->name, "Anna de Vries");
}

static void
test_erasure_not_written_destroys_nothing (void **state)
{
    harness_t *h = *state;
    char id [24];
    harness_reg_t args = s_args ("Anna de Vries", "");
    assert_int_equal (harness_register (h, &args, id), OK);
    //  The store refuses the ResidentErased: no erasure, no key destroyed.
    harness_fail_emit (h, 1);
    harness_erase (h, id, NULL, NULL, "request 11");
    harness_fail_emit (h, 0);
    assert_int_equal (harness_emitted (h), 0);
    assert_int_equal (harness_carry_out_erasures (h), 0);
    assert_false (harness_view (h, id)->erased);
    assert_string_equal (harness_view (h, id)->resident->name, "Anna de Vries");
    //  Asked again, it goes through.
    s_expect (h, harness_erase (h, id, NULL, NULL, "request 11"), OK, NULL, NULL);
    assert_int_equal (harness_carry_out_erasures (h), 1);
    s_assert_personal_reads (h, id, INTAKE_ERASED);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_erase_by_case, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_commands_after_erasure_record_no_text, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_erase_by_handover, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_erase_by_subject, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_erase_errors, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_erasure_not_written_destroys_nothing, s_setup,
                                         s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
