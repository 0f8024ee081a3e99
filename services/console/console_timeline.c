//  console_timeline: a case's events from the logs (see console_timeline.h).
//
//  The references of the case and of its handovers are gathered, sorted
//  (a reference orders by stream, then by its index in the stream's log,
//  which is seq order) and decoded; those after the moment are dropped.
#include "console_timeline.h"

#include "cf_api.h"
#include "cf_fold.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static int
s_compare_refs (const void *a, const void *b)
{
    console_ref_t x = *(const console_ref_t *) a, y = *(const console_ref_t *) b;
    return x < y ? -1 : x > y;
}

//  Adds `refs` to the set (`*count_p` of `*cap_p`), growing it.
static void
s_add_refs (console_ref_t **set, size_t *count_p, size_t *cap_p, const console_refs_t *refs)
{
    if (!refs)
        return;
    if (*count_p + refs->count > *cap_p) {
        *cap_p = 2 * (*count_p + refs->count);
        *set = realloc (*set, *cap_p * sizeof **set);
        assert (*set);
    }
    memcpy (*set + *count_p, refs->refs, refs->count * sizeof **set);
    *count_p += refs->count;
}

Caseflow__V1__Console__CaseTimelineResult *
console_timeline_new (const console_state_t *state, const char *case_id, int64_t at)
{
    assert (state);
    const console_case_t *kase = console_state_case (state, case_id);
    if (!kase || kase->registered_at > at)
        return NULL;
    size_t count = 0, cap = 0;
    console_ref_t *set = NULL;
    s_add_refs (&set, &count, &cap, &kase->events);
    //  The handovers the case came from, as its intake events name them.
    size_t own = count;
    for (size_t i = 0; i < own; i++) {
        if (CONSOLE_REF_STREAM (set [i]) != CONSOLE_INTAKE)
            continue;
        Caseflow__V1__Event *event =
            console_log_decode (state->logs [CONSOLE_INTAKE], CONSOLE_REF_INDEX (set [i]), NULL);
        //  A handover named twice is added twice, and kept once below.
        s_add_refs (
            &set, &count, &cap,
            console_state_handover_events (state, cf_fold_event_text (event, "handover_id")));
        caseflow__v1__event__free_unpacked (event, NULL);
    }
    //  Streams in their order, each in seq order: the references sort so
    //  (stream in the high bits), and a handover named twice is once.
    qsort (set, count, sizeof *set, s_compare_refs);
    Caseflow__V1__Console__CaseTimelineResult *result = malloc (sizeof *result);
    assert (result);
    caseflow__v1__console__case_timeline_result__init (result);
    result->at = at;
    result->events = calloc (count + 1, sizeof *result->events);
    assert (result->events);
    for (size_t i = 0; i < count; i++) {
        if (i && set [i] == set [i - 1])
            continue;
        Caseflow__V1__Event *event = console_log_decode (state->logs [CONSOLE_REF_STREAM (set [i])],
                                                         CONSOLE_REF_INDEX (set [i]), NULL);
        if (event->occurred_at <= at)
            result->events [result->n_events++] = event;
        else
            caseflow__v1__event__free_unpacked (event, NULL);
    }
    free (set);
    result->streams_left_out = calloc (CONSOLE_STREAM_COUNT, sizeof *result->streams_left_out);
    assert (result->streams_left_out);
    for (int s = 0; s < CONSOLE_GATEWAY; s++)
        if (!state->followed [s])
            result->streams_left_out [result->n_streams_left_out++] =
                cf_strdup (cf_fold_stream_name ((console_stream_t) s));
    return result;
}
