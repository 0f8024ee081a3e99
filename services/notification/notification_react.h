//  notification_react: the notification service's reactions to upstream
//  events and to its clock.
//
//  - reacting to upstream events: schedule, reschedule, cancel and
//    acknowledge reminders as cases start and stop waiting, callbacks are
//    recorded, urgent cases and escalations come in, and handovers are
//    announced, completed or cancelled; and recording which fired
//    callback a recorded call answers, and whether on time
//    (CallbackAnswered);
//  - firing (on the clock, and with the manual clock after every
//    reaction): every pending reminder due by `now`, in due order, each
//    followed by what it entails (a fired callback schedules the next
//    callback and its overdue check), until nothing due is left; then a
//    RetentionDue for every resident whose retention period is over
//    (notification_retention.h).
//
//  Decisions read the state, then emit events through the decider
//  (common/cf_decider.h: cf_service_emit in production, a collector in the
//  unit tests), whose emitter applies each event before the next decision
//  reads the state. Nothing here changes the state directly.
#ifndef NOTIFICATION_REACT_H
#define NOTIFICATION_REACT_H

#include "caseflow/v1/event.pb-c.h"
#include "cf_decider.h"
#include "notification_state.h"

#include <stddef.h>
#include <stdint.h>

//  Reacts to an upstream event that has just been applied (borrowed).
//  Events of other types are ignored. Fires nothing: the caller fires what
//  is due when it wants to (notification_fire_due).
void
notification_react (notification_state_t *state, cf_decider_t *decider,
                    const Caseflow__V1__Event *event);

//  Fires every pending reminder due by decider->now in (due time, id)
//  order, with the follow-ups each one schedules, up to `limit` reminders
//  (0: no limit); then ends the claims whose lease ran out
//  (notification_decide_expire_leases) and emits RetentionDue for every
//  resident due by then (no limit: they are few). Returns how many
//  reminders fired.
size_t
notification_fire_due (notification_state_t *state, cf_decider_t *decider, size_t limit);

//  cf_service_def_t's handle_upstream (`state` is the notification_service_t
//  the runtime holds): the reaction at the service clock with
//  cf_service_emit; with the manual clock, which wakes the service only
//  when it moves, what is due fires at once too (an urgent alert must not
//  wait for the clock); then the wake-up and gauges are brought up to date.
void
notification_react_hook (void *state, cf_service_t *service, const Caseflow__V1__Event *event);

//  cf_service_def_t's on_diverged: an upstream's producer came back with
//  another history; raises a stream-diverged alert for the operators
//  (once per stream and cursor seq), fired at once with the manual clock.
void
notification_react_diverged_hook (void *state, cf_service_t *service, const char *stream,
                                  uint64_t cursor);

//  cf_service_def_t's on_clock: fires what is due by `now` (with the system
//  clock at most NOTIFICATION_FIRE_SLICE a wake-up, the rest right after
//  the commit), notes how late the first one fired, and brings the
//  wake-up and gauges up to date.
void
notification_react_clock_hook (void *state, cf_service_t *service, int64_t now);

#endif
