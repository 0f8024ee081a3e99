//  intake_lifecycle: the case lifecycle as one transition table, and the
//  words of its actions (a status's word is cf_words_case_status's).
//
//      registered ──triage──▶ waiting ◀──triage──▶ urgent
//           │                   │  ▲                 │  ▲
//           │              assigned  unassigned  assigned  unassigned
//           │                   ▼  │                 ▼  │
//           └─────assigned────▶ assigned ──started──▶ active
//                                 ▲                    │
//                                 └──────assigned──────┘   (a reassignment)
//
//      any open status ──advise, withdraw, close, completed──▶ closed
//      waiting, urgent ──record_callback (no longer needed)──▶ closed
//
//  Each row is (action, from) → to. Triage and unassignment lead to
//  `urgent` or `waiting` by the case's urgency, so each has two actions,
//  one per urgency (intake_lifecycle_triage_action). Commands ask the
//  table and are refused in one place with one message naming the case's
//  status (common/cf_lifecycle.h):
//
//      case C000001 is closed; triage needs it registered, waiting, urgent,
//      assigned or active
//
//  Assignment's facts (assigned, started, unassigned, completed) ask the
//  same table; a move it does not list is ignored with a log line, never
//  refused (upstream facts are not intake's to refuse). Closed is final.
#ifndef INTAKE_LIFECYCLE_H
#define INTAKE_LIFECYCLE_H

#include "caseflow/v1/api.pb-c.h"
#include "caseflow/v1/common.pb-c.h"
#include "caseflow/v1/intake.pb-c.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    //  Commands.
    INTAKE_TRIAGE_REGULAR,    //  triage (or re-triage) to regular
    INTAKE_TRIAGE_URGENT,     //  triage (or re-triage) to urgent
    INTAKE_RECORD_CALLBACK,   //  a callback of the waiting list; the status stays
    INTAKE_NO_LONGER_NEEDED,  //  the callback that closes the case
    INTAKE_JOIN_TRACK,        //  joins a group track; the status stays
    INTAKE_ADVISE,
    INTAKE_WITHDRAW,
    INTAKE_CLOSE,
    //  Assignment's facts, followed.
    INTAKE_ASSIGNED,            //  CaseAssigned (also a reassignment)
    INTAKE_STARTED,             //  CaseStarted
    INTAKE_UNASSIGNED_REGULAR,  //  CaseUnassigned of a regular case
    INTAKE_UNASSIGNED_URGENT,   //  CaseUnassigned of an urgent case
    INTAKE_COMPLETED,           //  CaseCompleted
    INTAKE_ACTION_COUNT
} intake_action_t;

//  Where `action` takes a case in status `from`: returns 0 and sets *to_p
//  (when not NULL), or CF_ESTATE when the table has no such move.
int
intake_lifecycle_next (Caseflow__V1__CaseStatus from, intake_action_t action,
                       Caseflow__V1__CaseStatus *to_p);

//  Asks the table for a command on case `case_id` in status `from`:
//  returns 0 and sets *to_p (when not NULL) when the move is allowed; else
//  refuses `reply` with FAILED_PRECONDITION naming `field` and the case's
//  status, and returns CF_ESTATE.
int
intake_lifecycle_check (const char *case_id, Caseflow__V1__CaseStatus from, intake_action_t action,
                        Caseflow__V1__CaseStatus *to_p, Caseflow__V1__Reply *reply,
                        const char *field);

//  The table's refusal of `action` on case `case_id` in status `from`
//  (for log lines about upstream facts), into `buf`. Returns buf.
char *
intake_lifecycle_refusal (const char *case_id, Caseflow__V1__CaseStatus from,
                          intake_action_t action, char *buf, size_t size);

//  The triage action for `urgency` (URGENT: to urgent; else to waiting),
//  and the unassignment action for a case of `urgency`.
intake_action_t
intake_lifecycle_triage_action (Caseflow__V1__Urgency urgency);
intake_action_t
intake_lifecycle_unassigned_action (Caseflow__V1__Urgency urgency);

//  True for every status but CLOSED (and unknown ones).
bool
intake_lifecycle_is_open (Caseflow__V1__CaseStatus status);

//  The word of an action in refusals ("triage", "record_callback").
const char *
intake_action_name (intake_action_t action);

//  ----------------------------------------- a resident and their retention
//
//      kept ──hold──▶ held ──release──▶ kept        (hold again: held stays)
//      kept, held ──erase──▶ erased                 (erasing again: erased stays)
//      kept ──erase when due──▶ erased              (retention; never a held one)
//
//  A request to erase a held resident is refused unless it overrides
//  retention (intake_retention.h): that refusal is a rule of the law, not
//  of this table. Refusals name the resident's state:
//
//      resident S… is kept; release needs it held

typedef enum {
    INTAKE_RESIDENT_KEPT = 1,  //  kept under their retention rule
    INTAKE_RESIDENT_HELD,      //  kept past it until released
    INTAKE_RESIDENT_ERASED,
} intake_resident_state_t;

typedef enum {
    INTAKE_HOLD,
    INTAKE_RELEASE,
    INTAKE_ERASE,           //  a request (Erase)
    INTAKE_ERASE_WHEN_DUE,  //  retention (notification's RetentionDue)
    INTAKE_RESIDENT_ACTION_COUNT
} intake_resident_action_t;

//  Where `action` takes a resident in state `from`: returns 0 and sets
//  *to_p (when not NULL), or CF_ESTATE when the table has no such move.
int
intake_resident_next (intake_resident_state_t from, intake_resident_action_t action,
                      intake_resident_state_t *to_p);

//  Asks the table for a command on subject `subject_id`: 0 when allowed;
//  else refuses `reply` with FAILED_PRECONDITION naming `field` and the
//  resident's state, and returns CF_ESTATE.
int
intake_resident_check (const char *subject_id, intake_resident_state_t from,
                       intake_resident_action_t action, Caseflow__V1__Reply *reply,
                       const char *field);

//  The word of a resident's state ("kept", "held", "erased").
const char *
intake_resident_state_name (intake_resident_state_t state);

#endif
