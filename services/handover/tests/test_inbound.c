//  test_inbound: the gateway's announcements at handover. One from a care
//  provider handover knows becomes one handover of that provider, its
//  resident sealed again under a transit key of handover's own, with an
//  applied InboundOutcome naming it; a repeat of the CloudEvent records
//  nothing; an unknown provider, another publisher's channel, a missing
//  resident and a key the gateway will not hand over are rejected with a
//  reason that holds no personal value. A gateway that does not answer
//  makes an announcement wait (handover_inbound_ready says no until it
//  answers), never rejects it. A fake fetcher stands in for the gateway's
//  api.
#include "handover_testkit.h"

#include "cf_error.h"
#include "handover_inbound.h"
#include "cf_testholder.h"

#define S_NAME "Sanne de Wit"
#define S_SRC  "urn:nld:oin:00000009876543210000:systeem:zorgaanbieder"

typedef struct {
    kit_t kit;
    cf_testholder_t gateway;  //  the fake gateway's transit keys
    uint64_t seq;
    bool ready_first;  //  ask handover_inbound_ready first, as the runtime does
    size_t away_for;   //  then: the gateway answers from this try on
    size_t waited;     //  times handover_inbound_ready said no
} s_fixture_t;

static int
s_setup (void **state)
{
    s_fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    kit_init (&f->kit);
    cf_testholder_init (&f->gateway, CF_TRANSIT_GATEWAY);
    f->kit.state->fetch = cf_testholder_fetch;
    f->kit.state->fetch_ctx = &f->gateway;
    assert_int_equal (kit_add_provider (&f->kit, "P01", "Zorggroep Noord"), 0);
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    s_fixture_t *f = *state;
    kit_destroy (&f->kit);
    free (f);
    return 0;
}

//  Delivers an announcement of `name` by `publisher` as the runtime does
//  (applied, then reacted to); returns how many events handover emitted.
static size_t
s_announce (s_fixture_t *f, const char *ce_id, const char *publisher,
            Caseflow__V1__Gateway__PublisherChannel channel, const char *name)
{
    cf_testholder_t *g = &f->gateway;
    size_t index = cf_testholder_add (g, NULL, NULL);
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = (char *) name;
    resident.birth_date = "1985-02-03";
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.resident = &resident;
    personal.text = "weekly home visits";
    cf_sealed_t sealed;
    assert_int_equal (
        cf_seal (&sealed, g->key [index], g->key_id [index], CF_TRANSIT_FIELD_GATEWAY, &personal),
        0);
    Caseflow__V1__Domain domain = CASEFLOW__V1__DOMAIN__DOMAIN_MENTAL_HEALTH;
    Caseflow__V1__Gateway__Announcement announcement = CASEFLOW__V1__GATEWAY__ANNOUNCEMENT__INIT;
    announcement.domains = &domain;
    announcement.n_domains = 1;
    Caseflow__V1__Gateway__InboundAccepted body = CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__INIT;
    body.publisher_id = (char *) publisher;
    body.source = S_SRC;
    body.ce_id = (char *) ce_id;
    body.type = "nl.sociaal-domein.overdracht-aangekondigd";
    body.channel = channel;
    body.content_case = CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_ANNOUNCEMENT;
    body.announcement = &announcement;
    body.personal = name ? &sealed.message : NULL;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.id = "01GATEWAY";
    event.stream = "gateway";
    event.seq = ++f->seq;
    event.occurred_at = f->kit.now;
    event.body_case = CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED;
    event.inbound_accepted = &body;
    size_t before = f->kit.count;
    //  The runtime offers the event until handover takes it.
    while (f->ready_first && !handover_inbound_ready (f->kit.state, &event))
        if (++f->waited >= f->away_for)
            g->away = false;
    assert_int_equal (handover_state_apply (f->kit.state, &event), 0);
    cf_decider_t decider;
    cf_decider_init (&decider, f->kit.now, NULL, kit_emit, &f->kit);
    assert_int_equal (handover_inbound_react (f->kit.state, &decider, &event), 0);
    cf_sealed_release (&sealed);
    return f->kit.count - before;
}

//  The outcome of the last announcement (the kit's last event; free it
//  with caseflow__v1__event__free_unpacked).
static Caseflow__V1__Event *
s_last (s_fixture_t *f)
{
    Caseflow__V1__Event *event = kit_event (&f->kit, f->kit.count);
    assert_int_equal (event->body_case, CASEFLOW__V1__EVENT__BODY_HANDOVER_INBOUND_OUTCOME);
    return event;
}

static void
s_assert_replay (s_fixture_t *f)
{
    char live [65], replayed [65];
    kit_digest (f->kit.state, live);
    handover_state_t *state = kit_replay (&f->kit);
    kit_digest (state, replayed);
    handover_state_destroy (&state);
    assert_string_equal (live, replayed);
}

static void
test_announcement_becomes_a_handover (void **state)
{
    s_fixture_t *f = *state;
    const Caseflow__V1__Gateway__PublisherChannel provider =
        CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_PROVIDER;
    assert_int_equal (s_announce (f, "a-1", "P01", provider, S_NAME), 2);
    Caseflow__V1__Event *announced = kit_event (&f->kit, f->kit.count - 1);
    const Caseflow__V1__Handover__HandoverAnnounced *body = announced->handover_announced;
    assert_non_null (body);
    assert_string_equal (body->provider_id, "P01");
    //  Sealed again under handover's own key, not the gateway's.
    assert_string_not_equal (body->personal->key_id, f->gateway.key_id [0]);
    Caseflow__V1__Personal *personal = kit_open (&f->kit, body->personal, HANDOVER_FIELD_ANNOUNCED);
    assert_string_equal (personal->resident->name, S_NAME);
    assert_string_equal (personal->text, "weekly home visits");
    caseflow__v1__personal__free_unpacked (personal, NULL);
    Caseflow__V1__Event *outcome = s_last (f);
    assert_true (outcome->handover_inbound_outcome->applied);
    assert_string_equal (outcome->handover_inbound_outcome->handover_id, body->handover_id);
    assert_string_equal (outcome->handover_inbound_outcome->ce_id, "a-1");
    assert_int_equal (outcome->handover_inbound_outcome->gateway_seq, 1);
    caseflow__v1__event__free_unpacked (outcome, NULL);
    caseflow__v1__event__free_unpacked (announced, NULL);
    assert_false (kit_journal_has (&f->kit, S_NAME));
    //  The same CloudEvent again: nothing.
    assert_int_equal (s_announce (f, "a-1", "P01", provider, S_NAME), 0);
    assert_int_equal (f->kit.state->count, 1);
    s_assert_replay (f);
}

static void
test_announcement_rejected_with_a_reason (void **state)
{
    s_fixture_t *f = *state;
    const Caseflow__V1__Gateway__PublisherChannel provider =
        CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_PROVIDER;
    struct {
        const char *publisher;
        Caseflow__V1__Gateway__PublisherChannel channel;
        const char *name;
        bool away;
        const char *reason;
    } cases [] = {
        { "P99", provider, S_NAME, false, "provider_id: no provider P99" },
        { "P01", CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_PARTNER, S_NAME, false,
          "channel: " },
        { "P01", provider, NULL, false, "resident: required" },
        { "P01", provider, S_NAME, true, "resident: the gateway's transit key could not be had" },
        { "P01", provider, "", false, "resident.name: " },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases [0]; i++) {
        f->gateway.away = cases [i].away;
        char ce_id [16];
        snprintf (ce_id, sizeof ce_id, "r-%zu", i);
        assert_int_equal (
            s_announce (f, ce_id, cases [i].publisher, cases [i].channel, cases [i].name), 1);
        Caseflow__V1__Event *outcome = s_last (f);
        const Caseflow__V1__InboundOutcome *body = outcome->handover_inbound_outcome;
        assert_false (body->applied);
        if (strncmp (body->reason, cases [i].reason, strlen (cases [i].reason)) != 0)
            fail_msg ("case %zu: reason \"%s\", expected \"%s...\"", i, body->reason,
                      cases [i].reason);
        assert_null (strstr (body->reason, "Sanne"));
        caseflow__v1__event__free_unpacked (outcome, NULL);
    }
    assert_int_equal (f->kit.state->count, 0);
    s_assert_replay (f);
}

static void
test_announcement_waits_for_the_gateway (void **state)
{
    s_fixture_t *f = *state;
    const Caseflow__V1__Gateway__PublisherChannel provider =
        CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_PROVIDER;
    f->ready_first = true;
    f->gateway.away = true;
    f->away_for = 3;
    assert_int_equal (s_announce (f, "w-1", "P01", provider, S_NAME), 2);
    //  Three tries while away, one that fetched the key the reaction used.
    assert_int_equal (f->waited, 3);
    assert_int_equal (f->gateway.asked, 4);
    Caseflow__V1__Event *outcome = s_last (f);
    assert_true (outcome->handover_inbound_outcome->applied);
    caseflow__v1__event__free_unpacked (outcome, NULL);
    //  Handled, or not handover's: taken at once, nobody asked.
    assert_int_equal (s_announce (f, "w-1", "P01", provider, S_NAME), 0);
    assert_int_equal (s_announce (f, "w-2", "P99", provider, S_NAME), 1);
    assert_int_equal (f->gateway.asked, 5);  //  P99's key: fetched, then "no provider"
    assert_int_equal (f->waited, 3);
    //  A key the gateway will not hand over (NOT_FOUND) is no wait:
    //  rejected.
    f->gateway.holder = CF_TRANSIT_HANDOVER;
    assert_int_equal (s_announce (f, "w-3", "P01", provider, S_NAME), 1);
    outcome = s_last (f);
    assert_false (outcome->handover_inbound_outcome->applied);
    caseflow__v1__event__free_unpacked (outcome, NULL);
    assert_int_equal (f->waited, 3);
    assert_int_equal (f->kit.state->count, 1);
    s_assert_replay (f);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_announcement_becomes_a_handover, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_announcement_rejected_with_a_reason, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_announcement_waits_for_the_gateway, s_setup,
                                         s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
