//  fuzz_replay_batch: a replay reply as a producer (or an impostor) could
//  send it to a subscriber. The bytes are decoded as a Reply, as
//  cf_bus_subscriber does, and a ReplayBatch in it is walked by
//  cf_bus_subscriber_check_batch, the subscriber's own rule, from a cursor
//  taken from the input: what it hands on must be exactly the next seqs,
//  each a valid event of the stream whose bytes decode to it.
#include "cf_bus_subscriber.h"
#include "cf_event.h"
#include "cf_fuzz.h"

#include <string.h>

typedef struct {
    uint64_t next;  //  the seq the walk must hand on next
    size_t taken;
    size_t stop_after;  //  decline once this many were taken (0: never)
} s_walk_t;

static int
s_take (void *ctx, const Caseflow__V1__Event *event, const void *data, size_t size)
{
    s_walk_t *walk = ctx;
    if (walk->stop_after && walk->taken >= walk->stop_after)
        return -1;
    CF_FUZZ_CHECK (event->seq == walk->next, "the walk skipped or repeated a seq");
    CF_FUZZ_CHECK (strcmp (event->stream, "intake") == 0, "event of another stream");
    Caseflow__V1__Event *again = cf_event_decode (data, size, "intake", NULL);
    CF_FUZZ_CHECK (again && again->seq == event->seq, "bytes handed on do not decode");
    caseflow__v1__event__free_unpacked (again, NULL);
    walk->next++;
    walk->taken++;
    return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    cf_fuzz_init ();
    if (size < 2)
        return 0;
    //  The first two bytes choose the subscriber's cursor and a stop.
    uint64_t cursor = data [0] % 8;
    size_t stop_after = data [1] % 4;
    Caseflow__V1__Reply *reply = caseflow__v1__reply__unpack (NULL, size - 2, data + 2);
    if (!reply)
        return 0;
    if (reply->result_case == CASEFLOW__V1__REPLY__RESULT_REPLAY && reply->replay) {
        s_walk_t walk = { .next = cursor + 1, .stop_after = stop_after };
        const char *why = NULL;
        size_t taken =
            cf_bus_subscriber_check_batch ("intake", cursor, reply->replay, s_take, &walk, &why);
        CF_FUZZ_CHECK (taken == walk.taken, "count differs from the events handed on");
        CF_FUZZ_CHECK (!why || *why, "empty reason");
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return 0;
}
