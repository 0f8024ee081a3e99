//  console_timeline: the events of one case's timeline, found through the
//  case index (console_state.h) for caseflowctl's `case show` to fold.
//
//  Which events concern a case: intake's, assignment's and notification's
//  that name it (envelope or body case_id), and those of the handovers it
//  came from (the handover stream's, and notification's about their
//  reminders), as its intake events name them. Whether the console has
//  caught up to the moment is the caller's question (console_view_behind),
//  asked first.
#ifndef CONSOLE_TIMELINE_H
#define CONSOLE_TIMELINE_H

#include "console_state.h"

#include "caseflow/v1/console.pb-c.h"

#include <stdint.h>

//  The events of case `case_id` up to `at` (occurred_at <= at), as
//  CaseTimelineResult says: fresh (free with
//  ..._case_timeline_result__free_unpacked). NULL when the case was not
//  registered by `at`.
Caseflow__V1__Console__CaseTimelineResult *
console_timeline_new (const console_state_t *state, const char *case_id, int64_t at);

#endif
