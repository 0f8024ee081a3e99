//  handover_validate: field checks shared by the handover commands.
//
//  Each check returns 0 when the value is good, or fills `reply` with
//  INVALID_ARGUMENT naming the field ("<prefix>.<field>") and returns -1,
//  so a handler validates with a chain of `if (check (...)) return;`.
//  Messages never quote the value (it may be personal data).
#ifndef HANDOVER_VALIDATE_H
#define HANDOVER_VALIDATE_H

#include "caseflow/v1/api.pb-c.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  Text limits (bytes).
#define HANDOVER_MAX_NAME         200
#define HANDOVER_MAX_TEXT         2000
#define HANDOVER_MAX_REASON       500
#define HANDOVER_MAX_LOCATION     200
#define HANDOVER_MAX_TYPE         64
#define HANDOVER_MAX_PARTICIPANTS 20
#define HANDOVER_MAX_DOCUMENTS    200
#define HANDOVER_MAX_CASELOAD     1000

//  An id: the one id rule and refusal of every service (cf_id.h);
//  `required` false allows empty.
int
handover_check_id (const char *id, bool required, const char *prefix, const char *field,
                   Caseflow__V1__Reply *reply);

//  Free text by the rule and refusal of every service (cf_text.h): at
//  most `max` bytes of valid UTF-8, not blank when `required`, control
//  characters refused but newlines and tabs when `multiline`.
int
handover_check_text (const char *text, bool required, size_t max, bool multiline,
                     const char *prefix, const char *field, Caseflow__V1__Reply *reply);

//  A resident's personal data: present, name required; birth date (up to
//  `today`, "YYYY-MM-DD"), BSN and phone by the rules of cf_resident.h,
//  and district well-formed, when given.
int
handover_check_resident (const Caseflow__V1__PersonalData *resident, const char *prefix,
                         const char *today, Caseflow__V1__Reply *reply);

//  At least one domain, each known and none twice.
int
handover_check_domains (const Caseflow__V1__Domain *domains, size_t count, const char *prefix,
                        Caseflow__V1__Reply *reply);

//  UNSPECIFIED, REGULAR or URGENT.
int
handover_check_urgency (Caseflow__V1__Urgency urgency, const char *prefix,
                        Caseflow__V1__Reply *reply);

//  A meeting's location (optional, one line) and participants (at most
//  HANDOVER_MAX_PARTICIPANTS, each 1 to HANDOVER_MAX_NAME bytes).
int
handover_check_meeting (const char *location, char *const *participants, size_t count,
                        const char *prefix, Caseflow__V1__Reply *reply);

//  A case-file transfer: exactly one of documents (1 to
//  HANDOVER_MAX_DOCUMENTS) and `waive`; each document present, its title
//  required, its type optional, received_at from 0 (now) up to `now`.
int
handover_check_documents (Caseflow__V1__Handover__Document *const *documents, size_t count,
                          bool waive, int64_t now, const char *prefix, Caseflow__V1__Reply *reply);

#endif
