//  ctl_report: what the files of `caseflowctl report` share: ctl_report.c
//  reads the streams and has the council figures folded from them
//  (common/cf_report.h), ctl_report_output.c prints them. docs/report.md
//  defines every figure.
#ifndef CTL_REPORT_H
#define CTL_REPORT_H

#include "ctl.h"
#include "ctl_render.h"

//  Prints the figures (with their `handovers`, and the progress report
//  they came from, NULL when unknown): the document itself (--json),
//  key,value lines (`csv`) or a table for people.
void
ctl_report_print (const ctl_args_t *args, json_t *figures, const ProtobufCMessage *handovers,
                  bool csv);

#endif
