//  ctl_handover: what the two files of the handover group share
//  (ctl_handover.c has the verbs, ctl_handover_output.c the output).
//  Private to `caseflowctl handover …`.
#ifndef CTL_HANDOVER_H
#define CTL_HANDOVER_H

#include "ctl.h"

#include "caseflow/v1/handover.pb-c.h"
#include "cf_words.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  The word of a state or next step (cf_words_handover_state,
//  cf_words_next_step); "unknown" for a value without one.
const char *
ctl_handover_state_name (Caseflow__V1__Handover__HandoverState state);
const char *
ctl_handover_step_name (Caseflow__V1__Handover__NextStep step);

//  The value whose word in `table` is `word` ('_' reads as '-'), or -1.
int
ctl_handover_word_index (const cf_words_t *table, const char *word);

//  A deadline for people: "2022-06-30 (end of day)" when it falls at
//  midnight in Europe/Amsterdam, else "2022-06-30 12:00". Returns buf
//  (>= 40 bytes).
char *
ctl_handover_deadline_text (int64_t deadline, char *buf, size_t size);

//  One handover as a JSON object inside `json`; the resident (and the free
//  texts) only when `personal`.
void
ctl_handover_json_handover (ctl_json_t *json, const Caseflow__V1__Handover__HandoverView *view,
                            bool personal);

//  One handover on stdout: a JSON document (--json) or a few lines.
void
ctl_handover_print_handover (ctl_t *ctl, const Caseflow__V1__Handover__HandoverView *view,
                             bool personal);

//  The progress report as one JSON object inside `json` (the keys below;
//  `caseflowctl report` embeds it as its `handovers`).
void
ctl_handover_json_progress (ctl_json_t *json, const Caseflow__V1__Handover__ProgressReport *report);

//  The progress report on stdout: JSON with the keys of CLI.md (deadline,
//  total, completed, decided, in_progress, cancelled, overdue,
//  forecast_completion_date, by_provider {P: {…same…}}, and more), or a
//  table per provider with the forecast in a sentence.
void
ctl_handover_print_progress (ctl_t *ctl, const Caseflow__V1__Handover__ProgressReport *report);

#endif
