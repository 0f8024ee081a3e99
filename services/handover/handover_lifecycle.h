//  handover_lifecycle: the one transition table of a handover.
//
//      announced ──plan──▶ meeting_planned ──held──▶ meeting_held
//          │                 │    ▲ plan (re-plan)        │
//          │                 └────┘                        decide
//          │                                               ▼
//          │                                            decided ──complete──▶ completed
//          └── cancel, from any open state (announced, meeting_planned,
//              meeting_held, decided) ──▶ cancelled
//
//  Recording the case-file transfer is allowed in every open state and
//  moves nothing. Every decision asks the table; an illegal move is
//  refused in one place with one message naming the current state.
#ifndef HANDOVER_LIFECYCLE_H
#define HANDOVER_LIFECYCLE_H

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

//  The state `action` leads to from `from` when it is allowed, else the
//  action's usual target (for applying recorded facts).
handover_status_t
handover_lifecycle_target (handover_action_t action, handover_status_t from);

//  Writes the states `action` is allowed from, as "a, b or c", into
//  `buf`. Returns buf.
char *
handover_lifecycle_allowed_from (handover_action_t action, char *buf, size_t size);

//  True for announced, meeting_planned, meeting_held and decided.
bool
handover_status_is_open (handover_status_t status);

//  Lower-case action names ("plan", "held", "record_files"); "unknown"
//  otherwise. The words of states and next steps are cf_words_handover_state
//  and cf_words_next_step (cf_words.h).
const char *
handover_action_name (handover_action_t action);

#endif
