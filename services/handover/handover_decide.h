//  handover_decide: the handover commands. Each validates fully, then
//  emits its events, then fills the reply's result.
//
//  A decision is handed a cf_decider_t (common/cf_decider.h): the service
//  clock's reading, the reply, and the emitter (cf_service_emit in the
//  service, the test kit's collector in the unit tests), which applies
//  each event to the state before the next decision reads it. So decisions
//  are testable without a running service, and the runtime's promise
//  holds: a refused command has emitted nothing.
#ifndef HANDOVER_DECIDE_H
#define HANDOVER_DECIDE_H

#include "caseflow/v1/api.pb-c.h"
#include "cf_decider.h"
#include "handover_state.h"

//  Decides on `command` at decider->now and fills decider->reply: its
//  status (INVALID_ARGUMENT naming the field, NOT_FOUND, CONFLICT,
//  FAILED_PRECONDITION naming the handover's current state) or, when
//  accepted, its CommandResult.handover: the provider or handover after
//  the command, or the ids a caseload announcement made. `command` and
//  `state` are borrowed; the state changes only through the decider's
//  emitter. When an emit fails the decision stops and the reply is the
//  runtime's.
void
handover_decide (handover_state_t *state, cf_decider_t *decider,
                 const Caseflow__V1__Handover__Command *command);

//  cf_service_def_t's handle_command: a handover command decided at the
//  service clock with cf_service_emit; anything else is INVALID_ARGUMENT
//  ("not a command of the handover service").
void
handover_decide_hook (void *state, cf_service_t *service, const Caseflow__V1__Command *command,
                      Caseflow__V1__Reply *reply);

#endif
