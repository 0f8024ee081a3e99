//  test_policy: the assignment policy, rule by rule (assignment_policy.h),
//  through the harness: intake events in, commands, clock moves; decisions
//  checked in the events emitted and in the state. Absences and leaving
//  are in test_absence.c. Every test ends by
//  replaying its journal into a fresh state and comparing digests.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "assignment_harness.h"
#include "cf_log.h"
#include "cf_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY     INT64_C (86400000000)
#define URGENT  ASSIGNMENT_URGENT
#define REGULAR ASSIGNMENT_REGULAR

//  -------------------------------------------------------------- urgent

static void
test_urgent_lowest_load (void **state)
{
    ah_t *h = *state;
    ah_locations (h);
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L1", AH_D (DEBT), 10), 0);
    assert_int_equal (ah_add_worker (h, "w2", 1000, "L1", AH_D (DEBT), 4), 0);
    assert_int_equal (ah_add_worker (h, "w3", 1000, "L1", AH_D (YOUTH), 10), 0);
    //  w1 gets 3 of 10 (30%), w2 gets 1 of 4 (25%) by manual assignment.
    for (int i = 0; i < 3; i++) {
        char id [16];
        snprintf (id, sizeof id, "M%d", i);
        ah_case (h, id, AH_D (DEBT), "L2", REGULAR);
        assert_int_equal (ah_assign (h, id, "w1", "set-up"), 0);
    }
    ah_case (h, "M9", AH_D (DEBT), "L2", REGULAR);
    assert_int_equal (ah_assign (h, "M9", "w2", "set-up"), 0);

    ah_case (h, "C1", AH_D (DEBT), "L1", URGENT);
    const Caseflow__V1__Assignment__CaseAssigned *assigned = ah_step_assigned (h, 0);
    assert_non_null (assigned);
    //  Lowest load relative to capacity wins, not the lowest caseload.
    assert_string_equal (assigned->worker_id, "w2");
    assert_int_equal (assigned->rule, ASSIGNMENT_RULE_BEST_MATCH);
    assert_int_equal (assigned->trigger, ASSIGNMENT_TRIGGER_URGENT);
    assert_false (assigned->over_limit);
    assert_int_equal (assigned->caseload_before, 1);
    assert_int_equal (assigned->capacity, 4);
    assert_int_equal (assigned->eligible_workers, 2);
    assert_int_equal (assigned->urgency, URGENT);
    assert_non_null (strstr (assigned->reason, "urgent"));
    assert_non_null (strstr (assigned->reason, "w2 1/4 (25%)"));
    assert_non_null (strstr (assigned->reason, "next w1 3/10 (30%)"));
    assert_int_equal (ah_step_count (h), 1);
    assert_int_equal (ah_case_get (h, "C1")->status, ASSIGNMENT_ST_ASSIGNED);
    assert_int_equal (ah_position (h, "C1"), 0);
}

static void
test_urgent_ties_by_id (void **state)
{
    ah_t *h = *state;
    ah_locations (h);
    //  Added in reverse order: the id, not the order of joining, decides.
    assert_int_equal (ah_add_worker (h, "w9", 500, "L1", AH_D (HOUSING), 0), 0);
    assert_int_equal (ah_add_worker (h, "w5", 1000, "L1", AH_D (HOUSING), 0), 0);
    assert_int_equal (ah_add_worker (h, "w7", 1000, "L1", AH_D (HOUSING), 0), 0);
    ah_case (h, "C1", AH_D (HOUSING), "L1", URGENT);
    assert_string_equal (ah_worker_of (h, "C1"), "w5");
    //  w5 1/20, w7 0/20, w9 0/10: w7 and w9 tie at 0; w7 wins by id.
    ah_case (h, "C2", AH_D (HOUSING), "L1", URGENT);
    assert_string_equal (ah_worker_of (h, "C2"), "w7");
    ah_case (h, "C3", AH_D (HOUSING), "L1", URGENT);
    assert_string_equal (ah_worker_of (h, "C3"), "w9");
    //  w5 1/20 = w7 1/20 = 5% < w9 1/10.
    ah_case (h, "C4", AH_D (HOUSING), "L1", URGENT);
    assert_string_equal (ah_worker_of (h, "C4"), "w5");
}

static void
test_urgent_over_limit_flagged (void **state)
{
    ah_t *h = *state;
    ah_locations (h);
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L1", AH_D (DEBT), 1), 0);
    assert_int_equal (ah_add_worker (h, "w2", 1000, "L1", AH_D (DEBT), 2), 0);
    ah_case (h, "C1", AH_D (DEBT), "L1", URGENT);
    ah_case (h, "C2", AH_D (DEBT), "L1", URGENT);
    ah_case (h, "C3", AH_D (DEBT), "L1", URGENT);
    //  Everyone is full now (w1 1/1, w2 2/2): the next urgent case goes
    //  above the limit to the lowest load (both 100%: w1 by id).
    assert_string_equal (ah_worker_of (h, "C1"), "w1");
    ah_case (h, "C4", AH_D (DEBT), "L1", URGENT);
    const Caseflow__V1__Assignment__CaseAssigned *assigned = ah_step_assigned (h, 0);
    assert_non_null (assigned);
    assert_string_equal (assigned->worker_id, "w1");
    assert_true (assigned->over_limit);
    assert_int_equal (assigned->caseload_before, 1);
    assert_int_equal (assigned->capacity, 1);
    assert_non_null (strstr (assigned->reason, "above the limit"));
    //  A regular case never goes above the limit: it waits.
    ah_case (h, "C5", AH_D (DEBT), "L1", REGULAR);
    assert_null (ah_worker_of (h, "C5"));
    assert_int_equal (ah_position (h, "C5"), 1);
    assert_int_equal (ah_step_count (h), 0);
}

static void
test_urgent_escalation (void **state)
{
    ah_t *h = *state;
    ah_locations (h);
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L1", AH_D (YOUTH), 0), 0);
    assert_int_equal (ah_add_worker (h, "w2", 1000, "L1", AH_D (DEBT), 0), 0);
    assert_int_equal (ah_absent (h, "w2", 0, 0), 0);
    //  No expertise present: escalated, waits at the head of the list.
    ah_case (h, "C0", AH_D (DEBT), "L1", REGULAR);
    ah_case (h, "C1", AH_D (DEBT), "L1", URGENT);
    const Caseflow__V1__Event *event =
        ah_step_event (h, CASEFLOW__V1__EVENT__BODY_ASSIGNMENT_ESCALATED, 0);
    assert_non_null (event);
    assert_string_equal (event->assignment_escalated->case_id, "C1");
    assert_string_equal (event->case_id, "C1");
    assert_int_equal (event->assignment_escalated->urgency, URGENT);
    assert_int_equal (event->assignment_escalated->trigger, ASSIGNMENT_TRIGGER_URGENT);
    assert_non_null (strstr (event->assignment_escalated->reason, "nobody can take it"));
    assert_non_null (strstr (event->assignment_escalated->reason, "1 matching workers absent"));
    assert_null (ah_step_assigned (h, 0));
    assert_true (ah_case_get (h, "C1")->escalated);
    assert_int_equal (ah_case_get (h, "C1")->status, ASSIGNMENT_ST_URGENT);
    assert_int_equal (ah_position (h, "C1"), 1);
    assert_int_equal (ah_position (h, "C0"), 2);
    //  The explanation says why.
    char text [2048];
    assignment_explain_text (h->state, ah_case_get (h, "C1"), text, sizeof text);
    assert_non_null (strstr (text, "escalated"));
    assert_non_null (strstr (text, "absent"));
    //  The absent worker returns: the escalated case is taken first, then
    //  the regular one.
    assert_int_equal (ah_returned (h, "w2"), 0);
    const Caseflow__V1__Assignment__CaseAssigned *assigned = ah_step_assigned (h, 0);
    assert_non_null (assigned);
    assert_string_equal (assigned->case_id, "C1");
    assert_string_equal (assigned->worker_id, "w2");
    assert_int_equal (assigned->trigger, ASSIGNMENT_TRIGGER_WAITING_LIST);
    assert_int_equal (assigned->waiting_position, 1);
    assert_string_equal (ah_step_assigned (h, 1)->case_id, "C0");
    assert_false (ah_case_get (h, "C1")->escalated);
}

static void
test_escalated_case_taken_above_limit (void **state)
{
    ah_t *h = *state;
    ah_locations (h);
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L1", AH_D (DEBT), 1), 0);
    ah_case (h, "R1", AH_D (DEBT), "L1", REGULAR);
    assert_string_equal (ah_worker_of (h, "R1"), "w1");
    //  w1 is away for a few days (short: R1 stays), and an urgent case
    //  comes in that nobody else can take.
    assert_int_equal (ah_absent (h, "w1", 0, h->now + 3 * DAY), 0);
    ah_case (h, "U1", AH_D (DEBT), "L1", URGENT);
    assert_non_null (ah_step_event (h, CASEFLOW__V1__EVENT__BODY_ASSIGNMENT_ESCALATED, 0));
    //  w1 is back, full: the urgent case is taken above the limit.
    assert_int_equal (ah_returned (h, "w1"), 0);
    const Caseflow__V1__Assignment__CaseAssigned *assigned = ah_step_assigned (h, 0);
    assert_non_null (assigned);
    assert_string_equal (assigned->case_id, "U1");
    assert_true (assigned->over_limit);
    assert_int_equal (assigned->caseload_before, 1);
    //  Nothing to change is refused.
    assert_int_equal (ah_change_worker (h, "w1", 0, 0),
                      CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
}

//  ---------------------------------------------------------- continuity

static void
test_continuity_within_margin (void **state)
{
    ah_t *h = *state;
    ah_locations (h);
    //  w1 has no matching expertise or location: continuity ignores that.
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L2", AH_D (YOUTH), 2), 0);
    assert_int_equal (ah_add_worker (h, "w2", 1000, "L1", AH_D (DEBT), 0), 0);
    for (int i = 0; i < 4; i++) {
        char id [16];
        snprintf (id, sizeof id, "H%d", i);
        ah_register (h, id, AH_D (DEBT), "L1", NULL, "w1");
        ah_triage (h, id, REGULAR);
    }
    //  Limit 2 + margin 2: the first four go to w1 (two of them flagged).
    for (int i = 0; i < 4; i++) {
        char id [16];
        snprintf (id, sizeof id, "H%d", i);
        assert_string_equal (ah_worker_of (h, id), "w1");
        const Caseflow__V1__Assignment__CaseAssigned *assigned = ah_last_assigned (h, id);
        assert_int_equal (assigned->rule, ASSIGNMENT_RULE_CONTINUITY);
        assert_int_equal (assigned->over_limit, i >= 2);
        assert_non_null (strstr (assigned->reason, "named for this resident"));
    }
    //  The fifth is beyond the margin: the best match takes it.
    ah_register (h, "H4", AH_D (DEBT), "L1", NULL, "w1");
    ah_triage (h, "H4", REGULAR);
    assert_string_equal (ah_worker_of (h, "H4"), "w2");
    assert_int_equal (ah_last_assigned (h, "H4")->rule, ASSIGNMENT_RULE_BEST_MATCH);
    //  An urgent case too: beyond the margin it is matched as usual.
    ah_register (h, "U1", AH_D (DEBT), "L1", NULL, "w1");
    ah_triage (h, "U1", URGENT);
    assert_string_equal (ah_worker_of (h, "U1"), "w2");
}

static void
test_continuity_absent_worker (void **state)
{
    ah_t *h = *state;
    ah_locations (h);
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L1", AH_D (DEBT), 0), 0);
    assert_int_equal (ah_add_worker (h, "w2", 1000, "L1", AH_D (DEBT), 0), 0);
    assert_int_equal (ah_absent (h, "w2", 0, 0), 0);
    //  Not present: continuity does not apply.
    ah_register (h, "C1", AH_D (DEBT), "L1", NULL, "w2");
    ah_triage (h, "C1", URGENT);
    assert_string_equal (ah_worker_of (h, "C1"), "w1");
    assert_int_equal (ah_last_assigned (h, "C1")->rule, ASSIGNMENT_RULE_BEST_MATCH);
    //  A preferred worker who is not (yet) on the roster: matched as usual.
    ah_register (h, "C2", AH_D (DEBT), "L1", NULL, "w-new");
    ah_triage (h, "C2", REGULAR);
    assert_string_equal (ah_worker_of (h, "C2"), "w1");
}

//  --------------------------------------------------------------- matching

//  The rule: a worker serves a case when one of the worker's locations is
//  the case's location or one of its areas (the locations intake found
//  serving the resident's district at registration); a case with neither
//  location nor areas is served by everyone.
static void
test_matching_location_and_areas (void **state)
{
    ah_t *h = *state;
    ah_locations (h);
    assert_int_equal (ah_add_location (h, "L3", NULL), 0);
    assert_int_equal (ah_add_location (h, "L4", NULL), 0);
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L1", AH_D (DEBT), 0), 0);
    assert_int_equal (ah_add_worker (h, "w2", 1000, "L2", AH_D (DEBT), 0), 0);
    //  Location match: a walk-in at L2 goes to w2 only.
    ah_case (h, "C1", AH_D (DEBT), "L2", URGENT);
    assert_string_equal (ah_worker_of (h, "C1"), "w2");
    assert_non_null (strstr (ah_last_assigned (h, "C1")->reason, "serving location L2)"));
    //  Area match: no location, area L1: only w1, although w2 has the
    //  lower load now.
    ah_register (h, "C2", AH_D (DEBT), NULL, "L1", NULL);
    ah_triage (h, "C2", URGENT);
    assert_string_equal (ah_worker_of (h, "C2"), "w1");
    assert_non_null (
        strstr (ah_last_assigned (h, "C2")->reason, "(expertise in debt, serving area L1)"));
    //  Any one area is enough: L3 (nobody) or L2 (w2).
    ah_register (h, "C3", AH_D (DEBT), NULL, "L3,L2", NULL);
    ah_triage (h, "C3", URGENT);
    assert_string_equal (ah_worker_of (h, "C3"), "w2");
    assert_non_null (strstr (ah_last_assigned (h, "C3")->reason, "serving area L3, L2"));
    //  Location L2 or area L1: both serve it; w1 has the lower load.
    ah_register (h, "C4", AH_D (DEBT), "L2", "L1", NULL);
    ah_triage (h, "C4", URGENT);
    assert_string_equal (ah_worker_of (h, "C4"), "w1");
    assert_non_null (strstr (ah_last_assigned (h, "C4")->reason, "serving location L2 or area L1"));
    //  Neither: location L3, areas L3 and L4, served by nobody: escalated,
    //  and the explanation names them (L3 once).
    ah_register (h, "C5", AH_D (DEBT), "L3", "L3,L4", NULL);
    ah_triage (h, "C5", URGENT);
    assert_null (ah_worker_of (h, "C5"));
    assert_true (ah_case_get (h, "C5")->escalated);
    char text [2048];
    assignment_explain_text (h->state, ah_case_get (h, "C5"), text, sizeof text);
    assert_non_null (
        strstr (text, "No worker on the roster has expertise in debt and serves location L3 or "
                      "area L4: it waits"));
    //  Areas alone, none of them a worker's: escalated too.
    ah_register (h, "C6", AH_D (DEBT), NULL, "L3", NULL);
    ah_triage (h, "C6", URGENT);
    assert_null (ah_worker_of (h, "C6"));
    assert_true (ah_case_get (h, "C6")->escalated);
    //  No location and no areas (no district given, or no location served
    //  it at registration): everyone with the expertise, so w2, whose
    //  load is the lower once w1 has C7.
    ah_case (h, "C7", AH_D (DEBT), "L1", URGENT);
    assert_string_equal (ah_worker_of (h, "C7"), "w1");
    ah_case (h, "C8", AH_D (DEBT), NULL, URGENT);
    assert_string_equal (ah_worker_of (h, "C8"), "w2");
    assert_non_null (strstr (ah_last_assigned (h, "C8")->reason,
                             "(expertise in debt (no location or area: any location))"));
    //  Any one domain matching is enough.
    ah_case (h, "C9", AH_D (YOUTH) | AH_D (DEBT), "L2", URGENT);
    assert_string_equal (ah_worker_of (h, "C9"), "w2");
}

static void
s_digest (ah_t *h, unsigned char out [crypto_hash_sha256_BYTES])
{
    crypto_hash_sha256_state hash;
    crypto_hash_sha256_init (&hash);
    assignment_state_digest (h->state, &hash);
    crypto_hash_sha256_final (&hash, out);
}

//  The areas are part of the state: the same case with other areas (or
//  the same areas in another order) digests differently.
static void
test_digest_holds_areas (void **state)
{
    (void) state;
    const char *areas [] = { "L1,L2", "L2,L1", "L1", NULL };
    unsigned char digests [4][crypto_hash_sha256_BYTES];
    for (int i = 0; i < 4; i++) {
        ah_t *h = ah_new (NULL);
        ah_register (h, "C1", AH_D (DEBT), NULL, areas [i], NULL);
        s_digest (h, digests [i]);
        ah_destroy (&h);
    }
    for (int i = 0; i < 4; i++)
        for (int k = i + 1; k < 4; k++)
            assert_memory_not_equal (digests [i], digests [k], crypto_hash_sha256_BYTES);
}

//  The words for where a case is served from: the areas that fit, the
//  others counted; the location named once.
#define S_AREA(n) "team:north-east-000000000000000000000000000000000000000000" #n

static const char *
s_reach (ah_t *h, const char *case_id, const char *location, const char *areas, size_t size)
{
    static char text [256];
    ah_register (h, case_id, AH_D (DEBT), location, areas, NULL);
    assert_true (size <= sizeof text);
    return assignment_reach_text (h->state, ah_case_get (h, case_id), text, size);
}

static void
test_reach_text (void **state)
{
    ah_t *h = *state;
    const char *three = S_AREA (0) "," S_AREA (1) "," S_AREA (2);
    assert_string_equal (s_reach (h, "C1", "L1", three, 180),
                         "location L1 or area " S_AREA (0) ", " S_AREA (1) " and 1 more");
    //  Each area written leaves room to count the rest.
    assert_string_equal (s_reach (h, "C2", "L1", three, 140),
                         "location L1 or area " S_AREA (0) " and 2 more");
    assert_string_equal (s_reach (h, "C3", "L1", S_AREA (0) "," S_AREA (1), 180),
                         "location L1 or area " S_AREA (0) ", " S_AREA (1));
    assert_string_equal (s_reach (h, "C4", NULL, S_AREA (0), 180), "area " S_AREA (0));
    assert_string_equal (s_reach (h, "C5", "L1", NULL, 180), "location L1");
    assert_string_equal (s_reach (h, "C6", NULL, NULL, 180), "");
    //  The location among the areas is named once.
    assert_string_equal (s_reach (h, "C7", "L1", "L0,L1,L2", 180), "location L1 or area L0, L2");
    assert_string_equal (s_reach (h, "C8", "L1", "L1,L2", 180), "location L1 or area L2");
    assert_string_equal (s_reach (h, "C9", "L1", "L1", 180), "location L1");
}

static void
test_question_added_makes_match (void **state)
{
    ah_t *h = *state;
    ah_locations (h);
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L1", AH_D (HOUSING), 0), 0);
    ah_case (h, "C1", AH_D (DEBT), "L1", REGULAR);
    assert_null (ah_worker_of (h, "C1"));
    //  A second registration of the resident adds housing: now w1 matches.
    ah_question (h, "C1", AH_D (HOUSING));
    assert_string_equal (ah_worker_of (h, "C1"), "w1");
}

//  -------------------------------------------------------- waiting list

static void
test_waiting_order (void **state)
{
    ah_t *h = *state;
    ah_locations (h);
    //  Triage times: C3 first, then C1 and C2 at the same moment.
    ah_register (h, "C1", AH_D (DEBT), "L1", NULL, NULL);
    ah_register (h, "C2", AH_D (DEBT), "L1", NULL, NULL);
    ah_register (h, "C3", AH_D (DEBT), "L1", NULL, NULL);
    ah_triage (h, "C3", REGULAR);
    h->now += 1000;
    ah_triage (h, "C2", REGULAR);
    ah_triage (h, "C1", REGULAR);
    assert_int_equal (ah_position (h, "C3"), 1);
    assert_int_equal (ah_position (h, "C1"), 2);  //  same time: by case id
    assert_int_equal (ah_position (h, "C2"), 3);
    //  An urgent case nobody can take goes first.
    h->now += 1000;
    ah_case (h, "C4", AH_D (DEBT), "L1", URGENT);
    assert_int_equal (ah_position (h, "C4"), 1);
    assert_int_equal (ah_position (h, "C3"), 2);
    //  Re-triage keeps the first triage time: C4 back to regular lands
    //  last (latest triage), C3 re-triaged regular stays first.
    h->now += 1000;
    ah_triage (h, "C4", REGULAR);
    ah_triage (h, "C3", REGULAR);
    assert_int_equal (ah_position (h, "C3"), 1);
    assert_int_equal (ah_position (h, "C4"), 4);
    assert_false (ah_case_get (h, "C4")->escalated);
    //  The query shows positions and waiting days.
    Caseflow__V1__Assignment__Waiting query = CASEFLOW__V1__ASSIGNMENT__WAITING__INIT;
    query.limit = 2;
    Caseflow__V1__Assignment__Query wrapper = CASEFLOW__V1__ASSIGNMENT__QUERY__INIT;
    wrapper.body_case = CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_WAITING;
    wrapper.waiting = &query;
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "q");
    assignment_query (h->state, AH_START + 15 * DAY + 1, &wrapper, &reply);
    assert_null (reply.status);
    Caseflow__V1__Assignment__WaitingList *list = reply.query->assignment->waiting;
    assert_int_equal (list->total, 4);
    assert_int_equal (list->n_entries, 2);
    assert_string_equal (list->entries [0]->case_id, "C3");
    assert_int_equal (list->entries [0]->position, 1);
    assert_int_equal (list->entries [0]->waiting_days, 15);
    assert_int_equal (list->entries [0]->urgency, REGULAR);
    assert_string_equal (list->entries [1]->case_id, "C1");
    cf_api_reply_clear (&reply);
    //  Closing a waiting case takes it off the list.
    ah_close (h, "C1");
    assert_int_equal (ah_position (h, "C1"), 0);
    assert_int_equal (ah_position (h, "C2"), 2);
    assert_int_equal (ah_case_get (h, "C1")->status, ASSIGNMENT_ST_CLOSED);
}

static void
test_retriage_urgent_assigns_at_once (void **state)
{
    ah_t *h = *state;
    ah_locations (h);
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L1", AH_D (DEBT), 1), 0);
    ah_case (h, "C1", AH_D (DEBT), "L1", REGULAR);
    ah_case (h, "C2", AH_D (DEBT), "L1", REGULAR);
    assert_string_equal (ah_worker_of (h, "C1"), "w1");
    assert_null (ah_worker_of (h, "C2"));
    ah_triage (h, "C2", URGENT);
    const Caseflow__V1__Assignment__CaseAssigned *assigned = ah_step_assigned (h, 0);
    assert_non_null (assigned);
    assert_string_equal (assigned->case_id, "C2");
    assert_int_equal (assigned->trigger, ASSIGNMENT_TRIGGER_URGENT);
    assert_true (assigned->over_limit);
    assert_int_equal (assigned->waiting_position, 1);
}

static void
test_capacity_frees_in_order (void **state)
{
    ah_t *h = *state;
    ah_locations (h);
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L1", AH_D (DEBT), 2), 0);
    for (int i = 1; i <= 6; i++) {
        char id [16];
        snprintf (id, sizeof id, "C%d", i);
        h->now += 1000;
        ah_case (h, id, AH_D (DEBT), "L1", REGULAR);
    }
    assert_string_equal (ah_worker_of (h, "C1"), "w1");
    assert_string_equal (ah_worker_of (h, "C2"), "w1");
    assert_int_equal (ah_position (h, "C3"), 1);
    //  A completed case frees a place: the head of the list takes it.
    assert_int_equal (ah_start (h, "C1"), 0);
    assert_int_equal (ah_complete (h, "C1", "helped"), 0);
    const Caseflow__V1__Assignment__CaseAssigned *assigned = ah_step_assigned (h, 0);
    assert_string_equal (assigned->case_id, "C3");
    assert_int_equal (assigned->trigger, ASSIGNMENT_TRIGGER_WAITING_LIST);
    assert_int_equal (assigned->waiting_position, 1);
    assert_non_null (strstr (assigned->reason, "C1 completed by w1"));
    //  A case closed at intake frees one too.
    ah_close (h, "C2");
    assert_string_equal (ah_worker_of (h, "C4"), "w1");
    //  More FTE: more room (a personal limit of 4 now).
    assert_int_equal (ah_change_worker (h, "w1", 0, 4), 0);
    assert_string_equal (ah_worker_of (h, "C5"), "w1");
    assert_string_equal (ah_worker_of (h, "C6"), "w1");
    //  A new worker joins and takes from the list: nothing left.
    ah_case (h, "C7", AH_D (DEBT), "L1", REGULAR);
    assert_null (ah_worker_of (h, "C7"));
    assert_int_equal (ah_add_worker (h, "w2", 500, "L1", AH_D (DEBT), 0), 0);
    assert_string_equal (ah_worker_of (h, "C7"), "w2");
    assert_int_equal (h->state->waiting.count, 0);
}

static void
test_unmatched_head_does_not_block (void **state)
{
    ah_t *h = *state;
    ah_locations (h);
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L1", AH_D (DEBT), 1), 0);
    ah_case (h, "C0", AH_D (DEBT), "L1", REGULAR);
    h->now += 1000;
    ah_case (h, "C1", AH_D (YOUTH), "L1", REGULAR);  //  nobody has youth
    h->now += 1000;
    ah_case (h, "C2", AH_D (DEBT), "L2", REGULAR);  //  nobody serves L2
    h->now += 1000;
    ah_case (h, "C3", AH_D (DEBT), "L1", REGULAR);
    assert_int_equal (ah_position (h, "C1"), 1);
    assert_int_equal (ah_start (h, "C0"), 0);
    assert_int_equal (ah_complete (h, "C0", "done"), 0);
    //  C1 and C2 cannot be matched: C3, behind them, is assigned.
    assert_string_equal (ah_worker_of (h, "C3"), "w1");
    assert_int_equal (ah_last_assigned (h, "C3")->waiting_position, 3);
    assert_int_equal (ah_position (h, "C1"), 1);
    assert_int_equal (ah_position (h, "C2"), 2);
    char text [2048];
    assignment_explain_text (h->state, ah_case_get (h, "C1"), text, sizeof text);
    assert_non_null (strstr (text, "No worker on the roster has expertise in youth"));
}

//  --------------------------------------------------------------- manual

static void
test_manual_assign_and_reassign (void **state)
{
    ah_t *h = *state;
    ah_locations (h);
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L1", AH_D (DEBT), 1), 0);
    assert_int_equal (ah_add_worker (h, "w2", 1000, "L2", AH_D (YOUTH), 1), 0);
    ah_case (h, "C1", AH_D (DEBT), "L1", REGULAR);
    ah_case (h, "C2", AH_D (DEBT), "L1", REGULAR);
    assert_string_equal (ah_worker_of (h, "C1"), "w1");
    //  The operator moves C1 to w2 (no matching needed): w1's place goes
    //  to C2, the head of the list.
    assert_int_equal (ah_assign (h, "C1", "w2", "knows the family"), 0);
    const Caseflow__V1__Assignment__CaseAssigned *manual = ah_step_assigned (h, 0);
    assert_string_equal (manual->case_id, "C1");
    assert_int_equal (manual->rule, ASSIGNMENT_RULE_MANUAL);
    assert_int_equal (manual->trigger, ASSIGNMENT_TRIGGER_MANUAL);
    assert_string_equal (manual->previous_worker, "w1");
    assert_non_null (strstr (manual->reason, "knows the family"));
    assert_string_equal (ah_step_assigned (h, 1)->case_id, "C2");
    //  Above the limit is allowed for an operator, and flagged.
    ah_case (h, "C3", AH_D (DEBT), "L1", REGULAR);
    assert_int_equal (ah_assign (h, "C3", "w2", "team lead's call"), 0);
    assert_true (ah_step_assigned (h, 0)->over_limit);
    assert_int_equal (ah_position (h, "C3"), 0);
    //  History of C1: queued, assigned, reassigned.
    assignment_case_t *kase = ah_case_get (h, "C1");
    assert_int_equal (kase->n_history, 3);
    assert_int_equal (kase->history [0].kind, ASSIGNMENT_HISTORY_QUEUED);
    assert_int_equal (kase->history [2].rule, ASSIGNMENT_RULE_MANUAL);
}

static void
test_start_complete (void **state)
{
    ah_t *h = *state;
    ah_locations (h);
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L1", AH_D (DEBT), 0), 0);
    ah_case (h, "C1", AH_D (DEBT), "L1", REGULAR);
    assert_int_equal (ah_complete (h, "C1", "too early"),
                      CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION);
    assert_non_null (strstr (h->message, "assigned"));
    assert_int_equal (ah_start (h, "C1"), 0);
    assert_int_equal (ah_case_get (h, "C1")->status, ASSIGNMENT_ST_ACTIVE);
    assert_int_equal (ah_start (h, "C1"), CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION);
    assert_int_equal (ah_complete (h, "C1", "debts settled"), 0);
    assignment_case_t *kase = ah_case_get (h, "C1");
    assert_int_equal (kase->status, ASSIGNMENT_ST_CLOSED);
    assert_string_equal (kase->outcome, "debts settled");
    assert_int_equal (h->state->workers [0]->n_cases, 0);
    //  Intake's closure that follows changes nothing more.
    ah_close (h, "C1");
    assert_int_equal (ah_step_count (h), 0);
    assert_int_equal (kase->n_history, 4);
}

//  --------------------------------------------------- fairness and order

//  A few hundred regular cases with mixed domains and locations wait for
//  a small roster; capacity frees one place at a time. Every case a worker
//  takes must be the first waiting case that worker can take, and the
//  assignments of each kind of case must follow triage order.
static void
test_fairness_hundreds (void **state)
{
    ah_t *h = *state;
    ah_locations (h);
    assert_int_equal (ah_add_worker (h, "w1", 1000, "L1", AH_D (DEBT) | AH_D (HOUSING), 5), 0);
    assert_int_equal (ah_add_worker (h, "w2", 1000, "L2", AH_D (DEBT), 5), 0);
    assert_int_equal (ah_add_worker (h, "w3", 800, "L1,L2", AH_D (YOUTH), 4), 0);
    const uint32_t domains [] = { AH_D (DEBT), AH_D (HOUSING), AH_D (YOUTH), AH_D (DEBT) };
    const char *locations [] = { "L1", "L2", "L1", "L2", "L2" };
    enum { N = 400 };
    for (int i = 0; i < N; i++) {
        char id [16];
        snprintf (id, sizeof id, "C%04d", (i * 7919) % N);  //  ids not in triage order
        h->now += 1000 * (i % 3);                           //  some triaged together
        ah_case (h, id, domains [i % 4], locations [i % 5], REGULAR);
    }
    size_t assigned_total = 0;
    //  Complete the oldest open case of each worker in turn until the list
    //  is empty or nobody can take what is left.
    for (int round = 0; round < 2 * N && h->state->waiting.count; round++) {
        assignment_worker_t *worker = h->state->workers [round % 3];
        if (worker->n_cases == 0)
            continue;
        //  Before the step: the first waiting case this worker can take.
        assignment_case_t *expected = NULL;
        for (size_t i = 0; i < h->state->waiting.count && !expected; i++)
            if (assignment_matches (worker, h->state->waiting.items [i]))
                expected = h->state->waiting.items [i];
        const char *case_id = worker->cases [0]->id;
        char done [16];
        snprintf (done, sizeof done, "%s", case_id);
        assert_int_equal (ah_start (h, done), 0);
        assert_int_equal (ah_complete (h, done, "done"), 0);
        const Caseflow__V1__Assignment__CaseAssigned *assigned = ah_step_assigned (h, 0);
        if (!expected) {
            assert_null (assigned);
            continue;
        }
        assert_non_null (assigned);
        assert_string_equal (assigned->case_id, expected->id);
        assert_string_equal (assigned->worker_id, worker->id);
        assert_null (ah_step_assigned (h, 1));
        assigned_total++;
    }
    assert_true (assigned_total > 300);
    //  Within each kind of case (domains and location), the journal shows
    //  the assignments in triage order.
    struct {
        uint32_t mask;
        char location [8];
        int64_t triaged_at;
        char id [16];
    } kinds [16];
    size_t n_kinds = 0;
    for (size_t i = 0; i < h->n_journal; i++) {
        const Caseflow__V1__Event *event = h->journal [i];
        if (event->body_case != CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED)
            continue;
        assignment_case_t *kase = ah_case_get (h, event->case_assigned->case_id);
        size_t k = 0;
        while (
            k < n_kinds
            && (kinds [k].mask != kase->domain_mask || strcmp (kinds [k].location, kase->location)))
            k++;
        if (k == n_kinds) {
            assert_true (n_kinds < 16);
            kinds [k].mask = kase->domain_mask;
            snprintf (kinds [k].location, sizeof kinds [k].location, "%s", kase->location);
            kinds [k].triaged_at = INT64_MIN;
            kinds [k].id [0] = 0;
            n_kinds++;
        }
        assert_true (
            kase->triaged_at > kinds [k].triaged_at
            || (kase->triaged_at == kinds [k].triaged_at && strcmp (kase->id, kinds [k].id) > 0));
        kinds [k].triaged_at = kase->triaged_at;
        snprintf (kinds [k].id, sizeof kinds [k].id, "%s", kase->id);
    }
    assert_int_equal (n_kinds, 5);
}

//  Deciding twice from the same events gives the same decisions.
static void
test_deterministic (void **state)
{
    (void) state;
    char digests [2][65];
    for (int run = 0; run < 2; run++) {
        ah_t *h = ah_new (NULL);
        ah_locations (h);
        for (int w = 0; w < 6; w++) {
            char id [16];
            snprintf (id, sizeof id, "w%d", 5 - w);
            assert_int_equal (ah_add_worker (h, id, 500 + 100 * (uint32_t) w, w % 2 ? "L1" : "L2",
                                             AH_D (DEBT) | AH_D (YOUTH), 0),
                              0);
        }
        for (int i = 0; i < 120; i++) {
            char id [16];
            snprintf (id, sizeof id, "C%03d", i);
            ah_case (h, id, i % 2 ? AH_D (DEBT) : AH_D (YOUTH), i % 3 ? "L1" : "L2",
                     i % 7 ? REGULAR : URGENT);
        }
        assert_int_equal (ah_absent (h, "w3", 0, 0), 0);
        crypto_hash_sha256_state hash;
        crypto_hash_sha256_init (&hash);
        assignment_state_digest (h->state, &hash);
        unsigned char sum [crypto_hash_sha256_BYTES];
        crypto_hash_sha256_final (&hash, sum);
        sodium_bin2hex (digests [run], sizeof digests [run], sum, sizeof sum);
        ah_assert_replay_equal (h);
        ah_destroy (&h);
    }
    assert_string_equal (digests [0], digests [1]);
}

int
main (void)
{
    cf_log_init ("assignment-test", CF_LOG_WARN);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_urgent_lowest_load, ah_setup, ah_teardown),
        cmocka_unit_test_setup_teardown (test_urgent_ties_by_id, ah_setup, ah_teardown),
        cmocka_unit_test_setup_teardown (test_urgent_over_limit_flagged, ah_setup, ah_teardown),
        cmocka_unit_test_setup_teardown (test_urgent_escalation, ah_setup, ah_teardown),
        cmocka_unit_test_setup_teardown (test_escalated_case_taken_above_limit, ah_setup,
                                         ah_teardown),
        cmocka_unit_test_setup_teardown (test_continuity_within_margin, ah_setup, ah_teardown),
        cmocka_unit_test_setup_teardown (test_continuity_absent_worker, ah_setup, ah_teardown),
        cmocka_unit_test_setup_teardown (test_matching_location_and_areas, ah_setup, ah_teardown),
        cmocka_unit_test_setup_teardown (test_reach_text, ah_setup, ah_teardown),
        cmocka_unit_test (test_digest_holds_areas),
        cmocka_unit_test_setup_teardown (test_question_added_makes_match, ah_setup, ah_teardown),
        cmocka_unit_test_setup_teardown (test_waiting_order, ah_setup, ah_teardown),
        cmocka_unit_test_setup_teardown (test_retriage_urgent_assigns_at_once, ah_setup,
                                         ah_teardown),
        cmocka_unit_test_setup_teardown (test_capacity_frees_in_order, ah_setup, ah_teardown),
        cmocka_unit_test_setup_teardown (test_unmatched_head_does_not_block, ah_setup, ah_teardown),
        cmocka_unit_test_setup_teardown (test_manual_assign_and_reassign, ah_setup, ah_teardown),
        cmocka_unit_test_setup_teardown (test_start_complete, ah_setup, ah_teardown),
        cmocka_unit_test_setup_teardown (test_fairness_hundreds, ah_setup, ah_teardown),
        cmocka_unit_test (test_deterministic),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
