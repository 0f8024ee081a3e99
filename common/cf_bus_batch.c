//  cf_bus_batch: the rule a subscriber applies to a replay batch, as a
//  pure function (cf_bus_subscriber_check_batch, declared and described in
//  cf_bus_subscriber.h), kept apart from the subscriber's sockets and
//  state machine so that tests and tools can run it alone.
#include "cf_bus_subscriber.h"

#include "cf_event.h"

#include <assert.h>
#include <stdlib.h>

size_t
cf_bus_subscriber_check_batch (const char *stream, uint64_t cursor,
                               const Caseflow__V1__ReplayBatch *batch, cf_bus_batch_fn *fn,
                               void *ctx, const char **why_p)
{
    assert (stream);
    assert (batch);
    assert (fn);
    size_t taken = 0;
    const char *why = NULL;
    for (size_t index = 0; index < batch->n_events; index++) {
        const Caseflow__V1__Event *carried = batch->events [index];
        if (!carried || carried->seq <= cursor)
            continue;
        if (carried->seq != cursor + 1) {
            why = "the batch skips the next seq";
            break;
        }
        //  The callback gets the event's encoding too; re-encoding the
        //  decoded event and checking it with the same rules as a live one
        //  keeps one definition of a valid event.
        size_t size = caseflow__v1__event__get_packed_size (carried);
        uint8_t *data = malloc (size ? size : 1);
        assert (data);
        caseflow__v1__event__pack (carried, data);
        Caseflow__V1__Event *event = cf_event_decode (data, size, stream, &why);
        bool took = event && fn (ctx, event, data, size) == 0;
        caseflow__v1__event__free_unpacked (event, NULL);
        free (data);
        if (!took)
            break;
        taken++;
        cursor++;
    }
    if (why_p)
        *why_p = why;
    return taken;
}
