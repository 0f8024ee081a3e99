//  handover_progress: progress figures and forecast (definitions in the
//  header). Integer arithmetic only, so the same journal and the same
//  moment give the same figures on every machine.
#include "handover_progress.h"
#include "handover_lifecycle.h"

#include "cf_time.h"

#include <string.h>

handover_status_t
handover_status_at (const handover_t *handover, int64_t at)
{
    if (handover->announced_at > at)
        return HANDOVER_NONE;
    if (handover->cancelled_at && handover->cancelled_at <= at)
        return HANDOVER_CANCELLED;
    if (handover->completed_at && handover->completed_at <= at)
        return HANDOVER_COMPLETED;
    if (handover->decided_at && handover->decided_at <= at)
        return HANDOVER_DECIDED;
    if (handover->held_at && handover->held_at <= at)
        return HANDOVER_MEETING_HELD;
    if (handover->meeting_count && handover->meetings [0].planned_at <= at)
        return HANDOVER_MEETING_PLANNED;
    return HANDOVER_ANNOUNCED;
}

const handover_meeting_t *
handover_meeting_at (const handover_t *handover, int64_t at)
{
    const handover_meeting_t *meeting = NULL;
    for (size_t i = 0; i < handover->meeting_count; i++)
        if (handover->meetings [i].planned_at <= at)
            meeting = &handover->meetings [i];
    return meeting;
}

bool
handover_overdue_at (const handover_t *handover, int64_t at)
{
    return handover_status_is_open (handover_status_at (handover, at)) && at >= handover->deadline;
}

bool
handover_at_risk_at (const handover_t *handover, int64_t at, int64_t window)
{
    handover_status_t status = handover_status_at (handover, at);
    if (handover_overdue_at (handover, at))
        return false;
    if (status == HANDOVER_ANNOUNCED)
        return at >= handover->deadline - window;
    if (status == HANDOVER_MEETING_PLANNED) {
        const handover_meeting_t *meeting = handover_meeting_at (handover, at);
        return meeting && meeting->at >= handover->deadline;
    }
    return false;
}

void
handover_counts_add (handover_counts_t *counts, const handover_t *handover, int64_t at,
                     const handover_config_t *config)
{
    handover_status_t status = handover_status_at (handover, at);
    if (status == HANDOVER_NONE)
        return;
    counts->total++;
    switch (status) {
        case HANDOVER_ANNOUNCED:
            counts->announced++;
            counts->in_progress++;
            break;
        case HANDOVER_MEETING_PLANNED:
            counts->meeting_planned++;
            counts->in_progress++;
            break;
        case HANDOVER_MEETING_HELD:
            counts->meeting_held++;
            counts->in_progress++;
            break;
        case HANDOVER_DECIDED: counts->decided++; break;
        case HANDOVER_COMPLETED:
            counts->completed++;
            if (handover->completed_at >= handover->deadline)
                counts->completed_late++;
            if (handover->completed_at > at - config->forecast_window)
                counts->completed_in_window++;
            if (handover->completed_at > counts->last_closed_at)
                counts->last_closed_at = handover->completed_at;
            break;
        case HANDOVER_CANCELLED:
            counts->cancelled++;
            if (handover->cancelled_at > counts->last_closed_at)
                counts->last_closed_at = handover->cancelled_at;
            break;
        default: break;
    }
    if (handover_overdue_at (handover, at))
        counts->overdue++;
    if (handover_at_risk_at (handover, at, config->at_risk_window))
        counts->at_risk++;
}

void
handover_counts_forecast (handover_counts_t *counts, int64_t at, int64_t window, int64_t deadline)
{
    counts->remaining = counts->in_progress + counts->decided;
    counts->forecast_at = 0;
    counts->forecast_date [0] = 0;
    if (counts->total == 0) {
        counts->on_track = true;  //  nothing to hand over
        return;
    }
    if (counts->remaining == 0)
        counts->forecast_at = counts->last_closed_at;
    else if (counts->completed_in_window > 0) {
        //  remaining / (completed / window) = remaining * window / completed,
        //  in whole seconds rounded up; capped far beyond any real date.
        uint64_t window_s = (uint64_t) (window / CF_USEC_PER_SEC);
        uint64_t seconds = counts->remaining * window_s;
        seconds = (seconds + counts->completed_in_window - 1) / counts->completed_in_window;
        const uint64_t cap = UINT64_C (100) * 366 * 24 * 3600;  //  a century
        if (seconds > cap)
            seconds = cap;
        counts->forecast_at = at + (int64_t) seconds * CF_USEC_PER_SEC;
    }
    if (counts->forecast_at) {
        cf_time_format_date (counts->forecast_at, counts->forecast_date,
                             sizeof counts->forecast_date);
        counts->on_track = counts->forecast_at < deadline;
    } else
        counts->on_track = false;
}

void
handover_progress_compute (const handover_state_t *state, const char *provider_id, int64_t at,
                           handover_counts_t *counts)
{
    memset (counts, 0, sizeof *counts);
    for (size_t i = 0; i < state->count; i++) {
        const handover_t *handover = state->handovers [i];
        if (!provider_id || strcmp (handover->provider_id, provider_id) == 0)
            handover_counts_add (counts, handover, at, &state->config);
    }
    handover_counts_forecast (counts, at, state->config.forecast_window,
                              state->config.default_deadline);
}
