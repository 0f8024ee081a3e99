//  test_inbound: the gateway's stream at intake. A referral becomes one
//  registration (channel and referrer from the publisher, the resident
//  opened with the gateway's transit key, sealed again under the subject's
//  key, the key adopted), once, whatever repeats; a decision is linked to
//  the resident's case; each gets one InboundOutcome, rejected with a
//  reason that names the field and holds no personal value when intake
//  cannot apply it; announcements and calls are not intake's. A gateway
//  that does not answer makes a decision wait (intake_inbound_ready says
//  no until it answers), never rejects it. A fake fetcher stands in for
//  the gateway's api.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_error.h"
#include "cf_seal.h"
#include "intake_harness.h"
#include "intake_inbound.h"
#include "intake_keys.h"
#include "intake_personal.h"
#include "intake_registry.h"
#include "cf_testholder.h"

#include <stdlib.h>
#include <string.h>

#define OK     CASEFLOW__V1__STATUS__CODE__OK
#define S_NAME "Ilse Verbrugge"
#define S_BSN  "123456782"
#define S_SRC  "urn:nld:oin:00000001234567890000:systeem:partner"

typedef struct {
    harness_t *harness;
    cf_testholder_t gateway;  //  the fake gateway's transit keys
    bool ready_first;         //  ask intake_inbound_ready first, as the runtime does
    size_t away_for;          //  then: the gateway answers from this try on
    size_t waited;            //  times intake_inbound_ready said no
} s_fixture_t;

static int
s_setup (void **state)
{
    s_fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->harness = harness_new ();
    cf_testholder_init (&f->gateway, CF_TRANSIT_GATEWAY);
    intake_registry_set_fetch (intake_state_registry (harness_state (f->harness)),
                               cf_testholder_fetch, &f->gateway, NULL);
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

//  What an inbound event carries.
typedef struct {
    const char *ce_id;
    Caseflow__V1__Gateway__PublisherChannel channel;
    Caseflow__V1__Domain domain;
    Caseflow__V1__Urgency urgency;
    const char *name, *bsn, *birth_date;
    bool no_personal;
} s_inbound_t;

//  Seals `args`' resident under a new transit key of the fake gateway
//  into *sealed (release it) and returns the key's index.
static size_t
s_seal (s_fixture_t *f, const s_inbound_t *args, cf_sealed_t *sealed)
{
    cf_testholder_t *g = &f->gateway;
    size_t index = cf_testholder_add (g, NULL, NULL);
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = (char *) (args->name ? args->name : "");
    resident.bsn = (char *) (args->bsn ? args->bsn : "");
    resident.birth_date = (char *) (args->birth_date ? args->birth_date : "");
    resident.district = "Centrum";
    char *reason [] = { "no income since March" };
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.resident = &resident;
    personal.text = "debts piling up";
    personal.texts = reason;
    personal.n_texts = args->urgency ? 1 : 0;
    assert_int_equal (
        cf_seal (sealed, g->key [index], g->key_id [index], CF_TRANSIT_FIELD_GATEWAY, &personal),
        0);
    return index;
}

//  Delivers a referral as gateway seq `seq`.
static void
s_referral (s_fixture_t *f, uint64_t seq, const s_inbound_t *args)
{
    Caseflow__V1__Domain domain = args->domain ? args->domain : CASEFLOW__V1__DOMAIN__DOMAIN_DEBT;
    Caseflow__V1__Gateway__Referral referral = CASEFLOW__V1__GATEWAY__REFERRAL__INIT;
    referral.domains = &domain;
    referral.n_domains = 1;
    referral.urgency = args->urgency;
    Caseflow__V1__Gateway__InboundAccepted body = CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__INIT;
    body.publisher_id = "wijkteam-partner";
    body.source = S_SRC;
    body.ce_id = (char *) args->ce_id;
    body.type = "nl.sociaal-domein.verwijzing-ontvangen";
    body.channel = args->channel
                       ? args->channel
                       : CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_PARTNER;
    body.content_case = CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_REFERRAL;
    body.referral = &referral;
    cf_sealed_t sealed = { 0 };
    if (!args->no_personal) {
        s_seal (f, args, &sealed);
        body.personal = &sealed.message;
    }
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED;
    event.inbound_accepted = &body;
    harness_upstream (f->harness, "gateway", seq, &event);
    if (!args->no_personal)
        cf_sealed_release (&sealed);
}

//  Delivers a decision `decision_id` for `args`' resident as seq `seq`.
static void
s_decision (s_fixture_t *f, uint64_t seq, const char *decision_id, const s_inbound_t *args)
{
    Caseflow__V1__Gateway__Decision decision = CASEFLOW__V1__GATEWAY__DECISION__INIT;
    decision.decision_id = (char *) decision_id;
    decision.law = CASEFLOW__V1__GATEWAY__LAW__LAW_WMO;
    Caseflow__V1__Gateway__InboundAccepted body = CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__INIT;
    body.publisher_id = "backoffice";
    body.source = "urn:nld:oin:00000001234567890000:systeem:backoffice";
    body.ce_id = (char *) args->ce_id;
    body.type = "nl.sociaal-domein.beschikking-aangevraagd";
    body.channel = CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_MUNICIPALITY;
    body.content_case = CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_DECISION;
    body.decision = &decision;
    cf_sealed_t sealed;
    s_seal (f, args, &sealed);
    body.personal = &sealed.message;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.seq = seq;
    event.body_case = CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED;
    event.inbound_accepted = &body;
    //  The runtime offers the event until intake takes it.
    while (f->ready_first && !intake_inbound_ready (harness_state (f->harness), &event))
        if (++f->waited >= f->away_for)
            f->gateway.away = false;
    harness_upstream (f->harness, "gateway", seq, &event);
    cf_sealed_release (&sealed);
}

//  The last decision's InboundOutcome (asserted to be its last event).
static const Caseflow__V1__InboundOutcome *
s_outcome (s_fixture_t *f)
{
    size_t count = harness_emitted (f->harness);
    assert_true (count > 0);
    const Caseflow__V1__Event *event = harness_event (f->harness, count - 1);
    assert_int_equal (event->body_case, CASEFLOW__V1__EVENT__BODY_INTAKE_INBOUND_OUTCOME);
    return event->intake_inbound_outcome;
}

static bool
s_subject_holds (const intake_case_t *kase, const char *key_id)
{
    for (size_t i = 0; i < kase->subject->key_count; i++)
        if (strcmp (kase->subject->key_ids [i], key_id) == 0)
            return true;
    return false;
}

static void
test_referral_becomes_one_case (void **state)
{
    s_fixture_t *f = *state;
    s_inbound_t args = { .ce_id = "ref-1",
                         .name = S_NAME,
                         .bsn = S_BSN,
                         .birth_date = "1990-04-04",
                         .urgency = CASEFLOW__V1__URGENCY__URGENCY_URGENT };
    s_referral (f, 1, &args);
    //  CaseRegistered, its triage, the outcome.
    assert_int_equal (harness_emitted (f->harness), 3);
    const Caseflow__V1__Intake__CaseRegistered *body =
        harness_event (f->harness, 0)->case_registered;
    assert_non_null (body);
    assert_int_equal (body->channel, CASEFLOW__V1__CHANNEL__CHANNEL_PARTNER);
    assert_string_equal (body->referred_by, "wijkteam-partner");
    assert_string_equal (body->transit_key_id, f->gateway.key_id [0]);
    assert_string_equal (body->personal->key_id, body->subject_key_id);
    const Caseflow__V1__Personal *personal =
        harness_open (f->harness, body->personal, INTAKE_FIELD_REGISTERED);
    assert_string_equal (personal->resident->name, S_NAME);
    assert_string_equal (personal->text, "debts piling up");
    const Caseflow__V1__Intake__CaseTriaged *triaged = harness_event (f->harness, 1)->case_triaged;
    assert_int_equal (triaged->urgency, CASEFLOW__V1__URGENCY__URGENCY_URGENT);
    assert_string_equal (harness_text (f->harness, triaged->personal, INTAKE_FIELD_TRIAGED),
                         "no income since March");
    char case_id [24];
    snprintf (case_id, sizeof case_id, "%s", body->case_id);
    const Caseflow__V1__InboundOutcome *outcome = s_outcome (f);
    assert_true (outcome->applied);
    assert_int_equal (outcome->gateway_seq, 1);
    assert_string_equal (outcome->source, S_SRC);
    assert_string_equal (outcome->ce_id, "ref-1");
    assert_string_equal (outcome->case_id, case_id);
    const intake_case_t *kase = intake_state_case (harness_state (f->harness), case_id);
    assert_true (s_subject_holds (kase, f->gateway.key_id [0]));

    //  The same CloudEvent again (the gateway lost its deduplication):
    //  nothing, not even a second outcome; also after a rebuild.
    s_referral (f, 2, &args);
    assert_int_equal (harness_emitted (f->harness), 0);
    harness_assert_replay (f->harness);
    s_referral (f, 3, &args);
    assert_int_equal (harness_emitted (f->harness), 0);
    assert_int_equal (intake_state_case_count (harness_state (f->harness)), 1);

    //  Another referral of the same resident joins the open case.
    s_inbound_t again = { .ce_id = "ref-2", .name = S_NAME, .bsn = S_BSN };
    s_referral (f, 4, &again);
    assert_non_null (harness_event (f->harness, 0)->question_added);
    assert_string_equal (s_outcome (f)->case_id, case_id);
    assert_int_equal (harness_journal_holding (f->harness, S_NAME, true), 0);
    assert_int_equal (harness_journal_holding (f->harness, S_BSN, true), 0);
    harness_assert_replay (f->harness);
}

static void
test_referral_rejected_with_a_reason (void **state)
{
    s_fixture_t *f = *state;
    struct {
        s_inbound_t args;
        const char *reason;
    } cases [] = {
        { { .ce_id = "a", .name = S_NAME, .domain = 99 }, "domains: unknown domain (value 99)" },
        { { .ce_id = "b", .no_personal = true }, "resident: required" },
        { { .ce_id = "c", .bsn = S_BSN }, "resident.name: " },
        { { .ce_id = "d", .name = S_NAME, .bsn = "123456789" }, "resident.bsn: " },
        { { .ce_id = "e",
            .name = S_NAME,
            .channel = CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_TELEPHONY },
          "channel: " },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases [0]; i++) {
        s_referral (f, i + 1, &cases [i].args);
        assert_int_equal (harness_emitted (f->harness), 1);
        const Caseflow__V1__InboundOutcome *outcome = s_outcome (f);
        assert_false (outcome->applied);
        assert_string_equal (outcome->case_id, "");
        if (strncmp (outcome->reason, cases [i].reason, strlen (cases [i].reason)) != 0)
            fail_msg ("case %zu: reason \"%s\", expected \"%s...\"", i, outcome->reason,
                      cases [i].reason);
        assert_null (strstr (outcome->reason, "123456789"));
    }
    assert_int_equal (intake_state_case_count (harness_state (f->harness)), 0);
    assert_int_equal (harness_journal_holding (f->harness, S_NAME, true), 0);
    harness_assert_replay (f->harness);
}

static void
test_referral_kept_sealed_then_adopted (void **state)
{
    s_fixture_t *f = *state;
    intake_state_t *intake = harness_state (f->harness);
    f->gateway.away = true;
    s_inbound_t args = { .ce_id = "ref-9", .name = S_NAME, .bsn = S_BSN };
    s_referral (f, 1, &args);
    const Caseflow__V1__Intake__CaseRegistered *body =
        harness_event (f->harness, 0)->case_registered;
    assert_non_null (body);
    char case_id [24];
    snprintf (case_id, sizeof case_id, "%s", body->case_id);
    assert_string_equal (body->personal->key_id, f->gateway.key_id [0]);
    assert_true (s_outcome (f)->applied);
    assert_string_equal (harness_view (f->harness, case_id)->resident->name, INTAKE_UNREADABLE);
    assert_int_equal (intake_keys_adopt_pending (intake), 1);
    //  The gateway is back: adopted, readable, found by the BSN.
    f->gateway.away = false;
    assert_int_equal (intake_keys_adopt_pending (intake), 0);
    assert_string_equal (harness_view (f->harness, case_id)->resident->name, S_NAME);
    harness_reg_t reg = { .channel = CASEFLOW__V1__CHANNEL__CHANNEL_WEB,
                          .name = "I. V.",
                          .bsn = S_BSN,
                          .domains = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT },
                          .n_domains = 1 };
    char joined [24];
    assert_int_equal (harness_register (f->harness, &reg, joined), OK);
    assert_string_equal (joined, case_id);
    harness_assert_replay (f->harness);
}

static void
test_decision_linked (void **state)
{
    s_fixture_t *f = *state;
    harness_reg_t reg = { .channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE,
                          .name = S_NAME,
                          .bsn = S_BSN,
                          .birth_date = "1990-04-04",
                          .domains = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT },
                          .n_domains = 1 };
    char case_id [24];
    assert_int_equal (harness_register (f->harness, &reg, case_id), OK);
    //  By BSN.
    s_inbound_t by_bsn = { .ce_id = "dec-1", .bsn = S_BSN };
    s_decision (f, 1, "B-2022-001", &by_bsn);
    assert_int_equal (harness_emitted (f->harness), 2);
    const Caseflow__V1__Intake__DecisionLinked *linked =
        harness_event (f->harness, 0)->decision_linked;
    assert_non_null (linked);
    assert_string_equal (linked->decision_id, "B-2022-001");
    assert_int_equal (linked->law, CASEFLOW__V1__GATEWAY__LAW__LAW_WMO);
    assert_string_equal (linked->case_id, case_id);
    assert_int_equal (linked->gateway_seq, 1);
    assert_string_equal (harness_event (f->harness, 0)->case_id, case_id);
    assert_true (s_outcome (f)->applied);
    assert_string_equal (s_outcome (f)->case_id, case_id);
    const intake_case_t *kase = intake_state_case (harness_state (f->harness), case_id);
    assert_string_equal (linked->subject, kase->subject->id);
    assert_true (s_subject_holds (kase, f->gateway.key_id [0]));
    //  By name and birth date.
    s_inbound_t by_name = { .ce_id = "dec-2", .name = S_NAME, .birth_date = "1990-04-04" };
    s_decision (f, 2, "B-2022-002", &by_name);
    assert_string_equal (harness_event (f->harness, 0)->decision_linked->case_id, case_id);
    //  Nobody intake knows: rejected, nothing linked.
    s_inbound_t stranger = { .ce_id = "dec-3", .name = "Jan Jansen", .birth_date = "1970-01-01" };
    s_decision (f, 3, "B-2022-003", &stranger);
    assert_int_equal (harness_emitted (f->harness), 1);
    assert_false (s_outcome (f)->applied);
    assert_null (strstr (s_outcome (f)->reason, "Jansen"));
    //  No resident fields at all.
    s_inbound_t nothing = { .ce_id = "dec-4" };
    s_decision (f, 4, "B-2022-004", &nothing);
    assert_string_equal (s_outcome (f)->reason, "resident: bsn, or name and birth_date, required");
    assert_int_equal (harness_journal_holding (f->harness, S_BSN, true), 0);
    harness_assert_replay (f->harness);
}

//  A gateway that does not answer: the decision waits, then is linked with
//  the key fetched while waiting ended; a referral never waits (it is
//  registered sealed instead).
static void
test_decision_waits_for_the_gateway (void **state)
{
    s_fixture_t *f = *state;
    harness_reg_t reg = { .channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE,
                          .name = S_NAME,
                          .bsn = S_BSN,
                          .birth_date = "1990-04-04",
                          .domains = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT },
                          .n_domains = 1 };
    char case_id [24];
    assert_int_equal (harness_register (f->harness, &reg, case_id), OK);
    f->ready_first = true;
    f->gateway.away = true;
    f->away_for = 2;
    s_inbound_t by_bsn = { .ce_id = "dec-w", .bsn = S_BSN };
    s_decision (f, 1, "B-2022-009", &by_bsn);
    assert_int_equal (f->waited, 2);
    //  Two tries while away, one that fetched the key the reaction used.
    assert_int_equal (f->gateway.asked, 3);
    assert_true (s_outcome (f)->applied);
    assert_string_equal (s_outcome (f)->case_id, case_id);
    //  A key the gateway will not hand over (NOT_FOUND) is no wait.
    f->gateway.holder = CF_TRANSIT_HANDOVER;
    s_inbound_t refused = { .ce_id = "dec-r", .bsn = S_BSN };
    s_decision (f, 2, "B-2022-010", &refused);
    assert_int_equal (f->waited, 2);
    assert_false (s_outcome (f)->applied);
    //  A referral while the gateway is away: no wait.
    f->gateway.away = true;
    s_inbound_t referral = { .ce_id = "ref-w", .name = "Jan Jansen", .birth_date = "1970-01-01" };
    Caseflow__V1__Gateway__Referral body_referral = CASEFLOW__V1__GATEWAY__REFERRAL__INIT;
    Caseflow__V1__Gateway__InboundAccepted body = CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__INIT;
    body.source = S_SRC;
    body.ce_id = (char *) referral.ce_id;
    body.content_case = CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_REFERRAL;
    body.referral = &body_referral;
    cf_sealed_t sealed;
    s_seal (f, &referral, &sealed);
    body.personal = &sealed.message;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED;
    event.inbound_accepted = &body;
    size_t asked = f->gateway.asked;
    assert_true (intake_inbound_ready (harness_state (f->harness), &event));
    assert_int_equal (f->gateway.asked, asked);
    cf_sealed_release (&sealed);
    harness_assert_replay (f->harness);
}

//  Announcements (handover's) and calls (the figures') get nothing here.
static void
test_not_intakes (void **state)
{
    s_fixture_t *f = *state;
    Caseflow__V1__Gateway__Call call = CASEFLOW__V1__GATEWAY__CALL__INIT;
    call.call_id = "c1";
    call.stage = CASEFLOW__V1__GATEWAY__CALL_STAGE__CALL_STAGE_OFFERED;
    Caseflow__V1__Gateway__InboundAccepted body = CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__INIT;
    body.source = "urn:nld:telefonie";
    body.ce_id = "c1";
    body.content_case = CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_CALL;
    body.call = &call;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED;
    event.inbound_accepted = &body;
    harness_upstream (f->harness, "gateway", 1, &event);
    assert_int_equal (harness_emitted (f->harness), 0);
    Caseflow__V1__Gateway__Announcement announcement = CASEFLOW__V1__GATEWAY__ANNOUNCEMENT__INIT;
    body.content_case = CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_ANNOUNCEMENT;
    body.announcement = &announcement;
    event = (Caseflow__V1__Event) CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED;
    event.inbound_accepted = &body;
    harness_upstream (f->harness, "gateway", 2, &event);
    assert_int_equal (harness_emitted (f->harness), 0);
    harness_assert_replay (f->harness);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_referral_becomes_one_case, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_referral_rejected_with_a_reason, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_referral_kept_sealed_then_adopted, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_decision_linked, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_decision_waits_for_the_gateway, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_not_intakes, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
