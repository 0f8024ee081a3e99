//  intake_decide: intake's commands (register, triage, record callback,
//  create and join tracks, advise, withdraw, close), and the decisions the
//  commands share with the reactions to upstream events (intake_react.h):
//  a question arriving, an event emitted.
//
//  A decision is handed a cf_decider_t (common/cf_decider.h): the service
//  clock's reading, the reply, and the emitter (cf_service_emit in the
//  service, the harness's collector in the unit tests), which stamps the
//  envelope (seq, occurred_at) and applies the event to the state before
//  returning, so a decision that emits two events sees the first applied,
//  and the reply built after emitting shows the case as it now is. A
//  refused command emits nothing.
#ifndef INTAKE_DECIDE_H
#define INTAKE_DECIDE_H

#include "caseflow/v1/api.pb-c.h"
#include "cf_decider.h"
#include "intake_state.h"

#include <stdbool.h>
#include <stdint.h>

//  Decides on an intake command and fills decider->reply: its status (OK,
//  or INVALID_ARGUMENT naming the field as "command.intake.<command>.<field>",
//  NOT_FOUND, CONFLICT, FAILED_PRECONDITION with the lifecycle table's
//  refusal naming the case's status) and, on success, its result
//  (CommandResult.intake: RegisterResult for register, TrackView for
//  create_track, the CaseView after the command for the rest). The
//  decider's clock is used for validation only (a birth date in the
//  future), never stored. When an emit fails the decision stops and the
//  reply is the runtime's.
void
intake_decide (intake_state_t *state, cf_decider_t *decider,
               const Caseflow__V1__Intake__Command *command);

//  The checks of a registration (Register, and a referral from the
//  gateway as one): true when `command` may register; else false with
//  `reply` refused, INVALID_ARGUMENT naming the field
//  ("command.intake.register.<field>") and never quoting a personal value.
//  The decider's clock dates "a birth date in the future".
bool
intake_register_check (const cf_decider_t *decider, const Caseflow__V1__Intake__Register *command,
                       Caseflow__V1__Reply *reply);

//  cf_service_def_t's handle_command: an intake command decided at the
//  service clock with cf_service_emit; anything else is INVALID_ARGUMENT
//  ("not a command of the intake service").
void
intake_decide_hook (void *state, cf_service_t *service, const Caseflow__V1__Command *command,
                    Caseflow__V1__Reply *reply);

#endif
