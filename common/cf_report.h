//  cf_report: the council report's figures at a moment, folded from the
//  facts the streams recorded (docs/report.md defines every figure).
//
//  In: a set of streams (cf_fold.h: intake, assignment, notification and
//  the gateway are read; handover's figures are the handover service's
//  own progress report, which the caller adds) and the moment `at`. Out:
//  one JSON object with the keys of CLI.md in its order, then the others.
//  The fold reads no clock, no socket and no service's state: the same
//  streams and `at` give the same figures, byte for byte, so a report for
//  a past moment is the same every time it is made, whoever makes it
//  (caseflowctl today, the console and what-if next).
//
//  Which events count: intake's, assignment's and the gateway's with
//  occurred_at <= at (a caller may pass whole streams or streams already
//  cut at `at`: the figures are the same); notification's whole stream,
//  since its facts carry their own times (a call made by `at` may be
//  recorded as answering its reminder a moment later).
#ifndef CF_REPORT_H
#define CF_REPORT_H

#include "cf_fold.h"
#include "cf_strings.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

//  The figures at `at` (free with json_decref), with `handovers` null for
//  the caller to fill. The figures of a stream that is not available are
//  null and the stream is named in `streams_left_out` (assignment:
//  workers, FTE and urgent pickup; notification: the callbacks); the
//  gateway's figures are null when its stream is not available, as when no
//  such event came in, and it is not named (a deployment may run none).
//  Returns NULL when intake's stream is not available: every figure
//  counts its cases.
json_t *
cf_report_figures (const cf_fold_streams_t *streams, int64_t at);

//  Whether the fold reads an event of `stream` with body `kind` that
//  occurred at `occurred_at`, for figures at `at`. One it does not read
//  may be left out of the streams given to cf_report_figures (the figures
//  are the same, byte for byte), so a caller holding encoded events
//  decodes only these: intake's, assignment's and the gateway's kinds the
//  passes count, at or before `at`; notification's ReminderDue at or
//  before `at` and every CallbackAnswered (its call's own time counts);
//  none of handover's (its figures are the caller's).
bool
cf_report_reads (cf_fold_stream_id_t stream, Caseflow__V1__Event__BodyCase kind,
                 int64_t occurred_at, int64_t at);

//  ------------------------------------------------------- the case fold
//
//  The part of the report that grows with the history: intake's and
//  assignment's passes, which build every case's status history and the
//  roster, folded event by event into a state of its own. cf_report_figures
//  folds both streams into a fresh one; a holder of a long history keeps
//  one folded up to some moment and a few copies of earlier ones
//  (checkpoints, cf_report_checkpoints.h) and folds from the nearest on,
//  so a report never refolds what came before it. The state owns what it
//  keeps (the texts interned, the areas copied): the events folded into it
//  may be freed.
//
//  Folding intake's events first and assignment's after (what
//  cf_report_figures does) and folding both streams up to a moment c, then
//  both from there, give the same state when every event before the split
//  occurred at or before c and every event after it later: an assignment
//  before c never meets an urgent triage after it (cf_report_checkpoints.c).
typedef struct _cf_report_fold_t cf_report_fold_t;

//  A fresh, empty fold. Texts are interned in `strings` (borrowed, must
//  outlive the fold and every fork of it), or in a pool of its own when
//  NULL. Never NULL.
cf_report_fold_t *
cf_report_fold_new (cf_strings_t *strings);

//  Frees the fold, safe on NULL; nulls *self_p. Its forks must be gone.
void
cf_report_fold_destroy (cf_report_fold_t **self_p);

//  A copy of `base` that folds on from where it is without changing it:
//  it borrows what `base` (or the fold `base` was forked from) keeps, so
//  that fold must outlive the copy and fold nothing meanwhile. `base`
//  itself must be new or a fork that folded nothing (a checkpoint), else
//  it is a programming error. Never NULL.
cf_report_fold_t *
cf_report_fold_fork (const cf_report_fold_t *base);

//  Folds one event of `stream` (borrowed; only intake's and assignment's
//  change the fold) when it occurred at or before `at` (INT64_MAX: every
//  event). Each stream's events must come in seq order.
void
cf_report_fold_apply (cf_report_fold_t *self, cf_fold_stream_id_t stream,
                      const Caseflow__V1__Event *event, int64_t at);

//  The cases the fold holds, for sizing checkpoints.
size_t
cf_report_fold_cases (const cf_report_fold_t *self);

//  The figures at `at` from `fold` (intake's and assignment's events up to
//  `at` folded into it) and the other streams of `streams` (notification
//  and the gateway are read there; intake's and assignment's only for
//  whether they are available), as cf_report_figures makes them.
json_t *
cf_report_fold_figures (const cf_report_fold_t *fold, const cf_fold_streams_t *streams, int64_t at);

//  Sets the gateway's figures in `figures` (cf_report_gateway.c): the
//  decision backlog and phone reachability from the InboundAccepted
//  events of `gateway` (NULL or unavailable: every one null) with
//  occurred_at <= `at`.
void
cf_report_gateway (json_t *figures, const cf_fold_stream_t *gateway, int64_t at);

#endif
