//  cf_words: the words of caseflow's enums, in both directions.
//
//  People read and type enum values as lower-case words: caseflowctl's
//  flags and output (shared/CLI.md is the contract; `--json` prints enums
//  as these words), the services' error messages and log lines. Each enum
//  has one table here, used by all of them, so a word can never be spelt
//  one way by a service and another by the command line (docs/vocabulary.md
//  lists them). Words are lower case, with '-' between parts
//  ("walk-in", "meeting-planned"), never '_'.
//
//  A table maps the enum's values 1 .. count-1 to words; value 0 is the
//  proto's UNSPECIFIED, which has no word (a reader treats it as missing).
//  The tables are constant and have no state: safe from any thread.
#ifndef CF_WORDS_H
#define CF_WORDS_H

#include <stddef.h>

typedef struct {
    const char *const *words;  //  words [value], words [0] NULL
    int count;                 //  values 0 .. count-1
} cf_words_t;

//  caseflow.v1 (common.proto)
extern const cf_words_t cf_words_domain;       //  youth, support, work-income, ...
extern const cf_words_t cf_words_urgency;      //  regular, urgent
extern const cf_words_t cf_words_channel;      //  phone, walk-in, web, partner, ...
extern const cf_words_t cf_words_case_status;  //  registered, waiting, urgent, ...
//  caseflow.v1.intake
extern const cf_words_t cf_words_callback_outcome;  //  reached, not-reached, ...
extern const cf_words_t cf_words_closure;           //  advised, withdrawn, closed, ...
//  caseflow.v1.assignment
extern const cf_words_t cf_words_location_kind;       //  neighbourhood, school, partner-site
extern const cf_words_t cf_words_assignment_rule;     //  continuity, best-match, manual
extern const cf_words_t cf_words_assignment_trigger;  //  urgent, waiting-list, absence, ...
extern const cf_words_t cf_words_history_kind;        //  queued, assigned, unassigned, ...
//  caseflow.v1.handover
extern const cf_words_t cf_words_handover_state;  //  announced, meeting-planned, ...
extern const cf_words_t cf_words_next_step;       //  continue, stay, end, refer
//  caseflow.v1.notification
extern const cf_words_t cf_words_age_band;       //  0-17, 18-26, 27-66, 67+
extern const cf_words_t cf_words_erasure_basis;  //  request, retention

extern const cf_words_t cf_words_reminder_kind;    //  callback, callback-overdue, ...
extern const cf_words_t cf_words_reminder_status;  //  pending, due, acknowledged, cancelled
//  caseflow.v1.gateway
extern const cf_words_t cf_words_publisher_channel;  //  partner, municipality, provider, telephony
extern const cf_words_t cf_words_inbound_state;      //  accepted, applied, rejected
extern const cf_words_t cf_words_law;                //  wmo, jeugdwet, participatiewet, other

//  The word of `value`, or NULL for 0 (unspecified) and for values the
//  table does not know. Static string.
const char *
cf_words_find (const cf_words_t *table, int value);

//  The word of `value` for messages and log lines: the word, "unspecified"
//  for 0, "unknown" for values the table does not know. Never NULL.
const char *
cf_words_name (const cf_words_t *table, int value);

//  The value whose word is `word` (exactly, case-sensitive), >= 1; or -1
//  when `word` is NULL or not one of the table's words.
int
cf_words_parse (const cf_words_t *table, const char *word);

//  Writes every word of the table, in value order, separated by ", ",
//  into `buf` (cut to fit, always terminated): "regular, urgent". Returns
//  buf. For usage messages that list what a flag takes.
char *
cf_words_list (const cf_words_t *table, char *buf, size_t size);

#endif
