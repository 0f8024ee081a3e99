//  ctl_case: `case show CASE [--at TIME]`: one case's whole timeline,
//  merged from the four streams, and its state as it was at TIME
//  (default: now by intake's clock); ctl_case_output.c prints it.
//
//  The streams are read through replay up to TIME (ctl_history.h) and
//  folded by common/cf_timeline.h (which events concern the case, its
//  state, its callbacks and the merged time line are defined there).
//
//  Exit status: 0; 1 when intake never registered the case (by TIME);
//  3 when intake does not answer. Other services that do not answer are
//  named on stderr and their events left out.
#include "ctl.h"
#include "ctl_history.h"
#include "ctl_output.h"

#include "cf_timeline.h"

static int
s_show (const ctl_args_t *args)
{
    int64_t at = 0;
    int rc = CTL_OK;
    if (ctl_arg (args, "at"))
        rc = ctl_parse_time ("--at", ctl_arg (args, "at"), &at);
    else
        rc = ctl_service_now (args->ctl, CTL_INTAKE, &at);
    ctl_history_t history;
    if (rc != CTL_OK || (rc = ctl_history_read (args->ctl, NULL, at, &history)) != CTL_OK)
        return rc;
    if (!history.streams [CTL_INTAKE].available) {
        ctl_history_free (&history);
        return CTL_UNREACHABLE;
    }
    cf_fold_streams_t streams = { 0 };
    ctl_history_streams (&history, &streams);
    cf_timeline_t *kase = NULL;
    if (cf_timeline_fold (&streams, args->positional [0], at, &kase) != 0) {
        char when [40];
        fprintf (stderr,
                 "caseflowctl: intake: not_found: case_id: case %s was not registered by %s\n",
                 args->positional [0], ctl_time_text (at, when, sizeof when));
        rc = CTL_REFUSED;
    } else
        ctl_case_print (args, kase);
    cf_timeline_destroy (&kase);
    ctl_history_free (&history);
    return rc;
}

const ctl_verb_t ctl_case_verbs [] = {
    CTL_RUN ("case", "show", "CASE [--at TIME]", "at", "CASE", s_show),
    { NULL },
};
