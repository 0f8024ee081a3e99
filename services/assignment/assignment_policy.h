//  assignment_policy: who gets which case, and why.
//
//  The policy decides; it never changes the state itself. Every decision
//  is an event handed to the decider's emit function, which applies it at
//  once (cf_service_emit in the service, a collector in the unit tests),
//  so the next decision in the same step sees it. Decisions depend only on
//  the state and the configuration, never on the clock or on memory
//  addresses, and every tie is broken by id: the same events always give
//  the same decisions. The rules (README.md has the long form):
//
//  - Eligible: present (not absent, not left), expertise in one of the
//    case's domains, with a location that is the case's location or one
//    of its areas (the locations serving the resident's district at
//    registration, CaseRegistered.areas). A case with neither location
//    nor areas can be served by every worker.
//  - Load: caseload / capacity, compared exactly (cross-multiplied); the
//    lowest load wins, ties by worker id.
//  - Continuity first: the worker named at registration (a handover's
//    preferred worker), else the worker the case was taken from during an
//    absence, gets the case when present and below capacity + margin,
//    whatever their expertise or location.
//  - Urgent: continuity, else the eligible worker with room and the lowest
//    load, else the eligible worker with the lowest load above their limit
//    (over_limit flagged), else AssignmentEscalated: the case waits at the
//    head of the waiting list until someone eligible is present.
//  - Regular: from the head of the waiting list whenever something may
//    have freed capacity: continuity, else the eligible worker with room
//    and the lowest load. A case nobody can take stays where it is and the
//    scan goes on to the cases behind it.
//  - Absence (when its `from` is reached): urgent cases are reassigned at
//    once (as urgent); on a long absence (no end date, or longer than the
//    configured days) the regular cases go back to the waiting list at
//    their original place, on a short one they wait for the worker. The
//    absence ends by a return, or by itself when `until` is reached.
//  - Leaving: urgent cases are reassigned at once, regular ones go back to
//    the waiting list; then the list is filled.
#ifndef ASSIGNMENT_POLICY_H
#define ASSIGNMENT_POLICY_H

#include "assignment_state.h"
#include "cf_decider.h"

//  Every decision here takes the state and the decider (common/cf_decider.h):
//  the clock reading and the emitter (cf_service_emit in the service, the
//  harness's collector in the tests), which applies each event at once.
//  After an emit fails (decider->rc) nothing more is decided.

//  An urgent case on the waiting list (just triaged urgent, or re-triaged
//  urgent while waiting): assigns it at once or escalates it.
void
assignment_decide_urgent (assignment_state_t *state, cf_decider_t *decider,
                          assignment_case_t *kase);

//  An urgent case held by an absent worker (re-triaged urgent during a
//  short absence): reassigned at once like the urgent cases the absence
//  moved, or escalated back onto the waiting list.
void
assignment_reassign_urgent (assignment_state_t *state, cf_decider_t *decider,
                            assignment_case_t *kase);

//  Fills from the waiting list in order until no waiting case can be
//  assigned. `cause` says in words what may have freed capacity (it goes
//  into the reasons), e.g. "C000012 completed by w3". `only` narrows the
//  look to one worker whose room or reach changed (freed a place, joined,
//  changed, returned): by the invariant, nobody else can take a case now
//  that they could not before. NULL looks at every worker.
void
assignment_fill (assignment_state_t *state, cf_decider_t *decider, const assignment_worker_t *only,
                 const char *cause);

//  One case joined or moved on the waiting list, or can match more (new
//  domains): decides that case alone (continuity, or the best worker with
//  room; an urgent one may go above the limit), leaving it waiting when
//  nobody can take it. The cause the reasons give is the case id followed
//  by `what` ("triaged regular"), written only when there is a decision.
void
assignment_fill_case (assignment_state_t *state, cf_decider_t *decider, assignment_case_t *kase,
                      const char *what);

//  An operator's assignment or reassignment of `kase` to `worker` (rule
//  MANUAL, trigger MANUAL): the reason says the operator's words and the
//  worker's load. The caller has validated both.
void
assignment_assign_manual (assignment_state_t *state, cf_decider_t *decider, assignment_case_t *kase,
                          assignment_worker_t *worker, const char *operator_reason);

//  The worker's absence takes effect now (its `from` is reached): emits
//  WorkerAbsenceStarted, reassigns the urgent cases, puts the regular
//  ones back on the waiting list when the absence is long, then fills.
void
assignment_start_absence (assignment_state_t *state, cf_decider_t *decider,
                          assignment_worker_t *worker);

//  The worker left (WorkerLeft already emitted): reassigns every case of
//  theirs (urgent at once, regular through the waiting list), then fills.
void
assignment_reassign_leaver (assignment_state_t *state, cf_decider_t *decider,
                            assignment_worker_t *worker);

//  Absences whose `from` or `until` is reached by `now` take effect or
//  end (WorkerReturned with planned_end), in worker-id order; then the
//  whole waiting list is looked at (this also runs once after start-up,
//  so a configuration that gives workers more room takes effect).
void
assignment_on_clock (assignment_state_t *state, cf_decider_t *decider);

//  The earliest time an absence starts or ends, or INT64_MAX.
int64_t
assignment_next_wake (const assignment_state_t *state);

//  True when the absence from `from` until `until` (0: none) is long.
bool
assignment_absence_is_long (const assignment_state_t *state, int64_t from, int64_t until);

//  Formats "w3 4/10 (40%)" into buf. Returns buf.
char *
assignment_load_text (const assignment_state_t *state, const assignment_worker_t *worker, char *buf,
                      size_t size);

#endif
