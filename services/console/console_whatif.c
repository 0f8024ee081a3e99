//  console_whatif: the what-if and the forecast over the console's logs
//  (see console_whatif.h).
#include "console_whatif.h"

#include "assignment_whatif_answer.h"
#include "handover_progress_json.h"
#include "handover_query.h"

#include "cf_arena.h"
#include "cf_report.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

//  Every followed stream decoded into `arena`: intake's and assignment's
//  whole (the sandbox reads them all), the others as the report at `at`
//  reads them (cf_report_reads). The arrays are fresh (free them).
static void
s_decode (const console_state_t *state, int64_t at, cf_arena_t *arena, cf_fold_streams_t *streams)
{
    memset (streams, 0, sizeof *streams);
    for (int s = 0; s < CONSOLE_STREAM_COUNT; s++) {
        cf_fold_stream_t *stream = &streams->streams [s];
        stream->available = state->followed [s];
        if (!stream->available)
            continue;
        bool whole = s == CONSOLE_INTAKE || s == CF_FOLD_ASSIGNMENT;
        const console_log_t *log = state->logs [s];
        size_t count = console_log_count (log), n = 0;
        const Caseflow__V1__Event **events = calloc (count + 1, sizeof *events);
        assert (events);
        for (size_t i = 0; i < count; i++)
            if (whole
                || cf_report_reads ((cf_fold_stream_id_t) s, console_log_kind (log, i),
                                    console_log_occurred_at (log, i), at))
                events [n++] = console_log_decode (log, i, cf_arena_allocator (arena));
        stream->events = events;
        stream->count = n;
    }
}

static void
s_free (cf_fold_streams_t *streams)
{
    for (int s = 0; s < CF_FOLD_STREAM_COUNT; s++)
        free ((void *) streams->streams [s].events);
}

static const char *
s_why_not (const console_state_t *state)
{
    if (!state->followed [CONSOLE_INTAKE])
        return "the console does not follow intake's stream (--intake-events none): "
               "the what-if replays its facts";
    if (!state->followed [CF_FOLD_ASSIGNMENT])
        return "the console does not follow assignment's stream (--assignment-events none): "
               "the what-if replays its roster";
    return NULL;
}

//  The report's `handovers` for `at` in `figures` (borrowed), as the
//  console's report has them.
static void
s_embed_handovers (const console_state_t *state, json_t *figures, int64_t at)
{
    Caseflow__V1__Handover__ProgressReport *progress =
        state->followed [CF_FOLD_HANDOVER]
            ? handover_progress_report_new (state->handovers, NULL, at)
            : NULL;
    handover_progress_embed (figures, progress);
    if (progress)
        caseflow__v1__handover__progress_report__free_unpacked (progress, NULL);
}

Caseflow__V1__Console__WhatIfResult *
console_whatif_new (const console_state_t *state, const assignment_config_t *config,
                    const assignment_whatif_changes_t *changes, const char **why_p, char *error,
                    size_t error_size)
{
    assert (state && config && changes && why_p);
    *why_p = s_why_not (state);
    if (*why_p)
        return NULL;
    cf_arena_t *arena = cf_arena_new (0);
    cf_fold_streams_t streams;
    s_decode (state, changes->to, arena, &streams);
    assignment_whatif_t *whatif = NULL;
    json_t *answer = NULL;
    if (assignment_whatif_run (&streams.streams [CONSOLE_INTAKE],
                               &streams.streams [CF_FOLD_ASSIGNMENT], config, changes, &whatif,
                               error, error_size)
        == 0) {
        answer = assignment_whatif_answer (&streams, whatif, changes->from, changes->to);
        assert (answer);
        s_embed_handovers (state, json_object_get (answer, "actual"), changes->to);
        s_embed_handovers (state, json_object_get (answer, "whatif"), changes->to);
    }
    assignment_whatif_destroy (&whatif);
    s_free (&streams);
    cf_arena_destroy (&arena);
    if (!answer)
        return NULL;
    Caseflow__V1__Console__WhatIfResult *result = malloc (sizeof *result);
    assert (result);
    caseflow__v1__console__what_if_result__init (result);
    result->answer_json = json_dumps (answer, JSON_COMPACT);
    assert (result->answer_json);
    json_decref (answer);
    return result;
}

Caseflow__V1__Console__ForecastResult *
console_forecast_new (const console_state_t *state, const assignment_config_t *config,
                      const assignment_whatif_changes_t *changes, bool changed, uint32_t weeks,
                      uint32_t window, const char **why_p, char *error, size_t error_size)
{
    assert (state && config && changes && why_p);
    *why_p = s_why_not (state);
    if (*why_p)
        return NULL;
    cf_arena_t *arena = cf_arena_new (0);
    cf_fold_streams_t streams;
    s_decode (state, changes->to, arena, &streams);
    assignment_whatif_changes_t none = { .from = changes->from, .to = changes->to };
    json_t *answer = NULL, *whatif = NULL;
    int rc = assignment_whatif_forecast (&streams, config, &none, weeks, window, &answer, error,
                                         error_size);
    if (rc == 0 && changed) {
        rc = assignment_whatif_forecast (&streams, config, changes, weeks, window, &whatif, error,
                                         error_size);
        if (rc == 0)
            json_object_set (answer, "whatif", json_object_get (whatif, "points"));
        json_decref (whatif);
    }
    s_free (&streams);
    cf_arena_destroy (&arena);
    if (rc) {
        json_decref (answer);
        return NULL;
    }
    Caseflow__V1__Console__ForecastResult *result = malloc (sizeof *result);
    assert (result);
    caseflow__v1__console__forecast_result__init (result);
    result->answer_json = json_dumps (answer, JSON_COMPACT);
    assert (result->answer_json);
    json_decref (answer);
    return result;
}
