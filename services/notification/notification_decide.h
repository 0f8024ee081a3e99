//  notification_decide: every decision of the notification service.
//
//  - reacting to upstream events (handle_upstream): schedule, reschedule,
//    cancel and acknowledge reminders as cases start and stop waiting,
//    callbacks are recorded, urgent cases and escalations come in, and
//    handovers are announced, completed or cancelled;
//  - firing (on_clock, and after every reaction): every pending reminder
//    due by `now`, in due order, each followed by what it entails (a fired
//    callback schedules the next callback and its overdue check), until
//    nothing due is left;
//  - the Acknowledge command.
//
//  Decisions read the state, validate, then emit events through an
//  emitter (cf_service_emit in production, a collector in the unit tests)
//  that applies each event before the next decision reads the state.
//  Nothing here changes the state directly.
#ifndef NOTIFICATION_DECIDE_H
#define NOTIFICATION_DECIDE_H

#include "caseflow/v1/api.pb-c.h"
#include "notification_state.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  Stamps, applies and records one event (see cf_service_emit). Returns 0,
//  or a negative code: the decision must stop.
typedef int (notification_emit_fn) (void *ctx, Caseflow__V1__Event *event);

typedef struct {
    notification_state_t *state;
    int64_t now;  //  the service clock for this decision
    notification_emit_fn *emit;
    void *ctx;
    //  Most reminders one firing round fires (0: no limit). With the system
    //  clock a backlog is fired in slices so one commit stays bounded; the
    //  caller asks to be woken again at once while something is due.
    size_t fire_limit;
    //  Fire what is due at the end of each upstream reaction. On for the
    //  manual clock, which wakes the service only when it moves; with the
    //  system clock the runtime's wake-up fires right after the batch.
    bool fire_after_react;
    int rc;          //  first emit failure; decisions stop
    size_t emitted;  //  events emitted
    size_t fired;    //  reminders fired
} notification_decider_t;

//  Prepares a decision at `now` on `state` emitting through `emit`/`ctx`.
void
notification_decider_init (notification_decider_t *self, notification_state_t *state, int64_t now,
                           notification_emit_fn *emit, void *ctx);

//  Reacts to an upstream event that has just been applied (borrowed), then
//  fires what is due when fire_after_react is set. Events of other types
//  are ignored.
void
notification_handle_upstream (notification_decider_t *self, const Caseflow__V1__Event *event);

//  Fires every pending reminder due by `now` in (due time, id) order, with
//  the follow-ups each one schedules, up to fire_limit. Returns how many
//  fired.
size_t
notification_fire_due (notification_decider_t *self);

//  Handles one notification command: validates, emits, and fills `reply`
//  (status; result CommandResult.notification.reminder on success).
void
notification_handle_command (notification_decider_t *self,
                             const Caseflow__V1__Notification__Command *command,
                             Caseflow__V1__Reply *reply);

//  When the next pending reminder falls due (INT64_MAX: none pending).
int64_t
notification_next_wake (const notification_state_t *state);

#endif
