//  ctl_history: a case's events as the console found them, merged in time
//  order (see ctl_history.h).
#include "ctl_history.h"

#include <assert.h>
#include <czmq.h>
#include <stdlib.h>
#include <string.h>

void
ctl_history_from_timeline (ctl_history_t *history, Caseflow__V1__Reply *reply,
                           const Caseflow__V1__Console__CaseTimelineResult *timeline)
{
    assert (history && reply && timeline);
    memset (history, 0, sizeof *history);
    history->until = timeline->at;
    history->replies = malloc (sizeof *history->replies);
    assert (history->replies);
    history->replies [0] = reply;
    history->reply_count = history->reply_cap = 1;
    for (int s = 0; s < CTL_SERVICE_COUNT; s++) {
        ctl_stream_t *stream = &history->streams [s];
        stream->available = true;
        for (size_t i = 0; i < timeline->n_streams_left_out; i++)
            if (strcmp (timeline->streams_left_out [i], ctl_service_name (s)) == 0)
                stream->available = false;
        stream->events = calloc (timeline->n_events + 1, sizeof *stream->events);
        assert (stream->events);
        for (size_t i = 0; i < timeline->n_events; i++)
            if (strcmp (timeline->events [i]->stream, ctl_service_name (s)) == 0)
                stream->events [stream->count++] = timeline->events [i];
        if (stream->count)
            stream->last_seq = stream->events [stream->count - 1]->seq;
    }
}

void
ctl_history_free (ctl_history_t *history)
{
    for (int s = 0; s < CTL_ENDPOINT_COUNT; s++)
        free (history->streams [s].events);
    for (size_t i = 0; i < history->reply_count; i++)
        caseflow__v1__reply__free_unpacked (history->replies [i], NULL);
    free (history->replies);
    int64_t until = history->until;
    memset (history, 0, sizeof *history);
    history->until = until;
}

//  ------------------------------------------------------------- merging

//  Upstreams first: on a tie a consumer's reaction follows its cause.
static const ctl_service_t s_rank [CTL_SERVICE_COUNT] = { CTL_HANDOVER, CTL_INTAKE, CTL_ASSIGNMENT,
                                                          CTL_NOTIFICATION };

ctl_entry_t *
ctl_history_merge (const ctl_history_t *history, ctl_keep_fn *keep, void *ctx, size_t *count_p)
{
    //  The kept events per stream, and the ids of those not yet placed.
    const Caseflow__V1__Event **lists [CTL_SERVICE_COUNT] = { 0 };
    size_t counts [CTL_SERVICE_COUNT] = { 0 }, heads [CTL_SERVICE_COUNT] = { 0 }, total = 0;
    zhashx_t *pending = zhashx_new ();
    static int s_marker;
    for (int s = 0; s < CTL_SERVICE_COUNT; s++) {
        const ctl_stream_t *stream = &history->streams [s];
        if (!stream->count)
            continue;
        lists [s] = calloc (stream->count, sizeof *lists [s]);
        assert (lists [s]);
        for (size_t i = 0; i < stream->count; i++)
            if (!keep || keep (ctx, s, stream->events [i])) {
                lists [s][counts [s]++] = stream->events [i];
                zhashx_insert (pending, stream->events [i]->id, &s_marker);
            }
        total += counts [s];
    }
    ctl_entry_t *line = total ? calloc (total, sizeof *line) : NULL;
    assert (!total || line);
    for (size_t placed = 0; placed < total; placed++) {
        int64_t earliest = INT64_MAX;
        for (int s = 0; s < CTL_SERVICE_COUNT; s++)
            if (heads [s] < counts [s] && lists [s][heads [s]]->occurred_at < earliest)
                earliest = lists [s][heads [s]]->occurred_at;
        int chosen = -1, first = -1;
        for (int r = 0; r < CTL_SERVICE_COUNT && chosen < 0; r++) {
            ctl_service_t s = s_rank [r];
            if (heads [s] >= counts [s] || lists [s][heads [s]]->occurred_at != earliest)
                continue;
            if (first < 0)
                first = s;
            const char *cause = lists [s][heads [s]]->causation_id;
            if (!cause || !*cause || !zhashx_lookup (pending, cause))
                chosen = s;
        }
        //  A cause still waiting in another stream at the same instant
        //  cannot be behind its effect forever; without one, upstream first.
        if (chosen < 0)
            chosen = first;
        const Caseflow__V1__Event *event = lists [chosen][heads [chosen]++];
        zhashx_delete (pending, event->id);
        line [placed].event = event;
        line [placed].service = (ctl_service_t) chosen;
    }
    zhashx_destroy (&pending);
    for (int s = 0; s < CTL_SERVICE_COUNT; s++)
        free (lists [s]);
    *count_p = total;
    return line;
}
