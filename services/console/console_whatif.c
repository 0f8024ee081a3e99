//  console_whatif: the what-if and the forecast over the console's logs
//  (see console_whatif.h).
#include "console_whatif.h"

#include "console_report.h"

#include "assignment_whatif_answer.h"

#include "cf_arena.h"
#include "cf_report.h"

#include <assert.h>
#include <stdlib.h>

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
    console_report_decode (state, changes->to, true, arena, &streams);
    assignment_whatif_t *whatif = NULL;
    json_t *answer = NULL;
    if (assignment_whatif_run (&streams.streams [CONSOLE_INTAKE],
                               &streams.streams [CF_FOLD_ASSIGNMENT], config, changes, &whatif,
                               error, error_size)
        == 0) {
        answer = assignment_whatif_answer (&streams, whatif, changes->from, changes->to);
        assert (answer);
        console_report_embed_handovers (state, json_object_get (answer, "actual"), changes->to);
        console_report_embed_handovers (state, json_object_get (answer, "whatif"), changes->to);
    }
    assignment_whatif_destroy (&whatif);
    console_report_decoded_free (&streams);
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
    console_report_decode (state, changes->to, true, arena, &streams);
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
    console_report_decoded_free (&streams);
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
