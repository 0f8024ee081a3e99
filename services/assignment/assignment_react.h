//  assignment_react: the assignment service's reactions to intake's events
//  and to its clock.
//
//  Intake's events are facts already applied to the state (apply records
//  the case, its triage, its domains, its closure); the reaction decides
//  on them: an urgent triage is assigned at once (or escalated, or taken
//  from a worker who is away), a regular triage or new domains may fill
//  the waiting list, a closure that freed a worker's place fills it. The
//  clock starts and ends absences (assignment_on_clock). Events of other
//  types, and events of other streams, need no decision.
#ifndef ASSIGNMENT_REACT_H
#define ASSIGNMENT_REACT_H

#include "assignment_state.h"
#include "caseflow/v1/event.pb-c.h"
#include "cf_decider.h"

#include <stdint.h>

//  Reacts to `event` (borrowed), an intake event that has just been
//  applied, emitting through the decider (its reply is NULL).
void
assignment_react (assignment_state_t *state, cf_decider_t *decider,
                  const Caseflow__V1__Event *event);

//  cf_service_def_t's handle_upstream: assignment_react at the service
//  clock with cf_service_emit, then the next wake-up asked for.
void
assignment_react_hook (void *state, cf_service_t *service, const Caseflow__V1__Event *event);

//  cf_service_def_t's on_clock: absences that start or end by `now` take
//  effect and the waiting list is looked at (assignment_on_clock); then
//  the next wake-up is asked for.
void
assignment_react_clock_hook (void *state, cf_service_t *service, int64_t now);

#endif
