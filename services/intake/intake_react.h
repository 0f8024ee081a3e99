//  intake_react: intake's reactions to upstream events. A completed
//  handover that continues here becomes a case (or joins the resident's
//  open case); assignment's CaseAssigned, CaseStarted and CaseUnassigned
//  become CaseStatusChanged, CaseCompleted becomes CaseClosed{COMPLETED};
//  notification's RetentionDue erases the resident (intake_erase.h); the
//  gateway's referrals and decisions are intake_inbound.h's.
//
//  Upstream events are facts another stream already committed: intake
//  does not refuse them. It follows them where its lifecycle table
//  (intake_lifecycle.h) allows, and ignores the rest with a log line:
//  events for unknown or closed cases, repeats, and moves the table does
//  not list.
#ifndef INTAKE_REACT_H
#define INTAKE_REACT_H

#include "caseflow/v1/event.pb-c.h"
#include "cf_decider.h"
#include "intake_state.h"

//  Reacts to `event` (borrowed), which has just been journaled and applied,
//  emitting through the decider (its reply is NULL). Events of other types
//  need no decision.
void
intake_react (intake_state_t *state, cf_decider_t *decider, const Caseflow__V1__Event *event);

//  cf_service_def_t's upstream_ready: intake_inbound_ready on the state.
bool
intake_upstream_ready_hook (void *state, cf_service_t *service, const Caseflow__V1__Event *event);

//  cf_service_def_t's handle_upstream: intake_react at the service clock
//  with cf_service_emit.
void
intake_react_hook (void *state, cf_service_t *service, const Caseflow__V1__Event *event);

#endif
