//  fuzz_ce_batch: a batch-mode body (application/cloudevents-batch+json):
//  refused as a whole with a problem (and the position of the event at
//  fault), or every event accepted with the profile's attributes.
#include "cf_fuzz.h"
#include "gateway_fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    cf_fuzz_init ();
    gateway_ce_t *events = NULL;
    size_t count = 0;
    gateway_problem_t problem;
    if (gateway_ce_parse_batch ((const char *) data, size, &events, &count, &problem)) {
        CF_FUZZ_CHECK (problem.status == 400 || problem.status == 415,
                       "refused with another status than 400 or 415");
        CF_FUZZ_CHECK (!events && !count, "a refused batch hands out events");
        return 0;
    }
    CF_FUZZ_CHECK (count >= 1 && count <= GATEWAY_BATCH_MAX, "a batch of no events or too many");
    gateway_fuzz_check_events (events, count);
    gateway_ce_release_all (events, count);
    return 0;
}
