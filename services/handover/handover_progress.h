//  handover_progress: the progress figures and the forecast, as of any
//  moment, from the handovers' recorded history.
//
//  Every figure is a pure function of the state (which is the journal
//  replayed) and the moment `at`: a handover's state at `at` follows from
//  the times it was announced, planned, held, decided, completed or
//  cancelled, so the figures for a past date are the same every time they
//  are asked for, and do not change when later events arrive.
//
//  Definitions (at `at`):
//    total        announced at or before `at`
//    in_progress  announced, meeting_planned or meeting_held
//    decided      decided, not yet completed
//    completed, cancelled
//                 (total = in_progress + decided + completed + cancelled)
//    overdue      open (not completed or cancelled) and `at` >= its deadline
//    at_risk      open, not overdue, not yet decided, and either still
//                 without a meeting while `at` is within the at-risk window
//                 before the deadline, or with its meeting planned at or
//                 after the deadline
//    completed_late  completed at or after its deadline
//
//  Forecast: the rate is the completions in the forecast window
//  (at - window, at], per window. The remaining handovers (in_progress +
//  decided) are done at `at` + remaining / rate, rounded up to the second;
//  the forecast date is that instant's Europe/Amsterdam date. With nothing
//  remaining the forecast is the date of the last completion or
//  cancellation; with remaining handovers and no completion in the window
//  there is no forecast (empty date, not on track). On track means the
//  forecast instant (or the last closure) is before the deadline.
#ifndef HANDOVER_PROGRESS_H
#define HANDOVER_PROGRESS_H

#include "handover_state.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    uint64_t total;
    uint64_t in_progress;
    uint64_t announced;
    uint64_t meeting_planned;
    uint64_t meeting_held;
    uint64_t decided;
    uint64_t completed;
    uint64_t cancelled;
    uint64_t overdue;
    uint64_t at_risk;
    uint64_t completed_late;
    uint64_t completed_in_window;
    uint64_t remaining;
    int64_t last_closed_at;   //  last completion or cancellation (0: none)
    int64_t forecast_at;      //  0: no forecast
    char forecast_date [32];  //  "YYYY-MM-DD" or ""
    bool on_track;
} handover_counts_t;

//  The state `handover` was in at `at`; HANDOVER_NONE when it was
//  announced after `at`.
handover_status_t
handover_status_at (const handover_t *handover, int64_t at);

//  The meeting as planned at `at` (the last planning made by then), or
//  NULL. Borrowed.
const handover_meeting_t *
handover_meeting_at (const handover_t *handover, int64_t at);

//  Overdue and at risk at `at` (see above); `window` is the at-risk window.
bool
handover_overdue_at (const handover_t *handover, int64_t at);
bool
handover_at_risk_at (const handover_t *handover, int64_t at, int64_t window);

//  Counts `handover` into `counts` as it was at `at` (nothing when it was
//  announced later). `config` gives the windows.
void
handover_counts_add (handover_counts_t *counts, const handover_t *handover, int64_t at,
                     const handover_config_t *config);

//  Fills the forecast fields of `counts` (after every handover was added)
//  for `at`, the forecast window and the deadline.
void
handover_counts_forecast (handover_counts_t *counts, int64_t at, int64_t window, int64_t deadline);

//  Zeroes `counts`, adds every handover of `provider_id` (NULL: all) as at
//  `at` and computes the forecast against the configured deadline.
void
handover_progress_compute (const handover_state_t *state, const char *provider_id, int64_t at,
                           handover_counts_t *counts);

#endif
