//  fuzz_event: the event decoder every subscriber applies to what arrives
//  on the bus, cf_event_decode, fed any bytes, with and without a stream
//  to expect. An event it accepts must have what the subscriber and the
//  services rely on: an id, a stream, a seq, a known body, a topic.
#include "cf_event.h"
#include "cf_fuzz.h"

#include <string.h>

static void
s_check (const uint8_t *data, size_t size, const char *stream)
{
    const char *why = NULL;
    Caseflow__V1__Event *event = cf_event_decode (data, size, stream, &why);
    if (!event) {
        CF_FUZZ_CHECK (why && *why, "a refused event without a reason");
        return;
    }
    CF_FUZZ_CHECK (why == NULL, "an accepted event with a reason");
    CF_FUZZ_CHECK (*event->id && *event->stream && event->seq >= 1, "envelope incomplete");
    CF_FUZZ_CHECK (!stream || strcmp (event->stream, stream) == 0, "event of another stream");
    CF_FUZZ_CHECK (strcmp (cf_event_type_name (event), "Unknown") != 0, "unknown body");
    char topic [160];
    cf_event_topic (event, topic, sizeof topic);
    CF_FUZZ_CHECK (strchr (topic, '.') != NULL, "topic without a dot");
    caseflow__v1__event__free_unpacked (event, NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    cf_fuzz_init ();
    s_check (data, size, NULL);
    s_check (data, size, "intake");
    return 0;
}
