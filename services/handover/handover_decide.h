//  handover_decide: the handover commands. Each validates fully, then
//  emits its events, then fills the reply's result.
//
//  Events go out through an emit function: cf_service_emit in the service
//  (which stamps, applies, journals and queues the event), a collector
//  that applies the event to the state in the unit tests. So decisions are
//  testable without a running service, and the runtime's promise holds: a
//  refused command has emitted nothing.
#ifndef HANDOVER_DECIDE_H
#define HANDOVER_DECIDE_H

#include "caseflow/v1/api.pb-c.h"
#include "handover_state.h"

#include <stdint.h>

//  Records one decided event: must apply it to the state before returning
//  (later decisions of the same command read the state). `event` is the
//  caller's; the emitter copies what it keeps. Returns 0, or non-zero when
//  the event could not be recorded (the command then stops at once; the
//  runtime answers UNAVAILABLE).
typedef int (*handover_emit_fn) (void *ctx, Caseflow__V1__Event *event);

//  Decides on `command` at `now` (the service clock). Fills the reply's
//  status (INVALID_ARGUMENT naming the field, NOT_FOUND, CONFLICT,
//  FAILED_PRECONDITION naming the handover's current state) or, when
//  accepted, its CommandResult.handover: the provider or handover after
//  the command, or the ids a caseload announcement made. `command` and
//  `state` are borrowed; the state changes only through `emit`.
void
handover_decide (handover_state_t *state, int64_t now,
                 const Caseflow__V1__Handover__Command *command, Caseflow__V1__Reply *reply,
                 handover_emit_fn emit, void *ctx);

#endif
