//  console_whatif: the what-if and the forecast as the console answers
//  them (console.WhatIf, console.Forecast; docs/whatif.md).
//
//  Where it runs, and why: in the console, over the events it already
//  follows and keeps, never in the live assignment service. The sandbox is
//  assignment's own library (assignment_whatif.h: the same decide, react
//  and policy code the service runs, linked into both binaries), so the
//  console needs nothing from assignment at run time and the live service
//  is not slowed by a what-if: it runs in another process, on its own
//  copy of the history (services/assignment/bench/bench_whatif.c measures
//  assignment's command latency with and without what-ifs running). The
//  policy's settings are read from assignment's own environment variables
//  (ASSIGNMENT_CONFIG_ENTRIES), so a deployment sets them once for both.
//
//  A what-if runs on the console's loop, between two messages: the events
//  are decoded for the call and freed with it; nothing is kept.
#ifndef CONSOLE_WHATIF_H
#define CONSOLE_WHATIF_H

#include "console_state.h"

#include "assignment_whatif.h"
#include "caseflow/v1/console.pb-c.h"

//  The answer of a what-if (`changes`, borrowed) with the policy's
//  `config`: fresh (free with ..._what_if_result__free_unpacked), the
//  document of assignment_whatif_answer with `handovers` embedded in both
//  sides, so `actual` is the report for `to`, byte for byte. NULL when it
//  cannot be made: *why_p (static) when intake's or assignment's stream
//  is not followed, else the changes' refusal in `error` (naming the
//  option).
Caseflow__V1__Console__WhatIfResult *
console_whatif_new (const console_state_t *state, const assignment_config_t *config,
                    const assignment_whatif_changes_t *changes, const char **why_p, char *error,
                    size_t error_size);

//  The forecast for `weeks` weeks at the inflow of the last `window`,
//  from `changes->to`: fresh, the document of assignment_whatif_forecast
//  with no changes, and the same with `changes` as `whatif` beside it
//  when `changed`. NULL as above.
Caseflow__V1__Console__ForecastResult *
console_forecast_new (const console_state_t *state, const assignment_config_t *config,
                      const assignment_whatif_changes_t *changes, bool changed, uint32_t weeks,
                      uint32_t window, const char **why_p, char *error, size_t error_size);

#endif
