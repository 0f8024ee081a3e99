//  intake_lifecycle: the case lifecycle as one transition table.
//
//      registered ──▶ waiting ◀──▶ urgent          (triage, re-triage)
//           │            │  ▲        │  ▲
//           │            ▼  │        ▼  │
//           └──────────▶ assigned ◀──▶ active      (assignment's events)
//
//      any open status ──▶ closed                  (advise, withdraw, close,
//                                                   no longer needed, completed)
//
//  Every status change a decision makes is checked here first, so an illegal
//  move is refused in one place with one message naming the current status.
//  Self-moves of an open status are legal (a re-triage that keeps the
//  urgency, a reassignment to another worker); closed is final.
#ifndef INTAKE_LIFECYCLE_H
#define INTAKE_LIFECYCLE_H

#include "caseflow/v1/common.pb-c.h"

#include <stdbool.h>

//  True when a case in status `from` may move to `to`. Unknown statuses
//  (outside REGISTERED..CLOSED) never move.
bool
intake_lifecycle_allows (Caseflow__V1__CaseStatus from, Caseflow__V1__CaseStatus to);

//  True for every status but CLOSED (and unknown ones).
bool
intake_lifecycle_is_open (Caseflow__V1__CaseStatus status);

//  True for the statuses before a worker has the case (registered, waiting,
//  urgent): triage moves these between waiting and urgent.
bool
intake_lifecycle_is_unassigned (Caseflow__V1__CaseStatus status);

//  The status a not-yet-assigned case takes for an urgency: URGENT for
//  URGENT, WAITING otherwise.
Caseflow__V1__CaseStatus
intake_lifecycle_status_for (Caseflow__V1__Urgency urgency);

#endif
