//  test_query: get a case, list cases (filters, paging, summaries without
//  personal data), find a resident, counts by status, list tracks, and the
//  state digest.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "intake_harness.h"
#include "intake_query.h"

#include <stdio.h>
#include <string.h>

#define OK       CASEFLOW__V1__STATUS__CODE__OK
#define BAD      CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
#define MISSING  CASEFLOW__V1__STATUS__CODE__NOT_FOUND
#define REGULAR  CASEFLOW__V1__URGENCY__URGENCY_REGULAR
#define URGENT   CASEFLOW__V1__URGENCY__URGENCY_URGENT
#define WAITING  CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING
#define URGENT_S CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT
#define CLOSED   CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED

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

static Caseflow__V1__Status__Code
s_get (harness_t *h, const char *case_id)
{
    Caseflow__V1__Intake__GetCase body = CASEFLOW__V1__INTAKE__GET_CASE__INIT;
    body.case_id = (char *) case_id;
    Caseflow__V1__Intake__Query query = CASEFLOW__V1__INTAKE__QUERY__INIT;
    query.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_GET_CASE;
    query.get_case = &body;
    return harness_query (h, &query);
}

static Caseflow__V1__Status__Code
s_list (harness_t *h, Caseflow__V1__Intake__ListCases *body)
{
    Caseflow__V1__Intake__Query query = CASEFLOW__V1__INTAKE__QUERY__INIT;
    query.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_LIST_CASES;
    query.list_cases = body;
    return harness_query (h, &query);
}

static Caseflow__V1__Status__Code
s_find (harness_t *h, const char *bsn, const char *name, const char *birth_date)
{
    Caseflow__V1__Intake__FindResident body = CASEFLOW__V1__INTAKE__FIND_RESIDENT__INIT;
    body.bsn = (char *) bsn;
    body.name = (char *) name;
    body.birth_date = (char *) birth_date;
    Caseflow__V1__Intake__Query query = CASEFLOW__V1__INTAKE__QUERY__INIT;
    query.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_FIND_RESIDENT;
    query.find_resident = &body;
    return harness_query (h, &query);
}

static void
test_get_case (void **state)
{
    harness_t *h = *state;
    harness_reg_t args = {
        .channel = CASEFLOW__V1__CHANNEL__CHANNEL_WALK_IN,
        .location = "wijkhuis-west",
        .name = "Anna de Vries",
        .birth_date = "1980-05-17",
        .phone = "0492 123456",
        .bsn = "111222333",
        .domains = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT },
        .n_domains = 1,
        .question = "Bailiff letters",
        .urgency = REGULAR,
        .reason = "can wait",
    };
    char id [24];
    assert_int_equal (harness_register (h, &args, id), OK);
    args.channel = CASEFLOW__V1__CHANNEL__CHANNEL_WEB;
    args.question = "And the rent";
    args.domains [0] = CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING;
    assert_int_equal (harness_register (h, &args, NULL), OK);
    assert_int_equal (
        harness_callback (h, id,
                          CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_NOT_REACHED,
                          "no answer"),
        OK);
    assert_int_equal (s_get (h, id), OK);
    const Caseflow__V1__Intake__QueryResult *result = harness_query_result (h);
    assert_int_equal (result->body_case, CASEFLOW__V1__INTAKE__QUERY_RESULT__BODY_CASE);
    const Caseflow__V1__Intake__CaseView *view = result->case_;
    assert_string_equal (view->case_id, id);
    assert_int_equal (view->status, WAITING);
    assert_int_equal (view->urgency, REGULAR);
    assert_int_equal (view->channel, CASEFLOW__V1__CHANNEL__CHANNEL_WALK_IN);
    assert_string_equal (view->location, "wijkhuis-west");
    assert_int_equal (view->n_domains, 2);
    assert_int_equal (view->registered_at, harness_now (h));
    assert_non_null (view->resident);
    assert_string_equal (view->resident->bsn, "111222333");
    assert_string_equal (view->resident->phone, "0492 123456");
    assert_string_equal (view->question, "Bailiff letters");
    assert_int_equal (view->n_callbacks, 1);
    assert_string_equal (view->callbacks [0]->note, "no answer");
    assert_int_equal (view->consecutive_unanswered, 1);
    assert_int_equal (view->questions_added, 1);
    assert_int_equal (view->n_questions, 1);
    assert_string_equal (view->questions [0]->question, "And the rent");
    assert_int_equal (view->questions [0]->channel, CASEFLOW__V1__CHANNEL__CHANNEL_WEB);
    assert_string_equal (view->worker_id, "");
    assert_string_equal (view->subject, intake_state_case (harness_state (h), id)->subject->id);
    assert_false (view->erased);

    assert_int_equal (s_get (h, ""), BAD);
    assert_int_equal (s_get (h, "case 1"), BAD);
    assert_int_equal (s_get (h, "case-1"), MISSING);
    assert_int_equal (s_get (h, "C000002"), MISSING);
}

static void
test_list_filters_and_pages (void **state)
{
    harness_t *h = *state;
    //  150 cases: every third urgent, every fifth a walk-in at "west",
    //  even ones about housing.
    for (int i = 0; i < 150; i++) {
        char name [32];
        snprintf (name, sizeof name, "Resident %03d", i);
        harness_reg_t args = {
            .channel = i % 5 == 0 ? CASEFLOW__V1__CHANNEL__CHANNEL_WALK_IN
                                  : CASEFLOW__V1__CHANNEL__CHANNEL_PHONE,
            .location = i % 5 == 0 ? "west" : "",
            .name = name,
            .birth_date = "1990-01-01",
            .domains = { i % 2 == 0 ? CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING
                                    : CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH },
            .n_domains = 1,
            .question = "a question",
            .urgency = i % 3 == 0 ? URGENT : REGULAR,
            .reason = "triaged",
        };
        assert_int_equal (harness_register (h, &args, NULL), OK);
    }
    Caseflow__V1__Intake__ListCases body = CASEFLOW__V1__INTAKE__LIST_CASES__INIT;
    //  Default page of 100, then the rest.
    assert_int_equal (s_list (h, &body), OK);
    const Caseflow__V1__Intake__CaseList *list = harness_query_result (h)->cases;
    assert_int_equal (list->n_cases, 100);
    assert_string_equal (list->cases [0]->case_id, "C000001");
    assert_string_equal (list->next, "C000100");
    //  Summaries: no personal data, no question text.
    assert_null (list->cases [0]->resident);
    assert_string_equal (list->cases [0]->question, "");
    assert_string_equal (list->cases [0]->subject, "");
    char next [24];
    snprintf (next, sizeof next, "%s", list->next);
    body.after = next;
    assert_int_equal (s_list (h, &body), OK);
    list = harness_query_result (h)->cases;
    assert_int_equal (list->n_cases, 50);
    assert_string_equal (list->cases [0]->case_id, "C000101");
    assert_string_equal (list->next, "");
    //  Filters, alone and together, across pages.
    body = (Caseflow__V1__Intake__ListCases) CASEFLOW__V1__INTAKE__LIST_CASES__INIT;
    body.status = URGENT_S;
    body.limit = 1000;
    assert_int_equal (s_list (h, &body), OK);
    assert_int_equal (harness_query_result (h)->cases->n_cases, 50);
    body.location = "west";
    assert_int_equal (s_list (h, &body), OK);
    assert_int_equal (harness_query_result (h)->cases->n_cases, 10);  //  i % 15 == 0
    body.domain = CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING;
    assert_int_equal (s_list (h, &body), OK);
    assert_int_equal (harness_query_result (h)->cases->n_cases, 5);  //  i % 30 == 0
    body.limit = 2;
    assert_int_equal (s_list (h, &body), OK);
    list = harness_query_result (h)->cases;
    assert_int_equal (list->n_cases, 2);
    assert_string_equal (list->cases [0]->case_id, "C000001");
    assert_string_equal (list->cases [1]->case_id, "C000031");
    assert_string_equal (list->next, "C000031");
    body = (Caseflow__V1__Intake__ListCases) CASEFLOW__V1__INTAKE__LIST_CASES__INIT;
    body.channel = CASEFLOW__V1__CHANNEL__CHANNEL_WALK_IN;
    body.limit = 30;
    assert_int_equal (s_list (h, &body), OK);
    assert_int_equal (harness_query_result (h)->cases->n_cases, 30);
    assert_string_equal (harness_query_result (h)->cases->next, "");
    body.channel = CASEFLOW__V1__CHANNEL__CHANNEL_HANDOVER;
    assert_int_equal (s_list (h, &body), OK);
    assert_int_equal (harness_query_result (h)->cases->n_cases, 0);

    //  Bad arguments.
    body = (Caseflow__V1__Intake__ListCases) CASEFLOW__V1__INTAKE__LIST_CASES__INIT;
    body.limit = 1001;
    assert_int_equal (s_list (h, &body), BAD);
    body.limit = 0;
    body.after = "C1";
    assert_int_equal (s_list (h, &body), BAD);
    body.after = "";
    body.status = (Caseflow__V1__CaseStatus) 12;
    assert_int_equal (s_list (h, &body), BAD);
    body.status = 0;
    body.domain = (Caseflow__V1__Domain) 12;
    assert_int_equal (s_list (h, &body), BAD);
    body.domain = 0;
    body.channel = (Caseflow__V1__Channel) 12;
    assert_int_equal (s_list (h, &body), BAD);
}

static void
test_find_resident (void **state)
{
    harness_t *h = *state;
    harness_reg_t args = {
        .channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE,
        .name = "Anna de Vries",
        .birth_date = "1980-05-17",
        .bsn = "111222333",
        .domains = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT },
        .n_domains = 1,
    };
    char id [24];
    assert_int_equal (harness_register (h, &args, id), OK);
    assert_int_equal (s_find (h, "111222333", "", ""), OK);
    assert_string_equal (harness_query_result (h)->case_->case_id, id);
    assert_int_equal (s_find (h, "", "ANNA DE VRIES", "1980-05-17"), OK);
    assert_string_equal (harness_query_result (h)->case_->case_id, id);
    assert_int_equal (s_find (h, "123456782", "", ""), MISSING);
    assert_int_equal (s_find (h, "123456789", "", ""), BAD);
    assert_int_equal (s_find (h, "", "Anna de Vries", ""), BAD);
    assert_int_equal (s_find (h, "", "", "1980-05-17"), BAD);
    assert_int_equal (s_find (h, "", "Anna de Vries", "17-05-1980"), BAD);
    assert_int_equal (harness_close (h, id, "done"), OK);
    assert_int_equal (s_find (h, "111222333", "", ""), MISSING);
}

static void
test_counts_and_tracks (void **state)
{
    harness_t *h = *state;
    char a [24], b [24], c [24];
    harness_new_case (h, "Anna de Vries", REGULAR, a);
    harness_new_case (h, "Bram Jansen", URGENT, b);
    harness_new_case (h, "Cor Smits", CASEFLOW__V1__URGENCY__URGENCY_UNSPECIFIED, c);
    assert_int_equal (harness_close (h, c, "duplicate"), OK);
    Caseflow__V1__Intake__CountByStatus count = CASEFLOW__V1__INTAKE__COUNT_BY_STATUS__INIT;
    Caseflow__V1__Intake__Query query = CASEFLOW__V1__INTAKE__QUERY__INIT;
    query.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_COUNT_BY_STATUS;
    query.count_by_status = &count;
    assert_int_equal (harness_query (h, &query), OK);
    const Caseflow__V1__Intake__StatusCounts *counts = harness_query_result (h)->counts;
    assert_int_equal (counts->n_counts, 6);
    uint64_t expected [7] = { 0, 0, 1, 1, 0, 0, 1 };
    for (size_t i = 0; i < counts->n_counts; i++) {
        assert_int_equal (counts->counts [i]->status, (int) i + 1);
        assert_int_equal (counts->counts [i]->count, expected [i + 1]);
    }

    assert_int_equal (harness_create_track (h, "T2", "Budget", "west", 5, "2022-02-01"), OK);
    assert_int_equal (harness_create_track (h, "T1", "Parenting", "east", 5, "2022-03-01"), OK);
    assert_int_equal (harness_join_track (h, a, "T2"), OK);
    Caseflow__V1__Intake__ListTracks tracks = CASEFLOW__V1__INTAKE__LIST_TRACKS__INIT;
    query.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_LIST_TRACKS;
    query.list_tracks = &tracks;
    assert_int_equal (harness_query (h, &query), OK);
    const Caseflow__V1__Intake__TrackList *list = harness_query_result (h)->tracks;
    assert_int_equal (list->n_tracks, 2);
    assert_string_equal (list->tracks [0]->track_id, "T1");
    assert_string_equal (list->tracks [1]->track_id, "T2");
    assert_int_equal (list->tracks [1]->n_case_ids, 1);
    assert_string_equal (list->tracks [1]->case_ids [0], a);

    query.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY__NOT_SET;
    assert_int_equal (harness_query (h, &query), BAD);
}

static void
test_digest (void **state)
{
    harness_t *h = *state;
    char empty [65], one [65], again [65], other [65];
    harness_digest (h, empty);
    char id [24];
    harness_new_case (h, "Anna de Vries", REGULAR, id);
    harness_digest (h, one);
    assert_string_not_equal (empty, one);
    //  The same events applied to a fresh state give the same digest.
    harness_assert_replay (h);
    //  Another harness taking the same decisions makes another subject, key
    //  and nonces: the digest covers them (the sealed bytes, not the plain
    //  values), so it differs.
    harness_t *second = harness_new ();
    harness_new_case (second, "Anna de Vries", REGULAR, id);
    harness_digest (second, other);
    assert_string_not_equal (one, other);
    harness_destroy (&second);
    //  Any change shows.
    assert_int_equal (
        harness_callback (h, id, CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED,
                          ""),
        OK);
    harness_digest (h, again);
    assert_string_not_equal (one, again);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_get_case, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_list_filters_and_pages, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_find_resident, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_counts_and_tracks, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_digest, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
