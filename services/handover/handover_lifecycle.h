//  handover_lifecycle: the one transition table of a handover.
//
//      announced ──plan──▶ meeting-planned ──held──▶ meeting-held
//          │                 │    ▲ plan (re-plan)        │
//          │                 └────┘                        decide
//          │                                               ▼
//          │                                            decided ──complete──▶ completed
//          └── cancel, from any open state (announced, meeting-planned,
//              meeting-held, decided) ──▶ cancelled
//
//  Recording the case-file transfer is allowed in every open state and
//  moves nothing. Every decision asks the table (common/cf_lifecycle.h);
//  an illegal move is refused in one place with one message naming the
//  current state: "handover H000001 is completed; plan needs it announced
//  or meeting-planned". Apply asks it too: an event this service decided
//  always makes a move the table lists (asserted).
#ifndef HANDOVER_LIFECYCLE_H
#define HANDOVER_LIFECYCLE_H

#include "caseflow/v1/api.pb-c.h"
#include "handover_state.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    HANDOVER_PLAN,
    HANDOVER_HOLD,
    HANDOVER_DECIDE,
    HANDOVER_RECORD_FILES,
    HANDOVER_COMPLETE,
    HANDOVER_CANCEL,
    HANDOVER_ACTION_COUNT
} handover_action_t;

//  Where `action` takes a handover in state `from`: returns 0 and sets
//  *next_p, or CF_ESTATE when the table has no such move.
int
handover_lifecycle_next (handover_status_t from, handover_action_t action,
                         handover_status_t *next_p);

//  Asks the table for a command on `handover`: returns 0 and sets *next_p
//  (when not NULL) when `action` is allowed from its state; else refuses
//  `reply` with FAILED_PRECONDITION naming `field` and the handover's
//  state, and returns CF_ESTATE.
int
handover_lifecycle_check (const handover_t *handover, handover_action_t action,
                          handover_status_t *next_p, Caseflow__V1__Reply *reply, const char *field);

//  Writes the states `action` is allowed from, as "a, b or c", into
//  `buf`. Returns buf.
char *
handover_lifecycle_allowed_from (handover_action_t action, char *buf, size_t size);

//  True for announced, meeting-planned, meeting-held and decided.
bool
handover_status_is_open (handover_status_t status);

//  Lower-case action names ("plan", "held", "record_files"); "unknown"
//  otherwise. The words of states and next steps are cf_words_handover_state
//  and cf_words_next_step (cf_words.h).
const char *
handover_action_name (handover_action_t action);

#endif
