//  assignment_whatif_answer: the figures side by side, and the forecast
//  (see the header; docs/whatif.md).
//
//  The forecast is a what-if run over a future made of the recent past:
//  the facts intake recorded in the last `window` weeks happen again
//  after the history ends, shifted by one window at a time, as new cases
//  (their ids get ".f<n>", the n-th repetition), while the roster stays as
//  it stands. The sandbox decides them with the real policy and helps them
//  with drawn delays; the report fold reads the waiting list off its
//  streams each week.
#include "assignment_whatif_answer.h"

#include "assignment_whatif_plan.h"
#include "caseflow/v1/intake.pb-c.h"
#include "cf_error.h"
#include "cf_report.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_WEEK (INT64_C (7) * 86400000000)

//  The weekly keys of `figures` (borrowed) in a fresh object.
static json_t *
s_weekly (json_t *figures)
{
    json_t *point = json_object ();
    const char *key = ASSIGNMENT_WHATIF_WEEKLY_KEYS;
    for (size_t len; *key; key += len + (key [len] == ' ')) {
        char name [64];
        snprintf (name, sizeof name, "%.*s", (int) (len = strcspn (key, " ")), key);
        json_t *value = json_object_get (figures, name);
        json_object_set (point, name, value ? value : json_null ());
    }
    return point;
}

//  The real streams with the sandbox's intake and assignment in place.
static cf_fold_streams_t
s_sandboxed (const cf_fold_streams_t *real, const assignment_whatif_t *whatif)
{
    cf_fold_streams_t streams = *real;
    streams.streams [CF_FOLD_INTAKE] = assignment_whatif_stream (whatif, CF_FOLD_INTAKE);
    streams.streams [CF_FOLD_ASSIGNMENT] = assignment_whatif_stream (whatif, CF_FOLD_ASSIGNMENT);
    return streams;
}

json_t *
assignment_whatif_answer (const cf_fold_streams_t *real, const assignment_whatif_t *whatif,
                          int64_t from, int64_t to)
{
    cf_fold_streams_t sandboxed = s_sandboxed (real, whatif);
    json_t *actual = cf_report_figures (real, to);
    json_t *changed = cf_report_figures (&sandboxed, to);
    if (!actual || !changed) {
        json_decref (actual);
        json_decref (changed);
        return NULL;
    }
    json_t *weeks = json_array ();
    for (int64_t at = from + S_WEEK;; at += S_WEEK) {
        if (at > to)
            at = to;
        json_t *a = cf_report_figures_with_mean (real, at);
        json_t *w = cf_report_figures_with_mean (&sandboxed, at);
        json_array_append_new (weeks, json_pack ("{s:o, s:o, s:o}", "at", cf_fold_json_time (at),
                                                 "actual", s_weekly (a), "whatif", s_weekly (w)));
        json_decref (a);
        json_decref (w);
        if (at == to)
            break;
    }
    return json_pack ("{s:o, s:o, s:o, s:o, s:o}", "from", cf_fold_json_time (from), "to",
                      cf_fold_json_time (to), "actual", actual, "whatif", changed, "weeks", weeks);
}

//  ------------------------------------------------------------ forecast

//  "<id>.f<round>" into a fresh string.
static char *
s_future_id (const char *id, uint32_t round)
{
    char *future = malloc (strlen (id) + 16);
    assert (future);
    sprintf (future, "%s.f%u", id, round);
    return future;
}

static void
s_rename (char **field, uint32_t round)
{
    char *future = s_future_id (*field, round);
    if (*field != protobuf_c_empty_string)
        free (*field);
    *field = future;
}

//  A copy of intake's fact `event` as it happens again `round` windows
//  later (`shift` microseconds), about a new case; NULL for the kinds
//  that do not come again.
static Caseflow__V1__Event *
s_again (const Caseflow__V1__Event *event, uint32_t round, int64_t shift)
{
    char **case_id;
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED:
        case CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED:
        case CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED:
        case CASEFLOW__V1__EVENT__BODY_CASE_CLOSED: break;
        default: return NULL;
    }
    size_t size = caseflow__v1__event__get_packed_size (event);
    uint8_t *data = malloc (size ? size : 1);
    assert (data);
    caseflow__v1__event__pack (event, data);
    Caseflow__V1__Event *copy = caseflow__v1__event__unpack (NULL, size, data);
    free (data);
    assert (copy);
    switch (copy->body_case) {
        case CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED:
            case_id = &copy->case_registered->case_id;
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED: case_id = &copy->case_triaged->case_id; break;
        case CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED:
            case_id = &copy->question_added->case_id;
            break;
        default: case_id = &copy->case_closed->case_id; break;
    }
    s_rename (case_id, round);
    if (*copy->case_id)
        s_rename (&copy->case_id, round);
    //  A new event: no id for the sandbox to link, caused by nothing.
    if (copy->id != protobuf_c_empty_string)
        free (copy->id);
    copy->id = (char *) protobuf_c_empty_string;
    if (copy->causation_id != protobuf_c_empty_string)
        free (copy->causation_id);
    copy->causation_id = (char *) protobuf_c_empty_string;
    copy->occurred_at += shift;
    return copy;
}

int
assignment_whatif_forecast (const cf_fold_streams_t *real, const assignment_config_t *config,
                            const assignment_whatif_changes_t *changes, uint32_t weeks,
                            uint32_t window, json_t **answer_p, char *error, size_t error_size)
{
    *answer_p = NULL;
    if (weeks < 1 || weeks > ASSIGNMENT_WHATIF_MAX_WEEKS) {
        snprintf (error, error_size, "--weeks: must be 1 to %d", ASSIGNMENT_WHATIF_MAX_WEEKS);
        return CF_EINVAL;
    }
    if (window < 1 || window > ASSIGNMENT_WHATIF_MAX_WEEKS) {
        snprintf (error, error_size, "--window: must be 1 to %d", ASSIGNMENT_WHATIF_MAX_WEEKS);
        return CF_EINVAL;
    }
    const cf_fold_stream_t *intake = &real->streams [CF_FOLD_INTAKE];
    const cf_fold_stream_t *own = &real->streams [CF_FOLD_ASSIGNMENT];
    int64_t now = changes->to;
    int64_t end = now + (int64_t) weeks * S_WEEK;
    int64_t span = (int64_t) window * S_WEEK;
    //  Intake's facts of the window (mirrors of decisions left out: the
    //  sandbox decides again), then again and again after `now`.
    bool *mirror = assignment_whatif_mirrors (intake, own);
    size_t cap = intake->count + 1024, count = 0;
    Caseflow__V1__Event **events = malloc (cap * sizeof *events);
    assert (events);
    for (uint32_t round = 1; now + (int64_t) (round - 1) * span < end; round++)
        for (size_t i = 0; i < intake->count; i++) {
            const Caseflow__V1__Event *event = intake->events [i];
            int64_t at = event->occurred_at + (int64_t) round * span;
            if (mirror [i] || event->occurred_at <= now - span || event->occurred_at > now
                || at > end)
                continue;
            Caseflow__V1__Event *copy = s_again (event, round, (int64_t) round * span);
            if (!copy)
                continue;
            if (count == cap) {
                cap *= 2;
                events = realloc (events, cap * sizeof *events);
                assert (events);
            }
            events [count++] = copy;
        }
    free (mirror);
    //  The real history first, then the future in seq order.
    const Caseflow__V1__Event **all = malloc ((intake->count + count + 1) * sizeof *all);
    assert (all);
    for (size_t i = 0; i < intake->count; i++)
        all [i] = intake->events [i];
    for (size_t i = 0; i < count; i++) {
        events [i]->seq = intake->count + i + 1;
        all [intake->count + i] = events [i];
    }
    cf_fold_stream_t future = { .available = true, .events = all, .count = intake->count + count };
    assignment_whatif_changes_t ahead = *changes;
    ahead.to = end;
    if (!ahead.seen_until)
        ahead.seen_until = now;
    assignment_whatif_t *whatif = NULL;
    int rc = assignment_whatif_run (&future, own, config, &ahead, &whatif, error, error_size);
    if (rc == 0) {
        cf_fold_streams_t sandboxed = s_sandboxed (real, whatif);
        json_t *points = json_array ();
        for (uint32_t week = 0; week <= weeks; week++) {
            int64_t at = now + (int64_t) week * S_WEEK;
            json_t *figures = cf_report_figures (&sandboxed, at);
            json_array_append_new (
                points, json_pack ("{s:o, s:O, s:O}", "at", cf_fold_json_time (at), "waiting",
                                   json_object_get (figures, "waiting"), "wait_days_median",
                                   json_object_get (figures, "wait_days_median")));
            json_decref (figures);
        }
        *answer_p = json_pack ("{s:o, s:i, s:i, s:o}", "at", cf_fold_json_time (now), "weeks",
                               (json_int_t) weeks, "window", (json_int_t) window, "points", points);
        assignment_whatif_destroy (&whatif);
    }
    for (size_t i = 0; i < count; i++)
        caseflow__v1__event__free_unpacked (events [i], NULL);
    free (events);
    free (all);
    return rc;
}
