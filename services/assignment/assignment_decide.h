//  assignment_decide: the assignment service's command handlers and its
//  reactions to intake's events.
//
//  A command is validated completely before anything is emitted (the
//  runtime asserts that a refused command emitted nothing); then its
//  events are emitted through the decider, and the policy reacts (fills
//  the waiting list, reassigns cases). Refusals name the field as
//  "command.assignment.<command>.<field>": INVALID_ARGUMENT for bad
//  values, NOT_FOUND for unknown ids, CONFLICT for ids already used,
//  FAILED_PRECONDITION (naming the current status) for moves the state
//  does not allow.
#ifndef ASSIGNMENT_DECIDE_H
#define ASSIGNMENT_DECIDE_H

#include "assignment_policy.h"
#include "caseflow/v1/api.pb-c.h"

//  Handles one assignment command (`command` borrowed): fills `reply`
//  with a status, or with the result (the location, worker or case after
//  the command) when it succeeded. When an emit fails (decider->rc), it
//  stops and leaves the reply to the runtime.
void
assignment_handle_command (assignment_decider_t *decider,
                           const Caseflow__V1__Assignment__Command *command,
                           Caseflow__V1__Reply *reply);

//  Reacts to an intake event that has just been applied: an urgent triage
//  is assigned at once (or escalated); a regular triage, more domains or
//  a closure fill the waiting list. Other events need no decision.
void
assignment_handle_upstream (assignment_decider_t *decider, const Caseflow__V1__Event *event);

#endif
