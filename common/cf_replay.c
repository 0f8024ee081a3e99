//  cf_replay: replay batches from the journal (see cf_replay.h).
#include "cf_replay.h"

#include "cf_api.h"
#include "cf_error.h"

#include <assert.h>
#include <stdlib.h>

typedef struct {
    Caseflow__V1__Event **events;
    size_t count, cap;
} s_replay_batch_t;

static int
s_collect_event (void *ctx, uint64_t seq, const void *data, size_t size)
{
    (void) seq;
    s_replay_batch_t *batch = ctx;
    Caseflow__V1__Event *event = caseflow__v1__event__unpack (NULL, size, data);
    if (!event)
        return CF_ESTORE;
    if (batch->count == batch->cap) {
        batch->cap = batch->cap ? batch->cap * 2 : 64;
        batch->events = realloc (batch->events, batch->cap * sizeof *batch->events);
        assert (batch->events);
    }
    batch->events [batch->count++] = event;
    return 0;
}

void *
cf_replay_reply (cf_journal_t *journal, const char *stream, uint64_t committed_seq,
                 const char *request_id, uint64_t from_seq, uint32_t max_events, uint32_t max_bytes,
                 size_t *size_p)
{
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, request_id);
    size_t events_limit =
        max_events && max_events < CF_REPLAY_MAX_EVENTS ? max_events : CF_REPLAY_MAX_EVENTS;
    size_t bytes_limit =
        max_bytes && max_bytes < CF_REPLAY_MAX_BYTES ? max_bytes : CF_REPLAY_MAX_BYTES;
    s_replay_batch_t batch = { 0 };
    int rc = 0;
    if (from_seq <= committed_seq)
        rc = cf_journal_read_produced (journal, NULL, from_seq, committed_seq, events_limit,
                                       bytes_limit, s_collect_event, &batch);
    if (rc)
        cf_api_reply_status (&reply, CASEFLOW__V1__STATUS__CODE__INTERNAL, NULL,
                             "reading the journal failed: %s", cf_strerror (rc));
    else {
        Caseflow__V1__ReplayBatch *result = malloc (sizeof *result);
        assert (result);
        caseflow__v1__replay_batch__init (result);
        result->stream = cf_strdup (stream);
        result->last_seq = committed_seq;
        result->epoch = cf_journal_epoch (journal);
        //  The runtime's events socket (cf_bus_publisher) sends batches.
        result->batches = true;
        result->events = batch.events;
        result->n_events = batch.count;
        batch.events = NULL;
        batch.count = 0;
        reply.result_case = CASEFLOW__V1__REPLY__RESULT_REPLAY;
        reply.replay = result;
    }
    for (size_t i = 0; i < batch.count; i++)
        caseflow__v1__event__free_unpacked (batch.events [i], NULL);
    free (batch.events);
    void *data = cf_api_encode_reply (&reply, size_p);
    cf_api_reply_clear (&reply);
    return data;
}
