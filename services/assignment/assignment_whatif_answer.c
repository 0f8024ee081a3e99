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

//  The streams of a weekly series, read once: each stream's events the
//  report at `to` reads (cf_report_reads), and for each of them the
//  earliest occurred_at from there on, so the points before `to` are
//  handed only the events up to the last one they read. The figures are
//  the same (cf_report.h): a fold skips what it does not read.
//
//  When intake's and assignment's events come in time order (a service's
//  clock only moves forward), one case fold serves every point, asked in
//  time order: each point folds on only the events since the one before
//  (cf_report.h: folding both streams up to a moment, then both from
//  there, is folding them whole); else each point folds from scratch.
typedef struct {
    cf_fold_streams_t read;
    const Caseflow__V1__Event **events [CF_FOLD_STREAM_COUNT];
    int64_t *later [CF_FOLD_STREAM_COUNT];
    cf_report_fold_t *fold;  //  NULL: not in time order
    size_t folded [CF_FOLD_ASSIGNMENT + 1];
    int64_t folded_to;
} s_series_t;

static void
s_series_init (s_series_t *self, const cf_fold_streams_t *streams, int64_t to)
{
    memset (self, 0, sizeof *self);
    for (int s = 0; s < CF_FOLD_STREAM_COUNT; s++) {
        const cf_fold_stream_t *stream = &streams->streams [s];
        self->read.streams [s].available = stream->available;
        if (!stream->available)
            continue;
        self->events [s] = malloc ((stream->count + 1) * sizeof *self->events [s]);
        self->later [s] = malloc ((stream->count + 1) * sizeof *self->later [s]);
        assert (self->events [s] && self->later [s]);
        size_t n = 0;
        for (size_t i = 0; i < stream->count; i++)
            if (cf_report_reads ((cf_fold_stream_id_t) s, stream->events [i]->body_case,
                                 stream->events [i]->occurred_at, to))
                self->events [s][n++] = stream->events [i];
        self->later [s][n] = INT64_MAX;
        for (size_t i = n; i-- > 0;)
            self->later [s][i] = self->events [s][i]->occurred_at < self->later [s][i + 1]
                                     ? self->events [s][i]->occurred_at
                                     : self->later [s][i + 1];
        self->read.streams [s].events = self->events [s];
        self->read.streams [s].count = n;
    }
    bool sorted = true;
    for (int s = CF_FOLD_INTAKE; s <= CF_FOLD_ASSIGNMENT; s++)
        for (size_t i = 1; i < self->read.streams [s].count; i++)
            sorted &= self->events [s][i - 1]->occurred_at <= self->events [s][i]->occurred_at;
    if (sorted)
        self->fold = cf_report_fold_new (NULL);
    self->folded_to = INT64_MIN;
}

//  The streams as the figures at `at` (<= to) read them.
static cf_fold_streams_t
s_series_at (const s_series_t *self, int64_t at)
{
    cf_fold_streams_t cut = self->read;
    for (int s = 0; s < CF_FOLD_STREAM_COUNT; s++) {
        //  Notification's facts carry their own times: read whole.
        if (!cut.streams [s].available || s == CF_FOLD_NOTIFICATION)
            continue;
        size_t lo = 0, hi = cut.streams [s].count;
        while (lo < hi) {  //  the first index whose events are all later than `at`
            size_t mid = (lo + hi) / 2;
            if (self->later [s][mid] > at)
                hi = mid;
            else
                lo = mid + 1;
        }
        cut.streams [s].count = lo;
    }
    return cut;
}

//  The figures at `at` (with wait_days_mean when `with_mean`); the points
//  are asked in time order.
static json_t *
s_series_figures (s_series_t *self, int64_t at, bool with_mean)
{
    cf_fold_streams_t cut = s_series_at (self, at);
    if (!self->fold)
        return with_mean ? cf_report_figures_with_mean (&cut, at) : cf_report_figures (&cut, at);
    assert (at >= self->folded_to);
    self->folded_to = at;
    for (int s = CF_FOLD_INTAKE; s <= CF_FOLD_ASSIGNMENT; s++) {
        const cf_fold_stream_t *stream = &self->read.streams [s];
        for (; self->folded [s] < stream->count
               && stream->events [self->folded [s]]->occurred_at <= at;
             self->folded [s]++)
            cf_report_fold_apply (self->fold, (cf_fold_stream_id_t) s,
                                  stream->events [self->folded [s]], at);
    }
    return with_mean ? cf_report_fold_figures_with_mean (self->fold, &cut, at)
                     : cf_report_fold_figures (self->fold, &cut, at);
}

static void
s_series_free (s_series_t *self)
{
    cf_report_fold_destroy (&self->fold);
    for (int s = 0; s < CF_FOLD_STREAM_COUNT; s++) {
        free (self->events [s]);
        free (self->later [s]);
    }
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
    s_series_t series [2];
    s_series_init (&series [0], real, to);
    s_series_init (&series [1], &sandboxed, to);
    for (int64_t at = from + S_WEEK;; at += S_WEEK) {
        if (at > to)
            at = to;
        json_t *a = s_series_figures (&series [0], at, true);
        json_t *w = s_series_figures (&series [1], at, true);
        json_array_append_new (weeks, json_pack ("{s:o, s:o, s:o}", "at", cf_fold_json_time (at),
                                                 "actual", s_weekly (a), "whatif", s_weekly (w)));
        json_decref (a);
        json_decref (w);
        if (at == to)
            break;
    }
    s_series_free (&series [0]);
    s_series_free (&series [1]);
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
        s_series_t series;
        s_series_init (&series, &sandboxed, end);
        json_t *points = json_array ();
        for (uint32_t week = 0; week <= weeks; week++) {
            int64_t at = now + (int64_t) week * S_WEEK;
            json_t *figures = s_series_figures (&series, at, false);
            json_array_append_new (
                points, json_pack ("{s:o, s:O, s:O}", "at", cf_fold_json_time (at), "waiting",
                                   json_object_get (figures, "waiting"), "wait_days_median",
                                   json_object_get (figures, "wait_days_median")));
            json_decref (figures);
        }
        s_series_free (&series);
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
