//  test_transit: a handover's resident arriving sealed under handover's
//  transit key. Intake fetches the key (a fake fetcher stands in for
//  handover's api), opens the completion, takes the resident in as any
//  arrival (a new case, or joining the open one) and adopts the key into
//  the subject's key set: the events name it, ResidentErased lists it and
//  the erasure destroys it. When the key cannot be had, the case is
//  registered all the same with the value as it came (unreadable until
//  adopted, no areas, no age band), the key is pending, the start-up check
//  reports it, and a later adoption makes the resident readable and
//  findable. No plain personal value is in any event intake writes.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_error.h"
#include "cf_seal.h"
#include "cf_testholder.h"
#include "intake_harness.h"
#include "intake_keys.h"
#include "intake_personal.h"
#include "intake_registry.h"

#include <stdlib.h>
#include <string.h>

#define OK CASEFLOW__V1__STATUS__CODE__OK

#define S_NAME "Ilse Verbrugge"
#define S_BSN  "123456782"

typedef struct {
    harness_t *harness;
    cf_testholder_t handover;  //  the fake handover's transit keys
} s_fixture_t;

static int
s_setup (void **state)
{
    s_fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->harness = harness_new ();
    cf_testholder_init (&f->handover, CF_TRANSIT_HANDOVER);
    intake_registry_set_fetch (intake_state_registry (harness_state (f->harness)),
                               cf_testholder_fetch, &f->handover, NULL);
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    s_fixture_t *f = *state;
    harness_destroy (&f->harness);
    free (f);
    return 0;
}

//  Handover `handover_id` completes "continue" for `name` (with `bsn`):
//  its transit key made (known to the fake handover), the completion
//  sealed under it as handover seals it, delivered as seq `seq`. The key
//  id into `key_id`.
static void
s_complete_under (s_fixture_t *f, uint64_t seq, const char *handover_id, const char *name,
                  const char *bsn, size_t index);

static void
s_complete (s_fixture_t *f, uint64_t seq, const char *handover_id, const char *name,
            const char *bsn, char key_id [CF_SEAL_ID_SIZE])
{
    size_t index = cf_testholder_add (&f->handover, handover_id, key_id);
    s_complete_under (f, seq, handover_id, name, bsn, index);
}

//  As s_complete, sealed under the fake handover's key number `index`.
static void
s_complete_under (s_fixture_t *f, uint64_t seq, const char *handover_id, const char *name,
                  const char *bsn, size_t index)
{
    cf_testholder_t *h = &f->handover;
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = (char *) name;
    resident.bsn = (char *) bsn;
    resident.birth_date = "1990-04-04";
    resident.district = "Centrum";
    char *note [] = { "agreed with the family" };
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.resident = &resident;
    personal.text = "family support twice a week";
    personal.texts = note;
    personal.n_texts = 1;
    cf_sealed_t sealed;
    assert_int_equal (
        cf_seal (&sealed, h->key [index], h->key_id [index], INTAKE_FIELD_HANDOVER, &personal), 0);
    Caseflow__V1__Domain domain = CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH;
    Caseflow__V1__Handover__HandoverCompleted body =
        CASEFLOW__V1__HANDOVER__HANDOVER_COMPLETED__INIT;
    body.handover_id = (char *) handover_id;
    body.provider_id = "P01";
    body.next_step = CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE;
    body.personal = &sealed.message;
    body.domains = &domain;
    body.n_domains = 1;
    body.preferred_worker = "w7";
    body.urgency = CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED;
    event.handover_completed = &body;
    harness_upstream (f->harness, "handover", seq, &event);
    cf_sealed_release (&sealed);
}

//  The subject that holds key `key_id` in the key store ("" when none).
static void
s_holder (s_fixture_t *f, const char *key_id, char subject [CF_SEAL_ID_SIZE])
{
    subject [0] = 0;
    cf_keystore_get_key (harness_keystore (f->harness), key_id, NULL, subject);
}

static void
test_adopted_into_a_new_case (void **state)
{
    s_fixture_t *f = *state;
    char key_id [CF_SEAL_ID_SIZE];
    s_complete (f, 1, "H000001", S_NAME, S_BSN, key_id);
    assert_int_equal (f->handover.asked, 1);
    //  CaseRegistered, then the handover's triage.
    assert_int_equal (harness_emitted (f->harness), 2);
    const Caseflow__V1__Intake__CaseRegistered *body =
        harness_event (f->harness, 0)->case_registered;
    assert_non_null (body);
    assert_string_equal (body->transit_key_id, key_id);
    assert_true (cf_seal_id_valid (body->subject_key_id, 'K'));
    //  Sealed again under the subject's own key, readable with it.
    assert_string_equal (body->personal->key_id, body->subject_key_id);
    const Caseflow__V1__Personal *personal =
        harness_open (f->harness, body->personal, INTAKE_FIELD_REGISTERED);
    assert_string_equal (personal->resident->name, S_NAME);
    assert_string_equal (personal->text, "family support twice a week");
    assert_int_equal (body->age_band, CASEFLOW__V1__AGE_BAND__AGE_BAND_27_66);
    //  The key is the subject's now.
    char holder [CF_SEAL_ID_SIZE];
    s_holder (f, key_id, holder);
    assert_string_equal (holder, body->subject);
    const Caseflow__V1__Intake__CaseView *view = harness_view (f->harness, body->case_id);
    assert_string_equal (view->resident->name, S_NAME);
    assert_string_equal (view->resident->bsn, S_BSN);
    assert_int_equal (harness_journal_holding (f->harness, S_NAME, true), 0);
    assert_int_equal (harness_journal_holding (f->harness, S_BSN, true), 0);
    assert_int_equal (harness_journal_holding (f->harness, "twice a week", true), 0);

    //  Erased by the handover's id: ResidentErased lists the transit key,
    //  and carrying it out destroys it.
    assert_int_equal (harness_erase (f->harness, NULL, "H000001", NULL, "request 17"), OK);
    const Caseflow__V1__Intake__ResidentErased *erased =
        harness_event (f->harness, 0)->resident_erased;
    bool listed = false;
    for (size_t i = 0; i < erased->n_key_ids; i++)
        listed |= strcmp (erased->key_ids [i], key_id) == 0;
    assert_true (listed);
    assert_int_equal (harness_carry_out_erasures (f->harness), 1);
    s_holder (f, key_id, holder);
    assert_string_equal (holder, "");
    harness_assert_replay (f->harness);
}

static void
test_adopted_into_the_open_case (void **state)
{
    s_fixture_t *f = *state;
    harness_reg_t reg = { .channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE,
                          .name = "I. Verbrugge",
                          .bsn = S_BSN,
                          .domains = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT },
                          .n_domains = 1 };
    char case_id [24];
    assert_int_equal (harness_register (f->harness, &reg, case_id), OK);
    char key_id [CF_SEAL_ID_SIZE];
    s_complete (f, 1, "H000001", S_NAME, S_BSN, key_id);
    const Caseflow__V1__Intake__QuestionAdded *added =
        harness_event (f->harness, 0)->question_added;
    assert_non_null (added);
    assert_string_equal (added->case_id, case_id);
    assert_string_equal (added->transit_key_id, key_id);
    const intake_case_t *kase = intake_state_case (harness_state (f->harness), case_id);
    char holder [CF_SEAL_ID_SIZE];
    s_holder (f, key_id, holder);
    assert_string_equal (holder, kase->subject->id);
    bool listed = false;
    for (size_t i = 0; i < kase->subject->key_count; i++)
        listed |= strcmp (kase->subject->key_ids [i], key_id) == 0;
    assert_true (listed);
    assert_int_equal (harness_journal_holding (f->harness, S_NAME, true), 0);
    harness_assert_replay (f->harness);
}

static void
test_kept_as_it_came_then_adopted (void **state)
{
    s_fixture_t *f = *state;
    intake_state_t *intake = harness_state (f->harness);
    f->handover.away = true;
    char key_id [CF_SEAL_ID_SIZE];
    s_complete (f, 1, "H000001", S_NAME, S_BSN, key_id);
    //  Not lost: a case all the same, its resident as handover sealed it.
    const Caseflow__V1__Intake__CaseRegistered *body =
        harness_event (f->harness, 0)->case_registered;
    assert_non_null (body);
    char case_id [24];
    snprintf (case_id, sizeof case_id, "%s", body->case_id);
    assert_string_equal (body->personal->key_id, key_id);
    assert_string_equal (body->transit_key_id, key_id);
    assert_true (cf_seal_id_valid (body->subject_key_id, 'K'));
    assert_int_equal (body->n_areas, 0);
    assert_int_equal (body->age_band, CASEFLOW__V1__AGE_BAND__AGE_BAND_UNSPECIFIED);
    //  Its triage reason is sealed under the subject's intake key.
    const Caseflow__V1__Intake__CaseTriaged *triaged = harness_event (f->harness, 1)->case_triaged;
    assert_string_equal (triaged->personal->key_id, body->subject_key_id);
    const Caseflow__V1__Intake__CaseView *view = harness_view (f->harness, case_id);
    assert_string_equal (view->resident->name, INTAKE_UNREADABLE);
    assert_string_equal (view->triage_reason, "handover");
    assert_int_equal (intake_registry_pending (intake_state_registry (intake)), 1);
    //  The start-up check names it; while handover stays away it stays.
    const char *reason = intake_keys_check_hook (intake, NULL);
    assert_non_null (reason);
    assert_non_null (strstr (reason, "not adopted yet"));
    assert_int_equal (intake_keys_adopt_pending (intake), 1);

    //  Handover is back: adopted, readable, and the resident is found by
    //  the hashes now (a registration by BSN joins the case).
    f->handover.away = false;
    assert_int_equal (intake_keys_adopt_pending (intake), 0);
    assert_null (intake_keys_check_hook (intake, NULL));
    view = harness_view (f->harness, case_id);
    assert_string_equal (view->resident->name, S_NAME);
    char holder [CF_SEAL_ID_SIZE];
    s_holder (f, key_id, holder);
    assert_string_equal (holder, view->subject);
    harness_reg_t reg = { .channel = CASEFLOW__V1__CHANNEL__CHANNEL_WEB,
                          .name = "Ilse V.",
                          .bsn = S_BSN,
                          .domains = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT },
                          .n_domains = 1 };
    char joined [24];
    assert_int_equal (harness_register (f->harness, &reg, joined), OK);
    assert_string_equal (joined, case_id);
    assert_int_equal (harness_journal_holding (f->harness, S_NAME, true), 0);
    harness_assert_replay (f->harness);
}

//  A handover's resident whose registration fails (its event cannot be
//  emitted) leaves no key of the new subject behind, neither when the
//  transit key was fetched and adopted nor when it was not: no event would
//  name them for an erasure.
static void
test_failed_takein_leaves_no_key (void **state)
{
    s_fixture_t *f = *state;
    cf_keystore_t *keystore = harness_keystore (f->harness);
    size_t keys = 9, matches = 9;
    char key_id [CF_SEAL_ID_SIZE];
    harness_fail_emit (f->harness, 1);
    s_complete (f, 1, "H000001", S_NAME, S_BSN, key_id);
    assert_int_equal (harness_emitted (f->harness), 0);
    assert_int_equal (cf_keystore_commit (keystore), 0);
    assert_int_equal (cf_keystore_counts (keystore, &keys, &matches, NULL), 0);
    assert_int_equal (keys, 0);
    assert_int_equal (matches, 0);

    f->handover.away = true;
    harness_fail_emit (f->harness, 1);
    s_complete (f, 2, "H000002", "Jan Smit", "", key_id);
    assert_int_equal (harness_emitted (f->harness), 0);
    assert_int_equal (cf_keystore_commit (keystore), 0);
    assert_int_equal (cf_keystore_counts (keystore, &keys, &matches, NULL), 0);
    assert_int_equal (keys, 0);
    assert_int_equal (intake_registry_pending (intake_state_registry (harness_state (f->harness))),
                      0);

    //  A transit key another subject holds already (here a third handover
    //  that hands out the first one's key, taken in for Ilse) stays hers.
    f->handover.away = false;
    s_complete (f, 3, "H000003", S_NAME, S_BSN, key_id);
    char ilse [CF_SEAL_ID_SIZE];
    s_holder (f, key_id, ilse);
    assert_true (*ilse);
    cf_testholder_t *h = &f->handover;
    assert_true (h->count < CF_TESTHOLDER_KEYS);
    snprintf (h->id [h->count], sizeof h->id [0], "H000004");
    memcpy (h->key_id [h->count], h->key_id [h->count - 1], CF_SEAL_ID_SIZE);
    memcpy (h->key [h->count], h->key [h->count - 1], CF_SEAL_KEY_BYTES);
    h->count++;
    harness_fail_emit (f->harness, 1);
    s_complete_under (f, 4, "H000004", "Jan Smit", "", h->count - 1);
    assert_int_equal (harness_emitted (f->harness), 0);
    char holder [CF_SEAL_ID_SIZE];
    s_holder (f, key_id, holder);
    assert_string_equal (holder, ilse);
}

//  A key that is not the one the completion names is never used: the case
//  is kept as it came.
static void
test_another_key_is_refused (void **state)
{
    s_fixture_t *f = *state;
    char key_id [CF_SEAL_ID_SIZE];
    //  The fake hands out the key of another handover under this one's id.
    char other [CF_SEAL_ID_SIZE];
    s_complete (f, 1, "H000009", "Someone Else", "", other);
    snprintf (f->handover.id [0], sizeof f->handover.id [0], "H000002");
    s_complete (f, 2, "H000002", S_NAME, S_BSN, key_id);
    const Caseflow__V1__Intake__CaseRegistered *body =
        harness_event (f->harness, 0)->case_registered;
    assert_non_null (body);
    assert_string_equal (body->personal->key_id, key_id);
    const Caseflow__V1__Intake__CaseView *view = harness_view (f->harness, body->case_id);
    assert_string_equal (view->resident->name, INTAKE_UNREADABLE);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_adopted_into_a_new_case, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_adopted_into_the_open_case, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_failed_takein_leaves_no_key, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_kept_as_it_came_then_adopted, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_another_key_is_refused, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
