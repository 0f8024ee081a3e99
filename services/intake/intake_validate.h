//  intake_validate: what intake's decisions check that is intake's own:
//  its texts' limits and its case ids. The rules intake shares with the
//  other services (ids, free text, BSN, dates, phone numbers, the
//  resident's identity key) are in common/ (cf_id.h, cf_text.h,
//  cf_resident.h, cf_calendar.h).
//  No state, no allocation; every function is safe on any NUL-terminated
//  input.
#ifndef INTAKE_VALIDATE_H
#define INTAKE_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  Longest texts accepted (bytes).
#define INTAKE_MAX_NAME     200    //  a resident's or a track's name
#define INTAKE_MAX_SHORT    200    //  district, referring organisation
#define INTAKE_MAX_REASON   1000   //  triage / close / withdraw reasons
#define INTAKE_MAX_TEXT     4000   //  question, notes
#define INTAKE_MAX_CAPACITY 10000  //  places in a group track

//  Case ids: "C" followed by the number zero-padded to 6 digits ("C000042",
//  "C1234567"). Writes the id of `number` (>= 1) into `buf` (>= 24 bytes)
//  and returns buf.
char *
intake_case_id_format (uint64_t number, char *buf, size_t size);

//  Parses a case id in exactly the form intake_case_id_format writes.
//  Returns true and sets *number_p (>= 1), or false for anything else.
bool
intake_case_id_parse (const char *id, uint64_t *number_p);

#endif
