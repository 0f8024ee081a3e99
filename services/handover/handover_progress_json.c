//  handover_progress_json: the progress report's JSON document (see
//  handover_progress_json.h).
#include "handover_progress_json.h"

#include "cf_fold.h"

#include <assert.h>

//  The counts' keys, in the order CLI.md lists them.
static void
s_counts (json_t *object, const Caseflow__V1__Handover__ProgressCounts *counts)
{
    static const struct {
        const char *key;
        size_t offset;
    } numbers [] = {
#define S_COUNT(name) { #name, offsetof (Caseflow__V1__Handover__ProgressCounts, name) }
        S_COUNT (total),        S_COUNT (completed),      S_COUNT (decided),
        S_COUNT (in_progress),  S_COUNT (cancelled),      S_COUNT (overdue),
        S_COUNT (at_risk),      S_COUNT (announced),      S_COUNT (meeting_planned),
        S_COUNT (meeting_held), S_COUNT (completed_late), S_COUNT (completed_in_window),
        S_COUNT (remaining),
#undef S_COUNT
    };
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
        uint64_t value = *(const uint64_t *) ((const char *) counts + numbers [i].offset);
        json_object_set_new (object, numbers [i].key, json_integer ((json_int_t) value));
    }
    const char *date = counts->forecast_completion_date;
    json_object_set_new (object, "forecast_completion_date",
                         cf_fold_json_text (date && *date ? date : NULL));
    json_object_set_new (object, "on_track", json_boolean (counts->on_track));
}

json_t *
handover_progress_json (const Caseflow__V1__Handover__ProgressReport *report)
{
    assert (report);
    json_t *object = json_object ();
    json_object_set_new (object, "at", cf_fold_json_time (report->at));
    json_object_set_new (object, "deadline_at", cf_fold_json_time (report->deadline));
    json_object_set_new (object, "forecast_window_days",
                         json_integer ((json_int_t) report->forecast_window_days));
    json_object_set_new (object, "deadline", cf_fold_json_text (report->deadline_date));
    if (report->totals)
        s_counts (object, report->totals);
    json_t *by_provider = json_object ();
    for (size_t i = 0; i < report->n_by_provider; i++) {
        const Caseflow__V1__Handover__ProviderProgress *provider = report->by_provider [i];
        json_t *counts = json_object ();
        json_object_set_new (counts, "name", cf_fold_json_text (provider->name));
        json_object_set_new (counts, "deadline", cf_fold_json_text (report->deadline_date));
        if (provider->counts)
            s_counts (counts, provider->counts);
        json_object_set_new (by_provider, provider->provider_id, counts);
    }
    json_object_set_new (object, "by_provider", by_provider);
    return object;
}

void
handover_progress_embed (json_t *figures, const Caseflow__V1__Handover__ProgressReport *report)
{
    assert (json_is_object (figures));
    if (report && report->totals)
        json_object_set_new (figures, "handovers", handover_progress_json (report));
    else
        json_array_append_new (json_object_get (figures, "streams_left_out"),
                               json_string ("handover"));
}
