//  console_report: the council report at a moment, as the console answers
//  it.
//
//  The figures are the shared fold library's (common/cf_report.h: the same
//  code what-if folds with), fed the console's logs decoded for the call;
//  the handover figures are handover's own progress report
//  (handover_progress) over the console's handover state.
//  Only the events the folds read are decoded (cf_report_reads). Nothing
//  is kept between calls: what is decoded for one answer is freed
//  with it. Whether the console has caught up to the moment is the
//  caller's question (console_view_behind), asked first.
#ifndef CONSOLE_REPORT_H
#define CONSOLE_REPORT_H

#include "console_state.h"

#include "cf_arena.h"
#include "cf_fold.h"

#include "caseflow/v1/console.pb-c.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  The report at `at`: fresh (free with ..._report_result__free_unpacked),
//  figures as the JSON text of cf_report_figures with `handovers` null,
//  the handover progress report beside them (absent when the handover
//  stream is not followed). NULL, with *why_p set (static), when intake's
//  stream is not followed: every figure counts its cases.
Caseflow__V1__Console__ReportResult *
console_report_new (const console_state_t *state, int64_t at, const char **why_p);

//  The report as the document of `caseflowctl --json report --at` (the
//  figures with handover's progress embedded by handover_progress_embed)
//  at each of `count` moments, the logs decoded once for all: figures[i]
//  (fresh) for ats[i]. Returns 0; -1, with *why_p set as above and no
//  figure made, when intake's stream is not followed. The web page's
//  report and its charts' week ends are one call.
int
console_report_documents (const console_state_t *state, const int64_t *ats, size_t count,
                          json_t **figures, const char **why_p);

//  The followed streams' events decoded into `arena` for the folds at
//  `at`: with `whole_cases`, intake's and assignment's whole (the
//  what-if's sandbox reads them all), else none of theirs (the report
//  takes those passes from the checkpoints); the other streams' as the
//  report at `at` reads them (cf_report_reads). The event arrays are fresh:
//  free them with console_report_decoded_free.
void
console_report_decode (const console_state_t *state, int64_t at, bool whole_cases,
                       cf_arena_t *arena, cf_fold_streams_t *streams);

//  Frees the event arrays of console_report_decode (not the arena).
void
console_report_decoded_free (cf_fold_streams_t *streams);

//  Puts handover's own progress report at `at` into the report document
//  `figures` (handover_progress_embed; null when the console does not
//  follow handover's stream).
void
console_report_embed_handovers (const console_state_t *state, json_t *figures, int64_t at);

#endif
