//  assignment_whatif_answer: the what-if's figures, the actual and the
//  sandbox's side by side, through the report folds (common/cf_report.h);
//  and the forecast of the waiting list (docs/whatif.md).
//
//  Both read recorded streams only (the real ones and the sandbox's,
//  assignment_whatif.h) and a moment: no clock, no store. The same inputs
//  give the same document, byte for byte.
#ifndef ASSIGNMENT_WHATIF_ANSWER_H
#define ASSIGNMENT_WHATIF_ANSWER_H

#include "assignment_whatif.h"
#include "cf_fold.h"

#include <jansson.h>

//  The keys of each weekly point, for each side: the waiting list's
//  length, the mean and median wait (days), the urgent pickup median
//  (hours), the caseload per location.
#define ASSIGNMENT_WHATIF_WEEKLY_KEYS \
    "waiting wait_days_mean wait_days_median urgent_pickup_hours_median caseload_by_location"

//  The answer (fresh; free with json_decref):
//  {from, to, actual: {report figures at to}, whatif: {the same keys},
//   weeks: [{at, actual: {weekly keys}, whatif: {weekly keys}}]}
//  with a point every 7 days after `from` up to `to`, and `to` itself.
//  `real` are the recorded streams (intake required); `whatif` is a
//  sandbox run over them. `handovers` in both figures is null: the
//  caller's (the sandbox changes nothing of handover's).
json_t *
assignment_whatif_answer (const cf_fold_streams_t *real, const assignment_whatif_t *whatif,
                          int64_t from, int64_t to);

//  Forecasts the waiting list's length and median wait for `weeks` weeks
//  after `changes->to`, at the inflow of the `window` weeks before it:
//  intake's facts of those weeks (registrations, triage, questions,
//  closures) come again, window after window, as new cases, into the
//  roster as it stands, with `changes` in force (none: a zeroed struct
//  with from and to). Returns 0 and *answer_p (fresh):
//  {at, weeks, window, points: [{at, waiting, wait_days_median}]}, or
//  CF_EINVAL with a message naming the option ("--weeks", "--window", or
//  assignment_whatif_check's) in `error`.
int
assignment_whatif_forecast (const cf_fold_streams_t *real, const assignment_config_t *config,
                            const assignment_whatif_changes_t *changes, uint32_t weeks,
                            uint32_t window, json_t **answer_p, char *error, size_t error_size);

//  At most this many weeks ahead, and back for the window.
#define ASSIGNMENT_WHATIF_MAX_WEEKS 104

#endif
