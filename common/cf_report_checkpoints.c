//  cf_report_checkpoints: the case fold kept along a growing history (see
//  cf_report_checkpoints.h).
//
//  Why a split at c is sound: the report folds intake's events first and
//  assignment's after, each in seq order, leaving out those after `at`.
//  The keeper folds intake's and assignment's events up to c (every one at
//  or before c, per stream a prefix), then, for a report, both streams'
//  events after c. The only thing assignment's pass reads of intake's is a
//  case's urgent_at (a CaseAssigned at or after it is the pickup); an
//  assignment folded before c meets, in the whole fold, intake's events
//  after c too, but those can only register a case or set its urgent_at
//  after c, later than the assignment, which then picks up nothing either
//  way. Everything else the passes keep is per stream, in seq order.
//
//  The fold moves on every `step` events appended, to just before the
//  newest event of the stream that is furthest behind (so events still on
//  their way from a lagging upstream come after it), and then to the
//  latest moment where each stream splits into events at or before it and
//  events after it (a stream whose times go back somewhere is folded up to
//  before that place). A checkpoint is a fork of the fold, taken every
//  `spacing` events folded: it shares the fold's case chunks until the fold
//  changes them (cf_report_private.h), so one costs a pointer per 256
//  cases and the chunks changed since the one before.
#include "cf_report_checkpoints.h"

#include "cf_arena.h"
#include "cf_report_private.h"

#include <assert.h>
#include <stdlib.h>

//  The streams the case fold reads: intake, assignment.
#define S_STREAMS 2
//  Decoded events dropped every so many (the fold keeps nothing of them).
#define S_ARENA_EVENTS 4096

typedef struct {
    cf_report_fold_t *fold;
    int64_t c;                  //  every event folded occurred at or before c
    size_t folded [S_STREAMS];  //  the prefix of each stream folded
} s_point_t;

struct _cf_report_checkpoints_t {
    cf_report_source_t source;
    cf_strings_t *strings;
    size_t step, spacing;
    s_point_t live;     //  the fold that moves on
    s_point_t *points;  //  checkpoints, oldest first
    size_t point_count, point_cap;
    size_t pointed;  //  events folded when the last checkpoint was taken
    int64_t newest [S_STREAMS];
    bool seen [S_STREAMS];
    size_t pending;  //  events appended since the fold last moved
    cf_arena_t *arena;
};

static void
s_start (cf_report_checkpoints_t *self)
{
    self->live = (s_point_t){ .fold = cf_report_fold_new (self->strings), .c = INT64_MIN };
    self->pointed = 0;
}

//  Drops every checkpoint, then the fold they borrow from.
static void
s_drop (cf_report_checkpoints_t *self)
{
    for (size_t i = 0; i < self->point_count; i++)
        cf_report_fold_destroy (&self->points [i].fold);
    self->point_count = 0;
    cf_report_fold_destroy (&self->live.fold);
}

cf_report_checkpoints_t *
cf_report_checkpoints_new (const cf_report_source_t *source, cf_strings_t *strings, size_t step,
                           size_t spacing)
{
    assert (source && strings && step > 0);
    cf_report_checkpoints_t *self = calloc (1, sizeof *self);
    assert (self);
    self->source = *source;
    self->strings = strings;
    self->step = step;
    self->spacing = spacing;
    self->arena = cf_arena_new (0);
    s_start (self);
    return self;
}

void
cf_report_checkpoints_destroy (cf_report_checkpoints_t **self_p)
{
    assert (self_p);
    cf_report_checkpoints_t *self = *self_p;
    if (!self)
        return;
    s_drop (self);
    free (self->points);
    cf_arena_destroy (&self->arena);
    free (self);
    *self_p = NULL;
}

size_t
cf_report_checkpoints_count (const cf_report_checkpoints_t *self)
{
    assert (self);
    return self->point_count;
}

//  Folds into `fold` the events of each stream from `from` on, up to
//  index `to` (exclusive), those the report reads that occurred by `at`.
static void
s_fold (cf_report_checkpoints_t *self, cf_report_fold_t *fold, const size_t from [S_STREAMS],
        const size_t to [S_STREAMS], int64_t at)
{
    const cf_report_source_t *source = &self->source;
    size_t decoded = 0;
    for (int s = 0; s < S_STREAMS; s++)
        for (size_t i = from [s]; i < to [s]; i++) {
            cf_fold_stream_id_t stream = (cf_fold_stream_id_t) s;
            if (!cf_report_reads (stream, source->kind (source->ctx, stream, i),
                                  source->occurred_at (source->ctx, stream, i), at))
                continue;
            if (++decoded % S_ARENA_EVENTS == 0)
                cf_arena_reset (self->arena);
            cf_report_fold_apply (
                fold, stream,
                source->decode (source->ctx, stream, i, cf_arena_allocator (self->arena)), at);
        }
    cf_arena_reset (self->arena);
}

//  The latest moment at or before `c` (and after the fold's) where every
//  stream splits into events at or before it and events after it, with
//  the split of each in `to`; INT64_MIN when there is none.
static int64_t
s_split (cf_report_checkpoints_t *self, int64_t c, size_t to [S_STREAMS])
{
    const cf_report_source_t *source = &self->source;
    //  Each try moves c before an event left out that occurred at or
    //  before it; times that go back often are not worth chasing.
    for (int tries = 0; tries < 8 && c > self->live.c; tries++) {
        bool split = true;
        for (int s = 0; s < S_STREAMS && split; s++) {
            cf_fold_stream_id_t stream = (cf_fold_stream_id_t) s;
            size_t count = source->count (source->ctx, stream), i = self->live.folded [s];
            while (i < count && source->occurred_at (source->ctx, stream, i) <= c)
                i++;
            to [s] = i;
            int64_t earliest = INT64_MAX;
            for (; i < count; i++) {
                int64_t at = source->occurred_at (source->ctx, stream, i);
                earliest = at < earliest ? at : earliest;
            }
            if (earliest <= c) {
                c = earliest - 1;
                split = false;
            }
        }
        if (split)
            return c;
    }
    return INT64_MIN;
}

//  Moves the fold on as far as the streams allow, and takes a checkpoint
//  when `spacing` events were folded since the last.
static void
s_advance (cf_report_checkpoints_t *self)
{
    self->pending = 0;
    int64_t c = INT64_MAX;
    bool any = false;
    for (int s = 0; s < S_STREAMS; s++)
        if (self->seen [s]) {
            c = self->newest [s] - 1 < c ? self->newest [s] - 1 : c;
            any = true;
        }
    size_t to [S_STREAMS];
    if (!any || (c = s_split (self, c, to)) == INT64_MIN)
        return;
    s_fold (self, self->live.fold, self->live.folded, to, INT64_MAX);
    self->live.c = c;
    size_t events = 0;
    for (int s = 0; s < S_STREAMS; s++)
        events += self->live.folded [s] = to [s];
    if (events - self->pointed < self->spacing || events == self->pointed)
        return;
    if (self->point_count == self->point_cap) {
        self->point_cap = self->point_cap ? self->point_cap * 2 : 16;
        self->points = realloc (self->points, self->point_cap * sizeof *self->points);
        assert (self->points);
    }
    s_point_t *point = &self->points [self->point_count++];
    *point = self->live;
    point->fold = cf_report_fold_fork (self->live.fold);
    self->pointed = events;
}

void
cf_report_checkpoints_appended (cf_report_checkpoints_t *self, cf_fold_stream_id_t stream)
{
    assert (self);
    if (stream >= S_STREAMS)
        return;
    const cf_report_source_t *source = &self->source;
    size_t count = source->count (source->ctx, stream);
    assert (count > 0);
    int64_t at = source->occurred_at (source->ctx, stream, count - 1);
    if (at <= self->live.c) {
        //  It belongs before what is folded: fold it all again.
        s_drop (self);
        s_start (self);
    }
    if (!self->seen [stream] || at > self->newest [stream])
        self->newest [stream] = at;
    self->seen [stream] = true;
    if (++self->pending >= self->step)
        s_advance (self);
}

json_t *
cf_report_checkpoints_figures (cf_report_checkpoints_t *self, const cf_fold_streams_t *streams,
                               int64_t at)
{
    assert (self && streams);
    if (!streams->streams [CF_FOLD_INTAKE].available)
        return NULL;
    const cf_report_source_t *source = &self->source;
    //  The newest fold at or before `at`: the live one, or a checkpoint.
    const s_point_t *base = NULL;
    if (self->live.c <= at)
        base = &self->live;
    for (size_t i = self->point_count; i > 0 && !base; i--)
        if (self->points [i - 1].c <= at)
            base = &self->points [i - 1];
    static const size_t s_none [S_STREAMS] = { 0 };
    const size_t *from = base ? base->folded : s_none;
    size_t to [S_STREAMS];
    bool more = false;
    for (int s = 0; s < S_STREAMS; s++) {
        cf_fold_stream_id_t stream = (cf_fold_stream_id_t) s;
        to [s] = source->count (source->ctx, stream);
        for (size_t i = from [s]; i < to [s] && !more; i++)
            more = cf_report_reads (stream, source->kind (source->ctx, stream, i),
                                    source->occurred_at (source->ctx, stream, i), at);
    }
    if (base && !more)
        return cf_report_fold_figures (base->fold, streams, at);
    cf_report_fold_t *fold = base ? cf_report_fold_fork (base->fold) : cf_report_fold_new (NULL);
    s_fold (self, fold, from, to, at);
    json_t *figures = cf_report_fold_figures (fold, streams, at);
    cf_report_fold_destroy (&fold);
    return figures;
}
