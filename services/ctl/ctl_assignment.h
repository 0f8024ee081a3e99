//  ctl_assignment: what the two files of the assignment group share
//  (ctl_assignment.c has the verbs, ctl_assignment_output.c the output).
//  Private to `caseflowctl assignment …` and `caseflowctl waiting`.
#ifndef CTL_ASSIGNMENT_H
#define CTL_ASSIGNMENT_H

#include "ctl.h"

#include "caseflow/v1/assignment.pb-c.h"

//  Words of the assignment enums ("partner-site", "best-match",
//  "waiting-list", "unassigned"); NULL for unspecified or unknown values
//  (printed as null in JSON). kind_parse returns -1 for an unknown word.
const char *
ctl_assignment_kind_name (int kind);
int
ctl_assignment_kind_parse (const char *word);
const char *
ctl_assignment_rule_name (int rule);
const char *
ctl_assignment_trigger_name (int trigger);
const char *
ctl_assignment_history_name (int kind);

//  `text`, or "-" when NULL or empty.
const char *
ctl_assignment_or_dash (const char *text);

//  A key and its value: text ("" is null), time (0 is null), number,
//  list of strings, list of domain words.
void
ctl_assignment_json_text (ctl_json_t *json, const char *key, const char *text);
void
ctl_assignment_json_time (ctl_json_t *json, const char *key, int64_t at);
void
ctl_assignment_json_uint (ctl_json_t *json, const char *key, uint64_t value);
void
ctl_assignment_json_strings (ctl_json_t *json, const char *key, char **strings, size_t count);
void
ctl_assignment_json_domains (ctl_json_t *json, const char *key, const Caseflow__V1__Domain *domains,
                             size_t count);

//  "debt,housing" and "L1,L2" into buf. Return buf.
char *
ctl_assignment_domains_text (const Caseflow__V1__Domain *domains, size_t count, char *buf,
                             size_t size);
char *
ctl_assignment_join (char **strings, size_t count, char *buf, size_t size);

//  The worker object of CLI.md ({worker_id, fte, locations, expertise,
//  absent, caseload, capacity} first, then the rest of the view).
void
ctl_assignment_json_worker (ctl_json_t *json, const Caseflow__V1__Assignment__WorkerView *worker);

//  "present", "absent since …", "absent from … until …" (planned), "left".
//  Returns buf.
char *
ctl_assignment_availability (const Caseflow__V1__Assignment__WorkerView *worker, char *buf,
                             size_t size);

//  A case's assignment and history: the JSON object and the human form.
void
ctl_assignment_json_case (ctl_json_t *json, const Caseflow__V1__Assignment__AssignmentView *view);
void
ctl_assignment_print_case (const Caseflow__V1__Assignment__AssignmentView *view);

#endif
