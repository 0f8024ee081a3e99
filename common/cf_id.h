//  cf_id: the one grammar of caseflow's ids, and the one refusal of a bad one.
//
//  Every id a person or another system chooses or quotes (cases, workers,
//  locations, group tracks, providers, handovers) follows one rule, so an
//  id one service accepts is accepted by every other: a location added at
//  assignment (`team:north`) is a location intake registers walk-ins at.
//
//      id          = 1-64 of  A-Z a-z 0-9 . _ : -
//      reminder id = ids joined by '/', at most 200 bytes: the parts
//                    notification builds it from ("callback/C000001/2")
//
//  Why these characters: they are what intake accepted, a superset of
//  what assignment and handover did, with the ':' that `team:north` needs;
//  they need no quoting in a shell, a URL path segment, a metric label or
//  a ZeroMQ topic, and '/' stays free to join ids into reminder ids. Ids
//  are case-sensitive and never trimmed. docs/vocabulary.md has the
//  decision.
//
//  A service refuses a bad id with INVALID_ARGUMENT, the field's dotted
//  path, and the same message everywhere, naming the field's last part:
//  "location_id is not an id: 1-64 letters, digits, '.', '_', ':' or '-'".
//  The message never quotes the value.
#ifndef CF_ID_H
#define CF_ID_H

#include "caseflow/v1/api.pb-c.h"

#include <stdbool.h>

//  Longest id and longest reminder id (bytes).
#define CF_ID_MAX          64
#define CF_REMINDER_ID_MAX 200

//  What an id is, as the refusals say it.
#define CF_ID_RULE          "1-64 letters, digits, '.', '_', ':' or '-'"
#define CF_REMINDER_ID_RULE "ids joined by '/', at most 200 characters (e.g. callback/C000001/2)"

//  True when `id` (may be NULL: false) follows the id grammar.
bool
cf_id_valid (const char *id);

//  True when `id` (may be NULL: false) is a reminder id: ids joined by
//  '/', at most CF_REMINDER_ID_MAX bytes.
bool
cf_id_valid_reminder (const char *id);

//  Checks the id in the field with dotted path `field` (e.g.
//  "command.assignment.add_location.location_id"). Returns true when `id`
//  is valid, or empty (or NULL) and not `required`. Otherwise sets the
//  reply's status to INVALID_ARGUMENT for `field`, with the message
//  "<last part> is required" or "<last part> is not an id: " CF_ID_RULE,
//  and returns false.
bool
cf_id_check (Caseflow__V1__Reply *reply, const char *field, const char *id, bool required);

//  The same for a reminder id ("... is not a reminder id: "
//  CF_REMINDER_ID_RULE).
bool
cf_id_check_reminder (Caseflow__V1__Reply *reply, const char *field, const char *id, bool required);

#endif
