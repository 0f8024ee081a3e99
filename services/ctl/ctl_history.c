//  ctl_history: whole streams through the replay api (see ctl_history.h).
#include "ctl_history.h"

#include "cf_time.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

//  Events asked for per batch; the service caps a batch at 10,000 events
//  and 4 MiB whatever we ask.
#define S_BATCH_EVENTS 10000

static void
s_keep_reply (ctl_history_t *history, Caseflow__V1__Reply *reply)
{
    if (history->reply_count == history->reply_cap) {
        history->reply_cap = history->reply_cap ? history->reply_cap * 2 : 8;
        history->replies =
            realloc (history->replies, history->reply_cap * sizeof *history->replies);
        assert (history->replies);
    }
    history->replies [history->reply_count++] = reply;
}

static void
s_keep_event (ctl_stream_t *stream, size_t *cap, const Caseflow__V1__Event *event)
{
    if (stream->count == *cap) {
        *cap = *cap ? *cap * 2 : 1024;
        stream->events = realloc (stream->events, *cap * sizeof *stream->events);
        assert (stream->events);
    }
    stream->events [stream->count++] = event;
}

//  One replay batch from `from`; the first one of a stream asks quickly
//  (a service that is down should not hold the command for long).
static int
s_replay (ctl_t *ctl, ctl_service_t service, uint64_t from, bool probe,
          Caseflow__V1__Reply **reply_p)
{
    Caseflow__V1__ReplayRequest replay = CASEFLOW__V1__REPLAY_REQUEST__INIT;
    replay.stream = (char *) ctl_service_name (service);
    replay.from_seq = from;
    replay.max_events = S_BATCH_EVENTS;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_REPLAY;
    request.replay = &replay;
    int timeout = ctl->timeout_ms;
    if (probe && ctl->timeout_ms > 1000)
        ctl->timeout_ms = 1000;
    int rc = ctl_request (ctl, service, &request, reply_p);
    ctl->timeout_ms = timeout;
    if (rc == CTL_OK
        && (!(*reply_p)->replay || (*reply_p)->result_case != CASEFLOW__V1__REPLY__RESULT_REPLAY)) {
        fprintf (stderr, "caseflowctl: %s: the reply to a replay holds no batch\n",
                 ctl_service_name (service));
        caseflow__v1__reply__free_unpacked (*reply_p, NULL);
        *reply_p = NULL;
        rc = CTL_REFUSED;
    }
    return rc;
}

static int
s_read_stream (ctl_t *ctl, ctl_service_t service, ctl_history_t *history)
{
    ctl_stream_t *stream = &history->streams [service];
    const char *name = ctl_service_name (service);
    size_t cap = 0;
    uint64_t next = 1;
    while (true) {
        Caseflow__V1__Reply *reply = NULL;
        int rc = s_replay (ctl, service, next, next == 1, &reply);
        if (rc == CTL_UNREACHABLE) {
            fprintf (stderr, "caseflowctl: %s is not running: its events are left out\n", name);
            return CTL_OK;
        }
        if (rc != CTL_OK)
            return rc;
        s_keep_reply (history, reply);
        const Caseflow__V1__ReplayBatch *batch = reply->replay;
        if (strcmp (batch->stream, name) != 0) {
            fprintf (stderr, "caseflowctl: %s: replay answered with stream \"%s\"\n", name,
                     batch->stream);
            return CTL_REFUSED;
        }
        stream->available = true;
        stream->last_seq = batch->last_seq;
        for (size_t i = 0; i < batch->n_events; i++) {
            const Caseflow__V1__Event *event = batch->events [i];
            if (event->seq != next) {
                fprintf (stderr, "caseflowctl: %s: replay gave seq %llu where %llu was due\n", name,
                         (unsigned long long) event->seq, (unsigned long long) next);
                return CTL_REFUSED;
            }
            next++;
            if (event->occurred_at <= history->until)
                s_keep_event (stream, &cap, event);
        }
        //  Caught up once the head of this batch is read; an empty batch
        //  below the head would loop forever, so it ends the read too.
        if (next > batch->last_seq || batch->n_events == 0)
            return CTL_OK;
    }
}

int
ctl_history_read (ctl_t *ctl, const bool *wanted, int64_t until, ctl_history_t *history)
{
    memset (history, 0, sizeof *history);
    history->until = until;
    for (int s = 0; s < CTL_SERVICE_COUNT; s++) {
        if (wanted && !wanted [s])
            continue;
        int rc = s_read_stream (ctl, s, history);
        if (rc != CTL_OK) {
            ctl_history_free (history);
            return rc;
        }
    }
    return CTL_OK;
}

int
ctl_history_read_one (ctl_t *ctl, ctl_service_t service, int64_t until, ctl_history_t *history)
{
    assert (service < CTL_ENDPOINT_COUNT);
    memset (history, 0, sizeof *history);
    history->until = until;
    int rc = s_read_stream (ctl, service, history);
    if (rc != CTL_OK)
        ctl_history_free (history);
    return rc;
}

//  The history's streams are at the places of the fold's.
_Static_assert(CTL_INTAKE == (int) CF_FOLD_INTAKE && CTL_ASSIGNMENT == (int) CF_FOLD_ASSIGNMENT
                   && CTL_HANDOVER == (int) CF_FOLD_HANDOVER
                   && CTL_NOTIFICATION == (int) CF_FOLD_NOTIFICATION
                   && CTL_GATEWAY == (int) CF_FOLD_GATEWAY,
               "ctl_service_t and cf_fold_stream_id_t in the same order");

void
ctl_history_streams (const ctl_history_t *history, cf_fold_streams_t *set)
{
    //  The fold's streams only (the console is an endpoint, not a stream).
    for (int s = 0; s < CF_FOLD_STREAM_COUNT; s++) {
        const ctl_stream_t *stream = &history->streams [s];
        if (!stream->available)
            continue;
        set->streams [s] = (cf_fold_stream_t){ .available = true,
                                               .events = stream->events,
                                               .count = stream->count };
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
