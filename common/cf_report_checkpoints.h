//  cf_report_checkpoints: the report's case fold (cf_report.h) kept for a
//  history that only grows, so that the figures at any moment fold a short
//  stretch of it instead of all of it.
//
//  The holder (the console) keeps every stream's events, encoded, and
//  tells the keeper of each one appended. The keeper holds one fold
//  (intake's and assignment's events folded up to a moment c, kept close
//  behind the newest events) and copies of it taken on the way
//  (checkpoints, one every `spacing` events or more). The figures at `at`
//  start from the latest of them at or before `at`, a fork of it, and fold
//  on only the events after it that occurred by `at`; notification's and
//  the gateway's passes read their streams as before.
//
//  A fold up to c must hold every event that occurred at or before c and
//  none after: the keeper moves c only to a moment every event folded
//  occurred at or before and every event left out occurred after, per
//  stream, and an event that arrives occurring at or before the c of the
//  fold (a clock set back, a late import) drops the fold and every
//  checkpoint, which are folded again from the start as events come in.
//  The figures are then byte for byte those of cf_report_figures over the
//  whole streams (test_report_golden checks every day of the demo).
#ifndef CF_REPORT_CHECKPOINTS_H
#define CF_REPORT_CHECKPOINTS_H

#include "cf_report.h"

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>
#include <stdint.h>

//  Where the keeper reads the holder's events, by stream and index (seq -
//  1): how many there are, each one's occurred_at and body kind without
//  decoding it, and the event decoded with `allocator` (an arena, dropped
//  by the keeper when it is done with a stretch).
typedef struct {
    void *ctx;
    size_t (*count) (void *ctx, cf_fold_stream_id_t stream);
    int64_t (*occurred_at) (void *ctx, cf_fold_stream_id_t stream, size_t index);
    Caseflow__V1__Event__BodyCase (*kind) (void *ctx, cf_fold_stream_id_t stream, size_t index);
    const Caseflow__V1__Event *(*decode) (void *ctx, cf_fold_stream_id_t stream, size_t index,
                                          ProtobufCAllocator *allocator);
} cf_report_source_t;

typedef struct _cf_report_checkpoints_t cf_report_checkpoints_t;

//  A keeper reading `source` (copied; its ctx must outlive the keeper),
//  interning texts in `strings` (borrowed, outlives the keeper). It moves
//  its fold on every `step` events appended and keeps a checkpoint every
//  `spacing` events folded or more (see the .c). Never NULL.
cf_report_checkpoints_t *
cf_report_checkpoints_new (const cf_report_source_t *source, cf_strings_t *strings, size_t step,
                           size_t spacing);

//  Frees the keeper, safe on NULL; nulls *self_p.
void
cf_report_checkpoints_destroy (cf_report_checkpoints_t **self_p);

//  The event at the end of `stream` was appended to the source: the fold
//  moves on when `step` events have come since it last did.
void
cf_report_checkpoints_appended (cf_report_checkpoints_t *self, cf_fold_stream_id_t stream);

//  The figures at `at`, as cf_report_figures makes them from the whole
//  streams: intake's and assignment's from the keeper, the others' from
//  `streams` (intake's and assignment's there are read only for whether
//  they are available). NULL when intake's stream is not available.
json_t *
cf_report_checkpoints_figures (cf_report_checkpoints_t *self, const cf_fold_streams_t *streams,
                               int64_t at);

//  The checkpoints kept, for the tests.
size_t
cf_report_checkpoints_count (const cf_report_checkpoints_t *self);

#endif
