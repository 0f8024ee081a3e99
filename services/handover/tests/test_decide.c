//  test_decide: every handover command's validation, its events and its
//  result; the caseload handover; completion rules; replay determinism.
//  Personal data travels sealed under the handover's transit key: the
//  tests open it with the kit's key store (kit_open, kit_view).
#include "handover_testkit.h"
#include "handover_lifecycle.h"

#include "cf_id.h"

#define OK                  CASEFLOW__V1__STATUS__CODE__OK
#define INVALID             CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
#define NOT_FOUND           CASEFLOW__V1__STATUS__CODE__NOT_FOUND
#define CONFLICT            CASEFLOW__V1__STATUS__CODE__CONFLICT
#define FAILED_PRECONDITION CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION

static int
s_setup (void **state)
{
    kit_t *kit = calloc (1, sizeof *kit);
    assert_non_null (kit);
    kit_init (kit);
    assert_int_equal (kit_add_provider (kit, "P1", "Provider One"), OK);
    *state = kit;
    return 0;
}

static int
s_teardown (void **state)
{
    kit_t *kit = *state;
    kit_destroy (kit);
    free (kit);
    return 0;
}

//  True when the resident (`name`, `bsn`, no birth date) has an open
//  handover by the index the decisions keep.
static bool
kit_resident_open (kit_t *kit, const char *name, const char *bsn)
{
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = (char *) name;
    resident.bsn = (char *) bsn;
    char hex [HANDOVER_RESIDENT_HASH_SIZE];
    assert_true (handover_transit_resident_hash (kit->transit, &resident, hex));
    return handover_transit_find_open (kit->transit, kit->state, hex) != NULL;
}

//  ---------------------------------------------------------- add provider

static void
test_add_provider (void **state)
{
    kit_t *kit = *state;
    const char *field = "command.handover.add_provider.provider_id";
    kit_add_provider (kit, "", "Name");
    kit_expect (kit, INVALID, field, "is required");
    kit_add_provider (kit, "has space", "Name");
    kit_expect (kit, INVALID, field, "provider_id is not an id: " CF_ID_RULE);
    kit_add_provider (kit, "x12345678901234567890123456789012345678901234567890123456789012345",
                      "Name");
    kit_expect (kit, INVALID, field, NULL);
    kit_add_provider (kit, "P2", "");
    kit_expect (kit, INVALID, "command.handover.add_provider.name", "is required");
    kit_add_provider (kit, "P2", "   ");
    kit_expect (kit, INVALID, "command.handover.add_provider.name", "is required");
    kit_add_provider (kit, "P2", "Bad\nname");
    kit_expect (kit, INVALID, "command.handover.add_provider.name", "control characters");
    kit_add_provider (kit, "P1", "Again");
    kit_expect (kit, CONFLICT, field, "P1 already exists");

    size_t before = kit->count;
    assert_int_equal (kit_add_provider (kit, "lev-groep_2.0", "LEV groep"), OK);
    assert_int_equal (kit->count, before + 1);
    Caseflow__V1__Event *event = kit_event (kit, kit->count);
    assert_int_equal (event->body_case, CASEFLOW__V1__EVENT__BODY_PROVIDER_ADDED);
    assert_string_equal (event->provider_added->provider_id, "lev-groep_2.0");
    assert_string_equal (event->provider_added->name, "LEV groep");
    caseflow__v1__event__free_unpacked (event, NULL);
    handover_provider_t *provider = handover_state_provider (kit->state, "lev-groep_2.0");
    assert_non_null (provider);
    assert_int_equal (provider->added_at, kit->now);
}

//  -------------------------------------------------------------- announce

typedef struct {
    Caseflow__V1__PersonalData resident;
    Caseflow__V1__Domain domains [8];
    Caseflow__V1__Handover__Announce body;
    Caseflow__V1__Handover__Command command;
} s_announce_t;

//  A valid announcement to adjust field by field.
static void
s_announce_init (s_announce_t *self)
{
    caseflow__v1__personal_data__init (&self->resident);
    self->resident.name = "Anna de Vries";
    self->resident.birth_date = "1984-02-29";
    self->resident.phone = "+31 6-1234 5678";
    self->resident.district = "Binnenstad";
    self->resident.bsn = "111222333";
    self->domains [0] = CASEFLOW__V1__DOMAIN__DOMAIN_DEBT;
    self->domains [1] = CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING;
    caseflow__v1__handover__announce__init (&self->body);
    self->body.provider_id = "P1";
    self->body.resident = &self->resident;
    self->body.domains = self->domains;
    self->body.n_domains = 2;
    self->body.support = "debt counselling\nweekly";
    self->body.preferred_worker = "w7";
    caseflow__v1__handover__command__init (&self->command);
    self->command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ANNOUNCE;
    self->command.announce = &self->body;
}

#define S_ANNOUNCE_REFUSED(kit, code, field, fragment, change) \
    do {                                                       \
        s_announce_t a_;                                       \
        s_announce_init (&a_);                                 \
        change;                                                \
        kit_run ((kit), &a_.command);                          \
        kit_expect ((kit), (code), (field), (fragment));       \
    } while (0)

static void
test_announce_validation (void **state)
{
    kit_t *kit = *state;
    const char *p = "command.handover.announce.";
    char field [128];
#define F(name) (snprintf (field, sizeof field, "%s%s", p, name), field)
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("provider_id"), "is required", a_.body.provider_id = "");
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("provider_id"), NULL, a_.body.provider_id = "P 1");
    S_ANNOUNCE_REFUSED (kit, NOT_FOUND, F ("provider_id"), "no provider P9",
                        a_.body.provider_id = "P9");
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("resident"), "is required", a_.body.resident = NULL);
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("resident.name"), "is required", a_.resident.name = "");
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("resident.birth_date"), "YYYY-MM-DD",
                        a_.resident.birth_date = "1985-02-29");
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("resident.birth_date"), NULL,
                        a_.resident.birth_date = "29-02-1984");
    //  Birth dates by the rule every service shares: 1900 up to today.
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("resident.birth_date"), "from 1900-01-01",
                        a_.resident.birth_date = "1850-06-01");
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("resident.birth_date"), "today is 2022-03-01",
                        a_.resident.birth_date = "2022-03-02");
    //  Phone numbers too: at least 6 digits, parentheses allowed.
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("resident.phone"), "at least 6 digits",
                        a_.resident.phone = "112");
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("resident.bsn"), "eleven-test",
                        a_.resident.bsn = "111222334");
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("resident.bsn"), NULL, a_.resident.bsn = "12345678");
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("resident.phone"), NULL, a_.resident.phone = "call me");
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("resident.district"), "control",
                        a_.resident.district = "a\tb");
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("domains"), "at least one", a_.body.n_domains = 0);
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("domains"), "unknown",
                        a_.domains [1] = (Caseflow__V1__Domain) 99);
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("domains"), "unknown",
                        a_.domains [1] = CASEFLOW__V1__DOMAIN__DOMAIN_UNSPECIFIED);
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("domains"), "twice",
                        a_.domains [1] = CASEFLOW__V1__DOMAIN__DOMAIN_DEBT);
    char long_text [2100];
    memset (long_text, 'x', sizeof long_text - 1);
    long_text [sizeof long_text - 1] = 0;
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("support"), "at most 2000", a_.body.support = long_text);
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("preferred_worker"), NULL,
                        a_.body.preferred_worker = "w 7");
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("urgency"), NULL,
                        a_.body.urgency = (Caseflow__V1__Urgency) 5);
    S_ANNOUNCE_REFUSED (kit, INVALID, F ("deadline"), "negative", a_.body.deadline = -1);
#undef F
    assert_int_equal (kit->state->count, 0);
}

static void
test_announce (void **state)
{
    kit_t *kit = *state;
    s_announce_t a;
    s_announce_init (&a);
    assert_int_equal (kit_run (kit, &a.command), OK);
    assert_string_equal (kit->handover_id, "H000001");
    assert_int_equal (kit->status, HANDOVER_ANNOUNCED);
    Caseflow__V1__Event *event = kit_event (kit, kit->count);
    assert_int_equal (event->body_case, CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED);
    Caseflow__V1__Handover__HandoverAnnounced *body = event->handover_announced;
    assert_string_equal (body->handover_id, "H000001");
    assert_string_equal (body->provider_id, "P1");
    //  The resident and the support only sealed, under a transit key.
    assert_null (body->resident);
    assert_string_equal (body->support, "");
    assert_true (cf_seal_id_valid (body->personal->key_id, 'T'));
    Caseflow__V1__Personal *personal = kit_open (kit, body->personal, HANDOVER_FIELD_ANNOUNCED);
    assert_string_equal (personal->resident->name, "Anna de Vries");
    assert_string_equal (personal->resident->bsn, "111222333");
    assert_string_equal (personal->text, "debt counselling\nweekly");
    caseflow__v1__personal__free_unpacked (personal, NULL);
    assert_int_equal (body->n_domains, 2);
    assert_int_equal (body->domains [1], CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING);
    assert_string_equal (body->preferred_worker, "w7");
    assert_string_equal (body->caseload_worker, "");
    //  Defaults: regular urgency, the cohort deadline.
    assert_int_equal (body->urgency, CASEFLOW__V1__URGENCY__URGENCY_REGULAR);
    assert_int_equal (body->deadline, kit_time ("2022-07-01T00:00:00+02:00"));
    caseflow__v1__event__free_unpacked (event, NULL);

    //  The same resident (by BSN) while the first is open: CONFLICT.
    s_announce_init (&a);
    a.resident.name = "A. de Vries";
    kit_run (kit, &a.command);
    kit_expect (kit, CONFLICT, "command.handover.announce.resident",
                "already has an open handover H000001");
    //  By name (any case) and birth date when there is no BSN.
    s_announce_init (&a);
    a.resident.bsn = "";
    a.resident.name = "Piet Peters";
    a.body.deadline = kit_time ("2022-05-01");
    a.body.urgency = CASEFLOW__V1__URGENCY__URGENCY_URGENT;
    assert_int_equal (kit_run (kit, &a.command), OK);
    assert_string_equal (kit->handover_id, "H000002");
    handover_t *second = handover_state_find (kit->state, "H000002");
    assert_int_equal (second->deadline, kit_time ("2022-05-01"));
    assert_int_equal (second->urgency, CASEFLOW__V1__URGENCY__URGENCY_URGENT);
    a.resident.name = "PIET PETERS";
    kit_run (kit, &a.command);
    kit_expect (kit, CONFLICT, NULL, "H000002");
    //  The identity key intake uses too: runs of white space are one space.
    a.resident.name = "  Piet    Peters ";
    kit_run (kit, &a.command);
    kit_expect (kit, CONFLICT, NULL, "H000002");
    //  No BSN and no birth date: not identifiable, never a conflict.
    a.resident.birth_date = "";
    assert_int_equal (kit_run (kit, &a.command), OK);
    assert_int_equal (kit_run (kit, &a.command), OK);
    //  Once the first is closed, the resident may be announced again.
    assert_int_equal (kit_cancel (kit, "H000001", "announced by mistake"), OK);
    s_announce_init (&a);
    assert_int_equal (kit_run (kit, &a.command), OK);
    assert_string_equal (kit->handover_id, "H000005");
}

//  ------------------------------------------------------------- caseload

static void
test_announce_caseload (void **state)
{
    kit_t *kit = *state;
    Caseflow__V1__PersonalData people [3];
    Caseflow__V1__Handover__CaseloadResident entries [3];
    Caseflow__V1__Handover__CaseloadResident *pointers [3];
    Caseflow__V1__Domain youth = CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH;
    const char *names [3] = { "Kees", "Mia", "Noor" };
    const char *bsns [3] = { "111222333", "", "" };
    for (int i = 0; i < 3; i++) {
        caseflow__v1__personal_data__init (&people [i]);
        people [i].name = (char *) names [i];
        people [i].bsn = (char *) bsns [i];
        people [i].birth_date = "2010-05-05";
        caseflow__v1__handover__caseload_resident__init (&entries [i]);
        entries [i].resident = &people [i];
        entries [i].domains = &youth;
        entries [i].n_domains = 1;
        entries [i].urgency = i == 2 ? CASEFLOW__V1__URGENCY__URGENCY_URGENT
                                     : CASEFLOW__V1__URGENCY__URGENCY_UNSPECIFIED;
        pointers [i] = &entries [i];
    }
    Caseflow__V1__Handover__AnnounceCaseload body = CASEFLOW__V1__HANDOVER__ANNOUNCE_CASELOAD__INIT;
    body.provider_id = "P1";
    body.worker_id = "w21";
    body.residents = pointers;
    body.n_residents = 3;
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ANNOUNCE_CASELOAD;
    command.announce_caseload = &body;
    const char *p = "command.handover.announce_caseload.";
    char field [128];
#define F(name) (snprintf (field, sizeof field, "%s%s", p, name), field)

    body.worker_id = "";
    kit_run (kit, &command);
    kit_expect (kit, INVALID, F ("worker_id"), "is required");
    body.worker_id = "w21";
    body.n_residents = 0;
    kit_run (kit, &command);
    kit_expect (kit, INVALID, F ("residents"), "1-1000");
    body.n_residents = 3;
    people [1].name = "";
    kit_run (kit, &command);
    kit_expect (kit, INVALID, F ("residents[1].resident.name"), "is required");
    people [1].name = "Mia";
    entries [2].n_domains = 0;
    kit_run (kit, &command);
    kit_expect (kit, INVALID, F ("residents[2].domains"), NULL);
    entries [2].n_domains = 1;
    body.deadline = -5;
    kit_run (kit, &command);
    kit_expect (kit, INVALID, F ("deadline"), NULL);
    body.deadline = 0;
    body.provider_id = "P404";
    kit_run (kit, &command);
    kit_expect (kit, NOT_FOUND, F ("provider_id"), NULL);
    body.provider_id = "P1";
    //  The same resident twice in one caseload: nothing is announced.
    people [2].name = "MIA";
    kit_run (kit, &command);
    kit_expect (kit, CONFLICT, F ("residents[2].resident"), "already in the caseload");
    people [2].name = "Noor";
    //  A resident with an open handover: nothing is announced.
    assert_int_equal (kit_announce (kit, "P1", "Kees", "111222333", 0), OK);
    size_t before = kit->count;
    kit_run (kit, &command);
    kit_expect (kit, CONFLICT, F ("residents[0].resident"), "H000001");
    assert_int_equal (kit->count, before);
    assert_int_equal (kit_cancel (kit, "H000001", "part of the caseload instead"), OK);
#undef F

    assert_int_equal (kit_run (kit, &command), OK);
    assert_int_equal (kit->caseload_count, 3);
    assert_string_equal (kit->caseload [0], "H000002");
    assert_string_equal (kit->caseload [2], "H000004");
    for (int i = 0; i < 3; i++) {
        handover_t *handover = handover_state_find (kit->state, kit->caseload [i]);
        assert_non_null (handover);
        assert_string_equal (handover->preferred_worker, "w21");
        assert_string_equal (handover->caseload_worker, "w21");
        Caseflow__V1__Handover__HandoverView *view = kit_view (kit, kit->caseload [i]);
        assert_string_equal (view->resident->name, names [i]);
        caseflow__v1__handover__handover_view__free_unpacked (view, NULL);
        assert_int_equal (handover->deadline, kit->config.default_deadline);
        assert_int_equal (handover->status, HANDOVER_ANNOUNCED);
    }
    assert_int_equal (handover_state_find (kit->state, "H000002")->urgency,
                      CASEFLOW__V1__URGENCY__URGENCY_REGULAR);
    assert_int_equal (handover_state_find (kit->state, "H000004")->urgency,
                      CASEFLOW__V1__URGENCY__URGENCY_URGENT);
    //  Announced again while open: every one conflicts.
    kit_run (kit, &command);
    kit_expect (kit, CONFLICT, NULL, "H000002");
}

static void
test_caseload_emit_failure_stops (void **state)
{
    kit_t *kit = *state;
    Caseflow__V1__PersonalData people [3];
    Caseflow__V1__Handover__CaseloadResident entries [3];
    Caseflow__V1__Handover__CaseloadResident *pointers [3];
    Caseflow__V1__Domain other = CASEFLOW__V1__DOMAIN__DOMAIN_OTHER;
    for (int i = 0; i < 3; i++) {
        caseflow__v1__personal_data__init (&people [i]);
        people [i].name = "Someone";
        caseflow__v1__handover__caseload_resident__init (&entries [i]);
        entries [i].resident = &people [i];
        entries [i].domains = &other;
        entries [i].n_domains = 1;
        pointers [i] = &entries [i];
    }
    Caseflow__V1__Handover__AnnounceCaseload body = CASEFLOW__V1__HANDOVER__ANNOUNCE_CASELOAD__INIT;
    body.provider_id = "P1";
    body.worker_id = "w21";
    body.residents = pointers;
    body.n_residents = 3;
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ANNOUNCE_CASELOAD;
    command.announce_caseload = &body;
    //  The store refuses the third event: the handler stops there (the
    //  runtime abandons the whole batch and answers UNAVAILABLE).
    kit->fail_at = (int) kit->count + 3;
    kit_run (kit, &command);
    assert_int_equal (kit->state->count, 2);
    kit->fail_at = 0;
}

//  --------------------------------------------------------------- meeting

static void
test_plan_validation (void **state)
{
    kit_t *kit = *state;
    assert_int_equal (kit_announce (kit, "P1", "Anna", "", 0), OK);
    const char *id_field = "command.handover.plan.handover_id";
    kit_plan (kit, "", kit->now);
    kit_expect (kit, INVALID, id_field, "is required");
    kit_plan (kit, "H000001", 0);
    kit_expect (kit, INVALID, "command.handover.plan.at", "is required");
    kit_plan (kit, "H000099", kit->now);
    kit_expect (kit, NOT_FOUND, id_field, "no handover H000099");
    //  A malformed id is refused like every service's, never echoed.
    kit_plan (kit, "x y", kit->now);
    kit_expect (kit, INVALID, id_field, "handover_id is not an id: " CF_ID_RULE);

    char *too_many [21];
    for (int i = 0; i < 21; i++)
        too_many [i] = "resident";
    Caseflow__V1__Handover__Plan body = CASEFLOW__V1__HANDOVER__PLAN__INIT;
    body.handover_id = "H000001";
    body.at = kit->now + CF_USEC_PER_DAY;
    body.participants = too_many;
    body.n_participants = 21;
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_PLAN;
    command.plan = &body;
    kit_run (kit, &command);
    kit_expect (kit, INVALID, "command.handover.plan.participants", "at most 20");
    body.n_participants = 2;
    too_many [1] = "";
    kit_run (kit, &command);
    kit_expect (kit, INVALID, "command.handover.plan.participants[1]", "is required");
    body.n_participants = 1;
    body.location = "Room\x01";
    kit_run (kit, &command);
    kit_expect (kit, INVALID, "command.handover.plan.location", NULL);
    body.location = "Wijkcentrum De Bron";
    assert_int_equal (kit_run (kit, &command), OK);
    Caseflow__V1__Event *event = kit_event (kit, kit->count);
    assert_int_equal (event->body_case, CASEFLOW__V1__EVENT__BODY_MEETING_PLANNED);
    //  Location and participants travel sealed: either may name a person.
    assert_string_equal (event->meeting_planned->location, "");
    assert_int_equal (event->meeting_planned->n_participants, 0);
    assert_int_equal (event->meeting_planned->at, kit->now + CF_USEC_PER_DAY);
    Caseflow__V1__Personal *personal =
        kit_open (kit, event->meeting_planned->personal, HANDOVER_FIELD_MEETING);
    assert_string_equal (personal->text, "Wijkcentrum De Bron");
    assert_int_equal (personal->n_texts, 1);
    assert_string_equal (personal->texts [0], "resident");
    caseflow__v1__personal__free_unpacked (personal, NULL);
    caseflow__v1__event__free_unpacked (event, NULL);
    Caseflow__V1__Handover__HandoverView *view = kit_view (kit, "H000001");
    assert_int_equal (view->n_meetings, 1);
    assert_string_equal (view->meetings [0]->location, "Wijkcentrum De Bron");
    assert_int_equal (view->meetings [0]->n_participants, 1);
    assert_string_equal (view->meetings [0]->participants [0], "resident");
    caseflow__v1__handover__handover_view__free_unpacked (view, NULL);
}

static void
test_held_and_decide_validation (void **state)
{
    kit_t *kit = *state;
    char id [HANDOVER_ID_SIZE];
    kit_drive (kit, "P1", "Anna", HANDOVER_MEETING_PLANNED, id);
    kit_held (kit, "");
    kit_expect (kit, INVALID, "command.handover.held.handover_id", "is required");
    kit_held (kit, "H000002");
    kit_expect (kit, NOT_FOUND, "command.handover.held.handover_id", NULL);
    assert_int_equal (kit_held (kit, id), OK);
    assert_int_equal (handover_state_find (kit->state, id)->held_at, kit->now);

    kit_decide (kit, id, CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_UNSPECIFIED);
    kit_expect (kit, INVALID, "command.handover.decide.next_step", "continue, stay, end or refer");
    kit_decide (kit, id, (handover_next_step_t) 9);
    kit_expect (kit, INVALID, "command.handover.decide.next_step", NULL);
    kit_decide (kit, "", HANDOVER_NEXT_END);
    kit_expect (kit, INVALID, "command.handover.decide.handover_id", NULL);
    char note [2100];
    memset (note, 'n', sizeof note - 1);
    note [sizeof note - 1] = 0;
    Caseflow__V1__Handover__Decide body = CASEFLOW__V1__HANDOVER__DECIDE__INIT;
    body.handover_id = id;
    body.next_step = HANDOVER_NEXT_REFER;
    body.note = note;
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_DECIDE;
    command.decide = &body;
    kit_run (kit, &command);
    kit_expect (kit, INVALID, "command.handover.decide.note", "at most 2000");
    body.note = "refer to the debt desk\nfollow-up in May";
    assert_int_equal (kit_run (kit, &command), OK);
    handover_t *handover = handover_state_find (kit->state, id);
    assert_int_equal (handover->status, HANDOVER_DECIDED);
    assert_int_equal (handover->next_step, HANDOVER_NEXT_REFER);
    Caseflow__V1__Handover__HandoverView *view = kit_view (kit, id);
    assert_string_equal (view->decision_note, "refer to the debt desk\nfollow-up in May");
    caseflow__v1__handover__handover_view__free_unpacked (view, NULL);
    Caseflow__V1__Event *event = kit_event (kit, kit->count);
    assert_string_equal (event->next_step_decided->note, "");
    caseflow__v1__event__free_unpacked (event, NULL);
    //  A second decision is not in the table.
    kit_decide (kit, id, HANDOVER_NEXT_STAY);
    kit_expect (kit, FAILED_PRECONDITION, NULL, "is decided");
}

//  ----------------------------------------------------------------- files

static void
test_record_files_validation (void **state)
{
    kit_t *kit = *state;
    assert_int_equal (kit_announce (kit, "P1", "Anna", "", 0), OK);
    const char *p = "command.handover.record_files.";
    char field [128];
#define F(name) (snprintf (field, sizeof field, "%s%s", p, name), field)
    Caseflow__V1__Handover__Document documents [201];
    Caseflow__V1__Handover__Document *pointers [201];
    for (int i = 0; i < 201; i++) {
        caseflow__v1__handover__document__init (&documents [i]);
        documents [i].title = "report";
        pointers [i] = &documents [i];
    }
    Caseflow__V1__Handover__RecordFiles body = CASEFLOW__V1__HANDOVER__RECORD_FILES__INIT;
    body.handover_id = "H000001";
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_RECORD_FILES;
    command.record_files = &body;

    kit_run (kit, &command);
    kit_expect (kit, INVALID, F ("documents"), "explicit waiver");
    body.documents = pointers;
    body.n_documents = 1;
    body.waive = true;
    kit_run (kit, &command);
    kit_expect (kit, INVALID, F ("waive"), "not both");
    body.waive = false;
    body.n_documents = 201;
    kit_run (kit, &command);
    kit_expect (kit, INVALID, F ("documents"), "at most 200");
    body.n_documents = 2;
    documents [1].title = "";
    kit_run (kit, &command);
    kit_expect (kit, INVALID, F ("documents[1].title"), "is required");
    documents [1].title = "care plan";
    documents [1].type = "a type far longer than sixty-four characters, which no one ever needs";
    kit_run (kit, &command);
    kit_expect (kit, INVALID, F ("documents[1].type"), NULL);
    documents [1].type = "plan";
    documents [0].received_at = kit->now + 1;
    kit_run (kit, &command);
    kit_expect (kit, INVALID, F ("documents[0].received_at"), "future");
    documents [0].received_at = -1;
    kit_run (kit, &command);
    kit_expect (kit, INVALID, F ("documents[0].received_at"), NULL);
    documents [0].received_at = kit_time ("2022-02-01");
    body.handover_id = "H000404";
    kit_run (kit, &command);
    kit_expect (kit, NOT_FOUND, F ("handover_id"), NULL);
    body.handover_id = "H000001";
#undef F
    assert_int_equal (kit_run (kit, &command), OK);
    handover_t *handover = handover_state_find (kit->state, "H000001");
    assert_int_equal (handover->document_count, 2);
    assert_int_equal (handover->documents [0].received_at, kit_time ("2022-02-01"));
    //  Received 0 means now.
    assert_int_equal (handover->documents [1].received_at, kit->now);
    assert_string_equal (handover->documents [1].type, "plan");
    assert_false (handover->files_waived);
    //  The titles travel sealed, in order; type and date plain.
    Caseflow__V1__Event *event = kit_event (kit, kit->count);
    assert_string_equal (event->files_transferred->documents [1]->title, "");
    assert_string_equal (event->files_transferred->documents [1]->type, "plan");
    Caseflow__V1__Personal *personal =
        kit_open (kit, event->files_transferred->personal, HANDOVER_FIELD_FILES);
    assert_int_equal (personal->n_texts, 2);
    assert_string_equal (personal->texts [0], "report");
    assert_string_equal (personal->texts [1], "care plan");
    caseflow__v1__personal__free_unpacked (personal, NULL);
    caseflow__v1__event__free_unpacked (event, NULL);
    //  More documents accumulate; a waiver is recorded as such.
    assert_int_equal (kit_files (kit, "H000001", "letter"), OK);
    assert_int_equal (kit_files (kit, "H000001", NULL), OK);
    assert_int_equal (handover->document_count, 3);
    assert_true (handover->files_waived);
    assert_int_equal (handover->status, HANDOVER_ANNOUNCED);
    Caseflow__V1__Handover__HandoverView *view = kit_view (kit, "H000001");
    assert_int_equal (view->n_documents, 3);
    assert_string_equal (view->documents [0]->title, "report");
    assert_string_equal (view->documents [1]->title, "care plan");
    assert_string_equal (view->documents [2]->title, "letter");
    assert_string_equal (view->documents [2]->type, "plan");
    caseflow__v1__handover__handover_view__free_unpacked (view, NULL);
}

//  -------------------------------------------------------------- complete

static void
test_complete_needs_files_for_continue (void **state)
{
    kit_t *kit = *state;
    char id [HANDOVER_ID_SIZE];
    kit_drive (kit, "P1", "Anna", HANDOVER_DECIDED, id);
    kit_complete (kit, "");
    kit_expect (kit, INVALID, "command.handover.complete.handover_id", NULL);
    kit_complete (kit, id);
    kit_expect (kit, FAILED_PRECONDITION, "command.handover.complete.handover_id",
                "without a case-file transfer");
    //  An explicit waiver is enough.
    assert_int_equal (kit_files (kit, id, NULL), OK);
    assert_int_equal (kit_complete (kit, id), OK);
    assert_int_equal (kit->status, HANDOVER_COMPLETED);

    //  Other next steps complete without files.
    assert_int_equal (kit_announce (kit, "P1", "Bert", "", 0), OK);
    char other [HANDOVER_ID_SIZE];
    snprintf (other, sizeof other, "%s", kit->handover_id);
    assert_int_equal (kit_plan (kit, other, kit->now), OK);
    assert_int_equal (kit_held (kit, other), OK);
    assert_int_equal (kit_decide (kit, other, HANDOVER_NEXT_STAY), OK);
    assert_int_equal (kit_complete (kit, other), OK);
    //  Only once.
    kit_complete (kit, other);
    kit_expect (kit, FAILED_PRECONDITION, NULL, "is completed; complete needs it decided");
}

//  HandoverCompleted carries everything intake needs to open the case.
static void
test_completed_event_is_self_contained (void **state)
{
    kit_t *kit = *state;
    s_announce_t a;
    s_announce_init (&a);
    a.body.urgency = CASEFLOW__V1__URGENCY__URGENCY_URGENT;
    assert_int_equal (kit_run (kit, &a.command), OK);
    const char *id = "H000001";
    assert_int_equal (kit_plan (kit, id, kit->now), OK);
    assert_int_equal (kit_held (kit, id), OK);
    assert_int_equal (kit_decide (kit, id, HANDOVER_NEXT_CONTINUE), OK);
    assert_int_equal (kit_files (kit, id, "care plan"), OK);
    kit->now += CF_USEC_PER_DAY;
    assert_int_equal (kit_complete (kit, id), OK);
    Caseflow__V1__Event *event = kit_event (kit, kit->count);
    assert_int_equal (event->body_case, CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED);
    assert_int_equal (event->occurred_at, kit->now);
    Caseflow__V1__Handover__HandoverCompleted *body = event->handover_completed;
    assert_string_equal (body->handover_id, id);
    assert_string_equal (body->provider_id, "P1");
    assert_int_equal (body->next_step, HANDOVER_NEXT_CONTINUE);
    assert_null (body->resident);
    assert_string_equal (body->support, "");
    assert_string_equal (body->note, "");
    //  Sealed under the handover's transit key, for its own field.
    assert_string_equal (body->personal->key_id,
                         handover_state_find (kit->state, id)->transit_key_id);
    Caseflow__V1__Personal *personal = kit_open (kit, body->personal, HANDOVER_FIELD_COMPLETED);
    assert_string_equal (personal->resident->name, "Anna de Vries");
    assert_string_equal (personal->resident->birth_date, "1984-02-29");
    assert_string_equal (personal->resident->phone, "+31 6-1234 5678");
    assert_string_equal (personal->resident->district, "Binnenstad");
    assert_string_equal (personal->resident->bsn, "111222333");
    assert_string_equal (personal->text, "debt counselling\nweekly");
    assert_int_equal (personal->n_texts, 1);
    assert_string_equal (personal->texts [0], "agreed in the meeting");
    caseflow__v1__personal__free_unpacked (personal, NULL);
    assert_int_equal (body->n_domains, 2);
    assert_int_equal (body->domains [0], CASEFLOW__V1__DOMAIN__DOMAIN_DEBT);
    assert_string_equal (body->preferred_worker, "w7");
    assert_int_equal (body->urgency, CASEFLOW__V1__URGENCY__URGENCY_URGENT);
    assert_int_equal (body->deadline, kit->config.default_deadline);
    caseflow__v1__event__free_unpacked (event, NULL);
    //  Completed: the resident is free again.
    assert_false (kit_resident_open (kit, "Anna de Vries", "111222333"));
}

//  ---------------------------------------------------------------- cancel

static void
test_cancel (void **state)
{
    kit_t *kit = *state;
    assert_int_equal (kit_announce (kit, "P1", "Anna", "111222333", 0), OK);
    assert_true (kit_resident_open (kit, "Anna", "111222333"));
    kit_cancel (kit, "H000001", "");
    kit_expect (kit, INVALID, "command.handover.cancel.reason", "is required");
    kit_cancel (kit, "H000001", " ");
    kit_expect (kit, INVALID, "command.handover.cancel.reason", "is required");
    kit_cancel (kit, "", "why");
    kit_expect (kit, INVALID, "command.handover.cancel.handover_id", NULL);
    kit_cancel (kit, "H000002", "why");
    kit_expect (kit, NOT_FOUND, NULL, NULL);
    assert_int_equal (kit_cancel (kit, "H000001", "the resident declined"), OK);
    handover_t *handover = handover_state_find (kit->state, "H000001");
    assert_int_equal (handover->status, HANDOVER_CANCELLED);
    Caseflow__V1__Handover__HandoverView *view = kit_view (kit, "H000001");
    assert_string_equal (view->cancel_reason, "the resident declined");
    caseflow__v1__handover__handover_view__free_unpacked (view, NULL);
    Caseflow__V1__Event *event = kit_event (kit, kit->count);
    assert_string_equal (event->handover_cancelled->reason, "");
    caseflow__v1__event__free_unpacked (event, NULL);
    assert_int_equal (handover->cancelled_at, kit->now);
    assert_false (kit_resident_open (kit, "Anna", "111222333"));
    kit_cancel (kit, "H000001", "again");
    kit_expect (kit, FAILED_PRECONDITION, NULL, "is cancelled");
}

static void
test_unknown_command (void **state)
{
    kit_t *kit = *state;
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    kit_run (kit, &command);
    kit_expect (kit, INVALID, "command.handover", NULL);
}

//  ---------------------------------------------------------------- replay

//  The journal replayed into a fresh state gives the same digest, and the
//  next id continues where the decisions left off.
static void
test_replay_is_deterministic (void **state)
{
    kit_t *kit = *state;
    char id [HANDOVER_ID_SIZE];
    kit_drive (kit, "P1", "A", HANDOVER_COMPLETED, id);
    kit_drive (kit, "P1", "B", HANDOVER_CANCELLED, id);
    kit_drive (kit, "P1", "C", HANDOVER_DECIDED, id);
    kit->now += CF_USEC_PER_HOUR;
    assert_int_equal (kit_plan (kit, "H000003", kit->now), FAILED_PRECONDITION);
    kit_drive (kit, "P1", "D", HANDOVER_MEETING_PLANNED, id);
    assert_int_equal (kit_plan (kit, id, kit->now + 2 * CF_USEC_PER_DAY), OK);
    assert_int_equal (kit_add_provider (kit, "P0", "Provider Zero"), OK);
    char before [65], after [65];
    kit_digest (kit->state, before);
    handover_state_t *replayed = kit_replay (kit);
    kit_digest (replayed, after);
    assert_string_equal (before, after);
    char next_a [HANDOVER_ID_SIZE], next_b [HANDOVER_ID_SIZE];
    handover_state_next_id (kit->state, next_a);
    handover_state_next_id (replayed, next_b);
    assert_string_equal (next_a, "H000005");
    assert_string_equal (next_b, "H000005");
    handover_state_destroy (&replayed);
    //  Any change shows in the digest.
    assert_int_equal (kit_held (kit, id), OK);
    kit_digest (kit->state, after);
    assert_string_not_equal (before, after);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_add_provider, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_announce_validation, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_announce, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_announce_caseload, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_caseload_emit_failure_stops, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_plan_validation, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_held_and_decide_validation, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_record_files_validation, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_complete_needs_files_for_continue, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_completed_event_is_self_contained, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_cancel, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_unknown_command, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_replay_is_deterministic, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
