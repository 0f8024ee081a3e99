//  ctl_report: `report [--at TIME] [--csv]`: the council figures as they
//  were at TIME; without --at, at the services' clock now (intake's: the
//  manual clock in a demo, never the operator's wall clock).
//
//  The figures are folded from the facts the streams recorded up to TIME
//  (common/cf_report.h), so a report for a past moment is the same every
//  time it is made. The handover figures are the handover service's own
//  progress report for TIME (Progress{at}); `report` embeds it as
//  `handovers` with the keys of `handover progress`. docs/report.md
//  defines every figure. A service that is not running is named on stderr
//  and its figures are null; without intake there is no report (exit 3).
#include "ctl.h"
#include "ctl_history.h"
#include "ctl_output.h"
#include "ctl_report.h"

#include "cf_report.h"

#include <assert.h>
#include <stdlib.h>

//  The handover service's progress report for `at` (NULL, reported, when
//  it cannot be had). *reply_p owns it.
static const Caseflow__V1__Handover__ProgressReport *
s_handover_progress (ctl_t *ctl, int64_t at, Caseflow__V1__Reply **reply_p)
{
    *reply_p = NULL;
    Caseflow__V1__Reply *clock = NULL;
    const ProtobufCMessage *now = NULL;
    //  Asked quickly: a service that is down should not hold the report.
    if (ctl_ask (ctl, CTL_HANDOVER, CTL_QUERY,
                 ctl_message_new (&caseflow__v1__clock_query__descriptor), "clock", 1000, &clock,
                 &now)
        != CTL_OK)
        return NULL;
    Caseflow__V1__Handover__Progress *progress =
        ctl_message_new (&caseflow__v1__handover__progress__descriptor);
    //  The service answers for no moment after its clock; by then every
    //  handover event it has is before `at` anyway.
    progress->at = at <= ((const Caseflow__V1__ClockState *) now)->now ? at : 0;
    caseflow__v1__reply__free_unpacked (clock, NULL);
    const ProtobufCMessage *result = NULL;
    if (ctl_send (ctl, CTL_HANDOVER, CTL_QUERY, &progress->base, "progress", reply_p, &result)
        != CTL_OK)
        return NULL;
    const Caseflow__V1__Handover__ProgressReport *report = (const void *) result;
    if (!report->totals) {
        fprintf (stderr, "caseflowctl: handover: the progress report has no totals\n");
        return NULL;
    }
    return report;
}

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
    int rc = ctl_service_now (ctl, CTL_INTAKE, &now);
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
    //  Intake's and assignment's events up to `at`; notification's facts
    //  whenever recorded (a call made by `at` may be recorded as answering
    //  its reminder a moment later: the fact carries the call's time).
    static const bool s_cases [CTL_SERVICE_COUNT] = { true, true, false, false };
    static const bool s_facts [CTL_SERVICE_COUNT] = { false, false, false, true };
    ctl_history_t history, facts;
    if ((rc = ctl_history_read (ctl, s_cases, at, &history)) != CTL_OK)
        return rc;
    if (!history.streams [CTL_INTAKE].available) {
        ctl_history_free (&history);
        return CTL_UNREACHABLE;
    }
    if ((rc = ctl_history_read (ctl, s_facts, INT64_MAX, &facts)) != CTL_OK) {
        ctl_history_free (&history);
        return rc;
    }
    //  The gateway's events up to `at`, when it runs (a deployment may run
    //  none: its figures are null then, as when no such event came in).
    ctl_history_t inbound;
    if ((rc = ctl_history_read_one (ctl, CTL_GATEWAY, at, &inbound)) != CTL_OK) {
        ctl_history_free (&history);
        ctl_history_free (&facts);
        return rc;
    }
    cf_fold_streams_t streams = { 0 };
    ctl_history_streams (&history, &streams);
    ctl_history_streams (&facts, &streams);
    ctl_history_streams (&inbound, &streams);
    json_t *figures = cf_report_figures (&streams, at);
    assert (figures);  //  intake's stream was read
    ctl_history_free (&history);
    ctl_history_free (&facts);
    ctl_history_free (&inbound);
    Caseflow__V1__Reply *reply = NULL;
    const Caseflow__V1__Handover__ProgressReport *handovers = s_handover_progress (ctl, at, &reply);
    if (handovers)
        json_object_set_new (figures, "handovers",
                             ctl_handover_progress_json (NULL, &handovers->base));
    else
        json_array_append_new (json_object_get (figures, "streams_left_out"),
                               json_string ("handover"));
    json_t *left_out = json_object_get (figures, "streams_left_out");
    for (size_t i = 0; i < json_array_size (left_out); i++)
        fprintf (stderr, "caseflowctl: report: the figures of %s are unknown (not running)\n",
                 json_string_value (json_array_get (left_out, i)));
    ctl_report_print (args, figures, handovers ? &handovers->base : NULL, csv);
    if (reply)
        caseflow__v1__reply__free_unpacked (reply, NULL);
    json_decref (figures);
    return CTL_OK;
}

const ctl_verb_t ctl_report_verbs [] = {
    CTL_RUN ("report", "", "[--at TIME] [--csv]", "at csv?", NULL, s_report),
    { NULL },
};
