//  assignment_decide: the assignment service's command handlers.
//
//  A command is validated completely before anything is emitted (the
//  runtime asserts that a refused command emitted nothing): its fields
//  (assignment_validate.h), the entities they name, then the lifecycle
//  tables (assignment_lifecycle.h). Then its events are emitted through
//  the decider (common/cf_decider.h), and the policy reacts (fills the
//  waiting list, reassigns cases). Refusals name the field as
//  "command.assignment.<command>.<field>": INVALID_ARGUMENT for bad
//  values, NOT_FOUND for unknown ids, CONFLICT for ids already used,
//  FAILED_PRECONDITION with the table's refusal naming the current status
//  or presence.
#ifndef ASSIGNMENT_DECIDE_H
#define ASSIGNMENT_DECIDE_H

#include "assignment_state.h"
#include "caseflow/v1/api.pb-c.h"
#include "cf_decider.h"

//  Handles one assignment command (`command` borrowed) at decider->now:
//  fills decider->reply with a status, or with the result (the location,
//  worker or case after the command) when it succeeded. When an emit fails
//  (decider->rc), it stops and leaves the reply to the runtime.
void
assignment_decide (assignment_state_t *state, cf_decider_t *decider,
                   const Caseflow__V1__Assignment__Command *command);

//  cf_service_def_t's handle_command: an assignment command decided at the
//  service clock with cf_service_emit, then the next wake-up asked for
//  (an absence may have been planned or ended); anything else is
//  INVALID_ARGUMENT ("not a command of the assignment service").
void
assignment_decide_hook (void *state, cf_service_t *service, const Caseflow__V1__Command *command,
                        Caseflow__V1__Reply *reply);

#endif
