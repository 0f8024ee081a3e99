//  assignment_policy: who gets which case, and why (see the header for the
//  rules).
//
//  Filling the waiting list is one pass from its head. It stays cheap with
//  a long list because of an invariant the pass itself keeps: after every
//  step, no waiting case can be given to any worker (nobody eligible with
//  room, continuity worker absent or beyond the margin). So a pass only
//  has to look at the workers that have room now (usually none or the one
//  that just freed a place), and it can stop as soon as none is left and
//  no waiting case names a continuity worker; urgent waiting cases, which
//  may go above the limit, sit at the head and are always looked at.
//  Assigning only ever takes room away, so a case passed over earlier in
//  the same pass stays unassignable: one pass is enough.
#include "assignment_policy.h"

#include "cf_time.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_REASON_SIZE 1024

bool
assignment_absence_is_long (const assignment_state_t *state, int64_t from, int64_t until)
{
    return until == 0 || until - from > state->config.long_absence;
}

char *
assignment_load_text (const assignment_state_t *state, const assignment_worker_t *worker, char *buf,
                      size_t size)
{
    uint32_t caseload = assignment_caseload (worker);
    uint32_t capacity = assignment_capacity (state, worker);
    snprintf (buf, size, "%s %u/%u (%u%%)", worker->id, caseload, capacity,
              (unsigned) ((uint64_t) caseload * 100 / capacity));
    return buf;
}

//  ------------------------------------------------------------ choosing

//  True when `a` carries a lower load than `b` (ties: lower id).
static bool
s_lighter (const assignment_state_t *state, const assignment_worker_t *a,
           const assignment_worker_t *b)
{
    uint64_t load_a = (uint64_t) assignment_caseload (a) * assignment_capacity (state, b);
    uint64_t load_b = (uint64_t) assignment_caseload (b) * assignment_capacity (state, a);
    if (load_a != load_b)
        return load_a < load_b;
    return strcmp (a->id, b->id) < 0;
}

static bool
s_has_room (const assignment_state_t *state, const assignment_worker_t *worker)
{
    return assignment_caseload (worker) < assignment_capacity (state, worker);
}

typedef struct {
    assignment_worker_t *best;  //  lowest load, with room if any has room
    assignment_worker_t *next;  //  the runner-up (for the reason)
    uint32_t eligible;          //  present and matching
    uint32_t with_room;
    uint32_t absent;  //  matching but absent (not left)
} s_choice_t;

//  Looks at the workers in `workers` (count `count`) for `kase`. With
//  `need_room`, only workers with room can be best; otherwise workers with
//  room are preferred, and the lightest of all is taken when none has room.
static void
s_choose (const assignment_state_t *state, assignment_worker_t *const *workers, size_t count,
          const assignment_case_t *kase, bool need_room, s_choice_t *choice)
{
    memset (choice, 0, sizeof *choice);
    assignment_worker_t *best_room = NULL, *next_room = NULL;
    assignment_worker_t *best_any = NULL, *next_any = NULL;
    for (size_t i = 0; i < count; i++) {
        assignment_worker_t *worker = workers [i];
        if (worker->left || !assignment_matches (worker, kase))
            continue;
        if (worker->absent) {
            choice->absent++;
            continue;
        }
        choice->eligible++;
        if (s_has_room (state, worker)) {
            choice->with_room++;
            if (!best_room || s_lighter (state, worker, best_room)) {
                next_room = best_room;
                best_room = worker;
            } else if (!next_room || s_lighter (state, worker, next_room))
                next_room = worker;
        }
        if (!best_any || s_lighter (state, worker, best_any)) {
            next_any = best_any;
            best_any = worker;
        } else if (!next_any || s_lighter (state, worker, next_any))
            next_any = worker;
    }
    if (best_room) {
        choice->best = best_room;
        choice->next = next_room;
    } else if (!need_room) {
        choice->best = best_any;
        choice->next = next_any;
    }
}

//  The continuity worker when they may take the case now: present and
//  below capacity + margin.
static assignment_worker_t *
s_continuity (assignment_state_t *state, const assignment_case_t *kase)
{
    if (!kase->preferred_worker && !kase->previous_worker)
        return NULL;
    assignment_worker_t *worker = assignment_continuity_worker (state, kase);
    if (!worker || !assignment_present (worker))
        return NULL;
    uint64_t limit =
        (uint64_t) assignment_capacity (state, worker) + state->config.continuity_margin;
    return assignment_caseload (worker) < limit ? worker : NULL;
}

//  ------------------------------------------------------------- emitting

typedef struct {
    assignment_worker_t *worker;
    Caseflow__V1__Assignment__AssignmentRule rule;
    Caseflow__V1__Assignment__AssignmentTrigger trigger;
    uint32_t eligible;
    uint32_t position;  //  on the waiting list, 1 = head; 0: not on it
    const char *reason;
} s_decision_t;

static void
s_emit_assigned (assignment_state_t *state, cf_decider_t *decider, assignment_case_t *kase,
                 const s_decision_t *decision)
{
    assignment_worker_t *worker = decision->worker;
    Caseflow__V1__Assignment__CaseAssigned body = CASEFLOW__V1__ASSIGNMENT__CASE_ASSIGNED__INIT;
    body.case_id = kase->id;
    body.worker_id = worker->id;
    body.rule = decision->rule;
    body.reason = (char *) decision->reason;
    body.caseload_before = assignment_caseload (worker);
    body.capacity = assignment_capacity (state, worker);
    body.over_limit = body.caseload_before >= body.capacity;
    if (assignment_case_has_worker (kase) && kase->worker)
        body.previous_worker = kase->worker->id;
    body.urgency = kase->urgency;
    body.trigger = decision->trigger;
    body.eligible_workers = decision->eligible;
    body.waiting_position = decision->position;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = kase->id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED;
    event.case_assigned = &body;
    cf_decider_emit (decider, &event);
}

static void
s_emit_unassigned (cf_decider_t *decider, assignment_case_t *kase,
                   Caseflow__V1__Assignment__AssignmentTrigger trigger, const char *reason)
{
    Caseflow__V1__Assignment__CaseUnassigned body = CASEFLOW__V1__ASSIGNMENT__CASE_UNASSIGNED__INIT;
    body.case_id = kase->id;
    body.worker_id = kase->worker->id;
    body.reason = (char *) reason;
    body.urgency = kase->urgency;
    body.trigger = trigger;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = kase->id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED;
    event.case_unassigned = &body;
    cf_decider_emit (decider, &event);
}

static void
s_emit_escalated (cf_decider_t *decider, assignment_case_t *kase, const char *previous,
                  Caseflow__V1__Assignment__AssignmentTrigger trigger, const char *reason)
{
    Caseflow__V1__Assignment__AssignmentEscalated body =
        CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_ESCALATED__INIT;
    body.case_id = kase->id;
    body.reason = (char *) reason;
    body.urgency = kase->urgency;
    body.previous_worker = (char *) (previous ? previous : "");
    body.trigger = trigger;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = kase->id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_ASSIGNMENT_ESCALATED;
    event.assignment_escalated = &body;
    cf_decider_emit (decider, &event);
}

//  --------------------------------------------------------------- reasons

static const char *
s_continuity_source (const assignment_case_t *kase, const assignment_worker_t *worker)
{
    if (kase->preferred_worker && strcmp (kase->preferred_worker, worker->id) == 0)
        return "the worker named for this resident at registration";
    return "the resident's worker before an absence";
}

static void
s_reason_continuity (const assignment_state_t *state, const assignment_case_t *kase,
                     const assignment_worker_t *worker, const char *prefix, char *buf, size_t size)
{
    uint32_t caseload = assignment_caseload (worker);
    uint32_t capacity = assignment_capacity (state, worker);
    snprintf (buf, size,
              "%scontinuity: %s is %s and present; caseload %u, limit %u + continuity "
              "margin %u%s",
              prefix, worker->id, s_continuity_source (kase, worker), caseload, capacity,
              state->config.continuity_margin,
              caseload >= capacity ? "; above the limit, flagged" : "");
}

//  "expertise in debt, housing, serving location L1 or area L2, L3" (`buf`: at
//  least 320 bytes, room for the longest domains and reach texts)
static void
s_match_text (const assignment_state_t *state, const assignment_case_t *kase, char *buf,
              size_t size)
{
    char domains [128], reach [160];
    assignment_domains_text (kase->domain_mask, domains, sizeof domains);
    assignment_reach_text (state, kase, reach, sizeof reach);
    if (*reach)
        snprintf (buf, size, "expertise in %s, serving %s", domains, reach);
    else
        snprintf (buf, size, "expertise in %s (no location or area: any location)", domains);
}

static void
s_reason_best (const assignment_state_t *state, const assignment_case_t *kase,
               const s_choice_t *choice, const char *prefix, char *buf, size_t size)
{
    char match [320], best [96], next [128] = "";
    s_match_text (state, kase, match, sizeof match);
    assignment_load_text (state, choice->best, best, sizeof best);
    if (choice->next) {
        char load [96];
        snprintf (next, sizeof next, "; next %s",
                  assignment_load_text (state, choice->next, load, sizeof load));
    }
    if (s_has_room (state, choice->best))
        snprintf (buf, size,
                  "%s%s has the lowest load of the %u eligible workers with room (%s): %s%s",
                  prefix, choice->best->id, choice->with_room, match, best, next);
    else
        snprintf (buf, size,
                  "%sall %u eligible workers (%s) are at their limit; %s has the lowest load "
                  "and takes it above the limit, flagged: %s%s",
                  prefix, choice->eligible, match, choice->best->id, best, next);
}

static void
s_reason_escalated (const assignment_state_t *state, const assignment_case_t *kase,
                    const s_choice_t *choice, const char *prefix, char *buf, size_t size)
{
    char match [320];
    s_match_text (state, kase, match, sizeof match);
    snprintf (buf, size,
              "%surgent and nobody can take it: no present worker with %s (%u matching "
              "workers absent); waits at the head of the waiting list",
              prefix, match, choice->absent);
}

//  ------------------------------------------------------------- deciding

//  Decides an urgent case: continuity, best with room, best above the
//  limit, else escalation (or, with `escalate` false, nothing). The case
//  is on the waiting list, or assigned to `from` (absent or left).
//  Returns true when it was assigned.
static bool
s_decide_urgent (assignment_state_t *state, cf_decider_t *decider, assignment_case_t *kase,
                 Caseflow__V1__Assignment__AssignmentTrigger trigger, const char *prefix,
                 bool escalate)
{
    char reason [S_REASON_SIZE];
    long index = assignment_waiting_index (&state->waiting, kase);
    s_decision_t decision = { .trigger = trigger,
                              .position = index >= 0 ? (uint32_t) index + 1 : 0,
                              .reason = reason };
    assignment_worker_t *continuity = s_continuity (state, kase);
    if (continuity) {
        s_reason_continuity (state, kase, continuity, prefix, reason, sizeof reason);
        decision.worker = continuity;
        decision.rule = ASSIGNMENT_RULE_CONTINUITY;
        s_emit_assigned (state, decider, kase, &decision);
        return true;
    }
    s_choice_t choice;
    s_choose (state, state->workers, state->n_workers, kase, false, &choice);
    if (choice.best) {
        s_reason_best (state, kase, &choice, prefix, reason, sizeof reason);
        decision.worker = choice.best;
        decision.rule = ASSIGNMENT_RULE_BEST_MATCH;
        decision.eligible = choice.eligible;
        s_emit_assigned (state, decider, kase, &decision);
        return true;
    }
    if (!escalate)
        return false;
    s_reason_escalated (state, kase, &choice, prefix, reason, sizeof reason);
    const char *previous = NULL;
    if (assignment_case_has_worker (kase)) {
        //  Taken from an absent or leaving worker: back to the list first.
        previous = kase->worker->id;
        s_emit_unassigned (decider, kase, trigger, reason);
    }
    s_emit_escalated (decider, kase, previous, trigger, reason);
    return false;
}

void
assignment_decide_urgent (assignment_state_t *state, cf_decider_t *decider, assignment_case_t *kase)
{
    assert (kase->waiting && kase->urgency == ASSIGNMENT_URGENT);
    s_decide_urgent (state, decider, kase, ASSIGNMENT_TRIGGER_URGENT,
                     "urgent, assigned at once: ", true);
}

void
assignment_assign_manual (assignment_state_t *state, cf_decider_t *decider, assignment_case_t *kase,
                          assignment_worker_t *worker, const char *operator_reason)
{
    char reason [S_REASON_SIZE], load [96];
    assignment_load_text (state, worker, load, sizeof load);
    snprintf (reason, sizeof reason, "manual, by an operator: %s; %s%s", operator_reason, load,
              s_has_room (state, worker) ? "" : "; above the limit, flagged");
    long index = assignment_waiting_index (&state->waiting, kase);
    s_decision_t decision = { .worker = worker,
                              .rule = ASSIGNMENT_RULE_MANUAL,
                              .trigger = ASSIGNMENT_TRIGGER_MANUAL,
                              .position = index >= 0 ? (uint32_t) index + 1 : 0,
                              .reason = reason };
    s_emit_assigned (state, decider, kase, &decision);
}

void
assignment_reassign_urgent (assignment_state_t *state, cf_decider_t *decider,
                            assignment_case_t *kase)
{
    assert (assignment_case_has_worker (kase) && kase->worker->absent
            && kase->urgency == ASSIGNMENT_URGENT);
    char prefix [192];
    snprintf (
        prefix, sizeof prefix,
        "re-triaged urgent while %s is absent: urgent case reassigned at once: ", kase->worker->id);
    s_decide_urgent (state, decider, kase, ASSIGNMENT_TRIGGER_ABSENCE, prefix, true);
}

//  The workers with room now (present, caseload below capacity), id order;
//  with `only`, that worker alone (if it has room).
static size_t
s_collect_room (const assignment_state_t *state, const assignment_worker_t *only,
                assignment_worker_t **out)
{
    size_t count = 0;
    for (size_t i = 0; i < state->n_workers; i++) {
        assignment_worker_t *worker = state->workers [i];
        if ((!only || worker == only) && assignment_present (worker) && s_has_room (state, worker))
            out [count++] = worker;
    }
    return count;
}

//  True when `worker` is the continuity worker the case names.
static bool
s_names (const assignment_case_t *kase, const assignment_worker_t *worker)
{
    return (kase->preferred_worker && strcmp (kase->preferred_worker, worker->id) == 0)
           || (kase->previous_worker && strcmp (kase->previous_worker, worker->id) == 0);
}

static void
s_prefix (char *buf, size_t size, size_t index, size_t count, const char *cause)
{
    snprintf (buf, size, "waiting list, position %zu of %zu (%s): ", index + 1, count, cause);
}

//  Decides one waiting regular case (at `index` on the list) against the
//  workers in `room`. Returns true when it was assigned. Cheap when nobody
//  can take it: the words are only written for a decision.
static bool
s_decide_regular (assignment_state_t *state, cf_decider_t *decider, assignment_case_t *kase,
                  size_t index, assignment_worker_t *const *room, size_t n_room, const char *cause)
{
    assignment_worker_t *continuity = s_continuity (state, kase);
    s_choice_t choice;
    if (!continuity) {
        if (n_room == 0)
            return false;
        s_choose (state, room, n_room, kase, true, &choice);
        if (!choice.best)
            return false;
    }
    char prefix [256], reason [S_REASON_SIZE];
    s_prefix (prefix, sizeof prefix, index, state->waiting.count, cause);
    s_decision_t decision = { .trigger = ASSIGNMENT_TRIGGER_WAITING_LIST,
                              .position = (uint32_t) index + 1,
                              .reason = reason };
    if (continuity) {
        s_reason_continuity (state, kase, continuity, prefix, reason, sizeof reason);
        decision.worker = continuity;
        decision.rule = ASSIGNMENT_RULE_CONTINUITY;
    } else {
        //  The figures name every eligible worker, not only those with room.
        s_choice_t all;
        s_choose (state, state->workers, state->n_workers, kase, true, &all);
        s_reason_best (state, kase, &all, prefix, reason, sizeof reason);
        decision.worker = all.best;
        decision.rule = ASSIGNMENT_RULE_BEST_MATCH;
        decision.eligible = all.eligible;
    }
    s_emit_assigned (state, decider, kase, &decision);
    return true;
}

void
assignment_fill_case (assignment_state_t *state, cf_decider_t *decider, assignment_case_t *kase,
                      const char *what)
{
    if (!kase->waiting)
        return;
    char cause [160];
    if (kase->urgency == ASSIGNMENT_URGENT) {
        char prefix [256];
        long index = assignment_waiting_index (&state->waiting, kase);
        snprintf (cause, sizeof cause, "%s %s", kase->id, what);
        s_prefix (prefix, sizeof prefix, (size_t) index, state->waiting.count, cause);
        s_decide_urgent (state, decider, kase, ASSIGNMENT_TRIGGER_WAITING_LIST, prefix, false);
        return;
    }
    //  Most cases join a list nobody has room for: that is found out
    //  without the search for the case's place or the words of a cause.
    assignment_worker_t *stack_room [32];
    assignment_worker_t **room =
        state->n_workers < 32 ? stack_room : calloc (state->n_workers + 1, sizeof *room);
    assert (room);
    size_t n_room = s_collect_room (state, NULL, room);
    if (n_room || s_continuity (state, kase)) {
        long index = assignment_waiting_index (&state->waiting, kase);
        snprintf (cause, sizeof cause, "%s %s", kase->id, what);
        s_decide_regular (state, decider, kase, (size_t) index, room, n_room, cause);
    }
    if (room != stack_room)
        free (room);
}

void
assignment_fill (assignment_state_t *state, cf_decider_t *decider, const assignment_worker_t *only,
                 const char *cause)
{
    assignment_waiting_t *waiting = &state->waiting;
    if (waiting->count == 0)
        return;
    assignment_worker_t **room = calloc (state->n_workers + 1, sizeof *room);
    assert (room);
    size_t n_room = s_collect_room (state, only, room);
    size_t index = 0;
    while (index < waiting->count && !decider->rc) {
        assignment_case_t *kase = waiting->items [index];
        bool assigned = false;
        if (kase->urgency == ASSIGNMENT_URGENT) {
            //  An escalated urgent case: whoever is eligible now, even
            //  above the limit. With `only`, nobody else can have become
            //  eligible since it was escalated.
            if (!only
                || (assignment_present (only)
                    && (assignment_matches (only, kase) || s_names (kase, only)))) {
                char prefix [256];
                s_prefix (prefix, sizeof prefix, index, waiting->count, cause);
                assigned = s_decide_urgent (state, decider, kase, ASSIGNMENT_TRIGGER_WAITING_LIST,
                                            prefix, false);
            }
        } else {
            if (n_room == 0 && waiting->with_continuity == 0)
                break;
            //  Without room only continuity can place a case, and with
            //  `only`, only a continuity worker who is `only` has changed.
            bool worth =
                n_room
                || (only ? s_names (kase, only) : kase->preferred_worker || kase->previous_worker);
            if (worth)
                assigned = s_decide_regular (state, decider, kase, index, room, n_room, cause);
        }
        if (assigned)
            //  The case left the list: the next one is at the same index.
            n_room = s_collect_room (state, only, room);
        else
            index++;
    }
    free (room);
}

//  The worker's open cases, urgent first, each group in case-id order
//  (a fresh array, free with free).
static int
s_compare_for_reassign (const void *a, const void *b)
{
    const assignment_case_t *x = *(assignment_case_t *const *) a;
    const assignment_case_t *y = *(assignment_case_t *const *) b;
    int ux = x->urgency == ASSIGNMENT_URGENT ? 0 : 1;
    int uy = y->urgency == ASSIGNMENT_URGENT ? 0 : 1;
    if (ux != uy)
        return ux - uy;
    return strcmp (x->id, y->id);
}

static void
s_reassign_cases (assignment_state_t *state, cf_decider_t *decider, assignment_worker_t *worker,
                  Caseflow__V1__Assignment__AssignmentTrigger trigger, bool regular_too,
                  const char *why)
{
    size_t count = worker->n_cases;
    assignment_case_t **cases = calloc (count + 1, sizeof *cases);
    assert (cases);
    if (count)
        memcpy (cases, worker->cases, count * sizeof *cases);
    qsort (cases, count, sizeof *cases, s_compare_for_reassign);
    char prefix [320], reason [S_REASON_SIZE];
    for (size_t i = 0; i < count && !decider->rc; i++) {
        assignment_case_t *kase = cases [i];
        if (kase->urgency == ASSIGNMENT_URGENT) {
            snprintf (prefix, sizeof prefix, "%s: urgent case reassigned at once: ", why);
            s_decide_urgent (state, decider, kase, trigger, prefix, true);
        } else if (regular_too) {
            snprintf (reason, sizeof reason, "%s: back to the waiting list at its original place",
                      why);
            s_emit_unassigned (decider, kase, trigger, reason);
        }
    }
    free (cases);
}

void
assignment_start_absence (assignment_state_t *state, cf_decider_t *decider,
                          assignment_worker_t *worker)
{
    int64_t from = worker->absent_from;
    int64_t until = worker->absent_until;
    bool is_long = assignment_absence_is_long (state, from, until);
    Caseflow__V1__Assignment__WorkerAbsenceStarted body =
        CASEFLOW__V1__ASSIGNMENT__WORKER_ABSENCE_STARTED__INIT;
    body.worker_id = worker->id;
    body.from = from;
    body.until = until;
    body.long_absence = is_long;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_WORKER_ABSENCE_STARTED;
    event.worker_absence_started = &body;
    if (cf_decider_emit (decider, &event))
        return;
    char from_text [32], until_text [32], why [160];
    cf_time_format_date (from, from_text, sizeof from_text);
    if (until)
        cf_time_format_date (until, until_text, sizeof until_text);
    snprintf (why, sizeof why, "absence of %s from %s %s%s (%s)", worker->id, from_text,
              until ? "until " : "with no end date", until ? until_text : "",
              is_long ? "long: all cases reassigned" : "short: regular cases wait for the return");
    s_reassign_cases (state, decider, worker, ASSIGNMENT_TRIGGER_ABSENCE, is_long, why);
    //  Cases back on the list may go to anyone with room.
    snprintf (why, sizeof why, "cases of %s put back by their absence", worker->id);
    assignment_fill (state, decider, NULL, why);
}

void
assignment_reassign_leaver (assignment_state_t *state, cf_decider_t *decider,
                            assignment_worker_t *worker)
{
    char why [128];
    snprintf (why, sizeof why, "%s left", worker->id);
    s_reassign_cases (state, decider, worker, ASSIGNMENT_TRIGGER_LEAVE, true, why);
    assignment_fill (state, decider, NULL, why);
}

void
assignment_on_clock (assignment_state_t *state, cf_decider_t *decider)
{
    size_t returned = 0;
    //  The roster does not grow while the clock acts: index by position.
    for (size_t i = 0; i < state->n_workers && !decider->rc; i++) {
        assignment_worker_t *worker = state->workers [i];
        if (worker->left || !(worker->absence_planned || worker->absent))
            continue;
        if (worker->absent_until && worker->absent_until <= decider->now) {
            Caseflow__V1__Assignment__WorkerReturned body =
                CASEFLOW__V1__ASSIGNMENT__WORKER_RETURNED__INIT;
            body.worker_id = worker->id;
            body.planned_end = true;
            Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
            event.body_case = CASEFLOW__V1__EVENT__BODY_WORKER_RETURNED;
            event.worker_returned = &body;
            if (cf_decider_emit (decider, &event) == 0)
                returned++;
        } else if (worker->absence_planned && worker->absent_from <= decider->now)
            assignment_start_absence (state, decider, worker);
    }
    //  Everything is looked at again: returns, and after a restart a
    //  configuration that may give workers more room.
    assignment_fill (state, decider, NULL,
                     returned ? "an absence reached its end date" : "the clock moved");
}

int64_t
assignment_next_wake (const assignment_state_t *state)
{
    int64_t next = INT64_MAX;
    for (size_t i = 0; i < state->n_workers; i++) {
        const assignment_worker_t *worker = state->workers [i];
        if (worker->left)
            continue;
        if (worker->absence_planned && worker->absent_from < next)
            next = worker->absent_from;
        if ((worker->absence_planned || worker->absent) && worker->absent_until
            && worker->absent_until < next)
            next = worker->absent_until;
    }
    return next;
}
