//  cf_lifecycle: a lifecycle as one transition table, with one refusal.
//
//  Every lifecycle in caseflow (a case in intake, a case's assignment and
//  a worker's presence in assignment, a handover, a reminder) is written as
//  a list of moves (action, from) -> to in its service's <svc>_lifecycle.c
//  and asked here. A decision asks the table before it emits anything; a
//  move the table does not list is refused in one place with one message
//  that names the current state and the states the action is allowed from:
//
//      handover H000001 is completed; plan needs it announced or meeting-planned
//
//  An action that is allowed from a state and changes nothing is a row
//  with to == from (a re-plan, a re-triage). States and actions are the
//  service's own enum values, held as ints; the table names them through
//  its word functions. Tables are static and immutable; every call is
//  pure.
#ifndef CF_LIFECYCLE_H
#define CF_LIFECYCLE_H

#include "caseflow/v1/api.pb-c.h"

#include <stdbool.h>
#include <stddef.h>

//  Room for any refusal (cf_lifecycle_refusal).
#define CF_LIFECYCLE_REFUSAL_SIZE 256

typedef struct {
    int action;
    int from;
    int to;
} cf_lifecycle_move_t;

typedef struct {
    const char *entity;  //  what moves, as the refusal names it: "case", "handover"
    const cf_lifecycle_move_t *moves;
    size_t count;
    //  Words of states and actions (static strings; never NULL).
    const char *(*state_word) (int state);
    const char *(*action_word) (int action);
} cf_lifecycle_t;

//  Where `action` takes something in state `from`: returns 0 and sets
//  *to_p (when not NULL), or CF_ESTATE when the table has no such move.
int
cf_lifecycle_next (const cf_lifecycle_t *self, int from, int action, int *to_p);

//  True when the table lists a move of `action` from `from`.
bool
cf_lifecycle_allows (const cf_lifecycle_t *self, int from, int action);

//  Writes the states `action` is allowed from, in table order, as
//  "a, b or c" ("nothing" when none) into `buf`. Returns buf.
char *
cf_lifecycle_allowed_from (const cf_lifecycle_t *self, int action, char *buf, size_t size);

//  Writes the refusal of `action` on `id` in state `from` into `buf`
//  (CF_LIFECYCLE_REFUSAL_SIZE is enough for ids up to 64 characters):
//  "<entity> <id> is <from>; <action> needs it <allowed-from>". Returns buf.
char *
cf_lifecycle_refusal (const cf_lifecycle_t *self, const char *id, int from, int action, char *buf,
                      size_t size);

//  Asks the table for a command: returns 0 and sets *to_p (when not NULL)
//  when the move is allowed; else sets `reply`'s status to
//  FAILED_PRECONDITION naming `field`, with the refusal as its message, and
//  returns CF_ESTATE.
int
cf_lifecycle_check (const cf_lifecycle_t *self, const char *id, int from, int action, int *to_p,
                    Caseflow__V1__Reply *reply, const char *field);

#endif
