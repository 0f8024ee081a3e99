//  ctl_report: what the files of `caseflowctl report` share:
//  ctl_report_figures.c computes the council figures from the facts the
//  streams recorded up to a moment, ctl_report.c asks for them,
//  ctl_report_output.c prints them. docs/report.md defines every figure.
#ifndef CTL_REPORT_H
#define CTL_REPORT_H

#include "ctl.h"
#include "ctl_history.h"
#include "ctl_render.h"

//  The figures at `at` as one JSON object (free with json_decref) with
//  the keys of CLI.md in its order, then the ones it does not name, and
//  `handovers` null for the caller to fill: folded from `history`
//  (intake's and assignment's streams read up to `at`), `notification`
//  (notification's whole stream: its facts carry their own times) and
//  `gateway` (the gateway's stream read up to `at`; NULL or unavailable:
//  its figures null, as when no such event came in). The figures of
//  another stream that could not be read are null, and the stream is
//  named in `streams_left_out`.
json_t *
ctl_report_figures (const ctl_history_t *history, const ctl_stream_t *notification,
                    const ctl_stream_t *gateway, int64_t at);

//  Sets the gateway's figures in `figures` (ctl_report_gateway.c): the
//  decision backlog and phone reachability from the InboundAccepted
//  events of `gateway` (may be NULL) with occurred_at <= `at`.
void
ctl_report_gateway (json_t *figures, const ctl_stream_t *gateway, int64_t at);

//  Prints the figures (with their `handovers`, and the progress report
//  they came from, NULL when unknown): the document itself (--json),
//  key,value lines (`csv`) or a table for people.
void
ctl_report_print (const ctl_args_t *args, json_t *figures, const ProtobufCMessage *handovers,
                  bool csv);

#endif
