//  assignment_lifecycle: the two lifecycles of the assignment service as
//  transition tables: a case's assignment, and a worker's presence.
//
//  A case, as assignment sees it:
//
//      registered ──triage──▶ waiting ◀──triage──▶ urgent ──escalate──┐
//                               │  ▲                 │  ▲  ◀──────────┘
//                          assign  unassign     assign  unassign
//                               ▼  │                 ▼  │
//                             assigned ◀──assign──── active
//                               │  └─────start─────▶  │
//                               │                     complete
//      any open status ──close (intake's closure)──▶ closed ◀┘
//
//  A worker's presence:
//
//      present ──plan_absence──▶ absence-planned ──start_absence──▶ absent
//         │  ▲                        │                               │
//         │  └───────return───────────┴───────────return──────────────┘
//         └──mark_absent (from now on): absent at once
//      present, absence-planned, absent ──leave──▶ left (final)
//
//  Each row is (action, from) → to. Commands ask the table before they
//  emit and are refused in one place, with one message naming the current
//  state (common/cf_lifecycle.h): "case C000001 is waiting; start needs it
//  assigned", "worker w3 is absent; assign needs it present or
//  absence-planned". Apply asks the same table for every own event that
//  moves a case or a worker: an event this service decided never makes a
//  move the table does not list (asserted); an intake event the case table
//  does not allow (a triage of a closed case) is not for assignment.
#ifndef ASSIGNMENT_LIFECYCLE_H
#define ASSIGNMENT_LIFECYCLE_H

#include "assignment_state.h"
#include "caseflow/v1/api.pb-c.h"

#include <stddef.h>

//  ------------------------------------------------------------- the case

typedef enum {
    ASSIGNMENT_TRIAGE_REGULAR,    //  intake's CaseTriaged, regular
    ASSIGNMENT_TRIAGE_URGENT,     //  intake's CaseTriaged, urgent
    ASSIGNMENT_ASSIGN,            //  CaseAssigned: the policy's or an operator's
    ASSIGNMENT_UNASSIGN_REGULAR,  //  CaseUnassigned of a regular case: back to the list
    ASSIGNMENT_UNASSIGN_URGENT,   //  CaseUnassigned of an urgent case
    ASSIGNMENT_ESCALATE,          //  AssignmentEscalated: nobody can take it
    ASSIGNMENT_START,             //  CaseStarted
    ASSIGNMENT_COMPLETE,          //  CaseCompleted
    ASSIGNMENT_CLOSE,             //  intake's CaseClosed
    ASSIGNMENT_CASE_ACTION_COUNT
} assignment_case_action_t;

//  Where `action` takes a case in status `from`: returns 0 and sets *to_p
//  (when not NULL), or CF_ESTATE when the table has no such move.
int
assignment_lifecycle_case_next (Caseflow__V1__CaseStatus from, assignment_case_action_t action,
                                Caseflow__V1__CaseStatus *to_p);

//  Asks the case table for a command on `kase`: 0 when allowed; else
//  refuses `reply` with FAILED_PRECONDITION naming `field` and the case's
//  status, and returns CF_ESTATE.
int
assignment_lifecycle_case_check (const assignment_case_t *kase, assignment_case_action_t action,
                                 Caseflow__V1__Reply *reply, const char *field);

//  The triage and the unassignment action for a case of `urgency`.
assignment_case_action_t
assignment_lifecycle_triage_action (Caseflow__V1__Urgency urgency);
assignment_case_action_t
assignment_lifecycle_unassign_action (Caseflow__V1__Urgency urgency);

//  "triage", "assign", "start", ... ("unknown" otherwise).
const char *
assignment_case_action_name (assignment_case_action_t action);

//  ------------------------------------------------------- the worker

typedef enum {
    ASSIGNMENT_PRESENT = 1,
    ASSIGNMENT_ABSENCE_PLANNED,  //  present, with an absence recorded ahead
    ASSIGNMENT_ABSENT,
    ASSIGNMENT_LEFT,
} assignment_presence_t;

typedef enum {
    ASSIGNMENT_CHANGE,         //  ChangeWorker: details only
    ASSIGNMENT_PLAN_ABSENCE,   //  MarkAbsent from a time still ahead
    ASSIGNMENT_MARK_ABSENT,    //  WorkerAbsent (MarkAbsent from now on replaces one too)
    ASSIGNMENT_START_ABSENCE,  //  WorkerAbsenceStarted: the absence takes effect
    ASSIGNMENT_RETURN,         //  WorkerReturned: by a word, or the end date reached
    ASSIGNMENT_LEAVE,          //  WorkerLeft
    ASSIGNMENT_TAKE_CASE,      //  may be given a case (an operator's assignment)
    ASSIGNMENT_WORKER_ACTION_COUNT
} assignment_worker_action_t;

//  The worker's presence, from its record.
assignment_presence_t
assignment_worker_presence (const assignment_worker_t *worker);

//  Where `action` takes a worker whose presence is `from`: returns 0 and
//  sets *to_p (when not NULL), or CF_ESTATE.
int
assignment_lifecycle_worker_next (assignment_presence_t from, assignment_worker_action_t action,
                                  assignment_presence_t *to_p);

//  Asks the presence table for a command on `worker`: 0 when allowed;
//  else refuses `reply` with FAILED_PRECONDITION naming `field` and the
//  worker's presence, and returns CF_ESTATE.
int
assignment_lifecycle_worker_check (const assignment_worker_t *worker,
                                   assignment_worker_action_t action, Caseflow__V1__Reply *reply,
                                   const char *field);

//  "present", "absence-planned", "absent", "left"; "unknown" otherwise.
const char *
assignment_presence_name (assignment_presence_t presence);

//  "change", "plan_absence", "mark_absent", ... ("unknown" otherwise).
const char *
assignment_worker_action_name (assignment_worker_action_t action);

#endif
