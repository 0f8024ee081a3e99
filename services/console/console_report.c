//  console_report: the folds of history, fed from the logs (see
//  console_report.h).
//
//  Intake's and assignment's passes come from the state's checkpoints
//  (cf_report_checkpoints: the fold nearest before `at`, folded on to it).
//  Notification's and the gateway's passes read decoded events in seq
//  order, a stream at a time, as before. Only the
//  events the report's folds read are decoded (cf_report_reads: by the
//  kind and occurred_at the log keeps beside each event), so a report
//  for an early moment, or over a history of many kinds it never counts,
//  decodes a part of it; the rest is left out, which gives the same
//  figures. What is decoded goes into one arena (protobuf-c's dozen small
//  allocations per event become bumps of a pointer), dropped with the
//  answer.
#include "console_report.h"

#include "handover_progress_json.h"
#include "handover_query.h"

#include "cf_arena.h"
#include "cf_report.h"

#include <assert.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

//  Every followed stream's events the report at `at` reads, decoded into
//  `arena`; the arrays are fresh (free each streams[i].events with free).
static void
s_decode_read (const console_state_t *state, int64_t at, cf_arena_t *arena,
               cf_fold_streams_t *streams)
{
    memset (streams, 0, sizeof *streams);
    for (int s = 0; s < CONSOLE_STREAM_COUNT; s++) {
        cf_fold_stream_t *stream = &streams->streams [s];
        stream->available = state->followed [s];
        if (!stream->available)
            continue;
        //  Intake's and assignment's events are the checkpoints' to read.
        if (s == CONSOLE_INTAKE || s == CONSOLE_ASSIGNMENT)
            continue;
        const console_log_t *log = state->logs [s];
        size_t count = console_log_count (log), n = 0;
        const Caseflow__V1__Event **events = calloc (count + 1, sizeof *events);
        assert (events);
        for (size_t i = 0; i < count; i++)
            if (cf_report_reads ((cf_fold_stream_id_t) s, console_log_kind (log, i),
                                 console_log_occurred_at (log, i), at))
                events [n++] = console_log_decode (log, i, cf_arena_allocator (arena));
        stream->events = events;
        stream->count = n;
    }
}

static void
s_free_all (cf_fold_streams_t *streams)
{
    for (int s = 0; s < CF_FOLD_STREAM_COUNT; s++)
        free ((void *) streams->streams [s].events);
}

//  Why there is no report, or NULL when there is one.
static const char *
s_why_not (const console_state_t *state)
{
    return state->followed [CONSOLE_INTAKE]
               ? NULL
               : "the console does not follow intake's stream (--intake-events none): "
                 "every figure counts its cases";
}

Caseflow__V1__Console__ReportResult *
console_report_new (const console_state_t *state, int64_t at, const char **why_p)
{
    assert (state && why_p);
    *why_p = s_why_not (state);
    if (*why_p)
        return NULL;
    cf_arena_t *arena = cf_arena_new (0);
    cf_fold_streams_t streams;
    s_decode_read (state, at, arena, &streams);
    json_t *figures = cf_report_checkpoints_figures (state->checkpoints, &streams, at);
    s_free_all (&streams);
    cf_arena_destroy (&arena);
    assert (figures);
    Caseflow__V1__Console__ReportResult *result = malloc (sizeof *result);
    assert (result);
    caseflow__v1__console__report_result__init (result);
    result->at = at;
    result->figures_json = json_dumps (figures, JSON_COMPACT);
    assert (result->figures_json);
    json_decref (figures);
    if (state->followed [CONSOLE_HANDOVER])
        result->handovers = handover_progress_report_new (state->handovers, NULL, at);
    return result;
}

int
console_report_documents (const console_state_t *state, const int64_t *ats, size_t count,
                          json_t **figures, const char **why_p)
{
    assert (state && (ats || !count) && figures && why_p);
    *why_p = s_why_not (state);
    if (*why_p)
        return -1;
    //  What the report at the latest moment reads holds what every earlier
    //  one reads (cf_report_reads): one decode serves them all.
    int64_t latest = INT64_MIN;
    for (size_t i = 0; i < count; i++)
        latest = ats [i] > latest ? ats [i] : latest;
    cf_arena_t *arena = cf_arena_new (0);
    cf_fold_streams_t streams;
    s_decode_read (state, latest, arena, &streams);
    for (size_t i = 0; i < count; i++) {
        figures [i] = cf_report_checkpoints_figures (state->checkpoints, &streams, ats [i]);
        assert (figures [i]);
        Caseflow__V1__Handover__ProgressReport *progress =
            state->followed [CONSOLE_HANDOVER]
                ? handover_progress_report_new (state->handovers, NULL, ats [i])
                : NULL;
        handover_progress_embed (figures [i], progress);
        if (progress)
            caseflow__v1__handover__progress_report__free_unpacked (progress, NULL);
    }
    s_free_all (&streams);
    cf_arena_destroy (&arena);
    return 0;
}
