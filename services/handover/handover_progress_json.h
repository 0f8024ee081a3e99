//  handover_progress_json: handover's progress report as the JSON document
//  of `caseflowctl --json handover progress` (CLI.md), the one definition
//  of its keys: caseflowctl prints it, caseflowctl's report embeds it as
//  `handovers`, and the console answers it (/api/handovers, and inside
//  /api/report), so the three cannot disagree.
//
//  Keys: at, deadline_at, forecast_window_days, deadline (the last day on
//  time), the counts (total completed decided in_progress cancelled
//  overdue at_risk announced meeting_planned meeting_held completed_late
//  completed_in_window remaining forecast_completion_date on_track), and
//  by_provider {P: {name, deadline, the counts}}. Times are
//  Europe/Amsterdam ISO 8601 (null for none); an empty forecast date is
//  null.
#ifndef HANDOVER_PROGRESS_JSON_H
#define HANDOVER_PROGRESS_JSON_H

#include "caseflow/v1/handover.pb-c.h"

#include <jansson.h>

//  The report as a fresh JSON object; never NULL. A report without totals
//  has no count keys at its top.
json_t *
handover_progress_json (const Caseflow__V1__Handover__ProgressReport *report);

//  Puts the handover figures into a council report's `figures` (the
//  document of cf_report_figures, handovers null): `handovers` becomes
//  `report`'s document when it has totals; without (NULL: the handover
//  stream is not followed) "handover" is added to its streams_left_out.
//  The one place `caseflowctl report` and the console's /api/report make
//  the report's `handovers` key.
void
handover_progress_embed (json_t *figures, const Caseflow__V1__Handover__ProgressReport *report);

#endif
