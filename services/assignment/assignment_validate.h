//  assignment_validate: the field checks of the assignment commands.
//
//  Each check returns true when the value is good, or fills `reply` with
//  INVALID_ARGUMENT naming `field` (a dotted path,
//  "command.assignment.add_worker.fte_milli") and returns false, so a
//  handler validates with a chain of `if (!check (...) || ...) return;`.
//  A list of locations must also name locations that exist (NOT_FOUND).
#ifndef ASSIGNMENT_VALIDATE_H
#define ASSIGNMENT_VALIDATE_H

#include "assignment_state.h"
#include "caseflow/v1/api.pb-c.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  Limits (bytes, or counts).
#define ASSIGNMENT_MAX_NAME      200
#define ASSIGNMENT_MAX_DISTRICT  128
#define ASSIGNMENT_MAX_DISTRICTS 64
#define ASSIGNMENT_MAX_LOCATIONS 32
#define ASSIGNMENT_MAX_REASON    1000
#define ASSIGNMENT_MAX_OUTCOME   2000
#define ASSIGNMENT_MAX_CASELOAD  1000

//  A required id (cf_id.h: the grammar and refusal of every service).
bool
assignment_check_id (Caseflow__V1__Reply *reply, const char *field, const char *id);

//  Required one-line free text of at most `max` bytes (cf_text.h: the
//  rule and refusal of every service).
bool
assignment_check_text (Caseflow__V1__Reply *reply, const char *field, const char *text, size_t max);

//  FTE in thousandths: 100-1000 (0.1-1.0).
bool
assignment_check_fte (Caseflow__V1__Reply *reply, const char *field, uint32_t fte_milli);

//  A personal caseload limit: at most ASSIGNMENT_MAX_CASELOAD (0: per FTE).
bool
assignment_check_max_caseload (Caseflow__V1__Reply *reply, const char *field,
                               uint32_t max_caseload);

//  1-ASSIGNMENT_MAX_LOCATIONS location ids, none twice, each one that
//  exists in `state` (NOT_FOUND otherwise).
bool
assignment_check_locations (assignment_state_t *state, Caseflow__V1__Reply *reply,
                            const char *field, char *const *locations, size_t count);

//  At least one domain, each known and none twice.
bool
assignment_check_expertise (Caseflow__V1__Reply *reply, const char *field,
                            const Caseflow__V1__Domain *domains, size_t count);

#endif
