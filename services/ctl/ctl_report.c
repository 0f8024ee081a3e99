//  ctl_report: `report [--at TIME] [--csv]`: the council figures as they
//  were at TIME; without --at, at the services' clock now (the console's:
//  the manual clock in a demo, never the operator's wall clock).
//
//  The console answers (console.Report): it follows every stream and folds
//  the figures with the shared library (common/cf_report.h), so a report
//  for a past moment is the same every time it is made. The handover
//  figures are handover's own progress report for TIME, embedded as
//  `handovers` with the keys of `handover progress`. docs/report.md
//  defines every figure, docs/console.md when the console answers. A
//  stream the console does not follow is named on stderr and its figures
//  are null; without the console there is no report (exit 3).
#include "ctl.h"
#include "ctl_output.h"
#include "ctl_report.h"

#include "handover_progress_json.h"

#include <stdlib.h>

static int
s_report (const ctl_args_t *args)
{
    ctl_t *ctl = args->ctl;
    bool csv = ctl_arg (args, "csv") != NULL;
    if (csv && ctl->json)
        return ctl_usage_error ("report: --csv and --json exclude each other");
    int64_t now = 0, at = 0;
    if (ctl_arg (args, "at") && ctl_parse_time ("--at", ctl_arg (args, "at"), &at))
        return CTL_USAGE;
    int rc = ctl_service_now (ctl, CTL_CONSOLE, &now);
    if (rc != CTL_OK)
        return rc;
    if (!at)
        at = now;
    else if (at > now) {
        char text [40];
        return ctl_usage_error ("--at: %s is after the services' clock (%s): a report looks "
                                "back, never ahead",
                                ctl_arg (args, "at"), ctl_time_text (now, text, sizeof text));
    }
    Caseflow__V1__Console__Report *query =
        ctl_message_new (&caseflow__v1__console__report__descriptor);
    query->at = at;
    Caseflow__V1__Reply *reply = NULL;
    const ProtobufCMessage *result = NULL;
    rc = ctl_ask_console (ctl, &query->base, "report", &reply, &result);
    if (rc != CTL_OK)
        return rc;
    const Caseflow__V1__Console__ReportResult *report = (const void *) result;
    json_error_t error;
    json_t *figures = json_loads (report->figures_json, 0, &error);
    if (!json_is_object (figures)) {
        fprintf (stderr, "caseflowctl: console: the report is not a JSON object (%s)\n",
                 error.text);
        json_decref (figures);
        caseflow__v1__reply__free_unpacked (reply, NULL);
        return CTL_REFUSED;
    }
    const Caseflow__V1__Handover__ProgressReport *handovers = report->handovers;
    if (handovers && !handovers->totals) {
        fprintf (stderr, "caseflowctl: console: the progress report has no totals\n");
        handovers = NULL;
    }
    handover_progress_embed (figures, handovers);
    json_t *left_out = json_object_get (figures, "streams_left_out");
    for (size_t i = 0; i < json_array_size (left_out); i++)
        fprintf (stderr, "caseflowctl: report: the figures of %s are unknown (not followed)\n",
                 json_string_value (json_array_get (left_out, i)));
    ctl_report_print (args, figures, handovers ? &handovers->base : NULL, csv);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    json_decref (figures);
    return CTL_OK;
}

const ctl_verb_t ctl_report_verbs [] = {
    CTL_RUN ("report", "", "[--at TIME] [--csv]", "at csv?", NULL, s_report),
    { NULL },
};
