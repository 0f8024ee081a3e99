//  console_series: the weekly series the Report page's charts draw, as one
//  JSON document (the page and GET /api/series read the same).
//
//  A series is read from reports at consecutive week ends (each a
//  document of `caseflowctl --json report`): a week's registrations are
//  the difference of the channel totals at its two ends, every other point
//  is a figure the report at the week's end gives, so each point is what
//  the report itself says at that moment (docs/console.md, "The report's
//  charts").
#ifndef CONSOLE_SERIES_H
#define CONSOLE_SERIES_H

#include <jansson.h>

//  The series over `reports` (borrowed), a JSON array of reports oldest
//  first: the first is the start of the first week, each next one the end
//  of a week. Returns a fresh object (json_decref it):
//
//      { at, deadline, forecast_completion_date,
//        weeks: [{ week_end, registrations, registrations_by_channel: {…},
//                  waiting, wait_days_median, callbacks_on_time_pct,
//                  calls_answered_pct, handovers_completed_pct }] }
//
//  `at` is the last report's moment; `deadline` and
//  `forecast_completion_date` its handover progress's (null without one).
//  A week's `registrations_by_channel` has the channels the last report
//  knows, in its order; a figure a report does not give is null, and so
//  is `handovers_completed_pct` without handovers. Fewer than two reports
//  give no weeks. Never NULL.
json_t *
console_series_new (const json_t *reports);

#endif
