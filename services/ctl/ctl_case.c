//  ctl_case: `case show CASE [--at TIME]`: one case's whole timeline,
//  merged from the four streams, and its state as it was at TIME
//  (default: now by the console's clock); ctl_case_output.c prints it.
//
//  The console finds the case's events up to TIME (console.CaseTimeline:
//  docs/console.md), and they are folded by common/cf_timeline.h (which
//  events concern the case, its state, its callbacks and the merged time
//  line are defined there).
//
//  Exit status: 0; 1 when intake never registered the case (by TIME) or
//  the console has not caught up to TIME; 3 when the console does not
//  answer. A stream the console does not follow is named in
//  streams_left_out.
#include "ctl.h"
#include "ctl_output.h"

#include "caseflow/v1/console.pb-c.h"
#include "cf_timeline.h"
#include "cf_streams.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

//  The console's answer as the fold's set of streams: each stream's events
//  (borrowed from `timeline`) in a fresh array (free each with free); a
//  stream the console does not follow unavailable.
static void
s_streams (const Caseflow__V1__Console__CaseTimelineResult *timeline, cf_fold_streams_t *streams)
{
    memset (streams, 0, sizeof *streams);
    for (int s = 0; s < CF_FOLD_STREAM_COUNT; s++) {
        const char *name = cf_fold_stream_name ((cf_fold_stream_id_t) s);
        cf_fold_stream_t *stream = &streams->streams [s];
        stream->available = s != CF_FOLD_GATEWAY;
        for (size_t i = 0; i < timeline->n_streams_left_out; i++)
            if (strcmp (timeline->streams_left_out [i], name) == 0)
                stream->available = false;
        const Caseflow__V1__Event **events = calloc (timeline->n_events + 1, sizeof *events);
        assert (events);
        for (size_t i = 0; i < timeline->n_events; i++)
            //  By kind: a shard's events (intake-noord) are intake's.
            if (cf_stream_of (timeline->events [i]->stream, name))
                events [stream->count++] = timeline->events [i];
        stream->events = events;
    }
}

static int
s_show (const ctl_args_t *args)
{
    int64_t at = 0;
    int rc = CTL_OK;
    if (ctl_arg (args, "at"))
        rc = ctl_parse_time ("--at", ctl_arg (args, "at"), &at);
    else
        rc = ctl_service_now (args->ctl, CTL_CONSOLE, &at);
    if (rc != CTL_OK)
        return rc;
    Caseflow__V1__Console__CaseTimeline *query =
        ctl_message_new (&caseflow__v1__console__case_timeline__descriptor);
    query->case_id = ctl_strdup (args->positional [0]);
    query->at = at;
    Caseflow__V1__Reply *reply = NULL;
    const ProtobufCMessage *result = NULL;
    if ((rc = ctl_ask_console (args->ctl, &query->base, "case_timeline", &reply, &result))
        != CTL_OK)
        return rc;
    cf_fold_streams_t streams;
    s_streams ((const void *) result, &streams);
    cf_timeline_t *kase = NULL;
    if (cf_timeline_fold (&streams, args->positional [0], at, &kase) != 0) {
        char when [40];
        fprintf (stderr,
                 "caseflowctl: console: not_found: case_id: case %s was not registered by %s\n",
                 args->positional [0], ctl_time_text (at, when, sizeof when));
        rc = CTL_REFUSED;
    } else
        ctl_case_print (args, kase);
    cf_timeline_destroy (&kase);
    for (int s = 0; s < CF_FOLD_STREAM_COUNT; s++)
        free ((void *) streams.streams [s].events);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return rc;
}

const ctl_verb_t ctl_case_verbs [] = {
    CTL_RUN ("case", "show", "CASE [--at TIME]", "at", "CASE", s_show),
    { NULL },
};
